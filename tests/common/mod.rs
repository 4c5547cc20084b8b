//! Shared test helpers: a client pointed at a loopback mock, with a fixed
//! "today" and sleeps that are recorded and return at once.

#![allow(dead_code)]

pub mod server;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use zoom_chat_reports::retry::RetryPolicy;
use zoom_chat_reports::runtime::{FixedClock, Sleep, SleepFuture};
use zoom_chat_reports::{Client, ClientBuilder};

pub const TOKEN: &str = "test-token-not-a-secret";
pub const TODAY: &str = "2026-11-22";

pub fn day(s: &str) -> NaiveDate {
    s.parse().expect("a yyyy-mm-dd date")
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
