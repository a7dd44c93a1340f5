//! The HTML front end, quirk by quirk: each test is a small piece of filing-agent HTML and the
//! exact blocks it must read as.

use super::*;
use crate::ingest::doc::{Cell, Grid, GridRow};

fn blocks(html: &str) -> Vec<Block> {
    read(html, 1).blocks
}

/// The text of every text block, in order.
fn texts(html: &str) -> Vec<String> {
    blocks(html)
        .iter()
        .filter_map(Block::as_text)
        .map(|t| t.text.clone())
        .collect()
}

fn only_text(html: &str) -> Text {
    let blocks = blocks(html);
    assert_eq!(blocks.len(), 1, "{blocks:#?}");
    blocks[0].as_text().cloned().expect("a text block")
}

fn grids(html: &str) -> Vec<Grid> {
    blocks(html)
        .into_iter()
        .filter_map(|b| match b {
            Block::Table(g) => Some(g),
            Block::Text(_) => None,
        })
        .collect()
}

/// The cells of a grid's rows as text, spans written `text<span>`.
fn cells(grid: &Grid) -> Vec<Vec<String>> {
    grid.rows
        .iter()
        .map(|row| {
            row.cells
                .iter()
                .map(|c| {
                    if c.span > 1 {
                        format!("{}<{}>", c.text, c.span)
                    } else {
                        c.text.clone()
                    }
                })
                .collect()
        })
        .collect()
}

#[test]
fn paragraphs_are_blocks_with_white_space_collapsed() {
    let html = "<html><body><p>  Revenue   grew\n  strongly.</p><div>Second&nbsp;&nbsp;one</div></body></html>";
    assert_eq!(texts(html), ["Revenue grew strongly.", "Second one"]);
}

#[test]
fn br_breaks_lines_and_text_joins_them_with_a_space() {
    let text = only_text("<p>Investor Relations<br>Jane Doe<br/><br>(408) 555-1234</p>");
    let lines: Vec<&str> = text.lines.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(lines, ["Investor Relations", "Jane Doe", "(408) 555-1234"]);
    assert_eq!(text.text, "Investor Relations Jane Doe (408) 555-1234");
}

#[test]
fn lines_are_lines_of_the_raw_file() {
    let html = "<html>\n<body>\n<p>First</p>\n\n<p>Second<br>\nthird</p>";
    let reading = read(html, 100);
    let lines: Vec<Vec<usize>> = reading
        .blocks
        .iter()
        .filter_map(Block::as_text)
        .map(|t| t.lines.iter().map(|(l, _)| *l).collect())
        .collect();
    assert_eq!(lines, [vec![102], vec![104, 105]]);
    assert_eq!(reading.blocks[1].line(), 104);
}

#[test]
fn preformatted_text_keeps_its_lines_and_blank_lines_end_blocks() {
    let html = "<pre>\nEXHIBIT 99.1\n\n   ACME REPORTS\n   RECORD <b>YEAR</b>\n\n\nRevenue   rose.\n</pre><p>After</p>";
    let reading = read(html, 1);
    let lines: Vec<Vec<(usize, String)>> = reading
        .blocks
        .iter()
        .filter_map(Block::as_text)
        .map(|t| t.lines.clone())
        .collect();
    let expected: Vec<Vec<(usize, &str)>> = vec![
        vec![(2, "EXHIBIT 99.1")],
        vec![(4, "ACME REPORTS"), (5, "RECORD YEAR")],
        vec![(8, "Revenue rose.")],
        vec![(9, "After")],
    ];
    let expected: Vec<Vec<(usize, String)>> = expected
        .into_iter()
        .map(|b| b.into_iter().map(|(l, t)| (l, t.to_string())).collect())
        .collect();
    assert_eq!(lines, expected);
}

#[test]
fn windows_1252_references_read_as_the_characters_they_meant() {
    assert_eq!(
        texts("<p>Company&#146;s results &#151; up &#147;strongly&#148; &#149; &#150; x</p>"),
        ["Company\u{2019}s results \u{2014} up \u{201c}strongly\u{201d} \u{2022} \u{2013} x"]
    );
}

#[test]
fn smart_quotes_and_named_entities_stay_unicode() {
    assert_eq!(
        texts("<p>&ldquo;We&rsquo;re pleased,&rdquo; said Jane &amp; John. “Yes.”</p>"),
        ["\u{201c}We\u{2019}re pleased,\u{201d} said Jane & John. \u{201c}Yes.\u{201d}"]
    );
}

#[test]
fn words_from_separate_inline_elements_keep_one_space() {
    assert_eq!(
        texts("<p><font>May 1,</font> <font>2021</font> and <span>May 1,2021</span></p>"),
        ["May 1, 2021 and May 1,2021"]
    );
}

#[test]
fn bold_throughout_is_a_heading_bold_in_part_is_not() {
    let html = "<p><b>About Acme</b></p><p><strong>Net</strong> sales rose.</p>\
                <p><font style=\"font-weight:700\">Contacts:</font></p>\
                <p style=\"font-weight:bold\">Outlook</p><h3>Risks</h3>";
    let headings: Vec<(String, bool)> = blocks(html)
        .iter()
        .filter_map(Block::as_text)
        .map(|t| (t.text.clone(), t.heading))
        .collect();
    assert_eq!(
        headings,
        [
            ("About Acme".to_string(), true),
            ("Net sales rose.".to_string(), false),
            ("Contacts:".to_string(), true),
            ("Outlook".to_string(), true),
            ("Risks".to_string(), true),
        ]
    );
}

#[test]
fn centred_capitals_are_a_heading_centred_prose_is_only_centred() {
    let html = "<p align=center>ACME REPORTS RECORD QUARTER</p>\
                <div style=\"text-align:center\">(Unaudited)</div>\
                <center>Second line</center>";
    let flags: Vec<(bool, bool)> = blocks(html)
        .iter()
        .filter_map(Block::as_text)
        .map(|t| (t.heading, t.centred))
        .collect();
    assert_eq!(flags, [(true, true), (false, true), (false, true)]);
}

#[test]
fn short_text_larger_than_the_body_is_a_heading() {
    let html = "<p><font size=4>2006 Southern Company earnings bolstered by</font></p>\
                <p><font size=2>ATLANTA \u{2013} Citing continued economic strength, Southern \
                Company today reported full-year 2006 earnings.</font></p>\
                <p style=\"font-size:10pt\">Second paragraph of the body text, in ten points.</p>\
                <p style=\"font-size:8pt\">A footnote.</p>";
    let headings: Vec<bool> = blocks(html)
        .iter()
        .filter_map(Block::as_text)
        .map(|t| t.heading)
        .collect();
    assert_eq!(headings, [true, false, false, false]);
}

#[test]
fn italic_throughout_is_marked() {
    let html =
        "<p><i>A subtitle</i></p><p style=\"font-style:italic\">Note</p><p><em>Part</em> not</p>";
    let italic: Vec<bool> = blocks(html)
        .iter()
        .filter_map(Block::as_text)
        .map(|t| t.italic)
        .collect();
    assert_eq!(italic, [true, true, false]);
}

#[test]
fn scripts_styles_head_comments_and_hidden_text_are_dropped() {
    let html = "<html><head><title>Title</title><style>p{}</style></head><body>\
                <script>var x = '<p>no</p>';</script><!-- a comment -->\
                <noscript><img src=\"https://example.com/pixel.gif\"></noscript>\
                <p>Kept</p><div style=\"display: none\">Hidden</div><p hidden>Also hidden</p>\
                <span style=\"visibility:hidden\">Invisible</span>\
                <img src=\"pixel.gif\" width=\"1\" height=\"1\" alt=\"Tracker Co\"></body></html>";
    assert_eq!(texts(html), ["Kept"]);
}

#[test]
fn alnylam_style_bot_script_and_noscript_pixel_are_dropped() {
    let html = "<html><head><script type=\"text/javascript\" src=\"/akam/13/6f1a\" defer></script>\
                </head><body><noscript><img src=\"https://www.sec.gov/akam/13/pixel_6f1a?a=b\" \
                style=\"visibility: hidden; position: absolute; left: -999px; top: -999px;\" /></noscript>\
                <p>Alnylam Announces Partnership</p></body></html>";
    assert_eq!(texts(html), ["Alnylam Announces Partnership"]);
}

#[test]
fn a_lone_logo_yields_its_alt_text_unless_it_is_generic() {
    assert_eq!(
        texts("<p><img src=\"logo.jpg\" alt=\"Acme Corporation\"></p><p>Text</p>"),
        ["Acme Corporation", "Text"]
    );
    assert_eq!(
        texts("<p><img src=\"g1.jpg\" alt=\"LOGO\"></p><p><img src=a.jpg alt=\"\"></p><p>Text</p>"),
        ["Text"]
    );
    assert_eq!(
        texts("<p><img src=\"g1.jpg\" alt=\"Chart\"> Figures rose</p>"),
        ["Figures rose"]
    );
}

#[test]
fn inline_xbrl_reads_as_its_text_and_its_header_is_dropped() {
    let html = "<html><body><div style=\"display:none\"><ix:header><ix:hidden>dei</ix:hidden>\
                </ix:header></div><ix:header>Header facts</ix:header>\
                <p>Revenue was $<ix:nonFraction name=\"us-gaap:Revenues\" scale=\"6\" \
                format=\"ixt:num-dot-decimal\">1,234</ix:nonFraction> million.</p></body></html>";
    assert_eq!(texts(html), ["Revenue was $1,234 million."]);
}

#[test]
fn hr_marks_the_next_block_after_a_page_break() {
    let breaks: Vec<bool> = blocks("<p>One.</p><hr><p>Two.</p><p>Three.</p>")
        .iter()
        .filter_map(Block::as_text)
        .map(|t| t.after_page_break)
        .collect();
    assert_eq!(breaks, [false, true, false]);
}

#[test]
fn page_break_styles_mark_the_next_block() {
    let html = "<p style=\"page-break-after:always\">One.</p><p>Two.</p>\
                <p style=\"page-break-before: always\">Three.</p>\
                <div style=\"break-before:page\">Four.</div>";
    let breaks: Vec<bool> = blocks(html)
        .iter()
        .filter_map(Block::as_text)
        .map(|t| t.after_page_break)
        .collect();
    assert_eq!(breaks, [false, true, true, true]);
}

#[test]
fn a_paragraph_cut_by_a_page_break_is_rejoined() {
    let html = "<p>Revenue for the quarter was up, driven by</p>\
                <p style=\"text-align:center\">2</p><hr style=\"page-break-after:always\">\
                <p>strong demand in all regions.</p><p>Next paragraph.</p>";
    let blocks = blocks(html);
    let text = blocks[0].as_text().expect("text");
    assert_eq!(
        text.text,
        "Revenue for the quarter was up, driven by strong demand in all regions."
    );
    assert_eq!(text.lines.len(), 2);
    assert_eq!(texts(html).len(), 2);
}

#[test]
fn a_sentence_that_ends_at_a_page_break_is_not_rejoined() {
    assert_eq!(
        texts("<p>Revenue was up.</p><hr><p>and more</p>"),
        ["Revenue was up.", "and more"]
    );
    assert_eq!(
        texts("<p><b>Outlook for the year</b></p><hr><p>growth</p>"),
        ["Outlook for the year", "growth"]
    );
}

#[test]
fn lone_page_numbers_and_more_lines_at_page_breaks_are_dropped() {
    let html = "<p>First page.</p><p align=center>- 1 -</p><hr>\
                <p>Second page.</p><p>(more)</p><p>Third page.</p><p>3</p>";
    let reading = blocks(html);
    let kept: Vec<(String, bool)> = reading
        .iter()
        .filter_map(Block::as_text)
        .map(|t| (t.text.clone(), t.after_page_break))
        .collect();
    assert_eq!(
        kept,
        [
            ("First page.".to_string(), false),
            ("Second page.".to_string(), true),
            ("Third page.".to_string(), true),
        ]
    );
}

#[test]
fn exhibit_and_end_marks_are_left_for_the_release_reader() {
    assert_eq!(
        texts("<p>Exhibit 99.1</p><p>Body.</p><p align=center>###</p>"),
        ["Exhibit 99.1", "Body.", "###"]
    );
}

#[test]
fn a_letterhead_table_reads_as_text_blocks_in_reading_order() {
    let html = "<table><tr><td><b>Contact:</b></td><td>Jane Doe<br>Acme Corp.<br>(555) 123-4567</td></tr>\
                <tr><td>For Immediate Release</td><td>NASDAQ: ACME</td></tr></table>";
    let blocks = blocks(html);
    assert!(blocks.iter().all(|b| b.as_text().is_some()), "{blocks:#?}");
    assert_eq!(
        texts(html),
        [
            "Contact:",
            "Jane Doe Acme Corp. (555) 123-4567",
            "For Immediate Release",
            "NASDAQ: ACME"
        ]
    );
    assert_eq!(blocks[1].as_text().map(|t| t.lines.len()), Some(3));
}

#[test]
fn a_bullet_table_reads_as_its_prose() {
    let html = "<table><tr><td>&#149;</td><td>Revenue of $4.4 billion, up 12%</td></tr>\
                <tr><td>•</td><td>EPS of $0.68</td></tr><tr><td>&#183;</td><td>Margin 23.7%</td></tr></table>";
    assert_eq!(
        texts(html),
        [
            "Revenue of $4.4 billion, up 12%",
            "EPS of $0.68",
            "Margin 23.7%"
        ]
    );
}

/// A statement as Workiva and Donnelley print it: a spacer column, `$` and `)` in cells of
/// their own, a period heading over its dates, and a caption row.
const STATEMENT: &str = "<table>\
    <tr><td colspan=\"7\" align=\"center\"><b>CONDENSED STATEMENTS OF OPERATIONS</b></td></tr>\
    <tr><td colspan=\"7\" align=\"center\">(In millions, except per share amounts)</td></tr>\
    <tr><td></td><td colspan=\"6\" align=\"center\"><b>Three Months Ended</b></td></tr>\
    <tr><td></td><td colspan=\"3\"><b>May&nbsp;31, 2022</b></td><td colspan=\"3\"><b>May 31,2021</b></td></tr>\
    <tr><td>Revenues</td><td>$</td><td>11,840</td><td></td><td>$</td><td>11,227</td><td></td></tr>\
    <tr><td>Other expense</td><td></td><td>(103</td><td>)</td><td></td><td>(5</td><td>)</td></tr>\
    <tr><td>&nbsp;</td><td></td><td></td><td></td><td></td><td></td><td></td></tr>\
    <tr><td><b>Net loss</b></td><td>$</td><td><b>(4,679</b></td><td>)</td><td>$</td><td>—</td><td></td></tr>\
    </table>";

#[test]
fn a_statement_table_is_a_clean_grid() {
    let grids = grids(STATEMENT);
    assert_eq!(grids.len(), 1);
    let grid = &grids[0];
    assert_eq!(
        grid.caption,
        [
            "CONDENSED STATEMENTS OF OPERATIONS",
            "(In millions, except per share amounts)"
        ]
    );
    assert_eq!(grid.width(), 3);
    assert_eq!(
        cells(grid),
        [
            vec!["", "Three Months Ended<2>"],
            vec!["", "May 31, 2022", "May 31,2021"],
            vec!["Revenues", "$11,840", "$11,227"],
            vec!["Other expense", "(103)", "(5)"],
            vec!["Net loss", "$(4,679)", "$—"],
        ]
    );
    let last = &grid.rows[4];
    assert_eq!(
        last.cells[0],
        Cell {
            text: "Net loss".into(),
            span: 1,
            bold: true
        }
    );
    assert!(grid.rows.iter().all(|r| !r.rule_above));
}

#[test]
fn percent_signs_in_cells_of_their_own_join_their_figures() {
    let html = "<table><tr><td>Growth</td><td>12</td><td>%</td><td>(2.1</td><td>)%</td></tr>\
                <tr><td>Margin</td><td>5.0</td><td>%</td><td>(0.3</td><td>)%</td></tr></table>";
    assert_eq!(
        cells(&grids(html)[0]),
        [
            vec!["Growth", "12%", "(2.1)%"],
            vec!["Margin", "5.0%", "(0.3)%"]
        ]
    );
}

#[test]
fn a_guidance_table_of_ranges_is_a_grid() {
    let html = "<table><tr><td></td><td>GAAP</td><td>Non-GAAP</td></tr>\
                <tr><td>Net Revenue</td><td>$4,850 - $4,950</td><td>$4,850 - $4,950</td></tr>\
                <tr><td>Diluted EPS</td><td>$0.73 - $0.76</td><td>$0.88 &#150; $0.91</td></tr></table>";
    assert_eq!(
        cells(&grids(html)[0]),
        [
            vec!["", "GAAP", "Non-GAAP"],
            vec!["Net Revenue", "$4,850 - $4,950", "$4,850 - $4,950"],
            vec!["Diluted EPS", "$0.73 - $0.76", "$0.88 \u{2013} $0.91"],
        ]
    );
}

#[test]
fn a_heading_over_removed_columns_shrinks_and_rows_are_padded() {
    // Column 1 is a spacer everywhere; the heading spans it and the two figure columns.
    let html = "<table><tr><td></td><td colspan=3>2023</td></tr>\
                <tr><td>Sales</td><td></td><td>1</td><td>2</td></tr>\
                <tr><td>Costs</td><td></td><td>3</td></tr>\
                <tr><td colspan=2></td><td colspan=2></td></tr></table>";
    let grid = &grids(html)[0];
    assert_eq!(grid.width(), 3);
    assert_eq!(
        cells(grid),
        [
            vec!["", "2023<2>"],
            vec!["Sales", "1", "2"],
            vec!["Costs", "3", ""]
        ]
    );
    assert!(
        grid.rows
            .iter()
            .all(|r| r.cells.iter().map(|c| c.span).sum::<usize>() == 3)
    );
}

#[test]
fn a_text_spanning_only_empty_columns_keeps_one() {
    // Workiva puts labels in cells spanning three columns that hold nothing else.
    let html = "<table><tr><td colspan=3>Sales</td><td>$</td><td>1</td></tr>\
                <tr><td colspan=3>Costs</td><td colspan=2>2</td></tr></table>";
    assert_eq!(
        cells(&grids(html)[0]),
        [vec!["Sales", "$1"], vec!["Costs", "2"]]
    );
}

#[test]
fn hidden_cells_take_no_column() {
    let html = "<table><tr><td>Sales</td><td>1</td><td style=\"display:none\">9</td><td>2</td></tr>\
                <tr><td>Costs</td><td>3</td><td colspan=3 style=\"display:none\"></td><td>4</td></tr></table>";
    assert_eq!(
        cells(&grids(html)[0]),
        [vec!["Sales", "1", "2"], vec!["Costs", "3", "4"]]
    );
}

#[test]
fn border_rules_set_rule_above() {
    let html = "<table>\
        <tr><td>Products</td><td>10</td></tr>\
        <tr><td>Services</td><td style=\"border-bottom:1pt solid #000000\">5</td></tr>\
        <tr><td>Total</td><td>15</td></tr>\
        <tr><td>Costs</td><td style=\"border-bottom: solid 0.75pt transparent\">4</td></tr>\
        <tr><td>Margin</td><td style=\"border-top:1px solid black\">11</td></tr>\
        <tr><td>Net</td><td style=\"border-bottom:3px double #000\">11</td></tr>\
        <tr><td>Shares</td><td>7</td></tr></table>";
    let rules: Vec<(String, bool)> = grids(html)[0]
        .rows
        .iter()
        .map(|r: &GridRow| (r.cells[0].text.clone(), r.rule_above))
        .collect();
    let expected = [
        ("Products", false),
        ("Services", false),
        ("Total", true),
        ("Costs", false),
        ("Margin", true),
        ("Net", false),
        ("Shares", false),
    ];
    let expected: Vec<(String, bool)> = expected.iter().map(|(t, r)| (t.to_string(), *r)).collect();
    assert_eq!(rules, expected);
}

#[test]
fn rules_under_the_column_headings_are_not_subtotal_rules() {
    let html = "<table><tr><td></td><td style=\"border-bottom:1px solid\">2023</td></tr>\
                <tr><td>Sales</td><td>1</td></tr><tr><td>Costs</td><td>2</td></tr></table>";
    assert!(grids(html)[0].rows.iter().all(|r| !r.rule_above));
}

#[test]
fn a_row_of_dashes_is_a_rule_not_a_row() {
    let html = "<table><tr><td>Sales</td><td>1</td></tr><tr><td></td><td>-----</td></tr>\
                <tr><td>Total</td><td>1</td></tr></table>";
    let grid = &grids(html)[0];
    assert_eq!(cells(grid), [vec!["Sales", "1"], vec!["Total", "1"]]);
    assert!(grid.rows[1].rule_above);
}

#[test]
fn a_table_without_figures_or_labels_is_layout() {
    // Years but no labels; labels but no figures.
    let html = "<table><tr><td>2023</td><td>2022</td></tr></table>\
                <table><tr><td>Phone</td><td>(650) 506-4073</td></tr><tr><td>Web</td><td>acme.com</td></tr></table>";
    assert!(grids(html).is_empty());
    assert_eq!(
        texts(html),
        ["2023", "2022", "Phone", "(650) 506-4073", "Web", "acme.com"]
    );
}

#[test]
fn text_above_a_table_stays_a_block_before_it() {
    let html = format!("<p align=center><b>ACME CORP.</b></p>{STATEMENT}");
    let blocks = blocks(&html);
    assert_eq!(
        blocks[0].as_text().map(|t| t.text.as_str()),
        Some("ACME CORP.")
    );
    assert!(matches!(blocks[1], Block::Table(_)));
}

#[test]
fn a_table_nested_a_thousand_deep_does_not_overflow() {
    let depth = 1000;
    let mut html = String::new();
    for _ in 0..depth {
        html.push_str("<table><tr><td>");
    }
    html.push_str("deep");
    for _ in 0..depth {
        html.push_str("</td></tr></table>");
    }
    let reading = read(&html, 1);
    assert_eq!(
        reading.blocks,
        [Block::Text(Text {
            line: 1,
            lines: vec![(1, "deep".into())],
            text: "deep".into(),
            ..Text::default()
        })]
    );
    assert_eq!(reading.warnings.len(), 1, "{:?}", reading.warnings);
    let _ = sanitize(&html);
}

#[test]
fn deep_nesting_of_any_element_stays_fast() {
    // Without the depth limit the tree builder's scope checks make this quadratic (minutes).
    let divs = format!(
        "{}Text{}",
        "<div><b><i>".repeat(20_000),
        "</i></b></div>".repeat(20_000)
    );
    let started = std::time::Instant::now();
    assert_eq!(texts(&divs), ["Text"]);
    let unclosed = "<div><span><font><table><tr><td>".repeat(5_000);
    let _ = read(&unclosed, 1);
    let _ = sanitize(&divs);
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

#[test]
fn a_table_too_wide_to_be_a_grid_is_read_as_text_with_a_warning() {
    let mut html = String::from("<table>");
    for row in 0..400 {
        html.push_str(&format!("<tr><td>Row {row}</td>"));
        for cell in 0..250 {
            html.push_str(&format!("<td>c{cell}</td>"));
        }
        html.push_str("</tr>");
    }
    html.push_str("</table>");
    let reading = read(&html, 10);
    assert!(reading.blocks.iter().all(|b| b.as_text().is_some()));
    assert_eq!(reading.blocks.len(), 400 * 251);
    assert_eq!(reading.warnings.len(), 1);
    assert_eq!(reading.warnings[0].line, 10);
    assert!(reading.warnings[0].message.ends_with('.'));
}

#[test]
fn a_hundred_thousand_cell_table_of_figures_is_one_grid() {
    let mut html = String::from("<table>");
    for row in 0..10_000 {
        html.push_str(&format!("<tr><td>Row {row}</td><td>$</td>"));
        for cell in 0..9 {
            html.push_str(&format!("<td>{cell}</td>"));
        }
        html.push_str("</tr>");
    }
    html.push_str("</table>");
    let grids = grids(&html);
    assert_eq!(grids.len(), 1);
    assert_eq!((grids[0].width(), grids[0].rows.len()), (10, 10_000));
    assert_eq!(grids[0].rows[9_999].cells[1].text, "$0");
}

#[test]
fn misnested_and_unclosed_tags_read_as_a_browser_shows_them() {
    assert_eq!(
        texts("<p><b>Bold <i>both</b> italic</i> <p>next<div>block<td>cell"),
        ["Bold both italic", "next", "blockcell"]
    );
}

#[test]
fn junk_and_random_bytes_do_not_panic() {
    let junk: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let text = String::from_utf8_lossy(&junk);
    let _ = read(&text, 1);
    let _ = sanitize(&text);
    let _ = looks_like_html(&text);
    for piece in [
        "<",
        "<table",
        "<td colspan=99999999999>",
        "&#",
        "&#x110000;",
        "<!--",
        "<![CDATA[",
    ] {
        let _ = read(piece, 1);
        let _ = sanitize(piece);
    }
}

#[test]
fn html_is_told_from_plain_text() {
    assert!(looks_like_html("<HTML>\n<BODY>"));
    assert!(looks_like_html("\n<div style=\"x\">Text</div>"));
    assert!(looks_like_html("<!DOCTYPE html><p>x"));
    assert!(looks_like_html(
        "<table border=0><tr><td>x</td></tr></table>"
    ));
    assert!(!looks_like_html("EXHIBIT 99.1\n\nACME REPORTS\n<PAGE>\n"));
    assert!(!looks_like_html(
        "<TABLE>\n<CAPTION>\n<S>          <C>\nRevenue    1,234\n</TABLE>"
    ));
    assert!(!looks_like_html("Revenue < 5 and > 3"));
}

#[test]
fn sanitize_drops_scripts_handlers_and_external_loads() {
    let html = "<html><head><base href=\"https://evil.example/\"><link rel=stylesheet href=x.css>\
        <meta http-equiv=refresh content=\"0;url=https://evil.example\"><meta charset=utf-8>\
        <script>alert(1)</script></head><body onload=\"x()\">\
        <p onclick=\"steal()\" style=\"color:red\">Text &amp; more</p>\
        <img src=\"logo.jpg\" alt=\"Acme\" onerror=\"alert(1)\">\
        <img src=\"https://tracker.example/p.gif\"><img src=\"//cdn.example/x.png\">\
        <img src=\"data:image/png;base64,AAAA\">\
        <a href=\"javascript:alert(1)\">bad</a><a href=\" JaVa\tScRiPt:alert(1)\">bad2</a>\
        <a href=\"https://www.acme.com\">site</a><a href=\"#notes\">notes</a>\
        <a href=\"mailto:ir@acme.com\">mail</a>\
        <div style=\"background:url(https://evil.example/x.png)\">bg</div>\
        <iframe src=\"https://evil.example\"></iframe><object data=x></object><embed src=y>\
        <form action=\"https://evil.example\"><input name=q><button>Go</button>Form text</form>\
        <noscript><img src=\"https://sec.gov/pixel\"></noscript></body></html>";
    let clean = sanitize(html);
    for gone in [
        "script",
        "onload",
        "onclick",
        "onerror",
        "tracker",
        "cdn.example",
        "javascript",
        "evil",
        "<base",
        "<link",
        "http-equiv",
        "iframe",
        "object",
        "embed",
        "<form",
        "<input",
        "button",
        "noscript",
        "sec.gov",
    ] {
        assert!(!clean.to_lowercase().contains(gone), "{gone} in {clean}");
    }
    for kept in [
        "<p style=\"color:red\">Text &amp; more</p>",
        "<img src=\"logo.jpg\" alt=\"Acme\">",
        "<img src=\"data:image/png;base64,AAAA\">",
        "<a>site</a>",
        "<a href=\"#notes\">notes</a>",
        "<a href=\"mailto:ir@acme.com\">mail</a>",
        "<a>bad</a>",
        "<div>bg</div>",
        "Form text",
        "<meta charset=\"utf-8\">",
    ] {
        assert!(clean.contains(kept), "{kept} not in {clean}");
    }
}

#[test]
fn a_meta_charset_does_not_stop_the_parse() {
    let html = "<head><meta charset=windows-1252><meta http-equiv=Content-Type \
                content=\"text/html; charset=iso-8859-1\"></head><p>Body</p>";
    assert_eq!(texts(html), ["Body"]);
    assert!(sanitize(html).contains("<p>Body</p>"));
}

#[test]
fn sanitize_output_is_well_formed_html() {
    let clean = sanitize("<p>One<p>Two<table><td>cell</table><b><i>x</b></i>");
    // Without a doctype the page is in quirks mode, where a table does not close a paragraph.
    assert_eq!(
        clean,
        "<html><head></head><body><p>One</p><p>Two<table><tbody><tr><td>cell</td></tr>\
         </tbody></table><b><i>x</i></b></p></body></html>"
    );
    // Re-parsing the output gives the same tree.
    assert_eq!(sanitize(&clean), clean);
}

/// The `<TEXT>` of the submission's document of type `kind`, and the raw line it starts on.
fn exhibit<'a>(raw: &'a str, kind: &str) -> Option<(&'a str, usize)> {
    let at = raw.find(&format!("<TYPE>{kind}\n"))?;
    let start = at + raw[at..].find("<TEXT>")? + "<TEXT>".len();
    let end = start + raw[start..].find("</TEXT>")?;
    Some((&raw[start..end], raw[..start].matches('\n').count() + 1))
}

/// Reads a corpus file's exhibit, or `None` (with a message) when the corpus is not there.
fn corpus(file: &str, kind: &str) -> Option<Reading> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(file);
    let Ok(bytes) = std::fs::read(&path) else {
        println!("skipped: {} is not there", path.display());
        return None;
    };
    let raw = String::from_utf8_lossy(&bytes).into_owned();
    let (text, line) = exhibit(&raw, kind).unwrap_or((&raw, 1));
    Some(read(text, line))
}

/// The grid whose caption or preceding text block names it.
fn grid_after<'a>(reading: &'a Reading, title: &str) -> Option<&'a Grid> {
    let mut seen = false;
    for block in &reading.blocks {
        match block {
            Block::Text(t) if t.text.contains(title) => seen = true,
            Block::Table(g) if seen || g.caption.iter().any(|c| c.contains(title)) => {
                return Some(g);
            }
            _ => {}
        }
    }
    None
}

#[test]
fn corpus_apple_statement_of_operations() {
    let Some(reading) = corpus(
        "apple-2024-02-01-q1-fy2024-earnings-submission.txt",
        "EX-99.1",
    ) else {
        return;
    };
    let grid = grid_after(&reading, "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS")
        .expect("the statement of operations");
    assert_eq!(grid.width(), 3);
    let products = grid
        .rows
        .iter()
        .find(|r| r.text_at(0) == "Products")
        .expect("a Products row");
    assert_eq!(
        cells(&Grid {
            rows: vec![products.clone()],
            ..Grid::default()
        }),
        [vec!["Products", "$96,458", "$96,388"]]
    );
    let total = grid
        .rows
        .iter()
        .find(|r| r.text_at(0).starts_with("Total net sales"));
    assert_eq!(
        total.map(|r| (r.text_at(1), r.rule_above)),
        Some(("119,575", true))
    );
}

#[test]
fn corpus_oracle_statement_of_operations() {
    let Some(reading) = corpus(
        "oracle-2022-06-13-q4-fy2022-earnings-submission.txt",
        "EX-99.1",
    ) else {
        return;
    };
    let grid = grid_after(&reading, "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS")
        .expect("the statement of operations");
    assert_eq!(grid.width(), 7);
    let revenue = grid
        .rows
        .iter()
        .find(|r| r.text_at(1).starts_with('$'))
        .expect("a first revenue row");
    let texts: Vec<&str> = revenue.cells.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Cloud services and license support",
            "$7,612",
            "64%",
            "$7,389",
            "66%",
            "3%",
            "7%"
        ]
    );
}

#[test]
fn corpus_alnylam_headline_is_a_heading() {
    let Some(reading) = corpus("alnylam-2023-07-24-roche-partnership.htm", "EX-99.1") else {
        return;
    };
    let headline = reading
        .blocks
        .iter()
        .filter_map(Block::as_text)
        .find(|t| {
            t.text
                .starts_with("Alnylam Announces Partnership with Roche")
        })
        .expect("the headline");
    assert!(headline.heading);
    assert!(
        reading
            .blocks
            .iter()
            .filter_map(Block::as_text)
            .all(|t| !t.text.contains("akam"))
    );
}

#[test]
fn corpus_exhibits_are_told_html_or_text_and_sanitize_drops_the_injected_script() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let read = |file: &str| {
        std::fs::read(dir.join(file))
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    };
    let Some(alnylam) = read("alnylam-2023-07-24-roche-partnership.htm") else {
        println!("skipped: {} is not there", dir.display());
        return;
    };
    let (html, _) = exhibit(&alnylam, "EX-99.1").expect("the exhibit");
    assert!(looks_like_html(html));
    let clean = sanitize(html);
    assert!(!clean.contains("<script") && !clean.contains("akam") && !clean.contains("<noscript"));
    assert!(clean.contains("Alnylam Announces Partnership with"));
    // Well-formed: parsing the output again gives the same document.
    assert_eq!(sanitize(&clean), clean);
    if let Some(raw) = read("apple-2024-02-01-q1-fy2024-earnings-submission.txt") {
        let (html, _) = exhibit(&raw, "EX-99.1").expect("the exhibit");
        let clean = sanitize(html);
        assert_eq!(sanitize(&clean), clean);
        assert!(clean.contains("CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS"));
    }
    for (file, kind, html) in [
        (
            "apple-2024-02-01-q1-fy2024-earnings-submission.txt",
            "EX-99.1",
            true,
        ),
        (
            "southern-company-2007-01-25-q4-earnings-submission.txt",
            "EX-99.02",
            false,
        ),
        (
            "cisco-1995-08-10-combinet-acquisition-ex20-submission.txt",
            "EX-20.1",
            false,
        ),
    ] {
        let Some(raw) = read(file) else { continue };
        let (text, _) = exhibit(&raw, kind).expect("the exhibit");
        assert_eq!(looks_like_html(text), html, "{file}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    #[test]
    fn random_html_never_panics(parts in proptest::collection::vec(
        proptest::prop_oneof![
            proptest::prelude::Just("<table>".to_string()),
            proptest::prelude::Just("<tr>".to_string()),
            proptest::prelude::Just("<td colspan=3>".to_string()),
            proptest::prelude::Just("</td>".to_string()),
            proptest::prelude::Just("</table>".to_string()),
            proptest::prelude::Just("<p style=\"page-break-before:always;font-weight:bold\">".to_string()),
            proptest::prelude::Just("<br>".to_string()),
            proptest::prelude::Just("<hr>".to_string()),
            proptest::prelude::Just("$".to_string()),
            proptest::prelude::Just(")".to_string()),
            proptest::prelude::Just("&#151;".to_string()),
            "[a-z0-9 ,.()%$<>/&;#=\"-]{0,12}",
        ],
        0..60,
    )) {
        let html = parts.concat();
        let _ = read(&html, 1);
        let _ = sanitize(&html);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = read(&text, 1);
        let _ = sanitize(&text);
        let _ = looks_like_html(&text);
    }
}

/// Prints the blocks of the corpus exhibits, to read them against the filings:
/// `cargo test --lib ingest::source::html::tests::print_corpus_blocks -- --ignored --nocapture`.
/// Flags: H heading, C centred, I italic, P after a page break; `‾` marks `rule_above`, `*` a
/// bold cell, `<n>` a span.
#[test]
#[ignore = "prints the corpus for reading, asserts nothing"]
fn print_corpus_blocks() {
    for (file, kind) in [
        (
            "apple-2024-02-01-q1-fy2024-earnings-submission.txt",
            "EX-99.1",
        ),
        (
            "oracle-2022-06-13-q4-fy2022-earnings-submission.txt",
            "EX-99.1",
        ),
        ("ebay-2014-10-15-q3-earnings-submission.txt", "EX-99.1"),
        ("alnylam-2023-07-24-roche-partnership.htm", "EX-99.1"),
        (
            "southern-company-2007-01-25-q4-earnings-submission.txt",
            "EX-99.01",
        ),
    ] {
        let Some(reading) = corpus(file, kind) else {
            continue;
        };
        println!("==== {file}");
        for block in &reading.blocks {
            print_block(block);
        }
        for warning in &reading.warnings {
            println!("warning: line {}: {}", warning.line, warning.message);
        }
    }
}

fn print_block(block: &Block) {
    match block {
        Block::Text(t) => {
            let flags: String = [
                (t.heading, 'H'),
                (t.centred, 'C'),
                (t.italic, 'I'),
                (t.after_page_break, 'P'),
            ]
            .iter()
            .map(|&(on, mark)| if on { mark } else { '.' })
            .collect();
            println!("{:>6} {flags} {}", t.line, t.text);
        }
        Block::Table(g) => {
            println!(
                "{:>6} TABLE width {} caption {:?}",
                g.line,
                g.width(),
                g.caption
            );
            for row in &g.rows {
                let cells: Vec<String> = row
                    .cells
                    .iter()
                    .map(|c| {
                        let bold = if c.bold { "*" } else { "" };
                        let span = if c.span > 1 {
                            format!("<{}>", c.span)
                        } else {
                            String::new()
                        };
                        format!("{bold}{}{span}", c.text)
                    })
                    .collect();
                let rule = if row.rule_above { '‾' } else { ' ' };
                println!("{:>6}  {rule} {}", row.line, cells.join(" | "));
            }
        }
    }
}
