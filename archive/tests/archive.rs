//! The archive around the messages: the files people sent (`--files`), and
//! the manifest that `verify` checks, against the fake Zoom.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use zoom_chat_archive::{
    ExportError, ExportOptions, ExportSummary, FileRecord, FileStatus, MAX_FILE_ATTEMPTS, export_jsonl,
    files_index_path, manifest_path, read_manifest, sessions_path, verify,
};
use zoom_chat_reports::mock::{Dataset, FakeFiles, FakeZoom, FakeZoomConfig, Faults};
use zoom_chat_reports::{Client, Include};

use common::day;

const TODAY: &str = "2026-11-22";

fn dataset() -> Dataset {
    Dataset {
        seed: 5,
        sessions: 8,
        messages_per_session: 60,
        start: day("2026-10-01"),
        end: day("2026-11-20"),
        edited_share: 0.1,
        deleted_share: 0.05,
        file_share: 0.3,
        reply_share: 0.1,
    }
}

fn client(zoom: &FakeZoom) -> Client {
    common::fake_client(zoom, 10)
}

fn temp_dir(name: &str) -> PathBuf {
    common::fresh_dir("zoom-archive-test", name)
}

fn options(files: &Path, resume: bool) -> ExportOptions {
    ExportOptions::new(day("2026-10-01")..=day("2026-11-20"))
        .include(Include::ALL)
        .concurrency(4)
        .resume(resume)
        .files(files)
}

async fn run(client: &Client, out: &Path, options: &ExportOptions) -> Result<ExportSummary, ExportError> {
    export_jsonl(client, out, options, &|_| {}, std::future::pending()).await
}

fn index(files: &Path) -> BTreeMap<String, FileRecord> {
    std::fs::read_to_string(files_index_path(files))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<FileRecord>(l).unwrap())
        .map(|r| (r.file_id.clone(), r))
        .collect()
}

/// Every file the export's lines reference: id → (declared size, name).
fn referenced(out: &Path) -> BTreeMap<String, (u64, String)> {
    let mut files = BTreeMap::new();
    for line in std::fs::read_to_string(out).unwrap().lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        for file in value["files"].as_array().into_iter().flatten() {
            files.insert(
                file["file_id"].as_str().unwrap().to_string(),
                (
                    file["file_size"].as_u64().unwrap(),
                    file["file_name"].as_str().unwrap().to_string(),
                ),
            );
        }
    }
    files
}

fn sha256(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn files_are_exact_by_sha256_through_faults_and_a_resume() {
    let files_config = FakeFiles {
        missing_every: Some(6),
        short_every: Some(7),
        forbidden_every: Some(11),
        redirect_every: Some(4),
        ..FakeFiles::default()
    };
    let zoom = FakeZoom::start(
        FakeZoomConfig::default()
            .dataset(dataset())
            .today(day(TODAY))
            .files(files_config.clone())
            .faults(Faults {
                server_error_every: Some(11),
                reset_every: Some(17),
                truncate_every: Some(7),
                slow_every: None,
            })
            .daily_limit(90),
    )
    .await
    .unwrap();
    let client = client(&zoom);
    let dir = temp_dir("faults");
    let (out, files) = (dir.join("chat.jsonl"), dir.join("files"));

    // The daily quota runs out while the files are being fetched.
    let error = run(&client, &out, &options(&files, false)).await.unwrap_err();
    assert!(error.is_resumable_stop(), "{error}");
    let part_way = index(&files);
    let referenced = referenced(&out);
    assert!(
        !part_way.is_empty() && part_way.len() < referenced.len(),
        "{} of {}",
        part_way.len(),
        referenced.len()
    );

    // Resumed the next "day", as often as the quota needs, then run again
    // until every file that failed of its own has had its attempts. A file
    // once downloaded is never asked for again.
    let downloaded = |index: &BTreeMap<String, FileRecord>| -> std::collections::BTreeSet<String> {
        index
            .values()
            .filter(|r| r.status == FileStatus::Downloaded)
            .map(|r| r.file_id.clone())
            .collect()
    };
    let mut done_before = downloaded(&part_way);
    let mut last = None;
    for _ in 0..12 {
        zoom.reset_daily_quota();
        let log_mark = zoom.requests().len();
        let result = run(&client, &out, &options(&files, true)).await;
        for request in &zoom.requests()[log_mark..] {
            if let Some(id) = request.path.strip_prefix("/file/download/") {
                assert!(
                    !done_before.contains(id),
                    "{id} was downloaded by an earlier run, and fetched again"
                );
            }
        }
        match result {
            // Settled: the run fetched nothing, every file having been
            // downloaded or tried as often as allowed. (No downloads and no
            // `failed` alone is not enough: a run whose only fetches were
            // files still missing at Zoom counts neither, with their
            // attempts short of the limit.)
            Ok(summary) if summary.files.as_ref().is_some_and(|f| f.skipped == f.referenced) => {
                last = Some(summary);
                break;
            }
            Ok(_) => {}
            Err(error) => assert!(error.is_resumable_stop(), "{error}"),
        }
        done_before = downloaded(&index(&files));
    }
    let summary = last.expect("the files settle within a few runs");
    let files_summary = summary.files.unwrap();
    assert_eq!(files_summary.referenced as usize, referenced.len());

    let index = index(&files);
    assert_eq!(
        index.len(),
        referenced.len(),
        "every referenced file is in the index once"
    );
    let mut by_status = BTreeMap::new();
    for (id, (size, name)) in &referenced {
        let record = &index[id];
        *by_status.entry(record.status).or_insert(0) += 1;
        assert_eq!(&record.name, name);
        match record.status {
            FileStatus::Downloaded => {
                let bytes = std::fs::read(files.join(&record.path)).unwrap();
                let expected = zoom.dataset().file_bytes(id, *size);
                assert_eq!(sha256(&bytes), sha256(&expected), "{id}");
                assert_eq!(record.sha256.as_deref(), Some(sha256(&expected).as_str()));
                assert_eq!(record.path, format!("{id}/{name}"));
            }
            FileStatus::SizeMismatch => {
                assert_eq!(record.received, size - 7);
                assert!(
                    record.error.as_deref().is_some_and(|e| e.contains("received")),
                    "{record:?}"
                );
                assert!(
                    !files.join(&record.path).exists(),
                    "a mismatched file is not put in place"
                );
                assert_eq!(record.attempts, MAX_FILE_ATTEMPTS);
            }
            FileStatus::Missing => {
                assert!(!files.join(&record.path).exists());
                assert_eq!(record.attempts, MAX_FILE_ATTEMPTS);
            }
            FileStatus::Failed => {
                assert!(record.error.as_deref().is_some_and(|e| e.contains("403")), "{record:?}");
                assert_eq!(record.attempts, MAX_FILE_ATTEMPTS);
            }
            other => panic!("{id}: {other:?}"),
        }
    }
    for status in [
        FileStatus::Downloaded,
        FileStatus::Missing,
        FileStatus::SizeMismatch,
        FileStatus::Failed,
    ] {
        assert!(
            by_status.get(&status).is_some_and(|&n| n > 0),
            "{status:?}: {by_status:?}"
        );
    }
    // Redirected files came through their signed URLs, which never saw the token.
    assert!(
        zoom.requests()
            .iter()
            .any(|r| r.path.starts_with("/file/signed/") && r.status == 200)
    );
    assert_eq!(zoom.counters().protocol_violations, 0);
    // No temporary file is left.
    for entry in walk(&files) {
        assert!(!entry.to_string_lossy().ends_with(".part"), "{}", entry.display());
    }

    // Once everything is settled, a rerun asks Zoom nothing.
    let before = zoom.counters().requests;
    let again = run(&client, &out, &options(&files, true)).await.unwrap();
    assert_eq!(again.files.unwrap().skipped as usize, referenced.len());
    assert_eq!(zoom.counters().requests, before);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        }
        found.push(path);
    }
    found
}

#[tokio::test]
async fn hostile_file_names_stay_inside_the_files_directory() {
    let zoom = FakeZoom::start(
        FakeZoomConfig::default()
            .dataset(dataset())
            .today(day(TODAY))
            .files(FakeFiles {
                hostile_names: true,
                ..FakeFiles::default()
            }),
    )
    .await
    .unwrap();
    let dir = temp_dir("hostile");
    // Two levels down, so that `../../etc/passwd` would land inside `dir` if followed.
    let files = dir.join("a").join("files");
    let out = dir.join("chat.jsonl");
    run(&client(&zoom), &out, &options(&files, false)).await.unwrap();
    let index = index(&files);
    let names: std::collections::BTreeSet<&str> = index.values().map(|r| r.name.as_str()).collect();
    assert!(names.contains("../../etc/passwd"), "{names:?}");
    assert!(names.iter().any(|n| n.len() > 4000));
    assert!(names.iter().any(|n| n.contains('\\')));
    assert!(names.iter().any(|n| n.chars().any(char::is_control)));
    let root = files.canonicalize().unwrap();
    for record in index.values() {
        assert_eq!(record.status, FileStatus::Downloaded, "{record:?}");
        let path = files.join(&record.path).canonicalize().unwrap();
        assert!(path.starts_with(&root), "{}", path.display());
        assert_eq!(path.parent().unwrap().parent().unwrap(), root, "{}", record.path);
        assert!(path.file_name().unwrap().len() <= 160);
    }
    assert!(!dir.join("etc").exists() && !dir.join("a").join("etc").exists());
    // Nothing but the files directory, the export and its own files was written.
    let mut top: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(
        top,
        [
            "a",
            "chat.chain.jsonl",
            "chat.jsonl",
            "chat.jsonl.journal",
            "chat.jsonl.lock",
            "chat.manifest.json",
            "chat.sessions.jsonl"
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn flip_one_byte(path: &Path, at: usize) -> Vec<u8> {
    let original = std::fs::read(path).unwrap();
    let mut changed = original.clone();
    changed[at] = if changed[at] == b'a' { b'b' } else { b'a' };
    std::fs::write(path, &changed).unwrap();
    original
}

#[tokio::test]
async fn the_manifest_counts_the_archive_and_verify_catches_one_changed_byte() {
    let zoom = FakeZoom::start(FakeZoomConfig::default().dataset(dataset()).today(day(TODAY)))
        .await
        .unwrap();
    let dir = temp_dir("verify");
    let (out, files) = (dir.join("chat.jsonl"), dir.join("files"));
    let summary = run(&client(&zoom), &out, &options(&files, false)).await.unwrap();

    let manifest = read_manifest(&out)
        .await
        .unwrap()
        .expect("written at the end of the run");
    assert!(manifest_path(&out).ends_with("chat.manifest.json"));
    assert_eq!(manifest.messages.values().sum::<u64>(), summary.messages);
    let expected = zoom
        .dataset()
        .expected_messages(day("2026-10-01"), day("2026-11-20"), Include::ALL);
    for kind in ["sent", "edited", "deleted"] {
        let count = expected.iter().filter(|(_, k, _)| k.as_str() == kind).count() as u64;
        assert_eq!(manifest.messages.get(kind).copied().unwrap_or(0), count, "{kind}");
    }
    assert_eq!(manifest.sessions, summary.sessions_in_sidecar);
    assert_eq!(manifest.complete.len(), 1);
    assert_eq!(
        (manifest.complete[0].from, manifest.complete[0].to),
        (day("2026-10-01"), day("2026-11-20"))
    );
    assert_eq!(
        manifest.files.get("downloaded").copied(),
        Some(referenced(&out).len() as u64)
    );
    assert_eq!(manifest.files_dir.as_deref(), Some("files"));
    assert_eq!(manifest.digests["messages"].path, "chat.jsonl");
    assert_eq!(
        manifest.digests["messages"].sha256,
        sha256(&std::fs::read(&out).unwrap())
    );
    assert_eq!(manifest.digests["files_index"].path, "files/files.jsonl");
    let text = std::fs::read_to_string(manifest_path(&out)).unwrap();
    assert!(!text.contains("fake-secret"), "no secret in the manifest");

    let clean = verify(&out).await.unwrap();
    assert_eq!(clean.differences, Vec::<String>::new());
    assert_eq!(clean.messages, summary.messages);
    assert!(clean.files_checked > 0);

    // One byte in each file in turn.
    let a_file = files.join(&index(&files).values().next().unwrap().path);
    for (path, named) in [
        (out.clone(), "chat.jsonl"),
        (sessions_path(&out), "chat.sessions.jsonl"),
        (files_index_path(&files), "files.jsonl"),
        (a_file.clone(), a_file.file_name().unwrap().to_str().unwrap()),
    ] {
        let original = flip_one_byte(&path, 40);
        let report = verify(&out).await.unwrap();
        assert!(
            report.differences.iter().any(|d| d.contains(named)),
            "{named}: {:?}",
            report.differences
        );
        std::fs::write(&path, original).unwrap();
    }
    assert_eq!(verify(&out).await.unwrap().differences, Vec::<String>::new());

    // The journal is covered too: a changed checksum would stop the archive growing.
    let journal = zoom_chat_archive::journal_path(&out);
    let text = std::fs::read(&journal).unwrap();
    let at = text.iter().rposition(|&b| b.is_ascii_digit()).unwrap();
    let original = flip_one_byte(&journal, at);
    let report = verify(&out).await.unwrap();
    assert!(
        report.differences.iter().any(|d| d.contains("chat.jsonl.journal")),
        "{report:?}"
    );
    std::fs::write(&journal, original).unwrap();

    // verify writes nothing, not even a lock, so a read-only copy can be checked.
    std::fs::remove_file(zoom_chat_archive::lock_path(&out)).unwrap();
    assert_eq!(verify(&out).await.unwrap().differences, Vec::<String>::new());
    assert!(!zoom_chat_archive::lock_path(&out).exists());

    // And an edited manifest.
    let original = std::fs::read_to_string(manifest_path(&out)).unwrap();
    let sent = manifest.messages["sent"];
    std::fs::write(
        manifest_path(&out),
        original.replace(&format!("\"sent\": {sent}"), &format!("\"sent\": {}", sent + 1)),
    )
    .unwrap();
    let report = verify(&out).await.unwrap();
    assert!(
        report.differences.iter().any(|d| d.starts_with("messages:")),
        "{report:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn links_in_the_files_directory_or_beside_the_output_are_refused_not_followed() {
    let zoom = FakeZoom::start(FakeZoomConfig::default().dataset(dataset()).today(day(TODAY)))
        .await
        .unwrap();
    let dir = temp_dir("links");
    let outside = dir.join("outside.txt");
    std::fs::write(&outside, "not the archive's\n").unwrap();
    let (out, files) = (dir.join("chat.jsonl"), dir.join("files"));
    std::fs::create_dir_all(&files).unwrap();
    std::os::unix::fs::symlink(&outside, files_index_path(&files)).unwrap();
    let error = run(&client(&zoom), &out, &options(&files, false)).await.unwrap_err();
    assert!(matches!(error, ExportError::BadFilesDir { .. }), "{error}");
    assert!(!out.exists(), "refused before anything is fetched");
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "not the archive's\n");

    // Beside the output: a lock, journal, sidecar or manifest that is a link.
    std::fs::remove_file(files_index_path(&files)).unwrap();
    let other = dir.join("other.jsonl");
    std::os::unix::fs::symlink(&outside, manifest_path(&other)).unwrap();
    let error = run(&client(&zoom), &other, &options(&files, false)).await.unwrap_err();
    assert!(matches!(error, ExportError::BadOutput { .. }), "{error}");
    assert!(error.to_string().contains("symbolic link"), "{error}");
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "not the archive's\n");
    assert!(!other.exists(), "refused before anything is created");

    // --files naming a file, not a directory.
    let error = run(&client(&zoom), &out, &options(&outside, false)).await.unwrap_err();
    assert!(matches!(error, ExportError::BadFilesDir { .. }), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn twin_names_planted_temporary_links_and_fifos_are_refused() {
    let zoom = FakeZoom::start(FakeZoomConfig::default().dataset(dataset()).today(day(TODAY)))
        .await
        .unwrap();
    let dir = temp_dir("twins");
    let outside = dir.join("outside.txt");
    std::fs::write(&outside, "not the archive's\n").unwrap();
    let (out, files) = (dir.join("chat.jsonl"), dir.join("files"));
    // A link planted where this process will write its temporary manifest
    // and index (their names carry the pid) is removed, not written through.
    let pid = std::process::id();
    std::os::unix::fs::symlink(&outside, dir.join(format!("chat.manifest.json.tmp-{pid}"))).unwrap();
    std::fs::create_dir_all(&files).unwrap();
    std::os::unix::fs::symlink(&outside, files.join(format!("files.jsonl.tmp-{pid}"))).unwrap();
    run(&client(&zoom), &out, &options(&files, false)).await.unwrap();
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "not the archive's\n");
    for written in [manifest_path(&out), files_index_path(&files)] {
        assert!(
            std::fs::symlink_metadata(&written).unwrap().is_file(),
            "{}",
            written.display()
        );
    }

    // `chat` beside `chat.jsonl` would share its sidecar and manifest.
    let twin = dir.join("chat");
    let options = ExportOptions::new(day("2026-11-01")..=day("2026-11-02"));
    let error = run(&client(&zoom), &twin, &options).await.unwrap_err();
    assert!(matches!(error, ExportError::BadOutput { .. }), "{error}");
    assert!(error.to_string().contains("share"), "{error}");
    assert_eq!(verify(&out).await.unwrap().differences, Vec::<String>::new());

    // A FIFO where verify or a sync reads is an error, not a hang.
    let journal = zoom_chat_archive::journal_path(&out);
    let saved = std::fs::read(&journal).unwrap();
    std::fs::remove_file(&journal).unwrap();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&journal)
            .status()
            .unwrap()
            .success()
    );
    assert!(zoom_chat_archive::recorded_include(&out).await.is_err());
    let error = verify(&out).await.unwrap_err();
    assert!(error.to_string().contains("not a regular file"), "{error}");
    std::fs::remove_file(&journal).unwrap();
    std::fs::write(&journal, saved).unwrap();
    let sidecar = sessions_path(&out);
    std::fs::remove_file(&sidecar).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&sidecar).status().unwrap();
    assert!(made.success());
    let error = verify(&out).await.unwrap_err();
    assert!(error.to_string().contains("not a regular file"), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `chat` and `chat.jsonl` started at the same time: the second waits for no
/// journal of the first, it sees the first's lock and is refused.
#[tokio::test]
async fn a_twin_export_started_while_one_runs_is_refused() {
    let zoom = FakeZoom::start(
        FakeZoomConfig::default()
            .dataset(dataset())
            .today(day(TODAY))
            .faults(Faults {
                slow_every: Some((1, std::time::Duration::from_millis(200))),
                ..Faults::default()
            }),
    )
    .await
    .unwrap();
    let client = client(&zoom);
    let dir = temp_dir("twin-running");
    let (first, second) = (dir.join("chat.jsonl"), dir.join("chat"));
    let options = ExportOptions::new(day("2026-11-01")..=day("2026-11-10"));
    let running = {
        let (client, first, options) = (client.clone(), first.clone(), options.clone());
        tokio::spawn(async move { run(&client, &first, &options).await })
    };
    // Until the first holds its lock.
    for _ in 0..200 {
        if zoom_chat_archive::lock_path(&first).exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let error = run(&client, &second, &options).await.unwrap_err();
    assert!(
        matches!(error, ExportError::Locked { .. } | ExportError::BadOutput { .. }),
        "{error}"
    );
    assert!(!second.exists(), "the refused twin leaves no file");
    running.await.unwrap().unwrap();
    assert_eq!(verify(&first).await.unwrap().differences, Vec::<String>::new());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// verify tells an archive that matches its manifest but still lacks files
/// from a complete one: files a stopped run did not reach, and files that
/// failed and are tried again, make it incomplete; files given up after the
/// runs allowed are lost for good, and do not.
#[tokio::test]
async fn verify_tells_files_still_to_come_from_files_given_up() {
    use zoom_chat_archive::VerifyOutcome;
    let zoom = FakeZoom::start(
        FakeZoomConfig::default()
            .dataset(dataset())
            .today(day(TODAY))
            .files(FakeFiles {
                forbidden_every: Some(4),
                ..FakeFiles::default()
            }),
    )
    .await
    .unwrap();
    let client = client(&zoom);
    let dir = temp_dir("verify-files");
    let (files, out) = (dir.join("files"), dir.join("chat.jsonl"));
    // Stopped after the first downloads: every message is in, most files are not.
    let downloads = || zoom.requests().iter().filter(|r| r.path.starts_with("/file/")).count();
    let stop = async {
        while downloads() < 3 {
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    };
    let stopped = export_jsonl(&client, &out, &options(&files, false), &|_| {}, stop).await;
    assert!(matches!(stopped, Err(ExportError::Interrupted)), "{stopped:?}");
    let report = verify(&out).await.unwrap();
    assert_eq!(report.differences, Vec::<String>::new());
    assert_eq!(report.unfinished_days, Vec::new(), "the messages are complete");
    assert!(report.files_not_fetched > 0, "{report:?}");
    assert_eq!(report.outcome(), VerifyOutcome::Incomplete);
    // status counts the same from the files, as verify does.
    let status = zoom_chat_archive::status(&out).await.unwrap();
    assert_eq!(status.files_not_fetched, report.files_not_fetched);
    assert!(
        status.counted && !status.running && !status.last_run_cut_off,
        "{status:?}"
    );

    // Every file tried once: the forbidden ones failed, and are tried again.
    run(&client, &out, &options(&files, true)).await.unwrap();
    let failed = index(&files)
        .values()
        .filter(|r| r.status != FileStatus::Downloaded)
        .count() as u64;
    assert!(failed > 0);
    let report = verify(&out).await.unwrap();
    assert_eq!(
        (report.files_not_fetched, report.files_to_retry),
        (0, failed),
        "{report:?}"
    );
    assert_eq!(report.outcome(), VerifyOutcome::Incomplete);

    // Tried as often as allowed: given up, named, and no longer incomplete.
    for _ in 1..MAX_FILE_ATTEMPTS {
        run(&client, &out, &options(&files, true)).await.unwrap();
    }
    let report = verify(&out).await.unwrap();
    assert_eq!(report.files_to_retry, 0, "{report:?}");
    assert_eq!(report.files_given_up.values().sum::<u64>(), failed, "{report:?}");
    assert_eq!(report.outcome(), VerifyOutcome::Complete);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The files directory is recorded in the journal when the archive is
/// created, not only in the manifest a run writes when it ends: a first run
/// killed before it wrote a manifest, or a manifest deleted since, must not
/// make later runs without `--files` leave the files out.
#[tokio::test]
async fn the_files_directory_survives_a_first_run_killed_before_its_manifest() {
    let zoom = FakeZoom::start(FakeZoomConfig::default().dataset(dataset()).today(day(TODAY)))
        .await
        .unwrap();
    let client = client(&zoom);
    let dir = temp_dir("files-recorded");
    let (files, out) = (dir.join("files"), dir.join("chat.jsonl"));
    // Stopped once some messages are in, and then, as after `kill -9`, no manifest.
    let stop = async {
        while std::fs::metadata(&out).map_or(0, |m| m.len()) == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
    };
    let stopped = export_jsonl(&client, &out, &options(&files, false), &|_| {}, stop).await;
    assert!(matches!(stopped, Err(ExportError::Interrupted)), "{stopped:?}");
    std::fs::remove_file(manifest_path(&out)).unwrap();

    // Resumed without files: they still come, to the recorded place.
    let without_files = ExportOptions::new(day("2026-10-01")..=day("2026-11-20"))
        .include(Include::ALL)
        .concurrency(4)
        .resume(true);
    run(&client, &out, &without_files).await.unwrap();
    let referenced = referenced(&out);
    let index = index(&files);
    assert_eq!(index.len(), referenced.len(), "every file referenced is in the index");
    assert!(index.values().all(|r| r.status == FileStatus::Downloaded));
    let manifest = read_manifest(&out).await.unwrap().unwrap();
    assert_eq!(manifest.files_dir.as_deref(), Some("files"));
    let report = verify(&out).await.unwrap();
    assert_eq!(report.differences, Vec::<String>::new());
    assert_eq!(report.files_checked as usize, referenced.len());

    // The manifest deleted again: rewritten with the files directory.
    std::fs::remove_file(manifest_path(&out)).unwrap();
    let summary = run(&client, &out, &without_files).await.unwrap();
    assert!(summary.manifest_was_missing);
    let manifest = read_manifest(&out).await.unwrap().unwrap();
    assert_eq!(manifest.files_dir.as_deref(), Some("files"));
    let report = verify(&out).await.unwrap();
    // Both deletions are on record: the stopped run had ended in good order
    // and written its manifest before the first.
    assert_eq!(report.manifest_found_missing.len(), 2, "{report:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// After a run cut off mid-way (killed, or the power lost), the files are
/// ahead of the manifest until the next run repairs them: verify names the
/// cut and calls the archive incomplete, not changed.
#[tokio::test]
async fn verify_after_a_cut_off_run_is_incomplete_not_changed() {
    use zoom_chat_archive::VerifyOutcome;
    let zoom = FakeZoom::start(FakeZoomConfig::default().dataset(dataset()).today(day(TODAY)))
        .await
        .unwrap();
    let client = client(&zoom);
    let dir = temp_dir("cut-off");
    let out = dir.join("chat.jsonl");
    let range = ExportOptions::new(day("2026-10-01")..=day("2026-11-20")).concurrency(4);
    run(&client, &out, &range).await.unwrap();
    assert_eq!(verify(&out).await.unwrap().outcome(), VerifyOutcome::Complete);
    // As a run killed while copying a unit in leaves it: opened, never closed.
    let mut journal = std::fs::read_to_string(zoom_chat_archive::journal_path(&out)).unwrap();
    journal.push_str("\"opened\"\n");
    std::fs::write(zoom_chat_archive::journal_path(&out), journal).unwrap();
    let mut data = std::fs::read(&out).unwrap();
    data.extend_from_slice(b"{\"session_id\":\"half");
    std::fs::write(&out, data).unwrap();
    let report = verify(&out).await.unwrap();
    assert!(report.last_run_cut_off, "{report:?}");
    assert!(
        !report.differences.is_empty(),
        "the messages file is ahead of its manifest"
    );
    assert_eq!(report.outcome(), VerifyOutcome::Incomplete);
    // The next run repairs it, and then it is complete again.
    run(&client, &out, &range.clone().resume(true)).await.unwrap();
    assert_eq!(verify(&out).await.unwrap().outcome(), VerifyOutcome::Complete);
    std::fs::remove_dir_all(&dir).unwrap();
}
