//! Privacy changes: classification, retention, purposes, destinations and consent capture.

use std::collections::{BTreeSet, HashMap};

use super::{Category, ChangeRule, Changes, DurationChange, Versions, by_id, duration_change};
use crate::model::{Duration, Id, Setting, Workspace};
use crate::plan::Plan;
use crate::source::Span;

pub static CLASSIFICATION_LOWERED: ChangeRule = ChangeRule::breaking(
    Category::Privacy,
    "B010",
    "classification-lowered",
    "A field's classification has a lower rank than before.",
    "Data that was treated as, say, personal is now treated as internal: fewer controls apply \
to it downstream. A data-protection review should confirm the new classification.\n",
);

pub static RETENTION_LENGTHENED: ChangeRule = ChangeRule::breaking(
    Category::Privacy,
    "B011",
    "retention-lengthened",
    "A field or destination keeps data longer than before, or without a limit.",
    "Longer retention must be justified by the purposes and allowed by the classification; the \
consent and retention register changes.\n",
);

pub static PURPOSE_ADDED: ChangeRule = ChangeRule::breaking(
    Category::Privacy,
    "B012",
    "purpose-added",
    "A field or event is used for a purpose it was not used for before.",
    "Widening the purposes of data needs a lawful basis for the new purpose and, for consent, \
that people were asked for it.\n",
);

pub static THIRD_PARTY_DESTINATION_ADDED: ChangeRule = ChangeRule::breaking(
    Category::Privacy,
    "B013",
    "third-party-destination-added",
    "Personal data now reaches a third party: a third-party destination added to an event \
carrying it, a destination of the event turned third party, or personal data added to an event \
a third party receives.",
    "Personal data leaves the company: the destination must be covered by a processing \
agreement and by what people consented to.\n",
);

pub static CONSENT_CAPTURE_REMOVED: ChangeRule = ChangeRule::breaking(
    Category::Privacy,
    "B014",
    "consent-capture-removed",
    "A journey no longer captures consent for a purpose it captured before.",
    "Events later in the journey may rely on that consent; without the capture they collect \
data nobody agreed to.\n",
);

pub static PRIVACY_TIGHTENED: ChangeRule = ChangeRule::compatible(
    Category::Privacy,
    "B055",
    "privacy-tightened",
    "Data is better protected than before: classification raised, retention \
shortened, a purpose or destination removed, consent captured for a new purpose.",
    "Nothing breaks; the register changes.\n",
);

pub static DESTINATION_ADDED: ChangeRule = ChangeRule::compatible(
    Category::Privacy,
    "B057",
    "destination-added",
    "An event is sent to a new destination that is not a third party receiving \
personal data.",
    "Worth knowing for the register; B013 covers third parties receiving \
personal data.\n",
);

pub static RULES: [&ChangeRule; 7] = [
    &CLASSIFICATION_LOWERED,
    &RETENTION_LENGTHENED,
    &PURPOSE_ADDED,
    &THIRD_PARTY_DESTINATION_ADDED,
    &CONSENT_CAPTURE_REMOVED,
    &PRIVACY_TIGHTENED,
    &DESTINATION_ADDED,
];

pub(super) fn compare(versions: &Versions<'_>, changes: &mut Changes) {
    let (base, head) = versions.workspaces();
    let base_fields = by_id(&base.fields, |field| &field.id.value);
    for new in &head.fields {
        let Some(old) = base_fields.get(new.id.value.as_str()) else {
            continue;
        };
        let what = format!("field `{}`", new.id.value);
        if let (Some(was), Some(now)) = (&old.classification, &new.classification) {
            let rank = |plan: &Plan, id: &Id| {
                plan.classification(&id.value)
                    .and_then(|class| class.rank.as_ref())
                    .map(|rank| rank.value)
            };
            match (rank(versions.base, was), rank(versions.head, now)) {
                (Some(was_rank), Some(now_rank)) if now_rank < was_rank => changes.head(
                    &CLASSIFICATION_LOWERED,
                    now.span,
                    format!(
                        "{what} is now `{}` (rank {now_rank}), lower than `{}` (rank {was_rank})",
                        now.value, was.value
                    ),
                ),
                (Some(was_rank), Some(now_rank)) if now_rank > was_rank => changes.head(
                    &PRIVACY_TIGHTENED,
                    now.span,
                    format!("{what} is now `{}`, above `{}`", now.value, was.value),
                ),
                _ => {}
            }
        }
        retention(changes, &what, new.id.span, &old.retention, &new.retention);
        purposes(changes, &what, new.id.span, &old.purposes, &new.purposes);
    }
    let base_destinations = by_id(&base.destinations, |d| &d.id.value);
    for new in &head.destinations {
        if let Some(old) = base_destinations.get(new.id.value.as_str()) {
            let what = format!("destination `{}`", new.id.value);
            retention(changes, &what, new.id.span, &old.retention, &new.retention);
        }
    }
    let base_events = by_id(&base.events, |event| &event.id.value);
    for new in &head.events {
        let Some(old) = base_events.get(new.id.value.as_str()) else {
            continue;
        };
        let what = format!("event `{}`", new.id.value);
        purposes(changes, &what, new.id.span, &old.purposes, &new.purposes);
        // Personal data reaching a third party, in each version: a new flow is breaking
        // whether the destination, the personal field or the third-party flag is what is new.
        let before = third_party_recipients(versions.base, old);
        let after = third_party_recipients(versions.head, new);
        for destination in &new.destinations {
            let reaches_third_party = after.contains(&destination.value.as_str());
            if reaches_third_party && !before.contains(&destination.value.as_str()) {
                changes.head(
                    &THIRD_PARTY_DESTINATION_ADDED,
                    destination.span,
                    format!(
                        "{what} now sends personal data to the third party `{}`",
                        destination.value
                    ),
                );
            } else if !old
                .destinations
                .iter()
                .any(|d| d.value == destination.value)
            {
                changes.head(
                    &DESTINATION_ADDED,
                    destination.span,
                    format!("{what} is now sent to `{}`", destination.value),
                );
            }
        }
        let removed: Vec<&str> = old
            .destinations
            .iter()
            .filter(|d| !new.destinations.iter().any(|n| n.value == d.value))
            .map(|d| d.value.as_str())
            .collect();
        if !removed.is_empty() {
            changes.head(
                &PRIVACY_TIGHTENED,
                new.id.span,
                format!("{what} is no longer sent to `{}`", removed.join("`, `")),
            );
        }
    }
    consent_capture(versions, changes);
}

/// The third-party destinations an event sends personal data to, none if it carries none.
fn third_party_recipients<'a>(plan: &Plan, event: &'a crate::model::Event) -> Vec<&'a str> {
    let personal = plan
        .event_fields(event)
        .into_iter()
        .any(|field| plan.is_personal(field));
    if !personal {
        return Vec::new();
    }
    event
        .destinations
        .iter()
        .filter(|id| {
            plan.destination(&id.value)
                .and_then(|d| d.third_party.as_ref())
                .is_some_and(|flag| flag.value)
        })
        .map(|id| id.value.as_str())
        .collect()
}

fn retention(
    changes: &mut Changes,
    what: &str,
    item: Span,
    old: &Setting<Duration>,
    new: &Setting<Duration>,
) {
    match duration_change(old, new) {
        DurationChange::Longer(was, now) => changes.head(
            &RETENTION_LENGTHENED,
            now.span,
            format!("{what} is now kept {} instead of {}", now.value, was.value),
        ),
        DurationChange::Removed(was) => changes.head(
            &RETENTION_LENGTHENED,
            item,
            format!(
                "{what} no longer has a retention (it was {}): it may be kept forever",
                was.value
            ),
        ),
        DurationChange::Shorter(was, now) => changes.head(
            &PRIVACY_TIGHTENED,
            now.span,
            format!("{what} is now kept {} instead of {}", now.value, was.value),
        ),
        // A retention where there was none limits what was unlimited: nothing to flag.
        DurationChange::Added(_) | DurationChange::Same => {}
    }
}

fn purposes(changes: &mut Changes, what: &str, item: Span, old: &[Id], new: &[Id]) {
    for purpose in new {
        if !old.iter().any(|p| p.value == purpose.value) {
            changes.head(
                &PURPOSE_ADDED,
                purpose.span,
                format!("{what} is now also used for `{}`", purpose.value),
            );
        }
    }
    let removed: Vec<&str> = old
        .iter()
        .filter(|p| !new.iter().any(|n| n.value == p.value))
        .map(|p| p.value.as_str())
        .collect();
    if !removed.is_empty() {
        changes.head(
            &PRIVACY_TIGHTENED,
            item,
            format!("{what} is no longer used for `{}`", removed.join("`, `")),
        );
    }
}

/// The purposes a journey's touchpoints capture consent for.
fn captured(workspace: &Workspace, journey: &str) -> BTreeSet<String> {
    let touchpoints: HashMap<&str, &crate::model::Touchpoint> =
        by_id(&workspace.touchpoints, |t| &t.id.value);
    workspace
        .journeys
        .iter()
        .filter(|j| j.id.value == journey)
        .flat_map(|j| j.stages.iter().flat_map(|stage| &stage.touchpoints))
        .filter_map(|id| touchpoints.get(id.value.as_str()))
        .flat_map(|touchpoint| touchpoint.captures_consent.iter().map(|p| p.value.clone()))
        .collect()
}

fn consent_capture(versions: &Versions<'_>, changes: &mut Changes) {
    let (base, head) = versions.workspaces();
    for journey in &head.journeys {
        if !base.journeys.iter().any(|j| j.id.value == journey.id.value) {
            continue;
        }
        let was = captured(base, &journey.id.value);
        let now = captured(head, &journey.id.value);
        for purpose in was.difference(&now) {
            changes.head(
                &CONSENT_CAPTURE_REMOVED,
                journey.id.span,
                format!(
                    "journey `{}` no longer captures consent for `{purpose}`",
                    journey.id.value
                ),
            );
        }
        for purpose in now.difference(&was) {
            changes.head(
                &PRIVACY_TIGHTENED,
                journey.id.span,
                format!(
                    "journey `{}` now captures consent for `{purpose}`",
                    journey.id.value
                ),
            );
        }
    }
}
