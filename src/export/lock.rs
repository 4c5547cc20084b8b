//! One writer per output: an OS advisory lock on `OUT.lock`, held for the
//! whole export.
//!
//! The lock is on a file of its own because the journal is replaced by rename
//! when a new export starts, and a lock on a replaced file protects nothing.
//! The OS releases the lock when the process ends, however it ends, so a crash
//! never leaves a stale lock behind. The file itself stays (it only records the
//! last holder's pid, for the message a second export shows): deleting it
//! while others may have it open would let two exports lock two different files.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{ExportError, io_error};

/// The lock file for an output file: `OUT.lock`.
pub fn lock_path(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Held while an export writes; dropping it releases the lock.
#[derive(Debug)]
pub(super) struct ExportLock {
    _file: File,
}

impl ExportLock {
    /// Takes the lock at once, or fails with [`ExportError::Locked`] if another export holds it.
    pub(super) fn acquire(output: &Path) -> Result<Self, ExportError> {
        let path = lock_path(output);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_error(&path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = std::fs::read_to_string(&path)
                    .ok()
                    .and_then(|text| text.trim().strip_prefix("pid ")?.parse().ok());
                return Err(ExportError::Locked {
                    output: output.to_path_buf(),
                    lock: path,
                    holder,
                });
            }
            Err(TryLockError::Error(source)) => return Err(ExportError::Io { path, source }),
        }
        // Only informative: the OS lock, not this text, keeps a second writer out.
        file.set_len(0).map_err(io_error(&path))?;
        writeln!(file, "pid {}", std::process::id()).map_err(io_error(&path))?;
        Ok(Self { _file: file })
    }
}
