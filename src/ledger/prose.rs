//! The prose against the tables: "Revenue in the third quarter of 2003 was $6,980,000, or 2.8%
//! less than the $7,181,000 reported in the same period of 2002."
//!
//! The matcher is deliberately conservative. It checks a figure only when the sentence ties it
//! tightly to a concept the tables carry and to a period with its year, in one of these shapes:
//!
//! - *lead*: `second quarter 2003 revenue of $X`, `Net loss in the third quarter of 2003 was $X`;
//! - after a lead: `, or $Y per share` (the same period's per-share amount) and `, or 2.8% less
//!   than the $Z reported in the same period of 2002` (the year before, and the percentage);
//! - `compared to a loss of $Z, or $W per share, in the third quarter of 2002` (a generic "loss"
//!   means the lead's concept) or `compared with a gross profit of $Z for the same period in
//!   2002`.
//!
//! Every other `$` amount and percentage ("the closed donor centers generated revenue of $843,000")
//! is reported as [`Severity::Unchecked`]: counted, never an error. A figure is compared with the
//! ledger within the text's own rounding (`$3.16 million` is 3,155,000 to 3,165,000).

use std::collections::BTreeSet;
use std::ops::Range;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::{Captures, Regex};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::model::{Figure, Quarter, Release};

use super::format::{exact_percent_change, figure, half_unit, within};
use super::pending::{Anchor, Pending};
use super::period::Period;
use super::series::Ledger;
use crate::diagnostics::Severity;

/// Runs the prose checks of one release, appending findings to `out`.
pub(crate) fn check(release: &Release, ledger: &Ledger, out: &mut Vec<Pending>) {
    let body = &release.body;
    let mut checker = Checker {
        release,
        ledger,
        covered: BTreeSet::new(),
        out,
    };
    for sentence in sentences(body) {
        checker.sentence(body, sentence);
    }
    let covered = std::mem::take(&mut checker.covered);
    for figure in figures(body) {
        if !covered.contains(&figure.key) {
            checker.unchecked(body, figure.range);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Patterns.

/// A money amount as written: `$6,980,000`, `$.06`, `$3.16 million`. Group `{name}` is the
/// number, `{name}_scale` the word after it.
fn money(name: &str) -> String {
    format!(
        r"\$\s?(?P<{name}>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:\s+(?P<{name}_scale>million|billion|thousand)\b)?"
    )
}

/// A period with its year: `the third quarter of 2003`, `second quarter 2003`, `the first six
/// months of 2003`, `the nine months ended September 30, 2003`, `fiscal 2003`.
fn period(name: &str) -> String {
    format!(
        r"(?:the\s+)?(?:(?P<{name}_q>first|second|third|fourth)\s+quarter|(?:first\s+)?(?P<{name}_m>six|nine)\s+months|fiscal(?:\s+year)?)\s+(?:of\s+|ended\s+[a-z]+\s+\d{{1,2}},?\s+)?(?P<{name}_y>(?:19|20)\d\d)"
    )
}

/// The concept phrases the matcher knows, each with the row key and the sign it implies.
const CONCEPTS: &[(&str, &str, Sign)] = &[
    (r"net\s+(?:revenues?|sales)", "revenue", Sign::Positive),
    (r"total\s+revenues?", "revenue", Sign::Positive),
    (r"revenues?", "revenue", Sign::Positive),
    (r"gross\s+profit", "gross_profit", Sign::Positive),
    (r"gross\s+loss", "gross_profit", Sign::Negative),
    (
        r"(?:loss|pre-?tax\s+loss)\s+before\s+(?:income\s+)?taxes",
        "pretax_income",
        Sign::Negative,
    ),
    (r"pre-?tax\s+loss", "pretax_income", Sign::Negative),
    (
        r"(?:income|earnings)\s+before\s+(?:income\s+)?taxes",
        "pretax_income",
        Sign::Positive,
    ),
    (
        r"pre-?tax\s+(?:income|earnings)",
        "pretax_income",
        Sign::Positive,
    ),
    (
        r"(?:provision|expense)\s+for\s+income\s+taxes",
        "income_tax",
        Sign::Positive,
    ),
    (
        r"income\s+tax\s+(?:provision|expense)",
        "income_tax",
        Sign::Positive,
    ),
    (
        r"(?:benefit\s+(?:for|from)\s+income\s+taxes|income\s+tax\s+benefit)",
        "income_tax",
        Sign::Negative,
    ),
    (r"net\s+loss", "net_income", Sign::Negative),
    (
        r"net\s+(?:income|earnings|profit)",
        "net_income",
        Sign::Positive,
    ),
];

/// One alternation of every concept phrase, each in its own group `{name}_0`, `{name}_1`, …
fn concept(name: &str) -> String {
    let alternatives: Vec<String> = CONCEPTS
        .iter()
        .enumerate()
        .map(|(i, (phrase, _, _))| format!("(?P<{name}_{i}>{phrase})"))
        .collect();
    format!(r"(?:{})\b", alternatives.join("|"))
}

const VERB: &str = r"(?:was|were|of|totaled|totalled|amounted\s+to|came\s+to|reached)";
const PER_SHARE: &str = r"per\s+(?:basic\s+and\s+diluted\s+|diluted\s+|basic\s+)?share(?:\s+(?:basic\s+and\s+diluted|diluted|basic))?";

fn compile(pattern: &str) -> Regex {
    Regex::new(&format!("(?i){pattern}")).expect("the prose patterns are valid")
}

/// `second quarter 2003 revenue of $6,937,000`.
static LEAD_PERIOD_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"\b{}\s+{}\s+{VERB}\s+{}",
        period("p"),
        concept("c"),
        money("f")
    ))
});

/// `Net loss in the second quarter of 2003 was $272,000`.
static LEAD_CONCEPT_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"\b{}\s+(?:in|for)\s+{}\s+{VERB}\s+{}",
        concept("c"),
        period("p"),
        money("f")
    ))
});

/// `, or $0.60 per share basic and diluted` right after a lead.
static FOLLOW_PER_SHARE: LazyLock<Regex> =
    LazyLock::new(|| compile(&format!(r"\A,?\s+or\s+{}\s+{PER_SHARE}", money("f"))));

/// `, or 2.8% less than the $7,181,000 reported in the same period of 2002` right after a lead.
static FOLLOW_PERCENT: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"\A,?\s+or\s+(?P<pct>\d+(?:\.\d+)?)\s?(?:%|percent\b)\s+(?P<dir>less|lower|below|more|higher|greater|above)\s+than\s+(?:the\s+)?{}\s+(?:(?:reported|recorded)\s+)?(?:in|for)\s+(?:the\s+same\s+(?:period|quarter)\s+(?:of|in)\s+(?P<same_y>(?:19|20)\d\d)|{})",
        money("g"),
        period("q")
    ))
});

/// `compared to a loss of $462,000, or $.06 per share basic and diluted, in the third quarter of
/// 2002`; `compared with a gross profit of $1,022,000 for the same period in 2002`.
static COMPARED: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"\bcompared\s+(?:to|with)\s+(?:(?:a|an|the)\s+)?(?:{}|(?P<generic>loss|profit|income|earnings)\b)\s+of\s+{}(?:,?\s+or\s+(?:{}|nil)\s+{PER_SHARE})?,?\s+(?:in|for)\s+(?:the\s+same\s+(?:period|quarter)\s+(?:of|in)\s+(?P<same_y>(?:19|20)\d\d)|{})",
        concept("c"),
        money("h"),
        money("k"),
        period("r")
    ))
});

/// Any quarter named without a year, the reference for "the same period in 2002".
static QUARTER_WORD: LazyLock<Regex> =
    LazyLock::new(|| compile(r"\b(?P<q>first|second|third|fourth)\s+quarter\b"));

/// Every amount and percentage in the text, to count those no pattern checked.
static ANY_FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"{}|(?P<pct>\b\d+(?:\.\d+)?)\s?(?:%|percent\b)",
        money("f")
    ))
});

// ---------------------------------------------------------------------------------------------
// Reading what a match says.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sign {
    Positive,
    Negative,
}

/// A number as the text writes it, with the rounding that writing implies.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stated {
    /// The magnitude in units (`$3.16 million` is 3,160,000).
    value: Decimal,
    /// Half a unit of the last written digit, in units.
    tolerance: Decimal,
    /// The text as written, `$3.16 million`.
    text: String,
    /// Where the number starts in the body (what [`figures`] reports for it).
    start: usize,
}

impl Stated {
    fn from_match(caps: &Captures, name: &str, base: usize) -> Option<Stated> {
        let number = caps.name(name)?;
        let digits = number.as_str().replace(',', "");
        let digits = if digits.starts_with('.') {
            format!("0{digits}")
        } else {
            digits
        };
        let written = Decimal::from_str(&digits).ok()?;
        let scale = match caps
            .name(&format!("{name}_scale"))
            .map(|m| m.as_str().to_ascii_lowercase())
        {
            Some(word) if word == "thousand" => Decimal::from(1_000),
            Some(word) if word == "million" => Decimal::from(1_000_000),
            Some(word) if word == "billion" => Decimal::from(1_000_000_000),
            _ => Decimal::ONE,
        };
        let end = caps
            .name(&format!("{name}_scale"))
            .map_or(number.end(), |m| m.end());
        // The written text runs from the `$` before the number to the end of the scale word.
        let whole = caps.get(0)?;
        let relative = |offset: usize| offset - whole.start();
        let dollar = whole.as_str()[..relative(number.start())]
            .rfind('$')
            .unwrap_or(relative(number.start()));
        Some(Stated {
            value: written.checked_mul(scale)?,
            tolerance: half_unit(written.scale())?.checked_mul(scale)?,
            text: whole.as_str()[dollar..relative(end)].to_string(),
            start: base + number.start(),
        })
    }

    fn signed(&self, sign: Sign) -> Decimal {
        match sign {
            Sign::Positive => self.value,
            Sign::Negative => -self.value,
        }
    }
}

/// The concept a match names, from whichever `{name}_i` group matched.
fn concept_of(caps: &Captures, name: &str) -> Option<(&'static str, Sign)> {
    CONCEPTS
        .iter()
        .enumerate()
        .find(|(i, _)| caps.name(&format!("{name}_{i}")).is_some())
        .map(|(_, (_, key, sign))| (*key, *sign))
}

/// The period a match names with `period(name)`.
fn period_of(caps: &Captures, name: &str) -> Option<Period> {
    let year: i32 = caps.name(&format!("{name}_y"))?.as_str().parse().ok()?;
    if let Some(ordinal) = caps.name(&format!("{name}_q")) {
        let number = ordinal_number(ordinal.as_str())?;
        return Some(Period::Quarter(Quarter { year, number }));
    }
    if let Some(span) = caps.name(&format!("{name}_m")) {
        let months = if span.as_str().eq_ignore_ascii_case("six") {
            6
        } else {
            9
        };
        return Some(Period::YearToDate { year, months });
    }
    Some(Period::FiscalYear(year))
}

/// Words that, just before a concept, make it a part of the company's figure rather than the
/// figure itself: "the closed donor centers' revenue", "Mobile operations revenue".
const NARROWING: &[&str] = &[
    "business",
    "businesses",
    "center",
    "centers",
    "closed",
    "discontinued",
    "division",
    "divisions",
    "operation",
    "operations",
    "product",
    "products",
    "program",
    "programs",
    "region",
    "segment",
    "segments",
    "service",
    "services",
    "subsidiary",
    "unit",
    "units",
];

/// Whether the three words before a lead narrow its concept to a part of the company: one of
/// [`NARROWING`], or a possessive other than the company's own (`the Company's`, `HemaCare's`
/// for a company named `HemaCare Corporation`).
fn narrowed(before: &str, company: &str) -> bool {
    let company = company
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    before.split_whitespace().rev().take(3).any(|word| {
        let word = word
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
            .to_lowercase();
        let possessive = word.ends_with("'s") || word.ends_with("s'") || word.ends_with("’s");
        let owner = word.trim_end_matches("'s").trim_end_matches("’s");
        let own = owner == "company" || owner == company;
        NARROWING.contains(&word.trim_end_matches(['\'', '’', 's']))
            || NARROWING.contains(&word.as_str())
            || (possessive && !own)
    })
}

fn ordinal_number(word: &str) -> Option<u32> {
    match word.to_ascii_lowercase().as_str() {
        "first" => Some(1),
        "second" => Some(2),
        "third" => Some(3),
        "fourth" => Some(4),
        _ => None,
    }
}

/// "The same period of 2002" relative to `reference`.
fn same_period_in(reference: Period, year: i32) -> Period {
    match reference {
        Period::Quarter(q) => Period::Quarter(Quarter {
            year,
            number: q.number,
        }),
        Period::YearToDate { months, .. } => Period::YearToDate { year, months },
        Period::FiscalYear(_) => Period::FiscalYear(year),
        Period::Instant(_) => reference,
    }
}

// ---------------------------------------------------------------------------------------------
// Checking.

/// What a lead established, for the clauses after it.
#[derive(Debug, Clone, Copy)]
struct Lead {
    concept: &'static str,
    period: Period,
    /// Where the lead and its follow-on clauses end; a comparison after it refers to it.
    value_end: usize,
}

struct Checker<'a> {
    release: &'a Release,
    ledger: &'a Ledger,
    /// Start offsets of the figures a pattern checked.
    covered: BTreeSet<usize>,
    out: &'a mut Vec<Pending>,
}

impl Checker<'_> {
    fn sentence(&mut self, body: &str, range: Range<usize>) {
        let text = &body[range.clone()];
        let base = range.start;
        let mut leads: Vec<Lead> = Vec::new();
        for pattern in [&*LEAD_PERIOD_FIRST, &*LEAD_CONCEPT_FIRST] {
            for caps in pattern.captures_iter(text) {
                let start = caps.get(0).map_or(0, |m| m.start());
                if narrowed(&text[..start], &self.release.front.company) {
                    continue; // "the closed centers' revenue …": a part, not the company.
                }
                if let Some(lead) = self.lead(text, base, &caps) {
                    leads.push(lead);
                }
            }
        }
        leads.sort_by_key(|lead| lead.value_end);
        for caps in COMPARED.captures_iter(text) {
            let start = caps.get(0).map_or(0, |m| m.start());
            let lead = leads
                .iter()
                .rev()
                .find(|lead| lead.value_end <= start)
                .copied();
            self.compared(text, base, &caps, lead);
        }
    }

    /// Checks a lead figure and what follows it; returns the lead for later clauses.
    fn lead(&mut self, text: &str, base: usize, caps: &Captures) -> Option<Lead> {
        let (concept, sign) = concept_of(caps, "c")?;
        let period = period_of(caps, "p")?;
        let stated = Stated::from_match(caps, "f", base)?;
        self.claim(concept, period, sign, &stated);
        let end = caps.get(0)?.end();
        let rest = &text[end..];
        let mut after = end;
        if let Some(per_share) = FOLLOW_PER_SHARE.captures(rest) {
            if let Some(stated) = Stated::from_match(&per_share, "f", base + end) {
                self.per_share_claim(period, sign, &stated);
            }
            after = end + per_share.get(0).map_or(0, |m| m.end());
        }
        if let Some(percent) = FOLLOW_PERCENT.captures(&text[after..]) {
            self.percent_claim(concept, period, sign, &percent, base + after);
            after += percent.get(0).map_or(0, |m| m.end());
        }
        Some(Lead {
            concept,
            period,
            value_end: after,
        })
    }

    /// `compared to a loss of $Z[, or $W per share], in <period>`.
    fn compared(&mut self, text: &str, base: usize, caps: &Captures, lead: Option<Lead>) {
        let (concept, sign) = match (concept_of(caps, "c"), caps.name("generic"), lead) {
            (Some(named), _, _) => named,
            (None, Some(word), Some(lead)) => {
                let loss = word.as_str().eq_ignore_ascii_case("loss");
                (
                    lead.concept,
                    if loss { Sign::Negative } else { Sign::Positive },
                )
            }
            _ => return,
        };
        let start = caps.get(0).map_or(0, |m| m.start());
        let period = match caps.name("same_y").and_then(|y| y.as_str().parse().ok()) {
            Some(year) => {
                let reference = lead.map(|lead| lead.period).or_else(|| {
                    let named = QUARTER_WORD.captures(&text[..start])?;
                    let number = ordinal_number(named.name("q")?.as_str())?;
                    Some(Period::Quarter(Quarter { year, number }))
                });
                match reference {
                    Some(reference) => same_period_in(reference, year),
                    None => return,
                }
            }
            None => match period_of(caps, "r") {
                Some(period) => period,
                None => return,
            },
        };
        if let Some(stated) = Stated::from_match(caps, "h", base) {
            self.claim(concept, period, sign, &stated);
        }
        if let Some(stated) = Stated::from_match(caps, "k", base) {
            self.per_share_claim(period, sign, &stated);
        }
    }

    /// What the tables say for `concept` in `period`, and where: this release's own table when it
    /// prints the period (the text describes its own tables, even if a later release restates
    /// them), else the ledger's value.
    fn table(&self, concept: &str, period: Period) -> Option<(Figure, String)> {
        let own = self
            .ledger
            .reported_by(&self.release.slug)
            .iter()
            .find(|reported| reported.concept == concept && reported.period == period);
        match own {
            Some(reported) => Some((
                reported.value,
                format!("reported in {}", reported.source.release),
            )),
            None => {
                let entry = self.ledger.get(concept, period)?;
                Some((entry.value, entry.origin.describe()))
            }
        }
    }

    /// `concept` in `period` is what the text states, within its rounding.
    fn claim(&mut self, concept: &str, period: Period, sign: Sign, stated: &Stated) {
        let Some(entry) = self.table(concept, period) else {
            return; // Not carried by the tables: left uncovered, so counted as unchecked.
        };
        self.covered.insert(stated.start);
        let value = figure_decimal(&entry.0);
        let said = stated.signed(sign);
        if within(said, value, stated.tolerance) {
            return;
        }
        let message = format!(
            "The text of {} says \"{}\" for {concept} in {period}, read as {}, but the \
             tables have {} ({}). Correct whichever is wrong.",
            self.release.slug,
            stated.text,
            decimal_grouped(said),
            figure(&entry.0),
            entry.1
        );
        self.error(message, stated.start);
    }

    /// A per-share figure after a lead or a comparison: the period's basic and diluted amount,
    /// when the ledger has exactly one per-share concept for the period.
    fn per_share_claim(&mut self, period: Period, sign: Sign, stated: &Stated) {
        let keys: Vec<&str> = self
            .ledger
            .concepts()
            .iter()
            .filter(|c| c.key.starts_with("eps") && self.table(&c.key, period).is_some())
            .map(|c| c.key.as_str())
            .collect();
        if let [key] = keys.as_slice() {
            let key = key.to_string();
            self.claim(&key, period, sign, stated);
        }
    }

    /// `or 2.8% less than the $7,181,000 reported in the same period of 2002`: checks the
    /// earlier figure, then the percentage between the two periods' values in the tables.
    fn percent_claim(
        &mut self,
        concept: &str,
        period: Period,
        sign: Sign,
        caps: &Captures,
        base: usize,
    ) {
        let earlier = match caps.name("same_y").and_then(|y| y.as_str().parse().ok()) {
            Some(year) => Some(same_period_in(period, year)),
            None => period_of(caps, "q"),
        };
        let Some(earlier) = earlier else { return };
        if let Some(stated) = Stated::from_match(caps, "g", base) {
            self.claim(concept, earlier, sign, &stated);
        }
        let (Some(pct), Some(direction)) = (caps.name("pct"), caps.name("dir")) else {
            return;
        };
        let Ok(written) = Decimal::from_str(pct.as_str()) else {
            return;
        };
        let down = matches!(
            direction.as_str().to_ascii_lowercase().as_str(),
            "less" | "lower" | "below"
        );
        let said = if down { -written } else { written };
        let values = (self.table(concept, period), self.table(concept, earlier));
        let (Some((now, _)), Some((before, _))) = values else {
            return;
        };
        let (Figure::Amount(now_value), Figure::Amount(before_value)) = (now, before) else {
            return;
        };
        let Some(actual) = exact_percent_change(now_value, before_value) else {
            return;
        };
        let start = base + pct.start();
        self.covered.insert(start);
        let Some(tolerance) = half_unit(written.scale()) else {
            return;
        };
        if within(actual, said, tolerance) {
            return;
        }
        let rounded =
            actual.round_dp_with_strategy(written.scale(), RoundingStrategy::MidpointAwayFromZero);
        let message = format!(
            "The text of {} says {concept} was \"{}% {}\" in {period} than in {earlier}, but \
             the tables have {} and {}, a change of {rounded}%. Correct whichever is wrong.",
            self.release.slug,
            pct.as_str(),
            direction.as_str(),
            figure(&before),
            figure(&now),
        );
        self.error(message, start);
    }

    fn error(&mut self, message: String, offset: usize) {
        self.out.push(Pending {
            severity: Severity::Error,
            message,
            path: self.release.path.clone(),
            anchor: Anchor::Body { offset },
        });
    }

    fn unchecked(&mut self, body: &str, figure: Range<usize>) {
        let written = &body[figure.clone()];
        let context = context_around(body, figure.start);
        self.out.push(Pending {
            severity: Severity::Unchecked,
            message: format!(
                "\"{written}\" is not tied to a concept and period the tables carry, so it was \
                 not checked: \"{context}\""
            ),
            path: self.release.path.clone(),
            anchor: Anchor::Body {
                offset: figure.start,
            },
        });
    }
}

/// A whole number with thousands separators (`-4,769,000`), anything else as written (`-0.07`).
fn decimal_grouped(value: Decimal) -> String {
    use rust_decimal::prelude::ToPrimitive;
    match value.fract().is_zero().then(|| value.to_i64()).flatten() {
        Some(whole) => super::format::grouped(whole),
        None => value.to_string(),
    }
}

fn figure_decimal(value: &Figure) -> Decimal {
    match value {
        Figure::Amount(amount) => Decimal::from(*amount),
        Figure::PerShare(per_share) => *per_share,
    }
}

/// A few words either side of the figure starting at `start`, on one line, for a reader to
/// find it.
fn context_around(body: &str, start: usize) -> String {
    let before: Vec<&str> = body[..start].split_whitespace().rev().take(6).collect();
    let mut words: Vec<&str> = before.into_iter().rev().collect();
    words.extend(body[start..].split_whitespace().take(7));
    format!("…{}…", words.join(" "))
}

// ---------------------------------------------------------------------------------------------
// Splitting the text.

/// The body's sentences as byte ranges: paragraphs split at blank lines, sentences at `.`, `!`
/// or `?` followed by space and a capital letter or an opening quote (so `$.06`, `U.S. hospitals`
/// and `HEMA.OB` do not split).
fn sentences(body: &str) -> Vec<Range<usize>> {
    static END: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"[.!?]["”’)]?(\s+)["“]?[A-Z]|\n\s*\n"#).expect("valid"));
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while let Some(found) = END.find_at(body, at) {
        let text = found.as_str();
        let end = if text.trim().is_empty() {
            found.start()
        } else {
            // Keep the full stop (and closing quote) with the sentence; the next starts after
            // the space.
            found.start() + text.find(char::is_whitespace).unwrap_or(text.len())
        };
        if end > start {
            ranges.push(start..end);
        }
        start = end + body[end..].len() - body[end..].trim_start().len();
        at = start.max(found.start() + 1);
    }
    if start < body.len() {
        ranges.push(start..body.len());
    }
    ranges
}

/// A figure written in the body.
struct Written {
    /// Where its number starts: what the checks record as covered.
    key: usize,
    /// All of it, `$3.16 million` or `12%`.
    range: Range<usize>,
}

/// Every `$` amount and percentage in the body.
fn figures(body: &str) -> Vec<Written> {
    ANY_FIGURE
        .captures_iter(body)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            let number = caps.name("f").or_else(|| caps.name("pct"))?;
            Some(Written {
                key: number.start(),
                range: whole.range(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn a_part_of_the_company_narrows_a_figure_but_the_company_itself_does_not() {
        let company = "HemaCare Corporation";
        for before in [
            "The closed donor centers'",
            "Mobile operations",
            "Coca-Cola's",
        ] {
            assert!(narrowed(before, company), "{before}");
        }
        for before in [
            "",
            "The Company's",
            "HemaCare's",
            "today announced",
            "In total,",
        ] {
            assert!(!narrowed(before, company), "{before}");
        }
    }

    #[test]
    fn sentences_split_at_full_stops_not_inside_figures() {
        let text = "Net loss was $4,679,000, or $.06 per share. U.S. hospitals buy from HEMA.OB now.\n\nA new paragraph! \"Quoted.\" End";
        assert_eq!(
            split(text),
            [
                "Net loss was $4,679,000, or $.06 per share.",
                "U.S. hospitals buy from HEMA.OB now.",
                "A new paragraph!",
                "\"Quoted.\"",
                "End"
            ]
        );
    }

    #[test]
    fn figures_are_amounts_and_percentages() {
        let text =
            "revenue of $843,000, or 12% of total, $3.16 million, $.06, 2.8 percent, 800-309-8563";
        let found: Vec<&str> = figures(text).into_iter().map(|f| &text[f.range]).collect();
        assert_eq!(
            found,
            ["$843,000", "12%", "$3.16 million", "$.06", "2.8 percent"]
        );
    }

    #[test]
    fn stated_figures_carry_their_rounding() {
        let caps = ANY_FIGURE.captures("a $3.16 million charge").unwrap();
        let stated = Stated::from_match(&caps, "f", 100).unwrap();
        assert_eq!(stated.value, Decimal::from(3_160_000));
        assert_eq!(stated.tolerance, Decimal::from(5_000));
        assert_eq!(stated.text, "$3.16 million");
        assert_eq!(stated.start, 103);
    }
}
