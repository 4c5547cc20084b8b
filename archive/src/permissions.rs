//! Who may read an archive's paths: checked on every run, listed and
//! tightened by `permissions`.

use std::path::Path;

use crate::access::{Access, LoosePath};
use crate::error::{ExportError, PathProblem, io_error};
use crate::files;
use crate::journal;
use crate::manifest;
use crate::options::ExportOptions;
use crate::paths::{files_index_path, journal_path, lock_path, manifest_path, sessions_path};

/// What [`check_access`] found: the access the archive was created with,
/// and every path of it that more people can read than that allows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccessReport {
    /// What the archive's journal records; [`Access::Owner`] for an archive
    /// whose journal predates the record, or that has none.
    pub access: Access,
    /// The paths that are looser than `access`, with the mode each should have.
    pub loose: Vec<LoosePath>,
}

/// Lists the paths of the archive in `output` that more people can read than
/// it was created for: the output, its journal, lock, sessions sidecar and
/// manifest, and the files directory (`files_dir`, or the one the manifest
/// records) and its index; with `deep`, every file and folder the archive
/// put in the files directory too (the folders its index lists, nothing
/// else there). Reads modes only; changes nothing. An `output` that is not a
/// regular file is refused ([`ExportError::BadOutput`]); one that does not
/// exist has nothing to list. On systems other than Unix the list is always
/// empty: no mode is set or checked there.
pub async fn check_access(output: &Path, files_dir: Option<&Path>, deep: bool) -> Result<AccessReport, ExportError> {
    // Only an archive's own paths are judged: `--out .` or a mistyped
    // directory must not have the user's directory listed, nor tightened.
    match tokio::fs::symlink_metadata(output).await {
        Ok(metadata) if metadata.is_file() => {}
        Ok(_) => {
            return Err(ExportError::BadOutput {
                output: output.to_path_buf(),
                problem: PathProblem::NotAnArchiveFile,
            });
        }
        // No archive yet: nothing of it to judge.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(AccessReport {
                access: Access::default(),
                loose: Vec::new(),
            });
        }
        Err(e) => return Err(io_error(output)(e)),
    }
    let access = match journal::read_header(&journal_path(output)).await {
        Ok(Some(header)) => header.access,
        _ => Access::default(),
    };
    let recorded_dir = match files_dir {
        Some(_) => None,
        None => crate::manifest::read_manifest(output)
            .await
            .ok()
            .flatten()
            .and_then(|manifest| manifest::files_dir_of(output, &manifest)),
    };
    let files_dir = files_dir.map(Path::to_path_buf).or(recorded_dir);
    let mut companions = vec![
        output.to_path_buf(),
        journal_path(output),
        lock_path(output),
        sessions_path(output),
        manifest_path(output),
        // The search index holds the same conversations (a missing one is
        // passed over).
        crate::paths::search_index_path(output),
        crate::paths::chain_path(output),
    ];
    if let Some(dir) = &files_dir {
        companions.push(files_index_path(dir));
        companions.push(lock_path(&files_index_path(dir)));
    }
    let mut file_folders = Vec::new();
    if let (Some(dir), true) = (&files_dir, deep) {
        let index = files::read_index(&files_index_path(dir)).await?;
        let folders: std::collections::BTreeSet<String> = index
            .values()
            .filter_map(|record| record.path.split('/').next().map(str::to_string))
            .filter(|folder| !folder.is_empty() && folder != ".." && folder != ".")
            .collect();
        file_folders = folders.into_iter().map(|folder| dir.join(folder)).collect();
    }
    let loose = crate::access::loose_paths(access, &companions, files_dir.as_deref(), &file_folders)
        .map_err(io_error(files_dir.as_deref().unwrap_or(output)))?;
    Ok(AccessReport { access, loose })
}

/// Takes away, from each path listed, the permission bits its archive's
/// access does not allow (group and others, or others, and group write),
/// leaving every other bit as it is. Symlinks are never followed or changed.
pub fn tighten_access(report: &AccessReport) -> Result<(), ExportError> {
    for loose in &report.loose {
        crate::access::tighten(loose).map_err(io_error(&loose.path))?;
    }
    Ok(())
}

/// Who may read the archive: what its journal records, for an archive that
/// is there; what was asked (the owner alone, unless asked otherwise), for a
/// new one or one `overwrite` replaces. Asking an existing archive for other
/// access is refused: a later run, by cron for years, must not open or
/// narrow it by one option.
pub(crate) async fn archive_access(output: &Path, options: &ExportOptions) -> Result<Access, ExportError> {
    // A journal that cannot be read is named by the checks that follow.
    let recorded = match journal::read_header(&journal_path(output)).await {
        Ok(Some(header)) if !options.overwrite => Some(header.access),
        _ => None,
    };
    match (recorded, options.access) {
        (Some(recorded), Some(asked)) if recorded != asked => Err(ExportError::AccessMismatch {
            output: output.to_path_buf(),
            recorded,
            asked,
        }),
        (Some(recorded), _) => Ok(recorded),
        (None, asked) => Ok(asked.unwrap_or_default()),
    }
}
