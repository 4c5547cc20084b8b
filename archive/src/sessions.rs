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
//!
//! Sessions are kept, and journaled, as the JSON Zoom sent, not as the
//! generated type: a regenerated spec that makes a field required must not
//! make an old journal, whose sessions lack it, unreadable. They are written
//! through the generated type when they fit it, so that a line's fields have
//! one order in every build; one that no longer fits is written as it was
//! stored.

use std::collections::BTreeMap;
use std::path::Path;

use crate::access::Access;
use crate::durable::{json_line, replace_file};
use crate::error::ExportError;
use crate::paths::{sessions_path, temporary_sidecar};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use zoom_chat_reports::types::ChatSession;

/// A session as the journal and the sidecar keep it: the JSON of its report.
pub(crate) fn stored(session: &ChatSession) -> Value {
    // A derived Serialize with string keys: cannot fail; kept by id if it ever did.
    serde_json::to_value(session).unwrap_or_else(|_| serde_json::json!({ "id": session.id }))
}

/// The id of a stored session, if it has one.
pub(crate) fn id_of(session: &Value) -> Option<&str> {
    session.get("id")?.as_str()
}

/// When the last message of a stored session was sent, as its report said.
fn last_message_sent(session: &Value) -> Option<DateTime<Utc>> {
    session.get("last_message_sent_time")?.as_str()?.parse().ok()
}

/// Every session seen, by id, each with its latest `last_message_sent_time`.
/// Kept typed: its lines then have one field order in every build, whatever
/// serde_json features other crates turn on.
#[derive(Debug, Default)]
pub(super) struct SessionTable(BTreeMap<String, Value>);

impl SessionTable {
    /// Adds a session as one month's report listed it. One without an id
    /// (which no report sends, and the journal refuses) is not kept.
    pub(super) fn add(&mut self, session: Value) {
        let Some(id) = id_of(&session) else { return };
        match self.0.get(id) {
            Some(known) if last_message_sent(known) >= last_message_sent(&session) => {}
            _ => {
                self.0.insert(id.to_string(), session);
            }
        }
    }

    /// The name a report gave the session, if any did.
    pub(super) fn name_of(&self, id: &str) -> Option<String> {
        Some(self.0.get(id)?.get("name")?.as_str()?.to_string())
    }

    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    /// Writes the sidecar of `output` whole: to a temporary file, synced,
    /// renamed into place, the directory synced.
    pub(super) async fn write(&self, output: &Path, access: Access) -> Result<(), ExportError> {
        let path = sessions_path(output);
        let temporary = temporary_sidecar(output);
        replace_file(&path, &temporary, self.0.values().map(sidecar_line), access).await
    }
}

/// One line of the sidecar: through the generated type when the session
/// fits it (its fields in the type's order, unknown ones after), or else as
/// stored.
fn sidecar_line(session: &Value) -> std::io::Result<Vec<u8>> {
    match ChatSession::deserialize(session) {
        Ok(typed) => json_line(&typed),
        Err(_) => json_line(session),
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
        let session = |value: Value| stored(&serde_json::from_value::<ChatSession>(value).unwrap());
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
        assert_eq!(table.name_of("s").as_deref(), Some("November"));
        assert_eq!(table.0["t"]["field_of_tomorrow"], 1);
    }

    /// A session as a journal of today stores it, read by a build whose
    /// spec has made `type` and a new field required: kept, named, and
    /// written as stored; one that fits the type is written in its order.
    #[test]
    fn a_session_that_no_longer_fits_the_generated_type_is_kept_as_stored() {
        let mut table = SessionTable::default();
        let old = json!({ "id": "old", "name": "Before the spec changed" });
        assert!(
            ChatSession::deserialize(&old).is_err(),
            "the generated type requires `type`"
        );
        table.add(old.clone());
        table.add(json!({ "type": "Group", "name": "no id" }));
        assert_eq!(table.len(), 1);
        assert_eq!(table.name_of("old").as_deref(), Some("Before the spec changed"));
        assert_eq!(sidecar_line(&old).unwrap(), json_line(&old).unwrap());
        let fits = json!({ "type": "Group", "id": "new", "zz_extra": true, "name": "n" });
        assert_eq!(
            String::from_utf8(sidecar_line(&fits).unwrap()).unwrap(),
            "{\"id\":\"new\",\"name\":\"n\",\"type\":\"Group\",\"zz_extra\":true}\n"
        );
    }
}
