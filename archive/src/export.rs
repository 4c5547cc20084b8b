//! The entry points: an export of a range, or a daily sync, from the
//! opening of the archive to its manifest.

use std::future::Future;
use std::path::Path;
use std::time::Instant;

use tokio::io::AsyncWriteExt;
use zoom_chat_reports::windows::month_windows;
use zoom_chat_reports::{Client, Error, Include, RangeError};

use crate::chain::{self, ChainRun};
use crate::error::{ExportError, io_error, write_error};
use crate::files;
use crate::journal::{self, Entry, RunRecord};
use crate::lock::ExportLock;
use crate::manifest;
use crate::manifest::FileDigest;
use crate::open::open_export;
use crate::options::ExportOptions;
use crate::output::{
    check_output_path, nothing_written_by, refuse_existing_export, refuse_twin_export, remove_if_empty,
};
use crate::paths::{journal_path, manifest_path, twin_of};
use crate::permissions::archive_access;
use crate::run::run;
use crate::spool;
use crate::summary::{ExportProgress, ExportSummary, SyncedDays, WidenedSync};
use crate::sync_plan::{options_for_sync, plan_sync, plan_widening};
use crate::writer::{OutputWriter, open_output};

/// What the export in `output` asked Zoom for, as its journal records it;
/// `None` when there is no export there. A daily sync must ask for the same:
/// a caller without its own choice can pass this to [`ExportOptions::include`].
pub async fn recorded_include(output: &Path) -> Result<Option<Include>, ExportError> {
    if journal::header_of(output).await?.is_none() {
        return Ok(None);
    }
    // A sync may have widened it since the export began.
    Ok(Some(crate::manifest::read_archive_days(output).await?.kinds))
}

/// Exports every message of every session in `options.range` to `output`, one
/// JSON object per line. Stops, with everything finished so far saved, when
/// `stop` completes or on the first error (after writing the units already
/// fetched).
///
/// Refuses, before writing anything, a range that ends after today, a
/// non-empty output or an existing journal unless `resume` or `overwrite` is
/// set, and a second export to the same output while one runs.
///
/// Dates: today is read once, from the client's clock, when the export
/// starts. A new export plans its month windows then and records them; a
/// resume uses the recorded windows, skips finished ones without looking at
/// the date, and checks only those still to do against Zoom's six months.
/// Dates that have meanwhile passed out of reach are skipped, everything else
/// is finished, and the export ends with [`ExportError::DatesLost`]. A window
/// that includes today is written but never journaled as done, since Zoom is
/// still adding to it: a resume fetches it again.
pub async fn export_jsonl(
    client: &Client,
    output: &Path,
    options: &ExportOptions,
    progress: &(dyn Fn(ExportProgress) + Send + Sync),
    stop: impl Future<Output = ()>,
) -> Result<ExportSummary, ExportError> {
    // The export itself is not generic over `stop`, so it is compiled once, in
    // this crate, instead of in every caller's: `stop` only raises a flag that
    // the export watches. This keeps the CLI's clean build seconds shorter.
    let (raise_stop, stop_flag) = tokio::sync::watch::channel(false);
    let export = export_until_stopped(client, output, options, progress, stop_flag);
    tokio::pin!(export, stop);
    tokio::select! {
        biased;
        result = &mut export => result,
        () = &mut stop => {
            let _ = raise_stop.send(true);
            export.await
        }
    }
}

pub(crate) async fn export_until_stopped(
    client: &Client,
    output: &Path,
    options: &ExportOptions,
    progress: &(dyn Fn(ExportProgress) + Send + Sync),
    mut stop_flag: tokio::sync::watch::Receiver<bool>,
) -> Result<ExportSummary, ExportError> {
    let stop_watch = stop_flag.clone();
    let stop = async move {
        // The sender lives as long as the export; were it gone, nobody could stop it.
        if stop_flag.wait_for(|&stopped| stopped).await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let started = Instant::now();
    let started_at = chrono::Utc::now();
    if options.overwrite && (options.resume || options.sync.is_some()) {
        return Err(ExportError::ConflictingOptions);
    }
    let today = client.today();
    let sync_options;
    let options = match options.sync {
        Some(sync) => {
            // First: a directory or FIFO named as --out is that, not an archive without a first day.
            check_output_path(output)?;
            sync_options = options_for_sync(output, options, sync, today)?;
            &sync_options
        }
        None => options,
    };
    let (from, to) = (*options.range.start(), *options.range.end());
    if from > to {
        return Err(Error::from(RangeError::Reversed { from, to }).into());
    }
    if to > today {
        return Err(ExportError::EndsAfterToday { to, today });
    }
    check_output_path(output)?;
    let settled = crate::files_place::settle_files_dir(output, options).await?;
    let options = &*settled;
    if let Some(dir) = &options.files_dir {
        files::check_dir(dir)?;
    }
    let windows_for_a_new_export = month_windows(&options.range, today);
    if let (false, Err(error)) = (options.resume, &windows_for_a_new_export) {
        // A file that holds an export is named first: rerunning an old
        // command must not read as only a date problem.
        if !options.overwrite {
            refuse_existing_export(output).await?;
        }
        // A range Zoom cannot report fails before any file is touched.
        return Err(Error::from(error.clone()).into());
    }

    let access = archive_access(output, options).await?;
    // Whether this run creates the output (the lock creates it to lock it).
    let output_existed = std::fs::symlink_metadata(output).is_ok();
    let lock = ExportLock::acquire(output, access)?;
    // Under the lock: a twin export started at the same moment holds its own
    // lock (taken before it looks at this one's), and is refused or refuses.
    let start = match crate::lock::refuse_running_twin(output, &twin_of(output))
        .and_then(|()| refuse_twin_export(output))
        .and_then(|()| spool::remove_leftovers(output))
    {
        Ok(()) => open_export(client, output, options, access, today, windows_for_a_new_export).await,
        Err(error) => Err(error),
    };
    let mut start = match start {
        Ok(start) => start,
        Err(error) => {
            // Refused before anything was written: leave no empty file behind.
            if !output_existed {
                remove_if_empty(output);
            }
            return Err(error);
        }
    };
    if start.new_journal {
        // A new export in files that may have existed before (`overwrite`, or
        // an empty output): they get its access, not the one they had.
        lock.set_access(access).map_err(io_error(output))?;
    }
    // The manifest is written at the end of every run that ends: a journal
    // that records such a run, with no manifest beside it, means the
    // manifest was deleted. Said loudly and recorded, never rebuilt in silence.
    let manifest_was_missing =
        !start.new_journal && start.recovered.a_run_ended && std::fs::symlink_metadata(manifest_path(output)).is_err();
    // The chain of runs, read once: the run holds the archive until it
    // appends its own entry. What changed outside a run since the last one,
    // before this one changes anything: recorded in that entry, never
    // signed over.
    let runs_chain = chain::read_chain(output);
    let findings = {
        let files_dir = match &options.files_dir {
            Some(dir) => Some(dir.clone()),
            None => manifest::archive_files_dir(output).await.ok().flatten(),
        };
        chain::findings_before_run(
            output,
            &runs_chain,
            files_dir.as_deref(),
            start.recovered.chained_before,
        )
    };
    // Durable before the output is touched: a crash from here on is never
    // taken for the good end of an earlier run (see `journal::recover`).
    start.journal.append(&Entry::Opened).await?;
    let mut synced = None;
    if let Some(widen_to) = start.widen_to
        && let Some(widening) = plan_widening(&start.recovered, today, widen_to)
    {
        let segment = widening.segment.clone();
        synced = Some(SyncedDays {
            rechecked_from: segment.from,
            new_from: segment.new_from,
            to: segment.to,
            widened: Some(WidenedSync {
                kinds: widening.kinds,
                from: segment.from,
                kept_as_archived: (start.recovered.header.from < segment.from).then(|| {
                    (
                        start.recovered.header.from,
                        segment.from.pred_opt().unwrap_or(segment.from),
                    )
                }),
            }),
        });
        start.journal.append(&Entry::Widen(widening.clone())).await?;
        start.recovered.segments.push(segment);
        start.recovered.widenings.push(widening);
    } else if let Some(sync) = options.sync
        && let Some(segment) = plan_sync(&start.recovered, today, sync.lookback_days)
    {
        synced = Some(SyncedDays {
            rechecked_from: segment.from,
            new_from: segment.new_from,
            to: segment.to,
            widened: None,
        });
        start.journal.append(&Entry::Sync(segment.clone())).await?;
        start.recovered.segments.push(segment);
    }
    start.journal.sync().await?;
    let mut file = open_output(output, start.recovered.length, access).await?;
    let sessions = std::mem::take(&mut start.recovered.sessions);
    let mut writer = OutputWriter {
        path: output,
        sessions,
        length: start.recovered.length,
        journal: start.journal,
        progress,
        summary: ExportSummary {
            manifest_was_missing,
            refetched_units: start.recovered.refetched_units,
            cut_bytes: start.recovered.torn_bytes,
            synced,
            ..ExportSummary::default()
        },
    };
    let result = run(client, options, &start.recovered, today, &mut file, &mut writer, stop).await;
    // Whatever happened, what was written is made durable before returning.
    let flushed = file.flush().await.map_err(write_error(output));
    if result.is_err() || flushed.is_err() {
        // A unit half written when a write failed is cut off, so that the
        // file holds whole lines only; it is fetched again by a resume.
        file.get_ref().set_len(writer.length).await.map_err(io_error(output))?;
    }
    flushed?;
    file.get_ref().sync_data().await.map_err(io_error(output))?;
    let nothing_written = nothing_written_by(start.new_journal, &writer, &result);
    // Rebuilt whole at the end of every run, whatever the result: it then
    // holds every session of the windows finished so far.
    let sidecar = if nothing_written {
        Ok(())
    } else {
        writer.sessions.write(output, access).await
    };
    // The files of what is written, once the messages are done. They touch
    // neither the output nor the journal; a crash among them is a crash
    // after this run's units, which a resume checks and keeps.
    // Where the last files step that finished stopped reading references,
    // if it used this directory: this one reads only the bytes after it.
    let files_dir_name = options
        .files_dir
        .as_deref()
        .map(|dir| manifest::recorded_files_dir_name(output, dir));
    // Never past where this run began writing: units cut back (provisional
    // ones, or a crash's) were written again, and their references are new.
    let scanned_to = match &start.recovered.files_scanned {
        Some((dir, to)) if *dir == files_dir_name => Some((*to).min(start.recovered.length)),
        _ => None,
    };
    let files = match (&options.files_dir, &result, nothing_written) {
        (Some(dir), Ok(_), false) => Some(
            files::download_all(
                client,
                output,
                files::ReferencesRead {
                    scanned_to,
                    length: writer.length,
                },
                dir,
                options.concurrency,
                access,
                stop_watch,
            )
            .await,
        ),
        _ => None,
    };
    // The days lost are reported by this return; journaled, so that later
    // syncs do not report them again, only when nothing else stops the run
    // from returning them.
    let everything_else_done = sidecar.is_ok() && files.as_ref().is_none_or(Result::is_ok);
    let losses = match &result {
        Ok(lost) if !lost.segments.is_empty() && everything_else_done => {
            let entry = Entry::LossesReported {
                segments: lost.segments.clone(),
            };
            writer.journal.append(&entry).await
        }
        _ => Ok(()),
    };
    // The run ends in good order: everything up to here is on disk, so a
    // resume holds it to its checksums strictly (see `journal::recover`).
    let run_record = RunRecord {
        started: started_at,
        ended: chrono::Utc::now(),
        outcome: run_outcome(&result, &files, &writer.summary),
        manifest_missing: manifest_was_missing,
        files_found_changed: files
            .as_ref()
            .and_then(|f| f.as_ref().ok())
            .map_or(0, |f| f.found_changed.len() as u64),
        files_scanned_to: files.as_ref().is_some_and(|f| f.is_ok()).then_some(writer.length),
        files_dir: files_dir_name,
        chained: true,
    };
    let chain_run = ChainRun {
        started: run_record.started,
        ended: run_record.ended,
        outcome: run_record.outcome.clone(),
        manifest_missing: run_record.manifest_missing,
    };
    let closed = writer
        .journal
        .append(&Entry::Closed {
            bytes: writer.length,
            run: Some(run_record),
        })
        .await;
    let synced = writer.journal.sync().await;
    let result = match result {
        Err(error) if nothing_written => {
            // A new export that failed before writing anything (wrong
            // credentials, say) leaves nothing to resume: the same command,
            // once the cause is fixed, starts it afresh, even from another source.
            drop(file);
            drop(writer);
            let _ = std::fs::remove_file(journal_path(output));
            if !output_existed {
                remove_if_empty(output);
            }
            return Err(error);
        }
        other => other,
    };
    writer.summary.sessions_in_sidecar = writer.sessions.len() as u64;
    // Whatever happened, the manifest describes what the files now hold.
    // The bytes before this run's first write are the last run's: the
    // manifest's hash is taken up from there, or (the output was cut back
    // below it, as a resume does to provisional units) computed again.
    let manifest = manifest::write(
        output,
        options.files_dir.as_deref(),
        access,
        (start.recovered.length, chain::trusted_state(&runs_chain)),
    )
    .await;
    // And the chain of runs records it: the manifest's hash, the archive's,
    // signed when the run has a key.
    let chain = manifest.as_ref().ok().map(|written| {
        let digest = |name: &str| written.digests.get(name).cloned();
        chain::append(
            output,
            &runs_chain,
            chain_run,
            chain::RunState {
                archive: digest("messages").unwrap_or_else(|| FileDigest::empty(output)),
                messages: written.messages.clone(),
                journal: digest("journal"),
                sessions: digest("sessions"),
                files_index: digest("files_index"),
                findings: findings.clone(),
            },
            options.sign_key.as_ref(),
            access,
        )
    });
    // The run's own error first: a journal that cannot be written after a full disk says less.
    let lost = result?.windows;
    sidecar?;
    writer.summary.files = files.transpose()?;
    losses?;
    closed?;
    synced?;
    manifest?;
    let chain_head = chain.transpose()?;
    if let (Some(head), Some(log)) = (&chain_head, &options.head_log) {
        chain::log_head(log, head, chrono::Utc::now())?;
    }

    let mut summary = writer.summary;
    summary.chain_head = chain_head;
    summary.changed_outside_runs = findings;
    summary.stats = client.stats();
    summary.elapsed = started.elapsed();
    if !lost.is_empty() {
        return Err(ExportError::DatesLost {
            output: output.to_path_buf(),
            lost,
            summary: Box::new(summary),
        });
    }
    if !summary.failed_sessions.is_empty() {
        return Err(ExportError::SessionsFailed {
            output: output.to_path_buf(),
            summary: Box::new(summary),
        });
    }
    Ok(summary)
}

/// How a run ended, in the words its journal entry keeps.
fn run_outcome<T, F>(
    result: &Result<T, ExportError>,
    files: &Option<Result<F, ExportError>>,
    summary: &ExportSummary,
) -> String {
    let error = result.as_ref().err().or(files.as_ref().and_then(|f| f.as_ref().err()));
    match error {
        Some(error) if error.is_resumable_stop() => format!("stopped: {error}"),
        Some(error) => format!("failed: {error}"),
        None if !summary.failed_sessions.is_empty() => "sessions failed".into(),
        None => "done".into(),
    }
}
