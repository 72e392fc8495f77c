use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;
use trailmap::commands::check::{self, CheckOptions};
use trailmap::commands::diff::{Baseline, DiffOptions};
use trailmap::commands::output::{self, Output};
use trailmap::commands::{build, diff, exit, import, rules, schema, validate};
use trailmap::diff::Category;
use trailmap::events::Shape;
use trailmap::model::FileKind;

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
        /// How to report findings; may be given more than once, each with its own `--output`.
        #[arg(long, value_enum)]
        format: Vec<Format>,
        /// The file for the `--format` given just before it (default: standard output).
        #[arg(long)]
        output: Vec<PathBuf>,
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
    /// Compare the workspace with a git revision or another folder, and classify each change
    /// as payload, privacy, ownership or docs, breaking or not.
    #[command(group(clap::ArgGroup::new("baseline").required(true).args(["base", "against"])))]
    Diff {
        /// The workspace folder (the one holding trailmap.yaml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The git revision to compare with (`origin/main`, `HEAD~1`, a tag); files are read
        /// from git, the working tree is not touched.
        #[arg(long)]
        base: Option<String>,
        /// Another workspace folder to compare with.
        #[arg(long)]
        against: Option<PathBuf>,
        /// How to report changes; may be given more than once, each with its own `--output`.
        #[arg(long, value_enum)]
        format: Vec<Format>,
        /// The file for the `--format` given just before it (default: standard output).
        #[arg(long)]
        output: Vec<PathBuf>,
        /// Breaking changes of this category or a stricter one (payload > privacy > ownership
        /// > docs) make the exit code 1.
        #[arg(long, value_enum, default_value_t = DiffFailOn::Privacy)]
        fail_on: DiffFailOn,
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
        /// How to report violations; may be given more than once, each with its own `--output`.
        #[arg(long, value_enum)]
        format: Vec<Format>,
        /// The file for the `--format` given just before it (default: standard output).
        #[arg(long)]
        output: Vec<PathBuf>,
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
    /// Print the JSON Schema (draft-07) of one kind of input file, for editors; or write the
    /// schemas of all three into a folder.
    Schema {
        /// The kind of file: the manifest trailmap.yaml, a catalog file or a journey file.
        #[arg(value_enum, required_unless_present = "out", conflicts_with = "out")]
        kind: Option<SchemaKind>,
        /// Write manifest.schema.json, catalog.schema.json and journey.schema.json into this
        /// folder instead.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell to complete in.
        shell: Shell,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    Manifest,
    Catalog,
    Journey,
}

impl From<SchemaKind> for FileKind {
    fn from(kind: SchemaKind) -> Self {
        match kind {
            SchemaKind::Manifest => FileKind::Manifest,
            SchemaKind::Catalog => FileKind::Catalog,
            SchemaKind::Journey => FileKind::Journey,
        }
    }
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
    /// For people at a terminal.
    Human,
    /// The command's documented JSON.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// JUnit XML, one test case per rule and file.
    Junit,
    /// GitLab Code Quality.
    Gitlab,
    /// A Markdown summary.
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFailOn {
    Payload,
    Privacy,
    Ownership,
    Docs,
    Never,
}

impl DiffFailOn {
    fn category(self) -> Option<Category> {
        match self {
            DiffFailOn::Payload => Some(Category::Payload),
            DiffFailOn::Privacy => Some(Category::Privacy),
            DiffFailOn::Ownership => Some(Category::Ownership),
            DiffFailOn::Docs => Some(Category::Docs),
            DiffFailOn::Never => None,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Never,
}

impl From<Format> for output::Format {
    fn from(format: Format) -> Self {
        match format {
            Format::Human => output::Format::Human,
            Format::Json => output::Format::Json,
            Format::Sarif => output::Format::Sarif,
            Format::Github => output::Format::Github,
            Format::Junit => output::Format::Junit,
            Format::Gitlab => output::Format::Gitlab,
            Format::Markdown => output::Format::Markdown,
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

/// The subcommand's `--format` and `--output` arguments, paired by their positions.
fn outputs(matches: &ArgMatches) -> Result<Vec<Output>, String> {
    let Some((_, command)) = matches.subcommand() else {
        return Ok(Vec::new());
    };
    // Commands without `--format` (build, rules) report nothing through outputs.
    let Ok(formats) = command.try_get_many::<Format>("format") else {
        return Ok(Vec::new());
    };
    let formats: Vec<(usize, output::Format)> = command
        .indices_of("format")
        .into_iter()
        .flatten()
        .zip(formats.into_iter().flatten())
        .map(|(at, &format)| (at, format.into()))
        .collect();
    let files: Vec<(usize, PathBuf)> = command
        .indices_of("output")
        .into_iter()
        .flatten()
        .zip(command.get_many::<PathBuf>("output").into_iter().flatten())
        .map(|(at, path)| (at, path.clone()))
        .collect();
    let in_github_actions = std::env::var_os("GITHUB_ACTIONS").is_some_and(|value| value == "true");
    let step_summary = std::env::var_os("GITHUB_STEP_SUMMARY")
        .filter(|_| in_github_actions)
        .map(PathBuf::from);
    output::pair(&formats, &files, step_summary)
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    let outputs = match outputs(&matches) {
        Ok(outputs) => outputs,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(exit::FAILURE);
        }
    };
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
        run(cli, outputs)
    }) {
        Ok(code) => ExitCode::from(code),
        Err(_) => ExitCode::from(2),
    }
}

fn run(cli: Cli, outputs: Vec<Output>) -> u8 {
    match cli.command {
        Command::Check { dir, fail_on, .. } => {
            let options = CheckOptions {
                dir,
                outputs,
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
        Command::Diff {
            dir,
            base,
            against,
            fail_on,
            ..
        } => {
            let baseline = match (base, against) {
                (Some(revision), _) => Baseline::Revision(revision),
                (None, Some(folder)) => Baseline::Folder(folder),
                (None, None) => return exit::FAILURE,
            };
            let options = DiffOptions {
                dir,
                baseline,
                outputs,
                fail_on: fail_on.category(),
            };
            diff::run(
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
            max_errors,
            fail_on,
            ..
        } => {
            let options = validate::ValidateOptions {
                dir,
                inputs,
                shape: Shape {
                    event_key,
                    properties_key,
                },
                outputs,
                max_errors,
                fail_on: fail_on.into(),
            };
            // Violations are printed one line each, possibly millions: buffered, not a write
            // per line.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let code = validate::run(&options, &mut out, &mut std::io::stderr().lock());
            match out.flush() {
                Ok(()) => code,
                Err(_) => exit::FAILURE,
            }
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
        Command::Schema { kind, out } => {
            let (stdout, stderr) = (&mut std::io::stdout().lock(), &mut std::io::stderr().lock());
            match (kind, out) {
                (Some(kind), _) => schema::print(kind.into(), stdout, stderr),
                (None, Some(dir)) => schema::write(&dir, stdout, stderr),
                (None, None) => unreachable!("clap requires a kind or --out"),
            }
        }
        Command::Completions { shell } => {
            // Generated into memory first: clap_complete panics when it cannot write.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "trailmap", &mut script);
            trailmap::commands::print_generated(
                &script,
                "completion script",
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
            )
        }
    }
}
