//! SLA rules (T family): durations are positive and the slowest way to a journey's goal fits
//! its budget.

use petgraph::graph::NodeIndex;

use crate::diagnostics::{Diagnostic, Level, Rule};
use crate::model::Journey;
use crate::plan::{JourneyEdge, JourneyGraph, Plan, critical_path};

pub static NON_POSITIVE_SLA: Rule = Rule {
    code: "T002",
    name: "non-positive-sla",
    default_level: Level::Error,
    summary: "An SLA is zero or negative.",
    explanation: "An SLA of `0h` promises that the next team acts instantly, which no team can \
keep; it also hides the handoff from the journey budget. Give the real target.\n\nFailing:\n\n    \
sla: 0m\n\nFixed:\n\n    sla: 2m\n",
};

pub static SLA_BUDGET_EXCEEDED: Rule = Rule {
    code: "T003",
    name: "sla-budget-exceeded",
    default_level: Level::Error,
    summary: "The slowest path from a journey's entry to its goal takes longer than the journey's SLA.",
    explanation: "A journey's `sla` is the budget from entry to goal. trailmap adds up the \
handoff SLAs along every path from the first stage to a touchpoint that emits the goal event and \
reports the slowest one (the critical path) when it exceeds the budget, naming each step. The \
customer's own time between stages counts as zero; handoffs marked `loop: true` are left out.\n\n\
Failing:\n\n    sla: 24h\n    handoffs:\n      - {from: checkout, to: warehouse, sla: 20h, …}\n      \
- {from: warehouse, to: pickup_desk, sla: 8h, …}      # 28h > 24h\n\nFixed: shorten a handoff SLA \
or raise the journey budget.\n",
};

pub static RULES: [&Rule; 2] = [&NON_POSITIVE_SLA, &SLA_BUDGET_EXCEEDED];

fn step_name(plan: &Plan, graph: &JourneyGraph, node: NodeIndex) -> String {
    let id = graph.touchpoint(node).unwrap_or("entry");
    plan.touchpoint(id)
        .and_then(|t| t.name.as_ref())
        .map_or_else(|| id.to_string(), |name| name.value.clone())
}

fn check_budget(plan: &Plan, journey: &Journey, graph: &JourneyGraph, out: &mut Vec<Diagnostic>) {
    let Some(budget) = journey.sla.get() else {
        return;
    };
    let Some((total, path)) = critical_path(plan, journey, graph) else {
        return;
    };
    if total <= budget.value {
        return;
    }
    let g = &graph.graph;
    let mut steps = Vec::new();
    let mut diagnostic_labels = Vec::new();
    for &edge in &path {
        let Some((_, target)) = g.edge_endpoints(edge) else {
            continue;
        };
        let name = step_name(plan, graph, target);
        match g[edge] {
            JourneyEdge::Handoff(index) => {
                let handoff = &journey.handoffs[index];
                let sla = graph.cost(journey, g[edge]);
                steps.push(format!("{name} ({sla})"));
                if let Some(written) = handoff.sla.get() {
                    diagnostic_labels.push((written.span, format!("{sla} to {name}")));
                }
            }
            JourneyEdge::Start | JourneyEdge::StageOrder => steps.push(name),
        }
    }
    let mut diagnostic = Diagnostic::new(
        &SLA_BUDGET_EXCEEDED,
        budget.span,
        format!(
            "journey `{}` can take {total} from entry to goal, over its {} budget: {} = {total} > {}",
            journey.id.value,
            budget.value,
            steps.join(" → "),
            budget.value
        ),
    )
    .with_label(format!("{} budget", budget.value))
    .with_help("shorten the handoff SLAs on this path or raise the journey's `sla`");
    for (span, label) in diagnostic_labels {
        diagnostic = diagnostic.with_secondary(span, label);
    }
    out.push(diagnostic);
}

pub fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    for (journey, graph) in plan.workspace.journeys.iter().zip(&plan.graphs) {
        let slas = journey
            .sla
            .get()
            .into_iter()
            .chain(journey.handoffs.iter().filter_map(|h| h.sla.get()));
        for sla in slas.filter(|sla| sla.value.seconds <= 0) {
            out.push(
                Diagnostic::new(
                    &NON_POSITIVE_SLA,
                    sla.span,
                    format!("an SLA of {} cannot be met", sla.value),
                )
                .with_help("give the real target, e.g. `2m` or `4h`"),
            );
        }
        check_budget(plan, journey, graph, out);
    }
}
