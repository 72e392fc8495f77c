//! Human output: miette's graphical reports, one per diagnostic.

use std::fmt;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity};

use super::{Diagnostic, Label, Level};
use crate::source::{SourceMap, Span};

/// One diagnostic as miette sees it: labels in a single file, plus related reports for labels
/// that point into other files (miette draws one file per report).
struct Report {
    code: String,
    severity: Severity,
    message: String,
    help: Option<String>,
    source: NamedSource<Arc<str>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

fn labeled(label: &Label, primary: bool) -> LabeledSpan {
    let text = (!label.message.is_empty()).then(|| label.message.clone());
    let span = (label.span.start as usize, label.span.len());
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

fn named_source(sources: &SourceMap, span: Span) -> NamedSource<Arc<str>> {
    let file = sources.get(span.file);
    NamedSource::new(file.path.clone(), file.text.clone()).with_language("yaml")
}

fn report(diagnostic: &Diagnostic, sources: &SourceMap) -> Report {
    let file = diagnostic.primary.span.file;
    let mut labels = vec![labeled(&diagnostic.primary, true)];
    let mut related = Vec::new();
    for label in &diagnostic.secondary {
        if label.span.file == file {
            labels.push(labeled(label, false));
        } else {
            related.push(Report {
                code: String::new(),
                severity: Severity::Advice,
                message: label.message.clone(),
                help: None,
                source: named_source(sources, label.span),
                labels: vec![labeled(
                    &Label {
                        span: label.span,
                        message: String::new(),
                    },
                    true,
                )],
                related: Vec::new(),
            });
        }
    }
    Report {
        code: format!("{}({})", diagnostic.rule.code, diagnostic.rule.name),
        severity: match diagnostic.level {
            Level::Error => Severity::Error,
            _ => Severity::Warning,
        },
        message: diagnostic.message.clone(),
        help: diagnostic.help.clone(),
        source: named_source(sources, diagnostic.primary.span),
        labels,
        related,
    }
}

/// Renders diagnostics for a terminal (or, with `color: false`, for a log or a golden file).
pub fn render_human(diagnostics: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let report = report(diagnostic, sources);
        // Writing into a String cannot fail; miette only errors if the formatter does.
        let _ = handler.render_report(&mut out, &report);
        out.push('\n');
    }
    out
}
