//! Pagination streams over month windows, with expired-token recovery.
//!
//! One engine, [`window_pages`], serves both report operations. For each month
//! window it follows `next_page_token` until Zoom sends none or an empty one,
//! resending the same query each time. It is lazy: nothing is fetched until
//! the stream is polled, and each page only when the previous one is used up.
//!
//! Page tokens expire after 15 minutes, so a slow consumer can find its next
//! page refused with code 300. The engine then restarts that window from its
//! first page and drops the items it has already yielded in that window (by
//! id), so that nothing is lost and nothing comes twice. Restarts are bounded;
//! past the bound the stream yields the error. A token Zoom repeats within one
//! pass is an error rather than a loop, and the stream ends after the first
//! error it yields.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::hash::BuildHasherDefault;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};
use tokio::time::Instant;

use crate::error::Error;
use crate::generated::types::ChatMessage;
use crate::windows::DateWindow;

/// One page of a report, after recovery filtering.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The month window this page belongs to.
    pub window: DateWindow,
    /// The page's items, minus any already yielded before a window restart.
    pub items: Vec<T>,
    /// The first page of a window started over after an expired page token,
    /// in [`Recovery::StartOver`]: what was yielded of the window before comes again.
    pub(crate) restarted: bool,
}

impl<T> fmt::Debug for Page<T> {
    // Items may be chat content; show their count only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page")
            .field("window", &self.window)
            .field("items", &self.items.len())
            .finish()
    }
}

/// Which list of a messages report an item came from: what happened to the
/// message, not what it is now.
///
/// **The record model.** Zoom lists a message once per thing that happened
/// to it, so one message can be several items with the same `message.id`:
///
/// | what happened | items, in the report of the window it was sent in |
/// |---|---|
/// | sent | `Sent` |
/// | sent, then edited (with [`Include::edited`](crate::Include::edited)) | `Sent`, and `Edited` with the new text and `action_timestamp`, once per edit |
/// | sent, then deleted (with [`Include::deleted`](crate::Include::deleted)) | `Deleted` alone, with `action_timestamp` |
/// | edited, then deleted | `Deleted` alone |
/// | a reaction added or removed | no item: the message's `reactions` (with [`Include::reactions`](crate::Include::reactions)) are as of the report |
///
/// Without `edited` or `deleted` asked for, only `Sent` items come, and a
/// deleted message is not reported at all. With
/// [`Include::by_modification_time`](crate::Include::by_modification_time),
/// edits and deletions are reported in the window of the day they were made
/// instead. Counting items counts events; to count or show messages, use
/// [`Items::latest`](crate::Items::latest), which yields each message once,
/// in its latest version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// From the report's `messages`.
    Sent,
    /// From `edited_messages` (asked for with [`Include::edited`](crate::Include::edited)).
    Edited,
    /// From `deleted_messages` (asked for with [`Include::deleted`](crate::Include::deleted)).
    Deleted,
}

impl MessageKind {
    /// `sent`, `edited` or `deleted`.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Sent => "sent",
            MessageKind::Edited => "edited",
            MessageKind::Deleted => "deleted",
        }
    }
}

/// One item of a messages report, with where it came from: a message as
/// sent, an edit of it, or its deletion ([`MessageKind`]). An edited message
/// is two items or more with the same `message.id`; see [`MessageKind`] for
/// the record model, and [`Items::latest`](crate::Items::latest) for one item
/// per message.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct MessageItem {
    /// The chat session the message belongs to.
    pub session_id: Arc<str>,
    /// Sent, edited or deleted.
    pub kind: MessageKind,
    /// The month window the message was reported in.
    pub window: DateWindow,
    /// The message as Zoom reported it.
    pub message: ChatMessage,
}

impl fmt::Debug for MessageItem {
    // Never print the message: it is chat content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessageItem")
            .field("session_id", &self.session_id)
            .field("kind", &self.kind)
            .field("window", &self.window)
            .field("id", &self.message.id)
            .finish_non_exhaustive()
    }
}

/// One item of [`crate::AllMessagesRequest::outcomes`]: a message, or a
/// session whose messages Zoom could not serve for one window.
#[derive(Debug)]
#[non_exhaustive]
// Nearly every item is a message: boxing it would cost an allocation per
// message to save space on the rare failure.
#[allow(clippy::large_enum_variant)]
pub enum MessageOutcome {
    /// A message, as [`crate::AllMessagesRequest::items`] yields it.
    Message(MessageItem),
    /// One session's report failed after the client's retries; the stream
    /// goes on with the next session.
    SessionFailed(SessionFailure),
}

/// What [`crate::MessagesRequest::events`] yields.
#[derive(Debug, Clone)]
#[non_exhaustive]
// Nearly every event is a message: boxing it to shrink the rare restart
// would cost an allocation per message.
#[allow(clippy::large_enum_variant)]
pub enum MessageEvent {
    /// A message, as [`crate::MessagesRequest::items`] yields it.
    Message(MessageItem),
    /// A page token expired and `window` starts over: the messages of
    /// `window` yielded so far come again. Drop what was kept of them.
    WindowRestarted {
        /// The window that starts over.
        window: DateWindow,
    },
}

/// A session whose messages report failed for one month window, while the
/// rest of the account answered.
#[derive(Debug)]
#[non_exhaustive]
pub struct SessionFailure {
    /// The session.
    pub session_id: Arc<str>,
    /// The month window it failed for.
    pub window: DateWindow,
    /// Why; [`Error::is_isolated_failure`] holds for it.
    pub error: Error,
}

impl fmt::Display for SessionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "session {} could not be fetched for {}..={}: {}",
            self.session_id,
            self.window.from,
            self.window.to,
            self.error.root()
        )
    }
}

/// What one fetch returned.
pub(crate) struct RawPage<T> {
    pub items: Vec<T>,
    pub next_page_token: Option<String>,
}

/// Why one fetch failed.
pub(crate) struct FetchError {
    pub error: Error,
    /// A retry was cut short because it would have outlived the page token:
    /// recover as if the token had expired.
    pub token_outlived: bool,
}

impl From<Error> for FetchError {
    fn from(error: Error) -> Self {
        Self {
            error,
            token_outlived: false,
        }
    }
}

/// Pages in a row that bring nothing new (empty, or only items already
/// yielded in this window) but carry a next token, followed before giving up.
/// Zoom sends none in practice; a server that did, or one that ignores
/// `next_page_token` and sends its first page again with a fresh token each
/// time, would otherwise be polled for ever.
const MAX_PAGES_WITHOUT_NEW_ITEMS: usize = 20;

/// How long a page token is good for, less a margin for the request itself.
/// A lifetime too long to add (a caller's `Duration::MAX`) never runs out.
pub(crate) fn page_token_deadline(received: Instant, lifetime: Duration) -> Instant {
    crate::runtime::saturating_add(received, lifetime.mul_f64(0.9))
}

/// Fetches one page: the window, the page token, and the token's deadline.
pub(crate) type FetchPage<T> = Arc<
    dyn Fn(DateWindow, Option<String>, Option<Instant>) -> BoxFuture<'static, Result<RawPage<T>, FetchError>>
        + Send
        + Sync,
>;

/// The settings of the engine that are the same for every stream of a client.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PagingPolicy {
    pub max_window_restarts: u32,
    pub page_token_lifetime: Duration,
}

/// A pass through one window: the tokens seen and the items yielded.
struct WindowPass {
    window: DateWindow,
    /// The token for the next page and when it arrived; `None` before the first page.
    next_token: Option<(String, Instant)>,
    first_page_fetched: bool,
    /// Fingerprints of the tokens of this pass: a window of a million
    /// messages has ten thousand pages, and their tokens need not be kept.
    tokens_seen: HashSet<ItemKey, BuildHasherDefault<FingerprintHasher>>,
    /// Fingerprints of the items already yielded in this window, for restarts.
    yielded: HashSet<ItemKey, BuildHasherDefault<FingerprintHasher>>,
    /// Restarts since a page last brought something new. Only these are
    /// bounded: a long window whose tokens expire again and again, but which
    /// moves on each time, is slow, not stuck.
    restarts_without_progress: u32,
    pages: usize,
    /// Pages in a row that brought nothing new but a next token.
    pages_without_new_items: usize,
    /// Pages the pass had read before its last restart: reading them again brings nothing new, rightly.
    replayed_pages: usize,
    /// The next page is the first after a restart the consumer must hear of.
    announce_restart: bool,
}

impl WindowPass {
    fn new(window: DateWindow) -> Self {
        Self {
            window,
            next_token: None,
            first_page_fetched: false,
            tokens_seen: HashSet::default(),
            yielded: HashSet::default(),
            restarts_without_progress: 0,
            pages: 0,
            pages_without_new_items: 0,
            replayed_pages: 0,
            announce_restart: false,
        }
    }

    fn is_done(&self) -> bool {
        self.first_page_fetched && self.next_token.is_none()
    }

    fn restart(&mut self) {
        self.replayed_pages = self.pages;
        self.pages_without_new_items = 0;
        self.next_token = None;
        self.first_page_fetched = false;
        self.tokens_seen.clear();
        self.restarts_without_progress += 1;
    }
}

/// How a window recovers from an expired page token.
pub(crate) enum Recovery {
    /// Restart the window and drop the items already yielded, by fingerprint.
    /// The fingerprints of a window's items are kept while it is paged.
    SkipYielded,
    /// Restart the window and yield all of it again, its first page marked
    /// `restarted`, so that the consumer drops what it kept of the window.
    /// Nothing is kept per item: memory stays flat however busy the window.
    /// Restarts are bounded in total, since none carries progress over.
    StartOver,
}

struct Engine<T> {
    /// The session whose messages are paged, to name in errors; `None` for sessions.
    session: Option<Arc<str>>,
    windows: VecDeque<DateWindow>,
    pass: Option<WindowPass>,
    fetch: FetchPage<T>,
    key: fn(&T) -> ItemKey,
    policy: PagingPolicy,
    recovery: Recovery,
    /// An error to yield after the page that revealed it (a repeated token
    /// comes with a page of real items, which are not to be lost).
    pending_error: Option<Error>,
    finished: bool,
}

/// What is paged: which windows, and of which session's messages (`None`
/// for the sessions report), to name in every error.
pub(crate) struct Paged {
    pub session: Option<Arc<str>>,
    pub windows: Vec<DateWindow>,
}

/// Pages through every window in order. See the module docs for the rules.
pub(crate) fn window_pages<T: Send + 'static>(
    paged: Paged,
    fetch: FetchPage<T>,
    key: fn(&T) -> ItemKey,
    policy: PagingPolicy,
) -> BoxStream<'static, Result<Page<T>, Error>> {
    window_pages_with(paged, fetch, key, policy, Recovery::SkipYielded)
}

/// [`window_pages`] with a choice of how expired page tokens are recovered.
pub(crate) fn window_pages_with<T: Send + 'static>(
    paged: Paged,
    fetch: FetchPage<T>,
    key: fn(&T) -> ItemKey,
    policy: PagingPolicy,
    recovery: Recovery,
) -> BoxStream<'static, Result<Page<T>, Error>> {
    let engine = Engine {
        session: paged.session,
        windows: paged.windows.into(),
        pass: None,
        fetch,
        key,
        policy,
        recovery,
        pending_error: None,
        finished: false,
    };
    stream::unfold(engine, |mut engine| async move {
        let item = engine.next_page().await?;
        Some((item, engine))
    })
    .boxed()
}

/// `error`, saying where it happened.
fn in_report(session_id: Option<Arc<str>>, window: DateWindow, error: Error) -> Error {
    Error::InReport {
        session_id,
        window,
        source: Box::new(error),
    }
}

impl<T> Engine<T> {
    async fn next_page(&mut self) -> Option<Result<Page<T>, Error>> {
        loop {
            if self.finished {
                return None;
            }
            if let Some(error) = self.pending_error.take() {
                self.finished = true;
                return Some(Err(error));
            }
            if self.pass.as_ref().is_none_or(WindowPass::is_done) {
                self.pass = Some(WindowPass::new(self.windows.pop_front()?));
            }
            let pass = self.pass.as_mut().expect("set just above");
            let token = pass.next_token.clone();
            let deadline = token
                .as_ref()
                .map(|(_, received)| page_token_deadline(*received, self.policy.page_token_lifetime));
            let had_token = token.is_some();
            match (self.fetch)(pass.window, token.map(|(t, _)| t), deadline).await {
                Ok(page) => {
                    pass.first_page_fetched = true;
                    pass.pages += 1;
                    let mut next = page.next_page_token.filter(|t| !t.is_empty());
                    if next.as_ref().is_some_and(|t| !pass.tokens_seen.insert(id_key(t, 0))) {
                        tracing::warn!(window = %pass.window, pages = pass.pages, "Zoom repeated a page token");
                        next = None;
                        self.pending_error = Some(in_report(
                            self.session.clone(),
                            pass.window,
                            Error::RepeatedPageToken { pages: pass.pages },
                        ));
                    }
                    let mut items = page.items;
                    if let Recovery::SkipYielded = self.recovery {
                        let key = self.key;
                        // `retain` moves nothing unless it drops an item already yielded, as after a restart.
                        items.retain(|item| pass.yielded.insert(key(item)));
                        if !items.is_empty() {
                            pass.restarts_without_progress = 0;
                        }
                    }
                    // Every token may be new and the pages still lead nowhere.
                    pass.pages_without_new_items = if items.is_empty() && next.is_some() {
                        pass.pages_without_new_items + 1
                    } else {
                        0
                    };
                    if pass.pages_without_new_items > MAX_PAGES_WITHOUT_NEW_ITEMS + pass.replayed_pages {
                        tracing::warn!(window = %pass.window, pages = pass.pages, "Zoom keeps sending pages with nothing new");
                        next = None;
                        let error = Error::EndlessEmptyPages {
                            pages: pass.pages_without_new_items,
                        };
                        self.pending_error = Some(in_report(self.session.clone(), pass.window, error));
                    }
                    pass.next_token = next.map(|t| (t, Instant::now()));
                    let restarted = std::mem::take(&mut pass.announce_restart);
                    return Some(Ok(Page {
                        window: pass.window,
                        items,
                        restarted,
                    }));
                }
                Err(failure) => {
                    let expired = had_token && (failure.token_outlived || failure.error.is_page_token_expired());
                    if expired && pass.restarts_without_progress < self.policy.max_window_restarts {
                        tracing::warn!(
                            window = %pass.window,
                            restart = pass.restarts_without_progress + 1,
                            "page token expired; restarting the window"
                        );
                        pass.restart();
                        pass.announce_restart = matches!(self.recovery, Recovery::StartOver);
                        continue;
                    }
                    self.finished = true;
                    return Some(Err(in_report(self.session.clone(), pass.window, failure.error)));
                }
            }
        }
    }
}

/// Flattens pages into items, lazily: the next page is fetched only when the
/// items of the last one are used up.
pub(crate) fn items<T: Send + 'static>(
    pages: BoxStream<'static, Result<Page<T>, Error>>,
) -> BoxStream<'static, Result<T, Error>> {
    pages
        .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}

/// Ends a stream after the first error it yields, as every stream of this crate does.
pub(crate) fn end_after_error<T: Send + 'static>(
    inner: impl Stream<Item = Result<T, Error>> + Send + 'static,
) -> BoxStream<'static, Result<T, Error>> {
    let inner: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>> = Box::pin(inner);
    stream::unfold((inner, false), |(mut inner, failed)| async move {
        if failed {
            return None;
        }
        let item = inner.next().await?;
        let failed = item.is_err();
        Some((item, (inner, failed)))
    })
    .boxed()
}

/// What restarts deduplicate by: a 128-bit XXH3 fingerprint of the item's
/// id, with the message kind as the seed (the same id may be both a sent and
/// an edited message).
///
/// A fingerprint, not the id itself: the set of yielded items is kept for
/// every window in case it restarts, and hashing ids into `String` keys cost
/// more than the rest of the SDK's per-item work (see BENCHMARKS.md). Two ids
/// of one window collide with a probability around n²/2¹²⁹, about 10⁻²⁷ for a
/// million messages.
pub(crate) type ItemKey = u128;

/// Keys are already XXH3 fingerprints: hashing them again with SipHash would
/// only cost time, so the set uses their low bits as they are.
#[derive(Default)]
pub(crate) struct FingerprintHasher(u64);

impl std::hash::Hasher for FingerprintHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only reached for keys other than u128; fold them in so the hasher stays correct.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u128(&mut self, key: u128) {
        self.0 = key as u64;
    }
}

pub(crate) fn id_key(id: &str, seed: u64) -> ItemKey {
    xxhash_rust::xxh3::xxh3_128_with_seed(id.as_bytes(), seed)
}

/// A message's fingerprint covers its text and, when Zoom sends it, the time
/// of the edit or deletion: a message edited twice is listed twice with one id,
/// and both edits are kept.
pub(crate) fn message_key(item: &MessageItem) -> ItemKey {
    let seed = item.kind as u64;
    // A sent message is listed once; only edits and deletions repeat an id.
    if item.kind == MessageKind::Sent {
        return id_key(&item.message.id, seed);
    }
    // One-shot hashes combined: XXH3's streaming state costs more to set up than these short inputs take to hash.
    let text = item.message.message.as_deref().unwrap_or_default();
    let mut key = id_key(&item.message.id, seed) ^ id_key(text, seed + 1).rotate_left(43);
    // A typed field since the 2026-02-07 spec: `extra` no longer holds it.
    if let Some(action) = item.message.action_timestamp {
        key ^= id_key(&action.to_string(), seed + 2).rotate_left(86);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str, action: i64) -> MessageItem {
        let message: ChatMessage = serde_json::from_value(serde_json::json!({
            "id": "m", "message": text, "date_time": "2026-11-01T10:00:00Z", "action_timestamp": action,
        }))
        .unwrap();
        MessageItem {
            session_id: Arc::from("s"),
            kind: MessageKind::Edited,
            window: DateWindow {
                from: "2026-11-01".parse().unwrap(),
                to: "2026-11-30".parse().unwrap(),
            },
            message,
        }
    }

    /// Two edits to the same text at two times are two edits: a restart must
    /// not drop the second as already yielded.
    #[test]
    fn edits_are_told_apart_by_their_time_as_well_as_their_text() {
        assert_ne!(message_key(&edit("same", 1)), message_key(&edit("same", 2)));
        assert_ne!(message_key(&edit("one", 1)), message_key(&edit("two", 1)));
        assert_eq!(message_key(&edit("same", 1)), message_key(&edit("same", 1)));
    }
}
