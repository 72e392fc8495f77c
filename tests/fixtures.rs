//! Golden tests: every case under `tests/fixtures/<CODE>/<case>/` is the base workspace in
//! `tests/fixtures/_base/` with the case's files laid over it. The diagnostics of checking it
//! must equal `expected.json` and `expected.txt` byte for byte. Cases of the E rules hold
//! captured records (`events.ndjson`) and run `validate-events`; cases of the B rules hold two
//! overlays, `base/` and `head/`, and run `diff` from the one to the other.
//!
//! To accept new output after a deliberate change: `TRAILMAP_BLESS=1 cargo test --test fixtures`,
//! then review the diff.

use std::fs;
use std::path::{Path, PathBuf};

use trailmap::commands::analyze;
use trailmap::commands::check::FailOn;
use trailmap::commands::diff::{self, Baseline, DiffOptions};
use trailmap::commands::output::{Format, Output};
use trailmap::commands::validate::{self, ValidateOptions};
use trailmap::events::Shape;

mod common;
use trailmap::diagnostics::{render_human, render_json};

const EXPECTED: [&str; 2] = ["expected.json", "expected.txt"];
/// Cases of the E rules hold captured records; they run `validate-events` instead of `check`.
const EVENTS: &str = "events.ndjson";

/// The output of `validate-events` on the case's records, with the temporary path removed.
fn validate_events(workspace: &Path, format: Format) -> String {
    let input = workspace.join(EVENTS);
    let options = ValidateOptions {
        dir: workspace.to_path_buf(),
        inputs: vec![input.clone()],
        shape: Shape::default(),
        outputs: vec![Output::stdout(format)],
        max_errors: None,
        fail_on: FailOn::Error,
    };
    let mut out = Vec::new();
    validate::run(&options, &mut out, &mut std::io::sink());
    String::from_utf8(out)
        .unwrap()
        .replace(&input.display().to_string(), EVENTS)
}

/// Cases of the B rules: the change from `base/` to `head/`, each laid over the base workspace.
const DIFF_SIDES: [&str; 2] = ["base", "head"];

/// The output of `diff` from the case's base to its head, with the temporary path removed.
fn diff_case(case: &Path, format: Format) -> String {
    let root = tempfile::tempdir().unwrap();
    for side in DIFF_SIDES {
        common::copy_dir(
            &common::repo().join("tests/fixtures/_base"),
            &root.path().join(side),
        );
        common::copy_dir(&case.join(side), &root.path().join(side));
    }
    let options = DiffOptions {
        dir: root.path().join("head"),
        baseline: Baseline::Folder(root.path().join("base")),
        outputs: vec![Output::stdout(format)],
        fail_on: Some(trailmap::diff::Category::Privacy),
    };
    let mut out = Vec::new();
    diff::run(&options, &mut out, &mut std::io::sink());
    String::from_utf8(out)
        .unwrap()
        .replace(&format!("{}/", root.path().display()), "")
}

fn is_diff_case(case: &Path) -> bool {
    case.join("head").is_dir()
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut cases = Vec::new();
    for code in fs::read_dir(&root).unwrap() {
        let code = code.unwrap().path();
        if !code.is_dir() || code.ends_with("_base") {
            continue;
        }
        for case in fs::read_dir(&code).unwrap() {
            cases.push(case.unwrap().path());
        }
    }
    cases.sort();
    cases
}

/// Checks one case; returns a description of each mismatch.
fn run_case(case: &Path, bless: bool) -> Vec<String> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/_base");
    let workspace = tempfile::tempdir().unwrap();
    common::copy_dir(&base, workspace.path());
    common::copy_dir_except(case, workspace.path(), &EXPECTED);
    let events = workspace.path().join(EVENTS);
    let outputs = if is_diff_case(case) {
        [Format::Json, Format::Human].map(|format| diff_case(case, format))
    } else if events.exists() {
        [Format::Json, Format::Human].map(|format| validate_events(workspace.path(), format))
    } else {
        let analysis = analyze(workspace.path()).unwrap();
        [
            render_json(&analysis.diagnostics, &analysis.sources),
            render_human(&analysis.diagnostics, &analysis.sources, false),
        ]
    };
    let mut mismatches = Vec::new();
    for (name, actual) in EXPECTED.iter().zip(outputs) {
        let path = case.join(name);
        if bless {
            fs::write(&path, &actual).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&path).unwrap_or_default();
        if expected != actual {
            mismatches.push(format!(
                "{}:\n--- expected\n{expected}\n--- actual\n{actual}",
                path.display()
            ));
        }
    }
    mismatches
}

#[test]
fn fixtures_match_their_expected_diagnostics() {
    let bless = std::env::var_os("TRAILMAP_BLESS").is_some();
    let cases = cases();
    assert!(
        cases.len() >= 20,
        "only {} fixture cases found",
        cases.len()
    );
    let mismatches: Vec<String> = cases
        .iter()
        .flat_map(|case| run_case(case, bless))
        .collect();
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn the_base_workspace_is_clean() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/_base");
    let analysis = analyze(&base).unwrap();
    assert_eq!(
        render_json(&analysis.diagnostics, &analysis.sources),
        "[]\n"
    );
}

#[test]
fn passing_cases_have_no_diagnostics_and_failing_cases_have_some() {
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let expected = fs::read_to_string(case.join("expected.json")).unwrap_or_default();
        let code = case
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        if name.starts_with("pass") && is_diff_case(&case) {
            // A near miss: another change, or none, but not this one.
            let reported = expected.contains(&format!("\"code\": \"{code}\""));
            assert!(!reported, "{} reports {code}", case.display());
        } else if name.starts_with("pass") {
            let clean = expected == "[]\n" || expected.contains("\"violations\": []");
            assert!(clean, "{} expects findings", case.display());
        } else {
            assert!(
                name.starts_with("fail"),
                "case names start with pass or fail: {}",
                case.display()
            );
            assert!(
                expected.contains(&format!("\"code\": \"{code}\"")),
                "{} does not report {code}",
                case.display()
            );
        }
    }
}

#[test]
fn every_rule_has_a_passing_and_a_failing_case() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let change_rules = trailmap::diff::rules().into_iter().map(|kind| &kind.rule);
    for rule in trailmap::rules::registry().into_iter().chain(change_rules) {
        let cases: Vec<String> = fs::read_dir(root.join(rule.code))
            .map(|dir| {
                dir.map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            cases.iter().any(|c| c.starts_with("pass"))
                && cases.iter().any(|c| c.starts_with("fail")),
            "{} ({}) needs tests/fixtures/{}/pass… and fail… cases",
            rule.code,
            rule.name,
            rule.code
        );
    }
}
