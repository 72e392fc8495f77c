//! The CI examples under `examples/ci/` are copied as they are into real pipelines: every
//! `trailmap …` command they run must work on the example workspace in a git repository with
//! an `origin/main` branch (exit 0 or 1, never a usage error).

use std::fs;
use std::process::Command as Process;

mod common;

/// The `trailmap` command lines of a CI file, with the CI variables set to `main`.
fn commands(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter_map(|line| {
            let at = line.find("trailmap ")?;
            let before = line[..at].trim();
            let runs = before.is_empty()
                || before.ends_with("run:")
                || before.ends_with("- ")
                || before == "-"
                || before.ends_with("&&");
            runs.then(|| line[at..].split(';').next().unwrap_or_default())
        })
        .map(|command| {
            command
                .replace("${{ github.base_ref }}", "main")
                .replace("$CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")
                .split_whitespace()
                .skip(1)
                .map(|word| word.trim_matches('"').to_string())
                .collect()
        })
        .collect()
}

#[test]
fn every_trailmap_command_of_the_ci_examples_runs() {
    let repo = common::example_workspace();
    let git = |args: &[&str]| {
        let status = Process::new("git")
            .current_dir(repo.path())
            .args([
                "-c",
                "user.name=trailmap",
                "-c",
                "user.email=ci@trailmap.example",
            ])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "plan"]);
    git(&["update-ref", "refs/remotes/origin/main", "HEAD"]);
    let mut ran = 0;
    for file in ["github-actions.yml", "gitlab-ci.yml"] {
        let text = fs::read_to_string(common::repo().join("examples/ci").join(file)).unwrap();
        for args in commands(&text) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, _, stderr) = common::trailmap(repo.path(), &args);
            assert_eq!(code, 0, "{file}: trailmap {}\n{stderr}", args.join(" "));
            ran += 1;
        }
    }
    assert_eq!(ran, 4, "the examples run two checks and two diffs");
}
