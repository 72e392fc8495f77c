//! What the benchmark harnesses share: the parse floor and the way runs are timed.

#![allow(dead_code)] // each harness takes what it needs

pub mod synth;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use trailmap::source::{FileId, discover, read_text, yaml};

/// The floor: reads and parses every YAML file of the workspace, in parallel on all cores (as
/// `check` does), and nothing else. Returns how many files parsed to a document.
pub fn parse_only(root: &Path) -> usize {
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

pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// The median of `runs` timed runs of `work`, after one untimed warm-up run.
pub fn measure(runs: usize, mut work: impl FnMut()) -> Duration {
    work();
    median(
        (0..runs.max(1))
            .map(|_| {
                let started = Instant::now();
                work();
                started.elapsed()
            })
            .collect(),
    )
}

pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
