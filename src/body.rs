//! A cap on how much of a reply is read.
//!
//! progenitor's generated code reads every body whole, so a reply from a
//! broken proxy would be read into memory however large it is. The transport
//! sees each response before the generated code does and bounds it here: a
//! `Content-Length` over the cap is refused unread, and a body without one is
//! passed on through a counting stream that fails as soon as the cap is
//! passed. Nothing is buffered here, so memory stays at most the cap plus
//! one chunk.

use std::fmt;

use bytes::Bytes;
use futures::StreamExt;
use reqwest::header::CONTENT_LENGTH;
use reqwest::{Response, ResponseBuilderExt};

/// The default cap: 64 MiB, about a hundred times Zoom's largest page.
pub(crate) const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// The cap on a token endpoint's reply, which is a few hundred bytes.
pub(crate) const MAX_TOKEN_RESPONSE_BYTES: u64 = 64 * 1024;

/// The body error that a capped body ends with.
#[derive(Debug)]
pub(crate) struct BodyTooLarge {
    /// The declared length, or the bytes received when the cap was passed.
    pub size: u64,
    pub limit: u64,
}

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response body is larger than the {}-byte cap (at least {} bytes)",
            self.limit, self.size
        )
    }
}

impl std::error::Error for BodyTooLarge {}

/// The declared body length, if the response has a readable one.
fn content_length(response: &Response) -> Option<u64> {
    response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// Bounds `response`'s body to `limit` bytes. `too_large` is called, once,
/// with the size when the cap is passed; whoever then reads the body gets an
/// error whose source is [`BodyTooLarge`].
///
/// A declared length within the cap is left as it is, without rebuilding the
/// response: hyper reads exactly that many bytes and fails on anything else.
pub(crate) fn cap(response: Response, limit: u64, too_large: impl FnOnce(u64) + Send + 'static) -> Response {
    match content_length(&response) {
        Some(declared) if declared <= limit => response,
        Some(declared) => {
            too_large(declared);
            // Dropping the original closes its connection unread.
            rebuild(
                &response,
                futures::stream::once(async move { Err::<Bytes, _>(boxed(BodyTooLarge { size: declared, limit })) }),
            )
        }
        None => {
            let parts = response_parts(&response);
            let mut received: u64 = 0;
            let mut too_large = Some(too_large);
            let counted = response.bytes_stream().map(move |chunk| {
                let chunk = chunk.map_err(boxed)?;
                received = received.saturating_add(chunk.len() as u64);
                if received > limit {
                    if let Some(report) = too_large.take() {
                        report(received);
                    }
                    return Err(boxed(BodyTooLarge { size: received, limit }));
                }
                Ok(chunk)
            });
            // A stream that failed once must not be read on.
            let counted = counted.scan(false, |failed, item| {
                let done = *failed;
                *failed |= item.is_err();
                std::future::ready((!done).then_some(item))
            });
            build(parts, counted)
        }
    }
}

/// Reads a whole body of at most `limit` bytes; `Ok(Err(size))` past it.
pub(crate) async fn read_limited(mut response: Response, limit: u64) -> Result<Result<Bytes, u64>, reqwest::Error> {
    let mut body = Vec::new();
    if let Some(declared) = content_length(&response)
        && declared > limit
    {
        return Ok(Err(declared));
    }
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
        if body.len() as u64 > limit {
            return Ok(Err(body.len() as u64));
        }
    }
    Ok(Ok(Bytes::from(body)))
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn boxed(error: impl Into<BoxError>) -> BoxError {
    error.into()
}

struct Parts {
    status: reqwest::StatusCode,
    version: reqwest::Version,
    headers: reqwest::header::HeaderMap,
    url: reqwest::Url,
}

fn response_parts(response: &Response) -> Parts {
    Parts {
        status: response.status(),
        version: response.version(),
        headers: response.headers().clone(),
        url: response.url().clone(),
    }
}

fn rebuild(
    response: &Response,
    body: impl futures::Stream<Item = Result<Bytes, BoxError>> + Send + 'static,
) -> Response {
    build(response_parts(response), body)
}

fn build(parts: Parts, body: impl futures::Stream<Item = Result<Bytes, BoxError>> + Send + 'static) -> Response {
    let mut builder = http::Response::builder()
        .status(parts.status)
        .version(parts.version)
        .url(parts.url);
    if let Some(headers) = builder.headers_mut() {
        *headers = parts.headers;
    }
    match builder.body(reqwest::Body::wrap_stream(body)) {
        Ok(response) => Response::from(response),
        // Status, version and headers come from a response that was valid.
        Err(_) => unreachable!("the parts of a received response build a response"),
    }
}
