//! The example workspace, deliberately broken in four documented ways, must report each break
//! with its path, totals or both places. The exact findings are in
//! `tests/golden/broken-example.{json,txt}` (`TRAILMAP_BLESS=1` rewrites them).

use std::fs;
use std::path::Path;

use trailmap::commands::analyze;

mod common;
use trailmap::diagnostics::{render_human, render_json};

/// Replaces `from` (which must occur exactly once) by `to` in one file of the workspace.
fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(
        text.matches(from).count(),
        1,
        "{file} must contain {from:?} once"
    );
    fs::write(&path, text.replace(from, to)).unwrap();
}

#[test]
fn the_broken_example_reports_each_break() {
    let repo = common::repo();
    let dir = common::example_workspace();
    let root = dir.path();

    // 1. Consent before collection: the cookie banner shares the first stage with the social
    //    posts, so a shopper coming from Instagram reaches the shop without seeing it.
    edit(
        root,
        "journeys/abandoned_cart_recovery.yaml",
        "    touchpoints: [instagram_shop_post, pinterest_pin]\n  - id: consent\n    name: Consent\n    description: Nothing consent-based is collected before the banner is answered.\n    touchpoints: [cookie_banner]\n",
        "    touchpoints: [instagram_shop_post, pinterest_pin, cookie_banner]\n",
    );
    // 2. SLA budget: the retargeting audience sync slows to 60 h in a 48 h journey.
    edit(
        root,
        "journeys/abandoned_cart_recovery.yaml",
        "    owner: growth\n    sla: 24h\n",
        "    owner: growth\n    sla: 60h\n",
    );
    // 3. Retention: agent ids may now be kept 6 weeks, but the warehouse and the service desk
    //    keep what they receive for longer.
    edit(
        root,
        "catalog/fields.yaml",
        "    purposes: [customer_service, analytics]\n    retention: 2y\n",
        "    purposes: [customer_service, analytics]\n    retention: 6w\n",
    );
    // 4. Name collision: `campaignid` is valid snake_case but collides with `campaign_id`.
    edit(
        root,
        "catalog/fields.yaml",
        "  offer_code:\n",
        "  campaignid: {type: string, classification: internal}\n  offer_code:\n",
    );
    edit(
        root,
        "catalog/events/messaging.yaml",
        "      page_url: required\n      offer_code: optional\n",
        "      page_url: required\n      offer_code: optional\n      campaignid: optional\n",
    );

    let analysis = analyze(root).unwrap();
    let codes: Vec<&str> = analysis.diagnostics.iter().map(|d| d.rule.code).collect();
    for code in ["C005", "T003", "D003", "N004"] {
        assert!(codes.contains(&code), "{code} not reported: {codes:?}");
    }
    let outputs = [
        (
            "broken-example.json",
            render_json(&analysis.diagnostics, &analysis.sources),
        ),
        (
            "broken-example.txt",
            render_human(&analysis.diagnostics, &analysis.sources, false),
        ),
    ];
    for (name, actual) in outputs {
        let path = repo.join("tests/golden").join(name);
        if std::env::var_os("TRAILMAP_BLESS").is_some() {
            fs::write(&path, &actual).unwrap();
        }
        assert_eq!(
            fs::read_to_string(&path).unwrap_or_default(),
            actual,
            "{}",
            path.display()
        );
    }
}
