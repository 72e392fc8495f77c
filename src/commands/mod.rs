//! What each subcommand does, called by `main.rs` once the arguments are parsed.

mod analyze;
pub mod build;
pub mod check;
pub mod diff;
pub mod import;
pub mod output;
pub mod rules;
pub mod schema;
pub mod validate;

use std::io::Write;

pub use crate::diagnostics::plural;
pub use analyze::{Analysis, analyze, analyze_loaded, analyze_or_report};

/// Writes a generated text (a schema, a completion script) to `out`; a failed write is reported
/// on `err` and exits 2.
pub fn print_generated(text: &[u8], what: &str, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match out.write_all(text).and_then(|()| out.flush()) {
        Ok(()) => exit::CLEAN,
        Err(error) => {
            let _ = writeln!(err, "error: cannot write the {what}: {error}");
            exit::FAILURE
        }
    }
}

/// Exit codes shared by every command.
pub mod exit {
    pub const CLEAN: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const FAILURE: u8 = 2;
}
