//! `trailmap diff`: a git repository with two commits in a temporary folder; `diff --base
//! HEAD~1` must report exactly the expected classified changes, nothing for an enum reorder,
//! and leave the repository as it was. Reports in every format are golden files
//! (`tests/golden/diff/`, `TRAILMAP_BLESS=1` rewrites them).

use std::fs;
use std::path::Path;
use std::process::Command as Process;

use serde_json::Value;

mod common;

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Process::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=trailmap",
            "-c",
            "user.email=ci@trailmap.example",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// Replaces `from` (which must occur exactly once) by `to` in one file.
fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{file}: {from:?}");
    fs::write(&path, text.replace(from, to)).unwrap();
}

/// A repository whose workspace lives in `plans/`: the first commit is the fixtures' base
/// workspace with an enum field; the second reorders the enum and makes one change of each
/// kind the test expects.
fn repository() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    let ws = repo.path().join("plans");
    common::copy_dir(&common::repo().join("tests/fixtures/_base"), &ws);
    edit(
        &ws,
        "catalog/fields.yaml",
        "fields:\n",
        "fields:\n  tier: {type: string, classification: public, enum: [gold, silver, bronze]}\n",
    );
    edit(
        &ws,
        "catalog/events.yaml",
        "properties: {order_id: required, customer_id: optional}",
        "properties: {order_id: required, customer_id: optional, tier: optional}",
    );
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-q", "-m", "first"]);

    // Not a change: the same enum in another order.
    edit(
        &ws,
        "catalog/fields.yaml",
        "enum: [gold, silver, bronze]",
        "enum: [bronze, gold, silver]",
    );
    // Payload: a property becomes required, a pattern changes.
    edit(
        &ws,
        "catalog/events.yaml",
        "customer_id: optional, tier",
        "customer_id: required, tier",
    );
    edit(&ws, "catalog/fields.yaml", "^O[0-9]{6}$", "^O[0-9]{8}$");
    // Privacy: retention lengthened, a purpose added to an event.
    edit(&ws, "catalog/fields.yaml", "retention: 1y", "retention: 2y");
    edit(
        &ws,
        "catalog/events.yaml",
        "    purposes: [fulfillment]\n",
        "    purposes: [fulfillment, analytics]\n",
    );
    // Ownership: a handoff SLA lengthened, an event's owner removed.
    edit(&ws, "journeys/pickup.yaml", "sla: 2h", "sla: 4h");
    edit(
        &ws,
        "catalog/events.yaml",
        "  store_pickup_completed:\n    owner: store_ops\n",
        "  store_pickup_completed:\n",
    );
    git(repo.path(), &["commit", "-q", "-am", "second"]);
    repo
}

#[test]
fn diff_against_the_previous_commit_classifies_each_change() {
    let repo = repository();
    let (code, stdout, stderr) = common::trailmap(
        repo.path(),
        &["diff", "plans", "--base", "HEAD~1", "--format", "json"],
    );
    assert_eq!(code, 1, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let changes: Vec<(String, String, bool, String)> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|change| {
            (
                change["code"].as_str().unwrap().to_string(),
                change["category"].as_str().unwrap().to_string(),
                change["breaking"].as_bool().unwrap(),
                change["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("B004", "payload", true, "`customer_id` of event `purchase` is now required"),
        ("B006", "payload", true, "field `order_id` changed its pattern from `^O[0-9]{6}$` to `^O[0-9]{8}$`"),
        ("B012", "privacy", true, "event `store_pickup_completed` is now also used for `analytics`"),
        ("B011", "privacy", true, "field `customer_id` is now kept 2y instead of 1y"),
        ("B020", "ownership", true, "event `store_pickup_completed` no longer has an owner (it was `store_ops`)"),
        ("B021", "ownership", true, "the SLA of the handoff checkout → pickup_desk of journey `pickup` lengthened from 2h to 4h"),
    ]
    .map(|(code, category, breaking, message)| {
        (code.to_string(), category.to_string(), breaking, message.to_string())
    });
    assert_eq!(changes, expected);
    assert!(
        !stdout.contains("tier"),
        "an enum reorder is not a change: {stdout}"
    );
    assert_eq!(git(repo.path(), &["status", "--porcelain"]), "");
}

#[test]
fn every_diff_format_matches_its_golden_copy() {
    let repo = repository();
    for (format, name) in [
        ("human", "diff.txt"),
        ("json", "diff.json"),
        ("markdown", "diff.md"),
        ("github", "diff.github.txt"),
        ("sarif", "diff.sarif"),
        ("junit", "diff.junit.xml"),
        ("gitlab", "diff.gitlab.json"),
    ] {
        let (code, stdout, _) = common::trailmap(
            repo.path(),
            &["diff", "plans", "--base", "HEAD~1", "--format", format],
        );
        assert_eq!(code, 1, "{format}");
        common::golden(&format!("diff/{name}"), &stdout);
    }
}

#[test]
fn the_threshold_decides_the_exit_code() {
    let repo = repository();
    let run = |fail_on: &str| {
        common::trailmap(
            repo.path(),
            &["diff", "plans", "--base", "HEAD~1", "--fail-on", fail_on],
        )
        .0
    };
    assert_eq!(run("payload"), 1);
    assert_eq!(run("never"), 0);
    // Only docs changes are below every category: none here, and the rest still fail.
    assert_eq!(run("docs"), 1);
}

#[test]
fn renames_announced_with_renamed_to_are_not_removals() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    let head = dir.path().join("head");
    common::copy_dir(&common::repo().join("tests/fixtures/_base"), &base);
    edit(
        &base,
        "catalog/events.yaml",
        "  store_pickup_completed:\n",
        "  store_pickup_completed:\n    renamed_to: pickup_completed\n",
    );
    common::copy_dir(&common::repo().join("tests/fixtures/_base"), &head);
    for file in [
        "catalog/events.yaml",
        "catalog/touchpoints.yaml",
        "journeys/pickup.yaml",
    ] {
        let path = head.join(file);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(
            &path,
            text.replace("store_pickup_completed", "pickup_completed"),
        )
        .unwrap();
    }
    let (code, stdout, _) = common::trailmap(
        dir.path(),
        &["diff", "head", "--against", "base", "--format", "json"],
    );
    assert_eq!(code, 0, "{stdout}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let codes: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|change| change["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["B054"], "{stdout}");

    // Without the announcement the same change is a removal and an addition.
    edit(
        &base,
        "catalog/events.yaml",
        "    renamed_to: pickup_completed\n",
        "",
    );
    let (code, stdout, _) = common::trailmap(
        dir.path(),
        &["diff", "head", "--against", "base", "--format", "json"],
    );
    assert_eq!(code, 1);
    assert!(
        stdout.contains("\"B001\"") && stdout.contains("\"B050\""),
        "{stdout}"
    );
}

#[test]
fn an_unknown_revision_is_a_usage_error() {
    let repo = repository();
    let (code, _, stderr) = common::trailmap(repo.path(), &["diff", "plans", "--base", "nope"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("`nope` is not a commit"), "{stderr}");
}

#[test]
fn a_folder_outside_git_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let inside_a_repository = Process::new("git")
        .current_dir(dir.path())
        .args(["rev-parse", "--git-dir"])
        .output()
        .unwrap()
        .status
        .success();
    if inside_a_repository {
        // The temporary folder lies inside some repository: nothing to check on this machine.
        return;
    }
    common::copy_dir(
        &common::repo().join("tests/fixtures/_base"),
        &dir.path().join("ws"),
    );
    let (code, _, stderr) = common::trailmap(dir.path(), &["diff", "ws", "--base", "HEAD"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("is not inside a git repository"),
        "{stderr}"
    );
}

#[test]
fn a_revision_without_the_workspace_is_explained() {
    let repo = repository();
    git(repo.path(), &["rm", "-q", "-r", "plans"]);
    git(repo.path(), &["commit", "-q", "-m", "remove"]);
    git(repo.path(), &["checkout", "-q", "HEAD~1", "--", "plans"]);
    let (code, _, stderr) = common::trailmap(repo.path(), &["diff", "plans", "--base", "HEAD"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("plans has no trailmap.yaml at `HEAD`"),
        "{stderr}"
    );
}
