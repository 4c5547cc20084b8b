//! Converting Zoom's whole Team Chat export (107 requests in 16 folders)
//! must reproduce every operation of Zoom's official OpenAPI document: the
//! same paths and methods, the same parameter names, the same required flags.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;
use zoom_chat_reports_codegen::convert::{ConvertOptions, Selection, convert};
use zoom_chat_reports_codegen::postman::parse_collection;

const EXPORT: &str = "tests/fixtures/team-chat.2026-02-07.postman_collection.json";
const OFFICIAL: &str = "tests/fixtures/team-chat.openapi3.2026-02-07.json";

/// `METHOD /path` → parameter name and location → required.
type Operations = BTreeMap<String, BTreeMap<(String, String), bool>>;

fn operations(document: &Value) -> Operations {
    let mut out = Operations::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            let mut params = BTreeMap::new();
            for p in operation["parameters"].as_array().into_iter().flatten() {
                let key = (
                    p["in"].as_str().unwrap_or_default().to_string(),
                    p["name"].as_str().unwrap_or_default().to_string(),
                );
                params.insert(key, p["required"].as_bool().unwrap_or(false));
            }
            out.insert(format!("{} {path}", method.to_uppercase()), params);
        }
    }
    out
}

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("fixture exists")
}

#[test]
fn converted_export_matches_the_official_spec() {
    let collection = parse_collection(&read(EXPORT), EXPORT).expect("the export parses");
    let options = ConvertOptions {
        selection: Selection::All,
        operation_names: BTreeMap::new(),
    };
    let converted = convert(&collection, EXPORT, &options).expect("the export converts");
    let ours = operations(&converted.document);
    let official: Value = serde_json::from_str(&read(OFFICIAL)).expect("official spec parses");
    let theirs = operations(&official);

    let our_keys: BTreeSet<&String> = ours.keys().collect();
    let their_keys: BTreeSet<&String> = theirs.keys().collect();
    assert_eq!(their_keys.len(), 107, "the official spec has 107 operations");
    assert_eq!(our_keys, their_keys, "same operations (method and path)");

    let (mut params, mut names_match, mut required_match) = (0, 0, 0);
    let mut mismatches = Vec::new();
    for (key, their_params) in &theirs {
        let our_params = &ours[key];
        for ((location, name), required) in their_params {
            params += 1;
            match our_params.get(&(location.clone(), name.clone())) {
                Some(ours_required) => {
                    names_match += 1;
                    if ours_required == required {
                        required_match += 1;
                    } else {
                        mismatches.push(format!(
                            "{key}: {location} `{name}` required: official {required}, converted {ours_required}"
                        ));
                    }
                }
                None => mismatches.push(format!("{key}: {location} `{name}` missing from the conversion")),
            }
        }
        for (location, name) in our_params.keys() {
            if !their_params.contains_key(&(location.clone(), name.clone())) {
                mismatches.push(format!("{key}: {location} `{name}` is not in the official spec"));
            }
        }
    }
    println!(
        "fidelity: {} operations, {params} parameters, {names_match} names matched, {required_match} required flags matched",
        their_keys.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
