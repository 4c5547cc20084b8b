//! The files people sent (`--files DIR`): every file an exported message
//! references, downloaded once per `file_id` to `DIR/<file_id>/<file name>`,
//! and listed in `DIR/files.jsonl`.
//!
//! A message's `download_url` stops working some time after it is sent, so
//! an archive that keeps only links loses the files. Each file is streamed to
//! a temporary name beside its place (never held in memory), hashed on the
//! way, its size checked against the `file_size` Zoom reported, and only then
//! renamed into place. The index records every file's outcome, so a rerun or
//! a resume fetches only what is not complete yet. A file that is gone (404),
//! is not its declared size or fails in any other way of its own is recorded,
//! and the run goes on; such a file is tried again by later runs, up to
//! [`MAX_FILE_ATTEMPTS`] times. Only what stops every file stops the run: the
//! daily quota, the API's credentials, the network being down, the disk.
//!
//! Names come from the data, so they are made safe before they touch the
//! disk: no separators, no `.` or `..`, no control characters, a bounded
//! length; an id that is not plain letters, digits, `-` and `_` is replaced
//! by a hash of it. Nothing is ever written outside `DIR`.

use std::collections::BTreeMap;
use std::path::Path;

use futures::StreamExt;
use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

use crate::access::Access;
use crate::durable::{json_line, replace_file, sync_directory};
use crate::error::{ExportError, PathProblem, io_error, write_error};
use crate::file_index::{ChangedFile, FileRecord, FileStatus, FilesSummary, MAX_FILE_ATTEMPTS};
use crate::lock::ExportLock;
use crate::paths::{files_index_path, is_download_leftover, lock_path, temporary_download, temporary_index};
use zoom_chat_reports::Error;
use zoom_chat_reports::{Client, DownloadError};

/// The longest file name written, in bytes: well under every common file
/// system's 255, with room for the temporary name's suffix.
const MAX_NAME_BYTES: usize = 160;
/// The longest file id used as a directory name as it is.
const MAX_ID_BYTES: usize = 128;
/// Files in a row that could not be reached at all before the run takes the
/// network, not the files, to be down and stops.
const UNREACHABLE_IN_A_ROW: u32 = 12;

/// A file a message references.
#[derive(Debug, Clone)]
struct FileRef {
    file_id: String,
    session_id: String,
    message_id: String,
    name: String,
    size: Option<u64>,
    download_url: Option<String>,
}

/// `DIR/<safe id>/<safe name>`, relative to `DIR`.
pub(super) fn relative_path(file_id: &str, name: &str) -> String {
    format!("{}/{}", safe_id(file_id), safe_name(name))
}

/// The id as a directory name: itself if plain, else a hash of it.
fn safe_id(file_id: &str) -> String {
    let plain = !file_id.is_empty()
        && file_id.len() <= MAX_ID_BYTES
        && file_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if plain {
        file_id.to_string()
    } else {
        format!("id-{:032x}", xxhash_rust::xxh3::xxh3_128(file_id.as_bytes()))
    }
}

/// A file name that stays one plain entry in its directory: separators and
/// control characters become `_`, leading dots are dropped (no `..`, no
/// hidden files), and it is cut to [`MAX_NAME_BYTES`], keeping a short extension.
pub(super) fn safe_name(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    // Dots and spaces at either end go (`" .."` is `..` to some tools, and
    // Windows drops trailing ones): no `.`, `..` or hidden file remains.
    let trimmed = replaced.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let name = if trimmed.is_empty() { "file" } else { trimmed };
    // Windows gives these names to devices, whatever the extension.
    let stem = name.split('.').next().unwrap_or_default().to_ascii_uppercase();
    let device = ["CON", "PRN", "AUX", "NUL"].contains(&stem.as_str())
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit());
    let name = if device { format!("_{name}") } else { name.to_string() };
    if name.len() <= MAX_NAME_BYTES {
        return name;
    }
    let extension = name
        .rfind('.')
        .map(|dot| &name[dot..])
        .filter(|ext| ext.len() <= 16)
        .unwrap_or("");
    let mut cut = MAX_NAME_BYTES - extension.len();
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{extension}", &name[..cut])
}

/// Refuses a files directory that cannot hold the files: one that exists
/// and is not a directory, or whose index or lock is not a regular file (a
/// link would have them written outside it). Checked before the export
/// starts, and again before the files run.
pub(super) fn check_dir(dir: &Path) -> Result<(), ExportError> {
    let bad = |problem: PathProblem| ExportError::BadFilesDir {
        dir: dir.to_path_buf(),
        problem,
    };
    if std::fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
        return Err(bad(PathProblem::NotADirectory));
    }
    let index = files_index_path(dir);
    for path in [index.clone(), lock_path(&index)] {
        if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
            return Err(bad(PathProblem::CompanionNotAFile { path }));
        }
    }
    Ok(())
}

/// The files bytes `from..length` of `output` reference, once per id, in
/// the order first seen, each with the newest `download_url` seen for it
/// (links expire; a later line may carry a fresh one).
async fn referenced_files(output: &Path, from: u64, length: u64) -> Result<Vec<FileRef>, ExportError> {
    use tokio::io::AsyncSeekExt;
    #[derive(Deserialize)]
    struct Line {
        session_id: Option<String>,
        id: Option<String>,
        files: Option<Vec<serde_json::Value>>,
    }
    let mut file = tokio::fs::File::open(output).await.map_err(io_error(output))?;
    // `from` is where an earlier run's files step stopped: a line's start.
    let from = from.min(length);
    file.seek(std::io::SeekFrom::Start(from))
        .await
        .map_err(io_error(output))?;
    let mut reader = BufReader::with_capacity(256 * 1024, file.take(length - from));
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut files: Vec<FileRef> = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await.map_err(io_error(output))? == 0 {
            break;
        }
        let Ok(parsed) = serde_json::from_slice::<Line>(&line) else {
            continue;
        };
        for file in parsed.files.unwrap_or_default() {
            let text = |key: &str| file.get(key).and_then(|v| v.as_str()).map(str::to_string);
            let Some(file_id) = text("file_id").filter(|id| !id.is_empty()) else {
                continue;
            };
            if let Some(&at) = seen.get(&file_id) {
                if let Some(url) = text("download_url").filter(|u| !u.is_empty()) {
                    files[at].download_url = Some(url);
                }
                continue;
            }
            seen.insert(file_id.clone(), files.len());
            files.push(FileRef {
                file_id,
                session_id: parsed.session_id.clone().unwrap_or_default(),
                message_id: parsed.id.clone().unwrap_or_default(),
                name: text("file_name").unwrap_or_default(),
                size: file.get("file_size").and_then(|v| v.as_u64()),
                download_url: text("download_url").filter(|u| !u.is_empty()),
            });
        }
    }
    Ok(files)
}

/// The files to check: every file of the index (a downloaded one may have
/// been removed or changed since, and one still to come is tried again from
/// the link it recorded), and every file the bytes after `scanned_to`
/// reference, whose newer links win. An index of a version that kept no
/// links, with files still to come, or no `scanned_to`, has every byte read.
async fn files_to_check(
    output: &Path,
    scanned_to: Option<u64>,
    length: u64,
    index: &BTreeMap<String, FileRecord>,
) -> Result<Vec<FileRef>, ExportError> {
    // A record that keeps no link was written by an earlier version: its
    // link is only in the archive, read whole once to fill them all in. A
    // file Zoom gave no link (`NoUrl`) has none in the older bytes either.
    let linkless = index
        .values()
        .any(|r| r.status != FileStatus::NoUrl && r.download_url.is_none());
    // An index lost or emptied (a files directory deleted) is rebuilt from
    // every reference, as the first files step built it.
    let from = match scanned_to {
        Some(to) if to <= length && !linkless && !index.is_empty() => to,
        _ => 0,
    };
    let mut files: Vec<FileRef> = index
        .values()
        .map(|record| FileRef {
            file_id: record.file_id.clone(),
            session_id: record.session_id.clone(),
            message_id: record.message_id.clone(),
            name: record.name.clone(),
            size: record.size,
            download_url: record.download_url.clone(),
        })
        .collect();
    let mut at: std::collections::HashMap<String, usize> =
        files.iter().enumerate().map(|(i, f)| (f.file_id.clone(), i)).collect();
    for file in referenced_files(output, from, length).await? {
        match at.get(&file.file_id) {
            // Known: a newer link wins; what the index recorded of it stays.
            Some(&i) => {
                if file.download_url.is_some() {
                    files[i].download_url = file.download_url;
                }
            }
            None => {
                at.insert(file.file_id.clone(), files.len());
                files.push(file);
            }
        }
    }
    Ok(files)
}

/// The index as an earlier run left it: the last record of each file id. A
/// line that does not parse (a torn last line) is skipped; its file is
/// checked again.
pub(super) async fn read_index(path: &Path) -> Result<BTreeMap<String, FileRecord>, ExportError> {
    let text = match tokio::fs::read(path).await {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(io_error(path)(e)),
    };
    let mut records = BTreeMap::new();
    for line in text.split(|&b| b == b'\n') {
        // A record is trusted only for where this version puts its file: a
        // path edited to point elsewhere is not taken for a download.
        if let Ok(record) = serde_json::from_slice::<FileRecord>(line)
            && record.path == relative_path(&record.file_id, &record.name)
        {
            records.insert(record.file_id.clone(), record);
        }
    }
    Ok(records)
}

/// Whether an earlier run settled this file: downloaded and still in place
/// at its size, or failed of its own [`MAX_FILE_ATTEMPTS`] times. A file without a
/// usable URL is looked at again (that costs no request): a newer line may
/// give one.
async fn settled(dir: &Path, record: &FileRecord) -> bool {
    match record.status {
        FileStatus::Downloaded => tokio::fs::symlink_metadata(dir.join(&record.path))
            .await
            .is_ok_and(|m| m.is_file() && m.len() == record.received),
        FileStatus::Missing | FileStatus::SizeMismatch | FileStatus::TooLarge | FileStatus::Failed => {
            record.attempts >= MAX_FILE_ATTEMPTS
        }
        FileStatus::NoUrl | FileStatus::UntrustedUrl => false,
    }
}

/// What of the files an archive's messages reference is not in it, for [`crate::verify`].
#[derive(Debug, Default)]
pub(crate) struct FilesOutstanding {
    /// Referenced, but no run has fetched it yet.
    pub not_fetched: u64,
    /// Failed, and a later run tries it again.
    pub to_retry: u64,
    /// Not downloaded, and no later run fetches it: by status.
    pub given_up: BTreeMap<String, u64>,
}

/// Compares the files `output` references with the index in `dir`, by the
/// rule a run uses to choose what to fetch (see [`settled`]); read only.
pub(crate) async fn files_outstanding(output: &Path, dir: &Path) -> Result<FilesOutstanding, ExportError> {
    let length = tokio::fs::metadata(output).await.map_err(io_error(output))?.len();
    let referenced = referenced_files(output, 0, length).await?;
    let index = read_index(&files_index_path(dir)).await?;
    let mut outstanding = FilesOutstanding::default();
    for file in referenced {
        let Some(record) = index.get(&file.file_id) else {
            outstanding.not_fetched += 1;
            continue;
        };
        match record.status {
            FileStatus::Downloaded => {}
            // Looked at again by every run, but only a new link in a later
            // message could change the outcome: not something to wait for.
            FileStatus::NoUrl | FileStatus::UntrustedUrl => {
                *outstanding
                    .given_up
                    .entry(record.status.as_str().to_string())
                    .or_default() += 1;
            }
            _ if record.attempts >= MAX_FILE_ATTEMPTS => {
                *outstanding
                    .given_up
                    .entry(record.status.as_str().to_string())
                    .or_default() += 1;
            }
            _ => outstanding.to_retry += 1,
        }
    }
    Ok(outstanding)
}

/// How far an earlier files step read the output's references, and how
/// far this one reads.
pub(super) struct ReferencesRead {
    /// Where the last files step that finished stopped, if any did.
    pub scanned_to: Option<u64>,
    /// The output's length: this step reads to here.
    pub length: u64,
}

/// Downloads every file the first `length` bytes of `output` reference into
/// `dir`, `concurrency` at a time, until `stop` is raised, and rewrites
/// `dir/files.jsonl` whole at the end. `scanned_to` is how far an earlier
/// run that finished its files read the references: only the bytes after
/// it are read (see [`files_to_check`]).
pub(super) async fn download_all(
    client: &Client,
    output: &Path,
    ReferencesRead { scanned_to, length }: ReferencesRead,
    dir: &Path,
    concurrency: usize,
    access: Access,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> Result<FilesSummary, ExportError> {
    check_dir(dir)?;
    access.create_dir_all(dir).await.map_err(io_error(dir))?;
    let index_path = files_index_path(dir);
    let _lock = ExportLock::acquire(&index_path, access)?;
    let mut index = read_index(&index_path).await?;
    let referenced = files_to_check(output, scanned_to, length, &index).await?;
    // Every record keeps its file's newest link, settled ones too: a file
    // removed later is fetched again from it, without reading old lines.
    for file in &referenced {
        if let (Some(record), Some(url)) = (index.get_mut(&file.file_id), &file.download_url) {
            record.download_url = Some(url.clone());
        }
    }
    let mut summary = FilesSummary {
        referenced: referenced.len() as u64,
        ..FilesSummary::default()
    };
    let mut to_fetch = Vec::new();
    for file in referenced {
        match index.get(&file.file_id) {
            Some(record) if settled(dir, record).await => summary.skipped += 1,
            earlier => {
                // Recorded as downloaded, yet not in place as it was: fetched
                // again, and said, so that the change is not lost with it.
                if let Some(record) = earlier.filter(|r| r.status == FileStatus::Downloaded) {
                    summary.found_changed.push(ChangedFile {
                        path: record.path.clone(),
                        gone: tokio::fs::symlink_metadata(dir.join(&record.path)).await.is_err(),
                    });
                }
                let attempts = earlier.map_or(0, |r| r.attempts);
                to_fetch.push((file, attempts));
            }
        }
    }
    // Each outcome is appended as it comes, so that a run stopped part way
    // keeps what it fetched; the index is rewritten whole at the end.
    let mut journal = access
        .open_options()
        .create(true)
        .append(true)
        .open(&index_path)
        .await
        .map_err(io_error(&index_path))?;
    let mut fetches = futures::stream::iter(to_fetch)
        .map(|(file, attempts)| fetch_one(client, dir, file, attempts, access))
        .buffer_unordered(concurrency.max(1));
    let mut first_error = None;
    let mut unreachable_in_a_row = 0;
    let stopped = async move {
        // The sender lives as long as the export; were it gone, nobody could stop it.
        if stop.wait_for(|&stopped| stopped).await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    tokio::pin!(stopped);
    let mut interrupted = false;
    loop {
        let result = tokio::select! {
            biased;
            // Downloads under way are dropped: their temporary files are
            // removed by the next run, and they are fetched again.
            () = &mut stopped => {
                interrupted = true;
                break;
            }
            next = fetches.next() => match next {
                Some(result) => result,
                None => break,
            },
        };
        let (record, unreachable) = match result {
            Ok(outcome) => outcome,
            Err(error) => {
                first_error = Some(error);
                break;
            }
        };
        match record.status {
            FileStatus::Downloaded => {
                summary.downloaded += 1;
                summary.bytes += record.received;
            }
            FileStatus::Failed => summary.failed += 1,
            _ => {}
        }
        let mut line = serde_json::to_vec(&record).map_err(|e| write_error(&index_path)(e.into()))?;
        line.push(b'\n');
        journal.write_all(&line).await.map_err(write_error(&index_path))?;
        index.insert(record.file_id.clone(), record);
        match unreachable {
            Some(error) => {
                unreachable_in_a_row += 1;
                if unreachable_in_a_row >= UNREACHABLE_IN_A_ROW {
                    // Not one file could be reached: the network, not the files.
                    first_error = Some(ExportError::Zoom(error));
                    break;
                }
            }
            None => unreachable_in_a_row = 0,
        }
    }
    drop(fetches);
    journal.flush().await.map_err(write_error(&index_path))?;
    drop(journal);
    write_index(&index_path, &index, access).await?;
    for record in index.values() {
        *summary.by_status.entry(record.status).or_default() += 1;
    }
    match first_error {
        Some(error) => Err(error),
        None if interrupted => Err(ExportError::Interrupted),
        None => Ok(summary),
    }
}

/// Rewrites the index whole, one line per file id in id order, by rename.
async fn write_index(path: &Path, index: &BTreeMap<String, FileRecord>, access: Access) -> Result<(), ExportError> {
    let temporary = temporary_index(path);
    replace_file(path, &temporary, index.values().map(json_line), access).await
}

static TEMPORARY_FILES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Fetches one file to a temporary name in `dir/<id>/`, then renames it into
/// place if its size is right. `attempts`: runs that tried it before. Returns
/// the record, and the error when the file could not be reached at all; an
/// error only for what stops every file (the daily quota, the API's
/// credentials, the disk).
async fn fetch_one(
    client: &Client,
    dir: &Path,
    file: FileRef,
    attempts: u32,
    access: Access,
) -> Result<(FileRecord, Option<Error>), ExportError> {
    let path = relative_path(&file.file_id, &file.name);
    let mut record = FileRecord {
        file_id: file.file_id.clone(),
        session_id: file.session_id,
        message_id: file.message_id,
        name: file.name,
        path: path.clone(),
        size: file.size,
        received: 0,
        sha256: None,
        status: FileStatus::NoUrl,
        error: None,
        attempts,
        download_url: file.download_url.clone(),
    };
    let Some(url) = file.download_url.map(|url| on_this_fake(client, url)) else {
        return Ok((record, None));
    };
    if !client.may_send_token_to(&url) {
        record.status = FileStatus::UntrustedUrl;
        return Ok((record, None));
    }
    let target = dir.join(&path);
    let folder = target.parent().unwrap_or(dir).to_path_buf();
    // The folder must be a real directory in `dir`: a symlink put there
    // would lead the file outside.
    match tokio::fs::symlink_metadata(&folder).await {
        Ok(metadata) if metadata.is_dir() => {}
        Ok(_) => {
            record.status = FileStatus::Failed;
            record.error = Some(format!("{} exists and is not a directory", folder.display()));
            return Ok((record, None));
        }
        Err(_) => access.create_dir(&folder).await.map_err(io_error(&folder))?,
    }
    remove_leftovers(&folder).await;
    let number = TEMPORARY_FILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temporary = temporary_download(&folder, number);
    // Created here with the archive's access; the download truncates and
    // fills it, which keeps its mode, and the rename keeps it too.
    if let Err(source) = access
        .open_options()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .await
    {
        return Err(ExportError::Write {
            path: temporary,
            source,
        });
    }
    let mut download = client.download(url.as_str());
    if let Some(size) = file.size {
        download = download.expected_size(size);
    }
    // Hashed as it is written: the file is never read back.
    let downloaded = download
        .write_to(|| async { Ok(Hashing::new(tokio::fs::File::create(&temporary).await?)) })
        .await;
    let downloaded = match downloaded {
        Ok(downloaded) => downloaded,
        Err(DownloadError::Write(source)) => {
            let _ = tokio::fs::remove_file(&temporary).await;
            return Err(ExportError::Write { path: target, source });
        }
        Err(DownloadError::Zoom(error)) => {
            let _ = tokio::fs::remove_file(&temporary).await;
            return failed(record, error);
        }
        Err(other) => {
            // Checked above; a refusal the SDK adds later is the file's own failure.
            let _ = tokio::fs::remove_file(&temporary).await;
            record.status = FileStatus::Failed;
            record.error = Some(other.to_string());
            return Ok((record, None));
        }
    };
    let (file_written, sha256) = downloaded.writer.finish();
    if let Err(source) = file_written.sync_data().await {
        let _ = tokio::fs::remove_file(&temporary).await;
        return Err(ExportError::Write { path: target, source });
    }
    let received = downloaded.size;
    record.attempts += 1;
    record.received = received;
    record.sha256 = Some(sha256);
    if let Some(size) = file.size.filter(|&size| size != received) {
        let _ = tokio::fs::remove_file(&temporary).await;
        record.status = FileStatus::SizeMismatch;
        // Reading stops one byte past the size: a longer file is "more than".
        record.error = Some(if received > size {
            format!("received more than the {size} bytes Zoom reported")
        } else {
            format!("received {} bytes, where Zoom reported {size}", received)
        });
        return Ok((record, None));
    }
    tokio::fs::rename(&temporary, &target)
        .await
        .map_err(write_error(&target))?;
    sync_directory(&folder)?;
    record.status = FileStatus::Downloaded;
    Ok((record, None))
}

/// Sorts a failed download: what stops every file is the run's error; a
/// file that could not be reached is recorded without counting an attempt;
/// anything else is the file's own failure.
fn failed(mut record: FileRecord, error: Error) -> Result<(FileRecord, Option<Error>), ExportError> {
    if error.is_daily_limit() || error.is_auth() {
        return Err(ExportError::Zoom(error));
    }
    match error.root() {
        Error::InvalidConfig { .. } => return Err(ExportError::Zoom(error)),
        Error::Dispatch { .. } => {
            record.status = FileStatus::Failed;
            record.error = Some(error.to_string());
            return Ok((record, Some(error)));
        }
        Error::ResponseTooLarge { .. } => record.status = FileStatus::TooLarge,
        _ if matches!(error.status().map(|s| s.as_u16()), Some(404 | 410)) => record.status = FileStatus::Missing,
        _ => record.status = FileStatus::Failed,
    }
    record.attempts += 1;
    record.error = Some(error.to_string());
    Ok((record, None))
}

/// The built-in fake Zoom listens on a new port each run, so the download
/// URLs an earlier run archived name a port no longer served: they are sent
/// to this run's fake instead. Only for the fake's own source, and only for
/// loopback URLs; a real URL is never rewritten.
fn on_this_fake(client: &Client, url: String) -> String {
    if client.source().api != zoom_chat_reports::Source::FAKE_API {
        return url;
    }
    let (Ok(mut archived), Ok(current)) = (reqwest::Url::parse(&url), reqwest::Url::parse(client.api_base_url()))
    else {
        return url;
    };
    if archived.host_str() != Some("127.0.0.1") || current.host_str() != Some("127.0.0.1") {
        return url;
    }
    if archived.set_port(current.port()).is_err() {
        return url;
    }
    archived.to_string()
}

/// A file being written, hashed on the way: SHA-256 of exactly the bytes
/// the file accepted.
struct Hashing {
    file: tokio::io::BufWriter<tokio::fs::File>,
    hash: ring::digest::Context,
}

impl Hashing {
    fn new(file: tokio::fs::File) -> Self {
        Self {
            file: tokio::io::BufWriter::new(file),
            hash: ring::digest::Context::new(&ring::digest::SHA256),
        }
    }

    /// The file (flushed by the download) and the lowercase hex SHA-256 of what was written.
    fn finish(self) -> (tokio::fs::File, String) {
        let sha256 = self.hash.finish().as_ref().iter().map(|b| format!("{b:02x}")).collect();
        (self.file.into_inner(), sha256)
    }
}

impl tokio::io::AsyncWrite for Hashing {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let this = &mut *self;
        let written = std::task::ready!(std::pin::Pin::new(&mut this.file).poll_write(cx, buf))?;
        this.hash.update(&buf[..written]);
        std::task::Poll::Ready(Ok(written))
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.file).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.file).poll_shutdown(cx)
    }
}

/// Removes temporary files a run killed part way left in a file's folder.
async fn remove_leftovers(folder: &Path) {
    let Ok(mut entries) = tokio::fs::read_dir(folder).await else {
        return;
    };
    while let Ok(Some(entry)) = entries.next_entry().await {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // Only this run writes here (the files lock): any such file is a leftover.
        if is_download_leftover(&name) {
            let _ = tokio::fs::remove_file(entry.path()).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_stay_one_plain_entry() {
        for name in [
            "../../etc/passwd",
            "..",
            ".",
            "",
            "a/b\\c.pdf",
            "bell\u{7}\u{0}new\nline.txt",
            "/absolute",
            "C:\\Windows\\system32",
            " ..",
            ". .",
            " .",
            ".. ",
            " .bashrc",
            "name. ",
        ] {
            let safe = safe_name(name);
            assert!(!safe.is_empty() && safe != "." && safe != "..", "{name:?} -> {safe:?}");
            assert!(!safe.contains('/') && !safe.contains('\\'), "{name:?} -> {safe:?}");
            assert!(!safe.chars().any(char::is_control), "{name:?} -> {safe:?}");
            assert!(!safe.starts_with('.') && !safe.ends_with('.'), "{name:?} -> {safe:?}");
            let components: Vec<_> = Path::new(&safe).components().collect();
            assert!(
                matches!(components[..], [std::path::Component::Normal(_)]),
                "{name:?} -> {safe:?}"
            );
        }
        assert_eq!(safe_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_name("report.pdf"), "report.pdf");
        assert_eq!(safe_name("con.pdf"), "_con.pdf");
        assert_eq!(safe_name("LPT1"), "_LPT1");
        assert_eq!(safe_name("console.pdf"), "console.pdf");
        let long = safe_name(&format!("{}.pdf", "é".repeat(3000)));
        assert!(long.len() <= MAX_NAME_BYTES && long.ends_with(".pdf"), "{}", long.len());
    }

    #[test]
    fn odd_ids_become_hashes() {
        assert_eq!(safe_id("abc_DEF-123"), "abc_DEF-123");
        for id in ["..", "a/b", "x".repeat(200).as_str(), "", "a b"] {
            let safe = safe_id(id);
            assert!(safe.starts_with("id-") && safe.len() == 35, "{id:?} -> {safe}");
        }
        assert_ne!(safe_id(".."), safe_id("a/b"));
    }
}
