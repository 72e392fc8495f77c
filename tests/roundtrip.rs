//! The import round trip, the correctness bar of `trailmap import iglu`: every JSON Schema of
//! Iglu Central (all versions) is imported, the workspace is compiled, and the JSON Schema trailmap
//! generates for each event must accept and reject the same payloads as the original schema.
//!
//! Payloads come from a small generator: a valid payload built from the original schema (every
//! property, and only the required ones), and invalid ones made from it by removing each
//! property, setting it to `null`, to a value of the wrong type, to values outside lengths,
//! bounds, patterns and enums, and by adding an undeclared property to each object. Every
//! payload is validated against both schemas; a schema is equal when all verdicts agree. A
//! schema that differs must have a reason: the importer's report lists what it could not carry
//! over, and a difference without one fails the test.
//!
//! `cargo test --test roundtrip -- --nocapture` prints the report; it is also written to
//! `target/roundtrip-report.md` (or `$CARGO_TARGET_DIR`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};
use trailmap::import::{ImportOptions, import};
use trailmap::plan::schema::event_schema;

mod common;

fn realdata() -> Option<PathBuf> {
    let dir = std::env::var_os("TRAILMAP_REALDATA")
        .map_or_else(|| common::repo().join("../shared/realdata"), PathBuf::from);
    dir.is_dir().then_some(dir)
}

/// A string that satisfies a format, for the valid payload.
fn format_sample(format: &str) -> Option<&'static str> {
    Some(match format {
        "date-time" => "2020-01-02T03:04:05Z",
        "date" => "2020-01-02",
        "time" => "03:04:05Z",
        "email" => "someone@example.com",
        "uri" | "uri-reference" | "iri" => "https://example.com/path",
        "uuid" => "123e4567-e89b-12d3-a456-426614174000",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "hostname" => "example.com",
        _ => return None,
    })
}

const STRING_CANDIDATES: &[&str] = &[
    "a",
    "abc",
    "Abc",
    "ABC",
    "1",
    "123",
    "a1",
    "abc-def",
    "abc_def",
    "2020-01-02",
    "2020-01-02T03:04:05Z",
    "1-0-0",
    "iglu:com.acme/event/jsonschema/1-0-0",
    "https://example.com/path",
    "someone@example.com",
    "123e4567-e89b-12d3-a456-426614174000",
    "USD",
    "en",
    "en-US",
    "GB",
    "#ffffff",
    "0.1",
    "true",
];

/// A string for a string schema: from its format, or the first candidate its pattern and
/// lengths accept.
fn string_sample(schema: &Map<String, Value>) -> String {
    if let Some(sample) = schema
        .get("format")
        .and_then(Value::as_str)
        .and_then(format_sample)
    {
        return sample.to_string();
    }
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .unwrap_or(u64::MAX) as usize;
    let pattern = schema
        .get("pattern")
        .and_then(Value::as_str)
        .and_then(|p| regress::Regex::new(p).ok());
    let fits = |s: &str| {
        let n = s.chars().count();
        n >= min && n <= max && pattern.as_ref().is_none_or(|p| p.find(s).is_some())
    };
    for candidate in STRING_CANDIDATES {
        if fits(candidate) {
            return candidate.to_string();
        }
    }
    let padded = "a".repeat(min.clamp(1, 64).min(max.max(1)));
    if fits(&padded) {
        return padded;
    }
    "a".into()
}

fn first_type(schema: &Map<String, Value>) -> Option<String> {
    match schema.get("type") {
        Some(Value::String(t)) => Some(t.clone()),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .or_else(|| types.first().and_then(Value::as_str))
            .map(str::to_string),
        _ if schema.contains_key("properties") => Some("object".into()),
        _ if schema.contains_key("items") => Some("array".into()),
        _ => None,
    }
}

fn number_sample(schema: &Map<String, Value>, integer: bool) -> Value {
    let min = schema.get("minimum").and_then(Value::as_f64);
    let max = schema.get("maximum").and_then(Value::as_f64);
    let exclusive_min = schema.get("exclusiveMinimum");
    let exclusive_max = schema.get("exclusiveMaximum");
    let mut value = match (min, max) {
        (Some(min), _) => min,
        (None, Some(max)) => max.min(1.0),
        (None, None) => 1.0,
    };
    if exclusive_min == Some(&Value::Bool(true)) || exclusive_min.is_some_and(Value::is_number) {
        let floor = exclusive_min.and_then(Value::as_f64).unwrap_or(value);
        value = value.max(floor) + 1.0;
    }
    if let Some(max) = max
        && value > max
    {
        value = max;
    }
    if exclusive_max == Some(&Value::Bool(true)) && Some(value) == max {
        value -= 1.0;
    }
    if integer || value.fract() == 0.0 {
        json!(value.ceil() as i64)
    } else {
        json!(value)
    }
}

/// A payload the schema should accept; `all` includes optional properties.
fn valid_value(schema: &Value, all: bool, depth: usize) -> Value {
    let Some(schema) = schema.as_object() else {
        return json!("a");
    };
    if let Some(values) = schema.get("enum").and_then(Value::as_array)
        && let Some(first) = values.iter().find(|v| !v.is_null()).or(values.first())
    {
        return first.clone();
    }
    if let Some(value) = schema.get("const") {
        return value.clone();
    }
    match first_type(schema).as_deref() {
        Some("string") => Value::String(string_sample(schema)),
        Some("integer") => number_sample(schema, true),
        Some("number") => number_sample(schema, false),
        Some("boolean") => json!(true),
        Some("null") => Value::Null,
        Some("array") => {
            let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(1);
            let max = schema
                .get("maxItems")
                .and_then(Value::as_u64)
                .unwrap_or(u64::MAX);
            let count = min.max(1).min(max).min(3);
            let item = match schema.get("items") {
                Some(items @ Value::Object(_)) if depth < 8 => valid_value(items, all, depth + 1),
                _ => json!("a"),
            };
            Value::Array((0..count).map(|_| item.clone()).collect())
        }
        Some("object") => {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut object = Map::new();
            if depth < 8
                && let Some(properties) = schema.get("properties").and_then(Value::as_object)
            {
                for (name, sub) in properties {
                    if all || required.contains(&name.as_str()) {
                        object.insert(name.clone(), valid_value(sub, all, depth + 1));
                    }
                }
            }
            Value::Object(object)
        }
        _ => json!("a"),
    }
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// Every path to a value inside a payload (the root excluded).
fn paths(value: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match value {
        Value::Object(object) => {
            for (key, sub) in object {
                prefix.push(Step::Key(key.clone()));
                out.push(prefix.clone());
                paths(sub, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            if let Some(first) = items.first() {
                prefix.push(Step::Index(0));
                out.push(prefix.clone());
                paths(first, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    let mut here = value;
    for step in path {
        here = match (step, here) {
            (Step::Key(key), Value::Object(object)) => object.get_mut(key)?,
            (Step::Index(i), Value::Array(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(here)
}

/// Payloads made from a valid one by breaking one thing at a time.
fn mutations(valid: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    let mut all = Vec::new();
    paths(valid, &mut Vec::new(), &mut all);
    let mut with_root = vec![Vec::new()];
    with_root.extend(all.iter().cloned());
    for path in &with_root {
        let current = {
            let mut copy = valid.clone();
            at_mut(&mut copy, path).cloned()
        };
        let Some(current) = current else { continue };
        let mut replacements: Vec<Value> = vec![Value::Null];
        match &current {
            Value::String(s) => replacements.extend([
                json!(12345),
                json!(""),
                json!("~~ not valid ~~"),
                json!("z".repeat(300)),
                json!(format!("{s}{s}")),
                json!("2020-13-45T99:99:99Z"),
            ]),
            Value::Number(n) => {
                // Neighbours of an integer stay integers: `2.0` is an integer in 2020-12 but
                // not in draft 4, a difference of drafts rather than of the import.
                let (below, above) = match n.as_i64() {
                    Some(i) => (json!(i.saturating_sub(1)), json!(i.saturating_add(1))),
                    None => {
                        let x = n.as_f64().unwrap_or(0.0);
                        (json!(x - 1.0), json!(x + 1.0))
                    }
                };
                replacements.extend([
                    json!("x"),
                    json!(1.5),
                    json!(-1_000_000_000),
                    json!(1_000_000_000_000i64),
                    below,
                    above,
                    json!(-1),
                    json!(0),
                ]);
            }
            Value::Bool(_) => replacements.extend([json!("x"), json!(1)]),
            Value::Array(items) => {
                replacements.extend([json!("x"), json!([]), json!([12345]), json!(["x"])]);
                let mut many = items.clone();
                many.extend(std::iter::repeat_n(
                    items.first().cloned().unwrap_or(json!("a")),
                    300,
                ));
                replacements.push(Value::Array(many));
            }
            Value::Object(object) => {
                replacements.extend([json!("x"), json!({})]);
                let mut extra = object.clone();
                extra.insert("zz_undeclared".into(), json!(1));
                replacements.push(Value::Object(extra));
            }
            Value::Null => replacements.extend([json!("x"), json!(1)]),
        }
        for replacement in replacements {
            if path.is_empty() && !replacement.is_object() {
                continue;
            }
            let mut copy = valid.clone();
            if let Some(slot) = at_mut(&mut copy, path) {
                *slot = replacement;
                out.push(copy);
            }
        }
        // Remove the property.
        if let Some((Step::Key(key), parent)) = path.split_last() {
            let mut copy = valid.clone();
            if let Some(Value::Object(object)) = at_mut(&mut copy, parent) {
                object.remove(key);
                out.push(copy);
            }
        }
    }
    out
}

struct Outcome {
    event: String,
    origin: String,
    payloads: usize,
    disagreements: Vec<(Value, bool, bool)>,
    reasons: Vec<String>,
}

#[test]
fn iglu_central_round_trips() {
    let Some(realdata) = realdata() else {
        eprintln!("skipped: no ../shared/realdata (set TRAILMAP_REALDATA)");
        return;
    };
    let schemas = realdata.join("iglu-central/schemas");
    let out = tempfile::tempdir().unwrap();
    let workspace = out.path().join("iglu");
    let options = ImportOptions {
        kind: "iglu".into(),
        path: schemas.clone(),
        out: workspace.clone(),
        all_versions: true,
    };
    let (converted, sources, _) = import(&options).expect("import");
    let analysis = trailmap::commands::analyze(&workspace).expect("analyze");
    let errors: Vec<String> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.level == trailmap::diagnostics::Level::Error)
        .map(|d| d.message.clone())
        .collect();
    assert!(errors.is_empty(), "check finds errors: {errors:?}");
    let plan = &analysis.plan;

    let mut outcomes = Vec::new();
    let mut unreadable: Vec<(String, String)> = Vec::new();
    for event in &converted.events {
        let mut original = trailmap_read(&schemas.join(&event.origin));
        if let Some(object) = original.as_object_mut() {
            object.remove("self");
            object.remove("$schema");
        }
        let original_validator = match jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(true)
            .build(&original)
        {
            Ok(v) => v,
            Err(e) => {
                unreadable.push((
                    event.origin.clone(),
                    format!("the original does not compile: {e}"),
                ));
                continue;
            }
        };
        let planned = plan.event(&event.name).expect("event in the plan");
        let generated = event_schema(plan, planned);
        let generated_validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&generated)
            .expect("generated schema compiles");
        let full = valid_value(&original, true, 0);
        let minimal = valid_value(&original, false, 0);
        let mut payloads = vec![full.clone(), minimal.clone()];
        payloads.extend(mutations(&full));
        payloads.extend(mutations(&minimal));
        let mut disagreements = Vec::new();
        for payload in &payloads {
            let a = original_validator.is_valid(payload);
            let b = generated_validator.is_valid(payload);
            if a != b {
                disagreements.push((payload.clone(), a, b));
            }
        }
        outcomes.push(Outcome {
            event: event.name.clone(),
            origin: event.origin.clone(),
            payloads: payloads.len(),
            disagreements,
            reasons: event
                .losses
                .iter()
                .map(|l| format!("`{}`: {}", l.pointer, l.what))
                .chain(draft_notes(&original))
                .collect(),
        });
    }

    let equal = outcomes
        .iter()
        .filter(|o| o.disagreements.is_empty())
        .count();
    let differing: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| !o.disagreements.is_empty())
        .collect();
    let unexplained: Vec<&&Outcome> = differing.iter().filter(|o| o.reasons.is_empty()).collect();
    let payloads: usize = outcomes.iter().map(|o| o.payloads).sum();
    let mut skipped: Vec<(String, String)> = sources
        .skipped
        .iter()
        .map(|s| (s.origin.clone(), s.reason.clone()))
        .collect();
    skipped.extend(unreadable);

    let mut report = String::new();
    let _ = writeln!(report, "# Iglu Central round trip\n");
    let _ = writeln!(
        report,
        "| schemas in Iglu Central | imported | compared | round-tripped equal | differing (explained) | skipped | payloads validated |\n|---|---|---|---|---|---|---|\n| {} | {} | {} | {} | {} | {} | {} |\n",
        converted.events.len() + sources.skipped.len(),
        converted.events.len(),
        outcomes.len(),
        equal,
        differing.len(),
        skipped.len(),
        payloads * 2
    );
    let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
    for outcome in &differing {
        for reason in &outcome.reasons {
            let general = reason.split_once(": ").map_or(reason.as_str(), |(_, r)| r);
            let general: String = general
                .split('`')
                .enumerate()
                .map(|(i, part)| if i % 2 == 1 { "…" } else { part })
                .collect::<Vec<_>>()
                .join("`");
            *by_reason.entry(general).or_default() += 1;
        }
    }
    let _ = writeln!(
        report,
        "## Why schemas differ (reasons in differing schemas, by count)\n"
    );
    let mut reasons: Vec<_> = by_reason.into_iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (reason, count) in reasons {
        let _ = writeln!(report, "- {count}× {reason}");
    }
    let _ = writeln!(report, "\n## Skipped\n");
    for (origin, reason) in &skipped {
        let _ = writeln!(report, "- `{origin}`: {reason}");
    }
    let _ = writeln!(report, "\n## Differing schemas\n");
    for outcome in &differing {
        let (payload, original, generated) = &outcome.disagreements[0];
        let _ = writeln!(
            report,
            "### `{}` ({})\n\n{} of {} payloads judged differently; first: `{}` original {}, trailmap {}\n",
            outcome.event,
            outcome.origin,
            outcome.disagreements.len(),
            outcome.payloads,
            short(payload),
            verdict(*original),
            verdict(*generated)
        );
        for reason in &outcome.reasons {
            let _ = writeln!(report, "- {reason}");
        }
        report.push('\n');
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| common::repo().join("target"), PathBuf::from);
    let _ = std::fs::create_dir_all(&target);
    let _ = std::fs::write(target.join("roundtrip-report.md"), &report);
    println!("{report}");

    assert!(
        unexplained.is_empty(),
        "schemas differ without a reason in the import report: {:?}",
        unexplained
            .iter()
            .map(|o| (
                &o.event,
                o.disagreements[0].0.to_string(),
                verdict(o.disagreements[0].1)
            ))
            .collect::<Vec<_>>()
    );
    assert!(
        outcomes.len() >= 600,
        "only {} schemas imported",
        outcomes.len()
    );
    assert!(
        equal * 2 > outcomes.len(),
        "only {equal} schemas round-trip equal"
    );
}

/// Formats draft 4 does not define: a draft-4 validator ignores them, the 2020-12 schema trailmap
/// writes checks them. A difference of drafts, not a loss of the import.
fn draft_notes(schema: &Value) -> Vec<String> {
    const DRAFT4_FORMATS: &[&str] = &["date-time", "email", "hostname", "ipv4", "ipv6", "uri"];
    let mut found = std::collections::BTreeSet::new();
    let mut pending = vec![schema];
    while let Some(node) = pending.pop() {
        match node {
            Value::Object(object) => {
                if let Some(format) = object.get("format").and_then(Value::as_str)
                    && !DRAFT4_FORMATS.contains(&format)
                    && trailmap::model::FIELD_FORMATS.contains(&format)
                {
                    found.insert(format.to_string());
                }
                pending.extend(object.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    found
        .into_iter()
        .map(|format| format!("(draft difference) format `{format}` is not defined in draft 4, so the draft-4 validator ignores it; trailmap's 2020-12 schema checks it"))
        .collect()
}

fn verdict(valid: bool) -> &'static str {
    if valid { "accepts" } else { "rejects" }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 160 {
        format!("{}…", text.chars().take(157).collect::<String>())
    } else {
        text
    }
}

fn trailmap_read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// trailmap's own output goes back in: the example's event schemas (`schemas/events/*.json`,
/// 2020-12 with `$defs`) imported as a JSON Schema folder and built again judge every generated
/// payload as the originals do, and keep their names, types and required properties.
#[test]
fn trailmap_schemas_round_trip_through_the_jsonschema_importer() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    let status = assert_cmd::Command::cargo_bin("trailmap")
        .unwrap()
        .arg("build")
        .arg(common::repo())
        .arg("--out")
        .arg(&dist)
        .args(["--only", "schemas"])
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(0));
    let workspace = dir.path().join("again");
    let options = ImportOptions {
        kind: "jsonschema".into(),
        path: dist.join("schemas/events"),
        out: workspace.clone(),
        all_versions: false,
    };
    let (converted, sources, _) = import(&options).expect("import");
    assert!(sources.skipped.is_empty());
    let analysis = trailmap::commands::analyze(&workspace).expect("analyze");
    let plan = &analysis.plan;
    assert_eq!(converted.events.len(), 35);
    for event in &converted.events {
        let original = trailmap_read(&dist.join("schemas/events").join(&event.origin));
        let original_validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&original)
            .unwrap();
        let generated = event_schema(plan, plan.event(&event.name).unwrap());
        let generated_validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&generated)
            .unwrap();
        let names = |schema: &Value| -> Vec<String> {
            let mut names: Vec<String> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect();
            names.sort();
            names
        };
        assert_eq!(names(&generated), names(&original), "{}", event.name);
        let full = valid_value(&inline(&original), true, 0);
        let minimal = valid_value(&inline(&original), false, 0);
        let mut payloads = vec![full.clone(), minimal.clone()];
        payloads.extend(mutations(&full));
        payloads.extend(mutations(&minimal));
        for payload in &payloads {
            assert_eq!(
                original_validator.is_valid(payload),
                generated_validator.is_valid(payload),
                "{}: {payload}",
                event.name
            );
        }
        // Only trailmap's own annotations (`x-trailmap-…`) are left behind.
        for loss in &event.losses {
            assert!(
                loss.what.starts_with("`x-trailmap-"),
                "{}: {loss:?}",
                event.name
            );
        }
    }
}

/// A schema with its `$defs` references replaced, for the payload generator.
fn inline(schema: &Value) -> Value {
    trailmap::import::convert::inline_local_refs(schema)
}
