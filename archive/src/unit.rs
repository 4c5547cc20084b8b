//! One unit: one session's messages in one window, streamed to a spool.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use futures::TryStreamExt;
use zoom_chat_reports::windows::DateWindow;
use zoom_chat_reports::{Client, Include, MessageEvent};

use crate::archived::{ArchivedKeys, RecordKey};
use crate::error::{ExportError, io_error};
use crate::line::{ExportLine, without_reserved_keys};
use crate::spool::Spool;
use crate::writer::FetchedUnit;

/// Streams one session's messages in `reportable` into a spool, leaving out,
/// for a sync, the records the archive already holds.
pub(crate) async fn fetch_unit(
    client: Client,
    output: PathBuf,
    (segment, window): (u32, NaiveDate),
    reportable: DateWindow,
    session: String,
    include: Include,
    archived: Option<Arc<ArchivedKeys>>,
) -> Result<FetchedUnit, ExportError> {
    let mut events = client
        .messages_in(session.as_str(), vec![reportable])
        .include(include)
        .events();
    let mut spool = Spool::create(&output).await?;
    let mut messages = 0;
    let mut already_archived = 0;
    let mut keys = Vec::new();
    let mut keys_in_unit = HashSet::new();
    let mut line = Vec::new();
    while let Some(event) = events.try_next().await? {
        let item = match event {
            MessageEvent::Message(item) => item,
            // An expired page token started the window over: what is spooled would come twice.
            MessageEvent::WindowRestarted { .. } => {
                spool.clear().await?;
                messages = 0;
                already_archived = 0;
                keys.clear();
                keys_in_unit.clear();
                continue;
            }
            // Not dropped unread: it may say that something yielded is void.
            other => {
                return Err(ExportError::UnknownEvent {
                    event: format!("{other:?}"),
                });
            }
        };
        let message = without_reserved_keys(item.message);
        line.clear();
        serde_json::to_writer(
            &mut line,
            &ExportLine {
                session_id: &session,
                kind: item.kind,
                message: &message,
            },
        )
        .map_err(|e| io_error(&output)(e.into()))?;
        if let Some(archived) = &archived {
            // Known by the line as written, so a record fetched now and one
            // read back from the archive are keyed alike.
            let key = RecordKey::of_line(&line);
            if let Some(key) = key {
                if archived.contains(&key) || !keys_in_unit.insert(key) {
                    already_archived += 1;
                    continue;
                }
                keys.push(key);
            }
        }
        line.push(b'\n');
        spool.write(&line).await?;
        messages += 1;
    }
    Ok(FetchedUnit {
        segment,
        window,
        session,
        spool: spool.finish().await?,
        messages,
        archived,
        keys,
        already_archived,
    })
}
