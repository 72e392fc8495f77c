//! Structure rules (S family) and the helpers that read typed values out of YAML nodes.
//!
//! Decoding never stops at the first problem: each helper reports into the [`Decoder`] and
//! returns `None`, so a file with five mistakes gets five diagnostics.

use crate::diagnostics::{Diagnostic, Level, Rule, did_you_mean};
use crate::source::yaml::{self, Entry, Node, Value};
use crate::source::{Span, Spanned};

use super::duration::{Duration, INVALID_DURATION};
use super::language::{Item, Key, Shape};

pub static YAML_SYNTAX: Rule = Rule {
    code: "S001",
    name: "yaml-syntax",
    default_level: Level::Error,
    summary: "The file is not valid YAML.",
    explanation: "trailmap cannot read a file whose YAML is broken; nothing in it is checked until \
it parses, and references across the workspace are not checked either (they would all look \
unknown). The message names what the parser expected at that point.\n\nFailing:\n\n    \
events:\n      add_to_cart: {owner: ecommerce\n\nFixed:\n\n    events:\n      add_to_cart: {owner: ecommerce}\n",
};

pub static DUPLICATE_KEY: Rule = Rule {
    code: "S002",
    name: "duplicate-key",
    default_level: Level::Error,
    summary: "A key appears twice in the same map.",
    explanation: "Most YAML tools silently keep the last of two equal keys, so half of what was \
written is lost without a word. trailmap reports the second occurrence and labels the first.\n\n\
Failing:\n\n    fields:\n      sku: {type: string}\n      sku: {type: integer}\n\nFixed: keep one \
definition.\n",
};

pub static TAB_INDENTATION: Rule = Rule {
    code: "S003",
    name: "tab-indentation",
    default_level: Level::Error,
    summary: "A tab is used for indentation.",
    explanation: "YAML forbids tabs in indentation; editors often show them exactly like spaces, \
which makes the resulting parse error baffling. trailmap points at the tab.\n\nFix: configure the \
editor to insert spaces in YAML files.\n",
};

pub static UNKNOWN_KEY: Rule = Rule {
    code: "S004",
    name: "unknown-key",
    default_level: Level::Error,
    summary: "A key is not part of the trailmap language at this place.",
    explanation: "A misspelt key (`ownr:`) would otherwise be ignored and the check it feeds \
would silently pass. Every key must be one the format defines; the message suggests the closest \
one.\n\nFailing:\n\n    touchpoints:\n      checkout:\n        ownr: ecommerce\n\nFixed:\n\n    \
touchpoints:\n      checkout:\n        owner: ecommerce\n",
};

pub static INVALID_VALUE: Rule = Rule {
    code: "S005",
    name: "invalid-value",
    default_level: Level::Error,
    summary: "A value has the wrong type or is not one of the allowed values.",
    explanation: "Each key expects a kind of value: text, a whole number, `true`/`false`, a list or \
a map, or one word out of a fixed set. YAML 1.2 rules apply: `no`, `on` and `yes` are text, not \
booleans, and a quoted `\"5\"` is text, not a number.\n\nFailing:\n\n    fields:\n      \
customer_id:\n        identifier: yes\n        type: text\n\nFixed:\n\n    fields:\n      \
customer_id:\n        identifier: true\n        type: string\n",
};

pub static MISSING_KEY: Rule = Rule {
    code: "S006",
    name: "missing-key",
    default_level: Level::Error,
    summary: "A required key is missing.",
    explanation: "Some keys carry information every output needs (a touchpoint's channel, a \
field's type, a journey's goal). The diagnostic points at the item that lacks it.\n\nFailing:\n\n\
    fields:\n      sku: {description: Stock keeping unit}\n\nFixed:\n\n    fields:\n      sku: \
{type: string, description: Stock keeping unit}\n",
};

pub static FORMAT_VERSION: Rule = Rule {
    code: "S007",
    name: "format-version",
    default_level: Level::Error,
    summary: "A file does not declare `version: 1`.",
    explanation: "Every file starts with the format version so that a later format change can be \
migrated (`trailmap migrate`) instead of being misread. This trailmap reads version 1.\n\n\
Failing:\n\n    events:\n      …\n\nFixed:\n\n    version: 1\n    events:\n      …\n",
};

pub static INPUT_LIMIT: Rule = Rule {
    code: "S008",
    name: "input-limit",
    default_level: Level::Error,
    summary: "A file exceeds a size, nesting or alias-expansion limit.",
    explanation: "Files are bounded (16 MiB, 64 levels of nesting, 100 000 values created by \
aliases) so that a malicious or corrupted file — a \"billion laughs\" alias bomb, thousands of \
nested brackets — fails fast with a message instead of exhausting memory or the stack.\n\nFix: \
split large catalogs over several files; write out values instead of nesting aliases.\n",
};

pub static UNREADABLE_FILE: Rule = Rule {
    code: "S009",
    name: "unreadable-file",
    default_level: Level::Error,
    summary: "A workspace file cannot be read as UTF-8 text.",
    explanation: "A file under `catalog/` or `journeys/` whose name ends in `.yaml` could not be \
read: missing permission, a folder named like a file, a symbolic link loop, binary content or a \
text encoding other than UTF-8.\n\nFix: make it a readable UTF-8 YAML file or move it out of the \
workspace folders.\n",
};

/// The rules of this family, for the registry.
pub static RULES: [&Rule; 10] = [
    &YAML_SYNTAX,
    &DUPLICATE_KEY,
    &TAB_INDENTATION,
    &UNKNOWN_KEY,
    &INVALID_VALUE,
    &MISSING_KEY,
    &FORMAT_VERSION,
    &INPUT_LIMIT,
    &UNREADABLE_FILE,
    &INVALID_DURATION,
];

/// Converts a YAML reader error into its diagnostic.
pub fn yaml_error(error: yaml::Error) -> Diagnostic {
    let rule = match error.kind {
        yaml::ErrorKind::Syntax => &YAML_SYNTAX,
        yaml::ErrorKind::DuplicateKey => &DUPLICATE_KEY,
        yaml::ErrorKind::TabIndentation => &TAB_INDENTATION,
        yaml::ErrorKind::Limit => &INPUT_LIMIT,
    };
    let mut diagnostic = Diagnostic::new(rule, error.span, error.message).with_help_opt(error.help);
    if let Some((span, message)) = error.related {
        diagnostic = diagnostic.with_secondary(span, message);
    }
    diagnostic
}

/// Top-level keys with this prefix are ignored, so files can hold anchors for aliases.
pub const EXTENSION_PREFIX: &str = "x-";

/// The percentages [`Decoder::percent`] reads from text (`40%`, `12.5 %`), as an ECMA-262
/// regular expression for the editor schema; written as a number, the schema bounds it instead.
pub const PERCENT_PATTERN: &str = r"^\s*(?:100(?:\.0*)?|[0-9]{1,2}(?:\.[0-9]*)?|\.[0-9]+)\s*%*\s*$";

/// Collects the diagnostics of decoding.
#[derive(Default)]
pub struct Decoder {
    pub diagnostics: Vec<Diagnostic>,
}

/// The entries of one YAML map being decoded as an [`Item`]: keys outside the item's table are
/// reported as unknown, required keys as missing.
pub struct Fields<'n> {
    /// Set for an item whose value was not a map (already reported): nothing more is reported.
    quiet: bool,
    item: &'static Item,
    what: String,
    at: Span,
    node_span: Span,
    entries: &'n [Entry],
    /// Which keys of the table the decoder asked for: in debug builds `finish` checks that it
    /// asked for all of them, so a key the table lists is never silently ignored.
    asked: Vec<bool>,
}

impl<'n> Fields<'n> {
    /// The fields of an item whose value is not a map: no keys, and no missing-key findings.
    pub fn quiet(item: &'static Item, what: String, at: Span) -> Fields<'static> {
        Fields {
            quiet: true,
            item,
            what,
            at,
            node_span: at,
            entries: &[],
            asked: vec![false; item.keys.len()],
        }
    }

    /// The table entry of `key`, checked against the shape the decoder reads it as.
    fn ask(&mut self, key: &'static str, shape: Shape) -> Option<&'static Key> {
        let index = self.item.keys.iter().position(|spec| spec.name == key);
        debug_assert!(
            index.is_some(),
            "the decoder reads `{key}`, which the table of {} does not list",
            self.item.name
        );
        let index = index?;
        let spec = &self.item.keys[index];
        debug_assert_eq!(
            spec.shape, shape,
            "the decoder reads `{key}` of {} with another shape than its table says",
            self.item.name
        );
        self.asked[index] = true;
        Some(spec)
    }

    /// The value of `key`, without reporting it missing; an explicit null counts as absent.
    fn lookup(&mut self, key: &'static str, shape: Shape) -> Option<&'n Node> {
        self.ask(key, shape)?;
        let node = &self.entries.iter().find(|entry| entry.key == key)?.value;
        (!node.is_null()).then_some(node)
    }

    /// The value of `key`, reporting S006 when the table requires it and it is missing or null.
    pub fn value(
        &mut self,
        decoder: &mut Decoder,
        key: &'static str,
        shape: Shape,
    ) -> Option<&'n Node> {
        let node = self.lookup(key, shape);
        let required = self.item.key(key).is_some_and(|spec| spec.required);
        if node.is_none() && required && !self.quiet {
            decoder.report(
                Diagnostic::new(
                    &MISSING_KEY,
                    self.at,
                    format!("{} has no `{key}`", self.what),
                )
                .with_help(format!("add `{key}:`")),
            );
        }
        node
    }

    /// The text of the item: from where findings about it point to the end of its map.
    pub fn scope(&self) -> Span {
        Span {
            file: self.at.file,
            start: self.at.start.min(self.node_span.start),
            end: self.at.end.max(self.node_span.end),
        }
    }

    /// Reports the keys this map holds that its table does not list, in source order. Keys
    /// starting with `x-` are accepted at the top of a file: the place for anchors that other
    /// items alias (`x-defaults: &defaults {…}`).
    pub fn finish(self, decoder: &mut Decoder) {
        let unread: Vec<&str> = (self.item.keys.iter().zip(&self.asked))
            .filter(|(_, asked)| !**asked)
            .map(|(key, _)| key.name)
            .collect();
        debug_assert!(
            unread.is_empty(),
            "the decoder of {} never reads {unread:?}",
            self.item.name
        );
        let known = || self.item.keys.iter().map(|key| key.name);
        for entry in self.entries {
            let extension = self.item.extensions && entry.key.starts_with(EXTENSION_PREFIX);
            if extension || self.item.key(&entry.key).is_some() {
                continue;
            }
            let help = did_you_mean(&entry.key, known()).unwrap_or_else(|| {
                format!(
                    "{} accepts: {}",
                    self.what,
                    known().collect::<Vec<_>>().join(", ")
                )
            });
            decoder.report(
                Diagnostic::new(
                    &UNKNOWN_KEY,
                    entry.key_span,
                    format!("`{}` is not a key of {}", entry.key, self.what),
                )
                .with_help(help),
            );
        }
    }
}

fn type_error(node: &Node, expected: &str) -> Diagnostic {
    let found = match &node.value {
        Value::Scalar(scalar) if !scalar.plain => format!("the quoted text `\"{}\"`", scalar.text),
        Value::Scalar(scalar) if !node.is_null() => format!("`{}`", scalar.text),
        _ => node.kind_name().to_string(),
    };
    Diagnostic::new(
        &INVALID_VALUE,
        node.span,
        format!("expected {expected}, found {found}"),
    )
}

impl Decoder {
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Starts decoding a map as an `item`; `at` is where "missing key" findings point (usually
    /// the item's id).
    pub fn fields<'n>(
        &mut self,
        node: &'n Node,
        item: &'static Item,
        what: impl Into<String>,
        at: Span,
    ) -> Option<Fields<'n>> {
        let what = what.into();
        let entries: &[Entry] = match &node.value {
            Value::Map(entries) => entries,
            _ if node.is_null() => &[],
            _ => {
                self.report(type_error(node, &format!("a map for {what}")));
                return None;
            }
        };
        Some(Fields {
            quiet: false,
            item,
            what,
            at,
            node_span: node.span,
            entries,
            asked: vec![false; item.keys.len()],
        })
    }

    /// The items of an id-keyed section such as `teams:`.
    pub fn id_map<'n>(
        &mut self,
        node: &'n Node,
        section: &str,
    ) -> Vec<(Spanned<String>, &'n Node)> {
        match &node.value {
            Value::Map(entries) => entries
                .iter()
                .map(|entry| {
                    (
                        Spanned::new(entry.key.clone(), entry.key_span),
                        &entry.value,
                    )
                })
                .collect(),
            _ if node.is_null() => Vec::new(),
            _ => {
                self.report(type_error(node, &format!("a map of {section} by id")));
                Vec::new()
            }
        }
    }

    /// Text as written: quoted or plain, numbers and `no` included.
    pub fn text(&mut self, node: &Node) -> Option<Spanned<String>> {
        match &node.value {
            Value::Scalar(scalar) if !node.is_null() => {
                Some(Spanned::new(scalar.text.clone(), node.span))
            }
            _ => {
                self.report(type_error(node, "text"));
                None
            }
        }
    }

    pub fn boolean(&mut self, node: &Node) -> Option<Spanned<bool>> {
        match node.value {
            Value::Scalar(ref scalar) if scalar.plain => match scalar.text.as_str() {
                "true" | "True" | "TRUE" => return Some(Spanned::new(true, node.span)),
                "false" | "False" | "FALSE" => return Some(Spanned::new(false, node.span)),
                "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => {
                    self.report(type_error(node, "`true` or `false`").with_help(format!(
                        "YAML 1.2 reads `{}` as text; write `true`",
                        scalar.text
                    )));
                    return None;
                }
                "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => {
                    self.report(type_error(node, "`true` or `false`").with_help(format!(
                        "YAML 1.2 reads `{}` as text; write `false`",
                        scalar.text
                    )));
                    return None;
                }
                _ => {}
            },
            _ => {}
        }
        self.report(type_error(node, "`true` or `false`"));
        None
    }

    /// A JSON number (integer or decimal) from a plain scalar.
    pub fn number(&mut self, node: &Node) -> Option<Spanned<serde_json::Number>> {
        if let Value::Scalar(scalar) = &node.value
            && scalar.plain
            && let Some(serde_json::Value::Number(number)) = yaml::parse_core_number(&scalar.text)
        {
            return Some(Spanned::new(number, node.span));
        }
        self.report(type_error(node, "a number"));
        None
    }

    /// A whole number ≥ 0.
    pub fn count(&mut self, node: &Node) -> Option<Spanned<u64>> {
        let number = self.number(node)?;
        match number.value.as_u64() {
            Some(value) => Some(Spanned::new(value, number.span)),
            None => {
                self.report(type_error(node, "a whole number of 0 or more"));
                None
            }
        }
    }

    pub fn duration(&mut self, node: &Node) -> Option<Spanned<Duration>> {
        let text = self.text(node)?;
        match Duration::parse(&text.value) {
            Ok(duration) => Some(Spanned::new(duration, text.span)),
            Err(reason) => {
                self.report(
                    Diagnostic::new(&INVALID_DURATION, text.span, reason)
                        .with_help("write a number and a unit (`30m`, `24h`, `2d`, `6w`, `2y`) or ISO 8601 (`PT24H`, `P2Y`)"),
                );
                None
            }
        }
    }

    /// A percentage: `40%` or `40`, between 0 and 100.
    pub fn percent(&mut self, node: &Node) -> Option<Spanned<f64>> {
        let text = self.text(node)?;
        let digits = text.value.trim().trim_end_matches('%').trim_end();
        match digits.parse::<f64>() {
            Ok(value) if (0.0..=100.0).contains(&value) => Some(Spanned::new(value, text.span)),
            _ => {
                self.report(type_error(node, "a percentage between 0% and 100%"));
                None
            }
        }
    }

    /// One word out of a fixed set, with a suggestion when it is close to one of them.
    pub fn choice(
        &mut self,
        node: &Node,
        allowed: &[&'static str],
    ) -> Option<Spanned<&'static str>> {
        let text = self.text(node)?;
        if let Some(&word) = allowed.iter().find(|&&word| word == text.value) {
            return Some(Spanned::new(word, text.span));
        }
        let expected = format!(
            "one of {}",
            allowed
                .iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        self.report(
            type_error(node, &expected)
                .with_help_opt(did_you_mean(&text.value, allowed.iter().copied())),
        );
        None
    }

    pub fn list<'n>(&mut self, node: &'n Node) -> &'n [Node] {
        match &node.value {
            Value::Seq(items) => items,
            _ => {
                let help = matches!(node.value, Value::Scalar(_))
                    .then(|| format!("write a list: `[{}]`", self.text_of(node)));
                self.report(type_error(node, "a list").with_help_opt(help));
                &[]
            }
        }
    }

    fn text_of(&self, node: &Node) -> String {
        match &node.value {
            Value::Scalar(scalar) => scalar.text.clone(),
            _ => String::new(),
        }
    }

    /// A list of ids or words, each kept with its span.
    pub fn text_list(&mut self, node: &Node) -> Vec<Spanned<String>> {
        self.list(node)
            .iter()
            .filter_map(|item| self.text(item))
            .collect()
    }

    /// Reads `version:` at the top of a file.
    pub fn format_version(&mut self, fields: &mut Fields<'_>, file_start: Span) {
        match fields.lookup("version", Shape::Version) {
            None => self.report(
                Diagnostic::new(
                    &FORMAT_VERSION,
                    file_start,
                    "this file does not declare its format version",
                )
                .with_help("add `version: 1` as the first line"),
            ),
            Some(node) => {
                let text = self.text_of(node);
                if text != "1" {
                    self.report(
                        Diagnostic::new(
                            &FORMAT_VERSION,
                            node.span,
                            format!("format version `{text}` is not supported; this trailmap reads version 1"),
                        )
                        .with_help("write `version: 1`"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    #[test]
    fn the_editor_percent_pattern_agrees_with_the_decoder() {
        let pattern = regex::Regex::new(PERCENT_PATTERN).unwrap();
        let reads = |text: &str| {
            let quoted = format!("'{text}'");
            let node = yaml::parse(FileId(0), &quoted).root.unwrap();
            Decoder::default().percent(&node).is_some()
        };
        for text in [
            "40%", "40", "0", "100", "100.0 %", "12.5%", " 7 % ", "99.99",
        ] {
            assert!(reads(text), "the decoder rejects {text:?}");
            assert!(pattern.is_match(text), "the pattern rejects {text:?}");
        }
        for text in ["", "%", "101%", "-5%", "forty", "40 percent", "100.5"] {
            assert!(!reads(text), "the decoder accepts {text:?}");
            assert!(!pattern.is_match(text), "the pattern accepts {text:?}");
        }
    }
}
