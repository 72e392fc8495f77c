//! The command line as users run it: exit codes, output streams, all files in one run.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

mod common;

fn base() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/_base")
}

fn trailmap() -> Command {
    Command::cargo_bin("trailmap").unwrap()
}

#[test]
fn clean_workspace_exits_zero_with_a_summary() {
    let output = trailmap().arg("check").arg(base()).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "checked 1 journey, 2 touchpoints, 2 events, 2 fields in 7 files: 0 errors, 0 warnings\n"
    );
}

#[test]
fn errors_in_three_files_are_all_reported_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&base(), dir.path());
    let edit = |path: &str, from: &str, to: &str| {
        let file = dir.path().join(path);
        let text = fs::read_to_string(&file).unwrap();
        assert!(text.contains(from));
        fs::write(&file, text.replace(from, to)).unwrap();
    };
    edit("catalog/teams.yaml", "kind: web", "kind: website");
    edit("catalog/fields.yaml", "retention: 1y", "retention: forever");
    edit(
        "journeys/pickup.yaml",
        "owner: store_ops\ngoal",
        "owner: store-ops\ngoal",
    );

    let output = trailmap()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let diagnostics: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(String, String)> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("catalog/fields.yaml".to_string(), "T001".to_string()),
            ("catalog/teams.yaml".to_string(), "S005".to_string()),
            ("journeys/pickup.yaml".to_string(), "R001".to_string()),
        ]
    );
    let summary = String::from_utf8(output.stderr).unwrap();
    assert!(summary.ends_with("3 errors, 0 warnings\n"), "{summary}");
}

#[test]
fn warnings_fail_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&base(), dir.path());
    fs::write(
        dir.path().join("catalog/extra.yaml"),
        "version: 1\nteams:\n  loyalty: {name: Loyalty, contact: loyalty@shop.example}\n",
    )
    .unwrap();
    trailmap().arg("check").arg(dir.path()).assert().code(0);
    trailmap()
        .args(["check", "--fail-on", "warning"])
        .arg(dir.path())
        .assert()
        .code(1);
    fs::write(
        dir.path().join("catalog/broken.yaml"),
        "version: 1\nteams: [\n",
    )
    .unwrap();
    trailmap()
        .args(["check", "--fail-on", "never"])
        .arg(dir.path())
        .assert()
        .code(0);
    trailmap().arg("check").arg(dir.path()).assert().code(1);
}

#[test]
fn a_folder_without_manifest_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = trailmap().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: ") && stderr.contains("has no trailmap.yaml"),
        "{stderr}"
    );
}

#[test]
fn unknown_arguments_are_usage_errors() {
    trailmap()
        .args(["check", "--format", "xml"])
        .assert()
        .code(2);
    trailmap().arg("frobnicate").assert().code(2);
}

#[test]
fn the_example_workspace_is_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = trailmap().arg("check").arg(root).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.ends_with("0 errors, 0 warnings\n"), "{stdout}");
}

#[test]
fn every_rule_can_be_explained_by_code_and_name() {
    let output = trailmap()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let rules: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert!(rules.len() >= 40, "{} rules", rules.len());
    for rule in &rules {
        let code = rule["code"].as_str().unwrap();
        let name = rule["name"].as_str().unwrap();
        for key in [code, name] {
            let explained = trailmap().args(["explain", key]).output().unwrap();
            assert_eq!(explained.status.code(), Some(0), "{key}");
            let text = String::from_utf8(explained.stdout).unwrap();
            assert!(
                text.starts_with(&format!("{code} {name} (default: ")),
                "{text}"
            );
            assert!(text.contains(rule["explanation"].as_str().unwrap().trim_end()));
        }
    }
    let table = String::from_utf8(trailmap().arg("rules").output().unwrap().stdout).unwrap();
    assert_eq!(table.lines().count(), rules.len());
}

#[test]
fn explaining_an_unknown_rule_suggests_the_closest() {
    let output = trailmap()
        .args(["explain", "unused-definitions"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "error: there is no rule `unused-definitions`; did you mean `unused-definition`?\n"
    );
}

#[test]
fn validate_events_reads_stdin_caps_the_listing_and_counts_everything() {
    let records = "{\"event\":\"purchase\",\"order_id\":\"X1\"}\n".repeat(5);
    let output = trailmap()
        .args(["validate-events", "-", "--max-errors", "2", "--dir"])
        .arg(base())
        .write_stdin(records)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("-:")).count(),
        2,
        "{stdout}"
    );
    assert!(
        stdout.contains("… 3 more violations not listed (--max-errors)"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("validated 5 records: 0 valid, 5 invalid, 5 violations\n"),
        "{stdout}"
    );
}

#[test]
fn validate_events_reads_segment_shaped_records() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("track.ndjson");
    fs::write(
        &input,
        "{\"type\":\"track\",\"name\":\"purchase\",\"properties\":{\"order_id\":\"O123456\"}}\n{\"type\":\"track\",\"name\":\"purchase\",\"properties\":{\"order_id\":7}}\n",
    )
    .unwrap();
    let output = trailmap()
        .args([
            "validate-events",
            "--event-key",
            "name",
            "--properties-key",
            "properties",
            "--format",
            "json",
            "--dir",
        ])
        .arg(base())
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["totals"]["valid"], 1);
    assert_eq!(report["violations"][0]["code"], "E004");
    assert_eq!(report["violations"][0]["pointer"], "/order_id");
    assert_eq!(report["violations"][0]["line"], 2);
    trailmap()
        .args([
            "validate-events",
            "--event-key",
            "name",
            "--properties-key",
            "properties",
            "--fail-on",
            "never",
            "--dir",
        ])
        .arg(base())
        .arg(&input)
        .assert()
        .code(0);
}

#[test]
fn validate_events_keeps_line_numbers_across_read_blocks() {
    // About 6 MiB: more than one read block, with broken records spread over it.
    let mut records = String::new();
    for line in 1..=150_000u64 {
        if line % 50_000 == 0 {
            records.push_str("{\"event\":\"purchase\",\"order_id\":\"broken\"}\n");
        } else {
            records.push_str("{\"event\":\"purchase\",\"order_id\":\"O123456\"}\n");
        }
    }
    let output = trailmap()
        .args(["validate-events", "-", "--format", "json", "--dir"])
        .arg(base())
        .write_stdin(records)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let lines: Vec<u64> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [50_000, 100_000, 150_000]);
    assert_eq!(report["totals"]["records"], 150_000);
}

#[test]
fn bash_completion_offers_the_subcommands() {
    let output = trailmap().args(["completions", "bash"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let script = String::from_utf8(output.stdout).unwrap();
    // The words offered after `trailmap `.
    let subcommands = script
        .lines()
        .find(|line| line.contains("opts=\"-h -V --help --version"))
        .unwrap_or_default();
    for subcommand in ["check", "build", "schema", "completions"] {
        assert!(subcommands.contains(subcommand), "{script}");
    }
}

#[test]
fn schema_prints_one_kind_or_writes_all_three() {
    let output = trailmap().args(["schema", "journey"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let journey = fs::read(common::repo().join("schema/journey.schema.json")).unwrap();
    assert_eq!(output.stdout, journey);

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("schema");
    let output = trailmap()
        .arg("schema")
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    for kind in ["manifest", "catalog", "journey"] {
        let name = format!("{kind}.schema.json");
        assert_eq!(
            fs::read(out.join(&name)).unwrap(),
            fs::read(common::repo().join("schema").join(&name)).unwrap()
        );
    }

    let output = trailmap().arg("schema").output().unwrap();
    assert_eq!(output.status.code(), Some(2), "a kind or --out is required");
}
