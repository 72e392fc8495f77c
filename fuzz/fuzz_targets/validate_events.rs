//! `validate-events` on arbitrary input, against the example workspace's plan: each line on its
//! own, and the whole input as a stream (blocks, CRLF, a last line without a break).

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trailmap::commands::analyze;
use trailmap::events::{Shape, Validator};

fn validators() -> &'static [Validator; 2] {
    static VALIDATORS: OnceLock<[Validator; 2]> = OnceLock::new();
    VALIDATORS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let plan = analyze(&root).expect("the example workspace").plan;
        let shape = |properties_key: Option<&str>| Shape {
            event_key: "event".to_string(),
            properties_key: properties_key.map(str::to_string),
        };
        [
            Validator::new(&plan, shape(None)),
            Validator::new(&plan, shape(Some("properties"))),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let [flat, segment] = validators();
    for (number, line) in data.split(|&b| b == b'\n').enumerate() {
        flat.line(number as u64 + 1, line);
    }
    let mut records = 0u64;
    segment
        .stream(&mut &data[..], |record| {
            assert!(record.line > records);
            records = record.line;
        })
        .expect("reading from memory cannot fail");
});
