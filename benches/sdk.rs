//! Benchmarks of the SDK, as ratios measured in one run (never timed tests):
//!
//! 1. SDK overhead: the item stream against a hand-written reqwest +
//!    serde_json loop over the same fake-Zoom pages, alternating rounds.
//! 2. Memory: peak RSS of a process streaming 100k and 1M messages.
//!
//! The fake Zoom runs in a child process, so that its work and memory are not
//! counted against the SDK. Run with `cargo bench --bench sdk [overhead|memory]`.
//! The archive's own (export under a rate limit, export and files memory)
//! are in `archive/benches/export.rs`.

#[path = "common/mod.rs"]
mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{FakeProcess, TOKEN, client, dataset, day, rss_kib, serve};
use futures::TryStreamExt;
use zoom_chat_reports::types::ReportChatMessagesResponse;
use zoom_chat_reports::{Client, MessageKind};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    // One thread, as a single stream runs; the fake has its own process.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    match args.first().map(String::as_str) {
        Some("serve") => runtime.block_on(serve(&args[1..])),
        Some("stream") => runtime.block_on(stream_child(&args[1..])),
        _ => {
            let only = args.first().cloned();
            let wants = |name: &str| only.as_deref().is_none_or(|o| o == name);
            if wants("overhead") {
                runtime.block_on(overhead());
            }
            if wants("memory") {
                memory();
            }
        }
    }
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
