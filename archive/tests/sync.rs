//! The daily sync against a fake Zoom whose clock moves a day at a time and
//! that reveals messages, edits and deletions only once they have happened.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use zoom_chat_archive::{ExportError, ExportOptions, ExportSummary, export_jsonl, journal_path, sessions_path};
use zoom_chat_reports::mock::{Dataset, FakeZoom, FakeZoomConfig, Faults};
use zoom_chat_reports::{Client, Include, MessageKind};

use common::{DayClock, day, noon};

fn dataset() -> Dataset {
    Dataset {
        seed: 11,
        sessions: 10,
        messages_per_session: 150,
        start: day("2026-10-01"),
        end: day("2026-11-30"),
        edited_share: 0.3,
        deleted_share: 0.1,
        file_share: 0.1,
        reply_share: 0.2,
    }
}

async fn fake(clock: Arc<DayClock>, faults: Faults) -> FakeZoom {
    FakeZoom::start(
        FakeZoomConfig::default()
            .dataset(dataset())
            .today(day("2026-11-30"))
            .clock(clock)
            .reveal_by_clock(true)
            .faults(faults),
    )
    .await
    .unwrap()
}

fn client(zoom: &FakeZoom) -> Client {
    common::fake_client(zoom, 6)
}

fn temp_dir(name: &str) -> PathBuf {
    common::fresh_dir("zoom-sync-test", name)
}

async fn sync(client: &Client, out: &Path, first_day: Option<&str>) -> Result<ExportSummary, ExportError> {
    let options = ExportOptions::daily_sync(first_day.map(day), 7)
        .include(Include::ALL)
        .concurrency(4);
    export_jsonl(client, out, &options, &|_| {}, std::future::pending()).await
}

type Lines = BTreeMap<(String, MessageKind, String), usize>;

/// `(session, kind, id)` → how many lines.
fn lines(path: &Path) -> Lines {
    common::line_counts(path)
}

fn sorted_lines(path: &Path) -> Vec<serde_json::Value> {
    let mut all: Vec<serde_json::Value> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    all.sort_by_key(|v| v.to_string());
    all
}

const FIRST_DAY: &str = "2026-10-15";

/// A message of the dataset sent on or before `archived_through` and edited
/// later, on `edit_day`: the archive cannot hold its edit until a sync covers that day.
fn late_edit(dataset: &Dataset, archived_through: NaiveDate, edit_day: NaiveDate) -> (String, String) {
    let day_of = |ms: i64| DateTime::<Utc>::from_timestamp_millis(ms).unwrap().date_naive();
    for session in 0..dataset.sessions {
        for index in 0..dataset.messages_per_session {
            if dataset.is_edited(session, index)
                && day_of(dataset.message_time_ms(session, index)) <= archived_through
                && day_of(dataset.message_time_ms(session, index)) >= day(FIRST_DAY)
                && day_of(dataset.action_time_ms(session, index)) == edit_day
            {
                return (dataset.session_id(session), dataset.message_id(session, index));
            }
        }
    }
    panic!("the dataset has no message sent by {archived_through} and edited on {edit_day}");
}

#[tokio::test]
async fn three_daily_syncs_equal_one_export_and_pick_up_late_edits_once() {
    let clock = DayClock::on(day("2026-11-20"));
    let zoom = fake(clock.clone(), Faults::default()).await;
    let client = client(&zoom);
    let dir = temp_dir("three-days");
    let out = dir.join("chat.jsonl");

    // Day 1: the first run archives FIRST_DAY through yesterday.
    let first = sync(&client, &out, Some(FIRST_DAY)).await.unwrap();
    assert!(first.messages > 0);
    assert_eq!(first.synced, None, "a new archive is its own range, not a sync segment");
    let edit = late_edit(zoom.dataset(), day("2026-11-19"), day("2026-11-20"));
    let edited_key = (edit.0.clone(), MessageKind::Edited, edit.1.clone());
    assert!(!lines(&out).contains_key(&edited_key), "the edit was not made yet");

    // Day 2 and day 3: each adds yesterday and re-checks the seven days before.
    let mut requests = Vec::new();
    for today in ["2026-11-21", "2026-11-22"] {
        clock.set(day(today));
        let before = zoom.counters().requests;
        let summary = sync(&client, &out, None).await.unwrap();
        requests.push(zoom.counters().requests - before);
        let synced = summary.synced.expect("a day to add");
        assert_eq!(synced.to, day(today).pred_opt().unwrap());
        assert_eq!(synced.new_from, synced.to);
        assert_eq!(synced.rechecked_from, synced.to - chrono::Days::new(7));
        assert!(
            summary.already_archived > 0,
            "the lookback found archived records again"
        );
        if today == "2026-11-21" {
            assert_eq!(lines(&out).get(&edited_key), Some(&1), "the late edit, picked up once");
        }
    }
    assert_eq!(
        lines(&out).get(&edited_key),
        Some(&1),
        "and not again by the next lookback"
    );

    // A second sync the same day has nothing to add and asks Zoom nothing.
    let before = zoom.counters().requests;
    let again = sync(&client, &out, None).await.unwrap();
    assert_eq!((again.synced, again.messages), (None, 0));
    assert_eq!(zoom.counters().requests, before);

    // One export of the whole range, made now, holds exactly the same lines.
    let whole = dir.join("whole.jsonl");
    let options = ExportOptions::new(day(FIRST_DAY)..=day("2026-11-21"))
        .include(Include::ALL.by_modification_time(true))
        .concurrency(4);
    let export = export_jsonl(&client, &whole, &options, &|_| {}, std::future::pending())
        .await
        .unwrap();
    let synced_lines = lines(&out);
    assert!(synced_lines.values().all(|&n| n == 1), "no record twice");
    assert_eq!(synced_lines, lines(&whole));
    assert_eq!(
        sorted_lines(&out),
        sorted_lines(&whole),
        "and the lines are the same, field for field"
    );
    let expected = zoom.dataset().expected_messages_at(
        day(FIRST_DAY),
        day("2026-11-21"),
        Include::ALL.by_modification_time(true),
        Some(noon(day("2026-11-22")).timestamp_millis()),
    );
    assert_eq!(synced_lines.len(), expected.len());
    assert_eq!(
        std::fs::read_to_string(sessions_path(&out)).unwrap().lines().count(),
        std::fs::read_to_string(sessions_path(&whole)).unwrap().lines().count()
    );
    eprintln!(
        "requests: full export {}, first run {}, daily syncs {:?}",
        export.stats.requests, first.stats.requests, requests
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn an_interrupted_sync_finishes_on_the_next_run_without_duplicates() {
    let clock = DayClock::on(day("2026-11-10"));
    let dir = temp_dir("interrupted");
    let out = dir.join("chat.jsonl");
    {
        let zoom = fake(clock.clone(), Faults::default()).await;
        sync(&client(&zoom), &out, Some("2026-10-20")).await.unwrap();
    }
    // Days later, a sync that Zoom's daily limit stops part way, then one that finishes.
    clock.set(day("2026-11-16"));
    {
        let zoom = FakeZoom::start(
            FakeZoomConfig::default()
                .dataset(dataset())
                .clock(clock.clone())
                .reveal_by_clock(true)
                .daily_limit(6),
        )
        .await
        .unwrap();
        let error = sync(&client(&zoom), &out, None).await.unwrap_err();
        assert!(error.is_resumable_stop(), "{error}");
    }
    // The next day: the stopped sync is finished first, and the new day is
    // added without a second lookback over the same days.
    clock.set(day("2026-11-17"));
    let zoom = fake(clock.clone(), Faults::default()).await;
    let summary = sync(&client(&zoom), &out, None).await.unwrap();
    assert!(summary.messages > 0);
    let synced = summary.synced.unwrap();
    assert_eq!(
        (synced.rechecked_from, synced.new_from, synced.to),
        (day("2026-11-16"), day("2026-11-16"), day("2026-11-16"))
    );
    let got = lines(&out);
    assert!(got.values().all(|&n| n == 1), "no record twice");
    let include = Include::ALL.by_modification_time(true);
    let expected: Lines = zoom
        .dataset()
        .expected_messages_at(
            day("2026-10-20"),
            day("2026-11-16"),
            include,
            Some(noon(day("2026-11-17")).timestamp_millis()),
        )
        .into_iter()
        .map(|k| (k, 1))
        .collect();
    assert_eq!(got, expected);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn sync_refuses_fewer_kinds_and_needs_a_first_day() {
    let clock = DayClock::on(day("2026-11-20"));
    let zoom = fake(clock.clone(), Faults::default()).await;
    let client = client(&zoom);
    let dir = temp_dir("refusals");
    let out = dir.join("chat.jsonl");
    let error = sync(&client, &out, None).await.unwrap_err();
    assert!(matches!(error, ExportError::SyncNeedsFirstDay { .. }), "{error}");
    assert!(!out.exists() && !journal_path(&out).exists());
    let error = sync(&client, &out, Some("2026-11-20")).await.unwrap_err();
    assert!(matches!(error, ExportError::NothingComplete { .. }), "{error}");

    sync(&client, &out, Some("2026-11-01")).await.unwrap();
    let before = std::fs::read(&out).unwrap();
    clock.set(day("2026-11-21"));
    let options = ExportOptions::daily_sync(None, 7).include(Include::NONE);
    let error = export_jsonl(&client, &out, &options, &|_| {}, std::future::pending())
        .await
        .unwrap_err();
    assert!(matches!(error, ExportError::WouldNarrow { .. }), "{error}");
    assert!(error.to_string().contains("never narrowed"), "{error}");
    let error = sync(&client, &out, Some("2026-11-02")).await.unwrap_err();
    assert!(matches!(error, ExportError::OptionsMismatch { .. }), "{error}");
    assert_eq!(std::fs::read(&out).unwrap(), before, "nothing changed");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn an_archive_left_past_six_months_fills_what_it_can_and_names_the_lost_days() {
    let clock = DayClock::on(day("2026-10-05"));
    let dir = temp_dir("lost");
    let out = dir.join("chat.jsonl");
    let dataset = Dataset {
        start: day("2026-03-01"),
        ..dataset()
    };
    let start = |clock: Arc<DayClock>| {
        FakeZoom::start(
            FakeZoomConfig::default()
                .dataset(dataset.clone())
                .clock(clock)
                .reveal_by_clock(true),
        )
    };
    {
        let zoom = start(clock.clone()).await.unwrap();
        sync(&client(&zoom), &out, Some("2026-04-10")).await.unwrap();
    }
    // Not run for six and a half months: the archive ends 2026-10-04, and on
    // 2027-04-20 Zoom reports only from 2026-10-20 on.
    clock.set(day("2027-04-20"));
    // The sync that finds the loss is stopped (Zoom's daily quota) after
    // journaling part of it: the next run still names every lost day.
    {
        let zoom = FakeZoom::start(
            FakeZoomConfig::default()
                .dataset(dataset.clone())
                .clock(clock.clone())
                .reveal_by_clock(true)
                .daily_limit(14),
        )
        .await
        .unwrap();
        let error = sync(&client(&zoom), &out, None).await.unwrap_err();
        assert!(error.is_resumable_stop(), "{error}");
    }
    let zoom = start(clock.clone()).await.unwrap();
    let error = sync(&client(&zoom), &out, None).await.unwrap_err();
    let ExportError::DatesLost { lost, summary, .. } = &error else {
        panic!("{error}");
    };
    assert_eq!(lost.first().map(|w| w.from), Some(day("2026-10-05")));
    assert_eq!(lost.last().map(|w| w.to), Some(day("2026-10-19")));
    assert!(error.to_string().contains("2026-10-05"), "{error}");
    assert_eq!(summary.synced, None, "the stopped run planned the days");
    // Reported once the segment is finished; later runs do not repeat it.
    let after = sync(&client(&zoom), &out, None).await.unwrap();
    assert_eq!(after.messages, 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// What the lookback costs: a sync re-checking 7 days against one re-checking
/// none, and against fetching the lookback's days on their own.
#[tokio::test]
async fn the_lookback_costs_no_more_than_its_own_days() {
    let clock = DayClock::on(day("2026-11-20"));
    let zoom = fake(clock.clone(), Faults::default()).await;
    let client = client(&zoom);
    let dir = temp_dir("cost");
    let (with, without) = (dir.join("with.jsonl"), dir.join("without.jsonl"));
    for out in [&with, &without] {
        sync(&client, out, Some(FIRST_DAY)).await.unwrap();
    }
    clock.set(day("2026-11-21"));
    let requests = |lookback: u32, out: PathBuf| {
        let (client, zoom) = (&client, &zoom);
        async move {
            let before = zoom.counters().requests;
            let options = ExportOptions::daily_sync(None, lookback).include(Include::ALL);
            export_jsonl(client, &out, &options, &|_| {}, std::future::pending())
                .await
                .unwrap();
            zoom.counters().requests - before
        }
    };
    let with_lookback = requests(7, with.clone()).await;
    let without_lookback = requests(0, without.clone()).await;
    let before = zoom.counters().requests;
    let lookback_alone =
        ExportOptions::new(day("2026-11-13")..=day("2026-11-19")).include(Include::ALL.by_modification_time(true));
    export_jsonl(
        &client,
        &dir.join("alone.jsonl"),
        &lookback_alone,
        &|_| {},
        std::future::pending(),
    )
    .await
    .unwrap();
    let alone = zoom.counters().requests - before;
    eprintln!(
        "daily sync requests: lookback 7 days {with_lookback}, no lookback {without_lookback}, the 7 days alone {alone}"
    );
    assert!(with_lookback <= without_lookback + alone);
    // Both archives hold the same records: the lookback found nothing new here.
    assert_eq!(lines(&with), lines(&without));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A range export stopped part way, then kept current by a sync: its own
/// windows are finished as it asked (edits by the day the message was sent),
/// the sync's by when edits were made, and no edit is written twice.
#[tokio::test]
async fn a_stopped_range_export_continued_by_a_sync_writes_no_edit_twice() {
    let clock = DayClock::on(day("2026-11-20"));
    let dir = temp_dir("range-then-sync");
    let out = dir.join("chat.jsonl");
    {
        let zoom = FakeZoom::start(
            FakeZoomConfig::default()
                .dataset(dataset())
                .clock(clock.clone())
                .reveal_by_clock(true)
                // October's window (1 + 10 requests) finishes; November's does not.
                .daily_limit(14),
        )
        .await
        .unwrap();
        let options = ExportOptions::new(day("2026-10-15")..=day("2026-11-19"))
            .include(Include::ALL)
            .concurrency(2);
        let error = export_jsonl(&client(&zoom), &out, &options, &|_| {}, std::future::pending())
            .await
            .unwrap_err();
        assert!(error.is_resumable_stop(), "{error}");
    }
    clock.set(day("2026-11-23"));
    let zoom = fake(clock.clone(), Faults::default()).await;
    let summary = sync(&client(&zoom), &out, None).await.unwrap();
    // Its first sync re-checks the whole range by when edits were made, once.
    let synced = summary.synced.unwrap();
    assert_eq!(
        (synced.rechecked_from, synced.new_from),
        (day("2026-10-15"), day("2026-11-20"))
    );
    // Keyed as the archive keys records: kind, id and action time.
    let mut seen = std::collections::BTreeMap::new();
    for line in std::fs::read_to_string(&out).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let key = (
            v["kind"].as_str().unwrap().to_string(),
            v["id"].as_str().unwrap().to_string(),
            v.get("action_timestamp").map(|t| t.to_string()),
        );
        *seen.entry(key).or_insert(0) += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "{twice:?}");
    assert!(seen.keys().any(|(kind, _, _)| kind == "edited"));
    // Every edit made in the archive's days is in it, whatever the day of its message.
    let archived: std::collections::BTreeSet<(String, String)> =
        seen.keys().map(|(kind, id, _)| (kind.clone(), id.clone())).collect();
    let by_modification = Include::ALL.by_modification_time(true);
    for (_, kind, id) in zoom.dataset().expected_messages_at(
        day("2026-10-15"),
        day("2026-11-22"),
        by_modification,
        Some(noon(day("2026-11-23")).timestamp_millis()),
    ) {
        assert!(
            archived.contains(&(kind.as_str().to_string(), id.clone())),
            "{kind:?} {id}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The run that finds lost days is stopped among its files, after its last
/// message window: the next run still names them, and the one after does not.
#[tokio::test]
async fn lost_days_found_by_a_sync_stopped_among_its_files_are_reported_by_the_next() {
    let clock = DayClock::on(day("2026-10-05"));
    let dir = temp_dir("lost-files");
    let (out, files) = (dir.join("chat.jsonl"), dir.join("files"));
    let dataset = Dataset {
        start: day("2026-03-01"),
        ..dataset()
    };
    let start = |clock: Arc<DayClock>, limit: Option<u64>| {
        FakeZoom::start(
            FakeZoomConfig::default()
                .dataset(dataset.clone())
                .clock(clock)
                .reveal_by_clock(true)
                .daily_limit(limit),
        )
    };
    let sync_with_files = |client: Client| {
        let (out, files) = (out.clone(), files.clone());
        async move {
            let options = ExportOptions::daily_sync(None, 7).include(Include::ALL).files(&files);
            export_jsonl(&client, &out, &options, &|_| {}, std::future::pending()).await
        }
    };
    {
        let zoom = start(clock.clone(), None).await.unwrap();
        sync(&client(&zoom), &out, Some("2026-09-20")).await.unwrap();
    }
    clock.set(day("2027-04-20"));
    {
        // Enough for every message window (about 30 requests), not for the files.
        let zoom = start(clock.clone(), Some(45)).await.unwrap();
        let error = sync_with_files(client(&zoom)).await.unwrap_err();
        assert!(error.is_resumable_stop(), "{error}");
        let index = std::fs::read_to_string(zoom_chat_archive::files_index_path(&files)).unwrap();
        assert!(!index.is_empty(), "stopped among the files");
    }
    let zoom = start(clock.clone(), None).await.unwrap();
    let error = sync_with_files(client(&zoom)).await.unwrap_err();
    let ExportError::DatesLost { lost, .. } = &error else {
        panic!("{error}");
    };
    assert_eq!(
        (lost.first().map(|w| w.from), lost.last().map(|w| w.to)),
        (Some(day("2026-10-05")), Some(day("2026-10-19")))
    );
    sync_with_files(client(&zoom)).await.unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The keys of `out` once each, after checking that a key written more than
/// once is a sent message written again by a widening for its reactions,
/// custom emoji reactions or bot card:
/// first without them, last with them (the later line is the one that counts).
fn widened_lines(out: &Path) -> Lines {
    let mut by_key: BTreeMap<(String, MessageKind, String), Vec<serde_json::Value>> = BTreeMap::new();
    for line in std::fs::read_to_string(out).unwrap().lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let kind: MessageKind = serde_json::from_value(value["kind"].clone()).unwrap();
        let key = (
            value["session_id"].as_str().unwrap().to_string(),
            kind,
            value["id"].as_str().unwrap().to_string(),
        );
        by_key.entry(key).or_default().push(value);
    }
    let has_reactions = |v: &serde_json::Value| {
        ["reactions", "custom_emoji_reactions"]
            .iter()
            .any(|field| v[field].as_array().is_some_and(|r| !r.is_empty()))
            || !v["bot_message"].is_null()
    };
    for (key, values) in &by_key {
        if values.len() > 1 {
            assert_eq!(values.len(), 2, "{key:?} three times");
            assert_eq!(key.1, MessageKind::Sent, "{key:?} twice");
            assert!(
                !has_reactions(&values[0]) && has_reactions(&values[1]),
                "{key:?}: {values:?}"
            );
        }
    }
    by_key.into_keys().map(|key| (key, 1)).collect()
}

async fn sync_with(
    client: &Client,
    out: &Path,
    first_day: Option<&str>,
    include: Include,
) -> Result<ExportSummary, ExportError> {
    let options = ExportOptions::daily_sync(first_day.map(day), 7)
        .include(include)
        .concurrency(4);
    export_jsonl(client, out, &options, &|_| {}, std::future::pending()).await
}

/// An archive of sent messages, widened by a sync that asks for all kinds:
/// the days already archived get their edits and deletions, once, as a
/// segment of its own that an interruption does not spoil, and every later
/// sync asks for all of them. Asking for less again is refused.
#[tokio::test]
async fn a_sync_with_more_kinds_widens_the_days_already_archived() {
    let clock = DayClock::on(day("2026-11-20"));
    let dir = temp_dir("widen");
    let out = dir.join("chat.jsonl");
    {
        let zoom = fake(clock.clone(), Faults::default()).await;
        let first = sync_with(&client(&zoom), &out, Some(FIRST_DAY), Include::NONE)
            .await
            .unwrap();
        assert!(first.messages > 0);
    }
    let recorded = || async {
        zoom_chat_archive::recorded_include(&out)
            .await
            .unwrap()
            .map(|kinds| kinds.by_modification_time(false))
    };
    assert_eq!(recorded().await, Some(Include::NONE));
    assert!(
        lines(&out).keys().all(|(_, kind, _)| *kind == MessageKind::Sent),
        "sent messages only"
    );

    // Two days later the widening sync is stopped part way by Zoom's daily
    // limit: the days it has not re-checked are not complete.
    clock.set(day("2026-11-22"));
    {
        let zoom = FakeZoom::start(
            FakeZoomConfig::default()
                .dataset(dataset())
                .clock(clock.clone())
                .reveal_by_clock(true)
                .daily_limit(8),
        )
        .await
        .unwrap();
        let error = sync_with(&client(&zoom), &out, None, Include::ALL).await.unwrap_err();
        assert!(error.is_resumable_stop(), "{error}");
    }
    assert_eq!(
        recorded().await,
        Some(Include::ALL),
        "every sync from now on asks for all the kinds"
    );
    let status = zoom_chat_archive::status(&out).await.unwrap();
    assert_eq!(status.include.by_modification_time(false), Include::ALL);
    assert!(
        status.unfinished_days.first().is_some_and(|d| d.from == day(FIRST_DAY)),
        "the days still to widen are unfinished: {:?}",
        status.unfinished_days
    );
    // A sync that asks for sent messages only, now, would narrow it.
    let zoom = fake(clock.clone(), Faults::default()).await;
    let before = std::fs::read(&out).unwrap();
    let error = sync_with(&client(&zoom), &out, None, Include::NONE).await.unwrap_err();
    assert!(matches!(error, ExportError::WouldNarrow { .. }), "{error}");
    assert_eq!(std::fs::read(&out).unwrap(), before, "nothing changed");

    // The next run, as the CLI makes it (the archive's recorded kinds),
    // finishes the widening: no record twice, and the same lines as an
    // export of every kind made now.
    let kept = zoom_chat_archive::recorded_include(&out).await.unwrap().unwrap();
    sync_with(&client(&zoom), &out, None, kept).await.unwrap();
    let got = widened_lines(&out);
    let expected: Lines = zoom
        .dataset()
        .expected_messages_at(
            day(FIRST_DAY),
            day("2026-11-21"),
            Include::ALL.by_modification_time(true),
            Some(noon(day("2026-11-22")).timestamp_millis()),
        )
        .into_iter()
        .map(|k| (k, 1))
        .collect();
    assert!(got.keys().any(|(_, kind, _)| *kind == MessageKind::Edited));
    assert_eq!(got, expected);
    let status = zoom_chat_archive::status(&out).await.unwrap();
    assert!(status.unfinished_days.is_empty(), "{:?}", status.unfinished_days);
    assert_eq!(
        (status.include_from, status.include_before),
        (None, None),
        "every day widened"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Days past Zoom's six months cannot be widened: the sync names them, and
/// status says what they keep.
#[tokio::test]
async fn a_widening_names_the_days_zoom_no_longer_reports() {
    let clock = DayClock::on(day("2026-10-05"));
    let dir = temp_dir("widen-past");
    let out = dir.join("chat.jsonl");
    let dataset = Dataset {
        start: day("2026-03-01"),
        ..dataset()
    };
    let start = |clock: Arc<DayClock>| {
        FakeZoom::start(
            FakeZoomConfig::default()
                .dataset(dataset.clone())
                .clock(clock)
                .reveal_by_clock(true),
        )
    };
    {
        let zoom = start(clock.clone()).await.unwrap();
        sync_with(&client(&zoom), &out, Some("2026-04-10"), Include::NONE)
            .await
            .unwrap();
    }
    clock.set(day("2026-10-20"));
    let zoom = start(clock.clone()).await.unwrap();
    let summary = sync_with(&client(&zoom), &out, None, Include::ALL).await.unwrap();
    let synced = summary.synced.unwrap();
    let widened = synced.widened.expect("widened");
    let earliest = zoom_chat_reports::windows::earliest_reportable(day("2026-10-20"));
    assert_eq!(widened.from, earliest);
    assert_eq!(
        widened.kept_as_archived,
        Some((day("2026-04-10"), earliest.pred_opt().unwrap()))
    );
    assert_eq!((synced.new_from, synced.to), (day("2026-10-05"), day("2026-10-19")));
    widened_lines(&out);
    let status = zoom_chat_archive::status(&out).await.unwrap();
    assert_eq!(status.include_from, Some(earliest));
    assert_eq!(
        status.include_before.map(|i| i.by_modification_time(false)),
        Some(Include::NONE)
    );
    assert!(status.unfinished_days.is_empty(), "{:?}", status.unfinished_days);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A range export that reached today, resumed the next day: its provisional
/// units are cut back and written again, longer now. The manifest's hash is
/// then computed again (not taken up past the cut), and the files of the
/// units written again are fetched.
#[tokio::test]
async fn a_resume_that_cuts_provisional_units_back_keeps_the_manifest_and_files_right() {
    let clock = DayClock::on(day("2026-11-20"));
    let zoom = fake(clock.clone(), Faults::default()).await;
    let dir = temp_dir("provisional");
    let out = dir.join("chat.jsonl");
    let files = dir.join("files");
    let options = ExportOptions::new(day("2026-11-17")..=day("2026-11-20"))
        .include(Include::ALL)
        .files(&files)
        .concurrency(4);
    export_jsonl(&client(&zoom), &out, &options, &|_| {}, std::future::pending())
        .await
        .unwrap();
    clock.set(day("2026-11-21"));
    let resumed = options.clone().resume(true);
    export_jsonl(&client(&zoom), &out, &resumed, &|_| {}, std::future::pending())
        .await
        .unwrap();
    let report = zoom_chat_archive::verify(&out).await.unwrap();
    assert!(report.differences.is_empty(), "{:?}", report.differences);
    assert_eq!((report.files_not_fetched, report.files_to_retry), (0, 0), "{report:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The files directory lost, or an index of a version that kept no links
/// with a downloaded file gone: the next sync fetches them again.
#[tokio::test]
async fn a_lost_files_directory_or_a_gone_file_is_fetched_again() {
    let clock = DayClock::on(day("2026-11-20"));
    let zoom = fake(clock.clone(), Faults::default()).await;
    let dir = temp_dir("files-again");
    let out = dir.join("chat.jsonl");
    let files = dir.join("files");
    let sync_files = |today: &'static str| {
        clock.set(day(today));
        let options = ExportOptions::daily_sync(Some(day("2026-11-10")), 7)
            .include(Include::ALL)
            .files(&files)
            .concurrency(4);
        let (client, out) = (client(&zoom), out.clone());
        async move {
            export_jsonl(&client, &out, &options, &|_| {}, std::future::pending())
                .await
                .unwrap()
        }
    };
    sync_files("2026-11-20").await;
    let index = |files: &Path| std::fs::read_to_string(zoom_chat_archive::files_index_path(files)).unwrap();
    let downloaded = index(&files).matches("\"downloaded\"").count();
    assert!(downloaded > 5);

    std::fs::remove_dir_all(&files).unwrap();
    let again = sync_files("2026-11-20").await;
    assert_eq!(again.files.unwrap().downloaded as usize, downloaded, "every file again");

    // An index as an earlier version wrote it, without links, and a file gone.
    let old: String = index(&files)
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            v.as_object_mut().unwrap().remove("download_url");
            format!("{v}\n")
        })
        .collect();
    std::fs::write(zoom_chat_archive::files_index_path(&files), &old).unwrap();
    let first: serde_json::Value = serde_json::from_str(old.lines().next().unwrap()).unwrap();
    std::fs::remove_file(files.join(first["path"].as_str().unwrap())).unwrap();
    let refetched = sync_files("2026-11-20").await;
    assert_eq!(refetched.files.unwrap().downloaded, 1);
    let report = zoom_chat_archive::verify(&out).await.unwrap();
    assert!(report.differences.is_empty(), "{:?}", report.differences);
    assert!(
        index(&files).lines().all(|l| l.contains("download_url")),
        "links kept from now on"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
