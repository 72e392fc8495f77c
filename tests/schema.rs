//! The editor schemas committed under `schema/`: equal to what `trailmap schema` prints, named
//! by a modeline in every example file, accepting the example, and agreeing with `trailmap
//! check` on every file of the fixture corpus.

use std::collections::BTreeMap;
use std::fs;

use jsonschema::Validator;
use trailmap::commands::analyze;
use trailmap::generate::language_schema::{file_name, render};
use trailmap::model::FileKind;
use trailmap::source::{FileId, yaml};

mod common;

const SCHEMA_DIR: &str = "schema";
const REGENERATE: &str = "regenerate it with `cargo run -- schema --out schema`";

/// Findings that mean a file does not have the structure the language defines: what the schema
/// must reject too.
const STRUCTURE_CODES: [&str; 6] = ["S004", "S005", "S006", "S007", "S010", "T001"];
/// Findings that leave no faithful JSON reading of a file (broken YAML, a duplicate key, limits).
const UNREADABLE_CODES: [&str; 5] = ["S001", "S002", "S003", "S008", "S009"];

fn kind_of(path: &str) -> FileKind {
    if path.starts_with("catalog/") {
        FileKind::Catalog
    } else if path.starts_with("journeys/") {
        FileKind::Journey
    } else {
        FileKind::Manifest
    }
}

fn validators() -> BTreeMap<&'static str, Validator> {
    FileKind::ALL
        .into_iter()
        .map(|kind| {
            let path = common::repo().join(SCHEMA_DIR).join(file_name(kind));
            let text = fs::read_to_string(&path).unwrap();
            let schema = serde_json::from_str(&text).unwrap();
            (kind.name(), jsonschema::draft7::new(&schema).unwrap())
        })
        .collect()
}

/// A YAML file as editors read it (YAML 1.2 core schema), through trailmap's own reader.
fn as_json(text: &str) -> serde_json::Value {
    let document = yaml::parse(FileId(0), text);
    assert!(document.errors.is_empty(), "{:?}", document.errors);
    document
        .root
        .map_or(serde_json::Value::Null, |root| root.to_json())
}

fn schema_errors(validator: &Validator, document: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(document)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}

#[test]
fn the_committed_schemas_are_what_trailmap_schema_prints() {
    for kind in FileKind::ALL {
        let path = common::repo().join(SCHEMA_DIR).join(file_name(kind));
        let committed = fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == render(kind),
            "{} differs from `trailmap schema {}`: {REGENERATE}",
            path.display(),
            kind.name()
        );
    }
}

/// Every YAML file of the example workspace, relative to the repository.
fn example_files() -> Vec<String> {
    let mut files = vec!["trailmap.yaml".to_string()];
    for dir in ["catalog", "journeys"] {
        for entry in walkdir::WalkDir::new(common::repo().join(dir)).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|ext| ext == "yaml") {
                let relative = entry.path().strip_prefix(common::repo()).unwrap();
                files.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files
}

#[test]
fn every_example_file_names_its_schema_and_validates_against_it() {
    let validators = validators();
    let files = example_files();
    assert!(files.len() > 10, "{files:?}");
    for file in files {
        let text = fs::read_to_string(common::repo().join(&file)).unwrap();
        let kind = kind_of(&file);
        let up = "../".repeat(file.matches('/').count());
        let modeline = format!(
            "# yaml-language-server: $schema={up}{SCHEMA_DIR}/{}\n",
            file_name(kind)
        );
        assert!(
            text.starts_with(&modeline),
            "{file} must start with {modeline:?}"
        );
        let errors = schema_errors(&validators[kind.name()], &as_json(&text));
        assert!(errors.is_empty(), "{file}: {errors:#?}");
    }
}

/// Each fixture case laid over the base workspace, as `tests/fixtures.rs` checks it.
fn fixture_workspaces() -> Vec<(String, tempfile::TempDir)> {
    let root = common::repo().join("tests/fixtures");
    let base = root.join("_base");
    let mut cases = vec![("_base".to_string(), None)];
    for code in fs::read_dir(&root).unwrap() {
        let code = code.unwrap().path();
        if code.is_dir() && !code.ends_with("_base") {
            for case in fs::read_dir(&code).unwrap() {
                let case = case.unwrap().path();
                let name = case.strip_prefix(&root).unwrap().display().to_string();
                cases.push((name, Some(case)));
            }
        }
    }
    cases.sort();
    cases
        .into_iter()
        .map(|(name, case)| {
            let workspace = tempfile::tempdir().unwrap();
            common::copy_dir(&base, workspace.path());
            if let Some(case) = case {
                common::copy_dir_except(
                    &case,
                    workspace.path(),
                    &["expected.json", "expected.txt"],
                );
            }
            (name, workspace)
        })
        .collect()
}

#[test]
fn the_schemas_agree_with_check_on_every_fixture_file() {
    let validators = validators();
    let mut checked = [0, 0];
    for (case, workspace) in fixture_workspaces() {
        let analysis = analyze(workspace.path()).unwrap();
        let mut codes: BTreeMap<FileId, Vec<&str>> = BTreeMap::new();
        for diagnostic in &analysis.diagnostics {
            let file = diagnostic.primary.span.file;
            codes.entry(file).or_default().push(diagnostic.rule.code);
        }
        for (id, source) in analysis.sources.files() {
            let codes = codes.get(&id).cloned().unwrap_or_default();
            if codes.iter().any(|code| UNREADABLE_CODES.contains(code)) || source.text.is_empty() {
                continue;
            }
            let validator = &validators[kind_of(&source.path).name()];
            let errors = schema_errors(validator, &as_json(&source.text));
            let structure: Vec<&str> = codes
                .into_iter()
                .filter(|code| STRUCTURE_CODES.contains(code))
                .collect();
            let place = format!("{case}: {}", source.path);
            if structure.is_empty() {
                assert!(errors.is_empty(), "{place} checks clean but: {errors:#?}");
                checked[0] += 1;
            } else {
                assert!(
                    !errors.is_empty(),
                    "{place} has {structure:?} but the schema accepts it"
                );
                checked[1] += 1;
            }
        }
    }
    assert!(checked[0] > 100 && checked[1] >= 10, "{checked:?}");
}

#[test]
fn a_misspelt_key_in_an_example_file_is_rejected() {
    let validators = validators();
    for (file, from, to) in [
        ("catalog/teams.yaml", "    name:", "    nmae:"),
        ("catalog/fields.yaml", "    retention:", "    retension:"),
        (
            "catalog/policies.yaml",
            "    lawful_basis:",
            "    lawfull_basis:",
        ),
        ("journeys/returns.yaml", "    sla:", "    slaa:"),
        ("trailmap.yaml", "naming:", "namimg:"),
    ] {
        let text = fs::read_to_string(common::repo().join(file)).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        let broken = text.replacen(from, to, 1);
        let errors = schema_errors(&validators[kind_of(file).name()], &as_json(&broken));
        assert!(
            errors
                .iter()
                .any(|error| error.contains(to.trim().trim_end_matches(':'))),
            "{file} with {to:?}: {errors:#?}"
        );
    }
}
