//! `validate-events`: captured payloads (NDJSON, one event per line) checked against the
//! compiled plan, streaming, on all cores, in input order.

pub mod violations;

use std::collections::HashMap;
use std::io::Read;

use jsonschema::error::ValidationErrorKind;
use rayon::prelude::*;
use serde_json::Value;

use crate::diagnostics::Rule;
use crate::plan::Plan;
use crate::plan::schema::event_schema;
use violations::*;

/// Bytes read and validated together: big enough to keep every core busy, small enough that
/// memory stays flat whatever the input size.
const BLOCK_BYTES: usize = 4 << 20;

/// Where the event name and the properties are in a record.
#[derive(Clone, Debug)]
pub struct Shape {
    /// The key holding the event name (`event`, as in `dataLayer.push`).
    pub event_key: String,
    /// A key holding the properties as an object (`properties` for Segment and RudderStack);
    /// without it the properties are the record's other keys.
    pub properties_key: Option<String>,
}

impl Default for Shape {
    fn default() -> Self {
        Shape {
            event_key: "event".into(),
            properties_key: None,
        }
    }
}

/// One problem of one record.
#[derive(Clone, Debug)]
pub struct Violation {
    pub rule: &'static Rule,
    /// 1-based line of the input.
    pub line: u64,
    pub event: Option<String>,
    /// JSON pointer of the offending value inside the properties.
    pub pointer: String,
    pub message: String,
}

/// The outcome of one non-blank line.
#[derive(Debug)]
pub struct Record {
    pub line: u64,
    pub event: Option<String>,
    pub violations: Vec<Violation>,
}

/// The compiled schemas of every event of the plan.
pub struct Validator {
    schemas: HashMap<String, jsonschema::Validator>,
    shape: Shape,
}

impl Validator {
    /// Compiles each event's schema once. Events whose schema cannot compile (a pattern the
    /// check already reports) are left out and their records reported as such.
    pub fn new(plan: &Plan, shape: Shape) -> Validator {
        let schemas = plan
            .workspace
            .events
            .par_iter()
            .filter_map(|event| {
                let schema = event_schema(plan, event);
                let validator = jsonschema::options()
                    .should_validate_formats(true)
                    .build(&schema)
                    .ok()?;
                Some((event.id.value.clone(), validator))
            })
            .collect();
        Validator { schemas, shape }
    }

    /// Validates one line (without its line break). `None` for a blank line.
    pub fn line(&self, number: u64, bytes: &[u8]) -> Option<Record> {
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        let malformed = |message: String| Record {
            line: number,
            event: None,
            violations: vec![Violation {
                rule: &MALFORMED_RECORD,
                line: number,
                event: None,
                pointer: String::new(),
                message,
            }],
        };
        let record: Value = match serde_json::from_slice(bytes) {
            Ok(record) => record,
            // UTF-8 is checked only for lines that fail: serde_json validates it while parsing.
            Err(error) => {
                let message = match std::str::from_utf8(bytes) {
                    Err(bad) => format!(
                        "the line is not UTF-8 (invalid byte at column {})",
                        bad.valid_up_to() + 1
                    ),
                    Ok(_) => format!("the line is not JSON: {error}"),
                };
                return Some(malformed(message));
            }
        };
        let Value::Object(mut record) = record else {
            return Some(malformed("the line is JSON but not an object".into()));
        };
        let Some(Value::String(event)) = record.remove(&self.shape.event_key) else {
            return Some(malformed(format!(
                "the record has no `{}` with the event name",
                self.shape.event_key
            )));
        };
        let properties = match &self.shape.properties_key {
            None => Value::Object(record),
            Some(key) => match record.remove(key) {
                Some(properties @ Value::Object(_)) => properties,
                None => Value::Object(serde_json::Map::new()),
                Some(_) => {
                    let mut found = malformed(format!("`{key}` is not an object"));
                    found.event = Some(event);
                    return Some(found);
                }
            },
        };
        let Some(validator) = self.schemas.get(&event) else {
            return Some(Record {
                line: number,
                violations: vec![Violation {
                    rule: &UNPLANNED_EVENT,
                    line: number,
                    event: Some(event.clone()),
                    pointer: String::new(),
                    message: format!("`{event}` is not an event of the plan"),
                }],
                event: Some(event),
            });
        };
        let violations = if validator.is_valid(&properties) {
            Vec::new()
        } else {
            validator
                .iter_errors(&properties)
                .flat_map(|error| classify(number, &event, &error))
                .collect()
        };
        Some(Record {
            line: number,
            event: Some(event),
            violations,
        })
    }

    /// Validates a stream block by block, calling `each` with every record in input order.
    /// Blocks are cut at line breaks; their lines are validated on all cores.
    pub fn stream(
        &self,
        input: &mut dyn Read,
        mut each: impl FnMut(Record),
    ) -> std::io::Result<()> {
        // One buffer for the whole stream, filled by reads and never cleared: zeroing 4 MiB per
        // block would cost as much as finding the lines in it.
        let mut block: Vec<u8> = vec![0; BLOCK_BYTES];
        let mut filled = 0;
        let mut next_line = 1u64;
        let mut finished = false;
        while !finished {
            if filled == block.len() {
                // A line longer than the buffer: make room for the rest of it.
                block.resize(block.len() * 2, 0);
            }
            let read = read_full(input, &mut block[filled..])?;
            filled += read;
            finished = read == 0;
            // Whole lines only; the rest waits for the next read (or is the last line).
            let cut = if finished {
                filled
            } else {
                match memchr::memrchr(b'\n', &block[..filled]) {
                    Some(at) => at + 1,
                    None => continue,
                }
            };
            let mut lines = Vec::new();
            let mut start = 0;
            for end in memchr::memchr_iter(b'\n', &block[..cut]).chain(
                // The last line of the input may have no line break.
                (finished && cut > 0 && block[cut - 1] != b'\n').then_some(cut),
            ) {
                lines.push((next_line, start, end));
                next_line += 1;
                start = end + 1;
            }
            let records: Vec<Record> = lines
                .par_iter()
                .filter_map(|&(number, start, end)| self.line(number, &block[start..end]))
                .collect();
            records.into_iter().for_each(&mut each);
            block.copy_within(cut..filled, 0);
            filled -= cut;
        }
        Ok(())
    }
}

/// Reads until `buffer` is full or the input ends; returns the number of bytes read.
fn read_full(input: &mut dyn Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut total = 0;
    while total < buffer.len() {
        match input.read(&mut buffer[total..]) {
            Ok(0) => break,
            Ok(read) => total += read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(total)
}

/// Turns one schema error into violations, each with its stable rule.
fn classify(line: u64, event: &str, error: &jsonschema::ValidationError<'_>) -> Vec<Violation> {
    let path = error.instance_path().as_str().to_string();
    let violation = |rule: &'static Rule, pointer: String, message: String| Violation {
        rule,
        line,
        event: Some(event.to_string()),
        pointer,
        message,
    };
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            vec![violation(
                &MISSING_PROPERTY,
                format!("{path}/{}", name.replace('~', "~0").replace('/', "~1")),
                format!("required property `{name}` is missing"),
            )]
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|name| {
                violation(
                    &UNEXPECTED_PROPERTY,
                    format!("{path}/{}", name.replace('~', "~0").replace('/', "~1")),
                    format!("`{name}` is not a property of this event in the plan"),
                )
            })
            .collect(),
        ValidationErrorKind::Type { .. } => vec![violation(&WRONG_TYPE, path, error.to_string())],
        _ => vec![violation(&VALUE_NOT_ALLOWED, path, error.to_string())],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out the input in small, odd-sized pieces, as a pipe may.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
            let n = buffer.len().min(self.0.len()).min(4093);
            buffer[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn lines_across_blocks_longer_than_a_block_and_without_a_final_break_keep_their_numbers() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/_base");
        let analysis = crate::commands::analyze(&root).unwrap();
        let validator = Validator::new(&analysis.plan, Shape::default());
        let valid = "{\"event\":\"purchase\",\"order_id\":\"O123456\"}";
        let long = format!(
            "{{\"event\":\"purchase\",\"order_id\":\"O123456\",\"pad\":\"{}\"}}",
            "x".repeat(BLOCK_BYTES + 100)
        );
        let mut input = format!("{valid}\n{long}\r\n");
        let small_lines = 2 * BLOCK_BYTES / valid.len();
        for _ in 0..small_lines {
            input.push_str(valid);
            input.push('\n');
        }
        input.push_str("{\"event\":\"nope\"}");
        let mut seen: Vec<(u64, Vec<&str>)> = Vec::new();
        validator
            .stream(&mut Trickle(input.as_bytes()), |record| {
                let codes = record.violations.iter().map(|v| v.rule.code).collect();
                seen.push((record.line, codes));
            })
            .unwrap();
        let total = small_lines as u64 + 3;
        assert_eq!(seen.len() as u64, total);
        assert!(seen.iter().zip(1..).all(|((line, _), n)| *line == n));
        assert_eq!(seen[1].1, ["E006"]);
        assert_eq!(seen[seen.len() - 1].1, ["E002"]);
        assert_eq!(
            seen.iter().filter(|(_, codes)| codes.is_empty()).count() as u64,
            total - 2
        );
    }
}
