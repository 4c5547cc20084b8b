//! Benchmarks of the archive, as ratios measured in one run (never timed tests):
//!
//! 1. Export under a rate limit: time against the bound set by the requests
//!    needed and the allowed requests per second, and lost/duplicated lines.
//! 2. Export memory: peak RSS of a process exporting sessions of 100k and 1M
//!    messages each in one month, at the default concurrency, output checked.
//! 3. Files memory: peak RSS of an export downloading large files.
//!
//! The fake Zoom runs in a child process, so that its work and memory are not
//! counted against the archive. Run with
//! `cargo bench -p zoom-chat-archive --bench export [export|export-memory|files-memory]`.

#[path = "../../benches/common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use common::{FakeProcess, TODAY, TOKEN, client, dataset, day, rss_kib, serve};
use zoom_chat_archive::{ExportOptions, export_jsonl, journal_path};
use zoom_chat_reports::mock::Dataset;
use zoom_chat_reports::runtime::FixedClock;
use zoom_chat_reports::{Client, Include};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    // One thread, as the CLI's export runs; the fake has its own process.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    match args.first().map(String::as_str) {
        Some("serve") => runtime.block_on(serve(&args[1..])),
        Some("export-child") => runtime.block_on(export_child(&args[1..])),
        Some("files-child") => runtime.block_on(files_child(&args[1..])),
        _ => {
            let only = args.first().cloned();
            let wants = |name: &str| only.as_deref().is_none_or(|o| o == name);
            if wants("export") {
                // Pro's limit, then Business+'s: the CLI's `--plan business` must use all of it.
                runtime.block_on(export_under_rate_limit(20));
                runtime.block_on(export_under_rate_limit(60));
            }
            if wants("export-memory") {
                export_memory();
            }
            if wants("files-memory") {
                files_memory();
            }
        }
    }
}

/// The fewest requests an export of `include` over the dataset's November can make.
fn requests_needed(dataset: &Dataset, from: NaiveDate, to: NaiveDate) -> u64 {
    let active = (0..dataset.sessions)
        .filter(|&s| !dataset.message_range(s, from, to).is_empty())
        .count() as u64;
    let session_pages = active.div_ceil(300).max(1);
    let message_pages: u64 = (0..dataset.sessions)
        .map(|s| dataset.message_range(s, from, to).len() as u64)
        .filter(|&n| n > 0)
        .map(|n| n.div_ceil(100))
        .sum();
    session_pages + message_pages
}

/// Exports under the fake's limit of `rate` requests a second, with the
/// client set to the same rate, as `--plan` sets it. Three sessions per unit
/// of rate keep the run about nine seconds long whatever the rate, so a fixed
/// start-up cost weighs the same in both ratios.
async fn export_under_rate_limit(rate: u32) {
    let (sessions, per_session) = (3 * rate as usize, 250);
    let fake = FakeProcess::start(sessions, per_session, Some(rate));
    let client = Client::builder()
        .base_url(&fake.url)
        .bearer_token(TOKEN)
        .clock(Arc::new(FixedClock::on(day(TODAY))))
        .requests_per_second(std::num::NonZeroU32::new(rate))
        .build()
        .expect("client");
    let path = std::env::temp_dir().join(format!("zoom-bench-export-{rate}.jsonl"));
    let (from, to) = (day("2026-11-01"), day("2026-11-20"));
    // The file of an earlier run is replaced.
    let options = ExportOptions::new(from..=to).overwrite(true);
    let started = Instant::now();
    let summary = export_jsonl(&client, &path, &options, &|_| {}, std::future::pending())
        .await
        .expect("export");
    let elapsed = started.elapsed();
    let dataset = dataset(sessions, per_session);
    let needed = requests_needed(&dataset, from, to);
    let bound = Duration::from_secs_f64(needed as f64 / f64::from(rate));
    let (lost, duplicated) = verify(&path, &dataset, from, to);
    println!(
        "export at {rate}/s: {} messages, {} requests sent ({needed} needed), {} rate limited by the fake",
        summary.messages, summary.stats.requests, summary.stats.rate_limited
    );
    println!(
        "export at {rate}/s: {:.2} s against a bound of {:.2} s ({needed} requests / {rate} per s)",
        elapsed.as_secs_f64(),
        bound.as_secs_f64()
    );
    println!(
        "export at {rate}/s: time/bound ratio = {:.3} (target <= 1.10); lost {lost}, duplicated {duplicated}",
        elapsed.as_secs_f64() / bound.as_secs_f64()
    );
}

fn verify(path: &Path, dataset: &Dataset, from: NaiveDate, to: NaiveDate) -> (usize, usize) {
    let text = std::fs::read_to_string(path).expect("export file");
    let mut seen = std::collections::HashMap::new();
    for line in text.lines() {
        let value: serde_json::Value = serde_json::from_str(line).expect("whole JSON lines");
        *seen
            .entry(value["id"].as_str().unwrap_or_default().to_string())
            .or_insert(0usize) += 1;
    }
    let expected = dataset.expected_messages(from, to, Include::NONE);
    let lost = expected.iter().filter(|(_, _, id)| !seen.contains_key(id)).count();
    let duplicated = seen.values().filter(|&&n| n > 1).count();
    (lost, duplicated)
}

/// Child mode: export every message of a fake with the default options and
/// report peak RSS. The output is checked by the parent, whose memory is not measured.
async fn export_child(args: &[String]) {
    let url = &args[0];
    let path = Path::new(&args[1]);
    let started = Instant::now();
    let options = ExportOptions::new(day("2026-11-01")..=day("2026-11-20")).overwrite(true);
    let summary = export_jsonl(&client(url), path, &options, &|_| {}, std::future::pending())
        .await
        .expect("export");
    println!(
        "{} {} {} {:.1}",
        summary.messages,
        summary.units,
        rss_kib("VmHWM"),
        started.elapsed().as_secs_f64()
    );
}

/// The busiest unit, one session in one month, at 100k and 1M messages: eight
/// such sessions, so that the default concurrency of 8 has them all under way at once.
fn export_memory() {
    for per_session in [100_000, 1_000_000] {
        let sessions = 8;
        let fake = FakeProcess::start(sessions, per_session, None);
        let path = std::env::temp_dir().join(format!("zoom-bench-export-memory-{}.jsonl", std::process::id()));
        let output = Command::new(std::env::current_exe().expect("own path"))
            .args(["export-child", &fake.url, &path.to_string_lossy()])
            .output()
            .expect("export child runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let text = String::from_utf8_lossy(&output.stdout);
        let fields: Vec<&str> = text.split_whitespace().collect();
        let peak_mib = fields[2].parse::<f64>().unwrap_or(0.0) / 1024.0;
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let (lost, duplicated) = verify_streaming(&path, &dataset(sessions, per_session));
        println!(
            "export-memory: {sessions} sessions x {per_session} messages (busiest unit {per_session}), concurrency 8: \
             {} messages, {} units, {:.0} MiB written in {} s, peak RSS {peak_mib:.1} MiB (target < 32 MiB); lost {lost}, duplicated {duplicated}",
            fields[0],
            fields[1],
            bytes as f64 / (1024.0 * 1024.0),
            fields[3],
        );
        for file in [path.clone(), journal_path(&path), zoom_chat_archive::lock_path(&path)] {
            let _ = std::fs::remove_file(file);
        }
    }
}

/// Child mode: export a fake's messages and download their files, then
/// report the files, bytes and peak RSS.
async fn files_child(args: &[String]) {
    let (url, path, dir) = (&args[0], Path::new(&args[1]), Path::new(&args[2]));
    let started = Instant::now();
    let options = ExportOptions::new(day("2026-11-01")..=day("2026-11-20"))
        .overwrite(true)
        .files(dir);
    let summary = export_jsonl(&client(url), path, &options, &|_| {}, std::future::pending())
        .await
        .expect("export");
    let files = summary.files.expect("files ran");
    println!(
        "{} {} {} {:.1}",
        files.downloaded,
        files.bytes,
        rss_kib("VmHWM"),
        started.elapsed().as_secs_f64()
    );
}

/// Downloads of 48 MiB files, 8 at a time (the default concurrency): peak
/// RSS must not grow with the files, which are streamed to disk.
fn files_memory() {
    let size: u64 = 48 * 1024 * 1024;
    let fake = FakeProcess::start_with_files(8, 25, None, Some(size));
    let base = std::env::temp_dir().join(format!("zoom-bench-files-{}", std::process::id()));
    std::fs::create_dir_all(&base).expect("temp dir");
    let (path, dir) = (base.join("chat.jsonl"), base.join("files"));
    let output = Command::new(std::env::current_exe().expect("own path"))
        .args([
            "files-child",
            &fake.url,
            &path.to_string_lossy(),
            &dir.to_string_lossy(),
        ])
        .output()
        .expect("files child runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    let fields: Vec<&str> = text.split_whitespace().collect();
    let peak_mib = fields[2].parse::<f64>().unwrap_or(0.0) / 1024.0;
    let bytes = fields[1].parse::<f64>().unwrap_or(0.0) / (1024.0 * 1024.0);
    println!(
        "files-memory: {} files of {} MiB ({bytes:.0} MiB) downloaded in {} s, 8 at a time, peak RSS {peak_mib:.1} MiB (target < 32 MiB, \
         whatever the files' size)",
        fields[0],
        size / (1024 * 1024),
        fields[3],
    );
    let _ = std::fs::remove_dir_all(&base);
}

/// Like `verify`, line by line, for files too large to read whole.
fn verify_streaming(path: &Path, dataset: &Dataset) -> (usize, usize) {
    #[derive(serde::Deserialize)]
    struct Line<'a> {
        #[serde(borrow)]
        id: std::borrow::Cow<'a, str>,
    }
    let file = std::fs::File::open(path).expect("export file");
    let mut seen = std::collections::HashSet::new();
    let mut duplicated = 0;
    for line in BufReader::with_capacity(1 << 20, file).lines() {
        let line = line.expect("readable");
        let parsed: Line = serde_json::from_str(&line).expect("whole JSON lines");
        if !seen.insert(parsed.id.into_owned()) {
            duplicated += 1;
        }
    }
    let lost = dataset
        .expected_messages(day("2026-11-01"), day("2026-11-20"), Include::NONE)
        .iter()
        .filter(|(_, _, id)| !seen.contains(id))
        .count();
    (lost, duplicated)
}
