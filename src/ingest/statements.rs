//! INTERIM (replaced by the stmt branch).

use crate::ingest::doc::Document;
use crate::model::Financials;

#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub fiscal_year_end_month: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            fiscal_year_end_month: 12,
        }
    }
}

pub fn read(_document: &Document, _settings: &Settings) -> (Option<Financials>, Vec<(usize, String)>) {
    (None, Vec::new())
}
