//! What each subcommand does, called by `main.rs` once the arguments are parsed.

mod analyze;
pub mod build;
pub mod check;
pub mod import;
pub mod rules;
pub mod validate;

pub use analyze::{Analysis, analyze, analyze_or_report};

/// "1 event", "2 events".
pub fn plural(count: impl TryInto<u64>, noun: &str) -> String {
    match count.try_into().unwrap_or(u64::MAX) {
        1 => format!("1 {noun}"),
        count => format!("{count} {noun}s"),
    }
}

/// Exit codes shared by every command.
pub mod exit {
    pub const CLEAN: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const FAILURE: u8 = 2;
}
