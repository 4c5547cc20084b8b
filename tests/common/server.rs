//! A small loopback HTTP/1.1 server for scripted fault sequences that
//! httpmock's stateless mocks cannot express: 500 → 502 → 200, a connection
//! reset, a body cut short, a token that rotates.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub at: Instant,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    pub fn query(&self, key: &str) -> Option<String> {
        let url = reqwest::Url::parse(&format!("http://loopback{}", self.target)).ok()?;
        url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
    }
}

/// What to answer.
#[derive(Debug, Clone)]
pub enum Reply {
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Close the connection without answering.
    Reset,
    /// Declare a Content-Length, send less, close.
    Truncated { status: u16, body: String },
    /// A chunked body that never ends: 4 KiB chunks until the client hangs up.
    EndlessChunked { status: u16 },
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Reply::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

type Handler = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

pub struct TestServer {
    pub url: String,
    pub requests: Arc<Mutex<Vec<Recorded>>>,
}

impl TestServer {
    /// Answers each request with `handler(request, index)`, index counting from 0.
    pub async fn start(handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("loopback port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let counter = Arc::new(AtomicUsize::new(0));
        let log = requests.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let (handler, counter, log) = (handler.clone(), counter.clone(), log.clone());
                tokio::spawn(async move {
                    // One request per connection: every reply closes it.
                    let mut buffer = Vec::new();
                    let mut chunk = [0u8; 4096];
                    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let text = String::from_utf8_lossy(&buffer);
                    let mut lines = text.split("\r\n");
                    let mut request_line = lines.next().unwrap_or_default().split(' ');
                    let recorded = Recorded {
                        method: request_line.next().unwrap_or_default().to_string(),
                        target: request_line.next().unwrap_or_default().to_string(),
                        headers: lines
                            .take_while(|l| !l.is_empty())
                            .filter_map(|l| l.split_once(':'))
                            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                            .collect(),
                        at: Instant::now(),
                    };
                    let index = counter.fetch_add(1, Ordering::SeqCst);
                    log.lock().unwrap().push(recorded.clone());
                    let bytes = match handler(&recorded, index) {
                        Reply::Reset => return,
                        Reply::EndlessChunked { status } => {
                            let head = format!(
                                "HTTP/1.1 {status} Status\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
                            );
                            if socket.write_all(head.as_bytes()).await.is_err() {
                                return;
                            }
                            let chunk = format!("1000\r\n{}\r\n", " ".repeat(4096));
                            while socket.write_all(chunk.as_bytes()).await.is_ok() {}
                            return;
                        }
                        Reply::Respond { status, headers, body } => {
                            let mut head = format!(
                                "HTTP/1.1 {status} Status\r\ncontent-length: {}\r\nconnection: close\r\n",
                                body.len()
                            );
                            for (k, v) in headers {
                                head.push_str(&format!("{k}: {v}\r\n"));
                            }
                            format!("{head}\r\n{body}")
                        }
                        Reply::Truncated { status, body } => format!(
                            "HTTP/1.1 {status} Status\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
                            body.len() * 2,
                            body
                        ),
                    };
                    let _ = socket.write_all(bytes.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Self { url, requests }
    }

    /// Answers the n-th request with `replies[n]`, and 599 past the end of the script.
    pub async fn scripted(replies: Vec<Reply>) -> Self {
        Self::start(move |_, index| {
            replies.get(index).cloned().unwrap_or_else(|| {
                Reply::json(
                    599,
                    serde_json::json!({ "message": "unexpected request past the script" }),
                )
            })
        })
        .await
    }

    pub fn recorded(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}
