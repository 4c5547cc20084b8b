//! The SDK as a Rust developer meets it: one message can be several items
//! (and `latest()` makes it one), errors say which session and window they
//! come from, the predicates callers branch on, dates on the client's clock,
//! and a fake that tells the truth about its limit and its life.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use futures::TryStreamExt;
use zoom_chat_reports::mock::{BrokenSession, Dataset, FakeZoom, FakeZoomConfig};
use zoom_chat_reports::{Client, Credentials, Error, Include, MessageItem, MessageKind, MessageOutcome, RangeError};

use common::{day, fake_client};

const TODAY: &str = "2026-11-22";

/// Edits and deletions common enough that a fortnight holds many of both.
fn config() -> FakeZoomConfig {
    FakeZoomConfig::default().today(day(TODAY)).dataset(Dataset {
        edited_share: 0.3,
        deleted_share: 0.1,
        ..Dataset::small(day(TODAY))
    })
}

#[tokio::test]
async fn latest_yields_each_message_once_in_its_latest_version() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = fake_client(&zoom, 3);
    let range = client.last_days(14);
    assert_eq!(range, day("2026-11-08")..=day("2026-11-21"));
    let include = Include::NONE.edited(true).deleted(true);
    let items: Vec<MessageItem> = client
        .all_messages(range.clone())
        .include(include)
        .items()
        .try_collect()
        .await
        .unwrap();
    let latest: Vec<MessageItem> = client
        .all_messages(range)
        .include(include)
        .items()
        .latest()
        .try_collect()
        .await
        .unwrap();

    // Every item of one id, as the report sent them.
    let mut versions: BTreeMap<&str, Vec<&MessageItem>> = BTreeMap::new();
    for item in &items {
        versions.entry(item.message.id.as_str()).or_default().push(item);
    }
    assert!(
        items.len() > versions.len(),
        "edited messages come twice: {} items, {} ids",
        items.len(),
        versions.len()
    );
    assert_eq!(latest.len(), versions.len(), "one item per message");
    let ids: BTreeSet<&str> = latest.iter().map(|m| m.message.id.as_str()).collect();
    assert_eq!(ids.len(), latest.len(), "no id twice");
    let (mut edited, mut deleted) = (0, 0);
    for message in &latest {
        let seen = &versions[message.message.id.as_str()];
        let expected = if seen.iter().any(|v| v.kind == MessageKind::Deleted) {
            deleted += 1;
            MessageKind::Deleted
        } else if let Some(edit) = seen.iter().rev().find(|v| v.kind == MessageKind::Edited) {
            edited += 1;
            assert_eq!(message.message.message, edit.message.message, "the edited text");
            MessageKind::Edited
        } else {
            MessageKind::Sent
        };
        assert_eq!(message.kind, expected, "{}", message.message.id);
    }
    assert!(edited > 0 && deleted > 0, "{edited} edited, {deleted} deleted");
}

#[tokio::test]
async fn errors_name_their_session_and_window() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = fake_client(&zoom, 2);
    let range = day("2026-11-10")..=day("2026-11-12");
    let sessions: Vec<_> = client.sessions(range.clone()).items().try_collect().await.unwrap();
    let broken = sessions[0].id.clone();
    zoom.break_session(&broken, BrokenSession::ServerError);

    let error = client
        .messages(broken.clone(), range.clone())
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(error.session_id(), Some(broken.as_str()));
    let window = error.window().expect("a window");
    assert_eq!((window.from, window.to), (day("2026-11-10"), day("2026-11-12")));
    assert_eq!(
        error.status().map(|s| s.as_u16()),
        Some(500),
        "accessors look through the context"
    );
    assert!(error.is_isolated_failure() && !error.is_rate_limited() && !error.is_auth());
    assert!(matches!(error.root(), Error::Service { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with(&format!("session {broken}, 2026-11-10..=2026-11-12: ")),
        "{error}"
    );

    let failed: Vec<_> = client
        .all_messages(range)
        .outcomes()
        .try_filter_map(|outcome| async move {
            Ok(match outcome {
                MessageOutcome::SessionFailed(failure) => Some(failure),
                _ => None,
            })
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].error.session_id(), Some(broken.as_str()));
}

#[tokio::test]
async fn predicates_tell_the_daily_limit_and_authentication() {
    let zoom = FakeZoom::start(config().daily_limit(1)).await.unwrap();
    let client = fake_client(&zoom, 2);
    let error = client
        .all_messages(day("2026-11-10")..=day("2026-11-12"))
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(error.is_daily_limit() && error.is_rate_limited(), "{error:?}");
    assert!(!error.is_auth());

    // A token endpoint nobody listens on: the cause is in the message.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let unreachable = Client::builder()
        .base_url(zoom.base_url())
        .oauth_url(format!("http://127.0.0.1:{port}/oauth/token"))
        .credentials(Credentials::server_to_server("account", "client", "secret"))
        .clock(std::sync::Arc::new(zoom_chat_reports::runtime::FixedClock::on(day(
            TODAY,
        ))))
        .retry_policy(zoom_chat_reports::retry::RetryPolicy::default().max_attempts(1))
        .build()
        .unwrap();
    let error = unreachable
        .sessions(day("2026-11-10")..=day("2026-11-12"))
        .items()
        .try_next()
        .await
        .unwrap_err();
    assert!(error.is_auth() && !error.is_daily_limit(), "{error:?}");
    assert!(
        error.to_string().to_lowercase().contains("refused"),
        "the cause is named: {error}"
    );
}

#[tokio::test]
async fn dates_follow_the_clients_clock_and_the_future_is_refused() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = fake_client(&zoom, 2);
    assert_eq!(client.today(), day(TODAY), "the fake's today, not the machine's");
    let today: zoom_chat_reports::chrono::NaiveDate = client.today();
    let tomorrow = today.succ_opt().unwrap();
    let error = client.sessions(today..=tomorrow).items().try_next().await.unwrap_err();
    assert!(
        matches!(error.root(), Error::InvalidRange(RangeError::EndsAfterToday { to, .. }) if *to == tomorrow),
        "{error:?}"
    );
    assert!(
        client.plan_windows(today..=today).is_ok(),
        "today itself may be asked for"
    );
    assert_eq!(zoom.counters().requests, 0, "refused before any request");
}

#[tokio::test]
async fn the_fakes_client_uses_its_limit_and_keeps_it_alive() {
    let zoom = FakeZoom::start(config().per_second_limit(3)).await.unwrap();
    let client = zoom.client_builder().build().unwrap();
    assert_eq!(client.stats().configured_rate, Some(3.0));
    let unlimited = FakeZoom::start(config()).await.unwrap();
    assert_eq!(
        unlimited.client_builder().build().unwrap().stats().configured_rate,
        None
    );

    // The fake dropped before the client: the client keeps it serving.
    let client = FakeZoom::start(config())
        .await
        .unwrap()
        .client_builder()
        .build()
        .unwrap();
    let sessions: Vec<_> = client
        .sessions(day("2026-11-10")..=day("2026-11-12"))
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(!sessions.is_empty());
}

/// `outcomes().latest()`: a session Zoom cannot serve comes as its failure,
/// after the messages before it, and every other message once.
#[tokio::test]
async fn latest_outcomes_keep_failures_in_place() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = fake_client(&zoom, 2);
    let range = day("2026-11-10")..=day("2026-11-12");
    let sessions: Vec<_> = client.sessions(range.clone()).items().try_collect().await.unwrap();
    let broken = sessions[sessions.len() / 2].id.clone();
    zoom.break_session(&broken, BrokenSession::ServerError);
    let include = Include::NONE.edited(true).deleted(true);
    let outcomes: Vec<MessageOutcome> = client
        .all_messages(range.clone())
        .include(include)
        .outcomes()
        .latest()
        .try_collect()
        .await
        .unwrap();
    let raw: Vec<MessageOutcome> = client
        .all_messages(range)
        .include(include)
        .outcomes()
        .try_collect()
        .await
        .unwrap();
    let sequence = |outcomes: &[MessageOutcome]| -> Vec<String> {
        let mut sessions: Vec<String> = Vec::new();
        for outcome in outcomes {
            let name = match outcome {
                MessageOutcome::Message(item) => item.session_id.to_string(),
                MessageOutcome::SessionFailed(failure) => format!("failed {}", failure.session_id),
                _ => unreachable!(),
            };
            if sessions.last() != Some(&name) {
                sessions.push(name);
            }
        }
        sessions
    };
    assert_eq!(
        sequence(&outcomes),
        sequence(&raw),
        "sessions and the failure in the same order"
    );
    assert!(sequence(&outcomes).contains(&format!("failed {broken}")));
    let ids: Vec<&str> = outcomes
        .iter()
        .filter_map(|o| match o {
            MessageOutcome::Message(item) => Some(item.message.id.as_str()),
            _ => None,
        })
        .collect();
    let distinct: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), distinct.len(), "each message once");
}
