//! `cargo bench --bench scale [-- --sizes 1000,10000,50000] [--runs N] [--broken]`: how
//! `check` and `build` grow with the size of a plan, on synthetic workspaces written by
//! `support/synth.rs` (per N events: 2N fields, N/5 touchpoints, N/20 journeys with ten handoffs
//! each, over many files).
//!
//! For each size it reports, measured in the same run: the floor (read and parse every YAML
//! file, in parallel), `trailmap check` and `trailmap build` run as the release binary (median
//! wall time over the runs), their ratios to the floor, their peak resident memory (from
//! `wait4`) against the total YAML size, and how each time grows from one size to the next.
//!
//! `cargo bench --bench scale -- --generate DIR --events N [--broken]` only writes a workspace.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::synth::{self, Size};
use support::{measure, median, ms, parse_only};

/// Runs the command to completion; returns its wall time, its peak resident set size in bytes
/// and its exit code.
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives its resource usage
fn run_child(command: &mut Command) -> (Duration, u64, i32) {
    let started = Instant::now();
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the trailmap binary runs");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: `pid` is our child, not yet reaped; `status` and `usage` are valid for writes.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = started.elapsed();
    assert_eq!(reaped, pid, "wait4 failed");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    // ru_maxrss is in KiB on Linux.
    (elapsed, usage.ru_maxrss as u64 * 1024, code)
}

struct Row {
    events: usize,
    written: synth::Written,
    parse: Duration,
    check: Duration,
    build: Duration,
    check_rss: u64,
    build_rss: u64,
    check_code: i32,
    build_code: i32,
}

fn bench_size(events: usize, broken: bool, runs: usize) -> Row {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("workspace");
    let written = synth::generate(&root, Size { events, broken });
    let binary = env!("CARGO_BIN_EXE_trailmap");
    let parse = measure(runs, || {
        std::hint::black_box(parse_only(&root));
    });
    let timed = |args: &[&str]| {
        let mut times = Vec::new();
        let mut peak = 0;
        let mut code = 0;
        for _ in 0..runs.max(1) {
            let (time, rss, exit) = run_child(Command::new(binary).args(args));
            times.push(time);
            peak = peak.max(rss);
            code = exit;
        }
        (median(times), peak, code)
    };
    let root_arg = root.to_str().expect("a UTF-8 temporary path");
    let out = dir.path().join("dist");
    let out_arg = out.to_str().expect("a UTF-8 temporary path");
    let (check, check_rss, check_code) = timed(&["check", root_arg]);
    let mut build_args = vec!["build", root_arg, "--out", out_arg];
    if broken {
        build_args.push("--force");
    }
    let (build, build_rss, build_code) = timed(&build_args);
    Row {
        events,
        written,
        parse,
        check,
        build,
        check_rss,
        build_rss,
        check_code,
        build_code,
    }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|at| args.get(at + 1))
            .cloned()
    };
    let broken = args.iter().any(|a| a == "--broken");
    if let Some(dir) = value("--generate") {
        let events = value("--events").map_or(10_000, |n| n.parse().expect("--events N"));
        let written = synth::generate(Path::new(&dir), Size { events, broken });
        println!("{written:?}");
        return;
    }
    let sizes: Vec<usize> = value("--sizes")
        .unwrap_or_else(|| "1000,10000,50000".to_string())
        .split(',')
        .map(|n| n.trim().parse().expect("--sizes N,N,…"))
        .collect();
    let runs = value("--runs").map_or(3, |n| n.parse().expect("--runs N"));
    println!(
        "synthetic workspaces{}, median of {runs} runs, {} threads",
        if broken {
            " (~1 % of items broken)"
        } else {
            ""
        },
        rayon::current_num_threads()
    );
    let mut rows: Vec<Row> = Vec::new();
    for &events in &sizes {
        let row = bench_size(events, broken, runs);
        let w = &row.written;
        println!(
            "{:>6} events: {} fields, {} touchpoints, {} journeys, {} handoffs, {} teams in {} files ({:.1} MiB); check exit {}, build exit {}",
            row.events,
            w.fields,
            w.touchpoints,
            w.journeys,
            w.handoffs,
            w.teams,
            w.files,
            mib(w.bytes),
            row.check_code,
            row.build_code
        );
        rows.push(row);
    }
    println!();
    println!(
        "| events | files | YAML | parse (floor) | check | build | check / parse | build / parse | peak RSS check | peak RSS build | peak RSS / YAML |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in &rows {
        let yaml = row.written.bytes;
        println!(
            "| {} | {} | {:.1} MiB | {:.0} ms | {:.0} ms | {:.0} ms | {:.2}× | {:.2}× | {:.0} MiB | {:.0} MiB | {:.1}× |",
            row.events,
            row.written.files,
            mib(yaml),
            ms(row.parse),
            ms(row.check),
            ms(row.build),
            ms(row.check) / ms(row.parse),
            ms(row.build) / ms(row.parse),
            mib(row.check_rss),
            mib(row.build_rss),
            row.check_rss.max(row.build_rss) as f64 / yaml as f64
        );
    }
    if rows.len() > 1 {
        println!();
        println!("| growth | input | parse | check | build |");
        println!("|---|---:|---:|---:|---:|");
        for pair in rows.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            println!(
                "| {} → {} events | {:.1}× | {:.1}× | {:.1}× | {:.1}× |",
                a.events,
                b.events,
                b.written.bytes as f64 / a.written.bytes as f64,
                ms(b.parse) / ms(a.parse),
                ms(b.check) / ms(a.check),
                ms(b.build) / ms(a.build)
            );
        }
    }
}
