//! The journal beside the output (`OUT.journal`): what the export is, and
//! what of it is done.
//!
//! The first line is a [`Header`]: the source, the range and kinds, the month
//! windows planned when the export started, and the crate version. Each
//! further line is an [`Entry`]: a unit written (with the output's length after
//! it and its checksum), or a window finished. Lines are appended and flushed
//! after the data they describe; a crash can therefore leave a torn last line,
//! or lines whose data never reached the disk, and [`recover`] drops both.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncSeekExt, AsyncWriteExt, BufReader};
use xxhash_rust::xxh3::Xxh3;

use crate::access::Access;
use crate::durable::{json_line, sync_directory};
use crate::error::{ExportError, io_error, write_error};
use crate::paths::{directory_of, temporary_journal};
use crate::sessions::SessionTable;
use zoom_chat_reports::Include;
use zoom_chat_reports::Source;
use zoom_chat_reports::windows::{DateWindow, month_windows};

/// What the header's `format` says, so that no other JSON file is taken for a journal.
const FORMAT: &str = "zoom-chat-reports export journal";
/// The journal layout this version writes. Version 4 added units that
/// failed or were given up (`unit_failed`, `unit_lost`) and the archive's
/// `access`; version 3 added daily syncs (`sync` plans, `segment` on entries)
/// and `by_modification_time`; version 2 and 3 journals are read as they are
/// (they have none of what came after them). Version 1 had a header
/// of only `from`, `to`, `edited` and `deleted`, and no `format`.
const VERSION: u32 = 4;
/// The oldest layout this version reads.
const OLDEST_READ: u32 = 2;
/// No journal line comes near this; a longer one is damage, not data.
const MAX_LINE: u64 = 1024 * 1024;

/// A month window as the journal stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl From<DateWindow> for Window {
    fn from(window: DateWindow) -> Self {
        Self {
            from: window.from,
            to: window.to,
        }
    }
}

impl From<Window> for DateWindow {
    fn from(window: Window) -> Self {
        DateWindow {
            from: window.from,
            to: window.to,
        }
    }
}

/// The journal's first line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Header {
    pub format: String,
    pub version: u32,
    /// The crate version that started the export, for diagnosis.
    pub crate_version: String,
    pub source: Source,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// What the export asks Zoom for, as the SDK stores it: each flag a
    /// field of the header (`edited`, `deleted`, ...). A flag of a newer
    /// spec is absent, so false, in journals of versions before it, which
    /// never asked for it.
    #[serde(flatten)]
    pub include: Include,
    /// Fixed when the export started: a resume never plans again.
    pub windows: Vec<Window>,
    /// Who may read what the archive creates; absent in journals written
    /// before it was recorded, whose archives then count as the owner's alone
    /// (and a run names their looser paths).
    #[serde(default)]
    pub access: Access,
    /// Where the first run put the files (`--files`), as the manifest
    /// records it: relative to the archive's directory when inside it. A
    /// later run with files records its own place in its `Closed` entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_dir: Option<String>,
}

impl Header {
    pub(super) fn new(
        source: Source,
        from: NaiveDate,
        to: NaiveDate,
        include: Include,
        windows: &[DateWindow],
        access: Access,
        files_dir: Option<String>,
    ) -> Self {
        Self {
            format: FORMAT.into(),
            version: VERSION,
            crate_version: env!("CARGO_PKG_VERSION").into(),
            source,
            from,
            to,
            include,
            windows: windows.iter().copied().map(Window::from).collect(),
            access,
            files_dir,
        }
    }

    /// The windows are exactly the month pieces of `from..=to`, as planning
    /// made them: a journal edited by hand to split or move a window would
    /// otherwise fetch some sessions twice.
    fn windows_cover_the_range(&self) -> bool {
        windows_split(self.from, self.to, &self.windows)
    }

    /// The export's own windows, as segment 0.
    pub(super) fn first_segment(&self) -> Segment {
        Segment {
            number: 0,
            from: self.from,
            new_from: self.from,
            to: self.to,
            windows: self.windows.clone(),
        }
    }
}

/// Whether `windows` are exactly the month pieces of `from..=to`.
fn windows_split(from: NaiveDate, to: NaiveDate, windows: &[Window]) -> bool {
    // Planned with `today` = `from`, so that the six-month check, which
    // was made when the windows were planned, cannot fail here.
    let Ok(split) = month_windows(&(from..=to), from) else {
        return false;
    };
    split.len() == windows.len()
        && split
            .iter()
            .zip(windows)
            .all(|(planned, recorded)| planned.from == recorded.from && planned.to == recorded.to)
}

/// One planned stretch of the export: the export's own range (number 0), or
/// the days one daily sync added and re-checked (1, 2, ...). A unit is known
/// by its segment, its window's first day and its session, so a window a
/// later sync plans again on the same first day is a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Segment {
    pub number: u32,
    /// The first day fetched: a sync's lookback starts here.
    pub from: NaiveDate,
    /// The first day the archive did not hold before: `from` for the export's
    /// own range, the day after the last complete day for a sync.
    pub new_from: NaiveDate,
    pub to: NaiveDate,
    pub windows: Vec<Window>,
}

impl Segment {
    /// Records already in the archive may come again: a sync's lookback, or
    /// edits of earlier messages reported by when they were made.
    pub(super) fn is_sync(&self) -> bool {
        self.number > 0
    }
}

/// A sync that widened what the archive keeps (`--sync --include all` on an
/// archive of sent messages): its segment re-checks every day Zoom still
/// reports, by when edits and deletions were made, and every later sync asks
/// for `kinds`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Widening {
    /// Planned as a sync's, from the archive's first day Zoom still reports
    /// through yesterday; it may add no new day.
    pub segment: Segment,
    /// What the archive keeps from now on: all it kept, and more.
    pub kinds: Include,
}

fn is_first_segment(segment: &u32) -> bool {
    *segment == 0
}

/// A journal line after the header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Entry {
    /// One session in one window, written to the output.
    Unit {
        /// The segment the window belongs to; 0, and not written, for the export's own range.
        #[serde(default, skip_serializing_if = "is_first_segment")]
        segment: u32,
        /// The window's first day.
        window: NaiveDate,
        session: String,
        /// The output's length after the unit.
        bytes: u64,
        /// XXH3-64 of the unit's bytes. Data is flushed but not synced before
        /// its journal line (a sync per unit would cost more than the export),
        /// so after a power cut the file may hold zeros where the journal says a
        /// unit is: the checksum finds that, and the unit is fetched again.
        checksum: u64,
    },
    /// One session in the window that includes today, written to the output
    /// but not done: Zoom is still adding to it, so a resume cuts it off and
    /// fetches it again. Recorded so that a resume can tell these bytes from
    /// anything else after the last done unit.
    Provisional {
        /// The segment the window belongs to; 0, and not written, for the export's own range.
        #[serde(default, skip_serializing_if = "is_first_segment")]
        segment: u32,
        /// The window's first day.
        window: NaiveDate,
        session: String,
        /// The output's length after the unit.
        bytes: u64,
        /// XXH3-64 of the unit's bytes.
        checksum: u64,
    },
    /// A run is about to write: synced before any data, so that a crash
    /// after it is never taken for the good end of the run before.
    Opened,
    /// A run ended short of a crash (done, failed or interrupted) with the
    /// output and this journal synced: everything up to here is on disk, and
    /// the export wrote nothing after `bytes`.
    Closed {
        /// The output's length.
        bytes: u64,
        /// The run, for `verify` and the record: absent in journals of
        /// versions before it was kept, which older versions pass over.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        run: Option<RunRecord>,
    },
    /// A session a finished window's report listed, as Zoom sent it, for the
    /// sessions sidecar. Journaled just before the window's `WindowDone`.
    Session {
        #[serde(default, skip_serializing_if = "is_first_segment")]
        segment: u32,
        /// The window's first day.
        window: NaiveDate,
        /// As Zoom sent it: JSON, not the generated type, so that a spec that
        /// makes a field required cannot make this journal unreadable.
        session: serde_json::Value,
    },
    /// A daily sync planned another segment: synced before any of its data.
    Sync(Segment),
    /// A daily sync widened what the archive keeps, and planned the segment
    /// that fetches it: synced before any of its data. Versions before it
    /// stop at this line, as at a damaged one, rather than sync narrower.
    Widen(Widening),
    /// A run reported the days these segments lost to Zoom's six months:
    /// later syncs need not report them again. Journaled just before the
    /// run's `Closed`, once everything else of the run succeeded.
    LossesReported { segments: Vec<u32> },
    /// One session in one window could not be fetched, although the rest of
    /// the account answered: Zoom kept failing it after the client's retries,
    /// sent what could not be read, or said the session no longer exists.
    /// The run went on without it. Journaled when it happens; later runs try
    /// it again (see [`crate::MAX_UNIT_FAILED_DAYS`]), and a unit entry for it may
    /// then follow its window's `WindowDone`.
    UnitFailed {
        #[serde(default, skip_serializing_if = "is_first_segment")]
        segment: u32,
        /// The window's first day.
        window: NaiveDate,
        session: String,
        /// What went wrong, as a sentence.
        reason: String,
        /// Zoom said the session no longer exists.
        #[serde(default)]
        gone: bool,
        /// The day of the run (UTC, by the client's clock): failures are
        /// counted by day, so that more runs on one day count once.
        day: NaiveDate,
    },
    /// A unit given up: it failed as many runs as allowed, the session no
    /// longer exists, or its days passed out of Zoom's six months before it
    /// could be fetched. Its days are never complete; the manifest names it.
    UnitLost {
        #[serde(default, skip_serializing_if = "is_first_segment")]
        segment: u32,
        /// The window's first day.
        window: NaiveDate,
        session: String,
        /// Why it was given up, as a sentence.
        reason: String,
    },
    /// Every session of a window is written (or failed, as its
    /// `UnitFailed` entries say), or Zoom no longer reports part of it.
    WindowDone {
        #[serde(default, skip_serializing_if = "is_first_segment")]
        segment: u32,
        /// The window's first day.
        window: NaiveDate,
        /// Dates of the window Zoom no longer reported when it was exported.
        lost: Option<Window>,
    },
}

/// One run, as its `Closed` entry records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct RunRecord {
    /// When it started and ended, by the machine's clock (UTC).
    pub started: DateTime<Utc>,
    pub ended: DateTime<Utc>,
    /// How it ended, in words: `done`, `sessions failed`, `stopped`, or
    /// `failed: ...` with the error.
    pub outcome: String,
    /// The journal says an earlier run ended, yet the manifest was gone when
    /// this one started: it was deleted, and this run wrote it again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub manifest_missing: bool,
    /// The files directory this run used, as the manifest records it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_dir: Option<String>,
    /// Files recorded as downloaded that this run found gone or of another
    /// size, and downloaded again.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub files_found_changed: u64,
    /// The files step read the output's references up to this byte and
    /// settled every file it found: the next run reads from here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_scanned_to: Option<u64>,
    /// The run appended to the chain of runs: a later run that finds no
    /// chain knows it was deleted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub chained: bool,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The journal, open for appending.
#[derive(Debug)]
pub(super) struct JournalWriter {
    path: PathBuf,
    file: tokio::fs::File,
}

static TEMPORARY_JOURNALS: AtomicU64 = AtomicU64::new(0);

impl JournalWriter {
    /// Starts a new journal with `header`, replacing any other atomically: it
    /// is written to a temporary file of a unique name, synced, renamed into
    /// place, and the directory synced, so the journal is always whole.
    pub(super) async fn create(path: &Path, header: &Header) -> Result<Self, ExportError> {
        let number = TEMPORARY_JOURNALS.fetch_add(1, Ordering::Relaxed);
        let temporary = temporary_journal(path, number);
        let mut file = header
            .access
            .open_options()
            .write(true)
            .create_new(true)
            .open(&temporary)
            .await
            .map_err(io_error(&temporary))?;
        let written = async {
            file.write_all(&json_line(header)?).await?;
            file.sync_all().await?;
            tokio::fs::rename(&temporary, path).await
        }
        .await;
        if let Err(source) = written {
            let _ = tokio::fs::remove_file(&temporary).await;
            return Err(ExportError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
        sync_directory(directory_of(path))?;
        Self::open(path).await
    }

    /// Opens an existing journal to append to it.
    pub(super) async fn open(path: &Path) -> Result<Self, ExportError> {
        let file = tokio::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .await
            .map_err(io_error(path))?;
        Ok(Self {
            path: path.to_path_buf(),
            file,
        })
    }

    /// Appends one entry and hands it to the OS.
    /// A failure is a [`ExportError::Write`]: like a full disk under the
    /// output, a resume recovers from it once the cause is fixed.
    pub(super) async fn append(&mut self, entry: &Entry) -> Result<(), ExportError> {
        let line = json_line(entry).map_err(write_error(&self.path))?;
        self.file.write_all(&line).await.map_err(write_error(&self.path))?;
        self.file.flush().await.map_err(write_error(&self.path))
    }

    pub(super) async fn sync(&mut self) -> Result<(), ExportError> {
        self.file.sync_data().await.map_err(write_error(&self.path))
    }
}

/// What a journal says is done, after checking it against the output.
#[derive(Debug)]
pub(super) struct Recovered {
    pub header: Header,
    /// The export's own range (segment 0), then each daily sync's.
    pub segments: Vec<Segment>,
    /// `(segment, window's first day, session)` of every unit safely in the output.
    pub done_units: HashSet<(u32, NaiveDate, String)>,
    /// Windows finished, by segment and first day, with the dates lost from them, if any.
    pub done_windows: HashMap<(u32, NaiveDate), Option<Window>>,
    /// Units per window, for the progress of windows skipped whole.
    pub units_per_window: HashMap<(u32, NaiveDate), u64>,
    /// The output's length that the done units account for.
    pub length: u64,
    /// Units the journal records as done whose data failed its check (after a
    /// power cut, the last units may not have reached the disk): fetched again.
    pub refetched_units: u64,
    /// Bytes after the last recorded unit, left by a run that stopped while
    /// copying one unit in: cut off, that unit is fetched again.
    pub torn_bytes: u64,
    /// The sessions listed by finished windows, for the sidecar.
    /// Merged as they are read: one per session, however many windows listed it.
    pub sessions: SessionTable,
    /// Segments whose lost days a run has reported.
    pub losses_reported: HashSet<u32>,
    /// An earlier run ended in good order, and so wrote a manifest.
    pub a_run_ended: bool,
    /// The syncs that widened what the archive keeps, oldest first.
    pub widenings: Vec<Widening>,
    /// How far the last files step that finished read the output's file
    /// references, and the files directory it used (as recorded).
    pub files_scanned: Option<(Option<String>, u64)>,
    /// An earlier run kept a chain of runs.
    pub chained_before: bool,
    /// Where each done unit is in the output, in the output's order: a
    /// sync reads the keys of the days it re-checks from these bytes alone.
    pub unit_spans: Vec<UnitSpan>,
    /// Units that failed in some run, by `(segment, window's first day,
    /// session)`: how often, why, and whether they were given up. Those not
    /// also in `done_units` nor given up are still to be tried again.
    pub troubles: HashMap<(u32, NaiveDate, String), UnitTrouble>,
}

/// A done unit's bytes in the output, and the window it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct UnitSpan {
    pub segment: u32,
    pub window: Window,
    pub start: u64,
    pub end: u64,
}

/// What the journal says of a unit that failed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct UnitTrouble {
    /// Runs in which it failed.
    pub attempts: u32,
    /// The days on which it failed.
    pub days: std::collections::BTreeSet<NaiveDate>,
    /// The days on which Zoom said the session no longer exists.
    pub gone_days: std::collections::BTreeSet<NaiveDate>,
    /// The last failure, as a sentence.
    pub reason: String,
    /// Given up, and why.
    pub lost: Option<String>,
}

impl UnitTrouble {
    /// One more failure, on `day`.
    pub(super) fn failed(&mut self, reason: String, gone: bool, day: NaiveDate) {
        self.attempts += 1;
        self.days.insert(day);
        if gone {
            self.gone_days.insert(day);
        }
        self.reason = reason;
    }
}

impl Recovered {
    /// What the archive keeps now: what the export asked for, as the last
    /// sync that widened it left it.
    pub(super) fn kinds(&self) -> Include {
        self.widenings.last().map_or(self.header.include, |w| w.kinds)
    }

    /// Units that failed, are not done and were not given up: a later run
    /// tries them again. In key order.
    pub(super) fn pending_units(&self) -> Vec<((u32, NaiveDate, String), &UnitTrouble)> {
        let mut pending: Vec<_> = self
            .troubles
            .iter()
            .filter(|(key, trouble)| trouble.lost.is_none() && !self.done_units.contains(*key))
            .map(|(key, trouble)| (key.clone(), trouble))
            .collect();
        pending.sort_by(|a, b| a.0.cmp(&b.0));
        pending
    }
}

impl Recovered {
    /// Nothing done yet: a new export, or the start of reading a journal.
    pub(super) fn new(header: Header) -> Self {
        Self {
            segments: vec![header.first_segment()],
            header,
            done_units: HashSet::new(),
            done_windows: HashMap::new(),
            units_per_window: HashMap::new(),
            length: 0,
            refetched_units: 0,
            torn_bytes: 0,
            sessions: SessionTable::default(),
            losses_reported: HashSet::new(),
            a_run_ended: false,
            widenings: Vec::new(),
            unit_spans: Vec::new(),
            files_scanned: None,
            chained_before: false,
            troubles: HashMap::new(),
        }
    }
}

/// Reads the journal of an earlier export of `output`: its header, checked by
/// `check` before anything else, then its entries, each unit checked against
/// the output's bytes.
///
/// Every run ends, however it ends short of a crash, by syncing the output
/// and journaling [`Entry::Closed`]. What a run left behind is judged by that:
/// - Up to the last `Closed`, everything was on disk: a unit that fails its
///   check, a damaged journal line, or (when the journal ends with `Closed`)
///   anything after the last unit is damage no crash leaves. The resume is
///   refused and nothing is changed.
/// - After it, the run was killed or lost power: a torn journal line, units
///   whose data never reached the disk (in any order, as the page cache writes
///   back) and a half-copied unit are expected. From the first unit that
///   fails, the units are fetched again, and the journal and output are cut
///   back, unless a unit to discard is of dates Zoom no longer reports
///   (`earliest` is the first it does): then the resume is refused, since
///   those messages could not be fetched again.
pub(super) async fn recover(
    journal: &Path,
    output: &Path,
    earliest: NaiveDate,
    check: impl FnOnce(&Header) -> Result<(), ExportError>,
) -> Result<Recovered, ExportError> {
    let damaged = |problem: String| ExportError::Journal {
        output: output.to_path_buf(),
        journal: journal.to_path_buf(),
        problem,
    };
    let refused = |problem: String| ExportError::Damaged {
        output: output.to_path_buf(),
        journal: journal.to_path_buf(),
        problem,
    };
    let unplanned =
        |what: &str, window: NaiveDate| refused(format!("its journal records {what} of an unplanned window {window}"));
    let file = tokio::fs::File::open(journal).await.map_err(io_error(journal))?;
    let journal_len = file.metadata().await.map_err(io_error(journal))?.len();
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();

    let header_len = read_line(&mut reader, &mut line, journal, output).await?;
    let header = match header_len {
        Some(_) => parse_header(&line).map_err(damaged)?,
        None => return Err(damaged("has no complete first line, so it is no export journal".into())),
    };
    check(&header)?;
    if !header.windows_cover_the_range() {
        return Err(damaged("lists month windows that do not cover its range".into()));
    }
    let mut planned: HashMap<(u32, NaiveDate), Window> = header.windows.iter().map(|w| ((0, w.from), *w)).collect();
    let mut segments_planned = 1u32;
    let header_len = header_len.unwrap_or_default();

    // First pass: where the last run that closed in good order left off.
    let mut closed_at: Option<(u64, u64)> = None; // (journal offset after the line, output bytes)
    let mut ends_closed = false;
    let mut offset = header_len;
    while let Some(line_len) = read_line(&mut reader, &mut line, journal, output).await? {
        offset += line_len;
        // Only closed marks matter here: other lines are parsed in the second pass.
        let closed = match line.starts_with(br#"{"closed""#) {
            true => serde_json::from_slice::<Entry>(&line).ok(),
            false => None,
        };
        match closed {
            Some(Entry::Closed { bytes, .. }) => {
                closed_at = Some((offset, bytes));
                ends_closed = true;
            }
            _ => ends_closed = false,
        }
    }
    let (closed_offset, durable_bytes) = closed_at.unwrap_or((0, 0));

    // Second pass: what is done.
    reader
        .seek(std::io::SeekFrom::Start(header_len))
        .await
        .map_err(io_error(journal))?;
    let mut data = OutputReader::open(output).await?;
    let mut recovered = Recovered::new(header);
    recovered.a_run_ended = closed_at.is_some();
    let mut offset = header_len;
    let mut good_end = header_len;
    // The last day planned so far: a sync plans the days right after it.
    let mut last_planned = recovered.header.to;
    // Once a unit is not done, nothing after it is.
    let mut not_done = false;
    // The output's length after the last unit recorded, done or not.
    let mut recorded_end = 0u64;
    while let Some(line_len) = read_line(&mut reader, &mut line, journal, output).await? {
        let line_start = offset;
        offset += line_len;
        let before_close = offset <= closed_offset;
        let Ok(entry) = serde_json::from_slice::<Entry>(&line) else {
            if before_close {
                return Err(refused(format!("its journal has a damaged line at byte {line_start}")));
            }
            // Lost power mid-write: the journal ends here.
            break;
        };
        let (segment, window, session, bytes, checksum, provisional) = match entry {
            Entry::Unit {
                segment,
                window,
                session,
                bytes,
                checksum,
            } => (segment, window, session, bytes, checksum, false),
            Entry::Provisional {
                segment,
                window,
                session,
                bytes,
                checksum,
            } => (segment, window, session, bytes, checksum, true),
            Entry::Sync(_) | Entry::Widen(_) => {
                let (planned_segment, widening) = match entry {
                    Entry::Widen(widening) => (widening.segment.clone(), Some(widening)),
                    Entry::Sync(segment) => (segment, None),
                    _ => unreachable!("matched above"),
                };
                // As `plan_sync` and `plan_widening` make them: the next
                // number, the days right after the last ones planned (a
                // widening may add none), a lookback within the archive, and
                // a widening keeps all the archive kept.
                let new_days_end = match widening {
                    Some(_) => planned_segment.to.succ_opt().unwrap_or(planned_segment.to),
                    None => planned_segment.to,
                };
                if planned_segment.number != segments_planned
                    || !windows_split(planned_segment.from, planned_segment.to, &planned_segment.windows)
                    || !(planned_segment.from..=new_days_end).contains(&planned_segment.new_from)
                    || last_planned.succ_opt() != Some(planned_segment.new_from)
                    || planned_segment.from < recovered.header.from
                    || widening.as_ref().is_some_and(|w| !w.kinds.covers(recovered.kinds()))
                {
                    return Err(refused(format!(
                        "its journal has a sync plan that does not follow the ones before it, at byte {line_start}"
                    )));
                }
                segments_planned += 1;
                last_planned = last_planned.max(planned_segment.to);
                for w in &planned_segment.windows {
                    planned.insert((planned_segment.number, w.from), *w);
                }
                if !not_done {
                    recovered.segments.push(planned_segment);
                    recovered.widenings.extend(widening);
                    good_end = offset;
                }
                continue;
            }
            Entry::WindowDone { segment, window, lost } => {
                let key = (segment, window);
                let within =
                    |l: &Window| l.from <= l.to && planned.get(&key).is_some_and(|w| l.from >= w.from && l.to <= w.to);
                if !planned.contains_key(&key) || lost.as_ref().is_some_and(|l| !within(l)) {
                    return Err(refused(format!(
                        "its journal records an unplanned window {window} as done"
                    )));
                }
                if !not_done {
                    recovered.done_windows.insert(key, lost);
                    good_end = offset;
                }
                continue;
            }
            Entry::Session {
                segment,
                window,
                session,
            } => {
                if !planned.contains_key(&(segment, window)) {
                    return Err(unplanned("a session", window));
                }
                if crate::sessions::id_of(&session).is_none() {
                    return Err(refused(format!(
                        "its journal records a session without an id at byte {line_start}"
                    )));
                }
                if !not_done {
                    recovered.sessions.add(session);
                    good_end = offset;
                }
                continue;
            }
            Entry::LossesReported { segments } => {
                if !not_done {
                    recovered.losses_reported.extend(segments);
                    good_end = offset;
                }
                continue;
            }
            Entry::UnitFailed {
                segment,
                window,
                session,
                reason,
                gone,
                day,
            } => {
                if !planned.contains_key(&(segment, window)) {
                    return Err(unplanned("a failed unit", window));
                }
                if !not_done {
                    recovered
                        .troubles
                        .entry((segment, window, session))
                        .or_default()
                        .failed(reason, gone, day);
                    good_end = offset;
                }
                continue;
            }
            Entry::UnitLost {
                segment,
                window,
                session,
                reason,
            } => {
                if !planned.contains_key(&(segment, window)) {
                    return Err(unplanned("a lost unit", window));
                }
                if !not_done {
                    recovered.troubles.entry((segment, window, session)).or_default().lost = Some(reason);
                    good_end = offset;
                }
                continue;
            }
            Entry::Opened | Entry::Closed { .. } => {
                if let Entry::Closed { run: Some(run), .. } = &entry {
                    if let Some(to) = run.files_scanned_to {
                        recovered.files_scanned = Some((run.files_dir.clone(), to));
                    }
                    recovered.chained_before |= run.chained;
                }
                if !not_done {
                    good_end = offset;
                }
                continue;
            }
        };
        let Some(planned_window) = planned.get(&(segment, window)).copied() else {
            return Err(unplanned("a unit", window));
        };
        // After its window was done, only a unit that failed, and that a
        // later run fetched, may come.
        let retried = recovered
            .troubles
            .get(&(segment, window, session.clone()))
            .is_some_and(|t| t.lost.is_none() && !recovered.done_units.contains(&(segment, window, session.clone())));
        if recovered.done_windows.contains_key(&(segment, window)) && !retried {
            return Err(refused(format!(
                "its journal records a unit of window {window} after that window was done, at byte {line_start}"
            )));
        }
        let start = recorded_end;
        let Some(size) = bytes.checked_sub(start) else {
            return Err(refused(format!(
                "its journal records units out of order at byte {line_start}"
            )));
        };
        recorded_end = bytes;
        // What a crash can have left is after the last close: those units
        // are checked. Before it, only the last one, which finds a file
        // replaced or cut back; every byte before is `verify`'s to check, so
        // that a nightly run reads the night's work, not the archive.
        let matches = if bytes >= durable_bytes {
            data.unit_matches(start, size, checksum).await?
        } else {
            bytes <= data.len
        };
        if !matches && bytes <= durable_bytes {
            return Err(refused(format!(
                "the data of session {session} of {window} (bytes {start}..{bytes}) fails its check, \
                 although the run that wrote it ended in good order, so the file was changed since"
            )));
        }
        let done = matches && !provisional && !not_done;
        if done {
            recovered.unit_spans.push(UnitSpan {
                segment,
                window: planned_window,
                start,
                end: bytes,
            });
            recovered.length = bytes;
            *recovered.units_per_window.entry((segment, window)).or_default() += 1;
            recovered.done_units.insert((segment, window, session));
            good_end = offset;
            continue;
        }
        if !provisional && planned_window.from < earliest {
            return Err(refused(format!(
                "the data of session {session} of {window} (bytes {start}..{bytes}) would have to be \
                 fetched again, and Zoom no longer reports those dates"
            )));
        }
        if !provisional {
            recovered.refetched_units += 1;
        }
        not_done = true;
    }

    let output_len = data.len;
    if output_len > recorded_end {
        if ends_closed {
            return Err(refused(format!(
                "it holds {} bytes after the end of the export (from byte {recorded_end}), which the export \
                 did not write",
                output_len - recorded_end
            )));
        }
        // Part of a unit being copied in when the run was killed, or after a
        // power cut units whose journal lines were lost: fetched again, unless
        // they hold messages of dates Zoom no longer reports.
        if let Some(oldest) = oldest_message_day(output, recorded_end).await?
            && oldest < earliest
        {
            return Err(refused(format!(
                "it holds data after its last recorded unit (from byte {recorded_end}) with messages of \
                 {oldest}, which would have to be fetched again, and Zoom no longer reports that date"
            )));
        }
        recovered.torn_bytes = output_len - recorded_end;
    }
    if good_end < journal_len {
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .open(journal)
            .await
            .map_err(io_error(journal))?;
        file.set_len(good_end).await.map_err(io_error(journal))?;
        file.sync_all().await.map_err(io_error(journal))?;
    }
    Ok(recovered)
}

/// The header of the journal of the archive in `output`, if there is one,
/// with a damaged journal as the archive's error.
pub(super) async fn header_of(output: &Path) -> Result<Option<Header>, ExportError> {
    let journal = crate::paths::journal_path(output);
    read_header(&journal).await.map_err(|problem| ExportError::Journal {
        output: output.to_path_buf(),
        journal,
        problem,
    })
}

/// The header of the journal at `journal`, if there is one.
pub(super) async fn read_header(journal: &Path) -> Result<Option<Header>, String> {
    // Opening a FIFO would block for ever.
    if tokio::fs::metadata(journal).await.is_ok_and(|m| !m.is_file()) {
        return Err("is not a regular file (a directory, FIFO or device)".into());
    }
    let file = match tokio::fs::File::open(journal).await {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", journal.display())),
    };
    let mut line = Vec::new();
    BufReader::new(file)
        .take(MAX_LINE)
        .read_until(b'\n', &mut line)
        .await
        .map_err(|e| format!("{}: {e}", journal.display()))?;
    parse_header(&line).map(Some)
}

/// A unit that failed, as the manifest names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TroubledUnit {
    pub session: String,
    pub window: Window,
    pub attempts: u32,
    pub reason: String,
}

/// What a journal, as the end of a run leaves it, says the archive holds.
#[derive(Debug)]
pub(super) struct ArchiveDays {
    pub header: Header,
    /// Days complete, merged into ranges in date order: their windows are
    /// done, and every session listed for them is in the archive.
    pub complete: Vec<Window>,
    /// Days lost to Zoom's six months, merged into ranges.
    pub lost: Vec<Window>,
    /// Units that failed and are tried again by the next run.
    pub failed_units: Vec<TroubledUnit>,
    /// Units given up.
    pub lost_units: Vec<TroubledUnit>,
    /// Days planned by the export and every sync, neither complete nor lost:
    /// a run stopped before them, a session of them failed, or they include
    /// the day of the run. The next run fetches them.
    pub unfinished: Vec<Window>,
    /// The last run began writing and never recorded its end: it was killed,
    /// or the machine stopped. The next run repairs what it left.
    pub last_run_cut_off: bool,
    /// The runs that recorded their end, oldest first.
    pub runs: Vec<RunRecord>,
    /// Where the archive keeps its files, as the last run with files (or
    /// the first run, in the header) recorded it.
    pub files_dir: Option<String>,
    /// What the archive keeps now: the export's kinds, or the last widening's.
    pub kinds: Include,
    /// The syncs that widened what the archive keeps, oldest first.
    pub widened: Vec<WidenedDays>,
}

/// What one widening of the archive reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct WidenedDays {
    /// The first day whose edits and deletions it fetched: the archive's
    /// first day, or the first Zoom still reported. Days before it keep what
    /// they were archived with.
    pub from: NaiveDate,
    /// What the archive keeps since.
    pub kinds: Include,
    /// Every window of its segment is done.
    pub done: bool,
}

/// Reads what the journal says the archive holds. Read only; the manifest
/// and `verify` use it. A line that does not parse ends the reading, as a
/// torn last line would.
pub(super) async fn archive_days(journal: &Path) -> Result<ArchiveDays, String> {
    let text = tokio::fs::read(journal)
        .await
        .map_err(|e| format!("{}: {e}", journal.display()))?;
    let mut lines = text.split(|&b| b == b'\n');
    let header = parse_header(lines.next().unwrap_or_default())?;
    let mut planned: HashMap<(u32, NaiveDate), Window> = header.windows.iter().map(|w| ((0, w.from), *w)).collect();
    let mut done: Vec<((u32, NaiveDate), Option<Window>)> = Vec::new();
    let mut troubles: HashMap<(u32, NaiveDate, String), UnitTrouble> = HashMap::new();
    let mut fetched_later: HashSet<(u32, NaiveDate, String)> = HashSet::new();
    let mut last_run_cut_off = false;
    let mut runs = Vec::new();
    let mut widenings = Vec::new();
    for line in lines {
        let Ok(entry) = serde_json::from_slice::<Entry>(line) else {
            break;
        };
        match entry {
            Entry::Opened => last_run_cut_off = true,
            Entry::Closed { run, .. } => {
                last_run_cut_off = false;
                if let Some(run) = run {
                    runs.push(run);
                }
            }
            Entry::Sync(segment) => {
                for w in &segment.windows {
                    planned.insert((segment.number, w.from), *w);
                }
            }
            Entry::Widen(widening) => {
                for w in &widening.segment.windows {
                    planned.insert((widening.segment.number, w.from), *w);
                }
                widenings.push(widening);
            }
            Entry::WindowDone {
                segment,
                window,
                lost: lost_part,
            } => done.push(((segment, window), lost_part)),
            Entry::UnitFailed {
                segment,
                window,
                session,
                reason,
                gone,
                day,
            } => troubles
                .entry((segment, window, session))
                .or_default()
                .failed(reason, gone, day),
            Entry::UnitLost {
                segment,
                window,
                session,
                reason,
            } => troubles.entry((segment, window, session)).or_default().lost = Some(reason),
            Entry::Unit {
                segment,
                window,
                session,
                ..
            } => {
                let key = (segment, window, session);
                if troubles.contains_key(&key) {
                    fetched_later.insert(key);
                }
            }
            _ => {}
        }
    }
    let (mut failed_units, mut lost_units) = (Vec::new(), Vec::new());
    let mut held_back: HashSet<(u32, NaiveDate)> = HashSet::new();
    let mut troubled: Vec<_> = troubles.into_iter().collect();
    troubled.sort_by(|a, b| (a.0.1, &a.0.2, a.0.0).cmp(&(b.0.1, &b.0.2, b.0.0)));
    for ((segment, window, session), trouble) in troubled {
        let key = (segment, window, session);
        // Fetched by a later run: whole, unless it was given up even so
        // (its first days had passed out of Zoom's six months).
        if fetched_later.contains(&key) && trouble.lost.is_none() {
            continue;
        }
        let Some(planned_window) = planned.get(&(segment, window)).copied() else {
            continue;
        };
        held_back.insert((segment, window));
        let unit = TroubledUnit {
            session: key.2,
            window: planned_window,
            attempts: trouble.attempts,
            reason: trouble.lost.clone().unwrap_or(trouble.reason),
        };
        if trouble.lost.is_some() {
            lost_units.push(unit);
        } else {
            failed_units.push(unit);
        }
    }
    // A widening is done once every window of its segment is.
    let widened = widenings
        .iter()
        .map(|w: &Widening| WidenedDays {
            from: w.segment.from,
            kinds: w.kinds,
            done: w
                .segment
                .windows
                .iter()
                .all(|window| done.iter().any(|(key, _)| *key == (w.segment.number, window.from))),
        })
        .collect();
    let (mut complete, mut lost) = (Vec::new(), Vec::new());
    for (key, lost_part) in done.iter().cloned() {
        let Some(planned_window) = planned.get(&key).copied() else {
            continue;
        };
        // A session listed for these days is missing from the archive.
        let whole = !held_back.contains(&key);
        match lost_part {
            None if whole => complete.push(planned_window),
            None => {}
            Some(part) => {
                lost.push(part);
                if let Some(first_kept) = part.to.succ_opt().filter(|d| *d <= planned_window.to)
                    && whole
                {
                    complete.push(Window {
                        from: first_kept,
                        to: planned_window.to,
                    });
                }
            }
        }
    }
    // Days that one segment's window holds back stay incomplete even where
    // another segment's window over the same days is done.
    let mut held_days: Vec<Window> = held_back.iter().filter_map(|key| planned.get(key).copied()).collect();
    // Days a widening has yet to re-check lack kinds the archive now keeps:
    // not complete until it has.
    for widening in &widenings {
        held_days.extend(
            widening
                .segment
                .windows
                .iter()
                .filter(|w| !done.iter().any(|(key, _)| *key == (widening.segment.number, w.from)))
                .copied(),
        );
    }
    let complete = subtract_days(merge_days(complete), &merge_days(held_days));
    let lost = merge_days(lost);
    let accounted = merge_days(complete.iter().chain(&lost).copied().collect());
    let unfinished = subtract_days(merge_days(planned.into_values().collect()), &accounted);
    Ok(ArchiveDays {
        complete,
        lost,
        failed_units,
        lost_units,
        unfinished,
        last_run_cut_off,
        files_dir: runs
            .iter()
            .rev()
            .find_map(|run: &RunRecord| run.files_dir.clone())
            .or_else(|| header.files_dir.clone()),
        kinds: widenings.last().map_or(header.include, |w| w.kinds),
        widened,
        header,
        runs,
    })
}

/// `ranges` without any day in `holes`; both sorted and merged.
fn subtract_days(ranges: Vec<Window>, holes: &[Window]) -> Vec<Window> {
    let mut result = Vec::new();
    for range in ranges {
        let mut from = Some(range.from);
        for hole in holes.iter().filter(|h| h.to >= range.from && h.from <= range.to) {
            if let Some(start) = from
                && hole.from > start
            {
                result.push(Window {
                    from: start,
                    to: hole.from.pred_opt().unwrap_or(hole.from).min(range.to),
                });
            }
            from = hole.to.succ_opt().filter(|d| *d <= range.to);
            if from.is_none() {
                break;
            }
        }
        if let Some(start) = from
            && start <= range.to
        {
            result.push(Window {
                from: start,
                to: range.to,
            });
        }
    }
    result
}

/// Day ranges sorted and merged where they overlap or touch.
fn merge_days(mut ranges: Vec<Window>) -> Vec<Window> {
    ranges.sort_by_key(|w| (w.from, w.to));
    let mut merged: Vec<Window> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if last.to.succ_opt().is_some_and(|next| range.from <= next) => {
                last.to = last.to.max(range.to);
            }
            _ => merged.push(range),
        }
    }
    merged
}

/// The day of the oldest message among the complete lines after `from`, read
/// from each line's `date_time` (`yyyy-mm-ddT...`); lines without one are skipped.
async fn oldest_message_day(output: &Path, from: u64) -> Result<Option<NaiveDate>, ExportError> {
    #[derive(Deserialize)]
    struct Line {
        date_time: Option<String>,
    }
    let mut file = tokio::fs::File::open(output).await.map_err(io_error(output))?;
    file.seek(std::io::SeekFrom::Start(from))
        .await
        .map_err(io_error(output))?;
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let mut line = Vec::new();
    let mut oldest: Option<NaiveDate> = None;
    loop {
        line.clear();
        // A message line is far below a reply body's 64 MiB cap.
        let read = (&mut reader)
            .take(64 * 1024 * 1024)
            .read_until(b'\n', &mut line)
            .await
            .map_err(io_error(output))?;
        if read == 0 || line.last() != Some(&b'\n') {
            return Ok(oldest);
        }
        let day = serde_json::from_slice::<Line>(&line)
            .ok()
            .and_then(|l| l.date_time)
            .and_then(|t| t.get(..10).and_then(|d| d.parse::<NaiveDate>().ok()));
        if let Some(day) = day {
            oldest = Some(oldest.map_or(day, |o| o.min(day)));
        }
    }
}

/// Reads one line, newline included, as bytes: a torn tail need not be UTF-8.
/// `None` at the end, or for a last line without its newline (torn).
async fn read_line(
    reader: &mut BufReader<tokio::fs::File>,
    line: &mut Vec<u8>,
    path: &Path,
    output: &Path,
) -> Result<Option<u64>, ExportError> {
    line.clear();
    let read = (&mut *reader)
        .take(MAX_LINE)
        .read_until(b'\n', line)
        .await
        .map_err(io_error(path))?;
    if read as u64 == MAX_LINE && line.last() != Some(&b'\n') {
        // No entry comes near this, and a torn last line is shorter.
        return Err(ExportError::Damaged {
            output: output.to_path_buf(),
            journal: path.to_path_buf(),
            problem: format!("its journal has a line longer than {MAX_LINE} bytes, which the export never writes"),
        });
    }
    if read == 0 || line.last() != Some(&b'\n') {
        return Ok(None);
    }
    Ok(Some(read as u64))
}

fn parse_header(line: &[u8]) -> Result<Header, String> {
    let value: serde_json::Value =
        serde_json::from_slice(line).map_err(|_| "does not start with an export header".to_string())?;
    match value.get("format").and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        Some(_) | None if value.get("from").is_some() && value.get("edited").is_some() => {
            return Err(
                "was written by an older version of zoom-chat-reports, whose journals do not record \
                 where the data came from, so this version cannot resume it safely"
                    .into(),
            );
        }
        _ => return Err("does not start with an export header".into()),
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(version) if (u64::from(OLDEST_READ)..=u64::from(VERSION)).contains(&version) => {}
        Some(version) if version > u64::from(VERSION) => {
            return Err(format!(
                "was written by a newer version of the archive (journal format {version}; this version reads {VERSION})"
            ));
        }
        _ => return Err("has a header of an unknown journal format".into()),
    }
    serde_json::from_value(value).map_err(|e| format!("has a damaged header ({e})"))
}

/// The output, read unit by unit in fixed-size chunks: verifying a unit costs
/// the same memory whatever its size.
struct OutputReader {
    path: PathBuf,
    file: Option<BufReader<tokio::fs::File>>,
    /// The output's length, to check a unit is there before reading it.
    len: u64,
    position: u64,
    chunk: Vec<u8>,
}

impl OutputReader {
    async fn open(path: &Path) -> Result<Self, ExportError> {
        let (file, len) = match tokio::fs::File::open(path).await {
            Ok(file) => {
                let len = file.metadata().await.map_err(io_error(path))?.len();
                (Some(BufReader::with_capacity(64 * 1024, file)), len)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, 0),
            Err(e) => return Err(io_error(path)(e)),
        };
        Ok(Self {
            path: path.to_path_buf(),
            file,
            len,
            position: 0,
            chunk: vec![0; 64 * 1024],
        })
    }

    /// Whether the `size` bytes at `start` are in the file and hash to `checksum`.
    /// `false` when the file is too short; an error when it cannot be read.
    async fn unit_matches(&mut self, start: u64, size: u64, checksum: u64) -> Result<bool, ExportError> {
        let Some(file) = self.file.as_mut() else {
            return Ok(false);
        };
        // The length first: nothing is read for a unit that is not all there.
        if start.checked_add(size).is_none_or(|end| end > self.len) {
            return Ok(false);
        }
        if start != self.position {
            file.seek(std::io::SeekFrom::Start(start))
                .await
                .map_err(io_error(&self.path))?;
            self.position = start;
        }
        let mut hasher = Xxh3::new();
        let mut remaining = size;
        while remaining > 0 {
            let take = remaining.min(self.chunk.len() as u64) as usize;
            file.read_exact(&mut self.chunk[..take])
                .await
                .map_err(io_error(&self.path))?;
            hasher.update(&self.chunk[..take]);
            remaining -= take as u64;
        }
        self.position += size;
        Ok(hasher.digest() == checksum)
    }
}
