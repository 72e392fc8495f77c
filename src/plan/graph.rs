//! Journey graphs.
//!
//! A journey starts at a virtual entry that leads to the touchpoints of its first stage. From
//! every touchpoint the customer can move on to the touchpoints of the next stage, and each
//! handoff adds an edge to the touchpoint it hands the work to. A touchpoint that a handoff
//! leads to is reached only through handoffs: a pickup desk is visited because checkout handed
//! the order over, not because the customer walked there. Handoffs marked `loop: true` go back
//! to an earlier touchpoint and do not change how it is reached.

use std::collections::{HashMap, HashSet};

use petgraph::graph::{DiGraph, NodeIndex};

use crate::model::{Duration, Id, Journey};
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
    /// From a touchpoint to one of the next stage that no handoff leads to.
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

        let node_of = |id: &Option<Id>| id.as_ref().and_then(|id| nodes.get(&id.value).copied());
        let stage_of = |node: NodeIndex| match graph[node] {
            JourneyNode::Touchpoint { stage, .. } => stage,
            JourneyNode::Entry => 0,
        };
        // A handoff forward hands the work over: its target is reached through handoffs only.
        // One that goes back (to the same or an earlier stage) is a cycle, reported as such,
        // and does not change how its target is reached.
        let mut handed_over: HashSet<NodeIndex> = HashSet::new();
        let mut handoffs: Vec<(usize, NodeIndex, NodeIndex)> = Vec::new();
        for (index, handoff) in journey.handoffs.iter().enumerate() {
            let is_loop = handoff.is_loop.as_ref().is_some_and(|l| l.value);
            let Some(to) = node_of(&handoff.to) else {
                continue;
            };
            match node_of(&handoff.from) {
                Some(from) => {
                    if !is_loop && stage_of(from) < stage_of(to) {
                        handed_over.insert(to);
                    }
                    handoffs.push((index, from, to));
                }
                // From outside the journey (reported by the graph rules): the target is still
                // handed over, from nowhere this journey reaches.
                None if handoff.from.is_some() && !is_loop => {
                    handed_over.insert(to);
                }
                None => {}
            }
        }
        let walk_in = |members: &[NodeIndex]| -> Vec<NodeIndex> {
            members
                .iter()
                .copied()
                .filter(|node| !handed_over.contains(node))
                .collect()
        };

        if let Some((_, first)) = stages.first() {
            for node in walk_in(first) {
                graph.add_edge(entry, node, JourneyEdge::Start);
            }
        }
        for pair in stages.windows(2) {
            let next = walk_in(&pair[1].1);
            for &node in &pair[0].1 {
                for &to in &next {
                    graph.add_edge(node, to, JourneyEdge::StageOrder);
                }
            }
        }
        for (index, from, to) in handoffs {
            graph.add_edge(from, to, JourneyEdge::Handoff(index));
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
