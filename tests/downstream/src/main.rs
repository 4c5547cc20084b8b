//! Uses the packaged zoom-chat-reports alone, as a service that depends on
//! the SDK would: the streams, one session's failure gone past, downloads,
//! against the `mock` feature's fake Zoom. No archive code is compiled into
//! this crate (`.ci/run` checks its dependency tree). Exits non-zero, with the
//! reason, if anything does not add up.

use std::process::ExitCode;

use futures::TryStreamExt;
use zoom_chat_reports::mock::{FakeZoom, FakeZoomConfig};
use zoom_chat_reports::{Client, Include, MessageOutcome};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(summary) => {
            println!("downstream check (SDK alone) passed: {summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("downstream check (SDK alone) failed: {message}");
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
    let today = client.today();
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
    let outcomes: Vec<MessageOutcome> = client
        .all_messages(from..=to)
        .include(Include::ALL)
        .outcomes()
        .try_collect()
        .await
        .map_err(|e| format!("messages stream: {e}"))?;
    let mut messages = 0;
    let mut file_url = None;
    for outcome in &outcomes {
        match outcome {
            MessageOutcome::Message(item) => {
                messages += 1;
                file_url = file_url.or_else(|| item.message.files.first().map(|f| f.download_url.clone()));
            }
            MessageOutcome::SessionFailed(failure) => return Err(format!("unexpected: {failure}")),
            _ => return Err("an outcome this check does not know".into()),
        }
    }
    let expected = zoom.dataset().expected_messages(from, to, Include::ALL).len();
    if messages != expected {
        return Err(format!("streamed {messages} messages, the fake holds {expected}"));
    }
    let url = file_url.ok_or("no message references a file")?;
    let download = client
        .download(url)
        .write_to(|| async { Ok(Vec::<u8>::new()) })
        .await
        .map_err(|e| format!("download: {e}"))?;
    if download.writer.is_empty() {
        return Err("the downloaded file is empty".into());
    }
    Ok(format!(
        "{} sessions, {messages} messages over {from}..={to}, a file of {} bytes",
        sessions.len(),
        download.size
    ))
}
