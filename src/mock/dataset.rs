//! A deterministic chat dataset, computed on demand.
//!
//! Every session and message is a pure function of the seed and its index, so
//! a million messages cost no memory: the fake server computes exactly the
//! page it is asked for, and a test can compute exactly what an export of a
//! range must contain.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::include::Include;
use crate::pagination::MessageKind;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Everything else follows from this.
    pub seed: u64,
    /// Number of chat sessions.
    pub sessions: usize,
    /// Messages in each session, spread evenly over the date range.
    pub messages_per_session: usize,
    /// First day with messages.
    pub start: NaiveDate,
    /// Last day with messages, inclusive.
    pub end: NaiveDate,
    /// Share of messages that were edited (reported in `edited_messages` too).
    pub edited_share: f64,
    /// Share of messages that were deleted (reported only in `deleted_messages`).
    pub deleted_share: f64,
    /// Share of messages with a file.
    pub file_share: f64,
    /// Share of messages that reply to another.
    pub reply_share: f64,
}

impl Dataset {
    /// How long after sending a late edit is made: longer than a daily sync's
    /// default lookback of 7 days, so that only a report by modification time finds it.
    pub const LATE_EDIT_DAYS: i64 = 10;

    /// A small dataset over the three months before `today`.
    pub fn small(today: NaiveDate) -> Self {
        Self {
            seed: 42,
            sessions: 40,
            messages_per_session: 120,
            start: today.checked_sub_months(chrono::Months::new(3)).unwrap_or(today),
            end: today,
            edited_share: 0.1,
            deleted_share: 0.05,
            file_share: 0.1,
            reply_share: 0.2,
        }
    }

    fn span_ms(&self) -> i64 {
        ((self.end - self.start).num_days() + 1) * 86_400_000
    }

    fn start_ms(&self) -> i64 {
        self.start
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc()
            .timestamp_millis()
    }

    /// The id of session `index`.
    pub fn session_id(&self, index: usize) -> String {
        format!(
            "{:016x}{:016x}",
            mix(self.seed, index as u64, 0),
            mix(self.seed, index as u64, 1)
        )
    }

    /// The index of a session id, if it is one of ours.
    pub fn session_index(&self, id: &str) -> Option<usize> {
        // Ids are not ordered; a linear scan is fine for test-sized datasets and
        // only runs once per messages request.
        (0..self.sessions).find(|&i| self.session_id(i) == id)
    }

    fn is_group(&self, session: usize) -> bool {
        !session.is_multiple_of(3)
    }

    /// When message `index` of `session` was sent, in milliseconds since the epoch. Increasing in `index`.
    pub fn message_time_ms(&self, session: usize, index: usize) -> i64 {
        let n = self.messages_per_session.max(1) as i64;
        let step = (self.span_ms() / n).max(1);
        let offset = (mix(self.seed, session as u64, 2) % step as u64) as i64;
        self.start_ms() + index as i64 * step + offset
    }

    /// The messages of `session` sent within `from..=to`, as an index range.
    pub fn message_range(&self, session: usize, from: NaiveDate, to: NaiveDate) -> std::ops::Range<usize> {
        let lo_ms = from
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
            .and_utc()
            .timestamp_millis();
        let hi_ms = to
            .succ_opt()
            .unwrap_or(to)
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
            .and_utc()
            .timestamp_millis();
        let first = partition_point(self.messages_per_session, |i| self.message_time_ms(session, i) < lo_ms);
        let end = partition_point(self.messages_per_session, |i| self.message_time_ms(session, i) < hi_ms);
        first..end.max(first)
    }

    fn flag(&self, session: usize, index: usize, salt: u64, share: f64) -> bool {
        let draw = mix(self.seed ^ salt, session as u64, index as u64 + 7) as f64 / u64::MAX as f64;
        draw < share
    }

    /// Whether the message was deleted.
    pub fn is_deleted(&self, session: usize, index: usize) -> bool {
        self.flag(session, index, 0xde1, self.deleted_share)
    }

    /// Whether the message was edited (and not deleted).
    pub fn is_edited(&self, session: usize, index: usize) -> bool {
        !self.is_deleted(session, index) && self.flag(session, index, 0xed17, self.edited_share)
    }

    /// The id of a message.
    pub fn message_id(&self, session: usize, index: usize) -> String {
        let a = mix(self.seed, session as u64, index as u64 + 1_000_003);
        let b = mix(self.seed, index as u64, session as u64 + 17);
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }

    fn has_file(&self, session: usize, index: usize) -> bool {
        self.flag(session, index, 0xf11e, self.file_share)
    }

    fn file_id(&self, session: usize, index: usize) -> String {
        format!("{:022x}", mix(self.seed, session as u64, index as u64 + 99) as u128)
    }

    fn file_size(&self, index: usize) -> u64 {
        1024 + index as u64
    }

    /// The size Zoom reports for a file of the dataset, by its id.
    pub fn file(&self, file_id: &str) -> Option<u64> {
        (0..self.sessions)
            .flat_map(|session| (0..self.messages_per_session).map(move |index| (session, index)))
            .find(|&(session, index)| self.has_file(session, index) && self.file_id(session, index) == file_id)
            .map(|(_, index)| self.file_size(index))
    }

    /// The content of a file of the dataset: `size` bytes that depend on its id.
    pub fn file_bytes(&self, file_id: &str, size: u64) -> Vec<u8> {
        let id = xxhash_rust::xxh3::xxh3_64(file_id.as_bytes());
        (0..size.div_ceil(8))
            .flat_map(|block| mix(self.seed, id, block).to_le_bytes())
            .take(size as usize)
            .collect()
    }

    /// The session as the sessions report shows it, with its last message in `from..=to`.
    pub fn session_json(&self, session: usize, last_message_ms: i64) -> Value {
        let mut value = json!({
            "id": self.session_id(session),
            "type": if self.is_group(session) { "Group" } else { "1:1" },
            "name": if self.is_group(session) { format!("Channel {session}") } else { String::new() },
            "last_message_sent_time": iso(last_message_ms),
            "has_external_member": session.is_multiple_of(5),
        });
        if self.is_group(session) {
            value["channel_id"] = json!(format!("{:022x}", mix(self.seed, session as u64, 3) as u128));
            value["status"] = json!("active");
        } else {
            value["member_emails"] = json!([
                format!("user{}@example.com", session),
                format!("user{}@example.com", session + 1)
            ]);
        }
        value
    }

    /// A message as the messages report shows it.
    ///
    /// As Zoom does, `bot_message`, `reactions` and `custom_emoji_reactions`
    /// are sent only when `include` asks for them: on every 7th, 5th and
    /// 11th message.
    pub fn message_json(&self, session: usize, index: usize, kind: MessageKind, include: Include) -> Value {
        let time = self.message_time_ms(session, index);
        let text = match kind {
            MessageKind::Edited => format!("Message {index} of session {session}, edited"),
            _ => format!("Message {index} of session {session}"),
        };
        let mut value = json!({
            "id": self.message_id(session, index),
            "message": text,
            "sender": format!("user{}@example.com", (session + index) % 50),
            "sender_display_name": format!("User {}", (session + index) % 50),
            "date_time": iso(time),
            "timestamp": time,
        });
        if kind != MessageKind::Sent {
            value["action_timestamp"] = json!(self.action_time_ms(session, index));
        }
        if !self.is_group(session) {
            value["receiver"] = json!(format!("user{}@example.com", session + 1));
        }
        if index > 0 && self.flag(session, index, 0x4e91, self.reply_share) {
            let parent = index - 1 - (mix(self.seed, session as u64, index as u64) as usize % index.min(5));
            let parent_time = self.message_time_ms(session, parent);
            value["reply_main_message_id"] = json!(self.message_id(session, parent));
            // Zoom has sent this both ways; so does the fake.
            value["reply_main_message_timestamp"] = if index.is_multiple_of(2) {
                json!(parent_time)
            } else {
                json!(parent_time.to_string())
            };
        }
        if self.has_file(session, index) {
            let file_id = self.file_id(session, index);
            value["files"] = json!([{
                "file_id": file_id,
                "file_name": format!("file-{index}.pdf"),
                "file_size": self.file_size(index),
                "download_url": format!("https://example.com/file/download/{file_id}"),
            }]);
        }
        let user = format!("u{:020}", (session + index) % 50);
        let member = format!("m{:020}", (session + index) % 50);
        if include.bot_messages && index.is_multiple_of(7) {
            value["bot_message"] = json!({
                "is_markdown_support": true,
                "source": "bot",
                "external_sender_email": "bot@example.com",
                "content": { "head": { "text": format!("Bot card {index}") } },
            });
        }
        if include.reactions && index.is_multiple_of(5) {
            value["reactions"] = json!([{
                "emoji": "U+1F44D", "total_count": 1, "user_ids": [user], "member_ids": [member],
            }]);
        }
        if include.custom_emoji_reactions && index.is_multiple_of(11) {
            value["custom_emoji_reactions"] = json!([{
                "custom_emoji_name": "party", "custom_emoji_file_id": format!("emoji-{session}"),
                "total_count": 1, "user_ids": [user], "member_ids": [member],
            }]);
        }
        value
    }

    /// When the message was edited or deleted, in milliseconds since the
    /// epoch: a minute after it was sent, except for a share of edited
    /// messages edited [`Self::LATE_EDIT_DAYS`] days later, as people do. Those are
    /// the edits a report of the message's day, fetched that day, cannot hold.
    pub fn action_time_ms(&self, session: usize, index: usize) -> i64 {
        let sent = self.message_time_ms(session, index);
        if self.is_edited(session, index) && self.flag(session, index, 0x1a7e, LATE_EDIT_SHARE) {
            sent + Self::LATE_EDIT_DAYS * 86_400_000
        } else {
            sent + 60_000
        }
    }

    /// What a messages report holds of message `index`, by kind, as seen at
    /// `now` (`None`: everything has happened). A deletion not yet made leaves
    /// the message sent; an edit not yet made is not reported.
    pub fn report_kinds_at(
        &self,
        session: usize,
        index: usize,
        include: Include,
        now: Option<i64>,
    ) -> Vec<MessageKind> {
        let happened = |time: i64| now.is_none_or(|now| time <= now);
        let mut kinds = Vec::new();
        if !happened(self.message_time_ms(session, index)) {
            return kinds;
        }
        let action = self.action_time_ms(session, index);
        if self.is_deleted(session, index) && happened(action) {
            if include.deleted {
                kinds.push(MessageKind::Deleted);
            }
            return kinds;
        }
        kinds.push(MessageKind::Sent);
        if include.edited && self.is_edited(session, index) && happened(action) {
            kinds.push(MessageKind::Edited);
        }
        kinds
    }

    /// What a messages report holds of message `index`, by kind.
    pub fn report_kinds(&self, session: usize, index: usize, include: Include) -> Vec<MessageKind> {
        self.report_kinds_at(session, index, include, None)
    }

    /// The messages a report of `session` over `from..=to` looks at, as an
    /// index range: those sent in it, and with
    /// [`Include::by_modification_time`] also those sent up to
    /// [`Self::LATE_EDIT_DAYS`] days before, whose edit may fall in it.
    pub fn report_candidates(
        &self,
        session: usize,
        from: NaiveDate,
        to: NaiveDate,
        include: Include,
    ) -> std::ops::Range<usize> {
        let sent = self.message_range(session, from, to);
        if !include.selects_by_modification_time() {
            return sent;
        }
        let earlier = from - chrono::Duration::days(Self::LATE_EDIT_DAYS + 1);
        let wider = self.message_range(session, earlier, to);
        wider.start..sent.end.max(wider.start)
    }

    /// The records of message `index` in a report of `from..=to` seen at
    /// `now`: sent messages by when they were sent, edits and deletions by
    /// when the message was sent or, with [`Include::by_modification_time`],
    /// by when they were made.
    pub fn report_records(
        &self,
        session: usize,
        index: usize,
        (from, to): (NaiveDate, NaiveDate),
        include: Include,
        now: Option<i64>,
    ) -> Vec<MessageKind> {
        let day = |ms: i64| DateTime::<Utc>::from_timestamp_millis(ms).map(|t| t.date_naive());
        let in_range = |ms: i64| day(ms).is_some_and(|d| from <= d && d <= to);
        let sent_in_range = in_range(self.message_time_ms(session, index));
        let action_in_range = in_range(self.action_time_ms(session, index));
        self.report_kinds_at(session, index, include, now)
            .into_iter()
            .filter(|kind| match kind {
                MessageKind::Sent => sent_in_range,
                _ if include.selects_by_modification_time() => action_in_range,
                _ => sent_in_range,
            })
            .collect()
    }

    /// Every `(session id, kind, message id)` an export of `from..=to` must contain.
    pub fn expected_messages(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        include: Include,
    ) -> Vec<(String, MessageKind, String)> {
        self.expected_messages_at(from, to, include, None)
    }

    /// Every `(session id, kind, message id)` an export of `from..=to` must
    /// contain when made at `now` (milliseconds since the epoch) from a fake
    /// that reveals records by its clock ([`FakeZoomConfig::reveal_by_clock`](crate::mock::FakeZoomConfig::reveal_by_clock)).
    pub fn expected_messages_at(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        include: Include,
        now: Option<i64>,
    ) -> Vec<(String, MessageKind, String)> {
        let mut out = Vec::new();
        for session in 0..self.sessions {
            let id = self.session_id(session);
            for index in self.report_candidates(session, from, to, include) {
                for kind in self.report_records(session, index, (from, to), include, now) {
                    out.push((id.clone(), kind, self.message_id(session, index)));
                }
            }
        }
        out
    }
}

/// Share of edited messages edited [`Dataset::LATE_EDIT_DAYS`] days after they were sent.
const LATE_EDIT_SHARE: f64 = 0.3;

fn iso(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn partition_point(len: usize, below: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if below(mid) { lo = mid + 1 } else { hi = mid }
    }
    lo
}

/// SplitMix64 over three inputs: cheap, well spread, and the same on every platform.
pub(crate) fn mix(seed: u64, a: u64, b: u64) -> u64 {
    let mut z = seed ^ a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dataset() -> Dataset {
        Dataset::small("2026-11-22".parse().unwrap())
    }

    #[test]
    fn deterministic_and_spread_over_months() {
        let (a, b) = (dataset(), dataset());
        assert_eq!(
            a.message_json(3, 17, MessageKind::Sent, Include::ALL),
            b.message_json(3, 17, MessageKind::Sent, Include::ALL)
        );
        let months: std::collections::BTreeSet<String> = (0..a.messages_per_session)
            .map(|i| iso(a.message_time_ms(0, i))[..7].to_string())
            .collect();
        assert!(months.len() >= 3, "{months:?}");
        let ids: std::collections::HashSet<String> = (0..a.sessions).map(|s| a.session_id(s)).collect();
        assert_eq!(ids.len(), a.sessions);
    }

    #[test]
    fn ranges_partition_the_messages() {
        let d = dataset();
        let whole = d.message_range(5, d.start, d.end);
        assert_eq!(whole, 0..d.messages_per_session);
        let mid = d.start + chrono::Duration::days(40);
        let left = d.message_range(5, d.start, mid);
        let right = d.message_range(5, mid.succ_opt().unwrap(), d.end);
        assert_eq!(left.end, right.start);
        assert_eq!(right.end, d.messages_per_session);
    }

    #[test]
    fn both_timestamp_forms_and_all_kinds_occur() {
        let d = dataset();
        let messages: Vec<Value> = (0..d.messages_per_session)
            .map(|i| d.message_json(1, i, MessageKind::Sent, Include::NONE))
            .collect();
        assert!(messages.iter().any(|m| m["reply_main_message_timestamp"].is_i64()));
        assert!(messages.iter().any(|m| m["reply_main_message_timestamp"].is_string()));
        assert!(messages.iter().any(|m| m.get("files").is_some()));
        let all = d.expected_messages(d.start, d.end, Include::ALL);
        for kind in [MessageKind::Sent, MessageKind::Edited, MessageKind::Deleted] {
            assert!(all.iter().any(|(_, k, _)| *k == kind), "{kind:?}");
        }
    }
}
