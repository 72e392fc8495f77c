//! Journey graphs: a virtual entry, one node per touchpoint of the journey, an edge from every
//! touchpoint of a stage to every touchpoint of the next stage, and one edge per handoff.

use std::collections::HashMap;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::model::Journey;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JourneyNode {
    /// Where every journey starts; it leads to the touchpoints of the first stage.
    Entry,
    Touchpoint {
        id: String,
        /// Index of the first stage that lists the touchpoint.
        stage: usize,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JourneyEdge {
    /// From the entry to the first stage.
    Start,
    /// From one stage to the next: the customer moves on, no team hands anything over.
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
}

impl JourneyGraph {
    pub fn build(journey: &Journey) -> JourneyGraph {
        let mut graph = DiGraph::new();
        let entry = graph.add_node(JourneyNode::Entry);
        let mut nodes: HashMap<String, NodeIndex> = HashMap::new();
        let mut previous: Vec<NodeIndex> = vec![entry];
        for (stage_index, stage) in journey.stages.iter().enumerate() {
            let mut current = Vec::new();
            for touchpoint in &stage.touchpoints {
                let node = *nodes.entry(touchpoint.value.clone()).or_insert_with(|| {
                    graph.add_node(JourneyNode::Touchpoint {
                        id: touchpoint.value.clone(),
                        stage: stage_index,
                    })
                });
                if !current.contains(&node) {
                    current.push(node);
                }
            }
            if current.is_empty() {
                continue;
            }
            for &from in &previous {
                for &to in &current {
                    let kind = if from == entry {
                        JourneyEdge::Start
                    } else {
                        JourneyEdge::StageOrder
                    };
                    if from != to {
                        graph.add_edge(from, to, kind);
                    }
                }
            }
            previous = current;
        }
        for (index, handoff) in journey.handoffs.iter().enumerate() {
            let endpoint = |id: &Option<crate::model::Id>| {
                id.as_ref().and_then(|id| nodes.get(&id.value).copied())
            };
            if let (Some(from), Some(to)) = (endpoint(&handoff.from), endpoint(&handoff.to)) {
                graph.add_edge(from, to, JourneyEdge::Handoff(index));
            }
        }
        JourneyGraph {
            graph,
            entry,
            nodes,
        }
    }
}
