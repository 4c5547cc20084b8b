//! Checks of the output path before anything is created: what `--out`
//! names, its twin, and an existing export.

use std::path::Path;

use crate::error::{ExportError, PathProblem, io_error};
use crate::paths::{directory_of, is_companion_name, journal_path, lock_path, manifest_path, sessions_path, twin_of};
use crate::writer::OutputWriter;

/// Refuses an `--out` that cannot hold an export, before anything is
/// created: `-`, a path ending in a separator, an existing directory, device
/// or FIFO (opening a FIFO would block), or a path in a directory that does not
/// exist.
pub(crate) fn check_output_path(output: &Path) -> Result<(), ExportError> {
    let bad = |problem: PathProblem| ExportError::BadOutput {
        output: output.to_path_buf(),
        problem,
    };
    let text = output.as_os_str().as_encoded_bytes();
    if output.as_os_str() == "-" {
        return Err(bad(PathProblem::StandardOutput));
    }
    let ends_in_separator = text.last().is_some_and(|&b| std::path::is_separator(char::from(b)));
    let Some(name) = output.file_name().filter(|_| !ends_in_separator) else {
        return Err(bad(PathProblem::NotAFileName));
    };
    let name = name.to_string_lossy();
    if is_companion_name(&name) {
        return Err(bad(PathProblem::CompanionName));
    }
    refuse_twin_export(output)?;
    // The journal and lock beside it must be files too: opening a FIFO would
    // block. Nor links: writing through one would write outside the archive.
    for beside in [
        journal_path(output),
        lock_path(output),
        sessions_path(output),
        manifest_path(output),
    ] {
        if std::fs::symlink_metadata(&beside).is_ok_and(|m| !m.is_file()) {
            return Err(bad(PathProblem::CompanionNotAFile { path: beside }));
        }
    }
    if std::fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink()) && !output.exists() {
        return Err(bad(PathProblem::DanglingLink));
    }
    match std::fs::metadata(output) {
        Ok(metadata) if metadata.is_file() => return Ok(()),
        Ok(metadata) if metadata.is_dir() => {
            return Err(bad(PathProblem::Directory));
        }
        Ok(_) => {
            return Err(bad(PathProblem::NotARegularFile));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(output)(e)),
    }
    let directory = directory_of(output);
    match std::fs::metadata(directory) {
        Ok(metadata) if metadata.is_dir() => Ok(()),
        Ok(_) => Err(bad(PathProblem::ParentNotADirectory {
            directory: directory.to_path_buf(),
        })),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(bad(PathProblem::NoSuchDirectory {
            directory: directory.to_path_buf(),
        })),
        Err(e) => Err(io_error(directory)(e)),
    }
}

/// [`ExportError::BadOutput`] if the twin of `output` (see [`twin_of`]) holds
/// an export: the two would share `chat.sessions.jsonl` and `chat.manifest.json`.
pub(crate) fn refuse_twin_export(output: &Path) -> Result<(), ExportError> {
    let twin = twin_of(output);
    if std::fs::symlink_metadata(journal_path(&twin)).is_ok() {
        return Err(ExportError::BadOutput {
            output: output.to_path_buf(),
            problem: PathProblem::SharedWithTwin {
                sessions: sessions_path(output),
                manifest: manifest_path(output),
                twin,
            },
        });
    }
    Ok(())
}

/// The output's length (0 if it does not exist) and whether its journal exists.
pub(crate) async fn existing_export(output: &Path) -> Result<(u64, bool), ExportError> {
    let journal_file = journal_path(output);
    let output_len = match tokio::fs::metadata(output).await {
        Ok(metadata) => metadata.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
        Err(e) => return Err(io_error(output)(e)),
    };
    let journal_exists = tokio::fs::try_exists(&journal_file)
        .await
        .map_err(io_error(&journal_file))?;
    Ok((output_len, journal_exists))
}

/// Whether a new export failed before writing anything: then it leaves
/// nothing behind (see `export_until_stopped`).
pub(crate) fn nothing_written_by<T>(
    new_journal: bool,
    writer: &OutputWriter<'_>,
    result: &Result<T, ExportError>,
) -> bool {
    result.is_err() && new_journal && writer.length == 0 && writer.summary.units == 0
}

/// Removes `output` if it is an empty file: one this run created to lock it.
pub(crate) fn remove_if_empty(output: &Path) {
    if std::fs::metadata(output).is_ok_and(|m| m.is_file() && m.len() == 0) {
        let _ = std::fs::remove_file(output);
    }
}

/// [`ExportError::AlreadyExists`] if `output` holds data or has a journal.
pub(crate) async fn refuse_existing_export(output: &Path) -> Result<(), ExportError> {
    let (output_len, journal_exists) = existing_export(output).await?;
    let journal_file = journal_path(output);
    if journal_exists || output_len > 0 {
        return Err(ExportError::AlreadyExists {
            output: output.to_path_buf(),
            journal: journal_exists.then_some(journal_file),
        });
    }
    Ok(())
}
