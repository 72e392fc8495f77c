//! A synthetic workspace of a given size, shaped like a large retailer's plan: for `events`
//! events, about twice as many fields, a fifth as many touchpoints, a twentieth as many journeys
//! (each with ten handoffs) and a hundredth as many teams, spread over many files.
//!
//! The valid workspace is clean by construction (`trailmap check` finds nothing); with
//! `broken`, about 1 % of the items are broken in a dozen different ways, each found by a
//! different rule. Used by `benches/scale.rs` and by `tests/scale.rs` (so it cannot rot).
//!
//! Everything is deterministic: the same size gives the same bytes.

#![allow(dead_code)] // each user takes what it needs

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

const AREAS: &[&str] = &[
    "account",
    "basket",
    "billing",
    "brand",
    "browse",
    "campaign",
    "cart",
    "catalog",
    "checkout",
    "club",
    "coupon",
    "delivery",
    "gift",
    "help",
    "home",
    "inventory",
    "invoice",
    "listing",
    "locker",
    "loyalty",
    "member",
    "newsletter",
    "offer",
    "order",
    "outlet",
    "parcel",
    "payment",
    "pickup",
    "price",
    "product",
    "profile",
    "promo",
    "rental",
    "repair",
    "refund",
    "review",
    "search",
    "service",
    "shipment",
    "shop",
    "size",
    "stock",
    "store",
    "style",
    "survey",
    "ticket",
    "trial",
    "voucher",
    "warranty",
    "wishlist",
];
const OBJECTS: &[&str] = &[
    "address", "badge", "banner", "bundle", "button", "card", "carousel", "chat", "code", "detail",
    "dialog", "drawer", "entry", "feed", "filter", "form", "grid", "guide", "item", "label",
    "link", "list", "map", "menu", "message", "modal", "note", "option", "panel", "photo", "pin",
    "plan", "poll", "queue", "quote", "receipt", "reminder", "row", "sheet", "slot", "summary",
    "swatch", "tab", "tile", "timer", "tip", "tooltip", "video", "widget", "zone",
];
const ACTIONS: &[&str] = &[
    "added",
    "applied",
    "approved",
    "archived",
    "booked",
    "cancelled",
    "changed",
    "checked",
    "claimed",
    "cleared",
    "clicked",
    "closed",
    "confirmed",
    "copied",
    "created",
    "declined",
    "deleted",
    "dismissed",
    "downloaded",
    "edited",
    "expanded",
    "expired",
    "failed",
    "filled",
    "flagged",
    "hidden",
    "joined",
    "loaded",
    "locked",
    "merged",
    "moved",
    "opened",
    "paused",
    "printed",
    "rated",
    "received",
    "refreshed",
    "rejected",
    "removed",
    "renewed",
    "requested",
    "reset",
    "resumed",
    "saved",
    "scanned",
    "selected",
    "sent",
    "shared",
    "shown",
    "started",
    "submitted",
    "swiped",
    "synced",
    "tapped",
    "toggled",
    "updated",
    "uploaded",
    "validated",
    "verified",
    "viewed",
];
const ATTRIBUTES: &[&str] = &[
    "amount",
    "category",
    "city",
    "colour",
    "count",
    "country",
    "currency",
    "depth",
    "duration",
    "email",
    "flag",
    "grade",
    "height",
    "hint",
    "kind",
    "language",
    "level",
    "locale",
    "mode",
    "name",
    "number",
    "origin",
    "phone",
    "position",
    "rank",
    "rate",
    "reason",
    "reference",
    "region",
    "score",
    "segment",
    "share",
    "source",
    "state",
    "status",
    "step",
    "tier",
    "title",
    "total",
    "variant",
    "weight",
    "width",
];
const SQUADS: &[&str] = &[
    "alpha", "beacon", "comet", "delta", "ember", "falcon", "glacier", "harbor", "iris", "jade",
    "kestrel", "lumen", "meteor", "nova", "orbit", "pulse", "quartz", "raven", "summit", "tide",
];
/// Channels: id, kind and the team index that owns it.
const CHANNELS: &[(&str, &str)] = &[
    ("web", "web"),
    ("mobile_app", "app"),
    ("store", "store"),
    ("email", "email"),
    ("sms", "sms"),
    ("call_centre", "voice"),
    ("social", "social"),
    ("marketplace", "marketplace"),
];

/// How big a workspace to write.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    pub events: usize,
    pub broken: bool,
}

/// What was written.
#[derive(Clone, Debug, Default)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
    pub events: usize,
    pub fields: usize,
    pub touchpoints: usize,
    pub journeys: usize,
    pub handoffs: usize,
    pub teams: usize,
    /// Items deliberately broken (0 for a valid workspace).
    pub broken: usize,
}

/// Ids of `count` items from up to three word lists, with no two equal once case and `_` are
/// ignored (the naming-collision rule), in a deterministic order.
fn names(count: usize, lists: &[&[&str]], suffix: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(count);
    let capacity: usize = lists.iter().map(|l| l.len()).product();
    assert!(
        count <= capacity,
        "{count} names asked, {capacity} possible"
    );
    let mut index = 0usize;
    while out.len() < count {
        // A stride coprime with the capacity visits every combination once, well mixed.
        let mut at = (index * 7919) % capacity;
        index += 1;
        let mut parts = Vec::new();
        for list in lists {
            parts.push(list[at % list.len()]);
            at /= list.len();
        }
        let mut name = parts.join("_");
        name.push_str(suffix);
        if seen.insert(name.replace('_', "")) {
            out.push(name);
        }
        if index > capacity * 2 {
            panic!("not enough distinct names for {count}");
        }
    }
    out
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[derive(Clone, Copy, PartialEq)]
enum FieldType {
    Code,
    Enum,
    Integer,
    Number,
    Boolean,
    Timestamp,
    Text,
}

const FIELD_TYPES: &[FieldType] = &[
    FieldType::Code,
    FieldType::Enum,
    FieldType::Integer,
    FieldType::Number,
    FieldType::Boolean,
    FieldType::Timestamp,
    FieldType::Text,
];

impl FieldType {
    fn example(self) -> &'static str {
        match self {
            FieldType::Code => "\"AB1234\"",
            FieldType::Enum => "standard",
            FieldType::Integer => "42",
            FieldType::Number => "19.95",
            FieldType::Boolean => "true",
            FieldType::Timestamp => "\"2025-03-14T09:26:53Z\"",
            FieldType::Text => "\"Linen shirt, size M\"",
        }
    }
}

/// Whether item `index` of a kind is one of the ~1 % broken ones, and which of that kind's
/// `ways` of breaking it (each found by a different rule).
fn breakage(size: Size, index: usize, ways: usize) -> Option<usize> {
    (size.broken && index % 100 == 37).then_some((index / 100) % ways)
}

struct Files<'a> {
    root: &'a Path,
    written: Written,
}

impl Files<'_> {
    fn write(&mut self, path: &str, text: &str) {
        let path = self.root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        self.written.files += 1;
        self.written.bytes += text.len() as u64;
    }
}

/// Writes the workspace into `root` (which should be empty) and says what it holds.
pub fn generate(root: &Path, size: Size) -> Written {
    let events_count = size.events.max(50);
    let journeys_count = (events_count / 20).max(2);
    let touchpoints_count = (events_count / 5).max(journeys_count + 20);
    let fields_count = events_count * 2;
    let teams_count = (events_count / 100).max(4);
    let handoffs_per_journey = 10;
    let mut rng = Rng(events_count as u64);
    let mut files = Files {
        root,
        written: Written::default(),
    };

    let events = names(events_count, &[AREAS, OBJECTS, ACTIONS], "");
    let fields = names(fields_count, &[AREAS, OBJECTS, ATTRIBUTES, SQUADS], "");
    let journeys = names(journeys_count, &[AREAS, ACTIONS], "_journey");
    let teams = names(teams_count, &[AREAS, SQUADS], "");
    // Touchpoints: one consent banner per channel, one goal touchpoint per journey, the rest
    // are the touchpoints journeys pass through.
    let banners: Vec<String> = CHANNELS
        .iter()
        .map(|(channel, _)| format!("{channel}_consent_banner"))
        .collect();
    let middle_count = touchpoints_count - journeys_count - banners.len();
    let middle = names(middle_count, &[AREAS, OBJECTS, SQUADS], "_screen");
    let goals: Vec<String> = journeys.iter().map(|j| format!("{j}_done")).collect();
    let field_types: Vec<FieldType> = (0..fields_count)
        .map(|_| FIELD_TYPES[rng.below(FIELD_TYPES.len())])
        .collect();
    // A quarter of the fields are personal data.
    let personal: Vec<bool> = (0..fields_count).map(|i| i % 4 == 1).collect();

    files.write(
        "trailmap.yaml",
        "version: 1\nname: synthetic retailer\ndescription: Generated by benches/synth.rs.\n\
         naming:\n  events: { case: snake_case, max_length: 40 }\n  fields: { case: snake_case }\n  \
         touchpoints: { case: snake_case }\n  journeys: { case: snake_case }\n  teams: { case: snake_case }\n",
    );

    // Teams and channels.
    let mut text = String::from("version: 1\nteams:\n");
    for (i, team) in teams.iter().enumerate() {
        let _ = writeln!(
            text,
            "  {team}:\n    name: {}\n    contact: {team}@retail.example\n    escalation: \"#{team}-oncall\"",
            team.replace('_', " ")
        );
        if breakage(size, i, 1) == Some(0) {
            text.push_str("    pager: yes\n"); // S004 unknown key
        }
    }
    text.push_str("channels:\n");
    for (i, (channel, kind)) in CHANNELS.iter().enumerate() {
        let _ = writeln!(
            text,
            "  {channel}: {{ name: {channel}, kind: {kind}, owner: {} }}",
            teams[i % teams.len()]
        );
    }
    files.write("catalog/teams.yaml", &text);

    files.write(
        "catalog/policies.yaml",
        "version: 1\nclassifications:\n  public: { rank: 0 }\n  internal: { rank: 1 }\n  \
         personal: { rank: 2, requires_purpose: true, max_retention: 2y }\n\
         purposes:\n  analytics: { lawful_basis: legitimate_interest, consent_mode: [analytics_storage], tcf: [7, 8, 9] }\n  \
         fulfillment: { lawful_basis: contract }\n  customer_service: { lawful_basis: contract }\n  \
         marketing: { lawful_basis: consent, consent_mode: [ad_storage, ad_user_data, ad_personalization], tcf: [2, 3, 4] }\n  \
         personalization: { lawful_basis: consent, consent_mode: [personalization_storage], tcf: [5, 6] }\n\
         destinations:\n",
    );
    let mut text = String::new();
    for (i, (name, purposes, retention, third_party)) in [
        (
            "warehouse",
            "analytics, fulfillment, customer_service",
            "1y",
            false,
        ),
        ("crm_platform", "marketing, customer_service", "1y", false),
        ("recommendations", "personalization", "180d", false),
        ("ad_network", "marketing", "90d", true),
    ]
    .iter()
    .enumerate()
    {
        let _ = writeln!(
            text,
            "  {name}: {{ owner: {}, purposes: [{purposes}], retention: {retention}, third_party: {third_party} }}",
            teams[i % teams.len()]
        );
    }
    // Append the destinations to the policies file written above.
    let policies = root.join("catalog/policies.yaml");
    let mut all = std::fs::read_to_string(&policies).unwrap();
    all.push_str(&text);
    std::fs::write(&policies, &all).unwrap();
    files.written.bytes += text.len() as u64;

    // Fields, 200 per file.
    for (chunk, range) in (0..fields_count)
        .collect::<Vec<_>>()
        .chunks(200)
        .enumerate()
    {
        let mut text = String::from("version: 1\nfields:\n");
        for &i in range {
            let name = &fields[i];
            let _ = writeln!(text, "  {name}:");
            match field_types[i] {
                FieldType::Code => {
                    text.push_str("    type: string\n    pattern: \"^[A-Z]{2}[0-9]{4}$\"\n")
                }
                FieldType::Enum => text.push_str(
                    "    type: string\n    enum: [standard, express, same_day, collect]\n",
                ),
                FieldType::Integer => {
                    text.push_str("    type: integer\n    minimum: 0\n    maximum: 100000\n")
                }
                FieldType::Number => text.push_str("    type: number\n    minimum: 0\n"),
                FieldType::Boolean => text.push_str("    type: boolean\n"),
                FieldType::Timestamp => text.push_str("    type: string\n    format: date-time\n"),
                FieldType::Text => text.push_str("    type: string\n    max_length: 200\n"),
            }
            let _ = writeln!(
                text,
                "    description: The {} of the {}.",
                name.rsplit('_').next().unwrap(),
                name.split('_').take(2).collect::<Vec<_>>().join(" ")
            );
            let broken = breakage(size, i, 4).map(|way| way + 1);
            if personal[i] {
                text.push_str("    classification: personal\n    purposes: [analytics, fulfillment, customer_service, marketing, personalization]\n");
                if broken != Some(1) {
                    text.push_str("    retention: 2y\n"); // else D001 missing retention
                }
            } else if i % 4 == 2 {
                text.push_str("    classification: internal\n");
            } else {
                text.push_str("    classification: public\n");
            }
            match broken {
                Some(2) => text.push_str("    minimum: 10\n    maximum: 1\n"), // Q002 (or S004)
                Some(3) => text.push_str("    retention: 3 weeks\n"), // T001 invalid duration
                Some(4) => text.push_str("    classification2: public\n"), // S004 unknown key
                _ => {}
            }
        }
        files.write(&format!("catalog/fields/part_{chunk:04}.yaml"), &text);
    }

    // Events, 100 per file. Event `i` is emitted by middle touchpoint `i % middle`, except the
    // goal events (one per journey, emitted by the journey's goal touchpoint) and the consent
    // events (one per banner).
    let event_purposes: &[(&str, &str)] = &[
        ("analytics", "warehouse"),
        ("analytics, customer_service", "warehouse"),
        ("fulfillment", "warehouse"),
        ("marketing", "crm_platform, ad_network"),
        ("personalization", "recommendations"),
    ];
    let goal_event = |j: usize| j; // the first events are the journeys' goals
    let banner_event = |b: usize| journeys_count + b;
    let mut emits: Vec<Vec<usize>> = vec![Vec::new(); middle_count];
    let first_free = journeys_count + banners.len();
    for i in first_free..events_count {
        emits[(i - first_free) % middle_count].push(i);
    }
    for (chunk, range) in (0..events_count)
        .collect::<Vec<_>>()
        .chunks(100)
        .enumerate()
    {
        let mut text = String::from("version: 1\nevents:\n");
        for &i in range {
            let name = &events[i];
            let broken = breakage(size, i, 4).map(|way| way + 5);
            let name = if broken == Some(5) {
                // N001: not snake_case
                let mut upper = name.clone();
                upper[..1].make_ascii_uppercase();
                upper
            } else {
                name.clone()
            };
            let (purposes, destinations) = if i < first_free {
                event_purposes[0]
            } else {
                event_purposes[i % event_purposes.len()]
            };
            let owner = &teams[i % teams.len()];
            let _ = writeln!(
                text,
                "  {name}:\n    description: {} {}.",
                name.split('_').take(2).collect::<Vec<_>>().join(" "),
                name.rsplit('_').next().unwrap()
            );
            if broken == Some(6) {
                let _ = writeln!(text, "    owner: {owner}x"); // R001 unknown team
            } else {
                let _ = writeln!(text, "    owner: {owner}");
            }
            text.push_str("    status: active\n");
            let _ = writeln!(text, "    purposes: [{purposes}]");
            if broken == Some(7) {
                text.push_str("    destinations: [recommendations]\n"); // C003
            } else {
                let _ = writeln!(text, "    destinations: [{destinations}]");
            }
            // Six properties: fields 2i … 2i+5 (each field is carried by about three events);
            // personal fields only where the event has a purpose they allow (all of them).
            text.push_str("    properties:\n");
            let carried: Vec<usize> = (0..6).map(|k| (2 * i + k) % fields_count).collect();
            for (k, &f) in carried.iter().enumerate() {
                let required = if k < 3 { "required" } else { "optional" };
                let _ = writeln!(text, "      {}: {required}", fields[f]);
            }
            text.push_str("    examples:\n      - ");
            let example: Vec<String> = carried
                .iter()
                .take(3)
                .enumerate()
                .map(|(k, &f)| {
                    let value = if broken == Some(8) && k == 0 {
                        "[1, 2]" // Q004: an example of the wrong type
                    } else {
                        field_types[f].example()
                    };
                    format!("{}: {value}", fields[f])
                })
                .collect();
            let _ = writeln!(text, "{{ {} }}", example.join(", "));
        }
        // A duplicate id across files (R002), once per broken chunk.
        if size.broken && chunk % 40 == 17 {
            let _ = writeln!(
                text,
                "  {}:\n    owner: {}\n    purposes: [analytics]\n    destinations: [warehouse]",
                events[0], teams[0]
            );
        }
        files.write(&format!("catalog/events/part_{chunk:04}.yaml"), &text);
    }

    // Touchpoints, 100 per file: banners, goal touchpoints, then the middle ones.
    let mut entries: Vec<String> = Vec::new();
    for (b, banner) in banners.iter().enumerate() {
        entries.push(format!(
            "  {banner}:\n    name: Consent banner ({})\n    channel: {}\n    owner: {}\n    \
             user_goal: Decide what may be tracked\n    emits: [{}]\n    \
             captures_consent: [analytics, marketing, personalization]\n",
            CHANNELS[b].0,
            CHANNELS[b].0,
            teams[b % teams.len()],
            events[banner_event(b)]
        ));
    }
    for (j, goal) in goals.iter().enumerate() {
        entries.push(format!(
            "  {goal}:\n    name: End of {}\n    channel: {}\n    owner: {}\n    emits: [{}]\n",
            journeys[j].replace('_', " "),
            CHANNELS[j % CHANNELS.len()].0,
            teams[j % teams.len()],
            events[goal_event(j)]
        ));
    }
    for (m, touchpoint) in middle.iter().enumerate() {
        let broken = breakage(size, m, 2).map(|way| way + 9);
        let channel = if broken == Some(9) {
            "webb" // R001 unknown channel, with a suggestion
        } else {
            CHANNELS[m % CHANNELS.len()].0
        };
        let emitted: Vec<&str> = emits[m].iter().map(|&e| events[e].as_str()).collect();
        let mut entry = format!(
            "  {touchpoint}:\n    name: {}\n    channel: {channel}\n",
            touchpoint.replace('_', " ")
        );
        if broken != Some(10) {
            let _ = writeln!(entry, "    owner: {}", teams[m % teams.len()]); // else O001
        }
        let _ = writeln!(entry, "    emits: [{}]", emitted.join(", "));
        entries.push(entry);
    }
    for (chunk, group) in entries.chunks(100).enumerate() {
        let text = format!("version: 1\ntouchpoints:\n{}", group.concat());
        files.write(&format!("catalog/touchpoints/part_{chunk:04}.yaml"), &text);
    }

    // Journeys: a consent stage, four stages of three touchpoints, a goal stage. Ten handoffs
    // between touchpoints of consecutive middle stages, never to the goal, each with an SLA.
    let per_journey = 12.min(middle_count);
    let mut handoffs = 0;
    for (j, journey) in journeys.iter().enumerate() {
        let channel = j % CHANNELS.len();
        let start = (j * per_journey) % middle_count;
        let members: Vec<usize> = (0..per_journey)
            .map(|k| (start + k) % middle_count)
            .collect();
        let stages: Vec<&[usize]> = members.chunks(3).collect();
        let broken = (size.broken && j % 50 == 13).then_some(11);
        let owner = &teams[j % teams.len()];
        let mut text = format!(
            "version: 1\njourney: {journey}\nname: {}\nowner: {owner}\ngoal: {}\nsla: {}\nstages:\n",
            journey.replace('_', " "),
            events[goal_event(j)],
            if broken == Some(11) { "2h" } else { "30d" } // T003 over budget
        );
        let _ = writeln!(
            text,
            "  - id: consent\n    touchpoints: [{}]",
            banners[channel]
        );
        for (s, stage) in stages.iter().enumerate() {
            let list: Vec<&str> = stage.iter().map(|&m| middle[m].as_str()).collect();
            let _ = writeln!(
                text,
                "  - id: step_{}\n    touchpoints: [{}]",
                ["one", "two", "three", "four", "five"][s.min(4)],
                list.join(", ")
            );
        }
        let _ = writeln!(text, "  - id: done\n    touchpoints: [{}]", goals[j]);
        text.push_str("handoffs:\n");
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for s in 0..stages.len().saturating_sub(1) {
            // The last touchpoint of a stage is never handed over, so every touchpoint of
            // the stage before keeps a way on (a target of a handoff is reached only through
            // handoffs).
            let next = stages[s + 1];
            for &from in stages[s] {
                for &to in &next[..next.len().saturating_sub(1)] {
                    pairs.push((from, to));
                }
            }
        }
        for h in 0..handoffs_per_journey.min(pairs.len()) {
            let (from, to) = pairs[(h * 5 + j) % pairs.len()];
            if pairs[..h].contains(&(from, to)) {
                continue;
            }
            let when = emits[from]
                .first()
                .map_or(events[0].as_str(), |&e| &events[e]);
            let carries = (2 * emits[from].first().copied().unwrap_or(0)) % fields_count;
            let _ = writeln!(
                text,
                "  - from: {}\n    to: {}\n    when: {when}\n    owner: {}\n    sla: {}h\n    carries: [{}]",
                middle[from],
                middle[to],
                teams[(j + h) % teams.len()],
                1 + h % 4,
                fields[carries]
            );
            handoffs += 1;
        }
        files.write(&format!("journeys/{journey}.yaml"), &text);
    }

    let broken_items = if size.broken {
        [fields_count, events_count, middle_count]
            .iter()
            .map(|n| n / 100)
            .sum()
    } else {
        0
    };
    Written {
        events: events_count,
        fields: fields_count,
        touchpoints: touchpoints_count,
        journeys: journeys_count,
        handoffs,
        teams: teams_count,
        broken: broken_items,
        ..files.written
    }
}
