//! The names of an archive's files, in one place.
//!
//! For `--out chat.jsonl`, beside it:
//! - `chat.jsonl.journal`, what is done (see `journal`), and `chat.jsonl.lock`;
//! - `chat.sessions.jsonl`, the sessions sidecar, and `chat.manifest.json`;
//! - `chat.sqlite`, the search index, once `index` or `search` built it;
//! - `chat.chain.jsonl`, the chain of runs that makes changes evident;
//! - while a run writes: spools `chat.jsonl.spool-PID-N`, and temporary
//!   files `chat.jsonl.journal.tmp-PID-N`, `chat.sessions.jsonl.tmp-PID` and
//!   `chat.manifest.json.tmp-PID`, each renamed into place or removed by the
//!   next run.
//!
//! For `--files DIR`: `DIR/files.jsonl` (with `.lock` and `.tmp-PID` beside
//! it) and `DIR/<file_id>/<name>`, downloaded as `.download-PID-N.part`.
//!
//! `chat` and `chat.jsonl` share the sidecar and manifest names, so they are
//! each other's twin and are never both exports.

use std::path::{Path, PathBuf};

/// `OUT.journal`.
pub fn journal_path(output: &Path) -> PathBuf {
    with_suffix(output, ".journal")
}

/// `PATH.lock`: the lock of an output (`OUT.lock`) or of a files index.
pub fn lock_path(path: &Path) -> PathBuf {
    with_suffix(path, ".lock")
}

/// The sessions sidecar: `chat.jsonl` → `chat.sessions.jsonl`, any other
/// name → `NAME.sessions.jsonl`.
pub fn sessions_path(output: &Path) -> PathBuf {
    output.with_file_name(format!("{}.sessions.jsonl", stem(output)))
}

/// The manifest: `chat.jsonl` → `chat.manifest.json`, any other name →
/// `NAME.manifest.json`.
pub fn manifest_path(output: &Path) -> PathBuf {
    output.with_file_name(format!("{}.manifest.json", stem(output)))
}

/// The chain of runs, the archive's tamper evidence: `chat.jsonl` →
/// `chat.chain.jsonl`, any other name → `NAME.chain.jsonl`.
pub fn chain_path(output: &Path) -> PathBuf {
    output.with_file_name(format!("{}.chain.jsonl", stem(output)))
}

/// The search index: `chat.jsonl` → `chat.sqlite`, any other name →
/// `NAME.sqlite`. Built from the archive, and rebuilt from it whenever
/// needed: deleting it loses nothing.
pub fn search_index_path(output: &Path) -> PathBuf {
    output.with_file_name(format!("{}.sqlite", stem(output)))
}

/// The index of a files directory: `DIR/files.jsonl`.
pub fn files_index_path(dir: &Path) -> PathBuf {
    dir.join("files.jsonl")
}

/// One spelling of a place: links and `..` resolved where the path exists,
/// else made absolute, so that `files`, `./files` and `/srv/chat/files` compare equal.
pub(crate) fn resolved(path: &Path) -> PathBuf {
    path.canonicalize()
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// The directory an output is in (`.` for a bare name).
pub(crate) fn directory_of(output: &Path) -> &Path {
    match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// The `number`th spool of this process for `output`.
pub(crate) fn spool_path(output: &Path, number: u64) -> PathBuf {
    directory_of(output).join(format!("{}{}-{number}", spool_prefix(output), std::process::id()))
}

/// The `number`th temporary journal of this process, renamed over `journal`.
pub(crate) fn temporary_journal(journal: &Path, number: u64) -> PathBuf {
    with_suffix(journal, &format!(".tmp-{}-{number}", std::process::id()))
}

/// This process's temporary sessions sidecar, renamed over the sidecar.
pub(crate) fn temporary_sidecar(output: &Path) -> PathBuf {
    let sidecar = sessions_path(output);
    with_suffix(&sidecar, &format!(".tmp-{}", std::process::id()))
}

/// This process's temporary manifest, renamed over the manifest.
pub(crate) fn temporary_manifest(output: &Path) -> PathBuf {
    with_suffix(&manifest_path(output), &format!(".tmp-{}", std::process::id()))
}

/// This process's temporary files index, renamed over `index`.
pub(crate) fn temporary_index(index: &Path) -> PathBuf {
    with_suffix(index, &format!(".tmp-{}", std::process::id()))
}

/// The `number`th temporary download of this process into `folder`.
pub(crate) fn temporary_download(folder: &Path, number: u64) -> PathBuf {
    folder.join(format!(".download-{}-{number}.part", std::process::id()))
}

/// A download a run killed part way left (only one run writes a files
/// directory at a time, under its lock: any such file is a leftover).
pub(crate) fn is_download_leftover(name: &str) -> bool {
    name.starts_with(".download-") && name.ends_with(".part")
}

/// Whether `name`, in the output's directory, is a temporary file a run of
/// `output` left: a spool, a temporary journal, sidecar or manifest.
pub(crate) fn is_leftover_of(output: &Path, name: &str) -> bool {
    [
        spool_prefix(output),
        format!("{}.tmp-", file_name(&journal_path(output))),
        format!("{}.tmp-", file_name(&sessions_path(output))),
        format!("{}.tmp-", file_name(&manifest_path(output))),
    ]
    .iter()
    .any(|prefix| name.starts_with(prefix.as_str()))
}

/// Whether `name` is one an archive's own files take: a journal, lock,
/// sidecar, manifest, spool or temporary journal. Such a name given as the
/// output is a slip of the command line, not an archive.
pub(crate) fn is_companion_name(name: &str) -> bool {
    [
        ".journal",
        ".lock",
        ".sessions.jsonl",
        ".manifest.json",
        ".sqlite",
        ".chain.jsonl",
    ]
    .iter()
    .any(|suffix| name.ends_with(suffix))
        || name.contains(".spool-")
        || name.contains(".journal.tmp-")
}

/// The other output that shares this one's sidecar and manifest: `chat` for
/// `chat.jsonl`, and `chat.jsonl` for `chat`.
pub(crate) fn twin_of(output: &Path) -> PathBuf {
    let name = file_name(output);
    match name.strip_suffix(".jsonl") {
        Some(stem) => output.with_file_name(stem),
        None => output.with_file_name(format!("{name}.jsonl")),
    }
}

fn spool_prefix(output: &Path) -> String {
    format!("{}.spool-", file_name(output))
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap_or_default().to_string_lossy().into_owned()
}

/// The name without `.jsonl`.
fn stem(output: &Path) -> String {
    let name = file_name(output);
    name.strip_suffix(".jsonl").unwrap_or(&name).to_string()
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_of_an_archive() {
        let out = Path::new("/srv/chat/chat.jsonl");
        assert_eq!(journal_path(out), Path::new("/srv/chat/chat.jsonl.journal"));
        assert_eq!(lock_path(out), Path::new("/srv/chat/chat.jsonl.lock"));
        assert_eq!(sessions_path(out), Path::new("/srv/chat/chat.sessions.jsonl"));
        assert_eq!(manifest_path(out), Path::new("/srv/chat/chat.manifest.json"));
        assert_eq!(search_index_path(out), Path::new("/srv/chat/chat.sqlite"));
        assert_eq!(chain_path(out), Path::new("/srv/chat/chat.chain.jsonl"));
        assert_eq!(sessions_path(Path::new("chat")), Path::new("chat.sessions.jsonl"));
        assert_eq!(twin_of(out), Path::new("/srv/chat/chat"));
        assert_eq!(twin_of(Path::new("chat")), Path::new("chat.jsonl"));
        assert_eq!(directory_of(Path::new("chat.jsonl")), Path::new("."));
        let pid = std::process::id();
        let spool = spool_path(out, 3);
        assert_eq!(spool, Path::new(&format!("/srv/chat/chat.jsonl.spool-{pid}-3")));
        for leftover in [spool, temporary_journal(&journal_path(out), 1), temporary_sidecar(out)] {
            let name = leftover.file_name().unwrap().to_string_lossy().into_owned();
            assert!(is_leftover_of(out, &name), "{name}");
        }
        assert!(!is_leftover_of(out, "chat.jsonl"));
        assert!(!is_leftover_of(out, "chat.sessions.jsonl"));
        assert!(is_companion_name("chat.jsonl.journal") && is_companion_name("x.spool-1-2"));
        assert!(!is_companion_name("chat.jsonl"));
        let index = files_index_path(Path::new("files"));
        assert_eq!(
            temporary_index(&index),
            Path::new(&format!("files/files.jsonl.tmp-{pid}"))
        );
        let part = temporary_download(Path::new("files/id"), 7);
        assert!(is_download_leftover(&part.file_name().unwrap().to_string_lossy()));
    }
}
