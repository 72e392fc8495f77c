//! Every report format on one broken workspace: exact golden text for each
//! (`tests/golden/formats/`, `TRAILMAP_BLESS=1` rewrites them), SARIF valid against the official
//! 2.1.0 schema, JUnit well-formed XML, GitLab fingerprints unique.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

mod common;

/// The fixtures' base workspace plus `tests/formats/broken.yaml` under a name CI formats must
/// escape, in `ws/` of a temporary folder so that paths in reports are `ws/...` on every run.
fn broken_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    common::copy_dir(&common::repo().join("tests/fixtures/_base"), &ws);
    fs::copy(
        common::repo().join("tests/formats/broken.yaml"),
        ws.join("catalog/broken, 100%.yaml"),
    )
    .unwrap();
    dir
}

fn check(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["check", "ws"];
    all.extend_from_slice(args);
    common::trailmap(dir, &all)
}

#[test]
fn every_format_matches_its_golden_copy() {
    let dir = broken_workspace();
    for (format, name) in [
        ("human", "check.txt"),
        ("json", "check.json"),
        ("sarif", "check.sarif"),
        ("github", "check.github.txt"),
        ("junit", "check.junit.xml"),
        ("gitlab", "check.gitlab.json"),
        ("markdown", "check.md"),
    ] {
        let (code, stdout, _) = check(dir.path(), &["--format", format]);
        assert_eq!(code, 1, "{format}");
        common::golden(&format!("formats/{name}"), &stdout);
    }
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let dir = broken_workspace();
    let (_, stdout, _) = check(dir.path(), &["--format", "sarif"]);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    let official =
        fs::read_to_string(common::repo().join("tests/schemas/sarif-2.1.0-rtm.5.json")).unwrap();
    // The official file's pattern for `language` (of a run and of an artifact) has a stray `]`, which the validator's
    // ECMA-262 regex check rejects; it is the one change made, and trailmap never writes
    // `language`.
    let defective = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert_eq!(official.matches(defective).count(), 2);
    let schema: Value =
        serde_json::from_str(&official.replace(defective, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#))
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(
        !validator.is_valid(&broken),
        "the schema must reject line 0"
    );
    let results = log["runs"][0]["results"].as_array().unwrap();
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(result["partialFingerprints"]["trailmap/v1"].is_string());
    }
}

#[test]
fn junit_is_well_formed_xml_with_a_failure_per_failing_rule_and_file() {
    let dir = broken_workspace();
    let (_, stdout, _) = check(dir.path(), &["--format", "junit"]);
    let mut reader = quick_xml::Reader::from_str(&stdout);
    let (mut depth, mut failures, mut cases) = (0, 0, 0);
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(tag) => {
                depth += 1;
                match tag.name().as_ref() {
                    "failure" => failures += 1,
                    "testcase" => cases += 1,
                    _ => {}
                }
            }
            quick_xml::events::Event::End(_) => depth -= 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    assert!(cases > 0);
    // Errors of rules R001, S004, S005, D001, Q001, Q002, Q003, all in the broken file.
    assert_eq!(failures, 7);
    assert!(stdout.contains("failures=\"7\""));
}

#[test]
fn gitlab_fingerprints_are_unique_and_stable() {
    let dir = broken_workspace();
    let (_, first, _) = check(dir.path(), &["--format", "gitlab"]);
    let (_, second, _) = check(dir.path(), &["--format", "gitlab"]);
    assert_eq!(first, second);
    let issues: Vec<Value> = serde_json::from_str(&first).unwrap();
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|issue| issue["fingerprint"].as_str().unwrap())
        .collect();
    let count = fingerprints.len();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), count);
}

#[test]
fn one_run_writes_annotations_and_sarif_and_junit_files() {
    let dir = broken_workspace();
    let (code, stdout, stderr) = check(
        dir.path(),
        &[
            "--format",
            "github",
            "--format",
            "sarif",
            "--output",
            "out.sarif",
            "--format",
            "junit",
            "--output",
            "junit.xml",
        ],
    );
    assert_eq!(code, 1);
    assert!(stdout.starts_with("::error file=ws/catalog/broken%2C 100%25.yaml,"));
    assert!(stderr.is_empty(), "{stderr}");
    let sarif = fs::read_to_string(dir.path().join("out.sarif")).unwrap();
    assert!(sarif.contains("\"version\": \"2.1.0\""));
    assert!(
        fs::read_to_string(dir.path().join("junit.xml"))
            .unwrap()
            .starts_with("<?xml")
    );
}

#[test]
fn inside_github_actions_a_step_summary_is_appended() {
    let dir = broken_workspace();
    let summary = dir.path().join("summary.md");
    fs::write(&summary, "earlier step\n").unwrap();
    let output = Command::cargo_bin("trailmap")
        .unwrap()
        .current_dir(dir.path())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "ws"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("earlier step\n### trailmap check\n"),
        "{text}"
    );
    assert!(
        text.contains("| R001 unknown-reference | error | 6 |"),
        "{text}"
    );
}

#[test]
fn outputs_without_their_format_are_usage_errors() {
    let dir = broken_workspace();
    let (code, _, stderr) = check(dir.path(), &["--output", "x.sarif", "--format", "sarif"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("needs a `--format` before it"), "{stderr}");
    let (code, _, stderr) = check(dir.path(), &["--format", "sarif", "--format", "github"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("only one format can go to standard output"),
        "{stderr}"
    );
}

#[test]
fn validate_events_reports_in_the_ci_formats_too() {
    let dir = broken_workspace();
    fs::write(
        dir.path().join("events.ndjson"),
        "{\"event\": \"purchase\", \"order_id\": \"O123456\"}\n\
         {\"event\": \"purchase\"}\n\
         {\"event\": \"purchase\", \"order_id\": 7, \"coupon\": \"X\"}\n\
         {\"event\": \"refund\"}\n\
         not json\n",
    )
    .unwrap();
    let run = |format: &str| {
        let args = [
            "validate-events",
            "events.ndjson",
            "--dir",
            "ws",
            "--format",
            format,
        ];
        let (code, stdout, _) = common::trailmap(dir.path(), &args);
        assert_eq!(code, 1, "{format}");
        stdout
    };
    common::golden("formats/validate-events.github.txt", &run("github"));
    common::golden("formats/validate-events.junit.xml", &run("junit"));
    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let lines: Vec<(u64, &str)> = results
        .iter()
        .map(|result| {
            (
                result["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
                result["ruleId"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (2, "E003"),
            (3, "E004"),
            (3, "E006"),
            (4, "E002"),
            (5, "E001")
        ]
    );
}

#[test]
fn nothing_in_the_data_can_start_a_github_workflow_command() {
    let dir = broken_workspace();
    let mut records = "{\"event\": \"nope\"}\n".repeat(12);
    records.push_str("{\"event\": \"x\\r\\n::error file=x::injected\\u001b[31m\"}\n");
    fs::write(dir.path().join("events.ndjson"), records).unwrap();
    let args = [
        "validate-events",
        "events.ndjson",
        "--dir",
        "ws",
        "--format",
        "github",
    ];
    let (code, stdout, _) = common::trailmap(dir.path(), &args);
    assert_eq!(code, 1);
    assert!(
        stdout
            .lines()
            .all(|line| !line.starts_with("::error file=x")),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "{stdout}");
    assert!(
        stdout.contains("x%0D%0A::error file=x::injected\\u{1b}[31m"),
        "{stdout}"
    );
}

#[test]
fn a_capped_listing_still_fails_every_rule_that_has_violations() {
    let dir = broken_workspace();
    let mut records = "{\"event\": \"nope\"}\n".repeat(3);
    records.push_str("{\"event\": \"purchase\", \"order_id\": 7}\n");
    fs::write(dir.path().join("events.ndjson"), records).unwrap();
    let args = [
        "validate-events",
        "events.ndjson",
        "--dir",
        "ws",
        "--max-errors",
        "1",
        "--format",
        "junit",
    ];
    let (code, stdout, _) = common::trailmap(dir.path(), &args);
    assert_eq!(code, 1);
    let e004 = stdout
        .split("<testcase ")
        .find(|case| case.contains("E004 wrong-type"))
        .unwrap();
    assert!(e004.contains("<failure"), "{e004}");
    assert!(e004.contains("1 more not listed (--max-errors)"), "{e004}");
}

#[test]
fn paths_in_ci_formats_are_relative_to_where_trailmap_runs() {
    let dir = broken_workspace();
    let absolute = dir.path().join("ws");
    let (_, stdout, _) = check_at(dir.path(), absolute.to_str().unwrap(), "github");
    assert!(stdout.starts_with("::error file=ws/catalog/"), "{stdout}");
    let (_, stdout, _) = check_at(dir.path(), "ws/../ws", "github");
    assert!(stdout.starts_with("::error file=ws/catalog/"), "{stdout}");
}

fn check_at(dir: &Path, workspace: &str, format: &str) -> (i32, String, String) {
    common::trailmap(dir, &["check", workspace, "--format", format])
}

#[test]
fn outputs_never_overwrite_inputs_and_a_bad_one_writes_nothing() {
    let dir = broken_workspace();
    let manifest = dir.path().join("ws/trailmap.yaml");
    let before = fs::read_to_string(&manifest).unwrap();
    let (code, _, stderr) = check(
        dir.path(),
        &["--format", "sarif", "--output", "ws/trailmap.yaml"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("which this run reads"), "{stderr}");
    assert_eq!(fs::read_to_string(&manifest).unwrap(), before);

    let (code, stdout, stderr) = check(
        dir.path(),
        &[
            "--format",
            "github",
            "--format",
            "junit",
            "--output",
            "ok.xml",
            "--format",
            "sarif",
            "--output",
            "missing/x.sarif",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("missing/x.sarif"), "{stderr}");
    assert_eq!(stdout, "");
    assert!(!dir.path().join("ok.xml").exists());
}

#[test]
fn a_step_summary_that_cannot_be_written_does_not_change_the_result() {
    let dir = broken_workspace();
    for summary in ["", "missing/summary.md"] {
        let output = Command::cargo_bin("trailmap")
            .unwrap()
            .current_dir(dir.path())
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_STEP_SUMMARY", summary)
            .args(["check", "ws"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{summary:?}");
    }
}
