//! The sessions sidecar beside the output: for `--out chat.jsonl`,
//! `chat.sessions.jsonl`, one line per chat session the export has seen,
//! with every field Zoom sent for it (unknown ones included).
//!
//! A session active in several months is listed by each month's report, each
//! time with that month's `last_message_sent_time`; the sidecar holds it once,
//! with the latest. The sessions of each finished window are journaled, so
//! the sidecar is rebuilt whole from the journal (and the sessions of the
//! window that includes today, which is never journaled as done) at the end of
//! every run, then put in place by rename: it is never appended to, so no
//! resume or rerun can duplicate a line.

use std::collections::BTreeMap;
use std::path::Path;

use crate::access::Access;
use crate::durable::{json_line, replace_file};
use crate::error::ExportError;
use crate::paths::{sessions_path, temporary_sidecar};
use zoom_chat_reports::types::ChatSession;

/// Every session seen, by id, each with its latest `last_message_sent_time`.
/// Kept typed: its lines then have one field order in every build, whatever
/// serde_json features other crates turn on.
#[derive(Debug, Default)]
pub(super) struct SessionTable(BTreeMap<String, ChatSession>);

impl SessionTable {
    /// Adds a session as one month's report listed it.
    pub(super) fn add(&mut self, session: ChatSession) {
        match self.0.get(&session.id) {
            Some(known) if known.last_message_sent_time >= session.last_message_sent_time => {}
            _ => {
                self.0.insert(session.id.clone(), session);
            }
        }
    }

    /// The name a report gave the session, if any did.
    pub(super) fn name_of(&self, id: &str) -> Option<String> {
        self.0.get(id).and_then(|session| session.name.clone())
    }

    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    /// Writes the sidecar of `output` whole: to a temporary file, synced,
    /// renamed into place, the directory synced.
    pub(super) async fn write(&self, output: &Path, access: Access) -> Result<(), ExportError> {
        let path = sessions_path(output);
        let temporary = temporary_sidecar(output);
        replace_file(&path, &temporary, self.0.values().map(json_line), access).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_sidecar_sits_beside_the_output() {
        assert_eq!(
            sessions_path(Path::new("a/chat.jsonl")),
            Path::new("a/chat.sessions.jsonl")
        );
        assert_eq!(sessions_path(Path::new("chat")), Path::new("chat.sessions.jsonl"));
        assert_eq!(sessions_path(Path::new("x.json")), Path::new("x.json.sessions.jsonl"));
    }

    #[test]
    fn a_session_is_kept_once_with_its_latest_last_message() {
        let session = |value: serde_json::Value| serde_json::from_value::<ChatSession>(value).unwrap();
        let mut table = SessionTable::default();
        table.add(session(
            json!({ "id": "s", "type": "Group", "last_message_sent_time": "2026-10-31T10:00:00Z", "name": "October" }),
        ));
        table.add(session(
            json!({ "id": "s", "type": "Group", "last_message_sent_time": "2026-11-20T10:00:00Z", "name": "November" }),
        ));
        table.add(session(
            json!({ "id": "s", "type": "Group", "last_message_sent_time": "2026-11-02T10:00:00Z", "name": "again" }),
        ));
        table.add(session(json!({ "id": "t", "type": "Group", "field_of_tomorrow": 1 })));
        assert_eq!(table.len(), 2);
        assert_eq!(table.0["s"].name.as_deref(), Some("November"));
        assert_eq!(table.0["t"].extra["field_of_tomorrow"], 1);
    }
}
