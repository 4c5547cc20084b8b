//! One item per message, in its latest version: [`Items::latest`].
//!
//! A messages report lists a message once per thing that happened to it:
//! an edited message comes as [`MessageKind::Sent`] (from the report's
//! `messages`) and again as [`MessageKind::Edited`] (from `edited_messages`),
//! with the same `message.id`, once per edit; a deleted one comes as
//! [`MessageKind::Deleted`] alone. A caller who counts, indexes or shows
//! messages wants each once, as it is now. That needs every version of a
//! message before the first can be yielded, and Zoom puts versions on any
//! page of the window: so the adapter holds one session's messages in one
//! month window (a unit, as the streams yield them one after another) and
//! yields them, merged, when the unit ends.

use std::collections::HashMap;
use std::sync::Arc;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::error::Error;
use crate::pagination::{MessageItem, MessageKind, MessageOutcome};
use crate::streams::Items;
use crate::windows::DateWindow;

impl Items<MessageItem> {
    /// Each message once, in its latest version: deleted if it was deleted
    /// (the deleted record, with when in `action_timestamp`), else edited if
    /// it was edited (the latest edit, by `action_timestamp`), else as sent.
    /// Its `kind` says which. The order is that in which the messages first
    /// appeared.
    ///
    /// What "once" covers: the versions of a message reported in one month
    /// window. By default Zoom reports every version in the window of the day
    /// the message was sent, so each message comes exactly once. With
    /// [`Include::by_modification_time`](crate::Include::by_modification_time),
    /// an edit or deletion made in a later month is reported in that month's
    /// window, and the message comes again there, in that newer version.
    ///
    /// Memory: the messages of one session in one month window, held until
    /// the window's report for that session ends (a session of 100,000
    /// messages a month: the 100,000 `ChatMessage`s, about 50 MB with their
    /// text, at about 500 bytes a message). An error ends the stream after the messages held are yielded.
    ///
    /// ```no_run
    /// # async fn example(client: zoom_chat_reports::Client) -> Result<(), zoom_chat_reports::Error> {
    /// use futures::TryStreamExt;
    /// use zoom_chat_reports::Include;
    /// let include = Include::NONE.edited(true).deleted(true);
    /// let messages: Vec<_> = client.all_messages(client.last_days(14)).include(include).items().latest().try_collect().await?;
    /// let deleted = messages.iter().filter(|m| m.kind == zoom_chat_reports::MessageKind::Deleted).count();
    /// # Ok(()) }
    /// ```
    pub fn latest(self) -> Items<MessageItem> {
        let outcomes = self.into_inner().map_ok(MessageOutcome::Message).boxed();
        Items::new(
            merged(outcomes)
                .try_filter_map(|outcome| async move {
                    Ok(match outcome {
                        MessageOutcome::Message(item) => Some(item),
                        _ => None,
                    })
                })
                .boxed(),
        )
    }
}

impl Items<MessageOutcome> {
    /// As [`Items::<MessageItem>::latest`](Items::latest), for
    /// [`AllMessagesRequest::outcomes`](crate::AllMessagesRequest::outcomes):
    /// each message once, in its latest version, and each session Zoom
    /// could not serve as it comes, after the messages of that session
    /// received before it failed.
    pub fn latest(self) -> Items<MessageOutcome> {
        Items::new(merged(self.into_inner()))
    }
}

/// The outcomes, with the messages of each unit merged.
fn merged(
    inner: BoxStream<'static, Result<MessageOutcome, Error>>,
) -> BoxStream<'static, Result<MessageOutcome, Error>> {
    let state = Merging {
        inner,
        unit: None,
        held: Vec::new(),
        index: HashMap::new(),
        ready: Vec::new(),
        error: None,
        done: false,
    };
    stream::unfold(state, |mut state| async move {
        let next = state.next().await?;
        Some((next, state))
    })
    .boxed()
}

/// The adapter's state: the unit being gathered, and what is ready to yield.
struct Merging {
    inner: BoxStream<'static, Result<MessageOutcome, Error>>,
    /// The session and window of the messages held.
    unit: Option<(Arc<str>, DateWindow)>,
    /// The messages of the unit, latest version so far, in first-seen order.
    held: Vec<MessageItem>,
    /// Message id → its place in `held`.
    index: HashMap<String, usize>,
    /// Merged messages of a finished unit (and what followed it), reversed,
    /// to yield one by one.
    ready: Vec<MessageOutcome>,
    /// An error to yield once `ready` is empty.
    error: Option<Error>,
    done: bool,
}

impl Merging {
    async fn next(&mut self) -> Option<Result<MessageOutcome, Error>> {
        loop {
            if let Some(outcome) = self.ready.pop() {
                return Some(Ok(outcome));
            }
            if let Some(error) = self.error.take() {
                return Some(Err(error));
            }
            if self.done {
                return None;
            }
            match self.inner.next().await {
                Some(Ok(MessageOutcome::Message(item))) => {
                    let unit = (item.session_id.clone(), item.window);
                    if self.unit.as_ref().is_some_and(|held| *held != unit) {
                        self.finish_unit();
                    }
                    self.unit = Some(unit);
                    self.hold(item);
                }
                // A session that failed, or what a newer version adds: after
                // the messages held, which came before it.
                Some(Ok(other)) => {
                    self.finish_unit();
                    self.ready.insert(0, other);
                }
                Some(Err(error)) => {
                    self.finish_unit();
                    self.error = Some(error);
                    self.done = true;
                }
                None => {
                    self.finish_unit();
                    self.done = true;
                }
            }
        }
    }

    fn hold(&mut self, item: MessageItem) {
        match self.index.get(&item.message.id) {
            Some(&at) => {
                if supersedes(&item, &self.held[at]) {
                    self.held[at] = item;
                }
            }
            None => {
                self.index.insert(item.message.id.clone(), self.held.len());
                self.held.push(item);
            }
        }
    }

    fn finish_unit(&mut self) {
        self.index.clear();
        self.unit = None;
        let held = std::mem::take(&mut self.held);
        self.ready.extend(held.into_iter().rev().map(MessageOutcome::Message));
    }
}

/// Whether `new` is a later version of the message than `held`: a deletion
/// is final; an edit supersedes the message as sent and earlier edits.
fn supersedes(new: &MessageItem, held: &MessageItem) -> bool {
    match (new.kind, held.kind) {
        (_, MessageKind::Deleted) => false,
        (MessageKind::Deleted, _) => true,
        (MessageKind::Edited, MessageKind::Sent) => true,
        (MessageKind::Edited, MessageKind::Edited) => new.message.action_timestamp >= held.message.action_timestamp,
        (MessageKind::Sent, _) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::types::ChatMessage;

    fn item(kind: MessageKind, action: Option<i64>) -> MessageItem {
        let message: ChatMessage = serde_json::from_value(serde_json::json!({
            "id": "m", "date_time": "2026-11-01T10:00:00Z", "action_timestamp": action,
        }))
        .unwrap();
        MessageItem {
            session_id: Arc::from("s"),
            kind,
            window: DateWindow {
                from: "2026-11-01".parse().unwrap(),
                to: "2026-11-30".parse().unwrap(),
            },
            message,
        }
    }

    #[test]
    fn a_deletion_is_final_and_the_latest_edit_wins() {
        use MessageKind::{Deleted, Edited, Sent};
        assert!(supersedes(&item(Edited, Some(2)), &item(Sent, None)));
        assert!(!supersedes(&item(Sent, None), &item(Edited, Some(2))));
        assert!(supersedes(&item(Edited, Some(3)), &item(Edited, Some(2))));
        assert!(!supersedes(&item(Edited, Some(1)), &item(Edited, Some(2))));
        // Equal times (or none): the one listed later, as Zoom lists edits in order.
        assert!(supersedes(&item(Edited, None), &item(Edited, None)));
        assert!(supersedes(&item(Deleted, Some(1)), &item(Edited, Some(9))));
        assert!(!supersedes(&item(Edited, Some(9)), &item(Deleted, Some(1))));
        assert!(!supersedes(&item(Sent, None), &item(Deleted, Some(1))));
    }
}
