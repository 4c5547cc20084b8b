//! A unit's messages on their way to the output: spooled to a temporary file
//! beside it, so that no unit is ever held in memory, whatever its size.
//!
//! A spool is named `OUT.spool-PID-N`, unique within and across processes.
//! It deletes itself when dropped; a crash leaves it behind, and the next
//! export of the same output, holding the lock, removes what is left.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncSeekExt, AsyncWriteExt, BufReader, BufWriter};
use xxhash_rust::xxh3::Xxh3;

use crate::error::{ExportError, io_error, write_error};
use crate::paths::{directory_of, is_leftover_of, spool_path};

/// Buffer for writing a spool and for copying it into the output: large
/// enough that a big unit costs few system calls, small enough that eight at
/// once stay well within the export's memory target.
const BUFFER: usize = 128 * 1024;

static SPOOLS_CREATED: AtomicU64 = AtomicU64::new(0);

/// Removes spools, and temporary journals not yet renamed into place, that an
/// export of `output` left when its process died. Call it only while holding
/// the output's lock: then none of them is in use.
pub(super) fn remove_leftovers(output: &Path) -> Result<(), ExportError> {
    let directory = directory_of(output);
    let entries = match std::fs::read_dir(directory) {
        Ok(entries) => entries,
        // The directory does not exist: creating the output will say so.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error(directory)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(io_error(directory))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if is_leftover_of(output, &name) {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(io_error(&path))?;
        }
    }
    Ok(())
}

/// Deletes the spool file when the spool is dropped, after its handle is closed
/// (it is the last field of the structs that hold it).
#[derive(Debug)]
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        // Best effort: a spool left behind is removed by the next export.
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A spool being written. The checksum is computed on the way.
pub(super) struct Spool {
    file: BufWriter<tokio::fs::File>,
    len: u64,
    hasher: Xxh3,
    path: RemoveOnDrop,
}

impl Spool {
    pub(super) async fn create(output: &Path) -> Result<Self, ExportError> {
        let number = SPOOLS_CREATED.fetch_add(1, Ordering::Relaxed);
        let path = spool_path(output, number);
        // The owner's alone whatever the archive's access: it lives for one unit.
        let file = crate::access::Access::Owner
            .open_options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .await
            .map_err(io_error(&path))?;
        Ok(Self {
            file: BufWriter::with_capacity(BUFFER, file),
            len: 0,
            hasher: Xxh3::new(),
            path: RemoveOnDrop(path),
        })
    }

    pub(super) async fn write(&mut self, bytes: &[u8]) -> Result<(), ExportError> {
        self.file.write_all(bytes).await.map_err(write_error(&self.path.0))?;
        self.hasher.update(bytes);
        self.len += bytes.len() as u64;
        Ok(())
    }

    /// Drops everything written so far, as when the unit's messages start over.
    pub(super) async fn clear(&mut self) -> Result<(), ExportError> {
        let path = &self.path.0;
        self.file.flush().await.map_err(io_error(path))?;
        self.file.get_ref().set_len(0).await.map_err(io_error(path))?;
        self.file
            .seek(std::io::SeekFrom::Start(0))
            .await
            .map_err(io_error(path))?;
        self.hasher.reset();
        self.len = 0;
        Ok(())
    }

    /// The whole unit is in the spool.
    pub(super) async fn finish(mut self) -> Result<FinishedSpool, ExportError> {
        self.file.flush().await.map_err(write_error(&self.path.0))?;
        Ok(FinishedSpool {
            len: self.len,
            checksum: self.hasher.digest(),
            file: self.file.into_inner(),
            path: self.path,
        })
    }
}

/// A complete unit, waiting to be copied into the output.
#[derive(Debug)]
pub(super) struct FinishedSpool {
    /// Bytes in the unit.
    pub(super) len: u64,
    /// XXH3-64 of those bytes.
    pub(super) checksum: u64,
    file: tokio::fs::File,
    path: RemoveOnDrop,
}

impl FinishedSpool {
    /// Appends the unit to `output`, which must then be flushed before the
    /// journal records it.
    pub(super) async fn copy_into(
        mut self,
        output: &mut BufWriter<tokio::fs::File>,
        output_path: &Path,
    ) -> Result<(), ExportError> {
        let path = self.path.0.clone();
        // The file must hold exactly what was written to it, checked before
        // anything is read: a spool changed under us is an error, not data.
        let on_disk = self.file.metadata().await.map_err(io_error(&path))?.len();
        if on_disk != self.len {
            return Err(ExportError::Io {
                path,
                source: std::io::Error::other(format!(
                    "the spool holds {on_disk} bytes where {} were written",
                    self.len
                )),
            });
        }
        self.file
            .seek(std::io::SeekFrom::Start(0))
            .await
            .map_err(io_error(&path))?;
        let mut reader = BufReader::with_capacity(BUFFER, &mut self.file);
        let copied = tokio::io::copy_buf(&mut reader, output).await.map_err(|source| {
            // Reading the spool or writing the output: name the output, where the data goes.
            ExportError::Write {
                path: output_path.to_path_buf(),
                source,
            }
        })?;
        if copied != self.len {
            return Err(ExportError::Io {
                path,
                source: std::io::Error::other(format!("copied {copied} bytes of {}", self.len)),
            });
        }
        Ok(())
    }
}
