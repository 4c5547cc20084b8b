//! Contract tests generated from the spec itself: every example request in
//! the Postman collection, sent through the generated client, must reach the
//! server with the same path and query parameters plus `Authorization: Bearer`,
//! and every example response must decode into the generated types. They run
//! over the collection in `spec/` (Zoom's current export) and over the seed
//! items the crate started from, kept as a fixture: a regeneration must not
//! lose what the older export promised.

mod common;

use std::collections::BTreeMap;

use httpmock::prelude::*;
use serde_json::{Value, json};
use zoom_chat_reports::types::{ReportChatMessagesResponse, ReportChatSessionsResponse};

use common::{TOKEN, client, day};

const SPEC: &str = include_str!("../spec/zoom-chat-reports.postman_collection.json");
const SEED: &str = include_str!("fixtures/seed.postman_collection.json");
/// Each collection, with the number of example requests it holds (each
/// item's request and the original request of each example response).
const COLLECTIONS: [(&str, &str, usize); 2] = [
    ("spec/ (Zoom's 2026-02-07 export)", SPEC, 7),
    ("the seed items", SEED, 6),
];
const OPENAPI: &str = include_str!("../spec/snapshots/openapi.json");

/// A request as the collection describes it.
#[derive(Debug)]
struct ExampleRequest {
    item: String,
    /// Path segments with `:variables` filled in from the example.
    path: String,
    template: String,
    query: Vec<(String, String)>,
}

fn items(spec: &Value) -> Vec<&Value> {
    fn walk<'a>(node: &'a Value, out: &mut Vec<&'a Value>) {
        for item in node["item"].as_array().into_iter().flatten() {
            if item.get("item").is_some() {
                walk(item, out);
            } else {
                out.push(item);
            }
        }
    }
    let mut out = Vec::new();
    walk(spec, &mut out);
    out
}

fn example_request(item: &str, request: &Value) -> ExampleRequest {
    let url = &request["url"];
    let variables: BTreeMap<&str, &str> = url["variable"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| (v["key"].as_str().unwrap(), v["value"].as_str().unwrap()))
        .collect();
    let segments: Vec<&str> = url["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let template = format!("/{}", segments.join("/"));
    let path = segments
        .iter()
        .map(|s| s.strip_prefix(':').map_or(*s, |var| variables[var]))
        .collect::<Vec<_>>()
        .join("/");
    let query = url["query"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|q| q["disabled"] != json!(true))
        .map(|q| {
            (
                q["key"].as_str().unwrap().to_string(),
                q["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    ExampleRequest {
        item: item.to_string(),
        path: format!("/{path}"),
        template,
        query,
    }
}

fn all_example_requests(collection: &str) -> Vec<ExampleRequest> {
    let spec: Value = serde_json::from_str(collection).unwrap();
    let mut out = Vec::new();
    for item in items(&spec) {
        let name = item["name"].as_str().unwrap();
        out.push(example_request(name, &item["request"]));
        for response in item["response"].as_array().into_iter().flatten() {
            out.push(example_request(name, &response["originalRequest"]));
        }
    }
    out
}

fn sorted_query(uri: &str) -> Vec<(String, String)> {
    let url = reqwest::Url::parse(&format!("http://loopback{uri}")).unwrap();
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    pairs
}

#[tokio::test]
async fn every_example_request_is_sent_as_specified() {
    for (name, collection, count) in COLLECTIONS {
        let examples = all_example_requests(collection);
        assert_eq!(examples.len(), count, "{name}");
        for example in examples {
            send_as_specified(example).await;
        }
    }
}

async fn send_as_specified(example: ExampleRequest) {
    {
        let server = MockServer::start_async().await;
        let mut expected_query = example.query.clone();
        expected_query.sort();
        // The path as it travels: `:sessionId` values may hold spaces.
        let mut encoded = reqwest::Url::parse("http://loopback/").unwrap();
        encoded.set_path(&example.path);
        let expected_path = encoded.path().to_string();
        let mock = server
            .mock_async(move |when, then| {
                when.method(GET)
                    .header("authorization", format!("Bearer {TOKEN}"))
                    .is_true(move |req| {
                        req.uri().path() == expected_path && sorted_query(req.uri_str()) == expected_query
                    });
                then.status(200).json_body(json!({ "sessions": [], "messages": [] }));
            })
            .await;
        let (client, _) = client(&server.base_url());
        let api = client.generated();
        let query: BTreeMap<&str, &str> = example.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let known = [
            "from",
            "to",
            "page_size",
            "next_page_token",
            "include_fields",
            "include_bot_message",
            "include_reactions",
            "include_custom_emoji_reactions",
            "query_all_modifications",
        ];
        let flag = |name: &str| query.get(name).map(|v| v.parse::<bool>().unwrap());
        assert!(
            query.keys().all(|k| known.contains(k)),
            "{}: the spec has a parameter this test does not send: {query:?}",
            example.item
        );
        let page_size = query.get("page_size").map(|v| v.parse::<i64>().unwrap());
        match example.template.as_str() {
            "/report/chat/sessions" => {
                let mut request = api.report_chat_sessions().from(day(query["from"])).to(day(query["to"]));
                if let Some(size) = page_size {
                    request = request.page_size(size);
                }
                if let Some(token) = query.get("next_page_token") {
                    request = request.next_page_token(*token);
                }
                request.send().await.unwrap_or_else(|e| panic!("{}: {e}", example.item));
            }
            "/report/chat/sessions/:sessionId" => {
                let session = example.path.rsplit('/').next().unwrap();
                let mut request = api
                    .report_chat_messages()
                    .session_id(session)
                    .from(day(query["from"]))
                    .to(day(query["to"]));
                if let Some(size) = page_size {
                    request = request.page_size(size);
                }
                if let Some(token) = query.get("next_page_token") {
                    request = request.next_page_token(*token);
                }
                if let Some(fields) = query.get("include_fields") {
                    request = request.include_fields(*fields);
                }
                if let Some(value) = flag("include_bot_message") {
                    request = request.include_bot_message(value);
                }
                if let Some(value) = flag("include_reactions") {
                    request = request.include_reactions(value);
                }
                if let Some(value) = flag("include_custom_emoji_reactions") {
                    request = request.include_custom_emoji_reactions(value);
                }
                if let Some(value) = flag("query_all_modifications") {
                    request = request.query_all_modifications(value);
                }
                request.send().await.unwrap_or_else(|e| panic!("{}: {e}", example.item));
            }
            other => panic!("{}: no contract test for {other}", example.item),
        }
        mock.assert_async().await;
    }
}

/// Replaces placeholder values (`"string [date]"`, `"integer"`) with concrete
/// values of the type the converted schema gives that field.
fn concrete_fixture(value: &Value, schema: &Value, components: &Value) -> Value {
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => &components[reference.rsplit('/').next().unwrap()],
        None => schema,
    };
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), concrete_fixture(v, &schema["properties"][k], components)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| concrete_fixture(v, &schema["items"], components))
                .collect(),
        ),
        Value::String(s)
            if [
                "string",
                "string [date]",
                "string [date-time]",
                "integer",
                "boolean",
                "number",
            ]
            .contains(&s.as_str()) =>
        {
            match (schema["type"].as_str(), schema["format"].as_str()) {
                (Some("integer"), _) => json!(30),
                (Some("number"), _) => json!(1.5),
                (Some("boolean"), _) => json!(true),
                (Some("string"), Some("date")) => json!("2026-11-01"),
                (Some("string"), Some("date-time")) => json!("2026-11-01T10:00:00Z"),
                _ => json!("placeholder"),
            }
        }
        other => other.clone(),
    }
}

#[tokio::test]
async fn every_example_response_decodes() {
    for (name, collection, _) in COLLECTIONS {
        let decoded = decode_examples(collection, collection == SEED).await;
        assert_eq!(decoded, 2, "{name}: one 200 example per operation");
    }
}

/// Decodes each 200 example of `collection` through the generated client and
/// checks its values: the seed's, or the fields Zoom's current export adds.
async fn decode_examples(collection: &str, seed: bool) -> usize {
    let spec: Value = serde_json::from_str(collection).unwrap();
    let openapi: Value = serde_json::from_str(OPENAPI).unwrap();
    let components = &openapi["components"]["schemas"];
    let mut decoded = 0;
    for item in items(&spec) {
        let template = example_request("", &item["request"])
            .template
            .replace(":sessionId", "{sessionId}");
        for response in item["response"].as_array().into_iter().flatten() {
            let body = response["body"].as_str().unwrap_or_default();
            if response["code"] != json!(200) {
                assert_eq!(body, "", "error examples in these exports are empty");
                continue;
            }
            let example: Value = serde_json::from_str(body).unwrap();
            let schema =
                &openapi["paths"][&template]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
            let fixture = concrete_fixture(&example, schema, components);

            // Through the generated client, as a user would receive it.
            let server = MockServer::start_async().await;
            server
                .mock_async(|when, then| {
                    when.any_request();
                    then.status(200).json_body(fixture.clone());
                })
                .await;
            let (client, _) = client(&server.base_url());
            if template.ends_with("{sessionId}") {
                let page: ReportChatMessagesResponse = client
                    .generated()
                    .report_chat_messages()
                    .session_id("s")
                    .from(day("2026-11-01"))
                    .to(day("2026-11-02"))
                    .send()
                    .await
                    .expect("example decodes")
                    .into_inner();
                assert_eq!(page.messages.len(), 2);
                assert_eq!(page.edited_messages.len(), 2);
                assert_eq!(page.deleted_messages.len(), 2);
                assert_eq!(page.page_size, Some(30));
                if seed {
                    // Its placeholders ("string [date]") are filled in by concrete_fixture.
                    assert_eq!(page.from, Some(day("2026-11-01")));
                    assert_eq!(page.messages[1].files[0].file_size, 14358);
                } else {
                    // What the current export adds reaches the types, not `extra`.
                    assert_eq!(page.from, Some(day("2022-03-17")));
                    let message = &page.deleted_messages[0];
                    assert_eq!(message.reactions[0].emoji.as_deref(), Some("U+1F600"));
                    assert_eq!(message.rich_text[0].format_type.as_deref(), Some("Paragraph"));
                    assert_eq!(message.action_timestamp, Some(1747494500135));
                    assert!(message.extra.is_empty(), "{:?}", message.extra);
                }
            } else {
                let page: ReportChatSessionsResponse = client
                    .generated()
                    .report_chat_sessions()
                    .from(day("2026-11-01"))
                    .to(day("2026-11-02"))
                    .send()
                    .await
                    .expect("example decodes")
                    .into_inner();
                if seed {
                    assert_eq!(page.sessions[0].id, "dkhfgjd");
                    assert_eq!(page.sessions[0].type_, "Group");
                    assert_eq!(page.next_page_token.as_deref(), Some("vsdfjesfdhs"));
                    assert_eq!(page.from, Some(day("2019-08-31")));
                } else {
                    let session = &page.sessions[0];
                    assert_eq!(session.type_, "1:1");
                    assert_eq!(session.member_emails.len(), 2);
                    assert_eq!(session.has_external_member, Some(true));
                    assert_eq!(session.status.as_deref(), Some("active"));
                    assert!(session.extra.is_empty(), "{:?}", session.extra);
                }
            }
            decoded += 1;
        }
    }
    decoded
}

#[test]
fn reply_timestamp_accepts_integer_and_string() {
    use zoom_chat_reports::types::{ChatMessage, ChatMessageReplyMainMessageTimestamp as Timestamp};
    let message = |ts: Value| -> ChatMessage {
        serde_json::from_value(
            json!({ "id": "m", "date_time": "2026-11-01T10:00:00Z", "reply_main_message_timestamp": ts }),
        )
        .unwrap()
    };
    assert_eq!(
        message(json!(1568751917976_i64)).reply_main_message_timestamp,
        Some(Timestamp::Int64(1568751917976))
    );
    assert_eq!(
        message(json!("1568751917976")).reply_main_message_timestamp,
        Some(Timestamp::String("1568751917976".into()))
    );
}

#[test]
fn generated_api_types() {
    // The Done-when of the pipeline issue, as types: this fails to compile if they drift.
    use zoom_chat_reports::types::{ChatMessage, ReportChatSessionsResponse};
    let page = ReportChatSessionsResponse {
        from: Some(day("2026-11-01")),
        next_page_token: None,
        page_size: Some(300),
        sessions: vec![],
        to: None,
        extra: Default::default(),
    };
    let _: Option<chrono::NaiveDate> = page.from;
    let _: Option<i64> = page.page_size;
    let _: Option<String> = page.next_page_token;
    let message: ChatMessage =
        serde_json::from_value(json!({ "id": "m", "date_time": "2026-11-01T10:00:00Z" })).unwrap();
    let _: chrono::DateTime<chrono::Utc> = message.date_time;
}
