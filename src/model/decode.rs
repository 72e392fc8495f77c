//! Decoding YAML trees into the model, one function per kind of item.

use crate::diagnostics::{Diagnostic, Level};
use crate::source::yaml::{Node, Value};
use crate::source::{Span, Spanned};

use super::language::{self, Item, Shape};
use super::structure::{Decoder, Fields, INVALID_VALUE};
use super::*;

/// Decodes one file's root node into a workspace fragment.
pub fn file(d: &mut Decoder, kind: FileKind, root: Option<&Node>, file: FileId) -> Workspace {
    let mut workspace = Workspace::default();
    let file_start = Span::file_start(file);
    let empty = Node {
        value: Value::Map(Vec::new()),
        span: file_start,
    };
    let root = root.unwrap_or(&empty);
    let what = match kind {
        FileKind::Manifest => "the workspace manifest",
        FileKind::Catalog => "a catalog file",
        FileKind::Journey => "a journey file",
    };
    let Some(mut f) = d.fields(root, kind.item(), what, file_start) else {
        return workspace;
    };
    d.format_version(&mut f, file_start);
    match kind {
        FileKind::Manifest => workspace.manifest = Some(manifest(d, &mut f, file)),
        FileKind::Catalog => catalog(d, &mut f, &mut workspace),
        FileKind::Journey => workspace.journeys.extend(journey(d, &mut f, file)),
    }
    f.finish(d);
    workspace
}

fn text(d: &mut Decoder, f: &mut Fields<'_>, key: &'static str) -> Option<Text> {
    f.value(d, key, Shape::Text).and_then(|node| d.text(node))
}

fn text_list(d: &mut Decoder, f: &mut Fields<'_>, key: &'static str) -> Vec<Text> {
    f.value(d, key, Shape::TextList)
        .map(|node| d.text_list(node))
        .unwrap_or_default()
}

fn flag(d: &mut Decoder, f: &mut Fields<'_>, key: &'static str) -> Option<Spanned<bool>> {
    f.value(d, key, Shape::Flag)
        .and_then(|node| d.boolean(node))
}

fn duration(d: &mut Decoder, f: &mut Fields<'_>, key: &'static str) -> Setting<Duration> {
    match f.value(d, key, Shape::Duration) {
        None => Setting::Absent,
        Some(node) => d.duration(node).map_or(Setting::Unreadable, Setting::Set),
    }
}

fn count(d: &mut Decoder, f: &mut Fields<'_>, key: &'static str) -> Option<Spanned<u64>> {
    f.value(d, key, Shape::Count).and_then(|node| d.count(node))
}

fn number(
    d: &mut Decoder,
    f: &mut Fields<'_>,
    key: &'static str,
) -> Option<Spanned<serde_json::Number>> {
    f.value(d, key, Shape::Number)
        .and_then(|node| d.number(node))
}

fn percent(d: &mut Decoder, f: &mut Fields<'_>, key: &'static str) -> Option<Spanned<f64>> {
    f.value(d, key, Shape::Percent)
        .and_then(|node| d.percent(node))
}

fn word(
    d: &mut Decoder,
    f: &mut Fields<'_>,
    key: &'static str,
    words: &'static [&'static str],
) -> Option<Spanned<&'static str>> {
    f.value(d, key, Shape::Word(words))
        .and_then(|node| d.choice(node, words))
}

fn allow(d: &mut Decoder, f: &mut Fields<'_>) -> Vec<Allow> {
    let scope = f.scope();
    let Some(node) = f.value(d, "allow", Shape::Waivers) else {
        return Vec::new();
    };
    // `allow: [R003]` is the form people guess first; a waiver needs its reason next to it.
    if let Value::Seq(codes) = &node.value {
        let first = codes
            .first()
            .and_then(|code| match &code.value {
                Value::Scalar(scalar) => Some(scalar.text.clone()),
                _ => None,
            })
            .unwrap_or_else(|| "R003".into());
        d.report(
            Diagnostic::new(
                &INVALID_VALUE,
                node.span,
                "a waiver needs the reason it is granted",
            )
            .with_help(format!(
                "write `allow: {{ {first}: \"why this rule does not apply here\" }}`"
            )),
        );
        return Vec::new();
    }
    d.id_map(node, "rule waivers")
        .into_iter()
        .filter_map(|(rule, reason)| {
            let reason = d.text(reason)?;
            Some(Allow {
                scope,
                rule,
                reason,
            })
        })
        .collect()
}

/// Decodes every `id: {…}` entry of a section with `decode`.
fn section<T>(
    d: &mut Decoder,
    f: &mut Fields<'_>,
    key: &'static str,
    item: &'static Item,
    decode: impl Fn(&mut Decoder, &mut Fields<'_>, Id) -> T,
) -> Vec<T> {
    let Some(node) = f.value(d, key, Shape::Section(item)) else {
        return Vec::new();
    };
    let mut items = Vec::new();
    for (id, value) in d.id_map(node, key) {
        let what = format!("{} `{}`", item.name, id.value);
        // An item whose value is not a map is reported once and still defined, so that
        // references to it do not turn into a second wave of findings.
        let mut fields = d
            .fields(value, item, what.clone(), id.span)
            .unwrap_or_else(|| Fields::quiet(item, what, id.span));
        items.push(decode(d, &mut fields, id));
        fields.finish(d);
    }
    items
}

/// Decodes every map of a list of items with `decode`; items that are not maps are reported
/// and left out.
fn list_of<T>(
    d: &mut Decoder,
    f: &mut Fields<'_>,
    key: &'static str,
    item: &'static Item,
    what: &str,
    decode: impl Fn(&mut Decoder, &mut Fields<'_>, Span) -> Option<T>,
) -> Option<Vec<T>> {
    let node = f.value(d, key, Shape::List(item))?;
    let decoded = d
        .list(node)
        .iter()
        .filter_map(|value| {
            let mut fields = d.fields(
                value,
                item,
                format!("a {} of {what}", item.name),
                value.span,
            )?;
            let decoded = decode(d, &mut fields, value.span);
            fields.finish(d);
            decoded
        })
        .collect();
    Some(decoded)
}

fn catalog(d: &mut Decoder, f: &mut Fields<'_>, w: &mut Workspace) {
    w.teams = section(d, f, "teams", &language::TEAM, team);
    w.channels = section(d, f, "channels", &language::CHANNEL, channel);
    w.touchpoints = section(d, f, "touchpoints", &language::TOUCHPOINT, touchpoint);
    w.events = section(d, f, "events", &language::EVENT, event);
    w.fields = section(d, f, "fields", &language::FIELD, field);
    w.classifications = section(
        d,
        f,
        "classifications",
        &language::CLASSIFICATION,
        classification,
    );
    w.purposes = section(d, f, "purposes", &language::PURPOSE, purpose);
    w.destinations = section(d, f, "destinations", &language::DESTINATION, destination);
    w.metrics = section(d, f, "metrics", &language::METRIC, metric);
}

fn team(d: &mut Decoder, f: &mut Fields<'_>, id: Id) -> Team {
    Team {
        id,
        name: text(d, f, "name"),
        contact: text(d, f, "contact"),
        escalation: text(d, f, "escalation"),
        description: text(d, f, "description"),
        placeholder: flag(d, f, "placeholder"),
        allow: allow(d, f),
    }
}

fn channel(d: &mut Decoder, f: &mut Fields<'_>, id: Id) -> Channel {
    let item = &language::CHANNEL_TARGETS;
    let targets = f.value(d, "targets", Shape::Map(item)).and_then(|node| {
        let what = format!("the targets of channel `{}`", id.value);
        let mut t = d.fields(node, item, what, node.span)?;
        let targets = ChannelTargets {
            span: Some(node.span),
            adoption: percent(d, &mut t, "adoption"),
            revenue_share: percent(d, &mut t, "revenue_share"),
            delivery_time: duration(d, &mut t, "delivery_time"),
            on_time_rate: percent(d, &mut t, "on_time_rate"),
        };
        t.finish(d);
        Some(targets)
    });
    Channel {
        name: text(d, f, "name"),
        kind: word(d, f, "kind", CHANNEL_KINDS),
        owner: text(d, f, "owner"),
        description: text(d, f, "description"),
        targets,
        allow: allow(d, f),
        id,
    }
}

fn touchpoint(d: &mut Decoder, f: &mut Fields<'_>, id: Id) -> Touchpoint {
    Touchpoint {
        id,
        name: text(d, f, "name"),
        channel: text(d, f, "channel"),
        owner: text(d, f, "owner"),
        description: text(d, f, "description"),
        user_goal: text(d, f, "user_goal"),
        emits: text_list(d, f, "emits"),
        captures_consent: text_list(d, f, "captures_consent"),
        allow: allow(d, f),
    }
}

/// `properties: { sku: required, price: optional, id: { field: order_id, required: true } }`:
/// the key is the property's name in the payload; the field is the key itself, or the one
/// named by `field:` (so two events can carry a property `id` defined differently).
fn properties(d: &mut Decoder, f: &mut Fields<'_>) -> Vec<PropertyRef> {
    let Some(node) = f.value(d, "properties", Shape::FieldPresences) else {
        return Vec::new();
    };
    d.id_map(node, "properties")
        .into_iter()
        .filter_map(|(name, presence)| {
            if let Value::Map(_) = presence.value {
                let item = &language::PROPERTY_REFERENCE;
                let what = format!("property `{}`", name.value);
                let mut p = d.fields(presence, item, what, name.span)?;
                let field = text(d, &mut p, "field");
                let required = flag(d, &mut p, "required")
                    .unwrap_or_else(|| Spanned::new(false, presence.span));
                p.finish(d);
                return Some(PropertyRef {
                    name,
                    field: field?,
                    required,
                });
            }
            let word = d.choice(presence, PRESENCES)?;
            Some(PropertyRef {
                field: name.clone(),
                name,
                required: Spanned::new(word.value == "required", word.span),
            })
        })
        .collect()
}

/// A list of values of any type, kept as YAML nodes so a failing value can be pointed at.
fn any_list(d: &mut Decoder, f: &mut Fields<'_>, key: &'static str) -> Option<Spanned<Vec<Node>>> {
    let node = f.value(d, key, Shape::AnyList)?;
    let values = d.list(node).to_vec();
    matches!(node.value, Value::Seq(_)).then(|| Spanned::new(values, node.span))
}

fn examples(d: &mut Decoder, f: &mut Fields<'_>) -> Vec<Node> {
    any_list(d, f, "examples")
        .map(|examples| examples.value)
        .unwrap_or_default()
}

/// The loader's reading of [`SCHEMAVER_PATTERN`], compiled once.
static SCHEMAVER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(SCHEMAVER_PATTERN).expect("the SchemaVer pattern compiles")
});

/// `version: 1-0-0`: SchemaVer, three whole numbers joined by `-`.
fn schemaver(d: &mut Decoder, f: &mut Fields<'_>) -> Option<Text> {
    let text = f
        .value(d, "version", Shape::SchemaVer)
        .and_then(|node| d.text(node))?;
    if SCHEMAVER.is_match(&text.value) {
        Some(text)
    } else {
        d.report(
            Diagnostic::new(
                &INVALID_VALUE,
                text.span,
                format!("`{}` is not a SchemaVer version", text.value),
            )
            .with_help("write MODEL-REVISION-ADDITION, e.g. `1-0-0`"),
        );
        None
    }
}

fn event(d: &mut Decoder, f: &mut Fields<'_>, id: Id) -> Event {
    Event {
        id,
        description: text(d, f, "description"),
        owner: text(d, f, "owner"),
        status: word(d, f, "status", EVENT_STATUSES),
        version: schemaver(d, f),
        purposes: text_list(d, f, "purposes"),
        destinations: text_list(d, f, "destinations"),
        properties: properties(d, f),
        additional_properties: flag(d, f, "additional_properties"),
        examples: examples(d, f),
        renamed_to: text(d, f, "renamed_to"),
        allow: allow(d, f),
    }
}

fn field(d: &mut Decoder, f: &mut Fields<'_>, id: Id) -> Field {
    Field {
        field_type: word(d, f, "type", FIELD_TYPES),
        description: text(d, f, "description"),
        classification: text(d, f, "classification"),
        identifier: flag(d, f, "identifier"),
        purposes: text_list(d, f, "purposes"),
        retention: duration(d, f, "retention"),
        nullable: flag(d, f, "nullable"),
        format: word(d, f, "format", FIELD_FORMATS),
        pattern: text(d, f, "pattern"),
        enum_values: any_list(d, f, "enum"),
        minimum: number(d, f, "minimum"),
        maximum: number(d, f, "maximum"),
        min_length: count(d, f, "min_length"),
        max_length: count(d, f, "max_length"),
        items: text(d, f, "items"),
        min_items: count(d, f, "min_items"),
        max_items: count(d, f, "max_items"),
        properties: properties(d, f),
        additional_properties: flag(d, f, "additional_properties"),
        examples: examples(d, f),
        renamed_to: text(d, f, "renamed_to"),
        allow: allow(d, f),
        id,
    }
}

fn classification(d: &mut Decoder, f: &mut Fields<'_>, id: Id) -> Classification {
    Classification {
        id,
        rank: count(d, f, "rank"),
        description: text(d, f, "description"),
        requires_purpose: flag(d, f, "requires_purpose"),
        max_retention: duration(d, f, "max_retention"),
        lawful_basis: text_list(d, f, "lawful_basis"),
        placeholder: flag(d, f, "placeholder"),
        allow: allow(d, f),
    }
}

fn purpose(d: &mut Decoder, f: &mut Fields<'_>, id: Id) -> Purpose {
    Purpose {
        id,
        description: text(d, f, "description"),
        lawful_basis: text(d, f, "lawful_basis"),
        consent_mode: text_list(d, f, "consent_mode"),
        tcf: f
            .value(d, "tcf", Shape::CountList)
            .map(|node| d.list(node).iter().filter_map(|n| d.count(n)).collect())
            .unwrap_or_default(),
        allow: allow(d, f),
    }
}

fn destination(d: &mut Decoder, f: &mut Fields<'_>, id: Id) -> Destination {
    Destination {
        id,
        description: text(d, f, "description"),
        owner: text(d, f, "owner"),
        purposes: text_list(d, f, "purposes"),
        retention: duration(d, f, "retention"),
        third_party: flag(d, f, "third_party"),
        allow: allow(d, f),
    }
}

fn metric(d: &mut Decoder, f: &mut Fields<'_>, id: Id) -> Metric {
    Metric {
        id,
        name: text(d, f, "name"),
        description: text(d, f, "description"),
        owner: text(d, f, "owner"),
        events: text_list(d, f, "events"),
        target: text(d, f, "target"),
        allow: allow(d, f),
    }
}

fn journey(d: &mut Decoder, f: &mut Fields<'_>, file: FileId) -> Option<Journey> {
    let id = text(d, f, "journey");
    let what = match &id {
        Some(id) => format!("journey `{}`", id.value),
        None => "the journey".to_string(),
    };
    let stages = list_of(d, f, "stages", &language::STAGE, &what, |d, s, _| {
        // Every key is read even without an id, so that the stage's other keys are not
        // reported as unknown.
        let stage_id = text(d, s, "id");
        let name = text(d, s, "name");
        let description = text(d, s, "description");
        let touchpoints = text_list(d, s, "touchpoints");
        let allow = allow(d, s);
        stage_id.map(|id| Stage {
            id,
            name,
            description,
            touchpoints,
            allow,
        })
    });
    let handoffs = list_of(d, f, "handoffs", &language::HANDOFF, &what, |d, h, span| {
        Some(Handoff {
            span,
            from: text(d, h, "from"),
            to: text(d, h, "to"),
            when: text(d, h, "when"),
            owner: text(d, h, "owner"),
            sla: duration(d, h, "sla"),
            carries: text_list(d, h, "carries"),
            is_loop: flag(d, h, "loop"),
            description: text(d, h, "description"),
            allow: allow(d, h),
        })
    });
    let journey = Journey {
        file,
        name: text(d, f, "name"),
        description: text(d, f, "description"),
        owner: text(d, f, "owner"),
        goal: text(d, f, "goal"),
        sla: duration(d, f, "sla"),
        stages: stages.unwrap_or_default(),
        handoffs: handoffs.unwrap_or_default(),
        allow: allow(d, f),
        id: id.clone()?,
    };
    Some(journey)
}

fn convention(d: &mut Decoder, node: &Node, kind: &str) -> Option<Convention> {
    let item = &language::CONVENTION;
    let mut c = d.fields(
        node,
        item,
        format!("the naming convention for {kind}"),
        node.span,
    )?;
    let convention = Convention {
        case: word(d, &mut c, "case", NAME_CASES),
        pattern: text(d, &mut c, "pattern"),
        max_length: count(d, &mut c, "max_length"),
        reserved: text_list(d, &mut c, "reserved"),
        forbidden_prefixes: text_list(d, &mut c, "forbidden_prefixes"),
    };
    c.finish(d);
    Some(convention)
}

fn manifest(d: &mut Decoder, f: &mut Fields<'_>, file: FileId) -> Manifest {
    let mut naming = Naming::default();
    let item = &language::NAMING;
    if let Some(node) = f.value(d, "naming", Shape::Map(item))
        && let Some(mut n) = d.fields(node, item, "the `naming` settings", node.span)
    {
        naming.preset = text(d, &mut n, "preset");
        // The kinds of id with a convention are the keys of the table that hold one.
        let convention_shape = Shape::Map(&language::CONVENTION);
        for key in item.keys.iter().filter(|key| key.shape == convention_shape) {
            let kind = key.name;
            if let Some(value) = n.value(d, kind, convention_shape) {
                let key_span = match &node.value {
                    Value::Map(entries) => entries
                        .iter()
                        .find(|e| e.key == kind)
                        .map_or(value.span, |e| e.key_span),
                    _ => value.span,
                };
                if let Some(convention) = convention(d, value, kind) {
                    naming
                        .kinds
                        .push((Spanned::new(kind, key_span), convention));
                }
            }
        }
        n.finish(d);
    }
    let rules = f
        .value(d, "rules", Shape::RuleLevels)
        .map(|node| {
            d.id_map(node, "rule levels")
                .into_iter()
                .filter_map(|(rule, level)| {
                    let word = d.choice(level, RULE_LEVELS)?;
                    let level = match word.value {
                        "error" => Level::Error,
                        "warning" => Level::Warning,
                        _ => Level::Off,
                    };
                    Some((rule, Spanned::new(level, word.span)))
                })
                .collect()
        })
        .unwrap_or_default();
    Manifest {
        file,
        name: text(d, f, "name"),
        description: text(d, f, "description"),
        naming,
        rules,
    }
}

#[cfg(test)]
mod tests {
    use super::language::samples;
    use super::*;
    use crate::source::yaml;

    /// Decodes a document given as JSON, which is YAML too.
    fn findings(kind: FileKind, document: &serde_json::Value) -> Vec<&'static str> {
        let text = serde_json::to_string_pretty(document).unwrap();
        let parsed = yaml::parse(FileId(0), &text);
        assert!(parsed.errors.is_empty(), "{text}");
        let mut decoder = Decoder::default();
        file(&mut decoder, kind, parsed.root.as_ref(), FileId(0));
        decoder.diagnostics.iter().map(|d| d.rule.code).collect()
    }

    #[test]
    fn every_key_of_the_tables_is_read_with_its_shape() {
        // In debug builds the decoder also asserts that it reads each key of a table, and
        // with the shape the table gives.
        for kind in FileKind::ALL {
            let document = samples::complete(kind.item());
            assert_eq!(
                findings(kind, &document),
                Vec::<&str>::new(),
                "{document:#}"
            );
        }
    }

    #[test]
    fn keys_outside_the_tables_and_missing_required_keys_are_reported() {
        for kind in FileKind::ALL {
            for (mistake, document) in samples::broken(kind) {
                let codes = findings(kind, &document);
                let expected = if mistake.contains("unknown") {
                    "S004"
                } else if mistake.contains("`version`") {
                    "S007"
                } else {
                    "S006"
                };
                assert_eq!(codes, [expected], "{mistake}");
            }
        }
    }
}
