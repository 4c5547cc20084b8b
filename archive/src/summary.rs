//! What a run did, and its progress as it goes.

use std::time::Duration;

use chrono::NaiveDate;
use zoom_chat_reports::{Include, TransportStats};

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
    /// [`MAX_UNIT_FAILED_DAYS`](crate::MAX_UNIT_FAILED_DAYS) days, Zoom said on
    /// [`GONE_CONFIRMATION_DAYS`](crate::GONE_CONFIRMATION_DAYS) days that it no longer exists, or its days
    /// passed out of Zoom's six months). The manifest names it as lost.
    pub given_up: bool,
}

/// What an export did.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
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
    /// What the files run did, with [`ExportOptions::files`](crate::ExportOptions::files).
    pub files: Option<crate::file_index::FilesSummary>,
    /// The client's request counters at the end.
    pub stats: TransportStats,
    /// How long this run took.
    pub elapsed: Duration,
    /// Sessions Zoom could not serve in this run, each for one month window:
    /// tried again by the next run unless given up.
    pub failed_sessions: Vec<FailedSession>,
    /// An earlier run had ended, and so written the manifest, yet it was gone
    /// when this run started: someone or something deleted it. This run wrote
    /// it again from the files, and its journal entry records the loss, which
    /// [`verify`](crate::verify) reports from then on.
    pub manifest_was_missing: bool,
    /// The chain of runs' head after this run (see [`crate::ChainHead`]).
    pub chain_head: Option<crate::ChainHead>,
    /// What this run found changed since the last run outside any run (a
    /// manifest, journal, sessions file, files index or chain rewritten or
    /// deleted): recorded in its chain entry.
    pub changed_outside_runs: Vec<String>,
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
    /// This sync widened what the archive keeps.
    pub widened: Option<WidenedSync>,
}

/// A sync that widened what the archive keeps (`--include` asking for more
/// than it kept): the days re-checked for the edits and deletions they lack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct WidenedSync {
    /// What the archive keeps from now on.
    pub kinds: Include,
    /// The first day re-checked: the archive's first day, or the first day
    /// Zoom still reports.
    pub from: NaiveDate,
    /// The archive's days before `from`, past Zoom's six months: they keep
    /// what they were archived with.
    pub kept_as_archived: Option<(NaiveDate, NaiveDate)>,
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
