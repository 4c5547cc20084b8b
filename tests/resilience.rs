//! Auth, rate limits and retries against scripted fault sequences, with
//! recorded waits in place of real sleeps.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use futures::TryStreamExt;
use serde_json::json;
use zoom_chat_reports::{Client, Credentials, Error};

use common::server::{Reply, TestServer};
use common::{RecordedSleep, builder, day};

fn empty_sessions() -> Reply {
    Reply::json(200, json!({ "sessions": [], "next_page_token": "" }))
}

fn rate_limited() -> Reply {
    Reply::json(
        429,
        json!({ "code": 429, "message": "You have reached the maximum per-second rate limit for this API. Try again later." }),
    )
}

async fn sessions(client: &Client) -> Result<Vec<String>, Error> {
    client
        .sessions(day("2026-11-01")..=day("2026-11-20"))
        .items()
        .map_ok(|s| s.id)
        .try_collect()
        .await
}

fn test_client(server: &TestServer) -> (Client, Arc<RecordedSleep>) {
    common::client(&server.url)
}

#[tokio::test]
async fn retry_after_in_every_form() {
    // The test clock stands at 2026-11-22T12:00:00Z.
    let cases = [
        ("7", Duration::from_secs(7)),
        ("Sun, 22 Nov 2026 12:00:05 GMT", Duration::from_secs(5)),
        ("2026-11-22T12:00:09Z", Duration::from_secs(9)),
        ("2026-11-22T12:00:03.500Z", Duration::from_millis(3500)),
    ];
    for (header, wait) in cases {
        let server = TestServer::scripted(vec![
            rate_limited().with_header("Retry-After", header),
            empty_sessions(),
        ])
        .await;
        let (client, sleep) = test_client(&server);
        sessions(&client)
            .await
            .unwrap_or_else(|e| panic!("Retry-After {header}: {e}"));
        // The wait asked for, spread by up to half again so that calls refused
        // together do not come back together.
        let waits = sleep.waits();
        assert_eq!(waits.len(), 1, "Retry-After: {header}");
        assert!(
            waits[0] >= wait && waits[0] <= wait.mul_f64(1.5),
            "Retry-After {header}: {waits:?}"
        );
        assert_eq!(server.count(), 2);
        assert_eq!(client.stats().rate_limited, 1);
        assert_eq!(client.stats().retries, 1);
    }
}

#[tokio::test]
async fn retry_after_zero_still_waits_the_initial_backoff() {
    let server = TestServer::scripted(vec![rate_limited().with_header("Retry-After", "0"), empty_sessions()]).await;
    let (client, sleep) = test_client(&server);
    sessions(&client).await.unwrap();
    let waits = sleep.waits();
    assert_eq!(waits.len(), 1);
    assert!(
        waits[0] >= Duration::from_millis(100) && waits[0] <= Duration::from_millis(150),
        "{waits:?}"
    );
}

#[tokio::test]
async fn a_429_without_retry_after_backs_off_with_jitter() {
    let server = TestServer::scripted(vec![rate_limited(), rate_limited(), empty_sessions()]).await;
    let (client, sleep) = test_client(&server);
    sessions(&client).await.unwrap();
    let waits = sleep.waits();
    assert_eq!(waits.len(), 2);
    // The refused second ends within the next: half a second to one, at
    // random (the backoff, 100 ms then 200 ms with full jitter, is shorter).
    for wait in &waits {
        assert!(
            *wait >= Duration::from_millis(500) && *wait <= Duration::from_secs(1),
            "{waits:?}"
        );
    }
    assert_ne!(waits[0], waits[1], "jittered");
}

#[tokio::test]
async fn a_daily_limit_is_a_typed_error_with_the_reset_time_and_no_sleep() {
    let server = TestServer::scripted(vec![
        Reply::json(
            429,
            json!({ "code": 429, "message": "You have reached the maximum daily rate limit for this API." }),
        )
        .with_header("X-RateLimit-Type", "Daily-limit")
        .with_header("Retry-After", "2026-11-23T00:00:00Z"),
    ])
    .await;
    let (client, sleep) = test_client(&server);
    let error = sessions(&client).await.unwrap_err();
    assert!(
        matches!(error.root(), Error::RateLimited { daily: true, .. }),
        "{error:?}"
    );
    assert_eq!(
        error.daily_limit_reset(),
        Some(Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap())
    );
    assert!(error.is_retryable());
    assert!(sleep.waits().is_empty());
    assert_eq!(server.count(), 1);

    // No type header, but a wait longer than the client will sleep: the same.
    let server = TestServer::scripted(vec![rate_limited().with_header("Retry-After", "7200")]).await;
    let (client, sleep) = test_client(&server);
    let error = sessions(&client).await.unwrap_err();
    assert!(
        matches!(error.root(), Error::RateLimited { daily: true, .. }),
        "{error:?}"
    );
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn server_errors_are_retried_then_succeed() {
    let server = TestServer::scripted(vec![
        Reply::json(500, json!({})),
        Reply::Respond {
            status: 502,
            headers: vec![("content-type".into(), "text/html".into())],
            body: "<html>bad gateway</html>".into(),
        },
        Reply::json(503, json!({})),
        Reply::json(200, json!({ "sessions": [{ "id": "a", "type": "Group" }] })),
    ])
    .await;
    let (client, sleep) = test_client(&server);
    assert_eq!(sessions(&client).await.unwrap(), ["a"]);
    assert_eq!(sleep.waits().len(), 3);
    assert_eq!(client.stats().requests, 4);
}

#[tokio::test]
async fn retries_are_bounded_and_the_last_status_is_kept() {
    let server = TestServer::scripted(vec![Reply::json(503, json!({ "code": 1, "message": "down" })); 10]).await;
    let (client, _) = test_client(&server);
    let error = sessions(&client).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(server.count(), 4, "max_attempts is 4 in the test policy");
}

#[tokio::test]
async fn other_4xx_are_never_retried() {
    for status in [400, 403, 404] {
        let server = TestServer::scripted(vec![
            Reply::json(status, json!({ "code": 1001, "message": "nope" })),
            empty_sessions(),
        ])
        .await;
        let (client, sleep) = test_client(&server);
        let error = sessions(&client).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.zoom_code(), Some(1001));
        assert!(!error.is_retryable());
        assert_eq!(server.count(), 1);
        assert!(sleep.waits().is_empty());
    }
}

#[tokio::test]
async fn a_connection_reset_and_a_truncated_body_are_retried() {
    let body = json!({ "sessions": [{ "id": "a", "type": "Group" }] }).to_string();
    let server = TestServer::scripted(vec![
        Reply::Reset,
        Reply::Truncated {
            status: 200,
            body: body[..body.len() / 2].to_string(),
        },
        Reply::Respond {
            status: 200,
            headers: vec![],
            body,
        },
    ])
    .await;
    let (client, sleep) = test_client(&server);
    assert_eq!(sessions(&client).await.unwrap(), ["a"]);
    assert_eq!(server.count(), 3);
    assert_eq!(sleep.waits().len(), 2);
}

#[tokio::test]
async fn persistent_resets_end_in_a_dispatch_error() {
    let server = TestServer::scripted(vec![Reply::Reset; 10]).await;
    let (client, _) = test_client(&server);
    let error = sessions(&client).await.unwrap_err();
    assert!(matches!(error.root(), Error::Dispatch { attempts: 4, .. }), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_retry_never_outlives_the_page_token() {
    // Page 2 is rate limited for 30 s, but its token has 20 s left: instead of
    // waiting, the window restarts, and nothing is lost or repeated.
    let server = TestServer::start(
        |request, index| match (index, request.query("next_page_token").as_deref()) {
            (0, None) => Reply::json(
                200,
                json!({ "sessions": [{ "id": "a", "type": "Group" }], "next_page_token": "t1" }),
            ),
            (1, Some("t1")) => rate_limited().with_header("Retry-After", "30"),
            (2, None) => Reply::json(
                200,
                json!({ "sessions": [{ "id": "a", "type": "Group" }], "next_page_token": "t2" }),
            ),
            (3, Some("t2")) => Reply::json(
                200,
                json!({ "sessions": [{ "id": "b", "type": "Group" }], "next_page_token": "" }),
            ),
            _ => Reply::json(599, json!({})),
        },
    )
    .await;
    let sleep = Arc::new(RecordedSleep::default());
    let client = builder(&server.url, sleep.clone())
        .page_token_lifetime(Duration::from_secs(22))
        .build()
        .unwrap();
    assert_eq!(sessions(&client).await.unwrap(), ["a", "b"]);
    assert!(sleep.waits().is_empty(), "{:?}", sleep.waits());
    assert_eq!(server.count(), 4);
}

/// A token endpoint and an API that accepts only the newest token, as Zoom
/// does when issuing a new token invalidates the old one.
struct RotatingZoom {
    server: TestServer,
    token_requests: Arc<AtomicUsize>,
    /// The token the API accepts; `None` accepts the newest issued.
    accepted: Arc<Mutex<Option<String>>>,
}

impl RotatingZoom {
    async fn start(expires_in: u64) -> Self {
        let token_requests = Arc::new(AtomicUsize::new(0));
        let accepted: Arc<Mutex<Option<String>>> = Arc::default();
        let (issued, current) = (token_requests.clone(), accepted.clone());
        let server = TestServer::start(move |request, _| {
            if request.path() == "/oauth/token" {
                assert_eq!(request.method, "POST");
                assert_eq!(request.query("grant_type").as_deref(), Some("account_credentials"));
                assert_eq!(request.query("account_id").as_deref(), Some("acct"));
                // Basic base64("client:s3cret-value")
                assert_eq!(request.header("authorization"), Some("Basic Y2xpZW50OnMzY3JldC12YWx1ZQ=="));
                let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
                *current.lock().unwrap() = Some(format!("tok-{n}"));
                return Reply::json(200, json!({ "access_token": format!("tok-{n}"), "token_type": "bearer", "expires_in": expires_in, "scope": "report:read:admin", "api_url": "https://api.zoom.us" }));
            }
            let expected = current.lock().unwrap().clone().map(|t| format!("Bearer {t}"));
            if request.header("authorization").map(str::to_string) == expected {
                Reply::json(200, json!({ "sessions": [{ "id": "a", "type": "Group" }] }))
            } else {
                Reply::json(401, json!({ "code": 124, "message": "Invalid access token." }))
            }
        })
        .await;
        Self {
            server,
            token_requests,
            accepted,
        }
    }

    fn client(&self, margin: Duration) -> Client {
        let sleep = Arc::new(RecordedSleep::default());
        builder(&self.server.url, sleep)
            .credentials(Credentials::server_to_server("acct", "client", "s3cret-value"))
            .oauth_url(format!("{}/oauth/token", self.server.url))
            .token_refresh_margin(margin)
            .build()
            .unwrap()
    }

    fn revoke_current(&self) {
        *self.accepted.lock().unwrap() = Some("revoked".into());
    }
}

async fn concurrently(client: &Client, n: usize) {
    let calls = (0..n).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { sessions(&client).await })
    });
    for result in futures::future::join_all(calls).await {
        assert_eq!(result.unwrap().unwrap(), ["a"]);
    }
}

#[tokio::test]
async fn one_token_request_for_32_concurrent_calls_and_after_a_401() {
    let zoom = RotatingZoom::start(3599).await;
    let client = zoom.client(Duration::from_secs(300));
    concurrently(&client, 32).await;
    assert_eq!(
        zoom.token_requests.load(Ordering::SeqCst),
        1,
        "single flight on first use"
    );

    // Zoom invalidates the token mid-export (as issuing a new one elsewhere
    // does): every call sees 401/124, and exactly one refresh serves them all.
    let before = zoom.server.count();
    zoom.revoke_current();
    concurrently(&client, 32).await;
    assert_eq!(
        zoom.token_requests.load(Ordering::SeqCst),
        2,
        "one refresh for 32 rejected calls"
    );
    assert!(zoom.server.count() > before);
    assert_eq!(client.stats().token_requests, 2);
}

#[tokio::test]
async fn a_token_life_of_zero_is_scheduled_as_the_floor() {
    // `expires_in: 0` used to make every call fetch a new token. It is now
    // scheduled as 30 s (with a warning), and replaced when Zoom refuses it.
    let zoom = RotatingZoom::start(0).await;
    let client = zoom.client(Duration::from_secs(300));
    concurrently(&client, 32).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    concurrently(&client, 32).await;
    assert_eq!(zoom.token_requests.load(Ordering::SeqCst), 1);
    assert_eq!(client.stats().unauthorized, 0);
}

#[tokio::test]
async fn a_static_token_that_zoom_refuses_is_not_retried() {
    let server = TestServer::scripted(vec![
        Reply::json(401, json!({ "code": 124, "message": "Invalid access token." })),
        empty_sessions(),
    ])
    .await;
    let (client, _) = test_client(&server);
    let error = sessions(&client).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(error.zoom_code(), Some(124));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_failing_token_endpoint_is_a_typed_auth_error_without_the_secret() {
    let server = TestServer::scripted(vec![Reply::json(
        400,
        json!({ "reason": "Invalid client_id or client_secret", "error": "invalid_client" }),
    )])
    .await;
    let sleep = Arc::new(RecordedSleep::default());
    let client = builder(&server.url, sleep)
        .credentials(Credentials::server_to_server("acct", "client", "s3cret-value"))
        .oauth_url(format!("{}/oauth/token", server.url))
        .build()
        .unwrap();
    let error = sessions(&client).await.unwrap_err();
    let Error::Auth { message, status } = error.root() else {
        panic!("{error:?}")
    };
    assert_eq!(status.map(|s| s.as_u16()), Some(400));
    assert!(message.contains("Invalid client_id or client_secret"), "{message}");
    for text in [error.to_string(), format!("{error:?}"), format!("{client:?}")] {
        assert!(!text.contains("s3cret-value"), "{text}");
    }
}

#[tokio::test]
async fn the_rate_limiter_is_shared_by_concurrent_streams() {
    let server = TestServer::start(|_, _| Reply::json(200, json!({ "sessions": [] }))).await;
    let sleep = Arc::new(RecordedSleep::default());
    let rate = 20;
    let client = builder(&server.url, sleep)
        .requests_per_second(std::num::NonZeroU32::new(rate))
        .build()
        .unwrap();
    // 3 streams over 10 windows each... expressed as 30 one-window calls on clones of one client.
    let calls: Vec<_> = (0..30)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { sessions(&client).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    let times: Vec<_> = server.recorded().iter().map(|r| r.at).collect();
    assert_eq!(times.len(), 30);
    // However the scheduler delays requests, no one-second window holds more than the limit.
    for (i, start) in times.iter().enumerate() {
        let in_window = times[i..]
            .iter()
            .filter(|t| t.duration_since(*start) < Duration::from_secs(1))
            .count();
        assert!(
            in_window <= rate as usize,
            "{in_window} requests within 1 s of request {i}"
        );
    }
}
