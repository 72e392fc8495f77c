//! `trailmap import`: small inputs of each kind (`tests/import/<kind>/`) must import to exactly
//! the files of `tests/golden/import/<kind>/` (`TRAILMAP_BLESS=1` rewrites them), and every
//! imported workspace must check without errors and build. On the real plans of
//! `../shared/realdata` (or `TRAILMAP_REALDATA`): all of Iglu Central imports, checks and builds
//! from the command line, and the Segment and RudderStack e-commerce plans keep their event
//! counts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod common;

fn trailmap() -> Command {
    Command::cargo_bin("trailmap").unwrap()
}

fn realdata() -> Option<PathBuf> {
    let dir = std::env::var_os("TRAILMAP_REALDATA")
        .map_or_else(|| common::repo().join("../shared/realdata"), PathBuf::from);
    dir.is_dir().then_some(dir)
}

fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap();
            let name = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (name, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// Imports `source` as `kind` (from the repository root, so that paths in the report are
/// stable) and returns the workspace folder.
fn import(kind: &str, source: &str, out: &Path, extra: &[&str]) -> String {
    let output = trailmap()
        .current_dir(common::repo())
        .args(["import", kind, source, "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// `check` passes (placeholders are warnings) and `build` writes every output.
fn checks_and_builds(workspace: &Path) {
    let check = trailmap().arg("check").arg(workspace).output().unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("O003(placeholder)"), "{stdout}");
    assert!(stdout.contains(" 0 errors"), "{stdout}");
    let build = trailmap()
        .arg("build")
        .arg(workspace)
        .arg("--out")
        .arg(workspace.join("dist"))
        .output()
        .unwrap();
    assert_eq!(
        build.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
}

#[test]
fn small_imports_match_their_golden_copies_and_build() {
    let bless = std::env::var_os("TRAILMAP_BLESS").is_some();
    for (kind, source) in [
        ("iglu", "tests/import/iglu/schemas"),
        ("jsonschema", "tests/import/jsonschema"),
        ("segment", "tests/import/segment/plan.json"),
        ("rudderstack", "tests/import/rudderstack"),
    ] {
        let out = tempfile::tempdir().unwrap();
        let workspace = out.path().join(kind);
        import(kind, source, &workspace, &[]);
        let written = read_tree(&workspace);
        let golden_dir = common::repo().join("tests/golden/import").join(kind);
        if bless {
            let _ = std::fs::remove_dir_all(&golden_dir);
            for (name, text) in &written {
                let path = golden_dir.join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
        }
        let golden = read_tree(&golden_dir);
        assert_eq!(
            written.keys().collect::<Vec<_>>(),
            golden.keys().collect::<Vec<_>>(),
            "{kind}: files"
        );
        for (name, text) in &written {
            assert_eq!(
                text, &golden[name],
                "{kind}: {name} differs from its golden copy"
            );
        }
        checks_and_builds(&workspace);
    }
}

#[test]
fn a_folder_that_is_not_empty_is_refused() {
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("keep.txt"), "mine").unwrap();
    let output = trailmap()
        .current_dir(common::repo())
        .args(["import", "jsonschema", "tests/import/jsonschema", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not empty"));
}

#[test]
fn all_of_iglu_central_imports_checks_and_builds() {
    let Some(realdata) = realdata() else {
        eprintln!("skipped: no realdata");
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let workspace = out.path().join("iglu");
    let summary = import(
        "iglu",
        realdata.join("iglu-central/schemas").to_str().unwrap(),
        &workspace,
        &[],
    );
    assert!(summary.starts_with("imported 516 events"), "{summary}");
    checks_and_builds(&workspace);
    let schemas = std::fs::read_dir(workspace.join("dist/schemas/events"))
        .unwrap()
        .count();
    assert_eq!(schemas, 516);
    // Each goes back out as a self-describing schema under its own vendor, name and version.
    let meta = common::iglu_meta_validator().unwrap();
    let mut exported = 0;
    for entry in walkdir::WalkDir::new(workspace.join("dist/iglu/schemas")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert!(meta.is_valid(&schema), "{}", entry.path().display());
            let original = realdata.join("iglu-central/schemas").join(
                entry
                    .path()
                    .strip_prefix(workspace.join("dist/iglu/schemas"))
                    .unwrap(),
            );
            assert!(
                original.is_file(),
                "{} is not where Iglu Central has it",
                original.display()
            );
            exported += 1;
        }
    }
    assert_eq!(exported, 516);
}

/// The number of track events in a Segment or RudderTyper plan JSON.
fn track_events(plan: &serde_json::Value) -> usize {
    let list = plan["rules"]
        .as_array()
        .or(plan["rules"]["events"].as_array())
        .or(plan["events"].as_array())
        .unwrap();
    list.iter()
        .filter(|e| {
            let kind = e["type"]
                .as_str()
                .or(e["eventType"].as_str())
                .unwrap_or("track");
            kind.eq_ignore_ascii_case("track")
        })
        .count()
}

#[test]
fn ecommerce_plans_keep_their_events() {
    let Some(realdata) = realdata() else {
        eprintln!("skipped: no realdata");
        return;
    };
    let cases = [
        ("segment", "segment-ecommerce-v2/events.yaml", 28),
        (
            "rudderstack",
            "rudderstack-ruddertyper-plans/ecommerce-template-29-events.json",
            29,
        ),
        (
            "rudderstack",
            "rudderstack-ruddertyper-plans/ecommerce-tracking-plan-10-events.json",
            10,
        ),
        (
            "segment",
            "segment-typewriter/current/typewriter-telemetry-plan.public-api.json",
            6,
        ),
    ];
    for (kind, file, expected) in cases {
        let path = realdata.join(file);
        if path.extension().is_some_and(|e| e == "json") {
            let plan: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            assert_eq!(track_events(&plan), expected, "{file}: source count");
        }
        let out = tempfile::tempdir().unwrap();
        let workspace = out.path().join("plan");
        let summary = import(kind, path.to_str().unwrap(), &workspace, &[]);
        assert!(
            summary.starts_with(&format!("imported {expected} events")),
            "{file}: {summary}"
        );
        checks_and_builds(&workspace);
        let schemas = std::fs::read_dir(workspace.join("dist/schemas/events"))
            .unwrap()
            .count();
        assert_eq!(schemas, expected, "{file}: schemas built");
    }
}

/// Every kind of importer pointed at the whole third-party corpus (mostly files it does not
/// understand): it reports what it skips, never panics, and what it writes has no structural or
/// reference errors.
#[test]
fn every_importer_survives_the_whole_corpus() {
    let Some(realdata) = realdata() else {
        eprintln!("skipped: no realdata");
        return;
    };
    for kind in ["iglu", "jsonschema", "segment", "rudderstack"] {
        let out = tempfile::tempdir().unwrap();
        let workspace = out.path().join(kind);
        import(kind, realdata.to_str().unwrap(), &workspace, &[]);
        let analysis = trailmap::commands::analyze(&workspace).unwrap();
        let structural: Vec<String> = analysis
            .diagnostics
            .iter()
            .filter(|d| {
                d.level == trailmap::diagnostics::Level::Error
                    && (d.rule.code.starts_with('S') || d.rule.code.starts_with('R'))
            })
            .map(|d| format!("{}: {}", d.rule.code, d.message))
            .collect();
        assert!(structural.is_empty(), "{kind}: {structural:#?}");
    }
}
