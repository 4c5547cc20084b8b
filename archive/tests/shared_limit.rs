//! The account's per-second limit is shared by every app on it, so the rate a
//! client gets is often less than its plan's. Against a fake Zoom whose
//! account allows less than the client was told, or whose other apps take
//! part of it, the client slows down, climbs back, and the export finishes
//! exactly, with few 429s.
//!
//! The rates are the scaled up five times (40/s against a client told
//! 100/s, rather than 8/s against 20/s), so that each test takes seconds;
//! `cargo bench --bench shared_limit` runs the issue's own figures, ten times each.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt;
use serde_json::json;
use zoom_chat_archive::{ExportOptions, ExportSummary, export_jsonl, journal_path};
use zoom_chat_reports::mock::{Dataset, FakeZoom, FakeZoomConfig, Faults, RetryAfterForm};
use zoom_chat_reports::retry::RetryPolicy;
use zoom_chat_reports::runtime::TokioSleep;
use zoom_chat_reports::{Client, Error, Include};

use common::day;
use common::server::{Reply, TestServer};

const TODAY: &str = "2026-11-22";
const FROM: &str = "2026-07-25";
const TO: &str = "2026-11-20";

fn dataset(sessions: usize, per_session: usize) -> Dataset {
    Dataset {
        seed: 20,
        sessions,
        messages_per_session: per_session,
        start: day(FROM),
        end: day(TO),
        edited_share: 0.1,
        deleted_share: 0.05,
        file_share: 0.1,
        reply_share: 0.2,
    }
}

async fn fake(config: FakeZoomConfig) -> FakeZoom {
    FakeZoom::start(config.today(day(TODAY)).static_token(TOKEN))
        .await
        .expect("the fake starts")
}

/// A client told `rate` a second, with real waits: the account's windows are
/// real seconds.
/// One static token for every client: replicas that each fetched their own
/// OAuth token would take turns at it (a new token invalidates the old, as
/// Zoom's may), which `tests/churn.rs` covers; here only the shared rate
/// limit is under test.
const TOKEN: &str = "shared-limit-test";

fn client(zoom: &FakeZoom, rate: u32) -> Client {
    zoom.client_builder()
        .bearer_token(TOKEN)
        .requests_per_second(NonZeroU32::new(rate))
        .sleep(Arc::new(TokioSleep))
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(20)))
        .build()
        .expect("client builds")
}

fn out_file(name: &str) -> PathBuf {
    common::fresh_dir("shared-limit", name).join("chat.jsonl")
}

async fn export(client: &Client, out: &Path, concurrency: usize) -> ExportSummary {
    let options = ExportOptions::new(day(FROM)..=day(TO))
        .include(Include::ALL)
        .concurrency(concurrency);
    export_jsonl(client, out, &options, &|_| {}, std::future::pending())
        .await
        .unwrap_or_else(|e| panic!("the export must finish under a shared limit: {e}"))
}

fn assert_exact(out: &Path, zoom: &FakeZoom) {
    let got = common::line_counts(out);
    let expected: BTreeMap<_, usize> = zoom
        .dataset()
        .expected_messages(day(FROM), day(TO), Include::ALL)
        .into_iter()
        .map(|key| (key, 1))
        .collect();
    assert_eq!(got.len(), expected.len(), "lines by key");
    assert!(got == expected, "every record once, and nothing else");
    assert!(journal_path(out).exists());
}

/// 429s as a share of all requests the fake answered.
fn share_of_429s(zoom: &FakeZoom) -> f64 {
    let counters = zoom.counters();
    counters.rate_limited as f64 / counters.requests as f64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_limit_below_the_plans_slows_the_client_and_the_export_is_exact() {
    let zoom = fake(
        FakeZoomConfig::default()
            .dataset(dataset(40, 600))
            .per_second_limit(40)
            .retry_after(RetryAfterForm::Seconds),
    )
    .await;
    let out = out_file("lower-limit");
    let client = client(&zoom, 100);
    let summary = export(&client, &out, 8).await;
    assert_exact(&out, &zoom);
    let stats = summary.stats;
    let share = share_of_429s(&zoom);
    assert!(share < 0.10, "{:.1}% of requests were 429s: {stats:?}", share * 100.0);
    assert!(stats.rate_cuts >= 1, "{stats:?}");
    assert_eq!(stats.configured_rate, Some(100.0));
    assert!(stats.lowest_rate.unwrap() < 40.0, "{stats:?}");
    assert!(stats.average_rate.unwrap() < 60.0, "{stats:?}");
    assert_eq!(
        stats.throttled,
        zoom.counters().rate_limited,
        "every 429 was waited out"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_apps_load_comes_and_goes_and_the_rate_follows_it_down_and_back() {
    // The account allows 60 a second; for the first six seconds other apps
    // use 45 of them, then stop.
    let zoom = fake(
        FakeZoomConfig::default()
            .dataset(dataset(40, 600))
            .per_second_limit(60)
            .other_apps_load([(Duration::ZERO, 45), (Duration::from_secs(6), 0)])
            .retry_after(RetryAfterForm::Iso8601),
    )
    .await;
    let out = out_file("other-apps");
    let client = client(&zoom, 60);
    let summary = export(&client, &out, 8).await;
    assert_exact(&out, &zoom);
    let stats = summary.stats;
    assert!(stats.rate_cuts >= 1, "{stats:?}");
    let (lowest, now) = (stats.lowest_rate.unwrap(), stats.current_rate.unwrap());
    assert!(lowest < 20.0, "the rate came down toward the 15 left: {stats:?}");
    assert!(now > lowest * 1.5, "and climbed back once they stopped: {stats:?}");
    let share = share_of_429s(&zoom);
    assert!(share < 0.10, "{:.1}% of requests were 429s: {stats:?}", share * 100.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_each_told_more_than_the_account_allows_both_finish() {
    let zoom = fake(
        FakeZoomConfig::default()
            .dataset(dataset(30, 600))
            .per_second_limit(50)
            .retry_after(RetryAfterForm::Missing),
    )
    .await;
    let (first_out, second_out) = (out_file("replica-1"), out_file("replica-2"));
    let (first, second) = (client(&zoom, 150), client(&zoom, 150));
    let (a, b) = tokio::join!(export(&first, &first_out, 8), export(&second, &second_out, 8));
    assert_exact(&first_out, &zoom);
    assert_exact(&second_out, &zoom);
    let share = share_of_429s(&zoom);
    assert!(
        share < 0.15,
        "{:.1}% of requests were 429s: {:?} {:?}",
        share * 100.0,
        a.stats,
        b.stats
    );
    // Each settled well below what it was told, near its half of the account.
    for stats in [a.stats, b.stats] {
        assert!(stats.average_rate.unwrap() < 60.0, "{stats:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_and_short_page_tokens_under_a_shared_limit_still_finish_exactly() {
    // One request in five fails (500, 502, 503 in turn); page tokens live 3 s.
    let zoom = fake(
        FakeZoomConfig::default()
            .dataset(dataset(20, 450))
            .per_second_limit(40)
            .page_token_life(Duration::from_secs(3))
            .retry_after(RetryAfterForm::Seconds)
            .faults(Faults {
                server_error_every: Some(5),
                ..Faults::default()
            }),
    )
    .await;
    let out = out_file("faults");
    let client = zoom
        .client_builder()
        .requests_per_second(NonZeroU32::new(100))
        .page_token_lifetime(Duration::from_secs(3))
        .sleep(Arc::new(TokioSleep))
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(20)))
        .build()
        .unwrap();
    let summary = export(&client, &out, 16).await;
    assert_exact(&out, &zoom);
    assert!(zoom.counters().faults > 0);
    assert!(
        summary.stats.throttled > 0,
        "the test must reach the 429 path: {:?}",
        summary.stats
    );
}

#[tokio::test]
async fn a_call_refused_longer_than_the_policy_allows_fails_saying_the_limit_is_shared() {
    let server = TestServer::start(|_, _| {
        Reply::json(
            429,
            json!({ "code": 429, "message": "You have reached the maximum per-second rate limit for this API. Try again later." }),
        )
    })
    .await;
    let client = Client::builder()
        .base_url(&server.url)
        .bearer_token(common::TOKEN)
        .clock(Arc::new(zoom_chat_reports::runtime::FixedClock::on(day(TODAY))))
        .requests_per_second(NonZeroU32::new(50))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(1)
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(20))
                .max_throttled_time(Duration::from_millis(1200)),
        )
        .build()
        .unwrap();
    let result: Result<Vec<_>, Error> = client
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
    assert!(error.is_retryable());
    // More sends than the one attempt faults get: throttling is bounded by
    // time (each refused send waits half a second to one without Retry-After).
    assert!(server.count() >= 2, "{}", server.count());
    let stats = client.stats();
    // All but the last, which ended the call.
    assert_eq!(stats.throttled, server.count() as u64 - 1);
    assert!(stats.current_rate.unwrap() < 50.0, "{stats:?}");
}

#[tokio::test]
async fn a_daily_429_is_still_never_waited_out() {
    let server = TestServer::start(|_, _| {
        Reply::json(
            429,
            json!({ "code": 429, "message": "You have reached the maximum daily rate limit for this API." }),
        )
        .with_header("X-RateLimit-Type", "Daily-limit")
    })
    .await;
    let (client, sleep) = common::client(&server.url);
    let result: Result<Vec<_>, Error> = client
        .sessions(day("2026-11-01")..=day("2026-11-20"))
        .items()
        .try_collect()
        .await;
    assert!(result.as_ref().is_err_and(Error::is_daily_limit), "{result:?}");
    assert_eq!(server.count(), 1);
    assert!(sleep.waits().is_empty());
    assert_eq!(client.stats().throttled, 0);
}
