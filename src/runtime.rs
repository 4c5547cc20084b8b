//! Time, injected: the wall clock (for "today" and `Retry-After` dates) and
//! sleeping (for backoff). Production uses the system clock and tokio; tests
//! plug in a fixed day and sleeps that record what was asked and return at once,
//! so retry tests are exact and fast.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};

/// A boxed, sendable future returned by [`Sleep::sleep`].
pub type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Waits for a duration. Implement it to control time in tests.
pub trait Sleep: Send + Sync + Debug {
    /// Returns a future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> SleepFuture;
}

/// Sleeps with `tokio::time::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> SleepFuture {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// Tells the current date and time. Implement it to fix "today" in tests.
pub trait Clock: Send + Sync + Debug {
    /// Now, in UTC.
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in UTC, which is how Zoom dates its reports.
    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock stopped at one instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl FixedClock {
    /// A clock stopped at midday UTC of `day`.
    pub fn on(day: NaiveDate) -> Self {
        Self(day.and_hms_opt(12, 0, 0).expect("12:00:00 is a valid time").and_utc())
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// About thirty years: a deadline this far off is "never" for any process.
const FAR_FUTURE: std::time::Duration = std::time::Duration::from_secs(30 * 365 * 86_400);

/// `base + duration`, where a sum that does not fit (a caller's
/// `Duration::MAX`, a server's absurd `expires_in`) means "far in the future"
/// instead of a panic.
pub(crate) fn saturating_add(base: tokio::time::Instant, duration: std::time::Duration) -> tokio::time::Instant {
    base.checked_add(duration.min(FAR_FUTURE))
        .or_else(|| base.checked_add(FAR_FUTURE))
        .unwrap_or(base)
}
