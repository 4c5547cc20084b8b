//! The client and its builder. The report requests it starts are in `requests`.

use std::fmt;
use std::num::NonZeroU32;
use std::ops::RangeInclusive;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use tokio::time::Instant;

use crate::auth::{Credentials, DEFAULT_OAUTH_URL, TokenSource};
use crate::error::Error;
use crate::generated;
use crate::generated::types::{ReportChatMessagesResponse, ReportChatSessionsResponse};
use crate::pagination::{FetchError, Include, PagingPolicy};
use crate::requests::{AllMessagesRequest, MessagesRequest, SessionsRequest};
use crate::responses::{CallContext, into_result};
use crate::retry::RetryPolicy;
use crate::runtime::{Clock, Sleep, SystemClock, TokioSleep};
use crate::source::Source;
use crate::transport::{Transport, TransportState, TransportStats, rate_limiter};
use crate::windows::{DateWindow, month_windows};

/// Zoom's API base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.zoom.us/v2";
/// The most sessions Zoom returns in one page.
pub const MAX_SESSIONS_PAGE_SIZE: u32 = 300;
/// The most messages Zoom returns in one page.
pub const MAX_MESSAGES_PAGE_SIZE: u32 = 100;
/// How long Zoom honours a `next_page_token`.
pub const PAGE_TOKEN_LIFETIME: Duration = Duration::from_secs(15 * 60);

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
    retry: RetryPolicy,
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
    /// Returns `Ok(None)` when no credentials are set.
    pub fn builder_from_env() -> Result<Option<ClientBuilder>, Error> {
        let Some(credentials) = Credentials::from_env()? else {
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

    /// The generated client, for calling an operation directly. Its requests
    /// still go through this client's auth, rate limiter and retries.
    pub fn generated(&self) -> &generated::Client {
        &self.generated
    }

    /// What the transport has done so far.
    pub fn stats(&self) -> TransportStats {
        self.generated.inner().stats()
    }

    /// The chat sessions with activity in `range`, split into month windows.
    pub fn sessions(&self, range: RangeInclusive<NaiveDate>) -> SessionsRequest {
        SessionsRequest::new(self.clone(), range)
    }

    /// The messages of one session in `range`, split into month windows.
    pub fn messages(&self, session_id: impl Into<String>, range: RangeInclusive<NaiveDate>) -> MessagesRequest {
        MessagesRequest::new(self.clone(), Arc::from(session_id.into()), range)
    }

    /// Every message of every session in `range`: in each month window, the
    /// sessions that window's report lists, then each session's messages in that window.
    pub fn all_messages(&self, range: RangeInclusive<NaiveDate>) -> AllMessagesRequest {
        AllMessagesRequest::new(self.sessions(range))
    }

    /// The API and account this client reads from, without any secret. An
    /// export records it and refuses to resume from another source.
    pub fn source(&self) -> &Source {
        &self.settings.source
    }

    /// Today in UTC, by the client's clock.
    pub(crate) fn today(&self) -> NaiveDate {
        self.settings.clock.today()
    }

    pub(crate) fn paging(&self) -> PagingPolicy {
        self.settings.paging
    }

    pub(crate) fn windows(&self, range: &RangeInclusive<NaiveDate>) -> Result<Vec<DateWindow>, Error> {
        Ok(month_windows(range, self.settings.clock.today())?)
    }

    fn transport(&self) -> &Transport {
        self.generated.inner()
    }

    async fn finish<T: serde::de::DeserializeOwned>(
        &self,
        had_page_token: bool,
        result: (
            Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<generated::types::ZoomError>>,
            crate::transport::CallRecord,
        ),
    ) -> Result<T, FetchError> {
        let (result, record) = result;
        let token_outlived = record.token_deadline_hit;
        let context = CallContext {
            record,
            had_page_token,
            clock: &*self.settings.clock,
            retry: &self.settings.retry,
        };
        into_result(result, context)
            .await
            .map_err(|error| FetchError { error, token_outlived })
    }

    /// One sessions page. Public streams are built on this.
    pub(crate) async fn sessions_page(
        &self,
        window: DateWindow,
        page_size: u32,
        token: Option<String>,
        deadline: Option<Instant>,
    ) -> Result<ReportChatSessionsResponse, FetchError> {
        let had_token = token.is_some();
        let result = self
            .transport()
            .call("report_chat_sessions", deadline, || {
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
            .await;
        self.finish(had_token, result).await
    }

    /// One messages page.
    pub(crate) async fn messages_page(
        &self,
        session_id: &str,
        window: DateWindow,
        page_size: u32,
        include: Include,
        token: Option<String>,
        deadline: Option<Instant>,
    ) -> Result<ReportChatMessagesResponse, FetchError> {
        let had_token = token.is_some();
        let result = self
            .transport()
            .call("report_chat_messages", deadline, || {
                let mut request = self
                    .generated
                    .report_chat_messages()
                    .session_id(session_id)
                    .from(window.from)
                    .to(window.to)
                    .page_size(i64::from(page_size));
                if let Some(fields) = include.query_value() {
                    request = request.include_fields(fields);
                }
                if let Some(token) = &token {
                    request = request.next_page_token(token.clone());
                }
                request.send()
            })
            .await;
        self.finish(had_token, result).await
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
    http_client: Option<reqwest::Client>,
    /// Set by the fake Zoom, whose URL changes each run; otherwise the source
    /// follows from the base URL and the credentials.
    source: Option<Source>,
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
            http_client: None,
            source: None,
        }
    }
}

impl ClientBuilder {
    /// The API base URL. Defaults to `https://api.zoom.us/v2`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The Server-to-Server OAuth token URL. Defaults to `https://zoom.us/oauth/token`.
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

    /// How long before an OAuth token expires it is replaced. Defaults to 5 minutes.
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_refresh_margin = margin;
        self
    }

    /// Sends every request, token requests included, through your own
    /// `reqwest::Client`: for a proxy, custom roots, your TLS provider or a
    /// connection pool shared with the rest of your application.
    ///
    /// [`Self::timeout`], [`Self::connect_timeout`] and [`Self::user_agent`]
    /// then do not apply: set them on your client. The crate installs no TLS
    /// provider when you bring your own client.
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

    /// Builds the client.
    ///
    /// Fails with [`Error::InvalidConfig`] when credentials are missing, a URL
    /// does not parse, or the HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        let invalid = |message: String| Error::InvalidConfig { message };
        let credentials = self
            .credentials
            .ok_or_else(|| invalid("no credentials: set them with `credentials` or `bearer_token`".into()))?;
        let base_url = self.base_url.trim_end_matches('/').to_string();
        for (name, url) in [("base URL", &base_url), ("OAuth URL", &self.oauth_url)] {
            reqwest::Url::parse(url).map_err(|e| invalid(format!("the {name} `{url}` is not a URL: {e}")))?;
        }
        let source = self.source.unwrap_or_else(|| Source::of(&base_url, &credentials));
        let http = match self.http_client {
            Some(client) => client,
            None => {
                ensure_tls_provider();
                reqwest::Client::builder()
                    .timeout(self.timeout)
                    .connect_timeout(self.connect_timeout)
                    .user_agent(self.user_agent)
                    .build()
                    .map_err(|e| invalid(format!("cannot build the HTTP client: {e}")))?
            }
        };
        let tokens = TokenSource::new(credentials, http.clone(), self.oauth_url, self.token_refresh_margin);
        let transport = Transport::new(TransportState {
            tokens,
            retry: self.retry.clone(),
            limiter: rate_limiter(self.requests_per_second),
            sleep: self.sleep,
            clock: self.clock.clone(),
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
                retry: self.retry,
            }),
        })
    }
}

/// reqwest is built with rustls but no crypto provider, to use ring instead
/// of aws-lc (see Cargo.toml). rustls then needs a process default; install
/// ring unless the application installed its own. Documented on the crate
/// root; an application that wants its own provider installs it first, or
/// passes its own client with [`ClientBuilder::http_client`].
fn ensure_tls_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another thread installing one is fine: either provider works.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
