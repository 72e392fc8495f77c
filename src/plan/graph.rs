//! Journey graphs.
//!
//! A journey starts at a virtual entry that leads to the touchpoints of its first stage. From
//! there a touchpoint moves on through its handoffs when it has any in the journey (the handoff
//! is how the work gets to the next team), and otherwise to every touchpoint of the next stage
//! (the customer moves on by themselves). Handoffs marked `loop: true` add their edge without
//! replacing the way forward.

use std::collections::HashMap;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::model::{Duration, Journey};
use crate::source::Spanned;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JourneyNode {
    /// Where every journey starts.
    Entry,
    Touchpoint {
        id: String,
        /// Index of the (first) stage that lists the touchpoint.
        stage: usize,
        /// Where the stage lists it.
        listed: crate::source::Span,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JourneyEdge {
    /// From the entry to the first stage.
    Start,
    /// From a touchpoint without handoffs to the next stage.
    StageOrder,
    /// A handoff, by its index in `journey.handoffs`.
    Handoff(usize),
}

#[derive(Debug)]
pub struct JourneyGraph {
    pub graph: DiGraph<JourneyNode, JourneyEdge>,
    pub entry: NodeIndex,
    /// The node of each touchpoint id listed in the journey's stages.
    pub nodes: HashMap<String, NodeIndex>,
    /// The index of the last stage that lists any touchpoint; its touchpoints are final.
    pub last_stage: Option<usize>,
    /// Touchpoints a stage lists again after an earlier listing in the journey.
    pub repeated: Vec<Spanned<String>>,
}

impl JourneyGraph {
    pub fn build(journey: &Journey) -> JourneyGraph {
        let mut graph = DiGraph::new();
        let entry = graph.add_node(JourneyNode::Entry);
        let mut nodes: HashMap<String, NodeIndex> = HashMap::new();
        let mut repeated = Vec::new();
        let mut stages: Vec<(usize, Vec<NodeIndex>)> = Vec::new();
        for (stage_index, stage) in journey.stages.iter().enumerate() {
            let mut members = Vec::new();
            for touchpoint in &stage.touchpoints {
                if nodes.contains_key(&touchpoint.value) {
                    repeated.push(touchpoint.clone());
                    continue;
                }
                let node = graph.add_node(JourneyNode::Touchpoint {
                    id: touchpoint.value.clone(),
                    stage: stage_index,
                    listed: touchpoint.span,
                });
                nodes.insert(touchpoint.value.clone(), node);
                members.push(node);
            }
            if !members.is_empty() {
                stages.push((stage_index, members));
            }
        }

        let endpoints = |index: usize| {
            let handoff = &journey.handoffs[index];
            let from = nodes.get(&handoff.from.as_ref()?.value)?;
            let to = nodes.get(&handoff.to.as_ref()?.value)?;
            Some((
                *from,
                *to,
                handoff.is_loop.as_ref().is_some_and(|l| l.value),
            ))
        };
        let mut forward: HashMap<NodeIndex, Vec<(usize, NodeIndex)>> = HashMap::new();
        for index in 0..journey.handoffs.len() {
            if let Some((from, to, is_loop)) = endpoints(index) {
                if is_loop {
                    graph.add_edge(from, to, JourneyEdge::Handoff(index));
                } else {
                    forward.entry(from).or_default().push((index, to));
                }
            }
        }

        if let Some((_, first)) = stages.first() {
            for &node in first {
                graph.add_edge(entry, node, JourneyEdge::Start);
            }
        }
        for (position, (_, members)) in stages.iter().enumerate() {
            let next = stages
                .get(position + 1)
                .map(|(_, next)| next.as_slice())
                .unwrap_or(&[]);
            for &node in members {
                match forward.get(&node) {
                    Some(handoffs) => {
                        for &(index, to) in handoffs {
                            graph.add_edge(node, to, JourneyEdge::Handoff(index));
                        }
                    }
                    None => {
                        for &to in next {
                            graph.add_edge(node, to, JourneyEdge::StageOrder);
                        }
                    }
                }
            }
        }
        JourneyGraph {
            graph,
            entry,
            nodes,
            last_stage: stages.last().map(|(index, _)| *index),
            repeated,
        }
    }

    /// The touchpoint id of a node (`None` for the entry).
    pub fn touchpoint(&self, node: NodeIndex) -> Option<&str> {
        match &self.graph[node] {
            JourneyNode::Entry => None,
            JourneyNode::Touchpoint { id, .. } => Some(id),
        }
    }

    /// The SLA an edge costs: its handoff's SLA, or nothing.
    pub fn cost(&self, journey: &Journey, edge: JourneyEdge) -> Duration {
        match edge {
            JourneyEdge::Handoff(index) => journey.handoffs[index]
                .sla
                .get()
                .map_or(Duration::default(), |sla| sla.value),
            JourneyEdge::Start | JourneyEdge::StageOrder => Duration::default(),
        }
    }
}
