//! Machine output: a stable JSON array, one object per diagnostic.
//!
//! The shape is documented in `docs/diagnostics-json.md`; fields are only ever added.

use serde::Serialize;

use super::{Diagnostic, Label};
use crate::source::SourceMap;

#[derive(Serialize, Debug, PartialEq)]
pub struct JsonLocation {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub label: String,
}

#[derive(Serialize, Debug, PartialEq)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub level: &'static str,
    pub message: String,
    #[serde(flatten)]
    pub location: JsonLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<JsonLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

fn location(label: &Label, sources: &SourceMap) -> JsonLocation {
    let (start, end) = sources.position(label.span);
    JsonLocation {
        file: sources.get(label.span.file).path.clone(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        label: label.message.clone(),
    }
}

impl JsonDiagnostic {
    pub fn from(diagnostic: &Diagnostic, sources: &SourceMap) -> JsonDiagnostic {
        JsonDiagnostic {
            code: diagnostic.rule.code,
            name: diagnostic.rule.name,
            level: diagnostic.level.as_str(),
            message: diagnostic.message.clone(),
            location: location(&diagnostic.primary, sources),
            related: diagnostic
                .secondary
                .iter()
                .map(|label| location(label, sources))
                .collect(),
            help: diagnostic.help.clone(),
        }
    }
}

/// The JSON array of diagnostics, pretty-printed, with a final newline.
pub fn render_json(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let items: Vec<JsonDiagnostic> = diagnostics
        .iter()
        .map(|diagnostic| JsonDiagnostic::from(diagnostic, sources))
        .collect();
    let mut out = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string());
    out.push('\n');
    out
}
