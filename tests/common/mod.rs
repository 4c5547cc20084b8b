//! Shared test helpers: a client pointed at a loopback mock, with a fixed
//! "today" and sleeps that are recorded and return at once.

#![allow(dead_code)]

pub mod server;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use zoom_chat_reports::mock::FakeZoom;
use zoom_chat_reports::retry::RetryPolicy;
use zoom_chat_reports::runtime::{FixedClock, Sleep, SleepFuture};
use zoom_chat_reports::{Client, ClientBuilder};

pub const TOKEN: &str = "test-token-not-a-secret";

/// The environment variables the command reads for Zoom: removed for tests
/// that run it against its built-in fake, whatever the developer has set.
pub const ZOOM_ENVIRONMENT: [&str; 9] = [
    "ZOOM_ACCOUNT_ID",
    "ZOOM_CLIENT_ID",
    "ZOOM_CLIENT_SECRET",
    "ZOOM_ACCESS_TOKEN",
    "ZOOM_API_BASE",
    "ZOOM_OAUTH_URL",
    "ZOOM_PLAN",
    "ZOOM_RATE_LIMIT",
    "RUST_LOG",
];
pub const TODAY: &str = "2026-11-22";

pub fn day(s: &str) -> NaiveDate {
    s.parse().expect("a yyyy-mm-dd date")
}

/// A clock the test moves: noon of the day set.
#[derive(Debug)]
pub struct DayClock(Mutex<chrono::DateTime<chrono::Utc>>);

impl DayClock {
    pub fn on(day: NaiveDate) -> Arc<Self> {
        Arc::new(Self(Mutex::new(noon(day))))
    }

    pub fn set(&self, day: NaiveDate) {
        *self.0.lock().unwrap() = noon(day);
    }
}

pub fn noon(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    day.and_hms_opt(12, 0, 0).unwrap().and_utc()
}

impl zoom_chat_reports::runtime::Clock for DayClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        *self.0.lock().unwrap()
    }
}

/// Records every wait asked for and returns at once, so retry tests are exact and fast.
#[derive(Debug, Default)]
pub struct RecordedSleep(pub Mutex<Vec<Duration>>);

impl RecordedSleep {
    pub fn waits(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

impl Sleep for RecordedSleep {
    fn sleep(&self, duration: Duration) -> SleepFuture {
        self.0.lock().unwrap().push(duration);
        Box::pin(tokio::task::yield_now())
    }
}

/// A builder for a client against `base_url`, with test-friendly defaults.
pub fn builder(base_url: &str, sleep: Arc<RecordedSleep>) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .bearer_token(TOKEN)
        .clock(Arc::new(FixedClock::on(day(TODAY))))
        .sleep(sleep)
        .requests_per_second(None)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(4)
                .initial_backoff(Duration::from_millis(100))
                .max_backoff(Duration::from_secs(2))
                .max_rate_limit_wait(Duration::from_secs(60)),
        )
        .timeout(Duration::from_secs(5))
}

pub fn client(base_url: &str) -> (Client, Arc<RecordedSleep>) {
    let sleep = Arc::new(RecordedSleep::default());
    (builder(base_url, sleep.clone()).build().expect("client builds"), sleep)
}

/// A client of the fake Zoom with no rate limit of its own, waits that return
/// at once, and `attempts` tries per request.
pub fn fake_client(zoom: &FakeZoom, attempts: u32) -> Client {
    zoom.client_builder()
        .requests_per_second(None)
        .sleep(Arc::new(RecordedSleep::default()))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(attempts)
                .initial_backoff(Duration::from_millis(5)),
        )
        .build()
        .expect("client builds")
}

/// An empty directory of this test process, `<suite>-<pid>-<name>` under the temp dir.
pub fn fresh_dir(suite: &str, name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("{suite}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// An export's lines: `(session, kind, id)` → how many, after checking every
/// line is whole JSON and the file ends with a whole line.
pub fn line_counts(
    path: &std::path::Path,
) -> std::collections::BTreeMap<(String, zoom_chat_reports::MessageKind, String), usize> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "the file ends with a whole line"
    );
    let mut counts = std::collections::BTreeMap::new();
    for line in text.lines() {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a whole JSON line ({e}): {line}"));
        let kind: zoom_chat_reports::MessageKind = serde_json::from_value(value["kind"].clone()).unwrap();
        let key = (
            value["session_id"].as_str().unwrap().to_string(),
            kind,
            value["id"].as_str().unwrap().to_string(),
        );
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}
