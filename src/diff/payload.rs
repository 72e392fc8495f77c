//! Payload changes: what producers send and consumers read (events, their properties and the
//! fields' types and constraints).

use std::collections::{HashMap, HashSet};

use super::{Category, ChangeRule, Changes, Versions, by_id};
use crate::model::{Field, PropertyRef};
use crate::plan::schema::typed_scalar;
use crate::source::{Span, Spanned};

pub static EVENT_REMOVED: ChangeRule = ChangeRule::breaking(
    Category::Payload,
    "B001",
    "event-removed",
    "An event of the plan was removed.",
    "Producers still push it and consumers (reports, audiences, pipelines) still read it. If \
the event was renamed, keep it for a release with `renamed_to: <new event>` so that consumers \
can move; its removal is then reported as a rename (B054).\n",
);

pub static PROPERTY_REMOVED: ChangeRule = ChangeRule::breaking(
    Category::Payload,
    "B002",
    "property-removed",
    "An event or object field no longer carries a property.",
    "Consumers reading the property get nothing. Mark the field `renamed_to` for a release if it \
was renamed.\n",
);

pub static TYPE_CHANGED: ChangeRule = ChangeRule::breaking(
    Category::Payload,
    "B003",
    "type-changed",
    "A field's type (or an array's item field) changed.",
    "Every producer sending the old type now sends invalid data, and every consumer parsing it \
breaks. Add a new field instead and retire the old one.\n",
);

pub static PROPERTY_REQUIRED: ChangeRule = ChangeRule::breaking(
    Category::Payload,
    "B004",
    "property-required",
    "A property became required, or a new required property was added.",
    "Producers that do not send it yet now send invalid events. Add the property as optional \
first, and make it required once every producer sends it.\n",
);

pub static ENUM_VALUE_REMOVED: ChangeRule = ChangeRule::breaking(
    Category::Payload,
    "B005",
    "enum-value-removed",
    "An enum lost a value.",
    "Producers sending that value now send invalid events. Reordering an enum is not a change.\n",
);

pub static CONSTRAINT_TIGHTENED: ChangeRule = ChangeRule::breaking(
    Category::Payload,
    "B006",
    "constraint-tightened",
    "A field accepts less than before: a pattern, format or enum added or changed, a bound \
raised or lowered, null no longer allowed.",
    "Values that were valid may now be rejected. A changed pattern or format is reported as \
tightened because it cannot be proven to accept everything the old one accepted.\n",
);

pub static EVENT_ADDED: ChangeRule = ChangeRule::compatible(
    Category::Payload,
    "B050",
    "event-added",
    "A new event.",
    "Adding an event breaks nobody.\n",
);

pub static PROPERTY_ADDED: ChangeRule = ChangeRule::compatible(
    Category::Payload,
    "B051",
    "property-added",
    "A new optional property.",
    "Consumers that do not know it ignore it; producers need not send it.\n",
);

pub static ENUM_VALUE_ADDED: ChangeRule = ChangeRule::compatible(
    Category::Payload,
    "B052",
    "enum-value-added",
    "An enum gained a value.",
    "Existing values stay valid. Consumers with exhaustive handling of the enum may want to know.\n",
);

pub static CONSTRAINT_RELAXED: ChangeRule = ChangeRule::compatible(
    Category::Payload,
    "B053",
    "constraint-relaxed",
    "A field or event accepts more than before.",
    "A pattern, format or enum removed, a bound widened or removed, null now allowed, a \
required property made optional, unlisted properties allowed: every payload that was valid stays \
valid. Consumers that relied on a now-optional property should handle its absence.\n",
);

pub static RENAMED: ChangeRule = ChangeRule::compatible(
    Category::Payload,
    "B054",
    "renamed",
    "An event or field was removed after announcing its new name with `renamed_to`.",
    "The old item said `renamed_to: <new>` in the base version, so consumers were told where \
to go; the diff compares the old item with the new one instead of reporting a removal and an \
addition.\n",
);

pub static RULES: [&ChangeRule; 11] = [
    &EVENT_REMOVED,
    &PROPERTY_REMOVED,
    &TYPE_CHANGED,
    &PROPERTY_REQUIRED,
    &ENUM_VALUE_REMOVED,
    &CONSTRAINT_TIGHTENED,
    &EVENT_ADDED,
    &PROPERTY_ADDED,
    &ENUM_VALUE_ADDED,
    &CONSTRAINT_RELAXED,
    &RENAMED,
];

pub(super) fn compare(versions: &Versions<'_>, changes: &mut Changes) {
    let (base, head) = versions.workspaces();
    let base_events = by_id(&base.events, |event| &event.id.value);
    let head_events = by_id(&head.events, |event| &event.id.value);
    let mut rename_targets: HashSet<&str> = HashSet::new();
    for old in &base.events {
        let renamed = old
            .renamed_to
            .as_ref()
            .filter(|_| !head_events.contains_key(old.id.value.as_str()))
            .and_then(|to| head_events.get(to.value.as_str()));
        let new = match (head_events.get(old.id.value.as_str()), renamed) {
            (Some(new), _) => new,
            (None, Some(new)) => {
                rename_targets.insert(&new.id.value);
                changes.head(
                    &RENAMED,
                    new.id.span,
                    format!(
                        "event `{}` was renamed to `{}`, as its `renamed_to` announced",
                        old.id.value, new.id.value
                    ),
                );
                new
            }
            (None, None) => {
                changes.base(
                    &EVENT_REMOVED,
                    old.id.span,
                    format!("event `{}` was removed", old.id.value),
                );
                continue;
            }
        };
        let owner = format!("event `{}`", new.id.value);
        openness(
            changes,
            &owner,
            new.id.span,
            &old.additional_properties,
            &new.additional_properties,
        );
        properties(
            versions,
            changes,
            &owner,
            new.id.span,
            &old.properties,
            &new.properties,
        );
    }
    for new in &head.events {
        if !base_events.contains_key(new.id.value.as_str())
            && !rename_targets.contains(new.id.value.as_str())
        {
            changes.head(
                &EVENT_ADDED,
                new.id.span,
                format!("event `{}` was added", new.id.value),
            );
        }
    }
    let head_fields = by_id(&head.fields, |field| &field.id.value);
    for old in &base.fields {
        let new = head_fields.get(old.id.value.as_str()).or_else(|| {
            old.renamed_to
                .as_ref()
                .and_then(|to| head_fields.get(to.value.as_str()))
        });
        if let Some(new) = new {
            definition(versions, changes, old, new);
        }
    }
}

/// The properties of an event or an object field, old and new, matched by their name in the
/// payload.
fn properties(
    versions: &Versions<'_>,
    changes: &mut Changes,
    owner: &str,
    owner_span: Span,
    old: &[PropertyRef],
    new: &[PropertyRef],
) {
    let new_by_name: HashMap<&str, &PropertyRef> = new
        .iter()
        .map(|property| (property.name.value.as_str(), property))
        .collect();
    let old_names: HashSet<&str> = old.iter().map(|p| p.name.value.as_str()).collect();
    let mut renamed_to: HashSet<&str> = HashSet::new();
    for was in old {
        let name = was.name.value.as_str();
        let now = match new_by_name.get(name) {
            Some(now) => now,
            None => {
                // A field announced as renamed: the property carrying the new field replaces it.
                let target = versions
                    .base
                    .field(&was.field.value)
                    .and_then(|field| field.renamed_to.as_ref())
                    .and_then(|to| new.iter().find(|p| p.field.value == to.value));
                let Some(now) = target else {
                    changes.head(
                        &PROPERTY_REMOVED,
                        owner_span,
                        format!("{owner} no longer carries `{name}`"),
                    );
                    continue;
                };
                renamed_to.insert(&now.name.value);
                changes.head(
                    &RENAMED,
                    now.name.span,
                    format!(
                        "`{name}` of {owner} was renamed to `{}`, as its `renamed_to` announced",
                        now.name.value
                    ),
                );
                now
            }
        };
        carried_field(versions, changes, owner, was, now);
        match (was.required.value, now.required.value) {
            (false, true) => changes.head(
                &PROPERTY_REQUIRED,
                now.required.span,
                format!("`{}` of {owner} is now required", now.name.value),
            ),
            (true, false) => changes.head(
                &CONSTRAINT_RELAXED,
                now.required.span,
                format!("`{}` of {owner} is now optional", now.name.value),
            ),
            _ => {}
        }
    }
    for now in new {
        let name = now.name.value.as_str();
        if old_names.contains(name) || renamed_to.contains(name) {
            continue;
        }
        if now.required.value {
            changes.head(
                &PROPERTY_REQUIRED,
                now.name.span,
                format!("{owner} now requires the new property `{name}`"),
            );
        } else {
            changes.head(
                &PROPERTY_ADDED,
                now.name.span,
                format!("{owner} has a new optional property `{name}`"),
            );
        }
    }
}

/// A property that now carries another field (`id: { field: … }`): a type change when the
/// two fields' types differ; the fields' own definitions are compared by id elsewhere.
fn carried_field(
    versions: &Versions<'_>,
    changes: &mut Changes,
    owner: &str,
    was: &PropertyRef,
    now: &PropertyRef,
) {
    if was.field.value == now.field.value {
        return;
    }
    let kind = |plan: &crate::plan::Plan, id: &str| {
        plan.field(id)
            .and_then(|field| field.field_type.as_ref())
            .map(|kind| kind.value)
    };
    let (before, after) = (
        kind(versions.base, &was.field.value),
        kind(versions.head, &now.field.value),
    );
    if let (Some(before), Some(after)) = (before, after)
        && before != after
    {
        changes.head(
            &TYPE_CHANGED,
            now.field.span,
            format!(
                "`{}` of {owner} now carries the field `{}` ({after}) instead of `{}` ({before})",
                now.name.value, now.field.value, was.field.value
            ),
        );
    }
}

/// A field's definition, old and new: type, constraints and, for objects, properties.
fn definition(versions: &Versions<'_>, changes: &mut Changes, old: &Field, new: &Field) {
    let what = format!("field `{}`", new.id.value);
    if let (Some(was), Some(now)) = (&old.field_type, &new.field_type)
        && was.value != now.value
    {
        changes.head(
            &TYPE_CHANGED,
            now.span,
            format!(
                "{what} changed type from `{}` to `{}`",
                was.value, now.value
            ),
        );
    }
    if let (Some(was), Some(now)) = (&old.items, &new.items)
        && was.value != now.value
    {
        changes.head(
            &TYPE_CHANGED,
            now.span,
            format!(
                "the items of {what} changed from `{}` to `{}`",
                was.value, now.value
            ),
        );
    }
    enum_values(changes, &what, old, new);
    let text = |value: &Option<Spanned<String>>| value.as_ref().map(|v| (v.value.clone(), v.span));
    let word = |value: &Option<Spanned<&'static str>>| {
        value.as_ref().map(|v| (v.value.to_string(), v.span))
    };
    exact(
        changes,
        &what,
        new.id.span,
        "pattern",
        text(&old.pattern),
        text(&new.pattern),
    );
    exact(
        changes,
        &what,
        new.id.span,
        "format",
        word(&old.format),
        word(&new.format),
    );
    let number = |value: &Option<Spanned<serde_json::Number>>| {
        value
            .as_ref()
            .and_then(|v| v.value.as_f64().map(|n| (n, v.span)))
    };
    let count = |value: &Option<Spanned<u64>>| value.as_ref().map(|v| (v.value as f64, v.span));
    let bounds = [
        (
            "minimum",
            Bound::Lower,
            number(&old.minimum),
            number(&new.minimum),
        ),
        (
            "maximum",
            Bound::Upper,
            number(&old.maximum),
            number(&new.maximum),
        ),
        (
            "min_length",
            Bound::Lower,
            count(&old.min_length),
            count(&new.min_length),
        ),
        (
            "max_length",
            Bound::Upper,
            count(&old.max_length),
            count(&new.max_length),
        ),
        (
            "min_items",
            Bound::Lower,
            count(&old.min_items),
            count(&new.min_items),
        ),
        (
            "max_items",
            Bound::Upper,
            count(&old.max_items),
            count(&new.max_items),
        ),
    ];
    for (key, bound, was, now) in bounds {
        bound_change(
            changes,
            &what,
            new.id.span,
            key,
            bound,
            was.map(|(n, _)| n),
            now,
        );
    }
    let nullable = |field: &Field| field.nullable.as_ref().is_some_and(|n| n.value);
    match (nullable(old), nullable(new)) {
        (true, false) => changes.head(
            &CONSTRAINT_TIGHTENED,
            new.nullable.as_ref().map_or(new.id.span, |n| n.span),
            format!("{what} no longer accepts null"),
        ),
        (false, true) => changes.head(
            &CONSTRAINT_RELAXED,
            new.nullable.as_ref().map_or(new.id.span, |n| n.span),
            format!("{what} now accepts null"),
        ),
        _ => {}
    }
    openness(
        changes,
        &what,
        new.id.span,
        &old.additional_properties,
        &new.additional_properties,
    );
    properties(
        versions,
        changes,
        &what,
        new.id.span,
        &old.properties,
        &new.properties,
    );
}

/// `additional_properties`: closing an open event or object rejects payloads with unplanned
/// properties; opening it accepts more.
fn openness(
    changes: &mut Changes,
    what: &str,
    item: Span,
    old: &Option<Spanned<bool>>,
    new: &Option<Spanned<bool>>,
) {
    let open = |flag: &Option<Spanned<bool>>| flag.as_ref().is_some_and(|f| f.value);
    let span = new.as_ref().map_or(item, |flag| flag.span);
    match (open(old), open(new)) {
        (true, false) => changes.head(
            &CONSTRAINT_TIGHTENED,
            span,
            format!("{what} no longer accepts properties the plan does not list"),
        ),
        (false, true) => changes.head(
            &CONSTRAINT_RELAXED,
            span,
            format!("{what} now accepts properties the plan does not list"),
        ),
        _ => {}
    }
}

/// Enum values compared as the values they stand for, in any order.
fn enum_values(changes: &mut Changes, what: &str, old: &Field, new: &Field) {
    let values = |field: &Field| -> Option<Vec<String>> {
        let kind = field.field_type.as_ref().map(|t| t.value);
        field.enum_values.as_ref().map(|values| {
            values
                .value
                .iter()
                .map(|node| typed_scalar(node, kind).to_string())
                .collect()
        })
    };
    match (values(old), values(new), &new.enum_values) {
        (None, Some(_), Some(now)) => changes.head(
            &CONSTRAINT_TIGHTENED,
            now.span,
            format!("{what} now only accepts the values of its new enum"),
        ),
        (Some(_), None, _) => changes.head(
            &CONSTRAINT_RELAXED,
            new.id.span,
            format!("{what} no longer has an enum"),
        ),
        (Some(was), Some(now), Some(spanned)) => {
            let removed: Vec<&String> = was.iter().filter(|value| !now.contains(value)).collect();
            let added: Vec<&String> = now.iter().filter(|value| !was.contains(value)).collect();
            if !removed.is_empty() {
                changes.head(
                    &ENUM_VALUE_REMOVED,
                    spanned.span,
                    format!("{what} no longer accepts {}", listed(&removed)),
                );
            }
            if !added.is_empty() {
                changes.head(
                    &ENUM_VALUE_ADDED,
                    spanned.span,
                    format!("{what} now also accepts {}", listed(&added)),
                );
            }
        }
        _ => {}
    }
}

fn listed(values: &[&String]) -> String {
    values
        .iter()
        .map(|value| format!("`{value}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A constraint that is either the same or not (a pattern, a format): any new or changed one
/// tightens, a removed one relaxes.
fn exact(
    changes: &mut Changes,
    what: &str,
    item: Span,
    key: &str,
    was: Option<(String, Span)>,
    now: Option<(String, Span)>,
) {
    match (was, now) {
        (None, Some((now, span))) => changes.head(
            &CONSTRAINT_TIGHTENED,
            span,
            format!("{what} now has the {key} `{now}`"),
        ),
        (Some((was, _)), Some((now, span))) if was != now => changes.head(
            &CONSTRAINT_TIGHTENED,
            span,
            format!("{what} changed its {key} from `{was}` to `{now}`"),
        ),
        (Some((was, _)), None) => changes.head(
            &CONSTRAINT_RELAXED,
            item,
            format!("{what} no longer has the {key} `{was}`"),
        ),
        _ => {}
    }
}

enum Bound {
    Lower,
    Upper,
}

fn bound_change(
    changes: &mut Changes,
    what: &str,
    item: Span,
    key: &str,
    bound: Bound,
    was: Option<f64>,
    now: Option<(f64, Span)>,
) {
    let tighter = |was: f64, now: f64| match bound {
        Bound::Lower => now > was,
        Bound::Upper => now < was,
    };
    match (was, now) {
        (None, Some((now, span))) => changes.head(
            &CONSTRAINT_TIGHTENED,
            span,
            format!("{what} now has {key} {now}"),
        ),
        (Some(was), Some((now, span))) if tighter(was, now) => changes.head(
            &CONSTRAINT_TIGHTENED,
            span,
            format!("{what} tightened its {key} from {was} to {now}"),
        ),
        (Some(was), Some((now, span))) if was != now => changes.head(
            &CONSTRAINT_RELAXED,
            span,
            format!("{what} relaxed its {key} from {was} to {now}"),
        ),
        (Some(was), None) => changes.head(
            &CONSTRAINT_RELAXED,
            item,
            format!("{what} no longer has {key} {was}"),
        ),
        _ => {}
    }
}
