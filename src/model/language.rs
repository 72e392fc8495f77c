//! The input language as data: for each kind of item, its keys, whether each is required, the
//! shape of its value and a one-line description.
//!
//! The decoder reads every key through these tables (a key outside its item's table is unknown,
//! a required key comes from here, and in debug builds reading a key with another shape than its
//! table says fails the test that decodes it), and `trailmap schema` writes the editor's JSON
//! Schema by walking the same tables. So what the editor accepts and what `trailmap check`
//! accepts cannot drift apart.

use super::{CHANNEL_KINDS, EVENT_STATUSES, FIELD_FORMATS, FIELD_TYPES, NAME_CASES};

/// What a key's value must look like.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape {
    /// The format version: `1`.
    Version,
    /// Any scalar, kept as written: `on`, `1.10` and `02142` are text.
    Text,
    /// A list of texts (ids, words).
    TextList,
    /// `true` or `false`.
    Flag,
    /// An integer or decimal number.
    Number,
    /// A whole number of 0 or more.
    Count,
    /// A list of whole numbers of 0 or more.
    CountList,
    /// `30m`, `24h`, `2d`, `6w`, `2y` or ISO 8601 (`PT24H`, `P2Y`).
    Duration,
    /// `40%` or `40`, between 0 and 100.
    Percent,
    /// A SchemaVer version, `MODEL-REVISION-ADDITION` (`1-0-0`).
    SchemaVer,
    /// One word out of a fixed set.
    Word(&'static [&'static str]),
    /// A map from property name to one of [`PRESENCES`](super::PRESENCES), or to a
    /// [`PROPERTY_REFERENCE`] naming the field when the payload names it differently.
    FieldPresences,
    /// A map from rule code or name to one of [`RULE_LEVELS`](super::RULE_LEVELS).
    RuleLevels,
    /// A map from rule code or name to the reason it is waived.
    Waivers,
    /// A list of values of any type (examples, enumerations).
    AnyList,
    /// A map with the keys of an item.
    Map(&'static Item),
    /// A list of items.
    List(&'static Item),
    /// A map from id to item.
    Section(&'static Item),
}

/// One key of an item.
#[derive(Debug, PartialEq)]
pub struct Key {
    pub name: &'static str,
    pub required: bool,
    pub shape: Shape,
    /// One line for people: the editor shows it when hovering the key.
    pub description: &'static str,
}

/// A kind of map the language defines: a file, a catalog item, a stage, …
#[derive(Debug, PartialEq)]
pub struct Item {
    /// What one such map is called (`team`, `handoff`).
    pub name: &'static str,
    pub description: &'static str,
    pub keys: &'static [Key],
    /// Whether keys starting with `x-` are accepted (and ignored): only at the top of a file.
    pub extensions: bool,
}

impl Item {
    pub fn key(&self, name: &str) -> Option<&'static Key> {
        self.keys.iter().find(|key| key.name == name)
    }
}

const fn required(name: &'static str, shape: Shape, description: &'static str) -> Key {
    Key {
        name,
        required: true,
        shape,
        description,
    }
}

const fn optional(name: &'static str, shape: Shape, description: &'static str) -> Key {
    Key {
        name,
        required: false,
        shape,
        description,
    }
}

const VERSION: Key = required(
    "version",
    Shape::Version,
    "Format version of the trailmap language; this trailmap reads version 1.",
);

const ALLOW: Key = optional(
    "allow",
    Shape::Waivers,
    "Rules waived for this item, each with the reason: `{ R003: \"Launches next quarter.\" }`.",
);

const fn description(of: &'static str) -> Key {
    optional("description", Shape::Text, of)
}

/// The kinds of file a workspace holds; each has its own top-level keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Manifest,
    Catalog,
    Journey,
}

impl FileKind {
    pub const ALL: [FileKind; 3] = [FileKind::Manifest, FileKind::Catalog, FileKind::Journey];

    /// The table of the file's top-level keys.
    pub fn item(self) -> &'static Item {
        match self {
            FileKind::Manifest => &MANIFEST_FILE,
            FileKind::Catalog => &CATALOG_FILE,
            FileKind::Journey => &JOURNEY_FILE,
        }
    }

    /// `manifest`, `catalog` or `journey`.
    pub fn name(self) -> &'static str {
        self.item().name
    }
}

pub static MANIFEST_FILE: Item = Item {
    name: "manifest",
    description: "The workspace manifest `trailmap.yaml`: name, naming conventions and rule levels.",
    extensions: true,
    keys: &[
        VERSION,
        required(
            "name",
            Shape::Text,
            "Name of the workspace, shown in docs and the catalog.",
        ),
        description("What the workspace covers."),
        optional(
            "naming",
            Shape::Map(&NAMING),
            "Naming conventions for ids, by kind of item.",
        ),
        optional(
            "rules",
            Shape::RuleLevels,
            "Rule levels by code or name: `{ R003: off, unused-definition: warning }`.",
        ),
    ],
};

pub static NAMING: Item = Item {
    name: "naming settings",
    description: "Naming conventions for ids, by kind of item.",
    extensions: false,
    keys: &[
        optional(
            "preset",
            Shape::Text,
            "A preset of reserved names and prefixes, such as `ga4` (Google Analytics 4).",
        ),
        optional(
            "events",
            Shape::Map(&CONVENTION),
            "Naming convention for event ids.",
        ),
        optional(
            "fields",
            Shape::Map(&CONVENTION),
            "Naming convention for field ids.",
        ),
        optional(
            "touchpoints",
            Shape::Map(&CONVENTION),
            "Naming convention for touchpoint ids.",
        ),
        optional(
            "journeys",
            Shape::Map(&CONVENTION),
            "Naming convention for journey ids.",
        ),
        optional(
            "teams",
            Shape::Map(&CONVENTION),
            "Naming convention for team ids.",
        ),
        optional(
            "channels",
            Shape::Map(&CONVENTION),
            "Naming convention for channel ids.",
        ),
        optional(
            "stages",
            Shape::Map(&CONVENTION),
            "Naming convention for stage ids.",
        ),
    ],
};

pub static CONVENTION: Item = Item {
    name: "naming convention",
    description: "How ids of one kind are written.",
    extensions: false,
    keys: &[
        optional(
            "case",
            Shape::Word(NAME_CASES),
            "The case every id of this kind is written in.",
        ),
        optional(
            "pattern",
            Shape::Text,
            "A regular expression (ECMA-262) every id of this kind matches.",
        ),
        optional(
            "max_length",
            Shape::Count,
            "The longest an id of this kind may be, in characters.",
        ),
        optional("reserved", Shape::TextList, "Ids that may not be used."),
        optional(
            "forbidden_prefixes",
            Shape::TextList,
            "Prefixes an id may not start with.",
        ),
    ],
};

pub static CATALOG_FILE: Item = Item {
    name: "catalog",
    description: "A catalog file under `catalog/`: any of the sections; a section may be split over many files.",
    extensions: true,
    keys: &[
        VERSION,
        optional(
            "teams",
            Shape::Section(&TEAM),
            "Teams that own things, by id.",
        ),
        optional(
            "channels",
            Shape::Section(&CHANNEL),
            "Channels customers use (web, app, store, …), by id.",
        ),
        optional(
            "touchpoints",
            Shape::Section(&TOUCHPOINT),
            "Touchpoints: the places in a channel where customers act, by id.",
        ),
        optional("events", Shape::Section(&EVENT), "Analytics events, by id."),
        optional(
            "fields",
            Shape::Section(&FIELD),
            "Fields events carry, by id.",
        ),
        optional(
            "classifications",
            Shape::Section(&CLASSIFICATION),
            "Data classifications (public, personal, sensitive, …), by id.",
        ),
        optional(
            "purposes",
            Shape::Section(&PURPOSE),
            "Purposes data is processed for, each with its lawful basis, by id.",
        ),
        optional(
            "destinations",
            Shape::Section(&DESTINATION),
            "Systems events are sent to, by id.",
        ),
        optional(
            "metrics",
            Shape::Section(&METRIC),
            "Business metrics computed from events, by id.",
        ),
    ],
};

pub static TEAM: Item = Item {
    name: "team",
    description: "A team that owns touchpoints, events, journeys or handoffs.",
    extensions: false,
    keys: &[
        required("name", Shape::Text, "Display name of the team."),
        required(
            "contact",
            Shape::Text,
            "How to reach the team: an e-mail address or a chat channel.",
        ),
        optional(
            "escalation",
            Shape::Text,
            "Who to escalate to when the team does not answer.",
        ),
        description("What the team does."),
        optional(
            "placeholder",
            Shape::Flag,
            "Marks a stand-in team (an importer writes `unassigned`): every use is reported (O003) until a real owner is set.",
        ),
        ALLOW,
    ],
};

pub static PROPERTY_REFERENCE: Item = Item {
    name: "property",
    description: "A property whose payload name differs from its field's id.",
    extensions: false,
    keys: &[
        required("field", Shape::Text, "The field (id) the property carries."),
        optional(
            "required",
            Shape::Flag,
            "Whether every payload must carry the property (default `false`).",
        ),
    ],
};

pub static CHANNEL: Item = Item {
    name: "channel",
    description: "A channel customers use.",
    extensions: false,
    keys: &[
        required("name", Shape::Text, "Display name of the channel."),
        required(
            "kind",
            Shape::Word(CHANNEL_KINDS),
            "What kind of channel this is.",
        ),
        optional("owner", Shape::Text, "The team (id) that owns the channel."),
        description("What the channel is."),
        optional(
            "targets",
            Shape::Map(&CHANNEL_TARGETS),
            "Business-plan targets of the channel.",
        ),
        ALLOW,
    ],
};

pub static CHANNEL_TARGETS: Item = Item {
    name: "channel targets",
    description: "Business-plan targets of a channel.",
    extensions: false,
    keys: &[
        optional(
            "adoption",
            Shape::Percent,
            "Share of customers using the channel.",
        ),
        optional(
            "revenue_share",
            Shape::Percent,
            "Share of revenue made through the channel; the shares of all channels add up to 100 %.",
        ),
        optional(
            "delivery_time",
            Shape::Duration,
            "Target time to deliver an order.",
        ),
        optional(
            "on_time_rate",
            Shape::Percent,
            "Share of orders delivered on time.",
        ),
    ],
};

pub static TOUCHPOINT: Item = Item {
    name: "touchpoint",
    description: "A place in a channel where customers act: a page, a screen, a desk, a message.",
    extensions: false,
    keys: &[
        required("name", Shape::Text, "Display name of the touchpoint."),
        required(
            "channel",
            Shape::Text,
            "The channel (id) the touchpoint belongs to.",
        ),
        optional(
            "owner",
            Shape::Text,
            "The team (id) that owns the touchpoint.",
        ),
        description("What happens at the touchpoint."),
        optional(
            "user_goal",
            Shape::Text,
            "What the customer wants to get done here.",
        ),
        optional(
            "emits",
            Shape::TextList,
            "Events (ids) the touchpoint sends.",
        ),
        optional(
            "captures_consent",
            Shape::TextList,
            "Purposes (ids) the touchpoint asks the customer's consent for.",
        ),
        ALLOW,
    ],
};

pub static EVENT: Item = Item {
    name: "event",
    description: "An analytics event: what it means, who owns it, the fields it carries.",
    extensions: false,
    keys: &[
        description("What the event means and when it is sent."),
        optional("owner", Shape::Text, "The team (id) that owns the event."),
        optional(
            "status",
            Shape::Word(EVENT_STATUSES),
            "Lifecycle of the event (default `active`).",
        ),
        optional(
            "version",
            Shape::SchemaVer,
            "The event schema's SchemaVer version, MODEL-REVISION-ADDITION (default `1-0-0`), used by the Iglu export.",
        ),
        optional(
            "purposes",
            Shape::TextList,
            "Purposes (ids) the event is collected for.",
        ),
        optional(
            "destinations",
            Shape::TextList,
            "Destinations (ids) the event is sent to.",
        ),
        optional(
            "properties",
            Shape::FieldPresences,
            "Fields (ids) the event carries, each `required` or `optional`.",
        ),
        optional(
            "examples",
            Shape::AnyList,
            "Example payloads; each must validate against the event's generated schema.",
        ),
        optional(
            "additional_properties",
            Shape::Flag,
            "Whether payloads may carry properties the plan does not list (default `false`).",
        ),
        optional(
            "renamed_to",
            Shape::Text,
            "The event (id) that replaces this one; `trailmap diff` then reports its removal as an announced rename.",
        ),
        ALLOW,
    ],
};

pub static FIELD: Item = Item {
    name: "field",
    description: "A field events carry: its type, constraints, classification and retention.",
    extensions: false,
    keys: &[
        required(
            "type",
            Shape::Word(FIELD_TYPES),
            "The JSON type of the field's values.",
        ),
        description("What the field holds."),
        optional(
            "classification",
            Shape::Text,
            "The classification (id) of the data, such as `personal`.",
        ),
        optional(
            "identifier",
            Shape::Flag,
            "Whether the field identifies a person or a thing across systems.",
        ),
        optional(
            "purposes",
            Shape::TextList,
            "Purposes (ids) the field may be used for.",
        ),
        optional(
            "retention",
            Shape::Duration,
            "How long the field's values may be kept.",
        ),
        optional(
            "nullable",
            Shape::Flag,
            "Whether `null` is an allowed value.",
        ),
        optional(
            "format",
            Shape::Word(FIELD_FORMATS),
            "The string format of the values.",
        ),
        optional(
            "pattern",
            Shape::Text,
            "A regular expression (ECMA-262) string values must match.",
        ),
        optional("enum", Shape::AnyList, "The only values allowed."),
        optional("minimum", Shape::Number, "The smallest allowed number."),
        optional("maximum", Shape::Number, "The largest allowed number."),
        optional(
            "min_length",
            Shape::Count,
            "The fewest characters a string may have.",
        ),
        optional(
            "max_length",
            Shape::Count,
            "The most characters a string may have.",
        ),
        optional(
            "items",
            Shape::Text,
            "For arrays: the field (id) each item is.",
        ),
        optional("min_items", Shape::Count, "For arrays: the fewest items."),
        optional("max_items", Shape::Count, "For arrays: the most items."),
        optional(
            "properties",
            Shape::FieldPresences,
            "For objects: the fields (ids) inside, each `required` or `optional`.",
        ),
        optional("examples", Shape::AnyList, "Example values."),
        optional(
            "additional_properties",
            Shape::Flag,
            "Whether payloads may carry properties the plan does not list (default `false`).",
        ),
        optional(
            "renamed_to",
            Shape::Text,
            "The field (id) that replaces this one; `trailmap diff` then reports its removal as an announced rename.",
        ),
        ALLOW,
    ],
};

pub static CLASSIFICATION: Item = Item {
    name: "classification",
    description: "A class of data and what it demands: purposes, maximum retention, lawful bases.",
    extensions: false,
    keys: &[
        required(
            "rank",
            Shape::Count,
            "How sensitive the class is; higher is more sensitive (public 0).",
        ),
        description("What data belongs to this class."),
        optional(
            "requires_purpose",
            Shape::Flag,
            "Whether events carrying data of this class must declare a purpose.",
        ),
        optional(
            "max_retention",
            Shape::Duration,
            "The longest data of this class may be kept.",
        ),
        optional(
            "lawful_basis",
            Shape::TextList,
            "The lawful bases (GDPR Art. 6) data of this class may be processed under.",
        ),
        optional(
            "placeholder",
            Shape::Flag,
            "Marks a stand-in classification (an importer writes `unclassified`): every use is reported (O003) until the data is classified.",
        ),
        ALLOW,
    ],
};

pub static PURPOSE: Item = Item {
    name: "purpose",
    description: "A purpose data is processed for, with its lawful basis and consent signals.",
    extensions: false,
    keys: &[
        description("What the data is used for."),
        required(
            "lawful_basis",
            Shape::Text,
            "GDPR Art. 6 basis: `consent`, `contract`, `legal_obligation`, `vital_interests`, `public_task` or `legitimate_interest`.",
        ),
        optional(
            "consent_mode",
            Shape::TextList,
            "Google Consent Mode types that gate this purpose (`analytics_storage`, `ad_storage`, …).",
        ),
        optional(
            "tcf",
            Shape::CountList,
            "IAB TCF 2.2 purpose numbers (1–11).",
        ),
        ALLOW,
    ],
};

pub static DESTINATION: Item = Item {
    name: "destination",
    description: "A system events are sent to.",
    extensions: false,
    keys: &[
        description("What the destination is."),
        optional(
            "owner",
            Shape::Text,
            "The team (id) that owns the destination.",
        ),
        optional(
            "purposes",
            Shape::TextList,
            "Purposes (ids) the destination serves.",
        ),
        optional(
            "retention",
            Shape::Duration,
            "How long the destination keeps data.",
        ),
        optional(
            "third_party",
            Shape::Flag,
            "Whether the destination is run by another company.",
        ),
        ALLOW,
    ],
};

pub static METRIC: Item = Item {
    name: "metric",
    description: "A business metric computed from events.",
    extensions: false,
    keys: &[
        optional("name", Shape::Text, "Display name of the metric."),
        description("What the metric measures."),
        optional("owner", Shape::Text, "The team (id) that owns the metric."),
        optional(
            "events",
            Shape::TextList,
            "Events (ids) the metric is computed from.",
        ),
        optional("target", Shape::Text, "The target, as text: `\"≥ 3.5 %\"`."),
        ALLOW,
    ],
};

pub static JOURNEY_FILE: Item = Item {
    name: "journey",
    description: "A journey file under `journeys/`: one journey, its stages and handoffs.",
    extensions: true,
    keys: &[
        VERSION,
        required("journey", Shape::Text, "The journey's id."),
        required("name", Shape::Text, "Display name of the journey."),
        description("What the journey is about."),
        optional(
            "owner",
            Shape::Text,
            "The team (id) accountable for the whole journey.",
        ),
        required(
            "goal",
            Shape::Text,
            "The event (id) that means the journey succeeded.",
        ),
        optional(
            "sla",
            Shape::Duration,
            "Budget from the journey's entry to its goal.",
        ),
        required(
            "stages",
            Shape::List(&STAGE),
            "The stages in order; the first one is the entry.",
        ),
        optional(
            "handoffs",
            Shape::List(&HANDOFF),
            "Work handed from one touchpoint to another, with owner and SLA.",
        ),
        ALLOW,
    ],
};

pub static STAGE: Item = Item {
    name: "stage",
    description: "A stage of a journey and the touchpoints in it.",
    extensions: false,
    keys: &[
        required("id", Shape::Text, "The stage's id."),
        optional("name", Shape::Text, "Display name of the stage."),
        description("What the customer does in this stage."),
        optional(
            "touchpoints",
            Shape::TextList,
            "Touchpoints (ids) of this stage.",
        ),
        ALLOW,
    ],
};

pub static HANDOFF: Item = Item {
    name: "handoff",
    description: "Work handed from one touchpoint to another.",
    extensions: false,
    keys: &[
        required(
            "from",
            Shape::Text,
            "The touchpoint (id) handing the work over.",
        ),
        required("to", Shape::Text, "The touchpoint (id) receiving the work."),
        optional(
            "when",
            Shape::Text,
            "The event (id) that triggers the handoff.",
        ),
        optional("owner", Shape::Text, "The team (id) receiving the work."),
        optional("sla", Shape::Duration, "How long the receiving team has."),
        optional("carries", Shape::TextList, "Fields (ids) passed along."),
        optional(
            "loop",
            Shape::Flag,
            "`true` marks an intended cycle (back to the same or an earlier stage).",
        ),
        description("What is handed over and why."),
        ALLOW,
    ],
};

/// Documents with every key of every item set to a valid value, and variants of them with one
/// mistake, for the tests of the decoder and of the generated schema.
#[cfg(test)]
pub(crate) mod samples {
    use serde_json::{Value, json};

    use super::{FileKind, Item, Shape};

    /// An id that is a valid key anywhere.
    pub const ID: &str = "sample_id";
    /// A key that no item defines.
    pub const UNKNOWN: &str = "ownr";

    fn value(shape: Shape) -> Value {
        match shape {
            Shape::Version => json!(1),
            Shape::Text => json!("text"),
            Shape::TextList => json!([ID]),
            Shape::Flag => json!(true),
            Shape::Number | Shape::Count => json!(1),
            Shape::CountList => json!([1]),
            Shape::Duration => json!("24h"),
            Shape::Percent => json!("40%"),
            Shape::SchemaVer => json!("1-0-0"),
            Shape::Word(words) => json!(words[0]),
            Shape::FieldPresences => json!({ ID: "required" }),
            Shape::RuleLevels => json!({ "R003": "off" }),
            Shape::Waivers => json!({ "R003": "a reason" }),
            Shape::AnyList => json!([{ ID: 1 }]),
            Shape::Map(item) => complete(item),
            Shape::List(item) => json!([complete(item)]),
            Shape::Section(item) => json!({ ID: complete(item) }),
        }
    }

    /// A map of `item` with every key set.
    pub fn complete(item: &Item) -> Value {
        let mut map: serde_json::Map<String, Value> = item
            .keys
            .iter()
            .map(|key| (key.name.to_string(), value(key.shape)))
            .collect();
        if item.extensions {
            map.insert("x-note".into(), json!({ "anchored": [1, 2] }));
        }
        map.into()
    }

    /// Every complete file of `kind` with one mistake: an unknown key in one item, or one
    /// required key left out. Each comes with a description of the mistake.
    pub fn broken(kind: FileKind) -> Vec<(String, Value)> {
        let mut found = Vec::new();
        collect_broken(kind.item(), &mut Vec::new(), &mut found);
        let root = complete(kind.item());
        found
            .into_iter()
            .map(|(what, path, change)| {
                let mut document = root.clone();
                let mut map = &mut document;
                for step in &path {
                    map = match map {
                        Value::Array(items) => &mut items[0],
                        Value::Object(entries) => &mut entries[step],
                        _ => unreachable!("samples are maps and lists"),
                    };
                }
                let entries = map.as_object_mut().expect("an item is a map");
                match change {
                    Change::Add(key) => entries.insert(key.into(), json!(1)),
                    Change::Remove(key) => entries.remove(key),
                };
                (what, document)
            })
            .collect()
    }

    enum Change {
        Add(&'static str),
        Remove(&'static str),
    }

    fn collect_broken(
        item: &Item,
        path: &mut Vec<String>,
        found: &mut Vec<(String, Vec<String>, Change)>,
    ) {
        let at = format!("/{}", path.join("/"));
        found.push((
            format!("unknown key `{UNKNOWN}` in {} at {at}", item.name),
            path.clone(),
            Change::Add(UNKNOWN),
        ));
        for key in item.keys {
            if key.required {
                found.push((
                    format!("{} without `{}` at {at}", item.name, key.name),
                    path.clone(),
                    Change::Remove(key.name),
                ));
            }
            let (nested, steps): (&Item, &[&str]) = match key.shape {
                Shape::Map(nested) => (nested, &[]),
                Shape::List(nested) => (nested, &["0"]),
                Shape::Section(nested) => (nested, &[ID]),
                _ => continue,
            };
            let depth = path.len();
            path.push(key.name.to_string());
            path.extend(steps.iter().map(|step| step.to_string()));
            collect_broken(nested, path, found);
            path.truncate(depth);
        }
    }
}
