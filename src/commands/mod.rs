//! What each subcommand does, called by `main.rs` once the arguments are parsed.

mod analyze;
pub mod build;
pub mod check;
pub mod rules;
pub mod schema;
pub mod validate;

use std::io::Write;

pub use analyze::{Analysis, analyze, analyze_or_report};

/// "1 event", "2 events".
pub fn plural(count: impl TryInto<u64>, noun: &str) -> String {
    match count.try_into().unwrap_or(u64::MAX) {
        1 => format!("1 {noun}"),
        count => format!("{count} {noun}s"),
    }
}

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
