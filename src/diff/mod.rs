//! `trailmap diff`: what changed between two versions of a workspace, and what each change
//! breaks.
//!
//! Changes are compared item by item (events, fields, journeys, …, matched by id) and
//! classified, strictest first, as buf does: **payload** (breaks what producers send or
//! consumers read), **privacy**, **ownership** and **docs**. Additions and relaxations are listed
//! as non-breaking. One family of change rules per file, each rule next to its comparison.

mod docs;
pub mod git;
mod ownership;
mod payload;
mod privacy;

use std::collections::HashMap;

use serde::Serialize;

use crate::diagnostics::{Level, Rule};
use crate::model::{Duration, Setting, Workspace};
use crate::plan::Plan;
use crate::source::Span;
use crate::source::Spanned;

/// How much a change breaks, least first (so `>=` reads "at least as strict as").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Docs,
    Ownership,
    Privacy,
    Payload,
}

impl Category {
    /// Strictest first, as reports list them.
    pub const STRICTEST_FIRST: [Category; 4] = [
        Category::Payload,
        Category::Privacy,
        Category::Ownership,
        Category::Docs,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Payload => "payload",
            Category::Privacy => "privacy",
            Category::Ownership => "ownership",
            Category::Docs => "docs",
        }
    }
}

/// A kind of change: its rule (code, name, summary, explanation), its category and whether it
/// breaks anything.
pub struct ChangeRule {
    pub rule: Rule,
    pub category: Category,
    pub breaking: bool,
}

impl ChangeRule {
    /// A breaking change: an error by default, as the exit code treats it at the threshold.
    pub(super) const fn breaking(
        category: Category,
        code: &'static str,
        name: &'static str,
        summary: &'static str,
        explanation: &'static str,
    ) -> ChangeRule {
        ChangeRule::new(category, true, code, name, summary, explanation)
    }

    /// A change that breaks nothing: listed, never failing.
    pub(super) const fn compatible(
        category: Category,
        code: &'static str,
        name: &'static str,
        summary: &'static str,
        explanation: &'static str,
    ) -> ChangeRule {
        ChangeRule::new(category, false, code, name, summary, explanation)
    }

    const fn new(
        category: Category,
        breaking: bool,
        code: &'static str,
        name: &'static str,
        summary: &'static str,
        explanation: &'static str,
    ) -> ChangeRule {
        ChangeRule {
            rule: Rule {
                code,
                name,
                default_level: if breaking {
                    Level::Error
                } else {
                    Level::Warning
                },
                summary,
                explanation,
            },
            category,
            breaking,
        }
    }
}

/// The version a change points into: removals point at the base, everything else at the head.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Base,
    Head,
}

pub struct Change {
    pub kind: &'static ChangeRule,
    pub message: String,
    pub side: Side,
    pub span: Span,
}

/// Every change rule, in code order.
pub fn rules() -> Vec<&'static ChangeRule> {
    let mut rules: Vec<&'static ChangeRule> = [
        payload::RULES.as_slice(),
        privacy::RULES.as_slice(),
        ownership::RULES.as_slice(),
        docs::RULES.as_slice(),
    ]
    .concat();
    rules.sort_by_key(|kind| kind.rule.code);
    rules
}

/// The two versions being compared.
pub struct Versions<'a> {
    pub base: &'a Plan,
    pub head: &'a Plan,
}

impl Versions<'_> {
    fn workspaces(&self) -> (&Workspace, &Workspace) {
        (&self.base.workspace, &self.head.workspace)
    }
}

/// The changes found so far.
#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn head(&mut self, kind: &'static ChangeRule, span: Span, message: String) {
        self.0.push(Change {
            kind,
            message,
            side: Side::Head,
            span,
        });
    }

    fn base(&mut self, kind: &'static ChangeRule, span: Span, message: String) {
        self.0.push(Change {
            kind,
            message,
            side: Side::Base,
            span,
        });
    }
}

/// How a duration setting (an SLA, a retention) changed between the versions. A setting that
/// could not be read in either version is no change: `check` reports it.
enum DurationChange<'a> {
    Same,
    Added(&'a Spanned<Duration>),
    Removed(&'a Spanned<Duration>),
    Longer(&'a Spanned<Duration>, &'a Spanned<Duration>),
    Shorter(&'a Spanned<Duration>, &'a Spanned<Duration>),
}

fn duration_change<'a>(
    old: &'a Setting<Duration>,
    new: &'a Setting<Duration>,
) -> DurationChange<'a> {
    match (old.get(), new.get()) {
        (Some(was), None) if new.is_absent() => DurationChange::Removed(was),
        (None, Some(now)) if old.is_absent() => DurationChange::Added(now),
        (Some(was), Some(now)) if now.value > was.value => DurationChange::Longer(was, now),
        (Some(was), Some(now)) if now.value < was.value => DurationChange::Shorter(was, now),
        _ => DurationChange::Same,
    }
}

/// Items of one kind by id, for matching the two versions.
fn by_id<T>(items: &[T], id: impl Fn(&T) -> &str) -> HashMap<&str, &T> {
    items.iter().map(|item| (id(item), item)).collect()
}

/// Every change from `base` to `head`, strictest category first, then in the order of the
/// head's (or, for removals, the base's) files.
pub fn compare(versions: &Versions<'_>) -> Vec<Change> {
    let mut changes = Changes::default();
    payload::compare(versions, &mut changes);
    privacy::compare(versions, &mut changes);
    ownership::compare(versions, &mut changes);
    docs::compare(versions, &mut changes);
    let mut changes = changes.0;
    changes.sort_by_key(|change| {
        (
            !change.kind.breaking,
            std::cmp::Reverse(change.kind.category),
            change.side,
            change.span.file,
            change.span.start,
            change.kind.rule.code,
            change.message.clone(),
        )
    });
    changes
}
