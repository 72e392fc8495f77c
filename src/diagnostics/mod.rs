//! Diagnostics: what a rule found, where, and how it is shown.
//!
//! A [`Diagnostic`] is plain data pointing into the [`SourceMap`](crate::source::SourceMap);
//! the renderers in this module turn a sorted list of them into text for people (miette) or
//! JSON for tools.

mod finding;
mod github;
mod gitlab;
mod human;
mod junit;
mod markdown;
mod report;
mod sarif;

pub use finding::{Finding, Location, render_json};
pub use github::render_github;
pub use gitlab::render_gitlab;
pub use human::render_human;
pub use junit::render_junit;
pub use markdown::{markdown_cell, render_markdown};
pub use report::{Report, Unlisted};
pub use sarif::render_sarif;

use crate::source::{SourceMap, Span};

/// How serious a finding is. `Off` only appears in configuration: a rule set to `off` reports
/// nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Off,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// The description of one check: a stable code, a kebab-case name and the text that
/// `trailmap explain` prints.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub default_level: Level,
    pub summary: &'static str,
    pub explanation: &'static str,
}

/// A span with the text shown next to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub level: Level,
    pub message: String,
    /// The offending value itself.
    pub primary: Label,
    /// Other places that explain the finding (the first definition of a duplicate, …).
    pub secondary: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(rule: &'static Rule, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            level: rule.default_level,
            message: message.into(),
            primary: Label {
                span,
                message: String::new(),
            },
            secondary: Vec::new(),
            help: None,
        }
    }

    pub fn with_label(mut self, message: impl Into<String>) -> Diagnostic {
        self.primary.message = message.into();
        self
    }

    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }
}

/// Orders diagnostics by file, position, code and message so output never depends on the
/// order in which files or rules happened to run.
pub fn sort(diagnostics: &mut [Diagnostic], sources: &SourceMap) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            (
                sources.get(d.primary.span.file).path.clone(),
                d.primary.span.start,
                d.primary.span.end,
                d.rule.code,
                d.message.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
}

/// Counts of findings by level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
}

impl Counts {
    pub fn of(diagnostics: &[Diagnostic]) -> Counts {
        let mut counts = Counts::default();
        for diagnostic in diagnostics {
            match diagnostic.level {
                Level::Error => counts.errors += 1,
                Level::Warning => counts.warnings += 1,
                Level::Off => {}
            }
        }
        counts
    }
}

/// "did you mean …" for a name that is close to one of the known ones: at most one edit in
/// four characters (at least one), case ignored, the closest first.
pub fn suggest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let unknown_folded = unknown.to_lowercase();
    let allowed = (unknown_folded.chars().count() / 4).max(1);
    known
        .into_iter()
        .map(|candidate| {
            let distance = strsim::damerau_levenshtein(&unknown_folded, &candidate.to_lowercase());
            (distance, candidate)
        })
        .filter(|&(distance, _)| distance <= allowed)
        .min()
        .map(|(_, candidate)| candidate)
}

/// The help line for an unknown name: the closest known one, if any is close.
pub fn did_you_mean<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    suggest(unknown, known).map(|candidate| format!("did you mean `{candidate}`?"))
}

/// Text with its control characters (terminal escapes, NUL, …) shown as `\u{…}`, line breaks
/// and tabs kept: values from YAML escapes or captured events must not drive the terminal.
pub fn visible(text: &str) -> String {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// "1 event", "2 events".
pub fn plural(count: impl TryInto<u64>, noun: &str) -> String {
    match count.try_into().unwrap_or(u64::MAX) {
        1 => format!("1 {noun}"),
        count => format!("{count} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_sent_to_the_terminal() {
        assert_eq!(visible("a\u{1b}[31m\0b"), "a\\u{1b}[31m\\u{0}b");
        assert_eq!(visible("line\nnext\tcell"), "line\nnext\tcell");
    }

    #[test]
    fn suggestions_pick_the_closest_name() {
        let known = [
            "ecommerce",
            "crm",
            "store_ops",
            "web",
            "description",
            "destinations",
            "examples",
            "stages",
            "teams",
        ];
        assert_eq!(suggest("ecomerce", known), Some("ecommerce"));
        assert_eq!(suggest("store-ops", known), Some("store_ops"));
        assert_eq!(suggest("wbe", known), Some("web"));
        assert_eq!(suggest("Web", known), Some("web"));
        assert_eq!(suggest("descripton", known), Some("description"));
        assert_eq!(suggest("warehouse", known), None);
        assert_eq!(suggest("expires", known), None);
        assert_eq!(suggest("$tags", known), None);
        assert_eq!(suggest("Tabs", known), None);
    }
}
