//! The fake Zoom's HTTP server, on axum: its behaviour needs state (page
//! tokens, access tokens, rate windows), which fixed mock replies cannot hold.

// The checks return the ready HTTP answer as their error; it is built once per
// refused request, so its size does not matter.
#![allow(clippy::result_large_err)]

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{Months, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::oneshot;

use super::dataset::{Dataset, mix};
use crate::auth::Credentials;
use crate::client::ClientBuilder;
use crate::include::Include;
use crate::pagination::MessageKind;
use crate::runtime::{Clock, FixedClock};
use crate::source::Source;
use crate::zoom::{MAX_MESSAGES_PAGE_SIZE, MAX_SESSIONS_PAGE_SIZE};

/// Page tokens kept at most; the oldest go first. Expired ones are dropped as new ones are issued.
const MAX_PAGE_TOKENS: usize = 100_000;
/// Requests kept in the log at most; the oldest go first.
pub const MAX_LOGGED_REQUESTS: usize = 100_000;

/// How a 429 says when to come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RetryAfterForm {
    /// `Retry-After: 1`.
    #[default]
    Seconds,
    /// `Retry-After: 2026-11-22T12:00:01Z`, Zoom's documented form, read from
    /// the fake's clock ([`FakeZoomConfig::clock`]), the one its clients get.
    Iso8601,
    /// No `Retry-After` at all, as happens in practice.
    Missing,
}

/// How one session's messages report fails, whatever is asked of it: Zoom
/// sometimes cannot serve one session while the rest of the account answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrokenSession {
    /// HTTP 500 on every request for its messages.
    ServerError,
    /// HTTP 404, code 3001 "Chat session does not exist.": the session was
    /// deleted after the sessions report listed it.
    Gone,
}

/// Faults injected by request number (1-based, API requests only): every
/// n-th request fails in the given way. Deterministic, so tests can count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    /// Answer HTTP 500, 502 and 503 in turn.
    pub server_error_every: Option<u64>,
    /// Close the connection without a complete answer.
    pub reset_every: Option<u64>,
    /// Send half the body of a correct answer.
    pub truncate_every: Option<u64>,
    /// Answer after a delay.
    pub slow_every: Option<(u64, Duration)>,
}

/// How the fake behaves. Start from [`FakeZoomConfig::default`] and change
/// what your test needs:
///
/// ```
/// use std::time::Duration;
/// use zoom_chat_reports::mock::FakeZoomConfig;
///
/// let config = FakeZoomConfig::default()
///     .per_second_limit(20)
///     .page_token_life(Duration::from_millis(200));
/// assert_eq!(config.per_second_limit, Some(20));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FakeZoomConfig {
    /// The data it serves.
    pub dataset: Dataset,
    /// The day it believes it is, for the six-month rule.
    pub today: NaiveDate,
    /// The clock its `Retry-After` dates are read from, and that
    /// [`FakeZoom::client_builder`] gives its clients. `None`: a clock stopped
    /// at noon of [`Self::today`], as [`FixedClock::on`] makes.
    pub clock: Option<Arc<dyn Clock>>,
    /// The account id, client id and secret its token endpoint accepts.
    pub oauth: (String, String, String),
    /// A static token the API also accepts, if any.
    pub static_token: Option<String>,
    /// How long access tokens from the token endpoint last.
    pub access_token_life: Duration,
    /// How long page tokens last (Zoom: 15 minutes).
    pub page_token_life: Duration,
    /// Requests a second before it answers 429: the account's limit, which
    /// may be lower than the plan's that a client assumes.
    pub per_second_limit: Option<u32>,
    /// Report scopes the app lacks: requests that need one are answered 400
    /// with Zoom's code 4700, as Zoom does (see [`SESSIONS_SCOPE`](crate::SESSIONS_SCOPE) and
    /// [`MESSAGES_SCOPE`](crate::MESSAGES_SCOPE)).
    pub missing_scopes: Vec<String>,
    /// Other apps on the same account, using part of
    /// [`Self::per_second_limit`]: from each offset after the fake starts,
    /// they take this many of every second's requests, until the next entry.
    /// Zoom's limits are per account, so every app's calls count together.
    pub other_apps_load: Vec<(Duration, u32)>,
    /// How its 429s say when to retry.
    pub retry_after: RetryAfterForm,
    /// API requests a day before it answers the daily 429.
    pub daily_limit: Option<u64>,
    /// Injected faults.
    pub faults: Faults,
    /// Sessions, by id, whose messages report fails (see
    /// [`FakeZoom::break_session`] and [`FakeZoom::heal_session`] to change
    /// them while it runs). The sessions report still lists them.
    pub broken_sessions: HashMap<String, BrokenSession>,
    /// The files it serves for messages' `download_url`s.
    pub files: FakeFiles,
    /// Reveal records as the clock passes them, as Zoom does: a message once
    /// sent, an edit or deletion once made, and the six-month rule from the
    /// clock's today. Off: everything in the dataset has happened. For tests
    /// that move the clock day by day, such as a daily sync.
    pub reveal_by_clock: bool,
    /// Say what people say: messages, group names and display names from
    /// [`VARIED_MESSAGES`](crate::mock::VARIED_MESSAGES) and
    /// [`VARIED_SESSION_NAMES`](crate::mock::VARIED_SESSION_NAMES), in
    /// several scripts and with hostile markup, formulas and header breaks,
    /// and one file in three a PNG image. Off: "Message 3 of session 1".
    /// Which records exist, their ids and times are the same either way.
    pub varied_texts: bool,
}

impl Default for FakeZoomConfig {
    fn default() -> Self {
        let today = Utc::now().date_naive();
        Self {
            dataset: Dataset::small(today),
            today,
            clock: None,
            oauth: ("fake-account".into(), "fake-client".into(), "fake-secret".into()),
            static_token: None,
            access_token_life: Duration::from_secs(3599),
            page_token_life: Duration::from_secs(15 * 60),
            per_second_limit: None,
            missing_scopes: Vec::new(),
            other_apps_load: Vec::new(),
            retry_after: RetryAfterForm::Seconds,
            daily_limit: None,
            faults: Faults::default(),
            broken_sessions: HashMap::new(),
            reveal_by_clock: false,
            varied_texts: false,
            files: FakeFiles::default(),
        }
    }
}

/// How the fake serves files. Every file of the dataset is downloadable from
/// the fake's own address, with the API's access token, at the
/// `download_url` its messages give; these make some of them go wrong, chosen
/// by a hash of the file id, so that every run picks the same ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FakeFiles {
    /// One file in this many answers 404, as for a file deleted since.
    pub missing_every: Option<u64>,
    /// One file in this many is served 7 bytes short of its `file_size`.
    pub short_every: Option<u64>,
    /// One file in this many answers 403, as for a link that expired.
    pub forbidden_every: Option<u64>,
    /// One file in this many answers a 302 to a signed URL of its own, which
    /// refuses a request that carries an access token, as file hosts do.
    pub redirect_every: Option<u64>,
    /// Every file this many bytes (and reported so in `file_size`), for
    /// benchmarks of large downloads; `None`: the dataset's small sizes.
    pub size: Option<u64>,
    /// Give files hostile names in turn: `../../etc/passwd`, a name with `/`
    /// and `\\`, a 4 KB name, and one with control characters.
    pub hostile_names: bool,
}

/// The hostile file names [`FakeFiles::hostile_names`] gives, in turn.
pub fn hostile_file_name(file_id: &str) -> String {
    match xxhash_rust::xxh3::xxh3_64(file_id.as_bytes()) % 4 {
        0 => "../../etc/passwd".to_string(),
        1 => "reports/2026\\q4/../plan.pdf".to_string(),
        2 => format!("{}.pdf", "a".repeat(4096)),
        _ => "bell\u{7}\u{0}new\nline.txt".to_string(),
    }
}

fn picked(file_id: &str, every: Option<u64>, salt: u64) -> bool {
    every.is_some_and(|n| n > 0 && mix(salt, xxhash_rust::xxh3::xxh3_64(file_id.as_bytes()), 3).is_multiple_of(n))
}

impl FakeZoomConfig {
    /// The data it serves.
    pub fn dataset(mut self, dataset: Dataset) -> Self {
        self.dataset = dataset;
        self
    }

    /// The day it believes it is, for the six-month rule and the daily quota's reset.
    pub fn today(mut self, today: NaiveDate) -> Self {
        self.today = today;
        self
    }

    /// The clock for its `Retry-After` dates and its clients; see [`Self::clock`](field@Self::clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// How it serves files; see [`FakeFiles`].
    pub fn files(mut self, files: FakeFiles) -> Self {
        self.files = files;
        self
    }

    /// Reveal records as the clock passes them; see [`Self::reveal_by_clock`](field@Self::reveal_by_clock).
    pub fn reveal_by_clock(mut self, reveal: bool) -> Self {
        self.reveal_by_clock = reveal;
        self
    }

    /// Varied and hostile texts, and images; see [`Self::varied_texts`](field@Self::varied_texts).
    pub fn varied_texts(mut self, varied: bool) -> Self {
        self.varied_texts = varied;
        self
    }

    /// The clock in effect: the one set, or noon of [`Self::today`](field@Self::today).
    pub fn effective_clock(&self) -> Arc<dyn Clock> {
        self.clock
            .clone()
            .unwrap_or_else(|| Arc::new(FixedClock::on(self.today)))
    }

    /// The account id, client id and secret its token endpoint accepts.
    pub fn oauth(
        mut self,
        account_id: impl Into<String>,
        client_id: impl Into<String>,
        secret: impl Into<String>,
    ) -> Self {
        self.oauth = (account_id.into(), client_id.into(), secret.into());
        self
    }

    /// A static token the API also accepts.
    pub fn static_token(mut self, token: impl Into<String>) -> Self {
        self.static_token = Some(token.into());
        self
    }

    /// How long access tokens from the token endpoint last.
    pub fn access_token_life(mut self, life: Duration) -> Self {
        self.access_token_life = life;
        self
    }

    /// How long page tokens last (Zoom: 15 minutes).
    pub fn page_token_life(mut self, life: Duration) -> Self {
        self.page_token_life = life;
        self
    }

    /// The app lacks `scope` ([`SESSIONS_SCOPE`](crate::SESSIONS_SCOPE) or [`MESSAGES_SCOPE`](crate::MESSAGES_SCOPE)): the
    /// report that needs it is refused with Zoom's code 4700.
    pub fn without_scope(mut self, scope: &str) -> Self {
        self.missing_scopes.push(scope.to_string());
        self
    }

    /// Requests a second before it answers 429; `None` for no limit.
    pub fn per_second_limit(mut self, limit: impl Into<Option<u32>>) -> Self {
        self.per_second_limit = limit.into();
        self
    }

    /// Other apps' share of the account's per-second limit over time: from
    /// each offset after the fake starts, they use this many of every
    /// second's requests. `[(0 s, 12), (10 s, 0)]`: 12 a second for ten
    /// seconds, then none.
    pub fn other_apps_load(mut self, load: impl Into<Vec<(Duration, u32)>>) -> Self {
        let mut load = load.into();
        load.sort_by_key(|(from, _)| *from);
        self.other_apps_load = load;
        self
    }

    /// How its 429s say when to retry.
    pub fn retry_after(mut self, form: RetryAfterForm) -> Self {
        self.retry_after = form;
        self
    }

    /// API requests a day before it answers the daily 429; `None` for no quota.
    pub fn daily_limit(mut self, limit: impl Into<Option<u64>>) -> Self {
        self.daily_limit = limit.into();
        self
    }

    /// Injected faults.
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Makes the messages report of session `id` fail in the given way.
    pub fn broken_session(mut self, id: impl Into<String>, how: BrokenSession) -> Self {
        self.broken_sessions.insert(id.into(), how);
        self
    }
}

/// What the fake has seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FakeZoomCounters {
    /// API requests (token requests not included).
    pub requests: u64,
    /// 429 answers.
    pub rate_limited: u64,
    /// Injected faults.
    pub faults: u64,
    /// Requests that broke Zoom's rules: a page size over the maximum, a
    /// token reused with a different query, a range Zoom refuses.
    pub protocol_violations: u64,
    /// Requests to the token endpoint.
    pub token_requests: u64,
    /// Requests refused for a missing, unknown or expired access token.
    pub unauthorized: u64,
}

/// One request as the fake saw it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LoggedRequest {
    /// The path.
    pub path: String,
    /// The query string, as sent.
    pub query: String,
    /// The status it answered.
    pub status: u16,
    /// When it arrived.
    pub at: Instant,
}

/// The live page tokens, and the order they were issued in, for pruning.
#[derive(Default)]
struct PageTokens {
    by_name: HashMap<String, PageToken>,
    issued: VecDeque<String>,
}

impl PageTokens {
    /// Adds a token, dropping expired ones and, past the cap, the oldest.
    fn insert(&mut self, name: String, token: PageToken, life: Duration) {
        while let Some(oldest) = self.issued.front() {
            let expired = self.by_name.get(oldest).is_none_or(|t| t.issued.elapsed() > life);
            if !expired && self.issued.len() < MAX_PAGE_TOKENS {
                break;
            }
            if let Some(oldest) = self.issued.pop_front() {
                self.by_name.remove(&oldest);
            }
        }
        self.issued.push_back(name.clone());
        self.by_name.insert(name, token);
    }
}

struct PageToken {
    /// The path and every query parameter but the token: a follow-up must repeat them.
    fingerprint: String,
    offset: usize,
    issued: Instant,
}

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    rate_limited: AtomicU64,
    faults: AtomicU64,
    protocol_violations: AtomicU64,
    token_requests: AtomicU64,
    unauthorized: AtomicU64,
}

/// An expiry for a configured life too long to add to `Instant`: never, in practice.
fn far_future() -> Instant {
    let now = Instant::now();
    now.checked_add(Duration::from_secs(30 * 365 * 86_400)).unwrap_or(now)
}

struct Shared {
    config: FakeZoomConfig,
    /// `http://127.0.0.1:PORT`, where its files are downloaded from.
    origin: String,
    /// The clock of its `Retry-After` dates, the one its clients get.
    clock: Arc<dyn Clock>,
    page_tokens: Mutex<PageTokens>,
    /// The valid access tokens and when they expire; a new one replaces the old, as at Zoom.
    access_token: Mutex<Option<(String, Instant)>>,
    /// The current one-second window and the requests in it.
    rate_window: Mutex<(Instant, u32)>,
    /// When it started, for [`FakeZoomConfig::other_apps_load`].
    started: Instant,
    counters: Counters,
    /// API requests counted against the daily quota since the last reset.
    daily_used: AtomicU64,
    log: Mutex<VecDeque<LoggedRequest>>,
    next_id: AtomicU64,
    /// [`FakeZoomConfig::broken_sessions`], as changed since.
    broken: Mutex<HashMap<String, BrokenSession>>,
}

/// A running fake Zoom. Stops when it and every client built from its
/// [`FakeZoom::client_builder`] are dropped.
pub struct FakeZoom {
    address: SocketAddr,
    shared: Arc<Shared>,
    /// Shared with every client built from [`FakeZoom::client_builder`]: the
    /// server stops when the last of them is dropped.
    running: Arc<Running>,
}

/// The running server: stopped when dropped.
struct Running(Option<oneshot::Sender<()>>);

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.0.take() {
            let _ = stop.send(());
        }
    }
}

impl std::fmt::Debug for FakeZoom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeZoom")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl FakeZoom {
    /// Starts the fake on a free loopback port.
    pub async fn start(config: FakeZoomConfig) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared {
            origin: format!("http://{address}"),
            clock: config.effective_clock(),
            broken: Mutex::new(config.broken_sessions.clone()),
            config,
            page_tokens: Mutex::default(),
            access_token: Mutex::default(),
            // Already over, so that the first request opens a window with other apps' load in it.
            rate_window: Mutex::new((
                Instant::now()
                    .checked_sub(Duration::from_secs(1))
                    .unwrap_or_else(Instant::now),
                0,
            )),
            started: Instant::now(),
            counters: Counters::default(),
            daily_used: AtomicU64::new(0),
            log: Mutex::default(),
            next_id: AtomicU64::new(1),
        });
        let app = Router::new()
            .route("/v2/report/chat/sessions", get(sessions))
            .route("/v2/report/chat/sessions/{session_id}", get(messages))
            .route("/oauth/token", post(token))
            .route("/file/download/{file_id}", get(download))
            .route("/file/signed/{file_id}", get(signed_download))
            .with_state(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Self {
            address,
            shared,
            running: Arc::new(Running(Some(stop))),
        })
    }

    /// The API base URL: plain http on loopback, like `http://127.0.0.1:41234/v2`,
    /// which [`crate::ClientBuilder::build`] allows for loopback hosts only.
    pub fn base_url(&self) -> String {
        format!("http://{}/v2", self.address)
    }

    /// The OAuth token URL: plain http on loopback, like `http://127.0.0.1:41234/oauth/token`.
    pub fn oauth_url(&self) -> String {
        format!("http://{}/oauth/token", self.address)
    }

    /// The dataset it serves.
    pub fn dataset(&self) -> &Dataset {
        &self.shared.config.dataset
    }

    /// A client builder pointed at the fake, with its OAuth credentials, its
    /// idea of today, and its per-second limit as the client's rate
    /// ([`FakeZoomConfig::per_second_limit`]; none, for a fake without one),
    /// as a client told the account's plan would have.
    ///
    /// A client built from it keeps the fake running as long as the client
    /// lives, even when the `FakeZoom` itself is dropped first, so that
    /// `FakeZoom::start(config).await?.client_builder().build()?` works.
    pub fn client_builder(&self) -> ClientBuilder {
        let (account, client, secret) = self.shared.config.oauth.clone();
        let rate = self.shared.config.per_second_limit.and_then(std::num::NonZeroU32::new);
        ClientBuilder::default()
            .requests_per_second(rate)
            .keeps_alive(self.running.clone())
            .base_url(self.base_url())
            .oauth_url(self.oauth_url())
            .credentials(Credentials::server_to_server(account, client, secret))
            .clock(self.shared.config.effective_clock())
            .page_token_lifetime(self.shared.config.page_token_life)
            // Its URL changes every run; its data is the same for the same seed.
            .source(Source::fake(
                self.shared.config.dataset.seed,
                self.shared.config.dataset.start,
                self.shared.config.dataset.end,
            ))
    }

    /// What it has counted so far.
    pub fn counters(&self) -> FakeZoomCounters {
        let c = &self.shared.counters;
        FakeZoomCounters {
            requests: c.requests.load(Ordering::Relaxed),
            rate_limited: c.rate_limited.load(Ordering::Relaxed),
            faults: c.faults.load(Ordering::Relaxed),
            protocol_violations: c.protocol_violations.load(Ordering::Relaxed),
            token_requests: c.token_requests.load(Ordering::Relaxed),
            unauthorized: c.unauthorized.load(Ordering::Relaxed),
        }
    }

    /// From now on, the messages report of session `id` fails in the given way.
    pub fn break_session(&self, id: impl Into<String>, how: BrokenSession) {
        self.shared.broken.lock().expect("broken lock").insert(id.into(), how);
    }

    /// From now on, session `id` is served again.
    pub fn heal_session(&self, id: &str) {
        self.shared.broken.lock().expect("broken lock").remove(id);
    }

    /// Starts a new day for the daily quota.
    pub fn reset_daily_quota(&self) {
        self.shared.daily_used.store(0, Ordering::Relaxed);
    }

    /// The API requests so far, in arrival order: the last
    /// [`MAX_LOGGED_REQUESTS`], so that a long run does not grow without bound.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.log.lock().expect("log lock").iter().cloned().collect()
    }
}

#[derive(Debug, Deserialize)]
struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
    page_size: Option<String>,
    next_page_token: Option<String>,
    /// Every other parameter: the flags of [`Include`], and any a newer
    /// client sends. A follow-up page must repeat them all.
    #[serde(flatten)]
    other: std::collections::BTreeMap<String, String>,
}

/// What every report request is checked for before its page is computed.
struct PageRequest {
    /// The request's number, for fault injection.
    number: u64,
    from: NaiveDate,
    to: NaiveDate,
    /// The query a follow-up page must repeat.
    fingerprint: String,
    offset: usize,
    size: usize,
}

fn zoom_error(status: StatusCode, code: i64, message: &str) -> Response {
    (status, axum::Json(json!({ "code": code, "message": message }))).into_response()
}

impl Shared {
    fn id(&self) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        format!("{:016x}{:016x}", mix(self.config.dataset.seed, n, 11), mix(n, 5, 13))
    }

    fn violation(&self, status: StatusCode, message: &str) -> Response {
        self.counters.protocol_violations.fetch_add(1, Ordering::Relaxed);
        zoom_error(status, 300, message)
    }

    /// Auth, limits and faults: everything before the report itself. `Ok(n)` is the request number.
    async fn admit(&self, headers: &HeaderMap) -> Result<u64, Response> {
        let number = self.counters.requests.fetch_add(1, Ordering::Relaxed) + 1;
        let bearer = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let valid = match bearer {
            None => false,
            Some(token) if self.config.static_token.as_deref() == Some(token) => true,
            Some(token) => {
                let current = self.access_token.lock().expect("token lock");
                current
                    .as_ref()
                    .is_some_and(|(t, expires)| t == token && Instant::now() < *expires)
            }
        };
        if !valid {
            self.counters.unauthorized.fetch_add(1, Ordering::Relaxed);
            return Err(zoom_error(StatusCode::UNAUTHORIZED, 124, "Invalid access token."));
        }
        let used_today = self.daily_used.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(limit) = self.config.daily_limit
            && used_today > limit
        {
            self.counters.rate_limited.fetch_add(1, Ordering::Relaxed);
            let midnight = self
                .config
                .today
                .succ_opt()
                .unwrap_or(self.config.today)
                .and_hms_opt(0, 0, 0)
                .expect("midnight");
            let mut response = zoom_error(
                StatusCode::TOO_MANY_REQUESTS,
                429,
                "You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.",
            );
            let headers = response.headers_mut();
            headers.insert("x-ratelimit-type", HeaderValue::from_static("Daily-limit"));
            if let Ok(value) = HeaderValue::from_str(&midnight.format("%Y-%m-%dT%H:%M:%SZ").to_string()) {
                headers.insert("retry-after", value);
            }
            return Err(response);
        }
        if let Some(limit) = self.config.per_second_limit {
            let mut window = self.rate_window.lock().expect("rate lock");
            let now = Instant::now();
            if now.duration_since(window.0) >= Duration::from_secs(1) {
                let since_start = now.duration_since(self.started);
                // Other apps' calls of this second count first.
                let others = self
                    .config
                    .other_apps_load
                    .iter()
                    .rev()
                    .find(|(from, _)| *from <= since_start)
                    .map_or(0, |(_, load)| *load);
                *window = (now, others);
            }
            if window.1 >= limit {
                let reset_in = Duration::from_secs(1).saturating_sub(now.duration_since(window.0));
                drop(window);
                self.counters.rate_limited.fetch_add(1, Ordering::Relaxed);
                let mut response = zoom_error(
                    StatusCode::TOO_MANY_REQUESTS,
                    429,
                    "You have reached the maximum per-second rate limit for this API. Try again later.",
                );
                let retry_after = match self.config.retry_after {
                    RetryAfterForm::Seconds => Some(reset_in.as_secs_f64().ceil().max(1.0).to_string()),
                    RetryAfterForm::Iso8601 => Some(
                        (self.clock.now() + chrono::Duration::from_std(reset_in).unwrap_or_default())
                            .format("%Y-%m-%dT%H:%M:%S%.3fZ")
                            .to_string(),
                    ),
                    RetryAfterForm::Missing => None,
                };
                if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
                    response.headers_mut().insert("retry-after", value);
                }
                response
                    .headers_mut()
                    .insert("x-ratelimit-type", HeaderValue::from_static("QPS"));
                return Err(response);
            }
            window.1 += 1;
        }
        let faults = &self.config.faults;
        let hits = |every: Option<u64>| every.is_some_and(|n| n > 0 && number.is_multiple_of(n));
        if let Some((every, delay)) = faults.slow_every
            && every > 0
            && number.is_multiple_of(every)
        {
            tokio::time::sleep(delay).await;
        }
        if hits(faults.server_error_every) {
            self.counters.faults.fetch_add(1, Ordering::Relaxed);
            let status = [
                StatusCode::INTERNAL_SERVER_ERROR,
                StatusCode::BAD_GATEWAY,
                StatusCode::SERVICE_UNAVAILABLE,
            ][(number as usize / faults.server_error_every.unwrap_or(1) as usize) % 3];
            return Err((status, "<html><body>upstream error</body></html>").into_response());
        }
        if hits(faults.reset_every) {
            self.counters.faults.fetch_add(1, Ordering::Relaxed);
            return Err(broken_body(Vec::new(), 1024));
        }
        Ok(number)
    }

    /// Auth, limits, faults, the range rules, the page token and the page size, in Zoom's order.
    async fn page_request(
        &self,
        headers: &HeaderMap,
        query: &ReportQuery,
        path: &str,
        max: u32,
    ) -> Result<PageRequest, Response> {
        let number = self.admit(headers).await?;
        let scope = if path == "/report/chat/sessions" {
            crate::zoom::SESSIONS_SCOPE
        } else {
            crate::zoom::MESSAGES_SCOPE
        };
        if self.config.missing_scopes.iter().any(|missing| missing == scope) {
            return Err(zoom_error(
                StatusCode::BAD_REQUEST,
                crate::zoom::ZOOM_CODES_MISSING_SCOPE[0],
                &format!("Invalid access token, does not contain scopes:[{scope}]."),
            ));
        }
        let (from, to) = self.check_range(query)?;
        let fingerprint = fingerprint(path, query);
        let offset = self.offset(query, &fingerprint)?;
        let size = self.page_size(query, max);
        Ok(PageRequest {
            number,
            from,
            to,
            fingerprint,
            offset,
            size,
        })
    }

    /// Sends a report page, or the error that stopped it, and logs either.
    fn respond(&self, path: String, raw_query: String, result: Result<(u64, Value), Response>) -> Response {
        match result {
            Ok((number, body)) => self.finish(number, path, raw_query, body),
            Err(response) => {
                self.log(path, raw_query, response.status());
                response
            }
        }
    }

    /// Checks the range rules, as Zoom does, with its code 300 answers.
    fn check_range(&self, query: &ReportQuery) -> Result<(NaiveDate, NaiveDate), Response> {
        let parse = |v: &Option<String>| v.as_deref().and_then(|d| d.parse::<NaiveDate>().ok());
        let (Some(from), Some(to)) = (parse(&query.from), parse(&query.to)) else {
            return Err(self.violation(
                StatusCode::BAD_REQUEST,
                "Invalid field: from and to must be dates in yyyy-mm-dd format.",
            ));
        };
        if from > to {
            return Err(self.violation(StatusCode::BAD_REQUEST, "The from date must be before the to date."));
        }
        if from.checked_add_months(Months::new(1)).is_some_and(|limit| to >= limit) {
            return Err(self.violation(StatusCode::BAD_REQUEST, "The date range must be within one month."));
        }
        let earliest = self
            .today()
            .checked_sub_months(Months::new(6))
            .unwrap_or(NaiveDate::MIN);
        if from < earliest {
            return Err(self.violation(StatusCode::BAD_REQUEST, "Report requested exceeds 6 month limit."));
        }
        Ok((from, to))
    }

    /// Points a message's files at the fake's own download route, with the
    /// hostile names asked for.
    fn serve_files_of(&self, message: &mut Value) {
        let Some(files) = message.get_mut("files").and_then(Value::as_array_mut) else {
            return;
        };
        for file in files {
            let Some(id) = file["file_id"].as_str().map(str::to_string) else {
                continue;
            };
            file["download_url"] = json!(format!("{}/file/download/{id}", self.origin));
            if let Some(size) = self.config.files.size {
                file["file_size"] = json!(size);
            }
            if self.config.varied_texts && super::texts::is_image(&id) {
                let name = file["file_name"].as_str().unwrap_or("image").to_string();
                file["file_name"] = json!(super::texts::image_name(&name));
                if self.config.files.size.is_none() {
                    file["file_size"] = json!(super::texts::png(&id).len());
                }
            }
            if self.config.files.hostile_names {
                file["file_name"] = json!(hostile_file_name(&id));
            }
        }
    }

    /// The day it believes it is: its clock's, when it reveals records by it.
    fn today(&self) -> NaiveDate {
        if self.config.reveal_by_clock {
            self.clock.today()
        } else {
            self.config.today
        }
    }

    /// Now in milliseconds, when it reveals records by its clock.
    fn now_ms(&self) -> Option<i64> {
        self.config.reveal_by_clock.then(|| self.clock.now().timestamp_millis())
    }

    /// Resolves the page offset from the token, checking it is live and reused with the same query.
    fn offset(&self, query: &ReportQuery, fingerprint: &str) -> Result<usize, Response> {
        let Some(token) = query.next_page_token.as_deref().filter(|t| !t.is_empty()) else {
            return Ok(0);
        };
        let tokens = self.page_tokens.lock().expect("tokens lock");
        match tokens.by_name.get(token) {
            Some(page) if page.issued.elapsed() > self.config.page_token_life => Err(zoom_error(
                StatusCode::BAD_REQUEST,
                300,
                "The next page token is invalid or expired.",
            )),
            Some(page) if page.fingerprint != fingerprint => {
                drop(tokens);
                Err(self.violation(StatusCode::BAD_REQUEST, "The next page token is invalid or expired."))
            }
            Some(page) => Ok(page.offset),
            None => Err(zoom_error(
                StatusCode::BAD_REQUEST,
                300,
                "The next page token is invalid or expired.",
            )),
        }
    }

    fn page_size(&self, query: &ReportQuery, max: u32) -> usize {
        match query.page_size.as_deref().map(str::parse::<u32>) {
            None => 30,
            Some(Ok(size)) if (1..=max).contains(&size) => size as usize,
            _ => {
                self.counters.protocol_violations.fetch_add(1, Ordering::Relaxed);
                max as usize
            }
        }
    }

    fn next_token(&self, fingerprint: String, offset: usize, total: usize) -> String {
        if offset >= total {
            return String::new();
        }
        let token = self.id();
        self.page_tokens.lock().expect("tokens lock").insert(
            token.clone(),
            PageToken {
                fingerprint,
                offset,
                issued: Instant::now(),
            },
            self.config.page_token_life,
        );
        token
    }

    /// Whether request `number` gets half its body, then a broken connection.
    fn truncates(&self, number: u64) -> bool {
        self.config
            .faults
            .truncate_every
            .is_some_and(|n| n > 0 && number.is_multiple_of(n))
    }

    fn finish(&self, number: u64, path: String, raw_query: String, body: Value) -> Response {
        let text = body.to_string();
        let response = if self.truncates(number) {
            self.counters.faults.fetch_add(1, Ordering::Relaxed);
            let declared = text.len();
            broken_body(text.into_bytes()[..declared / 2].to_vec(), declared)
        } else {
            (StatusCode::OK, [("content-type", "application/json")], text).into_response()
        };
        // As Zoom reports a limit: its category and the account's per-second
        // limit, when the fake has one.
        let mut response = response;
        if let Some(limit) = self.config.per_second_limit {
            let headers = response.headers_mut();
            headers.insert("x-ratelimit-category", HeaderValue::from_static("Medium"));
            headers.insert("x-ratelimit-type", HeaderValue::from_static("QPS"));
            headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
        }
        self.log(path, raw_query, response.status());
        response
    }

    fn log(&self, path: String, query: String, status: StatusCode) {
        let mut log = self.log.lock().expect("log lock");
        if log.len() >= MAX_LOGGED_REQUESTS {
            log.pop_front();
        }
        log.push_back(LoggedRequest {
            path,
            query,
            status: status.as_u16(),
            at: Instant::now(),
        });
    }
}

/// A response that declares `declared` bytes, sends `sent`, then breaks the connection.
fn broken_body(sent: Vec<u8>, declared: usize) -> Response {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(sent),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "injected fault",
        )),
    ];
    let mut response = Response::new(Body::from_stream(futures::stream::iter(chunks)));
    response
        .headers_mut()
        .insert("content-length", HeaderValue::from(declared));
    response
        .headers_mut()
        .insert("content-type", HeaderValue::from_static("application/json"));
    response
}

fn fingerprint(path: &str, query: &ReportQuery) -> String {
    format!(
        "{path}?from={:?}&to={:?}&page_size={:?}&{:?}",
        query.from, query.to, query.page_size, query.other
    )
}

async fn sessions(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    Query(query): Query<ReportQuery>,
) -> Response {
    let path = "/report/chat/sessions".to_string();
    let result = async {
        let page = shared
            .page_request(&headers, &query, &path, MAX_SESSIONS_PAGE_SIZE)
            .await?;
        let dataset = &shared.config.dataset;
        // Sessions with messages sent in the range (by now), in a stable order.
        let now = shared.now_ms();
        let active: Vec<(usize, i64)> = (0..dataset.sessions)
            .filter_map(|s| {
                let range = dataset.message_range(s, page.from, page.to);
                let last = range
                    .rev()
                    .map(|i| dataset.message_time_ms(s, i))
                    .find(|&t| now.is_none_or(|now| t <= now))?;
                Some((s, last))
            })
            .collect();
        let sessions: Vec<Value> = active
            .iter()
            .skip(page.offset)
            .take(page.size)
            .map(|(s, last)| {
                let mut session = dataset.session_json(*s, *last);
                if shared.config.varied_texts {
                    super::texts::vary_session(&mut session, *s);
                }
                session
            })
            .collect();
        let next = shared.next_token(page.fingerprint, page.offset + sessions.len(), active.len());
        let body = json!({
            "from": page.from.to_string(), "to": page.to.to_string(), "page_size": page.size,
            "next_page_token": next, "sessions": sessions,
        });
        Ok((page.number, body))
    }
    .await;
    shared.respond(path, raw.unwrap_or_default(), result)
}

async fn messages(
    State(shared): State<Arc<Shared>>,
    Path(session_id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    Query(query): Query<ReportQuery>,
) -> Response {
    let path = format!("/report/chat/sessions/{session_id}");
    let result = async {
        let page = shared
            .page_request(&headers, &query, &path, MAX_MESSAGES_PAGE_SIZE)
            .await?;
        let include = Include::from_query(|name| query.other.get(name).map(String::as_str));
        let dataset = &shared.config.dataset;
        let broken = shared.broken.lock().expect("broken lock").get(&session_id).copied();
        match broken {
            Some(BrokenSession::ServerError) => {
                return Err((
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "<html><body>upstream error</body></html>",
                )
                    .into_response());
            }
            Some(BrokenSession::Gone) => {
                return Err(zoom_error(StatusCode::NOT_FOUND, 3001, "Chat session does not exist."));
            }
            None => {}
        }
        let Some(session) = dataset.session_index(&session_id) else {
            return Err(zoom_error(StatusCode::NOT_FOUND, 3001, "Chat session does not exist."));
        };
        let range = dataset.report_candidates(session, page.from, page.to, include);
        let total = range.len();
        let now = shared.now_ms();
        let (mut sent, mut edited, mut deleted) = (Vec::new(), Vec::new(), Vec::new());
        for index in range.skip(page.offset).take(page.size) {
            for kind in dataset.report_records(session, index, (page.from, page.to), include, now) {
                let mut message = dataset.message_json(session, index, kind, include);
                if shared.config.varied_texts {
                    super::texts::vary_message(&mut message, session, index, kind);
                }
                shared.serve_files_of(&mut message);
                match kind {
                    MessageKind::Sent => sent.push(message),
                    MessageKind::Edited => edited.push(message),
                    MessageKind::Deleted => deleted.push(message),
                }
            }
        }
        let next = shared.next_token(page.fingerprint, (page.offset + page.size).min(total), total);
        let mut body = json!({
            "from": page.from.to_string(), "to": page.to.to_string(), "page_size": page.size,
            "next_page_token": next, "messages": sent,
        });
        if include.edited {
            body["edited_messages"] = json!(edited);
        }
        if include.deleted {
            body["deleted_messages"] = json!(deleted);
        }
        Ok((page.number, body))
    }
    .await;
    shared.respond(path, raw.unwrap_or_default(), result)
}

/// A file's bytes, behind the same auth, limits and faults as the reports.
async fn download(State(shared): State<Arc<Shared>>, Path(file_id): Path<String>, headers: HeaderMap) -> Response {
    let path = format!("/file/download/{file_id}");
    let number = match shared.admit(&headers).await {
        Ok(number) => number,
        Err(response) => {
            shared.log(path, String::new(), response.status());
            return response;
        }
    };
    let files = &shared.config.files;
    if picked(&file_id, files.forbidden_every, 0x403) {
        shared.log(path, String::new(), StatusCode::FORBIDDEN);
        return zoom_error(StatusCode::FORBIDDEN, 124, "Invalid access token.");
    }
    if picked(&file_id, files.redirect_every, 0x302) {
        shared.log(path, String::new(), StatusCode::FOUND);
        let location = format!("/file/signed/{file_id}?signature=fake");
        return (StatusCode::FOUND, [("location", location)]).into_response();
    }
    file_body(&shared, path, &file_id, number)
}

/// A redirected file: signed, so it takes no token, and refuses one.
async fn signed_download(
    State(shared): State<Arc<Shared>>,
    Path(file_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let path = format!("/file/signed/{file_id}");
    if headers.contains_key("authorization") {
        shared.counters.protocol_violations.fetch_add(1, Ordering::Relaxed);
        shared.log(path, String::new(), StatusCode::BAD_REQUEST);
        return zoom_error(StatusCode::BAD_REQUEST, 400, "A signed URL takes no access token.");
    }
    let number = shared.counters.requests.fetch_add(1, Ordering::Relaxed) + 1;
    file_body(&shared, path, &file_id, number)
}

/// A file's bytes (or its 404), with the short and truncated faults.
fn file_body(shared: &Shared, path: String, file_id: &str, number: u64) -> Response {
    let files = &shared.config.files;
    let file_id = file_id.to_string();
    let image = shared.config.varied_texts && files.size.is_none() && super::texts::is_image(&file_id);
    let size = match shared.config.dataset.file(&file_id) {
        Some(_) if image && !picked(&file_id, files.missing_every, 0x404) => super::texts::png(&file_id).len() as u64,
        Some(size) if !picked(&file_id, files.missing_every, 0x404) => files.size.unwrap_or(size),
        _ => {
            shared.log(path, String::new(), StatusCode::NOT_FOUND);
            return zoom_error(StatusCode::NOT_FOUND, 4130, "File does not exist.");
        }
    };
    let served = if picked(&file_id, files.short_every, 0x5407) {
        size.saturating_sub(7)
    } else {
        size
    };
    let bytes = if image {
        let mut png = super::texts::png(&file_id);
        png.truncate(served as usize);
        png
    } else {
        shared.config.dataset.file_bytes(&file_id, served)
    };
    let response = if shared.truncates(number) {
        shared.counters.faults.fetch_add(1, Ordering::Relaxed);
        let declared = bytes.len();
        let mut half = bytes;
        half.truncate(declared / 2);
        broken_body(half, declared)
    } else {
        (StatusCode::OK, [("content-type", "application/octet-stream")], bytes).into_response()
    };
    shared.log(path, String::new(), response.status());
    response
}

#[derive(Debug, Deserialize)]
struct TokenQuery {
    grant_type: Option<String>,
    account_id: Option<String>,
}

async fn token(State(shared): State<Arc<Shared>>, headers: HeaderMap, Query(query): Query<TokenQuery>) -> Response {
    use base64::Engine;
    shared.counters.token_requests.fetch_add(1, Ordering::Relaxed);
    let (account, client, secret) = &shared.config.oauth;
    let basic = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|v| base64::engine::general_purpose::STANDARD.decode(v).ok())
        .and_then(|v| String::from_utf8(v).ok());
    if query.grant_type.as_deref() != Some("account_credentials") {
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({ "reason": "Unsupported grant type", "error": "unsupported_grant_type" })),
        )
            .into_response();
    }
    if basic.as_deref() != Some(&format!("{client}:{secret}")) || query.account_id.as_deref() != Some(account) {
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({ "reason": "Invalid client_id or client_secret", "error": "invalid_client" })),
        )
            .into_response();
    }
    let token = shared.id();
    let life = shared.config.access_token_life;
    // A new token invalidates the previous one, as Zoom may.
    *shared.access_token.lock().expect("token lock") = Some((
        token.clone(),
        Instant::now().checked_add(life).unwrap_or_else(far_future),
    ));
    axum::Json(json!({
        "access_token": token, "token_type": "bearer", "expires_in": life.as_secs(),
        "scope": "report:read:list_chat_sessions:admin report:read:chat_session:admin",
        "api_url": "https://api.zoom.us",
    }))
    .into_response()
}
