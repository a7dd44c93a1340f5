//! Error messages that point into a file: the file, the line, the column, the offending line and
//! a caret under the column, the way rustc shows them.
//!
//! Everything here returns plain text, because the same messages go to a terminal (where
//! [`crate::terminal`] colours them), to a browser (`serve`) and into JSON (`check --format
//! json`). The two sources of such errors are templates ([`template_error`]) and YAML files, the
//! releases' front matter and `site.yaml` ([`yaml_error`]).

mod diagnostic;
mod excerpt;
mod template;
mod yaml;

pub use diagnostic::{Context, Diagnostic, Severity};
pub use excerpt::{excerpt, nth_line};
pub use template::{Origins, template_error};
pub use yaml::{Schema, YamlFile, closest, line_of_key, own_message, yaml_error};
