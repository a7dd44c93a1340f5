//! INTERIM (replaced by the stmt branch): the prose above the first table, tables skipped.

use crate::ingest::doc::Grid;
use crate::ingest::text::Line;

pub enum Region {
    Prose(std::ops::Range<usize>),
    Table(Grid),
}

pub fn split(lines: &[Line<'_>]) -> (Vec<Region>, Vec<(usize, String)>) {
    let start = crate::ingest::tables::find_start(lines)
        .filter(|&start| {
            lines[start..].iter().any(|l| {
                let t = l.text.to_uppercase();
                t.contains("STATEMENT") || t.contains("BALANCE SHEET")
            })
        })
        .unwrap_or(lines.len());
    (vec![Region::Prose(0..start)], Vec::new())
}
