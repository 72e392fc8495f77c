//! Journey diagrams as SVG, laid out in-process: one column per stage, touchpoints stacked in
//! their column, handoffs drawn as curves. Journeys are layered by their stages already, so no
//! general graph layout is needed, and the drawing is the same on every machine (Graphviz output
//! differs between versions).

use serde::Serialize;

use super::catalog::{JourneyView, TouchpointView};

const NODE_WIDTH: f64 = 190.0;
const NODE_HEIGHT: f64 = 46.0;
const COLUMN_GAP: f64 = 120.0;
const ROW_GAP: f64 = 22.0;
const MARGIN: f64 = 16.0;
const STAGE_HEADER: f64 = 30.0;
const TITLE_CHARS: usize = 26;

#[derive(Serialize)]
pub struct StageBox {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub label: String,
}

#[derive(Serialize)]
pub struct NodeBox {
    pub id: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub title: String,
    pub full_title: String,
    pub subtitle: String,
}

#[derive(Serialize)]
pub struct EdgePath {
    pub d: String,
    pub label: String,
    pub label_x: f64,
    pub label_y: f64,
    pub is_loop: bool,
}

#[derive(Serialize)]
pub struct Diagram {
    pub width: f64,
    pub height: f64,
    pub stages: Vec<StageBox>,
    pub nodes: Vec<NodeBox>,
    pub edges: Vec<EdgePath>,
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= TITLE_CHARS {
        text.to_string()
    } else {
        let cut: String = text.chars().take(TITLE_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The point halfway along a cubic Bézier curve.
fn midpoint(p: [(f64, f64); 4]) -> (f64, f64) {
    (
        (p[0].0 + 3.0 * p[1].0 + 3.0 * p[2].0 + p[3].0) / 8.0,
        (p[0].1 + 3.0 * p[1].1 + 3.0 * p[2].1 + p[3].1) / 8.0,
    )
}

pub fn journey_diagram(journey: &JourneyView, touchpoints: &[TouchpointView]) -> Diagram {
    let touchpoint = |id: &str| touchpoints.iter().find(|t| t.id == id);
    let rows = journey
        .stages
        .iter()
        .map(|s| s.touchpoints.len())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let column_height = STAGE_HEADER + rows * (NODE_HEIGHT + ROW_GAP);
    let mut stages = Vec::new();
    let mut nodes: Vec<NodeBox> = Vec::new();
    for (column, stage) in journey.stages.iter().enumerate() {
        // Half a gap on each side leaves room for lanes entering the first column or leaving
        // the last one.
        let x = MARGIN + COLUMN_GAP / 2.0 + column as f64 * (NODE_WIDTH + COLUMN_GAP);
        stages.push(StageBox {
            x: x - 8.0,
            y: MARGIN,
            width: NODE_WIDTH + 16.0,
            height: column_height,
            label: shorten(stage.name.as_deref().unwrap_or(&stage.id)),
        });
        for (row, id) in stage.touchpoints.iter().enumerate() {
            if nodes.iter().any(|n| &n.id == id) {
                continue;
            }
            let view = touchpoint(id);
            let title = view
                .and_then(|t| t.name.clone())
                .unwrap_or_else(|| id.clone());
            let subtitle = view
                .map(|t| {
                    format!(
                        "{} · {}",
                        t.owner.as_deref().unwrap_or("no owner"),
                        t.channel.as_deref().unwrap_or("")
                    )
                })
                .unwrap_or_default();
            nodes.push(NodeBox {
                id: id.clone(),
                x,
                y: MARGIN + STAGE_HEADER + row as f64 * (NODE_HEIGHT + ROW_GAP),
                width: NODE_WIDTH,
                height: NODE_HEIGHT,
                title: shorten(&title),
                full_title: title,
                subtitle: shorten(&subtitle),
            });
        }
    }
    let bottom = MARGIN + column_height;
    let mut edges = Vec::new();
    let mut lanes = 0.0;
    for handoff in &journey.handoffs {
        let find = |id: &Option<String>| {
            id.as_ref()
                .and_then(|id| nodes.iter().find(|n| &n.id == id))
        };
        let (Some(from), Some(to)) = (find(&handoff.from), find(&handoff.to)) else {
            continue;
        };
        let next_column = to.x > from.x && to.x - from.x < 2.0 * (NODE_WIDTH + COLUMN_GAP) - 1.0;
        let start = (from.x + from.width, from.y + from.height / 2.0);
        let end = (to.x, to.y + to.height / 2.0);
        let (d, (label_x, label_y)) = if next_column {
            let bend = (end.0 - start.0) / 2.0;
            let points = [start, (start.0 + bend, start.1), (end.0 - bend, end.1), end];
            let d = format!(
                "M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
                points[0].0,
                points[0].1,
                points[1].0,
                points[1].1,
                points[2].0,
                points[2].1,
                points[3].0,
                points[3].1
            );
            (d, midpoint(points))
        } else {
            // Backwards, within a column, or past a whole stage: down the gap after the source
            // column, along a lane of its own below the stages, and up the gap before the
            // target, so it never crosses a touchpoint.
            lanes += 1.0;
            let lane = bottom + 18.0 * lanes;
            let out_x = start.0 + COLUMN_GAP / 2.0 - 4.0 * lanes;
            let in_x = end.0 - COLUMN_GAP / 2.0 + 4.0 * lanes;
            let d = format!(
                "M{:.1},{:.1} H{:.1} V{:.1} H{:.1} V{:.1} H{:.1}",
                start.0, start.1, out_x, lane, in_x, end.1, end.0
            );
            (d, ((out_x + in_x) / 2.0, lane))
        };
        let label = [handoff.when.clone(), handoff.sla.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
        edges.push(EdgePath {
            d,
            label,
            label_x,
            label_y: label_y - 4.0,
            is_loop: handoff.is_loop || to.x <= from.x,
        });
    }
    let columns = journey.stages.len().max(1) as f64;
    Diagram {
        width: 2.0 * MARGIN + columns * (NODE_WIDTH + COLUMN_GAP),
        height: bottom + MARGIN + 18.0 * lanes + if lanes > 0.0 { 12.0 } else { 0.0 },
        stages,
        nodes,
        edges,
    }
}
