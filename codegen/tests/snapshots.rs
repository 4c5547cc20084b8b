//! The converted OpenAPI document and the generated Rust are checked in under
//! `spec/snapshots/`, so that a new Zoom export or a progenitor bump shows up
//! as a diff in review. This test regenerates both and fails with a unified
//! diff when either is stale. `UPDATE_SNAPSHOTS=1 cargo test` rewrites them.

use std::path::{Path, PathBuf};

use zoom_chat_reports_codegen::{build, sdk_generate_options};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen/ sits in the repository")
        .to_path_buf()
}

fn check_snapshot(path: &Path, actual: &str) {
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected == actual {
        return;
    }
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(path, actual).expect("the snapshot is writable");
        return;
    }
    let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
        .unified_diff()
        .context_radius(3)
        .header("checked in", "generated now")
        .to_string();
    panic!(
        "{} is stale; review the diff below and run `UPDATE_SNAPSHOTS=1 cargo test -p zoom-chat-reports-codegen --test snapshots` to accept it:\n{diff}",
        path.display()
    );
}

#[test]
fn sdk_snapshots_are_current() {
    let root = repo_root();
    let output = build(&root.join("spec/codegen.json"), &sdk_generate_options()).expect("the SDK's spec builds");
    check_snapshot(&root.join("spec/snapshots/openapi.json"), &output.openapi_json());
    check_snapshot(&root.join("spec/snapshots/generated.rs"), &output.rust);
}

#[test]
fn generation_is_deterministic() {
    let root = repo_root();
    let first = build(&root.join("spec/codegen.json"), &sdk_generate_options()).expect("builds");
    let second = build(&root.join("spec/codegen.json"), &sdk_generate_options()).expect("builds");
    assert_eq!(first.openapi_json(), second.openapi_json());
    assert_eq!(first.rust, second.rust);
}
