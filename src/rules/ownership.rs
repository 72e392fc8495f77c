//! Ownership rules (O family): everything that runs has an owner, and work that changes teams
//! has a deadline.

use crate::diagnostics::{Diagnostic, Level, Rule};
use crate::model::{Handoff, Journey};
use crate::plan::Plan;
use crate::source::Span;

pub static MISSING_OWNER: Rule = Rule {
    code: "O001",
    name: "missing-owner",
    default_level: Level::Error,
    summary: "A touchpoint, event, journey or handoff has no owner.",
    explanation: "When tracking breaks or a handoff stalls, someone must be called. Every \
touchpoint, event, journey and handoff names the team that owns it (`owner:`, a team id).\n\n\
Failing:\n\n    events:\n      purchase:\n        description: Order placed.\n\nFixed:\n\n    \
events:\n      purchase:\n        description: Order placed.\n        owner: ecommerce\n",
};

pub static HANDOFF_WITHOUT_SLA: Rule = Rule {
    code: "O002",
    name: "handoff-without-sla",
    default_level: Level::Error,
    summary: "A handoff between two teams has no SLA.",
    explanation: "A handoff whose receiving team differs from the team owning the touchpoint it \
leaves is where customers wait: nobody feels responsible for the gap. Such a handoff states how \
fast the receiving team acts (`sla:`).\n\nFailing:\n\n    handoffs:\n      - from: checkout      \
# owned by ecommerce\n        to: pickup_desk\n        owner: store_ops\n\nFixed:\n\n    \
handoffs:\n      - from: checkout\n        to: pickup_desk\n        owner: store_ops\n        \
sla: 2h\n",
};

pub static PLACEHOLDER: Rule = Rule {
    code: "O003",
    name: "placeholder",
    default_level: Level::Warning,
    summary: "An item is owned by a placeholder team or classified with a placeholder classification.",
    explanation: "`trailmap import` brings in tracking plans that name no owners and classify no \
data. Rather than inventing them, it writes a team and a classification marked \
`placeholder: true` and uses them everywhere; this rule lists every use, so that the plan is \
handed over to real teams and classified field by field. It is a warning: an imported plan \
checks and builds, and the list is the to-do.\n\nFailing:\n\n    teams:\n      unassigned: \
{ name: Unassigned, contact: TODO, placeholder: true }\n    events:\n      purchase: { owner: \
unassigned }\n\nFixed:\n\n    events:\n      purchase: { owner: ecommerce }\n",
};

pub static RULES: [&Rule; 3] = [&MISSING_OWNER, &HANDOFF_WITHOUT_SLA, &PLACEHOLDER];

fn placeholder_use(what: String, kind: &str, at: Span) -> Diagnostic {
    Diagnostic::new(&PLACEHOLDER, at, format!("{what} is {kind}"))
        .with_help("replace the placeholder an importer wrote with the real value")
}

fn missing(what: String, at: Span) -> Diagnostic {
    Diagnostic::new(&MISSING_OWNER, at, format!("{what} has no owner"))
        .with_help("add `owner:` with the id of the team responsible")
}

fn check_handoff(plan: &Plan, journey: &Journey, handoff: &Handoff, out: &mut Vec<Diagnostic>) {
    let Some(owner) = &handoff.owner else {
        out.push(missing(
            format!("a handoff of journey `{}`", journey.id.value),
            handoff.span,
        ));
        return;
    };
    let sender = handoff
        .from
        .as_ref()
        .and_then(|from| plan.touchpoint(&from.value))
        .and_then(|touchpoint| touchpoint.owner.as_ref());
    if let Some(sender) = sender
        && sender.value != owner.value
        && handoff.sla.is_absent()
    {
        out.push(
            Diagnostic::new(
                &HANDOFF_WITHOUT_SLA,
                owner.span,
                format!(
                    "the handoff from team `{}` to team `{}` has no SLA",
                    sender.value, owner.value
                ),
            )
            .with_label("receiving team")
            .with_secondary(sender.span, "sending touchpoint's owner")
            .with_help("add `sla:` with how fast the receiving team acts, e.g. `sla: 4h`"),
        );
    }
}

pub fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let w = &plan.workspace;
    for touchpoint in w.touchpoints.iter().filter(|t| t.owner.is_none()) {
        out.push(missing(
            format!("touchpoint `{}`", touchpoint.id.value),
            touchpoint.id.span,
        ));
    }
    for event in w.events.iter().filter(|e| e.owner.is_none()) {
        out.push(missing(
            format!("event `{}`", event.id.value),
            event.id.span,
        ));
    }
    fn placeholder_team<'a>(
        plan: &Plan,
        owner: &'a Option<crate::model::Id>,
    ) -> Option<&'a crate::model::Id> {
        owner.as_ref().filter(|o| {
            plan.team(&o.value)
                .and_then(|t| t.placeholder.as_ref())
                .is_some_and(|p| p.value)
        })
    }
    for event in &w.events {
        if let Some(owner) = placeholder_team(plan, &event.owner) {
            out.push(placeholder_use(
                format!("event `{}`", event.id.value),
                &format!("owned by placeholder team `{}`", owner.value),
                owner.span,
            ));
        }
    }
    for touchpoint in &w.touchpoints {
        if let Some(owner) = placeholder_team(plan, &touchpoint.owner) {
            out.push(placeholder_use(
                format!("touchpoint `{}`", touchpoint.id.value),
                &format!("owned by placeholder team `{}`", owner.value),
                owner.span,
            ));
        }
    }
    for field in &w.fields {
        let Some(class) = &field.classification else {
            continue;
        };
        let is_placeholder = plan
            .classification(&class.value)
            .and_then(|c| c.placeholder.as_ref())
            .is_some_and(|p| p.value);
        if is_placeholder {
            out.push(placeholder_use(
                format!("field `{}`", field.id.value),
                &format!("classified `{}`, a placeholder", class.value),
                class.span,
            ));
        }
    }
    for journey in &w.journeys {
        if let Some(owner) = placeholder_team(plan, &journey.owner) {
            out.push(placeholder_use(
                format!("journey `{}`", journey.id.value),
                &format!("owned by placeholder team `{}`", owner.value),
                owner.span,
            ));
        }
        if journey.owner.is_none() {
            out.push(missing(
                format!("journey `{}`", journey.id.value),
                journey.id.span,
            ));
        }
        for handoff in &journey.handoffs {
            check_handoff(plan, journey, handoff, out);
        }
    }
}
