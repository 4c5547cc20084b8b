//! The format of one output line: the session, the kind, then the
//! message's own fields.

use serde::Serialize;
use zoom_chat_reports::MessageKind;
use zoom_chat_reports::types::ChatMessage;

/// One output line: the session, the kind, then the message's own fields.
#[derive(Serialize)]
pub(crate) struct ExportLine<'a> {
    pub(crate) session_id: &'a str,
    pub(crate) kind: MessageKind,
    #[serde(flatten)]
    pub(crate) message: &'a ChatMessage,
}

/// Keys the export line itself uses. Should Zoom ever send fields of these
/// names, they are kept under another name instead of making a line with two
/// `session_id` keys, which JSON readers resolve differently.
pub(crate) const RESERVED_KEYS: [&str; 2] = ["session_id", "kind"];

/// Moves Zoom's own `session_id` or `kind` field to `zoom_<key>`, or, if
/// Zoom also sent a field of that name, to the first free of `zoom_<key>_2`,
/// `zoom_<key>_3`, ...: no field Zoom sent is ever overwritten.
pub(crate) fn without_reserved_keys(mut message: ChatMessage) -> ChatMessage {
    for key in RESERVED_KEYS {
        if let Some(value) = message.extra.remove(key) {
            let name = free_name(&message.extra, key);
            message.extra.insert(name, value);
        }
    }
    message
}

pub(crate) fn free_name(taken: &serde_json::Map<String, serde_json::Value>, key: &str) -> String {
    let first = format!("zoom_{key}");
    if !taken.contains_key(&first) {
        return first;
    }
    let mut n = 2u64;
    loop {
        let name = format!("zoom_{key}_{n}");
        if !taken.contains_key(&name) {
            return name;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(extra: serde_json::Value) -> ChatMessage {
        let mut value = serde_json::json!({ "id": "m1", "message": "hello", "date_time": "2026-11-01T10:00:00Z" });
        value
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn reserved_keys_move_aside_without_overwriting() {
        let renamed = without_reserved_keys(message(serde_json::json!({
            "session_id": "zoom's own",
            "zoom_session_id": "already there",
            "zoom_session_id_2": "also there",
            "kind": "k",
        })));
        assert_eq!(renamed.extra["zoom_session_id"], "already there");
        assert_eq!(renamed.extra["zoom_session_id_2"], "also there");
        assert_eq!(renamed.extra["zoom_session_id_3"], "zoom's own");
        assert_eq!(renamed.extra["zoom_kind"], "k");
        assert!(!renamed.extra.contains_key("session_id") && !renamed.extra.contains_key("kind"));
        let line = serde_json::to_value(ExportLine {
            session_id: "s",
            kind: MessageKind::Sent,
            message: &renamed,
        })
        .unwrap();
        assert_eq!(line["session_id"], "s");
        assert_eq!(line["kind"], "sent");
    }
}
