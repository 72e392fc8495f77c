//! What each subcommand does, called by `main.rs` once the arguments are parsed.

mod analyze;
pub mod build;
pub mod check;
pub mod diff;
pub mod output;
pub mod rules;
pub mod validate;

pub use crate::diagnostics::plural;
pub use analyze::{Analysis, analyze, analyze_or_report};

/// Exit codes shared by every command.
pub mod exit {
    pub const CLEAN: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const FAILURE: u8 = 2;
}
