//! One window: its sessions listed, and their units fetched a few at a time.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::NaiveDate;
use futures::stream::FuturesUnordered;
use futures::{FutureExt, StreamExt};
use tokio::io::BufWriter;
use zoom_chat_reports::windows::DateWindow;
use zoom_chat_reports::{Client, Include};

use crate::archived::ArchivedKeys;
use crate::error::ExportError;
use crate::failures::{ACCOUNT_TROUBLE_MIN_FAILURES, FailedUnit, UnitFailure, record_failed_unit, unit_failure};
use crate::journal::UnitTrouble;
use crate::options::ExportOptions;
use crate::summary::ExportProgress;
use crate::unit::fetch_unit;
use crate::writer::OutputWriter;

/// One window's units, fetched a few at a time.
pub(crate) struct WindowBatch<'a> {
    pub(crate) client: &'a Client,
    pub(crate) options: &'a ExportOptions,
    /// The segment of the window, which with its first day keys its units.
    pub(crate) segment: u32,
    /// The window as planned: its first day keys its units in the journal.
    pub(crate) planned: DateWindow,
    /// The part of it that is fetched: all of it unless Zoom no longer reports its first days.
    pub(crate) reportable: DateWindow,
    pub(crate) journaled: bool,
    /// For a sync's window: what the archive holds, not to be written again.
    pub(crate) archived: Option<Arc<ArchivedKeys>>,
    /// What to ask Zoom for: the export's own, as its journal records it,
    /// for its own range; with edits by when they were made for a sync's.
    pub(crate) include: Include,
    pub(crate) done_units: &'a HashSet<(u32, NaiveDate, String)>,
    /// Units that failed in earlier runs: how often, and whether given up.
    pub(crate) troubles: &'a std::collections::HashMap<(u32, NaiveDate, String), UnitTrouble>,
    /// The run's day, by the client's clock: failures are counted by day.
    pub(crate) today: NaiveDate,
    pub(crate) sessions_seen: &'a mut HashSet<String>,
    /// The sessions the window's report listed, as Zoom sent them.
    pub(crate) window_sessions: &'a mut Vec<serde_json::Value>,
    pub(crate) units_known: &'a mut u64,
}

impl WindowBatch<'_> {
    /// Lists the window's sessions and fetches each one not done (nor given
    /// up) yet, at most `concurrency` at once, saving each unit as it
    /// completes. A unit Zoom cannot serve (see [`unit_failure`]) is
    /// recorded and the window goes on without it. After the first other
    /// error no new unit starts; those under way run to their end and are
    /// saved if they succeed, so no request already paid for is wasted. On
    /// `stop`, the units already complete are saved and the rest dropped.
    pub(crate) async fn run<S: Future<Output = ()>>(
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
                        self.window_sessions.push(crate::sessions::stored(&session));
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
