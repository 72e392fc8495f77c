//! Journey-graph rules (G family): handoffs inside the journey, every touchpoint reachable, the
//! goal reached, cycles marked, no dead ends.

use std::collections::HashSet;

use petgraph::Direction;
use petgraph::algo::tarjan_scc;
use petgraph::graph::NodeIndex;
use petgraph::visit::{Bfs, EdgeRef, Reversed};

use crate::diagnostics::{Diagnostic, Level, Rule};
use crate::model::Journey;
use crate::plan::{JourneyEdge, JourneyGraph, JourneyNode, Plan, is_loop};

pub static HANDOFF_OUTSIDE_JOURNEY: Rule = Rule {
    code: "G001",
    name: "handoff-outside-journey",
    default_level: Level::Error,
    summary: "A handoff starts or ends at a touchpoint that is not in the journey's stages.",
    explanation: "Handoffs connect touchpoints of the same journey; a handoff to a touchpoint no \
stage lists would leave the journey graph and be ignored by every check.\n\nFix: add the \
touchpoint to a stage, or correct the handoff.\n",
};

pub static UNREACHABLE_TOUCHPOINT: Rule = Rule {
    code: "G002",
    name: "unreachable-touchpoint",
    default_level: Level::Error,
    summary: "A touchpoint of the journey cannot be reached from its entry.",
    explanation: "A journey starts at its first stage, and customers move on from stage to \
stage. A touchpoint that a handoff leads to is reached only through handoffs (the pickup desk \
sees an order because checkout handed it over). A touchpoint that no path reaches is never \
visited: usually a handoff starts at the wrong place.\n\nFailing:\n\n    stages:\n      - {id: buy, \
touchpoints: [checkout]}\n      - {id: collect, touchpoints: [pickup_desk]}\n    handoffs:\n      \
- {from: pickup_desk, to: pickup_desk, …}   # meant: from checkout\n",
};

pub static GOAL_NOT_EMITTED: Rule = Rule {
    code: "G003",
    name: "goal-not-emitted",
    default_level: Level::Error,
    summary: "No touchpoint of the journey emits its goal event.",
    explanation: "The `goal` event tells when a journey succeeded; if no touchpoint of the \
journey emits it, success cannot be measured and the SLA budget has no end.\n\nFix: add the event \
to the `emits` of the touchpoint where the journey succeeds.\n",
};

pub static UNMARKED_CYCLE: Rule = Rule {
    code: "G004",
    name: "unmarked-cycle",
    default_level: Level::Error,
    summary: "Handoffs form a cycle that is not marked `loop: true`.",
    explanation: "A handoff back to an earlier touchpoint makes customers go round; that can be \
intended (a retry, a follow-up) but is more often a mistake. Mark intended ones `loop: true`; they \
are then left out of the SLA budget.\n",
};

pub static DEAD_END: Rule = Rule {
    code: "G005",
    name: "dead-end",
    default_level: Level::Warning,
    summary: "A touchpoint before the last stage has no way to the journey's goal.",
    explanation: "A customer at this touchpoint, not yet past the goal, cannot reach any \
touchpoint that emits the goal event: the journey ends there without success. That can be \
intended (a cancellation branch) — waive it on the journey with a reason — or a missing \
handoff.\n",
};

pub static REPEATED_TOUCHPOINT: Rule = Rule {
    code: "G006",
    name: "repeated-touchpoint",
    default_level: Level::Error,
    summary: "A touchpoint is listed twice in one journey.",
    explanation: "A touchpoint is one node of the journey graph; listing it in two stages would \
make its place ambiguous. To model a return visit, use a handoff marked `loop: true`.\n",
};

pub static RULES: [&Rule; 6] = [
    &HANDOFF_OUTSIDE_JOURNEY,
    &UNREACHABLE_TOUCHPOINT,
    &GOAL_NOT_EMITTED,
    &UNMARKED_CYCLE,
    &DEAD_END,
    &REPEATED_TOUCHPOINT,
];

fn listed(graph: &JourneyGraph, node: NodeIndex) -> Option<(&str, usize, crate::source::Span)> {
    match &graph.graph[node] {
        JourneyNode::Touchpoint { id, stage, listed } => Some((id, *stage, *listed)),
        JourneyNode::Entry => None,
    }
}

fn check_journey(plan: &Plan, journey: &Journey, graph: &JourneyGraph, out: &mut Vec<Diagnostic>) {
    for handoff in &journey.handoffs {
        for end in [&handoff.from, &handoff.to].into_iter().flatten() {
            if plan.touchpoint(&end.value).is_some() && !graph.nodes.contains_key(&end.value) {
                out.push(
                    Diagnostic::new(
                        &HANDOFF_OUTSIDE_JOURNEY,
                        end.span,
                        format!(
                            "touchpoint `{}` is not in any stage of journey `{}`",
                            end.value, journey.id.value
                        ),
                    )
                    .with_help("add it to a stage, or correct the handoff"),
                );
            }
        }
    }
    for repeated in &graph.repeated {
        let first = graph
            .nodes
            .get(&repeated.value)
            .and_then(|&n| listed(graph, n));
        let mut diagnostic = Diagnostic::new(
            &REPEATED_TOUCHPOINT,
            repeated.span,
            format!(
                "touchpoint `{}` is listed twice in journey `{}`",
                repeated.value, journey.id.value
            ),
        )
        .with_help("keep one listing; model a return visit with a handoff marked `loop: true`");
        if let Some((_, _, span)) = first {
            diagnostic = diagnostic.with_secondary(span, "first listed here");
        }
        out.push(diagnostic);
    }

    let g = &graph.graph;
    let mut reachable = HashSet::new();
    let mut bfs = Bfs::new(g, graph.entry);
    while let Some(node) = bfs.next(g) {
        reachable.insert(node);
    }
    let mut nodes: Vec<NodeIndex> = graph.nodes.values().copied().collect();
    nodes.sort();
    for &node in &nodes {
        if !reachable.contains(&node)
            && let Some((id, _, span)) = listed(graph, node)
        {
            out.push(
                Diagnostic::new(
                    &UNREACHABLE_TOUCHPOINT,
                    span,
                    format!("touchpoint `{id}` cannot be reached from the start of journey `{}`", journey.id.value),
                )
                .with_help("a touchpoint that handoffs lead to is reached only through them: start a handoff to it from a reachable touchpoint"),
            );
        }
    }

    let goal_nodes: Vec<NodeIndex> = match &journey.goal {
        Some(goal) if plan.event(&goal.value).is_some() => {
            let emitters: Vec<NodeIndex> = nodes
                .iter()
                .copied()
                .filter(|&n| {
                    listed(graph, n)
                        .and_then(|(id, _, _)| plan.touchpoint(id))
                        .is_some_and(|t| t.emits.iter().any(|e| e.value == goal.value))
                })
                .collect();
            if emitters.is_empty() {
                out.push(
                    Diagnostic::new(
                        &GOAL_NOT_EMITTED,
                        goal.span,
                        format!(
                            "no touchpoint of journey `{}` emits its goal `{}`",
                            journey.id.value, goal.value
                        ),
                    )
                    .with_help(
                        "add the event to the `emits` of the touchpoint where the journey succeeds",
                    ),
                );
            }
            emitters
        }
        _ => Vec::new(),
    };

    let without_loops = g.filter_map(
        |_, n| Some(n.clone()),
        |_, e| (!is_loop(journey, *e)).then_some(*e),
    );
    for component in tarjan_scc(&without_loops) {
        let cyclic = component.len() > 1 || without_loops.contains_edge(component[0], component[0]);
        if !cyclic {
            continue;
        }
        let members: HashSet<NodeIndex> = component.iter().copied().collect();
        let mut closing: Vec<(usize, NodeIndex, NodeIndex)> = without_loops
            .edge_references()
            .filter(|e| members.contains(&e.source()) && members.contains(&e.target()))
            .filter_map(|e| match e.weight() {
                JourneyEdge::Handoff(index) => {
                    let from_stage = listed(graph, e.source()).map(|l| l.1);
                    let to_stage = listed(graph, e.target()).map(|l| l.1);
                    (to_stage <= from_stage).then_some((*index, e.source(), e.target()))
                }
                _ => None,
            })
            .collect();
        closing.sort();
        for (index, from, to) in closing {
            let handoff = &journey.handoffs[index];
            let from_id = listed(graph, from).map_or("", |l| l.0);
            let to_id = listed(graph, to).map_or("", |l| l.0);
            out.push(
                Diagnostic::new(
                    &UNMARKED_CYCLE,
                    handoff.to.as_ref().map_or(handoff.span, |t| t.span),
                    format!("the handoff from `{from_id}` back to `{to_id}` closes a cycle in journey `{}`", journey.id.value),
                )
                .with_help("if customers really come back here, mark the handoff `loop: true`"),
            );
        }
    }

    if goal_nodes.is_empty() {
        return;
    }
    // A touchpoint is on the way to success if it leads to a goal, or already past it.
    let mut settled = HashSet::new();
    let reversed = Reversed(g);
    for &goal_node in &goal_nodes {
        let mut before = Bfs::new(reversed, goal_node);
        while let Some(node) = before.next(reversed) {
            settled.insert(node);
        }
        let mut after = Bfs::new(g, goal_node);
        while let Some(node) = after.next(g) {
            settled.insert(node);
        }
    }
    for &node in &nodes {
        let Some((id, stage, span)) = listed(graph, node) else {
            continue;
        };
        let is_final = graph.last_stage.is_none_or(|last| stage >= last);
        let has_exit = g.edges_directed(node, Direction::Outgoing).next().is_some();
        if !is_final && reachable.contains(&node) && !settled.contains(&node) {
            out.push(
                Diagnostic::new(
                    &DEAD_END,
                    span,
                    format!(
                        "touchpoint `{id}` has no way to the goal of journey `{}`{}",
                        journey.id.value,
                        if has_exit { "" } else { ": nothing follows it" }
                    ),
                )
                .with_help(
                    "add a handoff towards the goal, or move the touchpoint to the last stage",
                ),
            );
        }
    }
}

pub fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    for (journey, graph) in plan.workspace.journeys.iter().zip(&plan.graphs) {
        check_journey(plan, journey, graph, out);
    }
}
