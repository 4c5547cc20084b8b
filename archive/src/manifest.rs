//! The manifest beside the output (`chat.manifest.json` for `chat.jsonl`):
//! what the archive holds, in numbers a reviewer can check.
//!
//! Written at the end of every run, by rename, from the files themselves (not
//! from what the run believes it wrote): the source, the days complete and
//! lost, the messages by kind, the sessions, the files by status, and the
//! size and SHA-256 of the messages, the sessions sidecar and the files index.
//! [`verify`] computes all of it again, and also checks every downloaded
//! file against its SHA-256 in the index.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::access::Access;
use crate::durable::replace_file;
use crate::error::{ExportError, io_error};
use crate::file_index::{FileRecord, FileStatus};
use crate::files::{files_outstanding, relative_path};
use crate::journal;
use crate::lock::ReadLock;
use crate::paths::{
    directory_of, files_index_path, journal_path, manifest_path, resolved, sessions_path, temporary_manifest,
};
use crate::sha256::{Midstate, Sha256, hex};
use zoom_chat_reports::Source;

const FORMAT: &str = "zoom-chat-reports manifest";
const VERSION: u32 = 1;

/// Days, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DayRange {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
}

/// Words, not Rust's range syntax: "2026-11-01 to 2026-11-30", or the one day.
impl std::fmt::Display for DayRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{} to {}", self.from, self.to)
        }
    }
}

/// One file's size and SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FileDigest {
    /// Relative to the output's directory when it is inside it.
    pub path: String,
    /// Bytes.
    pub size: u64,
    /// Lowercase hex.
    pub sha256: String,
    /// For the archive's messages: where the next run takes the hash up
    /// again, so that it hashes only what it appended. Not a secret, and
    /// no shortcut for `verify`, which hashes every byte.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub midstate: Option<Midstate>,
}

/// One session's messages of some days that the archive lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MissingSession {
    /// The session's id.
    pub session_id: String,
    /// The first day of the month window it was to be fetched in.
    pub from: NaiveDate,
    /// The last day of that window.
    pub to: NaiveDate,
    /// Runs that tried it and failed.
    pub attempts: u32,
    /// Why it is missing, as a sentence.
    pub reason: String,
}

/// What the archive holds: written beside the output (see [`manifest_path`])
/// at the end of every run, from the files themselves, and checked by [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Manifest {
    /// `zoom-chat-reports manifest`.
    pub format: String,
    /// The manifest layout.
    pub version: u32,
    /// The crate version that wrote it.
    pub crate_version: String,
    /// The API and account (never a secret).
    pub source: Source,
    /// The days complete, merged into ranges.
    pub complete: Vec<DayRange>,
    /// Days Zoom no longer reported when they were due: not in the archive.
    pub lost: Vec<DayRange>,
    /// Sessions Zoom could not serve for some days: their days are not
    /// complete, and the next run tries them again.
    #[serde(default)]
    pub failed_sessions: Vec<MissingSession>,
    /// Sessions given up for some days (failed as many runs as allowed, no
    /// longer existing, or out of Zoom's six months before they could be
    /// fetched): not in the archive, and their days are never complete.
    #[serde(default)]
    pub lost_sessions: Vec<MissingSession>,
    /// Message lines by kind (`sent`, `edited`, `deleted`).
    pub messages: BTreeMap<String, u64>,
    /// Sessions in the sessions sidecar.
    pub sessions: u64,
    /// Files in the files index, by status; empty without `--files`.
    pub files: BTreeMap<String, u64>,
    /// The files directory, relative to the output's directory when inside it.
    pub files_dir: Option<String>,
    /// `messages`, `sessions`, `journal` and (with files) `files_index`.
    pub digests: BTreeMap<String, FileDigest>,
}

/// What [`verify`] found: whether the files match the manifest, and
/// whether the archive is complete. The two are separate questions: an
/// archive whose last run was stopped matches its manifest, yet lacks days.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct VerifyReport {
    /// Every difference between the manifest and the files, as a sentence.
    /// Empty when everything matches. With a public key, every way the
    /// chain of runs fails is one too.
    pub differences: Vec<String>,
    /// The chain of runs, when checked against a public key ([`crate::verify_signed`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain: Option<crate::ChainCheck>,
    /// Message lines read.
    pub messages: u64,
    /// Downloaded files whose bytes were hashed again.
    pub files_checked: u64,
    /// The days complete, merged into ranges.
    pub complete_days: Vec<DayRange>,
    /// Days the export or a sync set out to archive that are neither complete
    /// nor lost: a run stopped before them, a session of them failed, or they
    /// include the day of the run. The next run fetches them.
    pub unfinished_days: Vec<DayRange>,
    /// Days Zoom no longer reported when they were due: never in the archive.
    pub lost_days: Vec<DayRange>,
    /// Sessions the archive lacks for some days that the next run tries again.
    pub failed_sessions: Vec<MissingSession>,
    /// Sessions the archive lacks for some days for good.
    pub lost_sessions: Vec<MissingSession>,
    /// The last run began writing and never recorded its end (it was killed,
    /// or the machine stopped); the next run repairs what it left.
    pub last_run_cut_off: bool,
    /// Files the messages reference that no run has fetched yet (with
    /// `--files` only).
    pub files_not_fetched: u64,
    /// Files that failed and that the next run tries again.
    pub files_to_retry: u64,
    /// Files that will not be archived, by status (`missing` at Zoom,
    /// `too_large`, `no_url`, ...): given up after as many runs as allowed,
    /// or never fetchable.
    pub files_given_up: BTreeMap<String, u64>,
    /// When runs started that found the manifest deleted and wrote it again
    /// from the files: what it said before is not known. For the record; it
    /// is neither a difference nor incompleteness.
    pub manifest_found_missing: Vec<chrono::DateTime<chrono::Utc>>,
    /// Runs that found files recorded as downloaded gone or changed, and
    /// downloaded them again: when each started, and how many files.
    pub files_found_changed: Vec<(chrono::DateTime<chrono::Utc>, u64)>,
}

/// [`verify`]'s verdict, from the worst finding down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum VerifyOutcome {
    /// The files differ from the manifest: changed or damaged since the
    /// last run wrote it.
    Differs,
    /// The files match, but the archive lacks what a later run will add:
    /// unfinished days, failed sessions, files not fetched or to be retried.
    Incomplete,
    /// The files match, and nothing is left for a later run. What Zoom no
    /// longer reported ([`VerifyReport::lost_days`], `lost_sessions`,
    /// `files_given_up`) may still be missing, for good.
    Complete,
}

impl VerifyReport {
    /// Whether nothing is left for a later run to add.
    pub fn is_complete(&self) -> bool {
        self.unfinished_days.is_empty()
            && self.failed_sessions.is_empty()
            && !self.last_run_cut_off
            && self.files_not_fetched == 0
            && self.files_to_retry == 0
    }

    /// The verdict: a difference first, then incompleteness. After a run
    /// that was cut off the files are ahead of the manifest, which its next
    /// run repairs and rewrites: its differences are expected, and the
    /// archive counts as incomplete, not changed.
    pub fn outcome(&self) -> VerifyOutcome {
        if self.last_run_cut_off {
            VerifyOutcome::Incomplete
        } else if !self.differences.is_empty() {
            VerifyOutcome::Differs
        } else if !self.is_complete() {
            VerifyOutcome::Incomplete
        } else {
            VerifyOutcome::Complete
        }
    }
}

/// The path as the manifest records it: relative to `base` when inside it,
/// else absolute, so that it means the same whatever directory a later run
/// or `verify` starts in.
fn recorded_path(path: &Path, base: &Path) -> String {
    let (path, base) = (resolved(path), resolved(base));
    let shown = path.strip_prefix(&base).map(Path::to_path_buf).unwrap_or(path);
    shown.to_string_lossy().replace('\\', "/")
}

/// A files directory as the manifest and the journal record it: relative to
/// the archive's directory when inside it.
pub(crate) fn recorded_files_dir_name(output: &Path, dir: &Path) -> String {
    recorded_path(dir, directory_of(output))
}

/// Where the archive keeps its files, as an absolute path: as its journal
/// or manifest records it; `None` for an archive without files.
pub(crate) async fn archive_files_dir(output: &Path) -> Result<Option<PathBuf>, ExportError> {
    let days = read_archive_days(output).await?;
    let manifest = read_manifest(output).await?;
    Ok(recorded_files_dir(output, days.files_dir.as_deref(), manifest.as_ref()))
}

/// The journal of `output`, read for what it says the archive holds.
pub(crate) async fn read_archive_days(output: &Path) -> Result<journal::ArchiveDays, ExportError> {
    let journal = journal_path(output);
    journal::archive_days(&journal)
        .await
        .map_err(|problem| ExportError::Io {
            path: journal,
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, problem),
        })
}

/// The journal's day ranges as the manifest keeps them.
pub(crate) fn day_ranges(windows: &[journal::Window]) -> Vec<DayRange> {
    windows.iter().map(|w| DayRange { from: w.from, to: w.to }).collect()
}

/// The journal's troubled units as the manifest names them.
pub(crate) fn missing_sessions(units: &[journal::TroubledUnit]) -> Vec<MissingSession> {
    units
        .iter()
        .map(|unit| MissingSession {
            session_id: unit.session.clone(),
            from: unit.window.from,
            to: unit.window.to,
            attempts: unit.attempts,
            reason: unit.reason.clone(),
        })
        .collect()
}

/// Reads a file line by line, hashing every byte; `None` if it does not exist.
async fn digest(path: &Path, base: &Path, mut on_line: impl FnMut(&[u8])) -> Result<Option<FileDigest>, ExportError> {
    refuse_special_file(path).await?;
    let file = match tokio::fs::File::open(path).await {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(path)(e)),
    };
    let mut reader = BufReader::with_capacity(256 * 1024, file);
    let mut hash = ring::digest::Context::new(&ring::digest::SHA256);
    let mut size = 0u64;
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line).await.map_err(io_error(path))?;
        if read == 0 {
            break;
        }
        hash.update(&line);
        size += read as u64;
        on_line(&line);
    }
    Ok(Some(FileDigest {
        path: recorded_path(path, base),
        size,
        sha256: hex(hash.finish().as_ref()),
        midstate: None,
    }))
}

impl FileDigest {
    /// The digest of an empty or missing archive.
    pub(crate) fn empty(output: &Path) -> Self {
        Self {
            path: recorded_path(output, directory_of(output)),
            size: 0,
            sha256: Sha256::new().finish(),
            midstate: Some(Sha256::new().midstate()),
        }
    }
}

/// Message lines by kind, as the manifest counts them.
fn count_kind(line: &[u8], messages: &mut BTreeMap<String, u64>) {
    #[derive(Deserialize)]
    struct Kind {
        kind: Option<String>,
    }
    let kind = serde_json::from_slice::<Kind>(line)
        .ok()
        .and_then(|k| k.kind)
        .unwrap_or_else(|| "unreadable".into());
    *messages.entry(kind).or_default() += 1;
}

/// The archive's digest and its lines by kind. With the manifest of the
/// run before (`previous`), only what was appended since is read: the hash
/// is taken up from its midstate, and its counts are added to. Without one,
/// or when the archive is no longer as long as it said (replaced, or cut
/// back by a resume), every byte is read. Returns the bytes read too.
/// What the run before knew of the archive: its digest (with the midstate)
/// and its lines by kind, from the chain's head or else the manifest.
pub(crate) struct ArchiveSoFar {
    pub digest: FileDigest,
    pub messages: BTreeMap<String, u64>,
}

impl ArchiveSoFar {
    /// From the chain's trusted entry when there is one (`from_chain`): a
    /// manifest rewritten or deleted by hand then cannot make the next run
    /// cover a change up. Else from the manifest.
    fn of(from_chain: Option<ArchiveSoFar>, manifest: Option<&Manifest>) -> Option<Self> {
        if from_chain.is_some() {
            return from_chain;
        }
        let manifest = manifest?;
        Some(Self {
            digest: manifest.digests.get("messages")?.clone(),
            messages: manifest.messages.clone(),
        })
    }
}

async fn digest_messages(
    output: &Path,
    base: &Path,
    previous: Option<&ArchiveSoFar>,
) -> Result<(FileDigest, BTreeMap<String, u64>, u64), ExportError> {
    use tokio::io::{AsyncReadExt, AsyncSeekExt};
    refuse_special_file(output).await?;
    let mut file = match tokio::fs::File::open(output).await {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let empty = FileDigest {
                path: recorded_path(output, base),
                size: 0,
                sha256: Sha256::new().finish(),
                midstate: Some(Sha256::new().midstate()),
            };
            return Ok((empty, BTreeMap::new(), 0));
        }
        Err(e) => return Err(io_error(output)(e)),
    };
    let length = file.metadata().await.map_err(io_error(output))?.len();
    let resumable = previous.and_then(|so_far| {
        let digest = &so_far.digest;
        let midstate = digest.midstate.as_ref()?;
        let hash = Sha256::resume(midstate)?;
        (midstate.offset + hash.pending().len() as u64 <= digest.size && digest.size <= length)
            .then(|| (hash, midstate.offset, digest.size, so_far.messages.clone()))
    });
    let (mut hash, hashed, counted, mut messages) = resumable.unwrap_or((Sha256::new(), 0, 0, BTreeMap::new()));
    // The bytes between the midstate and the end of the last run are in the
    // midstate itself (a run before they were kept read them again).
    let hashed = hashed + hash.pending().len() as u64;
    file.seek(std::io::SeekFrom::Start(hashed))
        .await
        .map_err(io_error(output))?;
    // The bytes between the midstate and the end of the last run: hashed
    // again, not counted again.
    let mut head = vec![0; (counted - hashed) as usize];
    file.read_exact(&mut head).await.map_err(io_error(output))?;
    hash.update(&head);
    let mut reader = BufReader::with_capacity(256 * 1024, file);
    let mut line = Vec::new();
    let mut size = counted;
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line).await.map_err(io_error(output))?;
        if read == 0 {
            break;
        }
        hash.update(&line);
        size += read as u64;
        count_kind(&line, &mut messages);
    }
    let digest = FileDigest {
        path: recorded_path(output, base),
        size,
        midstate: Some(hash.midstate()),
        sha256: hash.finish(),
    };
    Ok((digest, messages, size - hashed))
}

/// Size and SHA-256 of any file, read in fixed chunks (a file need not have lines).
async fn digest_bytes(path: &Path) -> Result<Option<(u64, String)>, ExportError> {
    use tokio::io::AsyncReadExt;
    refuse_special_file(path).await?;
    let mut file = match tokio::fs::File::open(path).await {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(path)(e)),
    };
    let mut hash = ring::digest::Context::new(&ring::digest::SHA256);
    let mut chunk = vec![0; 256 * 1024];
    let mut size = 0u64;
    loop {
        let read = file.read(&mut chunk).await.map_err(io_error(path))?;
        if read == 0 {
            break;
        }
        hash.update(&chunk[..read]);
        size += read as u64;
    }
    Ok(Some((size, hex(hash.finish().as_ref()))))
}

/// The SHA-256 of a file, lowercase hex; `None` if it does not exist.
pub(crate) async fn sha256_of_file(path: &Path) -> Result<Option<String>, ExportError> {
    Ok(digest_bytes(path).await?.map(|(_, sha256)| sha256))
}

/// Opening a FIFO would block for ever, a device read for ever: only
/// regular files (or links to them) are read.
async fn refuse_special_file(path: &Path) -> Result<(), ExportError> {
    match tokio::fs::metadata(path).await {
        Ok(metadata) if !metadata.is_file() => Err(ExportError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "is not a regular file (a directory, FIFO or device), which no export writes",
            ),
        }),
        _ => Ok(()),
    }
}

/// The manifest as the files are now, and what the journal says is still to come.
struct Computed {
    manifest: Manifest,
    unfinished: Vec<DayRange>,
    last_run_cut_off: bool,
    runs: Vec<journal::RunRecord>,
    /// The files directory as the journal records it.
    journal_files_dir: Option<String>,
}

/// Computes the manifest of `output` from the files as they are now and
/// from `days`, its journal as read. `files_dir` is where files were
/// downloaded, if anywhere.
async fn compute(
    output: &Path,
    days: journal::ArchiveDays,
    files_dir: Option<&Path>,
    crate_version: &str,
    previous: Option<&ArchiveSoFar>,
) -> Result<Computed, ExportError> {
    let base = directory_of(output).to_path_buf();
    let journal = journal_path(output);
    let journal::ArchiveDays {
        header,
        complete,
        lost,
        failed_units,
        lost_units,
        unfinished,
        last_run_cut_off,
        runs,
        files_dir: journal_files_dir,
        ..
    } = days;
    let mut digests = BTreeMap::new();
    let (messages_digest, messages, _) = digest_messages(output, &base, previous).await?;
    digests.insert("messages".to_string(), messages_digest);
    let mut sessions = 0u64;
    if let Some(d) = digest(&sessions_path(output), &base, |_| sessions += 1).await? {
        digests.insert("sessions".to_string(), d);
    }
    // The journal too: a resume or sync holds the data to its checksums, so
    // a changed journal line would stop the archive from growing.
    if let Some(d) = digest(&journal, &base, |_| {}).await? {
        digests.insert("journal".to_string(), d);
    }
    let mut files = BTreeMap::new();
    if let Some(dir) = files_dir {
        let mut by_status: BTreeMap<String, u64> = BTreeMap::new();
        let index = files_index_path(dir);
        if let Some(d) = digest(&index, &base, |line| {
            if let Ok(record) = serde_json::from_slice::<FileRecord>(line) {
                *by_status.entry(record.status.as_str().to_string()).or_default() += 1;
            }
        })
        .await?
        {
            digests.insert("files_index".to_string(), d);
        }
        files = by_status;
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        crate_version: crate_version.into(),
        source: header.source,
        complete: day_ranges(&complete),
        lost: day_ranges(&lost),
        failed_sessions: missing_sessions(&failed_units),
        lost_sessions: missing_sessions(&lost_units),
        messages,
        sessions,
        files,
        files_dir: files_dir.map(|d| recorded_files_dir_name(output, d)),
        digests,
    };
    Ok(Computed {
        manifest,
        unfinished: day_ranges(&unfinished),
        last_run_cut_off,
        runs,
        journal_files_dir,
    })
}

/// Reads the manifest of `output`, if there is one.
pub async fn read_manifest(output: &Path) -> Result<Option<Manifest>, ExportError> {
    let path = manifest_path(output);
    match tokio::fs::read(&path).await {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| ExportError::Io {
            path,
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error(&path)(e)),
    }
}

/// Where the manifest says files were downloaded: relative to the output's directory.
pub(crate) fn files_dir_of(output: &Path, manifest: &Manifest) -> Option<PathBuf> {
    manifest.files_dir.as_deref().map(|dir| directory_of(output).join(dir))
}

/// Where the archive in `output` keeps its files: as its journal records it
/// (`journal_dir`: the first run's header, then each run with files), or
/// else as its manifest does (archives of versions that recorded it only there).
pub(crate) fn recorded_files_dir(
    output: &Path,
    journal_dir: Option<&str>,
    manifest: Option<&Manifest>,
) -> Option<PathBuf> {
    match journal_dir {
        Some(dir) => Some(directory_of(output).join(dir)),
        None => manifest.and_then(|m| files_dir_of(output, m)),
    }
}

/// Writes the manifest of `output`, by rename. `files_dir` is this run's
/// `--files`, or else the one the journal (or an earlier manifest) records.
pub(super) async fn write(
    output: &Path,
    files_dir: Option<&Path>,
    access: Access,
    (kept_before, from_chain): (u64, Option<ArchiveSoFar>),
) -> Result<Manifest, ExportError> {
    let days = read_archive_days(output).await?;
    // The manifest of the run before: where its hash of the archive stopped.
    let earlier = read_manifest(output).await.ok().flatten();
    let recorded = match files_dir {
        Some(_) => None,
        None => recorded_files_dir(output, days.files_dir.as_deref(), earlier.as_ref()),
    };
    let files_dir = files_dir.map(Path::to_path_buf).or(recorded);
    let manifest = compute(
        output,
        days,
        files_dir.as_deref(),
        env!("CARGO_PKG_VERSION"),
        ArchiveSoFar::of(from_chain, earlier.as_ref())
            .filter(|so_far| so_far.digest.size <= kept_before)
            .as_ref(),
    )
    .await?
    .manifest;
    let path = manifest_path(output);
    let temporary = temporary_manifest(output);
    let text = serde_json::to_vec_pretty(&manifest).map(|mut text| {
        text.push(b'\n');
        text
    });
    replace_file(&path, &temporary, [text.map_err(std::io::Error::from)], access).await?;
    Ok(manifest)
}

/// Checks the archive in `output` against its manifest: computes it again
/// from the files, and hashes every downloaded file again. Holds the export's
/// lock while it reads, so a running export is not read half written.
pub async fn verify(output: &Path) -> Result<VerifyReport, ExportError> {
    let not_an_archive = |path: PathBuf, problem: &str| ExportError::Io {
        path,
        source: std::io::Error::new(std::io::ErrorKind::NotFound, problem.to_string()),
    };
    // Checked first: the lock would create an empty output.
    if !tokio::fs::try_exists(output).await.map_err(io_error(output))? {
        return Err(not_an_archive(
            output.to_path_buf(),
            "there is no archive here: no such file",
        ));
    }
    // Nothing verify reads may be a FIFO or device: opening one would block.
    for path in [output.to_path_buf(), manifest_path(output), journal_path(output)] {
        refuse_special_file(&path).await?;
    }
    // Before reading the manifest: a run ending meanwhile rewrites it.
    let _lock = ReadLock::acquire(output)?;
    let Some(recorded) = read_manifest(output).await? else {
        return Err(not_an_archive(
            manifest_path(output),
            "no manifest: it is written at the end of every export run",
        ));
    };
    if recorded.format != FORMAT || recorded.version > VERSION {
        return Err(not_an_archive(
            manifest_path(output),
            &format!(
                "not a manifest this version reads (format {:?}, version {}): a newer version of the archive wrote it",
                recorded.format, recorded.version
            ),
        ));
    }
    let files_dir = files_dir_of(output, &recorded);
    let Computed {
        manifest: actual,
        unfinished,
        last_run_cut_off,
        runs,
        journal_files_dir,
    } = compute(
        output,
        read_archive_days(output).await?,
        files_dir.as_deref(),
        &recorded.crate_version,
        // Every byte, hashed again: verify takes nothing on trust.
        None,
    )
    .await?;
    let mut report = VerifyReport {
        messages: actual.messages.values().sum(),
        complete_days: actual.complete.clone(),
        unfinished_days: unfinished,
        lost_days: actual.lost.clone(),
        last_run_cut_off,
        manifest_found_missing: runs.iter().filter(|r| r.manifest_missing).map(|r| r.started).collect(),
        files_found_changed: runs
            .iter()
            .filter(|r| r.files_found_changed > 0)
            .map(|r| (r.started, r.files_found_changed))
            .collect(),
        ..VerifyReport::default()
    };
    let differences = &mut report.differences;
    if recorded.source != actual.source {
        differences.push(format!(
            "the source differs: the manifest says {}, the journal {}",
            recorded.source, actual.source
        ));
    }
    if recorded.complete != actual.complete || recorded.lost != actual.lost {
        differences.push(format!(
            "the days differ: the manifest says complete {} and lost {}, the journal complete {} and lost {}",
            ranges(&recorded.complete),
            ranges(&recorded.lost),
            ranges(&actual.complete),
            ranges(&actual.lost)
        ));
    }
    if recorded.failed_sessions != actual.failed_sessions || recorded.lost_sessions != actual.lost_sessions {
        differences.push(format!(
            "the sessions missing differ: the manifest says {} failed and {} lost, the journal {} failed and {} lost",
            recorded.failed_sessions.len(),
            recorded.lost_sessions.len(),
            actual.failed_sessions.len(),
            actual.lost_sessions.len()
        ));
    }
    // Compared as places, not as spellings: the journal may have recorded
    // the directory before it existed, when links in its path were not yet
    // resolved.
    let place = |dir: &Option<String>| dir.as_deref().map(|d| resolved(&directory_of(output).join(d)));
    if journal_files_dir.is_some() && place(&journal_files_dir) != place(&recorded.files_dir) {
        differences.push(format!(
            "the files directory differs: the manifest says {}, the journal {}",
            recorded.files_dir.as_deref().unwrap_or("none"),
            journal_files_dir.as_deref().unwrap_or("none")
        ));
    }
    report.failed_sessions = actual.failed_sessions.clone();
    report.lost_sessions = actual.lost_sessions.clone();
    compare_counts("messages", &recorded.messages, &actual.messages, differences);
    if recorded.sessions != actual.sessions {
        differences.push(format!(
            "sessions: the manifest says {}, the sidecar holds {}",
            recorded.sessions, actual.sessions
        ));
    }
    compare_counts("files", &recorded.files, &actual.files, differences);
    let names: std::collections::BTreeSet<&String> = recorded.digests.keys().chain(actual.digests.keys()).collect();
    for name in names {
        match (recorded.digests.get(name), actual.digests.get(name)) {
            // A manifest of a version before midstates has none to compare.
            (Some(r), Some(a))
                if (&r.path, r.size, &r.sha256) == (&a.path, a.size, &a.sha256)
                    && (r.midstate.is_none() || r.midstate == a.midstate) => {}
            (Some(r), Some(a)) => differences.push(format!(
                "{}: the manifest says {} bytes with SHA-256 {}, the file has {} bytes with SHA-256 {}",
                a.path, r.size, r.sha256, a.size, a.sha256
            )),
            (Some(r), None) => differences.push(format!("{}: in the manifest, but the file is gone", r.path)),
            (None, Some(a)) => differences.push(format!("{}: not in the manifest", a.path)),
            (None, None) => {}
        }
    }
    if let Some(dir) = files_dir {
        check_files(&dir, &mut report).await?;
        let outstanding = files_outstanding(output, &dir).await?;
        report.files_not_fetched = outstanding.not_fetched;
        report.files_to_retry = outstanding.to_retry;
        report.files_given_up = outstanding.given_up;
    }
    Ok(report)
}

/// Hashes every downloaded file in the index again.
async fn check_files(dir: &Path, report: &mut VerifyReport) -> Result<(), ExportError> {
    let index = files_index_path(dir);
    let text = match tokio::fs::read(&index).await {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error(&index)(e)),
    };
    for line in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let Ok(record) = serde_json::from_slice::<FileRecord>(line) else {
            report
                .differences
                .push(format!("{}: a line is not a file record", index.display()));
            continue;
        };
        if record.status != FileStatus::Downloaded {
            continue;
        }
        if record.path != relative_path(&record.file_id, &record.name) {
            report.differences.push(format!(
                "{}: the record of file {} gives the path {:?}, which is not where the export puts it",
                index.display(),
                record.file_id,
                record.path
            ));
            continue;
        }
        let path = dir.join(&record.path);
        let found = digest_bytes(&path).await?;
        report.files_checked += 1;
        match found {
            None => report
                .differences
                .push(format!("{}: downloaded, but the file is gone", path.display())),
            Some((size, sha256)) if Some(&sha256) != record.sha256.as_ref() || size != record.received => {
                report.differences.push(format!(
                    "{}: the index says {} bytes with SHA-256 {}, the file has {} bytes with SHA-256 {} \
                     (once it is deleted, the next run that downloads files fetches it again)",
                    path.display(),
                    record.received,
                    record.sha256.as_deref().unwrap_or("(none)"),
                    size,
                    sha256
                ))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

fn ranges(days: &[DayRange]) -> String {
    if days.is_empty() {
        return "none".into();
    }
    days.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")
}

fn compare_counts(what: &str, recorded: &BTreeMap<String, u64>, actual: &BTreeMap<String, u64>, out: &mut Vec<String>) {
    let words = |counts: &BTreeMap<String, u64>| {
        if counts.is_empty() {
            "none".to_string()
        } else {
            counts
                .iter()
                .map(|(kind, n)| format!("{n} {kind}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    if recorded != actual {
        out.push(format!(
            "{what}: the manifest counts {}, the files hold {}",
            words(recorded),
            words(actual)
        ));
    }
}
