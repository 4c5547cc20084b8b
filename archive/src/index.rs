//! The search index: `chat.sqlite` beside `chat.jsonl`, a SQLite database
//! built from the archive and from nothing else, so that it can be deleted
//! and rebuilt at any time. Its schema is documented in `INDEX.md` for people
//! who query it with `sqlite3`.
//!
//! It is incremental: it records how many bytes of the archive it has read,
//! with checksums of the first and the last 4 KiB of them, and reads only
//! what was appended since. An archive that is shorter, or whose checked
//! bytes changed (replaced by `--overwrite`, or rewritten), is indexed again
//! from the start, and the summary says why. The archive only ever grows
//! otherwise, so this costs the night's bytes, not the archive's.
//!
//! The full-text index is FTS5's trigram tokenizer with diacritics removed:
//! any substring of 3 characters or more is found, whatever its case or
//! accents (`zurich` finds `Zürich`, `议记录` finds `会议记录`), which a
//! word tokenizer cannot do for Chinese or Japanese, which have no spaces.

use std::collections::BTreeSet;
use std::io::{BufRead, Read, Seek};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde_json::Value;

use crate::error::{ExportError, io_error};
use crate::lock::ReadLock;
use crate::paths::{files_index_path, journal_path, search_index_path, sessions_path};
pub use crate::status::IndexState;

/// The index's schema. A different one is rebuilt, not migrated: the
/// archive holds everything the index does.
pub const INDEX_SCHEMA_VERSION: u32 = 1;

/// Lines applied per transaction: an interrupted index keeps what it
/// committed, and its memory stays flat however large the archive.
const LINES_PER_COMMIT: usize = 20_000;

/// SQLite's `application_id` of this program's indexes ("ZCAR"): a file
/// named like the index that lacks it is someone else's, and is left alone.
const APPLICATION_ID: i32 = 0x5A43_4152;

/// Bytes checked at the start and at the end of what was indexed.
const CHECKED_BYTES: u64 = 4096;

/// A page of the HTML copy holds at most this many bytes of messages by
/// the estimate of [`page_estimate`], leaving room for the page's own markup
/// under 1 MB.
pub(crate) const PAGE_BUDGET: u64 = 900_000;

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sessions (
    session_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT,
    members TEXT,
    channel_id TEXT,
    raw TEXT NOT NULL
);
CREATE TABLE messages (
    message_id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    day TEXT NOT NULL,
    month TEXT NOT NULL,
    sender TEXT,
    sender_name TEXT,
    receiver TEXT,
    text TEXT NOT NULL,
    edited INTEGER NOT NULL DEFAULT 0,
    edited_at INTEGER,
    deleted INTEGER NOT NULL DEFAULT 0,
    deleted_at INTEGER,
    reply_to TEXT,
    reactions TEXT,
    custom_emoji_reactions TEXT,
    files TEXT,
    bot_message TEXT,
    records INTEGER NOT NULL DEFAULT 1,
    page TEXT NOT NULL DEFAULT ''
);
CREATE INDEX messages_by_session ON messages (session_id, month, sent_at);
CREATE INDEX messages_by_time ON messages (sent_at);
CREATE INDEX messages_by_sender ON messages (sender COLLATE NOCASE);
CREATE INDEX messages_by_parent ON messages (reply_to);
CREATE TABLE texts (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL,
    text TEXT NOT NULL,
    at INTEGER NOT NULL,
    UNIQUE (message_id, text)
);
CREATE VIRTUAL TABLE texts_fts USING fts5 (
    text, content = 'texts', content_rowid = 'id',
    tokenize = 'trigram remove_diacritics 1'
);
CREATE TABLE files (
    file_id TEXT PRIMARY KEY,
    message_id TEXT,
    session_id TEXT,
    name TEXT,
    path TEXT,
    size INTEGER,
    status TEXT,
    sha256 TEXT
);
CREATE INDEX files_by_message ON files (message_id);
";

/// What [`update_index`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IndexSummary {
    /// The index file.
    pub path: PathBuf,
    /// Why it was built again from the start, if it was (`None`: it was
    /// brought up to date, or it is new).
    pub rebuilt: Option<String>,
    /// It did not exist before.
    pub created: bool,
    /// Archive lines read by this run.
    pub lines_read: u64,
    /// Archive bytes read by this run.
    pub bytes_read: u64,
    /// The archive's size.
    pub archive_bytes: u64,
    /// Lines that are no message record (not JSON, or without a session,
    /// kind or id): passed over, and counted.
    pub lines_passed_over: u64,
    /// Messages in the index, each once, however many records it has.
    pub messages: u64,
    /// How long it took.
    pub elapsed: Duration,
}

/// How far the index has read the archive, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct IndexProgress {
    /// Bytes of the archive read so far, from where this run began.
    pub read: u64,
    /// Bytes this run has to read.
    pub total: u64,
}

/// What the index says of itself, without changing anything; `None` when
/// there is no index.
pub fn index_state(output: &Path) -> Result<Option<IndexState>, ExportError> {
    let path = search_index_path(output);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let archive_bytes = std::fs::metadata(output).map_err(io_error(output))?.len();
    let db = Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| sqlite_error(&path, e))?;
    let meta = |key: &str| -> Result<Option<String>, ExportError> {
        db.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| sqlite_error(&path, e))
    };
    Ok(Some(IndexState {
        indexed_bytes: meta("indexed_bytes")?.and_then(|v| v.parse().ok()).unwrap_or(0),
        archive_bytes,
        updated_at: meta("updated_at")?.and_then(|v| v.parse().ok()),
    }))
}

/// Builds the search index of the archive in `output`, or brings it up to
/// date, reading only what was appended since it was last brought up to
/// date. Waits for nothing: while a run writes the archive it fails with
/// [`ExportError::Locked`].
pub async fn update_index(
    output: &Path,
    progress: impl Fn(IndexProgress) + Send + 'static,
) -> Result<IndexSummary, ExportError> {
    let journal = journal_path(output);
    let Some(header) = crate::journal::header_of(output).await? else {
        return Err(crate::error::no_archive(output));
    };
    let lock = ReadLock::acquire(output)?;
    let files_dir = crate::manifest::archive_files_dir(output).await?;
    let index = search_index_path(output);
    let output = output.to_path_buf();
    let journal_line = first_line_check(&journal)?;
    // SQLite is blocking, and so is reading the archive line by line: on a
    // thread of the runtime's blocking pool, holding the lock until done.
    let task = tokio::task::spawn_blocking(move || {
        let job = Job {
            output: &output,
            access: header.access,
            journal_line: &journal_line,
            files_dir: files_dir.as_deref(),
            lines_per_commit: LINES_PER_COMMIT,
        };
        let summary = update_blocking(&job, &progress);
        drop(lock);
        summary
    });
    task.await.unwrap_or_else(|e| {
        Err(ExportError::Io {
            path: index,
            source: std::io::Error::other(format!("the index builder stopped unexpectedly: {e}")),
        })
    })
}

pub(crate) fn sqlite_error(path: &Path, error: rusqlite::Error) -> ExportError {
    ExportError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(format!("the search index: {error}")),
    }
}

/// A checksum of the journal's first line: a new export (`--overwrite`)
/// writes a new one.
fn first_line_check(journal: &Path) -> Result<String, ExportError> {
    let file = std::fs::File::open(journal).map_err(io_error(journal))?;
    let mut line = Vec::new();
    std::io::BufReader::new(file)
        .read_until(b'\n', &mut line)
        .map_err(io_error(journal))?;
    Ok(format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&line)))
}

/// XXH3 of `len` bytes of `file` from `start`.
fn check_of(file: &mut std::fs::File, start: u64, len: u64, path: &Path) -> Result<String, ExportError> {
    file.seek(std::io::SeekFrom::Start(start)).map_err(io_error(path))?;
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(len).read_to_end(&mut bytes).map_err(io_error(path))?;
    Ok(format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes)))
}

/// The checks of the first and last [`CHECKED_BYTES`] of `0..end`.
fn checks(file: &mut std::fs::File, end: u64, path: &Path) -> Result<(String, String), ExportError> {
    let head = check_of(file, 0, end.min(CHECKED_BYTES), path)?;
    let tail_start = end.saturating_sub(CHECKED_BYTES);
    let tail = check_of(file, tail_start, end - tail_start, path)?;
    Ok((head, tail))
}

fn meta(tx: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    tx.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

fn set_meta(tx: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )
    .map(|_| ())
}

/// Whether the file at `path` may be (re)built as this archive's index: it
/// does not exist, is empty, or is a SQLite database this program made
/// (its header's application id, readable even when later pages are
/// damaged). Anything else is somebody's file, and is refused.
fn check_ours(path: &Path) -> Result<(), ExportError> {
    let mut header = [0u8; 100];
    let read = match std::fs::File::open(path) {
        Ok(mut file) => file.read(&mut header).map_err(io_error(path))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error(path)(e)),
    };
    let ours =
        read == 100 && header.starts_with(b"SQLite format 3\0") && header[68..72] == APPLICATION_ID.to_be_bytes();
    if read == 0 || ours {
        return Ok(());
    }
    Err(ExportError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "is not a search index this program made, so it is left as it is: move it away, and 'index' builds the index in its place",
        ),
    })
}

/// Opens the index, creating it with the archive's access: it holds the
/// same conversations. SQLite gives its own journal file the database's mode.
fn open_index(path: &Path, access: crate::Access) -> Result<(Connection, bool), ExportError> {
    let created = match access.std_open_options().write(true).create_new(true).open(path) {
        Ok(_) => true,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
        Err(e) => return Err(io_error(path)(e)),
    };
    if !std::fs::metadata(path).map_err(io_error(path))?.is_file() {
        return Err(ExportError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other("the search index is not a regular file"),
        });
    }
    let db = Connection::open(path).map_err(|e| sqlite_error(path, e))?;
    db.busy_timeout(Duration::from_secs(10))
        .map_err(|e| sqlite_error(path, e))?;
    Ok((db, created))
}

/// Why the index must be built again from the start, if it must.
fn must_rebuild(
    db: &Connection,
    archive: &mut std::fs::File,
    archive_bytes: u64,
    journal_line: &str,
    output: &Path,
) -> Result<Option<String>, ExportError> {
    let has_meta = db.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
        [],
        |r| r.get::<_, i64>(0),
    );
    match has_meta {
        Ok(0) => return Ok(Some(String::new())),
        Ok(_) => {}
        Err(e) => return Ok(Some(format!("the index was damaged ({e})"))),
    }
    let read = |key: &str| meta(db, key).ok().flatten();
    let version = match meta(db, "schema_version") {
        Ok(version) => version.and_then(|v| v.parse::<u32>().ok()),
        Err(e) => return Ok(Some(format!("the index was damaged ({e})"))),
    };
    if version != Some(INDEX_SCHEMA_VERSION) {
        return Ok(Some(format!(
            "the index was made by another version of this tool (schema {}, this one {INDEX_SCHEMA_VERSION})",
            version.map_or_else(|| "unknown".to_string(), |v| v.to_string())
        )));
    }
    let indexed: u64 = read("indexed_bytes").and_then(|v| v.parse().ok()).unwrap_or(0);
    if read("journal").as_deref() != Some(journal_line) {
        return Ok(Some(
            "the archive was started anew (its journal begins differently)".into(),
        ));
    }
    if archive_bytes < indexed {
        return Ok(Some(format!(
            "the archive is {archive_bytes} bytes, shorter than the {indexed} already indexed: it was replaced or cut back"
        )));
    }
    let (head, tail) = checks(archive, indexed, output)?;
    if read("head_check").as_deref() != Some(head.as_str()) || read("tail_check").as_deref() != Some(tail.as_str()) {
        return Ok(Some(format!(
            "the archive's first {indexed} bytes are not those indexed: it was rewritten"
        )));
    }
    Ok(None)
}

/// One update of the index: what it reads, and how.
#[derive(Clone, Copy)]
struct Job<'a> {
    output: &'a Path,
    /// The archive's access, which the index gets.
    access: crate::Access,
    /// The check of the journal's first line (see [`first_line_check`]).
    journal_line: &'a str,
    files_dir: Option<&'a Path>,
    /// Lines a transaction: [`LINES_PER_COMMIT`], or fewer in a test.
    lines_per_commit: usize,
}

fn update_blocking(job: &Job<'_>, progress: &dyn Fn(IndexProgress)) -> Result<IndexSummary, ExportError> {
    let (output, access) = (job.output, job.access);
    let path = search_index_path(output);
    check_ours(&path)?;
    // One update at a time: a second waits here, then finds the work done.
    // (SQLite's own locks are fcntl locks, which this flock does not touch.)
    let (_, _) = open_index(&path, access)?;
    let guard = std::fs::File::open(&path).map_err(io_error(&path))?;
    guard.lock().map_err(io_error(&path))?;
    match update_once(job, progress, None) {
        // Damaged (a disk error, a copy cut short): it is ours, and the
        // archive holds everything it did.
        Err(Trouble::Damaged(problem)) => {
            update_once(job, progress, Some(format!("the index was damaged ({problem})")))
                .map_err(|trouble| trouble.into_export(&path))
        }
        other => other.map_err(|trouble| trouble.into_export(&path)),
    }
}

/// What stopped an update: the index is damaged (and is rebuilt), or anything else.
enum Trouble {
    Damaged(String),
    Other(ExportError),
}

impl Trouble {
    fn into_export(self, index: &Path) -> ExportError {
        match self {
            Trouble::Damaged(problem) => ExportError::Io {
                path: index.to_path_buf(),
                source: std::io::Error::other(format!("the search index is damaged: {problem}")),
            },
            Trouble::Other(error) => error,
        }
    }
}

impl From<ExportError> for Trouble {
    fn from(error: ExportError) -> Self {
        Trouble::Other(error)
    }
}

fn sql_trouble(path: &Path, error: rusqlite::Error) -> Trouble {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
            Trouble::Damaged(error.to_string())
        }
        _ => Trouble::Other(sqlite_error(path, error)),
    }
}

fn update_once(
    job: &Job<'_>,
    progress: &dyn Fn(IndexProgress),
    force_rebuild: Option<String>,
) -> Result<IndexSummary, Trouble> {
    let Job {
        output,
        access,
        journal_line,
        files_dir,
        lines_per_commit,
    } = *job;
    let started = Instant::now();
    let path = search_index_path(output);
    let sql = |e| sql_trouble(&path, e);
    let mut archive = std::fs::File::open(output).map_err(io_error(output))?;
    let archive_bytes = archive.metadata().map_err(io_error(output))?.len();
    let (mut db, mut created) = open_index(&path, access)?;
    let mut rebuilt = match force_rebuild {
        Some(reason) => Some(reason),
        None => must_rebuild(&db, &mut archive, archive_bytes, journal_line, output)?,
    };
    if rebuilt.is_none()
        && let Err(e) = db.query_row("SELECT count(*) FROM messages", [], |r| r.get::<_, i64>(0))
    {
        rebuilt = Some(format!("the index was damaged ({e})"));
    }
    if let Some(reason) = &rebuilt {
        drop(db);
        for stale in [path.clone(), sqlite_journal(&path)] {
            match std::fs::remove_file(&stale) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_error(&stale)(e).into()),
            }
        }
        let (fresh, _) = open_index(&path, access)?;
        db = fresh;
        db.pragma_update(None, "application_id", APPLICATION_ID).map_err(sql)?;
        db.execute_batch(SCHEMA).map_err(sql)?;
        let tx = db
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        set_meta(&tx, "schema_version", &INDEX_SCHEMA_VERSION.to_string()).map_err(sql)?;
        set_meta(&tx, "journal", journal_line).map_err(sql)?;
        set_meta(&tx, "indexed_bytes", "0").map_err(sql)?;
        tx.commit().map_err(sql)?;
        // An empty reason: a new index, or an empty file, not a rebuild.
        if reason.is_empty() {
            created = true;
            rebuilt = None;
        }
    }
    db.pragma_update(None, "synchronous", "NORMAL").map_err(sql)?;

    let start: u64 = meta(&db, "indexed_bytes")
        .map_err(sql)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let total = archive_bytes - start;
    // A handle of its own: a cloned one would share its position with the
    // checks' reads below, and the reader would read some lines twice.
    let mut lines_file = std::fs::File::open(output).map_err(io_error(output))?;
    lines_file
        .seek(std::io::SeekFrom::Start(start))
        .map_err(io_error(output))?;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, lines_file);
    let (mut lines_read, mut lines_passed_over, mut offset) = (0u64, 0u64, start);
    let mut touched: BTreeSet<(String, String)> = BTreeSet::new();
    let mut line = Vec::new();
    let mut done = false;
    while !done {
        let tx = db
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        {
            let mut apply = Applier::new(&tx).map_err(sql)?;
            for _ in 0..lines_per_commit {
                line.clear();
                let read = reader.read_until(b'\n', &mut line).map_err(io_error(output))?;
                // A line without its newline is still being written, or torn:
                // not indexed until it is whole.
                if read == 0 || line.last() != Some(&b'\n') {
                    done = true;
                    break;
                }
                match Record::parse(&line) {
                    Some(record) => {
                        touched.insert((record.session_id.clone(), record.month()));
                        apply.record(&record).map_err(sql)?;
                    }
                    None => lines_passed_over += 1,
                }
                offset += read as u64;
                lines_read += 1;
            }
        }
        let (head, tail) = checks(&mut archive, offset, output)?;
        set_meta(&tx, "indexed_bytes", &offset.to_string()).map_err(sql)?;
        set_meta(&tx, "head_check", &head).map_err(sql)?;
        set_meta(&tx, "tail_check", &tail).map_err(sql)?;
        tx.commit().map_err(sql)?;
        progress(IndexProgress {
            read: offset - start,
            total,
        });
    }

    // The sessions and the files: small, and rewritten whole by every run,
    // so read whole. A file whose status changed changes its message's page.
    let tx = db
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql)?;
    load_sessions(&tx, &sessions_path(output)).map_err(|e| e.into_trouble(&path))?;
    if let Some(dir) = files_dir {
        for (session, month) in load_files(&tx, &files_index_path(dir)).map_err(|e| e.into_trouble(&path))? {
            touched.insert((session, month));
        }
    }
    for (session, month) in &touched {
        assign_pages(&tx, session, month).map_err(sql)?;
    }
    set_meta(&tx, "updated_at", &Utc::now().to_rfc3339()).map_err(sql)?;
    tx.commit().map_err(sql)?;
    let messages: i64 = db
        .query_row("SELECT count(*) FROM messages", [], |r| r.get(0))
        .map_err(sql)?;
    Ok(IndexSummary {
        path,
        rebuilt,
        created,
        lines_read,
        bytes_read: offset - start,
        archive_bytes,
        lines_passed_over,
        messages: messages as u64,
        elapsed: started.elapsed(),
    })
}

fn sqlite_journal(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-journal");
    PathBuf::from(name)
}

/// One line of the archive, as the index reads it.
pub(crate) struct Record {
    pub session_id: String,
    pub kind: Kind,
    pub id: String,
    pub text: String,
    pub sender: Option<String>,
    pub sender_name: Option<String>,
    pub receiver: Option<String>,
    /// When the message was sent, in ms.
    pub sent_at: i64,
    /// When this record's action happened: sent, edited or deleted.
    pub at: i64,
    pub reply_to: Option<String>,
    pub reactions: Option<String>,
    pub custom_emoji_reactions: Option<String>,
    pub files: Option<String>,
    pub bot_message: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Sent,
    Edited,
    Deleted,
}

impl Record {
    /// `None` for a line that is no message record.
    pub(crate) fn parse(line: &[u8]) -> Option<Record> {
        let value: Value = serde_json::from_slice(line).ok()?;
        let text_of = |field: &str| value.get(field).and_then(Value::as_str).map(str::to_string);
        let kind = match value.get("kind")?.as_str()? {
            "sent" => Kind::Sent,
            "edited" => Kind::Edited,
            "deleted" => Kind::Deleted,
            _ => return None,
        };
        let sent_at = sent_time(&value).unwrap_or(0);
        let at = match kind {
            Kind::Sent => sent_at,
            _ => action_time(&value, sent_at),
        };
        // Empty arrays and absent fields are one state: none.
        let json_of = |field: &str| match value.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) if items.is_empty() => None,
            Some(other) => Some(other.to_string()),
        };
        Some(Record {
            session_id: text_of("session_id")?,
            id: text_of("id")?,
            kind,
            text: text_of("message").unwrap_or_default(),
            sender: text_of("sender"),
            sender_name: text_of("sender_display_name"),
            receiver: text_of("receiver"),
            sent_at,
            at,
            reply_to: text_of("reply_main_message_id").filter(|id| !id.is_empty()),
            reactions: json_of("reactions"),
            custom_emoji_reactions: json_of("custom_emoji_reactions"),
            files: json_of("files"),
            bot_message: json_of("bot_message"),
        })
    }

    fn day(&self) -> String {
        day_of(self.sent_at)
    }

    pub(crate) fn month(&self) -> String {
        self.day()[..7].to_string()
    }
}

/// When a line's message was sent, in ms: its `timestamp`, or its
/// `date_time`. Years 1970 to 9999: a time outside them is no time Zoom
/// meant, and would make days and page names that are not dates.
pub(crate) fn sent_time(value: &Value) -> Option<i64> {
    let sent_at = millis(value.get("timestamp")).or_else(|| {
        value
            .get("date_time")
            .and_then(Value::as_str)
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.timestamp_millis())
    })?;
    Some(sent_at.clamp(0, LAST_MILLISECOND))
}

/// When a line's edit or deletion was made, in ms: its `action_timestamp`,
/// else when the message was sent; in the same years.
pub(crate) fn action_time(value: &Value, sent_at: i64) -> i64 {
    millis(value.get("action_timestamp"))
        .unwrap_or(sent_at)
        .clamp(0, LAST_MILLISECOND)
}

/// 9999-12-31T23:59:59.999Z.
const LAST_MILLISECOND: i64 = 253_402_300_799_999;

/// Zoom sends times as numbers or as strings of digits.
fn millis(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

pub(crate) fn day_of(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .date_naive()
        .to_string()
}

/// Applies records to the index, with statements prepared once.
struct Applier<'a> {
    sent: rusqlite::Statement<'a>,
    edited: rusqlite::Statement<'a>,
    deleted: rusqlite::Statement<'a>,
    text: rusqlite::Statement<'a>,
    fts: rusqlite::Statement<'a>,
    tx: &'a Transaction<'a>,
}

/// The columns every kind sets on a new message; the `ON CONFLICT` clauses
/// say what a later record changes. The latest line wins for what Zoom may
/// send again changed (reactions, files, names); the text is the latest
/// edit's; deletion is a flag with its time, and keeps the last text.
const INSERT: &str = "INSERT INTO messages (message_id, session_id, sent_at, day, month, sender, sender_name,
    receiver, text, reply_to, reactions, custom_emoji_reactions, files, bot_message, edited, edited_at, deleted, deleted_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
    ON CONFLICT (message_id) DO UPDATE SET
    sender = coalesce(excluded.sender, messages.sender),
    sender_name = coalesce(excluded.sender_name, messages.sender_name),
    receiver = coalesce(excluded.receiver, messages.receiver),
    reply_to = coalesce(excluded.reply_to, messages.reply_to),
    reactions = excluded.reactions,
    custom_emoji_reactions = excluded.custom_emoji_reactions,
    files = coalesce(excluded.files, messages.files),
    bot_message = coalesce(excluded.bot_message, messages.bot_message),
    records = messages.records + 1,";

impl<'a> Applier<'a> {
    fn new(tx: &'a Transaction<'a>) -> rusqlite::Result<Self> {
        Ok(Self {
            sent: tx.prepare(&format!(
                "{INSERT} text = CASE WHEN messages.edited THEN messages.text ELSE excluded.text END"
            ))?,
            edited: tx.prepare(&format!(
                "{INSERT}
                 text = CASE WHEN excluded.edited_at >= coalesce(messages.edited_at, excluded.edited_at)
                        THEN excluded.text ELSE messages.text END,
                 edited = 1,
                 edited_at = max(coalesce(messages.edited_at, excluded.edited_at), excluded.edited_at)"
            ))?,
            deleted: tx.prepare(&format!(
                "{INSERT}
                 deleted = 1,
                 deleted_at = max(coalesce(messages.deleted_at, excluded.deleted_at), excluded.deleted_at)"
            ))?,
            text: tx.prepare(
                "INSERT INTO texts (message_id, text, at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (message_id, text) DO NOTHING",
            )?,
            fts: tx.prepare("INSERT INTO texts_fts (rowid, text) VALUES (?1, ?2)")?,
            tx,
        })
    }

    fn record(&mut self, r: &Record) -> rusqlite::Result<()> {
        let (edited, edited_at) = match r.kind {
            Kind::Edited => (1, Some(r.at)),
            _ => (0, None),
        };
        let (deleted, deleted_at) = match r.kind {
            Kind::Deleted => (1, Some(r.at)),
            _ => (0, None),
        };
        let statement = match r.kind {
            Kind::Sent => &mut self.sent,
            Kind::Edited => &mut self.edited,
            Kind::Deleted => &mut self.deleted,
        };
        statement.execute(params![
            r.id,
            r.session_id,
            r.sent_at,
            r.day(),
            r.month(),
            r.sender,
            r.sender_name,
            r.receiver,
            r.text,
            r.reply_to,
            r.reactions,
            r.custom_emoji_reactions,
            r.files,
            r.bot_message,
            edited,
            edited_at,
            deleted,
            deleted_at,
        ])?;
        if !r.text.is_empty() && self.text.execute(params![r.id, r.text, r.at])? == 1 {
            let id = self.tx.last_insert_rowid();
            self.fts.execute(params![id, r.text])?;
        }
        Ok(())
    }
}

/// What went wrong reading the sidecar or the files index.
enum LoadError {
    Io(PathBuf, std::io::Error),
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for LoadError {
    fn from(e: rusqlite::Error) -> Self {
        LoadError::Sql(e)
    }
}

impl LoadError {
    fn into_trouble(self, index: &Path) -> Trouble {
        match self {
            LoadError::Io(path, e) => Trouble::Other(io_error(&path)(e)),
            LoadError::Sql(e) => sql_trouble(index, e),
        }
    }
}

/// Lines of a JSON Lines file that may not exist yet; unreadable lines are
/// passed over (the sidecar and files index are checked by `verify`).
fn json_lines(path: &Path) -> Result<Vec<Value>, LoadError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(bytes
            .split(|&b| b == b'\n')
            .filter_map(|line| serde_json::from_slice(line).ok())
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(LoadError::Io(path.to_path_buf(), e)),
    }
}

fn load_sessions(tx: &Transaction<'_>, sidecar: &Path) -> Result<(), LoadError> {
    let mut upsert = tx.prepare(
        "INSERT INTO sessions (session_id, name, type, members, channel_id, raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (session_id) DO UPDATE SET name = excluded.name, type = excluded.type,
         members = excluded.members, channel_id = excluded.channel_id, raw = excluded.raw",
    )?;
    for session in json_lines(sidecar)? {
        let Some(id) = session.get("id").and_then(Value::as_str) else {
            continue;
        };
        let text = |field: &str| session.get(field).and_then(Value::as_str).map(str::to_string);
        upsert.execute(params![
            id,
            text("name").unwrap_or_default(),
            text("type"),
            session.get("member_emails").map(Value::to_string),
            text("channel_id"),
            session.to_string(),
        ])?;
    }
    Ok(())
}

/// Loads the files index; returns the session-months whose files changed.
fn load_files(tx: &Transaction<'_>, files_index: &Path) -> Result<Vec<(String, String)>, LoadError> {
    let mut changed = Vec::new();
    let mut current = tx.prepare("SELECT status, path FROM files WHERE file_id = ?1")?;
    let mut upsert = tx.prepare(
        "INSERT INTO files (file_id, message_id, session_id, name, path, size, status, sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (file_id) DO UPDATE SET message_id = excluded.message_id, session_id = excluded.session_id,
         name = excluded.name, path = excluded.path, size = excluded.size, status = excluded.status,
         sha256 = excluded.sha256",
    )?;
    let mut month_of = tx.prepare("SELECT session_id, month FROM messages WHERE message_id = ?1")?;
    for file in json_lines(files_index)? {
        let text = |field: &str| file.get(field).and_then(Value::as_str).map(str::to_string);
        let Some(id) = text("file_id") else { continue };
        let (status, path) = (text("status"), text("path"));
        let before: Option<(Option<String>, Option<String>)> =
            current.query_row([&id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        if before.as_ref() == Some(&(status.clone(), path.clone())) {
            continue;
        }
        upsert.execute(params![
            id,
            text("message_id"),
            text("session_id"),
            text("name"),
            path,
            file.get("size").and_then(Value::as_u64).map(|s| s as i64),
            status,
            text("sha256"),
        ])?;
        if let Some(message) = text("message_id")
            && let Some(place) = month_of
                .query_row([&message], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
        {
            changed.push(place);
        }
    }
    Ok(changed)
}

/// An upper bound of the bytes a message takes on a page: its texts and
/// names as the page escapes them (a control character becomes a marked
/// picture, 31 bytes for 1), its files' JSON three times over (name, alt
/// text, link), and room for its markup.
pub(crate) fn page_estimate(texts: &[&str], files: &str, rest: &str) -> u64 {
    let escaped: usize = texts.iter().map(|t| crate::escape::text(t).len()).sum();
    (1200 + escaped + 3 * crate::escape::text(files).len() + crate::escape::text(rest).len()) as u64
}

/// Splits one session-month into pages, in time order, so that none is
/// over [`PAGE_BUDGET`] by [`page_estimate`]: `2026-11`, then `2026-11-p2`, ...
fn assign_pages(tx: &Transaction<'_>, session: &str, month: &str) -> rusqlite::Result<()> {
    let mut select = tx.prepare(
        "SELECT m.message_id, m.page, m.text,
            (SELECT group_concat(t.text, char(10)) FROM texts t WHERE t.message_id = m.message_id AND t.text != m.text),
            coalesce(m.sender_name, ''), coalesce(m.sender, ''), coalesce(m.files, ''),
            coalesce(m.reactions, '') || coalesce(m.custom_emoji_reactions, '') || coalesce(m.bot_message, '')
         FROM messages m WHERE m.session_id = ?1 AND m.month = ?2 ORDER BY m.sent_at, m.message_id",
    )?;
    let mut update = tx.prepare("UPDATE messages SET page = ?1 WHERE message_id = ?2")?;
    let mut rows = select.query(params![session, month])?;
    let mut changes: Vec<(String, String)> = Vec::new();
    let (mut part, mut used) = (1u32, 0u64);
    while let Some(row) = rows.next()? {
        let (id, page): (String, String) = (row.get(0)?, row.get(1)?);
        let earlier: Option<String> = row.get(3)?;
        let (text, name, email, files, rest): (String, String, String, String, String) =
            (row.get(2)?, row.get(4)?, row.get(5)?, row.get(6)?, row.get(7)?);
        let size = page_estimate(
            &[&text, earlier.as_deref().unwrap_or_default(), &name, &email],
            &files,
            &rest,
        );
        if used > 0 && used + size > PAGE_BUDGET {
            part += 1;
            used = 0;
        }
        used += size;
        let name = if part == 1 {
            month.to_string()
        } else {
            format!("{month}-p{part}")
        };
        if page != name {
            changes.push((name, id));
        }
    }
    drop(rows);
    for (name, id) in changes {
        update.execute(params![name, id])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn line(n: u64) -> String {
        format!(
            "{{\"session_id\":\"s{}\",\"kind\":\"sent\",\"id\":\"m{n}\",\"message\":\"text {n}\",\"timestamp\":{}}}\n",
            n % 3,
            1_790_000_000_000u64 + n * 60_000
        )
    }

    /// Many commits, then an append: every line once, and the index's count
    /// of bytes read is the archive's, so the next update reads only what is new.
    #[test]
    fn bytes_read_are_counted_exactly_across_commits() {
        let dir = std::env::temp_dir().join(format!("zoom-index-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("chat.jsonl");
        let text: String = (0..100).map(line).collect();
        std::fs::write(&out, &text).unwrap();
        let job = Job {
            output: &out,
            access: crate::Access::Owner,
            journal_line: "j",
            files_dir: None,
            lines_per_commit: 7,
        };
        let run = || update_blocking(&job, &|_| {}).unwrap();
        let first = run();
        assert_eq!(
            (first.lines_read, first.bytes_read, first.messages),
            (100, text.len() as u64, 100)
        );
        let more: String = (100..110).map(line).collect();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&out)
            .unwrap()
            .write_all(more.as_bytes())
            .unwrap();
        let second = run();
        assert_eq!(second.rebuilt, None);
        assert_eq!(
            (second.lines_read, second.bytes_read, second.messages),
            (10, more.len() as u64, 110)
        );
        assert_eq!(run().bytes_read, 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
