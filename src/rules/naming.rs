//! Naming rules (N family): case conventions, lengths, reserved names and collisions.

use std::collections::HashMap;

use heck::{ToKebabCase, ToLowerCamelCase, ToSnakeCase, ToTitleCase, ToUpperCamelCase};
use regex::Regex;

use crate::diagnostics::{Diagnostic, Level, Rule};
use crate::model::structure::INVALID_VALUE;
use crate::model::{Convention, Id};
use crate::plan::Plan;
use crate::source::Span;

pub static NAME_CASE: Rule = Rule {
    code: "N001",
    name: "name-case",
    default_level: Level::Error,
    summary: "A name does not follow the naming convention of its kind.",
    explanation: "Analytics tools treat `add_to_cart`, `addToCart` and `Add To Cart` as three \
different events, so a plan picks one convention per kind of name in `trailmap.yaml` and every \
name follows it. Digits and acronyms count as part of a word: `utm_source2`, `sha256_hash` and \
`k8s_cluster` are valid snake_case.\n\nConfiguration:\n\n    naming:\n      events: { case: \
snake_case }\n\nFailing:\n\n    events:\n      AddToCart: …\n\nFixed:\n\n    events:\n      \
add_to_cart: …\n",
};

pub static NAME_TOO_LONG: Rule = Rule {
    code: "N002",
    name: "name-too-long",
    default_level: Level::Error,
    summary: "A name is longer than its kind allows.",
    explanation: "Destinations truncate or reject long names (GA4 allows 40 characters for \
event and parameter names), which silently merges or drops data. Set `max_length` per kind.\n\n\
Failing (max_length: 40):\n\n    events:\n      customer_clicked_the_recommended_product_carousel: …\n\n\
Fixed:\n\n    events:\n      recommendation_click: …\n",
};

pub static RESERVED_NAME: Rule = Rule {
    code: "N003",
    name: "reserved-name",
    default_level: Level::Error,
    summary: "A name is reserved or starts with a forbidden prefix.",
    explanation: "Some names belong to the destination: GA4 collects `session_start`, \
`first_visit` or `user_engagement` itself and rejects names starting with `_`, `ga_`, `google_`, \
`firebase_` or `gtag.`. `naming: { preset: ga4 }` turns these lists on for events and fields; \
`reserved` and `forbidden_prefixes` add your own per kind.\n\nFailing (preset ga4):\n\n    \
events:\n      session_start: …\n\nFixed:\n\n    events:\n      visit_started: …\n",
};

pub static NAME_COLLISION: Rule = Rule {
    code: "N004",
    name: "name-collision",
    default_level: Level::Error,
    summary: "Two names become equal when case and separators are ignored.",
    explanation: "Generated code converts names between conventions: `add_to_cart` and \
`AddToCart` both become `AddToCart` in TypeScript, and `utm_source2` and `utm_source_2` both \
become `utmSource2`. Two names that only differ in case or separators would collide there, and \
confuse people everywhere else. Both places are shown.\n\nFix: keep one of the names.\n",
};

pub static NON_ASCII_NAME: Rule = Rule {
    code: "N005",
    name: "non-ascii-name",
    default_level: Level::Error,
    summary: "A name contains a character outside ASCII.",
    explanation: "Event and field names travel through tag managers, SQL column names and code \
identifiers, where accents, emoji, right-to-left text or combining marks break or look identical \
to other names. The diagnostic names the character and its code point.\n\nFailing:\n\n    \
fields:\n      café_id: …\n\nFixed:\n\n    fields:\n      cafe_id: …\n",
};

pub static RULES: [&Rule; 5] = [
    &NAME_CASE,
    &NAME_TOO_LONG,
    &RESERVED_NAME,
    &NAME_COLLISION,
    &NON_ASCII_NAME,
];

/// GA4's limits for event and parameter names.
mod ga4 {
    pub const MAX_LENGTH: usize = 40;
    pub const RESERVED_EVENTS: &[&str] = &[
        "ad_activeview",
        "ad_click",
        "ad_exposure",
        "ad_impression",
        "ad_query",
        "ad_reward",
        "adunit_exposure",
        "app_background",
        "app_clear_data",
        "app_exception",
        "app_remove",
        "app_store_refund",
        "app_store_subscription_cancel",
        "app_store_subscription_convert",
        "app_store_subscription_renew",
        "app_update",
        "app_upgrade",
        "dynamic_link_app_open",
        "dynamic_link_app_update",
        "dynamic_link_first_open",
        "error",
        "firebase_campaign",
        "first_open",
        "first_visit",
        "in_app_purchase",
        "notification_dismiss",
        "notification_foreground",
        "notification_open",
        "notification_receive",
        "os_update",
        "page_view",
        "screen_view",
        "session_start",
        "user_engagement",
    ];
    pub const FORBIDDEN_PREFIXES: &[&str] = &["_", "ga_", "google_", "firebase_", "gtag."];
}

/// What the workspace asks of the names of one kind.
struct Policy<'p> {
    kind: &'static str,
    convention: Option<&'p Convention>,
    pattern: Option<Regex>,
    ga4: bool,
}

fn case_matches(case: &str, name: &str) -> bool {
    let words = |separator: char, first_upper: bool, lower_rest: bool| {
        !name.is_empty()
            && name.split(separator).all(|word| {
                let mut chars = word.chars();
                chars.next().is_some_and(|c| {
                    (if first_upper {
                        c.is_ascii_uppercase()
                    } else {
                        c.is_ascii_lowercase()
                    }) || (c.is_ascii_digit() && separator != '\0')
                }) && chars.all(|c| {
                    c.is_ascii_digit()
                        || c.is_ascii_lowercase()
                        || (!lower_rest && c.is_ascii_uppercase())
                })
            })
    };
    match case {
        "snake_case" => {
            words('_', false, true) && name.starts_with(|c: char| c.is_ascii_lowercase())
        }
        "kebab-case" => {
            words('-', false, true) && name.starts_with(|c: char| c.is_ascii_lowercase())
        }
        "camelCase" => words('\0', false, false),
        "PascalCase" => words('\0', true, false),
        "Title Case" => words(' ', true, false),
        _ => true,
    }
}

fn converted(case: &str, name: &str) -> String {
    match case {
        "snake_case" => name.to_snake_case(),
        "kebab-case" => name.to_kebab_case(),
        "camelCase" => name.to_lower_camel_case(),
        "PascalCase" => name.to_upper_camel_case(),
        _ => name.to_title_case(),
    }
}

/// The span of one character of an id, when the id is written plainly or simply quoted.
fn char_span(id: &Id, byte_index: usize, len: usize) -> Span {
    let written = id.span.len();
    let offset = if written == id.value.len() {
        0
    } else if written == id.value.len() + 2 {
        1
    } else {
        return id.span;
    };
    let start = id.span.start as usize + offset + byte_index;
    Span::new(id.span.file, start, start + len)
}

/// Combining diacritical marks: invisible on their own, they change the letter before them.
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The key two names share when case and separators are ignored.
fn collision_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn check_name(policy: &Policy<'_>, id: &Id, out: &mut Vec<Diagnostic>) {
    let name = id.value.as_str();
    let singular = policy.kind.trim_end_matches('s');
    if let Some((at, c)) = name.char_indices().find(|(_, c)| !c.is_ascii()) {
        let shown = if is_combining_mark(c) {
            format!("a combining mark (U+{:04X})", c as u32)
        } else {
            format!("`{c}` (U+{:04X})", c as u32)
        };
        out.push(
            Diagnostic::new(
                &NON_ASCII_NAME,
                char_span(id, at, c.len_utf8()),
                format!("{singular} name `{name}` contains {shown}, which is not ASCII"),
            )
            .with_help("use ASCII letters, digits and separators only"),
        );
        return;
    }
    if let Some(convention) = policy.convention {
        if let Some(case) = &convention.case
            && !case_matches(case.value, name)
        {
            let suggestion = converted(case.value, name);
            out.push(
                Diagnostic::new(
                    &NAME_CASE,
                    id.span,
                    format!("{singular} name `{name}` is not {}", case.value),
                )
                .with_secondary(case.span, "convention set here")
                .with_help(format!("rename it to `{suggestion}`")),
            );
        }
        if let (Some(pattern), Some(written)) = (&policy.pattern, &convention.pattern)
            && !pattern.is_match(name)
        {
            out.push(
                Diagnostic::new(
                    &NAME_CASE,
                    id.span,
                    format!(
                        "{singular} name `{name}` does not match `{}`",
                        written.value
                    ),
                )
                .with_secondary(written.span, "pattern set here"),
            );
        }
    }
    if policy.ga4
        && !(name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        out.push(Diagnostic::new(
            &NAME_CASE,
            id.span,
            format!("{singular} name `{name}` is not allowed by GA4: names start with a letter and use only letters, digits and underscores"),
        ));
    }

    let configured_length = policy.convention.and_then(|c| c.max_length.as_ref());
    let limit = configured_length
        .map(|l| l.value as usize)
        .or(policy.ga4.then_some(ga4::MAX_LENGTH));
    let length = name.chars().count();
    if let Some(limit) = limit
        && length > limit
    {
        let mut diagnostic = Diagnostic::new(
            &NAME_TOO_LONG,
            id.span,
            format!(
                "{singular} name `{name}` has {length} characters; at most {limit} are allowed"
            ),
        );
        if let Some(configured) = configured_length {
            diagnostic = diagnostic.with_secondary(configured.span, "limit set here");
        }
        out.push(diagnostic);
    }

    let reserved_here = policy
        .convention
        .into_iter()
        .flat_map(|c| &c.reserved)
        .find(|r| r.value == name);
    let ga4_reserved =
        policy.ga4 && policy.kind == "events" && ga4::RESERVED_EVENTS.contains(&name);
    if reserved_here.is_some() || ga4_reserved {
        let mut diagnostic = Diagnostic::new(
            &RESERVED_NAME,
            id.span,
            format!("{singular} name `{name}` is reserved"),
        );
        diagnostic = match reserved_here {
            Some(reserved) => diagnostic.with_secondary(reserved.span, "reserved here"),
            None => diagnostic.with_help("GA4 collects this event itself; choose another name"),
        };
        out.push(diagnostic);
    }
    let own_prefix = policy
        .convention
        .into_iter()
        .flat_map(|c| &c.forbidden_prefixes)
        .find(|p| name.starts_with(p.value.as_str()));
    let ga4_prefix = ga4::FORBIDDEN_PREFIXES
        .iter()
        .find(|p| policy.ga4 && name.starts_with(**p));
    if let Some(prefix) = own_prefix.map(|p| p.value.as_str()).or(ga4_prefix.copied()) {
        let mut diagnostic = Diagnostic::new(
            &RESERVED_NAME,
            id.span,
            format!("{singular} name `{name}` starts with the forbidden prefix `{prefix}`"),
        );
        if let Some(own) = own_prefix {
            diagnostic = diagnostic.with_secondary(own.span, "forbidden here");
        }
        out.push(diagnostic);
    }
}

fn check_collisions(kind: &str, ids: &[&Id], out: &mut Vec<Diagnostic>) {
    let singular = kind.trim_end_matches('s');
    let mut seen: HashMap<String, &Id> = HashMap::with_capacity(ids.len());
    for id in ids {
        match seen.get(&collision_key(&id.value)) {
            Some(first) if first.value != id.value => out.push(
                Diagnostic::new(
                    &NAME_COLLISION,
                    id.span,
                    format!(
                        "{singular} names `{}` and `{}` differ only in case or separators",
                        id.value, first.value
                    ),
                )
                .with_secondary(first.span, format!("`{}` is defined here", first.value))
                .with_help("generated code would give both the same name; keep one of them"),
            ),
            Some(_) => {}
            None => {
                seen.insert(collision_key(&id.value), id);
            }
        }
    }
}

pub fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let w = &plan.workspace;
    let naming = w.manifest.as_ref().map(|m| &m.naming);
    let ga4 = naming
        .and_then(|n| n.preset.as_ref())
        .is_some_and(|preset| preset.value.eq_ignore_ascii_case("ga4"));
    if let Some(preset) = naming.and_then(|n| n.preset.as_ref())
        && !preset.value.eq_ignore_ascii_case("ga4")
    {
        out.push(
            Diagnostic::new(
                &INVALID_VALUE,
                preset.span,
                format!("there is no naming preset `{}`", preset.value),
            )
            .with_help("the available preset is `ga4`"),
        );
    }
    let stages: Vec<&Id> = w
        .journeys
        .iter()
        .flat_map(|j| j.stages.iter().map(|s| &s.id))
        .collect();
    let kinds: [(&'static str, Vec<&Id>); 7] = [
        ("events", w.events.iter().map(|x| &x.id).collect()),
        ("fields", w.fields.iter().map(|x| &x.id).collect()),
        ("touchpoints", w.touchpoints.iter().map(|x| &x.id).collect()),
        ("journeys", w.journeys.iter().map(|x| &x.id).collect()),
        ("teams", w.teams.iter().map(|x| &x.id).collect()),
        ("channels", w.channels.iter().map(|x| &x.id).collect()),
        ("stages", stages),
    ];
    for (kind, ids) in kinds {
        let convention = naming
            .and_then(|n| n.kinds.iter().find(|(k, _)| k.value == kind))
            .map(|(_, c)| c);
        let pattern = convention
            .and_then(|c| c.pattern.as_ref())
            .and_then(
                |written| match Regex::new(&format!("^(?:{})$", written.value)) {
                    Ok(pattern) => Some(pattern),
                    Err(_) => {
                        out.push(Diagnostic::new(
                            &INVALID_VALUE,
                            written.span,
                            format!("`{}` is not a valid regular expression", written.value),
                        ));
                        None
                    }
                },
            );
        let policy = Policy {
            kind,
            convention,
            pattern,
            ga4: ga4 && matches!(kind, "events" | "fields"),
        };
        for id in &ids {
            check_name(&policy, id, out);
        }
        if kind == "fields" {
            // A property carried under another name than its field's id
            // (`id: { field: order_id }`) is a name in the payload too.
            let mapped = w
                .events
                .iter()
                .flat_map(|e| &e.properties)
                .chain(w.fields.iter().flat_map(|f| &f.properties))
                .filter(|p| p.name.value != p.field.value);
            for property in mapped {
                check_name(&policy, &property.name, out);
            }
        }
        if kind != "stages" {
            check_collisions(kind, &ids, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_and_acronyms_are_part_of_words() {
        for name in [
            "utm_source2",
            "sha256_hash",
            "k8s_cluster",
            "add_to_cart",
            "a",
        ] {
            assert!(case_matches("snake_case", name), "{name}");
        }
        for name in [
            "AddToCart",
            "add__to",
            "_add",
            "add_",
            "2fa_code",
            "addToCart",
            "add-to",
        ] {
            assert!(!case_matches("snake_case", name), "{name}");
        }
        assert!(case_matches("camelCase", "utmSource2"));
        assert!(!case_matches("camelCase", "UtmSource"));
        assert!(case_matches("PascalCase", "AddToCart"));
        assert!(case_matches("kebab-case", "add-to-cart"));
        assert!(case_matches("Title Case", "Order Completed"));
        assert!(case_matches("Title Case", "Step 2 Viewed"));
        assert!(!case_matches("Title Case", "Order completed"));
        assert!(!case_matches("Title Case", "Order  Completed"));
    }

    #[test]
    fn collisions_ignore_case_and_separators() {
        assert_eq!(collision_key("add_to_cart"), collision_key("AddToCart"));
        assert_eq!(collision_key("utm_source2"), collision_key("utm_source_2"));
        assert_ne!(collision_key("utm_source2"), collision_key("utm_source"));
    }
}
