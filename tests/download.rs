//! `Client::download`: a file a message references, fetched with the
//! client's token only where it is safe, retried from the first byte into a
//! new writer, capped at its expected size, and failing with what failed:
//! the URL, Zoom, or the caller's writer.

mod common;

use std::sync::Mutex;

use common::server::{Recorded, Reply, TestServer};
use zoom_chat_reports::{DownloadError, Error};

fn file(status: u16, body: &str) -> Reply {
    Reply::Respond {
        status,
        headers: vec![("content-type".into(), "application/octet-stream".into())],
        body: body.into(),
    }
}

fn authorization(request: &Recorded) -> Option<&str> {
    request.header("authorization")
}

#[tokio::test]
async fn a_url_the_token_may_not_go_to_is_refused_before_any_request() {
    let server = TestServer::scripted(vec![]).await;
    let (client, _) = common::client(&server.url);
    for url in [
        "https://files.example.com/download/1",
        "http://zoom.us/file/1",
        "https://zoom.us.example.com/file/1",
        "not a url",
    ] {
        assert!(!client.may_send_token_to(url), "{url}");
        let opened = Mutex::new(0);
        let error = client
            .download(url)
            .write_to(|| {
                *opened.lock().unwrap() += 1;
                async { Ok(Vec::<u8>::new()) }
            })
            .await
            .unwrap_err();
        assert!(
            matches!(&error, DownloadError::UntrustedUrl { url: refused } if refused == url),
            "{error:?}"
        );
        assert!(
            !error.to_string().contains(url),
            "the URL is data, not part of the message: {error}"
        );
        assert_eq!(*opened.lock().unwrap(), 0);
    }
    assert!(client.may_send_token_to("https://us06web.zoom.us/file/1"));
    assert!(client.may_send_token_to(&format!("{}/file/1", server.url)));
    assert_eq!(server.count(), 0, "nothing was sent");
}

#[tokio::test]
async fn a_failed_attempt_starts_again_from_the_first_byte_in_a_new_writer() {
    let server = TestServer::scripted(vec![
        file(503, "busy"),
        Reply::Truncated {
            status: 200,
            body: "half of".into(),
        },
        file(200, "the whole file"),
    ])
    .await;
    let (client, _) = common::client(&server.url);
    let opened = Mutex::new(0);
    let download = client
        .download(format!("{}/file/1", server.url))
        .write_to(|| {
            *opened.lock().unwrap() += 1;
            async { Ok(Vec::<u8>::new()) }
        })
        .await
        .unwrap();
    assert_eq!(download.writer, b"the whole file");
    assert_eq!(download.size, 14);
    assert_eq!(*opened.lock().unwrap(), 2, "a writer for each attempt that got a 200");
    let requests = server.recorded();
    assert_eq!(requests.len(), 3);
    assert!(
        requests
            .iter()
            .all(|r| authorization(r) == Some("Bearer test-token-not-a-secret"))
    );
}

#[tokio::test]
async fn reading_stops_one_byte_past_the_expected_size() {
    let server = TestServer::scripted(vec![file(200, "0123456789"), file(200, "0123")]).await;
    let (client, _) = common::client(&server.url);
    let url = format!("{}/file/1", server.url);
    let longer = client
        .download(&url)
        .expected_size(4)
        .write_to(|| async { Ok(Vec::<u8>::new()) })
        .await
        .unwrap();
    assert_eq!((longer.size, longer.writer.as_slice()), (5, &b"01234"[..]));
    let exact = client
        .download(&url)
        .expected_size(4)
        .write_to(|| async { Ok(Vec::<u8>::new()) })
        .await
        .unwrap();
    assert_eq!(exact.size, 4);
}

#[tokio::test]
async fn a_redirect_is_followed_without_the_token() {
    let server = TestServer::scripted(vec![
        Reply::Respond {
            status: 302,
            headers: vec![("location".into(), "/signed/1?signature=abc".into())],
            body: String::new(),
        },
        file(200, "signed bytes"),
    ])
    .await;
    let (client, _) = common::client(&server.url);
    let download = client
        .download(format!("{}/file/1", server.url))
        .write_to(|| async { Ok(Vec::<u8>::new()) })
        .await
        .unwrap();
    assert_eq!(download.writer, b"signed bytes");
    let requests = server.recorded();
    assert!(authorization(&requests[0]).is_some());
    assert_eq!(requests[1].target, "/signed/1?signature=abc");
    assert_eq!(authorization(&requests[1]), None, "the token is for Zoom's API alone");
}

#[tokio::test]
async fn zoom_and_the_writer_fail_apart() {
    let server = TestServer::scripted(vec![file(404, "gone"), file(200, "bytes")]).await;
    let (client, _) = common::client(&server.url);
    let url = format!("{}/file/1", server.url);
    let gone = client
        .download(&url)
        .write_to(|| async { Ok(Vec::<u8>::new()) })
        .await
        .unwrap_err();
    let DownloadError::Zoom(error) = &gone else {
        panic!("{gone:?}")
    };
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert!(!matches!(error.root(), Error::RateLimited { .. }));

    let full = client
        .download(&url)
        .write_to(|| async { Err::<Vec<u8>, _>(std::io::Error::other("no space left on device")) })
        .await
        .unwrap_err();
    let DownloadError::Write(cause) = &full else {
        panic!("{full:?}")
    };
    assert!(cause.to_string().contains("no space left"), "{cause}");
    assert_eq!(
        server.count(),
        2,
        "a writer that fails is not Zoom's fault: not retried"
    );
}
