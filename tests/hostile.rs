//! Hostile input and a hostile network: session ids that try to leave their
//! path segment, cleartext URLs, redirects, oversized replies, a server that
//! ignores page tokens, absurd durations, and the fake Zoom's clock.

mod common;

use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt;
use serde_json::json;
use zoom_chat_reports::mock::{Dataset, FakeZoom, FakeZoomConfig, RetryAfterForm};
use zoom_chat_reports::retry::RetryPolicy;
use zoom_chat_reports::{Client, Error, Include};

use common::server::{Reply, TestServer};
use common::{RecordedSleep, TOKEN, builder, day};

/// Sleeps for real (the fake's per-second window is real time) and records the waits.
#[derive(Debug, Default)]
struct RealSleep(std::sync::Mutex<Vec<Duration>>);

impl RealSleep {
    fn waits(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

impl zoom_chat_reports::runtime::Sleep for RealSleep {
    fn sleep(&self, duration: Duration) -> zoom_chat_reports::runtime::SleepFuture {
        self.0.lock().unwrap().push(duration);
        Box::pin(tokio::time::sleep(duration))
    }
}

fn empty_messages() -> Reply {
    Reply::json(200, json!({ "messages": [], "next_page_token": "" }))
}

async fn messages(client: &Client, session_id: &str) -> Result<usize, Error> {
    let items: Vec<_> = client
        .messages(session_id, day("2026-11-01")..=day("2026-11-20"))
        .items()
        .try_collect()
        .await?;
    Ok(items.len())
}

#[tokio::test]
async fn session_ids_reach_exactly_one_path_segment() {
    let cases = [
        (r"..\..\..\users\me", "..%5C..%5C..%5Cusers%5Cme"),
        ("../../users/me", "..%2F..%2Fusers%2Fme"),
        ("a/b", "a%2Fb"),
        ("%2e%2e", "%252e%252e"),
        ("%2E%2E%2Fx", "%252E%252E%252Fx"),
        ("a?b=c", "a%3Fb%3Dc"),
        ("a#frag", "a%23frag"),
        ("with space", "with%20space"),
        ("sessión-é", "sessi%C3%B3n-%C3%A9"),
        ("IBG5ck+Z/7vsYzXEaWgLKA==", "IBG5ck%2BZ%2F7vsYzXEaWgLKA%3D%3D"),
        ("x@conference.xmpp.zoom.us", "x%40conference.xmpp.zoom.us"),
        ("...", "..."),
        ("plain-id_1.2~", "plain-id_1.2~"),
    ];
    for (id, encoded) in cases {
        let server = TestServer::scripted(vec![empty_messages()]).await;
        let (client, _) = common::client(&server.url);
        assert_eq!(messages(&client, id).await.unwrap_or_else(|e| panic!("{id}: {e}")), 0);
        let recorded = server.recorded();
        assert_eq!(recorded.len(), 1, "{id}");
        assert_eq!(recorded[0].path(), format!("/report/chat/sessions/{encoded}"), "{id}");
        assert_eq!(recorded[0].query("from").as_deref(), Some("2026-11-01"), "{id}");
    }
}

#[tokio::test]
async fn empty_and_dot_session_ids_are_refused_before_any_request() {
    let server = TestServer::scripted(vec![]).await;
    let (client, _) = common::client(&server.url);
    for id in ["", ".", ".."] {
        let error = messages(&client, id).await.unwrap_err();
        assert!(
            matches!(error.root(), Error::InvalidRequest { .. }),
            "{id:?}: {error:?}"
        );
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn the_generated_builder_cannot_be_walked_out_of_its_path_either() {
    // progenitor's encode_path leaves `\` alone and the URL parser resolves
    // `..`: without the transport's check this would be GET /users/me.
    let server = TestServer::scripted(vec![Reply::json(200, json!({ "id": "me" }))]).await;
    let (client, _) = common::client(&server.url);
    let result = client
        .generated()
        .report_chat_messages()
        .session_id(r"..\..\..\users\me")
        .from(day("2026-11-01"))
        .to(day("2026-11-20"))
        .send()
        .await;
    let error = result.unwrap_err();
    assert!(error.to_string().contains("one path segment"), "{error}");
    assert_eq!(server.count(), 0);
}

#[test]
fn plain_http_is_refused_except_for_loopback() {
    let build = |base: &str, oauth: &str| {
        Client::builder()
            .bearer_token(TOKEN)
            .base_url(base)
            .oauth_url(oauth)
            .build()
    };
    let https_oauth = "https://zoom.us/oauth/token";
    for base in [
        "http://api.zoom.us/v2",
        "http://10.0.0.1/v2",
        "http://localhost.evil.example/v2",
        "http://127.0.0.1.evil.example/v2",
        "ftp://api.zoom.us/v2",
    ] {
        let error = build(base, https_oauth).unwrap_err();
        assert!(matches!(error.root(), Error::InvalidConfig { .. }), "{base}: {error:?}");
        assert!(error.to_string().contains("base URL"), "{error}");
    }
    let error = build("https://api.zoom.us/v2", "http://zoom.us/oauth/token").unwrap_err();
    assert!(matches!(error.root(), Error::InvalidConfig { .. }), "{error:?}");
    assert!(error.to_string().contains("cleartext"), "{error}");
    for base in [
        "https://api.zoom.us/v2",
        "http://127.0.0.1:8080/v2",
        "http://127.4.5.6/v2",
        "http://localhost:9/v2",
        "http://LOCALHOST/v2",
        "http://[::1]:8080/v2",
    ] {
        build(base, "http://127.0.0.1:9/oauth/token").unwrap_or_else(|e| panic!("{base}: {e}"));
    }
}

#[tokio::test]
async fn redirects_are_not_followed_with_credentials() {
    let elsewhere = TestServer::start(|_, _| Reply::json(200, json!({ "sessions": [] }))).await;
    let to = format!("{}/stolen", elsewhere.url);
    let redirect =
        move |_: &common::server::Recorded, _: usize| Reply::json(302, json!({})).with_header("location", &to);
    // The API.
    let server = TestServer::start(redirect.clone()).await;
    let (client, sleep) = common::client(&server.url);
    let error = client
        .sessions(day("2026-11-01")..=day("2026-11-20"))
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(302), "{error:?}");
    assert!(!error.is_retryable());
    assert_eq!(server.count(), 1);
    assert!(sleep.waits().is_empty());
    // The token endpoint, which is sent the client secret.
    let oauth = TestServer::start(redirect).await;
    let client = builder(&server.url, Arc::new(RecordedSleep::default()))
        .credentials(zoom_chat_reports::Credentials::server_to_server(
            "acct", "client", "s3cret",
        ))
        .oauth_url(format!("{}/oauth/token", oauth.url))
        .build()
        .unwrap();
    let error = client
        .sessions(day("2026-11-01")..=day("2026-11-20"))
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(matches!(error.root(), Error::Auth { .. }), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(302));
    assert_eq!(oauth.count(), 1);
    assert_eq!(elsewhere.count(), 0, "nothing reached the redirect target");
}

#[tokio::test]
async fn a_declared_length_over_the_cap_is_refused_unread_and_not_retried() {
    let big = json!({ "sessions": [{ "id": "x".repeat(10_000), "type": "Group" }] });
    let server = TestServer::scripted(vec![Reply::json(200, big.clone()), Reply::json(200, big)]).await;
    let sleep = Arc::new(RecordedSleep::default());
    let client = builder(&server.url, sleep.clone())
        .max_response_bytes(4096)
        .build()
        .unwrap();
    let error = client
        .sessions(day("2026-11-01")..=day("2026-11-20"))
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    let Error::ResponseTooLarge {
        operation,
        status,
        size,
        limit,
    } = error.root()
    else {
        panic!("{error:?}")
    };
    assert_eq!(*operation, "report_chat_sessions");
    assert_eq!(status.as_u16(), 200);
    assert!(*size > 10_000, "{size}");
    assert_eq!(*limit, 4096);
    assert!(error.to_string().contains("report_chat_sessions"), "{error}");
    assert!(!error.is_retryable());
    assert_eq!(server.count(), 1);
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn an_endless_chunked_body_is_cut_off_at_the_cap() {
    // A body that never ends: reading it whole would never finish.
    for status in [200, 500] {
        let server = TestServer::start(move |_, _| Reply::EndlessChunked { status }).await;
        let client = builder(&server.url, Arc::new(RecordedSleep::default()))
            .max_response_bytes(64 * 1024)
            .build()
            .unwrap();
        let error = tokio::time::timeout(Duration::from_secs(10), messages(&client, "abc"))
            .await
            .expect("the cap ends the read")
            .unwrap_err();
        let Error::ResponseTooLarge {
            operation, size, limit, ..
        } = error.root()
        else {
            panic!("{status}: {error:?}")
        };
        assert_eq!(*operation, "report_chat_messages");
        assert!(*size > *limit && *size <= limit + 64 * 1024, "{size}");
        assert_eq!(server.count(), 1, "not retried");
    }
}

#[tokio::test]
async fn a_server_that_ignores_page_tokens_ends_with_a_typed_error() {
    // Page 1 again and again, each time with a new token: every item is
    // filtered as already seen, so no page is empty, yet none brings anything new.
    let server = TestServer::start(|_, index| {
        Reply::json(
            200,
            json!({
                "sessions": [{ "id": "a", "type": "Group" }, { "id": "b", "type": "Group" }],
                "next_page_token": format!("t{index}"),
            }),
        )
    })
    .await;
    let (client, _) = common::client(&server.url);
    let mut items = client.sessions(day("2026-11-01")..=day("2026-11-20")).items();
    let mut ids = Vec::new();
    let error = loop {
        match items.try_next().await {
            Ok(Some(session)) => ids.push(session.id),
            Ok(None) => panic!("the stream ended without an error after {ids:?}"),
            Err(error) => break error,
        }
    };
    assert_eq!(ids, ["a", "b"]);
    assert!(
        matches!(error.root(), Error::EndlessEmptyPages { pages: 21 }),
        "{error:?}"
    );
    assert_eq!(server.count(), 22);
    assert!(
        items.try_next().await.unwrap().is_none(),
        "the stream ends after the error"
    );
}

#[tokio::test]
async fn durations_of_duration_max_do_not_overflow() {
    // The caller allows any wait and page tokens that never expire; the
    // server asks for an absurd wait, first without a page token, then with one.
    let huge = || {
        Reply::json(429, json!({ "code": 429, "message": "slow down" }))
            .with_header("Retry-After", "18446744073709551615")
    };
    let server = TestServer::start(
        move |request, index| match request.query("next_page_token").as_deref() {
            _ if index == 0 => huge(),
            None => Reply::json(
                200,
                json!({ "sessions": [{ "id": "a", "type": "Group" }], "next_page_token": "t1" }),
            ),
            Some(_) => huge(),
        },
    )
    .await;
    let sleep = Arc::new(RecordedSleep::default());
    let client = builder(&server.url, sleep.clone())
        .page_token_lifetime(Duration::MAX)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(2)
                .max_rate_limit_wait(Duration::MAX)
                .max_throttled_time(Duration::MAX)
                .max_backoff(Duration::MAX),
        )
        .build()
        .unwrap();
    let result: Result<Vec<_>, _> = client
        .sessions(day("2026-11-01")..=day("2026-11-20"))
        .items()
        .try_collect()
        .await;
    let error = result.unwrap_err();
    assert!(
        matches!(error.root(), Error::RateLimited { daily: false, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("every app on the account shares"), "{error}");
    // Waited once (the wait and its jitter saturate), without a page token;
    // with one, the wait would outlive it: the window restarts instead.
    let waits = sleep.waits();
    assert_eq!(waits.len(), 1, "{waits:?}");
    assert!(waits[0] >= Duration::from_secs(u64::MAX), "{waits:?}");
    assert!(server.count() > 3, "{}", server.count());
}

#[tokio::test]
async fn the_fake_zooms_iso_retry_after_uses_the_clients_clock() {
    // A "today" long before the real date: an ISO time from the real clock
    // would read as a wait of months to a client whose clock is that day's noon.
    let today = day("2024-01-10");
    let zoom = FakeZoom::start(
        FakeZoomConfig::default()
            .dataset(Dataset {
                sessions: 6,
                messages_per_session: 20,
                ..Dataset::small(today)
            })
            .today(today)
            .per_second_limit(10)
            .retry_after(RetryAfterForm::Iso8601),
    )
    .await
    .unwrap();
    let sleep = Arc::new(RealSleep::default());
    let client = zoom
        .client_builder()
        .requests_per_second(None)
        .sleep(sleep.clone())
        .retry_policy(RetryPolicy::default().max_attempts(50))
        .build()
        .unwrap();
    let from = today - chrono::Days::new(60);
    let count = client
        .all_messages(from..=today)
        .include(Include::NONE)
        .items()
        .try_fold(0usize, |n, _| async move { Ok(n + 1) })
        .await
        .expect("per-second 429s are waited out, not taken for the daily limit");
    assert_eq!(
        count,
        zoom.dataset().expected_messages(from, today, Include::NONE).len()
    );
    assert!(zoom.counters().rate_limited > 0, "the test must reach the 429 path");
    let waits = sleep.waits();
    assert!(!waits.is_empty());
    // At most the second's rest, and half again of jitter.
    assert!(waits.iter().all(|w| *w <= Duration::from_millis(1500)), "{waits:?}");
}
