use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use trailmap::commands::check::{self, CheckOptions};
use trailmap::commands::{build, rules, validate};
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
        /// Only these output groups: schemas, datalayer, docs, graphs, catalog.
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
    // a report, and exit 2. RUST_BACKTRACE=1 (or any value but 0) shows the usual message and
    // backtrace.
    let backtrace_asked = std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0");
    if !backtrace_asked {
        std::panic::set_hook(Box::new(|info| {
            let payload = info.payload();
            let what = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("a panic");
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            // One line, whatever the message holds.
            let what = what.split_whitespace().collect::<Vec<_>>().join(" ");
            eprintln!(
                "error: internal error in trailmap ({what}{at}); please report it with the input that caused it"
            );
        }));
    }
    match std::panic::catch_unwind(|| {
        // How the tests reach this path without a bug to trigger it.
        if std::env::var_os("TRAILMAP_TEST_INTERNAL_ERROR").is_some() {
            panic!("internal error requested by TRAILMAP_TEST_INTERNAL_ERROR");
        }
        run(cli)
    }) {
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
