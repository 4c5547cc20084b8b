//! Uses the packaged zoom-chat-archive as a library: an archive of the fake
//! Zoom's last days, then a sync the next run would make, then `verify`.
//! Exits non-zero, with the reason, if anything does not add up.

use std::process::ExitCode;

use zoom_chat_archive::{ExportOptions, export_jsonl, verify};
use zoom_chat_reports::Include;
use zoom_chat_reports::mock::{FakeZoom, FakeZoomConfig};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(summary) => {
            println!("downstream check (archive library) passed: {summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("downstream check (archive library) failed: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<String, String> {
    let zoom = FakeZoom::start(FakeZoomConfig::default())
        .await
        .map_err(|e| format!("the fake Zoom does not start: {e}"))?;
    let client = zoom
        .client_builder()
        .requests_per_second(None)
        .build()
        .map_err(|e| e.to_string())?;
    let today = client.today();
    let (from, to) = (today - chrono::Duration::days(4), today - chrono::Duration::days(1));

    let dir = std::env::temp_dir().join(format!("zoom-downstream-archive-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let out = dir.join("chat.jsonl");
    let options = ExportOptions::new(from..=to).include(Include::ALL).files(dir.join("files"));
    let summary = export_jsonl(&client, &out, &options, &|_| {}, std::future::pending())
        .await
        .map_err(|e| format!("export: {e}"))?;
    let sync = ExportOptions::daily_sync(None, 7).include(Include::ALL);
    let synced = export_jsonl(&client, &out, &sync, &|_| {}, std::future::pending())
        .await
        .map_err(|e| format!("sync: {e}"))?;
    let report = verify(&out).await.map_err(|e| format!("verify: {e}"))?;
    let lines = std::fs::read_to_string(&out).map_err(|e| e.to_string())?.lines().count();
    let expected = zoom.dataset().expected_messages(from, to, Include::ALL).len();
    let _ = std::fs::remove_dir_all(&dir);
    if summary.messages as usize != expected || lines != expected + synced.messages as usize {
        return Err(format!(
            "archived {} messages and {lines} lines, the fake holds {expected}",
            summary.messages
        ));
    }
    if !report.differences.is_empty() {
        return Err(format!("verify found differences: {:?}", report.differences));
    }
    Ok(format!(
        "{lines} messages over {from}..={to}, {} files, verified",
        summary.files.map(|f| f.downloaded).unwrap_or(0)
    ))
}
