//! Exporting a date range to JSON Lines, resumably.
//!
//! The unit of work is one session in one month window: its messages are
//! fetched whole, then appended to the file in one write, then recorded in a
//! journal beside the file (`FILE.journal`). The file therefore only ever
//! grows by whole units, and a resumed export knows exactly what is done:
//! - the journal's first line names the range and the message kinds, so a
//!   resume with other arguments is refused rather than mixed in;
//! - each further line records a finished unit and the file's length after it;
//! - on resume the file is cut back to the last recorded length (dropping a
//!   unit that was half written when the process died), journal lines that
//!   point past the end of the file (written, but lost from the page cache in
//!   a crash) are dropped, and finished units are skipped.
//!
//! Nothing is lost and nothing is duplicated, whether the export stopped for
//! Ctrl-C, a daily rate limit or a crash.

use std::collections::HashSet;
use std::future::Future;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use futures::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;

use crate::client::Client;
use crate::error::Error;
use crate::generated::types::ChatMessage;
use crate::pagination::{Include, MessageKind};
use crate::transport::TransportStats;
use crate::windows::DateWindow;

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The days to export, any length within the last six months.
    pub range: RangeInclusive<NaiveDate>,
    /// Edited and deleted messages too.
    pub include: Include,
    /// Sessions fetched at once. The client's rate limiter still applies to all of them together.
    pub concurrency: usize,
    /// Continue the export in the file instead of starting it again.
    pub resume: bool,
}

/// What an export did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Distinct sessions with messages in the range.
    pub sessions: u64,
    /// Lines written by this run.
    pub messages: u64,
    /// Session windows finished by an earlier run and skipped.
    pub skipped_units: u64,
    /// Session windows finished by this run.
    pub units: u64,
    /// The client's request counters at the end.
    pub stats: TransportStats,
    /// How long this run took.
    pub elapsed: Duration,
}

/// Progress, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExportProgress {
    /// More sessions were found: this many session windows are known so far.
    Discovered {
        /// Units known so far, done or not.
        units: u64,
    },
    /// One session window was written.
    UnitDone {
        /// Lines it added.
        messages: u64,
    },
    /// A session window finished by an earlier run was skipped.
    UnitSkipped,
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// Zoom, or the way to it, failed. For a daily limit, see [`Error::daily_limit_reset`].
    #[error(transparent)]
    Zoom(#[from] Error),
    /// The file or its journal could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// `--resume` with a journal from another export, or a damaged one.
    #[error("cannot resume: {0}")]
    Journal(String),
    /// The stop signal fired; everything finished so far is on disk and journaled.
    #[error("interrupted")]
    Interrupted,
}

/// The journal's first line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct JournalHeader {
    from: NaiveDate,
    to: NaiveDate,
    edited: bool,
    deleted: bool,
}

/// A finished unit.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct JournalEntry {
    window: NaiveDate,
    session: String,
    /// The file's length after the unit.
    bytes: u64,
    /// XXH3-64 of the unit's bytes. Data is flushed but not synced before its
    /// journal line (a sync per unit would cost more than the export), so after
    /// a power cut the file may hold zeros where the journal says a unit is:
    /// the checksum finds that, and the unit is fetched again.
    checksum: u64,
}

/// One output line: the session, the kind, then the message's own fields.
#[derive(Serialize)]
struct ExportLine<'a> {
    session_id: &'a str,
    kind: MessageKind,
    #[serde(flatten)]
    message: &'a ChatMessage,
}

struct Unit {
    window: DateWindow,
    session: String,
    lines: Vec<u8>,
    messages: u64,
}

/// The journal path for an output file.
pub fn journal_path(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".journal");
    PathBuf::from(name)
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Exports every message of every session in `options.range` to `output`, one
/// JSON object per line. Stops, with everything finished so far saved, when
/// `stop` completes or on the first error.
pub async fn export_jsonl(
    client: &Client,
    output: &Path,
    options: &ExportOptions,
    progress: &(dyn Fn(ExportProgress) + Send + Sync),
    stop: impl Future<Output = ()>,
) -> Result<ExportSummary, ExportError> {
    let started = Instant::now();
    let windows = client.windows(&options.range)?;
    let header = JournalHeader {
        from: *options.range.start(),
        to: *options.range.end(),
        edited: options.include.edited,
        deleted: options.include.deleted,
    };
    let journal_file = journal_path(output);
    let (done, length, journal_kept) = if options.resume {
        recover(output, &journal_file, &header).await?
    } else {
        (HashSet::new(), 0, false)
    };
    let file = tokio::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(false)
        .open(output)
        .await
        .map_err(io_error(output))?;
    file.set_len(length).await.map_err(io_error(output))?;
    let mut file = tokio::io::BufWriter::new(file);
    tokio::io::AsyncSeekExt::seek(&mut file, std::io::SeekFrom::Start(length))
        .await
        .map_err(io_error(output))?;
    let mut journal = open_journal(&journal_file, &header, journal_kept).await?;

    let mut summary = ExportSummary::default();
    let mut sessions_seen = HashSet::new();
    let mut bytes = length;
    let concurrency = options.concurrency.max(1);
    let done = Arc::new(done);
    let mut units_known = 0u64;

    tokio::pin!(stop);
    for window in windows {
        let client_for_units = client.clone();
        let include = options.include;
        let done_for_filter = done.clone();
        let mut units = client
            .sessions(window.from..=window.to)
            .items()
            .map_ok(move |session| {
                let skip = done_for_filter.contains(&(window.from, session.id.clone()));
                (session.id, skip)
            })
            .inspect_ok(|(session, _)| {
                sessions_seen.insert(session.clone());
                units_known += 1;
                progress(ExportProgress::Discovered { units: units_known });
            })
            .map(move |found| {
                let client = client_for_units.clone();
                async move {
                    let (session, skip) = found?;
                    if skip {
                        return Ok(None);
                    }
                    fetch_unit(&client, window, session, include).await.map(Some)
                }
            })
            .buffer_unordered(concurrency);

        loop {
            let next = tokio::select! {
                biased;
                () = &mut stop => {
                    finish(&mut file, output, &mut journal, &journal_file).await?;
                    return Err(ExportError::Interrupted);
                }
                next = units.next() => next,
            };
            let Some(result) = next else { break };
            let unit = match result {
                Ok(Some(unit)) => unit,
                Ok(None) => {
                    summary.skipped_units += 1;
                    progress(ExportProgress::UnitSkipped);
                    continue;
                }
                Err(error) => {
                    finish(&mut file, output, &mut journal, &journal_file).await?;
                    return Err(error.into());
                }
            };
            file.write_all(&unit.lines).await.map_err(io_error(output))?;
            // The data must be in the file before the journal says so.
            file.flush().await.map_err(io_error(output))?;
            bytes += unit.lines.len() as u64;
            let entry = JournalEntry {
                window: unit.window.from,
                session: unit.session,
                bytes,
                checksum: xxhash_rust::xxh3::xxh3_64(&unit.lines),
            };
            append_json_line(&mut journal, &journal_file, &entry).await?;
            summary.units += 1;
            summary.messages += unit.messages;
            progress(ExportProgress::UnitDone {
                messages: unit.messages,
            });
        }
    }
    finish(&mut file, output, &mut journal, &journal_file).await?;
    summary.sessions = sessions_seen.len() as u64;
    summary.stats = client.stats();
    summary.elapsed = started.elapsed();
    Ok(summary)
}

async fn fetch_unit(client: &Client, window: DateWindow, session: String, include: Include) -> Result<Unit, Error> {
    let mut lines = Vec::new();
    let mut messages = 0;
    let mut items = client
        .messages(session.clone(), window.from..=window.to)
        .include(include)
        .items();
    while let Some(item) = items.try_next().await? {
        let message = without_reserved_keys(item.message);
        let line = ExportLine {
            session_id: &session,
            kind: item.kind,
            message: &message,
        };
        serde_json::to_writer(&mut lines, &line).expect("messages serialize");
        lines.push(b'\n');
        messages += 1;
    }
    Ok(Unit {
        window,
        session,
        lines,
        messages,
    })
}

/// Keys the export line itself uses. Should Zoom ever send fields of these
/// names, they are kept under a `zoom_` prefix instead of making a line with
/// two `session_id` keys, which JSON readers resolve differently.
const RESERVED_KEYS: [&str; 2] = ["session_id", "kind"];

fn without_reserved_keys(mut message: ChatMessage) -> ChatMessage {
    for key in RESERVED_KEYS {
        if let Some(value) = message.extra.remove(key) {
            message.extra.insert(format!("zoom_{key}"), value);
        }
    }
    message
}

async fn finish(
    file: &mut tokio::io::BufWriter<tokio::fs::File>,
    output: &Path,
    journal: &mut tokio::fs::File,
    journal_path: &Path,
) -> Result<(), ExportError> {
    file.flush().await.map_err(io_error(output))?;
    file.get_ref().sync_data().await.map_err(io_error(output))?;
    journal.sync_data().await.map_err(io_error(journal_path))?;
    Ok(())
}

/// Appends one JSON line to the journal and flushes it.
async fn append_json_line(
    journal: &mut tokio::fs::File,
    path: &Path,
    value: &impl Serialize,
) -> Result<(), ExportError> {
    let mut line = serde_json::to_vec(value).expect("journal lines serialize");
    line.push(b'\n');
    journal.write_all(&line).await.map_err(io_error(path))?;
    journal.flush().await.map_err(io_error(path))
}

async fn open_journal(path: &Path, header: &JournalHeader, keep: bool) -> Result<tokio::fs::File, ExportError> {
    if keep {
        return tokio::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .await
            .map_err(io_error(path));
    }
    let mut journal = tokio::fs::File::create(path).await.map_err(io_error(path))?;
    append_json_line(&mut journal, path, header).await?;
    Ok(journal)
}

/// Reads the journal of an interrupted export: the finished units, the file
/// length they account for, and whether the journal carries on. Each unit's
/// bytes are checked against its checksum; the first unit that does not match,
/// and everything after it, counts as not done. The journal is then rewritten,
/// atomically, without the entries dropped.
async fn recover(
    output: &Path,
    journal: &Path,
    header: &JournalHeader,
) -> Result<(HashSet<(NaiveDate, String)>, u64, bool), ExportError> {
    let text = match tokio::fs::read_to_string(journal).await {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let existing = tokio::fs::metadata(output).await.map(|m| m.len()).unwrap_or(0);
            if existing > 0 {
                return Err(ExportError::Journal(format!(
                    "{} has data but no journal ({}); export again without --resume",
                    output.display(),
                    journal.display()
                )));
            }
            return Ok((HashSet::new(), 0, false));
        }
        Err(e) => return Err(io_error(journal)(e)),
    };
    let mut lines = text.lines();
    let header_line = lines.next().unwrap_or_default();
    let found: JournalHeader = serde_json::from_str(header_line)
        .map_err(|_| ExportError::Journal(format!("{} does not start with an export header", journal.display())))?;
    if &found != header {
        return Err(ExportError::Journal(format!(
            "{} is an export of {}..={} (edited: {}, deleted: {}); resume with the same --from, --to and --include",
            output.display(),
            found.from,
            found.to,
            found.edited,
            found.deleted
        )));
    }

    let mut data = match tokio::fs::File::open(output).await {
        Ok(file) => Some(tokio::io::BufReader::new(file)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_error(output)(e)),
    };
    let mut done = HashSet::new();
    let mut length = 0;
    let mut kept = vec![header_line.to_string()];
    let mut unit = Vec::new();
    for line in lines {
        // A torn last line (the process died mid-write) ends the journal.
        let Ok(entry) = serde_json::from_str::<JournalEntry>(line) else {
            break;
        };
        let Some(size) = entry.bytes.checked_sub(length).and_then(|n| usize::try_from(n).ok()) else {
            break;
        };
        let Some(reader) = data.as_mut() else { break };
        unit.resize(size, 0);
        // Shorter than the journal says (lost in a crash) or different: not done.
        if tokio::io::AsyncReadExt::read_exact(reader, &mut unit).await.is_err()
            || xxhash_rust::xxh3::xxh3_64(&unit) != entry.checksum
        {
            break;
        }
        length = entry.bytes;
        done.insert((entry.window, entry.session));
        kept.push(line.to_string());
    }

    let mut rewritten = kept.join("\n");
    rewritten.push('\n');
    let temporary = journal.with_extension("journal.tmp");
    tokio::fs::write(&temporary, rewritten)
        .await
        .map_err(io_error(&temporary))?;
    tokio::fs::File::open(&temporary)
        .await
        .map_err(io_error(&temporary))?
        .sync_all()
        .await
        .map_err(io_error(&temporary))?;
    tokio::fs::rename(&temporary, journal)
        .await
        .map_err(io_error(journal))?;
    Ok((done, length, true))
}
