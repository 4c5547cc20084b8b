//! The report requests: sessions, one session's messages, and every message
//! of a range, each as a stream of pages or of items.

use std::ops::RangeInclusive;
use std::sync::Arc;

use chrono::NaiveDate;
use futures::FutureExt;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::client::Client;
use crate::error::Error;
use crate::generated::types::ChatSession;
use crate::include::Include;
use crate::pagination::{
    FetchPage, MessageEvent, MessageItem, MessageKind, MessageOutcome, Page, Paged, RawPage, Recovery, SessionFailure,
    end_after_error, id_key, items, message_key, window_pages, window_pages_with,
};
use crate::streams::{Items, Pages};
use crate::windows::DateWindow;
use crate::zoom::{MAX_MESSAGES_PAGE_SIZE, MAX_SESSIONS_PAGE_SIZE};

/// The report requests, built on a client: what the streams below page through.
impl Client {
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

    /// The sessions of windows planned earlier (see [`Self::plan_windows`]),
    /// one window after another, as they are. Zoom still refuses a window
    /// it no longer reports, with [`Error::ZoomCode300`].
    ///
    /// ```no_run
    /// # async fn example(client: zoom_chat_reports::Client) -> Result<(), zoom_chat_reports::Error> {
    /// use futures::TryStreamExt;
    /// let windows = client.plan_windows("2026-10-01".parse().unwrap()..="2026-11-30".parse().unwrap())?;
    /// // ...recorded, and used as they are by every later run:
    /// let sessions: Vec<_> = client.sessions_in(windows).items().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn sessions_in(&self, windows: Vec<DateWindow>) -> SessionsRequest {
        SessionsRequest::for_windows(self.clone(), windows)
    }

    /// The messages of one session in windows planned earlier (see
    /// [`Self::plan_windows`] and [`Self::sessions_in`]).
    pub fn messages_in(&self, session_id: impl Into<String>, windows: Vec<DateWindow>) -> MessagesRequest {
        MessagesRequest::for_windows(self.clone(), Arc::from(session_id.into()), windows)
    }
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
    span: Span,
    page_size: u32,
}

/// The days a request covers.
#[derive(Debug, Clone)]
enum Span {
    /// Any range, split into month windows against the client's today.
    Range(RangeInclusive<NaiveDate>),
    /// Windows planned earlier, used as they are.
    Planned(Vec<DateWindow>),
}

impl Span {
    fn windows(&self, client: &Client) -> Result<Vec<DateWindow>, Error> {
        match self {
            Span::Range(range) => client.plan_windows(range.clone()),
            Span::Planned(windows) => Ok(windows.clone()),
        }
    }
}

impl SessionsRequest {
    pub(crate) fn new(client: Client, range: RangeInclusive<NaiveDate>) -> Self {
        Self::over(client, Span::Range(range))
    }

    /// See [`Client::sessions_in`].
    pub(crate) fn for_windows(client: Client, windows: Vec<DateWindow>) -> Self {
        Self::over(client, Span::Planned(windows))
    }

    fn over(client: Client, span: Span) -> Self {
        Self {
            client,
            span,
            page_size: MAX_SESSIONS_PAGE_SIZE,
        }
    }

    /// Sessions per page. Defaults to Zoom's maximum, 300; larger values are
    /// clamped to it, and 0 to 1.
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size.clamp(1, MAX_SESSIONS_PAGE_SIZE);
        self
    }

    /// Pages as Zoom returns them, one month window after another. A session
    /// active in several windows appears in each of them.
    pub fn pages(self) -> Pages<ChatSession> {
        Pages::new(self.page_stream())
    }

    fn page_stream(self) -> BoxStream<'static, Result<Page<ChatSession>, Error>> {
        let windows = match self.span.windows(&self.client) {
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
        let paged = Paged { session: None, windows };
        window_pages(paged, fetch, |session| id_key(&session.id, 0), self.client.paging())
    }

    /// Every session once, even when it is active in several windows.
    pub fn items(self) -> Items<ChatSession> {
        let mut seen = std::collections::HashSet::new();
        Items::new(
            items(self.page_stream())
                .try_filter(move |session| std::future::ready(seen.insert(session.id.clone())))
                .boxed(),
        )
    }
}

/// A messages report for one session over any date range.
#[derive(Debug, Clone)]
pub struct MessagesRequest {
    client: Client,
    session_id: Arc<str>,
    span: Span,
    page_size: u32,
    include: Include,
}

impl MessagesRequest {
    pub(crate) fn new(client: Client, session_id: Arc<str>, range: RangeInclusive<NaiveDate>) -> Self {
        Self::over(client, session_id, Span::Range(range))
    }

    /// See [`Client::messages_in`].
    pub(crate) fn for_windows(client: Client, session_id: Arc<str>, windows: Vec<DateWindow>) -> Self {
        Self::over(client, session_id, Span::Planned(windows))
    }

    fn over(client: Client, session_id: Arc<str>, span: Span) -> Self {
        Self {
            client,
            session_id,
            span,
            page_size: MAX_MESSAGES_PAGE_SIZE,
            include: Include::NONE,
        }
    }

    /// Messages per page. Defaults to Zoom's maximum, 100; larger values are
    /// clamped to it, and 0 to 1.
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size.clamp(1, MAX_MESSAGES_PAGE_SIZE);
        self
    }

    /// What to ask Zoom for beyond sent messages: see [`Include`].
    pub fn include(mut self, include: Include) -> Self {
        self.include = include;
        self
    }

    /// Pages, one month window after another. Sent, edited and deleted
    /// messages of a page come in that order.
    pub fn pages(self) -> Pages<MessageItem> {
        Pages::new(self.page_stream(Recovery::SkipYielded))
    }

    /// Every message, one at a time.
    pub fn items(self) -> Items<MessageItem> {
        Items::new(items(self.page_stream(Recovery::SkipYielded)))
    }

    /// Every message, with nothing kept in memory per message, for a caller
    /// that stores what it receives (a spool file, a database transaction).
    ///
    /// [`Self::items`] recovers from an expired page token by starting the
    /// window over and skipping what it already yielded, which means keeping
    /// a fingerprint of every message of the window: about 50 bytes each. This
    /// stream starts the window over too, but instead says so, with
    /// [`MessageEvent::WindowRestarted`] before the window's messages come
    /// again from its first: the caller drops what it kept of that window.
    /// Restarts are bounded by [`ClientBuilder::max_window_restarts`](crate::ClientBuilder::max_window_restarts).
    /// As every stream of this crate, it ends after the first error, which
    /// may come after the window started over and before its messages came
    /// again: a caller who keeps what it receives drops the window then too.
    ///
    /// ```no_run
    /// # async fn example(client: zoom_chat_reports::Client) -> Result<(), zoom_chat_reports::Error> {
    /// use futures::TryStreamExt;
    /// use zoom_chat_reports::MessageEvent;
    ///
    /// let windows = client.plan_windows("2026-11-01".parse().unwrap()..="2026-11-30".parse().unwrap())?;
    /// let mut events = client.messages_in("session-id", windows).events();
    /// let mut kept = Vec::new();
    /// while let Some(event) = events.try_next().await? {
    ///     match event {
    ///         MessageEvent::Message(item) => kept.push(item),
    ///         MessageEvent::WindowRestarted { window } => kept.retain(|item| item.window != window),
    ///         _ => {}
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn events(self) -> Items<MessageEvent> {
        Items::new(
            self.page_stream(Recovery::StartOver)
                .map_ok(|page| {
                    let restart = page
                        .restarted
                        .then_some(MessageEvent::WindowRestarted { window: page.window });
                    let messages = page.items.into_iter().map(MessageEvent::Message);
                    stream::iter(restart.into_iter().chain(messages).map(Ok))
                })
                .try_flatten()
                .boxed(),
        )
    }

    fn page_stream(self, recovery: Recovery) -> BoxStream<'static, Result<Page<MessageItem>, Error>> {
        let windows = match self.span.windows(&self.client) {
            Ok(windows) => windows,
            Err(error) => return failed(error),
        };
        message_pages(
            self.client,
            self.session_id,
            windows,
            self.page_size,
            self.include,
            recovery,
        )
    }
}

fn message_pages(
    client: Client,
    session_id: Arc<str>,
    windows: Vec<DateWindow>,
    page_size: u32,
    include: Include,
    recovery: Recovery,
) -> BoxStream<'static, Result<Page<MessageItem>, Error>> {
    let paging = client.paging();
    let paged = Paged {
        session: Some(session_id.clone()),
        windows,
    };
    let fetch = message_fetch(client, session_id, page_size, include);
    window_pages_with(paged, fetch, message_key, paging, recovery)
}

fn message_fetch(client: Client, session_id: Arc<str>, page_size: u32, include: Include) -> FetchPage<MessageItem> {
    Arc::new(move |window, token, deadline| {
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
    })
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
    pub(crate) fn new(sessions: SessionsRequest) -> Self {
        Self {
            sessions,
            messages_page_size: MAX_MESSAGES_PAGE_SIZE,
            include: Include::NONE,
        }
    }

    /// What to ask Zoom for beyond sent messages: see [`Include`].
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

    /// Every message, session by session, window by window, going on past
    /// a session Zoom cannot serve: its failure comes as an item
    /// ([`MessageOutcome::SessionFailed`]) and the next session follows.
    /// Only failures of one session's report go by this way
    /// ([`Error::is_isolated_failure`]); the sessions report failing,
    /// authentication, the daily limit or the network still end the stream
    /// with the error, as [`Self::items`] does at its first error of any kind.
    ///
    /// Messages of a session that failed part way are yielded up to the
    /// failure; its [`SessionFailure`] says so, so that a caller who counts
    /// or archives can leave that session's window out or fetch it again.
    ///
    /// ```no_run
    /// # async fn example(client: zoom_chat_reports::Client) -> Result<(), zoom_chat_reports::Error> {
    /// use futures::TryStreamExt;
    /// use zoom_chat_reports::MessageOutcome;
    ///
    /// let from = "2026-11-01".parse().unwrap();
    /// let to = "2026-11-20".parse().unwrap();
    /// let mut outcomes = client.all_messages(from..=to).outcomes();
    /// while let Some(outcome) = outcomes.try_next().await? {
    ///     match outcome {
    ///         MessageOutcome::Message(item) => println!("{} {}", item.session_id, item.message.id),
    ///         MessageOutcome::SessionFailed(failed) => eprintln!("skipped: {failed}"),
    ///         _ => {}
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn outcomes(self) -> Items<MessageOutcome> {
        let outcomes = self.per_session(|session_id, window, messages| {
            messages.map(move |result| match result {
                Ok(item) => Ok(MessageOutcome::Message(item)),
                Err(error) if error.is_isolated_failure() => Ok(MessageOutcome::SessionFailed(SessionFailure {
                    session_id: session_id.clone(),
                    window,
                    error,
                })),
                Err(error) => Err(error),
            })
        });
        Items::new(end_after_error(outcomes))
    }

    /// Every message, session by session, window by window. Ends after the
    /// first error, whichever session it came from; see [`Self::outcomes`]
    /// to go on past a session Zoom cannot serve.
    pub fn items(self) -> Items<MessageItem> {
        Items::new(end_after_error(self.per_session(|_, _, messages| messages)))
    }

    /// The sessions report, window by window, and for each session it lists
    /// the stream of its messages in that window, made into what the caller
    /// yields by `each`.
    fn per_session<T, S>(
        self,
        each: impl Fn(Arc<str>, DateWindow, BoxStream<'static, Result<MessageItem, Error>>) -> S
        + Clone
        + Send
        + Sync
        + 'static,
    ) -> impl futures::Stream<Item = Result<T, Error>> + Send + 'static
    where
        T: Send + 'static,
        S: futures::Stream<Item = Result<T, Error>> + Send + 'static,
    {
        let client = self.sessions.client.clone();
        let (page_size, include) = (self.messages_page_size, self.include);
        self.sessions
            .page_stream()
            .map_ok(move |page| {
                let (client, each) = (client.clone(), each.clone());
                let window = page.window;
                stream::iter(page.items).flat_map(move |session| {
                    let session_id: Arc<str> = Arc::from(session.id);
                    let messages = items(message_pages(
                        client.clone(),
                        session_id.clone(),
                        vec![window],
                        page_size,
                        include,
                        Recovery::SkipYielded,
                    ));
                    each(session_id, window, messages)
                })
            })
            .try_flatten()
    }
}
