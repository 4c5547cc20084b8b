//! What both benchmark programs share: the fake Zoom in a child process
//! (so that its work and memory are not counted against the client), its
//! dataset, the client, and peak memory. Included with `#[path]` by
//! `benches/sdk.rs` and `archive/benches/export.rs`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use chrono::NaiveDate;
use zoom_chat_reports::Client;
use zoom_chat_reports::mock::{Dataset, FakeFiles, FakeZoom, FakeZoomConfig};
use zoom_chat_reports::runtime::FixedClock;

pub const TOKEN: &str = "bench-token";
pub const TODAY: &str = "2026-11-22";

pub fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

/// `sessions` sessions of `per_session` messages, all within November 2026.
pub fn dataset(sessions: usize, per_session: usize) -> Dataset {
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

/// Child mode: serve a fake Zoom and print its base URL.
pub async fn serve(args: &[String]) {
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

pub struct FakeProcess {
    child: Child,
    pub url: String,
}

impl FakeProcess {
    pub fn start(sessions: usize, per_session: usize, per_second: Option<u32>) -> Self {
        Self::start_with_files(sessions, per_session, per_second, None)
    }

    /// With every file `file_size` bytes.
    pub fn start_with_files(
        sessions: usize,
        per_session: usize,
        per_second: Option<u32>,
        file_size: Option<u64>,
    ) -> Self {
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

pub fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .bearer_token(TOKEN)
        .clock(Arc::new(FixedClock::on(day(TODAY))))
        .requests_per_second(None)
        .build()
        .expect("client")
}

pub fn rss_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0)
}
