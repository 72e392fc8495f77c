//! A YAML 1.2 reader that keeps the span of every key and value.
//!
//! Built on `granit-parser`'s event stream rather than on a serde deserializer because the
//! checks downstream need more than a typed value: the text of a scalar exactly as written
//! (`1.10`, `02142`, `NO`), both places of a duplicate key, every error of a file rather than the
//! first, and hard limits on nesting and alias expansion that fail fast instead of overflowing.

use std::collections::HashMap;

use granit_parser::{Event, Parser, ScalarStyle, StructureStyle};

use super::{FileId, Span};

/// Deepest nesting of sequences and maps accepted; far beyond any journey map or payload.
pub const MAX_DEPTH: usize = 64;
/// Most nodes that aliases may add to one file, the guard against "billion laughs" files.
pub const MAX_ALIAS_NODES: usize = 100_000;

/// A YAML node with the span of its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A scalar as written: its text after YAML escape processing, and whether it was plain
/// (unquoted), which is what decides if `true` or `12` may be read as a boolean or number.
#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    pub text: String,
    pub plain: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    /// A plain empty scalar, `~` or `null`: YAML 1.2's null.
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar(Scalar { text, plain: true })
            if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            _ if self.is_null() => "nothing",
            Value::Scalar(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a map",
        }
    }

    fn count(&self) -> usize {
        match &self.value {
            Value::Scalar(_) => 1,
            Value::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            Value::Map(entries) => 1 + entries.iter().map(|e| 1 + e.value.count()).sum::<usize>(),
        }
    }

    /// The node a JSON pointer (`/items/0/sku`) designates, if there is one.
    pub fn at_pointer(&self, pointer: &str) -> Option<&Node> {
        let mut node = self;
        for token in pointer.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            node = match &node.value {
                Value::Map(entries) => &entries.iter().find(|e| e.key == token)?.value,
                Value::Seq(items) => items.get(token.parse::<usize>().ok()?)?,
                Value::Scalar(_) => return None,
            };
        }
        Some(node)
    }

    /// Converts the node into JSON with YAML 1.2 core-schema typing of plain scalars.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Scalar(scalar) => scalar.to_json(),
            Value::Seq(items) => items.iter().map(Node::to_json).collect(),
            Value::Map(entries) => entries
                .iter()
                .map(|entry| (entry.key.clone(), entry.value.to_json()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }
}

impl Scalar {
    /// The YAML 1.2 core-schema reading: only `true`/`false` are booleans, numbers must look
    /// like numbers, everything else (including `no`, `on`, `NO`) is text.
    pub fn to_json(&self) -> serde_json::Value {
        if !self.plain {
            return self.text.clone().into();
        }
        match self.text.as_str() {
            "" | "~" | "null" | "Null" | "NULL" => serde_json::Value::Null,
            "true" | "True" | "TRUE" => true.into(),
            "false" | "False" | "FALSE" => false.into(),
            text => parse_core_number(text).unwrap_or_else(|| text.into()),
        }
    }
}

/// Parses a YAML 1.2 core-schema integer or float (decimal only; `0o`/`0x` forms are kept as
/// text, as are leading zeros like `02142`, which are identifiers in practice).
pub fn parse_core_number(text: &str) -> Option<serde_json::Value> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let leading_zero = digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
    if digits.is_empty()
        || leading_zero
        || !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
    {
        return None;
    }
    if digits.bytes().all(|b| b.is_ascii_digit())
        && let Ok(int) = text.parse::<i64>()
    {
        return Some(int.into());
    }
    let looks_float = digits
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    if looks_float && let Ok(float) = text.parse::<f64>() {
        return serde_json::Number::from_f64(float).map(Into::into);
    }
    None
}

/// What went wrong while reading a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Syntax,
    DuplicateKey,
    TabIndentation,
    Limit,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    pub span: Span,
    /// A second place that explains the first (the earlier occurrence of a duplicate key).
    pub related: Option<(Span, String)>,
    pub help: Option<String>,
}

/// The result of reading one file: the document (absent if the syntax is broken) and every
/// error found on the way.
#[derive(Debug)]
pub struct Document {
    pub root: Option<Node>,
    pub errors: Vec<Error>,
}

enum Frame {
    Seq {
        start: usize,
        /// Where the text of the last child ends: a block collection ends there, not at the
        /// next token (which the parser reports as its end).
        last_end: usize,
        block: bool,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        last_end: usize,
        block: bool,
        anchor: usize,
        entries: Vec<Entry>,
        key: Option<(String, Span)>,
        seen: HashMap<String, Span>,
        merges: Vec<Node>,
    },
}

struct Builder<'a> {
    file: FileId,
    text: &'a str,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
    root: Option<Node>,
    errors: Vec<Error>,
}

/// Reads one YAML document. Never panics and never recurses on the input's structure.
pub fn parse(file: FileId, text: &str) -> Document {
    let mut options = granit_parser::Options::default();
    options.flow_nesting_limit = MAX_DEPTH + 1;
    options.block_nesting_limit = MAX_DEPTH + 1;
    let mut builder = Builder {
        file,
        text,
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        root: None,
        errors: Vec::new(),
    };
    let mut documents = 0;
    for event in Parser::new_from_str_with_options(text, options) {
        let (event, span) = match event {
            Ok(event) => event,
            Err(error) => {
                builder.syntax_error(&error);
                return builder.finish_broken();
            }
        };
        let start = span.start.byte_offset().unwrap_or(0);
        let end = span.end.byte_offset().unwrap_or(start);
        let outcome = match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    Err(builder.error(
                        ErrorKind::Syntax,
                        start,
                        end.max(start + 3),
                        "a trailmap file holds one YAML document; this is a second one",
                        Some("split the documents into separate files"),
                    ))
                } else {
                    Ok(())
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let plain = style == ScalarStyle::Plain && tag.is_none();
                let node = Node {
                    value: Value::Scalar(Scalar {
                        text: text.into_owned(),
                        plain,
                    }),
                    span: Span::new(file, start, end),
                };
                builder.complete(node, anchor, end)
            }
            Event::SequenceStart(style, anchor, _) => builder.open(
                Frame::Seq {
                    start,
                    last_end: end,
                    block: style == StructureStyle::Block,
                    anchor,
                    items: Vec::new(),
                },
                start,
                end,
            ),
            Event::MappingStart(style, anchor, _) => builder.open(
                Frame::Map {
                    start,
                    last_end: end,
                    block: style == StructureStyle::Block,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                    seen: HashMap::new(),
                    merges: Vec::new(),
                },
                start,
                end,
            ),
            Event::SequenceEnd | Event::MappingEnd => builder.close(end),
            Event::Alias(anchor) => builder.alias(anchor, start, end),
            _ => Ok(()),
        };
        if let Err(error) = outcome {
            builder.errors.push(error);
            return builder.finish_broken();
        }
    }
    Document {
        root: builder.root,
        errors: builder.errors,
    }
}

impl Builder<'_> {
    fn error(
        &self,
        kind: ErrorKind,
        start: usize,
        end: usize,
        message: &str,
        help: Option<&str>,
    ) -> Error {
        Error {
            kind,
            message: message.to_string(),
            span: Span::new(self.file, start, end),
            related: None,
            help: help.map(str::to_string),
        }
    }

    fn finish_broken(self) -> Document {
        Document {
            root: None,
            errors: self.errors,
        }
    }

    fn syntax_error(&mut self, error: &granit_parser::ScanError) {
        let marker = error.marker();
        let offset = marker.byte_offset().unwrap_or(0).min(self.text.len());
        if let Some(tab) = self.indentation_tab_before(offset) {
            self.errors.push(self.error(
                ErrorKind::TabIndentation,
                tab,
                tab + 1,
                "a tab is used for indentation; YAML allows only spaces there",
                Some("replace the tab with spaces (most editors have a setting to insert spaces)"),
            ));
            return;
        }
        if matches!(
            error.kind(),
            granit_parser::ErrorKind::RecursionLimitExceeded
        ) {
            self.errors.push(self.too_deep(offset, offset + 1));
            return;
        }
        let end = self.text[offset..]
            .char_indices()
            .nth(1)
            .map_or(self.text.len(), |(at, _)| offset + at);
        let message = format!("this is not valid YAML: {}", error.kind());
        self.errors
            .push(self.error(ErrorKind::Syntax, offset, end, &message, None));
    }

    /// The first tab in the indentation of any line up to the one that failed to parse: the
    /// parser's own message for it ("found a tab character where an indentation space is
    /// expected") often points somewhere after the real cause.
    fn indentation_tab_before(&self, offset: usize) -> Option<usize> {
        // The parser often stops on the line before the tab, so look one line further.
        let line_end = |from: usize| {
            self.text[from..]
                .find('\n')
                .map_or(self.text.len(), |at| from + at)
        };
        let end_of_line = line_end((line_end(offset) + 1).min(self.text.len()));
        let mut line_start = 0;
        for line in self.text[..end_of_line].split_inclusive('\n') {
            let indentation = line.len() - line.trim_start_matches([' ', '\t']).len();
            if let Some(tab) = line[..indentation].find('\t') {
                return Some(line_start + tab);
            }
            line_start += line.len();
        }
        None
    }

    fn too_deep(&self, start: usize, end: usize) -> Error {
        self.error(
            ErrorKind::Limit,
            start,
            end,
            &format!("lists and maps are nested more than {MAX_DEPTH} levels deep here"),
            Some("flatten the structure; no trailmap file needs this much nesting"),
        )
    }

    fn open(&mut self, frame: Frame, start: usize, end: usize) -> Result<(), Error> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.too_deep(start, end));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, end: usize) -> Result<(), Error> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let (node, anchor) = match frame {
            Frame::Seq {
                start,
                last_end,
                block,
                anchor,
                items,
            } => (
                Node {
                    value: Value::Seq(items),
                    span: Span::new(self.file, start, if block { last_end } else { end }),
                },
                anchor,
            ),
            Frame::Map {
                start,
                last_end,
                block,
                anchor,
                mut entries,
                seen,
                merges,
                ..
            } => {
                merge_into(&mut entries, &seen, merges);
                (
                    Node {
                        value: Value::Map(entries),
                        span: Span::new(self.file, start, if block { last_end } else { end }),
                    },
                    anchor,
                )
            }
        };
        let end = node.span.end as usize;
        self.complete(node, anchor, end)
    }

    fn alias(&mut self, anchor: usize, start: usize, end: usize) -> Result<(), Error> {
        let Some(node) = self.anchors.get(&anchor) else {
            return Err(self.error(
                ErrorKind::Syntax,
                start,
                end,
                "this alias refers to an anchor that is not defined before it",
                None,
            ));
        };
        self.alias_nodes += node.count();
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(self.error(
                ErrorKind::Limit,
                start,
                end,
                &format!("aliases expand to more than {MAX_ALIAS_NODES} values in this file"),
                Some("this looks like an alias bomb; write the values out or use fewer nested aliases"),
            ));
        }
        let node = node.clone();
        self.complete(node, 0, end)
    }

    /// Attaches a finished node, whose text ends at `end`, to its parent: as a list item, a map
    /// key or a map value.
    fn complete(&mut self, node: Node, anchor: usize, end: usize) -> Result<(), Error> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        if let Some(Frame::Seq { last_end, .. } | Frame::Map { last_end, .. }) =
            self.stack.last_mut()
        {
            *last_end = (*last_end).max(end);
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                key,
                seen,
                merges,
                ..
            }) => match key.take() {
                None => {
                    let Value::Scalar(scalar) = node.value else {
                        return Err(Error {
                            kind: ErrorKind::Syntax,
                            message: format!("a key must be text, not {}", node.kind_name()),
                            span: node.span,
                            related: None,
                            help: None,
                        });
                    };
                    let text = if scalar.plain && scalar.text == "<<" {
                        MERGE_KEY.to_string()
                    } else {
                        scalar.text
                    };
                    *key = Some((text, node.span));
                }
                Some((text, key_span)) if text == MERGE_KEY => {
                    let sources = match node.value {
                        Value::Seq(items) => items,
                        _ => vec![node],
                    };
                    for source in sources {
                        if !matches!(source.value, Value::Map(_)) {
                            return Err(Error {
                                kind: ErrorKind::Syntax,
                                message: "a `<<` merge key takes a map or a list of maps".into(),
                                span: source.span,
                                related: Some((key_span, "merge key here".into())),
                                help: None,
                            });
                        }
                        merges.push(source);
                    }
                }
                Some((text, key_span)) => {
                    if let Some(&first) = seen.get(&text) {
                        self.errors.push(Error {
                            kind: ErrorKind::DuplicateKey,
                            message: format!("the key `{text}` appears twice in the same map"),
                            span: key_span,
                            related: Some((first, "first defined here".into())),
                            help: Some("remove one of them or merge their contents; only the first is used".into()),
                        });
                    } else {
                        seen.insert(text.clone(), key_span);
                        entries.push(Entry {
                            key: text,
                            key_span,
                            value: node,
                        });
                    }
                }
            },
        }
        Ok(())
    }
}

/// Internal stand-in for a plain `<<` key, so that a quoted `"<<"` stays an ordinary key.
const MERGE_KEY: &str = "\u{0}<<";

/// Applies `<<` merges: keys written in the map win over merged ones, and earlier merge
/// sources win over later ones, as the YAML merge-key spec says.
fn merge_into(entries: &mut Vec<Entry>, seen: &HashMap<String, Span>, merges: Vec<Node>) {
    let mut present: std::collections::HashSet<String> = seen.keys().cloned().collect();
    for source in merges {
        if let Value::Map(merged) = source.value {
            for entry in merged {
                if present.insert(entry.key.clone()) {
                    entries.push(entry);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Document {
        parse(FileId(0), text)
    }

    fn root(text: &str) -> serde_json::Value {
        let document = read(text);
        assert_eq!(document.errors, vec![], "unexpected errors");
        document.root.unwrap().to_json()
    }

    fn map_entry<'a>(node: &'a Node, key: &str) -> &'a Node {
        let Value::Map(entries) = &node.value else {
            panic!("not a map")
        };
        &entries.iter().find(|e| e.key == key).unwrap().value
    }

    #[test]
    fn yaml_1_1_booleans_stay_text() {
        let value = root("a: no\nb: NO\nc: on\nd: off\ne: yes\nf: true\n");
        assert_eq!(
            value,
            serde_json::json!({"a": "no", "b": "NO", "c": "on", "d": "off", "e": "yes", "f": true})
        );
    }

    #[test]
    fn scalars_keep_their_source_text() {
        let document = read("version: 1.10\nzip: 02142\nquoted: '007'\n");
        let node = document.root.unwrap();
        let text = |key| match &map_entry(&node, key).value {
            Value::Scalar(scalar) => scalar.text.clone(),
            _ => panic!(),
        };
        assert_eq!(text("version"), "1.10");
        assert_eq!(text("zip"), "02142");
        assert_eq!(text("quoted"), "007");
        assert_eq!(node.to_json()["zip"], "02142");
    }

    #[test]
    fn duplicate_key_points_at_second_with_first_as_label() {
        let document = read("teams:\n  crm: {}\n  crm: {}\n");
        assert_eq!(document.errors.len(), 1);
        let error = &document.errors[0];
        assert_eq!(error.kind, ErrorKind::DuplicateKey);
        assert_eq!(error.span, Span::new(FileId(0), 19, 22));
        assert_eq!(
            error.related.as_ref().unwrap().0,
            Span::new(FileId(0), 9, 12)
        );
        assert!(
            document.root.is_some(),
            "the rest of the file is still read"
        );
    }

    #[test]
    fn spans_cover_the_value() {
        let text = "owner: growth\nname: \"Add to cart\"\n";
        let node = read(text).root.unwrap();
        let owner = map_entry(&node, "owner");
        assert_eq!(
            &text[owner.span.start as usize..owner.span.end as usize],
            "growth"
        );
        let name = map_entry(&node, "name");
        assert_eq!(
            &text[name.span.start as usize..name.span.end as usize],
            "\"Add to cart\""
        );
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let value = root(
            "defaults: &d {owner: crm, status: active}\nevent:\n  <<: *d\n  status: planned\n  same: *d\n",
        );
        assert_eq!(value["event"]["owner"], "crm");
        assert_eq!(
            value["event"]["status"], "planned",
            "local keys win over merged ones"
        );
        assert_eq!(value["event"]["same"]["status"], "active");
    }

    #[test]
    fn merge_key_order_local_wins_even_when_written_first() {
        let value = root("base: &b {a: 1, b: 2}\nx:\n  a: 9\n  <<: [*b, {b: 3, c: 4}]\n");
        assert_eq!(value["x"], serde_json::json!({"a": 9, "b": 2, "c": 4}));
    }

    #[test]
    fn crlf_and_tabs_inside_values() {
        let value = root("a: one\r\nb: |\r\n  two\r\n  lines\r\n");
        assert_eq!(value, serde_json::json!({"a": "one", "b": "two\nlines\n"}));
    }

    #[test]
    fn tab_indentation_is_reported_at_the_tab() {
        let document = read("teams:\n\tcrm: {}\n");
        assert_eq!(document.errors[0].kind, ErrorKind::TabIndentation);
        assert_eq!(document.errors[0].span.start, 7);
    }

    #[test]
    fn alias_bomb_is_stopped_quickly() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let refs = vec![format!("*a{}", level - 1); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        let started = std::time::Instant::now();
        let document = read(&text);
        assert!(started.elapsed().as_secs_f64() < 1.0);
        assert_eq!(document.errors[0].kind, ErrorKind::Limit);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        for text in [
            "[".repeat(10_000),
            "{a: ".repeat(10_000),
            (0..10_000)
                .map(|i| format!("{}- \n", " ".repeat(i)))
                .collect(),
        ] {
            let document = read(&text);
            assert_eq!(document.errors.len(), 1, "{:?}", document.errors);
            assert_eq!(
                document.errors[0].kind,
                ErrorKind::Limit,
                "{:?}",
                document.errors
            );
        }
    }

    #[test]
    fn json_pointers_find_nested_values() {
        let text = "a:\n  - {b: 1}\n  - {c/d: x}\n";
        let node = read(text).root.unwrap();
        let found = node.at_pointer("/a/1/c~1d").unwrap();
        assert_eq!(
            &text[found.span.start as usize..found.span.end as usize],
            "x"
        );
        assert_eq!(node.at_pointer(""), Some(&node));
        assert_eq!(node.at_pointer("/a/7"), None);
    }

    #[test]
    fn core_numbers() {
        assert_eq!(parse_core_number("12"), Some(12.into()));
        assert_eq!(parse_core_number("-1.5"), Some(serde_json::json!(-1.5)));
        assert_eq!(parse_core_number("1e3"), Some(serde_json::json!(1000.0)));
        assert_eq!(parse_core_number("02142"), None);
        assert_eq!(parse_core_number("1.2.3"), None);
        assert_eq!(parse_core_number("e5"), None);
    }
}
