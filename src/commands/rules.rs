//! `trailmap rules` and `trailmap explain`: the rule catalog for people and tools.

use std::io::Write;

use serde::Serialize;

use super::exit;
use crate::diagnostics::{Rule, did_you_mean};
use crate::diff;
use crate::rules;

#[derive(Serialize)]
struct RuleInfo {
    code: &'static str,
    name: &'static str,
    default_level: &'static str,
    summary: &'static str,
    explanation: &'static str,
}

impl From<&Rule> for RuleInfo {
    fn from(rule: &Rule) -> RuleInfo {
        RuleInfo {
            code: rule.code,
            name: rule.name,
            default_level: rule.default_level.as_str(),
            summary: rule.summary,
            explanation: rule.explanation,
        }
    }
}

/// Every rule of every command, in code order: `check`'s, `validate-events`' and `diff`'s.
fn registry() -> Vec<&'static Rule> {
    let mut all = rules::registry();
    all.extend(diff::rules().into_iter().map(|kind| &kind.rule));
    all.sort_by_key(|rule| rule.code);
    all
}

/// Lists every rule: a table for people, or a JSON array with the explanations.
pub fn list(json: bool, out: &mut dyn Write) -> u8 {
    let rules = registry();
    let written = if json {
        let infos: Vec<RuleInfo> = rules.iter().map(|rule| RuleInfo::from(*rule)).collect();
        serde_json::to_string_pretty(&infos)
            .map_err(std::io::Error::other)
            .and_then(|text| writeln!(out, "{text}"))
    } else {
        let width = rules.iter().map(|rule| rule.name.len()).max().unwrap_or(0);
        rules.iter().try_for_each(|rule| {
            writeln!(
                out,
                "{}  {:width$}  {:7}  {}",
                rule.code,
                rule.name,
                rule.default_level.as_str(),
                rule.summary
            )
        })
    };
    if written.is_err() {
        exit::FAILURE
    } else {
        exit::CLEAN
    }
}

fn explanation(rule: &Rule) -> String {
    format!(
        "{} {} (default: {})\n\n{}\n\n{}",
        rule.code,
        rule.name,
        rule.default_level.as_str(),
        rule.summary,
        rule.explanation.trim_end()
    )
}

/// Prints one rule's explanation (by code or name), or all of them.
pub fn explain(rule: Option<&str>, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let text = match rule {
        None => registry()
            .into_iter()
            .map(explanation)
            .collect::<Vec<_>>()
            .join("\n\n---\n\n"),
        Some(wanted) => match rules::find_in(registry(), wanted) {
            Some(rule) => explanation(rule),
            None => {
                let rules = registry();
                let help = did_you_mean(wanted, rules.iter().flat_map(|r| [r.code, r.name]))
                    .unwrap_or_else(|| "`trailmap rules` lists them".to_string());
                let _ = writeln!(err, "error: there is no rule `{wanted}`; {help}");
                return exit::FAILURE;
            }
        },
    };
    if writeln!(out, "{text}").is_err() {
        exit::FAILURE
    } else {
        exit::CLEAN
    }
}
