//! Ownership changes: owners of items and the SLAs of journeys and handoffs.

use super::{Category, ChangeRule, Changes, DurationChange, Versions, by_id, duration_change};
use crate::model::{Duration, Handoff, Id, Setting};
use crate::source::Span;

pub static OWNER_REMOVED: ChangeRule = ChangeRule::breaking(
    Category::Ownership,
    "B020",
    "owner-removed",
    "An item lost its owner, or its owner is now a team the plan does not know.",
    "Nobody answers for the item any more: broken tracking, questions from \
the data-protection officer and incidents have nowhere to go.\n",
);

pub static SLA_LOOSENED: ChangeRule = ChangeRule::breaking(
    Category::Ownership,
    "B021",
    "sla-loosened",
    "A journey or handoff SLA was removed or lengthened.",
    "Customers wait longer, or without any promise, between two teams; the \
teams downstream should agree.\n",
);

pub static OWNERSHIP_CHANGED: ChangeRule = ChangeRule::compatible(
    Category::Ownership,
    "B056",
    "ownership-changed",
    "An item moved to another known team, or an SLA was added or shortened.",
    "Nothing is left without an owner or promise; the teams involved may want \
to know.\n",
);

pub static RULES: [&ChangeRule; 3] = [&OWNER_REMOVED, &SLA_LOOSENED, &OWNERSHIP_CHANGED];

/// Something with an owner, as the two versions have it.
struct Owned<'a> {
    what: String,
    span: Span,
    old: Option<&'a Id>,
    new: Option<&'a Id>,
}

fn owner(versions: &Versions<'_>, changes: &mut Changes, owned: Owned<'_>) {
    let head = versions.head;
    let Owned {
        what,
        span,
        old,
        new,
    } = owned;
    match (old, new) {
        (Some(was), None) => changes.head(
            &OWNER_REMOVED,
            span,
            format!("{what} no longer has an owner (it was `{}`)", was.value),
        ),
        // Unknown before and unchanged is not a change; `check` reports the unknown team.
        (Some(was), Some(now))
            if was.value == now.value && versions.base.team(&was.value).is_none() => {}
        (_, Some(now)) if head.team(&now.value).is_none() => changes.head(
            &OWNER_REMOVED,
            now.span,
            format!(
                "{what} is now owned by `{}`, a team the plan does not define",
                now.value
            ),
        ),
        (Some(was), Some(now)) if was.value != now.value => changes.head(
            &OWNERSHIP_CHANGED,
            now.span,
            format!("{what} moved from `{}` to `{}`", was.value, now.value),
        ),
        _ => {}
    }
}

fn sla(
    changes: &mut Changes,
    what: &str,
    item: Span,
    old: &Setting<Duration>,
    new: &Setting<Duration>,
) {
    match duration_change(old, new) {
        DurationChange::Removed(was) => changes.head(
            &SLA_LOOSENED,
            item,
            format!("{what} no longer has an SLA (it was {})", was.value),
        ),
        DurationChange::Longer(was, now) => changes.head(
            &SLA_LOOSENED,
            now.span,
            format!(
                "the SLA of {what} lengthened from {} to {}",
                was.value, now.value
            ),
        ),
        DurationChange::Shorter(was, now) => changes.head(
            &OWNERSHIP_CHANGED,
            now.span,
            format!(
                "the SLA of {what} shortened from {} to {}",
                was.value, now.value
            ),
        ),
        DurationChange::Added(now) => changes.head(
            &OWNERSHIP_CHANGED,
            now.span,
            format!("{what} now has an SLA of {}", now.value),
        ),
        DurationChange::Same => {}
    }
}

/// A handoff is the same handoff in both versions when it goes from the same touchpoint to
/// the same one on the same event.
fn handoff_key(handoff: &Handoff) -> (Option<&str>, Option<&str>, Option<&str>) {
    fn value(id: &Option<Id>) -> Option<&str> {
        id.as_ref().map(|id| id.value.as_str())
    }
    (
        value(&handoff.from),
        value(&handoff.to),
        value(&handoff.when),
    )
}

macro_rules! owners {
    ($versions:expr, $changes:expr, $section:ident, $noun:literal) => {{
        let base = by_id(&$versions.base.workspace.$section, |item| &item.id.value);
        for new in &$versions.head.workspace.$section {
            if let Some(old) = base.get(new.id.value.as_str()) {
                owner(
                    $versions,
                    $changes,
                    Owned {
                        what: format!(concat!($noun, " `{}`"), new.id.value),
                        span: new.id.span,
                        old: old.owner.as_ref(),
                        new: new.owner.as_ref(),
                    },
                );
            }
        }
    }};
}

pub(super) fn compare(versions: &Versions<'_>, changes: &mut Changes) {
    owners!(versions, changes, events, "event");
    owners!(versions, changes, touchpoints, "touchpoint");
    owners!(versions, changes, channels, "channel");
    owners!(versions, changes, destinations, "destination");
    owners!(versions, changes, metrics, "metric");
    owners!(versions, changes, journeys, "journey");
    let (base, head) = versions.workspaces();
    let base_journeys = by_id(&base.journeys, |journey| &journey.id.value);
    for new in &head.journeys {
        let Some(old) = base_journeys.get(new.id.value.as_str()) else {
            continue;
        };
        let journey = format!("journey `{}`", new.id.value);
        sla(changes, &journey, new.id.span, &old.sla, &new.sla);
        for handoff in &new.handoffs {
            let key = handoff_key(handoff);
            let Some(before) = old.handoffs.iter().find(|h| handoff_key(h) == key) else {
                continue;
            };
            let what = format!(
                "the handoff {} → {} of {journey}",
                key.0.unwrap_or("?"),
                key.1.unwrap_or("?")
            );
            owner(
                versions,
                changes,
                Owned {
                    what: what.clone(),
                    span: handoff.span,
                    old: before.owner.as_ref(),
                    new: handoff.owner.as_ref(),
                },
            );
            sla(changes, &what, handoff.span, &before.sla, &handoff.sla);
        }
    }
}
