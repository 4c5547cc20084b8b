//! Token churn against the fake Zoom, whose every new token invalidates the
//! previous one: short-lived tokens under concurrency and under an export,
//! two processes sharing one app, and a token endpoint that fails once.
//!
//! These use real (short) sleeps: the turns two processes take are real time.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use futures::TryStreamExt;
use serde_json::json;
use zoom_chat_reports::mock::{Dataset, FakeZoom, FakeZoomConfig};
use zoom_chat_reports::retry::RetryPolicy;
use zoom_chat_reports::{Client, Credentials, Error, Include, MessageKind};

use common::server::{Reply, TestServer};
use common::{RecordedSleep, builder, day};

const TODAY: &str = "2026-11-22";

fn dataset() -> Dataset {
    Dataset {
        seed: 11,
        sessions: 32,
        messages_per_session: 60,
        start: day("2026-09-01"),
        end: day("2026-11-20"),
        ..Dataset::small(day(TODAY))
    }
}

fn range() -> (NaiveDate, NaiveDate) {
    (day("2026-09-01"), day("2026-11-20"))
}

async fn fake(token_life: Duration) -> FakeZoom {
    FakeZoom::start(
        FakeZoomConfig::default()
            .dataset(dataset())
            .today(day(TODAY))
            .access_token_life(token_life),
    )
    .await
    .unwrap()
}

/// A client of the fake with its own token cache, real short sleeps and a rate.
fn client(zoom: &FakeZoom, per_second: u32) -> Client {
    zoom.client_builder()
        .requests_per_second(std::num::NonZeroU32::new(per_second))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(6)
                .initial_backoff(Duration::from_millis(20))
                .max_backoff(Duration::from_millis(400)),
        )
        .build()
        .unwrap()
}

type Key = (String, MessageKind, String);

fn expected(zoom: &FakeZoom) -> BTreeMap<Key, usize> {
    let (from, to) = range();
    zoom.dataset()
        .expected_messages(from, to, Include::ALL)
        .into_iter()
        .map(|k| (k, 1))
        .collect()
}

/// Every message of the range, as the export reads them, counted by key.
async fn export(client: &Client) -> Result<BTreeMap<Key, usize>, Error> {
    let (from, to) = range();
    let mut got = BTreeMap::new();
    let mut items = client.all_messages(from..=to).include(Include::ALL).items();
    while let Some(item) = items.try_next().await? {
        *got.entry((item.session_id.to_string(), item.kind, item.message.id))
            .or_insert(0) += 1;
    }
    Ok(got)
}

fn report(name: &str, zoom: &FakeZoom, clients: &[&Client], elapsed: Duration) {
    let c = zoom.counters();
    eprintln!(
        "{name}: {elapsed:.1?}; fake: {} API requests, {} token requests, {} refused (401); clients: {:?}",
        c.requests,
        c.token_requests,
        c.unauthorized,
        clients.iter().map(|c| c.stats()).collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_second_tokens_under_32_concurrent_streams() {
    let zoom = fake(Duration::from_secs(1)).await;
    // 32 sessions, 3 windows each: about 100 requests at 30/s, so about 3 token lives.
    let client = client(&zoom, 30);
    let (from, to) = range();
    let started = Instant::now();
    let calls = (0..32).map(|s| {
        let client = client.clone();
        let session = zoom.dataset().session_id(s);
        tokio::spawn(async move {
            client
                .messages(session, from..=to)
                .include(Include::ALL)
                .items()
                .map_ok(|item| (item.session_id.to_string(), item.kind, item.message.id))
                .try_collect::<Vec<_>>()
                .await
        })
    });
    let mut got = BTreeMap::new();
    for result in futures::future::join_all(calls).await {
        for key in result.unwrap().unwrap() {
            *got.entry(key).or_insert(0) += 1;
        }
    }
    let elapsed = started.elapsed();
    report("1 s tokens, 32 concurrent streams", &zoom, &[&client], elapsed);
    assert_eq!(got, expected(&zoom), "every message exactly once");
    let counters = zoom.counters();
    assert!(
        counters.token_requests >= 3,
        "the test must outlive several tokens: {counters:?}"
    );
    // One refresh per token life, give or take one: no refresh storm.
    let lives = elapsed.as_secs_f64().ceil() as u64;
    assert!(counters.token_requests <= lives + 2, "{counters:?} in {elapsed:?}");
    assert_eq!(counters.protocol_violations, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_second_tokens_under_the_export() {
    let zoom = fake(Duration::from_secs(4)).await;
    // About 130 requests at 12/s: over 10 s, so the export outlives two tokens.
    let client = client(&zoom, 12);
    let started = Instant::now();
    let got = export(&client).await.expect("the export survives token churn");
    let elapsed = started.elapsed();
    report("4 s tokens, export", &zoom, &[&client], elapsed);
    assert_eq!(got, expected(&zoom), "every message exactly once");
    let counters = zoom.counters();
    assert!(counters.token_requests >= 3, "{counters:?}");
    assert!(
        counters.token_requests <= elapsed.as_secs() / 4 + 2,
        "{counters:?} in {elapsed:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_sharing_one_app_both_finish_exactly() {
    // Two clients built separately have separate token caches, as two
    // replicas of a service do. Each refresh invalidates the other's token.
    let zoom = fake(Duration::from_secs(20)).await;
    let (a, b) = (client(&zoom, 60), client(&zoom, 60));
    let started = Instant::now();
    let (got_a, got_b) = tokio::join!(export(&a), export(&b));
    let elapsed = started.elapsed();
    report("20 s tokens, two processes", &zoom, &[&a, &b], elapsed);
    let expected = expected(&zoom);
    assert_eq!(
        got_a.expect("process A finishes"),
        expected,
        "A: every message exactly once"
    );
    assert_eq!(
        got_b.expect("process B finishes"),
        expected,
        "B: every message exactly once"
    );
    let counters = zoom.counters();
    assert!(
        counters.unauthorized > 0,
        "the processes must have taken each other's tokens: {counters:?}"
    );
}

#[tokio::test]
async fn a_token_endpoint_that_resets_once_then_answers() {
    let token_requests = Arc::new(AtomicUsize::new(0));
    let issued = token_requests.clone();
    let server = TestServer::start(move |request, _| {
        if request.path() == "/oauth/token" {
            return match issued.fetch_add(1, Ordering::SeqCst) {
                0 => Reply::Reset,
                _ => Reply::json(200, json!({ "access_token": "tok-1", "expires_in": 3599 })),
            };
        }
        match request.header("authorization") {
            Some("Bearer tok-1") => Reply::json(200, json!({ "sessions": [{ "id": "a", "type": "Group" }] })),
            _ => Reply::json(401, json!({ "code": 124, "message": "Invalid access token." })),
        }
    })
    .await;
    let sleep = Arc::new(RecordedSleep::default());
    let client = builder(&server.url, sleep.clone())
        .credentials(Credentials::server_to_server("acct", "client", "s3cret-value"))
        .oauth_url(format!("{}/oauth/token", server.url))
        .build()
        .unwrap();
    let sessions: Vec<String> = client
        .sessions(day("2026-11-01")..=day("2026-11-20"))
        .items()
        .map_ok(|s| s.id)
        .try_collect()
        .await
        .expect("the reset is retried");
    assert_eq!(sessions, ["a"]);
    assert_eq!(token_requests.load(Ordering::SeqCst), 2);
    assert_eq!(sleep.waits().len(), 1, "one backoff before the second token request");
    assert!(sleep.waits()[0] <= Duration::from_millis(100));
}

#[tokio::test]
async fn a_failing_token_endpoint_is_tried_once_per_flight_not_once_per_call() {
    let token_requests = Arc::new(AtomicUsize::new(0));
    let issued = token_requests.clone();
    let server = TestServer::start(move |request, _| {
        assert_eq!(request.path(), "/oauth/token", "no API request without a token");
        issued.fetch_add(1, Ordering::SeqCst);
        Reply::json(503, json!({ "reason": "token service down" }))
    })
    .await;
    let sleep = Arc::new(RecordedSleep::default());
    let client = builder(&server.url, sleep.clone())
        .credentials(Credentials::server_to_server("acct", "client", "s3cret-value"))
        .oauth_url(format!("{}/oauth/token", server.url))
        .build()
        .unwrap();
    let calls = (0..32).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .sessions(day("2026-11-01")..=day("2026-11-20"))
                .items()
                .try_collect::<Vec<_>>()
                .await
        })
    });
    for result in futures::future::join_all(calls).await {
        let error = result.unwrap().unwrap_err();
        assert!(matches!(error.root(), Error::Auth { .. }), "{error:?}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    }
    // One flight, retried under the policy (4 attempts); the 31 others share its answer.
    assert_eq!(token_requests.load(Ordering::SeqCst), 4);
    assert_eq!(sleep.waits().len(), 3);
}
