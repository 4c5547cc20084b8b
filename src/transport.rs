//! Every request the generated client sends passes through here, by way of
//! progenitor's `ClientHooks`, and every report call goes round one loop.
//!
//! - `pre` waits for the shared rate limiter, then takes the current bearer
//!   token, for every attempt: a token that went stale during a backoff or a
//!   limiter wait is never sent again. It also refuses a messages request whose
//!   path is not one segment under the sessions path (see `path`).
//! - `exec` counts, sends, and caps the reply body (see `body`).
//! - [`Transport::call`] is the one retry loop. It sends a whole generated
//!   call per attempt, sorts the result (`responses`), asks the retry rule
//!   (`decision`) what to do, and does it: wait and resend, replace the token,
//!   or stop with the error.
//!
//! What `pre` and `exec` learn about an attempt that the generated result
//! loses (the token sent, the status of a body that did not decode, a body
//! over the cap) is kept in a task-local [`CallRecord`] for that attempt.

use std::cell::RefCell;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo, ResponseValue};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{Request, Response, StatusCode};
use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;

use crate::auth::{BearerToken, TokenSource};
use crate::decision::{Attempt, Decision, decide};
use crate::error::Error;
use crate::generated;
use crate::generated::types::ZoomError;
use crate::pagination::FetchError;
use crate::rate::{AdaptiveRate, Grant};
use crate::responses::{Outcome, Seen, classify};
use crate::retry::RetryPolicy;
use crate::runtime::{Clock, Sleep};
use crate::zoom::{MESSAGES_PATH, OPERATION_MESSAGES, TRACKING_ID_HEADER};

/// Counters of what the transport did, for summaries and benchmarks.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub requests: AtomicU64,
    pub retries: AtomicU64,
    pub rate_limited: AtomicU64,
    pub throttled: AtomicU64,
    pub unauthorized: AtomicU64,
}

/// What the transport has done so far, from [`crate::Client::stats`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[non_exhaustive]
pub struct TransportStats {
    /// HTTP requests sent to the API (token requests not included).
    pub requests: u64,
    /// Requests that were sends of a request already sent once.
    pub retries: u64,
    /// 429 answers received, daily and per-second.
    pub rate_limited: u64,
    /// Per-second 429s that were waited out and sent again: the account's
    /// limit, shared with its other apps, was full.
    pub throttled: u64,
    /// The rate limiter's configured rate, requests a second; `None` when
    /// the client has no limiter.
    pub configured_rate: Option<f64>,
    /// The rate the limiter allows now. Below [`Self::configured_rate`]
    /// after per-second 429s; it climbs back while calls succeed.
    pub current_rate: Option<f64>,
    /// The lowest rate the limiter came down to.
    pub lowest_rate: Option<f64>,
    /// The limiter's rate averaged over time since the first request.
    pub average_rate: Option<f64>,
    /// How many times per-second 429s cut the rate.
    pub rate_cuts: u64,
    /// 401 answers received: a token Zoom refused.
    pub unauthorized: u64,
    /// Requests to the OAuth token endpoint.
    pub token_requests: u64,
}

/// The shared state behind the generated client: one per [`crate::Client`]
/// and all its clones, so every stream and call shares one rate limiter.
#[derive(Clone)]
#[doc(hidden)]
pub struct Transport(Arc<TransportState>);

pub(crate) struct TransportState {
    pub tokens: Arc<TokenSource>,
    pub retry: RetryPolicy,
    pub limiter: Option<AdaptiveRate>,
    pub sleep: Arc<dyn Sleep>,
    pub clock: Arc<dyn Clock>,
    /// The cap on one reply body.
    pub max_response_bytes: u64,
    /// The base URL's path (`/v2`), for checking where a messages request goes.
    pub base_path: String,
    pub counters: Counters,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("tokens", &self.0.tokens)
            .field("retry", &self.0.retry)
            .field("rate_limited", &self.0.limiter.is_some())
            .field("max_response_bytes", &self.0.max_response_bytes)
            .finish_non_exhaustive()
    }
}

/// What the hooks saw of one attempt, read back after the generated code returns.
#[derive(Debug, Default)]
pub(crate) struct CallRecord {
    pub seen: Seen,
    /// Getting a token failed in `pre`; progenitor only carries a string, so the typed error waits here.
    pub auth_error: Option<Error>,
    /// The token the request was sent with, to judge a 401 by.
    pub token: Option<BearerToken>,
    /// The reply body passed the cap: its declared size, or the bytes read when it did.
    pub too_large: Option<u64>,
    /// When the rate limiter let the request go (to tell the limiter which
    /// window of refusals a 429 belongs to), and whether it had to wait.
    pub grant: Option<Grant>,
}

tokio::task_local! {
    static CALL: RefCell<CallRecord>;
}

fn with_record(f: impl FnOnce(&mut CallRecord)) {
    // Outside `Transport::call` (a caller using the generated client directly) there is no record to keep.
    let _ = CALL.try_with(|record| f(&mut record.borrow_mut()));
}

/// Builds the rate limiter for `per_second` requests a second, none for `None`.
pub(crate) fn rate_limiter(per_second: Option<NonZeroU32>) -> Option<AdaptiveRate> {
    per_second.map(|rate| AdaptiveRate::new(f64::from(rate.get())))
}

/// A generated call's result.
pub(crate) type GeneratedResult<T> = Result<ResponseValue<T>, progenitor_client::Error<ZoomError>>;

impl Transport {
    pub(crate) fn new(state: TransportState) -> Self {
        Self(Arc::new(state))
    }

    pub(crate) fn stats(&self) -> TransportStats {
        let c = &self.0.counters;
        let rate = self.0.limiter.as_ref().map(AdaptiveRate::report);
        TransportStats {
            requests: c.requests.load(Ordering::Relaxed),
            retries: c.retries.load(Ordering::Relaxed),
            rate_limited: c.rate_limited.load(Ordering::Relaxed),
            throttled: c.throttled.load(Ordering::Relaxed),
            configured_rate: rate.map(|r| r.configured),
            current_rate: rate.map(|r| r.current),
            lowest_rate: rate.map(|r| r.lowest),
            average_rate: rate.map(|r| r.average),
            rate_cuts: rate.map_or(0, |r| r.cuts),
            unauthorized: c.unauthorized.load(Ordering::Relaxed),
            token_requests: self.0.tokens.token_requests(),
        }
    }

    /// The one retry loop. `send` makes one attempt (a whole generated call);
    /// [`decide`] says what follows.
    pub(crate) async fn call<T, F, Fut>(
        &self,
        operation: &'static str,
        page_token_deadline: Option<Instant>,
        send: F,
    ) -> Result<T, FetchError>
    where
        T: DeserializeOwned,
        F: Fn() -> Fut,
        Fut: Future<Output = GeneratedResult<T>>,
    {
        let state = &self.0;
        let had_page_token = page_token_deadline.is_some();
        // Sends that count against the budget; a free resend after a token this
        // process had already replaced does not.
        let mut attempt: u32 = 0;
        let mut free_resend = false;
        let (mut rejections, mut stale_resends) = (0, 0);
        let mut throttles = 0;
        let mut first_throttled: Option<Instant> = None;
        loop {
            if !free_resend {
                attempt += 1;
            }
            let (outcome, record) = CALL
                .scope(RefCell::new(CallRecord::default()), async {
                    let result = send().await;
                    let (mut seen, auth_error) = CALL.with(|r| {
                        let mut r = r.borrow_mut();
                        (std::mem::take(&mut r.seen), r.auth_error.take())
                    });
                    // Inside the scope: reading an error body here may pass the cap, which the record must learn.
                    let outcome = classify(result, &mut seen, auth_error).await;
                    let mut record = CALL.with(|r| std::mem::take(&mut *r.borrow_mut()));
                    record.seen = seen;
                    (outcome, record)
                })
                .instrument(tracing::debug_span!("zoom_call", operation, attempt))
                .await;
            if let Some(size) = record.too_large {
                return Err(Error::ResponseTooLarge {
                    operation,
                    status: record.seen.status.unwrap_or(StatusCode::OK),
                    size,
                    limit: state.max_response_bytes,
                }
                .into());
            }
            let failure = match outcome {
                Outcome::Success(value) => {
                    if let (Some(limiter), Some(grant)) = (&state.limiter, record.grant) {
                        limiter.succeeded(grant);
                    }
                    return Ok(value);
                }
                Outcome::Final(error) => return Err(error.into()),
                Outcome::Failed(failure) => failure,
            };
            let decision = decide(
                &Attempt {
                    observed: failure.observed(),
                    token: state.tokens.state_of(record.token.as_ref()),
                    attempt,
                    rejections,
                    stale_resends,
                    page_token_left: page_token_deadline.map(|d| d.saturating_duration_since(Instant::now())),
                    throttles,
                    throttled_for: first_throttled.map_or(std::time::Duration::ZERO, |t| t.elapsed()),
                    jitter: fastrand::f64(),
                },
                &state.retry,
                state.clock.now(),
            );
            free_resend = false;
            let wait = match decision {
                Decision::RetryAfter(wait) => wait,
                Decision::Throttled { wait, reset_in } => {
                    state.counters.throttled.fetch_add(1, Ordering::Relaxed);
                    if let (Some(limiter), Some(grant)) = (&state.limiter, record.grant)
                        && limiter.throttled(grant.at, reset_in)
                    {
                        tracing::info!(
                            operation,
                            rate = limiter.report().current,
                            "Zoom's per-second limit refused a request: other apps share this account's limit; slowing down"
                        );
                    }
                    throttles += 1;
                    first_throttled.get_or_insert_with(Instant::now);
                    free_resend = true;
                    wait
                }
                Decision::ResendWithCurrentToken => {
                    tracing::debug!(
                        operation,
                        "a token already replaced was refused; resending with the current one"
                    );
                    stale_resends += 1;
                    free_resend = true;
                    std::time::Duration::ZERO
                }
                Decision::RefreshToken { wait } => {
                    tracing::info!(operation, attempt, "access token refused; refreshing");
                    if let Some(token) = &record.token {
                        state.tokens.reject(token);
                    }
                    rejections += 1;
                    wait
                }
                Decision::PageTokenOutlived => {
                    tracing::debug!(operation, attempt, "a retry would outlive the page token");
                    let error = failure.into_error(decision, attempt, had_page_token, state.clock.now());
                    return Err(FetchError {
                        error,
                        token_outlived: true,
                    });
                }
                Decision::DailyLimit { .. } | Decision::Stop => {
                    return Err(failure
                        .into_error(decision, attempt, had_page_token, state.clock.now())
                        .into());
                }
            };
            tracing::debug!(operation, attempt, wait_ms = wait.as_millis() as u64, "retrying");
            state.counters.retries.fetch_add(1, Ordering::Relaxed);
            if !wait.is_zero() {
                state.sleep.sleep(wait).await;
            }
        }
    }

    async fn execute(
        &self,
        http: &reqwest::Client,
        request: Request,
        operation: &'static str,
    ) -> reqwest::Result<Response> {
        let state = &self.0;
        state.counters.requests.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let response = http.execute(request).await.inspect_err(|error| {
            tracing::debug!(operation, error = %error, "request failed");
        })?;
        let status = response.status();
        tracing::debug!(
            operation,
            status = status.as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "response"
        );
        match status {
            StatusCode::TOO_MANY_REQUESTS => state.counters.rate_limited.fetch_add(1, Ordering::Relaxed),
            StatusCode::UNAUTHORIZED => state.counters.unauthorized.fetch_add(1, Ordering::Relaxed),
            _ => 0,
        };
        with_record(|r| {
            r.seen.status = Some(status);
            // A success only needs its tracking id kept (for a decode error);
            // copying every header of every page showed up in the overhead benchmark.
            r.seen.headers = if status.is_success() {
                let mut kept = HeaderMap::new();
                if let Some(id) = response.headers().get(TRACKING_ID_HEADER) {
                    kept.insert(TRACKING_ID_HEADER, id.clone());
                }
                kept
            } else {
                response.headers().clone()
            };
        });
        let limit = state.max_response_bytes;
        Ok(crate::body::cap(response, limit, move |size| {
            tracing::warn!(operation, size, limit, "reply body over the cap; not reading it");
            with_record(|r| r.too_large = Some(size));
        }))
    }
}

impl ClientHooks<Transport> for generated::Client {
    async fn pre<E>(&self, request: &mut Request, info: &OperationInfo) -> Result<(), progenitor_client::Error<E>> {
        let state = &self.inner().0;
        if info.operation_id == OPERATION_MESSAGES {
            let prefix = format!("{}{MESSAGES_PATH}", state.base_path);
            if !crate::path::is_single_segment_below(request.url().path(), &prefix) {
                return Err(progenitor_client::Error::InvalidRequest(
                    "the session id does not name one path segment under /report/chat/sessions/".into(),
                ));
            }
        }
        if let Some(limiter) = &state.limiter {
            let grant = limiter.acquire().await;
            with_record(|r| r.grant = Some(grant));
        }
        // After the limiter: a wait there must not leave an old token in the request.
        match state.tokens.bearer().await {
            Ok(token) => {
                let mut value =
                    HeaderValue::from_str(&format!("Bearer {}", token.secret.expose_secret())).map_err(|_| {
                        progenitor_client::Error::Custom("the access token is not a valid header value".into())
                    })?;
                value.set_sensitive(true);
                request.headers_mut().insert(AUTHORIZATION, value);
                with_record(|r| r.token = Some(token));
                Ok(())
            }
            Err(error) => {
                let message = error.to_string();
                with_record(|r| r.auth_error = Some(error));
                Err(progenitor_client::Error::Custom(message))
            }
        }
    }

    async fn exec(&self, request: Request, info: &OperationInfo) -> reqwest::Result<Response> {
        self.inner().execute(self.client(), request, info.operation_id).await
    }
}
