//! The output file and what goes with each unit written to it: the
//! journal entry, the summary, the progress.

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use tokio::io::{AsyncSeekExt, AsyncWriteExt, BufWriter};
use zoom_chat_reports::windows::DateWindow;

use crate::access::Access;
use crate::archived::{ArchivedKeys, RecordKey};
use crate::error::{ExportError, io_error, write_error};
use crate::journal::{Entry, JournalWriter};
use crate::sessions::SessionTable;
use crate::spool::FinishedSpool;
use crate::summary::{ExportProgress, ExportSummary};

/// Opens the output for appending at `length`, cutting off anything after it
/// (a unit half written when an earlier run died, or a window that included
/// that run's today).
pub(crate) async fn open_output(
    output: &Path,
    length: u64,
    access: Access,
) -> Result<BufWriter<tokio::fs::File>, ExportError> {
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
pub(crate) struct OutputWriter<'a> {
    pub(crate) path: &'a Path,
    /// Every session seen, for the sidecar: those of earlier runs and this one.
    pub(crate) sessions: SessionTable,
    /// The output's length: what the journal's next unit entry records.
    pub(crate) length: u64,
    pub(crate) journal: JournalWriter,
    pub(crate) progress: &'a (dyn Fn(ExportProgress) + Send + Sync),
    pub(crate) summary: ExportSummary,
}

impl OutputWriter<'_> {
    /// Copies a fetched unit into the output and, unless its window includes
    /// today, journals it.
    pub(crate) async fn save(
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
pub(crate) struct FetchedUnit {
    pub(crate) segment: u32,
    /// The first day of its planned window.
    pub(crate) window: NaiveDate,
    pub(crate) session: String,
    pub(crate) spool: FinishedSpool,
    pub(crate) messages: u64,
    /// For a sync's unit: the archive it was checked against, the keys of
    /// the records it adds, and how many it left out as already archived.
    pub(crate) archived: Option<Arc<ArchivedKeys>>,
    pub(crate) keys: Vec<RecordKey>,
    pub(crate) already_archived: u64,
}

/// The dates lost to Zoom's six months that a run reports.
#[derive(Debug, Default)]
pub(crate) struct LostDays {
    pub(crate) windows: Vec<DateWindow>,
    /// The segments they belong to, journaled as reported once returned.
    pub(crate) segments: Vec<u32>,
}

impl LostDays {
    pub(crate) fn add(&mut self, segment: u32, window: DateWindow) {
        self.windows.push(window);
        if self.segments.last() != Some(&segment) {
            self.segments.push(segment);
        }
    }
}
