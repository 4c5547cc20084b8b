//! When to send a request again, and how long to wait first.
//!
//! These GET requests are safe to repeat. 5xx answers, connection failures,
//! timeouts and truncated bodies are retried with capped exponential backoff
//! and full jitter, up to [`RetryPolicy::max_attempts`]. A per-second 429 is
//! not a fault: it waits as long as `Retry-After` says, in whichever of Zoom's
//! forms it comes, plus jitter, or backs off when it is missing, and the
//! client's rate limiter slows down; it is bounded by
//! [`RetryPolicy::max_throttled_time`], not by the attempts. A daily 429 is
//! never waited out. Other 4xx are answers, not accidents, and are never retried.

use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use reqwest::header::HeaderMap;

/// How persistently the client retries.
///
/// ```
/// use std::time::Duration;
/// use zoom_chat_reports::retry::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(10)
///     .max_rate_limit_wait(Duration::from_secs(300));
/// assert_eq!(patient.max_attempts, 10);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// The most times one request is sent, first try included.
    pub max_attempts: u32,
    /// The first backoff; each further one doubles, up to `max_backoff`.
    pub initial_backoff: Duration,
    /// The cap on one backoff.
    pub max_backoff: Duration,
    /// The longest a 429 is waited out. A longer `Retry-After` (a daily
    /// limit, in practice) becomes [`crate::Error::RateLimited`] at once:
    /// the client never sleeps for hours.
    pub max_rate_limit_wait: Duration,
    /// The longest one call goes on being refused for the account's
    /// per-second limit, counted from its first such 429. Those refusals do
    /// not use up [`Self::max_attempts`], which is for faults: the limit is
    /// shared by every app on the account, and the rate limiter slows down
    /// until they fit. Past this, the call fails with
    /// [`crate::Error::RateLimited`] (`daily: false`). A page token's 15
    /// minutes come first: a wait that would outlive it restarts the window.
    pub max_throttled_time: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 6,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(20),
            max_rate_limit_wait: Duration::from_secs(120),
            max_throttled_time: Duration::from_secs(10 * 60),
        }
    }
}

impl RetryPolicy {
    /// The most times one request is sent, first try included. At least 1.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff; each further one doubles, up to [`Self::max_backoff`].
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The cap on one backoff.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest a 429 is waited out before it becomes an error.
    pub fn max_rate_limit_wait(mut self, wait: Duration) -> Self {
        self.max_rate_limit_wait = wait;
        self
    }

    /// The longest one call is refused for the per-second limit before it
    /// becomes an error. Defaults to 10 minutes.
    pub fn max_throttled_time(mut self, time: Duration) -> Self {
        self.max_throttled_time = time;
        self
    }

    /// The backoff before attempt `attempt + 1`, with full jitter: a uniform
    /// draw from zero to the exponential bound, so that clients that failed
    /// together do not retry together.
    pub fn backoff(&self, attempt: u32) -> Duration {
        self.backoff_with_jitter(attempt, fastrand::f64())
    }

    /// [`Self::backoff`] with the jitter draw given: `jitter` in `[0, 1)`
    /// scales the bound. Deterministic, for the retry rule's tests.
    pub(crate) fn backoff_with_jitter(&self, attempt: u32, jitter: f64) -> Duration {
        self.backoff_bound(attempt).mul_f64(jitter.clamp(0.0, 1.0))
    }

    /// The exponential bound before attempt `attempt + 1`, before jitter.
    pub(crate) fn backoff_bound(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(16);
        self.initial_backoff.saturating_mul(1 << exponent).min(self.max_backoff)
    }
}

/// What a 429 asks of us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RateLimitHint {
    /// The wait `Retry-After` asked for, if it was present and readable.
    pub wait: Option<Duration>,
    /// When requests may resume, if `Retry-After` named a time.
    pub retry_at: Option<DateTime<Utc>>,
    /// `X-RateLimit-Type` says this is the daily quota.
    pub daily: bool,
}

impl RateLimitHint {
    /// Reads `Retry-After` and `X-RateLimit-Type` from a 429's headers.
    pub(crate) fn from_headers(headers: &HeaderMap, now: DateTime<Utc>) -> Self {
        let retry_after = headers
            .get(crate::zoom::RETRY_AFTER_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::trim);
        let (wait, retry_at) = match retry_after.and_then(parse_retry_after) {
            // A huge delay from a broken server must not overflow the clock arithmetic.
            Some(RetryAfter::Delay(d)) => {
                let at = chrono::Duration::from_std(d)
                    .ok()
                    .and_then(|d| now.checked_add_signed(d));
                (Some(d), at)
            }
            Some(RetryAfter::At(at)) => (Some((at - now).to_std().unwrap_or(Duration::ZERO)), Some(at)),
            None => (None, None),
        };
        let daily = headers
            .get(crate::zoom::RATE_LIMIT_TYPE_HEADER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("daily"));
        Self { wait, retry_at, daily }
    }
}

/// A parsed `Retry-After` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryAfter {
    /// `Retry-After: 7`.
    Delay(Duration),
    /// An HTTP date or an ISO 8601 timestamp.
    At(DateTime<Utc>),
}

/// Parses `Retry-After` in every form Zoom has used: delay seconds, an HTTP
/// date (RFC 9110), or an ISO 8601 timestamp (Zoom's documented form, with or
/// without a zone, in which case it is UTC).
pub(crate) fn parse_retry_after(value: &str) -> Option<RetryAfter> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(RetryAfter::Delay(Duration::from_secs(seconds)));
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Some(RetryAfter::At(at.with_timezone(&Utc)));
    }
    if let Ok(at) = DateTime::parse_from_rfc2822(value) {
        return Some(RetryAfter::At(at.with_timezone(&Utc)));
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.fZ"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(value, format).ok())
        .map(|naive| RetryAfter::At(naive.and_utc()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("7"), Some(RetryAfter::Delay(Duration::from_secs(7))));
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap();
        assert_eq!(parse_retry_after("2026-11-23T00:00:00Z"), Some(RetryAfter::At(at)));
        assert_eq!(parse_retry_after("2026-11-23T00:00:00.000Z"), Some(RetryAfter::At(at)));
        assert_eq!(parse_retry_after("2026-11-23T08:00:00+08:00"), Some(RetryAfter::At(at)));
        assert_eq!(parse_retry_after("2026-11-23T00:00:00"), Some(RetryAfter::At(at)));
        assert_eq!(
            parse_retry_after("Mon, 23 Nov 2026 00:00:00 GMT"),
            Some(RetryAfter::At(at))
        );
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after(""), None);
    }

    #[test]
    fn hint_reads_wait_and_daily() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 23, 0, 0).unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "2026-11-23T00:00:00Z".parse().unwrap());
        headers.insert("x-ratelimit-type", "Daily-limit".parse().unwrap());
        let hint = RateLimitHint::from_headers(&headers, now);
        assert_eq!(hint.wait, Some(Duration::from_secs(3600)));
        assert!(hint.daily);
        assert_eq!(
            RateLimitHint::from_headers(&HeaderMap::new(), now),
            RateLimitHint {
                wait: None,
                retry_at: None,
                daily: false
            }
        );
    }

    #[test]
    fn backoff_is_capped_and_jittered() {
        let policy = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(400),
            ..RetryPolicy::default()
        };
        for attempt in 1..40 {
            assert!(policy.backoff(attempt) <= Duration::from_millis(400));
        }
        let draws: std::collections::HashSet<Duration> = (0..20).map(|_| policy.backoff(3)).collect();
        assert!(draws.len() > 1, "backoff must be jittered");
    }
}
