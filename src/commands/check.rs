//! `trailmap check`: report every finding of a workspace.

use std::io::Write;
use std::path::PathBuf;

use super::{analyze_or_report, exit, plural};
use crate::diagnostics::{Counts, render_human, render_json};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// The lowest level that makes `check` exit with 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

pub struct CheckOptions {
    pub dir: PathBuf,
    pub format: Format,
    pub fail_on: FailOn,
    pub color: bool,
}

/// Runs the check and writes its report; returns the exit code.
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
    let written = match options.format {
        Format::Human => {
            let report = render_human(&analysis.diagnostics, &analysis.sources, options.color);
            write!(out, "{report}").and_then(|()| writeln!(out, "{summary}"))
        }
        Format::Json => {
            let report = render_json(&analysis.diagnostics, &analysis.sources);
            write!(out, "{report}").and_then(|()| writeln!(err, "{summary}"))
        }
    };
    if let Err(error) = written {
        let _ = writeln!(err, "error: cannot write the report: {error}");
        return exit::FAILURE;
    }
    let failing = match options.fail_on {
        FailOn::Error => counts.errors,
        FailOn::Warning => counts.errors + counts.warnings,
        FailOn::Never => 0,
    };
    if failing > 0 {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}
