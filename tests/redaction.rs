//! Secrets and chat content never reach `Debug`, `Display`, errors or logs.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use futures::TryStreamExt;
use serde_json::json;
use zoom_chat_reports::{Client, Credentials, Include};

use common::server::{Reply, TestServer};
use common::{RecordedSleep, builder, day};

const SECRET: &str = "client-secret-5f1e";
const ACCESS_TOKEN: &str = "access-token-9a7c";
const CHAT_TEXT: &str = "the quarterly numbers are bad";
const DOWNLOAD_JWT: &str = "jwt=download-credential-77";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_clean(what: &str, text: &str) {
    for needle in [SECRET, ACCESS_TOKEN, CHAT_TEXT, DOWNLOAD_JWT] {
        assert!(!text.contains(needle), "{what} leaks `{needle}`:\n{text}");
    }
}

#[tokio::test]
async fn nothing_secret_in_debug_errors_or_logs() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = TestServer::start(|request, index| match request.path() {
        "/oauth/token" => Reply::json(200, json!({ "access_token": ACCESS_TOKEN, "expires_in": 3599 })),
        "/report/chat/sessions" if index == 1 => Reply::json(429, json!({ "code": 429, "message": "slow down" })).with_header("Retry-After", "1"),
        "/report/chat/sessions" => Reply::json(200, json!({ "sessions": [{ "id": "s1", "type": "Group", "name": "Finance" }] })),
        _ => Reply::json(200, json!({
            "messages": [{ "id": "m1", "message": CHAT_TEXT, "date_time": "2026-11-02T10:00:00Z",
                "files": [{ "file_id": "f1", "file_name": "numbers.xlsx", "file_size": 1, "download_url": format!("https://zoom.us/file?{DOWNLOAD_JWT}") }] }],
            "edited_messages": [{ "id": "m1", "message": CHAT_TEXT, "date_time": "2026-11-02T10:00:00Z" }],
        })),
    })
    .await;
    let credentials = Credentials::server_to_server("acct", "client", SECRET);
    let client_builder = builder(&server.url, Arc::new(RecordedSleep::default()))
        .credentials(credentials.clone())
        .oauth_url(format!("{}/oauth/token", server.url));
    assert_clean("Credentials Debug", &format!("{credentials:?}"));
    assert_clean("ClientBuilder Debug", &format!("{client_builder:?}"));
    let client: Client = client_builder.build().unwrap();
    assert_clean("Client Debug", &format!("{client:?}"));

    let items: Vec<_> = client
        .all_messages(day("2026-11-01")..=day("2026-11-20"))
        .include(Include::ALL)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[0].message.message.as_deref(),
        Some(CHAT_TEXT),
        "the content is there, only not printed"
    );
    assert_clean("MessageItem Debug", &format!("{items:?}"));
    assert_clean("ChatMessage Debug", &format!("{:?}", items[0].message));
    assert_clean("Client Debug after use", &format!("{client:?}"));

    // A decode error on a body full of chat content.
    let broken =
        TestServer::start(|_, _| Reply::json(200, json!({ "messages": [{ "id": 5, "message": CHAT_TEXT }] }))).await;
    let client = builder(&broken.url, Arc::new(RecordedSleep::default()))
        .bearer_token(ACCESS_TOKEN)
        .build()
        .unwrap();
    let error = client
        .messages("s1", day("2026-11-01")..=day("2026-11-02"))
        .items()
        .try_next()
        .await
        .unwrap_err();
    assert_clean("Error Display", &error.to_string());
    assert_clean("Error Debug", &format!("{error:?}"));

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("report_chat_sessions") && logs.contains("attempt") && logs.contains("status=429"),
        "the logs say what happened:\n{logs}"
    );
    assert_clean("logs", &logs);
}
