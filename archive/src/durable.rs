//! Writing what must survive a crash whole: a file replaced by rename,
//! and the directory synced so the rename itself is on disk.

use std::path::Path;

use serde::Serialize;
use tokio::io::AsyncWriteExt;

use crate::access::Access;
use crate::error::{ExportError, io_error, write_error};
use crate::paths::directory_of;

/// `value` as one line of JSON, newline included.
pub(crate) fn json_line(value: &impl Serialize) -> std::io::Result<Vec<u8>> {
    let mut line = serde_json::to_vec(value)?;
    line.push(b'\n');
    Ok(line)
}

/// Replaces `path` whole with `chunks`, never leaving it half written: they
/// go to `temporary` (created new, after removing any leftover of that name,
/// so that a planted link is never written through), which is synced,
/// renamed into place, and the directory synced.
pub(crate) async fn replace_file(
    path: &Path,
    temporary: &Path,
    chunks: impl IntoIterator<Item = std::io::Result<Vec<u8>>>,
    access: Access,
) -> Result<(), ExportError> {
    let _ = tokio::fs::remove_file(temporary).await;
    let written = async {
        let file = access
            .open_options()
            .write(true)
            .create_new(true)
            .open(temporary)
            .await?;
        let mut file = tokio::io::BufWriter::new(file);
        for chunk in chunks {
            file.write_all(&chunk?).await?;
        }
        file.flush().await?;
        file.get_ref().sync_all().await?;
        tokio::fs::rename(temporary, path).await
    }
    .await;
    if let Err(source) = written {
        let _ = tokio::fs::remove_file(temporary).await;
        return Err(write_error(path)(source));
    }
    sync_directory(directory_of(path))
}

/// Makes a rename or creation in `directory` durable. A no-op where
/// directories cannot be opened as files (Windows).
pub(crate) fn sync_directory(directory: &Path) -> Result<(), ExportError> {
    #[cfg(unix)]
    {
        std::fs::File::open(directory)
            .and_then(|d| d.sync_all())
            .map_err(io_error(directory))?;
    }
    #[cfg(not(unix))]
    let _ = directory;
    Ok(())
}
