//! Human output: miette's graphical reports, one per diagnostic.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, Severity,
    SourceCode, SourceSpan, SpanContents,
};

use super::{Diagnostic, Label, Level, visible};
use crate::source::{SourceFile, SourceMap, Span};

/// Lines longer than this are not shown as snippets (minified JSON saved as YAML, say): the
/// finding names its line and column instead.
const MAX_SNIPPET_LINE: usize = 2_000;

/// A file as miette reads it: each snippet is cut out through the file's line index, so
/// rendering many findings of a large file does not rescan it from the start each time.
struct FileSource<'a> {
    file: &'a SourceFile,
}

impl SourceCode for FileSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let (range, first_line) = self.file.window(
            span.offset(),
            span.offset() + span.len(),
            context_lines_before,
            context_lines_after,
        );
        let window = &self.file.text.as_bytes()[range.clone()];
        let local = SourceSpan::new((span.offset() - range.start).into(), span.len());
        let contents = window.read_span(&local, context_lines_before, context_lines_after)?;
        let shifted = SourceSpan::new(
            (contents.span().offset() + range.start).into(),
            contents.span().len(),
        );
        Ok(Box::new(
            MietteSpanContents::new_named(
                self.file.path.clone(),
                contents.data(),
                shifted,
                contents.line() + first_line,
                contents.column(),
                // miette counts the line breaks from the start of the text, not of the snippet.
                contents.line_count() + first_line,
            )
            .with_language("yaml"),
        ))
    }
}

/// One diagnostic as miette sees it: labels in a single file, plus related reports for labels
/// that point into other files (miette draws one file per report).
struct Report<'a> {
    code: String,
    severity: Severity,
    message: String,
    help: Option<String>,
    source: Option<FileSource<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report<'a>>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
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
        self.source
            .as_ref()
            .map(|source| source as &dyn miette::SourceCode)
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
    let text = (!label.message.is_empty()).then(|| visible(&label.message));
    let span = (label.span.start as usize, label.span.len());
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

/// The file to show a snippet of, unless the span sits on a line too long to show.
fn snippet_source(sources: &SourceMap, span: Span) -> Option<FileSource<'_>> {
    let file = sources.get(span.file);
    (file.longest_line(span.start as usize, span.end as usize) <= MAX_SNIPPET_LINE)
        .then_some(FileSource { file })
}

/// `path:line:column`, for findings shown without a snippet.
fn location(sources: &SourceMap, span: Span) -> String {
    let (start, _) = sources.position(span);
    format!(
        "{}:{}:{}",
        sources.get(span.file).path,
        start.line,
        start.column
    )
}

/// A report about one place, with its snippet when the line can be shown, else with its
/// `path:line:column` in the message.
fn place<'a>(sources: &'a SourceMap, label: &Label, message: String) -> Report<'a> {
    let source = snippet_source(sources, label.span);
    let (message, labels) = match source {
        Some(_) => (message, vec![labeled(label, true)]),
        None => (
            format!("{message} ({})", location(sources, label.span)),
            Vec::new(),
        ),
    };
    Report {
        code: String::new(),
        severity: Severity::Advice,
        message,
        help: None,
        source,
        labels,
        related: Vec::new(),
    }
}

fn report<'a>(diagnostic: &Diagnostic, sources: &'a SourceMap) -> Report<'a> {
    let mut main = place(sources, &diagnostic.primary, visible(&diagnostic.message));
    for label in &diagnostic.secondary {
        let same_snippet = label.span.file == diagnostic.primary.span.file
            && main.source.is_some()
            && snippet_source(sources, label.span).is_some();
        if same_snippet {
            main.labels.push(labeled(label, false));
        } else {
            let unlabelled = Label {
                span: label.span,
                message: String::new(),
            };
            main.related
                .push(place(sources, &unlabelled, visible(&label.message)));
        }
    }
    main.code = format!("{}({})", diagnostic.rule.code, diagnostic.rule.name);
    main.severity = match diagnostic.level {
        Level::Error => Severity::Error,
        _ => Severity::Warning,
    };
    main.help = diagnostic.help.as_deref().map(visible);
    main
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The line index must hand miette exactly what miette's own reading of the whole text
    /// would: same snippet, same line numbers, same line count.
    #[test]
    fn snippets_through_the_line_index_match_miettes_own() {
        let text: String = (1..=30).map(|n| format!("line {n}: value {n}\n")).collect();
        let file = SourceFile::new("a.yaml".into(), text.clone());
        let ours = FileSource { file: &file };
        for (start, len) in [(0, 4), (40, 5), (200, 12), (text.len() - 3, 2), (100, 0)] {
            for context in [0, 1, 2] {
                let span = SourceSpan::new(start.into(), len);
                let theirs = text.as_bytes().read_span(&span, context, context).unwrap();
                let mine = ours.read_span(&span, context, context).unwrap();
                assert_eq!(
                    (
                        mine.data(),
                        mine.span(),
                        mine.line(),
                        mine.column(),
                        mine.line_count()
                    ),
                    (
                        theirs.data(),
                        theirs.span(),
                        theirs.line(),
                        theirs.column(),
                        theirs.line_count()
                    ),
                    "span {start}+{len}, context {context}"
                );
            }
        }
    }
}
