//! Generators: everything `trailmap build` writes, from the plan through the compiled catalog
//! and the templates. Generators never validate; `build` checks first. Beside them,
//! [`language_schema`] writes the editor schema of the input files from the language tables.

pub mod catalog;
pub mod exports;
pub mod language_schema;
pub mod layout;
pub mod output;
pub mod templates;

use std::collections::BTreeMap;
use std::path::Path;

use minijinja::context;
use minijinja::value::{Serde, Value};

use crate::plan::Plan;
use crate::plan::schema::{event_schema, event_schema_id};
use catalog::Catalog;
use output::Outputs;

/// The groups of outputs `--only` can pick.
pub const GROUPS: &[&str] = &[
    "schemas",
    "datalayer",
    "docs",
    "graphs",
    "catalog",
    "site",
    "iglu",
    "asyncapi",
    "odcs",
    "dbt",
];

fn pretty(value: &impl serde::Serialize) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}

/// A map from id to item, for templates that look items up by id.
fn by_id(items: &serde_json::Value) -> BTreeMap<String, serde_json::Value> {
    items
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| Some((item["id"].as_str()?.to_string(), item.clone())))
        .collect()
}

/// A template failure, naming the template and line.
#[derive(Debug)]
pub struct TemplateError(pub minijinja::Error);

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "template error: {:#}", self.0)
    }
}

impl std::error::Error for TemplateError {}

impl From<minijinja::Error> for TemplateError {
    fn from(error: minijinja::Error) -> Self {
        TemplateError(error)
    }
}

/// Renders every output of the chosen groups into memory.
pub fn render(
    plan: &Plan,
    catalog: &Catalog,
    groups: &[&str],
    template_dirs: &[&Path],
) -> Result<Outputs, TemplateError> {
    let mut outputs = Outputs::default();
    let wanted = |group: &str| groups.contains(&group);
    // The catalog as template values once; the per-page values and the by-id maps share its
    // parts instead of copying them (at 10 000 events each copy is hundreds of megabytes).
    let json = serde_json::to_value(catalog).unwrap_or_default();
    let fields_json = by_id(&json["fields"]);
    let catalog_value = Value::from(Serde(&json));
    drop(json);
    let items = |section: &str| -> Vec<Value> {
        catalog_value
            .get_attr(section)
            .ok()
            .and_then(|list| list.try_iter().ok())
            .map(|list| list.collect())
            .unwrap_or_default()
    };
    let id_of = |item: &Value| {
        item.get_attr("id")
            .ok()
            .and_then(|id| id.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    let keyed = |section: &str| -> BTreeMap<String, Value> {
        items(section)
            .into_iter()
            .map(|item| (id_of(&item), item))
            .filter(|(id, _)| !id.is_empty())
            .collect()
    };
    let fields = keyed("fields");
    let touchpoints = keyed("touchpoints");
    let journeys = items("journeys");
    let events = items("events");
    let env = templates::environment(fields_json, template_dirs)?;
    let diagrams: BTreeMap<&str, layout::Diagram> = catalog
        .journeys
        .iter()
        .map(|journey| {
            (
                journey.id.as_str(),
                layout::journey_diagram(journey, &catalog.touchpoints),
            )
        })
        .collect();
    let base = context! {
        catalog => catalog_value.clone(),
        fields => Value::from(fields),
        touchpoints => Value::from(touchpoints),
        diagrams => Value::from(Serde(&diagrams)),
    };
    let render = |name: &str, extra: Value| -> Result<String, TemplateError> {
        let template = env.get_template(name)?;
        Ok(template.render(context! { ..base.clone(), ..extra })?)
    };

    if wanted("schemas") {
        let mut index = Vec::new();
        for event in &plan.workspace.events {
            let path = format!("schemas/events/{}.json", event.id.value);
            outputs.add(path.clone(), pretty(&event_schema(plan, event)));
            index.push(serde_json::json!({
                "event": event.id.value,
                "$id": event_schema_id(plan, &event.id.value),
                "schema": path.trim_start_matches("schemas/"),
            }));
        }
        outputs.add(
            "schemas/index.json".into(),
            pretty(&serde_json::json!({ "events": index })),
        );
    }
    if wanted("catalog") {
        outputs.add("catalog.json".into(), pretty(catalog));
        outputs.add(
            "catalog.schema.json".into(),
            pretty(&schemars::schema_for!(Catalog)),
        );
    }
    if wanted("datalayer") {
        outputs.add(
            "datalayer/datalayer.d.ts".into(),
            render("datalayer/datalayer.d.ts.j2", Value::UNDEFINED)?,
        );
    }
    if wanted("docs") {
        for (name, path) in [
            ("docs/index.md.j2", "docs/index.md"),
            ("docs/fields.md.j2", "docs/fields.md"),
            ("docs/owners.md.j2", "docs/owners.md"),
            ("docs/consent.md.j2", "docs/consent.md"),
        ] {
            outputs.add(path.into(), render(name, Value::UNDEFINED)?);
        }
        for journey in &journeys {
            let id = id_of(journey);
            let page = render(
                "docs/journey.md.j2",
                context! { journey => journey.clone() },
            )?;
            outputs.add(format!("docs/journeys/{id}.md"), page);
        }
        for event in &events {
            let id = id_of(event);
            let page = render("docs/event.md.j2", context! { event => event.clone() })?;
            outputs.add(format!("docs/events/{id}.md"), page);
        }
    }
    if wanted("graphs") {
        for journey in &journeys {
            let id = id_of(journey);
            let id = id.as_str();
            let extra = context! { journey => journey.clone() };
            outputs.add(
                format!("graphs/{id}.mmd"),
                render("graphs/journey.mmd.j2", extra.clone())?,
            );
            outputs.add(
                format!("graphs/{id}.dot"),
                render("graphs/journey.dot.j2", extra)?,
            );
            let diagram = diagrams.get(id).map(|d| Value::from(Serde(d)));
            let svg = context! { journey => journey.clone(), diagram => diagram };
            outputs.add(
                format!("graphs/{id}.svg"),
                render("graphs/journey.svg.j2", svg)?,
            );
        }
    }
    if wanted("iglu") {
        for (path, schema) in exports::iglu_schemas(plan) {
            outputs.add(path, pretty(&schema));
        }
    }
    if wanted("asyncapi") || wanted("odcs") || wanted("dbt") {
        let facts = exports::event_exports(plan);
        let extra = context! {
            exports => Value::from(Serde(&facts)),
            teams => Value::from(keyed("teams")),
        };
        if wanted("asyncapi") {
            outputs.add(
                "asyncapi/asyncapi.yaml".into(),
                render("exports/asyncapi.yaml.j2", extra.clone())?,
            );
        }
        if wanted("odcs") {
            for event in items("events") {
                let id = id_of(&event);
                let id = id.as_str();
                let Some(planned) = plan.event(id) else {
                    continue;
                };
                let version = planned
                    .version
                    .as_ref()
                    .map_or_else(|| "1.0.0".to_string(), |v| v.value.replace('-', "."));
                let page = render(
                    "exports/odcs.yaml.j2",
                    context! {
                        ..extra.clone(),
                        ..context! {
                            event => event,
                            x => Value::from(Serde(&facts[id])),
                            schema_id => event_schema_id(plan, id),
                            version => version,
                        }
                    },
                )?;
                outputs.add(format!("odcs/{}.odcs.yaml", facts[id].key), page);
            }
        }
        if wanted("dbt") {
            let name = catalog_value
                .get_attr("workspace")
                .and_then(|workspace| workspace.get_attr("name"))
                .ok()
                .and_then(|name| name.as_str().map(str::to_string));
            let source_name = heck::ToSnakeCase::to_snake_case(name.as_deref().unwrap_or("events"));
            outputs.add(
                "dbt/sources.yml".into(),
                render(
                    "exports/dbt_sources.yml.j2",
                    context! { ..extra.clone(), ..context! { source_name => source_name } },
                )?,
            );
        }
    }
    if wanted("site") {
        outputs.add(
            "site/index.html".into(),
            render("site/index.html.j2", Value::UNDEFINED)?,
        );
    }
    Ok(outputs)
}
