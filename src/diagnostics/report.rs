//! One run's findings with what the CI formats need around them: the rules that ran, the files
//! looked at and a summary line.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::{Finding, Level, Rule};

pub struct Report {
    /// The command that produced the report (`check`, `diff`, `validate-events`).
    pub command: &'static str,
    /// The rules this run applied, in code order: SARIF's rule list, JUnit's test cases.
    pub rules: Vec<&'static Rule>,
    /// Every file looked at, so that a file without findings shows as passing.
    pub files: Vec<String>,
    pub findings: Vec<Finding>,
    /// Findings at or above this level fail the run; `None` when nothing fails it.
    pub fail_at: Option<Level>,
    /// One line saying what was looked at and what was found.
    pub summary: String,
    /// Findings counted but not listed (`--max-errors`), by file and rule: formats that count
    /// by rule (JUnit, Markdown) add them, so a cap never turns a failing rule into a passing one.
    pub unlisted: Vec<Unlisted>,
}

/// How many findings of one rule in one file were counted but not listed.
pub struct Unlisted {
    pub file: String,
    pub rule: &'static Rule,
    pub count: u64,
}

impl Report {
    pub fn fails(&self, finding: &Finding) -> bool {
        self.fail_at.is_some_and(|level| finding.level >= level)
    }

    /// How many findings were counted but not listed, in all.
    pub fn unlisted_total(&self) -> u64 {
        self.unlisted.iter().map(|unlisted| unlisted.count).sum()
    }

    /// A stable identity per finding that survives lines moving: rule, file and message, plus
    /// an occurrence number for identical ones. Code-scanning and Code Quality use it to tell
    /// new findings from old ones.
    pub fn fingerprints(&self) -> Vec<String> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        self.findings
            .iter()
            .map(|finding| {
                let identity = format!(
                    "{}\0{}\0{}",
                    finding.code, finding.location.file, finding.message
                );
                let occurrence = seen.entry(identity.clone()).or_default();
                *occurrence += 1;
                let digest = Sha256::digest(format!("{identity}\0{occurrence}"));
                digest[..16]
                    .iter()
                    .map(|byte| format!("{byte:02x}"))
                    .collect()
            })
            .collect()
    }

    /// The message with its help on a second line, for formats that have one text field.
    pub fn full_message(finding: &Finding) -> String {
        match &finding.help {
            Some(help) => format!("{}\nhelp: {help}", finding.message),
            None => finding.message.clone(),
        }
    }
}
