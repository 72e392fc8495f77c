//! SARIF 2.1.0, for GitHub code scanning and other static-analysis dashboards.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

use super::{Finding, Level, Location, Report};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Off => "none",
    }
}

/// What a relative URI may hold as it is in a path: everything else is percent-encoded (a file
/// named `a b%.yaml` is `a%20b%25.yaml`).
const PATH_SAFE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn physical(location: &Location) -> Value {
    let encoded = utf8_percent_encode(&location.file, PATH_SAFE).to_string();
    // A path outside the folder trailmap runs in stays absolute: a `file:` URI, no base.
    let artifact = if location.file.starts_with('/') {
        json!({ "uri": format!("file://{encoded}") })
    } else {
        json!({ "uri": encoded, "uriBaseId": "%SRCROOT%" })
    };
    json!({
        "physicalLocation": {
            "artifactLocation": artifact,
            "region": {
                "startLine": location.line,
                "startColumn": location.column,
                "endLine": location.end_line,
                "endColumn": location.end_column,
            }
        }
    })
}

fn result(finding: &Finding, rule_index: Option<usize>, fingerprint: &str) -> Value {
    let mut result = json!({
        "ruleId": finding.code,
        "level": level(finding.level),
        "message": { "text": Report::full_message(finding) },
        "locations": [physical(&finding.location)],
        "partialFingerprints": { "trailmap/v1": fingerprint },
    });
    if let Some(index) = rule_index {
        result["ruleIndex"] = json!(index);
    }
    if !finding.related.is_empty() {
        result["relatedLocations"] = finding
            .related
            .iter()
            .enumerate()
            .map(|(id, related)| {
                let mut location = physical(related);
                location["id"] = json!(id);
                if !related.label.is_empty() {
                    location["message"] = json!({ "text": related.label });
                }
                location
            })
            .collect();
    }
    result
}

pub fn render_sarif(report: &Report) -> String {
    let rules: Vec<Value> = report
        .rules
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rule.explanation.trim_end() },
                "help": { "text": rule.explanation.trim_end() },
                "defaultConfiguration": { "level": level(rule.default_level) },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .zip(report.fingerprints())
        .map(|(finding, fingerprint)| {
            let index = report
                .rules
                .iter()
                .position(|rule| rule.code == finding.code);
            result(finding, index, &fingerprint)
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "trailmap",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "automationDetails": { "id": format!("trailmap/{}/", report.command) },
            // trailmap counts columns in characters, not SARIF's default UTF-16 code units.
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "the folder trailmap ran in" } } },
            "results": results,
        }]
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}
