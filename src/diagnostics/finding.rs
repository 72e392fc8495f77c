//! Findings resolved to file, line and column: the form every machine format consumes.
//!
//! `check --format json` prints them as they are (documented in `docs/diagnostics-json.md`,
//! keys only ever added); SARIF, GitHub, JUnit, GitLab and Markdown are rendered from them.

use serde::Serialize;

use super::{Diagnostic, Label, Level};
use crate::source::SourceMap;

#[derive(Clone, Serialize, Debug, PartialEq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub label: String,
}

impl Location {
    /// A whole line, for findings that have no column (a record of an events file).
    pub fn line(file: String, line: usize) -> Location {
        Location {
            file,
            line,
            column: 1,
            end_line: line,
            end_column: 1,
            label: String::new(),
        }
    }

    fn of(label: &Label, sources: &SourceMap, prefix: &str) -> Location {
        let (start, end) = sources.position(label.span);
        Location {
            file: format!("{prefix}{}", sources.get(label.span.file).path),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            label: label.message.clone(),
        }
    }
}

#[derive(Clone, Serialize, Debug, PartialEq)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    #[serde(serialize_with = "level_name")]
    pub level: Level,
    pub message: String,
    #[serde(flatten)]
    pub location: Location,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

fn level_name<S: serde::Serializer>(level: &Level, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(level.as_str())
}

impl Finding {
    /// `prefix` is put before every file path: empty for paths relative to the workspace, the
    /// workspace folder for paths relative to where trailmap runs (what CI annotations need).
    pub fn from(diagnostic: &Diagnostic, sources: &SourceMap, prefix: &str) -> Finding {
        Finding {
            code: diagnostic.rule.code,
            name: diagnostic.rule.name,
            level: diagnostic.level,
            message: diagnostic.message.clone(),
            location: Location::of(&diagnostic.primary, sources, prefix),
            related: diagnostic
                .secondary
                .iter()
                .map(|label| Location::of(label, sources, prefix))
                .collect(),
            help: diagnostic.help.clone(),
        }
    }

    pub fn all(diagnostics: &[Diagnostic], sources: &SourceMap, prefix: &str) -> Vec<Finding> {
        diagnostics
            .iter()
            .map(|diagnostic| Finding::from(diagnostic, sources, prefix))
            .collect()
    }
}

/// The JSON array of diagnostics, pretty-printed, with a final newline; paths relative to the
/// workspace.
pub fn render_json(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = serde_json::to_string_pretty(&Finding::all(diagnostics, sources, ""))
        .unwrap_or_else(|_| "[]".to_string());
    out.push('\n');
    out
}
