//! Sessions Zoom cannot serve: recorded per window, tried again on later
//! days, and given up after [`crate::MAX_UNIT_FAILED_DAYS`] days.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::NaiveDate;
use tokio::io::BufWriter;
use zoom_chat_reports::windows::{DateWindow, earliest_reportable};
use zoom_chat_reports::{Client, Error};

use crate::archived::ArchivedKeys;
use crate::error::ExportError;
use crate::journal::{Entry, Recovered, UnitTrouble};
use crate::options::{ExportOptions, GONE_CONFIRMATION_DAYS, MAX_UNIT_FAILED_DAYS};
use crate::summary::FailedSession;
use crate::sync_plan::{segment_include, sync_recheck_start};
use crate::unit::fetch_unit;
use crate::writer::OutputWriter;

/// A window in which at least this many sessions fail, and more fail than
/// succeed, is not taken for some sessions' failures but for Zoom's own
/// trouble: the run stops as for any error, records none of them, and the
/// next run fetches the window again.
pub(crate) const ACCOUNT_TROUBLE_MIN_FAILURES: usize = 3;

/// Why one unit could not be fetched, when it is the unit's own failure.
#[derive(Debug, Clone)]
pub(crate) struct UnitFailure {
    pub(crate) reason: String,
    /// Zoom said the session no longer exists.
    pub(crate) gone: bool,
}

/// Whether an error that ended one unit is that unit's own
/// ([`Error::is_isolated_failure`]): Zoom failing this one session while the
/// account answers. Those are recorded and the run goes on. Everything else
/// stops the run as before: credentials, the daily limit, a network that
/// reaches nothing, this machine's disk, a stop.
pub(crate) fn unit_failure(error: &ExportError) -> Option<UnitFailure> {
    let ExportError::Zoom(error) = error else {
        return None;
    };
    if !error.is_isolated_failure() {
        return None;
    }
    // The session and window are the unit's own: the reason is what happened.
    Some(match error.root() {
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
pub(crate) struct FailedUnit {
    pub(crate) segment: u32,
    /// Its planned window.
    pub(crate) window: DateWindow,
    pub(crate) session: String,
    pub(crate) name: Option<String>,
}

/// Records that a unit could not be fetched in this run: journaled (for a
/// window that does not include today, which is fetched again anyway) with
/// its reason and the day, and given up once it has failed on
/// [`MAX_UNIT_FAILED_DAYS`] days, or Zoom has said on
/// [`GONE_CONFIRMATION_DAYS`] days that the session is gone.
pub(crate) async fn record_failed_unit(
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

pub(crate) fn lowercase_first(text: &str) -> String {
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
pub(crate) async fn retry_failed_units<S: Future<Output = ()>>(
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
                let since = sync_recheck_start(recovered);
                let from = crate::sync_plan::recheck_scan_start(recovered, since, recovered.length);
                let read = Arc::new(ArchivedKeys::read(writer.path, from, writer.length, since).await?);
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
pub(crate) async fn give_up(
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
