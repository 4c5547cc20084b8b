//! Benchmarks, as ratios measured in one run (never timed tests):
//!
//! 1. SDK overhead: the item stream against a hand-written reqwest +
//!    serde_json loop over the same fake-Zoom pages, alternating rounds.
//! 2. Memory: peak RSS of a process streaming 100k and 1M messages.
//! 3. Export under a rate limit: time against the bound set by the requests
//!    needed and the allowed requests per second, and lost/duplicated lines.
//! 4. Export memory: peak RSS of a process exporting sessions of 100k and 1M
//!    messages each in one month, at the default concurrency, output checked.
//!
//! The fake Zoom runs in a child process, so that its work and memory are not
//! counted against the SDK. Run with `cargo bench --bench sdk`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use futures::TryStreamExt;
use zoom_chat_reports::export::{ExportOptions, export_jsonl, journal_path};
use zoom_chat_reports::mock::{Dataset, FakeFiles, FakeZoom, FakeZoomConfig};
use zoom_chat_reports::runtime::FixedClock;
use zoom_chat_reports::types::ReportChatMessagesResponse;
use zoom_chat_reports::{Client, Include, MessageKind};

const TOKEN: &str = "bench-token";
const TODAY: &str = "2026-11-22";

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

/// `sessions` sessions of `per_session` messages, all within November 2026.
fn dataset(sessions: usize, per_session: usize) -> Dataset {
    Dataset {
        seed: 1,
        sessions,
        messages_per_session: per_session,
        start: day("2026-11-01"),
        end: day("2026-11-20"),
        edited_share: 0.0,
        deleted_share: 0.0,
        file_share: 0.1,
        reply_share: 0.2,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    // One thread, as a single export stream runs; the fake has its own process.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    match args.first().map(String::as_str) {
        Some("serve") => runtime.block_on(serve(&args[1..])),
        Some("stream") => runtime.block_on(stream_child(&args[1..])),
        Some("export-child") => runtime.block_on(export_child(&args[1..])),
        Some("files-child") => runtime.block_on(files_child(&args[1..])),
        _ => {
            let only = args.first().cloned();
            let wants = |name: &str| only.as_deref().is_none_or(|o| o == name);
            if wants("overhead") {
                runtime.block_on(overhead());
            }
            if wants("memory") {
                memory();
            }
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

/// Child mode: serve a fake Zoom and print its base URL.
async fn serve(args: &[String]) {
    let sessions: usize = args[0].parse().expect("sessions");
    let per_session: usize = args[1].parse().expect("messages per session");
    let per_second: Option<u32> = args.get(2).and_then(|a| a.parse().ok()).filter(|&r| r > 0);
    let file_size: Option<u64> = args.get(3).and_then(|a| a.parse().ok());
    let zoom = FakeZoom::start(
        FakeZoomConfig::default()
            .dataset(dataset(sessions, per_session))
            .today(day(TODAY))
            .static_token(TOKEN)
            .per_second_limit(per_second)
            .files(FakeFiles {
                size: file_size,
                ..FakeFiles::default()
            }),
    )
    .await
    .expect("fake starts");
    println!("{}", zoom.base_url());
    // Until the parent closes our stdin.
    let _ = tokio::task::spawn_blocking(|| std::io::stdin().lines().count()).await;
    let counters = zoom.counters();
    eprintln!(
        "fake: {} requests, {} rate limited, {} protocol violations",
        counters.requests, counters.rate_limited, counters.protocol_violations
    );
}

struct FakeProcess {
    child: Child,
    url: String,
}

impl FakeProcess {
    fn start(sessions: usize, per_session: usize, per_second: Option<u32>) -> Self {
        Self::start_with_files(sessions, per_session, per_second, None)
    }

    /// With every file `file_size` bytes.
    fn start_with_files(sessions: usize, per_session: usize, per_second: Option<u32>, file_size: Option<u64>) -> Self {
        let mut command = Command::new(std::env::current_exe().expect("own path"));
        command.args(["serve", &sessions.to_string(), &per_session.to_string()]);
        command.arg(per_second.unwrap_or(0).to_string());
        if let Some(size) = file_size {
            command.arg(size.to_string());
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("fake process starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("fake prints its URL");
        Self {
            child,
            url: line.trim().to_string(),
        }
    }
}

impl Drop for FakeProcess {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .bearer_token(TOKEN)
        .clock(Arc::new(FixedClock::on(day(TODAY))))
        .requests_per_second(None)
        .build()
        .expect("client")
}

/// The SDK's item stream over one session's messages.
async fn sdk_round(client: &Client, session: &str) -> usize {
    let mut items = client
        .messages(session.to_string(), day("2026-11-01")..=day("2026-11-20"))
        .items();
    let mut count = 0;
    while let Some(item) = items.try_next().await.expect("sdk stream") {
        std::hint::black_box(item);
        count += 1;
    }
    count
}

/// What a careful caller writes without the SDK: the same pages, the same types.
async fn raw_round(http: &reqwest::Client, base: &str, session: &str) -> usize {
    let mut count = 0;
    let mut token = String::new();
    loop {
        let mut query = vec![
            ("from", "2026-11-01".to_string()),
            ("to", "2026-11-20".to_string()),
            ("page_size", "100".to_string()),
        ];
        if !token.is_empty() {
            query.push(("next_page_token", token.clone()));
        }
        let response = http
            .get(format!("{base}/report/chat/sessions/{session}"))
            .bearer_auth(TOKEN)
            .query(&query)
            .send()
            .await
            .expect("raw request");
        let bytes = response
            .error_for_status()
            .expect("raw status")
            .bytes()
            .await
            .expect("raw body");
        let page: ReportChatMessagesResponse = serde_json::from_slice(&bytes).expect("raw decode");
        // Hand each message to the consumer, as the SDK's item stream does.
        for message in page.messages {
            std::hint::black_box(message);
            count += 1;
        }
        match page.next_page_token {
            Some(next) if !next.is_empty() => token = next,
            _ => return count,
        }
    }
}

/// The generated client's calls through the SDK's transport, without the stream: tells where overhead sits.
async fn generated_round(client: &Client, session: &str) -> usize {
    let mut count = 0;
    let mut token: Option<String> = None;
    loop {
        let mut request = client
            .generated()
            .report_chat_messages()
            .session_id(session)
            .from(day("2026-11-01"))
            .to(day("2026-11-20"))
            .page_size(100);
        if let Some(token) = &token {
            request = request.next_page_token(token.clone());
        }
        let page = request.send().await.expect("generated call").into_inner();
        count += page.messages.len();
        match page.next_page_token {
            Some(next) if !next.is_empty() => token = Some(next),
            _ => return count,
        }
    }
}

async fn overhead() {
    let (sessions, per_session) = (4, 20_000);
    let fake = FakeProcess::start(sessions, per_session, None);
    let client = client(&fake.url);
    let http = if std::env::var_os("ZOOM_BENCH_RAW_TIMEOUTS").is_some() {
        reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .expect("raw client")
    } else {
        reqwest::Client::new()
    };
    let dataset = dataset(sessions, per_session);
    let (mut sdk, mut raw) = (Vec::new(), Vec::new());
    let rounds = 20;
    for round in 0..rounds {
        let session = dataset.session_id(round % sessions);
        // Alternate which goes first, so neither always gets the warmer cache.
        let only = std::env::var("ZOOM_BENCH_ONLY").ok();
        for first_sdk in [round % 2 == 0, round % 2 != 0] {
            if only
                .as_deref()
                .is_some_and(|o| o != if first_sdk { "sdk" } else { "raw" })
            {
                continue;
            }
            let started = Instant::now();
            let count = if first_sdk {
                sdk_round(&client, &session).await
            } else {
                raw_round(&http, &fake.url, &session).await
            };
            let rate = count as f64 / started.elapsed().as_secs_f64();
            assert_eq!(count, per_session);
            if first_sdk { sdk.push(rate) } else { raw.push(rate) }
        }
    }
    if sdk.is_empty() || raw.is_empty() {
        return;
    }
    // Each round's SDK and raw runs are neighbours in time: their ratio cancels the machine's drift.
    let mut paired: Vec<f64> = sdk.iter().zip(&raw).map(|(s, r)| s / r).collect();
    let paired_median = median(&mut paired);
    let (sdk_median, raw_median) = (median(&mut sdk), median(&mut raw));
    println!("overhead: {rounds} rounds of {per_session} messages each way, alternating");
    println!("overhead: SDK item stream   {sdk_median:>10.0} messages/s (median)");
    println!("overhead: raw reqwest loop  {raw_median:>10.0} messages/s (median)");
    if std::env::var_os("ZOOM_BENCH_DIAGNOSE").is_some() {
        let mut generated = Vec::new();
        for round in 0..rounds {
            let started = Instant::now();
            let count = generated_round(&client, &dataset.session_id(round % sessions)).await;
            generated.push(count as f64 / started.elapsed().as_secs_f64());
        }
        println!(
            "overhead: generated calls    {:>10.0} messages/s (median, diagnostic)",
            median(&mut generated)
        );
    }
    println!(
        "overhead: SDK/raw throughput ratio = {paired_median:.3} (median of {rounds} paired rounds; target >= 0.95)"
    );
    println!("overhead: ratio of the two medians = {:.3}", sdk_median / raw_median);
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Child mode: stream all messages of a fake and report peak RSS.
async fn stream_child(args: &[String]) {
    let url = &args[0];
    let expected: usize = args[1].parse().expect("count");
    let client = client(url);
    let started = Instant::now();
    let mut stream = client.all_messages(day("2026-11-01")..=day("2026-11-20")).items();
    let mut count = 0;
    let mut checkpoints = Vec::new();
    while let Some(item) = stream.try_next().await.expect("stream") {
        debug_assert_eq!(item.kind, MessageKind::Sent);
        count += 1;
        if count % (expected / 4).max(1) == 0 {
            checkpoints.push(rss_kib("VmRSS"));
        }
    }
    assert_eq!(count, expected);
    println!(
        "{count} {} {:.1} {}",
        rss_kib("VmHWM"),
        started.elapsed().as_secs_f64(),
        checkpoints.iter().map(u64::to_string).collect::<Vec<_>>().join(",")
    );
}

fn rss_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0)
}

fn memory() {
    for (sessions, per_session) in [(100, 1_000), (100, 10_000)] {
        let total = sessions * per_session;
        let fake = FakeProcess::start(sessions, per_session, None);
        let output = Command::new(std::env::current_exe().expect("own path"))
            .args(["stream", &fake.url, &total.to_string()])
            .output()
            .expect("stream child runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let text = String::from_utf8_lossy(&output.stdout);
        let fields: Vec<&str> = text.split_whitespace().collect();
        let peak_mib = fields[1].parse::<f64>().unwrap_or(0.0) / 1024.0;
        println!(
            "memory: streamed {:>8} messages in {:>5} s, peak RSS {peak_mib:.1} MiB (target < 32 MiB, flat); RSS at each quarter (KiB): {}",
            fields[0],
            fields[2],
            fields.get(3).unwrap_or(&"")
        );
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
        for file in [
            path.clone(),
            journal_path(&path),
            zoom_chat_reports::export::lock_path(&path),
        ] {
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
