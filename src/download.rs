//! Files a message references, fetched with the report calls' token, rate
//! limiter, retries and body cap: [`Client::download`].

use std::time::Duration;

use progenitor_client::ClientInfo;

use crate::client::Client;
use crate::error::Error;

/// The operation name downloads are logged and retried under.
const OPERATION_DOWNLOAD: &str = "downloadChatFile";

impl Client {
    /// Whether a file's `download_url` may be sent this client's access
    /// token: one on the API's own origin, or https on Zoom's domain. A URL
    /// from a message is data, and the token must not go to any host it
    /// names. [`Self::download`] refuses any other.
    pub fn may_send_token_to(&self, url: &str) -> bool {
        let Ok(url) = reqwest::Url::parse(url) else {
            return false;
        };
        let Ok(base) = reqwest::Url::parse(self.api_base_url()) else {
            return false;
        };
        if url.origin() == base.origin() {
            return true;
        }
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        url.scheme() == "https" && (host == "zoom.us" || host.ends_with(".zoom.us"))
    }

    /// A file a message references (its `download_url`), fetched with the
    /// report calls' token, rate limiter, retries and body cap.
    ///
    /// ```no_run
    /// # async fn example(client: zoom_chat_reports::Client, url: &str) -> Result<(), zoom_chat_reports::DownloadError> {
    /// let path = std::path::Path::new("attachment.part");
    /// let download = client
    ///     .download(url)
    ///     .expected_size(52_133)
    ///     .write_to(|| tokio::fs::File::create(path))
    ///     .await?;
    /// assert!(download.size <= 52_134);
    /// download.writer.sync_all().await.map_err(zoom_chat_reports::DownloadError::Write)?;
    /// # Ok(()) }
    /// ```
    pub fn download(&self, url: impl Into<String>) -> DownloadRequest {
        DownloadRequest {
            client: self.clone(),
            url: url.into(),
            expected_size: None,
        }
    }
}

/// A file download, from [`Client::download`].
#[derive(Debug, Clone)]
pub struct DownloadRequest {
    client: Client,
    url: String,
    expected_size: Option<u64>,
}

/// A finished download: the writer of the attempt that succeeded, flushed,
/// and how many bytes were written to it.
#[derive(Debug)]
#[non_exhaustive]
pub struct Download<W> {
    /// The writer `write_to` opened for the attempt that succeeded.
    pub writer: W,
    /// Bytes written: at most one more than the expected size, when one was given.
    pub size: u64,
}

/// Why a download failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DownloadError {
    /// The URL is neither on the API's origin nor https on Zoom's domain
    /// ([`Client::may_send_token_to`]), so it was not fetched: the access
    /// token would have gone to a host that a message named.
    #[error("the file's URL is not Zoom's, so the access token was not sent to it and the file was not fetched")]
    UntrustedUrl {
        /// The URL, as given: text from a message, so never to be shown unescaped.
        url: String,
    },
    /// Zoom, or the way to it, failed after the client's retries.
    #[error("the file could not be downloaded: {0}")]
    Zoom(#[source] Error),
    /// The writer failed: the caller's destination, not Zoom.
    #[error("the downloaded file could not be written: {0}")]
    Write(#[source] std::io::Error),
}

impl DownloadRequest {
    /// The size Zoom reported (`file_size`). Reading stops one byte past it,
    /// so a file larger than reported is never read whole into memory or
    /// onto disk, and shows as `size == expected + 1`. The request's timeout
    /// also grows with it (at least 256 KiB/s).
    pub fn expected_size(mut self, bytes: u64) -> Self {
        self.expected_size = Some(bytes);
        self
    }

    /// Streams the file into a writer that `open` makes for each attempt: a
    /// retried attempt starts again from the first byte, into a new writer
    /// (for a file, create or truncate it). The writer is flushed, and is
    /// returned in the [`Download`]; syncing a file to disk is the caller's.
    ///
    /// A redirect to https (or, for a loopback test server, to the same
    /// origin) is followed, up to 5, without the access token: file hosts
    /// hand out signed URLs, and the token is for Zoom's API alone. A URL
    /// the token may not be sent to is refused before any request.
    pub async fn write_to<W, O, F>(self, open: O) -> Result<Download<W>, DownloadError>
    where
        W: tokio::io::AsyncWrite + Unpin + Send,
        O: FnMut() -> F + Send,
        F: std::future::Future<Output = std::io::Result<W>> + Send,
    {
        let Self {
            client,
            url,
            expected_size,
        } = self;
        if !client.may_send_token_to(&url) {
            return Err(DownloadError::UntrustedUrl { url });
        }
        let open = std::sync::Mutex::new(open);
        // Set aside inside the call: the writer of the attempt that
        // succeeded with what it wrote, or the error of one that could not
        // write (not Zoom's).
        let finished: std::sync::Mutex<Option<Download<W>>> = std::sync::Mutex::new(None);
        let write_error: std::sync::Mutex<Option<std::io::Error>> = std::sync::Mutex::new(None);
        let timeout = client.request_timeout() + Duration::from_secs(expected_size.unwrap_or(0) / (256 * 1024));
        let generated = client.generated();
        let result = client
            .transport()
            .call(OPERATION_DOWNLOAD, None, || async {
                use progenitor_client::ClientHooks;
                let info = progenitor_client::OperationInfo {
                    operation_id: OPERATION_DOWNLOAD,
                };
                let mut request = generated.client().get(&url).timeout(timeout).build()?;
                generated.pre(&mut request, &info).await?;
                let mut response = generated.exec(request, &info).await?;
                for _ in 0..5 {
                    let Some(next) = redirect_target(&response) else { break };
                    let request = generated.client().get(next).timeout(timeout).build()?;
                    response = generated.exec(request, &info).await?;
                }
                if response.status() != reqwest::StatusCode::OK {
                    return Err(progenitor_client::Error::UnexpectedResponse(response));
                }
                let (status, headers) = (response.status(), response.headers().clone());
                let opening = (open.lock().unwrap_or_else(|p| p.into_inner()))();
                let mut writer = match opening.await {
                    Ok(writer) => writer,
                    Err(e) => return Err(kept_aside(&write_error, e)),
                };
                let mut size = 0u64;
                let limit = expected_size.map(|s| s.saturating_add(1));
                while let Some(chunk) = response
                    .chunk()
                    .await
                    .map_err(progenitor_client::Error::ResponseBodyError)?
                {
                    let room = limit.map_or(chunk.len() as u64, |l| l.saturating_sub(size).min(chunk.len() as u64));
                    let chunk = &chunk[..room as usize];
                    size += chunk.len() as u64;
                    if let Err(e) = tokio::io::AsyncWriteExt::write_all(&mut writer, chunk).await {
                        return Err(kept_aside(&write_error, e));
                    }
                    if limit.is_some_and(|l| size >= l) {
                        break;
                    }
                }
                if let Err(e) = tokio::io::AsyncWriteExt::flush(&mut writer).await {
                    return Err(kept_aside(&write_error, e));
                }
                *finished.lock().unwrap_or_else(|p| p.into_inner()) = Some(Download { writer, size });
                Ok(progenitor_client::ResponseValue::new((), status, headers))
            })
            .await;
        if let Some(e) = write_error.lock().unwrap_or_else(|p| p.into_inner()).take() {
            return Err(DownloadError::Write(e));
        }
        result.map_err(|failure| DownloadError::Zoom(failure.error))?;
        finished
            .into_inner()
            .unwrap_or_else(|p| p.into_inner())
            .ok_or_else(|| DownloadError::Write(std::io::Error::other("the download ended without its writer")))
    }
}

/// Where a redirect points, if it is one to follow: https, or the same origin
/// (a loopback test server). Anything else is left to fail as a non-200.
fn redirect_target(response: &reqwest::Response) -> Option<reqwest::Url> {
    if !response.status().is_redirection() {
        return None;
    }
    let location = response.headers().get(reqwest::header::LOCATION)?.to_str().ok()?;
    let target = response.url().join(location).ok()?;
    (target.scheme() == "https" || target.origin() == response.url().origin()).then_some(target)
}

fn kept_aside<E>(
    slot: &std::sync::Mutex<Option<std::io::Error>>,
    error: std::io::Error,
) -> progenitor_client::Error<E> {
    let message = error.to_string();
    *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(error);
    progenitor_client::Error::InvalidRequest(format!("the downloaded file could not be written: {message}"))
}
