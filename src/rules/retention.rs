//! Retention rules (D family): personal data has a retention, within its classification's
//! maximum, and no destination keeps it longer.

use std::collections::HashSet;

use crate::diagnostics::{Diagnostic, Level, Rule};
use crate::model::Setting;
use crate::plan::Plan;

pub static MISSING_RETENTION: Rule = Rule {
    code: "D001",
    name: "missing-retention",
    default_level: Level::Error,
    summary: "A personal field has no retention.",
    explanation: "GDPR's storage-limitation principle: personal data is kept no longer than \
needed. A field whose classification `requires_purpose` states how long it is kept.\n\nFailing:\n\n    \
fields:\n      email_address: {type: string, classification: personal, purposes: [fulfillment]}\n\n\
Fixed:\n\n    fields:\n      email_address: {type: string, classification: personal, purposes: \
[fulfillment], retention: 2y}\n",
};

pub static RETENTION_OVER_MAXIMUM: Rule = Rule {
    code: "D002",
    name: "retention-over-maximum",
    default_level: Level::Error,
    summary: "A field's retention is longer than its classification allows.",
    explanation: "A classification's `max_retention` is the policy for all data of that class \
(for example 90 days for sensitive data). A field cannot keep its data longer.\n\nFailing:\n\n    \
classifications:\n      sensitive: {rank: 3, max_retention: 90d}\n    fields:\n      geohash: \
{classification: sensitive, retention: 1y, …}\n\nFixed: `retention: 90d` or shorter.\n",
};

pub static DESTINATION_OUTLIVES_FIELD: Rule = Rule {
    code: "D003",
    name: "destination-outlives-field",
    default_level: Level::Error,
    summary: "A destination keeps personal data longer than the field allows.",
    explanation: "When an event goes to a destination, the destination's retention applies to \
every field of the event. A warehouse keeping data for 2 years cannot receive a field whose \
retention is 30 days. Both places are shown.\n\nFix: shorten the destination's retention, stop \
sending the field there, or (after review) lengthen the field's retention.\n",
};

pub static RULES: [&Rule; 3] = [
    &MISSING_RETENTION,
    &RETENTION_OVER_MAXIMUM,
    &DESTINATION_OUTLIVES_FIELD,
];

pub fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let w = &plan.workspace;
    for field in w.fields.iter().filter(|f| plan.is_personal(f)) {
        let classification = field
            .classification
            .as_ref()
            .and_then(|c| plan.classification(&c.value));
        let retention = match &field.retention {
            Setting::Set(retention) => retention,
            Setting::Unreadable => continue,
            Setting::Absent => {
                out.push(
                    Diagnostic::new(
                        &MISSING_RETENTION,
                        field.id.span,
                        format!("personal field `{}` has no retention", field.id.value),
                    )
                    .with_help(
                        "add `retention:` with how long the data is kept, e.g. `retention: 2y`",
                    ),
                );
                continue;
            }
        };
        if let Some(maximum) = classification.and_then(|c| c.max_retention.get())
            && retention.value > maximum.value
        {
            out.push(
                Diagnostic::new(
                    &RETENTION_OVER_MAXIMUM,
                    retention.span,
                    format!(
                        "field `{}` keeps data for {}, longer than the {} its classification allows",
                        field.id.value, retention.value, maximum.value
                    ),
                )
                .with_secondary(maximum.span, "maximum set here"),
            );
        }
    }
    let mut reported: HashSet<(&str, &str)> = HashSet::new();
    for event in &w.events {
        let personal: Vec<_> = plan
            .event_fields(event)
            .into_iter()
            .filter(|f| plan.is_personal(f))
            .collect();
        for reference in &event.destinations {
            let Some(destination) = plan.destination(&reference.value) else {
                continue;
            };
            let Some(kept) = destination.retention.get() else {
                continue;
            };
            for field in &personal {
                let Some(allowed) = field.retention.get() else {
                    continue;
                };
                if kept.value > allowed.value
                    && reported.insert((&destination.id.value, &field.id.value))
                {
                    out.push(
                        Diagnostic::new(
                            &DESTINATION_OUTLIVES_FIELD,
                            kept.span,
                            format!(
                                "destination `{}` keeps data for {}, but receives field `{}` (in event `{}`), which may be kept only {}",
                                destination.id.value, kept.value, field.id.value, event.id.value, allowed.value
                            ),
                        )
                        .with_secondary(allowed.span, format!("`{}` is kept {}", field.id.value, allowed.value)),
                    );
                }
            }
        }
    }
}
