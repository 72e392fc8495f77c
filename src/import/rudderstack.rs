//! RudderStack tracking plans: a RudderTyper plan JSON (the config-API shape, read like a
//! Segment plan), or a rudder-cli project folder of YAML files (`rudder/v1` and `rudder/v0.1`:
//! `events`, `properties`, `custom-types`, `categories`, `tp`/`tracking-plan`).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value, json};

use super::convert::{Loss, SourceEvent};
use super::{Skipped, Sources, files_under, name_of, shown};
use crate::source::{FileId, yaml};

pub fn read(path: &Path) -> Result<Sources, String> {
    let files = files_under(path)?;
    let json: Vec<_> = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "json"))
        .collect();
    if !json.is_empty() && json.len() == files.len() {
        return super::segment::read(path).map(|mut sources| {
            sources.name = name_of(path);
            sources
        });
    }
    read_cli(path, &files)
}

/// The id a reference names: `#/properties/group/id`, `#property:id`, `#custom-type:id`.
fn ref_id(reference: &str) -> Option<&str> {
    let reference = reference.strip_prefix('#')?;
    reference
        .rsplit(['/', ':'])
        .next()
        .filter(|id| !id.is_empty())
}

#[derive(Default)]
struct Project {
    events: Vec<(String, Value)>,
    properties: BTreeMap<String, Value>,
    types: BTreeMap<String, Value>,
    plans: Vec<(String, Value)>,
}

fn read_cli(root: &Path, files: &[std::path::PathBuf]) -> Result<Sources, String> {
    let mut sources = Sources {
        name: name_of(root),
        ..Sources::default()
    };
    let mut project = Project::default();
    for file in files {
        let origin = shown(root, file);
        let is_yaml = file.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if !is_yaml {
            sources.skipped.push(Skipped {
                origin,
                reason: "not a YAML file".into(),
            });
            continue;
        }
        let text = std::fs::read_to_string(file).map_err(|e| format!("{origin}: {e}"))?;
        let document = yaml::parse(FileId(0), &text);
        let Some(root_node) = document.root.filter(|_| document.errors.is_empty()) else {
            sources.skipped.push(Skipped {
                origin,
                reason: "not valid YAML".into(),
            });
            continue;
        };
        let doc = root_node.to_json();
        let kind = doc["kind"].as_str().unwrap_or_default();
        let spec = &doc["spec"];
        let list = |key: &str| spec[key].as_array().cloned().unwrap_or_default();
        match kind {
            "events" => {
                for (at, event) in list("events").into_iter().enumerate() {
                    project
                        .events
                        .push((format!("{origin}#/spec/events/{at}"), event));
                }
            }
            "properties" => {
                for property in list("properties") {
                    if let Some(id) = property["id"].as_str() {
                        project.properties.insert(id.to_string(), property.clone());
                    }
                }
            }
            "custom-types" => {
                for custom in list("types") {
                    if let Some(id) = custom["id"].as_str() {
                        project.types.insert(id.to_string(), custom.clone());
                    }
                }
            }
            "tp" | "tracking-plan" => project.plans.push((origin, spec.clone())),
            "categories" => sources.notes.push(format!(
                "`{origin}`: event categories — trailmap has no categories"
            )),
            other => sources.skipped.push(Skipped {
                origin,
                reason: format!(
                    "kind `{other}` is not a rudder-cli catalog kind this importer reads"
                ),
            }),
        }
    }
    // Properties of each event, from the first tracking-plan rule naming it.
    let mut rules: BTreeMap<String, (String, Value)> = BTreeMap::new();
    for (origin, plan) in &project.plans {
        for (at, rule) in plan["rules"].as_array().into_iter().flatten().enumerate() {
            let event_ref = rule["event"]["$ref"]
                .as_str()
                .or(rule["event"].as_str())
                .and_then(ref_id);
            if let Some(id) = event_ref
                && !rules.contains_key(id)
            {
                rules.insert(
                    id.to_string(),
                    (format!("{origin}#/spec/rules/{at}"), rule.clone()),
                );
            }
        }
    }
    for (origin, event) in &project.events {
        let Some(id) = event["id"].as_str() else {
            sources.skipped.push(Skipped {
                origin: origin.clone(),
                reason: "an event without an id".into(),
            });
            continue;
        };
        let name = event["name"]
            .as_str()
            .filter(|n| !n.is_empty())
            .unwrap_or(id);
        let mut losses = Vec::new();
        let kind = event["event_type"].as_str().unwrap_or("track");
        if kind != "track" {
            losses.push(Loss {
                pointer: "/".into(),
                what: format!("event type `{kind}`: imported as a named event"),
            });
        }
        if event.get("category").is_some() {
            losses.push(Loss {
                pointer: "/".into(),
                what: format!("category {} is not imported", event["category"]),
            });
        }
        let schema = match rules.get(id) {
            Some((rule_origin, rule)) => {
                let mut schema = object_schema(
                    rule["properties"]
                        .as_array()
                        .map(Vec::as_slice)
                        .unwrap_or(&[]),
                    &project,
                    &mut losses,
                    "",
                    0,
                );
                let open = rule["additional_properties"].as_bool().unwrap_or(false)
                    || rule["event"]["allow_unplanned"].as_bool().unwrap_or(false);
                if !open && let Some(object) = schema.as_object_mut() {
                    object.insert("additionalProperties".into(), false.into());
                }
                if rule.get("variants").is_some() {
                    losses.push(Loss {
                        pointer: "/".into(),
                        what: format!("the discriminator variants of rule `{rule_origin}` have no trailmap form"),
                    });
                }
                schema
            }
            None => json!({"type": "object", "additionalProperties": false}),
        };
        let mut schema = schema;
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
            origin: origin.clone(),
            losses,
        });
    }
    Ok(sources)
}

/// The JSON Schema of an object made of property references (`$ref` or `property`, with
/// `required` and nested `properties`).
fn object_schema(
    refs: &[Value],
    project: &Project,
    losses: &mut Vec<Loss>,
    pointer: &str,
    depth: usize,
) -> Value {
    if depth > 16 {
        losses.push(Loss {
            pointer: if pointer.is_empty() {
                "/".into()
            } else {
                pointer.into()
            },
            what: "properties nested deeper than 16 levels (or a custom type containing itself) were left out".into(),
        });
        return json!({"type": "object"});
    }
    let mut properties = Map::new();
    let mut required = Vec::new();
    for reference in refs {
        let Some(id) = reference["$ref"]
            .as_str()
            .or(reference["property"].as_str())
            .and_then(ref_id)
        else {
            continue;
        };
        let Some(property) = project.properties.get(id) else {
            losses.push(Loss {
                pointer: if pointer.is_empty() {
                    "/".into()
                } else {
                    pointer.into()
                },
                what: format!("property `{id}` is referenced but not defined; left out"),
            });
            continue;
        };
        let name = property["name"]
            .as_str()
            .filter(|n| !n.is_empty())
            .unwrap_or(id);
        let mut schema = property_schema(property, project, depth + 1);
        if let Some(nested) = reference["properties"].as_array() {
            let inner = object_schema(
                nested,
                project,
                losses,
                &format!("{pointer}/properties/{name}"),
                depth + 1,
            );
            if let (Some(schema), Some(inner)) = (schema.as_object_mut(), inner.as_object()) {
                for (key, value) in inner {
                    schema.insert(key.clone(), value.clone());
                }
            }
        }
        if reference["required"].as_bool().unwrap_or(false) {
            required.push(Value::String(name.to_string()));
        }
        properties.insert(name.to_string(), schema);
    }
    let mut schema = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    schema
}

/// A rudder-cli type (`string`, `"string,null"`, a custom-type reference) as JSON Schema.
fn type_schema(written: &str, project: &Project, depth: usize) -> Value {
    if written.starts_with('#') {
        return match ref_id(written).and_then(|id| project.types.get(id)) {
            Some(custom) if depth < 16 => property_schema(custom, project, depth + 1),
            _ => json!({}),
        };
    }
    let types: Vec<&str> = written
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    match types.as_slice() {
        [] | ["any"] => json!({}),
        [one] => json!({"type": one}),
        many => json!({"type": many}),
    }
}

/// A property or custom type as JSON Schema.
fn property_schema(property: &Value, project: &Project, depth: usize) -> Value {
    let mut schema = match (&property["type"], &property["types"]) {
        (Value::String(written), _) => type_schema(written, project, depth),
        (_, Value::Array(list)) => {
            let types: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
            type_schema(&types.join(","), project, depth)
        }
        _ => json!({}),
    };
    let Some(object) = schema.as_object_mut() else {
        return schema;
    };
    if let Some(description) = property["description"].as_str() {
        object.insert("description".into(), description.into());
    }
    let config = property["config"]
        .as_object()
        .or(property["propConfig"].as_object())
        .cloned()
        .unwrap_or_default();
    for (key, value) in config {
        let key = match key.as_str() {
            "min_length" => "minLength".to_string(),
            "max_length" => "maxLength".to_string(),
            "min_items" => "minItems".to_string(),
            "max_items" => "maxItems".to_string(),
            "multiple_of" => "multipleOf".to_string(),
            "exclusive_minimum" => "exclusiveMinimum".to_string(),
            "exclusive_maximum" => "exclusiveMaximum".to_string(),
            "unique_items" => "uniqueItems".to_string(),
            "itemTypes" | "item_types" => {
                object.insert("items".into(), item_types(&value, project, depth));
                continue;
            }
            _ => key,
        };
        object.insert(key, value);
    }
    for key in ["item_type", "item_types", "itemTypes"] {
        if let Some(value) = property.get(key) {
            object.insert("items".into(), item_types(value, project, depth));
        }
    }
    if let Some(custom_properties) = property["properties"].as_array() {
        let inner = object_schema(custom_properties, project, &mut Vec::new(), "", depth + 1);
        if let Some(inner) = inner.as_object() {
            for (key, value) in inner {
                object.insert(key.clone(), value.clone());
            }
        }
    }
    schema
}

fn item_types(value: &Value, project: &Project, depth: usize) -> Value {
    match value {
        Value::String(one) => type_schema(one, project, depth),
        Value::Array(list) => {
            let types: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
            if types.len() == 1 {
                type_schema(types[0], project, depth)
            } else {
                type_schema(&types.join(","), project, depth)
            }
        }
        _ => json!({}),
    }
}
