//! The synthetic workspaces of the scale benchmark (`benches/support/synth.rs`): the valid one
//! must stay clean and the broken one must stay broken in many ways, or the benchmark would
//! measure something else than a real plan.

#[path = "../benches/support/synth.rs"]
mod synth;

use std::collections::BTreeSet;

use synth::Size;
use trailmap::commands::analyze;

#[test]
fn the_generated_workspace_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    let written = synth::generate(
        dir.path(),
        Size {
            events: 200,
            broken: false,
        },
    );
    assert_eq!(written.events, 200);
    assert!(written.files > 10, "{written:?}");
    let analysis = analyze(dir.path()).unwrap();
    let found: Vec<String> = analysis
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.rule.code, d.message))
        .collect();
    assert_eq!(found, Vec::<String>::new());
    assert_eq!(analysis.plan.workspace.events.len(), 200);
    assert_eq!(analysis.plan.workspace.journeys.len(), written.journeys);
}

#[test]
fn the_broken_variant_has_findings_of_many_rules() {
    let dir = tempfile::tempdir().unwrap();
    synth::generate(
        dir.path(),
        Size {
            events: 1000,
            broken: true,
        },
    );
    let analysis = analyze(dir.path()).unwrap();
    let codes: BTreeSet<&str> = analysis.diagnostics.iter().map(|d| d.rule.code).collect();
    assert!(codes.len() >= 10, "{codes:?}");
    assert!(
        analysis.diagnostics.len() < 100,
        "{} findings",
        analysis.diagnostics.len()
    );
}
