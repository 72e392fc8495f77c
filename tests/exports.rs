//! The exports of `trailmap build` (`--only iglu,asyncapi,odcs,dbt`), each checked against its
//! official JSON Schema where one exists (shipped under `tests/schemas/`: AsyncAPI 3.0.0 from
//! npm `@asyncapi/specs` 6.11.1, ODCS v3.1.0 from PyPI `open-data-contract-standard` 3.1.0,
//! both Apache-2.0), and against the example workspace's own examples; golden copies of one
//! of each (`TRAILMAP_BLESS=1` rewrites them).

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

mod common;

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// YAML read with trailmap's own reader (YAML 1.2), as JSON.
fn read_yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    let document = trailmap::source::yaml::parse(trailmap::source::FileId(0), &text);
    assert!(
        document.errors.is_empty(),
        "{}: {:?}",
        path.display(),
        document.errors
    );
    document.root.unwrap().to_json()
}

fn build_exports(out: &Path) {
    let output = Command::cargo_bin("trailmap")
        .unwrap()
        .arg("build")
        .arg(common::repo())
        .arg("--out")
        .arg(out)
        .args(["--only", "iglu,asyncapi,odcs,dbt,catalog"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The examples of each event in the compiled catalog, by event id.
fn examples(out: &Path) -> Vec<(String, Vec<Value>)> {
    let catalog = read_json(&out.join("catalog.json"));
    catalog["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap().to_string(),
                e["examples"].as_array().unwrap().clone(),
            )
        })
        .collect()
}

fn golden(out: &Path, name: &str) {
    let written = std::fs::read_to_string(out.join(name)).unwrap();
    let path = common::repo()
        .join("tests/golden/exports")
        .join(name.replace('/', "__"));
    if std::env::var_os("TRAILMAP_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &written).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, expected, "{name} differs from {}", path.display());
}

#[test]
fn exports_are_valid_and_accept_the_examples() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dist");
    build_exports(&out);
    let examples = examples(&out);

    // AsyncAPI 3.0: the whole document against the official schema; every payload accepts the
    // event's examples.
    let asyncapi = read_yaml(&out.join("asyncapi/asyncapi.yaml"));
    let spec = read_json(&common::repo().join("tests/schemas/asyncapi-3.0.0.schema.json"));
    let validator = jsonschema::validator_for(&spec).expect("the AsyncAPI schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&asyncapi)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "AsyncAPI: {errors:#?}");
    // The schema does reject: a wrong operation action and a message with an unknown key.
    let mut broken = asyncapi.clone();
    let first_operation = broken["operations"]
        .as_object_mut()
        .unwrap()
        .values_mut()
        .next()
        .unwrap();
    first_operation["action"] = "publish".into();
    assert!(
        !validator.is_valid(&broken),
        "the AsyncAPI schema must reject `action: publish`"
    );
    let messages = asyncapi["components"]["messages"].as_object().unwrap();
    assert_eq!(messages.len(), examples.len());
    for (event, event_examples) in &examples {
        let message = messages
            .values()
            .find(|m| m["name"] == event.as_str())
            .unwrap_or_else(|| panic!("no message for {event}"));
        let payload = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .build(&message["payload"])
            .unwrap();
        for example in event_examples {
            assert!(payload.is_valid(example), "AsyncAPI {event}: {example}");
        }
    }

    // ODCS v3.1: every contract against the official schema.
    let odcs = read_json(&common::repo().join("tests/schemas/odcs-3.1.0.schema.json"));
    let validator = jsonschema::validator_for(&odcs).expect("the ODCS schema compiles");
    let mut contracts = 0;
    for entry in std::fs::read_dir(out.join("odcs")).unwrap() {
        let path = entry.unwrap().path();
        let contract = read_yaml(&path);
        let errors: Vec<String> = validator
            .iter_errors(&contract)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        assert_eq!(contract["apiVersion"], "v3.1.0");
        let mut broken = contract.clone();
        broken["schema"][0]["logicalType"] = "table".into();
        assert!(
            !validator.is_valid(&broken),
            "the ODCS schema must reject a wrong logicalType"
        );
        contracts += 1;
    }
    assert_eq!(contracts, examples.len());

    // Iglu: self-describing draft-4 schemas at vendor/name/jsonschema/version, accepting the
    // examples.
    let iglu_meta = common::iglu_meta_validator();
    let mut schemas = 0;
    for entry in walkdir::WalkDir::new(out.join("iglu/schemas")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let mut schema = read_json(entry.path());
        if let Some(meta) = &iglu_meta {
            assert!(
                meta.is_valid(&schema),
                "{} is not a valid self-describing schema",
                entry.path().display()
            );
        }
        let parts: Vec<String> = entry
            .path()
            .strip_prefix(out.join("iglu/schemas"))
            .unwrap()
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let this = schema["self"].clone();
        assert_eq!(
            parts,
            [
                this["vendor"].as_str().unwrap(),
                this["name"].as_str().unwrap(),
                "jsonschema",
                this["version"].as_str().unwrap()
            ]
        );
        assert_eq!(
            schema["$schema"],
            trailmap::generate::exports::IGLU_SELF_DESC
        );
        let object = schema.as_object_mut().unwrap();
        object.remove("self");
        object.remove("$schema");
        assert!(
            jsonschema::draft4::meta::is_valid(&schema),
            "{}",
            entry.path().display()
        );
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(true)
            .build(&schema)
            .unwrap();
        let name = this["name"].as_str().unwrap();
        let (_, event_examples) = examples.iter().find(|(id, _)| id == name).unwrap();
        for example in event_examples {
            assert!(validator.is_valid(example), "Iglu {name}: {example}");
        }
        schemas += 1;
    }
    assert_eq!(schemas, examples.len());

    // dbt: one table per event, one column per property, governance in meta.
    let dbt = read_yaml(&out.join("dbt/sources.yml"));
    assert_eq!(dbt["version"], 2);
    let tables = dbt["sources"][0]["tables"].as_array().unwrap();
    assert_eq!(tables.len(), examples.len());
    let catalog = read_json(&out.join("catalog.json"));
    for (table, event) in tables.iter().zip(catalog["events"].as_array().unwrap()) {
        assert_eq!(table["meta"]["event"], event["id"]);
        assert_eq!(table["meta"]["owner"], event["owner"]);
        let columns = table["columns"].as_array().map_or(0, Vec::len);
        assert_eq!(columns, event["properties"].as_array().unwrap().len());
    }

    for name in [
        "dbt/sources.yml",
        "odcs/purchase.odcs.yaml",
        "iglu/schemas/io.trailmap.northwind/purchase/jsonschema/1-0-0",
    ] {
        golden(&out, name);
    }
}

/// An imported Iglu schema goes back out under its own vendor, name and version.
#[test]
fn imported_iglu_schemas_export_under_their_own_key() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("ws");
    let status = Command::cargo_bin("trailmap")
        .unwrap()
        .current_dir(common::repo())
        .args(["import", "iglu", "tests/import/iglu/schemas", "--out"])
        .arg(&workspace)
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(0));
    let out = dir.path().join("dist");
    let status = Command::cargo_bin("trailmap")
        .unwrap()
        .arg("build")
        .arg(&workspace)
        .arg("--out")
        .arg(&out)
        .args(["--only", "iglu"])
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(0));
    let schema = read_json(&out.join("iglu/schemas/com.acme/link_click/jsonschema/1-0-1"));
    assert_eq!(schema["self"]["vendor"], "com.acme");
    assert_eq!(schema["required"], serde_json::json!(["targetUrl"]));
}

/// The exports of imported real plans (all of Iglu Central, the Segment and RudderStack
/// e-commerce plans) are valid too: names with spaces, dots and `@`, open objects, thousands of
/// events.
#[test]
fn exports_of_imported_real_plans_are_valid() {
    let Some(realdata) = common::realdata() else {
        eprintln!("skipped: no realdata");
        return;
    };
    let asyncapi_spec = read_json(&common::repo().join("tests/schemas/asyncapi-3.0.0.schema.json"));
    let asyncapi_validator = jsonschema::validator_for(&asyncapi_spec).unwrap();
    let odcs_spec = read_json(&common::repo().join("tests/schemas/odcs-3.1.0.schema.json"));
    let odcs_validator = jsonschema::validator_for(&odcs_spec).unwrap();
    for (kind, source, events) in [
        ("iglu", "iglu-central/schemas", 516),
        ("segment", "segment-ecommerce-v2/events.yaml", 28),
        (
            "rudderstack",
            "rudderstack-ruddertyper-plans/ecommerce-template-29-events.json",
            29,
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("ws");
        let output = Command::cargo_bin("trailmap")
            .unwrap()
            .args(["import", kind])
            .arg(realdata.join(source))
            .arg("--out")
            .arg(&workspace)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{kind}");
        let out = dir.path().join("dist");
        let output = Command::cargo_bin("trailmap")
            .unwrap()
            .arg("build")
            .arg(&workspace)
            .arg("--out")
            .arg(&out)
            .args(["--only", "asyncapi,odcs,dbt"])
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{kind}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let asyncapi = read_yaml(&out.join("asyncapi/asyncapi.yaml"));
        let errors: Vec<String> = asyncapi_validator
            .iter_errors(&asyncapi)
            .take(5)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{kind} AsyncAPI: {errors:#?}");
        assert_eq!(
            asyncapi["components"]["messages"]
                .as_object()
                .unwrap()
                .len(),
            events,
            "{kind}: one message per event"
        );
        let mut contracts = 0;
        for entry in std::fs::read_dir(out.join("odcs")).unwrap() {
            let path = entry.unwrap().path();
            let contract = read_yaml(&path);
            let errors: Vec<String> = odcs_validator
                .iter_errors(&contract)
                .take(5)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
            contracts += 1;
        }
        assert_eq!(contracts, events, "{kind}: one contract per event");
        let dbt = read_yaml(&out.join("dbt/sources.yml"));
        assert_eq!(
            dbt["sources"][0]["tables"].as_array().unwrap().len(),
            events,
            "{kind}: one table per event"
        );
    }
}
