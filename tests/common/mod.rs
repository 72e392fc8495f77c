//! Helpers shared by the integration tests.

#![allow(dead_code)] // each test file uses its own subset

use std::fs;
use std::path::Path;

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder tree, leaving out files with one of the names in `skip`.
pub fn copy_dir_except(from: &Path, to: &Path, skip: &[&str]) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if skip.iter().any(|name| entry.file_name() == *name) {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir_except(&entry.path(), &target, skip);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    copy_dir_except(from, to, &[]);
}

/// A copy of the example workspace of the repository in a temporary folder.
pub fn example_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        repo().join("trailmap.yaml"),
        dir.path().join("trailmap.yaml"),
    )
    .unwrap();
    copy_dir(&repo().join("catalog"), &dir.path().join("catalog"));
    copy_dir(&repo().join("journeys"), &dir.path().join("journeys"));
    dir
}

/// A copy of the fixtures' base workspace in a temporary folder.
pub fn base_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/_base"), dir.path());
    dir
}

/// Runs the `trailmap` binary in `dir` (outside GitHub Actions); returns the exit code,
/// standard output and standard error.
pub fn trailmap(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = assert_cmd::Command::cargo_bin("trailmap")
        .unwrap()
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Compares `actual` with the golden file `tests/golden/<name>`; `TRAILMAP_BLESS=1` rewrites it.
pub fn golden(name: &str, actual: &str) {
    let path = repo().join("tests/golden").join(name);
    if std::env::var_os("TRAILMAP_BLESS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, actual).unwrap();
    }
    assert_eq!(
        fs::read_to_string(&path).unwrap_or_default(),
        actual,
        "{} differs (TRAILMAP_BLESS=1 rewrites it)",
        path.display()
    );
}

/// The third-party corpus: `../shared/realdata` beside the checkout, or `TRAILMAP_REALDATA`.
pub fn realdata() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("TRAILMAP_REALDATA").map_or_else(
        || repo().join("../shared/realdata"),
        std::path::PathBuf::from,
    );
    dir.is_dir().then_some(dir)
}

/// Iglu's meta-schema for self-describing schemas, from Iglu Central in the corpus, as a
/// validator (its `$ref` to the draft-4 meta-schema resolves offline).
pub fn iglu_meta_validator() -> Option<jsonschema::Validator> {
    let path = realdata()?
        .join("iglu-central/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0");
    let mut meta: serde_json::Value = serde_json::from_str(&fs::read_to_string(path).ok()?).ok()?;
    let object = meta.as_object_mut()?;
    object.remove("$schema");
    object.remove("self");
    Some(
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .build(&meta)
            .expect("the Iglu meta-schema compiles"),
    )
}
