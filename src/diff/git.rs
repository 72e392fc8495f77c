//! Reads a workspace as it was at a git revision, without touching the working tree, the index
//! or any ref: the YAML files are listed with `git ls-tree` and read with one `git cat-file
//! --batch` into a temporary folder.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path};
use std::process::{Command, Stdio};

use crate::source::MANIFEST;

/// Files the loader reads; nothing else is copied out of the revision.
fn is_workspace_file(path: &str) -> bool {
    path.ends_with(".yaml") || path.ends_with(".yml")
}

fn git(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command.arg("-C").arg(dir);
    command
}

fn run(command: &mut Command) -> Result<Vec<u8>, String> {
    let output = command
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}

/// A blob of the revision: its id and its path relative to `dir`.
struct Blob {
    id: String,
    path: String,
}

/// `git ls-tree -r -z REV .` run in `dir`: the regular files under it, paths relative to it.
fn list(dir: &Path, revision: &str) -> Result<Vec<Blob>, String> {
    let listing = run(git(dir).args(["ls-tree", "-r", "-z", revision, "--", "."]))?;
    let mut blobs = Vec::new();
    for entry in listing.split(|&byte| byte == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (Some(mode), Some(kind), Some(id)) = (meta.next(), meta.next(), meta.next()) else {
            continue;
        };
        // Regular files only: symlinks (120000) and submodules (commit) are not read.
        if kind == "blob" && mode.starts_with("100") && is_workspace_file(path) {
            blobs.push(Blob {
                id: id.to_string(),
                path: path.to_string(),
            });
        }
    }
    Ok(blobs)
}

/// A path from git made safe to join under the temporary folder.
fn safe(path: &str) -> bool {
    Path::new(path)
        .components()
        .all(|part| matches!(part, Component::Normal(_)))
}

/// Writes the workspace at `dir` as it was at `revision` into `into`.
pub fn export(dir: &Path, revision: &str, into: &Path) -> Result<(), String> {
    run(git(dir).args(["rev-parse", "--git-dir"])).map_err(|_| {
        format!(
            "{} is not inside a git repository: use `--against DIR` to compare with a folder",
            dir.display()
        )
    })?;
    let commit = format!("{revision}^{{commit}}");
    run(git(dir).args(["rev-parse", "--verify", "--quiet", &commit])).map_err(|_| {
        let shallow = run(git(dir).args(["rev-parse", "--is-shallow-repository"]))
            .is_ok_and(|answer| answer.starts_with(b"true"));
        let hint = if shallow {
            "; this clone is shallow: fetch the history first (`git fetch --unshallow`, or \
`fetch-depth: 0` in actions/checkout)"
        } else {
            ""
        };
        format!(
            "`{revision}` is not a commit of the git repository at {}{hint}",
            dir.display()
        )
    })?;
    let blobs = list(dir, revision)?;
    if !blobs.iter().any(|blob| blob.path == MANIFEST) {
        return Err(format!(
            "{} has no {MANIFEST} at `{revision}`: there is no workspace to compare with",
            dir.display()
        ));
    }
    let mut child = git(dir)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| format!("cannot run git: {error}"))?;
    let mut input = child.stdin.take().ok_or("cannot talk to git cat-file")?;
    let ids: String = blobs.iter().map(|blob| format!("{}\n", blob.id)).collect();
    // Written from a thread so that a large listing cannot fill both pipes and deadlock.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(ids.as_bytes());
    });
    let mut output = BufReader::new(child.stdout.take().ok_or("cannot read from git cat-file")?);
    for blob in &blobs {
        let mut header = String::new();
        output
            .read_line(&mut header)
            .map_err(|error| format!("cannot read from git cat-file: {error}"))?;
        let size: usize = header
            .trim_end()
            .rsplit(' ')
            .next()
            .and_then(|size| size.parse().ok())
            .ok_or_else(|| {
                format!(
                    "git cat-file did not return {}: {}",
                    blob.path,
                    header.trim()
                )
            })?;
        let mut content = vec![0; size + 1];
        output
            .read_exact(&mut content)
            .map_err(|error| format!("cannot read {} from git: {error}", blob.path))?;
        content.pop();
        if !safe(&blob.path) {
            continue;
        }
        let target = into.join(&blob.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|error| format!("cannot write {}: {error}", target.display()))?;
        }
        std::fs::write(&target, content)
            .map_err(|error| format!("cannot write {}: {error}", target.display()))?;
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(())
}
