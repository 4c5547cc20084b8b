//! Every request the generated client sends passes through here, by way of
//! progenitor's `ClientHooks`: `pre` adds the bearer token, `exec` applies
//! the shared rate limiter, retries transient failures and waits out 429s.
//!
//! `exec` can only return what reqwest returns, so what the handwritten layer
//! needs to know afterwards (attempts, the final status and headers, whether
//! a retry was cut short by the page token's life) is kept in a task-local
//! [`CallRecord`] that [`Transport::call`] sets up around each call.

use std::cell::RefCell;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{Request, Response, StatusCode};
use secrecy::ExposeSecret;
use tokio::time::Instant;
use tracing::Instrument;

use crate::auth::{BearerToken, TokenSource};
use crate::error::Error;
use crate::generated;
use crate::responses::TRACKING_ID_HEADER;
use crate::retry::{RateLimitHint, RetryPolicy};
use crate::runtime::{Clock, Sleep};

/// Counters of what the transport did, for summaries and benchmarks.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub requests: AtomicU64,
    pub retries: AtomicU64,
    pub rate_limited: AtomicU64,
}

/// What the transport has done so far, from [`crate::Client::stats`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TransportStats {
    /// HTTP requests sent to the API (token requests not included).
    pub requests: u64,
    /// Requests that were sends of a request already sent once.
    pub retries: u64,
    /// 429 answers received.
    pub rate_limited: u64,
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
    pub limiter: Option<DefaultDirectRateLimiter>,
    pub sleep: Arc<dyn Sleep>,
    pub clock: Arc<dyn Clock>,
    pub counters: Counters,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("tokens", &self.0.tokens)
            .field("retry", &self.0.retry)
            .field("rate_limited", &self.0.limiter.is_some())
            .finish_non_exhaustive()
    }
}

/// What happened during one call, read back after the generated code returns.
#[derive(Debug, Default)]
pub(crate) struct CallRecord {
    /// The page token's end of life: retries must not wait past it.
    pub page_token_deadline: Option<Instant>,
    /// Sends of this call before this turn of `call`'s loop, so that a call
    /// resent for a body cut short keeps counting against one retry budget.
    pub earlier_attempts: u32,
    pub attempts: u32,
    pub status: Option<StatusCode>,
    pub headers: HeaderMap,
    /// A retry was given up because its wait would outlive the page token.
    pub token_deadline_hit: bool,
    /// Getting a token failed in `pre`; progenitor only carries a string, so the typed error waits here.
    pub auth_error: Option<Error>,
    /// The token the request was sent with, to invalidate on a 401.
    pub token: Option<BearerToken>,
}

tokio::task_local! {
    static CALL: RefCell<CallRecord>;
}

fn with_record(f: impl FnOnce(&mut CallRecord)) {
    // Outside `Transport::call` (a caller using the generated client directly) there is no record to keep.
    let _ = CALL.try_with(|record| f(&mut record.borrow_mut()));
}

/// Builds the rate limiter for `per_second` requests a second, none for `None`.
pub(crate) fn rate_limiter(per_second: Option<NonZeroU32>) -> Option<DefaultDirectRateLimiter> {
    // A burst of one spreads requests evenly: Zoom counts per second, and a
    // burst at a second's edge can exceed it even when the average does not.
    per_second.map(|rate| RateLimiter::direct(Quota::per_second(rate).allow_burst(NonZeroU32::MIN)))
}

impl Transport {
    pub(crate) fn new(state: TransportState) -> Self {
        Self(Arc::new(state))
    }

    pub(crate) fn stats(&self) -> TransportStats {
        let c = &self.0.counters;
        TransportStats {
            requests: c.requests.load(Ordering::Relaxed),
            retries: c.retries.load(Ordering::Relaxed),
            rate_limited: c.rate_limited.load(Ordering::Relaxed),
            token_requests: self.0.tokens.token_requests(),
        }
    }

    /// Runs one generated call with a fresh [`CallRecord`], and refreshes the
    /// token once and retries once when Zoom says it is invalid (401, code 124).
    pub(crate) async fn call<T, F, Fut>(
        &self,
        operation: &'static str,
        page_token_deadline: Option<Instant>,
        send: F,
    ) -> (
        Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<generated::types::ZoomError>>,
        CallRecord,
    )
    where
        F: Fn() -> Fut,
        Fut: Future<
            Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<generated::types::ZoomError>>,
        >,
    {
        let mut refreshed = false;
        // Sends across loop turns: a body cut short is retried here, by sending
        // the whole call again, because `exec` hands the body on unread.
        let mut attempts = 0;
        loop {
            let record = RefCell::new(CallRecord {
                page_token_deadline,
                earlier_attempts: attempts,
                ..CallRecord::default()
            });
            let (result, mut record) = CALL
                .scope(record, async {
                    let result = send().await;
                    (result, CALL.with(|r| std::mem::take(&mut *r.borrow_mut())))
                })
                .instrument(tracing::debug_span!("zoom_call", operation))
                .await;
            // `exec` counts on from `earlier_attempts`; no send at all (a failed token) leaves it as it was.
            attempts = record.attempts.max(attempts);
            record.attempts = attempts;
            let rejected_token = record.status == Some(StatusCode::UNAUTHORIZED) && is_invalid_token(&result);
            if rejected_token && !refreshed && self.0.tokens.can_refresh() {
                if let Some(token) = &record.token {
                    self.0.tokens.invalidate(token).await;
                }
                tracing::info!(operation, "access token rejected (code 124); refreshing once");
                refreshed = true;
                continue;
            }
            if let Err(progenitor_client::Error::ResponseBodyError(error)) = &result
                && attempts < self.0.retry.max_attempts
            {
                let wait = self.0.retry.backoff(attempts);
                if outlives(page_token_deadline, wait) {
                    record.token_deadline_hit = true;
                    return (result, record);
                }
                tracing::debug!(operation, attempt = attempts, wait_ms = wait.as_millis() as u64, error = %error, "body cut short; retrying");
                self.0.counters.retries.fetch_add(1, Ordering::Relaxed);
                self.0.sleep.sleep(wait).await;
                continue;
            }
            return (result, record);
        }
    }

    async fn execute(
        &self,
        http: &reqwest::Client,
        request: Request,
        operation: &'static str,
    ) -> reqwest::Result<Response> {
        let state = &self.0;
        let deadline = CALL.try_with(|r| r.borrow().page_token_deadline).ok().flatten();
        if request.try_clone().is_none() {
            // Only a streaming body cannot be cloned; these GETs have none. Send it once.
            state.counters.requests.fetch_add(1, Ordering::Relaxed);
            with_record(|r| r.attempts = r.earlier_attempts + 1);
            return http.execute(request).await;
        }
        let mut attempt: u32 = CALL.try_with(|r| r.borrow().earlier_attempts).unwrap_or(0);
        loop {
            attempt += 1;
            if let Some(limiter) = &state.limiter {
                limiter.until_ready().await;
            }
            let this_try = request.try_clone().expect("cloneable: checked before the loop");
            state.counters.requests.fetch_add(1, Ordering::Relaxed);
            if attempt > 1 {
                state.counters.retries.fetch_add(1, Ordering::Relaxed);
            }
            let started = Instant::now();
            // The body is left for the generated code to read: buffering it here
            // cost 5% of throughput (BENCHMARKS.md). A body cut short is retried by `call`.
            let outcome = http.execute(this_try).await;
            with_record(|r| r.attempts = attempt);

            let wait = match &outcome {
                Ok(response) => {
                    let status = response.status();
                    tracing::debug!(
                        operation,
                        attempt,
                        status = status.as_u16(),
                        elapsed_ms = started.elapsed().as_millis() as u64,
                        "response"
                    );
                    with_record(|r| {
                        r.status = Some(status);
                        // A success only needs its tracking id kept (for a decode
                        // error); copying every header of every page showed up in the
                        // overhead benchmark.
                        r.headers = if status.is_success() {
                            let mut kept = HeaderMap::new();
                            if let Some(id) = response.headers().get(TRACKING_ID_HEADER) {
                                kept.insert(TRACKING_ID_HEADER, id.clone());
                            }
                            kept
                        } else {
                            response.headers().clone()
                        };
                    });
                    if status == StatusCode::TOO_MANY_REQUESTS {
                        state.counters.rate_limited.fetch_add(1, Ordering::Relaxed);
                        let hint = RateLimitHint::from_headers(response.headers(), state.clock.now());
                        if hint.daily {
                            None
                        } else {
                            match hint.wait {
                                Some(wait) if wait > state.retry.max_rate_limit_wait => None,
                                // `Retry-After: 0`, or a time already past on a skewed clock,
                                // must not turn the retries into a burst.
                                Some(wait) => Some(wait.max(state.retry.initial_backoff)),
                                None => Some(state.retry.backoff(attempt)),
                            }
                        }
                    } else if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
                        Some(state.retry.backoff(attempt))
                    } else {
                        None
                    }
                }
                Err(error) => {
                    tracing::debug!(operation, attempt, error = %error, "request failed");
                    is_transient(error).then(|| state.retry.backoff(attempt))
                }
            };

            let Some(wait) = wait else { return outcome };
            if attempt >= state.retry.max_attempts {
                return outcome;
            }
            if outlives(deadline, wait) {
                tracing::debug!(
                    operation,
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    "retry would outlive the page token"
                );
                with_record(|r| r.token_deadline_hit = true);
                return outcome;
            }
            tracing::debug!(operation, attempt, wait_ms = wait.as_millis() as u64, "retrying");
            state.sleep.sleep(wait).await;
        }
    }
}

fn is_invalid_token<T>(result: &Result<T, progenitor_client::Error<generated::types::ZoomError>>) -> bool {
    match result {
        Err(progenitor_client::Error::ErrorResponse(value)) => {
            value.code == Some(crate::error::ZOOM_CODE_INVALID_ACCESS_TOKEN)
        }
        // 401 is not documented in every export, so it may arrive unparsed; a
        // 401 from Zoom without code 124 is still worth one refresh.
        Err(progenitor_client::Error::UnexpectedResponse(_)) => true,
        _ => false,
    }
}

/// Connection failures, timeouts and bodies cut short. A request that could
/// not even be built (a bad URL) is not transient.
fn is_transient(error: &reqwest::Error) -> bool {
    error.is_connect() || error.is_timeout() || error.is_request() || error.is_body() || error.is_decode()
}

impl ClientHooks<Transport> for generated::Client {
    async fn pre<E>(&self, request: &mut Request, _info: &OperationInfo) -> Result<(), progenitor_client::Error<E>> {
        match self.inner().0.tokens.bearer().await {
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

/// Whether waiting `wait` before a retry would take it past the page token's deadline.
fn outlives(deadline: Option<Instant>, wait: Duration) -> bool {
    deadline.is_some_and(|d| Instant::now() + wait >= d)
}

/// How long a page token is good for, less a margin for the request itself.
pub(crate) fn page_token_deadline(received: Instant, lifetime: Duration) -> Instant {
    received + lifetime.mul_f64(0.9)
}
