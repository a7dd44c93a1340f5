//! The module graph of `src/`: which source file imports which, read from the code itself.
//!
//! Two rules keep the stages changeable one at a time (see "Architecture" in README.md):
//! - no two source files import each other, directly or through a loop of others;
//! - a module imports only its own layer and the layers below it ([`LAYERS`]): `diagnostics`
//!   imports nothing of the crate, `model` only `diagnostics`, and nothing in `model`,
//!   `diagnostics` or `ledger` imports the site, the PDFs, mail, serve or the command line.
//!
//! A reference is any `use` of, or path through, `crate::…`, `super::…`, `self::…`, or a child
//! module the file declares; it is attributed to the longest module path that names a file.
//! Test modules (`#[cfg(test)] mod tests { … }` and `tests.rs` files) are left out: a test may
//! look at its module from any side.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Module path (`["site", "pages"]`) of every source file under `src/`, by file.
fn modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut found = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).unwrap();
            let mut segments: Vec<String> = relative
                .with_extension("")
                .iter()
                .map(|s| s.to_string_lossy().into_owned())
                .collect();
            let last = segments.last().unwrap().clone();
            if last == "tests" {
                continue;
            }
            if last == "mod" || (segments.len() == 1 && (last == "lib" || last == "main")) {
                segments.pop();
            }
            if segments.is_empty() && last == "main" {
                // The binary's entry point is its own crate that calls the library.
                continue;
            }
            found.insert(segments, path);
        }
    }
    found
}

/// The code of a file without comments, string contents and `#[cfg(test)]` modules.
fn code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let rest: String = bytes[i..bytes.len().min(i + 24)].iter().collect();
        if rest.starts_with("//") {
            while i < bytes.len() && bytes[i] != '\n' {
                i += 1;
            }
        } else if rest.starts_with("/*") {
            i += 2;
            while i + 1 < bytes.len() && !(bytes[i] == '*' && bytes[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if bytes[i] == '"' {
            i += 1;
            while i < bytes.len() && bytes[i] != '"' {
                if bytes[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let hashes = rest[1..].chars().take_while(|&c| c == '#').count();
            let close: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            i += 2 + hashes;
            while i < bytes.len() {
                let here: String = bytes[i..bytes.len().min(i + close.len())].iter().collect();
                if here == close {
                    i += close.len();
                    break;
                }
                i += 1;
            }
            out.push_str("\"\"");
        } else if bytes[i] == '\''
            && i + 2 < bytes.len()
            && (bytes[i + 2] == '\'' || bytes[i + 1] == '\\')
        {
            // A char literal ('"', '\n'); lifetimes ('a) are left alone.
            i += 1;
            while i < bytes.len() && bytes[i] != '\'' {
                if bytes[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    strip_test_modules(&out)
}

fn strip_test_modules(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let trimmed = after.trim_start();
        if !trimmed.starts_with("mod ") {
            out.push_str("#[cfg(test)]");
            rest = after;
            continue;
        }
        // Skip `mod name;` or `mod name { … }` with balanced braces.
        let start = after.len() - trimmed.len();
        let body = &after[start..];
        let semi = body.find(';').unwrap_or(usize::MAX);
        let open = body.find('{').unwrap_or(usize::MAX);
        if semi < open {
            rest = &body[semi + 1..];
            continue;
        }
        let mut depth = 0;
        let mut end = body.len();
        for (j, c) in body.char_indices().skip(open) {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &body[end..];
    }
    out.push_str(rest);
    out
}

/// Expands one use tree (`a::{b, c::{d, e}}`) into its paths.
fn expand(tree: &str) -> Vec<Vec<String>> {
    // `x as y` renames: only `x` is a path.
    let words: Vec<&str> = tree.split_whitespace().collect();
    let mut kept = Vec::new();
    let mut skip = false;
    for word in words {
        if skip {
            skip = false;
            let tail = word.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_');
            kept.push(tail);
        } else if word == "as" {
            skip = true;
        } else {
            kept.push(word);
        }
    }
    let tree: String = kept.concat();
    let mut paths = Vec::new();
    expand_into(&tree, Vec::new(), &mut paths);
    paths
}

fn expand_into(tree: &str, prefix: Vec<String>, paths: &mut Vec<Vec<String>>) {
    if let Some(open) = tree.find('{') {
        let head: Vec<String> = tree[..open]
            .split("::")
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let mut full = prefix.clone();
        full.extend(head);
        for part in split_top(inner) {
            expand_into(part, full.clone(), paths);
        }
    } else {
        let mut full = prefix;
        let at_root = full.is_empty();
        full.extend(
            tree.split("::")
                .enumerate()
                .filter(|(i, s)| !s.is_empty() && (*s != "self" || (at_root && *i == 0)))
                .map(|(_, s)| String::from(s)),
        );
        paths.push(full);
    }
}

fn split_top(inner: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

/// Every path a file's code names, as written (`crate::a::b`, `super::c`, `child::d`).
fn paths(code: &str, children: &BTreeSet<String>) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    // `use` trees, with their braces.
    let mut rest = code;
    while let Some(at) = find_word(rest, "use") {
        let after = &rest[at + 3..];
        let end = after.find(';').unwrap_or(after.len());
        found.extend(expand(&after[..end]));
        rest = &after[end..];
    }
    // Paths anywhere in the code.
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if (chars[i].is_alphabetic() || chars[i] == '_')
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'))
        {
            let mut j = i;
            let mut path = String::new();
            while j < chars.len()
                && (chars[j].is_alphanumeric()
                    || chars[j] == '_'
                    || (chars[j] == ':' && j + 1 < chars.len() && chars[j + 1] == ':'))
            {
                if chars[j] == ':' {
                    path.push_str("::");
                    j += 2;
                } else {
                    path.push(chars[j]);
                    j += 1;
                }
            }
            let segments: Vec<String> = path
                .split("::")
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            if segments.len() > 1
                && (["crate", "super", "self"].contains(&segments[0].as_str())
                    || children.contains(&segments[0]))
            {
                found.push(segments);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    found
}

fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find(word) {
        let at = from + at;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        if boundary(before) && after.is_some_and(char::is_whitespace) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// The child modules a file declares (`mod pages;`, `pub mod yaml;`).
fn declared_children(code: &str) -> BTreeSet<String> {
    let mut children = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = find_word(rest, "mod") {
        let after = rest[at + 3..].trim_start();
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if after[name.len()..].trim_start().starts_with(';') {
            children.insert(name.clone());
        }
        rest = &rest[at + 3..];
    }
    children
}

/// Which module files each module file references.
fn graph(src: &Path) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let files = modules(src);
    let mut edges = BTreeMap::new();
    for (module, path) in &files {
        let code = code(&fs::read_to_string(path).unwrap());
        let children = declared_children(&code);
        let is_mod_file = path.file_name().is_some_and(|n| n == "mod.rs")
            || (module.len() <= 1 && path.parent() == Some(src));
        let mut targets = BTreeSet::new();
        for written in paths(&code, &children) {
            let absolute = absolute(module, is_mod_file, path, src, &written);
            let Some(absolute) = absolute else { continue };
            // The longest prefix that is a module file.
            let target = (0..=absolute.len())
                .rev()
                .map(|n| absolute[..n].to_vec())
                .find(|prefix| files.contains_key(prefix));
            if let Some(target) = target
                && &target != module
                && !target.is_empty()
            {
                targets.insert(target);
            }
        }
        edges.insert(module.clone(), targets);
    }
    edges
}

/// A written path made absolute from the crate root, or `None` for an outside crate.
fn absolute(
    module: &[String],
    is_mod_file: bool,
    path: &Path,
    src: &Path,
    written: &[String],
) -> Option<Vec<String>> {
    // The module `self` names: a file `a/b.rs` is `a::b` whether or not it has children.
    let own: Vec<String> = module.to_vec();
    let _ = (is_mod_file, path, src);
    let mut base = match written.first()?.as_str() {
        "crate" => Vec::new(),
        "self" => own.clone(),
        "super" => own.clone(),
        first => {
            // A child module declared in this file.
            let mut child = own.clone();
            child.push(first.to_string());
            let mut full = child;
            full.extend(written[1..].iter().cloned());
            return Some(full);
        }
    };
    let mut rest = &written[1..];
    if written[0] == "super" {
        base.pop();
    }
    while rest.first().is_some_and(|s| s == "super") {
        base.pop();
        rest = &rest[1..];
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "crate".into()
    } else {
        module.join("::")
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_two_source_files_import_each_other_directly_or_in_a_loop() {
    let edges = graph(&src());
    // Tarjan's strongly connected components, iteratively small: the graph has ~100 nodes, so a
    // reachability closure is plenty.
    let nodes: Vec<&Vec<String>> = edges.keys().collect();
    let reach = |from: &Vec<String>| -> BTreeSet<Vec<String>> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<Vec<String>> = edges[from].iter().cloned().collect();
        while let Some(next) = stack.pop() {
            if seen.insert(next.clone())
                && let Some(more) = edges.get(&next)
            {
                stack.extend(more.iter().cloned());
            }
        }
        seen
    };
    let mut loops = BTreeSet::new();
    for node in &nodes {
        let reached = reach(node);
        for other in &edges[*node] {
            if reach(other).contains(*node) || other == *node {
                let mut pair = [name(node), name(other)];
                pair.sort();
                loops.insert(format!("{} <-> {}", pair[0], pair[1]));
            }
        }
        let _ = reached;
    }
    assert!(
        loops.is_empty(),
        "these source files import each other (directly, or the second reaches the first \
         again); move what both need into a module of its own that imports neither:\n  {}",
        loops.into_iter().collect::<Vec<_>>().join("\n  ")
    );
}

/// The layers of `src/`, lowest first: a module imports only modules of its own layer or below
/// (README.md, "Architecture").
const LAYERS: &[&[&str]] = &[
    &["diagnostics"],
    &["model"],
    &[
        "format", "config", "theme", "progress", "terminal", "logo", "urls",
    ],
    &["ledger", "ingest"],
    &["project", "pdf"],
    &["site"],
    &["mail", "serve", "init"],
    &["cli"],
];

#[test]
fn the_lower_layers_import_nothing_above_them() {
    let edges = graph(&src());
    let top = |m: &Vec<String>| m.first().cloned().unwrap_or_default();
    let layer = |name: &str| LAYERS.iter().position(|layer| layer.contains(&name));
    let mut wrong = Vec::new();
    for (module, targets) in &edges {
        let from = top(module);
        if module.is_empty() {
            // `lib.rs` declares every module.
            continue;
        }
        let Some(from_layer) = layer(&from) else {
            wrong.push(format!("{} is in no layer of LAYERS", name(module)));
            continue;
        };
        for target in targets {
            let to = top(target);
            match layer(&to) {
                Some(to_layer) if to_layer <= from_layer => {}
                _ => wrong.push(format!("{} imports {}", name(module), name(target))),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "a lower layer imports a higher one (or a module is in no layer):\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn the_reader_sees_imports_through_braces_super_and_child_modules() {
    // The graph reader itself, on a made-up file: a test that cannot fail would prove nothing.
    let text = "use super::{a::B, c};\nmod kid;\nfn f() { kid::go(); crate::x::y(); }\n\
                // use crate::commented;\n#[cfg(test)]\nmod tests { use crate::only_tests; }\n";
    let code = code(text);
    let children = declared_children(&code);
    let mut found: Vec<String> = paths(&code, &children)
        .iter()
        .map(|p| p.join("::"))
        .collect();
    found.sort();
    found.dedup();
    assert_eq!(found, ["crate::x::y", "kid::go", "super::a::B", "super::c"]);
}
