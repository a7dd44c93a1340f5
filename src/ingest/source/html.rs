//! INTERIM (replaced by the html branch).
use crate::ingest::doc::Block;
pub struct Reading {
    pub blocks: Vec<Block>,
    pub warnings: Vec<(usize, String)>,
}
pub fn read(_html: &str, _first_line: usize) -> Reading {
    Reading {
        blocks: Vec::new(),
        warnings: Vec::new(),
    }
}
pub fn looks_like_html(text: &str) -> bool {
    let head = text
        .get(..text.len().min(2048))
        .unwrap_or("")
        .to_ascii_lowercase();
    ["<html", "<body", "<p>", "<p ", "<div", "<table"]
        .iter()
        .any(|t| head.contains(t))
}
