//! One writer per output: an OS advisory lock on `OUT.lock`, held for the
//! whole export.
//!
//! The lock is on a file of its own because the journal is replaced by rename
//! when a new export starts, and a lock on a replaced file protects nothing.
//! The OS releases the lock when the process ends, however it ends, so a crash
//! never leaves a stale lock behind. The file itself stays (it only records the
//! last holder's pid, for the message a second export shows): deleting it
//! while others may have it open would let two exports lock two different files.
//!
//! `OUT.lock` is named after the path, so two spellings of one file (a
//! symlink, a hard link) would lock two lock files. On Unix the output file
//! itself is therefore locked too: advisory locks belong to the file, however
//! it is reached. (Not elsewhere: on Windows a lock on the output would also
//! stop this process's own writes to it.)

use std::fs::{File, TryLockError};
use std::io::Write;
use std::path::Path;

use crate::access::Access;
use crate::error::{ExportError, io_error};
use crate::paths::lock_path;

/// Held while an export writes; dropping it releases the lock.
#[derive(Debug)]
pub(super) struct ExportLock {
    _file: File,
    #[cfg(unix)]
    _output: File,
}

impl ExportLock {
    /// Takes the lock at once, or fails with [`ExportError::Locked`] if another export holds it.
    pub(super) fn acquire(output: &Path, access: Access) -> Result<Self, ExportError> {
        let path = lock_path(output);
        let mut file = access
            .std_open_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_error(&path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(ExportError::Locked {
                    output: output.to_path_buf(),
                    holder: holder(&path),
                    lock: path,
                });
            }
            Err(TryLockError::Error(source)) => return Err(ExportError::Io { path, source }),
        }
        #[cfg(unix)]
        let output_lock = lock_output_itself(output, access)?;
        // Only informative: the OS lock, not this text, keeps a second writer out.
        file.set_len(0).map_err(io_error(&path))?;
        writeln!(file, "pid {}", std::process::id()).map_err(io_error(&path))?;
        Ok(Self {
            _file: file,
            #[cfg(unix)]
            _output: output_lock,
        })
    }
}

impl ExportLock {
    /// Gives the lock file, and on Unix the output it locks, `access`: for
    /// an export that starts over in files that existed before.
    pub(super) fn set_access(&self, access: Access) -> std::io::Result<()> {
        access.apply_to(&self._file)?;
        #[cfg(unix)]
        access.apply_to(&self._output)?;
        Ok(())
    }
}

/// The process that last took the lock, as its lock file says.
fn holder(lock: &Path) -> Option<u32> {
    std::fs::read_to_string(lock)
        .ok()
        .and_then(|text| text.trim().strip_prefix("pid ")?.parse().ok())
}

/// Locks the output file itself (creating it empty if it does not exist), so
/// that an export reaching the same file by another path is refused too.
#[cfg(unix)]
fn lock_output_itself(output: &Path, access: Access) -> Result<File, ExportError> {
    let file = access
        .std_open_options()
        .write(true)
        .create(true)
        .truncate(false)
        .open(output)
        .map_err(io_error(output))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(ExportError::Locked {
            output: output.to_path_buf(),
            lock: output.to_path_buf(),
            holder: None,
        }),
        Err(TryLockError::Error(source)) => Err(ExportError::Io {
            path: output.to_path_buf(),
            source,
        }),
    }
}

/// Held while `verify` reads an export: a shared lock, which an export's
/// exclusive one excludes. Taken without creating or writing anything, so a
/// read-only copy (a backup, a snapshot) can be verified.
#[derive(Debug)]
pub(super) struct ReadLock {
    _files: Vec<File>,
}

impl ReadLock {
    /// Shares the locks an export takes (`OUT.lock`, and on Unix the output
    /// itself), or fails with [`ExportError::Locked`] while an export runs.
    /// A lock file that does not exist, or cannot be opened for reading, is
    /// passed over: no export holds it.
    pub(super) fn acquire(output: &Path) -> Result<Self, ExportError> {
        let path = lock_path(output);
        let mut files = Vec::new();
        let mut candidates = Vec::new();
        // A lock file that is a link is no export's lock (exports refuse one).
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            candidates.push(path.clone());
        }
        if cfg!(unix) {
            candidates.push(output.to_path_buf());
        }
        for candidate in candidates {
            // Opening a FIFO would block: only regular files are locks.
            if !std::fs::metadata(&candidate).is_ok_and(|m| m.is_file()) {
                continue;
            }
            let Ok(file) = File::open(&candidate) else { continue };
            match file.try_lock_shared() {
                Ok(()) => files.push(file),
                Err(TryLockError::WouldBlock) => {
                    return Err(ExportError::Locked {
                        output: output.to_path_buf(),
                        holder: holder(&path),
                        lock: path,
                    });
                }
                // A file system without locks: read anyway.
                Err(TryLockError::Error(_)) => {}
            }
        }
        Ok(Self { _files: files })
    }
}

/// Refuses, with [`ExportError::Locked`], while an export of `twin` (the
/// output that shares this one's sidecar and manifest) runs: its lock file is
/// opened only if it exists, so nothing is created for a twin that never ran.
/// Each export takes its own lock before looking at its twin's, so of two
/// started at once at least one sees the other.
pub(super) fn refuse_running_twin(output: &Path, twin: &Path) -> Result<(), ExportError> {
    let path = lock_path(twin);
    if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return Ok(());
    }
    let Ok(file) = File::open(&path) else { return Ok(()) };
    match file.try_lock_shared() {
        Ok(()) => Ok(()),
        Err(TryLockError::WouldBlock) => Err(ExportError::Locked {
            output: output.to_path_buf(),
            holder: holder(&path),
            lock: path,
        }),
        Err(TryLockError::Error(_)) => Ok(()),
    }
}
