use std::path::Path;

use crate::diagnostics::{self, Diagnostic};
use crate::model::{self, LoadError, Loaded};
use crate::plan::{self, Plan};
use crate::rules;
use crate::source::SourceMap;

/// A checked workspace: its files, its plan and every finding, sorted.
pub struct Analysis {
    pub sources: SourceMap,
    pub plan: Plan,
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// Where the workspace's files are on disk, for a workspace loaded from `root`.
    pub fn file_paths(&self, root: &Path) -> Vec<std::path::PathBuf> {
        self.sources
            .files()
            .map(|(_, file)| root.join(&file.path))
            .collect()
    }
}

/// Like [`analyze`], but a workspace that cannot be loaded is reported on `err` and turned into
/// the exit code for it.
pub fn analyze_or_report(root: &Path, err: &mut dyn std::io::Write) -> Result<Analysis, u8> {
    analyze(root).map_err(|error| {
        let _ = writeln!(err, "error: {error}");
        super::exit::FAILURE
    })
}

/// Loads, plans and checks the workspace at `root`.
pub fn analyze(root: &Path) -> Result<Analysis, LoadError> {
    Ok(analyze_loaded(model::load(root)?))
}

/// Plans and checks a workspace already loaded (from disk or from memory).
pub fn analyze_loaded(loaded: Loaded) -> Analysis {
    let mut found = loaded.diagnostics;
    let (plan, plan_diagnostics) = plan::build(loaded.workspace);
    found.extend(plan_diagnostics);
    if !plan.workspace.incomplete {
        found.extend(rules::run(&plan));
    }
    let mut diagnostics = rules::configure(&plan, found);
    diagnostics::sort(&mut diagnostics, &loaded.sources);
    Analysis {
        sources: loaded.sources,
        plan,
        diagnostics,
    }
}
