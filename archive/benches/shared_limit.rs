//! The account's limit, shared with other apps (issue: "Share the account's
//! rate limit"), as ratios measured in one run. Run with
//! `cargo bench --bench shared_limit`; BENCHMARKS.md keeps the figures.
//!
//! 1. The fake Zoom allows 8 requests a second; the client is told 20 (the
//!    CLI's default `--plan pro`). 40 sessions x 300 messages over 170 days,
//!    ten runs.
//! 2. Two replicas, each told 60 a second (`--plan business`), export the
//!    same account, which allows 20. Ten runs.
//! 3. Other apps take 12 of an account's 20 a second for 20 s, then stop:
//!    the client's rate over time, down and back.
//!
//! For each run: whether the output is exact, the share of 429s (targets:
//! under 10%, two replicas under 15%), and time / (accepted requests / the
//! account's rate), where 1.0 is the account's whole limit used and the
//! target is 1.25 or less.

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use zoom_chat_archive::{ExportOptions, export_jsonl};
use zoom_chat_reports::mock::{Dataset, FakeZoom, FakeZoomConfig, RetryAfterForm};
use zoom_chat_reports::runtime::TokioSleep;
use zoom_chat_reports::{Client, Include, MessageKind};

const TODAY: &str = "2026-11-22";

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

fn range() -> (NaiveDate, NaiveDate) {
    let to = day(TODAY) - chrono::Days::new(2);
    (to - chrono::Days::new(169), to)
}

fn dataset() -> Dataset {
    let (from, to) = range();
    Dataset {
        seed: 8,
        sessions: 40,
        messages_per_session: 300,
        start: from,
        end: to,
        edited_share: 0.1,
        deleted_share: 0.05,
        file_share: 0.1,
        reply_share: 0.2,
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let only: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let runs: usize = std::env::var("SHARED_LIMIT_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let wants = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    println!("Retry-After on the fake's 429s: {:?}", retry_after_form());
    runtime.block_on(async {
        if wants("lower") {
            lower_limit(runs).await;
        }
        if wants("replicas") {
            replicas(runs).await;
        }
        if wants("recovery") {
            recovery().await;
        }
    });
}

/// One static token for every client: replicas that each fetched their own
/// OAuth token from the fake would take turns at it (a new token invalidates
/// the old, as Zoom's may), which the churn tests measure; here only the
/// shared rate limit is.
const TOKEN: &str = "shared-limit-bench";

fn client(zoom: &FakeZoom, rate: u32) -> Client {
    zoom.client_builder()
        .bearer_token(TOKEN)
        .requests_per_second(NonZeroU32::new(rate))
        .sleep(Arc::new(TokioSleep))
        .build()
        .expect("client")
}

fn out_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("shared-limit-bench-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir.join("chat.jsonl")
}

async fn export(client: &Client, out: &Path) -> Result<(), String> {
    let (from, to) = range();
    let options = ExportOptions::new(from..=to).include(Include::ALL);
    export_jsonl(client, out, &options, &|_| {}, std::future::pending())
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Whether the file holds every expected record exactly once.
fn exact(out: &Path, zoom: &FakeZoom) -> bool {
    let (from, to) = range();
    let expected: BTreeMap<(String, MessageKind, String), usize> = zoom
        .dataset()
        .expected_messages(from, to, Include::ALL)
        .into_iter()
        .map(|k| (k, 1))
        .collect();
    let mut got = BTreeMap::new();
    for line in std::fs::read_to_string(out).unwrap_or_default().lines() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
            return false;
        };
        let Ok(kind) = serde_json::from_value::<MessageKind>(value["kind"].clone()) else {
            return false;
        };
        let key = (
            value["session_id"].as_str().unwrap_or_default().to_string(),
            kind,
            value["id"].as_str().unwrap_or_default().to_string(),
        );
        *got.entry(key).or_insert(0) += 1;
    }
    got == expected
}

struct RunFigures {
    exact: bool,
    share: f64,
    ratio: f64,
    seconds: f64,
    requests: u64,
    refused: u64,
}

fn figures(zoom: &FakeZoom, account_rate: f64, elapsed: Duration, exact: bool) -> RunFigures {
    let counters = zoom.counters();
    let accepted = counters.requests - counters.rate_limited;
    RunFigures {
        exact,
        share: counters.rate_limited as f64 / counters.requests as f64,
        ratio: elapsed.as_secs_f64() / (accepted as f64 / account_rate),
        seconds: elapsed.as_secs_f64(),
        requests: counters.requests,
        refused: counters.rate_limited,
    }
}

fn report(title: &str, runs: &[RunFigures], share_target: f64) {
    println!("\n{title}");
    println!("run  exact  requests  429s  share   seconds  time/(accepted/rate)");
    for (i, r) in runs.iter().enumerate() {
        println!(
            "{:>3}  {:<5}  {:>8}  {:>4}  {:>5.1}%  {:>7.1}  {:>5.3}",
            i + 1,
            r.exact,
            r.requests,
            r.refused,
            r.share * 100.0,
            r.seconds,
            r.ratio
        );
    }
    let worst_share = runs.iter().map(|r| r.share).fold(0.0, f64::max);
    let worst_ratio = runs.iter().map(|r| r.ratio).fold(0.0, f64::max);
    let all_exact = runs.iter().all(|r| r.exact);
    println!(
        "all exact: {all_exact}; worst 429 share {:.1}% (target under {:.0}%); worst ratio {worst_ratio:.3} (target 1.25 or less): {}",
        worst_share * 100.0,
        share_target * 100.0,
        if all_exact && worst_share < share_target && worst_ratio <= 1.25 {
            "met"
        } else {
            "NOT MET"
        }
    );
}

/// How the fake's 429s say when to retry: `SHARED_LIMIT_RETRY_AFTER=iso`
/// (the default: Zoom documents an ISO-8601 time), `seconds` (whole seconds,
/// rounded up: a retry waits up to a second longer than it must) or
/// `missing` (as Zoom sometimes sends).
fn retry_after_form() -> RetryAfterForm {
    match std::env::var("SHARED_LIMIT_RETRY_AFTER").as_deref() {
        Ok("seconds") => RetryAfterForm::Seconds,
        Ok("missing") => RetryAfterForm::Missing,
        _ => RetryAfterForm::Iso8601,
    }
}

async fn fake(limit: u32, other_apps: Vec<(Duration, u32)>) -> FakeZoom {
    FakeZoom::start(
        FakeZoomConfig::default()
            .dataset(dataset())
            .today(day(TODAY))
            .static_token(TOKEN)
            .per_second_limit(limit)
            .other_apps_load(other_apps)
            .retry_after(retry_after_form()),
    )
    .await
    .expect("fake")
}

async fn lower_limit(runs: usize) {
    let mut results = Vec::new();
    for run in 0..runs {
        let zoom = fake(8, Vec::new()).await;
        let client = client(&zoom, 20);
        let out = out_file(&format!("lower-{run}"));
        let started = Instant::now();
        let outcome = export(&client, &out).await;
        let elapsed = started.elapsed();
        if let Err(e) = &outcome {
            println!("run {}: the export failed: {e}", run + 1);
        }
        results.push(figures(&zoom, 8.0, elapsed, outcome.is_ok() && exact(&out, &zoom)));
        let _ = std::fs::remove_dir_all(out.parent().expect("dir"));
    }
    report(
        "1. The account allows 8/s, the client is told 20/s (40 sessions x 300 messages, 170 days)",
        &results,
        0.10,
    );
}

async fn replicas(runs: usize) {
    let mut results = Vec::new();
    for run in 0..runs {
        let zoom = fake(20, Vec::new()).await;
        let (a, b) = (client(&zoom, 60), client(&zoom, 60));
        let (out_a, out_b) = (
            out_file(&format!("replica-a-{run}")),
            out_file(&format!("replica-b-{run}")),
        );
        let started = Instant::now();
        // (seconds, each replica's rate and requests), every two seconds, for the first run.
        let rows = Arc::new(std::sync::Mutex::new(Vec::<(u64, f64, u64, f64, u64)>::new()));
        let sampler = {
            let (a, b, rows) = (a.clone(), b.clone(), rows.clone());
            tokio::spawn(async move {
                loop {
                    let (sa, sb) = (a.stats(), b.stats());
                    let row = (
                        started.elapsed().as_secs(),
                        sa.current_rate.unwrap_or_default(),
                        sa.requests,
                        sb.current_rate.unwrap_or_default(),
                        sb.requests,
                    );
                    rows.lock().expect("rows").push(row);
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
            })
        };
        let (ra, rb) = tokio::join!(export(&a, &out_a), export(&b, &out_b));
        let elapsed = started.elapsed();
        sampler.abort();
        if run == 0 {
            println!("seconds  rate a  requests a  rate b  requests b");
            for (seconds, rate_a, requests_a, rate_b, requests_b) in rows.lock().expect("rows").iter() {
                println!("{seconds:>7}  {rate_a:>6.1}  {requests_a:>10}  {rate_b:>6.1}  {requests_b:>10}");
            }
        }
        for (name, r) in [("a", &ra), ("b", &rb)] {
            if let Err(e) = r {
                println!("run {} replica {name}: the export failed: {e}", run + 1);
            }
        }
        let exact = ra.is_ok() && rb.is_ok() && exact(&out_a, &zoom) && exact(&out_b, &zoom);
        let (sa, sb) = (a.stats(), b.stats());
        println!(
            "run {}: replica rates averaged {:.1}/s and {:.1}/s",
            run + 1,
            sa.average_rate.unwrap_or_default(),
            sb.average_rate.unwrap_or_default()
        );
        results.push(figures(&zoom, 20.0, elapsed, exact));
        for out in [out_a, out_b] {
            let _ = std::fs::remove_dir_all(out.parent().expect("dir"));
        }
    }
    report(
        "2. Two replicas, each told 60/s, on one account that allows 20/s",
        &results,
        0.15,
    );
}

async fn recovery() {
    let zoom = fake(20, vec![(Duration::ZERO, 12), (Duration::from_secs(20), 0)]).await;
    let client = client(&zoom, 20);
    let out = out_file("recovery");
    let started = Instant::now();
    // (seconds, the limiter's rate, 429s so far), every two seconds.
    let rows = Arc::new(std::sync::Mutex::new(Vec::<(u64, f64, u64)>::new()));
    let sampler = {
        let (client, rows) = (client.clone(), rows.clone());
        tokio::spawn(async move {
            loop {
                let stats = client.stats();
                let row = (
                    started.elapsed().as_secs(),
                    stats.current_rate.unwrap_or_default(),
                    stats.throttled,
                );
                rows.lock().expect("rows").push(row);
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        })
    };
    let outcome = export(&client, &out).await;
    let elapsed = started.elapsed();
    sampler.abort();
    println!(
        "\n3. Other apps take 12 of the account's 20/s for 20 s, then stop (client told 20/s): {} in {:.1} s, exact: {}",
        if outcome.is_ok() { "finished" } else { "FAILED" },
        elapsed.as_secs_f64(),
        outcome.is_ok() && exact(&out, &zoom)
    );
    println!("seconds  rate/s  429s so far");
    for (seconds, rate, refused) in rows.lock().expect("rows").iter() {
        println!(
            "{seconds:>7}  {rate:>6.1}  {refused:>5}  {}",
            "#".repeat(rate.round() as usize)
        );
    }
    let counters = zoom.counters();
    println!(
        "429 share {:.1}%; time / (accepted / 20 per s, the account's whole limit, other apps' share included) = {:.3}",
        counters.rate_limited as f64 / counters.requests as f64 * 100.0,
        elapsed.as_secs_f64() / ((counters.requests - counters.rate_limited) as f64 / 20.0)
    );
    let _ = std::fs::remove_dir_all(out.parent().expect("dir"));
}
