//! The data-layer contract of each event as JSON Schema (draft 2020-12), and example payloads
//! read the way that contract reads them.
//!
//! Both the quality rules (examples must validate) and the generators (`schemas/events/*.json`)
//! use this one definition.

use serde_json::{Map, Value, json};

use super::Plan;
use crate::model::{Event, Field, PropertyRef};
use crate::source::yaml::{self, Node};

pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// The value of a scalar as the field's type reads it: text fields keep the text exactly as
/// written (`NO`, `1.10`, `02142`); numbers and booleans follow YAML 1.2.
pub fn typed_scalar(node: &Node, field_type: Option<&str>) -> Value {
    match &node.value {
        yaml::Value::Scalar(scalar) if field_type == Some("string") && !node.is_null() => {
            Value::String(scalar.text.clone())
        }
        _ => node.to_json(),
    }
}

/// An example payload (or part of one) as JSON, reading each property by its field's type.
pub fn example_json(plan: &Plan, properties: &[PropertyRef], node: &Node) -> Value {
    let yaml::Value::Map(entries) = &node.value else {
        return node.to_json();
    };
    let mut object = Map::new();
    for entry in entries {
        let field = properties
            .iter()
            .find(|p| p.name.value == entry.key)
            .and_then(|p| plan.field(&p.field.value));
        let value = match field {
            Some(field) => field_value_json(plan, field, &entry.value),
            None => entry.value.to_json(),
        };
        object.insert(entry.key.clone(), value);
    }
    Value::Object(object)
}

/// A value of one field as JSON, read by the field's type (arrays and objects included).
pub fn field_value_json(plan: &Plan, field: &Field, node: &Node) -> Value {
    let field_type = field.field_type.as_ref().map(|t| t.value);
    match (&node.value, field_type) {
        (yaml::Value::Seq(items), Some("array")) => {
            let item_field = field.items.as_ref().and_then(|id| plan.field(&id.value));
            items
                .iter()
                .map(|item| match item_field {
                    Some(item_field) => field_value_json(plan, item_field, item),
                    None => item.to_json(),
                })
                .collect()
        }
        (yaml::Value::Map(_), Some("object")) => example_json(plan, &field.properties, node),
        _ => typed_scalar(node, field_type),
    }
}

fn insert<T: Into<Value>>(schema: &mut Map<String, Value>, key: &str, value: Option<T>) {
    if let Some(value) = value {
        schema.insert(key.to_string(), value.into());
    }
}

/// The `$defs` of a schema being built, and the arrays being built right now: an array that
/// reaches itself through its items is defined in `$defs` too, so that it refers to itself
/// instead of nesting forever.
#[derive(Default)]
struct Defs {
    map: Map<String, Value>,
    arrays_in_progress: Vec<String>,
    recursive_arrays: Vec<String>,
}

fn reference(id: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{id}") })
}

/// The schema of one field where it is used: objects (and recursive arrays) are referenced
/// from `$defs`.
fn field_use(plan: &Plan, field: &Field, defs: &mut Defs) -> Value {
    let id = &field.id.value;
    match field.field_type.as_ref().map(|t| t.value) {
        Some("object") => {
            if !defs.map.contains_key(id) {
                // Insert a placeholder first so that a field reaching itself ends the recursion.
                defs.map.insert(id.clone(), Value::Null);
                let definition = field_schema(plan, field, defs);
                defs.map.insert(id.clone(), definition);
            }
            reference(id)
        }
        Some("array") if defs.map.contains_key(id) => reference(id),
        Some("array") if defs.arrays_in_progress.contains(id) => {
            defs.recursive_arrays.push(id.clone());
            reference(id)
        }
        Some("array") => {
            defs.arrays_in_progress.push(id.clone());
            let schema = field_schema(plan, field, defs);
            defs.arrays_in_progress.pop();
            if defs.recursive_arrays.contains(id) {
                defs.map.insert(id.clone(), schema);
                reference(id)
            } else {
                schema
            }
        }
        _ => field_schema(plan, field, defs),
    }
}

/// An object of these properties; `open` objects also accept properties they do not declare.
fn object_schema(
    plan: &Plan,
    properties: &[PropertyRef],
    open: bool,
    defs: &mut Defs,
) -> Map<String, Value> {
    let mut schema = Map::new();
    let mut props = Map::new();
    let mut required = Vec::new();
    for property in properties {
        let Some(field) = plan.field(&property.field.value) else {
            continue;
        };
        props.insert(property.name.value.clone(), field_use(plan, field, defs));
        if property.required.value {
            required.push(Value::String(property.name.value.clone()));
        }
    }
    schema.insert("type".into(), "object".into());
    schema.insert("properties".into(), Value::Object(props));
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    schema.insert("additionalProperties".into(), open.into());
    schema
}

fn is_open(setting: &Option<crate::source::Spanned<bool>>) -> bool {
    setting.as_ref().is_some_and(|open| open.value)
}

/// The full schema of a field, with its governance annotations.
fn field_schema(plan: &Plan, field: &Field, defs: &mut Defs) -> Value {
    let field_type = field.field_type.as_ref().map(|t| t.value);
    let nullable = field.nullable.as_ref().is_some_and(|n| n.value);
    let mut schema = match field_type {
        Some("object") => object_schema(
            plan,
            &field.properties,
            is_open(&field.additional_properties),
            defs,
        ),
        _ => Map::new(),
    };
    if let Some(field_type) = field_type {
        let json_type = if nullable {
            json!([field_type, "null"])
        } else {
            json!(field_type)
        };
        schema.insert("type".into(), json_type);
    }
    insert(
        &mut schema,
        "description",
        field.description.as_ref().map(|d| d.value.clone()),
    );
    insert(
        &mut schema,
        "format",
        field.format.as_ref().map(|f| f.value),
    );
    insert(
        &mut schema,
        "pattern",
        field.pattern.as_ref().map(|p| p.value.clone()),
    );
    if let Some(values) = &field.enum_values {
        let mut values: Vec<Value> = values
            .value
            .iter()
            .map(|v| typed_scalar(v, field_type))
            .collect();
        if nullable && !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
        schema.insert("enum".into(), Value::Array(values));
    }
    insert(
        &mut schema,
        "minimum",
        field.minimum.as_ref().map(|n| n.value.clone()),
    );
    insert(
        &mut schema,
        "maximum",
        field.maximum.as_ref().map(|n| n.value.clone()),
    );
    insert(
        &mut schema,
        "minLength",
        field.min_length.as_ref().map(|n| n.value),
    );
    insert(
        &mut schema,
        "maxLength",
        field.max_length.as_ref().map(|n| n.value),
    );
    insert(
        &mut schema,
        "minItems",
        field.min_items.as_ref().map(|n| n.value),
    );
    insert(
        &mut schema,
        "maxItems",
        field.max_items.as_ref().map(|n| n.value),
    );
    if field_type == Some("array")
        && let Some(items) = field.items.as_ref().and_then(|id| plan.field(&id.value))
    {
        schema.insert("items".into(), field_use(plan, items, defs));
    }
    insert(
        &mut schema,
        "x-trailmap-classification",
        field.classification.as_ref().map(|c| c.value.clone()),
    );
    if !field.purposes.is_empty() {
        schema.insert(
            "x-trailmap-purposes".into(),
            field.purposes.iter().map(|p| p.value.clone()).collect(),
        );
    }
    insert(
        &mut schema,
        "x-trailmap-retention",
        field.retention.get().map(|r| r.value.to_string()),
    );
    if field.identifier.as_ref().is_some_and(|i| i.value) {
        schema.insert("x-trailmap-identifier".into(), true.into());
    }
    Value::Object(schema)
}

/// The `$id` of an event's schema: a URN made of the workspace name and the event id, with
/// anything that is not a letter, digit, `.`, `_` or `-` replaced so that it is a valid URI.
pub fn event_schema_id(plan: &Plan, event: &str) -> String {
    let workspace = plan
        .workspace
        .manifest
        .as_ref()
        .and_then(|m| m.name.as_ref())
        .map_or("workspace", |name| name.value.as_str());
    let safe = |text: &str| -> String {
        text.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect()
    };
    format!("urn:trailmap:{}:events:{}", safe(workspace), safe(event))
}

/// The JSON Schema of an event's payload (its properties, without the event name).
pub fn event_schema(plan: &Plan, event: &Event) -> Value {
    let mut defs = Defs::default();
    let mut schema = Map::new();
    schema.insert("$schema".into(), DRAFT_2020_12.into());
    schema.insert("$id".into(), event_schema_id(plan, &event.id.value).into());
    schema.insert("title".into(), event.id.value.clone().into());
    insert(
        &mut schema,
        "description",
        event.description.as_ref().map(|d| d.value.clone()),
    );
    schema.extend(object_schema(
        plan,
        &event.properties,
        is_open(&event.additional_properties),
        &mut defs,
    ));
    insert(
        &mut schema,
        "x-trailmap-owner",
        event.owner.as_ref().map(|o| o.value.clone()),
    );
    insert(
        &mut schema,
        "x-trailmap-status",
        event.status.as_ref().map(|s| s.value),
    );
    if !event.purposes.is_empty() {
        schema.insert(
            "x-trailmap-purposes".into(),
            event.purposes.iter().map(|p| p.value.clone()).collect(),
        );
    }
    if !event.destinations.is_empty() {
        schema.insert(
            "x-trailmap-destinations".into(),
            event.destinations.iter().map(|d| d.value.clone()).collect(),
        );
    }
    if !defs.map.is_empty() {
        schema.insert("$defs".into(), Value::Object(defs.map));
    }
    Value::Object(schema)
}

/// A standalone schema for one field's values (used to validate a field's own examples).
pub fn field_document(plan: &Plan, field: &Field) -> Value {
    let mut defs = Defs::default();
    let mut schema = match field_use(plan, field, &mut defs) {
        Value::Object(schema) => schema,
        other => return other,
    };
    schema.insert("$schema".into(), DRAFT_2020_12.into());
    if !defs.map.is_empty() {
        schema.insert("$defs".into(), Value::Object(defs.map));
    }
    Value::Object(schema)
}
