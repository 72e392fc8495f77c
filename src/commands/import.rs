//! `trailmap import`: write a workspace from another tool's tracking plan.

use std::io::Write;

use super::{exit, plural};
pub use crate::import::ImportOptions;
use crate::import::{self, write::REPORT};

/// Runs the import; returns the exit code.
pub fn run(options: &ImportOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match import::import(options) {
        Ok((_, _, summary)) => {
            let _ = writeln!(
                out,
                "imported {} and {} into {}; skipped {}; {} in {} not represented (see {REPORT})",
                plural(summary.events, "event"),
                plural(summary.fields, "field"),
                options.out.display(),
                plural(summary.skipped, "item"),
                plural(summary.losses, "detail"),
                plural(summary.events_with_losses, "event"),
            );
            let _ = writeln!(
                out,
                "owners and classifications are placeholders: `trailmap check {}` lists them",
                options.out.display()
            );
            exit::CLEAN
        }
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            exit::FAILURE
        }
    }
}
