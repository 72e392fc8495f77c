//! The typed model of a workspace: every item and every value keeps the span it was read from.
//!
//! The model is what the files say, nothing resolved: references are still names. The
//! [`plan`](crate::plan) resolves them.

mod decode;
pub mod duration;
pub mod language;
mod load;
pub mod structure;

pub use duration::Duration;
pub use language::FileKind;
pub use load::{LoadError, Loaded, load, load_files};

use crate::diagnostics::Level;
use crate::source::yaml::Node;
use crate::source::{FileId, Span, Spanned};

/// An id or a reference to one, as written.
pub type Id = Spanned<String>;

/// A name made safe as an id, a file name or a component key: ASCII letters, digits, `_`, `-`
/// and `.` kept, anything else `_`.
pub fn safe_id(name: &str) -> String {
    let id: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if id.is_empty() { "_".into() } else { id }
}
pub type Text = Spanned<String>;

/// A value that may be absent, written but unreadable (reported once, where it is written), or
/// set. Rules about missing values look only at `Absent`, so an unreadable value is not
/// reported a second time as a missing one.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Setting<T> {
    #[default]
    Absent,
    Unreadable,
    Set(Spanned<T>),
}

impl<T> Setting<T> {
    pub fn get(&self) -> Option<&Spanned<T>> {
        match self {
            Setting::Set(value) => Some(value),
            Setting::Absent | Setting::Unreadable => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Setting::Absent)
    }
}

/// A rule waived for one item, with the reason the author gave.
#[derive(Clone, Debug)]
pub struct Allow {
    /// The text of the item the waiver belongs to (its id and value); findings inside it are
    /// waived.
    pub scope: Span,
    pub rule: Text,
    pub reason: Text,
}

#[derive(Clone, Debug)]
pub struct Team {
    pub id: Id,
    pub name: Option<Text>,
    pub contact: Option<Text>,
    pub escalation: Option<Text>,
    pub description: Option<Text>,
    /// Written by an importer where the source names no owner: to be replaced by a real team.
    pub placeholder: Option<Spanned<bool>>,
    pub allow: Vec<Allow>,
}

pub const CHANNEL_KINDS: &[&str] = &[
    "web",
    "app",
    "store",
    "email",
    "sms",
    "push",
    "social",
    "chat",
    "voice",
    "ads",
    "marketplace",
];

/// Business-plan targets of a sales channel.
#[derive(Clone, Debug, Default)]
pub struct ChannelTargets {
    pub span: Option<Span>,
    pub adoption: Option<Spanned<f64>>,
    pub revenue_share: Option<Spanned<f64>>,
    pub delivery_time: Setting<Duration>,
    pub on_time_rate: Option<Spanned<f64>>,
}

#[derive(Clone, Debug)]
pub struct Channel {
    pub id: Id,
    pub name: Option<Text>,
    pub kind: Option<Spanned<&'static str>>,
    pub owner: Option<Id>,
    pub description: Option<Text>,
    pub targets: Option<ChannelTargets>,
    pub allow: Vec<Allow>,
}

#[derive(Clone, Debug)]
pub struct Touchpoint {
    pub id: Id,
    pub name: Option<Text>,
    pub channel: Option<Id>,
    pub owner: Option<Id>,
    pub description: Option<Text>,
    pub user_goal: Option<Text>,
    pub emits: Vec<Id>,
    pub captures_consent: Vec<Id>,
    pub allow: Vec<Allow>,
}

/// How an event or an object field lists the fields it carries.
pub const PRESENCES: &[&str] = &["required", "optional"];

/// A field used by an event or an object field, required or optional, under a property name
/// (the key in the payload; the field's id unless `{ field: id }` says otherwise).
#[derive(Clone, Debug)]
pub struct PropertyRef {
    pub name: Id,
    pub field: Id,
    pub required: Spanned<bool>,
}

/// A SchemaVer version as the editor schema checks it; the loader checks the same expression.
pub const SCHEMAVER_PATTERN: &str = "^(0|[1-9][0-9]*)-(0|[1-9][0-9]*)-(0|[1-9][0-9]*)$";

pub const EVENT_STATUSES: &[&str] = &["planned", "active", "deprecated"];

#[derive(Clone, Debug)]
pub struct Event {
    pub id: Id,
    pub description: Option<Text>,
    pub owner: Option<Id>,
    pub status: Option<Spanned<&'static str>>,
    /// The event's schema version in SchemaVer (`MODEL-REVISION-ADDITION`, e.g. `1-0-0`).
    pub version: Option<Text>,
    pub purposes: Vec<Id>,
    pub destinations: Vec<Id>,
    pub properties: Vec<PropertyRef>,
    /// `additional_properties: true`: the payload may carry properties the plan does not list
    /// (imported plans that allow unplanned properties); closed by default.
    pub additional_properties: Option<Spanned<bool>>,
    /// Example payloads, kept as YAML nodes so a failing value can be pointed at.
    pub examples: Vec<Node>,
    /// The event that replaces this one: `trailmap diff` then reports this event's removal as a
    /// rename announced in advance, not as a removal.
    pub renamed_to: Option<Id>,
    pub allow: Vec<Allow>,
}

pub const FIELD_TYPES: &[&str] = &["string", "integer", "number", "boolean", "array", "object"];
pub const FIELD_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "email",
    "uri",
    "uuid",
    "ipv4",
    "ipv6",
    "hostname",
];

#[derive(Clone, Debug)]
pub struct Field {
    pub id: Id,
    pub field_type: Option<Spanned<&'static str>>,
    pub description: Option<Text>,
    pub classification: Option<Id>,
    pub identifier: Option<Spanned<bool>>,
    pub purposes: Vec<Id>,
    pub retention: Setting<Duration>,
    pub nullable: Option<Spanned<bool>>,
    pub format: Option<Spanned<&'static str>>,
    pub pattern: Option<Text>,
    pub enum_values: Option<Spanned<Vec<Node>>>,
    pub minimum: Option<Spanned<serde_json::Number>>,
    pub maximum: Option<Spanned<serde_json::Number>>,
    pub min_length: Option<Spanned<u64>>,
    pub max_length: Option<Spanned<u64>>,
    pub items: Option<Id>,
    pub min_items: Option<Spanned<u64>>,
    pub max_items: Option<Spanned<u64>>,
    pub properties: Vec<PropertyRef>,
    /// Objects: also accept properties not listed (closed by default).
    pub additional_properties: Option<Spanned<bool>>,
    pub examples: Vec<Node>,
    /// The field that replaces this one, as for events.
    pub renamed_to: Option<Id>,
    pub allow: Vec<Allow>,
}

#[derive(Clone, Debug)]
pub struct Classification {
    pub id: Id,
    pub rank: Option<Spanned<u64>>,
    pub description: Option<Text>,
    pub requires_purpose: Option<Spanned<bool>>,
    pub max_retention: Setting<Duration>,
    pub lawful_basis: Vec<Text>,
    /// Written by an importer where the source does not classify its data.
    pub placeholder: Option<Spanned<bool>>,
    pub allow: Vec<Allow>,
}

#[derive(Clone, Debug)]
pub struct Purpose {
    pub id: Id,
    pub description: Option<Text>,
    pub lawful_basis: Option<Text>,
    pub consent_mode: Vec<Text>,
    pub tcf: Vec<Spanned<u64>>,
    pub allow: Vec<Allow>,
}

#[derive(Clone, Debug)]
pub struct Destination {
    pub id: Id,
    pub description: Option<Text>,
    pub owner: Option<Id>,
    pub purposes: Vec<Id>,
    pub retention: Setting<Duration>,
    pub third_party: Option<Spanned<bool>>,
    pub allow: Vec<Allow>,
}

#[derive(Clone, Debug)]
pub struct Metric {
    pub id: Id,
    pub name: Option<Text>,
    pub description: Option<Text>,
    pub owner: Option<Id>,
    pub events: Vec<Id>,
    pub target: Option<Text>,
    pub allow: Vec<Allow>,
}

#[derive(Clone, Debug)]
pub struct Stage {
    pub id: Id,
    pub name: Option<Text>,
    pub description: Option<Text>,
    pub touchpoints: Vec<Id>,
    pub allow: Vec<Allow>,
}

#[derive(Clone, Debug)]
pub struct Handoff {
    /// The whole list item, for findings about the handoff as such.
    pub span: Span,
    pub from: Option<Id>,
    pub to: Option<Id>,
    pub when: Option<Id>,
    pub owner: Option<Id>,
    pub sla: Setting<Duration>,
    pub carries: Vec<Id>,
    pub is_loop: Option<Spanned<bool>>,
    pub description: Option<Text>,
    pub allow: Vec<Allow>,
}

#[derive(Clone, Debug)]
pub struct Journey {
    pub file: FileId,
    pub id: Id,
    pub name: Option<Text>,
    pub description: Option<Text>,
    pub owner: Option<Id>,
    pub goal: Option<Id>,
    pub sla: Setting<Duration>,
    pub stages: Vec<Stage>,
    pub handoffs: Vec<Handoff>,
    pub allow: Vec<Allow>,
}

pub const NAME_CASES: &[&str] = &[
    "snake_case",
    "camelCase",
    "PascalCase",
    "kebab-case",
    "Title Case",
];
/// The levels `rules:` in the manifest sets.
pub const RULE_LEVELS: &[&str] = &["error", "warning", "off"];

/// A naming convention for one kind of id.
#[derive(Clone, Debug, Default)]
pub struct Convention {
    pub case: Option<Spanned<&'static str>>,
    pub pattern: Option<Text>,
    pub max_length: Option<Spanned<u64>>,
    pub reserved: Vec<Text>,
    pub forbidden_prefixes: Vec<Text>,
}

#[derive(Clone, Debug, Default)]
pub struct Naming {
    pub preset: Option<Text>,
    /// Conventions by kind (`events`, `fields`, …), in the order written.
    pub kinds: Vec<(Spanned<&'static str>, Convention)>,
}

/// `trailmap.yaml`.
#[derive(Clone, Debug)]
pub struct Manifest {
    pub file: FileId,
    pub name: Option<Text>,
    pub description: Option<Text>,
    pub naming: Naming,
    /// Rule levels by code or name.
    pub rules: Vec<(Text, Spanned<Level>)>,
}

/// Everything the workspace files say, in file order (files sorted by path).
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    /// Set when a file could not be read or parsed: what it defines is unknown, so findings
    /// that depend on the whole workspace (unknown or unused ids) would be false alarms.
    pub incomplete: bool,
    pub manifest: Option<Manifest>,
    pub teams: Vec<Team>,
    pub channels: Vec<Channel>,
    pub touchpoints: Vec<Touchpoint>,
    pub events: Vec<Event>,
    pub fields: Vec<Field>,
    pub classifications: Vec<Classification>,
    pub purposes: Vec<Purpose>,
    pub destinations: Vec<Destination>,
    pub metrics: Vec<Metric>,
    pub journeys: Vec<Journey>,
}

impl Workspace {
    /// Appends another file's items, keeping file order.
    fn extend(&mut self, other: Workspace) {
        self.incomplete |= other.incomplete;
        if other.manifest.is_some() {
            self.manifest = other.manifest;
        }
        self.teams.extend(other.teams);
        self.channels.extend(other.channels);
        self.touchpoints.extend(other.touchpoints);
        self.events.extend(other.events);
        self.fields.extend(other.fields);
        self.classifications.extend(other.classifications);
        self.purposes.extend(other.purposes);
        self.destinations.extend(other.destinations);
        self.metrics.extend(other.metrics);
        self.journeys.extend(other.journeys);
    }
}
