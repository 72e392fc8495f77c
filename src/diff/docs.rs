//! Documentation changes: descriptions and the names people see in docs and the catalog.

use super::{Category, ChangeRule, Changes, Versions, by_id};
use crate::diagnostics::{Level, Rule};
use crate::model::Text;
use crate::source::Span;

pub static DESCRIPTION_CHANGED: ChangeRule = ChangeRule {
    rule: Rule {
        code: "B030",
        name: "description-changed",
        default_level: Level::Error,
        summary: "A description was changed, added or removed.",
        explanation: "Descriptions are what analysts read in the catalog to know what data \
means; a changed meaning deserves a look.\n",
    },
    category: Category::Docs,
    breaking: true,
};

pub static NAME_CHANGED: ChangeRule = ChangeRule {
    rule: Rule {
        code: "B031",
        name: "name-changed",
        default_level: Level::Error,
        summary: "The display name of a journey, stage, touchpoint, team or channel changed.",
        explanation: "Docs, diagrams and dashboards show these names.\n",
    },
    category: Category::Docs,
    breaking: true,
};

pub static JOURNEY_REMOVED: ChangeRule = ChangeRule {
    rule: Rule {
        code: "B032",
        name: "journey-removed",
        default_level: Level::Error,
        summary: "A journey was removed.",
        explanation: "Its page, diagrams and SLA budget disappear from the docs and catalog.\n",
    },
    category: Category::Docs,
    breaking: true,
};

pub static JOURNEY_ADDED: ChangeRule = ChangeRule {
    rule: Rule {
        code: "B058",
        name: "journey-added",
        default_level: Level::Warning,
        summary: "A new journey.",
        explanation: "Adding a journey breaks nobody.\n",
    },
    category: Category::Docs,
    breaking: false,
};

pub static RULES: [&ChangeRule; 4] = [
    &DESCRIPTION_CHANGED,
    &NAME_CHANGED,
    &JOURNEY_REMOVED,
    &JOURNEY_ADDED,
];

fn text_change(
    changes: &mut Changes,
    kind: &'static ChangeRule,
    what: &str,
    key: &str,
    item: Span,
    old: &Option<Text>,
    new: &Option<Text>,
) {
    let value = |text: &Option<Text>| text.as_ref().map(|t| t.value.trim().to_string());
    if value(old) == value(new) {
        return;
    }
    let message = match (old, new) {
        (None, _) => format!("{what} now has a {key}"),
        (_, None) => format!("{what} no longer has a {key}"),
        _ => format!("the {key} of {what} changed"),
    };
    changes.head(kind, new.as_ref().map_or(item, |t| t.span), message);
}

macro_rules! texts {
    ($versions:expr, $changes:expr, $section:ident, $noun:literal, [$($key:ident => $kind:expr),*]) => {{
        let base = by_id(&$versions.base.workspace.$section, |item| &item.id.value);
        for new in &$versions.head.workspace.$section {
            if let Some(old) = base.get(new.id.value.as_str()) {
                let what = format!(concat!($noun, " `{}`"), new.id.value);
                $(text_change($changes, $kind, &what, stringify!($key), new.id.span, &old.$key, &new.$key);)*
            }
        }
    }};
}

pub(super) fn compare(versions: &Versions<'_>, changes: &mut Changes) {
    texts!(versions, changes, events, "event", [description => &DESCRIPTION_CHANGED]);
    texts!(versions, changes, fields, "field", [description => &DESCRIPTION_CHANGED]);
    texts!(versions, changes, touchpoints, "touchpoint",
        [description => &DESCRIPTION_CHANGED, name => &NAME_CHANGED]);
    texts!(versions, changes, teams, "team",
        [description => &DESCRIPTION_CHANGED, name => &NAME_CHANGED]);
    texts!(versions, changes, channels, "channel",
        [description => &DESCRIPTION_CHANGED, name => &NAME_CHANGED]);
    texts!(versions, changes, journeys, "journey",
        [description => &DESCRIPTION_CHANGED, name => &NAME_CHANGED]);
    let (base, head) = versions.workspaces();
    let head_journeys = by_id(&head.journeys, |journey| &journey.id.value);
    let base_journeys = by_id(&base.journeys, |journey| &journey.id.value);
    for old in &base.journeys {
        let Some(new) = head_journeys.get(old.id.value.as_str()) else {
            changes.base(
                &JOURNEY_REMOVED,
                old.id.span,
                format!("journey `{}` was removed", old.id.value),
            );
            continue;
        };
        for stage in &new.stages {
            if let Some(before) = old.stages.iter().find(|s| s.id.value == stage.id.value) {
                let what = format!("stage `{}` of journey `{}`", stage.id.value, new.id.value);
                text_change(
                    changes,
                    &NAME_CHANGED,
                    &what,
                    "name",
                    stage.id.span,
                    &before.name,
                    &stage.name,
                );
                text_change(
                    changes,
                    &DESCRIPTION_CHANGED,
                    &what,
                    "description",
                    stage.id.span,
                    &before.description,
                    &stage.description,
                );
            }
        }
    }
    for new in &head.journeys {
        if !base_journeys.contains_key(new.id.value.as_str()) {
            changes.head(
                &JOURNEY_ADDED,
                new.id.span,
                format!("journey `{}` was added", new.id.value),
            );
        }
    }
}
