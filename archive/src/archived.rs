//! What an archive already holds, for a daily sync.
//!
//! A sync fetches its lookback days again, and edits and deletions it finds
//! by when they were made may be of messages the archive got earlier. A record
//! is known by a stable key: its kind, its message id and its action time
//! (when an edit or deletion was made, or when a sent message was sent). Its
//! bot card and its reactions are part of the key too, since they change no
//! time: a
//! message whose reactions changed since it was archived is written again,
//! with the new reactions, and is the later of the two lines.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

use chrono::{DateTime, NaiveDate};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

use crate::error::{ExportError, io_error};

/// A record's key: 128 bits of XXH3 over its kind, id, action time and reactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct RecordKey(u128);

impl RecordKey {
    /// The key of an export line, or `None` for a line without a kind and id
    /// (which is then never taken for another).
    pub(super) fn of_line(line: &[u8]) -> Option<Self> {
        let value: Value = serde_json::from_slice(line).ok()?;
        Self::of_value(&value)
    }

    fn of_value(value: &Value) -> Option<Self> {
        let kind = value.get("kind")?.as_str()?;
        let id = value.get("id")?.as_str()?;
        let action = action_time_ms(value);
        let mut hashed = Vec::with_capacity(128);
        for part in [
            kind.as_bytes(),
            id.as_bytes(),
            action.unwrap_or(i64::MIN).to_string().as_bytes(),
        ] {
            hashed.extend_from_slice(part);
            hashed.push(0);
        }
        // An edit or deletion without its own action time: two edits of one
        // message would share the key, so the text tells them apart.
        if kind != "sent" && value.get("action_timestamp").is_none_or(Value::is_null) {
            hashed.extend_from_slice(b"message");
            write_canonical(value.get("message").unwrap_or(&Value::Null), &mut hashed);
            hashed.push(0);
        }
        // A bot message's card, once asked for, is part of what the message
        // is: a message archived without it (before a sync widened the
        // archive to bot messages) is written again, with it.
        if let Some(bot) = value.get("bot_message").filter(|b| !b.is_null()) {
            hashed.extend_from_slice(b"bot_message");
            write_canonical(bot, &mut hashed);
            hashed.push(0);
        }
        for field in ["reactions", "custom_emoji_reactions"] {
            // Absent, null and empty are one state: no reactions.
            let Some(Value::Array(reactions)) = value.get(field) else {
                continue;
            };
            if reactions.is_empty() {
                continue;
            }
            // The order Zoom lists reactions in is not a change.
            let mut items: Vec<Vec<u8>> = reactions
                .iter()
                .map(|r| {
                    let mut item = Vec::new();
                    write_canonical(r, &mut item);
                    item
                })
                .collect();
            items.sort();
            hashed.extend_from_slice(field.as_bytes());
            for item in items {
                hashed.extend_from_slice(&item);
                hashed.push(b',');
            }
            hashed.push(0);
        }
        Some(Self(xxhash_rust::xxh3::xxh3_128(&hashed)))
    }

    /// The key of a line whose action was on `since` or later, or which has
    /// no time to place it by. Its times are read first, without building the
    /// whole line: most lines of a long archive are older, and skipped.
    fn of_line_since(line: &[u8], since: NaiveDate) -> Option<Self> {
        #[derive(serde::Deserialize)]
        struct Times {
            action_timestamp: Option<Value>,
            timestamp: Option<Value>,
            date_time: Option<String>,
        }
        let times: Times = serde_json::from_slice(line).ok()?;
        let mut light = serde_json::Map::new();
        for (key, value) in [
            ("action_timestamp", times.action_timestamp),
            ("timestamp", times.timestamp),
        ] {
            if let Some(value) = value {
                light.insert(key.into(), value);
            }
        }
        if let Some(date_time) = times.date_time {
            light.insert("date_time".into(), Value::String(date_time));
        }
        let day = action_time_ms(&Value::Object(light))
            .and_then(DateTime::from_timestamp_millis)
            .map(|t| t.date_naive());
        if day.is_some_and(|day| day < since) {
            return None;
        }
        Self::of_line(line)
    }
}

/// When the record's action happened: Zoom's `action_timestamp` (edits and
/// deletions), else the message's `timestamp`, else its `date_time`.
fn action_time_ms(message: &Value) -> Option<i64> {
    let number = |field: &str| match message.get(field)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    number("action_timestamp").or_else(|| number("timestamp")).or_else(|| {
        let text = message.get("date_time")?.as_str()?;
        DateTime::parse_from_rfc3339(text).ok().map(|t| t.timestamp_millis())
    })
}

/// JSON with object keys sorted, so that a value hashes the same whatever
/// order its keys came in (Zoom's, or a build's `preserve_order`).
fn write_canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push(b'{');
            for key in keys {
                out.extend_from_slice(key.as_bytes());
                out.push(b':');
                write_canonical(&map[key], out);
                out.push(b',');
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for item in items {
                write_canonical(item, out);
                out.push(b',');
            }
            out.push(b']');
        }
        other => out.extend_from_slice(other.to_string().as_bytes()),
    }
}

/// The keys of the archive's records whose action was on or after a day.
/// Records without a time are always kept: they cannot be placed.
#[derive(Debug)]
pub(super) struct ArchivedKeys {
    keys: Mutex<HashSet<RecordKey>>,
}

impl ArchivedKeys {
    /// Reads the first `length` bytes of `output` (what the journal accounts
    /// for), line by line: memory holds only the keys of records of `since`
    /// or later, the days this run's syncs re-check.
    pub(super) async fn read(output: &Path, from: u64, length: u64, since: NaiveDate) -> Result<Self, ExportError> {
        use tokio::io::AsyncSeekExt;
        let mut keys = HashSet::new();
        let mut file = match tokio::fs::File::open(output).await {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self { keys: Mutex::new(keys) });
            }
            Err(e) => return Err(io_error(output)(e)),
        };
        // `from` is the start of a unit: a whole line.
        let from = from.min(length);
        file.seek(std::io::SeekFrom::Start(from))
            .await
            .map_err(io_error(output))?;
        let mut reader = BufReader::with_capacity(256 * 1024, file.take(length - from));
        let mut line = Vec::new();
        loop {
            line.clear();
            let read = reader.read_until(b'\n', &mut line).await.map_err(io_error(output))?;
            if read == 0 {
                break;
            }
            if let Some(key) = RecordKey::of_line_since(&line, since) {
                keys.insert(key);
            }
        }
        Ok(Self { keys: Mutex::new(keys) })
    }

    pub(super) fn contains(&self, key: &RecordKey) -> bool {
        self.keys.lock().unwrap_or_else(|e| e.into_inner()).contains(key)
    }

    /// Adds the keys of records just written.
    pub(super) fn insert_all(&self, added: &[RecordKey]) {
        self.keys
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(added.iter().copied());
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.keys.lock().unwrap().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(line: &str) -> RecordKey {
        RecordKey::of_line(line.as_bytes()).unwrap()
    }

    #[test]
    fn kind_id_and_action_time_make_the_key() {
        let sent = r#"{"session_id":"s","kind":"sent","id":"m1","message":"hi","timestamp":1000}"#;
        let edited =
            r#"{"session_id":"s","kind":"edited","id":"m1","message":"hi!","timestamp":1000,"action_timestamp":5000}"#;
        let edited_again =
            r#"{"session_id":"s","kind":"edited","id":"m1","message":"hi!!","timestamp":1000,"action_timestamp":9000}"#;
        assert_ne!(key(sent), key(edited));
        assert_ne!(key(edited), key(edited_again));
        // Other fields, and the order of keys, do not matter.
        let same_edit = r#"{"action_timestamp":"5000","id":"m1","kind":"edited","sender_display_name":"Renamed"}"#;
        assert_eq!(key(edited), key(same_edit));
        // A line without an id has no key.
        assert!(RecordKey::of_line(br#"{"kind":"sent"}"#).is_none());
    }

    #[test]
    fn edits_without_an_action_time_are_told_apart_by_their_text() {
        let first = r#"{"kind":"edited","id":"m1","message":"hi!","timestamp":1000}"#;
        let second = r#"{"kind":"edited","id":"m1","message":"hi!!","timestamp":1000}"#;
        assert_ne!(key(first), key(second));
        assert_eq!(
            key(first),
            key(r#"{"kind":"edited","id":"m1","message":"hi!","timestamp":1000,"action_timestamp":null}"#)
        );
    }

    #[test]
    fn reactions_count_whatever_their_key_order() {
        let without = r#"{"kind":"sent","id":"m1","timestamp":1000}"#;
        let one = r#"{"kind":"sent","id":"m1","timestamp":1000,"reactions":[{"emoji":"U+1F44D","total_count":1}]}"#;
        let one_reordered =
            r#"{"reactions":[{"total_count":1,"emoji":"U+1F44D"}],"timestamp":1000,"id":"m1","kind":"sent"}"#;
        let two = r#"{"kind":"sent","id":"m1","timestamp":1000,"reactions":[{"emoji":"U+1F44D","total_count":2}]}"#;
        assert_ne!(key(without), key(one));
        assert_eq!(key(one), key(one_reordered));
        assert_ne!(key(one), key(two));
        // Absent, null and empty are the same; the order of reactions is not a change.
        assert_eq!(
            key(without),
            key(r#"{"kind":"sent","id":"m1","timestamp":1000,"reactions":null}"#)
        );
        assert_eq!(
            key(without),
            key(r#"{"kind":"sent","id":"m1","timestamp":1000,"reactions":[]}"#)
        );
        let ab = r#"{"kind":"sent","id":"m1","timestamp":1000,"reactions":[{"emoji":"a"},{"emoji":"b"}]}"#;
        let ba = r#"{"kind":"sent","id":"m1","timestamp":1000,"reactions":[{"emoji":"b"},{"emoji":"a"}]}"#;
        assert_eq!(key(ab), key(ba));
    }

    #[tokio::test]
    async fn reads_only_the_days_asked_for_and_the_journaled_length() {
        let dir = std::env::temp_dir().join(format!("archived-keys-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let output = dir.join("chat.jsonl");
        let old = r#"{"kind":"sent","id":"old","date_time":"2026-11-01T10:00:00Z"}"#;
        let new = r#"{"kind":"sent","id":"new","date_time":"2026-11-20T10:00:00Z"}"#;
        let torn = r#"{"kind":"sent","id":"torn","date_time":"2026-11-21T10:00:00Z"}"#;
        let text = format!("{old}\n{new}\n{torn}\n");
        std::fs::write(&output, &text).unwrap();
        let length = (old.len() + new.len() + 2) as u64;
        let keys = ArchivedKeys::read(&output, 0, length, "2026-11-15".parse().unwrap())
            .await
            .unwrap();
        assert_eq!(keys.len(), 1);
        assert!(keys.contains(&key(new)));
        assert!(!keys.contains(&key(old)));
        assert!(!keys.contains(&key(torn)));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
