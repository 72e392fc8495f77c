//! The MiniJinja environment: built-in templates embedded in the binary, overridden by a
//! workspace's own `templates/`, strict about undefined values, with one escaping filter per
//! target language.

use std::collections::BTreeMap;
use std::path::Path;

use heck::ToUpperCamelCase;
use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior};

use crate::diagnostics::markdown_cell;

/// Text of a value for a filter: nothing for none or undefined.
fn plain(value: &Value) -> String {
    if value.is_none() || value.is_undefined() {
        String::new()
    } else {
        value.to_string()
    }
}

/// A Markdown table cell: pipes escaped, line breaks folded, no raw HTML.
pub fn md_cell(value: &Value) -> String {
    markdown_cell(&plain(value))
}

/// Text inside a quoted Mermaid label: Mermaid's `#name;` entities for the characters that
/// would end the label or be read as markup.
pub fn mermaid_label(value: &Value) -> String {
    let mut out = String::new();
    for c in plain(value).chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Mermaid node id: always prefixed (so never a keyword such as `end` or `graph`) and made
/// of letters, digits and `_` only, every other character spelled out so that two ids never
/// meet.
pub fn mermaid_id(value: &Value) -> String {
    let mut out = String::from("n_");
    for c in plain(value).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '_' {
            out.push_str("__");
        } else {
            out.push_str(&format!("_{:x}_", c as u32));
        }
    }
    out
}

/// A quoted DOT string.
pub fn dot_string(value: &Value) -> String {
    let mut out = String::from("\"");
    for c in plain(value).chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One segment of a relative link (a file name): every byte outside the URL's unreserved
/// characters percent-encoded, so that ids with spaces or `#` link correctly.
pub fn url_segment(value: &Value) -> String {
    let mut out = String::new();
    for byte in plain(value).bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Text inside a `/** … */` comment.
fn ts_comment(value: &Value) -> String {
    plain(value)
        .replace("*/", "*\\/")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A property name in a TypeScript interface, quoted when it is not an identifier.
fn ts_key(value: &Value) -> String {
    let name = plain(value);
    let identifier = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier {
        name
    } else {
        serde_json::Value::String(name).to_string()
    }
}

fn pascal(value: &Value) -> String {
    plain(value).to_upper_camel_case()
}

/// The TypeScript type of a field's values, from the catalog's field entries.
fn ts_type(fields: &BTreeMap<String, serde_json::Value>, id: &str, depth: usize) -> String {
    let Some(field) = fields.get(id).filter(|_| depth < 8) else {
        return "unknown".into();
    };
    let literals = |values: &Vec<serde_json::Value>| {
        values
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let base = match (field["type"].as_str(), field["enum"].as_array()) {
        (Some("string" | "integer" | "number"), Some(values)) if !values.is_empty() => {
            literals(values)
        }
        (Some("string"), _) => "string".into(),
        (Some("integer" | "number"), _) => "number".into(),
        (Some("boolean"), _) => "boolean".into(),
        (Some("array"), _) => match field["items"].as_str() {
            Some(items) => format!("Array<{}>", ts_type(fields, items, depth + 1)),
            None => "unknown[]".into(),
        },
        (Some("object"), _) => id.to_upper_camel_case(),
        _ => "unknown".into(),
    };
    if field["nullable"].as_bool() == Some(true) {
        format!("{base} | null")
    } else {
        base
    }
}

/// One line on a field's constraints, for the field catalog.
fn constraints(field: &Value) -> String {
    let get = |key: &str| {
        field
            .get_attr(key)
            .ok()
            .filter(|v| !v.is_none() && !v.is_undefined())
    };
    let mut parts = Vec::new();
    if let Some(format) = get("format") {
        parts.push(format!("format {format}"));
    }
    if let Some(pattern) = get("pattern") {
        parts.push(format!("pattern `{pattern}`"));
    }
    match (get("minimum"), get("maximum")) {
        (Some(low), Some(high)) => parts.push(format!("{low}–{high}")),
        (Some(low), None) => parts.push(format!("≥ {low}")),
        (None, Some(high)) => parts.push(format!("≤ {high}")),
        (None, None) => {}
    }
    match (get("min_length"), get("max_length")) {
        (Some(low), Some(high)) => parts.push(format!("length {low}–{high}")),
        (Some(low), None) => parts.push(format!("length ≥ {low}")),
        (None, Some(high)) => parts.push(format!("length ≤ {high}")),
        (None, None) => {}
    }
    if let Some(values) = get("enum")
        && let Ok(values) = values.try_iter()
    {
        let shown: Vec<String> = values
            .map(|v| {
                if v.is_none() {
                    "null".into()
                } else {
                    v.to_string()
                }
            })
            .collect();
        parts.push(format!("one of {}", shown.join(", ")));
    }
    parts.join("; ")
}

/// A copy of the first map with the second one's entries added (keys sorted, as in all JSON
/// trailmap writes).
fn merge_json(first: Value, second: Value) -> Result<Value, Error> {
    let mut merged: BTreeMap<String, Value> = BTreeMap::new();
    for map in [first, second] {
        for key in map.try_iter()? {
            let value = map.get_item(&key)?;
            merged.insert(key.to_string(), value);
        }
    }
    Ok(Value::from(merged))
}

/// Builds the environment: built-in templates, then the overrides found in `overrides`
/// (a workspace's `templates/` or `--templates DIR`), same names.
pub fn environment(
    fields: BTreeMap<String, serde_json::Value>,
    overrides: &[&Path],
) -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()?,
    );
    // HTML and SVG templates escape every value as markup; the other targets escape with the
    // filter of their language.
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html.j2") || name.ends_with(".svg.j2") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    minijinja_embed::load_templates!(&mut env);
    for dir in overrides {
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                Error::new(
                    ErrorKind::InvalidOperation,
                    format!("cannot read templates: {e}"),
                )
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let name = crate::source::relative(dir, entry.path());
            let text = std::fs::read_to_string(entry.path()).map_err(|e| {
                Error::new(
                    ErrorKind::InvalidOperation,
                    format!("cannot read template {name}: {e}"),
                )
            })?;
            env.add_template_owned(name, text)?;
        }
    }
    env.add_filter("md_cell", |v: Value| md_cell(&v));
    env.add_filter("mermaid_label", |v: Value| mermaid_label(&v));
    env.add_filter("mermaid_id", |v: Value| mermaid_id(&v));
    env.add_filter("dot_string", |v: Value| dot_string(&v));
    env.add_filter("url_segment", |v: Value| url_segment(&v));
    env.add_filter("ts_comment", |v: Value| ts_comment(&v));
    env.add_filter("ts_key", |v: Value| ts_key(&v));
    env.add_filter("pascal", |v: Value| pascal(&v));
    env.add_filter("constraints", |v: Value| constraints(&v));
    env.add_filter("merge_json", merge_json);
    env.add_filter("ts_type", move |id: String| ts_type(&fields, &id, 0));
    Ok(env)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Value {
        Value::from(text)
    }

    #[test]
    fn markdown_cells_escape_pipes_and_markup() {
        assert_eq!(md_cell(&v("a | b\nc <script>")), "a \\| b c &lt;script&gt;");
        assert_eq!(md_cell(&Value::from(())), "");
    }

    #[test]
    fn mermaid_ids_are_never_keywords_and_never_collide() {
        assert_eq!(mermaid_id(&v("end")), "n_end");
        assert_eq!(mermaid_id(&v("graph")), "n_graph");
        assert_ne!(mermaid_id(&v("a-b")), mermaid_id(&v("a_b")));
        assert_ne!(mermaid_id(&v("a_2d_b")), mermaid_id(&v("a-b")));
        assert!(
            mermaid_id(&v("café [x]"))
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        );
    }

    #[test]
    fn mermaid_labels_escape_quotes_and_brackets() {
        assert_eq!(
            mermaid_label(&v("Say \"hi\" <b>#1</b>")),
            "Say #quot;hi#quot; #lt;b#gt;#35;1#lt;/b#gt;"
        );
    }

    #[test]
    fn dot_strings_escape_quotes_and_trailing_backslash() {
        assert_eq!(dot_string(&v("a \"b\" c\\")), "\"a \\\"b\\\" c\\\\\"");
        assert_eq!(dot_string(&v("two\nlines")), "\"two\\nlines\"");
    }

    #[test]
    fn url_segments_encode_spaces_and_markup() {
        assert_eq!(url_segment(&v("add_to_cart")), "add_to_cart");
        assert_eq!(url_segment(&v("Order Completed")), "Order%20Completed");
        assert_eq!(url_segment(&v("a#b/c")), "a%23b%2Fc");
    }

    #[test]
    fn typescript_keys_and_comments() {
        assert_eq!(ts_key(&v("sku")), "sku");
        assert_eq!(ts_key(&v("page-url")), "\"page-url\"");
        assert_eq!(ts_comment(&v("ends */ here")), "ends *\\/ here");
    }
}
