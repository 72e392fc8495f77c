//! `trailmap build`: check the workspace, then write every output at once.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{analyze_or_report, exit};
use crate::diagnostics::{Counts, render_human};
use crate::generate::{self, GROUPS, catalog, output};

pub struct BuildOptions {
    pub dir: PathBuf,
    pub out: PathBuf,
    /// Output groups to write (`schemas`, `docs`, …); all when empty.
    pub only: Vec<String>,
    pub templates: Option<PathBuf>,
    /// Build even when the check finds errors.
    pub force: bool,
    pub color: bool,
}

/// Runs the build; returns the exit code.
pub fn run(options: &BuildOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if let Some(unknown) = options
        .only
        .iter()
        .find(|group| !GROUPS.contains(&group.as_str()))
    {
        let _ = writeln!(
            err,
            "error: `{unknown}` is not an output group; use {}",
            GROUPS.join(", ")
        );
        return exit::FAILURE;
    }
    let analysis = match analyze_or_report(&options.dir, err) {
        Ok(analysis) => analysis,
        Err(code) => return code,
    };
    let counts = Counts::of(&analysis.diagnostics);
    if counts.errors > 0 {
        let _ = write!(
            err,
            "{}",
            render_human(&analysis.diagnostics, &analysis.sources, options.color)
        );
        if !options.force {
            let _ = writeln!(
                err,
                "build stopped: the check found {} error(s); fix them, or build anyway with --force",
                counts.errors
            );
            return exit::FINDINGS;
        }
    }
    let groups: Vec<&str> = if options.only.is_empty() {
        GROUPS.to_vec()
    } else {
        options.only.iter().map(String::as_str).collect()
    };
    let workspace_templates = options.dir.join("templates");
    let mut template_dirs: Vec<&Path> = Vec::new();
    if workspace_templates.is_dir() {
        template_dirs.push(&workspace_templates);
    }
    if let Some(dir) = &options.templates {
        template_dirs.push(dir);
    }
    let compiled = catalog::compile(&analysis.plan);
    let outputs = match generate::render(&analysis.plan, &compiled, &groups, &template_dirs) {
        Ok(outputs) => outputs,
        Err(error) => {
            let _ = writeln!(err, "error: {error}");
            return exit::FAILURE;
        }
    };
    if let Err(error) = output::write(&options.out, &options.dir, &outputs) {
        let _ = writeln!(err, "error: {error}");
        return exit::FAILURE;
    }
    let mut per_group: Vec<(String, usize)> = Vec::new();
    for path in outputs.files.keys() {
        let group = path
            .split('/')
            .next()
            .unwrap_or_default()
            .trim_end_matches(".json")
            .to_string();
        match per_group.iter_mut().find(|(g, _)| *g == group) {
            Some((_, count)) => *count += 1,
            None => per_group.push((group, 1)),
        }
    }
    let parts: Vec<String> = per_group
        .iter()
        .map(|(group, count)| format!("{group} {count}"))
        .collect();
    let _ = writeln!(
        out,
        "wrote {} files ({} KiB) to {}: {}",
        outputs.files.len(),
        outputs.total_bytes().div_ceil(1024),
        options.out.display(),
        parts.join(", ")
    );
    exit::CLEAN
}
