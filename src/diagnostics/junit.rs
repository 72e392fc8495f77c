//! JUnit XML: one test suite per file, one test case per rule; a rule fails in a file when it
//! has a finding there at or above the failing level. Lower findings go to `system-out`.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Finding, Report};

/// Text for XML 1.0 content or attributes: markup escaped, and the control characters XML
/// cannot hold at all dropped.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn line(finding: &Finding) -> String {
    let at = &finding.location;
    format!(
        "{}:{}:{}: {}: {}",
        at.file,
        at.line,
        at.column,
        finding.level.as_str(),
        Report::full_message(finding)
    )
}

pub fn render_junit(report: &Report) -> String {
    let mut by_file: BTreeMap<&str, BTreeMap<&str, Vec<&Finding>>> = BTreeMap::new();
    for file in report
        .files
        .iter()
        .chain(report.unlisted.iter().map(|u| &u.file))
    {
        by_file.entry(file).or_default();
    }
    for finding in &report.findings {
        by_file
            .entry(&finding.location.file)
            .or_default()
            .entry(finding.code)
            .or_default()
            .push(finding);
    }
    let mut suites = String::new();
    let (mut total_tests, mut total_failures) = (0, 0);
    for (file, by_rule) in &by_file {
        let mut cases = String::new();
        let mut failures = 0;
        for rule in &report.rules {
            let found = by_rule
                .get(rule.code)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let (failing, passing): (Vec<&Finding>, Vec<&Finding>) =
                found.iter().partition(|finding| report.fails(finding));
            let unlisted: u64 = report
                .unlisted
                .iter()
                .filter(|u| u.file == *file && u.rule.code == rule.code)
                .map(|u| u.count)
                .sum();
            let unlisted_fail = unlisted > 0
                && report
                    .fail_at
                    .is_some_and(|level| rule.default_level >= level);
            let _ = write!(
                cases,
                "    <testcase classname=\"{}\" name=\"{} {}\">",
                xml(file),
                rule.code,
                rule.name
            );
            if !failing.is_empty() || unlisted_fail {
                failures += 1;
                let mut text: Vec<String> = failing.iter().map(|finding| line(finding)).collect();
                if unlisted > 0 {
                    text.push(format!("… {unlisted} more not listed (--max-errors)"));
                }
                let message = failing.first().map_or_else(
                    || format!("{unlisted} findings not listed (--max-errors)"),
                    |first| first.message.clone(),
                );
                let _ = write!(
                    cases,
                    "\n      <failure type=\"{}\" message=\"{}\">{}</failure>",
                    failing
                        .first()
                        .map_or(rule.default_level, |f| f.level)
                        .as_str(),
                    xml(&message),
                    xml(&text.join("\n"))
                );
            }
            if !passing.is_empty() {
                let text: Vec<String> = passing.iter().map(|finding| line(finding)).collect();
                let _ = write!(
                    cases,
                    "\n      <system-out>{}</system-out>",
                    xml(&text.join("\n"))
                );
            }
            if failing.is_empty() && passing.is_empty() && !unlisted_fail {
                cases.push_str("</testcase>\n");
            } else {
                cases.push_str("\n    </testcase>\n");
            }
        }
        total_tests += report.rules.len();
        total_failures += failures;
        let _ = write!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n{cases}  </testsuite>\n",
            xml(file),
            report.rules.len(),
        );
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"trailmap {}\" tests=\"{total_tests}\" failures=\"{total_failures}\" errors=\"0\">\n{suites}</testsuites>\n",
        report.command
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_escapes_markup_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            xml("a<b>&\"'\u{1}\u{7}c\nd"),
            "a&lt;b&gt;&amp;&quot;&apos;c&#10;d"
        );
    }
}
