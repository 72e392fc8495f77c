//! `trailmap build`: representative outputs match their golden copies, two builds are
//! byte-identical, every schema is valid JSON Schema 2020-12, and a build never overwrites
//! what it did not write nor leaves a half-written output.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod common;
use common::{base_workspace, example_workspace as example, repo};

fn build(workspace: &Path, out: &Path) -> std::process::Output {
    Command::cargo_bin("trailmap")
        .unwrap()
        .arg("build")
        .arg(workspace)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// Builds and fails the test, with trailmap's messages, unless the build succeeds.
fn build_ok(workspace: &Path, out: &Path) {
    let output = build(workspace, out);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn read_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn representative_outputs_match_their_golden_copies() {
    let workspace = example();
    let out = workspace.path().join("dist");
    build_ok(workspace.path(), &out);
    for file in [
        "schemas/events/purchase.json",
        "docs/journeys/buy_online_pickup_in_store.md",
        "graphs/chat_escalation.mmd",
        "graphs/chat_escalation.dot",
        "datalayer/datalayer.d.ts",
    ] {
        let actual = fs::read_to_string(out.join(file)).unwrap();
        let golden = repo()
            .join("tests/golden/build")
            .join(file.replace('/', "__"));
        if std::env::var_os("TRAILMAP_BLESS").is_some() {
            fs::create_dir_all(golden.parent().unwrap()).unwrap();
            fs::write(&golden, &actual).unwrap();
        }
        assert_eq!(
            fs::read_to_string(&golden).unwrap_or_default(),
            actual,
            "{file}"
        );
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let workspace = example();
    let first = workspace.path().join("first");
    let second = workspace.path().join("second");
    build_ok(workspace.path(), &first);
    build_ok(workspace.path(), &second);
    let (a, b) = (read_tree(&first), read_tree(&second));
    assert!(a.len() > 90, "{} files", a.len());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, content) in &a {
        assert_eq!(content, &b[path], "{} differs", path.display());
        assert!(
            !content.contains(&b'\r'),
            "{} has a carriage return",
            path.display()
        );
    }
}

#[test]
fn every_schema_is_valid_2020_12_and_accepts_its_examples() {
    let workspace = example();
    let out = workspace.path().join("dist");
    build_ok(workspace.path(), &out);
    let catalog: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("catalog.json")).unwrap()).unwrap();
    let events = catalog["events"].as_array().unwrap();
    for event in events {
        let path = out.join(event["schema"].as_str().unwrap());
        let schema: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        jsonschema::meta::validate(&schema).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap();
        for example in event["examples"].as_array().unwrap() {
            assert!(validator.is_valid(example), "{}: {example}", path.display());
        }
    }
    let index: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("schemas/index.json")).unwrap()).unwrap();
    assert_eq!(index["events"].as_array().unwrap().len(), events.len());
    let catalog_schema: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("catalog.schema.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&catalog_schema).unwrap();
    assert!(
        validator.is_valid(&catalog),
        "catalog.json does not follow catalog.schema.json"
    );
}

#[test]
fn a_folder_with_foreign_files_or_the_workspace_is_refused() {
    let workspace = example();
    let out = workspace.path().join("site");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("index.html"), "my own page").unwrap();
    let output = build(workspace.path(), &out);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("holds files trailmap did not write (index.html)")
    );
    assert_eq!(
        fs::read_to_string(out.join("index.html")).unwrap(),
        "my own page"
    );

    let output = build(workspace.path(), workspace.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("it is or contains the workspace"));
    assert!(workspace.path().join("trailmap.yaml").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_output_intact() {
    let workspace = example();
    let out = workspace.path().join("dist");
    build_ok(workspace.path(), &out);
    let before = read_tree(&out);

    // A template with a typo stops the build before anything is written.
    let templates = workspace.path().join("templates/docs");
    fs::create_dir_all(&templates).unwrap();
    fs::write(
        templates.join("index.md.j2"),
        "# {{ catalog.workspace.nmae }}\n",
    )
    .unwrap();
    let output = build(workspace.path(), &out);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("undefined (in docs/index.md.j2:1)"),
        "{stderr}"
    );
    assert_eq!(read_tree(&out), before);

    // A workspace with errors does not build (unless --force).
    fs::remove_dir_all(workspace.path().join("templates")).unwrap();
    let journey = workspace.path().join("journeys/returns.yaml");
    let text = fs::read_to_string(&journey).unwrap();
    fs::write(
        &journey,
        text.replacen("owner: customer_service", "owner: customer-service", 1),
    )
    .unwrap();
    assert_eq!(build(workspace.path(), &out).status.code(), Some(1));
    assert_eq!(read_tree(&out), before);
}

#[test]
fn a_workspace_template_overrides_the_built_in_one() {
    let workspace = example();
    let templates = workspace.path().join("templates/docs");
    fs::create_dir_all(&templates).unwrap();
    fs::write(
        templates.join("index.md.j2"),
        "# {{ catalog.workspace.name }} plan\n",
    )
    .unwrap();
    let out = workspace.path().join("dist");
    build_ok(workspace.path(), &out);
    assert_eq!(
        fs::read_to_string(out.join("docs/index.md")).unwrap(),
        "# northwind plan\n"
    );
}

#[test]
fn hostile_text_is_escaped_for_each_target() {
    let dir = base_workspace();
    let hostile = r#"End "quoted" <script>alert(1)</script> | pipe [x] \"#;
    let touchpoints = dir.path().join("catalog/touchpoints.yaml");
    let text = fs::read_to_string(&touchpoints).unwrap();
    let yaml_string = serde_json::to_string(hostile).unwrap();
    fs::write(
        &touchpoints,
        text.replace("name: Checkout", &format!("name: {yaml_string}")),
    )
    .unwrap();
    let journey = dir.path().join("journeys/pickup.yaml");
    let text = fs::read_to_string(&journey).unwrap();
    fs::write(
        &journey,
        text.replace("  - id: collect", "  - id: end\n    name: \"subgraph <b>\""),
    )
    .unwrap();

    let out = dir.path().join("dist");
    build_ok(dir.path(), &out);
    let read = |path: &str| fs::read_to_string(out.join(path)).unwrap();

    let site = read("site/index.html");
    assert!(
        !site.contains("<script>alert(1)"),
        "markup from the plan reached the page"
    );
    assert!(site.contains(
        "End &quot;quoted&quot; &lt;script&gt;alert(1)&lt;&#x2f;script&gt; | pipe [x] \\"
    ));

    let page = read("docs/journeys/pickup.md");
    assert!(
        page.contains(r#"| End "quoted" &lt;script&gt;alert(1)&lt;/script&gt; \| pipe [x] \ |"#),
        "{page}"
    );

    let mermaid = read("graphs/pickup.mmd");
    assert!(
        mermaid.contains(r#"subgraph n_stage__end["subgraph #lt;b#gt;"]"#),
        "{mermaid}"
    );
    assert!(mermaid.contains("n_checkout[\"End #quot;quoted#quot; #lt;script#gt;alert(1)#lt;/script#gt; | pipe [x] \\<br/>"), "{mermaid}");

    let dot = read("graphs/pickup.dot");
    assert!(
        dot.contains(r#""checkout" [label="End \"quoted\" <script>alert(1)</script> | pipe [x] \\\necommerce · web"];"#),
        "{dot}"
    );

    let svg = read("graphs/pickup.svg");
    assert!(!svg.contains("<script>"), "{svg}");
}

#[test]
fn nullable_fields_allow_null_in_type_and_enum() {
    let dir = base_workspace();
    let fields = dir.path().join("catalog/fields.yaml");
    let text = fs::read_to_string(&fields).unwrap();
    fs::write(
        &fields,
        format!("{text}  size: {{type: string, classification: public, nullable: true, enum: [S, M, L]}}\n"),
    )
    .unwrap();
    let events = dir.path().join("catalog/events.yaml");
    let text = fs::read_to_string(&events).unwrap();
    fs::write(
        &events,
        text.replacen(
            "customer_id: optional}",
            "customer_id: optional, size: optional}",
            1,
        ),
    )
    .unwrap();
    let out = dir.path().join("dist");
    build_ok(dir.path(), &out);
    let schema: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("schemas/events/purchase.json")).unwrap())
            .unwrap();
    assert_eq!(
        schema["properties"]["size"]["type"],
        serde_json::json!(["string", "null"])
    );
    assert_eq!(
        schema["properties"]["size"]["enum"],
        serde_json::json!(["S", "M", "L", null])
    );
    let types = fs::read_to_string(out.join("datalayer/datalayer.d.ts")).unwrap();
    assert!(
        types.contains("  size?: \"S\" | \"M\" | \"L\" | null;"),
        "{types}"
    );
}

#[test]
fn ids_cannot_write_outside_the_output_folder() {
    let dir = base_workspace();
    let events = dir.path().join("catalog/more.yaml");
    fs::write(
        &events,
        "version: 1\nevents:\n  \"../../escaped\": {owner: ecommerce}\n",
    )
    .unwrap();
    let out = dir.path().join("dist");
    let output = Command::cargo_bin("trailmap")
        .unwrap()
        .args(["build", "--force", "--out"])
        .arg(&out)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("refusing to write `docs/events/../../escaped.md`"),
        "{stderr}"
    );
    assert!(!dir.path().join("escaped.json").exists() && !out.exists());
}
