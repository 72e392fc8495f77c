//! `cargo bench --bench check [-- DIR]`: how long `check` and `build` take on a workspace
//! (default: the example), against the floor of only reading and parsing its YAML files,
//! measured in the same run. Prints the median of many runs and the ratios.

mod support;

use std::path::PathBuf;

use support::{measure, ms, parse_only};
use trailmap::commands::analyze;
use trailmap::generate::{self, GROUPS, catalog, output};

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
