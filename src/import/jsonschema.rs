//! A folder of plain JSON Schemas, one event per file, named after the file (`add_to_cart.json`
//! is the event `add_to_cart`).

use std::path::Path;

use super::convert::SourceEvent;
use super::{Skipped, Sources, files_under, name_of, read_json, shown};

pub fn read(path: &Path) -> Result<Sources, String> {
    let mut sources = Sources {
        name: name_of(path),
        ..Sources::default()
    };
    for file in files_under(path)? {
        let origin = shown(path, &file);
        if !origin.ends_with(".json") {
            sources.skipped.push(Skipped {
                origin,
                reason: "not a .json file".into(),
            });
            continue;
        }
        let mut schema = match read_json(&file) {
            Ok(schema) if schema.is_object() => schema,
            Ok(_) => {
                sources.skipped.push(Skipped {
                    origin,
                    reason: "not a JSON Schema object".into(),
                });
                continue;
            }
            Err(reason) => {
                sources.skipped.push(Skipped { origin, reason });
                continue;
            }
        };
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // The file name is the event name (as in trailmap's own `schemas/events/<event>.json`);
        // a `title` that says more stands in for a missing description.
        let name = stem;
        let description = schema["description"]
            .as_str()
            .or_else(|| schema["title"].as_str().filter(|t| *t != name))
            .map(str::to_string);
        if let Some(object) = schema.as_object_mut() {
            object.remove("self");
        }
        sources.events.push(SourceEvent {
            name,
            description,
            version: None,
            schema,
            origin,
            losses: Vec::new(),
        });
    }
    Ok(sources)
}
