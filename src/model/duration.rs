//! Durations: `30m`, `24h`, `2d`, `6w`, `2y` and ISO 8601 (`PT24H`, `P2Y`), normalised to
//! seconds with a day of 24 h, a month of 30 d and a year of 365 d.

use std::fmt;

use jiff::{Span, SpanRelativeTo};

use crate::diagnostics::{Level, Rule};

pub static INVALID_DURATION: Rule = Rule {
    code: "T001",
    name: "invalid-duration",
    default_level: Level::Error,
    summary: "A duration (SLA, retention) cannot be read.",
    explanation: "SLAs and retention periods are compared with each other (a handoff SLA against \
the journey budget, a destination's retention against a field's), so each must be a duration \
trailmap can read exactly.\n\nAccepted: a number with a unit — `30m`, `24h`, `2d`, `6w`, `2y` — or \
ISO 8601 (`PT24H`, `P1D`, `P2Y`). A day is 24 hours, a month 30 days, a year 365 days.\n\n\
Failing:\n\n    sla: 24        # no unit\n    retention: two years\n\nFixed:\n\n    sla: 24h\n    retention: 2y\n",
};

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
const MONTH: i64 = 30 * DAY;
const YEAR: i64 = 365 * DAY;

/// The durations [`Duration::parse`] reads, as an ECMA-262 regular expression for the editor
/// schema: a number and a unit, repeated (`1h 30m`, `2 days`), or ISO 8601 (`PT24H`). It is
/// looser than the parser in details (unit order, fractions of a second), which `trailmap check`
/// still reports; the tests below pin where the two agree.
pub const DURATION_PATTERN: &str = concat!(
    r"^\s*(?:",
    r"[+-]?\s*(?:[0-9]+(?:\.[0-9]+)?\s*",
    r"(?:years?|yrs?|y|months?|mos?|weeks?|wks?|w|days?|d|hours?|hrs?|h|minutes?|mins?|m",
    r"|seconds?|secs?|s|milliseconds?|millis?|msecs?|ms|microseconds?|micros?|usecs?|us",
    r"|nanoseconds?|nanos?|nsecs?|ns)\s*,?\s*)+(?:ago)?",
    r"|[+-]?[Pp](?:[0-9]+[Yy])?(?:[0-9]+[Mm])?(?:[0-9]+[Ww])?(?:[0-9]+[Dd])?",
    r"(?:[Tt](?:[0-9]+[Hh])?(?:[0-9]+[Mm])?(?:[0-9]+(?:[.,][0-9]+)?[Ss])?)?",
    r")\s*$",
);

/// A normalised duration, in whole seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration {
    pub seconds: i64,
}

impl Duration {
    pub fn from_seconds(seconds: i64) -> Duration {
        Duration { seconds }
    }

    /// Parses the notations trailmap accepts; the error says what was expected.
    pub fn parse(text: &str) -> Result<Duration, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err("the duration is empty".into());
        }
        if trimmed.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("`{trimmed}` has no unit"));
        }
        let span: Span = trimmed
            .parse()
            .map_err(|_| format!("`{trimmed}` is not a duration"))?;
        // jiff treats years and months as calendar units; trailmap fixes their length so that
        // budgets compare the same way on every date.
        let calendar = i64::from(span.get_years()) * YEAR + i64::from(span.get_months()) * MONTH;
        let rest = span
            .years(0)
            .months(0)
            .to_duration(SpanRelativeTo::days_are_24_hours())
            .map_err(|_| format!("`{trimmed}` is not a duration"))?;
        if rest.subsec_nanos() != 0 {
            return Err(format!("`{trimmed}` has a fraction of a second"));
        }
        calendar
            .checked_add(rest.as_secs())
            .map(Duration::from_seconds)
            .ok_or_else(|| format!("`{trimmed}` is too long"))
    }
}

impl fmt::Display for Duration {
    /// The canonical form: years, days, hours, minutes and seconds, largest first, each only
    /// when not zero (`2d`, `1d 12h`, `2h 10m`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seconds == 0 {
            return f.write_str("0s");
        }
        if self.seconds < 0 {
            f.write_str("-")?;
        }
        let mut rest = self.seconds.unsigned_abs();
        let mut parts = Vec::new();
        for (unit, suffix) in [
            (YEAR, "y"),
            (DAY, "d"),
            (HOUR, "h"),
            (MINUTE, "m"),
            (1, "s"),
        ] {
            let unit = unit.unsigned_abs();
            if rest >= unit {
                parts.push(format!("{}{suffix}", rest / unit));
                rest %= unit;
            }
        }
        f.write_str(&parts.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seconds(text: &str) -> i64 {
        Duration::parse(text).unwrap().seconds
    }

    #[test]
    fn both_notations_normalise_to_the_same_value() {
        assert_eq!(seconds("1d"), seconds("24h"));
        assert_eq!(seconds("1d"), seconds("P1D"));
        assert_eq!(seconds("PT24H"), DAY);
        assert_eq!(seconds("30m"), 30 * MINUTE);
        assert_eq!(seconds("6w"), 42 * DAY);
        assert_eq!(seconds("2y"), 730 * DAY);
        assert_eq!(seconds("P2Y"), 730 * DAY);
        assert_eq!(seconds("P1M"), 30 * DAY);
        assert_eq!(seconds("PT1M"), MINUTE);
        assert_eq!(seconds("1h 30m"), 90 * MINUTE);
    }

    #[test]
    fn canonical_form() {
        for (input, shown) in [
            ("48h", "2d"),
            ("PT24H", "1d"),
            ("90d", "90d"),
            ("P2Y", "2y"),
            ("6w", "42d"),
            ("2m", "2m"),
            ("90s", "1m 30s"),
            ("130m", "2h 10m"),
            ("36h", "1d 12h"),
            ("-2h", "-2h"),
        ] {
            assert_eq!(
                Duration::parse(input).unwrap().to_string(),
                shown,
                "{input}"
            );
        }
    }

    #[test]
    fn the_editor_pattern_agrees_with_the_parser() {
        let pattern = regex::Regex::new(DURATION_PATTERN).unwrap();
        for text in [
            "30m",
            "24h",
            "2d",
            "6w",
            "2y",
            "PT24H",
            "P2Y",
            "P1M",
            "PT1M",
            "P1DT12H",
            "1h 30m",
            "1h30m",
            "2 days",
            "3 hours, 20 minutes",
            "-2h",
            "0m",
            " 48h ",
            "90s",
            "1 year",
        ] {
            assert!(Duration::parse(text).is_ok(), "the parser rejects {text:?}");
            assert!(pattern.is_match(text), "the pattern rejects {text:?}");
        }
        for text in [
            "",
            "24",
            "two days",
            "48 h x",
            "24hours and more",
            "T24H",
            "1d-2h",
        ] {
            assert!(
                Duration::parse(text).is_err(),
                "the parser accepts {text:?}"
            );
            assert!(!pattern.is_match(text), "the pattern accepts {text:?}");
        }
    }

    #[test]
    fn unreadable_durations_say_why() {
        assert_eq!(Duration::parse("24").unwrap_err(), "`24` has no unit");
        assert!(Duration::parse("two days").is_err());
        assert!(Duration::parse("").is_err());
        assert!(Duration::parse("1.5s").is_err());
    }
}
