//! Why an export stopped. Each message is one plain sentence about the
//! archive; what to type next is the command's to say.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use zoom_chat_reports::windows::DateWindow;
use zoom_chat_reports::{Error, Source};

use crate::access::Access;
use crate::summary::ExportSummary;

/// Why an export stopped.
///
/// Each variant carries what a caller needs to act on it (paths, days,
/// sources, the summary of what was done), and its `Display` is one plain
/// sentence about the archive, naming the file. What to do next (which
/// option to give, which command to run) is for the program that runs the
/// export to say: the `zoom-chat-archive` command adds it for a terminal.
/// [`is_resumable_stop`](Self::is_resumable_stop),
/// [`is_usage_error`](Self::is_usage_error) and
/// [`can_resume`](Self::can_resume) sort them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// Zoom, or the way to it, failed. For a daily limit, see [`Error::daily_limit_reset`].
    /// Everything finished before is saved and journaled.
    #[error(transparent)]
    Zoom(#[from] Error),
    /// The file or its journal could not be read or written.
    #[error("{} could not be read or written: {source}", path.display())]
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
    #[error("{} could not be written: {source}", path.display())]
    Write {
        /// The output file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// `resume` found a journal that is damaged or from another version. Nothing was changed.
    #[error(
        "the export in {} cannot be continued: its journal {} {problem}; nothing was changed",
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
    /// `resume` found the output changed in a way no crash leaves behind (a
    /// unit changed in the middle, lines added after the last unit, or data of
    /// dates Zoom no longer reports that fails its check). Nothing was changed:
    /// resuming would have discarded data.
    #[error(
        "the export in {} cannot be continued without discarding data: {problem}; nothing was changed (its journal is {})",
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
    /// The output cannot hold an export: a directory, a device, a FIFO, `-`, or
    /// a path in a directory that does not exist. Nothing was written.
    #[error("{} cannot hold an archive: it {problem}", output.display())]
    BadOutput {
        /// The path given.
        output: PathBuf,
        /// Why it cannot be used.
        problem: PathProblem,
    },
    /// The files directory cannot hold the files: not a directory, or its index or
    /// lock is a link or not a regular file. Nothing was written.
    #[error("{} cannot hold the archive's files: it {problem}", dir.display())]
    BadFilesDir {
        /// The directory given.
        dir: PathBuf,
        /// Why it cannot be used.
        problem: PathProblem,
    },
    /// The SDK yielded a kind of message event this version does not know
    /// (a newer `zoom-chat-reports`). The unit was not written.
    #[error("the Zoom client reported an event this version of the archive does not know: {event}")]
    UnknownEvent {
        /// The event, as `Debug` shows it (ids and counts, no chat content).
        event: String,
    },
    /// The stop signal fired; everything finished so far is on disk and journaled.
    #[error("the export was interrupted; everything finished so far is saved and journaled")]
    Interrupted,
    /// The output already holds data, or has a journal, and neither `resume` nor `overwrite` was asked for. Nothing was changed.
    #[error(
        "{} {}; nothing was changed",
        output.display(),
        match journal {
            Some(journal) => format!("already holds an export (journal {})", journal.display()),
            None => "already exists and is not empty".to_string(),
        }
    )]
    AlreadyExists {
        /// The output file.
        output: PathBuf,
        /// Its journal, if there is one: then resuming can continue the export.
        journal: Option<PathBuf>,
    },
    /// `resume` was asked for, but the output holds data and has no journal, so what it holds is unknown. Nothing was changed.
    #[error(
        "the export in {} cannot be continued: it has data but no journal ({}), so what it holds is unknown; nothing was changed",
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
        "{} is in use by another export or a verify ({}the lock on {} is held)",
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
    #[error(
        "the export in {} came from {recorded}, but this run reads from {current}; continuing would mix the two, so nothing was changed",
        output.display()
    )]
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
        "{} is an export of {recorded}, not of {requested}; nothing was changed",
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
        "the range ends on {to}, after today ({today}, UTC), and Zoom cannot report days that have not happened yet"
    )]
    EndsAfterToday {
        /// The last day asked for.
        to: NaiveDate,
        /// Today, by the client's clock.
        today: NaiveDate,
    },
    /// A daily sync found no archive in the file and was given no first day. Nothing was written.
    #[error(
        "{} holds no archive yet, and the sync was given no first day to archive from",
        output.display()
    )]
    SyncNeedsFirstDay {
        /// The output file.
        output: PathBuf,
    },
    /// A daily sync's first day is today or later: no complete day to archive yet. Nothing was written.
    #[error(
        "a sync from {from} has no complete day to archive: it archives up to yesterday ({}), since Zoom is still adding to today ({today}, UTC)",
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
        "{} session-month(s) of {} could not be fetched; everything else is archived",
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
        "{} was created {}, and this run asked for it to be {}; every later run keeps the access an archive was created with, so that one option cannot open or narrow it",
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
    /// A sync asked for fewer kinds than the archive keeps, or for other
    /// ones. An archive is never narrowed: nothing was fetched.
    #[error(
        "{} keeps {kept}; a sync asking only for {requested} would leave some of that out of the days to come. An archive is never narrowed: leave --include out, and the sync asks for what the archive keeps",
        output.display()
    )]
    WouldNarrow {
        /// The output file.
        output: PathBuf,
        /// What the archive keeps.
        kept: zoom_chat_reports::Include,
        /// What the sync asked for.
        requested: zoom_chat_reports::Include,
    },
    /// A resume or sync was given another files directory than the one the
    /// archive keeps its files in. Nothing was fetched.
    #[error(
        "{} keeps its files in {}, as its manifest records, not in {}; a run with another files directory would download every file again there",
        output.display(),
        recorded.display(),
        given.display()
    )]
    FilesDirDiffers {
        /// The output file.
        output: PathBuf,
        /// Where the manifest says the files are, as an absolute path.
        recorded: PathBuf,
        /// The directory given, as an absolute path.
        given: PathBuf,
    },
    /// The files directory was said to be moved, but the directory given does
    /// not hold the archive's files index. Nothing was fetched.
    #[error(
        "{} was said to be the archive's files directory, moved from {}, but {problem}",
        given.display(),
        recorded.display()
    )]
    FilesMoveUnconfirmed {
        /// Where the manifest says the files were.
        recorded: PathBuf,
        /// The directory given.
        given: PathBuf,
        /// What the check found.
        problem: String,
    },
    /// `overwrite` was asked for with `resume` or a daily sync. Nothing was written.
    #[error("an export cannot both replace the archive in the file (overwrite) and continue it (resume or a sync)")]
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

/// Why a path cannot hold an archive or its files: what it is, said of it
/// ("it is a directory"). Nothing was created when one is reported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PathProblem {
    /// `-`: an archive must be a file it can journal and resume.
    #[error("is standard output, and an archive must be a file that can be journaled and resumed")]
    StandardOutput,
    /// It ends in a separator, or has no file name.
    #[error("is not a file name")]
    NotAFileName,
    /// It is named like one of an archive's own files (`chat.jsonl.journal`, ...).
    #[error("is named like an archive's journal, lock, spool, sessions or manifest file")]
    CompanionName,
    /// `chat` beside an archive in `chat.jsonl` (or the reverse): the two
    /// would share the sessions sidecar and the manifest.
    #[error(
        "would share its sessions and manifest files ({} and {}) with the archive in {}",
        sessions.display(),
        manifest.display(),
        twin.display()
    )]
    SharedWithTwin {
        /// The sidecar both would write.
        sessions: PathBuf,
        /// The manifest both would write.
        manifest: PathBuf,
        /// The other archive.
        twin: PathBuf,
    },
    /// A file the archive keeps beside it (journal, lock, sidecar, manifest,
    /// files index) exists and is a directory, FIFO or link: opening it
    /// could block, or write outside the archive.
    #[error("has {} beside it, which is not a regular file (a directory, FIFO or symbolic link)", path.display())]
    CompanionNotAFile {
        /// That file.
        path: PathBuf,
    },
    /// A symbolic link to a file that does not exist.
    #[error("is a symbolic link to a file that does not exist")]
    DanglingLink,
    /// A directory, where a file is wanted.
    #[error("is a directory")]
    Directory,
    /// Not a directory, where one is wanted.
    #[error("exists and is not a directory")]
    NotADirectory,
    /// A device, FIFO or socket.
    #[error("is not a regular file (a device, FIFO or socket)")]
    NotARegularFile,
    /// Not an archive's JSON Lines file: a directory, link, FIFO or device.
    #[error("is not an archive's JSON Lines file (a directory, link, FIFO or device)")]
    NotAnArchiveFile,
    /// Its directory is not a directory.
    #[error("is in {}, which is not a directory", directory.display())]
    ParentNotADirectory {
        /// The path's directory.
        directory: PathBuf,
    },
    /// Its directory does not exist.
    #[error("is in the directory {}, which does not exist", directory.display())]
    NoSuchDirectory {
        /// The path's directory.
        directory: PathBuf,
    },
}

pub(crate) fn dates_lost_message(output: &Path, lost: &[DateWindow]) -> String {
    // Month windows that follow each other are one stretch of days.
    let mut merged: Vec<DateWindow> = Vec::new();
    for window in lost {
        match merged.last_mut() {
            Some(last) if last.to.succ_opt() == Some(window.from) => last.to = window.to,
            _ => merged.push(*window),
        }
    }
    // In words: the people who read this are not Rust developers.
    let dates: Vec<String> = merged
        .iter()
        .map(|days| format!("{} to {}", days.from, days.to))
        .collect();
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
        match self {
            ExportError::Interrupted => true,
            ExportError::Zoom(error) => error.is_daily_limit(),
            _ => false,
        }
    }

    /// Whether the arguments cannot be acted on as given (a range Zoom cannot
    /// report, a file that needs `resume` or `overwrite`, a resume that does
    /// not match the file): nothing was written, and other arguments are needed.
    pub fn is_usage_error(&self) -> bool {
        if let ExportError::Zoom(error) = self {
            return matches!(error.root(), Error::InvalidRange(_));
        }
        matches!(
            self,
            ExportError::AlreadyExists { .. }
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
                | ExportError::FilesDirDiffers { .. }
                | ExportError::WouldNarrow { .. }
                | ExportError::FilesMoveUnconfirmed { .. }
        )
    }

    /// Whether everything finished before the error is saved and journaled, so
    /// that `resume` continues the export (after the cause is fixed).
    pub fn can_resume(&self) -> bool {
        match self {
            ExportError::Interrupted => true,
            ExportError::Zoom(error) => !matches!(error.root(), Error::InvalidRange(_)),
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

/// There is no archive at `output`: its journal does not exist. Said by
/// every command that reads an archive that must be there.
pub(crate) fn no_archive(output: &Path) -> ExportError {
    ExportError::Io {
        path: output.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!(
                "no archive: its journal {} does not exist",
                crate::paths::journal_path(output).display()
            ),
        ),
    }
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    }
}
