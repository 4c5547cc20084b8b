//! The export against the fake Zoom: faults, rate limits, expiring page
//! tokens, a daily limit, interruption and a crash, and always exactly the
//! messages the dataset holds, each once.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use zoom_chat_archive::{
    ExportError, ExportOptions, ExportProgress, ExportSummary, PathProblem, export_jsonl, journal_path, lock_path,
    sessions_path, verify,
};
use zoom_chat_reports::mock::{Dataset, FakeZoom, FakeZoomConfig, Faults, RetryAfterForm};
use zoom_chat_reports::runtime::FixedClock;
use zoom_chat_reports::{Client, Credentials, Include, MessageKind};

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
    FakeZoomConfig::default().dataset(dataset()).today(day(TODAY))
}

fn client(zoom: &FakeZoom) -> Client {
    common::fake_client(zoom, 6)
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
    common::line_counts(path)
}

fn assert_exact(path: &Path, zoom: &FakeZoom, from: &str, to: &str, include: Include) {
    let got = lines(path);
    let duplicates: Vec<_> = got.iter().filter(|(_, n)| **n > 1).take(5).collect();
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
    let zoom = FakeZoom::start(
        config()
            .per_second_limit(200)
            .retry_after(RetryAfterForm::Iso8601)
            .faults(Faults {
                server_error_every: Some(7),
                reset_every: Some(11),
                truncate_every: Some(13),
                slow_every: Some((17, Duration::from_millis(20))),
            }),
    )
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
    let zoom = FakeZoom::start(config().daily_limit(15)).await.unwrap();
    let client = client(&zoom);
    let path = temp_file("daily.jsonl");
    let first = run(
        &client,
        &path,
        &options("2026-09-01", "2026-11-20", Include::ALL, false),
    )
    .await
    .unwrap_err();
    let ExportError::Zoom(error) = &first else {
        panic!("{first:?}")
    };
    assert!(error.is_daily_limit(), "{error:?}");
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
            Err(ExportError::Zoom(error)) if error.is_daily_limit() => zoom.reset_daily_quota(),
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

    // The same damage after a run that ended in good order (its journal ends
    // with "closed": everything was synced) is no crash: refused, nothing changed.
    let complete = std::fs::read(&path).unwrap();
    let journal = std::fs::read_to_string(journal_path(&path)).unwrap();
    let closed: serde_json::Value = serde_json::from_str(journal.lines().last().unwrap()).unwrap();
    assert_eq!(closed["closed"]["bytes"], complete.len(), "{journal}");
    // The run is on record: when, and how it ended.
    assert_eq!(closed["closed"]["run"]["outcome"], "done", "{journal}");
    assert!(closed["closed"]["run"]["started"].as_str().unwrap() <= closed["closed"]["run"]["ended"].as_str().unwrap());
    let units = unit_lines(&journal);
    // The last unit before the close is checked: a file replaced, cut back
    // or damaged at its end is refused, and nothing is changed.
    let (start, end) = (units[units.len() - 2].1 as usize, units[units.len() - 1].1 as usize);
    let mut damaged = complete.clone();
    damaged[start..end].fill(0);
    std::fs::write(&path, &damaged).unwrap();
    let error = run(&client, &path, &resume).await.unwrap_err();
    assert!(matches!(error, ExportError::Damaged { .. }), "{error:?}");
    assert!(error.to_string().contains(&format!("bytes {start}..{end}")), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), damaged, "nothing was changed");
    assert_eq!(std::fs::read_to_string(journal_path(&path)).unwrap(), journal);
    // The units before it are not read again by a run (that is the night's
    // work, not the archive's): a run goes on, and verify, which reads every
    // byte, finds the change. The run's manifest takes its hash up where the
    // last run left it, so it does not cover the change up.
    let (start, end) = (units[4].1 as usize, units[5].1 as usize);
    let mut damaged = complete.clone();
    damaged[start..end].fill(0);
    std::fs::write(&path, &damaged).unwrap();
    let summary = run(&client, &path, &resume).await.unwrap();
    assert_eq!((summary.units, summary.refetched_units), (0, 0));
    assert_eq!(std::fs::read(&path).unwrap(), damaged);
    let report = zoom_chat_archive::verify(&path).await.unwrap();
    assert!(
        report.differences.iter().any(|d| d.contains("SHA-256")),
        "{:?}",
        report.differences
    );
    let journal = std::fs::read_to_string(journal_path(&path)).unwrap();

    // A power cut (the journal has no "closed" after the last units) can leave
    // zeros where data was never synced, in any order: the damaged unit and
    // every unit after it are fetched again.
    let unclosed: String = journal
        .lines()
        .filter(|line| !line.starts_with("{\"closed\""))
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(journal_path(&path), unclosed).unwrap();
    let summary = run(&client, &path, &resume).await.unwrap();
    assert_eq!(
        summary.units as usize,
        units.len() - 5,
        "the damaged unit and those after it"
    );
    assert_eq!(summary.refetched_units as usize, units.len() - 5);
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
            if matches!(event, ExportProgress::UnitDone { .. })
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
    let zoom = FakeZoom::start(config().page_token_life(Duration::from_millis(150)))
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

/// A client that reads from the fake as if it were a real Zoom: its source is
/// the fake's URL and `account`, not the fake's own identity.
fn real_client(zoom: &FakeZoom, account: &str) -> Client {
    Client::builder()
        .base_url(zoom.base_url())
        .oauth_url(zoom.oauth_url())
        .credentials(Credentials::server_to_server(account, "fake-client", "fake-secret"))
        .clock(Arc::new(FixedClock::on(day(TODAY))))
        .requests_per_second(None)
        .build()
        .unwrap()
}

/// Every file an export of `path` may leave: the output, journal, lock and spools.
fn files_of(path: &Path) -> Vec<PathBuf> {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let mut found: Vec<PathBuf> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&name))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

fn spools_of(path: &Path) -> Vec<PathBuf> {
    let prefix = format!("{}.spool-", path.file_name().unwrap().to_string_lossy());
    files_of(path)
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(&prefix))
        .collect()
}

#[tokio::test]
async fn a_rerun_is_refused_and_changes_nothing() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = client(&zoom);
    let path = temp_file("rerun.jsonl");
    let opts = options("2026-10-01", "2026-11-20", Include::NONE, false);
    run(&client, &path, &opts).await.unwrap();
    let (data, journal) = (
        std::fs::read(&path).unwrap(),
        std::fs::read(journal_path(&path)).unwrap(),
    );
    let requests = zoom.counters().requests;

    let error = run(&client, &path, &opts).await.unwrap_err();
    assert!(
        matches!(error, ExportError::AlreadyExists { journal: Some(_), .. }),
        "{error:?}"
    );
    // One plain sentence naming the file; what to type is the command's to say.
    let message = error.to_string();
    assert!(
        message.contains(&*path.to_string_lossy())
            && message.contains("nothing was changed")
            && !message.contains("--"),
        "{message}"
    );
    assert!(error.is_usage_error());

    // Without its journal, resuming cannot help, and neither message suggests it.
    std::fs::remove_file(journal_path(&path)).unwrap();
    let error = run(&client, &path, &opts).await.unwrap_err();
    assert!(
        matches!(error, ExportError::AlreadyExists { journal: None, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("is not empty"), "{error}");
    let error = run(&client, &path, &opts.clone().resume(true)).await.unwrap_err();
    assert!(matches!(error, ExportError::NoJournal { .. }), "{error:?}");
    assert!(error.to_string().contains("has data but no journal"), "{error}");

    assert_eq!(std::fs::read(&path).unwrap(), data, "the output is byte-identical");
    assert_eq!(zoom.counters().requests, requests, "no request was sent");
    std::fs::write(journal_path(&path), journal).unwrap();
    let error = run(&client, &path, &opts.clone().resume(true).overwrite(true))
        .await
        .unwrap_err();
    assert!(matches!(error, ExportError::ConflictingOptions), "{error:?}");
    assert_eq!(std::fs::read(&path).unwrap(), data);
}

#[tokio::test]
async fn overwrite_starts_over_with_the_new_arguments() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = client(&zoom);
    let path = temp_file("overwrite.jsonl");
    run(
        &client,
        &path,
        &options("2026-09-01", "2026-11-20", Include::ALL, false),
    )
    .await
    .unwrap();
    let opts = options("2026-10-05", "2026-10-25", Include::NONE, false).overwrite(true);
    run(&client, &path, &opts).await.unwrap();
    assert_exact(&path, &zoom, "2026-10-05", "2026-10-25", Include::NONE);
    // The journal is the new export's: resuming it with its own arguments finds everything done.
    let summary = run(&client, &path, &opts.overwrite(false).resume(true)).await.unwrap();
    assert_eq!(summary.units, 0);
    assert!(summary.skipped_units > 0);
    assert_exact(&path, &zoom, "2026-10-05", "2026-10-25", Include::NONE);
}

#[tokio::test]
async fn a_second_export_to_the_same_file_is_refused_while_the_first_runs() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = client(&zoom);
    let path = temp_file("locked.jsonl");
    let opts = options("2026-10-01", "2026-11-20", Include::ALL, false);
    let (found, first_found) = tokio::sync::mpsc::unbounded_channel();
    let progress = move |event| {
        if matches!(event, ExportProgress::Discovered { .. }) {
            let _ = found.send(());
        }
    };
    let first = export_jsonl(&client, &path, &opts, &progress, std::future::pending());
    tokio::pin!(first);
    let mut first_found = first_found;
    // Run the first export until it has found a session, then leave it paused, lock held.
    tokio::select! {
        result = &mut first => panic!("the first export ended before finding a session: {result:?}"),
        _ = first_found.recv() => {}
    }
    // A request the first export handed to its connection before it paused
    // may still be on its way to the fake: let it land before counting.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let requests = zoom.counters().requests;
    for second in [opts.clone(), opts.clone().overwrite(true), opts.clone().resume(true)] {
        let error = run(&client, &path, &second).await.unwrap_err();
        let ExportError::Locked { output, lock, holder } = &error else {
            panic!("{error:?}")
        };
        assert_eq!((output, lock), (&path, &lock_path(&path)));
        assert_eq!(*holder, Some(std::process::id()));
        let message = error.to_string();
        assert!(message.contains(&*lock.to_string_lossy()), "{message}");
    }
    // The same file by another name: a symlink, a hard link. The lock file is
    // named after the path, so the output file itself is locked too.
    #[cfg(unix)]
    {
        let symlink = temp_file("locked-symlink.jsonl");
        let hard_link = temp_file("locked-hard-link.jsonl");
        std::os::unix::fs::symlink(&path, &symlink).unwrap();
        std::fs::hard_link(&path, &hard_link).unwrap();
        for other_name in [&symlink, &hard_link] {
            let error = run(&client, other_name, &opts.clone().overwrite(true))
                .await
                .unwrap_err();
            assert!(matches!(error, ExportError::Locked { .. }), "{other_name:?}: {error:?}");
            assert!(
                !journal_path(other_name).exists(),
                "nothing was started beside {other_name:?}"
            );
        }
    }
    assert_eq!(zoom.counters().requests, requests, "the second export sent nothing");
    first.await.unwrap();
    assert_exact(&path, &zoom, "2026-10-01", "2026-11-20", Include::ALL);
    // Released with the first export: a resume may now take it.
    run(&client, &path, &opts.clone().resume(true)).await.unwrap();
}

#[tokio::test]
async fn a_resume_from_another_source_is_refused() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let other_zoom = FakeZoom::start(config()).await.unwrap();
    let path = temp_file("source.jsonl");
    let opts = options("2026-10-01", "2026-11-20", Include::NONE, false);
    let real = real_client(&zoom, "fake-account");
    run(&real, &path, &opts).await.unwrap();
    let data = std::fs::read(&path).unwrap();
    let resume = opts.clone().resume(true);

    let refused = [
        ("another base URL", real_client(&other_zoom, "fake-account")),
        ("another account", real_client(&zoom, "another-account")),
        ("the fake", client(&zoom)),
    ];
    for (what, other) in refused {
        let error = run(&other, &path, &resume).await.unwrap_err();
        let ExportError::SourceMismatch { recorded, current, .. } = &error else {
            panic!("{what}: {error:?}")
        };
        assert_eq!(**recorded, *real.source(), "{what}");
        assert_eq!(**current, *other.source(), "{what}");
        // Both sources named; the advice for each case is the command's (its unit tests).
        let message = error.to_string();
        assert!(
            message.contains(&recorded.to_string()) && message.contains(&current.to_string()),
            "{message}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            data,
            "{what}: the output is byte-identical"
        );
    }
    assert!(
        run(&client(&zoom), &path, &resume)
            .await
            .unwrap_err()
            .to_string()
            .contains("the built-in fake Zoom (dataset seed 7, ")
    );
    // The same source resumes.
    let summary = run(&real, &path, &resume).await.unwrap();
    assert_eq!(summary.units, 0);

    // The reverse: an export from the fake takes no real data, and the fake
    // is the same source from one run (and port) to the next.
    let fake_path = temp_file("source-fake.jsonl");
    run(&client(&zoom), &fake_path, &opts).await.unwrap();
    let error = run(&real, &fake_path, &resume).await.unwrap_err();
    assert!(matches!(error, ExportError::SourceMismatch { .. }), "{error:?}");
    let summary = run(&client(&other_zoom), &fake_path, &resume).await.unwrap();
    assert!(summary.skipped_units > 0 && summary.units == 0, "{summary:?}");
}

#[tokio::test]
async fn a_resume_with_a_token_of_another_account_is_refused() {
    use base64::Engine;
    let jwt = |account: &str| {
        let encode = |s: String| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!(
            "{}.{}.sig",
            encode(r#"{"alg":"HS512"}"#.into()),
            encode(format!(r#"{{"aid":"{account}","exp":9999999999}}"#))
        )
    };
    let zoom = FakeZoom::start(config().static_token(jwt("account-one")))
        .await
        .unwrap();
    let with_token = |token: String| {
        Client::builder()
            .base_url(zoom.base_url())
            .bearer_token(token)
            .clock(Arc::new(FixedClock::on(day(TODAY))))
            .requests_per_second(None)
            .build()
            .unwrap()
    };
    let path = temp_file("token.jsonl");
    let opts = options("2026-11-01", "2026-11-20", Include::NONE, false);
    run(&with_token(jwt("account-one")), &path, &opts).await.unwrap();
    let error = run(&with_token(jwt("account-two")), &path, &opts.clone().resume(true))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("account account-one"), "{error}");
    assert!(error.to_string().contains("account account-two"), "{error}");
    // The account, not the token, is the source: a new token of the same account resumes.
    let renewed = format!("{}.renewed", jwt("account-one").rsplit_once('.').unwrap().0);
    let summary = run(&with_token(renewed), &path, &opts.resume(true)).await;
    assert!(
        !matches!(summary, Err(ExportError::SourceMismatch { .. })),
        "{summary:?}"
    );
}

#[tokio::test]
async fn a_range_ending_after_today_is_refused_before_any_file_is_written() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = client(&zoom);
    let path = temp_file("tomorrow.jsonl");
    for to in ["2026-11-23", "2099-12-31"] {
        for resume in [false, true] {
            let error = run(&client, &path, &options("2026-11-01", to, Include::NONE, resume))
                .await
                .unwrap_err();
            let ExportError::EndsAfterToday { today, .. } = &error else {
                panic!("{error:?}")
            };
            assert_eq!(*today, day(TODAY));
            assert!(error.to_string().contains("after today (2026-11-22, UTC)"), "{error}");
            assert!(error.is_usage_error());
        }
    }
    assert_eq!(files_of(&path), Vec::<PathBuf>::new(), "no file was written");
    assert_eq!(zoom.counters().requests, 0);
}

#[tokio::test]
async fn the_window_that_includes_today_is_never_journaled_as_done() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = client(&zoom);
    let path = temp_file("today.jsonl");
    let opts = options("2026-10-01", TODAY, Include::NONE, false);
    let first = run(&client, &path, &opts).await.unwrap();
    assert_exact(&path, &zoom, "2026-10-01", TODAY, Include::NONE);
    let journal = std::fs::read_to_string(journal_path(&path)).unwrap();
    assert!(
        journal.contains(r#"{"window_done":{"window":"2026-10-01","lost":null}}"#),
        "{journal}"
    );
    assert!(
        !journal.contains(r#"{"unit":{"window":"2026-11-01""#)
            && !journal.contains(r#"{"window_done":{"window":"2026-11-01""#),
        "November is still open: {journal}"
    );
    // Its units are recorded as provisional, so that a resume knows their bytes are the export's.
    assert!(
        journal.contains(r#"{"provisional":{"window":"2026-11-01""#),
        "{journal}"
    );
    assert_eq!(
        first.provisional_units,
        journal.matches(r#"{"provisional""#).count() as u64
    );

    // A resume fetches the open window again, and only it, in place of what was written.
    let again = run(&client, &path, &opts.resume(true)).await.unwrap();
    let october_units = journal.matches(r#"{"unit":{"window":"2026-10-01","session""#).count() as u64;
    assert_eq!(again.skipped_units, october_units);
    assert_eq!(again.units, first.units - october_units);
    assert_exact(&path, &zoom, "2026-10-01", TODAY, Include::NONE);
}

/// 2026-06-10..=2026-11-20 on 2026-11-22, when Zoom reports from 2026-05-22.
fn six_months_config(today: &str, daily_limit: Option<u64>) -> FakeZoomConfig {
    FakeZoomConfig::default()
        .dataset(Dataset {
            start: day("2026-06-01"),
            ..dataset()
        })
        .today(day(today))
        .daily_limit(daily_limit)
}

#[tokio::test]
async fn a_resume_after_from_left_the_six_months_finishes_the_rest_and_names_the_lost_dates() {
    let path = temp_file("six-months.jsonl");
    let opts = options("2026-06-10", "2026-11-20", Include::NONE, false);
    // Stopped by the daily limit in the first window.
    let first_day = FakeZoom::start(six_months_config(TODAY, Some(3))).await.unwrap();
    let error = run(&client(&first_day), &path, &opts).await.unwrap_err();
    assert!(error.is_resumable_stop(), "{error:?}");
    let done_before = lines(&path);
    assert!(!done_before.is_empty(), "some June units were finished");

    // Resumed on 2026-12-15, when Zoom reports from 2026-06-15 only.
    let later = FakeZoom::start(six_months_config("2026-12-15", None)).await.unwrap();
    let error = run(&client(&later), &path, &opts.clone().resume(true))
        .await
        .unwrap_err();
    let ExportError::DatesLost { lost, summary, .. } = &error else {
        panic!("{error:?}")
    };
    let june_lost = zoom_chat_reports::DateWindow {
        from: day("2026-06-10"),
        to: day("2026-06-14"),
    };
    assert_eq!(*lost, [june_lost]);
    assert!(summary.units > 0);
    assert!(error.to_string().contains("2026-06-10 to 2026-06-14"), "{error}");
    assert!(!error.is_resumable_stop() && !error.is_usage_error());
    assert_eq!(
        later.counters().protocol_violations,
        0,
        "nothing out of range was asked for"
    );

    // Everything still reportable is there once; of the lost dates, only what the first run had.
    let got = lines(&path);
    assert!(got.values().all(|&n| n == 1), "no duplicates");
    let dataset = later.dataset();
    for key in dataset.expected_messages(day("2026-06-15"), day("2026-11-20"), Include::NONE) {
        assert!(got.contains_key(&key), "missing {key:?}");
    }
    let lost_dates: Vec<_> = dataset.expected_messages(day("2026-06-10"), day("2026-06-14"), Include::NONE);
    for key in &lost_dates {
        assert_eq!(got.contains_key(key), done_before.contains_key(key), "{key:?}");
    }
    let all = dataset.expected_messages(day("2026-06-10"), day("2026-11-20"), Include::NONE);
    assert_eq!(
        got.len(),
        all.len() - lost_dates.iter().filter(|k| !done_before.contains_key(*k)).count()
    );

    // Much later, every window is finished: none is listed or checked again,
    // and the loss is still reported.
    let much_later = FakeZoom::start(six_months_config("2027-03-01", None)).await.unwrap();
    let error = run(&client(&much_later), &path, &opts.resume(true)).await.unwrap_err();
    assert_eq!(error.lost_dates(), [june_lost]);
    assert_eq!(much_later.counters().requests, 0);
    assert_eq!(lines(&path), got);
}

#[tokio::test]
async fn a_crash_resumed_after_six_months_never_discards_what_zoom_no_longer_reports() {
    let path = temp_file("crash-six-months.jsonl");
    let opts = options("2026-06-10", "2026-11-20", Include::NONE, false);
    let today = FakeZoom::start(six_months_config(TODAY, None)).await.unwrap();
    run(&client(&today), &path, &opts).await.unwrap();
    // As if killed before closing: no "closed" mark, and the first June unit
    // never reached the disk (zeros, as after a power cut).
    let journal = std::fs::read_to_string(journal_path(&path)).unwrap();
    let unclosed: String = journal
        .lines()
        .filter(|line| !line.starts_with("{\"closed\""))
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(journal_path(&path), &unclosed).unwrap();
    let first_unit = unit_lines(&unclosed)[0].1 as usize;
    let mut data = std::fs::read(&path).unwrap();
    data[..first_unit].fill(0);
    std::fs::write(&path, &data).unwrap();

    // On 2026-12-15 Zoom reports from 2026-06-15: that unit could not be fetched again.
    let later = FakeZoom::start(six_months_config("2026-12-15", None)).await.unwrap();
    let error = run(&client(&later), &path, &opts.clone().resume(true))
        .await
        .unwrap_err();
    assert!(matches!(error, ExportError::Damaged { .. }), "{error:?}");
    assert!(
        error.to_string().contains("Zoom no longer reports those dates"),
        "{error}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), data, "nothing was cut");
    assert_eq!(std::fs::read_to_string(journal_path(&path)).unwrap(), unclosed);
    assert_eq!(later.counters().requests, 0);

    // The same after a power cut that lost the journal's lines but not the
    // data: what follows the last recorded unit holds June messages.
    let header_only = format!("{}\n", unclosed.lines().next().unwrap());
    std::fs::write(journal_path(&path), &header_only).unwrap();
    let error = run(&client(&later), &path, &opts.clone().resume(true))
        .await
        .unwrap_err();
    assert!(matches!(error, ExportError::Damaged { .. }), "{error:?}");
    assert!(error.to_string().contains("with messages of 2026-06-"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), data, "nothing was cut");
    assert_eq!(later.counters().requests, 0);
}

#[tokio::test]
async fn a_crash_right_after_a_closed_run_is_still_a_crash() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = client(&zoom);
    let path = temp_file("crash-after-closed.jsonl");
    let opts = options("2026-10-01", "2026-11-20", Include::NONE, false);
    run(&client, &path, &opts).await.unwrap();
    let complete = std::fs::read(&path).unwrap();
    let journal = std::fs::read_to_string(journal_path(&path)).unwrap();
    assert!(journal.lines().any(|line| line == "\"opened\""), "{journal}");

    // A resume opened the journal and was killed while copying a unit in:
    // its bytes follow the closed mark of the run before, and are cut.
    let units = unit_lines(&journal);
    let (start, end) = (units[0].1 as usize, units[1].1 as usize);
    let mut grown = complete.clone();
    grown.extend_from_slice(&complete[start..start + (end - start) / 2]);
    std::fs::write(&path, &grown).unwrap();
    std::fs::write(journal_path(&path), format!("{journal}\"opened\"\n")).unwrap();
    let summary = run(&client, &path, &opts.clone().resume(true)).await.unwrap();
    assert_eq!(summary.cut_bytes as usize, (end - start) / 2);
    assert_eq!(std::fs::read(&path).unwrap(), complete);
}

#[tokio::test]
async fn journal_damage_no_crash_leaves_is_refused() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = client(&zoom);
    let path = temp_file("journal-damage.jsonl");
    let opts = options("2026-10-01", "2026-11-20", Include::NONE, false);
    run(&client, &path, &opts).await.unwrap();
    let data = std::fs::read(&path).unwrap();
    let journal = std::fs::read_to_string(journal_path(&path)).unwrap();
    let lines: Vec<&str> = journal.lines().collect();
    let october_done = lines
        .iter()
        .position(|l| l.starts_with("{\"window_done\":{\"window\":\"2026-10-01\""))
        .unwrap();

    // October's "done" moved before its units would make them skipped and lost.
    let mut moved = lines.clone();
    let done = moved.remove(october_done);
    moved.insert(1, done);
    // A line over 1 MiB before the closed mark is no torn last line.
    let overlong = format!(
        "{}\n{}{}\n",
        lines[..3].join("\n"),
        "x".repeat(1024 * 1024 + 10),
        lines[3..].join("\n")
    );
    for (what, damaged) in [
        ("moved window_done", moved.join("\n") + "\n"),
        ("overlong line", overlong),
    ] {
        std::fs::write(journal_path(&path), &damaged).unwrap();
        let error = run(&client, &path, &opts.clone().resume(true)).await.unwrap_err();
        assert!(matches!(error, ExportError::Damaged { .. }), "{what}: {error:?}");
        assert_eq!(std::fs::read(&path).unwrap(), data, "{what}: nothing was changed");
        assert_eq!(std::fs::read_to_string(journal_path(&path)).unwrap(), damaged, "{what}");
    }
}

#[tokio::test]
async fn a_new_export_that_fails_before_writing_anything_leaves_nothing_to_resume() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let path = temp_file("wrong-account.jsonl");
    let opts = options("2026-10-01", "2026-11-20", Include::NONE, false);
    // Credentials the token endpoint refuses.
    let error = run(&real_client(&zoom, "wrong-account"), &path, &opts)
        .await
        .unwrap_err();
    assert!(error.can_resume(), "{error:?}");
    assert_eq!(files_of(&path), [lock_path(&path)], "no output and no journal are left");
    // With the right account, the same command starts afresh: no --resume, no --overwrite.
    run(&real_client(&zoom, "fake-account"), &path, &opts).await.unwrap();
    assert_exact(&path, &zoom, "2026-10-01", "2026-11-20", Include::NONE);

    // --out named like an export's journal, or with a journal that is no file, is refused.
    let named_like_a_journal = journal_path(&path);
    let error = run(&client(&zoom), &named_like_a_journal, &opts.clone().overwrite(true))
        .await
        .unwrap_err();
    assert!(matches!(error, ExportError::BadOutput { .. }), "{error:?}");
    let other = temp_file("journal-is-a-directory.jsonl");
    std::fs::create_dir_all(journal_path(&other)).unwrap();
    let error = run(&client(&zoom), &other, &opts).await.unwrap_err();
    assert!(matches!(error, ExportError::BadOutput { .. }), "{error:?}");
    assert!(!other.exists() && !lock_path(&other).exists());
}

#[tokio::test]
async fn the_new_parameters_reach_zoom_and_the_new_fields_reach_the_output() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let plain_client = client(&zoom);
    let count = |path: &Path, field: &str| {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|line| {
                serde_json::from_str::<serde_json::Value>(line)
                    .unwrap()
                    .get(field)
                    .is_some()
            })
            .count()
    };
    let flags = [
        "include_bot_message=true",
        "include_reactions=true",
        "include_custom_emoji_reactions=true",
    ];

    let plain = temp_file("plain-fields.jsonl");
    run(
        &plain_client,
        &plain,
        &options("2026-11-10", "2026-11-20", Include::NONE, false),
    )
    .await
    .unwrap();
    let messages_requests = |zoom: &FakeZoom| -> Vec<String> {
        zoom.requests()
            .into_iter()
            .filter(|r| r.path.starts_with("/report/chat/sessions/"))
            .map(|r| r.query)
            .collect()
    };
    let sent = messages_requests(&zoom);
    assert!(!sent.is_empty());
    assert!(sent.iter().all(|q| flags.iter().all(|f| !q.contains(f))), "{sent:?}");
    for field in ["bot_message", "reactions", "custom_emoji_reactions"] {
        assert_eq!(count(&plain, field), 0, "{field} is not asked for");
    }

    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = client(&zoom);
    let rich = temp_file("rich-fields.jsonl");
    let all = options("2026-11-10", "2026-11-20", Include::ALL, false);
    run(&client, &rich, &all).await.unwrap();
    let sent = messages_requests(&zoom);
    assert!(sent.iter().all(|q| flags.iter().all(|f| q.contains(f))), "{sent:?}");
    for field in ["bot_message", "reactions", "custom_emoji_reactions"] {
        assert!(count(&rich, field) > 0, "{field} reaches the output");
    }
    let line = std::fs::read_to_string(&rich)
        .unwrap()
        .lines()
        .find(|line| line.contains("\"reactions\""))
        .unwrap()
        .to_string();
    assert!(
        line.contains(r#""reactions":[{"emoji":"U+1F44D""#),
        "as Zoom sent it: {line}"
    );
    assert_exact(&rich, &zoom, "2026-11-10", "2026-11-20", Include::ALL);

    // The journal records them: a resume that asks for other fields is refused.
    let fewer = Include::ALL.reactions(false);
    let error = run(&client, &rich, &options("2026-11-10", "2026-11-20", fewer, true))
        .await
        .unwrap_err();
    assert!(matches!(error, ExportError::OptionsMismatch { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("with bot messages, reactions, custom emoji reactions"),
        "{error}"
    );
}

/// The sessions sidecar a complete export of `from..=to` must hold: each
/// session with messages in the range once, with its last message in the
/// whole range, in id order.
fn expected_sidecar(zoom: &FakeZoom, from: &str, to: &str) -> String {
    let dataset = zoom.dataset();
    let mut sessions: Vec<serde_json::Value> = (0..dataset.sessions)
        .filter_map(|s| {
            let range = dataset.message_range(s, day(from), day(to));
            (!range.is_empty()).then(|| dataset.session_json(s, dataset.message_time_ms(s, range.end - 1)))
        })
        .collect();
    sessions.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    sessions.iter().map(|s| format!("{s}\n")).collect()
}

/// JSON Lines as values: the order of keys in a line is not compared.
fn parsed(lines: &str) -> Vec<serde_json::Value> {
    lines.lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

#[tokio::test]
async fn the_sessions_sidecar_holds_every_session_once_with_its_latest_message() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = client(&zoom);
    let path = temp_file("sidecar.jsonl");
    let sidecar = sessions_path(&path);
    assert_eq!(sidecar.file_name().unwrap(), "sidecar.sessions.jsonl");
    let opts = options("2026-10-01", "2026-11-20", Include::NONE, false);
    let summary = run(&client, &path, &opts).await.unwrap();
    let expected = expected_sidecar(&zoom, "2026-10-01", "2026-11-20");
    let written = std::fs::read_to_string(&sidecar).unwrap();
    assert_eq!(parsed(&written), parsed(&expected));
    assert_eq!(summary.sessions_in_sidecar as usize, expected.lines().count());
    // Sessions active in both months are there once, with November's last message.
    let dataset = zoom.dataset();
    let both = (0..dataset.sessions)
        .filter(|&s| {
            !dataset
                .message_range(s, day("2026-10-01"), day("2026-10-31"))
                .is_empty()
                && !dataset
                    .message_range(s, day("2026-11-01"), day("2026-11-20"))
                    .is_empty()
        })
        .count();
    assert!(both > 0, "the dataset has sessions active in both months");

    // A resume of the finished export, and an interrupted export resumed, give the same bytes.
    run(&client, &path, &opts.clone().resume(true)).await.unwrap();
    assert_eq!(std::fs::read_to_string(&sidecar).unwrap(), written, "byte for byte");
    let interrupted = temp_file("sidecar-interrupted.jsonl");
    let (units, stop) = tokio::sync::oneshot::channel::<()>();
    let units = std::sync::Mutex::new(Some(units));
    let progress = |event| {
        if matches!(event, ExportProgress::UnitDone { .. })
            && let Some(units) = units.lock().unwrap().take()
        {
            let _ = units.send(());
        }
    };
    let error = export_jsonl(&client, &interrupted, &opts, &progress, async {
        let _ = stop.await;
    })
    .await
    .unwrap_err();
    assert!(matches!(error, ExportError::Interrupted), "{error:?}");
    let partial = std::fs::read_to_string(sessions_path(&interrupted)).unwrap();
    // What was seen so far: sessions of the range, their times as of the windows listed.
    let id = |line: &str| serde_json::from_str::<serde_json::Value>(line).unwrap()["id"].to_string();
    let expected_ids: Vec<String> = expected.lines().map(id).collect();
    assert!(!partial.is_empty());
    assert!(
        partial.lines().all(|line| expected_ids.contains(&id(line))),
        "{partial}"
    );
    run(&client, &interrupted, &opts.clone().resume(true)).await.unwrap();
    assert_eq!(
        std::fs::read_to_string(sessions_path(&interrupted)).unwrap(),
        written,
        "byte for byte"
    );

    // --overwrite starts a new sidecar: an export of one day lists fewer sessions.
    let one_day = options("2026-11-20", "2026-11-20", Include::NONE, false).overwrite(true);
    run(&client, &path, &one_day).await.unwrap();
    assert_eq!(
        parsed(&std::fs::read_to_string(&sidecar).unwrap()),
        parsed(&expected_sidecar(&zoom, "2026-11-20", "2026-11-20"))
    );
}

/// A spec regenerated so that a session field becomes required (here `type`,
/// removed from every session the journal holds, as a journal written before
/// Zoom added it would be) cannot make the archive unreadable: a resume reads
/// the journal, keeps those sessions as stored, and finishes.
#[tokio::test]
async fn a_journal_whose_sessions_lack_a_now_required_field_still_resumes() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = client(&zoom);
    let path = temp_file("older-sessions.jsonl");
    let opts = options("2026-10-01", "2026-11-20", Include::NONE, false);
    run(&client, &path, &opts).await.unwrap();
    let journal = std::fs::read_to_string(journal_path(&path)).unwrap();
    let mut stripped = 0;
    let older: String = journal
        .lines()
        .map(|line| {
            let mut entry: serde_json::Value = serde_json::from_str(line).unwrap();
            // `{"session": {"window": .., "session": {..}}}`
            if let Some(session) = entry.pointer_mut("/session/session").and_then(|s| s.as_object_mut()) {
                assert!(session.remove("type").is_some(), "{line}");
                stripped += 1;
            }
            format!("{entry}\n")
        })
        .collect();
    assert!(stripped > 0, "the journal records sessions");
    std::fs::write(journal_path(&path), older).unwrap();
    let messages = std::fs::read(&path).unwrap();

    let summary = run(&client, &path, &opts.clone().resume(true)).await.unwrap();
    assert_eq!(summary.messages, 0, "nothing to fetch again");
    assert_eq!(std::fs::read(&path).unwrap(), messages, "the messages are untouched");
    let sidecar = parsed(&std::fs::read_to_string(sessions_path(&path)).unwrap());
    let mut expected = parsed(&expected_sidecar(&zoom, "2026-10-01", "2026-11-20"));
    for session in &mut expected {
        session.as_object_mut().unwrap().remove("type");
    }
    assert_eq!(sidecar, expected, "every session kept as stored");
    let report = verify(&path).await.unwrap();
    assert_eq!(report.differences, Vec::<String>::new());
}

#[tokio::test]
async fn an_old_or_damaged_journal_is_refused_with_a_clear_message() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = client(&zoom);
    let path = temp_file("old-journal.jsonl");
    std::fs::write(&path, "{\"id\":\"x\"}\n").unwrap();
    let resume = options("2026-10-01", "2026-11-20", Include::NONE, true);
    let journals: [(&[u8], &str); 4] = [
        (
            b"{\"from\":\"2026-10-01\",\"to\":\"2026-11-20\",\"edited\":false,\"deleted\":false}\n",
            "older version",
        ),
        (b"\xff\xfe not json\n", "does not start with an export header"),
        (b"", "no complete first line"),
        (
            b"{\"format\":\"zoom-chat-reports export journal\",\"version\":9}\n",
            "newer version",
        ),
    ];
    for (journal, expected) in journals {
        std::fs::write(journal_path(&path), journal).unwrap();
        let error = run(&client, &path, &resume).await.unwrap_err();
        assert!(matches!(error, ExportError::Journal { .. }), "{error:?}");
        let message = error.to_string();
        assert!(
            message.contains(expected) && message.contains("nothing was changed"),
            "{message}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"{\"id\":\"x\"}\n");
    }
}

#[tokio::test]
async fn an_output_that_is_not_a_regular_file_is_refused_before_anything_is_touched() {
    let zoom = FakeZoom::start(config()).await.unwrap();
    let client = client(&zoom);
    let path = temp_file("unreadable.jsonl");
    let opts = options("2026-11-20", "2026-11-20", Include::NONE, false);
    run(&client, &path, &opts).await.unwrap();
    let journal = std::fs::read(journal_path(&path)).unwrap();
    // A directory where the output was, with the journal beside it: refused
    // as --out, before the lock, the journal or the directory are touched.
    let directory = temp_file("unreadable-dir.jsonl");
    std::fs::create_dir_all(&directory).unwrap();
    std::fs::write(journal_path(&directory), &journal).unwrap();
    for resume in [true, false] {
        let error = run(&client, &directory, &opts.clone().resume(resume).overwrite(!resume))
            .await
            .unwrap_err();
        let ExportError::BadOutput { output, problem } = &error else {
            panic!("{error:?}")
        };
        assert_eq!(output, &directory);
        assert_eq!(problem, &PathProblem::Directory);
        assert!(
            error.to_string().ends_with("cannot hold an archive: it is a directory"),
            "{error}"
        );
        assert!(error.is_usage_error());
    }
    assert_eq!(
        std::fs::read(journal_path(&directory)).unwrap(),
        journal,
        "the journal is untouched"
    );
    assert!(!lock_path(&directory).exists(), "no lock file was created");

    // Neither are "-", a path ending in a separator, or a file in a directory that does not exist.
    let missing = temp_file("no-such-dir").join("chat.jsonl");
    for bad in [
        PathBuf::from("-"),
        PathBuf::from(format!("{}/", path.display())),
        missing.clone(),
    ] {
        let error = run(&client, &bad, &opts).await.unwrap_err();
        assert!(matches!(error, ExportError::BadOutput { .. }), "{bad:?}: {error:?}");
        assert!(error.is_usage_error(), "{error}");
    }
    assert!(!missing.parent().unwrap().exists());
    assert!(!PathBuf::from("-").exists() && !PathBuf::from("-.journal").exists());
}

/// One window of three busy sessions, fetched one at a time and slowly, so
/// that a unit is being spooled for a good while.
fn spool_crash_config() -> FakeZoomConfig {
    config()
        .dataset(Dataset {
            sessions: 3,
            messages_per_session: 3000,
            start: day("2026-11-01"),
            ..dataset()
        })
        .faults(Faults {
            slow_every: Some((3, Duration::from_millis(10))),
            ..Faults::default()
        })
}

#[tokio::test]
async fn an_expired_page_token_starts_the_unit_over_without_duplicates() {
    // Units of 30 pages, one at a time; every 40th request is slower than a
    // page token lives, so some units lose their token midway.
    let zoom = FakeZoom::start(
        spool_crash_config()
            .page_token_life(Duration::from_millis(40))
            .faults(Faults {
                slow_every: Some((40, Duration::from_millis(80))),
                ..Faults::default()
            }),
    )
    .await
    .unwrap();
    let path = temp_file("token-restart.jsonl");
    let opts = options("2026-11-01", "2026-11-20", Include::NONE, false).concurrency(1);
    let summary = run(&client(&zoom), &path, &opts).await.unwrap();
    let expired = zoom.requests().iter().filter(|r| r.status == 400).count();
    assert!(expired >= 1, "a page token expired");
    assert_eq!(zoom.counters().protocol_violations, 0);
    assert_eq!(summary.units, 3);
    assert_exact(&path, &zoom, "2026-11-01", "2026-11-20", Include::NONE);
}

const SPOOL_CRASH_OUT: &str = "ZOOM_EXPORT_TEST_SPOOL_CRASH_OUT";
/// The exit code of a child that died as planned.
const CRASHED: i32 = 86;

#[tokio::test]
#[ignore = "the child process of a_crash_while_a_unit_is_spooled_resumes_exactly"]
async fn spool_crash_child() {
    let path = PathBuf::from(std::env::var_os(SPOOL_CRASH_OUT).expect("run by its parent test"));
    let zoom = FakeZoom::start(spool_crash_config()).await.unwrap();
    let journal = journal_path(&path);
    let watched = path.clone();
    // Dies, without unwinding or cleanup, once a unit is journaled and the next is half spooled.
    std::thread::spawn(move || {
        loop {
            let journaled = std::fs::read_to_string(&journal).is_ok_and(|j| j.contains("\"unit\""));
            let spooling = spools_of(&watched)
                .iter()
                .any(|p| std::fs::metadata(p).is_ok_and(|m| m.len() > 0));
            if journaled && spooling {
                std::process::exit(CRASHED);
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    });
    let options = options("2026-11-01", "2026-11-20", Include::NONE, false).concurrency(1);
    let result = run(&client(&zoom), &path, &options).await;
    panic!("the export ended before the planned crash: {result:?}");
}

#[tokio::test]
async fn a_crash_while_a_unit_is_spooled_resumes_exactly() {
    let path = temp_file("spool-crash.jsonl");
    let status = tokio::process::Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "spool_crash_child", "--nocapture"])
        .env(SPOOL_CRASH_OUT, &path)
        .status()
        .await
        .unwrap();
    assert_eq!(status.code(), Some(CRASHED), "the child crashed mid-unit");
    assert!(!spools_of(&path).is_empty(), "the crash left a spool behind");

    // The crashed process's lock went with it; the resume removes the spool.
    let zoom = FakeZoom::start(spool_crash_config()).await.unwrap();
    let resume = options("2026-11-01", "2026-11-20", Include::NONE, true);
    let summary = run(&client(&zoom), &path, &resume).await.unwrap();
    assert!(summary.skipped_units >= 1, "{summary:?}");
    assert_exact(&path, &zoom, "2026-11-01", "2026-11-20", Include::NONE);
    assert_eq!(spools_of(&path), Vec::<PathBuf>::new());
}
