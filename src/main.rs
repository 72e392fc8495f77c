use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use trailmap::commands::check::{self, CheckOptions};
use trailmap::commands::{build, import, rules, validate};
use trailmap::events::Shape;

/// Compile customer-journey maps and analytics tracking plans: check naming, references,
/// ownership, SLAs, consent and retention.
#[derive(Parser)]
#[command(name = "trailmap", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a workspace and report every finding.
    Check {
        /// The workspace folder (the one holding trailmap.yaml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// How to print findings.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// The lowest level that makes the exit code 1.
        #[arg(long, value_enum, default_value_t = FailOn::Error)]
        fail_on: FailOn,
    },
    /// Check the workspace, then write JSON Schemas, TypeScript types, docs, graphs and the
    /// catalog into the output folder, replacing the previous build only when complete.
    Build {
        /// The workspace folder (the one holding trailmap.yaml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The output folder (default: `dist` in the workspace); refused if it holds files
        /// trailmap did not write.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Only these output groups: schemas, datalayer, docs, graphs, catalog, site, iglu,
        /// asyncapi, odcs, dbt.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// A folder of templates overriding the built-in ones (same names).
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Build even when the check finds errors.
        #[arg(long)]
        force: bool,
    },
    /// Validate captured events (NDJSON, one record per line) against the plan's schemas.
    ValidateEvents {
        /// NDJSON files; `-` reads standard input.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The workspace folder (the one holding trailmap.yaml).
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// The key holding the event name.
        #[arg(long, default_value = "event")]
        event_key: String,
        /// A key holding the properties as an object (`properties` for Segment and RudderStack);
        /// by default the properties are the record's other keys.
        #[arg(long)]
        properties_key: Option<String>,
        /// How to print violations.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// List at most this many violations (all are still counted).
        #[arg(long)]
        max_errors: Option<usize>,
        /// `never` exits 0 even when records are invalid.
        #[arg(long, value_enum, default_value_t = FailOn::Error)]
        fail_on: FailOn,
    },
    /// Import a tracking plan from another tool into a new trailmap workspace.
    Import {
        /// The source format.
        #[arg(value_enum)]
        kind: ImportKind,
        /// The source: a folder (Iglu repository, JSON Schemas, rudder-cli project) or a plan
        /// file (Segment or RudderTyper JSON).
        path: PathBuf,
        /// The new workspace folder (must not exist or be empty).
        #[arg(long)]
        out: PathBuf,
        /// Iglu: import every version of each schema, not only the latest.
        #[arg(long)]
        all_versions: bool,
    },
    /// List every rule with its code, name, default level and summary.
    Rules {
        /// Print the catalog as JSON, explanations included.
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Explain a rule (by code such as R001 or name such as unknown-reference), or all rules.
    Explain {
        /// The rule's code or name.
        rule: Option<String>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ImportKind {
    Iglu,
    Jsonschema,
    Segment,
    Rudderstack,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Never,
}

impl From<Format> for check::Format {
    fn from(format: Format) -> Self {
        match format {
            Format::Human => check::Format::Human,
            Format::Json => check::Format::Json,
        }
    }
}

impl From<FailOn> for check::FailOn {
    fn from(fail_on: FailOn) -> Self {
        match fail_on {
            FailOn::Error => check::FailOn::Error,
            FailOn::Warning => check::FailOn::Warning,
            FailOn::Never => check::FailOn::Never,
        }
    }
}

/// Colors for a stream that is a terminal, unless the user set `NO_COLOR`.
fn colors_on(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A bug must not end in a bare panic message and exit code 101: say what happened, ask for
    // a report, and exit 2. RUST_BACKTRACE=1 shows the backtrace as usual.
    if std::env::var_os("RUST_BACKTRACE").is_none() {
        std::panic::set_hook(Box::new(|info| {
            eprintln!(
                "error: internal error in trailmap ({info}); please report it with the input that caused it"
            );
        }));
    }
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(_) => ExitCode::from(2),
    }
}

fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check {
            dir,
            format,
            fail_on,
        } => {
            let options = CheckOptions {
                dir,
                format: format.into(),
                fail_on: fail_on.into(),
                color: colors_on(std::io::stdout().is_terminal()),
            };
            check::run(
                &options,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
            )
        }
        Command::Build {
            dir,
            out,
            only,
            templates,
            force,
        } => {
            let out = out.unwrap_or_else(|| dir.join("dist"));
            let options = build::BuildOptions {
                dir,
                out,
                only,
                templates,
                force,
                color: colors_on(std::io::stderr().is_terminal()),
            };
            build::run(
                &options,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
            )
        }
        Command::ValidateEvents {
            inputs,
            dir,
            event_key,
            properties_key,
            format,
            max_errors,
            fail_on,
        } => {
            let options = validate::ValidateOptions {
                dir,
                inputs,
                shape: Shape {
                    event_key,
                    properties_key,
                },
                format: format.into(),
                max_errors,
                fail_on: fail_on.into(),
            };
            validate::run(
                &options,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
            )
        }
        Command::Import {
            kind,
            path,
            out,
            all_versions,
        } => {
            let kind = match kind {
                ImportKind::Iglu => "iglu",
                ImportKind::Jsonschema => "jsonschema",
                ImportKind::Segment => "segment",
                ImportKind::Rudderstack => "rudderstack",
            };
            let options = import::ImportOptions {
                kind: kind.into(),
                path,
                out,
                all_versions,
            };
            import::run(
                &options,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
            )
        }
        Command::Rules { format } => {
            rules::list(format == ListFormat::Json, &mut std::io::stdout().lock())
        }
        Command::Explain { rule } => rules::explain(
            rule.as_deref(),
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        ),
    }
}
