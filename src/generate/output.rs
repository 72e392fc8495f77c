//! Writing a build: every file goes into a fresh sibling folder first, which replaces the
//! output folder only once complete. A folder holding anything trailmap did not write is never
//! touched.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Lists the files of the last build; only a folder with this file is replaced.
pub const MARKER: &str = ".trailmap-build";

/// The files of a build, by path relative to the output folder (`/` separators).
#[derive(Default)]
pub struct Outputs {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Outputs {
    pub fn add(&mut self, path: String, content: impl Into<Vec<u8>>) {
        self.files.insert(path, content.into());
    }

    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }
}

#[derive(Debug)]
pub enum WriteError {
    /// The output folder would overwrite or hold the workspace.
    IsWorkspace(PathBuf),
    /// The output folder holds files a build did not write.
    Foreign { dir: PathBuf, files: Vec<String> },
    /// A generated path would leave the output folder.
    UnsafePath(String),
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::IsWorkspace(dir) => write!(
                f,
                "refusing to build into {}: it is or contains the workspace",
                dir.display()
            ),
            WriteError::Foreign { dir, files } => write!(
                f,
                "refusing to build into {}: it holds files trailmap did not write ({}); choose an empty folder with --out",
                dir.display(),
                files.join(", ")
            ),
            WriteError::UnsafePath(path) => write!(
                f,
                "refusing to write `{path}`: the name would leave the output folder"
            ),
            WriteError::Io { path, error } => write!(f, "cannot write {}: {error}", path.display()),
        }
    }
}

impl std::error::Error for WriteError {}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |error| WriteError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// A relative path made only of plain names: no `..`, no root, no empty parts.
fn is_safe(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        && path.split('/').all(|part| !part.is_empty())
}

/// The files below `dir` that the last build did not list (all of them if there is no marker).
fn foreign_files(dir: &Path) -> Result<Vec<String>, WriteError> {
    let listed: Vec<String> = match fs::read_to_string(dir.join(MARKER)) {
        Ok(text) => text.lines().map(str::to_string).collect(),
        Err(_) => Vec::new(),
    };
    let mut foreign = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = entry.map_err(|e| WriteError::Io {
            path: dir.to_path_buf(),
            error: std::io::Error::other(e.to_string()),
        })?;
        if entry.file_type().is_dir() {
            continue;
        }
        let relative = crate::source::relative(dir, entry.path());
        if relative != MARKER && !listed.contains(&relative) {
            foreign.push(relative);
        }
    }
    Ok(foreign)
}

/// Writes `outputs` as the new content of `out`. The previous build stays in place until the
/// new one is complete; on any error it is left as it was.
pub fn write(out: &Path, workspace: &Path, outputs: &Outputs) -> Result<(), WriteError> {
    write_with(out, workspace, outputs, &|path, content| {
        fs::write(path, content)
    })
}

/// Like [`write`], with each output file written by `write_file` (tests inject a full disk or
/// an interruption through it).
pub fn write_with(
    out: &Path,
    workspace: &Path,
    outputs: &Outputs,
    write_file: &dyn Fn(&Path, &[u8]) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let absolute = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let workspace = absolute(workspace);
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(io(parent))?;
    let target = absolute(parent).join(
        out.file_name()
            .ok_or_else(|| WriteError::IsWorkspace(out.to_path_buf()))?,
    );
    if workspace.starts_with(&target) || target.join(crate::source::MANIFEST).exists() {
        return Err(WriteError::IsWorkspace(out.to_path_buf()));
    }
    if let Some(unsafe_path) = outputs.files.keys().find(|path| !is_safe(path)) {
        return Err(WriteError::UnsafePath(unsafe_path.clone()));
    }
    recover_interrupted(&target);
    if target.exists() {
        if !target.is_dir() {
            return Err(WriteError::Foreign {
                dir: out.to_path_buf(),
                files: vec![String::new()],
            });
        }
        let foreign = foreign_files(&target)?;
        if !foreign.is_empty() {
            return Err(WriteError::Foreign {
                dir: out.to_path_buf(),
                files: foreign,
            });
        }
    }

    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let staging = target.with_file_name(format!(".{name}.trailmap-new-{}", std::process::id()));
    let retired = target.with_file_name(format!(".{name}.trailmap-old-{}", std::process::id()));
    // The staged copy is removed on any way out but success, a panic included.
    let cleanup = RemoveOnDrop(&staging);
    let result =
        stage(&staging, outputs, write_file).and_then(|()| swap(&target, &staging, &retired));
    if result.is_ok() {
        std::mem::forget(cleanup);
    }
    result
}

struct RemoveOnDrop<'a>(&'a Path);

impl Drop for RemoveOnDrop<'_> {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(self.0);
    }
}

/// Cleans up after a build that was killed: a staged copy that never got swapped in is
/// deleted, and if the kill came between the two renames of the swap (the previous build moved
/// aside, the new one not yet in place) the previous build is moved back.
fn recover_interrupted(target: &Path) {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let name = name.to_string_lossy();
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let mut retired = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().to_string();
        let Some(rest) = file_name.strip_prefix(&format!(".{name}.trailmap-")) else {
            continue;
        };
        // A build still running (Linux tells through /proc) is left alone.
        let pid = rest.get(4..).unwrap_or_default();
        if Path::new("/proc").join(pid).exists() {
            continue;
        }
        if rest.starts_with("new-") {
            let _ = fs::remove_dir_all(entry.path());
        } else if rest.starts_with("old-") {
            retired.push(entry.path());
        }
    }
    for old in retired {
        if !target.exists() && old.join(MARKER).is_file() {
            let _ = fs::rename(&old, target);
        } else {
            let _ = fs::remove_dir_all(&old);
        }
    }
}

fn stage(
    staging: &Path,
    outputs: &Outputs,
    write_file: &dyn Fn(&Path, &[u8]) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let _ = fs::remove_dir_all(staging);
    fs::create_dir_all(staging).map_err(io(staging))?;
    for (relative, content) in &outputs.files {
        let path = staging.join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io(dir))?;
        }
        write_file(&path, content).map_err(io(&path))?;
    }
    let listing: String = outputs
        .files
        .keys()
        .map(|path| format!("{path}\n"))
        .collect();
    let marker = staging.join(MARKER);
    fs::write(&marker, listing).map_err(io(&marker))
}

fn swap(target: &Path, staging: &Path, retired: &Path) -> Result<(), WriteError> {
    if target.exists() {
        fs::rename(target, retired).map_err(io(target))?;
        if let Err(error) = fs::rename(staging, target) {
            let _ = fs::rename(retired, target);
            return Err(WriteError::Io {
                path: target.to_path_buf(),
                error,
            });
        }
        // The previous build is replaced; failing to delete its copy loses nothing.
        let _ = fs::remove_dir_all(retired);
        Ok(())
    } else {
        fs::rename(staging, target).map_err(io(target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_output_folder() {
        assert!(is_safe("docs/events/purchase.md"));
        for path in ["../x", "/etc/passwd", "docs//x", "a\\b", "", "docs/../../x"] {
            assert!(!is_safe(path), "{path}");
        }
    }
}
