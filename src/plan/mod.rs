//! The plan: the model with every id indexed and every reference checked, and each journey as
//! a graph of touchpoints. Rules and generators read only the plan.

mod critical_path;
mod graph;
pub mod references;
pub mod schema;

pub use critical_path::{critical_path, is_loop};
pub use graph::{JourneyEdge, JourneyGraph, JourneyNode};

use indexmap::IndexMap;

use crate::diagnostics::Diagnostic;
use crate::model::*;

/// Position of each id in its section; the first definition wins when an id is defined twice
/// (the duplicate is reported).
#[derive(Debug, Default)]
pub struct Index {
    pub teams: IndexMap<String, usize>,
    pub channels: IndexMap<String, usize>,
    pub touchpoints: IndexMap<String, usize>,
    pub events: IndexMap<String, usize>,
    pub fields: IndexMap<String, usize>,
    pub classifications: IndexMap<String, usize>,
    pub purposes: IndexMap<String, usize>,
    pub destinations: IndexMap<String, usize>,
    pub metrics: IndexMap<String, usize>,
    pub journeys: IndexMap<String, usize>,
}

#[derive(Debug)]
pub struct Plan {
    pub workspace: Workspace,
    pub index: Index,
    /// One graph per journey, in the order of `workspace.journeys`.
    pub graphs: Vec<JourneyGraph>,
}

macro_rules! lookup {
    ($($method:ident: $section:ident -> $item:ty),* $(,)?) => {
        impl Plan {
            $(
                pub fn $method(&self, id: &str) -> Option<&$item> {
                    self.index.$section.get(id).map(|&at| &self.workspace.$section[at])
                }
            )*
        }
    };
}

lookup! {
    team: teams -> Team,
    channel: channels -> Channel,
    touchpoint: touchpoints -> Touchpoint,
    event: events -> Event,
    field: fields -> Field,
    classification: classifications -> Classification,
    purpose: purposes -> Purpose,
    destination: destinations -> Destination,
    metric: metrics -> Metric,
    journey: journeys -> Journey,
}

impl Plan {
    /// The fields that travel with these: themselves and, through objects and arrays, the
    /// fields they contain. Each field once, in the order first reached.
    pub fn carried_fields<'a>(&'a self, roots: impl IntoIterator<Item = &'a Id>) -> Vec<&'a Field> {
        let mut carried: Vec<&Field> = Vec::new();
        let mut pending: Vec<&Id> = roots.into_iter().collect();
        pending.reverse();
        while let Some(id) = pending.pop() {
            let Some(field) = self.field(&id.value) else {
                continue;
            };
            if carried.iter().any(|seen| std::ptr::eq(*seen, field)) {
                continue;
            }
            carried.push(field);
            pending.extend(field.properties.iter().rev().map(|p| &p.field));
            pending.extend(field.items.iter());
        }
        carried
    }

    /// The fields an event carries, nested ones included.
    pub fn event_fields<'a>(&'a self, event: &'a Event) -> Vec<&'a Field> {
        self.carried_fields(event.properties.iter().map(|p| &p.field))
    }

    /// Whether data of this field needs a declared purpose (its classification says so).
    pub fn is_personal(&self, field: &Field) -> bool {
        field
            .classification
            .as_ref()
            .and_then(|id| self.classification(&id.value))
            .and_then(|c| c.requires_purpose.as_ref())
            .is_some_and(|r| r.value)
    }

    /// The lawful basis of a purpose, as written.
    pub fn lawful_basis(&self, purpose: &str) -> Option<&str> {
        self.purpose(purpose)?
            .lawful_basis
            .as_ref()
            .map(|b| b.value.as_str())
    }
}

/// Builds the plan, reporting duplicate ids, unknown references and unused definitions.
pub fn build(workspace: Workspace) -> (Plan, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let index = references::index(&workspace, &mut diagnostics);
    let mut plan = Plan {
        workspace,
        index,
        graphs: Vec::new(),
    };
    if !plan.workspace.incomplete {
        references::check(&plan, &mut diagnostics);
    }
    plan.graphs = plan
        .workspace
        .journeys
        .iter()
        .map(JourneyGraph::build)
        .collect();
    (plan, diagnostics)
}
