//! The client and its builder. The report requests it starts are in `requests`.

use std::fmt;
use std::num::NonZeroU32;
use std::ops::RangeInclusive;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use tokio::time::Instant;

use crate::auth::{Credentials, TokenConfig, TokenSource};
use crate::body::DEFAULT_MAX_RESPONSE_BYTES;
use crate::error::Error;
use crate::generated;
use crate::generated::types::{ReportChatMessagesResponse, ReportChatSessionsResponse};
use crate::include::Include;
use crate::pagination::{FetchError, PagingPolicy};
use crate::retry::RetryPolicy;
use crate::runtime::{Clock, Sleep, SystemClock, TokioSleep};
use crate::source::Source;
use crate::transport::{Transport, TransportState, TransportStats, rate_limiter};
use crate::windows::{DateWindow, RangeError, month_windows};
use crate::zoom::{
    DEFAULT_BASE_URL, DEFAULT_OAUTH_URL, MESSAGES_PATH, OPERATION_MESSAGES, OPERATION_SESSIONS, PAGE_TOKEN_LIFETIME,
};

/// A Zoom account plan, which sets the account's rate limits.
///
/// Both report endpoints carry the `Medium` rate-limit label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ZoomPlan {
    /// Free: 2 Medium requests a second.
    Free,
    /// Pro: 20 Medium requests a second. The default, as the lowest plan with chat reports.
    #[default]
    Pro,
    /// Business, Education, Enterprise and Partner: 60 Medium requests a second.
    BusinessPlus,
}

impl ZoomPlan {
    /// Requests a second Zoom allows this plan for `Medium` endpoints.
    pub fn medium_requests_per_second(self) -> NonZeroU32 {
        let rate = match self {
            ZoomPlan::Free => 2,
            ZoomPlan::Pro => 20,
            ZoomPlan::BusinessPlus => 60,
        };
        NonZeroU32::new(rate).expect("plan rates are positive")
    }
}

/// A Zoom chat reports client. Cheap to clone; clones share the token cache and the rate limiter.
///
/// ```no_run
/// # async fn example() -> Result<(), zoom_chat_reports::Error> {
/// use zoom_chat_reports::{Client, Credentials};
///
/// let client = Client::builder()
///     .credentials(Credentials::server_to_server("account-id", "client-id", "client-secret"))
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    generated: generated::Client,
    settings: Arc<Settings>,
}

struct Settings {
    clock: Arc<dyn Clock>,
    source: Source,
    paging: PagingPolicy,
    /// The builder's per-request timeout, which downloads lengthen by their size.
    request_timeout: Duration,
    /// What the client keeps alive: the fake Zoom it was built for, which
    /// then serves as long as the client lives.
    _keeps_alive: Option<Arc<dyn std::any::Any + Send + Sync>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.generated.baseurl())
            .field("transport", self.generated.inner())
            .finish()
    }
}

use progenitor_client::ClientInfo;

impl Client {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A builder set from the environment: credentials from `ZOOM_ACCOUNT_ID`,
    /// `ZOOM_CLIENT_ID` and `ZOOM_CLIENT_SECRET`, or `ZOOM_ACCESS_TOKEN`; and
    /// the URLs from `ZOOM_API_BASE` and `ZOOM_OAUTH_URL` when set.
    ///
    /// Returns `Ok(None)` when none of these variables is set. A variable
    /// set to blanks, or a URL set without credentials, is an
    /// [`Error::InvalidConfig`]: an environment that meant to name a Zoom
    /// account but lost part of it (under cron, say) must not read as "none".
    pub fn builder_from_env() -> Result<Option<ClientBuilder>, Error> {
        const NAMES: [&str; 6] = [
            "ZOOM_ACCOUNT_ID",
            "ZOOM_CLIENT_ID",
            "ZOOM_CLIENT_SECRET",
            "ZOOM_ACCESS_TOKEN",
            "ZOOM_API_BASE",
            "ZOOM_OAUTH_URL",
        ];
        for name in NAMES {
            if std::env::var_os(name).is_some_and(|v| v.to_string_lossy().trim().is_empty()) {
                return Err(Error::InvalidConfig {
                    message: format!("{name} is set but empty; give it a value or unset it"),
                });
            }
        }
        let Some(credentials) = Credentials::from_env()? else {
            if let Some(name) = ["ZOOM_API_BASE", "ZOOM_OAUTH_URL"]
                .into_iter()
                .find(|name| env_var(name).is_some())
            {
                return Err(Error::InvalidConfig {
                    message: format!(
                        "{name} is set but no credentials are: set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and \
                         ZOOM_CLIENT_SECRET, or ZOOM_ACCESS_TOKEN"
                    ),
                });
            }
            return Ok(None);
        };
        let mut builder = ClientBuilder::default().credentials(credentials);
        if let Some(base) = env_var("ZOOM_API_BASE") {
            builder = builder.base_url(base);
        }
        if let Some(oauth) = env_var("ZOOM_OAUTH_URL") {
            builder = builder.oauth_url(oauth);
        }
        Ok(Some(builder))
    }

    /// The generated client, for calling an operation directly.
    ///
    /// Its requests get, from this client: the shared rate limiter; the
    /// current bearer token, fetched or refreshed as needed; the body cap of
    /// [`ClientBuilder::max_response_bytes`]; the https-only URLs and, with the
    /// crate's own HTTP client, no redirects; and a check that a
    /// `report_chat_messages` request's path is one segment under
    /// `/report/chat/sessions/` (progenitor's `encode_path` leaves `\` and dot
    /// segments through, so a hostile session id is refused, not encoded).
    ///
    /// They do **not** get what the report streams add on top: no retries of
    /// 5xx, 429 or connection failures, no token refresh and resend after a
    /// 401, no pagination, month windows or page-token recovery, and errors
    /// come as progenitor's `Error`, not this crate's [`Error`].
    pub fn generated(&self) -> &generated::Client {
        &self.generated
    }

    /// What the transport has done so far.
    pub fn stats(&self) -> TransportStats {
        self.generated.inner().stats()
    }

    /// The API and account this client reads from, without any secret: what
    /// a program that keeps what it reads records, so that it never mixes two
    /// accounts (or real and fake data) in one place.
    pub fn source(&self) -> &Source {
        &self.settings.source
    }

    /// The API base URL requests go to, without a trailing slash.
    pub fn api_base_url(&self) -> &str {
        self.generated.baseurl()
    }

    /// Today in UTC, by the client's clock ([`ClientBuilder::clock`]): the
    /// day Zoom's six months of reports are counted back from. Use it rather
    /// than the system's date, so that a test's fake clock and the client
    /// agree.
    pub fn today(&self) -> NaiveDate {
        self.settings.clock.today()
    }

    /// The month windows a request over `range` pages through, checked
    /// against Zoom's limits on [`Self::today`]: see [`crate::windows`]. A
    /// range that ends after today is refused
    /// ([`RangeError::EndsAfterToday`](crate::RangeError::EndsAfterToday)),
    /// as every request over a range refuses it, before any request: asking
    /// Zoom for days that have not happened yet is a mistake (a date in
    /// another time zone, a clock that is wrong), not an empty answer. A
    /// range that ends today is allowed; today's report is not complete
    /// until the day is over.
    ///
    /// For a job that must ask for the same windows however long it runs (or
    /// when resumed the next day), plan them once and pass them to
    /// [`Self::sessions_in`] and [`Self::messages_in`], which do not check
    /// them against the clock again.
    pub fn plan_windows(&self, range: RangeInclusive<NaiveDate>) -> Result<Vec<DateWindow>, Error> {
        let today = self.today();
        let (from, to) = (*range.start(), *range.end());
        if to > today && from <= to {
            return Err(RangeError::EndsAfterToday { to, today }.into());
        }
        Ok(month_windows(&range, today)?)
    }

    /// The `days` complete days before [`Self::today`], by the client's
    /// clock: `last_days(14)` on 2026-12-05 is `2026-11-21..=2026-12-04`.
    /// Today is left out, since Zoom is still adding to it. `days` of 0
    /// gives a reversed range, which the requests refuse.
    ///
    /// ```no_run
    /// # async fn example(client: zoom_chat_reports::Client) -> Result<(), zoom_chat_reports::Error> {
    /// use futures::TryStreamExt;
    /// let sessions: Vec<_> = client.sessions(client.last_days(14)).items().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn last_days(&self, days: u32) -> RangeInclusive<NaiveDate> {
        let today = self.today();
        let from = today
            .checked_sub_days(chrono::Days::new(u64::from(days)))
            .unwrap_or(NaiveDate::MIN);
        from..=today.pred_opt().unwrap_or(today)
    }

    /// The timeout of one request, before a download adds to it for its size.
    pub(crate) fn request_timeout(&self) -> Duration {
        self.settings.request_timeout
    }

    pub(crate) fn paging(&self) -> PagingPolicy {
        self.settings.paging
    }

    pub(crate) fn transport(&self) -> &Transport {
        self.generated.inner()
    }

    /// One sessions page. Public streams are built on this.
    pub(crate) async fn sessions_page(
        &self,
        window: DateWindow,
        page_size: u32,
        token: Option<String>,
        deadline: Option<Instant>,
    ) -> Result<ReportChatSessionsResponse, FetchError> {
        self.transport()
            .call(OPERATION_SESSIONS, deadline, || {
                let mut request = self
                    .generated
                    .report_chat_sessions()
                    .from(window.from)
                    .to(window.to)
                    .page_size(i64::from(page_size));
                if let Some(token) = &token {
                    request = request.next_page_token(token.clone());
                }
                request.send()
            })
            .await
    }

    /// One messages page.
    ///
    /// Built here rather than with the generated builder: the session id is
    /// caller input, and the generated builder's `encode_path` lets `\` and
    /// dot segments through (see `path`). The request is otherwise what the
    /// generated `report_chat_messages()` sends, through the same hooks.
    pub(crate) async fn messages_page(
        &self,
        session_id: &str,
        window: DateWindow,
        page_size: u32,
        include: Include,
        token: Option<String>,
        deadline: Option<Instant>,
    ) -> Result<ReportChatMessagesResponse, FetchError> {
        let segment = crate::path::encode_segment("session id", session_id)?;
        let url = format!("{}{MESSAGES_PATH}{segment}", self.generated.baseurl());
        // Sorted by name, as the generated client sends its parameters.
        let mut query = include.query_parameters();
        query.push(("from", window.from.to_string()));
        if let Some(token) = &token {
            query.push(("next_page_token", token.clone()));
        }
        query.push(("page_size", page_size.to_string()));
        query.push(("to", window.to.to_string()));
        query.sort_by_key(|(name, _)| *name);
        self.transport()
            .call(OPERATION_MESSAGES, deadline, || async {
                use progenitor_client::ClientHooks;
                let info = progenitor_client::OperationInfo {
                    operation_id: OPERATION_MESSAGES,
                };
                let mut request = self
                    .generated
                    .client()
                    .get(&url)
                    .header(reqwest::header::ACCEPT, "application/json")
                    .header("api-version", generated::Client::api_version())
                    .query(&query)
                    .build()?;
                self.generated.pre(&mut request, &info).await?;
                let response = self.generated.exec(request, &info).await?;
                // The generated code reads the documented 400 and 429 bodies itself;
                // the loop reads any error body, so they need no special case here.
                if response.status() == reqwest::StatusCode::OK {
                    progenitor_client::ResponseValue::from_response(response).await
                } else {
                    Err(progenitor_client::Error::UnexpectedResponse(response))
                }
            })
            .await
    }
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Builds a [`Client`].
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    oauth_url: String,
    credentials: Option<Credentials>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    retry: RetryPolicy,
    requests_per_second: Option<NonZeroU32>,
    sleep: Arc<dyn Sleep>,
    clock: Arc<dyn Clock>,
    page_token_lifetime: Duration,
    max_window_restarts: u32,
    token_refresh_margin: Duration,
    max_response_bytes: u64,
    http_client: Option<reqwest::Client>,
    /// Set by the fake Zoom, whose URL changes each run; otherwise the source
    /// follows from the base URL and the credentials.
    source: Option<Source>,
    /// Set by the fake Zoom: its server, kept running by every client built here.
    keeps_alive: Option<Arc<dyn std::any::Any + Send + Sync>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("oauth_url", &self.oauth_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("requests_per_second", &self.requests_per_second)
            .field("own_http_client", &self.http_client.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.into(),
            oauth_url: DEFAULT_OAUTH_URL.into(),
            credentials: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!("zoom-chat-reports/", env!("CARGO_PKG_VERSION")).into(),
            retry: RetryPolicy::default(),
            requests_per_second: Some(ZoomPlan::default().medium_requests_per_second()),
            sleep: Arc::new(TokioSleep),
            clock: Arc::new(SystemClock),
            page_token_lifetime: PAGE_TOKEN_LIFETIME,
            max_window_restarts: 3,
            token_refresh_margin: Duration::from_secs(5 * 60),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            http_client: None,
            source: None,
            keeps_alive: None,
        }
    }
}

impl ClientBuilder {
    /// The API base URL. Defaults to `https://api.zoom.us/v2`. Must be
    /// `https`, except on a loopback host (`127.0.0.0/8`, `::1`, `localhost`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The Server-to-Server OAuth token URL. Defaults to
    /// `https://zoom.us/oauth/token`. Must be `https`, except on a loopback
    /// host: the client secret is sent to it.
    pub fn oauth_url(mut self, url: impl Into<String>) -> Self {
        self.oauth_url = url.into();
        self
    }

    /// How the client authenticates. Required.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Shorthand for `credentials(Credentials::access_token(token))`.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.credentials(Credentials::access_token(token))
    }

    /// The limit on one request, from sending to the end of the body. Defaults to 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The limit on opening a connection. Defaults to 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header. Defaults to `zoom-chat-reports/VERSION`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// How requests are retried.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the client-side rate limit to the account plan's `Medium` limit. Defaults to Pro (20/s).
    ///
    /// Zoom's limits are per account and shared by every app on it: if other
    /// apps use the same account, set a lower rate with [`Self::requests_per_second`].
    pub fn plan(mut self, plan: ZoomPlan) -> Self {
        self.requests_per_second = Some(plan.medium_requests_per_second());
        self
    }

    /// Sets the client-side rate limit, shared by every call and stream of
    /// the client and its clones. `None` turns it off.
    pub fn requests_per_second(mut self, rate: Option<NonZeroU32>) -> Self {
        self.requests_per_second = rate;
        self
    }

    /// How the client waits between retries. For tests.
    pub fn sleep(mut self, sleep: Arc<dyn Sleep>) -> Self {
        self.sleep = sleep;
        self
    }

    /// The clock that says what day it is (for the six-month limit) and reads `Retry-After` dates. For tests.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// How long a page token is honoured. Defaults to Zoom's 15 minutes; set it to match a fake server in tests.
    pub fn page_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.page_token_lifetime = lifetime;
        self
    }

    /// How many times in a row one window may restart after an expired page token without
    /// getting anything new. Defaults to 3. Restarts that make progress are not limited.
    pub fn max_window_restarts(mut self, restarts: u32) -> Self {
        self.max_window_restarts = restarts;
        self
    }

    /// How long before an OAuth token expires it is replaced, at most: a token
    /// is replaced when the smaller of this and a tenth of its life remains.
    /// Defaults to 5 minutes. A life under 30 seconds (`expires_in: 0`, say)
    /// is scheduled as 30 seconds, with a warning; a token that dies sooner is
    /// replaced when Zoom refuses it.
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_refresh_margin = margin;
        self
    }

    /// The most bytes of one reply body that are read. Defaults to 64 MiB,
    /// about a hundred times Zoom's largest page. A larger reply is
    /// [`Error::ResponseTooLarge`], not retried, and never read past the cap.
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Sends every request, token requests included, through your own
    /// `reqwest::Client`: for a proxy, custom roots, your TLS provider or a
    /// connection pool shared with the rest of your application.
    ///
    /// [`Self::timeout`], [`Self::connect_timeout`] and [`Self::user_agent`]
    /// then do not apply: set them on your client. The crate installs no TLS
    /// provider when you bring your own client. Nor can it set `https_only`
    /// or its redirect policy (none: a 3xx is an error) on a client already
    /// built: those are then yours. Set `redirect::Policy::none()`, or rely on
    /// reqwest's default, which drops `Authorization` on a redirect to another
    /// host. The URLs are still checked by [`Self::build`].
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Names the source instead of deriving it from the base URL and credentials.
    #[cfg_attr(not(feature = "mock"), allow(dead_code))]
    pub(crate) fn source(mut self, source: Source) -> Self {
        self.source = Some(source);
        self
    }

    /// Keeps `owner` alive as long as any client built from this builder:
    /// the fake Zoom's server, so that a client cannot outlive it.
    #[cfg_attr(not(feature = "mock"), allow(dead_code))]
    pub(crate) fn keeps_alive(mut self, owner: Arc<dyn std::any::Any + Send + Sync>) -> Self {
        self.keeps_alive = Some(owner);
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`Error::InvalidConfig`] when credentials are missing, a URL
    /// does not parse or is plain `http` to a host other than loopback, or the
    /// HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        let invalid = |message: String| Error::InvalidConfig { message };
        let credentials = self
            .credentials
            .ok_or_else(|| invalid("no credentials: set them with `credentials` or `bearer_token`".into()))?;
        let base_url = self.base_url.trim_end_matches('/').to_string();
        let base = checked_url("base URL", &base_url)?;
        let oauth = checked_url("OAuth URL", &self.oauth_url)?;
        let all_https = base.scheme() == "https" && oauth.scheme() == "https";
        let source = self.source.unwrap_or_else(|| Source::of(&base_url, &credentials));
        let http = match self.http_client {
            Some(client) => client,
            None => {
                crate::tls::ensure_provider();
                reqwest::Client::builder()
                    .timeout(self.timeout)
                    .connect_timeout(self.connect_timeout)
                    .user_agent(self.user_agent)
                    // Zoom does not redirect these endpoints; a redirect is a
                    // misconfiguration or an attack, and must not carry the
                    // token or the client secret anywhere. A 3xx is an error.
                    .redirect(reqwest::redirect::Policy::none())
                    // Loopback http (tests, the fake Zoom) would be refused.
                    .https_only(all_https)
                    .build()
                    .map_err(|e| invalid(format!("cannot build the HTTP client: {e}")))?
            }
        };
        let tokens = TokenSource::new(
            credentials,
            TokenConfig {
                http: http.clone(),
                token_url: self.oauth_url,
                refresh_margin: self.token_refresh_margin,
                retry: self.retry.clone(),
                sleep: self.sleep.clone(),
                clock: self.clock.clone(),
            },
        );
        let transport = Transport::new(TransportState {
            tokens,
            retry: self.retry.clone(),
            limiter: rate_limiter(self.requests_per_second),
            sleep: self.sleep,
            clock: self.clock.clone(),
            max_response_bytes: self.max_response_bytes,
            base_path: base.path().trim_end_matches('/').to_string(),
            counters: Default::default(),
        });
        Ok(Client {
            generated: generated::Client::new_with_client(&base_url, http, transport),
            settings: Arc::new(Settings {
                clock: self.clock,
                source,
                paging: PagingPolicy {
                    max_window_restarts: self.max_window_restarts,
                    page_token_lifetime: self.page_token_lifetime,
                },
                request_timeout: self.timeout,
                _keeps_alive: self.keeps_alive,
            }),
        })
    }
}

/// Parses a configured URL and refuses cleartext to anything but loopback:
/// the OAuth URL receives the client secret, the base URL the bearer token.
fn checked_url(name: &str, url: &str) -> Result<reqwest::Url, Error> {
    let invalid = |message: String| Error::InvalidConfig { message };
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid(format!("the {name} `{url}` is not a URL: {e}")))?;
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if is_loopback(&parsed) => Ok(parsed),
        "http" => Err(invalid(format!(
            "the {name} `{url}` is plain http: credentials would be sent in cleartext; use https (http is allowed only for loopback hosts)"
        ))),
        other => Err(invalid(format!("the {name} `{url}` has scheme `{other}`; use https"))),
    }
}

/// `127.0.0.0/8`, `::1` or `localhost`.
fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else { return false };
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}
