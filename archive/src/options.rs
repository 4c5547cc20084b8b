//! What to export: a range or a daily sync, what to ask Zoom for, files,
//! access; and how long a session Zoom cannot serve is tried.

use std::ops::RangeInclusive;
use std::path::PathBuf;

use chrono::NaiveDate;
use zoom_chat_reports::Include;

use crate::access::Access;

/// On how many days (UTC) one session of one month window that Zoom cannot
/// serve (a 5xx after the client's retries, an answer that cannot be read)
/// is tried before it is given up: named in the manifest as lost, its days
/// never complete. A week of nightly syncs; more runs on one day count once,
/// so an hourly job does not give up in hours.
pub const MAX_UNIT_FAILED_DAYS: u32 = 7;

/// On how many days Zoom must say a session no longer exists (404) before it
/// is given up: one 404 may be a proxy's or an outage's.
pub const GONE_CONFIRMATION_DAYS: u32 = 2;

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
    /// `files_dir` is where the archive's files directory was moved to (see
    /// [`ExportOptions::files_moved`]). Defaults to false.
    pub files_moved: bool,
    /// Sign the chain of runs' new head with this key (see
    /// [`ExportOptions::sign_with`]). Defaults to none: the run's entry is
    /// then unsigned.
    pub sign_key: Option<crate::SigningKey>,
    /// Append the chain's head to this file at the end of every run (see
    /// [`ExportOptions::head_log`]). Defaults to none.
    pub head_log: Option<PathBuf>,
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
            files_moved: false,
            sign_key: None,
            head_log: None,
        }
    }

    /// Downloads every file an exported message references (`--files DIR`),
    /// once per `file_id`, to `DIR/<file_id>/<file name>`, and lists them with
    /// their SHA-256 and status in `DIR/files.jsonl`. Runs after the messages,
    /// on every run, and fetches only what no earlier run completed; a file
    /// that is gone or is not its declared size is recorded, not fatal.
    ///
    /// An archive keeps its files where its first run with files put them
    /// (the manifest records the place): a resume or sync with another
    /// directory is refused ([`ExportError::FilesDirDiffers`](crate::ExportError::FilesDirDiffers)),
    /// and one without any downloads to the recorded place.
    pub fn files(mut self, dir: impl Into<PathBuf>) -> Self {
        self.files_dir = Some(dir.into());
        self
    }

    /// Says that the archive's files directory was moved, whole, to the one
    /// given to [`ExportOptions::files`]. The run checks that its index is
    /// the one the manifest records before it records the new place
    /// ([`ExportError::FilesMoveUnconfirmed`](crate::ExportError::FilesMoveUnconfirmed) if not).
    pub fn files_moved(mut self, moved: bool) -> Self {
        self.files_moved = moved;
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

    /// Sign the chain of runs' head with `key` at the end of the run, so
    /// that `verify --public-key` can tell a run's work from an insider's
    /// (see `keygen`). Every run appends its entry to the chain; without a
    /// key the entry is unsigned.
    pub fn sign_with(mut self, key: crate::SigningKey) -> Self {
        self.sign_key = Some(key);
        self
    }

    /// Append the chain of runs' head, a line per run, to `path`: a file
    /// kept apart from the archive (another disk, WORM storage, one a log
    /// shipper sends off the machine), for `verify --head-log`.
    pub fn head_log(mut self, path: impl Into<PathBuf>) -> Self {
        self.head_log = Some(path.into());
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
