//! GitLab Code Quality report: findings shown in the merge request widget and diff.

use serde_json::{Value, json};

use super::{Level, Report};

fn severity(level: Level) -> &'static str {
    match level {
        Level::Error => "major",
        Level::Warning => "minor",
        Level::Off => "info",
    }
}

pub fn render_gitlab(report: &Report) -> String {
    let issues: Vec<Value> = report
        .findings
        .iter()
        .zip(report.fingerprints())
        .map(|(finding, fingerprint)| {
            json!({
                "type": "issue",
                "check_name": format!("{} {}", finding.code, finding.name),
                "description": Report::full_message(finding),
                "categories": ["Style"],
                "severity": severity(finding.level),
                "fingerprint": fingerprint,
                "location": {
                    "path": finding.location.file,
                    "lines": { "begin": finding.location.line, "end": finding.location.end_line },
                },
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_default();
    out.push('\n');
    out
}
