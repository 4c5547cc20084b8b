//! Exporting a date range to JSON Lines, resumably.
//!
//! The unit of work is one session in one month window. Its messages are
//! streamed to a spool file beside the output (never held in memory), copied
//! into the output when the unit is complete, then recorded in a journal beside
//! it (`OUT.journal`). The output therefore only ever grows by whole units, and
//! a resumed export knows exactly what is done:
//! - the journal's first line names the source (API and account), the range,
//!   the message kinds and the month windows planned at the start, so a resume
//!   from another source or with other arguments is refused, not mixed in;
//! - each further line records a unit written (with the output's length after
//!   it and a checksum), or a window finished;
//! - on resume the output is cut back to the last length the journal accounts
//!   for (dropping a unit half written when the process died), entries whose
//!   data is missing or different are dropped, and finished units are skipped.
//!
//! Around that: an OS lock on `OUT.lock` keeps a second export out; nothing is
//! overwritten unless asked; and the dates are fixed when the export starts
//! (see [`export_jsonl`]).

mod access;
mod archived;
mod files;
mod journal;
mod lock;
mod manifest;
mod sessions;
mod spool;

use std::collections::HashSet;
use std::future::Future;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use futures::stream::FuturesUnordered;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde::Serialize;
use tokio::io::{AsyncSeekExt, AsyncWriteExt, BufWriter};

use zoom_chat_reports::Client;
use zoom_chat_reports::TransportStats;
use zoom_chat_reports::types::{ChatMessage, ChatSession};
use zoom_chat_reports::windows::{DateWindow, earliest_reportable, month_windows};
use zoom_chat_reports::{Error, RangeError};
use zoom_chat_reports::{Include, MessageEvent, MessageKind};
use zoom_chat_reports::{Source, SourceAccount};

pub use access::{Access, LoosePath};
pub use files::{FileRecord, FileStatus, FilesSummary, MAX_FILE_ATTEMPTS, files_index_path};
pub use journal::journal_path;
pub use lock::lock_path;
pub use manifest::{
    DayRange, FileDigest, Manifest, MissingSession, VerifyReport, manifest_path, read_manifest, verify,
};
pub use sessions::sessions_path;

use archived::{ArchivedKeys, RecordKey};
use journal::{Entry, Header, JournalWriter, Recovered, UnitTrouble, Window};
use lock::ExportLock;
use sessions::SessionTable;
use spool::{FinishedSpool, Spool};

/// On how many days (UTC) one session of one month window that Zoom cannot
/// serve (a 5xx after the client's retries, an answer that cannot be read)
/// is tried before it is given up: named in the manifest as lost, its days
/// never complete. A week of nightly syncs; more runs on one day count once,
/// so an hourly job does not give up in hours.
pub const MAX_UNIT_FAILED_DAYS: u32 = 7;

/// On how many days Zoom must say a session no longer exists (404) before it
/// is given up: one 404 may be a proxy's or an outage's.
pub const GONE_CONFIRMATION_DAYS: u32 = 2;

/// A window in which at least this many sessions fail, and more fail than
/// succeed, is not taken for some sessions' failures but for Zoom's own
/// trouble: the run stops as for any error, records none of them, and the
/// next run fetches the window again.
const ACCOUNT_TROUBLE_MIN_FAILURES: usize = 3;

/// A session Zoom could not serve for one month window, in this run. The
/// run went on with every other session; see [`ExportSummary::failed_sessions`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FailedSession {
    /// The session's id.
    pub session_id: String,
    /// Its name, as the sessions report gave it, if it did.
    pub name: Option<String>,
    /// The first day of the window.
    pub from: NaiveDate,
    /// The last day of the window.
    pub to: NaiveDate,
    /// What went wrong, as a sentence.
    pub reason: String,
    /// Runs that failed it so far, this one included.
    pub attempts: u32,
    /// Days on which it failed so far, today included.
    pub days_failed: u32,
    /// Given up: no later run tries it again (it failed on
    /// [`MAX_UNIT_FAILED_DAYS`] days, Zoom said on
    /// [`GONE_CONFIRMATION_DAYS`] days that it no longer exists, or its days
    /// passed out of Zoom's six months). The manifest names it as lost.
    pub given_up: bool,
}

/// What to export. Build it with [`ExportOptions::new`] and the setters.
///
/// ```
/// use zoom_chat_reports::Include;
/// use zoom_chat_archive::ExportOptions;
///
/// let from = "2026-10-01".parse().unwrap();
/// let to = "2026-11-20".parse().unwrap();
/// let options = ExportOptions::new(from..=to).include(Include::ALL).resume(true);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ExportOptions {
    /// The days to export, any length within the last six months, ending today at the latest.
    pub range: RangeInclusive<NaiveDate>,
    /// Who may read what the archive creates. `None`: what an existing
    /// archive was created with, and the owner alone for a new one. Giving
    /// an existing archive other access than it was created with is refused.
    pub access: Option<Access>,
    /// Edited and deleted messages too. Defaults to none.
    pub include: Include,
    /// Sessions fetched at once. The client's rate limiter still applies to all of them together. Defaults to 8.
    pub concurrency: usize,
    /// Continue the export in the file instead of starting it. Defaults to false.
    pub resume: bool,
    /// Start over, replacing the file and its journal. Defaults to false, and
    /// an existing export is then never touched.
    pub overwrite: bool,
    /// Keep the export current instead of exporting `range` (see [`ExportOptions::daily_sync`]).
    pub sync: Option<SyncOptions>,
    /// Download every file the exported messages reference into this
    /// directory (see [`ExportOptions::files`]). Defaults to none.
    pub files_dir: Option<PathBuf>,
}

/// A daily sync: extend the export through yesterday and re-check the last days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SyncOptions {
    /// The first day of a new archive; `None` when the file already holds one.
    /// An existing archive must have started on this day, if given.
    pub first_day: Option<NaiveDate>,
    /// Complete days re-checked for edits, deletions and reactions made since
    /// they were archived. Defaults to 7.
    pub lookback_days: u32,
}

impl ExportOptions {
    /// Sent messages of `range`, 8 sessions at a time, in a new file.
    pub fn new(range: RangeInclusive<NaiveDate>) -> Self {
        Self {
            range,
            access: None,
            include: Include::NONE,
            concurrency: 8,
            resume: false,
            overwrite: false,
            sync: None,
            files_dir: None,
        }
    }

    /// Downloads every file an exported message references (`--files DIR`),
    /// once per `file_id`, to `DIR/<file_id>/<file name>`, and lists them with
    /// their SHA-256 and status in `DIR/files.jsonl`. Runs after the messages,
    /// on every run, and fetches only what no earlier run completed; a file
    /// that is gone or is not its declared size is recorded, not fatal.
    pub fn files(mut self, dir: impl Into<PathBuf>) -> Self {
        self.files_dir = Some(dir.into());
        self
    }

    /// Keeps the export in the file current (`--sync`): first finishes what
    /// earlier runs left unfinished, then extends it from the day after the
    /// last day it covers through yesterday (UTC), and re-checks the last
    /// `lookback_days` days before that for what Zoom reported late and for
    /// reactions added since. The first run, with no archive in the file yet,
    /// needs `first_day` and archives `first_day` through yesterday.
    ///
    /// Edits and deletions are selected by when they were made
    /// ([`Include::by_modification_time`]), so each is archived once, by the
    /// sync after the day it was made, however old the message. Records
    /// already in the archive are known by their kind, id and action time (and
    /// reactions) and not written again; only new ones are appended. A sync
    /// never archives today (an export of a range ending today, continued by
    /// a sync that day, keeps its today provisional, as a resume would).
    /// `range` is not used.
    pub fn daily_sync(first_day: Option<NaiveDate>, lookback_days: u32) -> Self {
        let day = first_day.unwrap_or(NaiveDate::MIN);
        let mut options = Self::new(day..=day);
        options.include.by_modification_time = true;
        options.sync = Some(SyncOptions {
            first_day,
            lookback_days,
        });
        options
    }

    /// Also export edited and/or deleted messages. A daily sync always
    /// selects edits and deletions by when they were made.
    pub fn include(mut self, include: Include) -> Self {
        self.include = include;
        if self.sync.is_some() {
            self.include.by_modification_time = true;
        }
        self
    }

    /// Sessions fetched at once; 0 counts as 1.
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency;
        self
    }

    /// Continue the export in the file (`--resume`).
    pub fn resume(mut self, resume: bool) -> Self {
        self.resume = resume;
        self
    }

    /// Who may read what a new archive creates (`--group-readable`):
    /// [`Access::Owner`] by default. An existing archive keeps what it was
    /// created with; asking it for other access is refused.
    pub fn access(mut self, access: Access) -> Self {
        self.access = Some(access);
        self
    }

    /// Replace the file and its journal (`--overwrite`).
    pub fn overwrite(mut self, overwrite: bool) -> Self {
        self.overwrite = overwrite;
        self
    }
}

/// What an export did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportSummary {
    /// Distinct sessions with messages in the windows this run listed.
    pub sessions: u64,
    /// Lines written by this run.
    pub messages: u64,
    /// Session windows finished by an earlier run and skipped.
    pub skipped_units: u64,
    /// Session windows finished by this run.
    pub units: u64,
    /// Session windows an earlier run recorded as done whose data failed its
    /// check (after a power cut the last units may not reach the disk): fetched again.
    pub refetched_units: u64,
    /// Bytes cut from the end of the output, left by a run stopped while
    /// copying a session window in; that window was fetched again.
    pub cut_bytes: u64,
    /// Sessions in the sessions sidecar (`OUT.sessions.jsonl`) after this run.
    pub sessions_in_sidecar: u64,
    /// Records a daily sync fetched that the archive already held (found again
    /// by its lookback, say), and did not write again.
    pub already_archived: u64,
    /// The days a daily sync added and re-checked; `None` when the archive
    /// was already current, or for an export of a range.
    pub synced: Option<SyncedDays>,
    /// Sessions in the window that includes today: written, but fetched again
    /// by a resume, since Zoom is still adding to that day.
    pub provisional_units: u64,
    /// What the files run did, with [`ExportOptions::files`].
    pub files: Option<FilesSummary>,
    /// The client's request counters at the end.
    pub stats: TransportStats,
    /// How long this run took.
    pub elapsed: Duration,
    /// Sessions Zoom could not serve in this run, each for one month window:
    /// tried again by the next run unless given up.
    pub failed_sessions: Vec<FailedSession>,
}

/// What a daily sync planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SyncedDays {
    /// The first day re-checked: the lookback's first day.
    pub rechecked_from: NaiveDate,
    /// The first day new to the archive.
    pub new_from: NaiveDate,
    /// The last day: yesterday.
    pub to: NaiveDate,
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
///
/// Every message is a complete sentence for a user of the command line: it
/// names the file and, where one helps, the flag to use (`--resume`,
/// `--overwrite`, `--out`). [`is_resumable_stop`](Self::is_resumable_stop) and
/// [`is_usage_error`](Self::is_usage_error) sort them for exit codes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// Zoom, or the way to it, failed. For a daily limit, see [`Error::daily_limit_reset`].
    /// Everything finished before is saved and journaled.
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
    /// Writing the output failed while exporting (a full disk, for one).
    /// Everything finished before is saved and journaled, and a unit half
    /// written is cut off, so `resume` continues once the cause is fixed.
    #[error("{path}: {source}")]
    Write {
        /// The output file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// `--resume` found a journal that is damaged or from another version.
    #[error(
        "cannot resume {}: its journal {} {problem}. Nothing was changed; to start over, keep a copy of both files, then run with --overwrite instead of --resume, or export to another --out",
        output.display(),
        journal.display()
    )]
    Journal {
        /// The output file.
        output: PathBuf,
        /// The journal.
        journal: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// `--resume` found the output changed in a way no crash leaves behind (a
    /// unit changed in the middle, lines added after the last unit, or data of
    /// dates Zoom no longer reports that fails its check). Nothing was changed:
    /// resuming would have discarded data.
    #[error(
        "cannot resume {}: {problem}. Nothing was changed; keep a copy of it and of its journal {}, then start a new export to another --out (or, not with --sync, over this one with --overwrite)",
        output.display(),
        journal.display()
    )]
    Damaged {
        /// The output file.
        output: PathBuf,
        /// The journal.
        journal: PathBuf,
        /// What is wrong, with byte offsets.
        problem: String,
    },
    /// `--out` cannot hold an export: a directory, a device, a FIFO, `-`, or
    /// a path in a directory that does not exist. Nothing was written.
    #[error("--out {}: {problem}", output.display())]
    BadOutput {
        /// The path given.
        output: PathBuf,
        /// Why it cannot be used.
        problem: String,
    },
    /// `--files` cannot hold the files: not a directory, or its index or
    /// lock is a link or not a regular file. Nothing was written.
    #[error("--files {}: {problem}", dir.display())]
    BadFilesDir {
        /// The directory given.
        dir: PathBuf,
        /// Why it cannot be used.
        problem: String,
    },
    /// The SDK yielded a kind of message event this version does not know
    /// (a newer `zoom-chat-reports`). The unit was not written.
    #[error("the Zoom client reported an event this version of the archive does not know: {event}")]
    UnknownEvent {
        /// The event, as `Debug` shows it (ids and counts, no chat content).
        event: String,
    },
    /// The stop signal fired; everything finished so far is on disk and journaled.
    #[error("interrupted")]
    Interrupted,
    /// The output already holds data, or has a journal, and neither `resume` nor `overwrite` was asked for. Nothing was changed.
    #[error("{}", already_exists_message(output, journal.as_deref()))]
    AlreadyExists {
        /// The output file.
        output: PathBuf,
        /// Its journal, if there is one: then resuming can continue the export.
        journal: Option<PathBuf>,
    },
    /// `resume` was asked for, but the output holds data and has no journal, so what it holds is unknown. Nothing was changed.
    #[error(
        "cannot resume {}: it has data but no journal ({}), so what it holds is unknown; to replace it, run with --overwrite instead of --resume, or export to another --out",
        output.display(),
        journal.display()
    )]
    NoJournal {
        /// The output file.
        output: PathBuf,
        /// Where its journal would be.
        journal: PathBuf,
    },
    /// Another export is writing to the same output. Nothing was changed.
    #[error(
        "{} is in use by another export or a verify ({}the lock on {} is held); wait for it to finish or stop it, then run this again",
        output.display(),
        holder.map(|pid| format!("the last export to take it was process {pid}; ")).unwrap_or_default(),
        lock.display()
    )]
    Locked {
        /// The output file.
        output: PathBuf,
        /// The lock file.
        lock: PathBuf,
        /// The process holding the lock, if it could be read.
        holder: Option<u32>,
    },
    /// The export in the file came from another API or account than this client's. Nothing was changed.
    #[error("{}", source_mismatch_message(output, recorded, current))]
    SourceMismatch {
        /// The output file.
        output: PathBuf,
        /// Where the export in the file came from.
        recorded: Box<Source>,
        /// Where this client reads from.
        current: Box<Source>,
    },
    /// The export in the file is of another range or other message kinds. Nothing was changed.
    #[error(
        "cannot resume {}: it is an export of {recorded}, not of {requested}; resume with the same --from, --to and --include (a --sync: the same --include, and --from only as first given), or start over with --overwrite",
        output.display()
    )]
    OptionsMismatch {
        /// The output file.
        output: PathBuf,
        /// The range and kinds in the file's journal.
        recorded: String,
        /// The range and kinds asked for.
        requested: String,
    },
    /// The range ends after today (UTC). Nothing was written.
    #[error(
        "--to {to} is after today ({today}, UTC): Zoom cannot report days that have not happened yet; use --to {today} or earlier"
    )]
    EndsAfterToday {
        /// The last day asked for.
        to: NaiveDate,
        /// Today, by the client's clock.
        today: NaiveDate,
    },
    /// A daily sync found no archive in the file and was given no first day. Nothing was written.
    #[error(
        "{} holds no archive yet: give the first day to archive with --from on the first --sync run",
        output.display()
    )]
    SyncNeedsFirstDay {
        /// The output file.
        output: PathBuf,
    },
    /// A daily sync's first day is today or later: no complete day to archive yet. Nothing was written.
    #[error(
        "--from {from} leaves no complete day to archive: a sync archives up to yesterday ({}), since Zoom is still adding to today ({today}, UTC)",
        today.pred_opt().unwrap_or(*today)
    )]
    NothingComplete {
        /// The first day asked for.
        from: NaiveDate,
        /// Today, by the client's clock.
        today: NaiveDate,
    },
    /// The export finished every other session, but Zoom could not serve
    /// some, each for one month window ([`ExportSummary::failed_sessions`]):
    /// the next run tries them again, unless they were given up.
    #[error(
        "{} session window(s) of {} could not be fetched; everything else is archived",
        summary.failed_sessions.len(),
        output.display()
    )]
    SessionsFailed {
        /// The output file.
        output: PathBuf,
        /// What this run did, the failed sessions included.
        summary: Box<ExportSummary>,
    },
    /// Other access than the archive was created with was asked for. Nothing was changed.
    #[error(
        "{} was created {}, and this run asked for it to be {}. Every later run keeps the access an archive was created with, so that one option cannot open or narrow it: run without --group-readable",
        output.display(),
        recorded.describe(),
        asked.describe()
    )]
    AccessMismatch {
        /// The output file.
        output: PathBuf,
        /// The access its journal records.
        recorded: Access,
        /// The access asked for.
        asked: Access,
    },
    /// `overwrite` was asked for with `resume` or a daily sync. Nothing was written.
    #[error(
        "--overwrite cannot be used with --resume or --sync: those continue the export in the file, --overwrite replaces it"
    )]
    ConflictingOptions,
    /// The export finished everything Zoom still reports, but some dates were
    /// still to do when they passed out of Zoom's six months: the file lacks
    /// them. Resuming cannot help; the loss is recorded in the journal and
    /// reported by every later resume.
    #[error("{}", dates_lost_message(output, lost))]
    DatesLost {
        /// The output file.
        output: PathBuf,
        /// The dates that could no longer be fetched, in order.
        lost: Vec<DateWindow>,
        /// What this run did.
        summary: Box<ExportSummary>,
    },
}

fn already_exists_message(output: &Path, journal: Option<&Path>) -> String {
    match journal {
        Some(journal) => format!(
            "{} already holds an export (journal {}): to continue it, run the same command with --resume; to start over and replace it, add --overwrite",
            output.display(),
            journal.display()
        ),
        None => format!(
            "{} already exists and is not empty: to replace it, add --overwrite, or export to another --out",
            output.display()
        ),
    }
}

fn source_mismatch_message(output: &Path, recorded: &Source, current: &Source) -> String {
    let start = format!(
        "cannot resume {}: it was exported from {recorded}, but this run reads from {current}, and resuming would mix the two",
        output.display()
    );
    let fake = |source: &Source| matches!(source.account, SourceAccount::FakeDataset { .. });
    let advice = if fake(current) && !fake(recorded) {
        // Most likely an environment lost under cron or sudo: --overwrite would
        // replace a real archive with made-up data, so it is not suggested.
        "this run found no Zoom credentials; set the ones of that account (ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and \
         ZOOM_CLIENT_SECRET, or ZOOM_ACCESS_TOKEN, and ZOOM_API_BASE if it was set) and run again"
            .to_string()
    } else if fake(recorded) && !fake(current) {
        "the file holds the built-in fake Zoom's sample data; export your account to another --out, or replace \
         the sample with --overwrite"
            .to_string()
    } else if fake(recorded) && fake(current) {
        "the file holds another version of the built-in fake's sample data; start over with --overwrite, or use \
         another --out"
            .to_string()
    } else if matches!(
        (&recorded.account, &current.account),
        (SourceAccount::TokenFingerprint(_), SourceAccount::TokenFingerprint(_))
    ) {
        "an access token that names no account is known only by its fingerprint, so only the same token can \
         resume; use that token, or start a new export with --overwrite or another --out"
            .to_string()
    } else {
        "resume with the same ZOOM_API_BASE and credentials, or start a new export with --overwrite or another --out"
            .to_string()
    };
    format!("{start}; {advice}. Nothing was changed")
}

fn dates_lost_message(output: &Path, lost: &[DateWindow]) -> String {
    // Month windows that follow each other are one stretch of days.
    let mut merged: Vec<DateWindow> = Vec::new();
    for window in lost {
        match merged.last_mut() {
            Some(last) if last.to.succ_opt() == Some(window.from) => last.to = window.to,
            _ => merged.push(*window),
        }
    }
    let dates: Vec<String> = merged.iter().map(ToString::to_string).collect();
    format!(
        "{} is complete except for {}: Zoom reports only the last six months, and these dates passed out of reach before the export could fetch them (sessions of those months finished earlier are complete; for the others these dates are missing)",
        output.display(),
        dates.join(", ")
    )
}

impl ExportError {
    /// Whether the export stopped in good order and running it again with
    /// `resume` continues where it stopped: it was interrupted, or Zoom's daily
    /// limit was reached (see [`Error::daily_limit_reset`] for when).
    pub fn is_resumable_stop(&self) -> bool {
        matches!(
            self,
            ExportError::Interrupted | ExportError::Zoom(Error::RateLimited { daily: true, .. })
        )
    }

    /// Whether the arguments cannot be acted on as given (a range Zoom cannot
    /// report, a file that needs `--resume` or `--overwrite`, a resume that does
    /// not match the file): nothing was written, and other arguments are needed.
    pub fn is_usage_error(&self) -> bool {
        matches!(
            self,
            ExportError::Zoom(Error::InvalidRange(_))
                | ExportError::AlreadyExists { .. }
                | ExportError::NoJournal { .. }
                | ExportError::SourceMismatch { .. }
                | ExportError::OptionsMismatch { .. }
                | ExportError::EndsAfterToday { .. }
                | ExportError::ConflictingOptions
                | ExportError::AccessMismatch { .. }
                | ExportError::BadOutput { .. }
                | ExportError::BadFilesDir { .. }
                | ExportError::SyncNeedsFirstDay { .. }
                | ExportError::NothingComplete { .. }
        )
    }

    /// Whether everything finished before the error is saved and journaled, so
    /// that `resume` continues the export (after the cause is fixed).
    pub fn can_resume(&self) -> bool {
        match self {
            ExportError::Interrupted => true,
            ExportError::Zoom(error) => !matches!(error, Error::InvalidRange(_)),
            // A full disk or a failing write while exporting: what was saved
            // before is journaled, and a partly written unit is cut off.
            ExportError::Write { .. } => true,
            // Everything else is saved; the next run tries the sessions again.
            ExportError::SessionsFailed { .. } => true,
            _ => false,
        }
    }

    /// The dates that could no longer be fetched, for [`ExportError::DatesLost`]; empty otherwise.
    pub fn lost_dates(&self) -> &[DateWindow] {
        match self {
            ExportError::DatesLost { lost, .. } => lost,
            _ => &[],
        }
    }
}

/// A failed write of the data while exporting, which `resume` recovers from.
pub(crate) fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Write {
        path: path.to_path_buf(),
        source,
    }
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What the export in `output` asked Zoom for, as its journal records it;
/// `None` when there is no export there. A daily sync must ask for the same:
/// a caller without its own choice can pass this to [`ExportOptions::include`].
pub async fn recorded_include(output: &Path) -> Result<Option<Include>, ExportError> {
    let journal = journal_path(output);
    let header = journal::read_header(&journal)
        .await
        .map_err(|problem| ExportError::Journal {
            output: output.to_path_buf(),
            journal: journal.clone(),
            problem,
        })?;
    Ok(header.map(|h| h.include))
}

/// Exports every message of every session in `options.range` to `output`, one
/// JSON object per line. Stops, with everything finished so far saved, when
/// `stop` completes or on the first error (after writing the units already
/// fetched).
///
/// Refuses, before writing anything, a range that ends after today, a
/// non-empty output or an existing journal unless `resume` or `overwrite` is
/// set, and a second export to the same output while one runs.
///
/// Dates: today is read once, from the client's clock, when the export
/// starts. A new export plans its month windows then and records them; a
/// resume uses the recorded windows, skips finished ones without looking at
/// the date, and checks only those still to do against Zoom's six months.
/// Dates that have meanwhile passed out of reach are skipped, everything else
/// is finished, and the export ends with [`ExportError::DatesLost`]. A window
/// that includes today is written but never journaled as done, since Zoom is
/// still adding to it: a resume fetches it again.
pub async fn export_jsonl(
    client: &Client,
    output: &Path,
    options: &ExportOptions,
    progress: &(dyn Fn(ExportProgress) + Send + Sync),
    stop: impl Future<Output = ()>,
) -> Result<ExportSummary, ExportError> {
    // The export itself is not generic over `stop`, so it is compiled once, in
    // this crate, instead of in every caller's: `stop` only raises a flag that
    // the export watches. This keeps the CLI's clean build seconds shorter.
    let (raise_stop, stop_flag) = tokio::sync::watch::channel(false);
    let export = export_until_stopped(client, output, options, progress, stop_flag);
    tokio::pin!(export, stop);
    tokio::select! {
        biased;
        result = &mut export => result,
        () = &mut stop => {
            let _ = raise_stop.send(true);
            export.await
        }
    }
}

async fn export_until_stopped(
    client: &Client,
    output: &Path,
    options: &ExportOptions,
    progress: &(dyn Fn(ExportProgress) + Send + Sync),
    mut stop_flag: tokio::sync::watch::Receiver<bool>,
) -> Result<ExportSummary, ExportError> {
    let stop_watch = stop_flag.clone();
    let stop = async move {
        // The sender lives as long as the export; were it gone, nobody could stop it.
        if stop_flag.wait_for(|&stopped| stopped).await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let started = Instant::now();
    if options.overwrite && (options.resume || options.sync.is_some()) {
        return Err(ExportError::ConflictingOptions);
    }
    let today = client.today();
    let sync_options;
    let options = match options.sync {
        Some(sync) => {
            // First: a directory or FIFO named as --out is that, not an archive without a first day.
            check_output_path(output)?;
            sync_options = options_for_sync(output, options, sync, today)?;
            &sync_options
        }
        None => options,
    };
    let (from, to) = (*options.range.start(), *options.range.end());
    if from > to {
        return Err(Error::from(RangeError::Reversed { from, to }).into());
    }
    if to > today {
        return Err(ExportError::EndsAfterToday { to, today });
    }
    check_output_path(output)?;
    if let Some(dir) = &options.files_dir {
        files::check_dir(dir)?;
    }
    let windows_for_a_new_export = month_windows(&options.range, today);
    if let (false, Err(error)) = (options.resume, &windows_for_a_new_export) {
        // A file that holds an export is named first: rerunning an old
        // command must not read as only a date problem.
        if !options.overwrite {
            refuse_existing_export(output).await?;
        }
        // A range Zoom cannot report fails before any file is touched.
        return Err(Error::from(error.clone()).into());
    }

    let access = archive_access(output, options).await?;
    // Whether this run creates the output (the lock creates it to lock it).
    let output_existed = std::fs::symlink_metadata(output).is_ok();
    let lock = ExportLock::acquire(output, access)?;
    // Under the lock: a twin export started at the same moment holds its own
    // lock (taken before it looks at this one's), and is refused or refuses.
    let start = match lock::refuse_running_twin(output, &twin_of(output))
        .and_then(|()| refuse_twin_export(output))
        .and_then(|()| spool::remove_leftovers(output))
    {
        Ok(()) => open_export(client, output, options, access, today, windows_for_a_new_export).await,
        Err(error) => Err(error),
    };
    let mut start = match start {
        Ok(start) => start,
        Err(error) => {
            // Refused before anything was written: leave no empty file behind.
            if !output_existed {
                remove_if_empty(output);
            }
            return Err(error);
        }
    };
    if start.new_journal {
        // A new export in files that may have existed before (`overwrite`, or
        // an empty output): they get its access, not the one they had.
        lock.set_access(access).map_err(io_error(output))?;
    }
    // Durable before the output is touched: a crash from here on is never
    // taken for the good end of an earlier run (see `journal::recover`).
    start.journal.append(&Entry::Opened).await?;
    let mut synced = None;
    if let Some(sync) = options.sync
        && let Some(segment) = plan_sync(&start.recovered, today, sync.lookback_days)
    {
        synced = Some(SyncedDays {
            rechecked_from: segment.from,
            new_from: segment.new_from,
            to: segment.to,
        });
        start.journal.append(&Entry::Sync(segment.clone())).await?;
        start.recovered.segments.push(segment);
    }
    start.journal.sync().await?;
    let mut file = open_output(output, start.recovered.length, access).await?;
    let sessions = std::mem::take(&mut start.recovered.sessions);
    let mut writer = OutputWriter {
        path: output,
        sessions,
        length: start.recovered.length,
        journal: start.journal,
        progress,
        summary: ExportSummary {
            refetched_units: start.recovered.refetched_units,
            cut_bytes: start.recovered.torn_bytes,
            synced,
            ..ExportSummary::default()
        },
    };
    let result = run(client, options, &start.recovered, today, &mut file, &mut writer, stop).await;
    // Whatever happened, what was written is made durable before returning.
    let flushed = file.flush().await.map_err(write_error(output));
    if result.is_err() || flushed.is_err() {
        // A unit half written when a write failed is cut off, so that the
        // file holds whole lines only; it is fetched again by a resume.
        file.get_ref().set_len(writer.length).await.map_err(io_error(output))?;
    }
    flushed?;
    file.get_ref().sync_data().await.map_err(io_error(output))?;
    let nothing_written = nothing_written_by(start.new_journal, &writer, &result);
    // Rebuilt whole at the end of every run, whatever the result: it then
    // holds every session of the windows finished so far.
    let sidecar = if nothing_written {
        Ok(())
    } else {
        writer.sessions.write(output, access).await
    };
    // The files of what is written, once the messages are done. They touch
    // neither the output nor the journal; a crash among them is a crash
    // after this run's units, which a resume checks and keeps.
    let files = match (&options.files_dir, &result, nothing_written) {
        (Some(dir), Ok(_), false) => Some(
            files::download_all(
                client,
                output,
                writer.length,
                dir,
                options.concurrency,
                access,
                stop_watch,
            )
            .await,
        ),
        _ => None,
    };
    // The days lost are reported by this return; journaled, so that later
    // syncs do not report them again, only when nothing else stops the run
    // from returning them.
    let everything_else_done = sidecar.is_ok() && files.as_ref().is_none_or(Result::is_ok);
    let losses = match &result {
        Ok(lost) if !lost.segments.is_empty() && everything_else_done => {
            let entry = Entry::LossesReported {
                segments: lost.segments.clone(),
            };
            writer.journal.append(&entry).await
        }
        _ => Ok(()),
    };
    // The run ends in good order: everything up to here is on disk, so a
    // resume holds it to its checksums strictly (see `journal::recover`).
    let closed = writer.journal.append(&Entry::Closed { bytes: writer.length }).await;
    let synced = writer.journal.sync().await;
    let result = match result {
        Err(error) if nothing_written => {
            // A new export that failed before writing anything (wrong
            // credentials, say) leaves nothing to resume: the same command,
            // once the cause is fixed, starts it afresh, even from another source.
            drop(file);
            drop(writer);
            let _ = std::fs::remove_file(journal_path(output));
            if !output_existed {
                remove_if_empty(output);
            }
            return Err(error);
        }
        other => other,
    };
    writer.summary.sessions_in_sidecar = writer.sessions.len() as u64;
    // Whatever happened, the manifest describes what the files now hold.
    let manifest = manifest::write(output, options.files_dir.as_deref(), access).await;
    // The run's own error first: a journal that cannot be written after a full disk says less.
    let lost = result?.windows;
    sidecar?;
    writer.summary.files = files.transpose()?;
    losses?;
    closed?;
    synced?;
    manifest?;

    let mut summary = writer.summary;
    summary.stats = client.stats();
    summary.elapsed = started.elapsed();
    if !lost.is_empty() {
        return Err(ExportError::DatesLost {
            output: output.to_path_buf(),
            lost,
            summary: Box::new(summary),
        });
    }
    if !summary.failed_sessions.is_empty() {
        return Err(ExportError::SessionsFailed {
            output: output.to_path_buf(),
            summary: Box::new(summary),
        });
    }
    Ok(summary)
}

/// What [`check_access`] found: the access the archive was created with,
/// and every path of it that more people can read than that allows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccessReport {
    /// What the archive's journal records; [`Access::Owner`] for an archive
    /// whose journal predates the record, or that has none.
    pub access: Access,
    /// The paths that are looser than `access`, with the mode each should have.
    pub loose: Vec<LoosePath>,
}

/// Lists the paths of the archive in `output` that more people can read than
/// it was created for: the output, its journal, lock, sessions sidecar and
/// manifest, and the files directory (`files_dir`, or the one the manifest
/// records) and its index; with `deep`, every file and folder the archive
/// put in the files directory too (the folders its index lists, nothing
/// else there). Reads modes only; changes nothing. An `output` that is not a
/// regular file is refused ([`ExportError::BadOutput`]); one that does not
/// exist has nothing to list. On systems other than Unix the list is always
/// empty: no mode is set or checked there.
pub async fn check_access(output: &Path, files_dir: Option<&Path>, deep: bool) -> Result<AccessReport, ExportError> {
    // Only an archive's own paths are judged: `--out .` or a mistyped
    // directory must not have the user's directory listed, nor tightened.
    match tokio::fs::symlink_metadata(output).await {
        Ok(metadata) if metadata.is_file() => {}
        Ok(_) => {
            return Err(ExportError::BadOutput {
                output: output.to_path_buf(),
                problem: "is not an archive's JSON Lines file (a directory, link, FIFO or device)".into(),
            });
        }
        // No archive yet: nothing of it to judge.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(AccessReport {
                access: Access::default(),
                loose: Vec::new(),
            });
        }
        Err(e) => return Err(io_error(output)(e)),
    }
    let access = match journal::read_header(&journal_path(output)).await {
        Ok(Some(header)) => header.access,
        _ => Access::default(),
    };
    let recorded_dir = match files_dir {
        Some(_) => None,
        None => read_manifest(output)
            .await
            .ok()
            .flatten()
            .and_then(|manifest| manifest::files_dir_of(output, &manifest)),
    };
    let files_dir = files_dir.map(Path::to_path_buf).or(recorded_dir);
    let mut companions = vec![
        output.to_path_buf(),
        journal_path(output),
        lock_path(output),
        sessions_path(output),
        manifest_path(output),
    ];
    if let Some(dir) = &files_dir {
        companions.push(files_index_path(dir));
        companions.push(lock_path(&files_index_path(dir)));
    }
    let mut file_folders = Vec::new();
    if let (Some(dir), true) = (&files_dir, deep) {
        let index = files::read_index(&files_index_path(dir)).await?;
        let folders: std::collections::BTreeSet<String> = index
            .values()
            .filter_map(|record| record.path.split('/').next().map(str::to_string))
            .filter(|folder| !folder.is_empty() && folder != ".." && folder != ".")
            .collect();
        file_folders = folders.into_iter().map(|folder| dir.join(folder)).collect();
    }
    let loose = access::loose_paths(access, &companions, files_dir.as_deref(), &file_folders)
        .map_err(io_error(files_dir.as_deref().unwrap_or(output)))?;
    Ok(AccessReport { access, loose })
}

/// Takes away, from each path listed, the permission bits its archive's
/// access does not allow (group and others, or others, and group write),
/// leaving every other bit as it is. Symlinks are never followed or changed.
pub fn tighten_access(report: &AccessReport) -> Result<(), ExportError> {
    for loose in &report.loose {
        access::tighten(loose).map_err(io_error(&loose.path))?;
    }
    Ok(())
}

/// Who may read the archive: what its journal records, for an archive that
/// is there; what was asked (the owner alone, unless asked otherwise), for a
/// new one or one `overwrite` replaces. Asking an existing archive for other
/// access is refused: a later run, by cron for years, must not open or
/// narrow it by one option.
async fn archive_access(output: &Path, options: &ExportOptions) -> Result<Access, ExportError> {
    // A journal that cannot be read is named by the checks that follow.
    let recorded = match journal::read_header(&journal_path(output)).await {
        Ok(Some(header)) if !options.overwrite => Some(header.access),
        _ => None,
    };
    match (recorded, options.access) {
        (Some(recorded), Some(asked)) if recorded != asked => Err(ExportError::AccessMismatch {
            output: output.to_path_buf(),
            recorded,
            asked,
        }),
        (Some(recorded), _) => Ok(recorded),
        (None, asked) => Ok(asked.unwrap_or_default()),
    }
}

/// The export's state after the checks: what is done, and the journal to append to.
struct Start {
    recovered: Recovered,
    journal: JournalWriter,
    /// The journal was created by this run: a new export.
    new_journal: bool,
}

/// Decides, under the lock, whether this is a new export or a resumed one, and
/// refuses everything that would lose or mix data.
/// Refuses an `--out` that cannot hold an export, before anything is
/// created: `-`, a path ending in a separator, an existing directory, device
/// or FIFO (opening a FIFO would block), or a path in a directory that does not
/// exist.
fn check_output_path(output: &Path) -> Result<(), ExportError> {
    let bad = |problem: &str| ExportError::BadOutput {
        output: output.to_path_buf(),
        problem: problem.to_string(),
    };
    let text = output.as_os_str().as_encoded_bytes();
    if output.as_os_str() == "-" {
        return Err(bad(
            "standard output cannot hold an export, which must be a file it can journal and resume; give a file name",
        ));
    }
    let ends_in_separator = text.last().is_some_and(|&b| std::path::is_separator(char::from(b)));
    let Some(name) = output.file_name().filter(|_| !ends_in_separator) else {
        return Err(bad("is not a file name; give a file such as chat.jsonl"));
    };
    let name = name.to_string_lossy();
    if [".journal", ".lock", ".sessions.jsonl", ".manifest.json"]
        .iter()
        .any(|suffix| name.ends_with(suffix))
        || name.contains(".spool-")
        || name.contains(".journal.tmp-")
    {
        return Err(bad(
            "is named like an export's journal, lock, spool, sessions or manifest file; give the export's own file, such as chat.jsonl",
        ));
    }
    refuse_twin_export(output)?;
    // The journal and lock beside it must be files too: opening a FIFO would
    // block. Nor links: writing through one would write outside the archive.
    for beside in [
        journal_path(output),
        lock_path(output),
        sessions_path(output),
        manifest_path(output),
    ] {
        if std::fs::symlink_metadata(&beside).is_ok_and(|m| !m.is_file()) {
            return Err(bad(&format!(
                "{} exists and is not a regular file (a directory, FIFO or symbolic link); move it away",
                beside.display()
            )));
        }
    }
    if std::fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink()) && !output.exists() {
        return Err(bad(
            "is a symbolic link to a file that does not exist; give a real path",
        ));
    }
    match std::fs::metadata(output) {
        Ok(metadata) if metadata.is_file() => return Ok(()),
        Ok(metadata) if metadata.is_dir() => {
            return Err(bad("is a directory; give a file in it, such as chat.jsonl"));
        }
        Ok(_) => {
            return Err(bad(
                "is not a regular file (a device, FIFO or socket); give a file name",
            ));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(output)(e)),
    }
    let directory = spool::directory_of(output);
    match std::fs::metadata(directory) {
        Ok(metadata) if metadata.is_dir() => Ok(()),
        Ok(_) => Err(bad(&format!("{} is not a directory", directory.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(bad(&format!(
            "the directory {} does not exist; create it first",
            directory.display()
        ))),
        Err(e) => Err(io_error(directory)(e)),
    }
}

/// The other output that shares this one's sidecar and manifest: `chat` for
/// `chat.jsonl`, and `chat.jsonl` for `chat`.
fn twin_of(output: &Path) -> PathBuf {
    let name = output.file_name().unwrap_or_default().to_string_lossy();
    match name.strip_suffix(".jsonl") {
        Some(stem) => output.with_file_name(stem),
        None => output.with_file_name(format!("{name}.jsonl")),
    }
}

/// [`ExportError::BadOutput`] if the twin of `output` (see [`twin_of`]) holds
/// an export: the two would share `chat.sessions.jsonl` and `chat.manifest.json`.
fn refuse_twin_export(output: &Path) -> Result<(), ExportError> {
    let twin = twin_of(output);
    if std::fs::symlink_metadata(journal_path(&twin)).is_ok() {
        return Err(ExportError::BadOutput {
            output: output.to_path_buf(),
            problem: format!(
                "would share its sessions and manifest files ({} and {}) with the export in {}; give another name",
                sessions_path(output).display(),
                manifest_path(output).display(),
                twin.display()
            ),
        });
    }
    Ok(())
}

/// The output's length (0 if it does not exist) and whether its journal exists.
async fn existing_export(output: &Path) -> Result<(u64, bool), ExportError> {
    let journal_file = journal_path(output);
    let output_len = match tokio::fs::metadata(output).await {
        Ok(metadata) => metadata.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
        Err(e) => return Err(io_error(output)(e)),
    };
    let journal_exists = tokio::fs::try_exists(&journal_file)
        .await
        .map_err(io_error(&journal_file))?;
    Ok((output_len, journal_exists))
}

/// Whether a new export failed before writing anything: then it leaves
/// nothing behind (see `export_until_stopped`).
fn nothing_written_by<T>(new_journal: bool, writer: &OutputWriter<'_>, result: &Result<T, ExportError>) -> bool {
    result.is_err() && new_journal && writer.length == 0 && writer.summary.units == 0
}

/// Removes `output` if it is an empty file: one this run created to lock it.
fn remove_if_empty(output: &Path) {
    if std::fs::metadata(output).is_ok_and(|m| m.is_file() && m.len() == 0) {
        let _ = std::fs::remove_file(output);
    }
}

/// [`ExportError::AlreadyExists`] if `output` holds data or has a journal.
async fn refuse_existing_export(output: &Path) -> Result<(), ExportError> {
    let (output_len, journal_exists) = existing_export(output).await?;
    let journal_file = journal_path(output);
    if journal_exists || output_len > 0 {
        return Err(ExportError::AlreadyExists {
            output: output.to_path_buf(),
            journal: journal_exists.then_some(journal_file),
        });
    }
    Ok(())
}

async fn open_export(
    client: &Client,
    output: &Path,
    options: &ExportOptions,
    access: Access,
    today: NaiveDate,
    windows_for_a_new_export: Result<Vec<DateWindow>, RangeError>,
) -> Result<Start, ExportError> {
    let journal_file = journal_path(output);
    let (output_len, journal_exists) = existing_export(output).await?;
    if options.resume && journal_exists {
        let recovered = journal::recover(&journal_file, output, earliest_reportable(today), |header| {
            check_resume(header, client.source(), output, options)
        })
        .await?;
        let journal = JournalWriter::open(&journal_file).await?;
        return Ok(Start {
            recovered,
            journal,
            new_journal: false,
        });
    }
    if options.resume && output_len > 0 {
        return Err(ExportError::NoJournal {
            output: output.to_path_buf(),
            journal: journal_file,
        });
    }
    if !options.resume && !options.overwrite {
        refuse_existing_export(output).await?;
    }

    // A new export: `overwrite`, or nothing there to lose.
    let windows = windows_for_a_new_export.map_err(Error::from)?;
    let header = Header::new(
        client.source().clone(),
        *options.range.start(),
        *options.range.end(),
        options.include,
        &windows,
        access,
    );
    // The new journal goes in first: were the process to die before the
    // output is emptied, a resume would find no unit done and cut it back.
    let journal = JournalWriter::create(&journal_file, &header).await?;
    // The sidecar and manifest of the export this one replaces are not this one's.
    for beside in [sessions_path(output), manifest_path(output)] {
        match tokio::fs::remove_file(&beside).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&beside)(e)),
        }
    }
    Ok(Start {
        new_journal: true,
        recovered: Recovered::new(header),
        journal,
    })
}

fn describe(from: NaiveDate, to: NaiveDate, include: Include) -> String {
    format!("{from}..={to} ({include})")
}

fn check_resume(header: &Header, source: &Source, output: &Path, options: &ExportOptions) -> Result<(), ExportError> {
    if &header.source != source {
        return Err(ExportError::SourceMismatch {
            output: output.to_path_buf(),
            recorded: Box::new(header.source.clone()),
            current: Box::new(source.clone()),
        });
    }
    // How edits are selected is not compared: the export's own windows keep
    // the selection its journal records, and a sync's select by when they
    // were made, whichever command continues them.
    let kinds = |include: Include| include.by_modification_time(false);
    let (recorded, requested) = match options.sync {
        // A sync extends the archive: its end moves.
        Some(sync) => (
            describe(header.from, header.to, kinds(header.include)),
            describe(sync.first_day.unwrap_or(header.from), header.to, kinds(options.include)),
        ),
        None => (
            describe(header.from, header.to, kinds(header.include)),
            describe(*options.range.start(), *options.range.end(), kinds(options.include)),
        ),
    };
    if recorded != requested {
        return Err(ExportError::OptionsMismatch {
            output: output.to_path_buf(),
            recorded,
            requested,
        });
    }
    Ok(())
}

/// A sync's options as the export runs them: a resume of the archive in the
/// file, or a new archive of `first_day` through yesterday.
fn options_for_sync(
    output: &Path,
    options: &ExportOptions,
    sync: SyncOptions,
    today: NaiveDate,
) -> Result<ExportOptions, ExportError> {
    let yesterday = today.pred_opt().unwrap_or(today);
    let archive_exists = std::fs::symlink_metadata(journal_path(output)).is_ok();
    let first_day = match sync.first_day {
        Some(day) => day,
        None if archive_exists => yesterday,
        None => {
            return Err(ExportError::SyncNeedsFirstDay {
                output: output.to_path_buf(),
            });
        }
    };
    if !archive_exists && first_day >= today {
        return Err(ExportError::NothingComplete { from: first_day, today });
    }
    let mut effective = options.clone();
    effective.range = first_day..=yesterday.max(first_day);
    effective.resume = true;
    effective.include.by_modification_time = true;
    Ok(effective)
}

/// The next segment of a daily sync: from the day after the last day the
/// archive plans (every planned window is finished by the run before the new
/// segment starts) through yesterday, with `lookback_days` complete days
/// before it re-checked. `None` when the archive already reaches yesterday.
fn plan_sync(recovered: &Recovered, today: NaiveDate, lookback_days: u32) -> Option<journal::Segment> {
    let yesterday = today.pred_opt()?;
    let last_planned = recovered.segments.iter().map(|s| s.to).max()?;
    let new_from = last_planned.succ_opt()?;
    if new_from > yesterday {
        return None;
    }
    // While an earlier sync is unfinished (this run finishes it first), its
    // own lookback covers the days before it: the new segment adds only new
    // days, so failed runs do not pile up overlapping re-checks.
    let earlier_unfinished = recovered
        .segments
        .iter()
        .any(|s| s.is_sync() && unfinished(recovered, s));
    let lookback_days = if earlier_unfinished { 0 } else { lookback_days };
    let earliest = earliest_reportable(today);
    let mut from = new_from
        .checked_sub_days(chrono::Days::new(lookback_days.into()))
        .unwrap_or(NaiveDate::MIN);
    // The first sync of an export that selected edits by the day the message
    // was sent re-checks its whole range by when they were made, once: edits
    // made in it to older messages are otherwise in neither.
    let header = &recovered.header;
    let first_sync = !recovered.segments.iter().any(journal::Segment::is_sync);
    if first_sync && !header.include.selects_by_modification_time() && (header.include.edited || header.include.deleted)
    {
        from = header.from;
    }
    let from = from.max(header.from).max(earliest).min(new_from);
    // Planned as of `from`: days Zoom no longer reports are found, and
    // recorded as lost, by the run, as for a resume.
    let windows = month_windows(&(from..=yesterday), from).ok()?;
    Some(journal::Segment {
        number: recovered.segments.len() as u32,
        from,
        new_from,
        to: yesterday,
        windows: windows.into_iter().map(Window::from).collect(),
    })
}

/// Opens the output for appending at `length`, cutting off anything after it
/// (a unit half written when an earlier run died, or a window that included
/// that run's today).
async fn open_output(output: &Path, length: u64, access: Access) -> Result<BufWriter<tokio::fs::File>, ExportError> {
    let file = access
        .open_options()
        .create(true)
        .write(true)
        .truncate(false)
        .open(output)
        .await
        .map_err(io_error(output))?;
    file.set_len(length).await.map_err(io_error(output))?;
    let mut file = BufWriter::new(file);
    file.seek(std::io::SeekFrom::Start(length))
        .await
        .map_err(io_error(output))?;
    Ok(file)
}

/// Appends finished units to the output and records them in the journal.
struct OutputWriter<'a> {
    path: &'a Path,
    /// Every session seen, for the sidecar: those of earlier runs and this one.
    sessions: SessionTable,
    /// The output's length: what the journal's next unit entry records.
    length: u64,
    journal: JournalWriter,
    progress: &'a (dyn Fn(ExportProgress) + Send + Sync),
    summary: ExportSummary,
}

impl OutputWriter<'_> {
    /// Copies a fetched unit into the output and, unless its window includes
    /// today, journals it.
    async fn save(
        &mut self,
        file: &mut BufWriter<tokio::fs::File>,
        unit: FetchedUnit,
        journaled: bool,
    ) -> Result<(), ExportError> {
        let (len, checksum) = (unit.spool.len, unit.spool.checksum);
        unit.spool.copy_into(file, self.path).await?;
        if let Some(archived) = &unit.archived {
            // Written: a later window of this run must not write them again.
            archived.insert_all(&unit.keys);
        }
        self.summary.already_archived += unit.already_archived;
        // The data must be in the file before the journal says so.
        file.flush().await.map_err(write_error(self.path))?;
        self.length += len;
        if journaled {
            self.journal
                .append(&Entry::Unit {
                    segment: unit.segment,
                    window: unit.window,
                    session: unit.session,
                    bytes: self.length,
                    checksum,
                })
                .await?;
        } else {
            self.journal
                .append(&Entry::Provisional {
                    segment: unit.segment,
                    window: unit.window,
                    session: unit.session,
                    bytes: self.length,
                    checksum,
                })
                .await?;
            self.summary.provisional_units += 1;
        }
        self.summary.units += 1;
        self.summary.messages += unit.messages;
        (self.progress)(ExportProgress::UnitDone {
            messages: unit.messages,
        });
        Ok(())
    }
}

/// A unit whose messages are all in its spool.
struct FetchedUnit {
    segment: u32,
    /// The first day of its planned window.
    window: NaiveDate,
    session: String,
    spool: FinishedSpool,
    messages: u64,
    /// For a sync's unit: the archive it was checked against, the keys of
    /// the records it adds, and how many it left out as already archived.
    archived: Option<Arc<ArchivedKeys>>,
    keys: Vec<RecordKey>,
    already_archived: u64,
}

/// The dates lost to Zoom's six months that a run reports.
#[derive(Debug, Default)]
struct LostDays {
    windows: Vec<DateWindow>,
    /// The segments they belong to, journaled as reported once returned.
    segments: Vec<u32>,
}

impl LostDays {
    fn add(&mut self, segment: u32, window: DateWindow) {
        self.windows.push(window);
        if self.segments.last() != Some(&segment) {
            self.segments.push(segment);
        }
    }
}

/// The windows of every segment, one after another. Returns the dates lost
/// to Zoom's six months.
async fn run(
    client: &Client,
    options: &ExportOptions,
    recovered: &Recovered,
    today: NaiveDate,
    file: &mut BufWriter<tokio::fs::File>,
    writer: &mut OutputWriter<'_>,
    stop: impl Future<Output = ()>,
) -> Result<LostDays, ExportError> {
    let earliest = earliest_reportable(today);
    let mut lost = LostDays::default();
    let mut sessions_seen = HashSet::new();
    let mut units_known = 0u64;
    // What the archive holds, for a sync's segments: read once, when the
    // first window that needs it starts.
    let mut archived: Option<Arc<ArchivedKeys>> = None;
    tokio::pin!(stop);
    for segment in &recovered.segments {
        // A sync reports the losses no run has reported yet: its own, and
        // those of a run stopped before it could. A resume reports them all.
        let report_earlier_losses = options.sync.is_none() || !recovered.losses_reported.contains(&segment.number);
        for &planned in &segment.windows {
            let window = DateWindow::from(planned);
            let key = (segment.number, window.from);
            if let Some(lost_before) = recovered.done_windows.get(&key) {
                // Finished by an earlier run: not listed again, not checked
                // against today.
                if let (true, Some(window)) = (report_earlier_losses, lost_before) {
                    lost.add(segment.number, DateWindow::from(*window));
                }
                let units = recovered.units_per_window.get(&key).copied().unwrap_or(0);
                units_known += units;
                (writer.progress)(ExportProgress::Discovered { units: units_known });
                for _ in 0..units {
                    (writer.progress)(ExportProgress::UnitSkipped);
                }
                writer.summary.skipped_units += units;
                continue;
            }
            // What of the window Zoom still reports.
            if window.to < earliest {
                lost.add(segment.number, window);
                writer
                    .journal
                    .append(&Entry::WindowDone {
                        segment: segment.number,
                        window: window.from,
                        lost: Some(planned),
                    })
                    .await?;
                continue;
            }
            let reportable = DateWindow {
                from: window.from.max(earliest),
                to: window.to,
            };
            let lost_part = (reportable.from > window.from).then(|| DateWindow {
                from: window.from,
                to: reportable.from.pred_opt().unwrap_or(reportable.from),
            });
            let archived_keys = match (&archived, segment.is_sync()) {
                (_, false) => None,
                (Some(keys), true) => Some(keys.clone()),
                (None, true) => {
                    let since = sync_recheck_start(recovered);
                    let keys = Arc::new(ArchivedKeys::read(writer.path, writer.length, since).await?);
                    archived = Some(keys.clone());
                    Some(keys)
                }
            };
            // Zoom is still adding to a window that includes today.
            let journaled = window.to < today;
            let mut window_sessions = Vec::new();
            let include = segment_include(segment, options, recovered);
            let mut batch = WindowBatch {
                client,
                options,
                troubles: &recovered.troubles,
                today,
                include,
                segment: segment.number,
                planned: window,
                reportable,
                journaled,
                archived: archived_keys,
                done_units: &recovered.done_units,
                sessions_seen: &mut sessions_seen,
                window_sessions: &mut window_sessions,
                units_known: &mut units_known,
            };
            let finished = batch.run(file, writer, stop.as_mut()).await;
            // The sidecar shows every session listed, even of a window not finished.
            for session in &window_sessions {
                writer.sessions.add(session.clone());
            }
            finished?;
            if let Some(part) = lost_part {
                lost.add(segment.number, part);
            }
            if journaled {
                for session in window_sessions {
                    writer
                        .journal
                        .append(&Entry::Session {
                            segment: segment.number,
                            window: window.from,
                            session,
                        })
                        .await?;
                }
                writer
                    .journal
                    .append(&Entry::WindowDone {
                        segment: segment.number,
                        window: window.from,
                        lost: lost_part.map(Window::from),
                    })
                    .await?;
            }
        }
    }
    retry_failed_units(client, options, recovered, today, file, writer, stop.as_mut()).await?;
    writer.summary.sessions = sessions_seen.len() as u64;
    Ok(lost)
}

/// What to ask Zoom for in a segment's windows: the export's own, as its
/// journal records it, for its own range; with edits by when they were made
/// for a sync's.
fn segment_include(segment: &journal::Segment, options: &ExportOptions, recovered: &Recovered) -> Include {
    if segment.is_sync() {
        options.include.by_modification_time(true)
    } else {
        recovered.header.include
    }
}

/// The first day this run's sync windows re-check, a day early: records of
/// that day or later already in the archive are the ones they may fetch
/// again. The day early absorbs any difference between how Zoom places a
/// record in a day and the record's own UTC time.
fn sync_recheck_start(recovered: &Recovered) -> NaiveDate {
    let first = recovered
        .segments
        .iter()
        .filter(|s| s.is_sync() && unfinished(recovered, s))
        .map(|s| s.from)
        // A unit tried again may overlap what later segments archived.
        .chain(recovered.pending_units().into_iter().map(|((_, window, _), _)| window))
        .min()
        .unwrap_or(recovered.header.from);
    first.pred_opt().unwrap_or(first)
}

/// Whether a segment has windows no run has finished.
fn unfinished(recovered: &Recovered, segment: &journal::Segment) -> bool {
    segment
        .windows
        .iter()
        .any(|w| !recovered.done_windows.contains_key(&(segment.number, w.from)))
}

/// One window's units, fetched a few at a time.
struct WindowBatch<'a> {
    client: &'a Client,
    options: &'a ExportOptions,
    /// The segment of the window, which with its first day keys its units.
    segment: u32,
    /// The window as planned: its first day keys its units in the journal.
    planned: DateWindow,
    /// The part of it that is fetched: all of it unless Zoom no longer reports its first days.
    reportable: DateWindow,
    journaled: bool,
    /// For a sync's window: what the archive holds, not to be written again.
    archived: Option<Arc<ArchivedKeys>>,
    /// What to ask Zoom for: the export's own, as its journal records it,
    /// for its own range; with edits by when they were made for a sync's.
    include: Include,
    done_units: &'a HashSet<(u32, NaiveDate, String)>,
    /// Units that failed in earlier runs: how often, and whether given up.
    troubles: &'a std::collections::HashMap<(u32, NaiveDate, String), UnitTrouble>,
    /// The run's day, by the client's clock: failures are counted by day.
    today: NaiveDate,
    sessions_seen: &'a mut HashSet<String>,
    /// The sessions the window's report listed, as Zoom sent them.
    window_sessions: &'a mut Vec<ChatSession>,
    units_known: &'a mut u64,
}

impl WindowBatch<'_> {
    /// Lists the window's sessions and fetches each one not done (nor given
    /// up) yet, at most `concurrency` at once, saving each unit as it
    /// completes. A unit Zoom cannot serve (see [`unit_failure`]) is
    /// recorded and the window goes on without it. After the first other
    /// error no new unit starts; those under way run to their end and are
    /// saved if they succeed, so no request already paid for is wasted. On
    /// `stop`, the units already complete are saved and the rest dropped.
    async fn run<S: Future<Output = ()>>(
        &mut self,
        file: &mut BufWriter<tokio::fs::File>,
        writer: &mut OutputWriter<'_>,
        mut stop: Pin<&mut S>,
    ) -> Result<(), ExportError> {
        let concurrency = self.options.concurrency.max(1);
        let mut sessions = self.client.sessions_in(vec![self.reportable]).items();
        let mut listing_done = false;
        let mut in_flight = FuturesUnordered::new();
        let mut first_error: Option<ExportError> = None;
        // Sessions Zoom could not serve, recorded when the window ends: if
        // most of the window failed, none of them is (see below).
        let mut failed: Vec<(FailedUnit, UnitFailure, ExportError)> = Vec::new();
        let mut succeeded = 0usize;
        loop {
            let may_start = !listing_done && first_error.is_none() && in_flight.len() < concurrency;
            if in_flight.is_empty() && !may_start {
                break;
            }
            tokio::select! {
                biased;
                () = stop.as_mut() => {
                    while let Some(Some((_, _, result))) = in_flight.next().now_or_never() {
                        if let Ok(unit) = result {
                            writer.save(file, unit, self.journaled).await?;
                        }
                    }
                    return Err(ExportError::Interrupted);
                }
                Some((session, name, result)) = in_flight.next(), if !in_flight.is_empty() => match result {
                    Ok(unit) => {
                        succeeded += 1;
                        writer.save(file, unit, self.journaled).await?;
                    }
                    Err(error) => match unit_failure(&error) {
                        Some(failure) => {
                            let unit = FailedUnit {
                                segment: self.segment,
                                window: self.planned,
                                session,
                                name,
                            };
                            failed.push((unit, failure, error));
                        }
                        None => {
                            first_error.get_or_insert(error);
                        }
                    },
                },
                next = sessions.next(), if may_start => match next {
                    None => listing_done = true,
                    Some(Err(error)) => {
                        first_error.get_or_insert(error.into());
                    }
                    Some(Ok(session)) => {
                        self.sessions_seen.insert(session.id.clone());
                        self.window_sessions.push(session.clone());
                        *self.units_known += 1;
                        (writer.progress)(ExportProgress::Discovered { units: *self.units_known });
                        let key = (self.segment, self.planned.from, session.id.clone());
                        let given_up = self.troubles.get(&key).is_some_and(|t| t.lost.is_some());
                        if self.done_units.contains(&key) || given_up {
                            writer.summary.skipped_units += 1;
                            (writer.progress)(ExportProgress::UnitSkipped);
                        } else {
                            let (id, name) = (session.id.clone(), session.name.clone());
                            in_flight.push(
                                fetch_unit(
                                    self.client.clone(),
                                    writer.path.to_path_buf(),
                                    (self.segment, self.planned.from),
                                    self.reportable,
                                    session.id,
                                    self.include,
                                    self.archived.clone(),
                                )
                                .map(move |result| (id, name, result)),
                            );
                        }
                    }
                },
                else => break,
            }
        }
        if let Some(error) = first_error {
            // Stopped for another reason: the failed sessions are fetched
            // again with the window, uncounted.
            return Err(error);
        }
        // Most of a window failing is Zoom's trouble (an outage of the
        // messages report, a proxy answering 404), not its sessions': stop
        // as for any error, so that no session is counted or given up for it.
        if failed.len() >= ACCOUNT_TROUBLE_MIN_FAILURES && failed.len() > succeeded {
            let (_, _, error) = failed.swap_remove(0);
            tracing::warn!(
                failed = failed.len() + 1,
                succeeded,
                "most sessions of the window failed: taken for Zoom's trouble, not theirs"
            );
            return Err(error);
        }
        for (unit, failure, _) in failed {
            record_failed_unit(writer, self.troubles, unit, failure, self.journaled, self.today).await?;
        }
        Ok(())
    }
}

/// Why one unit could not be fetched, when it is the unit's own failure.
#[derive(Debug, Clone)]
struct UnitFailure {
    reason: String,
    /// Zoom said the session no longer exists.
    gone: bool,
}

/// Whether an error that ended one unit is that unit's own
/// ([`Error::is_isolated_failure`]): Zoom failing this one session while the
/// account answers. Those are recorded and the run goes on. Everything else
/// stops the run as before: credentials, the daily limit, a network that
/// reaches nothing, this machine's disk, a stop.
fn unit_failure(error: &ExportError) -> Option<UnitFailure> {
    let ExportError::Zoom(error) = error else {
        return None;
    };
    if !error.is_isolated_failure() {
        return None;
    }
    Some(match error {
        Error::Service { details } if error.is_not_found() => UnitFailure {
            reason: format!("Zoom says the session no longer exists ({details})"),
            gone: true,
        },
        Error::Service { details } => UnitFailure {
            reason: format!("Zoom kept answering {details} for this session"),
            gone: false,
        },
        other => UnitFailure {
            reason: format!("Zoom's answer for this session could not be used: {other}"),
            gone: false,
        },
    })
}

/// The unit a failure belongs to.
struct FailedUnit {
    segment: u32,
    /// Its planned window.
    window: DateWindow,
    session: String,
    name: Option<String>,
}

/// Records that a unit could not be fetched in this run: journaled (for a
/// window that does not include today, which is fetched again anyway) with
/// its reason and the day, and given up once it has failed on
/// [`MAX_UNIT_FAILED_DAYS`] days, or Zoom has said on
/// [`GONE_CONFIRMATION_DAYS`] days that the session is gone.
async fn record_failed_unit(
    writer: &mut OutputWriter<'_>,
    troubles: &std::collections::HashMap<(u32, NaiveDate, String), UnitTrouble>,
    unit: FailedUnit,
    failure: UnitFailure,
    journaled: bool,
    today: NaiveDate,
) -> Result<(), ExportError> {
    let key = (unit.segment, unit.window.from, unit.session.clone());
    let mut trouble = troubles.get(&key).cloned().unwrap_or_default();
    trouble.failed(failure.reason.clone(), failure.gone, today);
    let (attempts, days_failed) = (trouble.attempts, trouble.days.len() as u32);
    let gone_confirmed = trouble.gone_days.len() as u32 >= GONE_CONFIRMATION_DAYS;
    let given_up = journaled && (gone_confirmed || days_failed >= MAX_UNIT_FAILED_DAYS);
    tracing::warn!(
        session = %unit.session,
        from = %unit.window.from,
        to = %unit.window.to,
        attempts,
        days_failed,
        given_up,
        "{}; the run goes on without this session",
        failure.reason
    );
    if journaled {
        writer
            .journal
            .append(&Entry::UnitFailed {
                segment: unit.segment,
                window: unit.window.from,
                session: unit.session.clone(),
                reason: failure.reason.clone(),
                gone: failure.gone,
                day: today,
            })
            .await?;
    }
    if given_up {
        let reason = if gone_confirmed {
            format!("{}, on {} days", failure.reason, trouble.gone_days.len())
        } else {
            format!(
                "failed on {days_failed} days, the last because {}",
                lowercase_first(&failure.reason)
            )
        };
        return give_up(writer, unit, reason, &trouble).await;
    }
    writer.summary.failed_sessions.push(FailedSession {
        session_id: unit.session,
        name: unit.name,
        from: unit.window.from,
        to: unit.window.to,
        reason: failure.reason,
        attempts,
        days_failed,
        given_up: false,
    });
    Ok(())
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Tries again, one at a time, the units earlier runs could not fetch in
/// windows otherwise done (those of a window not done are tried with it).
/// Runs after this run's windows, so that new days are archived first,
/// whatever happens here.
///
/// What the archive holds is left out of what is fetched, as for a sync: a
/// later segment may have archived part of the same days; the keys are read
/// now, after everything this run wrote. A unit whose days have all passed
/// out of Zoom's six months is given up; one whose first days have is
/// fetched for the rest, and given up for those. After
/// [`ACCOUNT_TROUBLE_MIN_FAILURES`] failures in a row with no success, the
/// rest wait for the next run, unrecorded: that is Zoom's trouble, not theirs.
async fn retry_failed_units<S: Future<Output = ()>>(
    client: &Client,
    options: &ExportOptions,
    recovered: &Recovered,
    today: NaiveDate,
    file: &mut BufWriter<tokio::fs::File>,
    writer: &mut OutputWriter<'_>,
    mut stop: Pin<&mut S>,
) -> Result<(), ExportError> {
    let earliest = earliest_reportable(today);
    let mut keys: Option<Arc<ArchivedKeys>> = None;
    let mut failures_in_a_row = 0;
    for ((segment_number, window_from, session), trouble) in recovered.pending_units() {
        if !recovered.done_windows.contains_key(&(segment_number, window_from)) {
            continue;
        }
        let Some(segment) = recovered.segments.iter().find(|s| s.number == segment_number) else {
            continue;
        };
        let Some(planned) = segment.windows.iter().find(|w| w.from == window_from) else {
            continue;
        };
        let window = DateWindow::from(*planned);
        let failed = FailedUnit {
            segment: segment_number,
            window,
            name: writer.sessions.name_of(&session),
            session,
        };
        let history = format!(
            "it failed on {} day(s), the last because {}",
            trouble.days.len(),
            lowercase_first(&trouble.reason)
        );
        if window.to < earliest {
            let reason = format!("its days passed out of Zoom's six months before Zoom could serve it ({history})");
            give_up(writer, failed, reason, trouble).await?;
            continue;
        }
        if failures_in_a_row >= ACCOUNT_TROUBLE_MIN_FAILURES {
            continue;
        }
        let reportable = DateWindow {
            from: window.from.max(earliest),
            to: window.to,
        };
        let keys = match &keys {
            Some(keys) => keys.clone(),
            None => {
                let read =
                    Arc::new(ArchivedKeys::read(writer.path, writer.length, sync_recheck_start(recovered)).await?);
                keys = Some(read.clone());
                read
            }
        };
        let include = segment_include(segment, options, recovered);
        let fetch = fetch_unit(
            client.clone(),
            writer.path.to_path_buf(),
            (segment_number, window_from),
            reportable,
            failed.session.clone(),
            include,
            Some(keys),
        );
        let fetched = tokio::select! {
            biased;
            () = stop.as_mut() => return Err(ExportError::Interrupted),
            fetched = fetch => fetched,
        };
        match fetched {
            Ok(unit) => {
                failures_in_a_row = 0;
                writer.save(file, unit, true).await?;
                if reportable.from > window.from {
                    let reason = format!(
                        "Zoom no longer reports its days before {}: those are not in the archive, the rest are ({history})",
                        reportable.from
                    );
                    give_up(writer, failed, reason, trouble).await?;
                }
            }
            Err(error) => match unit_failure(&error) {
                Some(failure) => {
                    failures_in_a_row += 1;
                    record_failed_unit(writer, &recovered.troubles, failed, failure, true, today).await?;
                }
                None => return Err(error),
            },
        }
    }
    Ok(())
}

/// Gives up a unit: journaled as lost, and reported by this run.
async fn give_up(
    writer: &mut OutputWriter<'_>,
    unit: FailedUnit,
    reason: String,
    trouble: &UnitTrouble,
) -> Result<(), ExportError> {
    writer
        .journal
        .append(&Entry::UnitLost {
            segment: unit.segment,
            window: unit.window.from,
            session: unit.session.clone(),
            reason: reason.clone(),
        })
        .await?;
    writer.summary.failed_sessions.push(FailedSession {
        session_id: unit.session,
        name: unit.name,
        from: unit.window.from,
        to: unit.window.to,
        reason,
        attempts: trouble.attempts,
        days_failed: trouble.days.len() as u32,
        given_up: true,
    });
    Ok(())
}

/// Streams one session's messages in `reportable` into a spool, leaving out,
/// for a sync, the records the archive already holds.
async fn fetch_unit(
    client: Client,
    output: PathBuf,
    (segment, window): (u32, NaiveDate),
    reportable: DateWindow,
    session: String,
    include: Include,
    archived: Option<Arc<ArchivedKeys>>,
) -> Result<FetchedUnit, ExportError> {
    let mut events = client
        .messages_in(session.as_str(), vec![reportable])
        .include(include)
        .events();
    let mut spool = Spool::create(&output).await?;
    let mut messages = 0;
    let mut already_archived = 0;
    let mut keys = Vec::new();
    let mut keys_in_unit = HashSet::new();
    let mut line = Vec::new();
    while let Some(event) = events.try_next().await? {
        let item = match event {
            MessageEvent::Message(item) => item,
            // An expired page token started the window over: what is spooled would come twice.
            MessageEvent::WindowRestarted { .. } => {
                spool.clear().await?;
                messages = 0;
                already_archived = 0;
                keys.clear();
                keys_in_unit.clear();
                continue;
            }
            // Not dropped unread: it may say that something yielded is void.
            other => {
                return Err(ExportError::UnknownEvent {
                    event: format!("{other:?}"),
                });
            }
        };
        let message = without_reserved_keys(item.message);
        line.clear();
        serde_json::to_writer(
            &mut line,
            &ExportLine {
                session_id: &session,
                kind: item.kind,
                message: &message,
            },
        )
        .map_err(|e| io_error(&output)(e.into()))?;
        if let Some(archived) = &archived {
            // Known by the line as written, so a record fetched now and one
            // read back from the archive are keyed alike.
            let key = RecordKey::of_line(&line);
            if let Some(key) = key {
                if archived.contains(&key) || !keys_in_unit.insert(key) {
                    already_archived += 1;
                    continue;
                }
                keys.push(key);
            }
        }
        line.push(b'\n');
        spool.write(&line).await?;
        messages += 1;
    }
    Ok(FetchedUnit {
        segment,
        window,
        session,
        spool: spool.finish().await?,
        messages,
        archived,
        keys,
        already_archived,
    })
}

/// One output line: the session, the kind, then the message's own fields.
#[derive(Serialize)]
struct ExportLine<'a> {
    session_id: &'a str,
    kind: MessageKind,
    #[serde(flatten)]
    message: &'a ChatMessage,
}

/// Keys the export line itself uses. Should Zoom ever send fields of these
/// names, they are kept under another name instead of making a line with two
/// `session_id` keys, which JSON readers resolve differently.
const RESERVED_KEYS: [&str; 2] = ["session_id", "kind"];

/// Moves Zoom's own `session_id` or `kind` field to `zoom_<key>`, or, if
/// Zoom also sent a field of that name, to the first free of `zoom_<key>_2`,
/// `zoom_<key>_3`, ...: no field Zoom sent is ever overwritten.
fn without_reserved_keys(mut message: ChatMessage) -> ChatMessage {
    for key in RESERVED_KEYS {
        if let Some(value) = message.extra.remove(key) {
            let name = free_name(&message.extra, key);
            message.extra.insert(name, value);
        }
    }
    message
}

fn free_name(taken: &serde_json::Map<String, serde_json::Value>, key: &str) -> String {
    let first = format!("zoom_{key}");
    if !taken.contains_key(&first) {
        return first;
    }
    let mut n = 2u64;
    loop {
        let name = format!("zoom_{key}_{n}");
        if !taken.contains_key(&name) {
            return name;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(extra: serde_json::Value) -> ChatMessage {
        let mut value = serde_json::json!({ "id": "m1", "message": "hello", "date_time": "2026-11-01T10:00:00Z" });
        value
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn reserved_keys_move_aside_without_overwriting() {
        let renamed = without_reserved_keys(message(serde_json::json!({
            "session_id": "zoom's own",
            "zoom_session_id": "already there",
            "zoom_session_id_2": "also there",
            "kind": "k",
        })));
        assert_eq!(renamed.extra["zoom_session_id"], "already there");
        assert_eq!(renamed.extra["zoom_session_id_2"], "also there");
        assert_eq!(renamed.extra["zoom_session_id_3"], "zoom's own");
        assert_eq!(renamed.extra["zoom_kind"], "k");
        assert!(!renamed.extra.contains_key("session_id") && !renamed.extra.contains_key("kind"));
        let line = serde_json::to_value(ExportLine {
            session_id: "s",
            kind: MessageKind::Sent,
            message: &renamed,
        })
        .unwrap();
        assert_eq!(line["session_id"], "s");
        assert_eq!(line["kind"], "sent");
    }

    #[test]
    fn error_messages_name_the_file_and_the_flag() {
        let output = PathBuf::from("chat.jsonl");
        let with_journal = ExportError::AlreadyExists {
            output: output.clone(),
            journal: Some(journal_path(&output)),
        }
        .to_string();
        assert!(
            with_journal.contains("chat.jsonl")
                && with_journal.contains("--resume")
                && with_journal.contains("--overwrite")
        );
        // Resuming cannot help a file without a journal: it is not suggested.
        let without_journal = ExportError::AlreadyExists {
            output: output.clone(),
            journal: None,
        }
        .to_string();
        assert!(
            without_journal.contains("--overwrite") && !without_journal.contains("--resume"),
            "{without_journal}"
        );
        let no_journal = ExportError::NoJournal {
            output: output.clone(),
            journal: journal_path(&output),
        }
        .to_string();
        assert!(no_journal.contains("--overwrite instead of --resume"), "{no_journal}");
        let locked = ExportError::Locked {
            output: output.clone(),
            lock: lock_path(&output),
            holder: Some(42),
        }
        .to_string();
        assert!(
            locked.contains("chat.jsonl.lock") && locked.contains("process 42"),
            "{locked}"
        );
    }
}
