//! Where an archive keeps its files, fixed once: its first run with files
//! records the directory in the manifest, and later runs keep to it.
//!
//! A cron line without `cd`, or a `--files` typed differently, would
//! otherwise download every file again somewhere else and leave `verify`
//! checking only the new place. Moving the directory is an explicit act
//! ([`ExportOptions::files_moved`]), checked before it is recorded.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::error::ExportError;
use crate::manifest::{files_dir_of, read_manifest, sha256_of_file};
use crate::options::ExportOptions;
use crate::paths::{files_index_path, manifest_path};

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
    // No manifest (a first run, or one lost, which the run reports), or one
    // that cannot be read (verify reports it): nothing recorded to keep to.
    let Ok(Some(manifest)) = read_manifest(output).await else {
        return Ok(Cow::Borrowed(options));
    };
    let Some(recorded) = files_dir_of(output, &manifest) else {
        // Files are added to an archive that had none: that widens it.
        return Ok(Cow::Borrowed(options));
    };
    let Some(given) = &options.files_dir else {
        // Without --files, a run still downloads the files of what it adds,
        // where the archive keeps them: leaving the option out must not
        // narrow the archive.
        return Ok(Cow::Owned(options.clone().files(recorded)));
    };
    let (recorded, given) = (absolute(&recorded), absolute(given));
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
    let index = files_index_path(&given);
    let expected = manifest.digests.get("files_index").map(|d| d.sha256.as_str());
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

/// The path as one absolute spelling: links and `..` resolved where it
/// exists, so that `files`, `./files` and `/srv/archive/files` are one place.
fn absolute(path: &Path) -> PathBuf {
    path.canonicalize()
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}
