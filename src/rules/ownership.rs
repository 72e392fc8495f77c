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

pub static RULES: [&Rule; 2] = [&MISSING_OWNER, &HANDOFF_WITHOUT_SLA];

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
    for journey in &w.journeys {
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
