//! Computed facts of a journey: the slowest path from its entry to its goal (the critical
//! path the SLA budget is checked against, and the docs and catalog show).

use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::{JourneyEdge, JourneyGraph, Plan};
use crate::model::{Duration, Journey};

/// The touchpoints reachable from the entry in topological order, ignoring loop handoffs and
/// the edges that close a cycle (those are the graph rules' business).
fn forward_order(journey: &Journey, graph: &JourneyGraph) -> Vec<NodeIndex> {
    let g = &graph.graph;
    let mut state = vec![0u8; g.node_count()]; // 0 new, 1 on the stack, 2 done
    let mut postorder = Vec::with_capacity(g.node_count());
    let mut stack: Vec<(NodeIndex, Vec<NodeIndex>)> = Vec::new();
    let successors = |node: NodeIndex| -> Vec<NodeIndex> {
        let mut next: Vec<(EdgeIndex, NodeIndex)> = g
            .edges_directed(node, Direction::Outgoing)
            .filter(|edge| !is_loop(journey, *edge.weight()))
            .map(|edge| (edge.id(), edge.target()))
            .collect();
        next.sort();
        next.into_iter().rev().map(|(_, target)| target).collect()
    };
    state[graph.entry.index()] = 1;
    stack.push((graph.entry, successors(graph.entry)));
    while let Some((node, pending)) = stack.last_mut() {
        match pending.pop() {
            Some(next) if state[next.index()] == 0 => {
                state[next.index()] = 1;
                let next_successors = successors(next);
                stack.push((next, next_successors));
            }
            Some(_) => {}
            None => {
                state[node.index()] = 2;
                postorder.push(*node);
                stack.pop();
            }
        }
    }
    postorder.reverse();
    postorder
}

pub fn is_loop(journey: &Journey, edge: JourneyEdge) -> bool {
    matches!(edge, JourneyEdge::Handoff(index)
        if journey.handoffs[index].is_loop.as_ref().is_some_and(|l| l.value))
}

/// The slowest path from the entry to a touchpoint emitting the goal: its total and its edges.
pub fn critical_path(
    plan: &Plan,
    journey: &Journey,
    graph: &JourneyGraph,
) -> Option<(Duration, Vec<EdgeIndex>)> {
    let goal = &journey.goal.as_ref()?.value;
    let g = &graph.graph;
    let order = forward_order(journey, graph);
    let mut position = vec![usize::MAX; g.node_count()];
    for (at, node) in order.iter().enumerate() {
        position[node.index()] = at;
    }
    let mut best: Vec<Option<(Duration, Option<EdgeIndex>)>> = vec![None; g.node_count()];
    best[graph.entry.index()] = Some((Duration::default(), None));
    for &node in &order {
        let Some((here, _)) = best[node.index()] else {
            continue;
        };
        for edge in g.edges_directed(node, Direction::Outgoing) {
            let target = edge.target();
            if is_loop(journey, *edge.weight())
                || position[target.index()] <= position[node.index()]
            {
                continue;
            }
            let total =
                Duration::from_seconds(here.seconds + graph.cost(journey, *edge.weight()).seconds);
            if best[target.index()].is_none_or(|(current, _)| total > current) {
                best[target.index()] = Some((total, Some(edge.id())));
            }
        }
    }
    let emits_goal = |node: NodeIndex| {
        graph
            .touchpoint(node)
            .and_then(|id| plan.touchpoint(id))
            .is_some_and(|t| t.emits.iter().any(|e| &e.value == goal))
    };
    let (end, (total, _)) = order
        .iter()
        .filter(|&&node| emits_goal(node))
        .filter_map(|&node| best[node.index()].map(|b| (node, b)))
        .max_by_key(|(node, (total, _))| (*total, std::cmp::Reverse(node.index())))?;
    let mut path = Vec::new();
    let mut at = end;
    while let Some((_, Some(edge))) = best[at.index()] {
        path.push(edge);
        at = g.edge_endpoints(edge)?.0;
    }
    path.reverse();
    Some((total, path))
}
