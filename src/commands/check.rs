//! `trailmap check`: report every finding of a workspace.

use std::io::Write;
use std::path::PathBuf;

use super::output::{self, Format, Output};
use super::{analyze_or_report, exit, plural};
use crate::diagnostics::{Counts, Finding, Level, Report, render_human, render_json};
use crate::rules;

/// The lowest level that makes a command exit with 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

impl FailOn {
    pub fn level(self) -> Option<Level> {
        match self {
            FailOn::Error => Some(Level::Error),
            FailOn::Warning => Some(Level::Warning),
            FailOn::Never => None,
        }
    }
}

pub struct CheckOptions {
    pub dir: PathBuf,
    pub outputs: Vec<Output>,
    pub fail_on: FailOn,
    pub color: bool,
}

/// Runs the check and writes its reports; returns the exit code.
pub fn run(options: &CheckOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let analysis = match analyze_or_report(&options.dir, err) {
        Ok(analysis) => analysis,
        Err(code) => return code,
    };
    let counts = Counts::of(&analysis.diagnostics);
    let workspace = &analysis.plan.workspace;
    let summary = format!(
        "checked {}, {}, {}, {} in {}: {}, {}",
        plural(workspace.journeys.len(), "journey"),
        plural(workspace.touchpoints.len(), "touchpoint"),
        plural(workspace.events.len(), "event"),
        plural(workspace.fields.len(), "field"),
        plural(analysis.sources.files().count(), "file"),
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
    );
    let summary = if workspace.incomplete {
        format!(
            "{summary}\nreference and governance checks were skipped: fix the files that cannot be read or parsed, then check again"
        )
    } else {
        summary
    };
    let prefix = output::path_prefix(&options.dir);
    let report = Report {
        command: "check",
        rules: rules::check_rules(),
        files: analysis
            .sources
            .files()
            .map(|(_, file)| format!("{prefix}{}", file.path))
            .collect(),
        findings: Finding::all(&analysis.diagnostics, &analysis.sources, &prefix),
        fail_at: options.fail_on.level(),
        summary: summary.clone(),
        unlisted: Vec::new(),
    };
    let read = analysis.file_paths(&options.dir);
    let written = output::write_all(
        &options.outputs,
        &read,
        |format| match format {
            Format::Human => {
                let text = render_human(&analysis.diagnostics, &analysis.sources, options.color);
                format!("{text}{summary}\n")
            }
            Format::Json => render_json(&analysis.diagnostics, &analysis.sources),
            other => other.render_report(&report).unwrap_or_default(),
        },
        out,
        err,
    );
    if let Err(message) = written {
        let _ = writeln!(err, "error: {message}");
        return exit::FAILURE;
    }
    if !output::summary_on_stdout(&options.outputs) {
        let _ = writeln!(err, "{summary}");
    }
    let failing = report
        .findings
        .iter()
        .filter(|finding| report.fails(finding))
        .count();
    if failing > 0 {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}
