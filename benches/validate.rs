//! `cargo bench --bench validate [-- RECORDS [BROKEN_EVERY]]`: generates RECORDS (default
//! 1 000 000) realistic records from the example plan's event examples, one in BROKEN_EVERY
//! (default 10) broken in six ways, then measures in
//! one run: parsing the lines with serde_json alone (the floor), `validate-events` on one core
//! and on all cores (each the best of three interleaved runs), their ratios, and the peak
//! memory of the process.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use serde_json::{Map, Value, json};
use trailmap::commands::analyze;
use trailmap::events::{Shape, Validator};
use trailmap::generate::catalog;

/// Writes the records; returns the number of bytes.
fn generate(path: &Path, records: usize, broken_every: usize) -> u64 {
    let analysis = analyze(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the example workspace");
    let compiled = catalog::compile(&analysis.plan);
    let samples: Vec<(String, Map<String, Value>)> = compiled
        .events
        .iter()
        .flat_map(|e| {
            e.examples
                .iter()
                .filter_map(|x| Some((e.id.clone(), x.as_object()?.clone())))
        })
        .collect();
    let mut out = BufWriter::new(File::create(path).unwrap());
    for i in 0..records {
        let (event, properties) = &samples[i % samples.len()];
        let mut record = Map::new();
        record.insert("event".into(), json!(event));
        record.extend(properties.clone());
        let line = if broken_every > 0 && i % broken_every == broken_every - 1 {
            let first = properties.keys().next().cloned().unwrap_or_default();
            match (i / broken_every) % 6 {
                0 => {
                    record.remove(&first);
                    serde_json::to_string(&record).unwrap()
                }
                1 => {
                    record.insert(first, json!([1, 2]));
                    serde_json::to_string(&record).unwrap()
                }
                2 => {
                    record.insert(first, json!("?? not allowed ??"));
                    serde_json::to_string(&record).unwrap()
                }
                3 => {
                    record.insert("debug_payload".into(), json!({"raw": true}));
                    serde_json::to_string(&record).unwrap()
                }
                4 => {
                    record.insert("event".into(), json!(format!("{event}_v2")));
                    serde_json::to_string(&record).unwrap()
                }
                _ => {
                    let text = serde_json::to_string(&record).unwrap();
                    text[..text.len() / 2].to_string()
                }
            }
        } else {
            serde_json::to_string(&record).unwrap()
        };
        writeln!(out, "{line}").unwrap();
    }
    out.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

fn parse_only(path: &Path) -> (usize, f64) {
    let started = Instant::now();
    let mut parsed = 0;
    let mut reader = BufReader::with_capacity(1 << 20, File::open(path).unwrap());
    let mut line = Vec::new();
    while reader.read_until(b'\n', &mut line).unwrap() > 0 {
        if serde_json::from_slice::<Value>(&line).is_ok() {
            parsed += 1;
        }
        line.clear();
    }
    (parsed, started.elapsed().as_secs_f64())
}

fn validate(validator: &Validator, path: &Path, threads: usize) -> (u64, u64, f64) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let started = Instant::now();
    let (mut records, mut invalid) = (0u64, 0u64);
    pool.install(|| {
        let mut file = File::open(path).unwrap();
        validator
            .stream(&mut file, |record| {
                records += 1;
                invalid += u64::from(!record.violations.is_empty());
            })
            .unwrap();
    });
    (records, invalid, started.elapsed().as_secs_f64())
}

/// Peak resident memory of this process, from /proc (Linux), in MiB.
fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|arg| arg.parse().ok())
        .collect();
    let records = numbers.first().copied().unwrap_or(1_000_000);
    // One record in this many is broken (10 %; 0 for none).
    let broken_every = numbers.get(1).copied().unwrap_or(10);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.ndjson");
    let bytes = generate(&path, records, broken_every);
    let analysis = analyze(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let validator = Validator::new(&analysis.plan, Shape::default());
    let cores = rayon::current_num_threads();

    // `TRAILMAP_BENCH_STEP=none|parse|validate` runs one step once and prints nothing:
    // `benches/validate-instructions` counts each step's instructions under callgrind.
    if let Ok(step) = std::env::var("TRAILMAP_BENCH_STEP") {
        match step.as_str() {
            "parse" => drop(parse_only(&path)),
            "validate" => drop(validate(&validator, &path, 1)),
            _ => {}
        }
        return;
    }

    // Interleaved and best of three: on a shared machine the fastest run is the one least
    // disturbed by other work, and interleaving exposes each step to the same disturbances.
    let (mut parsed, mut parse_seconds) = (0, f64::MAX);
    let (mut seen, mut invalid, mut one_core, mut all_cores) = (0, 0, f64::MAX, f64::MAX);
    for _ in 0..3 {
        let (count, seconds) = parse_only(&path);
        (parsed, parse_seconds) = (count, parse_seconds.min(seconds));
        let (records, broken, seconds) = validate(&validator, &path, 1);
        (seen, invalid, one_core) = (records, broken, one_core.min(seconds));
        all_cores = all_cores.min(validate(&validator, &path, cores).2);
    }
    let rate = |seconds: f64| records as f64 / seconds / 1e6;
    println!(
        "{records} records, {:.0} MiB, {invalid} invalid ({parsed} parse as JSON, {seen} non-blank)",
        bytes as f64 / 1048576.0
    );
    println!(
        "serde_json parse only, 1 core: {:6.2} M records/s",
        rate(parse_seconds)
    );
    println!(
        "validate-events, 1 core:       {:6.2} M records/s  ({:.0} % of parse)",
        rate(one_core),
        100.0 * parse_seconds / one_core
    );
    println!(
        "validate-events, {cores} cores:      {:6.2} M records/s  ({:.2}x one core)",
        rate(all_cores),
        one_core / all_cores
    );
    if let Some(peak) = peak_memory_mib() {
        println!("peak memory: {peak:.0} MiB");
    }
}
