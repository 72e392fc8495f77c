//! Finding the files of a workspace: `trailmap.yaml`, `catalog/**` and `journeys/**`.

use std::path::{Path, PathBuf};

pub const MANIFEST: &str = "trailmap.yaml";
pub const CATALOG_DIR: &str = "catalog";
pub const JOURNEYS_DIR: &str = "journeys";

/// The files of a workspace, as paths relative to its root with `/` separators, sorted so that
/// every run reads them in the same order.
#[derive(Debug, Default)]
pub struct WorkspaceFiles {
    pub root: PathBuf,
    pub catalog: Vec<String>,
    pub journeys: Vec<String>,
    /// Entries that could not be listed (a symlink loop, a folder without permission), with why.
    pub problems: Vec<(String, String)>,
}

fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// `path` relative to `root`, with `/` separators on every platform.
pub fn relative(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Lists the YAML files of a workspace. Symlinks are followed (loops are reported, not
/// followed forever); a folder named like a YAML file is listed so that reading it reports it.
pub fn discover(root: &Path) -> WorkspaceFiles {
    let mut files = WorkspaceFiles {
        root: root.to_path_buf(),
        ..WorkspaceFiles::default()
    };
    for (dir, list) in [
        (CATALOG_DIR, &mut files.catalog),
        (JOURNEYS_DIR, &mut files.journeys),
    ] {
        let top = root.join(dir);
        if !top.exists() {
            continue;
        }
        // Hidden files and folders (editor lock files, `.#teams.yaml`, macOS `._teams.yaml`) are
        // not part of the workspace.
        let visible =
            |entry: &walkdir::DirEntry| !entry.file_name().to_string_lossy().starts_with('.');
        for entry in walkdir::WalkDir::new(&top)
            .follow_links(true)
            .min_depth(1)
            .into_iter()
            .filter_entry(visible)
        {
            match entry {
                Ok(entry) => {
                    if is_yaml(&entry.file_name().to_string_lossy()) {
                        list.push(relative(root, entry.path()));
                    }
                }
                Err(error) => {
                    let path = error
                        .path()
                        .map_or_else(|| dir.to_string(), |path| relative(root, path));
                    let message = if error.loop_ancestor().is_some() {
                        "a symbolic link here loops back to one of its parent folders; it was skipped"
                            .to_string()
                    } else {
                        format!(
                            "cannot be listed: {}",
                            error
                                .io_error()
                                .map_or_else(|| error.to_string(), |io| io.to_string())
                        )
                    };
                    files.problems.push((path, message));
                }
            }
        }
        list.sort();
    }
    files.problems.sort();
    files
}
