//! The export against the fake Zoom: faults, rate limits, expiring page
//! tokens, a daily limit, interruption and a crash, and always exactly the
//! messages the dataset holds, each once.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use zoom_chat_reports::export::{ExportError, ExportOptions, ExportSummary, export_jsonl, journal_path};
use zoom_chat_reports::mock::{Dataset, FakeZoom, FakeZoomConfig, Faults, RetryAfterForm};
use zoom_chat_reports::retry::RetryPolicy;
use zoom_chat_reports::{Client, Error, Include, MessageKind};

use common::day;

const TODAY: &str = "2026-11-22";

fn dataset() -> Dataset {
    Dataset {
        seed: 7,
        sessions: 12,
        messages_per_session: 90,
        start: day("2026-08-10"),
        end: day("2026-11-20"),
        edited_share: 0.15,
        deleted_share: 0.1,
        file_share: 0.2,
        reply_share: 0.3,
    }
}

fn config() -> FakeZoomConfig {
    FakeZoomConfig {
        dataset: dataset(),
        today: day(TODAY),
        ..FakeZoomConfig::default()
    }
}

fn client(zoom: &FakeZoom) -> Client {
    zoom.client_builder()
        .requests_per_second(None)
        .sleep(Arc::new(common::RecordedSleep::default()))
        .retry_policy(RetryPolicy {
            max_attempts: 6,
            initial_backoff: Duration::from_millis(5),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

fn temp_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zoom-export-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(journal_path(&path));
    path
}

fn options(from: &str, to: &str, include: Include, resume: bool) -> ExportOptions {
    ExportOptions::new(day(from)..=day(to))
        .include(include)
        .concurrency(4)
        .resume(resume)
}

async fn run(client: &Client, path: &Path, options: &ExportOptions) -> Result<ExportSummary, ExportError> {
    export_jsonl(client, path, options, &|_| {}, std::future::pending()).await
}

/// `(session, kind, id)` → how many lines, after checking every line is whole JSON.
fn lines(path: &Path) -> BTreeMap<(String, MessageKind, String), usize> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "the file ends with a whole line"
    );
    let mut counts = BTreeMap::new();
    for line in text.lines() {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a whole JSON line ({e}): {line}"));
        let kind: MessageKind = serde_json::from_value(value["kind"].clone()).unwrap();
        let key = (
            value["session_id"].as_str().unwrap().to_string(),
            kind,
            value["id"].as_str().unwrap().to_string(),
        );
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}

fn assert_exact(path: &Path, zoom: &FakeZoom, from: &str, to: &str, include: Include) {
    let got = lines(path);
    let duplicates: Vec<_> = got.iter().filter(|(_, n)| **n > 1).collect();
    assert!(duplicates.is_empty(), "duplicated lines: {duplicates:?}");
    let expected: BTreeMap<_, usize> = zoom
        .dataset()
        .expected_messages(day(from), day(to), include)
        .into_iter()
        .map(|k| (k, 1))
        .collect();
    let missing: Vec<_> = expected.keys().filter(|k| !got.contains_key(*k)).take(5).collect();
    let extra: Vec<_> = got.keys().filter(|k| !expected.contains_key(*k)).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, unexpected {extra:?}"
    );
    assert_eq!(got.len(), expected.len());
}

#[tokio::test]
async fn exports_exactly_the_dataset_through_faults_and_rate_limits() {
    let zoom = FakeZoom::start(FakeZoomConfig {
        per_second_limit: Some(200),
        retry_after: RetryAfterForm::Iso8601,
        faults: Faults {
            server_error_every: Some(7),
            reset_every: Some(11),
            truncate_every: Some(13),
            slow_every: Some((17, Duration::from_millis(20))),
        },
        ..config()
    })
    .await
    .unwrap();
    let path = temp_file("faults.jsonl");
    let summary = run(
        &client(&zoom),
        &path,
        &options("2026-09-15", "2026-11-20", Include::ALL, false),
    )
    .await
    .unwrap();
    assert_exact(&path, &zoom, "2026-09-15", "2026-11-20", Include::ALL);
    let counters = zoom.counters();
    assert!(counters.faults > 0, "{counters:?}");
    assert_eq!(counters.protocol_violations, 0, "{counters:?}");
    assert_eq!(counters.token_requests, 1);
    assert_eq!(summary.sessions, 12);
    assert!(
        summary.stats.retries >= counters.faults,
        "every fault was retried: {summary:?} {counters:?}"
    );
    let expected = zoom
        .dataset()
        .expected_messages(day("2026-09-15"), day("2026-11-20"), Include::ALL)
        .len() as u64;
    assert_eq!(summary.messages, expected);
}

#[tokio::test]
async fn only_sessions_listed_in_a_window_are_asked_for_messages() {
    // One session only has messages in September: October must not ask for it.
    let zoom = FakeZoom::start(config()).await.unwrap();
    let path = temp_file("no-waste.jsonl");
    run(
        &client(&zoom),
        &path,
        &options("2026-09-01", "2026-10-31", Include::NONE, false),
    )
    .await
    .unwrap();
    let dataset = zoom.dataset();
    for request in zoom.requests() {
        let Some(session) = request.path.strip_prefix("/report/chat/sessions/") else {
            continue;
        };
        let index = dataset.session_index(session).expect("a known session");
        let url = reqwest::Url::parse(&format!("http://fake/?{}", request.query)).unwrap();
        let param =
            |name: &str| -> NaiveDate { url.query_pairs().find(|(k, _)| k == name).unwrap().1.parse().unwrap() };
        let (from, to) = (param("from"), param("to"));
        assert!(
            !dataset.message_range(index, from, to).is_empty(),
            "asked for {session} in {from}..={to}, which has no messages there"
        );
    }
}

#[tokio::test]
async fn resumes_after_a_daily_limit_without_loss_or_duplicates() {
    let zoom = FakeZoom::start(FakeZoomConfig {
        daily_limit: Some(15),
        ..config()
    })
    .await
    .unwrap();
    let client = client(&zoom);
    let path = temp_file("daily.jsonl");
    let first = run(
        &client,
        &path,
        &options("2026-09-01", "2026-11-20", Include::ALL, false),
    )
    .await
    .unwrap_err();
    let ExportError::Zoom(error @ Error::RateLimited { daily: true, .. }) = &first else {
        panic!("{first:?}")
    };
    assert_eq!(
        error.daily_limit_reset().map(|t| t.to_rfc3339()),
        Some("2026-11-23T00:00:00+00:00".into())
    );
    let partial = lines(&path).len();
    assert!(partial > 0, "some units were finished before the limit");

    zoom.reset_daily_quota();
    let mut runs = 1;
    // Each day the quota allows 15 more requests; keep resuming until done.
    loop {
        runs += 1;
        match run(&client, &path, &options("2026-09-01", "2026-11-20", Include::ALL, true)).await {
            Ok(summary) => {
                assert!(summary.skipped_units > 0);
                break;
            }
            Err(ExportError::Zoom(Error::RateLimited { daily: true, .. })) => zoom.reset_daily_quota(),
            Err(other) => panic!("{other:?}"),
        }
        assert!(runs < 20, "the export makes progress each day");
    }
    assert!(runs > 2, "the export needed several days");
    assert_exact(&path, &zoom, "2026-09-01", "2026-11-20", Include::ALL);
}

/// The journal's unit entries: `(line index, output length after the unit)`.
fn unit_lines(journal: &str) -> Vec<(usize, u64)> {
    journal
        .lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let value: serde_json::Value = serde_json::from_str(line).ok()?;
            Some((index, value.get("unit")?["bytes"].as_u64()?))
        })
        .collect()
}

#[tokio::test]
async fn resumes_after_a_crash_mid_write() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = client(&zoom);
    let path = temp_file("crash.jsonl");
    let opts = options("2026-10-01", "2026-11-20", Include::NONE, false);
    run(&client, &path, &opts).await.unwrap();
    let complete = std::fs::read(&path).unwrap();

    // Simulate a crash: the last units never reached the journal, one was
    // half written, and the journal's last line is torn, mid-character.
    let journal = std::fs::read_to_string(journal_path(&path)).unwrap();
    let lines: Vec<&str> = journal.lines().collect();
    let units = unit_lines(&journal);
    let kept = &lines[..units[units.len() - 3].0];
    let last_bytes = units[units.len() - 4].1 as usize;
    let mut torn = format!("{}\n{{\"unit\":{{\"window\":\"2026-1", kept.join("\n")).into_bytes();
    torn.extend_from_slice(&[0xe2, 0x82]);
    std::fs::write(journal_path(&path), torn).unwrap();
    std::fs::write(&path, &complete[..last_bytes + 40]).unwrap();
    let resume = opts.clone().resume(true);

    let summary = run(&client, &path, &resume).await.unwrap();
    assert_eq!(summary.units, 3, "only the three lost units are fetched again");
    assert_exact(&path, &zoom, "2026-10-01", "2026-11-20", Include::NONE);

    // A power cut can leave the file at full length with zeros where data was
    // never synced: the checksum finds the damaged unit, and it and every unit
    // after it are fetched again.
    let complete = std::fs::read(&path).unwrap();
    let units = unit_lines(&std::fs::read_to_string(journal_path(&path)).unwrap());
    let (start, end) = (units[4].1 as usize, units[5].1 as usize);
    let mut damaged = complete.clone();
    damaged[start..end].fill(0);
    std::fs::write(&path, &damaged).unwrap();
    let summary = run(&client, &path, &resume).await.unwrap();
    assert_eq!(
        summary.units as usize,
        units.len() - 5,
        "the damaged unit and those after it"
    );
    assert_exact(&path, &zoom, "2026-10-01", "2026-11-20", Include::NONE);

    // Resuming with other arguments is refused, not mixed in.
    let error = run(
        &client,
        &path,
        &options("2026-10-01", "2026-11-19", Include::NONE, true),
    )
    .await
    .unwrap_err();
    assert!(matches!(error, ExportError::OptionsMismatch { .. }), "{error:?}");
}

#[tokio::test]
async fn an_interrupted_export_resumes() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = client(&zoom);
    let path = temp_file("interrupt.jsonl");
    let opts = options("2026-10-01", "2026-11-20", Include::ALL, false);
    let units = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let notify = Arc::new(tokio::sync::Notify::new());
    let progress = {
        let (units, notify) = (units.clone(), notify.clone());
        move |event| {
            if matches!(event, zoom_chat_reports::export::ExportProgress::UnitDone { .. })
                && units.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 == 5
            {
                notify.notify_one();
            }
        }
    };
    let error = export_jsonl(&client, &path, &opts, &progress, notify.notified())
        .await
        .unwrap_err();
    assert!(matches!(error, ExportError::Interrupted), "{error:?}");
    let summary = run(&client, &path, &opts.resume(true)).await.unwrap();
    assert!(summary.skipped_units >= 5);
    assert_exact(&path, &zoom, "2026-10-01", "2026-11-20", Include::ALL);
}

#[tokio::test]
async fn expiring_page_tokens_are_recovered_for_a_slow_consumer() {
    use futures::TryStreamExt;
    let zoom = FakeZoom::start(FakeZoomConfig {
        page_token_life: Duration::from_millis(150),
        ..config()
    })
    .await
    .unwrap();
    let client = zoom.client_builder().requests_per_second(None).build().unwrap();
    let session = zoom.dataset().session_id(1);
    let mut stream = client
        .messages(session.clone(), day("2026-10-01")..=day("2026-10-31"))
        .page_size(5)
        .items();
    let mut ids = Vec::new();
    while let Some(item) = stream.try_next().await.unwrap() {
        ids.push(item.message.id);
        if ids.len() == 5 {
            // Longer than the token lives.
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
    let index = zoom.dataset().session_index(&session).unwrap();
    let expected: Vec<String> = zoom
        .dataset()
        .message_range(index, day("2026-10-01"), day("2026-10-31"))
        .filter(|&i| !zoom.dataset().is_deleted(index, i))
        .map(|i| zoom.dataset().message_id(index, i))
        .collect();
    assert_eq!(ids, expected);
    let expired = zoom.requests().iter().filter(|r| r.status == 400).count();
    assert_eq!(expired, 1, "one expired token, recovered by one restart");
}

#[tokio::test]
async fn the_fake_enforces_zoom_range_rules() {
    use futures::TryStreamExt;
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = client(&zoom);
    // Raw calls skip the SDK's own window splitting, so the fake's checks answer.
    let api = client.generated();
    let too_long = api
        .report_chat_sessions()
        .from(day("2026-09-01"))
        .to(day("2026-10-15"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(too_long.status().map(|s| s.as_u16()), Some(400));
    let too_old = api
        .report_chat_sessions()
        .from(day("2026-05-01"))
        .to(day("2026-05-02"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(too_old.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(zoom.counters().protocol_violations, 2);
    // The SDK never breaks them: a five-month range is split into windows.
    let sessions: Vec<_> = client
        .sessions(day("2026-06-23")..=day("2026-11-20"))
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sessions.len(), 12);
    assert_eq!(zoom.counters().protocol_violations, 2);
}

/// The example with no Zoom credentials in its environment: it runs against the fake.
fn without_credentials(example: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(example);
    for name in [
        "ZOOM_ACCOUNT_ID",
        "ZOOM_CLIENT_ID",
        "ZOOM_CLIENT_SECRET",
        "ZOOM_ACCESS_TOKEN",
    ] {
        command.env_remove(name);
    }
    command
}

#[test]
fn the_export_cli_rejects_bad_arguments_and_runs_against_the_fake() {
    // Examples are built next to the test binaries.
    let exe = std::env::current_exe().unwrap();
    let example = exe.parent().unwrap().parent().unwrap().join("examples").join("export");
    if !example.exists() {
        panic!("{} was not built; `cargo test` builds examples", example.display());
    }
    let out = temp_file("cli.jsonl");
    let bad = std::process::Command::new(&example)
        .args(["--from", "2026-13-01", "--to", "2026-11-01", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("invalid value '2026-13-01'"));

    let reversed = without_credentials(&example)
        .args(["--from", "2026-11-02", "--to", "2026-11-01", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(!reversed.status.success());
    let stderr = String::from_utf8_lossy(&reversed.stderr);
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{stderr}"
    );

    let today = chrono::Utc::now().date_naive();
    let from = (today - chrono::Duration::days(10)).to_string();
    let ok = without_credentials(&example)
        .args([
            "--from",
            &from,
            "--to",
            &today.to_string(),
            "--include",
            "edited,deleted",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&ok.stderr);
    assert!(ok.status.success(), "{stderr}");
    assert!(stderr.contains("fake Zoom"), "{stderr}");
    let expected = Dataset::small(today)
        .expected_messages(day(&from), today, Include::ALL)
        .len();
    assert_eq!(lines(&out).len(), expected);
}
