//! The rule catalog and its configuration: levels from `trailmap.yaml` and per-item waivers.
//!
//! Each family of rules lives next to the stage that checks it (structure rules in the model,
//! reference rules in the plan); this module gathers them into one registry for `trailmap
//! rules` and `trailmap explain`, and applies the workspace's configuration to every finding.

mod consent;
mod graph;
mod naming;
mod ownership;
mod quality;
mod retention;
mod sla;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Level, Rule, did_you_mean};
use crate::model::{Allow, Workspace, structure};
use crate::plan::{Plan, references};
use crate::source::Span;

pub static UNKNOWN_RULE: Rule = Rule {
    code: "S010",
    name: "unknown-rule",
    default_level: Level::Error,
    summary: "A rule level or waiver names a rule that does not exist.",
    explanation: "`rules:` in trailmap.yaml and `allow:` on an item name rules by code (`R003`) \
or name (`unused-definition`). A misspelt one would silently change nothing, so it is reported \
with the closest existing rule.\n\nFailing:\n\n    rules:\n      unused-definitions: off\n\n\
Fixed:\n\n    rules:\n      unused-definition: off\n",
};

/// The rules `trailmap check` runs, in code order.
pub fn check_rules() -> Vec<&'static Rule> {
    let families: [&[&'static Rule]; 10] = [
        &structure::RULES,
        &references::RULES,
        &[&UNKNOWN_RULE],
        &naming::RULES,
        &ownership::RULES,
        &sla::RULES,
        &consent::RULES,
        &retention::RULES,
        &graph::RULES,
        &quality::RULES,
    ];
    let mut rules: Vec<&'static Rule> = families
        .iter()
        .flat_map(|family| family.iter().copied())
        .collect();
    rules.sort_by_key(|rule| rule.code);
    rules
}

/// Every rule trailmap knows, in code order: those of `check` and those of `validate-events`.
pub fn registry() -> Vec<&'static Rule> {
    let mut rules = check_rules();
    rules.extend(crate::events::violations::RULES);
    rules.sort_by_key(|rule| rule.code);
    rules
}

/// A rule by code (`R003`, any case) or name (`unused-definition`).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    find_in(registry(), code_or_name)
}

/// A rule of `rules` by code (any case) or name.
pub fn find_in(
    rules: impl IntoIterator<Item = &'static Rule>,
    code_or_name: &str,
) -> Option<&'static Rule> {
    rules
        .into_iter()
        .find(|rule| rule.code.eq_ignore_ascii_case(code_or_name) || rule.name == code_or_name)
}

fn unknown_rule(name: &crate::model::Text) -> Diagnostic {
    let rules = registry();
    let known = rules.iter().flat_map(|rule| [rule.code, rule.name]);
    Diagnostic::new(
        &UNKNOWN_RULE,
        name.span,
        format!("there is no rule `{}`", name.value),
    )
    .with_help_opt(
        did_you_mean(&name.value, known).or_else(|| Some("`trailmap rules` lists them".into())),
    )
}

/// The checks of every family, run in parallel; each family reports into its own list.
pub fn run(plan: &Plan) -> Vec<Diagnostic> {
    let checks: [fn(&Plan, &mut Vec<Diagnostic>); 7] = [
        naming::check,
        ownership::check,
        sla::check,
        consent::check,
        retention::check,
        graph::check,
        quality::check,
    ];
    checks
        .par_iter()
        .flat_map_iter(|check| {
            let mut found = Vec::new();
            check(plan, &mut found);
            found
        })
        .collect()
}

/// Every `allow:` of the workspace.
fn allows(w: &Workspace) -> Vec<&Allow> {
    let mut all: Vec<&Allow> = Vec::new();
    all.extend(w.teams.iter().flat_map(|x| &x.allow));
    all.extend(w.channels.iter().flat_map(|x| &x.allow));
    all.extend(w.touchpoints.iter().flat_map(|x| &x.allow));
    all.extend(w.events.iter().flat_map(|x| &x.allow));
    all.extend(w.fields.iter().flat_map(|x| &x.allow));
    all.extend(w.classifications.iter().flat_map(|x| &x.allow));
    all.extend(w.purposes.iter().flat_map(|x| &x.allow));
    all.extend(w.destinations.iter().flat_map(|x| &x.allow));
    all.extend(w.metrics.iter().flat_map(|x| &x.allow));
    for journey in &w.journeys {
        all.extend(&journey.allow);
        all.extend(journey.stages.iter().flat_map(|x| &x.allow));
        all.extend(journey.handoffs.iter().flat_map(|x| &x.allow));
    }
    all
}

fn contains(scope: Span, span: Span) -> bool {
    scope.file == span.file && scope.start <= span.start && span.end <= scope.end
}

/// Applies rule levels and waivers: drops findings of rules set to `off` or waived on their
/// item, sets the configured level on the rest, and reports configuration naming unknown rules.
pub fn configure(plan: &Plan, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut levels: Vec<(&'static Rule, Level)> = Vec::new();
    if let Some(manifest) = &plan.workspace.manifest {
        for (name, level) in &manifest.rules {
            match find(&name.value) {
                Some(rule) => levels.push((rule, level.value)),
                None => problems.push(unknown_rule(name)),
            }
        }
    }
    let mut waivers: Vec<(&'static Rule, Span)> = Vec::new();
    for allow in allows(&plan.workspace) {
        match find(&allow.rule.value) {
            Some(rule) => waivers.push((rule, allow.scope)),
            None => problems.push(unknown_rule(&allow.rule)),
        }
    }
    let same = |a: &'static Rule, b: &'static Rule| std::ptr::eq(a, b);
    let mut kept: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| {
            !waivers
                .iter()
                .any(|&(rule, scope)| same(rule, d.rule) && contains(scope, d.primary.span))
        })
        .filter_map(|mut d| {
            if let Some(&(_, level)) = levels.iter().rev().find(|(rule, _)| same(rule, d.rule)) {
                d.level = level;
            }
            (d.level != Level::Off).then_some(d)
        })
        .collect();
    kept.extend(problems);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let rules = registry();
        let mut codes: Vec<_> = rules.iter().map(|r| r.code).collect();
        let mut names: Vec<_> = rules.iter().map(|r| r.name).collect();
        codes.dedup();
        names.sort();
        names.dedup();
        assert_eq!(codes.len(), rules.len());
        assert_eq!(names.len(), rules.len());
        for rule in rules {
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                rule.name
            );
            assert!(rule.summary.ends_with('.'), "{}", rule.code);
            assert!(!rule.explanation.is_empty());
        }
    }

    #[test]
    fn rules_are_found_by_code_or_name() {
        assert_eq!(find("r003").map(|r| r.name), Some("unused-definition"));
        assert_eq!(find("duplicate-key").map(|r| r.code), Some("S002"));
        assert!(find("nope").is_none());
    }
}
