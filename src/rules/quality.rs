//! Quality rules (Q family): patterns in the right regex dialect, sane bounds and enums,
//! examples that validate, channel targets that add up.

use jsonschema::error::ValidationErrorKind;
use rayon::prelude::*;
use serde_json::Value;

use crate::diagnostics::{Diagnostic, Level, Rule};
use crate::model::{ChannelTargets, Field};
use crate::plan::Plan;
use crate::plan::schema::{
    event_schema, example_json, field_document, field_value_json, typed_scalar,
};
use crate::source::yaml::{self, Node};
use crate::source::{Span, Spanned};

pub static INVALID_PATTERN: Rule = Rule {
    code: "Q001",
    name: "invalid-pattern",
    default_level: Level::Error,
    summary: "A field's pattern is not a valid ECMA-262 regular expression, or uses syntax only one dialect understands.",
    explanation: "JSON Schema patterns are ECMA-262 (JavaScript) regular expressions: that is \
what browsers, tag managers and schema validators run. A pattern in another dialect — Python's \
`(?P<name>…)`, inline flags such as `(?i)`, POSIX classes `[[:alpha:]]` — fails there, and \
JavaScript-only features (lookaround, backreferences) fail in Rust and Go consumers that use RE2-\
style engines.\n\nFailing:\n\n    pattern: \"(?i)^sku-[0-9]+$\"\n\nFixed:\n\n    pattern: \
\"^[Ss][Kk][Uu]-[0-9]+$\"\n",
};

pub static INVALID_BOUNDS: Rule = Rule {
    code: "Q002",
    name: "invalid-bounds",
    default_level: Level::Error,
    summary: "A minimum is greater than its maximum.",
    explanation: "`minimum` > `maximum`, `min_length` > `max_length` or `min_items` > `max_items` \
make every value invalid.\n",
};

pub static INVALID_ENUM: Rule = Rule {
    code: "Q003",
    name: "invalid-enum",
    default_level: Level::Error,
    summary: "An enum is empty, repeats a value or holds values of the wrong type.",
    explanation: "An empty enum accepts nothing; a repeated value is usually a typo for another \
one; a value of another type than the field (`\"2\"` in an integer enum) can never be sent.\n",
};

pub static INVALID_EXAMPLE: Rule = Rule {
    code: "Q004",
    name: "invalid-example",
    default_level: Level::Error,
    summary: "An example payload does not validate against the generated JSON Schema.",
    explanation: "Examples are documentation engineers copy; an example the contract rejects \
teaches the wrong payload. Every example of an event (and of a field) is validated against the \
JSON Schema trailmap generates, and the failing value is pointed at.\n",
};

pub static CHANNEL_SHARES: Rule = Rule {
    code: "Q005",
    name: "channel-shares",
    default_level: Level::Error,
    summary: "Channel target shares do not add up to 100 %.",
    explanation: "When every channel with business-plan targets gives its adoption (or revenue) \
share, the shares split one whole and must add up to 100 %.\n",
};

pub static EVENT_KEY_PROPERTY: Rule = Rule {
    code: "Q006",
    name: "event-key-property",
    default_level: Level::Warning,
    summary: "An event has a property named `event`, the key that carries the event name.",
    explanation: "In `dataLayer.push({ event: \"purchase\", … })` (and in the records \
`validate-events` reads by default) the key `event` holds the event's name, so an event cannot \
also carry a property of that name: the data-layer types leave it out and captured records \
never show it. Imported plans (Iglu webhooks, for one) sometimes have such a property. Carry it \
under another name.\n\nFailing:\n\n    events:\n      email_bounced:\n        properties: \
{ event: required }\n\nFixed:\n\n    events:\n      email_bounced:\n        properties:\n  \
        bounce_event: { field: event, required: true }\n",
};

pub static RULES: [&Rule; 6] = [
    &INVALID_PATTERN,
    &INVALID_BOUNDS,
    &INVALID_ENUM,
    &INVALID_EXAMPLE,
    &CHANNEL_SHARES,
    &EVENT_KEY_PROPERTY,
];

/// Whether a field's own constraints are broken (a pattern JavaScript cannot compile, bounds
/// the wrong way round, an empty or mistyped enum): the constraint is reported, and examples
/// are not checked against it.
fn has_broken_constraint(field: &Field) -> bool {
    let mut found = Vec::new();
    check_bounds(field, &mut found);
    check_enum(field, &mut found);
    !found.is_empty()
        || field
            .pattern
            .as_ref()
            .is_some_and(|p| regress::Regex::with_flags(&p.value, "u").is_err())
}

fn check_pattern(field: &Field, out: &mut Vec<Diagnostic>) {
    let Some(pattern) = &field.pattern else {
        return;
    };
    let ecma = regress::Regex::with_flags(&pattern.value, "u");
    let rust = regex::Regex::new(&pattern.value);
    let problem = match (&ecma, &rust) {
        (Ok(_), Ok(_)) => return,
        (Err(error), Ok(_)) => format!(
            "pattern of field `{}` is not ECMA-262 (JavaScript), the dialect of JSON Schema: {error}; it looks like another dialect's syntax",
            field.id.value
        ),
        (Err(error), Err(_)) => format!(
            "pattern of field `{}` is not a valid regular expression: {error}",
            field.id.value
        ),
        (Ok(_), Err(_)) => format!(
            "pattern of field `{}` uses JavaScript-only syntax (lookaround or backreferences) that RE2-style engines in Rust and Go consumers reject",
            field.id.value
        ),
    };
    out.push(Diagnostic::new(&INVALID_PATTERN, pattern.span, problem));
}

fn check_bounds(field: &Field, out: &mut Vec<Diagnostic>) {
    let as_f64 = |n: &serde_json::Number| n.as_f64().unwrap_or(0.0);
    let mut compare = |low: Option<(f64, crate::source::Span)>,
                       high: Option<(f64, crate::source::Span)>,
                       names: (&str, &str)| {
        if let (Some((low, low_span)), Some((high, high_span))) = (low, high)
            && low > high
        {
            out.push(
                Diagnostic::new(
                    &INVALID_BOUNDS,
                    low_span,
                    format!(
                        "field `{}` has {} {low} above its {} {high}",
                        field.id.value, names.0, names.1
                    ),
                )
                .with_secondary(high_span, format!("{} set here", names.1)),
            );
        }
    };
    compare(
        field.minimum.as_ref().map(|n| (as_f64(&n.value), n.span)),
        field.maximum.as_ref().map(|n| (as_f64(&n.value), n.span)),
        ("minimum", "maximum"),
    );
    compare(
        field.min_length.as_ref().map(|n| (n.value as f64, n.span)),
        field.max_length.as_ref().map(|n| (n.value as f64, n.span)),
        ("min_length", "max_length"),
    );
    compare(
        field.min_items.as_ref().map(|n| (n.value as f64, n.span)),
        field.max_items.as_ref().map(|n| (n.value as f64, n.span)),
        ("min_items", "max_items"),
    );
}

/// Whether an enum value can be a value of the field's type.
fn fits_type(value: &Node, field_type: &str, nullable: bool) -> bool {
    if value.is_null() {
        return nullable;
    }
    let yaml::Value::Scalar(_) = &value.value else {
        return false;
    };
    match (field_type, typed_scalar(value, Some(field_type))) {
        ("string", Value::String(_)) => true,
        ("integer", Value::Number(n)) => n.is_i64() || n.is_u64(),
        ("number", Value::Number(_)) => true,
        ("boolean", Value::Bool(_)) => true,
        _ => false,
    }
}

fn check_enum(field: &Field, out: &mut Vec<Diagnostic>) {
    let Some(values) = &field.enum_values else {
        return;
    };
    if values.value.is_empty() {
        out.push(Diagnostic::new(
            &INVALID_ENUM,
            values.span,
            format!("the enum of field `{}` is empty", field.id.value),
        ));
        return;
    }
    let field_type = field.field_type.as_ref().map(|t| t.value);
    let nullable = field.nullable.as_ref().is_some_and(|n| n.value);
    let mut seen: Vec<(Value, &Node)> = Vec::new();
    for value in &values.value {
        if let Some(field_type) = field_type
            && !fits_type(value, field_type, nullable)
        {
            out.push(Diagnostic::new(
                &INVALID_ENUM,
                value.span,
                format!(
                    "this value of field `{}`'s enum is not {} {field_type}",
                    field.id.value,
                    if field_type == "integer" { "an" } else { "a" }
                ),
            ));
            continue;
        }
        let typed = typed_scalar(value, field_type);
        match seen.iter().find(|(earlier, _)| *earlier == typed) {
            Some((_, first)) => out.push(
                Diagnostic::new(
                    &INVALID_ENUM,
                    value.span,
                    format!("the enum of field `{}` repeats {typed}", field.id.value),
                )
                .with_secondary(first.span, "first listed here"),
            ),
            None => seen.push((typed, value)),
        }
    }
}

/// The part of an example that a validation error points at; for an unexpected property, its
/// key.
fn error_span(example: &Node, error: &jsonschema::ValidationError<'_>) -> crate::source::Span {
    let target = example
        .at_pointer(error.instance_path().as_str())
        .unwrap_or(example);
    if let ValidationErrorKind::AdditionalProperties { unexpected } = error.kind()
        && let yaml::Value::Map(entries) = &target.value
        && let Some(entry) = entries.iter().find(|e| unexpected.contains(&e.key))
    {
        return entry.key_span;
    }
    target.span
}

/// Validates examples (each with the node it was read from) against a schema whose values
/// are the `carried` fields.
fn validate_examples(
    what: &str,
    at: Span,
    carried: &[&Field],
    schema: &Value,
    examples: &[(Value, &Node)],
) -> Vec<Diagnostic> {
    if carried.iter().any(|f| has_broken_constraint(f)) {
        return Vec::new();
    }
    let validator = match jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
    {
        Ok(validator) => validator,
        Err(error) => {
            return vec![Diagnostic::new(
                &INVALID_EXAMPLE,
                at,
                format!(
                    "the examples of {what} cannot be checked: its generated schema does not compile ({error})"
                ),
            )];
        }
    };
    let mut found = Vec::new();
    for (json, node) in examples {
        for error in validator.iter_errors(json) {
            let path = error.instance_path().as_str().to_string();
            let place = if path.is_empty() {
                String::new()
            } else {
                format!(" at `{path}`")
            };
            found.push(
                Diagnostic::new(
                    &INVALID_EXAMPLE,
                    error_span(node, &error),
                    format!("example of {what} is invalid{place}: {error}"),
                )
                .with_label("does not match the schema"),
            );
        }
    }
    found
}

fn check_examples(plan: &Plan) -> Vec<Diagnostic> {
    let events = plan
        .workspace
        .events
        .par_iter()
        .filter(|e| !e.examples.is_empty())
        .flat_map_iter(|event| {
            let examples: Vec<(Value, &Node)> = event
                .examples
                .iter()
                .map(|node| (example_json(plan, &event.properties, node), node))
                .collect();
            let what = format!("event `{}`", event.id.value);
            validate_examples(
                &what,
                event.id.span,
                &plan.event_fields(event),
                &event_schema(plan, event),
                &examples,
            )
        });
    let fields = plan
        .workspace
        .fields
        .par_iter()
        .filter(|f| !f.examples.is_empty())
        .flat_map_iter(|field| {
            let examples: Vec<(Value, &Node)> = field
                .examples
                .iter()
                .map(|node| (field_value_json(plan, field, node), node))
                .collect();
            let what = format!("field `{}`", field.id.value);
            validate_examples(
                &what,
                field.id.span,
                &plan.carried_fields([&field.id]),
                &field_document(plan, field),
                &examples,
            )
        });
    events.chain(fields).collect()
}

/// Reads one share out of a channel's targets.
type ShareOf = fn(&ChannelTargets) -> Option<&Spanned<f64>>;

fn check_channel_shares(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let targets: Vec<_> = plan
        .workspace
        .channels
        .iter()
        .filter_map(|c| c.targets.as_ref().map(|t| (c, t)))
        .collect();
    let shares: [(&str, ShareOf); 2] = [
        ("adoption", |t| t.adoption.as_ref()),
        ("revenue_share", |t| t.revenue_share.as_ref()),
    ];
    for (name, share) in shares {
        let given: Vec<_> = targets
            .iter()
            .filter_map(|(c, t)| share(t).map(|s| (c, s)))
            .collect();
        if given.is_empty() || given.len() != targets.len() {
            continue;
        }
        let total: f64 = given.iter().map(|(_, s)| s.value).sum();
        if (total - 100.0).abs() > 0.01 {
            let parts: Vec<String> = given
                .iter()
                .map(|(c, s)| format!("{} {}%", c.id.value, s.value))
                .collect();
            let (_, last) = given[given.len() - 1];
            let mut diagnostic = Diagnostic::new(
                &CHANNEL_SHARES,
                last.span,
                format!(
                    "channel {name} shares add up to {total}%, not 100%: {}",
                    parts.join(" + ")
                ),
            );
            for (_, s) in &given[..given.len() - 1] {
                diagnostic = diagnostic.with_secondary(s.span, "");
            }
            out.push(diagnostic);
        }
    }
}

pub fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    for field in &plan.workspace.fields {
        check_pattern(field, out);
        check_bounds(field, out);
        check_enum(field, out);
    }
    out.extend(check_examples(plan));
    check_channel_shares(plan, out);
    for event in &plan.workspace.events {
        for property in event.properties.iter().filter(|p| p.name.value == "event") {
            out.push(
                Diagnostic::new(
                    &EVENT_KEY_PROPERTY,
                    property.name.span,
                    format!(
                        "event `{}` has a property `event`, the key that carries the event name",
                        event.id.value
                    ),
                )
                .with_help("carry it under another name: `event_type: { field: …, required: … }`"),
            );
        }
    }
}
