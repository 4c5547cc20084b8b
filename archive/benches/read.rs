//! Reading a large archive: the search index, search and the HTML copy, on
//! an archive of about a million messages from the fake Zoom, synced once
//! more a day later. Figures are sizes and ratios measured in one run:
//!
//! - `index` from nothing: time and peak RSS (target: flat, < 64 MiB);
//! - `index` after one day of sync: time, and bytes read against the
//!   archive's size;
//! - search latency, p50 and p99 over 100 queries (target: p50 < 50 ms);
//! - `html`: time, pages, the largest page, peak RSS; and a rerun after the
//!   day of sync: pages written against pages in the copy;
//! - `produce` of every record in each format, and `verify --public-key`:
//!   time and peak RSS.
//!
//! Each measured step runs in a child process of its own, so that its peak
//! RSS is its own; the fake Zoom runs in the parent. Run with
//! `cargo bench -p zoom-chat-archive --bench read` (`READ_BENCH_MESSAGES`
//! sets the size, 1,000,000 by default).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use zoom_chat_archive::{ExportOptions, SearchQuery, export_jsonl, search, update_index, write_site};
use zoom_chat_reports::Client;
use zoom_chat_reports::Include;
use zoom_chat_reports::mock::{Dataset, FakeZoom, FakeZoomConfig};

const SESSIONS: usize = 200;

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

/// A clock the parent moves a day at a time, as a nightly sync sees it.
#[derive(Debug)]
struct DayClock(Mutex<DateTime<Utc>>);

impl DayClock {
    fn set(&self, day: NaiveDate) {
        *self.0.lock().expect("clock") = day.and_hms_opt(12, 0, 0).expect("noon").and_utc();
    }
}

impl zoom_chat_reports::runtime::Clock for DayClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock")
    }
}

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    match args.first().map(String::as_str) {
        Some("index-child") => runtime.block_on(index_child(Path::new(&args[1]))),
        Some("html-child") => runtime.block_on(html_child(Path::new(&args[1]), Path::new(&args[2]))),
        Some("produce-child") => runtime.block_on(produce_child(Path::new(&args[1]), Path::new(&args[2]), &args[3])),
        Some("verify-child") => runtime.block_on(verify_child(Path::new(&args[1]), &args[2])),
        Some("search-child") => search_child(Path::new(&args[1]), args[2].parse().expect("messages per session")),
        _ => runtime.block_on(parent()),
    }
}

/// Child: bring the index up to date; prints seconds, bytes read, archive bytes, peak RSS KiB.
async fn index_child(out: &Path) {
    let started = Instant::now();
    let summary = update_index(out, |_| {}).await.expect("index");
    println!(
        "{:.2} {} {} {} {}",
        started.elapsed().as_secs_f64(),
        summary.bytes_read,
        summary.archive_bytes,
        rss_kib("VmHWM"),
        summary.messages
    );
}

/// Child: write the HTML copy; prints seconds, pages, written, largest, peak RSS KiB.
async fn html_child(out: &Path, site: &Path) {
    let started = Instant::now();
    let summary = write_site(out, site).await.expect("html");
    println!(
        "{:.2} {} {} {} {} {}",
        started.elapsed().as_secs_f64(),
        summary.pages,
        summary.written,
        summary.largest_page,
        rss_kib("VmHWM"),
        summary.index.bytes_read
    );
}

/// Child: a production of every sender of the fake (so every record) in
/// one format; prints seconds, records, files produced, peak RSS KiB.
async fn produce_child(out: &Path, dir: &Path, format: &str) {
    let format = match format {
        "csv" => zoom_chat_archive::ProductionFormat::Csv,
        "eml" => zoom_chat_archive::ProductionFormat::Eml,
        _ => zoom_chat_archive::ProductionFormat::Xml,
    };
    let custodians = (0..50).map(|u| format!("user{u}@example.com")).collect();
    let request = zoom_chat_archive::ProductionRequest::new(custodians, day("2026-06-01"), day("2026-11-30"), format);
    let started = Instant::now();
    let summary = zoom_chat_archive::produce(out, dir, &request).await.expect("produce");
    println!(
        "{:.2} {} {} {}",
        started.elapsed().as_secs_f64(),
        summary.record.counts.values().sum::<u64>(),
        summary.record.files.len(),
        rss_kib("VmHWM")
    );
}

/// Child: verify against the public key; prints seconds, differences, peak RSS KiB.
async fn verify_child(out: &Path, public_key: &str) {
    let started = Instant::now();
    let report = zoom_chat_archive::verify_signed(out, public_key, &[])
        .await
        .expect("verify");
    println!(
        "{:.2} {} {}",
        started.elapsed().as_secs_f64(),
        report.differences.len(),
        rss_kib("VmHWM")
    );
}

/// Child: 100 queries, each timed; prints the class and milliseconds of each.
fn search_child(out: &Path, per_session: u64) {
    let mut queries = Vec::new();
    // A person looking for one thing: a phrase of one message.
    for i in 0..60u64 {
        let (session, index) = ((i * 37) % SESSIONS as u64, (i * 7919) % per_session);
        queries.push(("exact", format!("\"Message {index} of session {session}\"")));
    }
    // A word shared by a few hundred messages.
    for i in 0..30u64 {
        queries.push(("narrow", format!("\"Message {} of\"", (100 + i * 97) % per_session)));
    }
    // A word in half the archive: the earliest 100, and the count.
    for i in 0..10u64 {
        queries.push(("broad", format!("session {}", 100 + i)));
    }
    for (class, text) in queries {
        let started = Instant::now();
        let results = search(out, &SearchQuery::new(text.clone())).expect("search");
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        println!("{class} {ms:.3} {} {}", results.total, results.hits.len());
    }
}

fn child(args: &[&str]) -> Vec<String> {
    let output = Command::new(std::env::current_exe().expect("own path"))
        .args(args)
        .output()
        .expect("child runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn fields(line: &str) -> Vec<f64> {
    line.split_whitespace().map(|f| f.parse().unwrap_or(f64::NAN)).collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

async fn sync(client: &Client, out: &Path, first_day: Option<NaiveDate>, key: &zoom_chat_archive::SigningKey) {
    let options = ExportOptions::daily_sync(first_day, 7)
        .include(Include::ALL)
        .concurrency(8)
        .sign_with(key.clone());
    export_jsonl(client, out, &options, &|_| {}, std::future::pending())
        .await
        .expect("sync");
}

async fn parent() {
    let wanted: usize = std::env::var("READ_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let per_session = wanted.div_ceil(SESSIONS);
    let dataset = Dataset {
        seed: 17,
        sessions: SESSIONS,
        messages_per_session: per_session,
        start: day("2026-06-01"),
        end: day("2026-11-22"),
        edited_share: 0.08,
        deleted_share: 0.03,
        file_share: 0.0,
        reply_share: 0.2,
    };
    let clock = Arc::new(DayClock(Mutex::new(Utc::now())));
    clock.set(day("2026-11-21"));
    let zoom = FakeZoom::start(
        FakeZoomConfig::default()
            .dataset(dataset)
            .clock(clock.clone())
            .reveal_by_clock(true),
    )
    .await
    .expect("fake");
    let client = zoom.client_builder().requests_per_second(None).build().expect("client");
    let dir: PathBuf = std::env::temp_dir().join(format!("zoom-bench-read-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let out = dir.join("chat.jsonl");
    let site = dir.join("site");
    let (out_s, site_s) = (out.to_string_lossy().into_owned(), site.to_string_lossy().into_owned());

    let (secret, public) = zoom_chat_archive::keygen(&dir, "bench").expect("keygen");
    let key = zoom_chat_archive::SigningKey::from_file(&secret).expect("key");
    let public = zoom_chat_archive::read_public_key(&public).expect("public key");
    let started = Instant::now();
    sync(&client, &out, Some(day("2026-06-01")), &key).await;
    let archive_bytes = std::fs::metadata(&out).expect("archive").len();
    println!(
        "archive: {:.0} MiB from the fake Zoom in {:.0} s (2026-06-01 to 2026-11-20, {SESSIONS} sessions)",
        archive_bytes as f64 / 1048576.0,
        started.elapsed().as_secs_f64()
    );

    let full = fields(&child(&["index-child", &out_s])[0]);
    println!(
        "index, full: {:.0} messages in {:.1} s ({:.0} messages/s), read {:.0} MiB; peak RSS {:.1} MiB (target < 64 MiB)",
        full[4],
        full[0],
        full[4] / full[0],
        full[1] / 1048576.0,
        full[3] / 1024.0
    );
    let index_bytes = std::fs::metadata(zoom_chat_archive::search_index_path(&out))
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "index, full: the index is {:.0} MiB, {:.2} of the archive's size",
        index_bytes as f64 / 1048576.0,
        index_bytes as f64 / archive_bytes as f64
    );

    let mut times: Vec<(String, f64, f64)> = child(&["search-child", &out_s, &per_session.to_string()])
        .iter()
        .map(|line| {
            let parts: Vec<&str> = line.split_whitespace().collect();
            (
                parts[0].to_string(),
                parts[1].parse().unwrap_or(f64::NAN),
                parts[2].parse().unwrap_or(0.0),
            )
        })
        .collect();
    let mut all: Vec<f64> = times.iter().map(|t| t.1).collect();
    all.sort_by(f64::total_cmp);
    println!(
        "search: 100 queries, p50 {:.1} ms (target < 50 ms), p99 {:.1} ms",
        percentile(&all, 0.5),
        percentile(&all, 0.99)
    );
    for class in ["exact", "narrow", "broad"] {
        let mut of: Vec<f64> = times.iter().filter(|t| t.0 == class).map(|t| t.1).collect();
        of.sort_by(f64::total_cmp);
        let hits: f64 = times.iter().filter(|t| t.0 == class).map(|t| t.2).sum::<f64>() / of.len() as f64;
        println!(
            "search, {class}: {} queries, p50 {:.1} ms, p99 {:.1} ms, {hits:.0} messages matched on average",
            of.len(),
            percentile(&of, 0.5),
            percentile(&of, 0.99)
        );
    }
    times.clear();

    let html = fields(&child(&["html-child", &out_s, &site_s])[0]);
    println!(
        "html, full: {:.0} pages in {:.1} s, largest page {:.0} KiB (limit 1000 kB); peak RSS {:.1} MiB",
        html[1],
        html[0],
        html[3] / 1024.0,
        html[4] / 1024.0
    );

    // The next night: one more day, with the lookback.
    clock.set(day("2026-11-22"));
    let started = Instant::now();
    sync(&client, &out, None, &key).await;
    let archive_after = std::fs::metadata(&out).expect("archive").len();
    println!(
        "sync of one day: {:.1} MiB added in {:.1} s",
        (archive_after - archive_bytes) as f64 / 1048576.0,
        started.elapsed().as_secs_f64()
    );
    let incremental = fields(&child(&["index-child", &out_s])[0]);
    println!(
        "index, after one day: {:.2} s, read {:.1} MiB of {:.0} MiB: {:.4} of the archive (full: {:.1} s); peak RSS {:.1} MiB",
        incremental[0],
        incremental[1] / 1048576.0,
        incremental[2] / 1048576.0,
        incremental[1] / incremental[2],
        full[0],
        incremental[3] / 1024.0
    );
    let rerun = fields(&child(&["html-child", &out_s, &site_s])[0]);
    println!(
        "html, after one day: {:.1} s (full: {:.1} s), {:.0} of {:.0} pages written; peak RSS {:.1} MiB",
        rerun[0],
        html[0],
        rerun[2],
        rerun[1],
        rerun[4] / 1024.0
    );
    for format in ["csv", "xml", "eml"] {
        let target = dir.join(format!("production-{format}"));
        let produced = fields(&child(&["produce-child", &out_s, &target.to_string_lossy(), format])[0]);
        println!(
            "produce {format}: {:.0} records in {:.1} s ({:.0} records/s), {:.0} files; peak RSS {:.1} MiB",
            produced[1],
            produced[0],
            produced[1] / produced[0],
            produced[2],
            produced[3] / 1024.0
        );
        let _ = std::fs::remove_dir_all(&target);
    }
    let verified = fields(&child(&["verify-child", &out_s, &public])[0]);
    println!(
        "verify --public-key: {:.1} s, {:.0} differences; peak RSS {:.1} MiB",
        verified[0],
        verified[1],
        verified[2] / 1024.0
    );
    std::fs::remove_dir_all(&dir).expect("clean up");
}
