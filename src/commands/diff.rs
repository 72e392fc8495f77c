//! `trailmap diff`: the changes between the workspace and a git revision (or another folder),
//! classified by what they break.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::output::{self, Format, Output};
use super::{Analysis, analyze_or_report, exit, plural};
use crate::diagnostics::{Counts, Finding, Level, Location, Report, markdown_cell};
use crate::diff::{self, Category, Change, Side, Versions};

/// What the workspace is compared with.
pub enum Baseline {
    /// The same folder at a git revision, read from git.
    Revision(String),
    /// Another folder.
    Folder(PathBuf),
}

pub struct DiffOptions {
    pub dir: PathBuf,
    pub baseline: Baseline,
    pub outputs: Vec<Output>,
    /// Breaking changes of this category or a stricter one exit with 1; `None` never does.
    pub fail_on: Option<Category>,
}

/// A change with its place resolved in the version it points into.
#[derive(Serialize)]
struct Located {
    code: &'static str,
    name: &'static str,
    category: Category,
    breaking: bool,
    message: String,
    side: Side,
    #[serde(flatten)]
    location: Location,
}

/// One version of the workspace, with the prefix its paths are shown with.
struct Version<'a> {
    analysis: &'a Analysis,
    prefix: String,
}

fn locate(change: &Change, base: &Version<'_>, head: &Version<'_>) -> Located {
    let version = match change.side {
        Side::Base => base,
        Side::Head => head,
    };
    let (sources, prefix) = (&version.analysis.sources, &version.prefix);
    let (start, end) = sources.position(change.span);
    Located {
        code: change.kind.rule.code,
        name: change.kind.rule.name,
        category: change.kind.category,
        breaking: change.kind.breaking,
        message: change.message.clone(),
        side: change.side,
        location: Location {
            file: format!("{prefix}{}", sources.get(change.span.file).path),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            label: String::new(),
        },
    }
}

/// "2 breaking (1 payload, 1 privacy), 3 non-breaking".
fn tally(changes: &[Located]) -> String {
    let mut breaking: BTreeMap<std::cmp::Reverse<Category>, usize> = BTreeMap::new();
    for change in changes.iter().filter(|c| c.breaking) {
        *breaking
            .entry(std::cmp::Reverse(change.category))
            .or_default() += 1;
    }
    let total: usize = breaking.values().sum();
    let compatible = changes.len() - total;
    if changes.is_empty() {
        return "no changes".to_string();
    }
    let by_category: Vec<String> = breaking
        .iter()
        .map(|(category, count)| format!("{count} {}", category.0.as_str()))
        .collect();
    let breaking = if total == 0 {
        "0 breaking".to_string()
    } else {
        format!("{total} breaking ({})", by_category.join(", "))
    };
    format!("{breaking}, {compatible} non-breaking")
}

fn where_(change: &Located, base_name: &str) -> String {
    let at = &change.location;
    let side = match change.side {
        Side::Base => format!(" (in {base_name})"),
        Side::Head => String::new(),
    };
    format!("{}:{}:{}{side}", at.file, at.line, at.column)
}

/// The changes grouped as reports list them: breaking ones by category, strictest first
/// (`Some`), then the non-breaking ones (`None`); empty groups left out.
fn sections(changes: &[Located]) -> Vec<(Option<Category>, Vec<&Located>)> {
    let breaking = Category::STRICTEST_FIRST.map(|category| {
        let listed = changes
            .iter()
            .filter(|c| c.breaking && c.category == category)
            .collect();
        (Some(category), listed)
    });
    let compatible = (None, changes.iter().filter(|c| !c.breaking).collect());
    breaking
        .into_iter()
        .chain([compatible])
        .filter(|(_, listed): &(_, Vec<&Located>)| !listed.is_empty())
        .collect()
}

fn human(changes: &[Located], base_name: &str, summary: &str) -> String {
    let mut out = String::new();
    for (category, listed) in sections(changes) {
        match category {
            Some(category) => {
                let _ = writeln!(out, "breaking — {}:", category.as_str());
            }
            None => out.push_str("non-breaking:\n"),
        }
        for change in listed {
            let _ = writeln!(
                out,
                "  {} {}: {}\n      at {}",
                change.code,
                change.name,
                change.message,
                where_(change, base_name)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{summary}");
    out
}

fn markdown(changes: &[Located], base_name: &str, summary: &str) -> String {
    let mut out = format!(
        "### trailmap diff against `{}`\n\n{summary}\n",
        base_name.replace('`', "'")
    );
    for (category, listed) in sections(changes) {
        let title = match category {
            Some(category) => format!("Breaking: {}", category.as_str()),
            None => "Non-breaking".to_string(),
        };
        let _ = write!(
            out,
            "\n#### {title}\n\n| change | where | rule |\n|---|---|---|\n"
        );
        for change in listed {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} {} |",
                markdown_cell(&change.message),
                markdown_cell(&where_(change, base_name)).replace('`', "'"),
                change.code,
                change.name
            );
        }
    }
    out
}

/// Runs the comparison and writes its reports; returns the exit code.
pub fn run(options: &DiffOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let head = match analyze_or_report(&options.dir, err) {
        Ok(analysis) => analysis,
        Err(code) => return code,
    };
    // Kept alive until the end: the base's files live in it.
    let mut exported = None;
    let (base_root, base_name) = match &options.baseline {
        Baseline::Folder(folder) => (folder.clone(), folder.display().to_string()),
        Baseline::Revision(revision) => {
            let folder = match tempfile::tempdir() {
                Ok(folder) => folder,
                Err(error) => {
                    let _ = writeln!(err, "error: cannot create a temporary folder: {error}");
                    return exit::FAILURE;
                }
            };
            if let Err(message) = diff::git::export(&options.dir, revision, folder.path()) {
                let _ = writeln!(err, "error: {message}");
                return exit::FAILURE;
            }
            let root = folder.path().to_path_buf();
            exported = Some(folder);
            (root, revision.clone())
        }
    };
    let base = match analyze_or_report(&base_root, err) {
        Ok(analysis) => analysis,
        Err(code) => return code,
    };
    for (analysis, name) in [(&base, base_name.as_str()), (&head, "the workspace")] {
        if analysis.plan.workspace.incomplete {
            let _ = writeln!(
                err,
                "error: {name} has files that cannot be read or parsed (run `trailmap check`): \
their items would all look removed or added"
            );
            return exit::FAILURE;
        }
        if Counts::of(&analysis.diagnostics).errors > 0 {
            let _ = writeln!(
                err,
                "warning: {name} has errors (run `trailmap check`); comparing what could be read"
            );
        }
    }
    let prefix = output::path_prefix(&options.dir);
    // A revision's files sit where the workspace's do; another folder's are shown as they are.
    let base_prefix = match &options.baseline {
        Baseline::Revision(_) => prefix.clone(),
        Baseline::Folder(folder) => output::path_prefix(folder),
    };
    let base_version = Version {
        analysis: &base,
        prefix: base_prefix,
    };
    let head_version = Version {
        analysis: &head,
        prefix: prefix.clone(),
    };
    let changes: Vec<Located> = diff::compare(&Versions {
        base: &base.plan,
        head: &head.plan,
    })
    .iter()
    .map(|change| locate(change, &base_version, &head_version))
    .collect();
    let summary = format!("compared with {base_name}: {}", tally(&changes));
    let failing = |change: &Located| {
        change.breaking
            && options
                .fail_on
                .is_some_and(|threshold| change.category >= threshold)
    };
    let report = Report {
        command: "diff",
        rules: diff::rules()
            .into_iter()
            .filter(|kind| kind.breaking)
            .map(|kind| &kind.rule)
            .collect(),
        files: head
            .sources
            .files()
            .map(|(_, file)| format!("{prefix}{}", file.path))
            .collect(),
        findings: changes
            .iter()
            .filter(|change| change.breaking)
            .map(|change| Finding {
                code: change.code,
                name: change.name,
                level: if failing(change) {
                    Level::Error
                } else {
                    Level::Warning
                },
                message: format!("{} change: {}", change.category.as_str(), change.message),
                location: change.location.clone(),
                related: Vec::new(),
                help: None,
            })
            .collect(),
        fail_at: Some(Level::Error),
        summary: summary.clone(),
        unlisted: Vec::new(),
    };
    let mut read = head.file_paths(&options.dir);
    if let Baseline::Folder(folder) = &options.baseline {
        read.extend(base.file_paths(folder));
    }
    let written = output::write_all(
        &options.outputs,
        &read,
        |format| match format {
            Format::Human => human(&changes, &base_name, &summary),
            Format::Markdown => markdown(&changes, &base_name, &summary),
            Format::Json => {
                let json = serde_json::json!({
                    "base": base_name,
                    "changes": changes,
                    "summary": summary,
                });
                let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
                text.push('\n');
                text
            }
            other => other.render_report(&report).unwrap_or_default(),
        },
        out,
        err,
    );
    drop(exported);
    if let Err(message) = written {
        let _ = writeln!(err, "error: {message}");
        return exit::FAILURE;
    }
    if !output::summary_on_stdout(&options.outputs) {
        let _ = writeln!(err, "{summary}");
    }
    let failed = changes.iter().filter(|change| failing(change)).count();
    if failed > 0 {
        let _ = writeln!(
            err,
            "{} at or above the --fail-on threshold",
            plural(failed, "breaking change")
        );
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}
