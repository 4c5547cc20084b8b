//! The pagination streams: termination rules, laziness, month windows and
//! expired-token recovery, each against a loopback mock with one expectation
//! per page.

mod common;

use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};
use httpmock::prelude::*;
use serde_json::{Value, json};
use zoom_chat_reports::{Code300Kind, Error, Include, MessageKind, RangeError};

use common::{client, day};

const SESSIONS: &str = "/report/chat/sessions";

fn sessions_page(ids: &[&str], next: Option<&str>) -> Value {
    let sessions: Vec<Value> = ids
        .iter()
        .map(|id| json!({ "id": id, "type": "Group", "name": format!("room {id}") }))
        .collect();
    let mut page = json!({ "from": "2026-11-01", "to": "2026-11-20", "page_size": 300, "sessions": sessions });
    if let Some(next) = next {
        page["next_page_token"] = json!(next);
    }
    page
}

fn message(id: &str) -> Value {
    json!({ "id": id, "message": format!("text of {id}"), "sender": "a@example.com", "date_time": "2026-11-02T10:00:00Z" })
}

async fn ids(client: &zoom_chat_reports::Client, from: &str, to: &str) -> Result<Vec<String>, Error> {
    client
        .sessions(day(from)..=day(to))
        .items()
        .map_ok(|s| s.id)
        .try_collect()
        .await
}

#[tokio::test]
async fn follows_tokens_and_resends_the_same_query() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.path(SESSIONS)
                .query_param("from", "2026-11-01")
                .query_param("to", "2026-11-20")
                .query_param("page_size", "300")
                .query_param_missing("next_page_token");
            then.status(200).json_body(sessions_page(&["a", "b"], Some("t1")));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.path(SESSIONS)
                .query_param("from", "2026-11-01")
                .query_param("to", "2026-11-20")
                .query_param("page_size", "300")
                .query_param("next_page_token", "t1");
            then.status(200).json_body(sessions_page(&["c"], Some("t2")));
        })
        .await;
    let third = server
        .mock_async(|when, then| {
            when.path(SESSIONS)
                .query_param("from", "2026-11-01")
                .query_param("to", "2026-11-20")
                .query_param("page_size", "300")
                .query_param("next_page_token", "t2");
            then.status(200).json_body(sessions_page(&["d"], None));
        })
        .await;
    let (client, _) = client(&server.base_url());
    assert_eq!(
        ids(&client, "2026-11-01", "2026-11-20").await.unwrap(),
        ["a", "b", "c", "d"]
    );
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    third.assert_calls_async(1).await;
}

#[tokio::test]
async fn empty_page_and_empty_string_token_end_the_stream() {
    let server = MockServer::start_async().await;
    let only = server
        .mock_async(|when, then| {
            when.path(SESSIONS);
            then.status(200).json_body(json!({ "from": "2026-11-01", "to": "2026-11-20", "page_size": 300, "next_page_token": "", "sessions": [] }));
        })
        .await;
    let (client, _) = client(&server.base_url());
    assert!(ids(&client, "2026-11-01", "2026-11-20").await.unwrap().is_empty());
    only.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_repeated_token_is_an_error_not_a_loop() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path(SESSIONS).query_param_missing("next_page_token");
            then.status(200).json_body(sessions_page(&["a"], Some("t1")));
        })
        .await;
    let repeat = server
        .mock_async(|when, then| {
            when.path(SESSIONS).query_param("next_page_token", "t1");
            then.status(200).json_body(sessions_page(&["b"], Some("t1")));
        })
        .await;
    let (client, _) = client(&server.base_url());
    let results: Vec<Result<String, Error>> = client
        .sessions(day("2026-11-01")..=day("2026-11-20"))
        .items()
        .map_ok(|s| s.id)
        .collect()
        .await;
    assert_eq!(results.len(), 3, "a, b, then the error, then the end: {results:?}");
    assert_eq!(results[0].as_ref().unwrap(), "a");
    assert_eq!(results[1].as_ref().unwrap(), "b");
    assert!(
        results[2]
            .as_ref()
            .is_err_and(|e| matches!(e.root(), Error::RepeatedPageToken { pages: 2 })),
        "{:?}",
        results[2]
    );
    repeat.assert_calls_async(1).await;
}

#[tokio::test]
async fn http_300_and_http_400_with_code_300_are_one_typed_error() {
    for (status, body) in [
        (
            300,
            json!({ "code": 300, "message": "Report requested exceeds 6 month limit." }),
        ),
        (
            400,
            json!({ "code": 300, "message": "Report requested exceeds 6 month limit." }),
        ),
    ] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.path(SESSIONS);
                then.status(status)
                    .header("x-zm-trackingid", "v=2.0;track-1")
                    .json_body(body.clone());
            })
            .await;
        let (client, _) = client(&server.base_url());
        let error = ids(&client, "2026-11-01", "2026-11-20").await.unwrap_err();
        let Error::ZoomCode300 { kind, details } = error.root() else {
            panic!("HTTP {status}: {error:?}")
        };
        assert_eq!(*kind, Code300Kind::RangeExceedsLimit);
        assert_eq!(details.status.as_u16(), status);
        assert_eq!(error.zoom_code(), Some(300));
        assert_eq!(error.tracking_id(), Some("v=2.0;track-1"));
        assert!(!error.is_retryable());
    }
}

#[tokio::test]
async fn http_300_with_an_empty_body_is_told_apart_by_the_token() {
    // What the Postman items document: HTTP 300, empty text/plain body.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path(SESSIONS).query_param_missing("next_page_token");
            then.status(200).json_body(sessions_page(&["a"], Some("t1")));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path(SESSIONS).query_param("next_page_token", "t1");
            then.status(300).header("content-type", "text/plain").body("");
        })
        .await;
    let (client, _) = client(&server.base_url());
    let client = {
        // No restarts, so the classified error surfaces.
        let sleep = std::sync::Arc::new(common::RecordedSleep::default());
        let _ = client;
        common::builder(&server.base_url(), sleep)
            .max_window_restarts(0)
            .build()
            .unwrap()
    };
    let error = ids(&client, "2026-11-01", "2026-11-20").await.unwrap_err();
    assert!(
        matches!(
            error.root(),
            Error::ZoomCode300 {
                kind: Code300Kind::PageTokenInvalidOrExpired,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_page_token_expired());

    // The same empty 300 on a first page (no token) cannot be told apart.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path(SESSIONS);
            then.status(300).body("");
        })
        .await;
    let (client, _) = common::client(&server.base_url());
    let error = ids(&client, "2026-11-01", "2026-11-20").await.unwrap_err();
    assert!(
        matches!(
            error.root(),
            Error::ZoomCode300 {
                kind: Code300Kind::Unknown,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_expired_token_restarts_the_window_without_loss_or_duplicates() {
    let server = MockServer::start_async().await;
    let first_pass = server
        .mock_async(|when, then| {
            when.path(SESSIONS).query_param_missing("next_page_token");
            then.status(200).json_body(sessions_page(&["a", "b"], Some("t1")));
        })
        .await;
    let expired = server
        .mock_async(|when, then| {
            when.path(SESSIONS).query_param("next_page_token", "t1");
            then.status(400)
                .json_body(json!({ "code": 300, "message": "The next page token is invalid or expired." }));
        })
        .await;
    let (client, _) = client(&server.base_url());
    let mut stream = client
        .sessions(day("2026-11-01")..=day("2026-11-20"))
        .page_size(2)
        .items();
    let mut seen = vec![
        stream.try_next().await.unwrap().unwrap().id,
        stream.try_next().await.unwrap().unwrap().id,
    ];

    // A slow consumer: by now Zoom has moved on. The first page now holds a
    // new session `x` and hands out a fresh token.
    first_pass.delete_async().await;
    let second_pass = server
        .mock_async(|when, then| {
            when.path(SESSIONS).query_param_missing("next_page_token");
            then.status(200).json_body(sessions_page(&["a", "x"], Some("t2")));
        })
        .await;
    let rest = server
        .mock_async(|when, then| {
            when.path(SESSIONS).query_param("next_page_token", "t2");
            then.status(200).json_body(sessions_page(&["b", "c"], Some("")));
        })
        .await;
    while let Some(session) = stream.try_next().await.unwrap() {
        seen.push(session.id);
    }
    assert_eq!(seen, ["a", "b", "x", "c"], "every id exactly once");
    expired.assert_calls_async(1).await;
    second_pass.assert_calls_async(1).await;
    rest.assert_calls_async(1).await;
}

#[tokio::test]
async fn restarts_are_bounded() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.path(SESSIONS).query_param_missing("next_page_token");
            then.status(200).json_body(sessions_page(&["a"], Some("t1")));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path(SESSIONS).query_param("next_page_token", "t1");
            then.status(400)
                .json_body(json!({ "code": 300, "message": "The next page token is invalid or expired." }));
        })
        .await;
    let sleep = std::sync::Arc::new(common::RecordedSleep::default());
    let client = common::builder(&server.base_url(), sleep)
        .max_window_restarts(2)
        .build()
        .unwrap();
    let results: Vec<_> = client
        .sessions(day("2026-11-01")..=day("2026-11-20"))
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 2, "`a` once, then the error: {results:?}");
    assert!(results[1].as_ref().is_err_and(Error::is_page_token_expired));
    first.assert_calls_async(3).await; // the first pass and two restarts
}

#[tokio::test]
async fn windows_split_by_month() {
    type Windows = &'static [(&'static str, &'static str)];
    let cases: [(&str, &str, Windows); 3] = [
        ("2026-11-05", "2026-11-05", &[("2026-11-05", "2026-11-05")]),
        (
            "2026-10-10",
            "2026-11-09",
            &[("2026-10-10", "2026-10-31"), ("2026-11-01", "2026-11-09")],
        ),
        (
            "2026-06-15",
            "2026-11-14",
            &[
                ("2026-06-15", "2026-06-30"),
                ("2026-07-01", "2026-07-31"),
                ("2026-08-01", "2026-08-31"),
                ("2026-09-01", "2026-09-30"),
                ("2026-10-01", "2026-10-31"),
                ("2026-11-01", "2026-11-14"),
            ],
        ),
    ];
    for (from, to, windows) in cases {
        let server = MockServer::start_async().await;
        let mut mocks = Vec::new();
        for (i, (w_from, w_to)) in windows.iter().enumerate() {
            // The same session `shared` is active in every window; it must come out once.
            let ids = [format!("s{i}"), "shared".to_string()];
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            let body = sessions_page(&ids, None);
            mocks.push(
                server
                    .mock_async(|when, then| {
                        when.path(SESSIONS)
                            .query_param("from", *w_from)
                            .query_param("to", *w_to);
                        then.status(200).json_body(body);
                    })
                    .await,
            );
        }
        let (client, _) = client(&server.base_url());
        let got = ids(&client, from, to).await.unwrap();
        let mut expected: Vec<String> = (0..windows.len()).map(|i| format!("s{i}")).collect();
        expected.insert(1, "shared".into());
        assert_eq!(got, expected, "{from}..={to}");
        for mock in mocks {
            mock.assert_calls_async(1).await;
        }
    }
}

#[tokio::test]
async fn invalid_ranges_fail_before_any_request() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(sessions_page(&[], None));
        })
        .await;
    let (client, _) = client(&server.base_url());
    // Today is 2026-11-22: reports start at 2026-05-22.
    let error = ids(&client, "2026-05-21", "2026-05-30").await.unwrap_err();
    assert!(
        matches!(error.root(), Error::InvalidRange(RangeError::OlderThanSixMonths { .. })),
        "{error:?}"
    );
    let error = ids(&client, "2026-11-02", "2026-11-01").await.unwrap_err();
    assert!(
        matches!(error.root(), Error::InvalidRange(RangeError::Reversed { .. })),
        "{error:?}"
    );
    let error = client
        .messages("s", day("2026-01-01")..=day("2026-01-02"))
        .items()
        .try_next()
        .await
        .unwrap_err();
    assert!(matches!(error.root(), Error::InvalidRange(_)));
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn lazy_before_the_first_poll_and_after_take() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.path(SESSIONS).query_param_missing("next_page_token");
            then.status(200).json_body(sessions_page(&["a", "b", "c"], Some("t1")));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.path(SESSIONS).query_param("next_page_token", "t1");
            then.status(200).json_body(sessions_page(&["d"], None));
        })
        .await;
    let (client, _) = client(&server.base_url());
    let stream = client.sessions(day("2026-11-01")..=day("2026-11-20")).items();
    tokio::task::yield_now().await;
    first.assert_calls_async(0).await;

    let taken: Vec<String> = stream.take(3).map_ok(|s| s.id).try_collect().await.unwrap();
    assert_eq!(taken, ["a", "b", "c"]);
    first.assert_calls_async(1).await;
    second.assert_calls_async(0).await;
}

#[tokio::test]
async fn page_sizes_default_to_the_maximum_and_are_clamped() {
    let server = MockServer::start_async().await;
    let sessions = server
        .mock_async(|when, then| {
            when.path(SESSIONS).query_param("page_size", "300");
            then.status(200).json_body(sessions_page(&[], None));
        })
        .await;
    let messages = server
        .mock_async(|when, then| {
            when.path("/report/chat/sessions/s1").query_param("page_size", "100");
            then.status(200).json_body(json!({ "messages": [] }));
        })
        .await;
    let (client, _) = client(&server.base_url());
    let range = day("2026-11-01")..=day("2026-11-02");
    client
        .sessions(range.clone())
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    client
        .sessions(range.clone())
        .page_size(5000)
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    client
        .messages("s1", range.clone())
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    client
        .messages("s1", range)
        .page_size(1000)
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    sessions.assert_calls_async(2).await;
    messages.assert_calls_async(2).await;
}

#[tokio::test]
async fn messages_carry_kind_and_session_and_resend_include_fields() {
    let server = MockServer::start_async().await;
    let path = "/report/chat/sessions/room%201";
    let first = server
        .mock_async(|when, then| {
            when.path(path)
                .query_param("include_fields", "edited_messages,deleted_messages")
                .query_param_missing("next_page_token");
            then.status(200).json_body(json!({
                "messages": [message("m1"), message("m2")],
                "edited_messages": [message("m1")],
                "next_page_token": "p2"
            }));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.path(path)
                .query_param("include_fields", "edited_messages,deleted_messages")
                .query_param("next_page_token", "p2");
            then.status(200).json_body(
                json!({ "messages": [message("m3")], "deleted_messages": [message("m2")], "next_page_token": "" }),
            );
        })
        .await;
    let (client, _) = client(&server.base_url());
    let items: Vec<_> = client
        .messages("room 1", day("2026-11-01")..=day("2026-11-20"))
        .include(Include::ALL)
        .items()
        .try_collect()
        .await
        .unwrap();
    let summary: Vec<(String, MessageKind)> = items.iter().map(|i| (i.message.id.clone(), i.kind)).collect();
    assert_eq!(
        summary,
        [
            ("m1".to_string(), MessageKind::Sent),
            ("m2".to_string(), MessageKind::Sent),
            ("m1".to_string(), MessageKind::Edited),
            ("m3".to_string(), MessageKind::Sent),
            ("m2".to_string(), MessageKind::Deleted),
        ]
    );
    assert!(items.iter().all(|i| &*i.session_id == "room 1"));
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    // Debug never shows message text.
    assert!(!format!("{items:?}").contains("text of"));
}

#[tokio::test]
async fn all_messages_walks_sessions_per_window() {
    let server = MockServer::start_async().await;
    for (from, to, sessions) in [
        ("2026-10-20", "2026-10-31", vec!["s1"]),
        ("2026-11-01", "2026-11-05", vec!["s1", "s2"]),
    ] {
        let body = sessions_page(&sessions, None);
        server
            .mock_async(|when, then| {
                when.path(SESSIONS).query_param("from", from).query_param("to", to);
                then.status(200).json_body(body);
            })
            .await;
        for session in sessions {
            let body = json!({ "messages": [message(&format!("{session}-{from}"))] });
            server
                .mock_async(|when, then| {
                    when.path(format!("{SESSIONS}/{session}"))
                        .query_param("from", from)
                        .query_param("to", to);
                    then.status(200).json_body(body);
                })
                .await;
        }
    }
    let (client, _) = client(&server.base_url());
    let ids: Vec<String> = client
        .all_messages(day("2026-10-20")..=day("2026-11-05"))
        .items()
        .map_ok(|item| item.message.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["s1-2026-10-20", "s1-2026-11-01", "s2-2026-11-01"]);
}

#[tokio::test]
async fn a_body_that_does_not_decode_keeps_its_status() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path(SESSIONS);
            then.status(200)
                .header("x-zm-trackingid", "track-9")
                .body(r#"{"sessions": [{"id": "a", "type": "Group", "last_message_sent_time": "secret chat words"}]}"#);
        })
        .await;
    let (client, _) = client(&server.base_url());
    let error = ids(&client, "2026-11-01", "2026-11-20").await.unwrap_err();
    let Error::Decode {
        status, path, category, ..
    } = error.root()
    else {
        panic!("{error:?}")
    };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(path, "sessions[0].last_message_sent_time");
    assert_eq!(*category, "data");
    assert_eq!(error.tracking_id(), Some("track-9"));
    assert!(!error.to_string().contains("secret"), "{error}");

    // An HTML error page from a proxy: still a 400, not a decode error without a status.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path(SESSIONS);
            then.status(400)
                .header("content-type", "text/html")
                .body("<html>Bad gateway</html>");
        })
        .await;
    let (client, _) = common::client(&server.base_url());
    let error = ids(&client, "2026-11-01", "2026-11-20").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400), "{error:?}");
    assert!(matches!(error.root(), Error::Service { .. }), "{error:?}");
}

#[tokio::test]
async fn restarts_that_make_progress_are_not_limited() {
    use common::server::{Reply, TestServer};
    use std::sync::Mutex;
    // Four pages; every follow-up token expires the first time it is used, as
    // it would for a consumer slower than 15 minutes a page. One restart in a
    // row is allowed, and each restart brings a new page.
    let used: Arc<Mutex<std::collections::HashSet<String>>> = Arc::default();
    let seen = used.clone();
    let server = TestServer::start(move |request, _| {
        let token = request.query("next_page_token");
        if let Some(token) = &token
            && seen.lock().unwrap().insert(token.clone())
        {
            return Reply::json(
                400,
                json!({ "code": 300, "message": "The next page token is invalid or expired." }),
            );
        }
        // Page n holds session s{n} and the token `p{n+1}` for the next.
        let page = token.as_deref().map_or(0, |t| t[1..].parse::<usize>().unwrap());
        let next = if page < 3 {
            format!("p{}", page + 1)
        } else {
            String::new()
        };
        Reply::json(200, sessions_page(&[format!("s{page}").as_str()], Some(&next)))
    })
    .await;
    let sleep = Arc::new(common::RecordedSleep::default());
    let client = common::builder(&server.url, sleep)
        .max_window_restarts(1)
        .build()
        .unwrap();
    assert_eq!(
        ids(&client, "2026-11-01", "2026-11-20").await.unwrap(),
        ["s0", "s1", "s2", "s3"]
    );
}

#[tokio::test]
async fn a_message_edited_twice_is_kept_twice() {
    let server = MockServer::start_async().await;
    let mut first_edit = message("m1");
    first_edit["message"] = json!("first edit");
    let mut second_edit = message("m1");
    second_edit["message"] = json!("second edit");
    server
        .mock_async(|when, then| {
            when.path("/report/chat/sessions/s1");
            then.status(200)
                .json_body(json!({ "messages": [message("m1")], "edited_messages": [first_edit, second_edit] }));
        })
        .await;
    let (client, _) = client(&server.base_url());
    let items: Vec<_> = client
        .messages("s1", day("2026-11-01")..=day("2026-11-20"))
        .include(Include::ALL)
        .items()
        .try_collect()
        .await
        .unwrap();
    let texts: Vec<_> = items
        .iter()
        .map(|i| (i.kind, i.message.message.clone().unwrap()))
        .collect();
    assert_eq!(
        texts,
        [
            (MessageKind::Sent, "text of m1".to_string()),
            (MessageKind::Edited, "first edit".to_string()),
            (MessageKind::Edited, "second edit".to_string())
        ]
    );
}

#[tokio::test]
async fn endless_empty_pages_are_an_error_not_a_loop() {
    use common::server::{Reply, TestServer};
    // A broken server: every page empty, every token new.
    let server = TestServer::start(|_, index| Reply::json(200, sessions_page(&[], Some(&format!("t{index}"))))).await;
    let (client, _) = client(&server.url);
    let results: Vec<_> = client
        .sessions(day("2026-11-01")..=day("2026-11-20"))
        .pages()
        .collect()
        .await;
    let last = results.last().expect("some pages");
    assert!(
        last.as_ref()
            .is_err_and(|e| matches!(e.root(), Error::EndlessEmptyPages { pages: 21 })),
        "{last:?}"
    );
    assert_eq!(results.len(), 22, "21 empty pages, then the error, then the end");
    assert_eq!(server.count(), 21);
}

/// `MessagesRequest::events`: no fingerprint of each message is kept; an
/// expired token starts the window over and says so, and the window's
/// messages come again from its first.
#[tokio::test]
async fn events_announce_a_restarted_window_instead_of_remembering_messages() {
    use common::server::{Reply, TestServer};
    use zoom_chat_reports::MessageEvent;

    let page = |ids: &[&str], next: &str| {
        let messages: Vec<Value> = ids.iter().map(|id| message(id)).collect();
        Reply::json(200, json!({ "messages": messages, "next_page_token": next }))
    };
    let server = TestServer::scripted(vec![
        page(&["m1", "m2"], "t1"),
        Reply::json(
            400,
            json!({ "code": 300, "message": "The next page token is invalid or expired." }),
        ),
        page(&["m1", "m2"], "t2"),
        page(&["m3"], ""),
    ])
    .await;
    let (client, _) = client(&server.url);
    let windows = client.plan_windows(day("2026-11-01")..=day("2026-11-20")).unwrap();
    let events: Vec<MessageEvent> = client
        .messages_in("s", windows.clone())
        .events()
        .try_collect()
        .await
        .unwrap();
    let seen: Vec<String> = events
        .iter()
        .map(|event| match event {
            MessageEvent::Message(item) => item.message.id.clone(),
            MessageEvent::WindowRestarted { window } => format!("restart {window}"),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(seen, ["m1", "m2", "restart 2026-11-01..=2026-11-20", "m1", "m2", "m3"]);
    let requests = server.recorded();
    assert_eq!(
        requests[2].query("next_page_token"),
        None,
        "the window starts over from its first page"
    );
}

/// Windows planned once are used as they are, whatever the client's clock
/// says later: a job that started before midnight asks for the same windows
/// after it. A range is checked against the clock.
#[tokio::test]
async fn windows_planned_in_advance_are_not_planned_again() {
    use common::server::{Reply, TestServer};

    let (today_client, _) = client("http://127.0.0.1:9");
    assert_eq!(today_client.today(), day(common::TODAY));
    let windows = today_client
        .plan_windows(day("2026-10-15")..=day("2026-11-20"))
        .unwrap();
    assert_eq!(
        windows.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["2026-10-15..=2026-10-31", "2026-11-01..=2026-11-20"]
    );

    // Six months and more later, by the clock of the client that runs them.
    let server = TestServer::start(|_, _| Reply::json(200, json!({ "sessions": [], "next_page_token": "" }))).await;
    let later = common::builder(&server.url, Arc::default())
        .clock(Arc::new(zoom_chat_reports::runtime::FixedClock::on(day("2027-06-01"))))
        .build()
        .unwrap();
    let refused = later
        .sessions(day("2026-10-15")..=day("2026-11-20"))
        .items()
        .try_next()
        .await;
    assert!(
        matches!(refused, Err(Error::InvalidRange(RangeError::OlderThanSixMonths { .. }))),
        "{refused:?}"
    );
    assert_eq!(server.count(), 0);
    let sessions: Vec<_> = later.sessions_in(windows).items().try_collect().await.unwrap();
    assert!(sessions.is_empty());
    let asked: Vec<(Option<String>, Option<String>)> = server
        .recorded()
        .iter()
        .map(|r| (r.query("from"), r.query("to")))
        .collect();
    assert_eq!(
        asked,
        [
            (Some("2026-10-15".into()), Some("2026-10-31".into())),
            (Some("2026-11-01".into()), Some("2026-11-20".into()))
        ]
    );
}

/// A window that is empty when it starts over still announces the restart;
/// one whose restart fails ends the stream with the error (after the
/// announcement), as every stream does.
#[tokio::test]
async fn a_restart_is_announced_when_the_window_comes_back_empty_or_fails() {
    use common::server::{Reply, TestServer};
    use zoom_chat_reports::MessageEvent;

    let first_page = Reply::json(200, json!({ "messages": [message("m1")], "next_page_token": "t1" }));
    let expired = Reply::json(
        400,
        json!({ "code": 300, "message": "The next page token is invalid or expired." }),
    );
    let describe = |events: &[Result<MessageEvent, Error>]| -> Vec<String> {
        events
            .iter()
            .map(|event| match event {
                Ok(MessageEvent::Message(item)) => item.message.id.clone(),
                Ok(MessageEvent::WindowRestarted { .. }) => "restart".into(),
                Ok(other) => panic!("{other:?}"),
                Err(error) => format!("error {}", error.status().map_or(0, |s| s.as_u16())),
            })
            .collect()
    };

    let emptied = TestServer::scripted(vec![
        first_page.clone(),
        expired.clone(),
        Reply::json(200, json!({ "messages": [], "next_page_token": "" })),
    ])
    .await;
    let (emptied_client, _) = client(&emptied.url);
    let windows = emptied_client
        .plan_windows(day("2026-11-01")..=day("2026-11-20"))
        .unwrap();
    let events: Vec<_> = emptied_client
        .messages_in("s", windows.clone())
        .events()
        .collect()
        .await;
    assert_eq!(describe(&events), ["m1", "restart"]);

    let failing = TestServer::scripted(vec![
        first_page,
        expired,
        Reply::json(404, json!({ "code": 3001, "message": "Session does not exist." })),
    ])
    .await;
    let (failing_client, _) = client(&failing.url);
    let events: Vec<_> = failing_client.messages_in("s", windows).events().collect().await;
    assert_eq!(describe(&events), ["m1", "error 404"]);
}
