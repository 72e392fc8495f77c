//! Writing an imported plan as a trailmap workspace, and the report of what did not carry over.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use super::Sources;
use super::convert::{Converted, FieldDef, Property};

/// The placeholder team owning every imported event.
pub const PLACEHOLDER_TEAM: &str = "unassigned";
/// The placeholder classification of every imported field.
pub const PLACEHOLDER_CLASSIFICATION: &str = "unclassified";
/// The report written next to the workspace files.
pub const REPORT: &str = "import-report.md";

const RESERVED_WORDS: &[&str] = &[
    "true", "false", "null", "True", "False", "Null", "TRUE", "FALSE", "NULL", "~", "required",
    "optional",
];

/// A YAML scalar for text: plain when unambiguous, otherwise double-quoted (JSON escapes are
/// valid YAML).
pub fn yaml_text(text: &str) -> String {
    let plain = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !RESERVED_WORDS.contains(&text);
    if plain {
        text.to_string()
    } else {
        Value::String(text.to_string()).to_string()
    }
}

/// A value in flow style (JSON is valid YAML flow).
fn yaml_value(value: &Value) -> String {
    value.to_string()
}

fn properties(out: &mut String, indent: &str, properties: &[Property]) {
    if properties.is_empty() {
        return;
    }
    let _ = writeln!(out, "{indent}properties:");
    for p in properties {
        let presence = if p.required { "required" } else { "optional" };
        if p.name == p.field {
            let _ = writeln!(out, "{indent}  {}: {presence}", yaml_text(&p.name));
        } else {
            let _ = writeln!(
                out,
                "{indent}  {}: {{ field: {}, required: {} }}",
                yaml_text(&p.name),
                yaml_text(&p.field),
                p.required
            );
        }
    }
}

fn field(out: &mut String, id: &str, def: &FieldDef) {
    let _ = writeln!(out, "  {}:", yaml_text(id));
    let _ = writeln!(out, "    type: {}", def.field_type);
    if let Some(description) = &def.description {
        let _ = writeln!(
            out,
            "    description: {}",
            Value::String(description.clone())
        );
    }
    let _ = writeln!(out, "    classification: {PLACEHOLDER_CLASSIFICATION}");
    if def.nullable {
        let _ = writeln!(out, "    nullable: true");
    }
    if let Some(format) = &def.format {
        let _ = writeln!(out, "    format: {format}");
    }
    if let Some(pattern) = &def.pattern {
        let _ = writeln!(out, "    pattern: {}", Value::String(pattern.clone()));
    }
    if let Some(values) = &def.enum_values {
        let _ = writeln!(
            out,
            "    enum: {}",
            yaml_value(&Value::Array(values.clone()))
        );
    }
    for (key, value) in [("minimum", &def.minimum), ("maximum", &def.maximum)] {
        if let Some(value) = value {
            let _ = writeln!(out, "    {key}: {value}");
        }
    }
    for (key, value) in [
        ("min_length", def.min_length),
        ("max_length", def.max_length),
        ("min_items", def.min_items),
        ("max_items", def.max_items),
    ] {
        if let Some(value) = value {
            let _ = writeln!(out, "    {key}: {value}");
        }
    }
    if let Some(items) = &def.items {
        let _ = writeln!(out, "    items: {}", yaml_text(items));
    }
    properties(out, "    ", &def.properties);
    if def.open {
        let _ = writeln!(out, "    additional_properties: true");
    }
}

/// The text of `catalog/events.yaml`.
pub fn events_yaml(converted: &Converted) -> String {
    let mut out = String::from("version: 1\nevents:\n");
    if converted.events.is_empty() {
        out = "version: 1\nevents: {}\n".into();
    }
    for event in &converted.events {
        let _ = writeln!(out, "  {}:", yaml_text(&event.name));
        if let Some(description) = &event.description {
            let _ = writeln!(
                out,
                "    description: {}",
                Value::String(description.clone())
            );
        }
        let _ = writeln!(out, "    owner: {PLACEHOLDER_TEAM}");
        if let Some(version) = &event.version {
            let _ = writeln!(out, "    version: {version}");
        }
        properties(&mut out, "    ", &event.properties);
        if event.open {
            let _ = writeln!(out, "    additional_properties: true");
        }
    }
    out
}

/// The text of `catalog/fields.yaml`.
pub fn fields_yaml(converted: &Converted) -> String {
    if converted.fields.is_empty() {
        return "version: 1\nfields: {}\n".into();
    }
    let mut out = String::from("version: 1\nfields:\n");
    for (id, def) in &converted.fields {
        field(&mut out, id, def);
    }
    out
}

fn governance_yaml(kind: &str) -> String {
    format!(
        "version: 1
# Written by `trailmap import {kind}`: the source names no owners and classifies no data, so
# every event is owned by `{PLACEHOLDER_TEAM}` and every field is `{PLACEHOLDER_CLASSIFICATION}`.
# `trailmap check` lists each use (O003); replace them with real teams and classifications.
teams:
  {PLACEHOLDER_TEAM}:
    name: Unassigned (imported)
    contact: TODO
    description: Placeholder owner written by trailmap import; assign a real team.
    placeholder: true
classifications:
  {PLACEHOLDER_CLASSIFICATION}:
    rank: 0
    description: Placeholder written by trailmap import; classify each field.
    placeholder: true
"
    )
}

/// The import report: counts, what was skipped and what could not be represented.
pub fn report(kind: &str, source: &Path, converted: &Converted, sources: &Sources) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Import report\n");
    let _ = writeln!(
        out,
        "`trailmap import {kind} {}` imported {} events and {} fields.\n",
        source.display(),
        converted.events.len(),
        converted.fields.len()
    );
    let _ = writeln!(
        out,
        "Every event is owned by the placeholder team `{PLACEHOLDER_TEAM}` and every field is \
classified `{PLACEHOLDER_CLASSIFICATION}`: the source has no owners, classifications, purposes \
or retention. `trailmap check` reports each placeholder (O003).\n"
    );
    let _ = writeln!(out, "## Skipped ({})\n", sources.skipped.len());
    for skipped in &sources.skipped {
        let _ = writeln!(out, "- `{}`: {}", skipped.origin, skipped.reason);
    }
    if !sources.notes.is_empty() {
        let _ = writeln!(out, "\n## Not imported from the plan\n");
        for note in &sources.notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    let with_losses: Vec<_> = converted
        .events
        .iter()
        .filter(|e| !e.losses.is_empty())
        .collect();
    let _ = writeln!(
        out,
        "\n## Not represented ({} events)\n\nWhat the source says that the imported plan does not, by event and JSON pointer into its schema.\n",
        with_losses.len()
    );
    for event in with_losses {
        let _ = writeln!(out, "### `{}` ({})\n", event.name, event.origin);
        for loss in &event.losses {
            let _ = writeln!(out, "- `{}`: {}", loss.pointer, loss.what);
        }
        out.push('\n');
    }
    out
}

/// Writes the workspace into `dir`.
pub fn workspace(
    dir: &Path,
    kind: &str,
    source: &Path,
    converted: &Converted,
    sources: &Sources,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("catalog"))?;
    let manifest = format!(
        "version: 1\nname: {}\ndescription: {}\n",
        yaml_text(&sources.name),
        Value::String(format!(
            "Imported from {kind} `{}` by trailmap import; see {REPORT}.",
            source.display()
        ))
    );
    std::fs::write(dir.join("trailmap.yaml"), manifest)?;
    std::fs::write(dir.join("catalog/governance.yaml"), governance_yaml(kind))?;
    std::fs::write(dir.join("catalog/events.yaml"), events_yaml(converted))?;
    std::fs::write(dir.join("catalog/fields.yaml"), fields_yaml(converted))?;
    std::fs::write(dir.join(REPORT), report(kind, source, converted, sources))?;
    Ok(())
}
