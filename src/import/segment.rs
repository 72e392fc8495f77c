//! Segment Protocols tracking plans: the public API export (`rules[]` with `key`, `type` and
//! `jsonSchema`), the older config API (`rules.events[]` with `name` and `rules`), and the local
//! plan files of Typewriter (`events[]`). RudderTyper plans share the config-API shape.

use std::path::Path;

use serde_json::{Map, Value};

use super::convert::{Loss, SourceEvent};
use super::{Skipped, Sources, files_under, name_of, read_json, shown};

pub fn read(path: &Path) -> Result<Sources, String> {
    let mut sources = Sources {
        name: name_of(path),
        ..Sources::default()
    };
    for file in files_under(path)? {
        let origin = shown(path, &file);
        let is_yaml = file.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if is_yaml {
            match read_yaml(&file) {
                Ok(spec) => read_spec(&spec, &origin, &mut sources),
                Err(reason) => sources.skipped.push(Skipped { origin, reason }),
            }
            continue;
        }
        match read_json(&file) {
            Ok(plan) => read_plan(&plan, &origin, &mut sources),
            Err(reason) => sources.skipped.push(Skipped { origin, reason }),
        }
    }
    Ok(sources)
}

/// Reads a YAML file into JSON with trailmap's own YAML reader.
pub(crate) fn read_yaml(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let document = crate::source::yaml::parse(crate::source::FileId(0), &text);
    match document.root {
        Some(root) if document.errors.is_empty() => Ok(root.to_json()),
        _ => Err("not valid YAML".into()),
    }
}

/// A spec written as YAML (Segment's e-commerce v2 spec as transcribed from its documentation):
/// `events[]` with `name`, `description` and `properties[]` of `name`, `type` (or a list of
/// types), `description` and, for arrays of objects, `items.properties`.
fn read_spec(spec: &Value, origin: &str, sources: &mut Sources) {
    let Some(events) = spec["events"].as_array() else {
        sources.skipped.push(Skipped {
            origin: origin.into(),
            reason: "no `events` list: not a tracking plan this importer knows".into(),
        });
        return;
    };
    for (at, event) in events.iter().enumerate() {
        let item = format!("{origin}#/events/{at}");
        let Some(name) = event["name"].as_str() else {
            sources.skipped.push(Skipped {
                origin: item,
                reason: "an event without a name".into(),
            });
            continue;
        };
        let mut losses = Vec::new();
        for key in ["aliases", "example", "category"] {
            if event.get(key).is_some_and(|v| !v.is_null()) {
                losses.push(Loss {
                    pointer: "/".into(),
                    what: format!("the event's `{key}` is not imported"),
                });
            }
        }
        let mut schema = spec_object(event["properties"].as_array().map(Vec::as_slice));
        if let (Some(object), Some(description)) =
            (schema.as_object_mut(), event["description"].as_str())
        {
            object.insert("description".into(), description.into());
        }
        sources.events.push(SourceEvent {
            name: name.to_string(),
            description: event["description"].as_str().map(str::to_string),
            version: None,
            schema,
            origin: item,
            losses,
        });
    }
}

fn spec_object(properties: Option<&[Value]>) -> Value {
    let mut declared = Map::new();
    for property in properties.unwrap_or(&[]) {
        let Some(name) = property["name"].as_str() else {
            continue;
        };
        let mut schema = Map::new();
        if !property["type"].is_null() {
            schema.insert("type".into(), property["type"].clone());
        }
        if let Some(description) = property["description"].as_str() {
            schema.insert("description".into(), description.into());
        }
        if let Some(items) = property["items"].as_object() {
            let mut item_schema = spec_object(
                items
                    .get("properties")
                    .and_then(Value::as_array)
                    .map(Vec::as_slice),
            );
            if let (Some(item_schema), Some(t)) = (item_schema.as_object_mut(), items.get("type")) {
                item_schema.insert("type".into(), t.clone());
            }
            schema.insert("items".into(), item_schema);
        }
        declared.insert(name.to_string(), Value::Object(schema));
    }
    serde_json::json!({ "type": "object", "properties": declared })
}

/// One tracking-plan JSON document, in any of the shapes above.
pub fn read_plan(plan: &Value, origin: &str, sources: &mut Sources) {
    let rules = &plan["rules"];
    if let Some(list) = rules.as_array() {
        // Public API: `rules[]`.
        for (at, rule) in list.iter().enumerate() {
            let kind = rule["type"].as_str().unwrap_or("TRACK");
            let name = rule["key"]
                .as_str()
                .or_else(|| rule["jsonSchema"]["eventMetadata"]["name"].as_str())
                .unwrap_or_default();
            let item = format!("{origin}#/rules/{at}");
            add(
                sources,
                item,
                kind,
                name,
                &rule["jsonSchema"],
                &rule["version"],
            );
        }
    } else if let Some(list) = rules["events"].as_array().or(plan["events"].as_array()) {
        // Config API v1, RudderTyper, Typewriter local plans.
        let base = if rules["events"].is_array() {
            "rules/events"
        } else {
            "events"
        };
        for (at, event) in list.iter().enumerate() {
            let kind = event["eventType"].as_str().unwrap_or("track");
            let name = event["name"].as_str().unwrap_or_default();
            let item = format!("{origin}#/{base}/{at}");
            let mut schema = event["rules"].clone();
            if schema["description"].is_null()
                && let (Some(object), Some(description)) =
                    (schema.as_object_mut(), event["description"].as_str())
            {
                object.insert("description".into(), description.into());
            }
            add(sources, item, kind, name, &schema, &event["version"]);
        }
    } else {
        sources.skipped.push(Skipped {
            origin: origin.into(),
            reason: "no `rules` or `events` list: not a tracking plan this importer knows".into(),
        });
    }
    for traits in ["identify_traits", "group_traits"] {
        if rules[traits].as_array().is_some_and(|t| !t.is_empty()) {
            sources.notes.push(format!(
                "`{origin}`: `rules.{traits}` (user and group traits) — trailmap plans events, not traits"
            ));
        }
    }
}

fn add(
    sources: &mut Sources,
    item: String,
    kind: &str,
    name: &str,
    schema: &Value,
    version: &Value,
) {
    if !kind.eq_ignore_ascii_case("track") {
        sources.skipped.push(Skipped {
            origin: item,
            reason: format!(
                "a `{}` rule (traits or page/screen properties, not a named event); trailmap plans track events",
                kind.to_lowercase()
            ),
        });
        return;
    }
    if name.is_empty() {
        sources.skipped.push(Skipped {
            origin: item,
            reason: "a track rule without an event name".into(),
        });
        return;
    }
    let (schema, losses) = unwrap(schema);
    sources.events.push(SourceEvent {
        name: name.to_string(),
        description: schema["description"].as_str().map(str::to_string),
        version: version.as_u64().map(|v| format!("{v}-0-0")),
        schema,
        origin: item,
        losses,
    });
}

/// Segment wraps an event's schema as `properties: { properties, context, traits }`; the
/// event's own properties are under `properties.properties`. Rules on `context` and `traits`
/// are reported, not imported.
pub fn unwrap(schema: &Value) -> (Value, Vec<Loss>) {
    let mut losses = Vec::new();
    let empty = Map::new();
    let object = schema.as_object().unwrap_or(&empty);
    let top = object.get("properties").and_then(Value::as_object);
    let wrapped = top.is_some_and(|top| {
        !top.is_empty()
            && top
                .keys()
                .all(|k| matches!(k.as_str(), "properties" | "context" | "traits"))
            && top.values().all(Value::is_object)
    });
    let mut inner = if wrapped {
        let top = top.unwrap_or(&empty);
        for key in ["context", "traits"] {
            if let Some(rules) = top.get(key).and_then(Value::as_object)
                && rules
                    .keys()
                    .any(|k| !matches!(k.as_str(), "type" | "description" | "id"))
            {
                losses.push(Loss {
                    pointer: "/".into(),
                    what: format!("rules on the message's `{key}` are not imported (trailmap plans event properties)"),
                });
            }
        }
        let mut inner = top
            .get("properties")
            .cloned()
            .unwrap_or_else(|| serde_json::json!({"type": "object"}));
        if let (Some(inner), Some(description)) = (inner.as_object_mut(), object.get("description"))
        {
            inner.entry("description").or_insert(description.clone());
        }
        inner
    } else {
        schema.clone()
    };
    if let Some(inner) = inner.as_object_mut() {
        inner.remove("$schema");
        inner.remove("eventMetadata");
        if let Some(labels) = inner
            .remove("labels")
            .or_else(|| object.get("labels").cloned())
            && labels.as_object().is_some_and(|l| !l.is_empty())
        {
            losses.push(Loss {
                pointer: "/".into(),
                what: format!("labels {labels} are not imported"),
            });
        }
    }
    (inner, losses)
}
