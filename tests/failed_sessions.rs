//! One session Zoom cannot serve must not stop the archive: it is recorded,
//! the run goes on with every other session, later runs try it again, and
//! once it heals the archive is exactly what it would have been. Past the
//! retry limit, or gone from Zoom, it is given up and named.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use zoom_chat_reports::MessageKind;
use zoom_chat_reports::export::{
    ExportError, ExportOptions, ExportSummary, MAX_UNIT_ATTEMPTS, export_jsonl, read_manifest, verify,
};
use zoom_chat_reports::mock::{BrokenSession, Dataset, FakeZoom, FakeZoomConfig, Faults};
use zoom_chat_reports::{Client, Include};

use common::{DayClock, day};

const FROM: &str = "2026-10-01";
const TO: &str = "2026-11-19";

fn dataset() -> Dataset {
    Dataset {
        seed: 21,
        sessions: 10,
        messages_per_session: 120,
        start: day(FROM),
        end: day("2026-11-30"),
        edited_share: 0.2,
        deleted_share: 0.1,
        file_share: 0.0,
        reply_share: 0.2,
    }
}

async fn fake(config: FakeZoomConfig) -> FakeZoom {
    FakeZoom::start(config.dataset(dataset()).today(day("2026-11-20")))
        .await
        .unwrap()
}

fn client(zoom: &FakeZoom) -> Client {
    common::fake_client(zoom, 2)
}

fn out_file(name: &str) -> PathBuf {
    common::fresh_dir("zoom-failed-sessions", name).join("chat.jsonl")
}

async fn export(client: &Client, out: &Path, resume: bool) -> Result<ExportSummary, ExportError> {
    let options = ExportOptions::new(day(FROM)..=day(TO))
        .include(Include::ALL)
        .concurrency(4)
        .resume(resume);
    export_jsonl(client, out, &options, &|_| {}, std::future::pending()).await
}

type Lines = BTreeMap<(String, MessageKind, String), usize>;

fn expected(zoom: &FakeZoom, without: Option<&str>) -> Lines {
    zoom.dataset()
        .expected_messages(day(FROM), day(TO), Include::ALL)
        .into_iter()
        .filter(|(session, _, _)| Some(session.as_str()) != without)
        .map(|key| (key, 1))
        .collect()
}

fn failed_summary(result: Result<ExportSummary, ExportError>) -> ExportSummary {
    match result {
        Err(ExportError::SessionsFailed { summary, .. }) => *summary,
        other => panic!("expected SessionsFailed, got {other:?}"),
    }
}

#[tokio::test]
async fn a_failing_session_is_recorded_the_rest_archived_and_it_fills_in_once_healed() {
    let broken = dataset().session_id(3);
    let zoom = fake(FakeZoomConfig::default().broken_session(&broken, BrokenSession::ServerError)).await;
    let client = client(&zoom);
    let out = out_file("heals");

    let first = failed_summary(export(&client, &out, false).await);
    assert_eq!(
        common::line_counts(&out),
        expected(&zoom, Some(&broken)),
        "every healthy record, once"
    );
    // Listed in both month windows, failed in both, named, and not given up.
    let failed: Vec<_> = first
        .failed_sessions
        .iter()
        .map(|f| (f.session_id.as_str(), f.from))
        .collect();
    assert_eq!(
        failed,
        [
            (broken.as_str(), day("2026-10-01")),
            (broken.as_str(), day("2026-11-01"))
        ]
    );
    for session in &first.failed_sessions {
        assert_eq!((session.attempts, session.given_up), (1, false));
        assert!(session.name.is_some(), "named as the report named it");
        assert!(session.reason.contains("HTTP 500"), "{}", session.reason);
    }
    let manifest = read_manifest(&out).await.unwrap().unwrap();
    assert!(
        manifest.complete.is_empty(),
        "no day is complete while a listed session is missing"
    );
    assert!(
        manifest.lost.is_empty() && manifest.lost_sessions.is_empty(),
        "incomplete, not lost"
    );
    assert_eq!(manifest.failed_sessions.len(), 2);
    let report = verify(&out).await.unwrap();
    assert!(report.differences.is_empty(), "{:?}", report.differences);
    assert_eq!(report.failed_sessions.len(), 2);

    // Still failing: tried again, and only it.
    let before = zoom.counters().requests;
    let second = failed_summary(export(&client, &out, true).await);
    assert_eq!(second.failed_sessions.len(), 2);
    assert!(second.failed_sessions.iter().all(|f| f.attempts == 2 && !f.given_up));
    // Two windows, each tried with the client's 2 attempts: nothing else asked.
    assert_eq!(zoom.counters().requests - before, 4);

    zoom.heal_session(&broken);
    let healed = export(&client, &out, true).await.unwrap();
    assert!(healed.failed_sessions.is_empty());
    assert_eq!(
        common::line_counts(&out),
        expected(&zoom, None),
        "exactly the whole range, no duplicates"
    );
    let manifest = read_manifest(&out).await.unwrap().unwrap();
    assert_eq!(manifest.complete.len(), 1);
    assert_eq!(
        (manifest.complete[0].from, manifest.complete[0].to),
        (day(FROM), day(TO))
    );
    assert!(manifest.failed_sessions.is_empty());
    let report = verify(&out).await.unwrap();
    assert!(
        report.differences.is_empty() && report.failed_sessions.is_empty(),
        "{report:?}"
    );
}

#[tokio::test]
async fn past_the_retry_limit_a_session_is_given_up_and_named_as_lost() {
    let broken = dataset().session_id(5);
    let zoom = fake(FakeZoomConfig::default().broken_session(&broken, BrokenSession::ServerError)).await;
    let client = client(&zoom);
    let out = out_file("given-up");
    let mut last = failed_summary(export(&client, &out, false).await);
    for _ in 1..MAX_UNIT_ATTEMPTS {
        last = failed_summary(export(&client, &out, true).await);
    }
    assert!(
        last.failed_sessions
            .iter()
            .all(|f| f.given_up && f.attempts == MAX_UNIT_ATTEMPTS),
        "{:?}",
        last.failed_sessions
    );
    // Given up: the next run does not ask for it, and finishes.
    let before = zoom.counters().requests;
    let after = export(&client, &out, true).await.unwrap();
    assert!(after.failed_sessions.is_empty());
    assert_eq!(zoom.counters().requests, before);
    let manifest = read_manifest(&out).await.unwrap().unwrap();
    assert!(manifest.complete.is_empty());
    assert_eq!(manifest.lost_sessions.len(), 2);
    assert!(manifest.lost_sessions.iter().all(|s| s.session_id == broken
        && s.attempts == MAX_UNIT_ATTEMPTS
        && s.reason.starts_with(&format!("failed {MAX_UNIT_ATTEMPTS} runs"))));
    let report = verify(&out).await.unwrap();
    assert!(report.differences.is_empty(), "{:?}", report.differences);
    assert_eq!(report.lost_sessions.len(), 2);
    assert_eq!(common::line_counts(&out), expected(&zoom, Some(&broken)));
}

#[tokio::test]
async fn a_session_gone_after_its_report_listed_it_is_recorded_as_gone_at_once() {
    let gone = dataset().session_id(7);
    let zoom = fake(FakeZoomConfig::default().broken_session(&gone, BrokenSession::Gone)).await;
    let client = client(&zoom);
    let out = out_file("gone");
    let first = failed_summary(export(&client, &out, false).await);
    assert!(
        first
            .failed_sessions
            .iter()
            .all(|f| f.given_up && f.attempts == 1 && f.reason.contains("no longer exists")),
        "{:?}",
        first.failed_sessions
    );
    // A 404 is an answer: sent once per window, not retried.
    assert_eq!(
        zoom.requests()
            .iter()
            .filter(|r| r.path.ends_with(&format!("/sessions/{gone}")))
            .count(),
        2
    );
    let before = zoom.counters().requests;
    export(&client, &out, true).await.unwrap();
    assert_eq!(zoom.counters().requests, before, "not retried for ever");
    let manifest = read_manifest(&out).await.unwrap().unwrap();
    assert_eq!(manifest.lost_sessions.len(), 2);
    assert_eq!(common::line_counts(&out), expected(&zoom, Some(&gone)));
}

#[tokio::test]
async fn what_fails_for_the_whole_account_still_stops_the_run() {
    // Every request fails: the sessions report itself, not one session.
    let zoom = fake(FakeZoomConfig::default().faults(Faults {
        server_error_every: Some(1),
        ..Faults::default()
    }))
    .await;
    let out = out_file("account");
    let result = export(&client(&zoom), &out, false).await;
    assert!(matches!(result, Err(ExportError::Zoom(_))), "{result:?}");
}

#[tokio::test]
async fn a_daily_sync_retries_a_failed_session_on_later_days_without_duplicating_the_lookback() {
    let clock = DayClock::on(day("2026-11-10"));
    let broken = dataset().session_id(2);
    let zoom = FakeZoom::start(
        FakeZoomConfig::default()
            .dataset(dataset())
            .today(day("2026-11-20"))
            .clock(clock.clone())
            .reveal_by_clock(true)
            .broken_session(&broken, BrokenSession::ServerError),
    )
    .await
    .unwrap();
    let client = client(&zoom);
    let out = out_file("sync");
    let sync = |first: Option<&str>| {
        let options = ExportOptions::daily_sync(first.map(day), 7)
            .include(Include::ALL)
            .concurrency(4);
        let (client, out) = (client.clone(), out.clone());
        async move { export_jsonl(&client, &out, &options, &|_| {}, std::future::pending()).await }
    };
    // Day 1 and day 2: the session fails; everything else goes on, day by day.
    let first = failed_summary(sync(Some("2026-10-20")).await);
    assert!(!first.failed_sessions.is_empty());
    clock.set(day("2026-11-11"));
    let second = failed_summary(sync(None).await);
    assert!(second.synced.is_some(), "the new day was added despite the failure");
    assert!(
        second.failed_sessions.iter().any(|f| f.attempts == 2),
        "{:?}",
        second.failed_sessions
    );
    // Day 3: healed; the failed windows fill in, and the lookback of days 2
    // and 3 overlaps them without writing anything twice.
    zoom.heal_session(&broken);
    clock.set(day("2026-11-12"));
    let third = sync(None).await.unwrap();
    assert!(third.failed_sessions.is_empty());
    let synced = common::line_counts(&out);
    assert!(synced.values().all(|&n| n == 1), "no record twice");
    let whole = out.with_file_name("whole.jsonl");
    let options = ExportOptions::new(day("2026-10-20")..=day("2026-11-11"))
        .include(Include {
            by_modification_time: true,
            ..Include::ALL
        })
        .concurrency(4);
    export_jsonl(&client, &whole, &options, &|_| {}, std::future::pending())
        .await
        .unwrap();
    assert_eq!(synced, common::line_counts(&whole), "the same as one export made now");
    let manifest = read_manifest(&out).await.unwrap().unwrap();
    assert!(manifest.failed_sessions.is_empty() && manifest.lost_sessions.is_empty());
    assert_eq!(manifest.complete.len(), 1, "{:?}", manifest.complete);
    assert_eq!(manifest.complete[0].to, day("2026-11-11"));
}

#[tokio::test]
async fn the_sdk_can_go_on_past_a_session_it_cannot_fetch_and_by_default_stops() {
    use futures::TryStreamExt;
    use zoom_chat_reports::MessageOutcome;
    let (broken, gone) = (dataset().session_id(1), dataset().session_id(8));
    let zoom = fake(
        FakeZoomConfig::default()
            .broken_session(&broken, BrokenSession::ServerError)
            .broken_session(&gone, BrokenSession::Gone),
    )
    .await;
    let client = client(&zoom);
    let outcomes: Vec<MessageOutcome> = client
        .all_messages(day(FROM)..=day(TO))
        .include(Include::ALL)
        .outcomes()
        .try_collect()
        .await
        .unwrap();
    let mut messages = Lines::new();
    let mut failed = Vec::new();
    for outcome in outcomes {
        match outcome {
            MessageOutcome::Message(item) => {
                *messages
                    .entry((item.session_id.to_string(), item.kind, item.message.id.clone()))
                    .or_default() += 1;
            }
            MessageOutcome::SessionFailed(failure) => {
                assert!(failure.error.is_isolated_failure());
                assert!(failure.to_string().contains(&*failure.session_id), "{failure}");
                failed.push((
                    failure.session_id.to_string(),
                    failure.window.from,
                    failure.error.is_not_found(),
                ));
            }
            other => panic!("{other:?}"),
        }
    }
    let mut expected_lines = expected(&zoom, Some(&broken));
    expected_lines.retain(|(session, _, _), _| *session != gone);
    assert_eq!(messages, expected_lines, "every other session's messages, once");
    failed.sort();
    let mut want = vec![
        (broken.clone(), day("2026-10-01"), false),
        (broken.clone(), day("2026-11-01"), false),
        (gone.clone(), day("2026-10-01"), true),
        (gone.clone(), day("2026-11-01"), true),
    ];
    want.sort();
    assert_eq!(failed, want);

    // `items` still ends at the first error, as documented.
    let error = client
        .all_messages(day(FROM)..=day(TO))
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(error.is_isolated_failure(), "{error}");
}
