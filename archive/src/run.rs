//! Running an export's windows in order, and the failed units after them.

use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;

use chrono::NaiveDate;
use tokio::io::BufWriter;
use zoom_chat_reports::Client;
use zoom_chat_reports::windows::{DateWindow, earliest_reportable};

use crate::archived::ArchivedKeys;
use crate::batch::WindowBatch;
use crate::error::ExportError;
use crate::failures::retry_failed_units;
use crate::journal::{Entry, Recovered, Window};
use crate::options::ExportOptions;
use crate::summary::ExportProgress;
use crate::sync_plan::{recheck_scan_start, segment_include, sync_recheck_start};
use crate::writer::{LostDays, OutputWriter};

/// The windows of every segment, one after another. Returns the dates lost
/// to Zoom's six months.
pub(crate) async fn run(
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
                    let from = recheck_scan_start(recovered, since, recovered.length);
                    let keys = Arc::new(ArchivedKeys::read(writer.path, from, writer.length, since).await?);
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
