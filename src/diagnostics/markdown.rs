//! A Markdown report: the GitHub step summary, or a comment on a pull request.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Report, plural};

/// At most this many findings are listed; a step summary is limited to 1 MiB.
const LISTED: usize = 200;

/// Text made safe for one cell of a Markdown table: no HTML, no column break, one line.
pub fn markdown_cell(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn render_markdown(report: &Report) -> String {
    let mut out = format!("### trailmap {}\n\n{}\n", report.command, report.summary);
    if report.findings.is_empty() && report.unlisted.is_empty() {
        return out;
    }
    let mut by_rule: BTreeMap<&str, (&str, &str, u64)> = BTreeMap::new();
    for finding in &report.findings {
        by_rule
            .entry(finding.code)
            .or_insert((finding.name, finding.level.as_str(), 0))
            .2 += 1;
    }
    for unlisted in &report.unlisted {
        let rule = unlisted.rule;
        by_rule
            .entry(rule.code)
            .or_insert((rule.name, rule.default_level.as_str(), 0))
            .2 += unlisted.count;
    }
    out.push_str("\n| rule | level | findings |\n|---|---|---:|\n");
    for (code, (name, level, count)) in &by_rule {
        let _ = writeln!(out, "| {code} {name} | {level} | {count} |");
    }
    out.push_str("\n| where | rule | message |\n|---|---|---|\n");
    for finding in report.findings.iter().take(LISTED) {
        let at = &finding.location;
        let _ = writeln!(
            out,
            "| `{}:{}:{}` | {} | {} |",
            markdown_cell(&at.file).replace('`', "'"),
            at.line,
            at.column,
            finding.code,
            markdown_cell(&finding.message)
        );
    }
    if report.unlisted_total() > 0 {
        let _ = writeln!(
            out,
            "\n{} more counted but not listed (`--max-errors`).",
            plural(report.unlisted_total(), "finding")
        );
    }
    if report.findings.len() > LISTED {
        let _ = writeln!(
            out,
            "\n… and {} more (run `trailmap {}` locally for all of them).",
            plural(report.findings.len() - LISTED, "finding"),
            report.command
        );
    }
    out
}
