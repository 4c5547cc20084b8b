//! The whole retry rule as one pure function, [`decide`]: what was observed
//! goes in, what to do next comes out. The call loop in `transport` and the
//! token endpoint's loop in `auth` both act on it, and nothing else decides.
//!
//! Pure means testable as a table, like async-stripe's `RequestStrategy`
//! tests: the clock reading and the jitter draw are inputs too.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::retry::{RateLimitHint, RetryPolicy};
use crate::zoom::{RATE_LIMIT_WINDOW, ZOOM_CODE_INVALID_ACCESS_TOKEN};

/// Resends a 401 for a token this process has already replaced may make
/// without counting against the budget. Bounded all the same, so that a
/// storm of refreshes elsewhere cannot keep one call going for ever.
pub(crate) const MAX_FREE_STALE_TOKEN_RESENDS: u32 = 16;

/// What one attempt came back with, when it was not a success.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Observed<'a> {
    /// An HTTP answer.
    Response {
        status: StatusCode,
        headers: &'a HeaderMap,
        /// Zoom's `code` from the body, if it sent one.
        zoom_code: Option<i64>,
        /// Zoom's `message` from the body, if it sent one.
        message: Option<&'a str>,
    },
    /// No whole answer: connection refused or reset, a timeout, a body cut
    /// short (`transient`), or a request that could not be sent at all.
    Transport { transient: bool },
}

/// The bearer token the attempt carried, compared with the token source now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenState {
    /// A static token, or none (the token endpoint itself): a 401 is final.
    Fixed,
    /// The newest token this process has: a 401 means it needs a new one.
    Current,
    /// A token this process has already replaced.
    Stale,
}

/// Everything [`decide`] looks at.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attempt<'a> {
    pub observed: Observed<'a>,
    pub token: TokenState,
    /// Sends of this call that counted against the budget, this one included.
    pub attempt: u32,
    /// 401s for the current token earlier in this call.
    pub rejections: u32,
    /// Free resends for a stale token earlier in this call.
    pub stale_resends: u32,
    /// What is left of the page token's life, if the request carries one.
    pub page_token_left: Option<Duration>,
    /// Per-second 429s earlier in this call. They do not count against the
    /// budget: throttling is the account's limit, shared with other apps,
    /// not a fault.
    pub throttles: u32,
    /// How long since this call's first per-second 429, zero before one.
    pub throttled_for: Duration,
    /// A uniform draw from `[0, 1)`, for the backoff's jitter.
    pub jitter: f64,
}

/// What to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Send again after this wait; the attempt counts against the budget.
    RetryAfter(Duration),
    /// The account's per-second limit refused it: wait, then send again
    /// through the rate limiter, which has slowed down. Free of the budget,
    /// bounded by [`RetryPolicy::max_throttled_time`] instead.
    Throttled {
        wait: Duration,
        /// When the account's window reopens, as `Retry-After` said, if it did.
        reset_in: Option<Duration>,
    },
    /// The token was already replaced: send again now, with the current one, for free.
    ResendWithCurrentToken,
    /// The current token was refused: replace it, wait, send again.
    RefreshToken { wait: Duration },
    /// The daily quota (or a wait longer than the policy allows): stop, and say when it resets.
    DailyLimit { retry_at: Option<DateTime<Utc>> },
    /// A retry would wait past the page token's end: stop, and restart the window instead.
    PageTokenOutlived,
    /// This is the answer.
    Stop,
}

/// The rule. `now` is the injected wall clock, for `Retry-After` dates.
pub(crate) fn decide(attempt: &Attempt<'_>, policy: &RetryPolicy, now: DateTime<Utc>) -> Decision {
    let budget_left = attempt.attempt < policy.max_attempts;
    let backoff = policy.backoff_with_jitter(attempt.attempt, attempt.jitter);
    let retry_after = |wait: Duration| {
        if !budget_left {
            Decision::Stop
        } else if attempt.page_token_left.is_some_and(|left| wait >= left) {
            Decision::PageTokenOutlived
        } else {
            Decision::RetryAfter(wait)
        }
    };
    match attempt.observed {
        Observed::Transport { transient } => {
            if transient {
                retry_after(backoff)
            } else {
                Decision::Stop
            }
        }
        Observed::Response { status, zoom_code, .. } if status == StatusCode::UNAUTHORIZED => match attempt.token {
            TokenState::Fixed => Decision::Stop,
            // Another code (a missing scope, say) is not fixed by a new token.
            _ if zoom_code.is_some_and(|code| code != ZOOM_CODE_INVALID_ACCESS_TOKEN) => Decision::Stop,
            TokenState::Stale if attempt.stale_resends < MAX_FREE_STALE_TOKEN_RESENDS => {
                Decision::ResendWithCurrentToken
            }
            TokenState::Stale | TokenState::Current => {
                // The first refusal is the token's end: replace it at once.
                // More are something else (another process refreshing the
                // same app, a revoked app): back off, within the budget.
                let wait = if attempt.rejections == 0 {
                    Duration::ZERO
                } else {
                    backoff
                };
                match retry_after(wait) {
                    Decision::RetryAfter(wait) => Decision::RefreshToken { wait },
                    other => other,
                }
            }
        },
        Observed::Response {
            status,
            headers,
            message,
            ..
        } if status == StatusCode::TOO_MANY_REQUESTS => {
            let hint = RateLimitHint::from_headers(headers, now);
            let says_daily = message.is_some_and(|m| m.to_ascii_lowercase().contains("daily"));
            let too_long = hint.wait.is_some_and(|w| w > policy.max_rate_limit_wait);
            if hint.daily || says_daily || too_long {
                return Decision::DailyLimit {
                    retry_at: hint.retry_at,
                };
            }
            // `Retry-After: 0`, or a time already past on a skewed clock, must
            // not turn the retries into a burst; nor may the calls refused in
            // one second all come back in the same instant after it: up to half
            // the wait again, at random, spreads them.
            let wait = match hint.wait {
                Some(wait) => {
                    let wait = wait.max(policy.initial_backoff);
                    wait.saturating_add(wait.mul_f64(attempt.jitter.clamp(0.0, 1.0) / 2.0))
                }
                // Without one, the refused second ends some time in the next
                // one: half of it to all of it, at random, or the backoff if
                // that is longer. Sooner is refused again for nothing.
                None => policy
                    .backoff_with_jitter(attempt.throttles + 1, attempt.jitter)
                    .max(RATE_LIMIT_WINDOW.mul_f64(0.5 + attempt.jitter.clamp(0.0, 1.0) / 2.0)),
            };
            if attempt.throttled_for.saturating_add(wait) > policy.max_throttled_time {
                Decision::Stop
            } else if attempt.page_token_left.is_some_and(|left| wait >= left) {
                Decision::PageTokenOutlived
            } else {
                Decision::Throttled {
                    wait,
                    reset_in: hint.wait,
                }
            }
        }
        Observed::Response { status, .. } if is_transient_status(status) => retry_after(backoff),
        Observed::Response { .. } => Decision::Stop,
    }
}

/// Connection failures, timeouts and bodies cut short. A request that could
/// not even be built (a bad URL) is not transient.
pub(crate) fn is_transient_error(error: &reqwest::Error) -> bool {
    error.is_connect() || error.is_timeout() || error.is_request() || error.is_body() || error.is_decode()
}

/// Statuses that say "not now" rather than "no": 5xx and 408. (429 has its own rule.)
pub(crate) fn is_transient_status(status: StatusCode) -> bool {
    status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn policy() -> RetryPolicy {
        RetryPolicy::default()
            .max_attempts(4)
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_secs(2))
            .max_rate_limit_wait(Duration::from_secs(60))
            .max_throttled_time(Duration::from_secs(600))
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    /// One row: what came back, the call's history, what must happen.
    struct Row {
        name: &'static str,
        status: Option<u16>,
        headers: HeaderMap,
        message: Option<&'static str>,
        zoom_code: Option<i64>,
        transient: bool,
        token: TokenState,
        attempt: u32,
        rejections: u32,
        stale_resends: u32,
        page_token_left: Option<Duration>,
        throttles: u32,
        throttled_for: Duration,
        expect: Decision,
    }

    fn row(name: &'static str, status: Option<u16>, expect: Decision) -> Row {
        Row {
            name,
            status,
            headers: HeaderMap::new(),
            message: None,
            zoom_code: None,
            transient: true,
            token: TokenState::Current,
            attempt: 1,
            rejections: 0,
            stale_resends: 0,
            page_token_left: None,
            throttles: 0,
            throttled_for: Duration::ZERO,
            expect,
        }
    }

    #[test]
    fn the_rule_as_a_table() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
        let ms = Duration::from_millis;
        // Jitter 0.5: the backoff is half its bound, 100 ms << (attempt - 1), capped at 2 s.
        let rows = vec![
            row("a 500 backs off", Some(500), Decision::RetryAfter(ms(50))),
            row("a 503 backs off", Some(503), Decision::RetryAfter(ms(50))),
            row("a 408 backs off", Some(408), Decision::RetryAfter(ms(50))),
            Row {
                attempt: 3,
                ..row("backoff doubles", Some(502), Decision::RetryAfter(ms(200)))
            },
            Row {
                attempt: 4,
                ..row("the budget ends it", Some(502), Decision::Stop)
            },
            row("a reset backs off", None, Decision::RetryAfter(ms(50))),
            Row {
                transient: false,
                ..row("a request that cannot be sent stops", None, Decision::Stop)
            },
            row("a 400 is an answer", Some(400), Decision::Stop),
            row("a 404 is an answer", Some(404), Decision::Stop),
            row("HTTP 300 is Zoom's code 300", Some(300), Decision::Stop),
            row("a 302 is not followed", Some(302), Decision::Stop),
            Row {
                headers: headers(&[("retry-after", "7")]),
                ..row(
                    "a 429 waits Retry-After, spread by up to half again",
                    Some(429),
                    Decision::Throttled {
                        wait: ms(8750),
                        reset_in: Some(ms(7000)),
                    },
                )
            },
            Row {
                headers: headers(&[("retry-after", "1")]),
                attempt: 4,
                throttles: 40,
                ..row(
                    "a 429 uses none of the budget",
                    Some(429),
                    Decision::Throttled {
                        wait: ms(1250),
                        reset_in: Some(ms(1000)),
                    },
                )
            },
            Row {
                headers: headers(&[("retry-after", "7")]),
                throttled_for: Duration::from_secs(595),
                ..row("throttling is bounded by time instead", Some(429), Decision::Stop)
            },
            Row {
                throttles: 6,
                ..row(
                    "without Retry-After, many throttles back off longer",
                    Some(429),
                    Decision::Throttled {
                        wait: ms(1000),
                        reset_in: None,
                    },
                )
            },
            Row {
                headers: headers(&[("retry-after", "2026-11-22T12:00:03Z")]),
                ..row(
                    "an ISO Retry-After reads the given clock",
                    Some(429),
                    Decision::Throttled {
                        wait: ms(3750),
                        reset_in: Some(ms(3000)),
                    },
                )
            },
            Row {
                headers: headers(&[("retry-after", "0")]),
                ..row(
                    "Retry-After 0 waits the initial backoff",
                    Some(429),
                    Decision::Throttled {
                        wait: ms(125),
                        reset_in: Some(ms(0)),
                    },
                )
            },
            row(
                "a 429 without Retry-After waits for the refused second to end",
                Some(429),
                Decision::Throttled {
                    wait: ms(750),
                    reset_in: None,
                },
            ),
            Row {
                headers: headers(&[
                    ("retry-after", "2026-11-23T00:00:00Z"),
                    ("x-ratelimit-type", "Daily-limit"),
                ]),
                ..row(
                    "the daily limit stops with its reset",
                    Some(429),
                    Decision::DailyLimit {
                        retry_at: Some(Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap()),
                    },
                )
            },
            Row {
                message: Some("You have reached the maximum daily rate limit for this API."),
                ..row(
                    "a daily message is the daily limit",
                    Some(429),
                    Decision::DailyLimit { retry_at: None },
                )
            },
            Row {
                headers: headers(&[("retry-after", "7200")]),
                ..row(
                    "a wait past the policy is the daily limit",
                    Some(429),
                    Decision::DailyLimit {
                        retry_at: Some(now + chrono::Duration::seconds(7200)),
                    },
                )
            },
            Row {
                headers: headers(&[("retry-after", "30")]),
                page_token_left: Some(Duration::from_secs(20)),
                ..row(
                    "a wait past the page token restarts the window",
                    Some(429),
                    Decision::PageTokenOutlived,
                )
            },
            Row {
                page_token_left: Some(Duration::from_secs(20)),
                ..row(
                    "a short wait keeps the page token",
                    Some(500),
                    Decision::RetryAfter(ms(50)),
                )
            },
            row(
                "the current token refused: refresh at once",
                Some(401),
                Decision::RefreshToken { wait: Duration::ZERO },
            ),
            Row {
                zoom_code: Some(124),
                ..row(
                    "code 124 for the current token: refresh",
                    Some(401),
                    Decision::RefreshToken { wait: Duration::ZERO },
                )
            },
            Row {
                zoom_code: Some(4711),
                ..row(
                    "a 401 a new token cannot fix (a scope) stops",
                    Some(401),
                    Decision::Stop,
                )
            },
            Row {
                rejections: 1,
                attempt: 2,
                ..row(
                    "refused again: refresh after a backoff",
                    Some(401),
                    Decision::RefreshToken { wait: ms(100) },
                )
            },
            Row {
                rejections: 3,
                attempt: 4,
                ..row("refusals are bounded by the budget", Some(401), Decision::Stop)
            },
            Row {
                token: TokenState::Stale,
                attempt: 4,
                ..row(
                    "a replaced token is resent for free",
                    Some(401),
                    Decision::ResendWithCurrentToken,
                )
            },
            Row {
                token: TokenState::Stale,
                stale_resends: MAX_FREE_STALE_TOKEN_RESENDS,
                ..row(
                    "free resends are bounded too",
                    Some(401),
                    Decision::RefreshToken { wait: Duration::ZERO },
                )
            },
            Row {
                token: TokenState::Fixed,
                ..row("a static token refused is final", Some(401), Decision::Stop)
            },
        ];
        for r in rows {
            let observed = match r.status {
                Some(status) => Observed::Response {
                    status: StatusCode::from_u16(status).unwrap(),
                    headers: &r.headers,
                    zoom_code: r.zoom_code,
                    message: r.message,
                },
                None => Observed::Transport { transient: r.transient },
            };
            let attempt = Attempt {
                observed,
                token: r.token,
                attempt: r.attempt,
                rejections: r.rejections,
                stale_resends: r.stale_resends,
                page_token_left: r.page_token_left,
                throttles: r.throttles,
                throttled_for: r.throttled_for,
                jitter: 0.5,
            };
            assert_eq!(decide(&attempt, &policy(), now), r.expect, "{}", r.name);
        }
    }
}
