//! Where an archive keeps its files, fixed once: its first run with files
//! records the directory in the manifest, and later runs keep to it.
//!
//! A cron line without `cd`, or a `--files` typed differently, would
//! otherwise download every file again somewhere else and leave `verify`
//! checking only the new place. Moving the directory is an explicit act
//! ([`ExportOptions::files_moved`]), checked before it is recorded.

use std::borrow::Cow;
use std::path::Path;

use crate::error::ExportError;
use crate::manifest::{read_archive_days, read_manifest, recorded_files_dir, sha256_of_file};
use crate::options::ExportOptions;
use crate::paths::{files_index_path, manifest_path, resolved};

/// The options a run that continues an archive goes on with: `files_dir`
/// set to the recorded place when none was given, or refused when another
/// was given, unless it was said to be moved there and holds the same index.
pub(crate) async fn settle_files_dir<'a>(
    output: &Path,
    options: &'a ExportOptions,
) -> Result<Cow<'a, ExportOptions>, ExportError> {
    let continues = options.resume || options.sync.is_some();
    if !continues || options.overwrite {
        return Ok(Cow::Borrowed(options));
    }
    // A manifest that cannot be read counts as none here: verify reports it.
    let manifest = read_manifest(output).await.ok().flatten();
    // A journal that cannot be read records nothing here; the run reports it.
    let journal_dir = read_archive_days(output).await.ok().and_then(|days| days.files_dir);
    let Some(recorded) = recorded_files_dir(output, journal_dir.as_deref(), manifest.as_ref()) else {
        // Files are added to an archive that had none: that widens it.
        return Ok(Cow::Borrowed(options));
    };
    let Some(given) = &options.files_dir else {
        // Without --files, a run still downloads the files of what it adds,
        // where the archive keeps them: leaving the option out must not
        // narrow the archive.
        return Ok(Cow::Owned(options.clone().files(recorded)));
    };
    let (recorded, given) = (resolved(&recorded), resolved(given));
    if recorded == given {
        return Ok(Cow::Borrowed(options));
    }
    if !options.files_moved {
        return Err(ExportError::FilesDirDiffers {
            output: output.to_path_buf(),
            recorded,
            given,
        });
    }
    // Moved, not copied: two archives must not share one files directory.
    let old_index = files_index_path(&recorded);
    if std::fs::symlink_metadata(&old_index).is_ok() {
        return Err(ExportError::FilesMoveUnconfirmed {
            problem: format!(
                "the old place still holds its files index {}: move the directory, do not copy it",
                old_index.display()
            ),
            recorded,
            given,
        });
    }
    let index = files_index_path(&given);
    let expected = manifest
        .as_ref()
        .and_then(|m| m.digests.get("files_index"))
        .map(|d| d.sha256.as_str());
    let found = sha256_of_file(&index).await?;
    let problem = match (expected, found.as_deref()) {
        (Some(expected), Some(found)) if expected == found => return Ok(Cow::Borrowed(options)),
        (None, _) => return Ok(Cow::Borrowed(options)),
        (Some(_), None) => format!("it holds no files index ({} does not exist)", index.display()),
        (Some(_), Some(_)) => format!(
            "its files index {} is not the one the manifest {} records (its SHA-256 differs)",
            index.display(),
            manifest_path(output).display()
        ),
    };
    Err(ExportError::FilesMoveUnconfirmed {
        recorded,
        given,
        problem,
    })
}
