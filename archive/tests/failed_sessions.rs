//! One session Zoom cannot serve must not stop the archive: it is recorded,
//! the run goes on with every other session, later runs try it again, and
//! once it heals the archive is exactly what it would have been. Past the
//! retry limit, or gone from Zoom, it is given up and named.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use zoom_chat_archive::{
    ExportError, ExportOptions, ExportSummary, GONE_CONFIRMATION_DAYS, MAX_UNIT_FAILED_DAYS, export_jsonl,
    read_manifest, verify,
};
use zoom_chat_reports::MessageKind;
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

/// A fake Zoom and a client on a clock the test moves day by day.
async fn fake_on_days(broken: &str, how: BrokenSession) -> (FakeZoom, Client, std::sync::Arc<DayClock>) {
    let clock = DayClock::on(day("2026-11-20"));
    let zoom = fake(
        FakeZoomConfig::default()
            .clock(clock.clone())
            .broken_session(broken, how),
    )
    .await;
    let client = client(&zoom);
    (zoom, client, clock)
}

#[tokio::test]
async fn past_the_retry_limit_a_session_is_given_up_and_named_as_lost() {
    let broken = dataset().session_id(5);
    let (zoom, client, clock) = fake_on_days(&broken, BrokenSession::ServerError).await;
    let out = out_file("given-up");
    let mut last = failed_summary(export(&client, &out, false).await);
    // More runs on one day count once.
    for _ in 0..3 {
        last = failed_summary(export(&client, &out, true).await);
    }
    assert!(
        last.failed_sessions
            .iter()
            .all(|f| f.days_failed == 1 && f.attempts == 4 && !f.given_up)
    );
    for days_later in 1..u64::from(MAX_UNIT_FAILED_DAYS) {
        clock.set(day("2026-11-20") + chrono::Days::new(days_later));
        last = failed_summary(export(&client, &out, true).await);
    }
    assert!(
        last.failed_sessions
            .iter()
            .all(|f| f.given_up && f.days_failed == MAX_UNIT_FAILED_DAYS),
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
    assert!(
        manifest
            .lost_sessions
            .iter()
            .all(|s| s.session_id == broken && s.reason.starts_with(&format!("failed on {MAX_UNIT_FAILED_DAYS} days")))
    );
    let report = verify(&out).await.unwrap();
    assert!(report.differences.is_empty(), "{:?}", report.differences);
    assert_eq!(report.lost_sessions.len(), 2);
    assert_eq!(common::line_counts(&out), expected(&zoom, Some(&broken)));
}

#[tokio::test]
async fn a_session_gone_after_its_report_listed_it_is_given_up_once_zoom_says_so_on_two_days() {
    let gone = dataset().session_id(7);
    let (zoom, client, clock) = fake_on_days(&gone, BrokenSession::Gone).await;
    let out = out_file("gone");
    let first = failed_summary(export(&client, &out, false).await);
    assert!(
        first
            .failed_sessions
            .iter()
            .all(|f| !f.given_up && f.reason.contains("no longer exists")),
        "one 404 may be a proxy's: {:?}",
        first.failed_sessions
    );
    // A 404 is an answer: sent once per window, not retried within the run.
    assert_eq!(
        zoom.requests()
            .iter()
            .filter(|r| r.path.ends_with(&format!("/sessions/{gone}")))
            .count(),
        2
    );
    // Again the same day: still not given up.
    let again = failed_summary(export(&client, &out, true).await);
    assert!(again.failed_sessions.iter().all(|f| !f.given_up));
    clock.set(day("2026-11-21"));
    let next_day = failed_summary(export(&client, &out, true).await);
    assert!(
        next_day.failed_sessions.iter().all(|f| f.given_up),
        "gone on {GONE_CONFIRMATION_DAYS} days: {:?}",
        next_day.failed_sessions
    );
    let before = zoom.counters().requests;
    export(&client, &out, true).await.unwrap();
    assert_eq!(zoom.counters().requests, before, "not retried for ever");
    let manifest = read_manifest(&out).await.unwrap().unwrap();
    assert_eq!(manifest.lost_sessions.len(), 2);
    assert_eq!(common::line_counts(&out), expected(&zoom, Some(&gone)));
}

#[tokio::test]
async fn most_of_a_window_failing_is_zoom_s_trouble_and_stops_the_run_without_counting_anyone() {
    let mut config = FakeZoomConfig::default();
    for index in 0..6 {
        config = config.broken_session(dataset().session_id(index), BrokenSession::Gone);
    }
    let zoom = fake(config).await;
    let out = out_file("outage");
    let result = export(&client(&zoom), &out, false).await;
    assert!(
        matches!(result, Err(ExportError::Zoom(ref e)) if e.is_not_found()),
        "{result:?}"
    );
    // Healed: the resume fetches everything, and nobody was given up.
    for index in 0..6 {
        zoom.heal_session(&dataset().session_id(index));
    }
    let resumed = export(&client(&zoom), &out, true).await.unwrap();
    assert!(resumed.failed_sessions.is_empty());
    assert_eq!(common::line_counts(&out), expected(&zoom, None));
    let manifest = read_manifest(&out).await.unwrap().unwrap();
    assert!(manifest.failed_sessions.is_empty() && manifest.lost_sessions.is_empty());
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
        .include(Include::ALL.by_modification_time(true))
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

#[tokio::test]
async fn a_failed_session_whose_first_days_pass_out_of_six_months_is_fetched_for_the_rest_and_named() {
    let (from, to) = (day("2026-05-25"), day("2026-06-30"));
    let dataset = Dataset {
        start: from,
        end: to,
        messages_per_session: 60,
        ..dataset()
    };
    let broken = dataset.session_id(3);
    let clock = DayClock::on(day("2026-11-20"));
    let zoom = FakeZoom::start(
        FakeZoomConfig::default()
            .dataset(dataset)
            .today(day("2026-11-20"))
            .clock(clock.clone())
            .broken_session(&broken, BrokenSession::ServerError),
    )
    .await
    .unwrap();
    let client = client(&zoom);
    let out = out_file("aging");
    let run = |resume: bool| {
        let options = ExportOptions::new(from..=to).include(Include::ALL).resume(resume);
        let (client, out) = (client.clone(), out.clone());
        async move { export_jsonl(&client, &out, &options, &|_| {}, std::future::pending()).await }
    };
    failed_summary(run(false).await);
    // Ten days on, Zoom reports from 2026-05-30: the first window's first five days are gone.
    zoom.heal_session(&broken);
    clock.set(day("2026-11-30"));
    let resumed = failed_summary(run(true).await);
    let given_up: Vec<_> = resumed.failed_sessions.iter().filter(|f| f.given_up).collect();
    assert_eq!(given_up.len(), 1, "{:?}", resumed.failed_sessions);
    assert!(
        given_up[0].reason.contains("before 2026-05-30"),
        "{}",
        given_up[0].reason
    );
    let too_old: Vec<_> = zoom
        .dataset()
        .expected_messages(from, day("2026-05-29"), Include::ALL)
        .into_iter()
        .filter(|(session, _, _)| *session == broken)
        .collect();
    assert!(!too_old.is_empty(), "the test needs records in the days lost");
    let mut expected: Lines = zoom
        .dataset()
        .expected_messages(from, to, Include::ALL)
        .into_iter()
        .map(|key| (key, 1))
        .collect();
    for key in &too_old {
        expected.remove(key);
    }
    assert_eq!(common::line_counts(&out), expected, "the rest of its days, once");
    let manifest = read_manifest(&out).await.unwrap().unwrap();
    assert_eq!(manifest.lost_sessions.len(), 1);
    assert_eq!(manifest.lost_sessions[0].session_id, broken);
    assert!(manifest.failed_sessions.is_empty());
}
