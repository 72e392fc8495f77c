//! The generated `datalayer.d.ts` compiles with `tsc --strict`, accepts a correct use of the
//! example's data layer and rejects each wrong push. TypeScript comes from
//! `tests/typescript/package.json` (`npm ci --prefix tests/typescript`, which `.ci/run` does).

use std::fs;
use std::path::Path;
use std::process::Command;

fn tsc() -> std::path::PathBuf {
    let tsc = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/typescript/node_modules/.bin/tsc");
    assert!(
        tsc.exists(),
        "TypeScript is not installed: run `npm ci --prefix tests/typescript`"
    );
    tsc
}

/// Type-checks `usage` next to the example's generated declarations; returns tsc's output and
/// whether it succeeded.
fn check(usage: &str) -> (bool, String) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dist");
    let built = assert_cmd::Command::cargo_bin("trailmap")
        .unwrap()
        .args(["build", "--only", "datalayer", "--out"])
        .arg(&out)
        .arg(repo)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    fs::copy(
        out.join("datalayer/datalayer.d.ts"),
        dir.path().join("datalayer.d.ts"),
    )
    .unwrap();
    fs::copy(
        repo.join("tests/typescript/usage").join(usage),
        dir.path().join("usage.ts"),
    )
    .unwrap();
    let output = Command::new(tsc())
        .args([
            "--strict",
            "--noEmit",
            "--target",
            "es2020",
            "--module",
            "es2020",
            "--moduleResolution",
            "bundler",
        ])
        .args(["datalayer.d.ts", "usage.ts"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).to_string(),
    )
}

#[test]
fn correct_data_layer_use_type_checks() {
    let (ok, output) = check("valid.ts");
    assert!(ok, "{output}");
}

#[test]
fn each_wrong_push_is_a_type_error() {
    let (ok, output) = check("invalid.ts");
    assert!(!ok);
    let errors: Vec<&str> = output
        .lines()
        .filter(|line| line.starts_with("usage.ts("))
        .collect();
    let lines: Vec<&str> = errors
        .iter()
        .filter_map(|e| e.split(['(', ',']).nth(1))
        .collect();
    assert_eq!(lines, ["4", "6", "8", "10"], "{output}");
}

/// The data-layer types of imported real plans compile too: all of Iglu Central (names with
/// dots, properties named `event`, open objects) and the Segment e-commerce spec (names with
/// spaces). The corpus is `../shared/realdata` (or `TRAILMAP_REALDATA`).
#[test]
fn imported_plans_type_check() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let realdata = std::env::var_os("TRAILMAP_REALDATA")
        .map_or_else(|| repo.join("../shared/realdata"), std::path::PathBuf::from);
    if !realdata.is_dir() {
        eprintln!("skipped: no realdata");
        return;
    }
    let tsc = tsc();
    for (kind, source) in [
        ("iglu", "iglu-central/schemas"),
        ("segment", "segment-ecommerce-v2/events.yaml"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("ws");
        let out = dir.path().join("dist");
        let imported = assert_cmd::Command::cargo_bin("trailmap")
            .unwrap()
            .args(["import", kind])
            .arg(realdata.join(source))
            .arg("--out")
            .arg(&workspace)
            .output()
            .unwrap();
        assert!(imported.status.success(), "{kind}");
        let built = assert_cmd::Command::cargo_bin("trailmap")
            .unwrap()
            .args(["build", "--only", "datalayer", "--out"])
            .arg(&out)
            .arg(&workspace)
            .output()
            .unwrap();
        assert!(built.status.success(), "{kind}");
        let result = Command::new(&tsc)
            .args(["--strict", "--noEmit"])
            .arg(out.join("datalayer/datalayer.d.ts"))
            .output()
            .unwrap();
        assert!(
            result.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&result.stdout)
        );
    }
}
