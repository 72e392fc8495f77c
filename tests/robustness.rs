//! No input ends in a panic: mutated workspaces go through the whole check, and real
//! third-party YAML and JSON files read exactly as other parsers read them.

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use trailmap::commands::analyze;
use trailmap::source::FileId;
use trailmap::source::yaml;

fn base_files() -> Vec<(String, String)> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/_base");
    [
        "trailmap.yaml",
        "catalog/teams.yaml",
        "catalog/policies.yaml",
        "catalog/fields.yaml",
        "catalog/touchpoints.yaml",
        "catalog/events.yaml",
        "journeys/pickup.yaml",
    ]
    .iter()
    .map(|path| {
        (
            path.to_string(),
            fs::read_to_string(base.join(path)).unwrap(),
        )
    })
    .collect()
}

/// One edit to a file's text: cut a range, insert a YAML-significant snippet, or repeat a line.
#[derive(Debug, Clone)]
enum Mutation {
    Cut(usize, usize),
    Insert(usize, &'static str),
    RepeatLine(usize),
}

const SNIPPETS: &[&str] = &[
    "\t",
    ":",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "<<: *a\n",
    "\"",
    "'",
    "|\n",
    ">-\n",
    "#",
    "\n  ",
    "---\n",
    "~",
    "no",
    "1.10",
    "\u{feff}",
    "\r\n",
    "é",
    "🛒",
    "!!str ",
    "? ",
    ",",
    "%YAML 1.2\n",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0usize..40).prop_map(|(at, len)| Mutation::Cut(at, len)),
        (any::<usize>(), prop::sample::select(SNIPPETS))
            .prop_map(|(at, s)| Mutation::Insert(at, s)),
        any::<usize>().prop_map(Mutation::RepeatLine),
    ]
}

fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &mut String, mutation: &Mutation) {
    match *mutation {
        Mutation::Cut(at, len) => {
            let start = floor_char_boundary(text, at);
            let end = floor_char_boundary(text, (start + len).min(text.len()));
            text.replace_range(start..end.max(start), "");
        }
        Mutation::Insert(at, snippet) => {
            let at = floor_char_boundary(text, at);
            text.insert_str(at, snippet);
        }
        Mutation::RepeatLine(line) => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            if !lines.is_empty() {
                let line = line % lines.len();
                let mut repeated = lines.clone();
                repeated.insert(line, lines[line]);
                *text = repeated.concat();
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn mutated_workspaces_never_panic(file in 0usize..7, mutations in prop::collection::vec(mutation(), 1..6)) {
        let dir = tempfile::tempdir().unwrap();
        for (index, (path, text)) in base_files().into_iter().enumerate() {
            let mut text = text;
            if index == file {
                for mutation in &mutations {
                    apply(&mut text, mutation);
                }
            }
            let target = dir.path().join(&path);
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::write(target, text).unwrap();
        }
        let analysis = analyze(dir.path()).unwrap();
        for diagnostic in &analysis.diagnostics {
            let file = analysis.sources.get(diagnostic.primary.span.file);
            prop_assert!(diagnostic.primary.span.end as usize <= file.text.len());
        }
        trailmap::diagnostics::render_human(&analysis.diagnostics, &analysis.sources, false);
    }

    #[test]
    fn arbitrary_text_never_panics_the_reader(text in "\\PC{0,200}") {
        yaml::parse(FileId(0), &text);
    }
}

/// The third-party corpus: `../shared/realdata` beside the checkout, or `TRAILMAP_REALDATA`.
fn realdata() -> PathBuf {
    let dir = std::env::var_os("TRAILMAP_REALDATA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realdata"),
        PathBuf::from,
    );
    assert!(
        dir.is_dir(),
        "the third-party corpus is expected at {}",
        dir.display()
    );
    dir
}

/// Files under `dir` whose extension is one of `extensions` (`""` matches files without one,
/// like Iglu's `1-0-0` schema versions).
fn files_with_extension(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let extension = path
            .extension()
            .map_or(String::new(), |ext| ext.to_string_lossy().to_string());
        if path.is_dir() {
            found.extend(files_with_extension(&path, extensions));
        } else if extensions.contains(&extension.as_str()) {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// JSON is YAML 1.2: every real JSON schema and tracking plan must read to the same value.
#[test]
fn real_json_files_read_as_serde_json_reads_them() {
    let mut files = files_with_extension(&realdata(), &["json"]);
    files.extend(files_with_extension(
        &realdata().join("iglu-central/schemas"),
        &[""],
    ));
    assert!(files.len() > 600, "{} JSON files", files.len());
    let mut with_duplicate_keys = Vec::new();
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        let expected: serde_json::Value = serde_json::from_str(&text).unwrap();
        let document = yaml::parse(FileId(0), text.trim_start_matches('\u{feff}'));
        for error in &document.errors {
            assert_eq!(
                error.kind,
                yaml::ErrorKind::DuplicateKey,
                "{}: {error:?}",
                path.display()
            );
        }
        if !document.errors.is_empty() {
            with_duplicate_keys.push(
                path.strip_prefix(realdata())
                    .unwrap()
                    .to_string_lossy()
                    .to_string(),
            );
        }
        let actual = document.root.unwrap().to_json();
        assert!(
            same_json(&actual, &expected),
            "{} reads differently",
            path.display()
        );
    }
    // Two published versions of one schema repeat `doc_height` 17 times; serde_json silently
    // keeps one, trailmap reports them.
    assert_eq!(
        with_duplicate_keys,
        [
            "iglu-central/schemas/com.snowplowanalytics.snowplow/elasticsearch_enriched_event/jsonschema/1-0-1",
            "iglu-central/schemas/com.snowplowanalytics.snowplow/elasticsearch_enriched_event/jsonschema/2-0-0",
        ]
    );
}

/// Numbers compare by value (`1.0` in JSON and `1.0` read as YAML are the same number).
fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => x.as_f64() == y.as_f64(),
        (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
        (Object(x), Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// Every real YAML tracking plan and registry (OTel semantic conventions, Glean, RudderStack,
/// OpenTrackPlan, …) reads without a finding.
#[test]
fn real_yaml_files_read_without_errors() {
    let files = files_with_extension(&realdata(), &["yaml", "yml"]);
    assert!(files.len() > 300, "{} YAML files", files.len());
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        let document = yaml::parse(FileId(0), &text);
        assert_eq!(document.errors, vec![], "{}", path.display());
    }
}

/// Found by trying trailmap as a new user: each of these once crashed, hung or misplaced a
/// finding.
#[test]
fn field_inputs_that_once_crashed_end_in_findings() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("trailmap.yaml"), "version: 1\nname: t\n").unwrap();
    fs::create_dir_all(dir.path().join("catalog")).unwrap();
    // An array whose items are itself, with an example that makes its schema be built.
    fs::write(
        dir.path().join("catalog/recursive.yaml"),
        "version: 1\nfields:\n  tags: {type: array, items: tags, examples: [[]]}\n  a: {type: array, items: b, examples: [[]]}\n  b: {type: array, items: a}\n",
    )
    .unwrap();
    // A finding past column 65 535 (minified JSON saved as YAML).
    let long = format!(
        "version: 1\nteams: {{t: {{name: t, contact: c, description: {}, bogus: 1}}}}\n",
        "x".repeat(70_000)
    );
    fs::write(dir.path().join("catalog/long.yaml"), long).unwrap();
    // Thousands of findings in one file render in linear time.
    let many: String = (0..5000)
        .map(|i| format!("  team_{i}: {{name: T, contact: c}}\n"))
        .collect();
    fs::write(
        dir.path().join("catalog/many.yaml"),
        format!("version: 1\nteams:\n{many}"),
    )
    .unwrap();

    let analysis = analyze(dir.path()).unwrap();
    let started = std::time::Instant::now();
    let human =
        trailmap::diagnostics::render_human(&analysis.diagnostics, &analysis.sources, false);
    assert!(
        started.elapsed().as_secs() < 20,
        "rendering took {:?}",
        started.elapsed()
    );
    let long_line = human
        .lines()
        .find(|l| l.contains("`bogus` is not a key"))
        .unwrap();
    let column = "teams: {t: {name: t, contact: c, description: ".len() + 70_000 + ", ".len() + 1;
    assert!(
        long_line.ends_with(&format!("(catalog/long.yaml:2:{column})")),
        "{long_line}"
    );
    assert_eq!(
        analysis
            .diagnostics
            .iter()
            .filter(|d| d.rule.code == "R003")
            .count(),
        5001
    );
}

#[test]
fn a_tab_after_spaces_is_reported_at_the_tab() {
    let document = yaml::parse(
        FileId(0),
        "teams:\n  mobile:\n    name: Mobile app\n    \tcontact: x@y\n",
    );
    assert_eq!(document.errors.len(), 1);
    assert_eq!(document.errors[0].kind, yaml::ErrorKind::TabIndentation);
    assert_eq!(
        document.errors[0].span.start as usize,
        "teams:\n  mobile:\n    name: Mobile app\n    ".len()
    );
}

/// The in-memory loader (the fuzz targets' way in) sees a workspace exactly as the disk
/// loader does.
#[test]
fn a_workspace_in_memory_checks_as_on_disk() {
    let broken = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (index, (path, text)) in base_files().into_iter().enumerate() {
        // A different mistake in each file.
        let text = match index {
            1 => text.replace("ecommerce:", "ecommerce: \"\"\n  ecommerce:"),
            4 => text.replace("owner: ecommerce", "owner: ecomerce"),
            6 => text.replace("sla: 2h", "sla: 2 hours"),
            _ => text,
        };
        let target = broken.path().join(&path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(&target, &text).unwrap();
        files.push((path, text));
    }
    let shown = |analysis: &trailmap::commands::Analysis| {
        trailmap::diagnostics::render_json(&analysis.diagnostics, &analysis.sources)
    };
    let on_disk = analyze(broken.path()).unwrap();
    let in_memory = trailmap::commands::analyze_loaded(trailmap::model::load_files(&files));
    assert!(on_disk.diagnostics.len() >= 3);
    assert_eq!(shown(&in_memory), shown(&on_disk));
}
