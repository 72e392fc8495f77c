//! `trailmap validate-events`: report which captured records break the plan.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::check::FailOn;
use super::output::{self, Format, Output};
use super::{analyze_or_report, exit, plural};
use crate::diagnostics::{Counts, Finding, Location, Report, Rule, Unlisted};
use crate::events::{Record, Shape, Validator, Violation};

pub struct ValidateOptions {
    pub dir: PathBuf,
    /// Input files; `-` is standard input.
    pub inputs: Vec<PathBuf>,
    pub shape: Shape,
    pub outputs: Vec<Output>,
    /// How many violations to list; all are counted.
    pub max_errors: Option<usize>,
    pub fail_on: FailOn,
}

#[derive(Serialize)]
struct JsonViolation<'a> {
    file: &'a str,
    line: u64,
    event: Option<&'a str>,
    pointer: &'a str,
    code: &'static str,
    name: &'static str,
    message: &'a str,
}

/// Records, valid and invalid counts and violations by rule, for one event name.
#[derive(Default, Serialize)]
struct EventSummary {
    records: u64,
    valid: u64,
    invalid: u64,
    violations: BTreeMap<&'static str, u64>,
}

#[derive(Default, Serialize)]
struct Totals {
    records: u64,
    valid: u64,
    invalid: u64,
    violations: u64,
    listed: u64,
}

/// "checkout_started at /items/0/price: …": the record's event and the offending value.
fn described(violation: &Violation) -> String {
    let at = if violation.pointer.is_empty() {
        String::new()
    } else {
        format!(" at {}", violation.pointer)
    };
    format!(
        "{}{at}: {}",
        violation.event.as_deref().unwrap_or("(no event)"),
        violation.message
    )
}

fn human_line(file: &str, violation: &Violation) -> String {
    format!(
        "{file}:{}: {} [{} {}]",
        violation.line,
        described(violation),
        violation.rule.code,
        violation.rule.name
    )
}

fn finding(file: &str, violation: &Violation) -> Finding {
    let line = usize::try_from(violation.line).unwrap_or(usize::MAX);
    Finding {
        code: violation.rule.code,
        name: violation.rule.name,
        level: violation.rule.default_level,
        message: described(violation),
        location: Location::line(file.to_string(), line),
        related: Vec::new(),
        help: None,
    }
}

/// Runs the validation; returns the exit code.
pub fn run(options: &ValidateOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let analysis = match analyze_or_report(&options.dir, err) {
        Ok(analysis) => analysis,
        Err(code) => return code,
    };
    if Counts::of(&analysis.diagnostics).errors > 0 {
        let _ = writeln!(
            err,
            "warning: the plan itself has errors (run `trailmap check`); validating against what could be read"
        );
    }
    let validator = Validator::new(&analysis.plan, options.shape.clone());
    let mut summary: BTreeMap<String, EventSummary> = BTreeMap::new();
    let mut totals = Totals::default();
    let names: Vec<String> = options
        .inputs
        .iter()
        .map(|input| input.display().to_string())
        .collect();
    // Listed violations with the index of their input, whose name is looked up when reporting.
    let mut listed: Vec<(usize, Violation)> = Vec::new();
    // Violations beyond `--max-errors`, counted by file and rule for the formats that count.
    let mut unlisted: BTreeMap<(usize, &'static str), (&'static Rule, u64)> = BTreeMap::new();
    let limit = u64::try_from(options.max_errors.unwrap_or(usize::MAX)).unwrap_or(u64::MAX);
    // Violations are printed as they come when the human report is the one on standard output;
    // they are kept only for the other formats, so memory stays flat for a human run.
    let streaming = output::on_stdout(&options.outputs, Format::Human);
    let keeping = options
        .outputs
        .iter()
        .any(|output| output.format != Format::Human);
    for (index, input) in options.inputs.iter().enumerate() {
        let name = &names[index];
        let mut each = |record: Record| {
            totals.records += 1;
            let event = record.event.as_deref().unwrap_or("(malformed)");
            let entry = match summary.get_mut(event) {
                Some(entry) => entry,
                None => summary.entry(event.to_string()).or_default(),
            };
            entry.records += 1;
            if record.violations.is_empty() {
                totals.valid += 1;
                entry.valid += 1;
                return;
            }
            totals.invalid += 1;
            entry.invalid += 1;
            for violation in record.violations {
                totals.violations += 1;
                *entry.violations.entry(violation.rule.code).or_default() += 1;
                if totals.listed >= limit {
                    let rule = violation.rule;
                    unlisted.entry((index, rule.code)).or_insert((rule, 0)).1 += 1;
                } else {
                    totals.listed += 1;
                    if streaming {
                        let _ = writeln!(out, "{}", human_line(name, &violation));
                    }
                    if keeping {
                        listed.push((index, violation));
                    }
                }
            }
        };
        let result = if name == "-" {
            validator.stream(&mut std::io::stdin().lock(), &mut each)
        } else {
            match File::open(input) {
                Ok(mut file) => validator.stream(&mut file, &mut each),
                Err(error) => Err(error),
            }
        };
        if let Err(error) = result {
            let _ = writeln!(err, "error: cannot read {name}: {error}");
            return exit::FAILURE;
        }
    }
    let summary_line = format!(
        "validated {}: {} valid, {} invalid, {}",
        plural(totals.records, "record"),
        totals.valid,
        totals.invalid,
        plural(totals.violations, "violation")
    );
    // CI formats name inputs relative to where trailmap runs, as they name workspace files.
    let shown: Vec<String> = options
        .inputs
        .iter()
        .map(|input| output::shown_path(input))
        .collect();
    let report = Report {
        command: "validate-events",
        rules: crate::events::violations::RULES.to_vec(),
        files: shown.clone(),
        findings: listed
            .iter()
            .map(|(index, violation)| finding(&shown[*index], violation))
            .collect(),
        fail_at: options.fail_on.level(),
        summary: summary_line.clone(),
        unlisted: unlisted
            .into_iter()
            .map(|((index, _), (rule, count))| Unlisted {
                file: shown[index].clone(),
                rule,
                count,
            })
            .collect(),
    };
    let mut read = analysis.file_paths(&options.dir);
    read.extend(options.inputs.iter().cloned());
    let written = output::write_all(
        &options.outputs,
        &read,
        |format| match format {
            Format::Human => human_summary(&summary, &totals, &summary_line),
            Format::Json => json_report(&listed, &names, &summary, &totals),
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
        let _ = writeln!(err, "{summary_line}");
    }
    let failing = totals.invalid > 0 && options.fail_on != FailOn::Never;
    if failing { exit::FINDINGS } else { exit::CLEAN }
}

fn json_report(
    listed: &[(usize, Violation)],
    names: &[String],
    summary: &BTreeMap<String, EventSummary>,
    totals: &Totals,
) -> String {
    let violations: Vec<JsonViolation> = listed
        .iter()
        .map(|(index, v)| JsonViolation {
            file: &names[*index],
            line: v.line,
            event: v.event.as_deref(),
            pointer: &v.pointer,
            code: v.rule.code,
            name: v.rule.name,
            message: &v.message,
        })
        .collect();
    let report =
        serde_json::json!({ "violations": violations, "events": summary, "totals": totals });
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

/// The table of records per event and the closing line; the violations were printed as they
/// came.
fn human_summary(
    summary: &BTreeMap<String, EventSummary>,
    totals: &Totals,
    summary_line: &str,
) -> String {
    let mut out = String::new();
    if totals.listed < totals.violations {
        out.push_str(&format!(
            "… {} more violations not listed (--max-errors)\n",
            totals.violations - totals.listed
        ));
    }
    if !summary.is_empty() {
        let width = summary.keys().map(String::len).max().unwrap_or(5).max(5);
        out.push_str(&format!(
            "\n{:width$}  {:>8}  {:>8}  {:>8}  top violations\n",
            "event", "records", "valid", "invalid"
        ));
        for (event, entry) in summary {
            let mut top: Vec<(&&str, &u64)> = entry.violations.iter().collect();
            top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let top: Vec<String> = top
                .iter()
                .take(3)
                .map(|(code, count)| format!("{code}×{count}"))
                .collect();
            out.push_str(&format!(
                "{event:width$}  {:>8}  {:>8}  {:>8}  {}\n",
                entry.records,
                entry.valid,
                entry.invalid,
                top.join(" ")
            ));
        }
    }
    out.push_str(summary_line);
    out.push('\n');
    out
}
