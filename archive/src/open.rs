//! Opening an export: a new journal, or a resumed or synced one checked
//! against this run's source and options.

use std::path::Path;

use chrono::NaiveDate;
use zoom_chat_reports::windows::{DateWindow, earliest_reportable};
use zoom_chat_reports::{Client, Error, Include, RangeError, Source};

use crate::access::Access;
use crate::error::{ExportError, io_error};
use crate::journal::{self, Header, JournalWriter, Recovered};
use crate::options::ExportOptions;
use crate::output::{existing_export, refuse_existing_export};
use crate::paths::{journal_path, manifest_path, sessions_path};

/// The export's state after the checks: what is done, and the journal to append to.
pub(crate) struct Start {
    pub(crate) recovered: Recovered,
    pub(crate) journal: JournalWriter,
    /// The journal was created by this run: a new export.
    pub(crate) new_journal: bool,
    /// A sync asked for more than the archive keeps: what it widens it to.
    pub(crate) widen_to: Option<Include>,
}

pub(crate) async fn open_export(
    client: &Client,
    output: &Path,
    options: &ExportOptions,
    access: Access,
    today: NaiveDate,
    windows_for_a_new_export: Result<Vec<DateWindow>, RangeError>,
) -> Result<Start, ExportError> {
    let journal_file = journal_path(output);
    let (output_len, journal_exists) = existing_export(output).await?;
    if options.resume && journal_exists {
        let recovered = journal::recover(&journal_file, output, earliest_reportable(today), |header| {
            check_resume(header, client.source(), output, options)
        })
        .await?;
        let widen_to = match options.sync {
            Some(_) => crate::sync_plan::widening(&recovered, options.include, output)?,
            None => None,
        };
        let journal = JournalWriter::open(&journal_file).await?;
        return Ok(Start {
            recovered,
            journal,
            new_journal: false,
            widen_to,
        });
    }
    if options.resume && output_len > 0 {
        return Err(ExportError::NoJournal {
            output: output.to_path_buf(),
            journal: journal_file,
        });
    }
    if !options.resume && !options.overwrite {
        refuse_existing_export(output).await?;
    }

    // A new export: `overwrite`, or nothing there to lose.
    let windows = windows_for_a_new_export.map_err(Error::from)?;
    let header = Header::new(
        client.source().clone(),
        *options.range.start(),
        *options.range.end(),
        options.include,
        &windows,
        access,
        options
            .files_dir
            .as_deref()
            .map(|dir| crate::manifest::recorded_files_dir_name(output, dir)),
    );
    // The new journal goes in first: were the process to die before the
    // output is emptied, a resume would find no unit done and cut it back.
    let journal = JournalWriter::create(&journal_file, &header).await?;
    // The sidecar and manifest of the export this one replaces are not this one's.
    // So are its chain of runs: the new archive's chain starts anew (a head
    // kept elsewhere then finds the old one gone).
    for beside in [
        sessions_path(output),
        manifest_path(output),
        crate::paths::chain_path(output),
    ] {
        match tokio::fs::remove_file(&beside).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&beside)(e)),
        }
    }
    Ok(Start {
        new_journal: true,
        widen_to: None,
        recovered: Recovered::new(header),
        journal,
    })
}

pub(crate) fn describe(from: NaiveDate, to: NaiveDate, include: Include) -> String {
    format!("{from} to {to} ({include})")
}

pub(crate) fn check_resume(
    header: &Header,
    source: &Source,
    output: &Path,
    options: &ExportOptions,
) -> Result<(), ExportError> {
    if &header.source != source {
        return Err(ExportError::SourceMismatch {
            output: output.to_path_buf(),
            recorded: Box::new(header.source.clone()),
            current: Box::new(source.clone()),
        });
    }
    // How edits are selected is not compared: the export's own windows keep
    // the selection its journal records, and a sync's select by when they
    // were made, whichever command continues them.
    let kinds = |include: Include| include.by_modification_time(false);
    let (recorded, requested) = match options.sync {
        // A sync extends the archive: its end moves. What it asks for is
        // checked against what the archive keeps once the journal is read
        // (`sync_plan::widening`): a sync may widen it.
        Some(sync) => (
            describe(header.from, header.to, kinds(header.include)),
            describe(sync.first_day.unwrap_or(header.from), header.to, kinds(header.include)),
        ),
        None => (
            describe(header.from, header.to, kinds(header.include)),
            describe(*options.range.start(), *options.range.end(), kinds(options.include)),
        ),
    };
    if recorded != requested {
        return Err(ExportError::OptionsMismatch {
            output: output.to_path_buf(),
            recorded,
            requested,
        });
    }
    Ok(())
}
