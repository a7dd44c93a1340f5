//! The layout of a plain-text release: page furniture, the header block, paragraphs, reflow.
//!
//! Filings were typed for paper: centred headlines, hard-wrapped lines, two spaces after a full
//! stop, words hyphenated across lines, "- more -" and page numbers between pages. This module
//! turns those lines into clean paragraphs and leaves the meaning to `facts` and `tables`.

use std::sync::LazyLock;

use regex::Regex;

use super::doc::Text;

/// A line of the filing with its 1-based line number in the file.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub number: usize,
    pub text: &'a str,
}

impl Line<'_> {
    pub fn trimmed(&self) -> &str {
        self.text.trim()
    }

    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// Columns of leading whitespace, a tab counting as eight.
    pub fn indent(&self) -> usize {
        let mut width = 0;
        for c in self.text.chars() {
            match c {
                ' ' => width += 1,
                '\t' => width = (width / 8 + 1) * 8,
                _ => break,
            }
        }
        width
    }
}

pub fn lines(text: &str, first_line: usize) -> Vec<Line<'_>> {
    text.lines()
        .enumerate()
        .map(|(index, text)| Line {
            number: first_line + index,
            text,
        })
        .collect()
}

/// Page furniture: text that belongs to the printed page, not to the release.
pub fn is_furniture(text: &str) -> bool {
    let text = text.trim();
    // Furniture is short, or a long rule with no letter or digit in it.
    if text.is_empty() || (text.len() > 60 && text.chars().any(char::is_alphanumeric)) {
        return false;
    }
    if is_single_furniture(text) {
        return true;
    }
    // Several short pieces of furniture are sometimes run together on one line ("- more -   2").
    text.len() <= 40
        && text.contains("  ")
        && SPLIT_ON_WIDE_GAPS.split(text).all(is_single_furniture)
}

static SPLIT_ON_WIDE_GAPS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s{2,}").unwrap());

fn is_single_furniture(text: &str) -> bool {
    static FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?ix)^(?:
                exhibit\s+99(?:\.\d+)? | \[?logo\]? | for\s+immediate\s+release |
                -\s*more\s*- | \(more\) | <page>(?:\s*\d+)? | page\s+\d+(?:\s+of\s+\d+)? |
                -?\s*\d{1,3}\s*-? | \#\#\# | \#\s\#\s\# | -30- |
                \(financial\s+tables?\s+follows?\) | \(tables?\s+follows?\) |
                [-_=*\s]{3,}
            )$",
        )
        .unwrap()
    });
    FURNITURE.is_match(text) || is_spaced_banner(text)
}

/// `- more -`, `<PAGE> 2`, `Page 2 of 5`: furniture that marks a page's end, after which a
/// paragraph may go on; not a banner such as `FOR IMMEDIATE RELEASE` or `[LOGO]`.
fn is_page_mark(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower
        .replace("more", "")
        .replace("page", "")
        .replace(" of ", "")
        .chars()
        .all(|c| !c.is_alphabetic())
}

/// `N E W S   R E L E A S E`: a word set with a space between its letters.
fn is_spaced_banner(text: &str) -> bool {
    if text.as_bytes().get(1) != Some(&b' ') {
        return false;
    }
    let letters: Vec<&str> = text.split_whitespace().collect();
    letters.len() >= 4 && letters.iter().all(|piece| piece.chars().count() == 1)
}

/// `###`, `# # #`, `-30-`: the newsroom's mark for the end of a release, kept as a block of
/// its own so that the release reader can tell a finished release from a cut-off one.
pub fn is_end_mark(text: &str) -> bool {
    matches!(text.trim(), "###" | "# # #" | "-30-" | "- 30 -" | "####")
}

/// A line of rule characters only (`____`, `----`, `====`), possibly in several runs.
pub fn is_rule(text: &str) -> bool {
    let text = text.trim();
    text.len() >= 3
        && text.chars().all(|c| matches!(c, '-' | '_' | '=' | ' '))
        && text.chars().filter(|c| !c.is_whitespace()).count() >= 3
}

/// Letters present and none of them lower-case: headlines and headings were typed in capitals.
pub fn is_upper_case(text: &str) -> bool {
    let mut letters = text.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(|c| !c.is_lowercase())
}

/// A headline typed in capitals but for a name that keeps its own lower-case letters
/// (`inTEST ANNOUNCES PRELIMINARY RESULTS`, `eBAY`): every word in capitals, or in a headline
/// of six words or more every word but one.
pub fn is_shouted(text: &str) -> bool {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphabetic))
        .collect();
    let quiet = words.iter().filter(|word| !is_upper_case(word)).count();
    (quiet == 0 && !words.is_empty()) || (words.len() >= 6 && quiet <= 1)
}

/// Splits prose lines into text blocks, dropping furniture and rejoining a paragraph that a page
/// break cut in two. A short line indented well in and standing alone is a centred heading.
pub fn paragraphs(lines: &[Line<'_>]) -> Vec<Text> {
    let blocks: Vec<Block<'_>> = blocks(lines)
        .into_iter()
        .flat_map(split_at_short_lines)
        .collect();
    let known_words = std::cell::LazyCell::new(|| Vocabulary::of(lines));
    let mut paragraphs: Vec<Text> = Vec::new();
    for block in blocks {
        let typed: Vec<(usize, String)> = block
            .lines
            .iter()
            .map(|line| (line.number, collapse_spaces(line.text)))
            .collect();
        let text = reflow(typed.iter().map(|(_, piece)| piece.as_str()), &known_words);
        if text.is_empty() {
            continue;
        }
        let centred = block.lines.len() == 1 && block.lines[0].indent() >= 8 && text.len() <= 60;
        let heading = centred && !ends_sentence(&text);
        if let Some(previous) = paragraphs.last_mut()
            && block.after_page_break
            && !previous.heading
            && !heading
            && !is_end_mark(&previous.text)
            && !ends_sentence(&previous.text)
        {
            previous.text.push(' ');
            previous.text.push_str(&text);
            previous.lines.extend(typed);
            continue;
        }
        paragraphs.push(Text {
            line: block.lines[0].number,
            lines: typed,
            text,
            heading,
            centred,
            italic: false,
            after_page_break: block.after_page_break,
        });
    }
    paragraphs
}

struct Block<'a> {
    lines: Vec<Line<'a>>,
    after_page_break: bool,
}

fn blocks<'a>(lines: &[Line<'a>]) -> Vec<Block<'a>> {
    let mut blocks = Vec::new();
    let mut current: Vec<Line<'a>> = Vec::new();
    let mut page_break = false;
    let mut current_after_break = false;
    for line in lines {
        if is_end_mark(line.text) {
            if !current.is_empty() {
                blocks.push(Block {
                    lines: std::mem::take(&mut current),
                    after_page_break: current_after_break,
                });
            }
            blocks.push(Block {
                lines: vec![*line],
                after_page_break: false,
            });
            page_break = true;
            continue;
        }
        let furniture = is_furniture(line.text);
        if line.is_blank() || furniture {
            if !current.is_empty() {
                blocks.push(Block {
                    lines: std::mem::take(&mut current),
                    after_page_break: current_after_break,
                });
            }
            page_break |= furniture && !is_rule(line.text) && is_page_mark(line.text);
            continue;
        }
        if let Some(previous) = current.last()
            && starts_indented_paragraph(previous, line)
        {
            blocks.push(Block {
                lines: std::mem::take(&mut current),
                after_page_break: current_after_break,
            });
        }
        if current.is_empty() {
            current_after_break = page_break;
            page_break = false;
        }
        current.push(*line);
    }
    if !current.is_empty() {
        blocks.push(Block {
            lines: current,
            after_page_break: current_after_break,
        });
    }
    blocks
}

/// Lines of a paragraph run to the right margin but for its last: a line much shorter than the
/// block's longest, followed by one that starts a sentence, ends a paragraph. This separates the
/// headline, contact lines and datelines of a release typed without blank lines between them.
fn split_at_short_lines(block: Block<'_>) -> Vec<Block<'_>> {
    let width = block
        .lines
        .iter()
        .map(|l| l.trimmed().chars().count())
        .max()
        .unwrap_or(0);
    if block.lines.len() < 2 || width < 50 {
        return vec![block];
    }
    let mut pieces = Vec::new();
    let mut current: Vec<Line<'_>> = Vec::new();
    let mut after_page_break = block.after_page_break;
    for (index, line) in block.lines.iter().enumerate() {
        current.push(*line);
        let next = block.lines.get(index + 1);
        let short = line.trimmed().chars().count() * 10 < width * 6;
        let next_starts = next.is_some_and(|n| {
            n.trimmed().starts_with(|c: char| {
                c.is_uppercase()
                    || c.is_ascii_digit()
                    || matches!(c, '"' | '\u{201c}' | '(' | '[' | '\u{2013}' | '\u{2014}')
                    || (c == '-' && n.trimmed().starts_with("- "))
                    || BULLETS.contains(&c)
            })
        });
        // A word broken at the line's end (`limi-`), a list going on (`,`) or a date
        // (`PRINCETON, N.J., November` / `12, 2002 –`); not a dash set off by a space (`… and
        // CEO -`) or a double one (`--Search Process Underway--`).
        let trimmed = line.trimmed();
        let open_ended =
            (trimmed.ends_with(['-', ',']) && !trimmed.ends_with(" -") && !trimmed.ends_with("--"))
                || !trimmed.chars().any(char::is_alphanumeric)
                || (ends_with_month(trimmed)
                    && next.is_some_and(|n| n.trimmed().starts_with(|c: char| c.is_ascii_digit())));
        if short && next_starts && !open_ended {
            pieces.push(Block {
                lines: std::mem::take(&mut current),
                after_page_break,
            });
            after_page_break = false;
        }
    }
    if !current.is_empty() {
        pieces.push(Block {
            lines: current,
            after_page_break,
        });
    }
    pieces
}

/// A month's number from its name or the name's first three letters or more (`Sept.`).
pub fn month_number(name: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = name.trim_end_matches('.').to_lowercase();
    NAMES
        .iter()
        .position(|full| lower.len() >= 3 && full.starts_with(&lower))
        .map(|index| index as u32 + 1)
}

/// `… November`: a line that stops after a month's name.
fn ends_with_month(text: &str) -> bool {
    let last = last_word(text).trim_end_matches('.');
    month_number(last).is_some()
}

/// Typists without blank lines between paragraphs marked each with a first-line indent: a
/// line indented further than a line that ends a sentence opens a paragraph.
fn starts_indented_paragraph(previous: &Line<'_>, line: &Line<'_>) -> bool {
    line.indent() >= previous.indent() + 3 && ends_sentence(previous.trimmed())
}

/// Does the text end a sentence (so that a page break after it also ends the paragraph)?
/// Verbs a headline never ends on: `Acme Announces` / `Record Results` is one headline.
pub const HEADLINE_VERBS: &[&str] = &[
    "announces",
    "reports",
    "names",
    "appoints",
    "declares",
    "completes",
    "receives",
    "expands",
    "launches",
    "signs",
    "sets",
    "elects",
    "adds",
    "acquires",
    "enters",
    "provides",
    "issues",
    "schedules",
    "increases",
    "raises",
    "posts",
    "achieves",
    "secures",
    "files",
    "updates",
    "announce",
    "report",
    "releases",
    "delays",
    "closes",
    "prices",
    "wins",
    "approves",
    "agrees",
    "introduces",
    "unveils",
    "extends",
    "regains",
    "retains",
    "promotes",
    "hires",
    "welcomes",
    "confirms",
    "initiates",
    "commences",
    "resigns",
    "retires",
    "replaces",
    "succeeds",
    "joins",
    "selects",
    "awards",
    "sells",
    "buys",
    "reaffirms",
    "reiterates",
    "affirms",
    "revises",
    "lowers",
    "suspends",
    "resumes",
    "amends",
    "renews",
    "obtains",
    "nominates",
    "adopts",
    "establishes",
    "expects",
    "named",
    "appointed",
    "elected",
    "becomes",
    "redeems",
];

/// A word of [`HEADLINE_VERBS`] in any case, lower-cased on the stack and looked up in a set
/// (headers test every word of every line near the top).
pub fn is_headline_verb(word: &str) -> bool {
    static VERBS: LazyLock<std::collections::HashSet<&'static [u8]>> =
        LazyLock::new(|| HEADLINE_VERBS.iter().map(|verb| verb.as_bytes()).collect());
    let mut lower = [0u8; 16];
    let Some(buffer) = lower.get_mut(..word.len()) else {
        return false;
    };
    buffer.copy_from_slice(word.as_bytes());
    buffer.make_ascii_lowercase();
    VERBS.contains(&*buffer)
}

/// Whether any word of `text` is a headline's verb: `Acme Names Chief Financial Officer`.
pub fn has_headline_verb(text: &str) -> bool {
    text.split_whitespace().any(is_headline_verb)
}

/// The glyphs a list item opens with, as typed or as filing agents' HTML sets them (`§` and
/// the private-use code points are Wingdings bullets read without their font).
pub const BULLETS: &[char] = &[
    '•', '·', '▪', '◦', '‣', '∙', '■', '□', '●', '○', '♦', '➢', '►', '\u{f0b7}', '\u{f0a7}', '§',
];

/// `•` alone: a bullet set in a cell or line of its own, its item in the next.
pub fn is_lone_bullet(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && text.chars().count() <= 3
        && text.chars().all(|c| BULLETS.contains(&c) || c == ' ')
}

/// `· Fourth quarter net loss of …`: a list item, set off by its bullet.
pub fn starts_with_bullet(text: &str) -> bool {
    text.trim_start().starts_with(BULLETS)
}

pub fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['.', '!', '?', ':', '"', '\u{201d}', ')'])
}

/// Joins a paragraph's lines, each already single-spaced ([`collapse_spaces`]), into one:
/// words hyphenated at a line end rejoined (`limi-` + `tation`) unless the hyphen belongs to
/// the word (`write-` + `down`).
pub fn reflow<'a>(
    pieces: impl Iterator<Item = &'a str>,
    known_words: &impl std::ops::Deref<Target = Vocabulary>,
) -> String {
    let mut text = String::new();
    for piece in pieces {
        if piece.is_empty() {
            continue;
        }
        if text.is_empty() {
        } else if joins_across_break(&text, piece) {
            if !keeps_hyphen(&text, piece, known_words.deref()) {
                text.pop();
            }
        } else {
            text.push(' ');
        }
        text.push_str(piece);
    }
    text
}

/// Appends `piece` with each run of whitespace inside it as one space.
fn push_collapsed(text: &mut String, piece: &str) {
    if piece.is_ascii() {
        // The common case, by bytes: the same words as `split_whitespace` gives, each run of
        // words between doubled or odd white space copied whole in one pass.
        let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C);
        let bytes = piece.as_bytes();
        let (mut at, mut wrote) = (0, false);
        while at < bytes.len() {
            while at < bytes.len() && is_space(bytes[at]) {
                at += 1;
            }
            let start = at;
            // A run goes on through single plain spaces between words.
            while at < bytes.len()
                && (!is_space(bytes[at])
                    || (bytes[at] == b' '
                        && bytes.get(at + 1).is_some_and(|&next| !is_space(next))))
            {
                at += 1;
            }
            if start < at {
                if wrote {
                    text.push(' ');
                }
                text.push_str(&piece[start..at]);
                wrote = true;
            }
        }
        return;
    }
    for (index, word) in piece.split_whitespace().enumerate() {
        if index > 0 {
            text.push(' ');
        }
        text.push_str(word);
    }
}

/// A trailing hyphen splits a word only when a letter or digit stands on both sides.
fn joins_across_break(before: &str, after: &str) -> bool {
    let head = before.trim_end_matches('-');
    let last = head.chars().last();
    let first = after.chars().next();
    before.ends_with('-')
        && !before.ends_with("--")
        && last.is_some_and(char::is_alphanumeric)
        && first.is_some_and(char::is_alphanumeric)
}

/// Whether `write-` + `down` stays `write-down` rather than becoming `writedown`.
fn keeps_hyphen(before: &str, after: &str, known: &Vocabulary) -> bool {
    let head = last_word(before.trim_end_matches('-'));
    let tail = first_word(after);
    if head.chars().last().is_some_and(|c| c.is_ascii_digit())
        || tail
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c.is_uppercase())
    {
        return true; // 800-642-1687, mid-August, Non-GAAP
    }
    let head_lower = head.to_lowercase();
    let tail_lower = tail.to_lowercase();
    let joined = format!("{head_lower}{tail_lower}");
    let hyphenated = format!("{head_lower}-{tail_lower}");
    if known.contains(&hyphenated) {
        return true;
    }
    if known.contains(&joined) {
        return false;
    }
    // Neither form occurs elsewhere: keep the hyphen when both halves are words of the text
    // or the first half is a prefix that is always hyphenated.
    HYPHENATED_PREFIXES.contains(&head_lower.as_str())
        || (known.contains(&head_lower) && known.contains(&tail_lower))
}

/// First halves that take a hyphen in business English (`forward-looking`, `non-cash`).
/// Only prefixes that rarely begin an unhyphenated word are listed: `re-` + `port` must rejoin.
const HYPHENATED_PREFIXES: &[&str] = &[
    "forward", "non", "self", "well", "year", "mid", "blood", "write", "cross", "multi", "third",
];

fn last_word(text: &str) -> &str {
    let start = text.rfind(|c: char| !c.is_alphanumeric()).map_or(0, |at| {
        at + text[at..].chars().next().map_or(1, char::len_utf8)
    });
    &text[start..]
}

fn first_word(text: &str) -> &str {
    let end = text
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(text.len());
    &text[..end]
}

/// The words of a document, lower-cased, to tell how a word broken across lines is spelled
/// where it is not broken. A line-end hyphen is kept as [`BREAK`] so that the fragments of a
/// broken word (`limi`, `tation`) never count as words of their own.
pub struct Vocabulary {
    text: String,
}

const BREAK: char = '\u{1}';

impl Vocabulary {
    pub fn of(lines: &[Line<'_>]) -> Vocabulary {
        let mut text = String::new();
        for line in lines {
            let lower = line.trimmed().to_lowercase();
            match lower.strip_suffix('-') {
                Some(head) if head.ends_with(char::is_alphanumeric) => {
                    text.push_str(head);
                    text.push(BREAK);
                }
                _ => {
                    text.push_str(&lower);
                    text.push('\n');
                }
            }
        }
        Vocabulary { text }
    }

    /// Whether `word` (lower-case) occurs whole somewhere in the document.
    pub fn contains(&self, word: &str) -> bool {
        let is_boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != BREAK);
        !word.is_empty()
            && self.text.match_indices(word).any(|(at, _)| {
                is_boundary(self.text[..at].chars().next_back())
                    && is_boundary(self.text[at + word.len()..].chars().next())
            })
    }
}

/// Runs of whitespace become one space; leading and trailing whitespace goes.
pub fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_collapsed(&mut out, text.trim());
    out
}

/// Title case for a headline typed in capitals. Words the release itself writes with inner
/// capitals or as acronyms keep that form (`HemaCare`, `CFO`); short function words are lower-
/// case except at the start and end.
pub fn title_case(headline: &str, prose: &str) -> String {
    let written_forms = words_with_inner_capitals(prose);
    let words: Vec<&str> = headline.split_whitespace().collect();
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(index, word)| {
            word.split('-')
                .map(|part| title_case_word(part, index == 0 || index == last, &written_forms))
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn title_case_word(word: &str, at_edge: bool, written_forms: &[&str]) -> String {
    let core = word.trim_matches(|c: char| !c.is_alphanumeric());
    if core.is_empty() {
        return word.to_string();
    }
    // `TurboSonic` over `TURBOSONIC`: a long word in capitals is the text shouting, not an
    // acronym, unless the text never writes it otherwise.
    let same = |form: &&&str| form.eq_ignore_ascii_case(core);
    let mixed = written_forms
        .iter()
        .filter(same)
        .find(|form| form.chars().any(char::is_lowercase));
    let capitals = written_forms
        .iter()
        .filter(same)
        .find(|form| form.chars().filter(|c| c.is_alphabetic()).count() <= 5);
    if let Some(form) = mixed.or(capitals) {
        return word.replacen(core, form, 1);
    }
    if let Some(acronym) = ACRONYMS
        .iter()
        .find(|acronym| acronym.eq_ignore_ascii_case(core))
    {
        return word.replacen(core, acronym, 1);
    }
    // `D.R. HORTON`, `U.S.A.`: initials run together stay capitals.
    let initials = core.len() >= 3
        && core
            .split('.')
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic));
    if initials {
        return word.to_uppercase();
    }
    let lower = core.to_lowercase();
    // `DEAN A. FOATE`: a letter and a full stop is an initial, not the article.
    let initial = core.len() == 1 && word.ends_with('.');
    let cased = if !at_edge && !initial && SMALL_WORDS.contains(&lower.as_str()) {
        lower
    } else {
        capitalise_parts(&lower)
    };
    word.replacen(core, &cased, 1)
}

/// `o’charley’s` → `O’Charley’s`, `mclean` → `McLean`, `03/share` → `03/Share`, `21st` →
/// `21st`: the first character, and the one after a slash, an Irish `O’` or a Scottish `Mc`.
fn capitalise_parts(lower: &str) -> String {
    let mut cased = String::with_capacity(lower.len());
    let mut up = true;
    let mut previous = None;
    for (at, c) in lower.char_indices() {
        if up {
            cased.extend(c.to_uppercase());
        } else {
            cased.push(c);
        }
        up = false;
        let irish = at == 1 && previous == Some('o') && matches!(c, '\'' | '\u{2019}');
        let scottish = at == 1 && previous == Some('m') && c == 'c' && lower.len() >= 5;
        if c == '/' || irish || scottish {
            up = true;
        }
        previous = Some(c);
    }
    cased
}

/// Abbreviations every business headline writes in capitals, when the release itself gives no
/// other spelling.
const ACRONYMS: &[&str] = &[
    "GAAP", "CEO", "CFO", "COO", "CTO", "CIO", "EPS", "IPO", "FDA", "SEC", "NYSE", "LLC", "USA",
    "EBITDA", "EBITA", "ADR", "ETF", "REIT", "PLC", "Q1", "Q2", "Q3", "Q4", "FY", "II", "III",
    "IV", "NV", "LP", "LLP", "ESG", "R&D", "M&A", "CAO", "CCO", "CMO", "CSO", "CHRO", "EVP", "SVP",
];

const SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in", "of",
    "on", "to", "via", "vs", "with",
];

/// `HemaCare`, `CFO`, `U.S`: words with a capital letter right after another letter. Found from
/// the letter pairs, which is much quicker than looking at every word of a long text.
fn words_with_inner_capitals(prose: &str) -> Vec<&str> {
    let bytes = prose.as_bytes();
    let is_word_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'.';
    let mut words: Vec<&str> = Vec::new();
    let mut at = 1;
    while at < bytes.len() {
        if bytes[at].is_ascii_uppercase() && bytes[at - 1].is_ascii_alphabetic() {
            let start = bytes[..at]
                .iter()
                .rposition(|&b| !is_word_byte(b))
                .map_or(0, |p| p + 1);
            let end = bytes[at..]
                .iter()
                .position(|&b| !is_word_byte(b))
                .map_or(bytes.len(), |p| at + p);
            let word = prose[start..end].trim_matches('.');
            if !words.contains(&word) && !is_shouted_run(prose, start, end) {
                words.push(word);
            }
            at = end;
        }
        at += 1;
    }
    words
}

/// Whether the word at `start..end` is in capitals among words in capitals (`NORTH FORK
/// BANCORPORATION, INC.`): the text shouting, which says nothing of how the word is spelled.
fn is_shouted_run(prose: &str, start: usize, end: usize) -> bool {
    // A plain word in capitals; `(NYSE:` beside `IBM` is a listing, not shouting.
    let shouted = |word: &str| {
        let word = word.trim_end_matches([',', '.']);
        word.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && word
                .chars()
                .all(|c| c.is_uppercase() || c == '.' || c == '&' || c == '-')
    };
    let previous = prose[..start].split_whitespace().next_back().unwrap_or("");
    let next = prose[end..].split_whitespace().next().unwrap_or("");
    shouted(&prose[start..end]) && (shouted(previous) || shouted(next))
}

/// Escapes what Markdown would otherwise read as markup in a paragraph of plain prose.
pub fn markdown_escape(text: &str) -> String {
    // The markup characters are ASCII: a byte scan, not a search for any of nine chars.
    let has_markup = text.bytes().any(|b| INLINE_MARKUP.contains(&char::from(b)));
    if !has_markup && !BLOCK_START.is_match(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if INLINE_MARKUP.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    // A paragraph that starts like a heading, list item or numbered list is still a paragraph.
    if let Some(found) = BLOCK_START.find(&out) {
        let end = found.end();
        let marker = out[..end].to_string();
        let escaped = if marker
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ')')
        {
            format!("{}\\{}", &marker[..end - 1], &marker[end - 1..])
        } else {
            format!("\\{marker}")
        };
        out.replace_range(..end, &escaped);
    }
    out
}

const INLINE_MARKUP: &[char] = &['\\', '*', '_', '`', '[', ']', '<', '>', '|'];

static BLOCK_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:#|[-+=]|\d+[.)])").unwrap());

#[cfg(test)]
mod tests {
    use super::*;

    fn reflow_text(text: &str) -> String {
        let lines = lines(text, 1);
        let pieces: Vec<String> = lines
            .iter()
            .map(|line| collapse_spaces(line.text))
            .collect();
        reflow(
            pieces.iter().map(String::as_str),
            &Box::new(Vocabulary::of(&lines)),
        )
    }

    #[test]
    fn collapsing_gives_the_words_split_whitespace_gives() {
        let pieces = [
            " ",
            "\t",
            "\n",
            "  ",
            "a",
            "bc",
            "d-e",
            "\u{a0}",
            "\r\n",
            ".",
            "x\u{2014}",
        ];
        // Every sequence of up to four pieces, ASCII and not.
        let mut cases = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = cases
                .iter()
                .flat_map(|case| pieces.iter().map(move |piece| format!("{case}{piece}")))
                .collect();
            cases.extend(longer);
            cases.dedup();
        }
        for case in &cases {
            let mut out = String::new();
            push_collapsed(&mut out, case);
            let words: Vec<&str> = case.split_whitespace().collect();
            assert_eq!(out, words.join(" "), "{case:?}");
        }
    }

    #[test]
    fn furniture_is_recognised() {
        for text in [
            "EXHIBIT 99.1",
            "[LOGO]",
            "LOGO",
            "N E W S   R E L E A S E",
            "- more -",
            "<PAGE>",
            "  2",
            "###",
            "(Financial Table Follows)",
            "_______",
            "- more -    3",
        ] {
            assert!(is_furniture(text), "{text:?}");
        }
        for text in ["HemaCare Corporation", "2003", "Net loss", "- Net of tax"] {
            assert!(!is_furniture(text), "{text:?}");
        }
    }

    #[test]
    fn reflow_rejoins_words_and_single_spaces() {
        assert_eq!(
            reflow_text("include, without limi-\ntation, the risks.  And  more"),
            "include, without limitation, the risks. And more"
        );
        assert_eq!(
            reflow_text("and a $3,160,000 write-\ndown in the Company's"),
            "and a $3,160,000 write-down in the Company's"
        );
        assert_eq!(
            reflow_text("replayed by calling 800-642-\n1687, ID number"),
            "replayed by calling 800-642-1687, ID number"
        );
        assert_eq!(
            reflow_text("solutions to the blood-\nrelated needs"),
            "solutions to the blood-related needs"
        );
    }

    #[test]
    fn headlines_are_title_cased() {
        let prose = "HemaCare Corporation announced that the CFO ...";
        assert_eq!(
            title_case(
                "HEMACARE CORPORATION SETS DATE FOR ITS 2004 ANNUAL SHAREHOLDERS MEETING",
                prose
            ),
            "HemaCare Corporation Sets Date for Its 2004 Annual Shareholders Meeting"
        );
        assert_eq!(
            title_case("MARCARIO JOINS HEMACARE AS CHIEF FINANCIAL OFFICER", prose),
            "Marcario Joins HemaCare as Chief Financial Officer"
        );
        assert_eq!(title_case("NEW CFO NAMED", prose), "New CFO Named");
    }

    #[test]
    fn markdown_specials_are_escaped() {
        assert_eq!(markdown_escape("a *b* <c>"), "a \\*b\\* \\<c\\>");
        assert_eq!(markdown_escape("1. first"), "1\\. first");
        assert_eq!(markdown_escape("- item"), "\\- item");
        assert_eq!(markdown_escape("# not a heading"), "\\# not a heading");
    }
}
