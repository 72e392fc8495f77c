//! Documentation changes: descriptions and the names people see in docs and the catalog.

use super::{Category, ChangeRule, Changes, Versions, by_id};
use crate::model::Text;
use crate::source::Span;

pub static DESCRIPTION_CHANGED: ChangeRule = ChangeRule::breaking(
    Category::Docs,
    "B030",
    "description-changed",
    "A description was changed, added or removed.",
    "Descriptions are what analysts read in the catalog to know what data \
means; a changed meaning deserves a look.\n",
);

pub static NAME_CHANGED: ChangeRule = ChangeRule::breaking(
    Category::Docs,
    "B031",
    "name-changed",
    "The display name of a journey, stage, touchpoint, team or channel changed.",
    "Docs, diagrams and dashboards show these names.\n",
);

pub static JOURNEY_REMOVED: ChangeRule = ChangeRule::breaking(
    Category::Docs,
    "B032",
    "journey-removed",
    "A journey was removed.",
    "Its page, diagrams and SLA budget disappear from the docs and catalog.\n",
);

pub static JOURNEY_ADDED: ChangeRule = ChangeRule::compatible(
    Category::Docs,
    "B058",
    "journey-added",
    "A new journey.",
    "Adding a journey breaks nobody.\n",
);

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
