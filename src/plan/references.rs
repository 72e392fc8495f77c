//! Reference rules (R family): ids defined once, every reference known, every definition used.

use std::collections::HashSet;

use indexmap::IndexMap;

use super::{Index, Plan};
use crate::diagnostics::{Diagnostic, Level, Rule, did_you_mean};
use crate::model::{Id, Workspace};

pub static UNKNOWN_REFERENCE: Rule = Rule {
    code: "R001",
    name: "unknown-reference",
    default_level: Level::Error,
    summary: "A reference names a team, channel, touchpoint, event, field, purpose, destination or classification that is not defined.",
    explanation: "Owners, channels, emitted events, properties, purposes and every other \
reference must name something defined in the catalog; a typo would otherwise drop a touchpoint \
from its journey or an event from its consent checks. The message suggests the closest defined \
id.\n\nFailing:\n\n    touchpoints:\n      checkout:\n        owner: ecomerce\n\nFixed:\n\n    \
touchpoints:\n      checkout:\n        owner: ecommerce\n",
};

pub static DUPLICATE_ID: Rule = Rule {
    code: "R002",
    name: "duplicate-id",
    default_level: Level::Error,
    summary: "An id is defined twice, in one file or across files.",
    explanation: "Catalog sections may be split over many files, and ids are unique across all of \
them: two definitions of `purchase` would make every reference to it ambiguous. The diagnostic \
shows both places; the first one is used.\n\nFix: remove or rename one of the definitions.\n",
};

pub static UNUSED_DEFINITION: Rule = Rule {
    code: "R003",
    name: "unused-definition",
    default_level: Level::Warning,
    summary: "A definition is never referenced.",
    explanation: "A team that owns nothing, an event no touchpoint emits or a field no event \
carries is usually left over from a rename or not wired up yet. Remove it, reference it, or — \
for an item kept on purpose, such as a planned event — waive the rule on it with a reason:\n\n    \
events:\n      gift_card_redeemed:\n        status: planned\n        allow:\n          \
R003: Launches with the gift-card programme in Q3.\n",
};

pub static RULES: [&Rule; 3] = [&UNKNOWN_REFERENCE, &DUPLICATE_ID, &UNUSED_DEFINITION];

/// The kinds of thing an id can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Team,
    Channel,
    Touchpoint,
    Event,
    Field,
    Classification,
    Purpose,
    Destination,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Team,
        Kind::Channel,
        Kind::Touchpoint,
        Kind::Event,
        Kind::Field,
        Kind::Classification,
        Kind::Purpose,
        Kind::Destination,
    ];

    pub fn singular(self) -> &'static str {
        match self {
            Kind::Team => "team",
            Kind::Channel => "channel",
            Kind::Touchpoint => "touchpoint",
            Kind::Event => "event",
            Kind::Field => "field",
            Kind::Classification => "classification",
            Kind::Purpose => "purpose",
            Kind::Destination => "destination",
        }
    }

    fn section(self) -> &'static str {
        match self {
            Kind::Team => "teams",
            Kind::Channel => "channels",
            Kind::Touchpoint => "touchpoints",
            Kind::Event => "events",
            Kind::Field => "fields",
            Kind::Classification => "classifications",
            Kind::Purpose => "purposes",
            Kind::Destination => "destinations",
        }
    }

    fn ids(self, index: &Index) -> &IndexMap<String, usize> {
        match self {
            Kind::Team => &index.teams,
            Kind::Channel => &index.channels,
            Kind::Touchpoint => &index.touchpoints,
            Kind::Event => &index.events,
            Kind::Field => &index.fields,
            Kind::Classification => &index.classifications,
            Kind::Purpose => &index.purposes,
            Kind::Destination => &index.destinations,
        }
    }

    fn definitions(self, w: &Workspace) -> Vec<&Id> {
        match self {
            Kind::Team => w.teams.iter().map(|x| &x.id).collect(),
            Kind::Channel => w.channels.iter().map(|x| &x.id).collect(),
            Kind::Touchpoint => w.touchpoints.iter().map(|x| &x.id).collect(),
            Kind::Event => w.events.iter().map(|x| &x.id).collect(),
            Kind::Field => w.fields.iter().map(|x| &x.id).collect(),
            Kind::Classification => w.classifications.iter().map(|x| &x.id).collect(),
            Kind::Purpose => w.purposes.iter().map(|x| &x.id).collect(),
            Kind::Destination => w.destinations.iter().map(|x| &x.id).collect(),
        }
    }
}

/// Every reference the workspace makes, with the kind of thing it must name.
pub fn references(w: &Workspace) -> Vec<(Kind, &Id)> {
    let mut refs: Vec<(Kind, &Id)> = Vec::new();
    for channel in &w.channels {
        refs.extend(channel.owner.iter().map(|id| (Kind::Team, id)));
    }
    for touchpoint in &w.touchpoints {
        refs.extend(touchpoint.channel.iter().map(|id| (Kind::Channel, id)));
        refs.extend(touchpoint.owner.iter().map(|id| (Kind::Team, id)));
        refs.extend(touchpoint.emits.iter().map(|id| (Kind::Event, id)));
        refs.extend(
            touchpoint
                .captures_consent
                .iter()
                .map(|id| (Kind::Purpose, id)),
        );
    }
    for event in &w.events {
        refs.extend(event.owner.iter().map(|id| (Kind::Team, id)));
        refs.extend(event.purposes.iter().map(|id| (Kind::Purpose, id)));
        refs.extend(event.destinations.iter().map(|id| (Kind::Destination, id)));
        refs.extend(event.properties.iter().map(|p| (Kind::Field, &p.field)));
        refs.extend(event.renamed_to.iter().map(|id| (Kind::Event, id)));
    }
    for field in &w.fields {
        refs.extend(
            field
                .classification
                .iter()
                .map(|id| (Kind::Classification, id)),
        );
        refs.extend(field.purposes.iter().map(|id| (Kind::Purpose, id)));
        refs.extend(field.items.iter().map(|id| (Kind::Field, id)));
        refs.extend(field.renamed_to.iter().map(|id| (Kind::Field, id)));
        refs.extend(field.properties.iter().map(|p| (Kind::Field, &p.field)));
    }
    for destination in &w.destinations {
        refs.extend(destination.owner.iter().map(|id| (Kind::Team, id)));
        refs.extend(destination.purposes.iter().map(|id| (Kind::Purpose, id)));
    }
    for metric in &w.metrics {
        refs.extend(metric.owner.iter().map(|id| (Kind::Team, id)));
        refs.extend(metric.events.iter().map(|id| (Kind::Event, id)));
    }
    for journey in &w.journeys {
        refs.extend(journey.owner.iter().map(|id| (Kind::Team, id)));
        refs.extend(journey.goal.iter().map(|id| (Kind::Event, id)));
        for stage in &journey.stages {
            refs.extend(stage.touchpoints.iter().map(|id| (Kind::Touchpoint, id)));
        }
        for handoff in &journey.handoffs {
            refs.extend(handoff.from.iter().map(|id| (Kind::Touchpoint, id)));
            refs.extend(handoff.to.iter().map(|id| (Kind::Touchpoint, id)));
            refs.extend(handoff.when.iter().map(|id| (Kind::Event, id)));
            refs.extend(handoff.owner.iter().map(|id| (Kind::Team, id)));
            refs.extend(handoff.carries.iter().map(|id| (Kind::Field, id)));
        }
    }
    refs
}

/// Indexes ids by kind; reports each id defined a second time, labelling the first.
fn index_ids<'a>(
    ids: impl Iterator<Item = &'a Id>,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> IndexMap<String, usize> {
    let mut index: IndexMap<String, usize> = IndexMap::new();
    let mut first: Vec<&Id> = Vec::new();
    for (position, id) in ids.enumerate() {
        first.push(id);
        if let Some(&earlier) = index.get(&id.value) {
            diagnostics.push(
                Diagnostic::new(
                    &DUPLICATE_ID,
                    id.span,
                    format!("{what} `{}` is defined twice", id.value),
                )
                .with_label("defined again here")
                .with_secondary(first[earlier].span, "first defined here")
                .with_help("remove or rename one of the definitions; the first one is used"),
            );
        } else {
            index.insert(id.value.clone(), position);
        }
    }
    index
}

pub(super) fn index(w: &Workspace, diagnostics: &mut Vec<Diagnostic>) -> Index {
    let mut index = Index::default();
    for kind in Kind::ALL {
        let ids = index_ids(
            kind.definitions(w).into_iter(),
            kind.singular(),
            diagnostics,
        );
        match kind {
            Kind::Team => index.teams = ids,
            Kind::Channel => index.channels = ids,
            Kind::Touchpoint => index.touchpoints = ids,
            Kind::Event => index.events = ids,
            Kind::Field => index.fields = ids,
            Kind::Classification => index.classifications = ids,
            Kind::Purpose => index.purposes = ids,
            Kind::Destination => index.destinations = ids,
        }
    }
    index.metrics = index_ids(w.metrics.iter().map(|m| &m.id), "metric", diagnostics);
    index.journeys = index_ids(w.journeys.iter().map(|j| &j.id), "journey", diagnostics);
    for journey in &w.journeys {
        let what = format!("a stage of journey `{}`:", journey.id.value);
        index_ids(journey.stages.iter().map(|s| &s.id), &what, diagnostics);
    }
    index
}

/// Reports unknown references (with the closest id, or the kind the name really is) and
/// definitions nothing refers to.
pub(super) fn check(plan: &Plan, diagnostics: &mut Vec<Diagnostic>) {
    let mut used: HashSet<(Kind, &str)> = HashSet::new();
    for (kind, id) in references(&plan.workspace) {
        let known = kind.ids(&plan.index);
        if known.contains_key(&id.value) {
            used.insert((kind, id.value.as_str()));
            continue;
        }
        let help = did_you_mean(&id.value, known.keys().map(String::as_str)).or_else(|| {
            let other = Kind::ALL
                .iter()
                .find(|other| other.ids(&plan.index).contains_key(&id.value))?;
            Some(format!(
                "`{}` is a {}, but a {} is expected here",
                id.value,
                other.singular(),
                kind.singular()
            ))
        });
        diagnostics.push(
            Diagnostic::new(
                &UNKNOWN_REFERENCE,
                id.span,
                format!("unknown {} `{}`", kind.singular(), id.value),
            )
            .with_label(format!("not defined under `{}:`", kind.section()))
            .with_help_opt(help),
        );
    }
    for kind in Kind::ALL {
        let definitions = kind.definitions(&plan.workspace);
        for (name, &position) in kind.ids(&plan.index) {
            if !used.contains(&(kind, name.as_str())) {
                let id = definitions[position];
                diagnostics.push(
                    Diagnostic::new(
                        &UNUSED_DEFINITION,
                        id.span,
                        format!("{} `{}` is defined but never used", kind.singular(), name),
                    )
                    .with_help("reference it, remove it, or waive the rule with `allow: { R003: <reason> }`"),
                );
            }
        }
    }
}
