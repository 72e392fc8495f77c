//! Where reports go: one or more formats, each to standard output or to its own file.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostics::{
    Report, render_github, render_gitlab, render_junit, render_markdown, render_sarif,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// For people at a terminal; each command has its own.
    Human,
    /// The command's documented JSON.
    Json,
    Sarif,
    Github,
    Junit,
    Gitlab,
    Markdown,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::Gitlab => "gitlab",
            Format::Markdown => "markdown",
        }
    }

    /// The formats every command renders the same way, from its [`Report`].
    pub fn render_report(self, report: &Report) -> Option<String> {
        match self {
            Format::Human | Format::Json => None,
            Format::Sarif => Some(render_sarif(report)),
            Format::Github => Some(render_github(report)),
            Format::Junit => Some(render_junit(report)),
            Format::Gitlab => Some(render_gitlab(report)),
            Format::Markdown => Some(render_markdown(report)),
        }
    }
}

/// One report to write: standard output when `path` is `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub format: Format,
    pub path: Option<PathBuf>,
    /// Add to the end of the file instead of replacing it (the GitHub step summary).
    pub append: bool,
}

impl Output {
    pub fn stdout(format: Format) -> Output {
        Output {
            format,
            path: None,
            append: false,
        }
    }
}

/// Pairs each `--output FILE` with the `--format` given just before it on the command line;
/// positions are the arguments' indices. Without any `--format`, the report is human text on
/// standard output, plus, inside GitHub Actions, Markdown appended to the step summary file.
pub fn pair(
    formats: &[(usize, Format)],
    outputs: &[(usize, PathBuf)],
    step_summary: Option<PathBuf>,
) -> Result<Vec<Output>, String> {
    if formats.is_empty() {
        if let Some((_, path)) = outputs.first() {
            return Err(format!(
                "`--output {}` needs a `--format` before it",
                path.display()
            ));
        }
        let mut chosen = vec![Output::stdout(Format::Human)];
        if let Some(path) = step_summary.filter(|path| !path.as_os_str().is_empty()) {
            chosen.push(Output {
                format: Format::Markdown,
                path: Some(path),
                append: true,
            });
        }
        return Ok(chosen);
    }
    let mut chosen: Vec<(usize, Output)> = formats
        .iter()
        .map(|&(at, format)| (at, Output::stdout(format)))
        .collect();
    chosen.sort_by_key(|(at, _)| *at);
    for (at, path) in outputs {
        let Some((_, output)) = chosen
            .iter_mut()
            .rev()
            .find(|(format_at, _)| format_at < at)
        else {
            return Err(format!(
                "`--output {}` needs a `--format` before it",
                path.display()
            ));
        };
        if let Some(previous) = &output.path {
            return Err(format!(
                "`--format {}` has two outputs, {} and {}: give each output its own `--format`",
                output.format.name(),
                previous.display(),
                path.display()
            ));
        }
        if path.as_os_str() == "-" {
            continue;
        }
        output.path = Some(path.clone());
    }
    let mut files: Vec<&PathBuf> = chosen.iter().filter_map(|(_, o)| o.path.as_ref()).collect();
    files.sort();
    if let Some(twice) = files.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(format!(
            "`--output {}` is given for two formats: each needs its own file",
            twice[0].display()
        ));
    }
    let on_stdout: Vec<&str> = chosen
        .iter()
        .filter(|(_, output)| output.path.is_none())
        .map(|(_, output)| output.format.name())
        .collect();
    if on_stdout.len() > 1 {
        return Err(format!(
            "only one format can go to standard output, not {}: add `--output FILE` after the others",
            on_stdout.join(" and ")
        ));
    }
    Ok(chosen.into_iter().map(|(_, output)| output).collect())
}

/// Writes each output's text. Files are staged beside their targets and moved into place only
/// once every one of them could be written, so a bad `--output` leaves nothing half done; a file
/// that is one of the run's own inputs (`read`) is refused. The GitHub step summary is appended
/// last, and failing to write it is only a warning on `err`: it must not change the result.
pub fn write_all(
    outputs: &[Output],
    read: &[PathBuf],
    mut render: impl FnMut(Format) -> String,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), String> {
    let inputs: Vec<PathBuf> = read.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let mut staged = Vec::new();
    for output in outputs.iter().filter(|o| !o.append) {
        let Some(path) = &output.path else {
            continue;
        };
        if path
            .canonicalize()
            .is_ok_and(|target| inputs.contains(&target))
        {
            return Err(format!(
                "refusing to write the {} report over {}, which this run reads",
                output.format.name(),
                path.display()
            ));
        }
        let text = render(output.format);
        staged.push((stage(path, &text)?, path));
    }
    for (file, path) in staged {
        file.persist(path)
            .map_err(|error| format!("cannot write {}: {}", path.display(), error.error))?;
    }
    for output in outputs.iter().filter(|o| o.path.is_none()) {
        out.write_all(render(output.format).as_bytes())
            .and_then(|()| out.flush())
            .map_err(|error| format!("cannot write the report: {error}"))?;
    }
    for output in outputs.iter().filter(|o| o.append) {
        if let Some(path) = &output.path
            && let Err(error) = append(path, &render(output.format))
        {
            let _ = writeln!(
                err,
                "warning: cannot add the summary to {}: {error}",
                path.display()
            );
        }
    }
    Ok(())
}

/// The text in a temporary file in the target's folder, ready to be moved over it.
fn stage(path: &Path, text: &str) -> Result<tempfile::NamedTempFile, String> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let cannot = |error: std::io::Error| format!("cannot write {}: {error}", path.display());
    if path.is_dir() {
        return Err(format!("cannot write {}: it is a folder", path.display()));
    }
    let mut file = tempfile::Builder::new()
        .prefix(".trailmap-report-")
        .tempfile_in(folder)
        .map_err(cannot)?;
    file.write_all(text.as_bytes()).map_err(cannot)?;
    file.flush().map_err(cannot)?;
    Ok(file)
}

fn append(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    file.write_all(text.as_bytes())?;
    file.flush()
}

/// Whether the report on standard output is the given format.
pub fn on_stdout(outputs: &[Output], format: Format) -> bool {
    outputs
        .iter()
        .any(|output| output.format == format && output.path.is_none())
}

/// Whether standard output already ends with the summary line (human text and GitHub
/// annotations do); otherwise it goes to standard error.
pub fn summary_on_stdout(outputs: &[Output]) -> bool {
    on_stdout(outputs, Format::Human) || on_stdout(outputs, Format::Github)
}

/// The workspace folder as a prefix for paths in CI formats, which need paths relative to where
/// trailmap runs (the repository root in CI), not to the workspace.
pub fn path_prefix(dir: &Path) -> String {
    match shown_path(dir).as_str() {
        "" | "." => String::new(),
        shown => format!("{shown}/"),
    }
}

/// A path as CI formats show it: `.` and `..` resolved as written, relative to the current
/// folder when it lies inside it, `/` separators.
pub fn shown_path(path: &Path) -> String {
    let here = std::env::current_dir().unwrap_or_default();
    let absolute = normalized(&here.join(path));
    let shown = absolute
        .strip_prefix(normalized(&here))
        .map_or(absolute.as_path(), |relative| relative);
    shown.to_string_lossy().replace('\\', "/")
}

/// `a/./b/../c` as `a/c`, without looking at the disk (symlinks are left as written).
fn normalized(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> PathBuf {
        PathBuf::from(text)
    }

    #[test]
    fn each_output_belongs_to_the_format_before_it() {
        let outputs = pair(
            &[(1, Format::Github), (3, Format::Sarif), (6, Format::Junit)],
            &[(4, path("a.sarif")), (7, path("junit.xml"))],
            None,
        )
        .unwrap();
        assert_eq!(
            outputs,
            vec![
                Output::stdout(Format::Github),
                Output {
                    format: Format::Sarif,
                    path: Some(path("a.sarif")),
                    append: false
                },
                Output {
                    format: Format::Junit,
                    path: Some(path("junit.xml")),
                    append: false
                },
            ]
        );
    }

    #[test]
    fn mistakes_in_pairing_are_refused() {
        assert!(pair(&[(3, Format::Sarif)], &[(1, path("x"))], None).is_err());
        assert!(
            pair(
                &[(1, Format::Sarif)],
                &[(2, path("x")), (4, path("y"))],
                None
            )
            .is_err()
        );
        assert!(pair(&[(1, Format::Sarif), (3, Format::Github)], &[], None).is_err());
        assert!(pair(&[], &[(1, path("x"))], None).is_err());
    }

    #[test]
    fn without_a_format_github_actions_also_gets_a_step_summary() {
        let outputs = pair(&[], &[], Some(path("summary.md"))).unwrap();
        assert_eq!(outputs[0], Output::stdout(Format::Human));
        assert_eq!(outputs[1].format, Format::Markdown);
        assert!(outputs[1].append);
    }

    #[test]
    fn prefixes_name_the_workspace_folder_once_relative_to_here() {
        let here = std::env::current_dir().unwrap();
        assert_eq!(path_prefix(Path::new(".")), "");
        assert_eq!(path_prefix(Path::new("./plans/")), "plans/");
        assert_eq!(path_prefix(Path::new("a/b")), "a/b/");
        assert_eq!(path_prefix(Path::new("plans/../plans")), "plans/");
        assert_eq!(path_prefix(&here.join("plans")), "plans/");
        assert_eq!(path_prefix(&here), "");
    }

    #[test]
    fn the_same_file_for_two_formats_and_a_dash_are_handled() {
        let twice = pair(
            &[(1, Format::Sarif), (3, Format::Junit)],
            &[(2, path("f")), (4, path("f"))],
            None,
        );
        assert!(twice.is_err());
        let dash = pair(&[(1, Format::Sarif)], &[(2, path("-"))], None).unwrap();
        assert_eq!(dash, vec![Output::stdout(Format::Sarif)]);
        let empty = pair(&[], &[], Some(path(""))).unwrap();
        assert_eq!(empty, vec![Output::stdout(Format::Human)]);
    }
}
