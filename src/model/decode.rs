//! Decoding YAML trees into the model, one function per kind of item.

use crate::diagnostics::{Diagnostic, Level};
use crate::source::yaml::{Node, Value};
use crate::source::{Span, Spanned};

use super::structure::{Decoder, Fields, INVALID_VALUE};
use super::*;

/// The kinds of file a workspace holds; each has its own top-level keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Manifest,
    Catalog,
    Journey,
}

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
    let Some(mut f) = d.fields(root, what, file_start) else {
        return workspace;
    };
    d.format_version(&mut f, file_start);
    f.allow_extensions();
    match kind {
        FileKind::Manifest => workspace.manifest = Some(manifest(d, &mut f, file)),
        FileKind::Catalog => catalog(d, &mut f, &mut workspace),
        FileKind::Journey => workspace.journeys.extend(journey(d, &mut f, file)),
    }
    f.finish(d);
    workspace
}

fn opt_text(d: &mut Decoder, f: &mut Fields<'_>, key: &'static str) -> Option<Text> {
    f.optional(key).and_then(|node| d.text(node))
}

fn req_text(d: &mut Decoder, f: &mut Fields<'_>, key: &'static str) -> Option<Text> {
    f.required(d, key).and_then(|node| d.text(node))
}

fn opt_list(d: &mut Decoder, f: &mut Fields<'_>, key: &'static str) -> Vec<Text> {
    f.optional(key)
        .map(|node| d.text_list(node))
        .unwrap_or_default()
}

fn opt_bool(d: &mut Decoder, f: &mut Fields<'_>, key: &'static str) -> Option<Spanned<bool>> {
    f.optional(key).and_then(|node| d.boolean(node))
}

fn opt_duration(d: &mut Decoder, f: &mut Fields<'_>, key: &'static str) -> Setting<Duration> {
    match f.optional(key) {
        None => Setting::Absent,
        Some(node) => d.duration(node).map_or(Setting::Unreadable, Setting::Set),
    }
}

fn opt_count(d: &mut Decoder, f: &mut Fields<'_>, key: &'static str) -> Option<Spanned<u64>> {
    f.optional(key).and_then(|node| d.count(node))
}

fn allow(d: &mut Decoder, f: &mut Fields<'_>) -> Vec<Allow> {
    let scope = f.scope();
    let Some(node) = f.optional("allow") else {
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

/// Decodes every `id: {…}` entry of a section with `item`.
fn section<T>(
    d: &mut Decoder,
    f: &mut Fields<'_>,
    key: &'static str,
    singular: &str,
    item: impl Fn(&mut Decoder, &mut Fields<'_>, Id) -> T,
) -> Vec<T> {
    let Some(node) = f.optional(key) else {
        return Vec::new();
    };
    let mut items = Vec::new();
    for (id, value) in d.id_map(node, key) {
        let what = format!("{singular} `{}`", id.value);
        // An item whose value is not a map is reported once and still defined, so that
        // references to it do not turn into a second wave of findings.
        let mut fields = d
            .fields(value, what.clone(), id.span)
            .unwrap_or_else(|| Fields::quiet(what, id.span));
        items.push(item(d, &mut fields, id));
        fields.finish(d);
    }
    items
}

fn catalog(d: &mut Decoder, f: &mut Fields<'_>, w: &mut Workspace) {
    w.teams = section(d, f, "teams", "team", team);
    w.channels = section(d, f, "channels", "channel", channel);
    w.touchpoints = section(d, f, "touchpoints", "touchpoint", touchpoint);
    w.events = section(d, f, "events", "event", event);
    w.fields = section(d, f, "fields", "field", field);
    w.classifications = section(d, f, "classifications", "classification", classification);
    w.purposes = section(d, f, "purposes", "purpose", purpose);
    w.destinations = section(d, f, "destinations", "destination", destination);
    w.metrics = section(d, f, "metrics", "metric", metric);
}

fn team(d: &mut Decoder, f: &mut Fields<'_>, id: Id) -> Team {
    Team {
        id,
        name: req_text(d, f, "name"),
        contact: req_text(d, f, "contact"),
        escalation: opt_text(d, f, "escalation"),
        description: opt_text(d, f, "description"),
        placeholder: opt_bool(d, f, "placeholder"),
        allow: allow(d, f),
    }
}

fn channel(d: &mut Decoder, f: &mut Fields<'_>, id: Id) -> Channel {
    let targets = f.optional("targets").and_then(|node| {
        let mut t = d.fields(
            node,
            format!("the targets of channel `{}`", id.value),
            node.span,
        )?;
        let targets = ChannelTargets {
            span: Some(node.span),
            adoption: t.optional("adoption").and_then(|n| d.percent(n)),
            revenue_share: t.optional("revenue_share").and_then(|n| d.percent(n)),
            delivery_time: opt_duration(d, &mut t, "delivery_time"),
            on_time_rate: t.optional("on_time_rate").and_then(|n| d.percent(n)),
        };
        t.finish(d);
        Some(targets)
    });
    Channel {
        name: req_text(d, f, "name"),
        kind: f
            .required(d, "kind")
            .and_then(|n| d.choice(n, CHANNEL_KINDS)),
        owner: opt_text(d, f, "owner"),
        description: opt_text(d, f, "description"),
        targets,
        allow: allow(d, f),
        id,
    }
}

fn touchpoint(d: &mut Decoder, f: &mut Fields<'_>, id: Id) -> Touchpoint {
    Touchpoint {
        id,
        name: req_text(d, f, "name"),
        channel: req_text(d, f, "channel"),
        owner: opt_text(d, f, "owner"),
        description: opt_text(d, f, "description"),
        user_goal: opt_text(d, f, "user_goal"),
        emits: opt_list(d, f, "emits"),
        captures_consent: opt_list(d, f, "captures_consent"),
        allow: allow(d, f),
    }
}

/// `properties: { sku: required, price: optional, id: { field: order_id, required: true } }`:
/// the key is the property's name in the payload; the field is the key itself, or the one
/// named by `field:` (so two events can carry a property `id` defined differently).
fn properties(d: &mut Decoder, f: &mut Fields<'_>) -> Vec<PropertyRef> {
    let Some(node) = f.optional("properties") else {
        return Vec::new();
    };
    d.id_map(node, "properties")
        .into_iter()
        .filter_map(|(name, presence)| {
            if let Value::Map(_) = presence.value {
                let what = format!("property `{}`", name.value);
                let mut p = d.fields(presence, what, name.span)?;
                let field = req_text(d, &mut p, "field");
                let required = opt_bool(d, &mut p, "required")
                    .unwrap_or_else(|| Spanned::new(false, presence.span));
                p.finish(d);
                return Some(PropertyRef {
                    name,
                    field: field?,
                    required,
                });
            }
            let word = d.choice(presence, &["required", "optional"])?;
            Some(PropertyRef {
                field: name.clone(),
                name,
                required: Spanned::new(word.value == "required", word.span),
            })
        })
        .collect()
}

fn examples(d: &mut Decoder, f: &mut Fields<'_>) -> Vec<Node> {
    f.optional("examples")
        .map(|node| d.list(node).to_vec())
        .unwrap_or_default()
}

/// `version: 1-0-0`: SchemaVer, three whole numbers joined by `-`.
fn schemaver(d: &mut Decoder, f: &mut Fields<'_>) -> Option<Text> {
    let text = opt_text(d, f, "version")?;
    let parts: Vec<&str> = text.value.split('-').collect();
    let valid = parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars().all(|c| c.is_ascii_digit())
                && (*p == "0" || !p.starts_with('0'))
        });
    if valid {
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
        description: opt_text(d, f, "description"),
        owner: opt_text(d, f, "owner"),
        status: f
            .optional("status")
            .and_then(|n| d.choice(n, EVENT_STATUSES)),
        version: schemaver(d, f),
        purposes: opt_list(d, f, "purposes"),
        destinations: opt_list(d, f, "destinations"),
        properties: properties(d, f),
        additional_properties: opt_bool(d, f, "additional_properties"),
        examples: examples(d, f),
        allow: allow(d, f),
    }
}

fn field(d: &mut Decoder, f: &mut Fields<'_>, id: Id) -> Field {
    Field {
        field_type: f.required(d, "type").and_then(|n| d.choice(n, FIELD_TYPES)),
        description: opt_text(d, f, "description"),
        classification: opt_text(d, f, "classification"),
        identifier: opt_bool(d, f, "identifier"),
        purposes: opt_list(d, f, "purposes"),
        retention: opt_duration(d, f, "retention"),
        nullable: opt_bool(d, f, "nullable"),
        format: f
            .optional("format")
            .and_then(|n| d.choice(n, FIELD_FORMATS)),
        pattern: opt_text(d, f, "pattern"),
        enum_values: f.optional("enum").and_then(|node| {
            let values = d.list(node).to_vec();
            matches!(node.value, Value::Seq(_)).then(|| Spanned::new(values, node.span))
        }),
        minimum: f.optional("minimum").and_then(|n| d.number(n)),
        maximum: f.optional("maximum").and_then(|n| d.number(n)),
        min_length: opt_count(d, f, "min_length"),
        max_length: opt_count(d, f, "max_length"),
        items: opt_text(d, f, "items"),
        min_items: opt_count(d, f, "min_items"),
        max_items: opt_count(d, f, "max_items"),
        properties: properties(d, f),
        additional_properties: opt_bool(d, f, "additional_properties"),
        examples: examples(d, f),
        allow: allow(d, f),
        id,
    }
}

fn classification(d: &mut Decoder, f: &mut Fields<'_>, id: Id) -> Classification {
    Classification {
        id,
        rank: f.required(d, "rank").and_then(|n| d.count(n)),
        description: opt_text(d, f, "description"),
        requires_purpose: opt_bool(d, f, "requires_purpose"),
        max_retention: opt_duration(d, f, "max_retention"),
        lawful_basis: opt_list(d, f, "lawful_basis"),
        placeholder: opt_bool(d, f, "placeholder"),
        allow: allow(d, f),
    }
}

fn purpose(d: &mut Decoder, f: &mut Fields<'_>, id: Id) -> Purpose {
    Purpose {
        id,
        description: opt_text(d, f, "description"),
        lawful_basis: req_text(d, f, "lawful_basis"),
        consent_mode: opt_list(d, f, "consent_mode"),
        tcf: f
            .optional("tcf")
            .map(|node| d.list(node).iter().filter_map(|n| d.count(n)).collect())
            .unwrap_or_default(),
        allow: allow(d, f),
    }
}

fn destination(d: &mut Decoder, f: &mut Fields<'_>, id: Id) -> Destination {
    Destination {
        id,
        description: opt_text(d, f, "description"),
        owner: opt_text(d, f, "owner"),
        purposes: opt_list(d, f, "purposes"),
        retention: opt_duration(d, f, "retention"),
        third_party: opt_bool(d, f, "third_party"),
        allow: allow(d, f),
    }
}

fn metric(d: &mut Decoder, f: &mut Fields<'_>, id: Id) -> Metric {
    Metric {
        id,
        name: opt_text(d, f, "name"),
        description: opt_text(d, f, "description"),
        owner: opt_text(d, f, "owner"),
        events: opt_list(d, f, "events"),
        target: opt_text(d, f, "target"),
        allow: allow(d, f),
    }
}

fn journey(d: &mut Decoder, f: &mut Fields<'_>, file: FileId) -> Option<Journey> {
    let id = req_text(d, f, "journey");
    let what = |id: &Option<Id>| match id {
        Some(id) => format!("journey `{}`", id.value),
        None => "the journey".to_string(),
    };
    let stages = f.required(d, "stages").map(|node| {
        d.list(node)
            .iter()
            .filter_map(|item| {
                let mut s = d.fields(item, format!("a stage of {}", what(&id)), item.span)?;
                // Every key is read even without an id, so that the stage's other keys are not
                // reported as unknown.
                let stage_id = s.required(d, "id").and_then(|n| d.text(n));
                let name = opt_text(d, &mut s, "name");
                let description = opt_text(d, &mut s, "description");
                let touchpoints = opt_list(d, &mut s, "touchpoints");
                let allow = allow(d, &mut s);
                s.finish(d);
                stage_id.map(|id| Stage {
                    id,
                    name,
                    description,
                    touchpoints,
                    allow,
                })
            })
            .collect()
    });
    let handoffs = f
        .optional("handoffs")
        .map(|node| {
            d.list(node)
                .iter()
                .filter_map(|item| {
                    let mut h = d.fields(item, format!("a handoff of {}", what(&id)), item.span)?;
                    let handoff = Handoff {
                        span: item.span,
                        from: req_text(d, &mut h, "from"),
                        to: req_text(d, &mut h, "to"),
                        when: opt_text(d, &mut h, "when"),
                        owner: opt_text(d, &mut h, "owner"),
                        sla: opt_duration(d, &mut h, "sla"),
                        carries: opt_list(d, &mut h, "carries"),
                        is_loop: opt_bool(d, &mut h, "loop"),
                        description: opt_text(d, &mut h, "description"),
                        allow: allow(d, &mut h),
                    };
                    h.finish(d);
                    Some(handoff)
                })
                .collect()
        })
        .unwrap_or_default();
    let journey = Journey {
        file,
        name: req_text(d, f, "name"),
        description: opt_text(d, f, "description"),
        owner: opt_text(d, f, "owner"),
        goal: req_text(d, f, "goal"),
        sla: opt_duration(d, f, "sla"),
        stages: stages.unwrap_or_default(),
        handoffs,
        allow: allow(d, f),
        id: id.clone()?,
    };
    Some(journey)
}

fn convention(d: &mut Decoder, node: &Node, kind: &str) -> Option<Convention> {
    let mut c = d.fields(node, format!("the naming convention for {kind}"), node.span)?;
    let convention = Convention {
        case: c.optional("case").and_then(|n| d.choice(n, NAME_CASES)),
        pattern: opt_text(d, &mut c, "pattern"),
        max_length: opt_count(d, &mut c, "max_length"),
        reserved: opt_list(d, &mut c, "reserved"),
        forbidden_prefixes: opt_list(d, &mut c, "forbidden_prefixes"),
    };
    c.finish(d);
    Some(convention)
}

fn manifest(d: &mut Decoder, f: &mut Fields<'_>, file: FileId) -> Manifest {
    let mut naming = Naming::default();
    if let Some(node) = f.optional("naming")
        && let Some(mut n) = d.fields(node, "the `naming` settings", node.span)
    {
        naming.preset = opt_text(d, &mut n, "preset");
        for &kind in NAMING_KINDS {
            if let Some(value) = n.optional(kind) {
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
        .optional("rules")
        .map(|node| {
            d.id_map(node, "rule levels")
                .into_iter()
                .filter_map(|(rule, level)| {
                    let word = d.choice(level, &["error", "warning", "off"])?;
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
        name: req_text(d, f, "name"),
        description: opt_text(d, f, "description"),
        naming,
        rules,
    }
}
