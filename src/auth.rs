//! Credentials and access tokens.
//!
//! Server-to-Server OAuth tokens last about an hour, and Zoom may invalidate
//! the old token when it issues a new one. So the token is cached, refreshed
//! near the end of its life (when the smaller of 5 minutes and a tenth of it
//! remains), and refreshed by exactly one flight however many calls need it at
//! once: parallel refreshes would invalidate each other. A flight retries the
//! endpoint's transient failures with backoff; callers who waited for a flight
//! that failed share its error instead of each trying again.
//!
//! Two processes with the same app (replicas of one service) take each
//! other's token away with every refresh. A token refused long before it was
//! due to expire is the sign; after two in a row, each refresh first waits a
//! growing, jittered delay, so the processes take turns instead of
//! invalidating each other in a tight loop.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::body::{MAX_TOKEN_RESPONSE_BYTES, read_limited};
use crate::decision::{Attempt, Decision, Observed, TokenState, decide};
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::runtime::{Clock, Sleep, saturating_add};
use crate::zoom::ACCESS_TOKEN_LIFETIME;

/// How the client proves who it is.
#[derive(Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// A bearer token obtained elsewhere. It is never refreshed.
    AccessToken(SecretString),
    /// A Server-to-Server OAuth app's account id, client id and client secret.
    ServerToServer {
        /// The Zoom account id.
        account_id: String,
        /// The app's client id.
        client_id: String,
        /// The app's client secret.
        client_secret: SecretString,
    },
}

impl Credentials {
    /// A static bearer token.
    pub fn access_token(token: impl Into<String>) -> Self {
        Credentials::AccessToken(SecretString::from(token.into()))
    }

    /// Server-to-Server OAuth credentials.
    pub fn server_to_server(
        account_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        Credentials::ServerToServer {
            account_id: account_id.into(),
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
        }
    }

    /// Reads `ZOOM_ACCOUNT_ID`, `ZOOM_CLIENT_ID` and `ZOOM_CLIENT_SECRET`, or
    /// else `ZOOM_ACCESS_TOKEN`. `Ok(None)` when none is set; an error when
    /// the OAuth set is only partly there, which is always a mistake.
    pub fn from_env() -> Result<Option<Self>, Error> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, Error> {
        let names = ["ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"];
        let values: Vec<Option<String>> = names.iter().map(|n| lookup(n)).collect();
        match (&values[0], &values[1], &values[2]) {
            (Some(account), Some(client), Some(secret)) => {
                return Ok(Some(Self::server_to_server(account, client, secret.clone())));
            }
            (None, None, None) => {}
            _ => {
                let missing: Vec<&str> = names
                    .iter()
                    .zip(&values)
                    .filter(|(_, v)| v.is_none())
                    .map(|(n, _)| *n)
                    .collect();
                return Err(Error::Auth {
                    message: format!(
                        "Server-to-Server OAuth needs all of ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET; missing {}",
                        missing.join(", ")
                    ),
                    status: None,
                });
            }
        }
        Ok(lookup("ZOOM_ACCESS_TOKEN").map(Self::access_token))
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::AccessToken(_) => f.write_str("AccessToken([REDACTED])"),
            Credentials::ServerToServer {
                account_id, client_id, ..
            } => f
                .debug_struct("ServerToServer")
                .field("account_id", account_id)
                .field("client_id", client_id)
                .field("client_secret", &"[REDACTED]")
                .finish(),
        }
    }
}

/// A bearer token and which refresh produced it, so that a 401 invalidates
/// only the token it was sent with, not one a concurrent caller just fetched.
#[derive(Clone, Debug)]
pub(crate) struct BearerToken {
    pub secret: SecretString,
    pub generation: u64,
}

/// Token lives shorter than this are scheduled as if they were this long, with
/// a warning: `expires_in: 0` must not make every call fetch a new token. A
/// token that really dies sooner is replaced when Zoom refuses it.
pub(crate) const MIN_SCHEDULED_TOKEN_LIFETIME: Duration = Duration::from_secs(30);

/// The longest token life believed, whatever the endpoint says: one day.
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// When to replace a token that lives `lifetime`: once the smaller of
/// `margin` and a tenth of its (floored) life remains. Returns how long after
/// issue to refresh it.
pub(crate) fn refresh_after(lifetime: Duration, margin: Duration) -> Duration {
    let scheduled = lifetime.max(MIN_SCHEDULED_TOKEN_LIFETIME);
    scheduled.saturating_sub(margin.min(scheduled / 10))
}

struct CachedToken {
    token: BearerToken,
    refresh_after: Instant,
    /// When Zoom said it expires; until then it is a fallback if a refresh fails.
    expires_at: Instant,
    /// How much of its life was left when Zoom refused it still counts as "early".
    early_slack: Duration,
    /// Zoom refused it: never hand it out again.
    rejected: bool,
}

/// What the token endpoint last said, kept so that callers who waited for a
/// refresh that failed get its answer instead of each trying again.
struct Failure {
    flight: u64,
    message: String,
    status: Option<reqwest::StatusCode>,
}

#[derive(Default)]
struct State {
    cached: Option<CachedToken>,
    /// Of the newest token this process has.
    generation: u64,
    /// Refresh flights finished, successful or not.
    flights: u64,
    last_failure: Option<Failure>,
    /// No new flight before this, after one failed.
    not_before: Option<Instant>,
    /// Tokens refused in a row long before they were due to expire: another
    /// process with the same app is refreshing too (each new token invalidates
    /// the previous one).
    early_rejections: u32,
}

/// What a token source needs besides the credentials.
pub(crate) struct TokenConfig {
    pub http: reqwest::Client,
    pub token_url: String,
    pub refresh_margin: Duration,
    pub retry: RetryPolicy,
    pub sleep: Arc<dyn Sleep>,
    pub clock: Arc<dyn Clock>,
}

/// Hands out bearer tokens: the static one, or cached OAuth tokens.
pub(crate) struct TokenSource {
    credentials: Credentials,
    config: TokenConfig,
    state: std::sync::Mutex<State>,
    /// Held for a refresh flight, so that concurrent callers wait for one refresh.
    refreshing: Mutex<()>,
    token_requests: AtomicU64,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("credentials", &self.credentials)
            .field("token_url", &self.config.token_url)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl TokenSource {
    pub fn new(credentials: Credentials, config: TokenConfig) -> Arc<Self> {
        Arc::new(Self {
            credentials,
            config,
            state: std::sync::Mutex::default(),
            refreshing: Mutex::new(()),
            token_requests: AtomicU64::new(0),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a few plain values that no panic leaves half-written.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How many times the token endpoint was called.
    pub fn token_requests(&self) -> u64 {
        self.token_requests.load(Ordering::Relaxed)
    }

    /// Whether `token` is this process's newest, stale, or a static token.
    pub fn state_of(&self, token: Option<&BearerToken>) -> TokenState {
        match (token, &self.credentials) {
            (_, Credentials::AccessToken(_)) | (None, _) => TokenState::Fixed,
            (Some(token), _) if token.generation < self.state().generation => TokenState::Stale,
            (Some(_), _) => TokenState::Current,
        }
    }

    /// The cached token, if it is not refused and `good_until` of it is still ahead.
    fn cached_until(&self, good_until: fn(&CachedToken) -> Instant) -> Option<BearerToken> {
        let state = self.state();
        state
            .cached
            .as_ref()
            .filter(|c| !c.rejected && Instant::now() < good_until(c))
            .map(|c| c.token.clone())
    }

    /// A token to send now.
    pub async fn bearer(&self) -> Result<BearerToken, Error> {
        if let Credentials::AccessToken(secret) = &self.credentials {
            return Ok(BearerToken {
                secret: secret.clone(),
                generation: 0,
            });
        }
        if let Some(token) = self.cached_until(|c| c.refresh_after) {
            return Ok(token);
        }
        let flights_before = self.state().flights;
        let _flight = self.refreshing.lock().await;
        // Whoever held the lock before us may have refreshed already.
        if let Some(token) = self.cached_until(|c| c.refresh_after) {
            return Ok(token);
        }
        if let Some(error) = self.recent_failure(flights_before) {
            // The flight we waited for failed, or one failed a moment ago:
            // its answer stands until the backoff is over.
            return self.fallback(error);
        }
        let delay = self.turn_delay();
        if !delay.is_zero() {
            tracing::warn!(
                delay_ms = delay.as_millis() as u64,
                "access tokens are refused soon after they are issued, as when another process refreshes the same app; waiting before refreshing"
            );
            self.config.sleep.sleep(delay).await;
        }
        match self.fetch().await {
            Ok((secret, lifetime)) => Ok(self.install(secret, lifetime)),
            Err(error) => {
                let mut state = self.state();
                state.flights += 1;
                let (message, status) = match &error {
                    Error::Auth { message, status } => (message.clone(), *status),
                    other => (other.to_string(), None),
                };
                state.last_failure = Some(Failure {
                    flight: state.flights,
                    message,
                    status,
                });
                // The next backoff the flight would have waited, in full.
                let cooldown = self.config.retry.backoff_bound(self.config.retry.max_attempts);
                state.not_before = Some(saturating_add(Instant::now(), cooldown));
                drop(state);
                self.fallback(error)
            }
        }
    }

    /// The error of a refresh that failed since `flights_before`, or within its backoff.
    fn recent_failure(&self, flights_before: u64) -> Option<Error> {
        let state = self.state();
        let failure = state.last_failure.as_ref()?;
        let shared = state.flights != flights_before && failure.flight == state.flights;
        let cooling = state.not_before.is_some_and(|t| Instant::now() < t);
        (shared || cooling).then(|| Error::Auth {
            message: failure.message.clone(),
            status: failure.status,
        })
    }

    /// Refreshing early is a precaution: a token endpoint that fails does not
    /// stop calls while the old token is still valid and not refused.
    fn fallback(&self, error: Error) -> Result<BearerToken, Error> {
        match self.cached_until(|c| c.expires_at) {
            Some(token) => {
                tracing::warn!(error = %error, "token refresh failed; using the current token until it expires");
                Ok(token)
            }
            None => Err(error),
        }
    }

    fn install(&self, secret: SecretString, lifetime: Duration) -> BearerToken {
        if lifetime < MIN_SCHEDULED_TOKEN_LIFETIME {
            tracing::warn!(
                expires_in_secs = lifetime.as_secs(),
                floor_secs = MIN_SCHEDULED_TOKEN_LIFETIME.as_secs(),
                "the token endpoint gave a very short token life; scheduling refreshes as if it were the floor"
            );
        }
        let now = Instant::now();
        let mut state = self.state();
        if state.cached.as_ref().is_some_and(|c| !c.rejected) {
            // Refreshed on schedule, not because Zoom refused it: no contention.
            state.early_rejections = 0;
        }
        state.generation += 1;
        state.flights += 1;
        state.last_failure = None;
        state.not_before = None;
        let token = BearerToken {
            secret,
            generation: state.generation,
        };
        state.cached = Some(CachedToken {
            token: token.clone(),
            refresh_after: saturating_add(now, refresh_after(lifetime, self.config.refresh_margin)),
            expires_at: saturating_add(now, lifetime),
            early_slack: (lifetime / 10).max(Duration::from_secs(1)),
            rejected: false,
        });
        token
    }

    /// Zoom refused `token` (401). If it is still the cached one, it is never
    /// handed out again, and the next caller refreshes.
    pub fn reject(&self, token: &BearerToken) {
        let mut state = self.state();
        let State {
            cached,
            early_rejections,
            ..
        } = &mut *state;
        let Some(cached) = cached
            .as_mut()
            .filter(|c| c.token.generation == token.generation && !c.rejected)
        else {
            return;
        };
        cached.rejected = true;
        let early = saturating_add(Instant::now(), cached.early_slack) < cached.expires_at;
        *early_rejections = if early { early_rejections.saturating_add(1) } else { 0 };
    }

    /// How long to wait before a refresh. Zero, unless tokens keep being
    /// refused long before they expire: then another process is taking turns
    /// with this one, and refreshing at once would only take its token away
    /// and have it take ours back. A growing wait, with jitter, lets each run
    /// for a while.
    fn turn_delay(&self) -> Duration {
        let early = self.state().early_rejections;
        if early < 2 {
            return Duration::ZERO;
        }
        let bound = self.config.retry.backoff_bound(early - 1);
        bound / 2 + (bound / 2).mul_f64(fastrand::f64())
    }

    /// Gets a new token, retrying the endpoint's transient failures with
    /// backoff under the client's retry policy.
    async fn fetch(&self) -> Result<(SecretString, Duration), Error> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let failure = match self.fetch_once().await {
                Ok(fetched) => return Ok(fetched),
                Err(failure) => failure,
            };
            let headers = failure.headers.clone().unwrap_or_default();
            let observed = match failure.status {
                Some(status) => Observed::Response {
                    status,
                    headers: &headers,
                    zoom_code: None,
                    message: Some(failure.error_message()),
                },
                None => Observed::Transport {
                    transient: failure.transient,
                },
            };
            let decision = decide(
                &Attempt {
                    observed,
                    token: TokenState::Fixed,
                    attempt,
                    rejections: 0,
                    stale_resends: 0,
                    page_token_left: None,
                    throttles: 0,
                    throttled_for: Duration::ZERO,
                    jitter: fastrand::f64(),
                },
                &self.config.retry,
                self.config.clock.now(),
            );
            match decision {
                // The token endpoint has its own limit, not the account's
                // shared one, and every attempt at it counts.
                Decision::RetryAfter(wait) | Decision::Throttled { wait, .. } => {
                    tracing::debug!(
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        "token request failed; retrying"
                    );
                    self.config.sleep.sleep(wait).await;
                }
                _ => return Err(failure.error),
            }
        }
    }

    async fn fetch_once(&self) -> Result<(SecretString, Duration), FetchFailure> {
        let Credentials::ServerToServer {
            account_id,
            client_id,
            client_secret,
        } = &self.credentials
        else {
            unreachable!("static tokens return before fetching")
        };
        self.token_requests.fetch_add(1, Ordering::Relaxed);
        let failure = |message: String, status, headers, transient| FetchFailure {
            error: Error::Auth { message, status },
            status,
            headers,
            transient,
        };
        let response = self
            .config
            .http
            .post(&self.config.token_url)
            .query(&[
                ("grant_type", "account_credentials"),
                ("account_id", account_id.as_str()),
            ])
            .basic_auth(client_id, Some(client_secret.expose_secret()))
            .send()
            .await
            // reqwest's message names the URL, never the Basic credentials.
            .map_err(|e| {
                failure(
                    format!("cannot reach the token endpoint: {}", crate::error::with_causes(&e)),
                    None,
                    None,
                    crate::decision::is_transient_error(&e),
                )
            })?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = match read_limited(response, MAX_TOKEN_RESPONSE_BYTES).await {
            Ok(Ok(body)) => body,
            Ok(Err(size)) => {
                return Err(failure(
                    format!("the token response is larger than {MAX_TOKEN_RESPONSE_BYTES} bytes ({size} bytes)"),
                    Some(status),
                    None,
                    false,
                ));
            }
            Err(e) => {
                // A body cut short: transient, like a reset.
                return Err(failure(
                    format!("cannot read the token response: {e}"),
                    None,
                    None,
                    true,
                ));
            }
        };
        if !status.is_success() {
            let reason = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| {
                    v.get("reason")
                        .or_else(|| v.get("message"))
                        .and_then(|m| m.as_str())
                        .map(str::to_string)
                })
                .unwrap_or_else(|| "no reason given".into());
            return Err(failure(
                format!("the token endpoint answered HTTP {}: {reason}", status.as_u16()),
                Some(status),
                Some(headers),
                false,
            ));
        }
        let token: TokenResponse = serde_json::from_slice(&body).map_err(|e| {
            failure(
                format!(
                    "the token response has no usable access_token (at line {}, column {})",
                    e.line(),
                    e.column()
                ),
                None,
                None,
                false,
            )
        })?;
        // A larger value from a broken endpoint must not overflow `Instant` arithmetic.
        let lifetime = token
            .expires_in
            .map_or(ACCESS_TOKEN_LIFETIME, Duration::from_secs)
            .min(MAX_TOKEN_LIFETIME);
        Ok((SecretString::from(token.access_token), lifetime))
    }
}

/// One failed token request, with what the retry rule needs to judge it.
struct FetchFailure {
    error: Error,
    /// The endpoint's status, when it answered.
    status: Option<reqwest::StatusCode>,
    headers: Option<reqwest::header::HeaderMap>,
    /// For failures without an answer: worth another try.
    transient: bool,
}

impl FetchFailure {
    fn error_message(&self) -> &str {
        match &self.error {
            Error::Auth { message, .. } => message,
            _ => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_selection() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
        };
        assert!(Credentials::from_lookup(env(&[])).unwrap().is_none());
        assert!(matches!(
            Credentials::from_lookup(env(&[("ZOOM_ACCESS_TOKEN", "t")])).unwrap(),
            Some(Credentials::AccessToken(_))
        ));
        assert!(matches!(
            Credentials::from_lookup(env(&[
                ("ZOOM_ACCOUNT_ID", "a"),
                ("ZOOM_CLIENT_ID", "c"),
                ("ZOOM_CLIENT_SECRET", "s"),
                ("ZOOM_ACCESS_TOKEN", "t")
            ]))
            .unwrap(),
            Some(Credentials::ServerToServer { .. })
        ));
        let partial = Credentials::from_lookup(env(&[("ZOOM_ACCOUNT_ID", "a")]))
            .unwrap_err()
            .to_string();
        assert!(partial.contains("ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET"), "{partial}");
    }

    #[test]
    fn debug_redacts() {
        let debug = format!(
            "{:?}",
            Credentials::server_to_server("acct", "client", "hunter2-secret")
        );
        assert!(!debug.contains("hunter2"), "{debug}");
        let debug = format!("{:?}", Credentials::access_token("tok-secret-123"));
        assert!(!debug.contains("tok-secret-123"), "{debug}");
    }

    #[test]
    fn refresh_comes_near_the_end_of_the_life() {
        let min = |m: u64| Duration::from_secs(m * 60);
        let margin = min(5);
        // Zoom's hour: 5 minutes before the end.
        assert_eq!(
            refresh_after(Duration::from_secs(3599), margin),
            Duration::from_secs(3299)
        );
        // Ten minutes: a tenth of it, one minute, before the end.
        assert_eq!(refresh_after(min(10), margin), min(9));
        // A smaller margin wins.
        assert_eq!(
            refresh_after(min(60), Duration::from_secs(10)),
            Duration::from_secs(3590)
        );
        // Under the floor, scheduled as 30 s: refreshed at 27 s, not at once.
        for life in [0, 1, 4, 29] {
            assert_eq!(
                refresh_after(Duration::from_secs(life), margin),
                Duration::from_secs(27),
                "{life}"
            );
        }
        // No overflow for what a broken endpoint or a caller may say.
        assert_eq!(
            refresh_after(Duration::MAX, Duration::MAX),
            Duration::MAX - Duration::MAX / 10
        );
    }

    #[derive(Debug)]
    struct NoSleep;

    impl Sleep for NoSleep {
        fn sleep(&self, _: Duration) -> crate::runtime::SleepFuture {
            Box::pin(std::future::ready(()))
        }
    }

    /// A source whose token endpoint refuses connections (port 9 on loopback is closed).
    fn unreachable_source() -> Arc<TokenSource> {
        crate::tls::ensure_provider();
        TokenSource::new(
            Credentials::server_to_server("acct", "client", "secret"),
            TokenConfig {
                http: reqwest::Client::new(),
                token_url: "http://127.0.0.1:9/oauth/token".into(),
                refresh_margin: Duration::from_secs(300),
                retry: RetryPolicy::default().max_attempts(3),
                sleep: Arc::new(NoSleep),
                clock: Arc::new(crate::runtime::SystemClock),
            },
        )
    }

    /// Puts `tok-1` in the cache, due for refresh but valid for another minute.
    fn cache_due_token(source: &TokenSource) -> BearerToken {
        let token = source.install(SecretString::from("tok-1"), Duration::from_secs(3600));
        let mut state = source.state();
        let cached = state.cached.as_mut().unwrap();
        cached.refresh_after = Instant::now();
        cached.expires_at = Instant::now() + Duration::from_secs(60);
        token
    }

    #[tokio::test]
    async fn a_failed_early_refresh_keeps_using_the_valid_token() {
        let source = unreachable_source();
        cache_due_token(&source);
        let token = source.bearer().await.expect("falls back to the valid token");
        assert_eq!(token.secret.expose_secret(), "tok-1");
        // A connection refused is transient: retried under the policy, then given up.
        assert_eq!(source.token_requests(), 3);
        // Within the backoff after the failure, no new flight: the fallback again, at once.
        source.bearer().await.unwrap();
        assert_eq!(source.token_requests(), 3);
    }

    #[tokio::test]
    async fn a_refused_token_is_never_the_fallback() {
        let source = unreachable_source();
        let token = cache_due_token(&source);
        source.reject(&token);
        let error = source.bearer().await.unwrap_err();
        assert!(matches!(error, Error::Auth { status: None, .. }), "{error:?}");
        assert_eq!(source.token_requests(), 3);
    }

    #[test]
    fn tokens_refused_early_twice_in_a_row_make_refreshes_take_turns() {
        let source = unreachable_source();
        assert_eq!(source.turn_delay(), Duration::ZERO);
        let first = source.install(SecretString::from("tok-1"), Duration::from_secs(3600));
        source.reject(&first);
        // One early refusal (a revoked token, say) is refreshed at once.
        assert_eq!(source.turn_delay(), Duration::ZERO);
        let second = source.install(SecretString::from("tok-2"), Duration::from_secs(3600));
        assert_eq!(source.state_of(Some(&first)), TokenState::Stale);
        assert_eq!(source.state_of(Some(&second)), TokenState::Current);
        source.reject(&second);
        // Two: another process holds the app. Wait between half and all of a backoff.
        let delay = source.turn_delay();
        let bound = RetryPolicy::default().backoff_bound(1);
        assert!(delay >= bound / 2 && delay <= bound, "{delay:?}");
        // A token that lives to its end resets the count.
        let third = source.install(SecretString::from("tok-3"), Duration::from_secs(1));
        source.reject(&third);
        assert_eq!(source.turn_delay(), Duration::ZERO);
    }
}
