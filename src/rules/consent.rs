//! Consent rules (C family): purposes declared and allowed, destinations that serve them,
//! consent captured before collection, and policy values that exist.

use std::collections::{HashSet, VecDeque};

use petgraph::algo::dominators;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use crate::diagnostics::{Diagnostic, Level, Rule};
use crate::model::{Event, Journey};
use crate::plan::{JourneyGraph, JourneyNode, Plan};

pub static MISSING_PURPOSE: Rule = Rule {
    code: "C001",
    name: "missing-purpose",
    default_level: Level::Error,
    summary: "An event carries personal data but declares no purpose.",
    explanation: "Under GDPR, personal data is collected for a stated purpose. An event that \
carries a field whose classification `requires_purpose` must say why it is collected.\n\n\
Failing:\n\n    events:\n      purchase:\n        properties: {customer_id: required}\n\n\
Fixed:\n\n    events:\n      purchase:\n        purposes: [analytics, fulfillment]\n        \
properties: {customer_id: required}\n",
};

pub static PURPOSE_NOT_ALLOWED: Rule = Rule {
    code: "C002",
    name: "purpose-not-allowed-by-field",
    default_level: Level::Error,
    summary: "An event uses a purpose that a personal field it carries does not allow.",
    explanation: "A field lists the purposes its data may be used for. A field allowed only for \
`analytics` cannot ride in an event sent for `marketing`.\n\nFailing:\n\n    fields:\n      \
email_address: {classification: personal, purposes: [fulfillment], …}\n    events:\n      \
newsletter_signup:\n        purposes: [marketing]\n        properties: {email_address: required}\n\n\
Fixed: allow the purpose on the field (if the privacy review agrees) or drop it from the event.\n",
};

pub static DESTINATION_PURPOSE_MISMATCH: Rule = Rule {
    code: "C003",
    name: "destination-purpose-mismatch",
    default_level: Level::Error,
    summary: "An event is sent to a destination that serves none of its purposes.",
    explanation: "A destination lists the purposes it processes data for. Sending an event \
collected for `fulfillment` to an ad network that only serves `marketing` uses the data for \
something it was not collected for.\n\nFix: send the event elsewhere, or add a purpose both \
declare.\n",
};

pub static THIRD_PARTY_WITHOUT_CONSENT: Rule = Rule {
    code: "C004",
    name: "third-party-without-consent",
    default_level: Level::Error,
    summary: "Personal data goes to a third party without a consent-based purpose.",
    explanation: "Sharing personal data with a third party (an ad network, a marketplace) needs \
the customer's consent. An event that carries personal data and is sent to a `third_party` \
destination must have at least one purpose whose lawful basis is `consent`.\n\nFix: add the \
consent-based purpose (and capture that consent in the journey), or stop sending personal data \
there.\n",
};

pub static CONSENT_BEFORE_COLLECTION: Rule = Rule {
    code: "C005",
    name: "consent-before-collection",
    default_level: Level::Error,
    summary: "A touchpoint collects data for a consent-based purpose before consent can have been captured.",
    explanation: "When a purpose's lawful basis is `consent`, the customer must have given it \
before data is collected for it. In each journey, every touchpoint emitting an event for such a \
purpose must be preceded, on every path from the journey's entry, by a touchpoint that \
`captures_consent` for that purpose (it must be dominated by one). The diagnostic shows a path \
that reaches the touchpoint without passing a consent capture.\n\nFailing:\n\n    stages:\n      \
- id: land\n        touchpoints: [instagram_post, cookie_banner]   # instagram → product page skips the banner\n      \
- id: consider\n        touchpoints: [product_page]               # emits add_to_cart for personalization\n\n\
Fixed:\n\n    stages:\n      - id: land\n        touchpoints: [instagram_post]\n      - id: consent\n        \
touchpoints: [cookie_banner]\n      - id: consider\n        touchpoints: [product_page]\n",
};

pub static LAWFUL_BASIS_NOT_ALLOWED: Rule = Rule {
    code: "C006",
    name: "lawful-basis-not-allowed",
    default_level: Level::Error,
    summary: "A field is used for a purpose whose lawful basis its classification does not allow.",
    explanation: "A classification may restrict the lawful bases its data can be processed \
under: special-category (`sensitive`) data typically only with explicit consent. Each purpose of \
such a field must have one of the allowed bases.\n\nFailing:\n\n    classifications:\n      \
sensitive: {rank: 3, lawful_basis: [consent]}\n    fields:\n      health_note: {classification: \
sensitive, purposes: [analytics]}   # legitimate_interest\n",
};

pub static INVALID_LAWFUL_BASIS: Rule = Rule {
    code: "C007",
    name: "invalid-lawful-basis",
    default_level: Level::Error,
    summary: "A lawful basis is not one of GDPR Article 6's six.",
    explanation: "Lawful bases are `consent`, `contract`, `legal_obligation`, `vital_interests`, \
`public_task` and `legitimate_interest` (GDPR Art. 6(1) a–f). Anything else cannot be audited.\n",
};

pub static INVALID_CONSENT_MODE: Rule = Rule {
    code: "C008",
    name: "invalid-consent-mode",
    default_level: Level::Error,
    summary: "A Google Consent Mode type does not exist.",
    explanation: "Consent Mode v2 knows `ad_storage`, `ad_user_data`, `ad_personalization`, \
`analytics_storage`, `functionality_storage`, `personalization_storage` and `security_storage`. \
A misspelt type is silently ignored by the tag, so the purpose would never be granted.\n",
};

pub static INVALID_TCF_PURPOSE: Rule = Rule {
    code: "C009",
    name: "invalid-tcf-purpose",
    default_level: Level::Error,
    summary: "A TCF purpose number is outside 1–11.",
    explanation: "IAB TCF 2.2 defines purposes 1 to 11 (1 store and access information on a \
device … 11 use limited data to select content). Another number maps to nothing in a CMP.\n",
};

pub static RULES: [&Rule; 9] = [
    &MISSING_PURPOSE,
    &PURPOSE_NOT_ALLOWED,
    &DESTINATION_PURPOSE_MISMATCH,
    &THIRD_PARTY_WITHOUT_CONSENT,
    &CONSENT_BEFORE_COLLECTION,
    &LAWFUL_BASIS_NOT_ALLOWED,
    &INVALID_LAWFUL_BASIS,
    &INVALID_CONSENT_MODE,
    &INVALID_TCF_PURPOSE,
];

pub const LAWFUL_BASES: &[&str] = &[
    "consent",
    "contract",
    "legal_obligation",
    "vital_interests",
    "public_task",
    "legitimate_interest",
];

pub const CONSENT_MODE_TYPES: &[&str] = &[
    "ad_storage",
    "ad_user_data",
    "ad_personalization",
    "analytics_storage",
    "functionality_storage",
    "personalization_storage",
    "security_storage",
];

fn check_event(plan: &Plan, event: &Event, out: &mut Vec<Diagnostic>) {
    let carried = plan.event_fields(event);
    let personal: Vec<_> = carried.iter().filter(|f| plan.is_personal(f)).collect();
    if let Some(first) = personal.first()
        && event.purposes.is_empty()
    {
        out.push(
            Diagnostic::new(
                &MISSING_PURPOSE,
                event.id.span,
                format!(
                    "event `{}` carries personal field `{}` but declares no purpose",
                    event.id.value, first.id.value
                ),
            )
            .with_help("add `purposes:` saying why the data is collected"),
        );
    }
    for purpose in &event.purposes {
        for field in &personal {
            if !field.purposes.iter().any(|p| p.value == purpose.value) {
                let allowed: Vec<&str> = field.purposes.iter().map(|p| p.value.as_str()).collect();
                let diagnostic = Diagnostic::new(
                    &PURPOSE_NOT_ALLOWED,
                    purpose.span,
                    format!(
                        "event `{}` is collected for `{}`, which personal field `{}` does not allow",
                        event.id.value, purpose.value, field.id.value
                    ),
                );
                out.push(match field.purposes.first() {
                    Some(first) => diagnostic.with_secondary(
                        first.span,
                        format!("`{}` allows: {}", field.id.value, allowed.join(", ")),
                    ),
                    None => {
                        diagnostic.with_secondary(field.id.span, "this field allows no purpose")
                    }
                });
            }
        }
    }
    let has_consent_purpose = event
        .purposes
        .iter()
        .any(|p| plan.lawful_basis(&p.value) == Some("consent"));
    for reference in &event.destinations {
        let Some(destination) = plan.destination(&reference.value) else {
            continue;
        };
        let shared = destination
            .purposes
            .iter()
            .any(|d| event.purposes.iter().any(|e| e.value == d.value));
        if !shared && !event.purposes.is_empty() {
            out.push(
                Diagnostic::new(
                    &DESTINATION_PURPOSE_MISMATCH,
                    reference.span,
                    format!(
                        "destination `{}` serves none of the purposes of event `{}`",
                        destination.id.value, event.id.value
                    ),
                )
                .with_secondary(destination.id.span, "its purposes are declared here"),
            );
        }
        let third_party = destination.third_party.as_ref().is_some_and(|t| t.value);
        if third_party && !personal.is_empty() && !has_consent_purpose {
            out.push(
                Diagnostic::new(
                    &THIRD_PARTY_WITHOUT_CONSENT,
                    reference.span,
                    format!(
                        "event `{}` sends personal data to third party `{}` without a consent-based purpose",
                        event.id.value, destination.id.value
                    ),
                )
                .with_secondary(destination.id.span, "a third-party destination")
                .with_help("add a purpose whose lawful basis is `consent`, or stop sending personal data there"),
            );
        }
    }
}

/// A shortest path from the entry to `target` that passes no touchpoint capturing `purpose`.
fn path_without_consent(
    plan: &Plan,
    graph: &JourneyGraph,
    target: NodeIndex,
    purpose: &str,
) -> Vec<NodeIndex> {
    let captures = |node: NodeIndex| {
        graph
            .touchpoint(node)
            .and_then(|id| plan.touchpoint(id))
            .is_some_and(|t| t.captures_consent.iter().any(|p| p.value == purpose))
    };
    let mut previous: Vec<Option<NodeIndex>> = vec![None; graph.graph.node_count()];
    let mut queue = VecDeque::from([graph.entry]);
    let mut seen = HashSet::from([graph.entry]);
    while let Some(node) = queue.pop_front() {
        if node == target {
            let mut path = vec![node];
            while let Some(before) = previous[path[path.len() - 1].index()] {
                path.push(before);
            }
            path.reverse();
            return path;
        }
        let mut next: Vec<_> = graph
            .graph
            .edges(node)
            .map(|e| (e.id(), e.target()))
            .collect();
        next.sort();
        for (_, to) in next {
            if (to == target || !captures(to)) && seen.insert(to) {
                previous[to.index()] = Some(node);
                queue.push_back(to);
            }
        }
    }
    Vec::new()
}

/// Where a consent-based purpose is collected before its consent can have been captured: the
/// touchpoints (in stage order), each with the events it emits for the purpose.
type Uncovered<'p> = Vec<(NodeIndex, Vec<&'p str>)>;

fn check_journey_consent(
    plan: &Plan,
    journey: &Journey,
    graph: &JourneyGraph,
    out: &mut Vec<Diagnostic>,
) {
    let dominators = dominators::simple_fast(&graph.graph, graph.entry);
    let captures = |node: NodeIndex, purpose: &str| {
        graph
            .touchpoint(node)
            .and_then(|tp| plan.touchpoint(tp))
            .is_some_and(|t| t.captures_consent.iter().any(|p| p.value == purpose))
    };
    let mut nodes: Vec<NodeIndex> = graph.nodes.values().copied().collect();
    nodes.sort();
    // One finding per purpose and journey, however many touchpoints collect before consent.
    let mut uncovered: Vec<(&str, Uncovered<'_>)> = Vec::new();
    for &node in &nodes {
        let Some(touchpoint) = graph.touchpoint(node).and_then(|id| plan.touchpoint(id)) else {
            continue;
        };
        let Some(dominated_by) = dominators.dominators(node) else {
            continue;
        };
        let dominated_by: Vec<NodeIndex> = dominated_by.collect();
        for event in touchpoint.emits.iter().filter_map(|e| plan.event(&e.value)) {
            for purpose in &event.purposes {
                let needs_consent = plan.lawful_basis(&purpose.value) == Some("consent");
                if !needs_consent || dominated_by.iter().any(|&d| captures(d, &purpose.value)) {
                    continue;
                }
                let at = match uncovered.iter().position(|(p, _)| *p == purpose.value) {
                    Some(at) => at,
                    None => {
                        uncovered.push((&purpose.value, Vec::new()));
                        uncovered.len() - 1
                    }
                };
                let places = &mut uncovered[at].1;
                match places.iter_mut().find(|(n, _)| *n == node) {
                    Some((_, events)) => events.push(&event.id.value),
                    None => places.push((node, vec![&event.id.value])),
                }
            }
        }
    }
    let listed = |node: NodeIndex| match &graph.graph[node] {
        JourneyNode::Touchpoint { listed, .. } => Some(*listed),
        JourneyNode::Entry => None,
    };
    for (purpose, places) in uncovered {
        let Some((first, events)) = places.first() else {
            continue;
        };
        let Some(first_listed) = listed(*first) else {
            continue;
        };
        let id = graph.touchpoint(*first).unwrap_or_default();
        let path: Vec<&str> = path_without_consent(plan, graph, *first, purpose)
            .iter()
            .map(|&n| graph.touchpoint(n).unwrap_or("entry"))
            .collect();
        let events = events
            .iter()
            .map(|e| format!("`{e}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let others: Vec<&str> = places[1..]
            .iter()
            .filter_map(|(n, _)| graph.touchpoint(*n))
            .collect();
        let also = match others.len() {
            0 => String::new(),
            count => format!(
                "; {} more {} also collect for `{purpose}` before consent: {}",
                count,
                if count == 1 {
                    "touchpoint"
                } else {
                    "touchpoints"
                },
                others.join(", ")
            ),
        };
        let mut diagnostic = Diagnostic::new(
            &CONSENT_BEFORE_COLLECTION,
            first_listed,
            format!(
                "touchpoint `{id}` emits {events} for `{purpose}`, which needs consent, but journey `{}` reaches it without capturing that consent: {}{also}",
                journey.id.value,
                path.join(" → ")
            ),
        )
        .with_help(format!(
            "put a touchpoint that captures `{purpose}` consent in a stage of its own before the first of these"
        ));
        if let Some(capture) = nodes
            .iter()
            .find(|&&n| captures(n, purpose))
            .and_then(|&n| listed(n))
        {
            diagnostic = diagnostic.with_secondary(
                capture,
                format!("`{purpose}` consent is captured here, but not on every path"),
            );
        }
        for span in places[1..].iter().filter_map(|(n, _)| listed(*n)) {
            diagnostic = diagnostic.with_secondary(span, format!("also collects for `{purpose}`"));
        }
        out.push(diagnostic);
    }
}

fn check_policy_values(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let w = &plan.workspace;
    let bases = w
        .purposes
        .iter()
        .filter_map(|p| p.lawful_basis.as_ref())
        .chain(w.classifications.iter().flat_map(|c| &c.lawful_basis));
    for basis in bases.filter(|b| !LAWFUL_BASES.contains(&b.value.as_str())) {
        out.push(
            Diagnostic::new(
                &INVALID_LAWFUL_BASIS,
                basis.span,
                format!("`{}` is not a lawful basis of GDPR Art. 6", basis.value),
            )
            .with_help_opt(
                crate::diagnostics::did_you_mean(&basis.value, LAWFUL_BASES.iter().copied())
                    .or_else(|| Some(format!("use one of {}", LAWFUL_BASES.join(", ")))),
            ),
        );
    }
    for mode in w.purposes.iter().flat_map(|p| &p.consent_mode) {
        if !CONSENT_MODE_TYPES.contains(&mode.value.as_str()) {
            out.push(
                Diagnostic::new(
                    &INVALID_CONSENT_MODE,
                    mode.span,
                    format!("`{}` is not a Consent Mode type", mode.value),
                )
                .with_help_opt(crate::diagnostics::did_you_mean(
                    &mode.value,
                    CONSENT_MODE_TYPES.iter().copied(),
                )),
            );
        }
    }
    for tcf in w.purposes.iter().flat_map(|p| &p.tcf) {
        if !(1..=11).contains(&tcf.value) {
            out.push(Diagnostic::new(
                &INVALID_TCF_PURPOSE,
                tcf.span,
                format!(
                    "TCF 2.2 has purposes 1 to 11; there is no purpose {}",
                    tcf.value
                ),
            ));
        }
    }
    for field in &w.fields {
        let Some(classification) = field
            .classification
            .as_ref()
            .and_then(|c| plan.classification(&c.value))
        else {
            continue;
        };
        if classification.lawful_basis.is_empty() {
            continue;
        }
        for purpose in &field.purposes {
            let Some(basis) = plan.lawful_basis(&purpose.value) else {
                continue;
            };
            // An unknown basis is reported as such (C007), not as a disallowed one.
            if LAWFUL_BASES.contains(&basis)
                && !classification.lawful_basis.iter().any(|b| b.value == basis)
            {
                out.push(
                    Diagnostic::new(
                        &LAWFUL_BASIS_NOT_ALLOWED,
                        purpose.span,
                        format!(
                            "field `{}` is `{}` data, which may not be processed under `{basis}` (purpose `{}`)",
                            field.id.value, classification.id.value, purpose.value
                        ),
                    )
                    .with_secondary(classification.lawful_basis.first().map_or(classification.id.span, |b| b.span), format!("`{}` allows only these bases", classification.id.value)),
                );
            }
        }
    }
}

pub fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    for event in &plan.workspace.events {
        check_event(plan, event, out);
    }
    for (journey, graph) in plan.workspace.journeys.iter().zip(&plan.graphs) {
        check_journey_consent(plan, journey, graph, out);
    }
    check_policy_values(plan, out);
}
