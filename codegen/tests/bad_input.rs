//! Bad input stops the build with one message naming the file, the item's
//! folder path and the problem. Never a panic.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use zoom_chat_reports_codegen::convert::{ConvertOptions, Selection, convert};
use zoom_chat_reports_codegen::postman::parse_collection;
use zoom_chat_reports_codegen::{Error, build, sdk_generate_options};

const FILE: &str = "spec/test.postman_collection.json";

fn collection(items: Value) -> String {
    json!({
        "info": { "name": "t", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
        "item": [{ "name": "Reports", "item": [{ "name": "Nested", "item": items }] }]
    })
    .to_string()
}

fn parse_error(text: &str) -> Error {
    parse_collection(text, FILE).expect_err("must be rejected")
}

#[test]
fn invalid_json() {
    let error = parse_error("{ \"info\": ");
    assert_eq!(error.file, FILE);
    assert!(error.problem.starts_with("not valid JSON"), "{error}");
}

#[test]
fn unknown_schema_version() {
    let text = json!({ "info": { "name": "t", "schema": "https://schema.getpostman.com/json/collection/v1.0.0/collection.json" }, "item": [] });
    let error = parse_error(&text.to_string());
    assert!(error.to_string().contains("unknown schema version"), "{error}");
}

#[test]
fn missing_request() {
    let error = parse_error(&collection(json!([{ "name": "Get chat sessions reports" }])));
    assert_eq!(
        error.item.as_deref(),
        Some("Reports / Nested / Get chat sessions reports")
    );
    assert_eq!(error.problem, "`request` is missing");
    assert_eq!(
        error.to_string(),
        format!("{FILE}: item `Reports / Nested / Get chat sessions reports`: `request` is missing")
    );
}

#[test]
fn missing_url() {
    let error = parse_error(&collection(json!([{ "name": "x", "request": { "method": "GET" } }])));
    assert_eq!(error.item.as_deref(), Some("Reports / Nested / x"));
    assert_eq!(error.problem, "`request.url` is missing");
}

#[test]
fn non_strings_where_strings_belong() {
    let cases = [
        (
            json!([{ "name": 7, "request": { "url": "{{baseUrl}}/a" } }]),
            "`name` must be a string",
        ),
        (
            json!([{ "name": "x", "request": { "method": 1, "url": "{{baseUrl}}/a" } }]),
            "`method` must be a string, found a number",
        ),
        (
            json!([{ "name": "x", "request": { "url": { "path": ["a", 3] } } }]),
            "each `url.path` segment must be a string, found a number",
        ),
        (
            json!([{ "name": "x", "request": { "url": { "path": ["a"], "query": [{ "key": ["k"], "value": "v" }] } } }]),
            "`query[].key` must be a string, found an array",
        ),
        (
            json!([{ "name": "x", "request": { "url": { "path": ["a"], "query": [{ "key": "k", "value": {} }] } } }]),
            "`query[].value` of `k` must be a string, found an object",
        ),
        (
            json!([{ "name": "x", "request": { "url": "{{baseUrl}}/a" }, "response": [{ "name": "ok", "code": "200" }] }]),
            "response `ok`: `code` must be a number, found a string",
        ),
        (
            json!([{ "name": "x", "request": { "url": "{{baseUrl}}/a", "description": 5 } }]),
            "`description` must be a string or an object, found a number",
        ),
    ];
    for (items, problem) in cases {
        let error = parse_error(&collection(items));
        assert!(
            error.item.as_deref().is_some_and(|i| i.starts_with("Reports / Nested")),
            "{error}"
        );
        assert_eq!(error.problem, problem);
    }
}

#[test]
fn duplicate_operations_name_both_items() {
    let text = collection(json!([
        { "name": "one", "request": { "url": "{{baseUrl}}/a/:id" } },
        { "name": "two", "request": { "url": { "raw": "{{baseUrl}}/a/:id", "path": ["a", ":id"] } } }
    ]));
    let parsed = parse_collection(&text, FILE).expect("parses");
    let options = ConvertOptions {
        selection: Selection::All,
        operation_names: BTreeMap::new(),
    };
    let error = convert(&parsed, FILE, &options).expect_err("duplicate");
    assert!(
        error
            .to_string()
            .contains("`GET /a/{id}` is also defined by item `Reports / Nested / one`"),
        "{error}"
    );
}

#[test]
fn asking_for_a_missing_operation_is_a_clear_error() {
    let text = collection(json!([{ "name": "one", "request": { "url": "{{baseUrl}}/report/chat/sessions" } }]));
    let parsed = parse_collection(&text, FILE).expect("parses");
    let options = ConvertOptions {
        selection: Selection::Only(vec!["GET /report/chat/session".into()]),
        operation_names: BTreeMap::new(),
    };
    let error = convert(&parsed, FILE, &options).expect_err("missing");
    assert_eq!(
        error.to_string(),
        format!(
            "{FILE}: operation `GET /report/chat/session` was asked for but the collection does not define it; similar: GET /report/chat/sessions"
        )
    );
}

#[test]
fn config_and_corrections_errors_name_their_file() {
    let dir = std::env::temp_dir().join(format!("zoom-codegen-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/zoom-chat-reports.postman_collection.json");
    std::fs::copy(&spec, dir.join("c.json")).unwrap();

    let config = dir.join("codegen.json");
    std::fs::write(&config, r#"{ "collection": "c.json", "operations": "some" }"#).unwrap();
    let error = build(&config, &sdk_generate_options()).expect_err("bad operations");
    assert!(
        error
            .to_string()
            .starts_with(&format!("{}: not a valid codegen config", config.display())),
        "{error}"
    );

    std::fs::write(
        &config,
        r#"{ "collection": "c.json", "operations": "all", "corrections": "fix.json" }"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("fix.json"),
        r#"[{ "reason": "moved", "patch": [{ "op": "replace", "path": "/paths/~1nowhere", "value": 1 }] }]"#,
    )
    .unwrap();
    let error = build(&config, &sdk_generate_options()).expect_err("patch target missing");
    assert!(
        error
            .to_string()
            .contains("fix.json: correction #0 (moved) does not apply"),
        "{error}"
    );

    std::fs::write(&config, r#"{ "collection": "missing.json", "operations": "all" }"#).unwrap();
    let error = build(&config, &sdk_generate_options()).expect_err("missing collection");
    assert!(error.to_string().contains("missing.json: cannot be read"), "{error}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn v2_0_collections_convert() {
    let text = json!({
        "info": { "name": "old", "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json" },
        "item": [{ "name": "A", "item": [{ "name": "B", "item": [{ "name": "C", "item": [{
            "name": "deep",
            "request": {
                "url": "https://api.zoom.us/v2/report/chat/sessions?from=2020-01-01&to=2020-01-31&page_size=30",
                "method": "GET",
                "header": "Accept: application/json\nX-Trace: abc"
            },
            "response": [{ "name": "ok", "code": 200, "body": "{\"sessions\": []}", "header": [] }]
        }] }] }] }]
    });
    let parsed = parse_collection(&text.to_string(), FILE).expect("v2.0 parses");
    assert_eq!(parsed.requests[0].folders, ["A", "B", "C"]);
    let options = ConvertOptions {
        selection: Selection::All,
        operation_names: BTreeMap::new(),
    };
    let converted = convert(&parsed, FILE, &options).expect("converts");
    let op = &converted.document["paths"]["/v2/report/chat/sessions"]["get"];
    assert_eq!(
        op["parameters"][0]["schema"],
        json!({"type": "string", "format": "date"})
    );
    assert_eq!(op["parameters"][2]["schema"], json!({"type": "integer"}));
    assert_eq!(op["parameters"][3]["name"], "X-Trace");
}

#[test]
fn disabled_params_are_dropped_and_bodies_convert() {
    let text = collection(json!([{
        "name": "post",
        "request": {
            "method": "POST",
            "url": { "path": ["things"], "query": [{ "key": "on", "value": "1" }, { "key": "off", "value": "1", "disabled": true }] },
            "body": { "mode": "urlencoded", "urlencoded": [{ "key": "name", "value": "x", "description": "(Required) The name." }, { "key": "n", "value": "3" }] }
        }
    }, {
        "name": "upload",
        "request": { "method": "POST", "url": { "path": ["files"] }, "body": { "mode": "formdata", "formdata": [{ "key": "file", "type": "file", "src": "x" }] } }
    }, {
        "name": "raw",
        "request": { "method": "PATCH", "url": { "path": ["raw"] }, "body": { "mode": "raw", "raw": "{\"a\": 1, \"when\": \"2020-01-01T00:00:00Z\"}", "options": { "raw": { "language": "json" } } } },
        "response": [{ "name": "not json", "code": 200, "body": "<html>oops</html>", "header": [{ "key": "Content-Type", "value": "text/html" }] }]
    }]));
    let parsed = parse_collection(&text, FILE).expect("parses");
    let options = ConvertOptions {
        selection: Selection::All,
        operation_names: BTreeMap::new(),
    };
    let converted = convert(&parsed, FILE, &options).expect("converts");
    let paths = &converted.document["paths"];
    let post = &paths["/things"]["post"];
    assert_eq!(post["parameters"].as_array().map(Vec::len), Some(1));
    let form = &post["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"];
    assert_eq!(form["required"], json!(["name"]));
    assert_eq!(form["properties"]["n"]["type"], "integer");
    assert_eq!(
        paths["/files"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]["file"]["format"],
        "binary"
    );
    let raw = &paths["/raw"]["patch"];
    assert_eq!(
        raw["requestBody"]["content"]["application/json"]["schema"]["properties"]["when"]["format"],
        "date-time"
    );
    assert!(
        raw["responses"]["200"].get("content").is_none(),
        "a non-JSON body has no schema"
    );
}
