//! The client, its builder, and the report requests with their streams.

use std::fmt;
use std::num::NonZeroU32;
use std::ops::RangeInclusive;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use futures::FutureExt;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use tokio::time::Instant;

use crate::auth::{Credentials, DEFAULT_OAUTH_URL, TokenSource};
use crate::error::Error;
use crate::generated;
use crate::generated::types::{ChatSession, ReportChatMessagesResponse, ReportChatSessionsResponse};
use crate::pagination::{
    FetchError, FetchPage, Include, MessageItem, MessageKind, Page, PagingPolicy, RawPage, end_after_error, id_key,
    items, message_key, window_pages,
};
use crate::responses::{CallContext, into_result};
use crate::retry::RetryPolicy;
use crate::runtime::{Clock, Sleep, SystemClock, TokioSleep};
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
        SessionsRequest {
            client: self.clone(),
            range,
            page_size: MAX_SESSIONS_PAGE_SIZE,
        }
    }

    /// The messages of one session in `range`, split into month windows.
    pub fn messages(&self, session_id: impl Into<String>, range: RangeInclusive<NaiveDate>) -> MessagesRequest {
        MessagesRequest {
            client: self.clone(),
            session_id: Arc::from(session_id.into()),
            range,
            page_size: MAX_MESSAGES_PAGE_SIZE,
            include: Include::NONE,
        }
    }

    /// Every message of every session in `range`: in each month window, the
    /// sessions that window's report lists, then each session's messages in that window.
    pub fn all_messages(&self, range: RangeInclusive<NaiveDate>) -> AllMessagesRequest {
        AllMessagesRequest {
            sessions: self.sessions(range.clone()),
            messages_page_size: MAX_MESSAGES_PAGE_SIZE,
            include: Include::NONE,
        }
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

/// A stream that yields one error before any request: the range was invalid.
fn failed<T: Send + 'static>(error: Error) -> BoxStream<'static, Result<T, Error>> {
    stream::once(async move { Err(error) }).boxed()
}

/// A sessions report over any date range.
///
/// ```no_run
/// # async fn example(client: zoom_chat_reports::Client) -> Result<(), zoom_chat_reports::Error> {
/// use futures::TryStreamExt;
/// let from = "2026-09-01".parse().unwrap();
/// let to = "2026-11-20".parse().unwrap();
/// let sessions: Vec<_> = client.sessions(from..=to).items().try_collect().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct SessionsRequest {
    client: Client,
    range: RangeInclusive<NaiveDate>,
    page_size: u32,
}

impl SessionsRequest {
    /// Sessions per page. Defaults to Zoom's maximum, 300; larger values are
    /// clamped to it, and 0 to 1.
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size.clamp(1, MAX_SESSIONS_PAGE_SIZE);
        self
    }

    /// Pages as Zoom returns them, one month window after another. A session
    /// active in several windows appears in each of them.
    pub fn pages(self) -> BoxStream<'static, Result<Page<ChatSession>, Error>> {
        let windows = match self.client.windows(&self.range) {
            Ok(windows) => windows,
            Err(error) => return failed(error),
        };
        let client = self.client.clone();
        let page_size = self.page_size;
        let fetch: FetchPage<ChatSession> = Arc::new(move |window, token, deadline| {
            let client = client.clone();
            async move {
                let page = client.sessions_page(window, page_size, token, deadline).await?;
                Ok(RawPage {
                    items: page.sessions,
                    next_page_token: page.next_page_token,
                })
            }
            .boxed()
        });
        window_pages(
            windows,
            fetch,
            |session| id_key(&session.id, 0),
            self.client.settings.paging,
        )
    }

    /// Every session once, even when it is active in several windows.
    pub fn items(self) -> BoxStream<'static, Result<ChatSession, Error>> {
        let mut seen = std::collections::HashSet::new();
        items(self.pages())
            .try_filter(move |session| std::future::ready(seen.insert(session.id.clone())))
            .boxed()
    }
}

/// A messages report for one session over any date range.
#[derive(Debug, Clone)]
pub struct MessagesRequest {
    client: Client,
    session_id: Arc<str>,
    range: RangeInclusive<NaiveDate>,
    page_size: u32,
    include: Include,
}

impl MessagesRequest {
    /// Messages per page. Defaults to Zoom's maximum, 100; larger values are
    /// clamped to it, and 0 to 1.
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size.clamp(1, MAX_MESSAGES_PAGE_SIZE);
        self
    }

    /// Also report edited and/or deleted messages.
    pub fn include(mut self, include: Include) -> Self {
        self.include = include;
        self
    }

    /// Pages, one month window after another. Sent, edited and deleted
    /// messages of a page come in that order.
    pub fn pages(self) -> BoxStream<'static, Result<Page<MessageItem>, Error>> {
        let windows = match self.client.windows(&self.range) {
            Ok(windows) => windows,
            Err(error) => return failed(error),
        };
        message_pages(self.client, self.session_id, windows, self.page_size, self.include)
    }

    /// Every message, one at a time.
    pub fn items(self) -> BoxStream<'static, Result<MessageItem, Error>> {
        items(self.pages())
    }
}

fn message_pages(
    client: Client,
    session_id: Arc<str>,
    windows: Vec<DateWindow>,
    page_size: u32,
    include: Include,
) -> BoxStream<'static, Result<Page<MessageItem>, Error>> {
    let paging = client.settings.paging;
    let fetch: FetchPage<MessageItem> = Arc::new(move |window, token, deadline| {
        let client = client.clone();
        let session_id = session_id.clone();
        async move {
            let page = client
                .messages_page(&session_id, window, page_size, include, token, deadline)
                .await?;
            let tag = |kind: MessageKind| {
                let session_id = session_id.clone();
                move |message| MessageItem {
                    session_id: session_id.clone(),
                    kind,
                    window,
                    message,
                }
            };
            let mut items =
                Vec::with_capacity(page.messages.len() + page.edited_messages.len() + page.deleted_messages.len());
            items.extend(page.messages.into_iter().map(tag(MessageKind::Sent)));
            items.extend(page.edited_messages.into_iter().map(tag(MessageKind::Edited)));
            items.extend(page.deleted_messages.into_iter().map(tag(MessageKind::Deleted)));
            Ok(RawPage {
                items,
                next_page_token: page.next_page_token,
            })
        }
        .boxed()
    });
    window_pages(windows, fetch, message_key, paging)
}

/// Every message of every session in a date range, as one stream.
///
/// ```no_run
/// # async fn example(client: zoom_chat_reports::Client) -> Result<(), zoom_chat_reports::Error> {
/// use futures::TryStreamExt;
/// use zoom_chat_reports::Include;
///
/// let from = "2026-10-01".parse().unwrap();
/// let to = "2026-11-20".parse().unwrap();
/// let mut messages = client.all_messages(from..=to).include(Include::ALL).items();
/// while let Some(item) = messages.try_next().await? {
///     println!("{} {} {}", item.session_id, item.kind.as_str(), item.message.id);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct AllMessagesRequest {
    sessions: SessionsRequest,
    messages_page_size: u32,
    include: Include,
}

impl AllMessagesRequest {
    /// Also report edited and/or deleted messages.
    pub fn include(mut self, include: Include) -> Self {
        self.include = include;
        self
    }

    /// Messages per page, clamped to 1..=100.
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.messages_page_size = page_size.clamp(1, MAX_MESSAGES_PAGE_SIZE);
        self
    }

    /// Sessions per page, clamped to 1..=300.
    pub fn sessions_page_size(mut self, page_size: u32) -> Self {
        self.sessions = self.sessions.page_size(page_size);
        self
    }

    /// Every message, session by session, window by window.
    pub fn items(self) -> BoxStream<'static, Result<MessageItem, Error>> {
        let client = self.sessions.client.clone();
        let (page_size, include) = (self.messages_page_size, self.include);
        let messages = self
            .sessions
            .pages()
            .map_ok(move |page| {
                let client = client.clone();
                let window = page.window;
                stream::iter(page.items).flat_map(move |session| {
                    items(message_pages(
                        client.clone(),
                        Arc::from(session.id),
                        vec![window],
                        page_size,
                        include,
                    ))
                })
            })
            .try_flatten();
        end_after_error(messages)
    }
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
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("oauth_url", &self.oauth_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("requests_per_second", &self.requests_per_second)
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

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let invalid = |message: String| Error::InvalidRequest { message };
        let credentials = self
            .credentials
            .ok_or_else(|| invalid("no credentials: set them with `credentials` or `bearer_token`".into()))?;
        let base_url = self.base_url.trim_end_matches('/').to_string();
        for (name, url) in [("base URL", &base_url), ("OAuth URL", &self.oauth_url)] {
            reqwest::Url::parse(url).map_err(|e| invalid(format!("the {name} `{url}` is not a URL: {e}")))?;
        }
        ensure_tls_provider();
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent)
            .build()
            .map_err(|e| invalid(format!("cannot build the HTTP client: {e}")))?;
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
/// ring unless the application installed its own.
fn ensure_tls_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another thread installing one is fine: either provider works.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
