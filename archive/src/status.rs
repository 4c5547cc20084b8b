//! What an archive holds and how its runs went, for a person or a monitor
//! (`status --out`): read from the journal and the manifest, changing nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use zoom_chat_reports::{Include, Source};

use crate::error::{ExportError, io_error};
use crate::lock::ReadLock;
use crate::manifest::{
    DayRange, MissingSession, day_ranges, missing_sessions, read_archive_days, read_manifest, recorded_files_dir,
};
use crate::paths::{journal_path, manifest_path};

/// One run, as the journal recorded its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RunSummary {
    /// When it started (UTC, by the machine's clock).
    pub started: DateTime<Utc>,
    /// When it ended.
    pub ended: DateTime<Utc>,
    /// How long it took, in seconds.
    pub seconds: i64,
    /// How it ended: `done`, `sessions failed`, `stopped: ...` or `failed: ...`.
    pub outcome: String,
    /// It found the manifest deleted, and wrote it again.
    pub manifest_missing: bool,
}

/// How far the search index (`chat.sqlite`) has read the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct IndexState {
    /// Bytes of the archive the index holds.
    pub indexed_bytes: u64,
    /// The archive's size.
    pub archive_bytes: u64,
    /// When it was last brought up to date.
    pub updated_at: Option<DateTime<Utc>>,
}

impl IndexState {
    /// It holds every byte of the archive.
    pub fn is_current(&self) -> bool {
        self.indexed_bytes == self.archive_bytes
    }
}

/// What [`status`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ArchiveStatus {
    /// The archive's JSON Lines file.
    pub archive: PathBuf,
    /// Where the data comes from: the API and account, never a secret.
    pub source: Source,
    /// What the archive keeps now: what the export asked Zoom for, or what a
    /// sync widened it to.
    pub include: Include,
    /// Widened by a sync: the days from this one on keep `include`, those
    /// before it (past Zoom's six months when it was widened) keep
    /// `include_before`. `None` when every day keeps `include`.
    pub include_from: Option<NaiveDate>,
    /// What the days before `include_from` keep.
    pub include_before: Option<Include>,
    /// The days complete, merged into ranges.
    pub complete_days: Vec<DayRange>,
    /// Days planned but neither complete nor lost: the next run fetches them.
    pub unfinished_days: Vec<DayRange>,
    /// Days Zoom no longer reported when they were due.
    pub lost_days: Vec<DayRange>,
    /// Sessions the next run tries again.
    pub failed_sessions: Vec<MissingSession>,
    /// Sessions given up.
    pub lost_sessions: Vec<MissingSession>,
    /// The first new day a `--sync` adds: the day after the last complete day.
    pub next_new_day: NaiveDate,
    /// The last run that recorded its end, if any did.
    pub last_run: Option<RunSummary>,
    /// Runs that recorded their end.
    pub runs: usize,
    /// The last run began writing and never recorded its end (killed, or the
    /// machine stopped).
    pub last_run_cut_off: bool,
    /// A run holds the archive now; what follows is as of its last step.
    pub running: bool,
    /// The manifest is missing: no run has ended yet, or it was deleted.
    pub manifest_missing: bool,
    /// Message lines by kind, from the manifest (as of the last run).
    pub messages: BTreeMap<String, u64>,
    /// Sessions in the sessions file, from the manifest.
    pub sessions: u64,
    /// Files by status, from the manifest; empty without files.
    pub files: BTreeMap<String, u64>,
    /// Where the files are, as the journal (or the manifest) records it.
    pub files_dir: Option<PathBuf>,
    /// The counts above come from a manifest; false before any run ended.
    pub counted: bool,
    /// Files the messages reference that no run has fetched yet, counted
    /// from the files themselves as `verify` does.
    pub files_not_fetched: u64,
    /// Files that failed and that the next run tries again.
    pub files_to_retry: u64,
    /// The search index, if one was built: how far it has read. `None`
    /// without one (or in a build without the `read` feature).
    pub search_index: Option<IndexState>,
    /// The chain of runs: entries, and its head's hash and signer. `None`
    /// before any run recorded one.
    pub chain: Option<crate::ChainHead>,
}

/// Reads what the archive in `output` holds and how its runs went, without
/// writing anything (not even a lock) and while a run holds it.
pub async fn status(output: &Path) -> Result<ArchiveStatus, ExportError> {
    let journal = journal_path(output);
    if !tokio::fs::try_exists(&journal).await.map_err(io_error(&journal))? {
        return Err(crate::error::no_archive(output));
    }
    let running = matches!(ReadLock::acquire(output), Err(ExportError::Locked { .. }));
    let days = read_archive_days(output).await?;
    let manifest = read_manifest(output).await?;
    let next_new_day = days
        .complete
        .last()
        .and_then(|w| w.to.succ_opt())
        .unwrap_or(days.header.from);
    let last_run = days.runs.last().map(|run| RunSummary {
        started: run.started,
        ended: run.ended,
        seconds: (run.ended - run.started).num_seconds(),
        outcome: run.outcome.clone(),
        manifest_missing: run.manifest_missing,
    });
    let files_dir = recorded_files_dir(output, days.files_dir.as_deref(), manifest.as_ref());
    // Read as verify reads it; a file that cannot be read counts nothing
    // here, and verify names it.
    let outstanding = match &files_dir {
        Some(dir) => crate::files::files_outstanding(output, dir).await.unwrap_or_default(),
        None => crate::files::FilesOutstanding::default(),
    };
    // The last widening that left earlier days narrower, and what they keep.
    let (include_from, include_before) = match days.widened.iter().rposition(|w| w.from > days.header.from) {
        Some(at) => {
            let before = at
                .checked_sub(1)
                .map_or(days.header.include, |earlier| days.widened[earlier].kinds);
            (Some(days.widened[at].from), Some(before))
        }
        None => (None, None),
    };
    Ok(ArchiveStatus {
        archive: output.to_path_buf(),
        source: days.header.source.clone(),
        include: days.kinds,
        include_from,
        include_before,
        complete_days: day_ranges(&days.complete),
        unfinished_days: day_ranges(&days.unfinished),
        lost_days: day_ranges(&days.lost),
        failed_sessions: missing_sessions(&days.failed_units),
        lost_sessions: missing_sessions(&days.lost_units),
        next_new_day,
        last_run,
        runs: days.runs.len(),
        // A run under way has not recorded its end yet: that is no cut.
        last_run_cut_off: days.last_run_cut_off && !running,
        running,
        // Only a run that ended writes one: before that, none is missing.
        manifest_missing: !days.runs.is_empty() && manifest.is_none() && !manifest_path(output).exists(),
        messages: manifest.as_ref().map(|m| m.messages.clone()).unwrap_or_default(),
        sessions: manifest.as_ref().map_or(0, |m| m.sessions),
        files: manifest.as_ref().map(|m| m.files.clone()).unwrap_or_default(),
        files_dir,
        counted: manifest.is_some(),
        files_not_fetched: outstanding.not_fetched,
        files_to_retry: outstanding.to_retry,
        search_index: search_index_state(output),
        chain: crate::read_chain(output).ok().flatten().and_then(|entries| {
            let last = entries.last()?;
            Some(crate::ChainHead {
                hash: last.hash(),
                entries: entries.len() as u64,
                signed_by: last.signature.as_ref().map(|s| s.public_key.clone()),
            })
        }),
    })
}

/// The index's own record of how far it read; an index that cannot be read
/// counts as none here (`index` rebuilds it, and says why).
#[cfg(feature = "read")]
fn search_index_state(output: &Path) -> Option<IndexState> {
    crate::index::index_state(output).ok().flatten()
}

#[cfg(not(feature = "read"))]
fn search_index_state(_: &Path) -> Option<IndexState> {
    None
}
