//! The one place where a JSON Schema becomes trailmap fields: every importer turns its source
//! into a JSON Schema per event (an object schema of the event's properties) and hands it here.
//!
//! Each property is converted where it is used; identical definitions of the same name share one
//! field named after the property, and a name defined in more than one way gets one field per
//! definition, named after its owner (`event.property`) and carried under its own name with
//! `{ field: … }`. What trailmap cannot represent is returned as a [`Loss`], never dropped
//! silently.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value};

use crate::model::{FIELD_FORMATS, safe_id};

/// Something the source says that the imported plan does not: where (a JSON pointer into the
/// event's schema) and what.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Loss {
    pub pointer: String,
    pub what: String,
}

/// One field as the importer writes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldDef {
    pub field_type: String,
    pub nullable: bool,
    pub description: Option<String>,
    pub format: Option<String>,
    pub pattern: Option<String>,
    pub enum_values: Option<Vec<Value>>,
    pub minimum: Option<serde_json::Number>,
    pub maximum: Option<serde_json::Number>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub items: Option<String>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub properties: Vec<Property>,
    /// Objects: accepts undeclared properties.
    pub open: bool,
}

/// A property of an event or object field: its payload name, the field, required or not.
#[derive(Clone, Debug, PartialEq)]
pub struct Property {
    pub name: String,
    pub field: String,
    pub required: bool,
}

/// An event as an importer found it: its JSON Schema and where it came from.
#[derive(Clone, Debug)]
pub struct SourceEvent {
    /// The event name (its id in trailmap and the name sent in payloads).
    pub name: String,
    pub description: Option<String>,
    pub version: Option<String>,
    /// An object schema of the event's properties.
    pub schema: Value,
    /// The source file (and item) it came from, for the report.
    pub origin: String,
    /// Losses the importer found before conversion (shape of the source, not the schema).
    pub losses: Vec<Loss>,
}

/// A converted event.
#[derive(Clone, Debug)]
pub struct EventDef {
    pub name: String,
    pub description: Option<String>,
    pub version: Option<String>,
    pub properties: Vec<Property>,
    /// Accepts undeclared properties.
    pub open: bool,
    pub origin: String,
    pub losses: Vec<Loss>,
}

/// The converted plan: events and fields, ids unique and free of case/separator collisions.
#[derive(Debug, Default)]
pub struct Converted {
    pub events: Vec<EventDef>,
    pub fields: BTreeMap<String, FieldDef>,
}

/// The key under which two names collide in the naming rules (case and separators ignored).
fn collision_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_number(value: &Value) -> bool {
    value.is_number()
}

fn type_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Keywords that only annotate (they never change which payloads are valid).
const ANNOTATIONS: &[&str] = &[
    "title",
    "$comment",
    "default",
    "examples",
    "id",
    "$id",
    "$schema",
    "readOnly",
    "writeOnly",
    "deprecated",
    "contentEncoding",
    "contentMediaType",
];

/// Keywords the conversion reads.
const KNOWN: &[&str] = &[
    "type",
    "description",
    "format",
    "pattern",
    "enum",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "items",
    "minItems",
    "maxItems",
    "properties",
    "required",
    "additionalProperties",
];

struct Converter {
    /// For each property name, the distinct definitions seen (as canonical JSON text).
    definitions: HashMap<String, BTreeSet<String>>,
    /// Plain names that may be used as field ids (one definition, no collision with another
    /// plain name).
    plain: BTreeSet<String>,
    fields: BTreeMap<String, FieldDef>,
    /// Collision keys of the ids given out, and the id that took each.
    taken: HashMap<String, String>,
}

impl Converter {
    /// Records every property name and definition of a schema (first pass).
    fn survey(&mut self, schema: &Value) {
        let Some(object) = schema.as_object() else {
            return;
        };
        if let Some(Value::Object(properties)) = object.get("properties") {
            for (name, sub) in properties {
                self.definitions
                    .entry(name.clone())
                    .or_default()
                    .insert(sub.to_string());
                self.survey(sub);
            }
        }
        if let Some(items) = object.get("items") {
            self.survey(items);
        }
    }

    fn choose_plain(&mut self) {
        let mut by_key: HashMap<String, Vec<&String>> = HashMap::new();
        for name in self.definitions.keys() {
            by_key
                .entry(collision_key(&safe_id(name)))
                .or_default()
                .push(name);
        }
        for (name, definitions) in &self.definitions {
            let key = collision_key(&safe_id(name));
            let alone = by_key.get(&key).is_some_and(|names| names.len() == 1);
            if definitions.len() == 1 && alone && safe_id(name) == *name {
                self.plain.insert(name.clone());
            }
        }
    }

    /// Registers a field under `wanted` (or a free variant of it); returns the id. An identical
    /// definition already registered under the same id is shared.
    fn register(&mut self, wanted: String, def: FieldDef) -> String {
        let mut id = wanted.clone();
        let mut n = 1;
        loop {
            let key = collision_key(&id);
            match self.taken.get(&key) {
                None => {
                    self.taken.insert(key, id.clone());
                    self.fields.insert(id.clone(), def);
                    return id;
                }
                Some(owner) if *owner == id && self.fields.get(&id) == Some(&def) => return id,
                Some(_) => {
                    n += 1;
                    id = format!("{wanted}_{n}");
                }
            }
        }
    }

    /// Converts the schema of property `name` owned by `owner`; returns the field id.
    fn property(
        &mut self,
        owner: &str,
        name: &str,
        schema: &Value,
        pointer: &str,
        losses: &mut Vec<Loss>,
    ) -> String {
        let wanted = if self.plain.contains(name) {
            name.to_string()
        } else {
            format!("{owner}.{}", safe_id(name))
        };
        let def = self.field(&wanted, schema, pointer, losses);
        self.register(wanted, def)
    }

    /// Converts one schema into a field definition; nested fields are registered on the way.
    fn field(
        &mut self,
        id: &str,
        schema: &Value,
        pointer: &str,
        losses: &mut Vec<Loss>,
    ) -> FieldDef {
        let mut notes: Vec<String> = Vec::new();
        let empty = Map::new();
        let object = match schema {
            Value::Object(object) => object,
            Value::Bool(true) => &empty,
            other => {
                notes.push(format!(
                    "the schema `{other}` is not an object; imported as any string"
                ));
                &empty
            }
        };
        let mut def = FieldDef {
            description: object
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
            ..FieldDef::default()
        };
        for (key, value) in object {
            if ANNOTATIONS.contains(&key.as_str()) || KNOWN.contains(&key.as_str()) {
                continue;
            }
            notes.push(format!(
                "`{key}: {}` is not supported and was left out",
                short(value)
            ));
        }

        // Values allowed by `enum` or `const`.
        let mut values: Option<Vec<Value>> = match (object.get("enum"), object.get("const")) {
            (Some(Value::Array(values)), _) => Some(values.clone()),
            (None, Some(value)) => Some(vec![value.clone()]),
            (Some(other), _) => {
                notes.push(format!(
                    "`enum: {}` is not a list and was left out",
                    short(other)
                ));
                None
            }
            (None, None) => None,
        };

        // The type: one JSON type, possibly nullable.
        let mut types: Vec<String> = match object.get("type") {
            Some(Value::String(t)) => vec![t.clone()],
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        if types.iter().any(|t| t == "null") {
            def.nullable = true;
            types.retain(|t| t != "null");
        }
        // `null` is allowed when the type and the enum (if any) both allow it.
        if let Some(values) = &values {
            let enum_null = values.contains(&Value::Null);
            let typed = object.contains_key("type");
            def.nullable = enum_null && (!typed || def.nullable);
        }
        if types.is_empty() {
            if let Some(values) = &values {
                let mut seen: Vec<&str> = values
                    .iter()
                    .filter(|v| !v.is_null())
                    .map(type_of)
                    .collect();
                seen.sort();
                seen.dedup();
                if seen == ["integer", "number"] {
                    seen = vec!["number"];
                }
                types = seen.into_iter().map(str::to_string).collect();
            } else if object.contains_key("properties") {
                notes.push(
                    "no `type`: values that are not objects are valid too; imported as an object"
                        .into(),
                );
                types = vec!["object".into()];
            } else if object.contains_key("items") {
                notes.push(
                    "no `type`: values that are not arrays are valid too; imported as an array"
                        .into(),
                );
                types = vec!["array".into()];
            }
        }
        if types.len() > 1 && types.iter().all(|t| t == "integer" || t == "number") {
            types = vec!["number".into()];
        }
        let field_type = match types.as_slice() {
            [] if def.nullable && object.get("type").is_some() => {
                notes.push("only `null` is allowed; imported as a nullable string".into());
                "string".to_string()
            }
            [] => {
                notes.push("no type: any JSON value is allowed; imported as a string".into());
                "string".to_string()
            }
            [one] => one.clone(),
            [first, ..] => {
                notes.push(format!(
                    "the union of types {} has no trailmap form; imported as `{first}`",
                    types.join(", ")
                ));
                first.clone()
            }
        };
        let field_type = match field_type.as_str() {
            "string" | "integer" | "number" | "boolean" | "array" | "object" => field_type,
            other => {
                notes.push(format!(
                    "type `{other}` is not a JSON Schema type; imported as string"
                ));
                "string".into()
            }
        };
        def.field_type = field_type.clone();

        if let Some(list) = values.take() {
            let (kept, dropped): (Vec<Value>, Vec<Value>) =
                list.into_iter().filter(|v| !v.is_null()).partition(|v| {
                    let t = type_of(v);
                    t == field_type || (field_type == "number" && is_number(v))
                });
            if !dropped.is_empty() {
                notes.push(format!(
                    "enum values of another type than `{field_type}` were left out: {}",
                    short(&Value::Array(dropped))
                ));
            }
            let mut unique: Vec<Value> = Vec::new();
            for value in kept {
                if !unique.contains(&value) {
                    unique.push(value);
                }
            }
            if matches!(field_type.as_str(), "array" | "object") {
                notes.push(
                    "an enum of arrays or objects has no trailmap form and was left out".into(),
                );
            } else if unique.is_empty() {
                notes.push("an enum with no value of the field's type was left out".into());
            } else {
                def.enum_values = Some(unique);
            }
        }

        match field_type.as_str() {
            "string" => {
                match object.get("format").and_then(Value::as_str) {
                    Some(format) if FIELD_FORMATS.contains(&format) => {
                        def.format = Some(format.into())
                    }
                    Some(format) => notes.push(format!(
                        "format `{format}` is not one trailmap knows and was left out"
                    )),
                    None => {}
                }
                def.pattern = object
                    .get("pattern")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                def.min_length = object.get("minLength").and_then(Value::as_u64);
                def.max_length = object.get("maxLength").and_then(Value::as_u64);
            }
            "integer" | "number" => {
                def.minimum = bound(
                    object,
                    "minimum",
                    "exclusiveMinimum",
                    &field_type,
                    true,
                    &mut notes,
                );
                def.maximum = bound(
                    object,
                    "maximum",
                    "exclusiveMaximum",
                    &field_type,
                    false,
                    &mut notes,
                );
            }
            _ => {}
        }
        for (key, applies) in [
            ("format", "string"),
            ("pattern", "string"),
            ("minLength", "string"),
            ("maxLength", "string"),
            ("minimum", "number"),
            ("maximum", "number"),
            ("minItems", "array"),
            ("maxItems", "array"),
            ("items", "array"),
            ("properties", "object"),
        ] {
            let matches = field_type == applies || (applies == "number" && field_type == "integer");
            if object.contains_key(key) && !matches {
                notes.push(format!(
                    "`{key}` applies to {applies} values, which this `{field_type}` field does not take; left out"
                ));
            }
        }

        // Counts and bounds trailmap cannot read (not whole numbers, not numbers).
        for key in ["minLength", "maxLength", "minItems", "maxItems"] {
            if let Some(value) = object.get(key)
                && value.as_u64().is_none()
            {
                notes.push(format!(
                    "`{key}: {value}` is not a whole number of 0 or more; left out"
                ));
            }
        }
        for key in ["pattern", "format", "description"] {
            if let Some(value) = object.get(key)
                && !value.is_string()
            {
                notes.push(format!("`{key}: {}` is not text; left out", short(value)));
            }
        }
        for key in ["minimum", "maximum"] {
            if let Some(value) = object.get(key)
                && !value.is_number()
            {
                notes.push(format!(
                    "`{key}: {}` is not a number; left out",
                    short(value)
                ));
            }
        }
        let at = if pointer.is_empty() { "/" } else { pointer };
        losses.extend(notes.drain(..).map(|what| Loss {
            pointer: at.into(),
            what,
        }));
        if field_type == "array" {
            def.min_items = object.get("minItems").and_then(Value::as_u64);
            def.max_items = object.get("maxItems").and_then(Value::as_u64);
            let item_id = format!("{id}.item");
            match object.get("items") {
                Some(items @ Value::Object(_)) => {
                    let item_def = self.field(&item_id, items, &format!("{pointer}/items"), losses);
                    def.items = Some(self.register(item_id, item_def));
                }
                Some(other @ Value::Array(_)) => {
                    losses.push(Loss {
                        pointer: format!("{pointer}/items"),
                        what: format!(
                            "tuple items `{}` have no trailmap form; items imported as any string",
                            short(other)
                        ),
                    });
                    let item_def = self.field(&item_id, &Value::Bool(true), "", &mut Vec::new());
                    def.items = Some(self.register(item_id, item_def));
                }
                _ => {
                    losses.push(Loss {
                        pointer: pointer.into(),
                        what: "an array without `items` accepts any items; imported as an array of strings".into(),
                    });
                    let item_def = FieldDef {
                        field_type: "string".into(),
                        ..FieldDef::default()
                    };
                    def.items = Some(self.register(item_id, item_def));
                }
            }
        }
        if field_type == "object" {
            (def.properties, def.open) = self.object_properties(id, object, pointer, losses);
        }
        def
    }

    /// The properties of an object schema, each converted and registered, in source order, and
    /// whether it accepts undeclared properties.
    fn object_properties(
        &mut self,
        owner: &str,
        object: &Map<String, Value>,
        pointer: &str,
        losses: &mut Vec<Loss>,
    ) -> (Vec<Property>, bool) {
        let required: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut properties = Vec::new();
        let declared = object.get("properties").and_then(Value::as_object);
        if let Some(declared) = declared {
            for (name, sub) in declared {
                let sub_pointer = format!("{pointer}/properties/{}", escape_pointer(name));
                let field = self.property(owner, name, sub, &sub_pointer, losses);
                properties.push(Property {
                    name: name.clone(),
                    field,
                    required: required.contains(&name.as_str()),
                });
            }
        }
        for name in &required {
            if !declared.is_some_and(|d| d.contains_key(*name)) {
                losses.push(Loss {
                    pointer: pointer.into(),
                    what: format!(
                        "`{name}` is required but not declared under `properties`; left out"
                    ),
                });
            }
        }
        let open = match object.get("additionalProperties") {
            Some(Value::Bool(false)) => false,
            None | Some(Value::Bool(true)) => true,
            Some(other) => {
                losses.push(Loss {
                    pointer: if pointer.is_empty() { "/".into() } else { pointer.into() },
                    what: format!(
                        "`additionalProperties: {}` has no trailmap form; imported as `additional_properties: true` (any undeclared property)",
                        short(other)
                    ),
                });
                true
            }
        };
        (properties, open)
    }
}

/// A bound, turning an exclusive bound of an integer field into the inclusive one.
fn bound(
    object: &Map<String, Value>,
    key: &str,
    exclusive_key: &str,
    field_type: &str,
    lower: bool,
    notes: &mut Vec<String>,
) -> Option<serde_json::Number> {
    let inclusive = object.get(key).and_then(Value::as_number).cloned();
    // Draft 4: `exclusiveMinimum: true` makes `minimum` exclusive; later drafts give a number.
    let exclusive = match object.get(exclusive_key) {
        Some(Value::Bool(true)) => inclusive.clone(),
        Some(Value::Number(n)) => Some(n.clone()),
        _ => None,
    };
    let Some(exclusive) = exclusive else {
        return inclusive;
    };
    let inclusive_from_draft4 = matches!(object.get(exclusive_key), Some(Value::Bool(true)));
    if field_type == "integer"
        && let Some(value) = exclusive.as_f64()
    {
        let step = if lower {
            value.floor() + 1.0
        } else {
            value.ceil() - 1.0
        };
        if step.abs() < 9.0e15 {
            let converted = serde_json::Number::from(step as i64);
            if inclusive_from_draft4 || inclusive.is_none() {
                return Some(converted);
            }
            // Both given: the stricter one wins.
            let other = inclusive.as_ref().and_then(|n| n.as_f64()).unwrap_or(step);
            let stricter = if lower {
                step.max(other)
            } else {
                step.min(other)
            };
            return Some(serde_json::Number::from(stricter as i64));
        }
    }
    notes.push(format!(
        "`{exclusive_key}` (an exclusive bound) has no trailmap form on a `{field_type}` field; imported as inclusive"
    ));
    if inclusive_from_draft4 {
        inclusive
    } else {
        inclusive.or(Some(exclusive))
    }
}

/// A JSON pointer token.
fn escape_pointer(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// A value shown in a report, cut to a readable length.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        let cut: String = text.chars().take(77).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// Replaces every `$ref` into the same document (`#/definitions/x`, `#/$defs/x`, any JSON
/// pointer) by what it points at, so that the conversion sees plain schemas. A reference that
/// reaches itself, or leads outside the document, stays (and is reported as unsupported). When
/// every reference is resolved, the `definitions`/`$defs` containers are dropped.
pub fn inline_local_refs(schema: &Value) -> Value {
    fn walk(
        value: &Value,
        root: &Value,
        stack: &mut Vec<String>,
        unresolved: &mut bool,
        budget: &mut usize,
    ) -> Value {
        match value {
            Value::Object(object) => {
                if let Some(reference) = object.get("$ref").and_then(Value::as_str)
                    && let Some(pointer) = reference.strip_prefix('#')
                    && !stack.iter().any(|s| s == pointer)
                    && stack.len() < 32
                    && *budget > 0
                    && let Some(target) = root.pointer(pointer)
                {
                    *budget -= 1;
                    stack.push(pointer.to_string());
                    let mut resolved = walk(target, root, stack, unresolved, budget);
                    stack.pop();
                    // Keywords next to `$ref` are ignored by draft 4–7; keep a description.
                    if let (Some(resolved), Some(description)) =
                        (resolved.as_object_mut(), object.get("description"))
                    {
                        resolved
                            .entry("description")
                            .or_insert_with(|| description.clone());
                    }
                    return resolved;
                }
                if object.contains_key("$ref") {
                    *unresolved = true;
                }
                Value::Object(
                    object
                        .iter()
                        .map(|(k, v)| (k.clone(), walk(v, root, stack, unresolved, budget)))
                        .collect(),
                )
            }
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|v| walk(v, root, stack, unresolved, budget))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    let mut unresolved = false;
    // At most this many references are expanded, so that references to references cannot
    // blow a small document up.
    let mut budget = 10_000;
    let mut out = walk(
        schema,
        schema,
        &mut Vec::new(),
        &mut unresolved,
        &mut budget,
    );
    if !unresolved && let Some(object) = out.as_object_mut() {
        object.remove("definitions");
        object.remove("$defs");
    }
    out
}

/// Converts every event; ids are chosen so that the same plan always gets the same ids.
pub fn convert(mut events: Vec<SourceEvent>) -> Converted {
    for event in &mut events {
        event.schema = inline_local_refs(&event.schema);
    }
    let mut converter = Converter {
        definitions: HashMap::new(),
        plain: BTreeSet::new(),
        fields: BTreeMap::new(),
        taken: HashMap::new(),
    };
    for event in &events {
        converter.survey(&event.schema);
    }
    converter.choose_plain();
    let mut out = Vec::new();
    for event in events {
        let mut losses = event.losses.clone();
        let object = event.schema.as_object().cloned().unwrap_or_default();
        for (key, value) in &object {
            if ANNOTATIONS.contains(&key.as_str()) || KNOWN.contains(&key.as_str()) {
                continue;
            }
            losses.push(Loss {
                pointer: "/".into(),
                what: format!(
                    "`{key}: {}` is not supported and was left out",
                    short(value)
                ),
            });
        }
        match object.get("type") {
            None => losses.push(Loss {
                pointer: "/".into(),
                what: "the schema has no `type: object`, so any non-object value is valid too; a trailmap event is an object".into(),
            }),
            Some(Value::String(t)) if t == "object" => {}
            Some(other) => losses.push(Loss {
                pointer: "/".into(),
                what: format!("the event's type is {other}, not an object; read as an object"),
            }),
        }
        let owner = safe_id(&event.name);
        let (properties, open) = converter.object_properties(&owner, &object, "", &mut losses);
        for loss in &mut losses {
            if loss.pointer.is_empty() {
                loss.pointer = "/".into();
            }
        }
        losses.sort();
        losses.dedup();
        out.push(EventDef {
            name: event.name,
            description: event.description,
            version: event.version,
            properties,
            open,
            origin: event.origin,
            losses,
        });
    }
    Converted {
        events: out,
        fields: converter.fields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(name: &str, schema: Value) -> SourceEvent {
        SourceEvent {
            name: name.into(),
            description: None,
            version: None,
            schema,
            origin: format!("{name}.json"),
            losses: Vec::new(),
        }
    }

    #[test]
    fn same_definitions_share_a_field_and_different_ones_are_named_by_owner() {
        let sku = json!({"type": "string"});
        let converted = convert(vec![
            event(
                "a",
                json!({"type": "object", "properties": {"sku": sku, "id": {"type": "string"}}, "additionalProperties": false}),
            ),
            event(
                "b",
                json!({"type": "object", "properties": {"sku": sku, "id": {"type": "integer"}}, "required": ["id"], "additionalProperties": false}),
            ),
        ]);
        let ids: Vec<&String> = converted.fields.keys().collect();
        assert_eq!(ids, ["a.id", "b.id", "sku"]);
        let b = &converted.events[1];
        assert_eq!(
            b.properties[0],
            Property {
                name: "id".into(),
                field: "b.id".into(),
                required: true
            }
        );
        assert!(
            converted
                .events
                .iter()
                .all(|e| e.losses.is_empty() && !e.open)
        );
    }

    #[test]
    fn nullability_bounds_and_losses() {
        let converted = convert(vec![event(
            "e",
            json!({
                "type": "object",
                "properties": {
                    "n": {"type": "integer", "minimum": 0, "exclusiveMinimum": true, "multipleOf": 2},
                    "c": {"type": ["string", "null"], "enum": ["x", "y"]},
                    "d": {"enum": ["x", null]},
                    "o": {"type": "object"}
                }
            }),
        )]);
        let fields = &converted.fields;
        assert_eq!(fields["n"].minimum, Some(1.into()));
        // `null` is in the type but not in the enum: not allowed.
        assert!(!fields["c"].nullable);
        assert!(fields["d"].nullable);
        assert!(fields["o"].open);
        let event = &converted.events[0];
        assert!(event.open);
        assert_eq!(event.losses.len(), 1, "{:?}", event.losses);
        assert_eq!(event.losses[0].pointer, "/properties/n");
        assert!(event.losses[0].what.contains("multipleOf"));
    }

    #[test]
    fn local_references_are_inlined_and_self_references_stay() {
        let schema = json!({
            "definitions": {"name": {"type": "string"}, "tree": {"type": "object", "properties": {"child": {"$ref": "#/definitions/tree"}}}},
            "properties": {"a": {"$ref": "#/definitions/name"}, "t": {"$ref": "#/definitions/tree"}}
        });
        let inlined = inline_local_refs(&schema);
        assert_eq!(inlined["properties"]["a"], json!({"type": "string"}));
        assert_eq!(
            inlined["properties"]["t"]["properties"]["child"],
            json!({"$ref": "#/definitions/tree"})
        );
        assert!(
            inlined.get("definitions").is_some(),
            "kept: a reference is left"
        );
    }
}
