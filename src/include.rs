//! What a messages report includes beyond sent messages.
//!
//! Every flag Zoom takes is listed once, in [`FLAGS`]: what the client
//! sends, what the fake Zoom reads, how an `Include` describes itself and how
//! it is stored all follow that list. A flag of a newer spec is a field of
//! [`Include`] and a line of [`FLAGS`].

use std::fmt;

use serde::{Deserialize, Serialize};

/// What a messages report includes beyond sent messages: Zoom's
/// `include_fields` (edited and deleted messages), its `include_bot_message`,
/// `include_reactions` and `include_custom_emoji_reactions` flags (Zoom's
/// 2026-02-07 spec), and `query_all_modifications`.
///
/// Built from [`Include::NONE`] or [`Include::ALL`] with its setters, as new
/// flags come with Zoom's newer specs:
///
/// ```
/// use zoom_chat_reports::Include;
/// let include = Include::NONE.edited(true).deleted(true).reactions(true);
/// assert_eq!(include.to_string(), "sent, edited and deleted messages, with reactions");
/// ```
///
/// Asking for `edited` or `deleted` adds items, not fields: an edited
/// message then comes twice or more with one id (see
/// [`MessageKind`](crate::MessageKind) for the record model).
///
/// Serialized as an object of its flags; a flag missing from a stored object
/// is `false`, so what older versions stored still reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Include {
    /// Add edited messages (`edited_messages`), each as a [`crate::MessageKind::Edited`] item.
    pub edited: bool,
    /// Add deleted messages (`deleted_messages`), each as a [`crate::MessageKind::Deleted`] item.
    pub deleted: bool,
    /// Ask for messages' `bot_message` (`include_bot_message=true`).
    pub bot_messages: bool,
    /// Ask for messages' `reactions` (`include_reactions=true`).
    pub reactions: bool,
    /// Ask for messages' `custom_emoji_reactions` (`include_custom_emoji_reactions=true`).
    pub custom_emoji_reactions: bool,
    /// Select edited and deleted messages by when they were edited or deleted,
    /// not by when they were first sent (`query_all_modifications=true`).
    /// Consecutive ranges then hold every edit exactly once: an edit made today
    /// to last month's message is in today's report, not last month's. Sent
    /// messages are always selected by when they were sent. Sent only with
    /// `edited` or `deleted`, the only messages it selects.
    pub by_modification_time: bool,
}

/// How Zoom is asked for one flag.
#[derive(Clone, Copy)]
enum Ask {
    /// A value of `include_fields`, comma-separated with the others.
    IncludeFields(&'static str),
    /// A parameter of its own, sent as `=true`.
    Parameter(&'static str),
    /// `query_all_modifications=true`, only with edited or deleted messages asked for.
    Modifications,
}

/// One flag: its field, how Zoom is asked for it, and its words in [`Include`]'s `Display`.
struct Flag {
    field: fn(&mut Include) -> &mut bool,
    ask: Ask,
    words: &'static str,
}

/// Zoom's flags, in the order they are described. The one list.
const FLAGS: [Flag; 6] = [
    Flag {
        field: |i| &mut i.edited,
        ask: Ask::IncludeFields("edited_messages"),
        words: "edited",
    },
    Flag {
        field: |i| &mut i.deleted,
        ask: Ask::IncludeFields("deleted_messages"),
        words: "deleted",
    },
    Flag {
        field: |i| &mut i.bot_messages,
        ask: Ask::Parameter("include_bot_message"),
        words: "bot messages",
    },
    Flag {
        field: |i| &mut i.reactions,
        ask: Ask::Parameter("include_reactions"),
        words: "reactions",
    },
    Flag {
        field: |i| &mut i.custom_emoji_reactions,
        ask: Ask::Parameter("include_custom_emoji_reactions"),
        words: "custom emoji reactions",
    },
    Flag {
        field: |i| &mut i.by_modification_time,
        ask: Ask::Modifications,
        words: "edits and deletions by when they were made",
    },
];

impl Include {
    /// Sent messages only, with what Zoom sends by default.
    pub const NONE: Include = Include {
        edited: false,
        deleted: false,
        bot_messages: false,
        reactions: false,
        custom_emoji_reactions: false,
        by_modification_time: false,
    };
    /// Sent, edited and deleted messages, with bot messages, reactions and
    /// custom emoji reactions; edits and deletions selected by when the
    /// message was sent, Zoom's default.
    pub const ALL: Include = Include {
        edited: true,
        deleted: true,
        bot_messages: true,
        reactions: true,
        custom_emoji_reactions: true,
        by_modification_time: false,
    };

    /// With [`Include::edited`] set to `on`.
    pub const fn edited(mut self, on: bool) -> Self {
        self.edited = on;
        self
    }

    /// With [`Include::deleted`] set to `on`.
    pub const fn deleted(mut self, on: bool) -> Self {
        self.deleted = on;
        self
    }

    /// With [`Include::bot_messages`] set to `on`.
    pub const fn bot_messages(mut self, on: bool) -> Self {
        self.bot_messages = on;
        self
    }

    /// With [`Include::reactions`] set to `on`.
    pub const fn reactions(mut self, on: bool) -> Self {
        self.reactions = on;
        self
    }

    /// With [`Include::custom_emoji_reactions`] set to `on`.
    pub const fn custom_emoji_reactions(mut self, on: bool) -> Self {
        self.custom_emoji_reactions = on;
        self
    }

    /// With [`Include::by_modification_time`] set to `on`.
    pub const fn by_modification_time(mut self, on: bool) -> Self {
        self.by_modification_time = on;
        self
    }

    /// Whether `query_all_modifications=true` is sent: only with edited or
    /// deleted messages asked for, the only ones it selects.
    pub fn selects_by_modification_time(self) -> bool {
        self.by_modification_time && (self.edited || self.deleted)
    }

    /// Whether `self` asks for every kind of item and every flag that
    /// `other` asks for. How edits are selected
    /// ([`Include::by_modification_time`]) is not a kind and is not compared.
    ///
    /// ```
    /// use zoom_chat_reports::Include;
    /// assert!(Include::ALL.covers(Include::NONE.edited(true)));
    /// assert!(!Include::NONE.edited(true).covers(Include::ALL));
    /// ```
    pub fn covers(self, other: Include) -> bool {
        FLAGS
            .iter()
            .filter(|flag| !matches!(flag.ask, Ask::Modifications))
            .all(|flag| self.is_set(flag) || !other.is_set(flag))
    }

    fn is_set(self, flag: &Flag) -> bool {
        let mut copy = self;
        *(flag.field)(&mut copy)
    }

    /// The query parameters that ask Zoom for `self`, sorted by name as the
    /// generated client sends its parameters; a flag not asked for is not
    /// sent, leaving Zoom's default.
    pub(crate) fn query_parameters(self) -> Vec<(&'static str, String)> {
        let fields: Vec<&str> = FLAGS
            .iter()
            .filter(|flag| self.is_set(flag))
            .filter_map(|flag| match flag.ask {
                Ask::IncludeFields(value) => Some(value),
                _ => None,
            })
            .collect();
        let mut parameters = Vec::new();
        if !fields.is_empty() {
            parameters.push(("include_fields", fields.join(",")));
        }
        for flag in FLAGS.iter().filter(|flag| self.is_set(flag)) {
            match flag.ask {
                Ask::Parameter(name) => parameters.push((name, "true".to_string())),
                Ask::Modifications if self.selects_by_modification_time() => {
                    parameters.push(("query_all_modifications", "true".to_string()))
                }
                _ => {}
            }
        }
        parameters.sort_by_key(|(name, _)| *name);
        parameters
    }

    /// What a request's query asked for, by `parameter(name)`: for the fake Zoom.
    #[cfg_attr(not(feature = "mock"), allow(dead_code))]
    pub(crate) fn from_query<'a>(parameter: impl Fn(&str) -> Option<&'a str>) -> Include {
        let fields: Vec<&str> = parameter("include_fields")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .collect();
        let mut include = Include::NONE;
        for flag in &FLAGS {
            *(flag.field)(&mut include) = match flag.ask {
                Ask::IncludeFields(value) => fields.contains(&value),
                Ask::Parameter(name) => parameter(name) == Some("true"),
                Ask::Modifications => parameter("query_all_modifications") == Some("true"),
            };
        }
        include
    }
}

/// In words, for a person reading what was asked for: "sent, edited and
/// deleted messages, with bot messages, reactions, custom emoji reactions,
/// edits and deletions by when they were made".
impl fmt::Display for Include {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = |ask: fn(Ask) -> bool| -> Vec<&'static str> {
            FLAGS
                .iter()
                .filter(|flag| self.is_set(flag) && ask(flag.ask))
                .map(|flag| flag.words)
                .collect()
        };
        let mut kinds = vec!["sent"];
        kinds.extend(set(|ask| matches!(ask, Ask::IncludeFields(_))));
        match kinds.split_last() {
            Some((last, [])) => write!(f, "{last} messages")?,
            Some((last, rest)) => write!(f, "{} and {last} messages", rest.join(", "))?,
            None => f.write_str("messages")?,
        }
        let fields = set(|ask| matches!(ask, Ask::Parameter(_)));
        if !fields.is_empty() {
            write!(f, ", with {}", fields.join(", "))?;
        }
        // Only with edited or deleted messages asked for is it sent at all.
        if self.selects_by_modification_time() {
            for words in set(|ask| matches!(ask, Ask::Modifications)) {
                write!(f, ", {words}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_is_what_zoom_documents() {
        assert!(Include::NONE.query_parameters().is_empty());
        assert_eq!(
            Include::ALL.by_modification_time(true).query_parameters(),
            vec![
                ("include_bot_message", "true".to_string()),
                ("include_custom_emoji_reactions", "true".to_string()),
                ("include_fields", "edited_messages,deleted_messages".to_string()),
                ("include_reactions", "true".to_string()),
                ("query_all_modifications", "true".to_string()),
            ]
        );
        // Modification time selects only edits and deletions: not sent alone.
        assert!(Include::NONE.by_modification_time(true).query_parameters().is_empty());
    }

    #[test]
    fn every_include_reads_back_from_its_query() {
        for bits in 0..(1u32 << FLAGS.len()) {
            let mut include = Include::NONE;
            for (n, flag) in FLAGS.iter().enumerate() {
                *(flag.field)(&mut include) = bits & (1 << n) != 0;
            }
            let query = include.query_parameters();
            let read = Include::from_query(|name| query.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str()));
            let expected = include.by_modification_time(include.selects_by_modification_time());
            assert_eq!(read, expected, "{query:?}");
        }
    }

    #[test]
    fn stored_flags_read_back_and_missing_ones_are_false() {
        let include = Include::ALL.by_modification_time(true);
        let stored = serde_json::to_string(&include).unwrap();
        assert_eq!(serde_json::from_str::<Include>(&stored).unwrap(), include);
        let old: Include = serde_json::from_str(r#"{"edited":true,"deleted":false}"#).unwrap();
        assert_eq!(old, Include::NONE.edited(true));
    }

    #[test]
    fn described_in_words() {
        assert_eq!(Include::NONE.to_string(), "sent messages");
        assert_eq!(
            Include::ALL.by_modification_time(true).to_string(),
            "sent, edited and deleted messages, with bot messages, reactions, custom emoji reactions, edits and deletions by when they were made"
        );
    }
}
