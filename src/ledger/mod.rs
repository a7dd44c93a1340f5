//! The ledger: one financial time series per concept, built from every release's tables.
//!
//! Each earnings release prints a few columns (this quarter, the same quarter a year before, the
//! year to date, a balance sheet or two). Together they are the company's history. The ledger
//! keys every printed figure by concept (the row key, `revenue`) and fiscal [`Period`]
//! (`2003-Q3`), remembers exactly where it came from ([`Provenance`]), and fills in quarters no
//! release prints on its own by subtracting year-to-date spans ([`derive`]).
//!
//! The site, the PDFs and `hemasite check` all read the same ledger:
//!
//! ```no_run
//! # use hemasite::{config::SiteConfig, ledger::{Ledger, check}, model::Release};
//! # fn demo(releases: &[Release], config: &SiteConfig) {
//! let ledger = Ledger::build(releases, config);
//! for entry in ledger.quarters("revenue").iter().rev() {
//!     let value = hemasite::ledger::format::figure(&entry.value);
//!     println!("{} {value} {}", entry.period, entry.origin.describe());
//! }
//! let findings = check::run(releases, &ledger);
//! # }
//! ```
//!
//! Building never fails: figures that cannot be placed (a column that is no fiscal period, a row
//! with the wrong number of values) are left out and reported by [`check::run`].

pub mod check;
pub mod derive;
mod entry;
pub mod export;
pub mod format;
mod pending;
pub mod period;
pub mod prose;
mod series;

pub use crate::model::FiscalCalendar;
pub use check::{Finding, Severity};
pub use entry::{Change, Concept, Derivation, Entry, Origin, Provenance, Reported, statement_name};
pub use period::Period;
pub use series::Ledger;
