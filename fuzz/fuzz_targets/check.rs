//! The loader and the whole check on one file of the fixtures' base workspace replaced by the
//! input: the first byte picks the file, the rest is its text. Findings must stay inside their
//! files and render.

#![no_main]

use libfuzzer_sys::fuzz_target;
use trailmap::commands::analyze_loaded;
use trailmap::diagnostics::{render_human, render_json};
use trailmap::model::load_files;

const BASE: &[(&str, &str)] = &[
    ("trailmap.yaml", include_str!("../../tests/fixtures/_base/trailmap.yaml")),
    ("catalog/teams.yaml", include_str!("../../tests/fixtures/_base/catalog/teams.yaml")),
    ("catalog/policies.yaml", include_str!("../../tests/fixtures/_base/catalog/policies.yaml")),
    ("catalog/fields.yaml", include_str!("../../tests/fixtures/_base/catalog/fields.yaml")),
    ("catalog/touchpoints.yaml", include_str!("../../tests/fixtures/_base/catalog/touchpoints.yaml")),
    ("catalog/events.yaml", include_str!("../../tests/fixtures/_base/catalog/events.yaml")),
    ("journeys/pickup.yaml", include_str!("../../tests/fixtures/_base/journeys/pickup.yaml")),
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, text)) = data.split_first() else {
        return;
    };
    let replaced = selector as usize % BASE.len();
    let text = String::from_utf8_lossy(text);
    let files: Vec<(String, String)> = BASE
        .iter()
        .enumerate()
        .map(|(index, (path, base))| {
            let body = if index == replaced { text.to_string() } else { base.to_string() };
            (path.to_string(), body)
        })
        .collect();
    let analysis = analyze_loaded(load_files(&files));
    for diagnostic in &analysis.diagnostics {
        let file = analysis.sources.get(diagnostic.primary.span.file);
        assert!(diagnostic.primary.span.end as usize <= file.text.len());
    }
    render_human(&analysis.diagnostics, &analysis.sources, false);
    render_json(&analysis.diagnostics, &analysis.sources);
});
