//! Planning a daily sync: the days after the archive's last complete day,
//! and the lookback re-checked.

use std::path::Path;

use chrono::NaiveDate;
use zoom_chat_reports::Include;
use zoom_chat_reports::windows::{earliest_reportable, month_windows};

use crate::error::ExportError;
use crate::journal::{self, Recovered, Window};
use crate::options::{ExportOptions, SyncOptions};
use crate::paths::journal_path;

/// A sync's options as the export runs them: a resume of the archive in the
/// file, or a new archive of `first_day` through yesterday.
pub(crate) fn options_for_sync(
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
pub(crate) fn plan_sync(recovered: &Recovered, today: NaiveDate, lookback_days: u32) -> Option<journal::Segment> {
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

/// The segment of a sync that widens what the archive keeps to `kinds`:
/// every day of the archive that Zoom still reports is re-checked, by when
/// edits and deletions were made, with the days after the last one planned
/// through yesterday added as by any sync. Days before Zoom's six months
/// keep what they were archived with.
pub(crate) fn plan_widening(recovered: &Recovered, today: NaiveDate, kinds: Include) -> Option<journal::Widening> {
    let yesterday = today.pred_opt()?;
    let last_planned = recovered.segments.iter().map(|s| s.to).max()?;
    let new_from = last_planned.succ_opt()?;
    let from = recovered.header.from.max(earliest_reportable(today));
    // An export whose range reached today is re-checked through today too.
    let to = yesterday.max(last_planned);
    if from > to {
        return None;
    }
    let windows = month_windows(&(from..=to), from).ok()?;
    Some(journal::Widening {
        segment: journal::Segment {
            number: recovered.segments.len() as u32,
            from,
            new_from,
            to,
            windows: windows.into_iter().map(Window::from).collect(),
        },
        kinds: kinds.by_modification_time(false),
    })
}

/// The kinds a sync asking for `requested` widens the archive to, when it
/// asks for more than the archive keeps; `None` when it asks for the same.
/// Asking for less (or other kinds) is refused: an archive is never narrowed.
pub(crate) fn widening(
    recovered: &Recovered,
    requested: Include,
    output: &Path,
) -> Result<Option<Include>, ExportError> {
    let kept = recovered.kinds().by_modification_time(false);
    let requested = requested.by_modification_time(false);
    if requested == kept {
        return Ok(None);
    }
    if !requested.covers(kept) {
        return Err(ExportError::WouldNarrow {
            output: output.to_path_buf(),
            kept,
            requested,
        });
    }
    Ok(Some(requested))
}

/// The first day this run's sync windows re-check, a day early: records of
/// that day or later already in the archive are the ones they may fetch
/// again. The day early absorbs any difference between how Zoom places a
/// record in a day and the record's own UTC time.
pub(crate) fn sync_recheck_start(recovered: &Recovered) -> NaiveDate {
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

/// The first byte of the output that can hold a record of `since` or later:
/// the start of the first unit whose window reaches `since`. Records are
/// in the window of their day (a sent message by when it was sent, an edit
/// or deletion of a sync by when it was made), so the bytes before it are
/// older and need not be read. An export that selected edits by the day the
/// message was sent (segment 0) may hold recent edits of old messages in any
/// of its windows: all of its units are read. `fallback` (the output's
/// length when nothing is found) is where this run's own units begin.
pub(crate) fn recheck_scan_start(recovered: &Recovered, since: NaiveDate, fallback: u64) -> u64 {
    let header = &recovered.header;
    let by_send_time =
        !header.include.selects_by_modification_time() && (header.include.edited || header.include.deleted);
    recovered
        .unit_spans
        .iter()
        .filter(|span| span.window.to >= since || (by_send_time && span.segment == 0))
        .map(|span| span.start)
        .min()
        .unwrap_or(fallback)
        .min(fallback)
}

/// What to ask Zoom for in a segment's windows: the export's own, as its
/// journal records it, for its own range; with edits by when they were made
/// for a sync's.
pub(crate) fn segment_include(segment: &journal::Segment, options: &ExportOptions, recovered: &Recovered) -> Include {
    if segment.is_sync() {
        options.include.by_modification_time(true)
    } else {
        recovered.header.include
    }
}

/// Whether a segment has windows no run has finished.
pub(crate) fn unfinished(recovered: &Recovered, segment: &journal::Segment) -> bool {
    segment
        .windows
        .iter()
        .any(|w| !recovered.done_windows.contains_key(&(segment.number, w.from)))
}
