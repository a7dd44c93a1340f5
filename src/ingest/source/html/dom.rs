//! The parsed page: html5ever's tree builder filling a flat arena, with the source line of every
//! node.
//!
//! The tree builder (not a hand-written tag matcher) decides where an unclosed `<td>` or `<p>`
//! ends and how misnested tags are repaired, exactly as a browser would, so both the reader and
//! the sanitizer see the document the user sees. Nodes live in one `Vec` and link to each other
//! by index, so building and walking the tree needs no recursion and no reference counting, and
//! its memory is proportional to the input.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use html5ever::buffer_queue::BufferQueue;
use html5ever::interface::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::{Attribute, QualName, TokenizerResult};

/// Index of a node in [`Dom::nodes`].
pub type Id = usize;

/// "No node", for the links of a [`Node`].
pub const NONE: Id = usize::MAX;

/// The document node is always the first.
pub const ROOT: Id = 0;

/// Elements nested deeper than this are parsed as if they were not (their start tags are
/// skipped), as browsers do (Chromium's limit is 512). The tree builder checks scope by walking
/// the stack of open elements, so without a limit a page of 100,000 nested `<div>`s would take
/// time quadratic in its length.
pub const MAX_DEPTH: usize = 512;

#[derive(Debug)]
pub enum Data {
    Document,
    Doctype(StrTendril),
    Text(StrTendril),
    Comment,
    Element(Element),
}

#[derive(Debug)]
pub struct Element {
    pub name: QualName,
    pub attrs: Vec<Attribute>,
}

impl Element {
    /// The local name, lower case for HTML elements (`td`, `ix:nonfraction`).
    pub fn tag(&self) -> &str {
        &self.name.local
    }

    /// The value of the attribute called `name` (lower case), if present.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| &*a.value)
    }
}

#[derive(Debug)]
pub struct Node {
    pub parent: Id,
    pub first_child: Id,
    pub last_child: Id,
    pub prev: Id,
    pub next: Id,
    /// The line (1-based, of the parsed text) the node starts on: for a text node the line of its
    /// first character, for an element the line its start tag ends on.
    pub line: usize,
    /// How deep in the tree the node was put (the document is 0).
    depth: u32,
    pub data: Data,
}

/// A parsed document.
#[derive(Debug)]
pub struct Dom {
    pub nodes: Vec<Node>,
    /// The parsed line where nesting first went past [`MAX_DEPTH`], if it did.
    pub flattened: Option<usize>,
}

impl Dom {
    /// Parses `html` as a whole document. Never fails: the HTML parsing algorithm gives every
    /// input a tree.
    pub fn parse(html: &str) -> Dom {
        let sink = Sink {
            nodes: RefCell::new(vec![Node::new(Data::Document, 1)]),
            line: Cell::new(1),
            open: Cell::new(0),
            flattened: Cell::new(None),
        };
        let guard = Guard(TreeBuilder::new(sink, TreeBuilderOpts::default()));
        let tokenizer = Tokenizer::new(guard, TokenizerOpts::default());
        let queue = BufferQueue::default();
        // Fed in pieces: a tendril holds at most 4 GB, and pieces keep the copy small.
        for piece in pieces(html, 1 << 20) {
            queue.push_back(StrTendril::from_slice(piece));
            // Feeding pauses after a `</script>` and after a `<meta charset>`; the text is
            // already decoded, so both are only resumed from.
            while !matches!(tokenizer.feed(&queue), TokenizerResult::Done) {}
        }
        tokenizer.end();
        let sink = tokenizer.sink.0.sink;
        Dom {
            nodes: sink.nodes.into_inner(),
            flattened: sink.flattened.get(),
        }
    }

    pub fn node(&self, id: Id) -> Option<&Node> {
        self.nodes.get(id)
    }

    pub fn element(&self, id: Id) -> Option<&Element> {
        match &self.nodes.get(id)?.data {
            Data::Element(element) => Some(element),
            _ => None,
        }
    }
}

/// `text` cut into pieces of about `size` bytes, on character boundaries.
fn pieces(text: &str, size: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = size.min(rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(piece)
    })
}

impl Node {
    fn new(data: Data, line: usize) -> Node {
        Node {
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            prev: NONE,
            next: NONE,
            line,
            depth: 0,
            data,
        }
    }
}

/// The tree builder's sink. html5ever calls it through `&self`, hence the cells.
struct Sink {
    nodes: RefCell<Vec<Node>>,
    /// The tokenizer's line when the current token was emitted.
    line: Cell<usize>,
    /// About how many elements are open: the depth of the node content goes into.
    open: Cell<usize>,
    flattened: Cell<Option<usize>>,
}

/// Passes the tokenizer's tokens to the tree builder, skipping start tags nested deeper than
/// [`MAX_DEPTH`]. Raw-text elements are always passed on: their start tag switches the tokenizer
/// into reading a script or a style sheet as text, and skipping it would turn code into prose.
struct Guard(TreeBuilder<Id, Sink>);

impl TokenSink for Guard {
    type Handle = Id;

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<Id> {
        if let Token::TagToken(tag) = &token
            && tag.kind == TagKind::StartTag
            && self.0.sink.open.get() >= MAX_DEPTH
            && !matches!(
                &*tag.name,
                "script"
                    | "style"
                    | "title"
                    | "textarea"
                    | "xmp"
                    | "iframe"
                    | "noembed"
                    | "noframes"
                    | "noscript"
                    | "plaintext"
                    | "html"
                    | "body"
                    | "head"
            )
        {
            let sink = &self.0.sink;
            if sink.flattened.get().is_none() {
                sink.flattened
                    .set(Some(usize::try_from(line).unwrap_or(usize::MAX)));
            }
            return TokenSinkResult::Continue;
        }
        self.0.process_token(token, line)
    }

    fn end(&self) {
        self.0.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.0
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

impl Sink {
    fn push(&self, data: Data) -> Id {
        let mut nodes = self.nodes.borrow_mut();
        let line = match &data {
            // A run of text is emitted after its last character: count back to its first.
            Data::Text(text) => self.line.get().saturating_sub(newlines(text)).max(1),
            _ => self.line.get(),
        };
        nodes.push(Node::new(data, line));
        nodes.len() - 1
    }

    /// Appends text to the text node `previous` when there is one, else makes a new node.
    fn text_or_node(&self, previous: Id, child: NodeOrText<Id>) -> Option<Id> {
        match child {
            NodeOrText::AppendNode(id) => Some(id),
            NodeOrText::AppendText(text) => {
                let mut nodes = self.nodes.borrow_mut();
                if let Some(Node {
                    data: Data::Text(existing),
                    ..
                }) = nodes.get_mut(previous)
                {
                    existing.push_tendril(&text);
                    return None;
                }
                drop(nodes);
                Some(self.push(Data::Text(text)))
            }
        }
    }
}

impl Sink {
    /// Content just went into `parent`: it, and an element just put in it, are open.
    fn note_open(&self, parent: Id) {
        let nodes = self.nodes.borrow();
        let Some(node) = nodes.get(parent) else {
            return;
        };
        let last = nodes.get(node.last_child);
        let depth = match last {
            Some(Node {
                data: Data::Element(_),
                depth,
                ..
            }) => *depth,
            _ => node.depth,
        };
        self.open.set(depth as usize);
    }
}

fn newlines(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count()
}

/// Link operations on the arena. Out-of-range ids (which the tree builder never passes) are
/// ignored rather than trusted.
fn detach(nodes: &mut [Node], id: Id) {
    let Some(node) = nodes.get(id) else { return };
    let (parent, prev, next) = (node.parent, node.prev, node.next);
    if let Some(n) = nodes.get_mut(prev) {
        n.next = next;
    } else if let Some(p) = nodes.get_mut(parent) {
        p.first_child = next;
    }
    if let Some(n) = nodes.get_mut(next) {
        n.prev = prev;
    } else if let Some(p) = nodes.get_mut(parent) {
        p.last_child = prev;
    }
    if let Some(node) = nodes.get_mut(id) {
        node.parent = NONE;
        node.prev = NONE;
        node.next = NONE;
    }
}

fn append_child(nodes: &mut [Node], parent: Id, child: Id) {
    if parent >= nodes.len() || child >= nodes.len() || parent == child {
        return;
    }
    detach(nodes, child);
    let last = nodes[parent].last_child;
    if let Some(l) = nodes.get_mut(last) {
        l.next = child;
    } else {
        nodes[parent].first_child = child;
    }
    nodes[parent].last_child = child;
    nodes[child].parent = parent;
    nodes[child].prev = last;
    nodes[child].depth = nodes[parent].depth.saturating_add(1);
}

fn insert_before(nodes: &mut [Node], sibling: Id, child: Id) {
    if sibling >= nodes.len() || child >= nodes.len() || sibling == child {
        return;
    }
    detach(nodes, child);
    let parent = nodes[sibling].parent;
    let prev = nodes[sibling].prev;
    if let Some(p) = nodes.get_mut(prev) {
        p.next = child;
    } else if let Some(p) = nodes.get_mut(parent) {
        p.first_child = child;
    }
    nodes[sibling].prev = child;
    nodes[child].parent = parent;
    nodes[child].prev = prev;
    nodes[child].next = sibling;
    nodes[child].depth = nodes.get(parent).map_or(1, |p| p.depth.saturating_add(1));
}

impl TreeSink for Sink {
    type Handle = Id;
    type Output = Dom;
    type ElemName<'a>
        = ElemName
    where
        Self: 'a;

    fn finish(self) -> Dom {
        Dom {
            nodes: self.nodes.into_inner(),
            flattened: self.flattened.get(),
        }
    }

    fn parse_error(&self, _: Cow<'static, str>) {}

    fn get_document(&self) -> Id {
        ROOT
    }

    fn set_current_line(&self, line: u64) {
        self.line.set(usize::try_from(line).unwrap_or(usize::MAX));
    }

    fn elem_name<'a>(&'a self, target: &'a Id) -> ElemName {
        match self.nodes.borrow().get(*target).map(|n| &n.data) {
            Some(Data::Element(e)) => ElemName(e.name.clone()),
            _ => ElemName(QualName::new(
                None,
                html5ever::ns!(),
                html5ever::local_name!(""),
            )),
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> Id {
        self.push(Data::Element(Element { name, attrs }))
    }

    fn create_comment(&self, _: StrTendril) -> Id {
        self.push(Data::Comment)
    }

    fn create_pi(&self, _: StrTendril, _: StrTendril) -> Id {
        self.push(Data::Comment)
    }

    fn append(&self, parent: &Id, child: NodeOrText<Id>) {
        let last = self
            .nodes
            .borrow()
            .get(*parent)
            .map_or(NONE, |n| n.last_child);
        if let Some(id) = self.text_or_node(last, child) {
            append_child(&mut self.nodes.borrow_mut(), *parent, id);
        }
        self.note_open(*parent);
    }

    fn append_before_sibling(&self, sibling: &Id, child: NodeOrText<Id>) {
        let prev = self.nodes.borrow().get(*sibling).map_or(NONE, |n| n.prev);
        if let Some(id) = self.text_or_node(prev, child) {
            insert_before(&mut self.nodes.borrow_mut(), *sibling, id);
        }
    }

    fn pop(&self, node: &Id) {
        let depth = self
            .nodes
            .borrow()
            .get(*node)
            .map_or(1, |n| n.depth as usize);
        self.open.set(depth.saturating_sub(1));
    }

    fn append_based_on_parent_node(&self, element: &Id, prev_element: &Id, child: NodeOrText<Id>) {
        let has_parent = self
            .nodes
            .borrow()
            .get(*element)
            .is_some_and(|n| n.parent != NONE);
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, name: StrTendril, _: StrTendril, _: StrTendril) {
        let id = self.push(Data::Doctype(name));
        append_child(&mut self.nodes.borrow_mut(), ROOT, id);
    }

    /// Templates are inert: their contents stay under the element, where the reader drops them.
    fn get_template_contents(&self, target: &Id) -> Id {
        *target
    }

    fn same_node(&self, x: &Id, y: &Id) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _: QuirksMode) {}

    fn add_attrs_if_missing(&self, target: &Id, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(Node {
            data: Data::Element(element),
            ..
        }) = nodes.get_mut(*target)
        {
            for attr in attrs {
                if !element.attrs.iter().any(|a| a.name == attr.name) {
                    element.attrs.push(attr);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &Id) {
        detach(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &Id, new_parent: &Id) {
        let mut nodes = self.nodes.borrow_mut();
        let mut child = nodes.get(*node).map_or(NONE, |n| n.first_child);
        while child != NONE {
            let next = nodes.get(child).map_or(NONE, |n| n.next);
            append_child(&mut nodes, *new_parent, child);
            child = next;
        }
    }
}

/// An element's name as the tree builder asks for it (owned: the arena is behind a `RefCell`).
#[derive(Debug)]
pub struct ElemName(QualName);

impl html5ever::interface::tree_builder::ElemName for ElemName {
    fn ns(&self) -> &html5ever::Namespace {
        &self.0.ns
    }

    fn local_name(&self) -> &html5ever::LocalName {
        &self.0.local
    }
}
