//! Exports for the engines that run tracking plans at scale: Snowplow Iglu schemas (JSON), and
//! the facts the AsyncAPI, ODCS and dbt templates render (`templates/exports/`).

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::model::Event;
use crate::plan::Plan;
use crate::plan::schema::event_schema;

/// The Iglu meta-schema every self-describing schema declares.
pub const IGLU_SELF_DESC: &str =
    "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#";

/// Replaces `$ref`s into `$defs` by the definitions themselves, so that the schema stands alone
/// in documents that carry it (AsyncAPI payloads, draft-4 Iglu schemas). A definition that
/// reaches itself stays a reference, into `definitions` (draft 4 and 7 spelling).
pub fn inline_refs(schema: &Value) -> Value {
    let defs = schema
        .get("$defs")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut recursive = BTreeMap::new();
    let mut out = inline(schema, &defs, &mut Vec::new(), &mut recursive);
    if let Some(object) = out.as_object_mut() {
        object.remove("$defs");
        if !recursive.is_empty() {
            let kept: Map<String, Value> = recursive.into_iter().collect();
            object.insert("definitions".into(), Value::Object(kept));
        }
    }
    out
}

fn inline(
    value: &Value,
    defs: &Map<String, Value>,
    stack: &mut Vec<String>,
    recursive: &mut BTreeMap<String, Value>,
) -> Value {
    match value {
        Value::Object(object) => {
            if let Some(name) = object
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/$defs/"))
                && let Some(definition) = defs.get(name)
            {
                if stack.iter().any(|s| s == name) {
                    if !recursive.contains_key(name) {
                        recursive.insert(name.to_string(), Value::Null);
                        stack.push(name.to_string());
                        let body = inline(definition, defs, &mut Vec::new(), recursive);
                        stack.pop();
                        recursive.insert(name.to_string(), body);
                    }
                    return json!({ "$ref": format!("#/definitions/{name}") });
                }
                stack.push(name.to_string());
                let body = inline(definition, defs, stack, recursive);
                stack.pop();
                return body;
            }
            Value::Object(
                object
                    .iter()
                    .filter(|(key, _)| key.as_str() != "$defs")
                    .map(|(key, v)| (key.clone(), inline(v, defs, stack, recursive)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| inline(v, defs, stack, recursive))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// An event's payload schema without the document keywords (`$schema`, `$id`): for embedding.
pub fn payload_schema(plan: &Plan, event: &Event) -> Value {
    let mut schema = inline_refs(&event_schema(plan, event));
    if let Some(object) = schema.as_object_mut() {
        object.remove("$schema");
        object.remove("$id");
    }
    schema
}

/// The workspace name, as written.
fn workspace_name(plan: &Plan) -> String {
    plan.workspace
        .manifest
        .as_ref()
        .and_then(|m| m.name.as_ref())
        .map_or_else(|| "workspace".into(), |n| n.value.clone())
}

/// Where an event lives in Iglu: vendor, name and SchemaVer version. An id of the form
/// `vendor.name` (as `trailmap import iglu` writes them; a `@version` suffix is dropped) keeps
/// its vendor; other ids get the vendor `io.trailmap.<workspace>`.
pub fn iglu_key(plan: &Plan, event: &Event) -> (String, String, String) {
    let id = event.id.value.split('@').next().unwrap_or_default();
    let clean = |text: &str| -> String {
        text.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '_' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let (vendor, name) = match id.rsplit_once('.') {
        Some((vendor, name)) if !vendor.is_empty() && !name.is_empty() => {
            let vendor: String = vendor
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            (vendor, clean(name))
        }
        _ => (
            format!(
                "io.trailmap.{}",
                clean(&workspace_name(plan)).to_lowercase()
            ),
            clean(id),
        ),
    };
    let version = event
        .version
        .as_ref()
        .map_or_else(|| "1-0-0".to_string(), |v| v.value.clone());
    (vendor, name, version)
}

/// Every event as a self-describing Iglu schema (draft 4), at
/// `iglu/schemas/<vendor>/<name>/jsonschema/<version>`, ready for `igluctl static push`.
pub fn iglu_schemas(plan: &Plan) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for event in &plan.workspace.events {
        let (vendor, name, version) = iglu_key(plan, event);
        let body = inline_refs(&event_schema(plan, event));
        let mut schema = Map::new();
        schema.insert("$schema".into(), IGLU_SELF_DESC.into());
        if let Some(description) = body.get("description") {
            schema.insert("description".into(), description.clone());
        }
        schema.insert(
            "self".into(),
            json!({ "vendor": vendor, "name": name, "format": "jsonschema", "version": version }),
        );
        for (key, value) in body.as_object().into_iter().flatten() {
            if !matches!(key.as_str(), "$schema" | "$id" | "title" | "description") {
                schema.insert(key.clone(), value.clone());
            }
        }
        out.push((
            format!("iglu/schemas/{vendor}/{name}/jsonschema/{version}"),
            Value::Object(schema),
        ));
    }
    out
}

/// What the AsyncAPI, ODCS and dbt templates need of one event beyond the catalog.
#[derive(Serialize)]
pub struct EventExport {
    /// A key safe for AsyncAPI components and file names.
    pub key: String,
    /// The warehouse table of the event (snake_case).
    pub table: String,
    /// The payload schema, references inlined.
    pub payload: Value,
    /// The purposes of the event with their lawful bases.
    pub lawful_bases: BTreeMap<String, String>,
    /// The most sensitive classification of its properties (highest rank).
    pub classification: Option<String>,
    /// How long the event may be kept: the shortest retention of its fields, canonical and in
    /// days.
    pub retention: Option<String>,
    pub retention_days: Option<i64>,
    /// Column name of each property in the warehouse (snake_case of the property name).
    pub columns: BTreeMap<String, String>,
}

/// The export facts of every event, by event id.
pub fn event_exports(plan: &Plan) -> BTreeMap<String, EventExport> {
    let mut out = BTreeMap::new();
    for event in &plan.workspace.events {
        let fields = plan.event_fields(event);
        let classification = fields
            .iter()
            .filter_map(|f| f.classification.as_ref())
            .filter_map(|c| {
                plan.classification(&c.value)
                    .map(|class| (class.rank.as_ref().map_or(0, |r| r.value), c.value.clone()))
            })
            .max()
            .map(|(_, id)| id);
        let retention = fields
            .iter()
            .filter_map(|f| f.retention.get())
            .map(|r| r.value)
            .min();
        out.insert(
            event.id.value.clone(),
            EventExport {
                key: crate::model::safe_id(&event.id.value),
                table: event.id.value.to_snake_case(),
                payload: payload_schema(plan, event),
                lawful_bases: event
                    .purposes
                    .iter()
                    .filter_map(|p| {
                        Some((p.value.clone(), plan.lawful_basis(&p.value)?.to_string()))
                    })
                    .collect(),
                classification,
                retention: retention.map(|r| r.to_string()),
                retention_days: retention.map(|r| (r.seconds + 86_399) / 86_400),
                columns: event
                    .properties
                    .iter()
                    .map(|p| (p.name.value.clone(), p.name.value.to_snake_case()))
                    .collect(),
            },
        );
    }
    out
}
