//! The compiled catalog: the plan with references resolved and facts computed, in the stable
//! shape of `catalog.json` (documented by `catalog.schema.json`). Every template renders from it.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::model::{Duration, Field, Id, Journey, PropertyRef, Setting, Text};
use crate::plan::schema::{example_json, typed_scalar};
use crate::plan::{JourneyEdge, Plan, critical_path};

/// Version of the `catalog.json` shape; fields are only ever added within a version.
pub const CATALOG_VERSION: u32 = 1;

#[derive(Serialize, JsonSchema)]
pub struct Catalog {
    pub catalog_version: u32,
    pub workspace: WorkspaceInfo,
    pub teams: Vec<TeamView>,
    pub channels: Vec<ChannelView>,
    pub touchpoints: Vec<TouchpointView>,
    pub events: Vec<EventView>,
    pub fields: Vec<FieldView>,
    pub classifications: Vec<ClassificationView>,
    pub purposes: Vec<PurposeView>,
    pub destinations: Vec<DestinationView>,
    pub metrics: Vec<MetricView>,
    pub journeys: Vec<JourneyView>,
    /// Every personal field: what it may be used for, how long, and where it goes.
    pub consent_register: Vec<RegisterRow>,
}

#[derive(Serialize, JsonSchema)]
pub struct WorkspaceInfo {
    pub name: String,
    pub description: Option<String>,
}

#[derive(Clone, Default, Serialize, JsonSchema)]
pub struct Owned {
    pub channels: Vec<String>,
    pub touchpoints: Vec<String>,
    pub events: Vec<String>,
    pub journeys: Vec<String>,
    pub destinations: Vec<String>,
    pub metrics: Vec<String>,
}

#[derive(Clone, Serialize, JsonSchema)]
pub struct HandoffRef {
    pub journey: String,
    pub from: String,
    pub to: String,
    pub when: Option<String>,
    pub sla: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct TeamView {
    pub id: String,
    pub name: Option<String>,
    pub contact: Option<String>,
    pub escalation: Option<String>,
    pub description: Option<String>,
    pub owns: Owned,
    /// Handoffs this team receives, and handoffs leaving touchpoints it owns.
    pub handoffs_in: Vec<HandoffRef>,
    pub handoffs_out: Vec<HandoffRef>,
}

#[derive(Serialize, JsonSchema)]
pub struct TargetsView {
    pub adoption: Option<f64>,
    pub revenue_share: Option<f64>,
    pub delivery_time: Option<String>,
    pub on_time_rate: Option<f64>,
}

#[derive(Serialize, JsonSchema)]
pub struct ChannelView {
    pub id: String,
    pub name: Option<String>,
    pub kind: Option<String>,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub targets: Option<TargetsView>,
    pub touchpoints: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct TouchpointView {
    pub id: String,
    pub name: Option<String>,
    pub channel: Option<String>,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub user_goal: Option<String>,
    pub emits: Vec<String>,
    pub captures_consent: Vec<String>,
    pub journeys: Vec<String>,
}

/// One property of an event, with what its field says.
#[derive(Serialize, JsonSchema)]
pub struct PropertyView {
    /// The property's name in the payload (the field id unless mapped with `field:`).
    pub name: String,
    pub field: String,
    pub required: bool,
    #[serde(rename = "type")]
    pub field_type: Option<String>,
    pub classification: Option<String>,
    pub personal: bool,
    pub purposes: Vec<String>,
    pub retention: Option<String>,
    pub description: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct EventView {
    pub id: String,
    pub description: Option<String>,
    pub owner: Option<String>,
    pub status: String,
    pub purposes: Vec<String>,
    pub destinations: Vec<String>,
    pub properties: Vec<PropertyView>,
    /// Whether the payload may carry properties the plan does not list.
    pub additional_properties: bool,
    /// The event's SchemaVer version, if set.
    pub version: Option<String>,
    pub examples: Vec<Value>,
    pub emitted_by: Vec<String>,
    pub journeys: Vec<String>,
    /// Path of the event's JSON Schema in the build output.
    pub schema: String,
}

#[derive(Serialize, JsonSchema)]
pub struct FieldView {
    pub id: String,
    #[serde(rename = "type")]
    pub field_type: Option<String>,
    pub description: Option<String>,
    pub classification: Option<String>,
    pub personal: bool,
    pub identifier: bool,
    pub nullable: bool,
    pub purposes: Vec<String>,
    pub retention: Option<String>,
    pub format: Option<String>,
    pub pattern: Option<String>,
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<Value>>,
    pub minimum: Option<serde_json::Number>,
    pub maximum: Option<serde_json::Number>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub items: Option<String>,
    pub properties: Vec<PropertyRefView>,
    /// Objects: whether they accept properties they do not list.
    pub additional_properties: bool,
    pub examples: Vec<Value>,
    pub used_by: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct PropertyRefView {
    /// The property's name in the payload.
    pub name: String,
    pub field: String,
    pub required: bool,
}

#[derive(Serialize, JsonSchema)]
pub struct ClassificationView {
    pub id: String,
    pub rank: Option<u64>,
    pub description: Option<String>,
    pub requires_purpose: bool,
    pub max_retention: Option<String>,
    pub lawful_basis: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct PurposeView {
    pub id: String,
    pub description: Option<String>,
    pub lawful_basis: Option<String>,
    pub consent_mode: Vec<String>,
    pub tcf: Vec<u64>,
    pub captured_at: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct DestinationView {
    pub id: String,
    pub description: Option<String>,
    pub owner: Option<String>,
    pub purposes: Vec<String>,
    pub retention: Option<String>,
    pub third_party: bool,
    pub events: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct MetricView {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub owner: Option<String>,
    pub events: Vec<String>,
    pub target: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct StageView {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub touchpoints: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct HandoffView {
    pub from: Option<String>,
    pub to: Option<String>,
    pub when: Option<String>,
    pub owner: Option<String>,
    pub sla: Option<String>,
    pub carries: Vec<String>,
    #[serde(rename = "loop")]
    pub is_loop: bool,
    pub description: Option<String>,
}

/// One step of the critical path: the touchpoint reached and, if a handoff led there, its SLA.
#[derive(Serialize, JsonSchema)]
pub struct PathStep {
    pub touchpoint: String,
    pub handoff_sla: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct CriticalPath {
    pub total: String,
    pub total_seconds: i64,
    pub budget: Option<String>,
    pub within_budget: Option<bool>,
    pub steps: Vec<PathStep>,
}

#[derive(Serialize, JsonSchema)]
pub struct JourneyView {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub owner: Option<String>,
    pub goal: Option<String>,
    pub sla: Option<String>,
    pub stages: Vec<StageView>,
    pub handoffs: Vec<HandoffView>,
    pub critical_path: Option<CriticalPath>,
}

#[derive(Serialize, JsonSchema)]
pub struct PurposeBasis {
    pub purpose: String,
    pub lawful_basis: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct RegisterRow {
    pub field: String,
    pub classification: Option<String>,
    pub purposes: Vec<PurposeBasis>,
    pub retention: Option<String>,
    pub events: Vec<String>,
    pub destinations: Vec<String>,
}

fn text(value: &Option<Text>) -> Option<String> {
    value.as_ref().map(|t| t.value.clone())
}

fn ids(values: &[Id]) -> Vec<String> {
    values.iter().map(|id| id.value.clone()).collect()
}

fn duration(value: &Setting<Duration>) -> Option<String> {
    value.get().map(|d| d.value.to_string())
}

/// Sorted and without repeats, so lists built from many places read the same every run.
fn sorted(mut values: Vec<String>) -> Vec<String> {
    values.sort();
    values.dedup();
    values
}

fn property_view(plan: &Plan, property: &PropertyRef) -> PropertyView {
    let field = plan.field(&property.field.value);
    PropertyView {
        name: property.name.value.clone(),
        field: property.field.value.clone(),
        required: property.required.value,
        field_type: field
            .and_then(|f| f.field_type.as_ref())
            .map(|t| t.value.to_string()),
        classification: field.and_then(|f| text(&f.classification)),
        personal: field.is_some_and(|f| plan.is_personal(f)),
        purposes: field.map(|f| ids(&f.purposes)).unwrap_or_default(),
        retention: field.and_then(|f| duration(&f.retention)),
        description: field.and_then(|f| text(&f.description)),
    }
}

fn field_view(plan: &Plan, uses: &Uses, field: &Field) -> FieldView {
    let field_type = field.field_type.as_ref().map(|t| t.value);
    let used_by = uses.of(&uses.field_users, &field.id.value).to_vec();
    FieldView {
        id: field.id.value.clone(),
        field_type: field_type.map(str::to_string),
        description: text(&field.description),
        classification: text(&field.classification),
        personal: plan.is_personal(field),
        identifier: field.identifier.as_ref().is_some_and(|b| b.value),
        nullable: field.nullable.as_ref().is_some_and(|b| b.value),
        purposes: ids(&field.purposes),
        retention: duration(&field.retention),
        format: field.format.as_ref().map(|f| f.value.to_string()),
        pattern: text(&field.pattern),
        enum_values: field.enum_values.as_ref().map(|values| {
            values
                .value
                .iter()
                .map(|v| typed_scalar(v, field_type))
                .collect()
        }),
        minimum: field.minimum.as_ref().map(|n| n.value.clone()),
        maximum: field.maximum.as_ref().map(|n| n.value.clone()),
        min_length: field.min_length.as_ref().map(|n| n.value),
        max_length: field.max_length.as_ref().map(|n| n.value),
        items: text(&field.items),
        properties: field
            .properties
            .iter()
            .map(|p| PropertyRefView {
                name: p.name.value.clone(),
                field: p.field.value.clone(),
                required: p.required.value,
            })
            .collect(),
        additional_properties: field
            .additional_properties
            .as_ref()
            .is_some_and(|a| a.value),
        examples: field
            .examples
            .iter()
            .map(|node| crate::plan::schema::field_value_json(plan, field, node))
            .collect(),
        used_by: sorted(used_by),
    }
}

fn journey_view(plan: &Plan, journey: &Journey, graph: &crate::plan::JourneyGraph) -> JourneyView {
    let critical = critical_path(plan, journey, graph).map(|(total, edges)| {
        let budget = journey.sla.get().map(|s| s.value);
        let steps = edges
            .iter()
            .filter_map(|&edge| {
                let (_, target) = graph.graph.edge_endpoints(edge)?;
                let handoff_sla = match graph.graph[edge] {
                    JourneyEdge::Handoff(_) => {
                        Some(graph.cost(journey, graph.graph[edge]).to_string())
                    }
                    JourneyEdge::Start | JourneyEdge::StageOrder => None,
                };
                Some(PathStep {
                    touchpoint: graph.touchpoint(target)?.to_string(),
                    handoff_sla,
                })
            })
            .collect();
        CriticalPath {
            total: total.to_string(),
            total_seconds: total.seconds,
            budget: budget.map(|b| b.to_string()),
            within_budget: budget.map(|b| total <= b),
            steps,
        }
    });
    JourneyView {
        id: journey.id.value.clone(),
        name: text(&journey.name),
        description: text(&journey.description),
        owner: text(&journey.owner),
        goal: text(&journey.goal),
        sla: duration(&journey.sla),
        stages: journey
            .stages
            .iter()
            .map(|stage| StageView {
                id: stage.id.value.clone(),
                name: text(&stage.name),
                description: text(&stage.description),
                touchpoints: ids(&stage.touchpoints),
            })
            .collect(),
        handoffs: journey
            .handoffs
            .iter()
            .map(|h| HandoffView {
                from: text(&h.from),
                to: text(&h.to),
                when: text(&h.when),
                owner: text(&h.owner),
                sla: duration(&h.sla),
                carries: ids(&h.carries),
                is_loop: h.is_loop.as_ref().is_some_and(|l| l.value),
                description: text(&h.description),
            })
            .collect(),
        critical_path: critical,
    }
}

fn team_view(uses: &Uses, team: &crate::model::Team) -> TeamView {
    let id = team.id.value.as_str();
    let owned = uses.teams.get(id);
    TeamView {
        id: id.to_string(),
        name: text(&team.name),
        contact: text(&team.contact),
        escalation: text(&team.escalation),
        description: text(&team.description),
        owns: owned.map(|o| o.owns.clone()).unwrap_or_default(),
        handoffs_in: owned.map(|o| o.handoffs_in.clone()).unwrap_or_default(),
        handoffs_out: owned.map(|o| o.handoffs_out.clone()).unwrap_or_default(),
    }
}

/// What a team owns and the handoffs it receives and sends.
#[derive(Default)]
struct TeamUses {
    owns: Owned,
    handoffs_in: Vec<HandoffRef>,
    handoffs_out: Vec<HandoffRef>,
}

/// Who refers to what, gathered in one pass over the workspace so that each view is a lookup
/// instead of a scan of every item (which made `build` quadratic in the size of the plan).
/// Lists keep the order of the workspace; an item appears once per list even when it names the
/// same id twice.
#[derive(Default)]
struct Uses<'a> {
    /// Touchpoint → the journeys listing it in a stage.
    journeys_of: HashMap<&'a str, Vec<String>>,
    /// Event → the touchpoints emitting it.
    emitters: HashMap<&'a str, Vec<String>>,
    /// Field → the events and object or array fields using it directly.
    field_users: HashMap<&'a str, Vec<String>>,
    /// Field → the indices of the events carrying it, nested fields included.
    carried_by: HashMap<&'a str, Vec<usize>>,
    /// Purpose → the touchpoints capturing consent for it.
    captured_at: HashMap<&'a str, Vec<String>>,
    /// Destination → the events sent to it.
    destination_events: HashMap<&'a str, Vec<String>>,
    /// Channel → its touchpoints.
    channel_touchpoints: HashMap<&'a str, Vec<String>>,
    teams: HashMap<&'a str, TeamUses>,
}

/// Appends `value` to the list under `key` unless it was the last one appended there.
fn add<'a, T: PartialEq>(map: &mut HashMap<&'a str, Vec<T>>, key: &'a str, value: T) {
    let list = map.entry(key).or_default();
    if list.last() != Some(&value) {
        list.push(value);
    }
}

impl<'a> Uses<'a> {
    fn of<'m, T>(&self, map: &'m HashMap<&'a str, Vec<T>>, key: &str) -> &'m [T] {
        map.get(key).map_or(&[], Vec::as_slice)
    }

    fn gather(plan: &'a Plan) -> Uses<'a> {
        let w = &plan.workspace;
        let mut uses = Uses::default();
        let owner = |owner: &'a Option<Id>| owner.as_ref().map(|o| o.value.as_str());
        for journey in &w.journeys {
            for stage in &journey.stages {
                for touchpoint in &stage.touchpoints {
                    add(
                        &mut uses.journeys_of,
                        &touchpoint.value,
                        journey.id.value.clone(),
                    );
                }
            }
            if let Some(team) = owner(&journey.owner) {
                let owns = &mut uses.teams.entry(team).or_default().owns;
                owns.journeys.push(journey.id.value.clone());
            }
            for handoff in &journey.handoffs {
                let view = || HandoffRef {
                    journey: journey.id.value.clone(),
                    from: text(&handoff.from).unwrap_or_default(),
                    to: text(&handoff.to).unwrap_or_default(),
                    when: text(&handoff.when),
                    sla: duration(&handoff.sla),
                };
                if let Some(team) = owner(&handoff.owner) {
                    uses.teams.entry(team).or_default().handoffs_in.push(view());
                }
                let sender = handoff
                    .from
                    .as_ref()
                    .and_then(|f| plan.touchpoint(&f.value))
                    .and_then(|t| owner(&t.owner));
                if let Some(team) = sender {
                    uses.teams
                        .entry(team)
                        .or_default()
                        .handoffs_out
                        .push(view());
                }
            }
        }
        for touchpoint in &w.touchpoints {
            let id = &touchpoint.id.value;
            for event in &touchpoint.emits {
                add(&mut uses.emitters, &event.value, id.clone());
            }
            for purpose in &touchpoint.captures_consent {
                add(&mut uses.captured_at, &purpose.value, id.clone());
            }
            if let Some(channel) = &touchpoint.channel {
                add(&mut uses.channel_touchpoints, &channel.value, id.clone());
            }
            if let Some(team) = owner(&touchpoint.owner) {
                let owns = &mut uses.teams.entry(team).or_default().owns;
                owns.touchpoints.push(id.clone());
            }
        }
        for (index, event) in w.events.iter().enumerate() {
            let id = &event.id.value;
            for property in &event.properties {
                add(&mut uses.field_users, &property.field.value, id.clone());
            }
            for field in plan.event_fields(event) {
                add(&mut uses.carried_by, &field.id.value, index);
            }
            for destination in &event.destinations {
                add(&mut uses.destination_events, &destination.value, id.clone());
            }
            if let Some(team) = owner(&event.owner) {
                uses.teams
                    .entry(team)
                    .or_default()
                    .owns
                    .events
                    .push(id.clone());
            }
        }
        for field in &w.fields {
            let id = &field.id.value;
            for used in field
                .items
                .iter()
                .chain(field.properties.iter().map(|p| &p.field))
            {
                add(&mut uses.field_users, &used.value, id.clone());
            }
        }
        for channel in &w.channels {
            if let Some(team) = owner(&channel.owner) {
                let owns = &mut uses.teams.entry(team).or_default().owns;
                owns.channels.push(channel.id.value.clone());
            }
        }
        for destination in &w.destinations {
            if let Some(team) = owner(&destination.owner) {
                let owns = &mut uses.teams.entry(team).or_default().owns;
                owns.destinations.push(destination.id.value.clone());
            }
        }
        for metric in &w.metrics {
            if let Some(team) = owner(&metric.owner) {
                let owns = &mut uses.teams.entry(team).or_default().owns;
                owns.metrics.push(metric.id.value.clone());
            }
        }
        uses
    }
}

/// Compiles the catalog from the plan. Items keep the order of the files (sorted by path)
/// and of the text in them, as the authors arranged them.
pub fn compile(plan: &Plan) -> Catalog {
    let w = &plan.workspace;
    let uses = Uses::gather(plan);
    let journeys_of = |touchpoint: &str| uses.of(&uses.journeys_of, touchpoint).to_vec();
    let emitters = |event: &str| uses.of(&uses.emitters, event).to_vec();
    let register = w
        .fields
        .iter()
        .filter(|f| plan.is_personal(f))
        .map(|field| {
            let carrying: Vec<&crate::model::Event> = uses
                .of(&uses.carried_by, &field.id.value)
                .iter()
                .map(|&index| &w.events[index])
                .collect();
            RegisterRow {
                field: field.id.value.clone(),
                classification: text(&field.classification),
                purposes: field
                    .purposes
                    .iter()
                    .map(|p| PurposeBasis {
                        purpose: p.value.clone(),
                        lawful_basis: plan.lawful_basis(&p.value).map(str::to_string),
                    })
                    .collect(),
                retention: duration(&field.retention),
                events: carrying.iter().map(|e| e.id.value.clone()).collect(),
                destinations: sorted(carrying.iter().flat_map(|e| ids(&e.destinations)).collect()),
            }
        })
        .collect();
    Catalog {
        catalog_version: CATALOG_VERSION,
        workspace: WorkspaceInfo {
            name: w
                .manifest
                .as_ref()
                .and_then(|m| text(&m.name))
                .unwrap_or_default(),
            description: w.manifest.as_ref().and_then(|m| text(&m.description)),
        },
        teams: w.teams.iter().map(|team| team_view(&uses, team)).collect(),
        channels: w
            .channels
            .iter()
            .map(|c| ChannelView {
                id: c.id.value.clone(),
                name: text(&c.name),
                kind: c.kind.as_ref().map(|k| k.value.to_string()),
                owner: text(&c.owner),
                description: text(&c.description),
                targets: c.targets.as_ref().map(|t| TargetsView {
                    adoption: t.adoption.as_ref().map(|p| p.value),
                    revenue_share: t.revenue_share.as_ref().map(|p| p.value),
                    delivery_time: duration(&t.delivery_time),
                    on_time_rate: t.on_time_rate.as_ref().map(|p| p.value),
                }),
                touchpoints: uses.of(&uses.channel_touchpoints, &c.id.value).to_vec(),
            })
            .collect(),
        touchpoints: w
            .touchpoints
            .iter()
            .map(|t| TouchpointView {
                id: t.id.value.clone(),
                name: text(&t.name),
                channel: text(&t.channel),
                owner: text(&t.owner),
                description: text(&t.description),
                user_goal: text(&t.user_goal),
                emits: ids(&t.emits),
                captures_consent: ids(&t.captures_consent),
                journeys: journeys_of(&t.id.value),
            })
            .collect(),
        events: w
            .events
            .iter()
            .map(|e| {
                let emitted_by = emitters(&e.id.value);
                let journeys = sorted(emitted_by.iter().flat_map(|t| journeys_of(t)).collect());
                EventView {
                    id: e.id.value.clone(),
                    description: text(&e.description),
                    owner: text(&e.owner),
                    status: e.status.as_ref().map_or("active", |s| s.value).to_string(),
                    purposes: ids(&e.purposes),
                    destinations: ids(&e.destinations),
                    properties: e
                        .properties
                        .iter()
                        .map(|p| property_view(plan, p))
                        .collect(),
                    additional_properties: e
                        .additional_properties
                        .as_ref()
                        .is_some_and(|a| a.value),
                    version: text(&e.version),
                    examples: e
                        .examples
                        .iter()
                        .map(|node| example_json(plan, &e.properties, node))
                        .collect(),
                    emitted_by,
                    journeys,
                    schema: format!("schemas/events/{}.json", e.id.value),
                }
            })
            .collect(),
        fields: w
            .fields
            .iter()
            .map(|f| field_view(plan, &uses, f))
            .collect(),
        classifications: w
            .classifications
            .iter()
            .map(|c| ClassificationView {
                id: c.id.value.clone(),
                rank: c.rank.as_ref().map(|r| r.value),
                description: text(&c.description),
                requires_purpose: c.requires_purpose.as_ref().is_some_and(|r| r.value),
                max_retention: duration(&c.max_retention),
                lawful_basis: ids(&c.lawful_basis),
            })
            .collect(),
        purposes: w
            .purposes
            .iter()
            .map(|p| PurposeView {
                id: p.id.value.clone(),
                description: text(&p.description),
                lawful_basis: text(&p.lawful_basis),
                consent_mode: ids(&p.consent_mode),
                tcf: p.tcf.iter().map(|n| n.value).collect(),
                captured_at: uses.of(&uses.captured_at, &p.id.value).to_vec(),
            })
            .collect(),
        destinations: w
            .destinations
            .iter()
            .map(|d| DestinationView {
                id: d.id.value.clone(),
                description: text(&d.description),
                owner: text(&d.owner),
                purposes: ids(&d.purposes),
                retention: duration(&d.retention),
                third_party: d.third_party.as_ref().is_some_and(|t| t.value),
                events: uses.of(&uses.destination_events, &d.id.value).to_vec(),
            })
            .collect(),
        metrics: w
            .metrics
            .iter()
            .map(|m| MetricView {
                id: m.id.value.clone(),
                name: text(&m.name),
                description: text(&m.description),
                owner: text(&m.owner),
                events: ids(&m.events),
                target: text(&m.target),
            })
            .collect(),
        journeys: w
            .journeys
            .iter()
            .zip(&plan.graphs)
            .map(|(journey, graph)| journey_view(plan, journey, graph))
            .collect(),
        consent_register: register,
    }
}
