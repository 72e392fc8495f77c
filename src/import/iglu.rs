//! Snowplow Iglu repositories: `schemas/<vendor>/<name>/jsonschema/<M-R-A>`, self-describing
//! JSON Schemas (draft 4). The latest version of each schema by default; with `--all-versions`
//! every version, the older ones named `vendor.name@M-R-A`.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::convert::SourceEvent;
use super::{Skipped, Sources, files_under, name_of, read_json, shown};

/// A SchemaVer `MODEL-REVISION-ADDITION` as numbers, for ordering.
pub fn schemaver(text: &str) -> Option<(u64, u64, u64)> {
    let mut parts = text.split('-').map(|p| p.parse::<u64>().ok());
    let version = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(version)
}

/// The trailmap event name of an Iglu schema.
pub fn event_name(vendor: &str, name: &str) -> String {
    format!("{vendor}.{name}")
}

/// One version of a schema: its SchemaVer numbers, the file it was read from, the schema.
type Version = ((u64, u64, u64), String, Value);

pub fn read(path: &Path, all_versions: bool) -> Result<Sources, String> {
    let mut sources = Sources {
        name: name_of(path),
        ..Sources::default()
    };
    // (vendor, name) → versions, each with its file and schema.
    let mut schemas: BTreeMap<(String, String), Vec<Version>> = BTreeMap::new();
    for file in files_under(path)? {
        let origin = shown(path, &file);
        let schema = match read_json(&file) {
            Ok(schema) => schema,
            Err(reason) => {
                sources.skipped.push(Skipped { origin, reason });
                continue;
            }
        };
        let this = &schema["self"];
        let (Some(vendor), Some(name), Some(format), Some(version)) = (
            this["vendor"].as_str(),
            this["name"].as_str(),
            this["format"].as_str(),
            this["version"].as_str(),
        ) else {
            // `vendor/name/format/version`: a non-JSON-Schema format says so in its path.
            let parts: Vec<&str> = origin.split('/').collect();
            let reason = match parts.len().checked_sub(2).map(|at| parts[at]) {
                Some(format) if format != "jsonschema" => {
                    format!("format `{format}` (from its path) is not JSON Schema")
                }
                _ => {
                    "not a self-describing schema (no `self` with vendor, name, format and version)"
                        .into()
                }
            };
            sources.skipped.push(Skipped { origin, reason });
            continue;
        };
        if format != "jsonschema" {
            sources.skipped.push(Skipped {
                origin,
                reason: format!("format `{format}` is not JSON Schema"),
            });
            continue;
        }
        let Some(number) = schemaver(version) else {
            sources.skipped.push(Skipped {
                origin,
                reason: format!("version `{version}` is not SchemaVer"),
            });
            continue;
        };
        schemas
            .entry((vendor.to_string(), name.to_string()))
            .or_default()
            .push((number, origin, schema));
    }
    for ((vendor, name), mut versions) in schemas {
        versions.sort_by_key(|v| std::cmp::Reverse(v.0));
        for (at, (_, origin, schema)) in versions.into_iter().enumerate() {
            let version = schema["self"]["version"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            if at > 0 && !all_versions {
                sources.skipped.push(Skipped {
                    origin,
                    reason: format!(
                        "an older version of {vendor}/{name}; the latest is imported (--all-versions keeps every version)"
                    ),
                });
                continue;
            }
            sources
                .events
                .push(event(&vendor, &name, &version, at > 0, origin, schema));
        }
    }
    Ok(sources)
}

/// One schema as an event: the `self` block becomes the name and version.
pub fn event(
    vendor: &str,
    name: &str,
    version: &str,
    older: bool,
    origin: String,
    mut schema: Value,
) -> SourceEvent {
    if let Some(object) = schema.as_object_mut() {
        object.remove("self");
        object.remove("$schema");
    }
    let base = event_name(vendor, name);
    SourceEvent {
        name: if older {
            format!("{base}@{version}")
        } else {
            base
        },
        description: schema["description"].as_str().map(str::to_string),
        version: Some(version.to_string()),
        schema,
        origin,
        losses: Vec::new(),
    }
}
