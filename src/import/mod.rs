//! `trailmap import`: tracking plans from other tools into a trailmap workspace.
//!
//! One file per source kind reads its format into JSON Schemas, one per event
//! ([`convert::SourceEvent`]); [`convert`] turns them into fields and events in one place;
//! [`write`] writes the workspace and the report of what could not be carried over.

pub mod convert;
pub mod iglu;
pub mod jsonschema;
pub mod rudderstack;
pub mod segment;
pub mod write;

use std::path::{Path, PathBuf};

use convert::{Converted, SourceEvent};

/// The source formats `trailmap import` reads.
pub const KINDS: &[&str] = &["iglu", "jsonschema", "segment", "rudderstack"];

/// Something in the source that was not imported at all, and why.
#[derive(Clone, Debug)]
pub struct Skipped {
    pub origin: String,
    pub reason: String,
}

/// What a reader found in the source.
#[derive(Debug, Default)]
pub struct Sources {
    pub events: Vec<SourceEvent>,
    pub skipped: Vec<Skipped>,
    /// Plan-level things not carried over (traits, categories, …).
    pub notes: Vec<String>,
    /// A name for the workspace.
    pub name: String,
}

pub struct ImportOptions {
    pub kind: String,
    pub path: PathBuf,
    pub out: PathBuf,
    /// Iglu: keep every version of each schema, not only the latest.
    pub all_versions: bool,
}

/// The outcome, for the command's summary line.
pub struct Summary {
    pub events: usize,
    pub fields: usize,
    pub skipped: usize,
    pub losses: usize,
    pub events_with_losses: usize,
}

/// Reads the source of the given kind.
pub fn read(kind: &str, path: &Path, all_versions: bool) -> Result<Sources, String> {
    match kind {
        "iglu" => iglu::read(path, all_versions),
        "jsonschema" => jsonschema::read(path),
        "segment" => segment::read(path),
        "rudderstack" => rudderstack::read(path),
        other => Err(format!(
            "`{other}` is not a source kind; use {}",
            KINDS.join(", ")
        )),
    }
}

/// Drops later events whose name is already taken, reporting them.
pub fn unique_events(sources: &mut Sources) {
    let mut seen = std::collections::HashSet::new();
    let mut kept = Vec::new();
    for event in std::mem::take(&mut sources.events) {
        if seen.insert(event.name.clone()) {
            kept.push(event);
        } else {
            sources.skipped.push(Skipped {
                origin: event.origin,
                reason: format!(
                    "the event `{}` is defined twice; the first definition is kept",
                    event.name
                ),
            });
        }
    }
    sources.events = kept;
}

/// Drops events whose schema is not an object schema (an event's payload is a map).
pub fn object_events_only(sources: &mut Sources) {
    let (kept, dropped): (Vec<_>, Vec<_>) = std::mem::take(&mut sources.events)
        .into_iter()
        .partition(|event| match &event.schema["type"] {
            serde_json::Value::Null => event.schema.is_object(),
            serde_json::Value::String(t) => t == "object",
            // `["object", "null"]`: an object (the null is reported by the conversion).
            serde_json::Value::Array(types) => types.iter().any(|t| t == "object"),
            _ => false,
        });
    sources.events = kept;
    for event in dropped {
        sources.skipped.push(Skipped {
            origin: event.origin,
            reason: format!(
                "the schema is of type {}, not an object: it describes no event payload",
                event.schema["type"]
            ),
        });
    }
}

/// Reads, converts and writes; the output folder must not exist or be empty.
pub fn import(options: &ImportOptions) -> Result<(Converted, Sources, Summary), String> {
    if let Ok(mut entries) = std::fs::read_dir(&options.out)
        && entries.next().is_some()
    {
        return Err(format!(
            "{} is not empty; import into a new folder",
            options.out.display()
        ));
    }
    let mut sources = read(&options.kind, &options.path, options.all_versions)?;
    object_events_only(&mut sources);
    unique_events(&mut sources);
    let converted = convert::convert(std::mem::take(&mut sources.events));
    write::workspace(
        &options.out,
        &options.kind,
        &options.path,
        &converted,
        &sources,
    )
    .map_err(|e| format!("cannot write {}: {e}", options.out.display()))?;
    let summary = Summary {
        events: converted.events.len(),
        fields: converted.fields.len(),
        skipped: sources.skipped.len(),
        losses: converted.events.iter().map(|e| e.losses.len()).sum(),
        events_with_losses: converted
            .events
            .iter()
            .filter(|e| !e.losses.is_empty())
            .count(),
    };
    Ok((converted, sources, summary))
}

/// Reads a JSON file.
pub(crate) fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))
}

/// The files under a folder (or the file itself), sorted, hidden ones left out.
pub(crate) fn files_under(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !path.is_dir() {
        return Err(format!("{} does not exist", path.display()));
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(path)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    Ok(files)
}

/// A path shown relative to the imported folder, with `/` separators.
pub(crate) fn shown(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let text = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    if text.is_empty() {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        text
    }
}

/// A workspace name from a path: its last component.
pub(crate) fn name_of(path: &Path) -> String {
    let name = path
        .canonicalize()
        .ok()
        .and_then(|p| p.file_stem().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "imported".into());
    crate::model::safe_id(&name)
}
