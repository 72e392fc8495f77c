//! GitHub Actions workflow commands: annotations on the pull request's diff.
//!
//! GitHub shows at most 10 annotations of each level per step and drops the rest silently, so
//! the 10 shown are chosen to cover as many rules as possible, and one notice says how many
//! more there are; those are printed below it as plain log lines.

use std::collections::BTreeMap;

use super::{Finding, Level, Report, visible};

/// What GitHub shows per level and step.
const SHOWN_PER_LEVEL: usize = 10;

/// Escapes the message of a workflow command, and any text printed to a GitHub log: a line
/// break inside data would start a line GitHub reads as a command. Other control characters
/// (terminal escapes, NUL) are shown as `\u{…}`.
fn escape_data(text: &str) -> String {
    visible(
        &text
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A"),
    )
}

/// Escapes a property value (`file=…`, `title=…`), where `:` and `,` are separators.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        _ => "warning",
    }
}

fn annotation(finding: &Finding) -> String {
    let at = &finding.location;
    format!(
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        command(finding.level),
        escape_property(&at.file),
        at.line,
        at.column,
        at.end_line,
        at.end_column,
        escape_property(&format!("{} {}", finding.code, finding.name)),
        escape_data(&Report::full_message(finding)),
    )
}

/// A finding as a plain log line, escaped like command data so that nothing in it can start a
/// workflow command.
fn plain(finding: &Finding) -> String {
    let at = &finding.location;
    escape_data(&format!(
        "{}:{}:{}: {} {} {}",
        at.file,
        at.line,
        at.column,
        finding.level.as_str(),
        finding.code,
        finding.message
    ))
}

/// The indices of one level's findings in the order they are annotated: the first of each
/// rule, then the second of each rule, and so on, each round in file order.
fn ranked(findings: &[Finding], level: Level) -> Vec<usize> {
    let mut by_rule: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, finding) in findings.iter().enumerate() {
        if finding.level == level {
            by_rule.entry(finding.code).or_default().push(index);
        }
    }
    let mut ranked: Vec<(usize, usize)> = by_rule
        .values()
        .flat_map(|group| {
            group
                .iter()
                .enumerate()
                .map(|(round, &index)| (round, index))
        })
        .collect();
    ranked.sort_unstable();
    ranked.into_iter().map(|(_, index)| index).collect()
}

pub fn render_github(report: &Report) -> String {
    let mut out = String::new();
    let mut rest: Vec<usize> = Vec::new();
    for level in [Level::Error, Level::Warning] {
        let ranked = ranked(&report.findings, level);
        for (shown, index) in ranked.into_iter().enumerate() {
            if shown < SHOWN_PER_LEVEL {
                out.push_str(&annotation(&report.findings[index]));
                out.push('\n');
            } else {
                rest.push(index);
            }
        }
    }
    if !rest.is_empty() {
        let more = match rest.len() {
            1 => "1 more finding is not annotated".to_string(),
            count => format!("{count} more findings are not annotated"),
        };
        let listed = if rest.len() == 1 { "it is" } else { "they are" };
        out.push_str(&format!(
            "::notice title=trailmap {}::{more} (GitHub shows {SHOWN_PER_LEVEL} errors and {SHOWN_PER_LEVEL} warnings per step); {listed} listed below in this log\n",
            escape_property(report.command),
        ));
        rest.sort_unstable();
        for index in rest {
            out.push_str(&plain(&report.findings[index]));
            out.push('\n');
        }
    }
    if report.unlisted_total() > 0 {
        out.push_str(&format!(
            "::notice title=trailmap {}::{} more counted but not listed (--max-errors)\n",
            escape_property(report.command),
            report.unlisted_total()
        ));
    }
    out.push_str(&report.summary);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_escape_separators_and_data_escapes_line_breaks() {
        assert_eq!(escape_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
        assert_eq!(escape_data("50%: a,b\r\n"), "50%25: a,b%0D%0A");
        assert_eq!(escape_data("x\u{1b}[31m\0"), "x\\u{1b}[31m\\u{0}");
    }
}
