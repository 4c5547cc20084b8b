//! Uses the packaged zoom-chat-reports as a dependent crate would: the
//! streams API and the resumable export, against the `mock` feature's fake
//! Zoom. Exits non-zero, with the reason, if anything does not add up.

use std::process::ExitCode;

use futures::TryStreamExt;
use zoom_chat_reports::export::{ExportOptions, export_jsonl};
use zoom_chat_reports::mock::{FakeZoom, FakeZoomConfig};
use zoom_chat_reports::{Client, Include};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(summary) => {
            println!("downstream check passed: {summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("downstream check failed: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<String, String> {
    let zoom = FakeZoom::start(FakeZoomConfig::default())
        .await
        .map_err(|e| format!("the fake Zoom does not start: {e}"))?;
    let client: Client = zoom
        .client_builder()
        .requests_per_second(None)
        .build()
        .map_err(|e| e.to_string())?;
    let today = chrono::Utc::now().date_naive();
    let (from, to) = (today - chrono::Duration::days(4), today - chrono::Duration::days(1));

    let sessions: Vec<_> = client
        .sessions(from..=to)
        .items()
        .try_collect()
        .await
        .map_err(|e| format!("sessions stream: {e}"))?;
    if sessions.is_empty() {
        return Err("the fake reported no sessions".into());
    }

    let dir = std::env::temp_dir().join(format!("zoom-downstream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let out = dir.join("chat.jsonl");
    let options = ExportOptions::new(from..=to).include(Include::ALL);
    let summary = export_jsonl(&client, &out, &options, &|_| {}, std::future::pending())
        .await
        .map_err(|e| format!("export: {e}"))?;
    let lines = std::fs::read_to_string(&out).map_err(|e| e.to_string())?.lines().count();
    let expected = zoom.dataset().expected_messages(from, to, Include::ALL).len();
    let _ = std::fs::remove_dir_all(&dir);
    if lines != expected || summary.messages as usize != expected {
        return Err(format!("exported {lines} lines, the fake holds {expected}"));
    }
    Ok(format!("{} sessions, {lines} messages over {from}..={to}", sessions.len()))
}
