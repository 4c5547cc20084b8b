//! The files index's records (`DIR/files.jsonl`): one per file a message
//! references, with where it is and how its download went. Data only: the
//! downloads are `files`, the checks `manifest`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Runs that try a file that failed of its own (gone, wrong size, refused)
/// before it is left as it is.
pub const MAX_FILE_ATTEMPTS: u32 = 3;

/// What became of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FileStatus {
    /// In place, its size as Zoom reported it (or Zoom reported none).
    Downloaded,
    /// Zoom answered 404 or 410: the file is gone.
    Missing,
    /// Zoom sent a different number of bytes than its `file_size`; nothing was kept.
    SizeMismatch,
    /// Larger than the client's response cap ([`ClientBuilder::max_response_bytes`](zoom_chat_reports::ClientBuilder::max_response_bytes)); not fetched.
    TooLarge,
    /// The message gives no download URL.
    NoUrl,
    /// The download URL is neither on the API's origin nor https on Zoom's
    /// domain, so the access token was not sent to it, and it was not fetched.
    UntrustedUrl,
    /// The download failed otherwise (an HTTP error, a timeout, a redirect to
    /// plain http); `error` says how.
    Failed,
}

impl FileStatus {
    /// The name used in `files.jsonl` and the manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Downloaded => "downloaded",
            FileStatus::Missing => "missing",
            FileStatus::SizeMismatch => "size_mismatch",
            FileStatus::TooLarge => "too_large",
            FileStatus::NoUrl => "no_url",
            FileStatus::UntrustedUrl => "untrusted_url",
            FileStatus::Failed => "failed",
        }
    }
}

/// One line of `files.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FileRecord {
    /// Zoom's file id.
    pub file_id: String,
    /// The session and message that first referenced it.
    pub session_id: String,
    /// The message's id.
    pub message_id: String,
    /// The file name as Zoom sent it.
    pub name: String,
    /// Where it is, relative to the files directory: `<file_id>/<safe name>`.
    pub path: String,
    /// The size Zoom reported (`file_size`).
    pub size: Option<u64>,
    /// The bytes received: `size` when downloaded; what came, when it did not match.
    pub received: u64,
    /// SHA-256 of the bytes received, lowercase hex; none when nothing was fetched.
    pub sha256: Option<String>,
    /// What became of it.
    pub status: FileStatus,
    /// Why it failed, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Runs that tried it and were answered (a file that could not be
    /// reached at all does not count).
    #[serde(default)]
    pub attempts: u32,
    /// Where Zoom said it can be downloaded, as the latest message line that
    /// references it said, while it is still to be fetched: the next run
    /// tries it from here without reading the archive's older lines again.
    /// Absent in indexes of versions before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download_url: Option<String>,
}

/// What a files run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FilesSummary {
    /// Files the messages reference, once per id.
    pub referenced: u64,
    /// Downloaded by this run.
    pub downloaded: u64,
    /// Bytes downloaded by this run.
    pub bytes: u64,
    /// Settled by an earlier run (downloaded, or failed [`MAX_FILE_ATTEMPTS`] times): not fetched again.
    pub skipped: u64,
    /// Failed in this run, and tried again by the next (see [`FileStatus::Failed`]).
    pub failed: u64,
    /// Every file in the index by status, after this run.
    pub by_status: BTreeMap<FileStatus, u64>,
    /// Files the index recorded as downloaded that this run found gone, or
    /// of another size, and downloaded again: their paths in the files
    /// directory, with what was found. Its journal entry records how many.
    pub found_changed: Vec<ChangedFile>,
}

/// A file recorded as downloaded that a run found gone or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChangedFile {
    /// Its path in the files directory.
    pub path: String,
    /// Gone, rather than of another size.
    pub gone: bool,
}
