//! `cargo bench --bench check [-- DIR]`: how long `check` and `build` take on a workspace
//! (default: the example), against the floor of only reading and parsing its YAML files,
//! measured in the same run. Prints the median of many runs and the ratios.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use trailmap::commands::analyze;
use trailmap::generate::{self, GROUPS, catalog, output};
use trailmap::source::{FileId, discover, read_text, yaml};

/// Reads and parses every YAML file of the workspace, in parallel, and nothing else.
fn parse_only(root: &Path) -> usize {
    let files = discover(root);
    let paths: Vec<PathBuf> = std::iter::once(root.join("trailmap.yaml"))
        .chain(
            files
                .catalog
                .iter()
                .chain(&files.journeys)
                .map(|p| root.join(p)),
        )
        .collect();
    paths
        .par_iter()
        .enumerate()
        .map(|(index, path)| {
            let text = read_text(path).unwrap_or_default();
            let document = yaml::parse(FileId(index as u32), &text);
            usize::from(document.root.is_some())
        })
        .sum()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn measure(runs: usize, mut work: impl FnMut()) -> Duration {
    work();
    median(
        (0..runs)
            .map(|_| {
                let started = Instant::now();
                work();
                started.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let root = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with('-'))
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    let runs = 101;
    let parse = measure(runs, || {
        std::hint::black_box(parse_only(&root));
    });
    let check = measure(runs, || {
        std::hint::black_box(analyze(&root).expect("a workspace").diagnostics.len());
    });
    let out = std::env::temp_dir().join(format!("trailmap-bench-{}", std::process::id()));
    let build = measure(runs, || {
        let analysis = analyze(&root).expect("a workspace");
        let compiled = catalog::compile(&analysis.plan);
        let outputs =
            generate::render(&analysis.plan, &compiled, GROUPS, &[]).expect("templates render");
        output::write(&out, &root, &outputs).expect("the build is written");
    });
    let _ = std::fs::remove_dir_all(&out);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("workspace: {}", root.display());
    println!(
        "median of {runs} runs, {} threads",
        rayon::current_num_threads()
    );
    println!("read + parse YAML (floor): {:8.2} ms", ms(parse));
    println!("check (end to end):        {:8.2} ms", ms(check));
    println!("build (check + write all): {:8.2} ms", ms(build));
    println!("check / parse:             {:8.2}x", ms(check) / ms(parse));
    println!("build / parse:             {:8.2}x", ms(build) / ms(parse));
}
