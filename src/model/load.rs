//! Loading a workspace folder: discover, read and parse every file (in parallel), decode each
//! into the model and merge them in path order.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::FileKind;
use super::Workspace;
use super::decode;
use super::structure::{Decoder, UNREADABLE_FILE, yaml_error};
use crate::diagnostics::Diagnostic;
use crate::source::{self, FileId, SourceFile, SourceMap, Span};

/// A workspace as read: its files, its model and what reading found.
#[derive(Debug)]
pub struct Loaded {
    pub root: PathBuf,
    pub sources: SourceMap,
    pub workspace: Workspace,
    pub diagnostics: Vec<Diagnostic>,
}

/// Problems that prevent checking at all (exit code 2).
#[derive(Debug)]
pub enum LoadError {
    NotAWorkspace(PathBuf),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NotAWorkspace(root) => write!(
                f,
                "{} is not a trailmap workspace: it has no {}",
                root.display(),
                source::MANIFEST
            ),
        }
    }
}

impl std::error::Error for LoadError {}

struct FileResult {
    source: SourceFile,
    workspace: Workspace,
    diagnostics: Vec<Diagnostic>,
}

fn load_file(root: &Path, path: &str, kind: FileKind, id: FileId) -> FileResult {
    let text = match source::read_text(&root.join(path)) {
        Ok(text) => text,
        Err(error) => {
            // A folder named like a YAML file holds nothing the workspace loses.
            let incomplete = !matches!(error, source::ReadError::NotAFile);
            return FileResult {
                source: SourceFile::new(path.to_string(), ""),
                workspace: Workspace {
                    incomplete,
                    ..Workspace::default()
                },
                diagnostics: vec![Diagnostic::new(
                    &UNREADABLE_FILE,
                    Span::file_start(id),
                    error.to_string(),
                )],
            };
        }
    };
    load_text(path, text, kind, id)
}

/// Parses and decodes one file already read.
fn load_text(path: &str, text: String, kind: FileKind, id: FileId) -> FileResult {
    let document = source::yaml::parse(id, &text);
    let mut decoder = Decoder::default();
    decoder
        .diagnostics
        .extend(document.errors.into_iter().map(yaml_error));
    let workspace = if document.root.is_some() || decoder.diagnostics.is_empty() {
        decode::file(&mut decoder, kind, document.root.as_ref(), id)
    } else {
        Workspace {
            incomplete: true,
            ..Workspace::default()
        }
    };
    FileResult {
        source: SourceFile::new(path.to_string(), text),
        workspace,
        diagnostics: decoder.diagnostics,
    }
}

/// Reads the workspace at `root`. Every file is read even when others fail.
pub fn load(root: &Path) -> Result<Loaded, LoadError> {
    if !root.join(source::MANIFEST).is_file() {
        return Err(LoadError::NotAWorkspace(root.to_path_buf()));
    }
    let files = source::discover(root);
    let mut jobs: Vec<(String, FileKind)> =
        vec![(source::MANIFEST.to_string(), FileKind::Manifest)];
    jobs.extend(
        files
            .catalog
            .iter()
            .map(|path| (path.clone(), FileKind::Catalog)),
    );
    jobs.extend(
        files
            .journeys
            .iter()
            .map(|path| (path.clone(), FileKind::Journey)),
    );

    let results: Vec<FileResult> = jobs
        .par_iter()
        .enumerate()
        .map(|(index, (path, kind))| load_file(root, path, *kind, FileId(index as u32)))
        .collect();

    let mut loaded = merge(root, results);
    loaded.workspace.incomplete |= !files.problems.is_empty();
    for (path, problem) in files.problems {
        let id = loaded.sources.add(SourceFile::new(path, ""));
        loaded.diagnostics.push(Diagnostic::new(
            &UNREADABLE_FILE,
            Span::file_start(id),
            problem,
        ));
    }
    Ok(loaded)
}

fn merge(root: &Path, results: Vec<FileResult>) -> Loaded {
    let mut loaded = Loaded {
        root: root.to_path_buf(),
        sources: SourceMap::default(),
        workspace: Workspace::default(),
        diagnostics: Vec::new(),
    };
    for result in results {
        loaded.sources.add(result.source);
        loaded.workspace.extend(result.workspace);
        loaded.diagnostics.extend(result.diagnostics);
    }
    loaded
}

/// Loads a workspace from files held in memory, as (path relative to the root, text) pairs:
/// what [`load`] does after reading the disk, for tests and fuzzing. `trailmap.yaml` is the
/// manifest, YAML files under `catalog/` and `journeys/` are catalog files and journeys, other
/// paths are ignored; files are taken in path order, as on disk.
pub fn load_files(files: &[(String, String)]) -> Loaded {
    let kind_of = |path: &str| {
        let yaml = path.ends_with(".yaml") || path.ends_with(".yml");
        if path == source::MANIFEST {
            Some((0, FileKind::Manifest))
        } else if yaml && path.starts_with("catalog/") {
            Some((1, FileKind::Catalog))
        } else if yaml && path.starts_with("journeys/") {
            Some((2, FileKind::Journey))
        } else {
            None
        }
    };
    let mut jobs: Vec<(usize, FileKind, &str, &str)> = files
        .iter()
        .filter_map(|(path, text)| {
            kind_of(path).map(|(order, kind)| (order, kind, path.as_str(), text.as_str()))
        })
        .collect();
    jobs.sort_by(|a, b| (a.0, a.2).cmp(&(b.0, b.2)));
    let results = jobs
        .into_iter()
        .enumerate()
        .map(|(index, (_, kind, path, text))| {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            load_text(path, text.to_string(), kind, FileId(index as u32))
        })
        .collect();
    merge(Path::new("."), results)
}
