//! `site.yaml`: what the site, the PDFs and the mail need to know about the company and its brand.
//!
//! Unknown keys are errors (a typo must not be silently ignored), and every error names the key.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::model::FileError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's title, shown in the browser tab and feeds.
    pub title: String,
    /// Absolute URL the site is published at, with or without a sub-path
    /// (`https://ir.example.com/` or `https://example.com/investors/`).
    pub base_url: String,
    pub company: Company,
    #[serde(default)]
    pub brand: Brand,
    #[serde(default)]
    pub nav: Vec<NavItem>,
    /// Month and day the fiscal year ends, `MM-DD`; December 31 unless told.
    #[serde(default = "default_fiscal_year_end")]
    pub fiscal_year_end: String,
    #[serde(default)]
    pub contact: Option<IrContact>,
    #[serde(default)]
    pub pdf: PdfSettings,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Company {
    pub name: String,
    pub ticker: String,
    #[serde(default)]
    pub market: Option<String>,
    /// One line that says what the company does.
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Brand {
    /// Main colour, `#rrggbb`.
    pub primary: String,
    /// Accent colour, `#rrggbb`.
    pub accent: String,
    /// Font family name; the files live in `static/fonts/`.
    pub font: String,
}

impl Default for Brand {
    fn default() -> Self {
        Brand {
            primary: "#7a1020".into(),
            accent: "#1f4e79".into(),
            font: "Source Sans 3".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NavItem {
    pub title: String,
    /// Path relative to the site root, e.g. `news/`.
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IrContact {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PdfSettings {
    /// `a4` or `letter`.
    pub page_size: PageSize,
    /// Page margins in millimetres.
    pub margin_mm: f32,
}

impl Default for PdfSettings {
    fn default() -> Self {
        PdfSettings {
            page_size: PageSize::Letter,
            margin_mm: 18.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageSize {
    A4,
    Letter,
}

fn default_fiscal_year_end() -> String {
    "12-31".into()
}

impl SiteConfig {
    pub fn load(path: &Path) -> Result<SiteConfig, FileError> {
        let text = std::fs::read_to_string(path).map_err(|err| {
            FileError::new(
                path,
                0,
                format!("cannot read the site configuration: {err}"),
            )
        })?;
        Self::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<SiteConfig, FileError> {
        let config: SiteConfig = serde_yaml::from_str(text).map_err(|err| {
            let line = err.location().map_or(0, |loc| loc.line());
            FileError::new(path, line, err.to_string())
        })?;
        config
            .validate()
            .map_err(|msg| FileError::new(path, 0, msg))?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), String> {
        if !(self.base_url.starts_with("https://") || self.base_url.starts_with("http://")) {
            return Err(format!(
                "base_url: expected an absolute http(s) URL such as `https://ir.example.com/`, found `{}`",
                self.base_url
            ));
        }
        for (key, colour) in [
            ("brand.primary", &self.brand.primary),
            ("brand.accent", &self.brand.accent),
        ] {
            if !is_hex_colour(colour) {
                return Err(format!(
                    "{key}: expected a colour like `#7a1020`, found `{colour}`"
                ));
            }
        }
        if self.fiscal_year_end_month_day().is_none() {
            return Err(format!(
                "fiscal_year_end: expected `MM-DD` such as `12-31`, found `{}`",
                self.fiscal_year_end
            ));
        }
        Ok(())
    }

    /// The fiscal year end as (month, day).
    pub fn fiscal_year_end_month_day(&self) -> Option<(u32, u32)> {
        let (month, day) = self.fiscal_year_end.split_once('-')?;
        let (month, day) = (month.parse().ok()?, day.parse().ok()?);
        chrono::NaiveDate::from_ymd_opt(2001, month, day).map(|_| (month, day))
    }

    /// The base URL's path, always ending in `/`: `/` at a host's root, `/investors/` under one.
    pub fn base_path(&self) -> String {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("/", |at| &after_scheme[at..]);
        if path.ends_with('/') {
            path.to_string()
        } else {
            format!("{path}/")
        }
    }
}

fn is_hex_colour(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str =
        "title: T\nbase_url: https://example.com/ir\ncompany: { name: C, ticker: X }\n";

    #[test]
    fn unknown_keys_are_named() {
        let err = SiteConfig::parse(Path::new("site.yaml"), &format!("{MINIMAL}colour: red\n"))
            .unwrap_err();
        assert!(err.message.contains("colour"), "{err}");
        assert_eq!(err.line, 4);
    }

    #[test]
    fn bad_values_are_named() {
        let err = SiteConfig::parse(
            Path::new("site.yaml"),
            &format!("{MINIMAL}brand: {{ primary: red }}\n"),
        )
        .unwrap_err();
        assert!(err.message.starts_with("brand.primary"), "{err}");
    }

    #[test]
    fn base_path_handles_sub_paths() {
        let config = SiteConfig::parse(Path::new("site.yaml"), MINIMAL).unwrap();
        assert_eq!(config.base_path(), "/ir/");
        assert_eq!(config.fiscal_year_end_month_day(), Some((12, 31)));
    }
}
