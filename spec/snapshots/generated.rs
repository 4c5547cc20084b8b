#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    ///`ChatMessage`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, PartialEq)]
    pub struct ChatMessage {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub action_timestamp: ::std::option::Option<i64>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub bot_message: ::std::option::Option<ChatMessageBotMessage>,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub custom_emoji_reactions: ::std::vec::Vec<ChatMessageCustomEmojiReactionsItem>,
        pub date_time: ::chrono::DateTime<::chrono::offset::Utc>,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub files: ::std::vec::Vec<ChatMessageFilesItem>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub forward_id: ::std::option::Option<::std::string::String>,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub giphy_information: ::std::vec::Vec<ChatMessageGiphyInformationItem>,
        pub id: ::std::string::String,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub is_sender_external: ::std::option::Option<bool>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub message: ::std::option::Option<::std::string::String>,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub reactions: ::std::vec::Vec<ChatMessageReactionsItem>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub receiver: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub reply_main_message_id: ::std::option::Option<::std::string::String>,
        ///When the message this one replies to was sent, in milliseconds since the Unix epoch. Zoom sends it as an integer or as a string of digits.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub reply_main_message_timestamp: ::std::option::Option<
            ChatMessageReplyMainMessageTimestamp,
        >,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub rich_text: ::std::vec::Vec<ChatMessageRichTextItem>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub sender: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub sender_display_name: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub sender_member_id: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub timestamp: ::std::option::Option<i64>,
        #[serde(flatten)]
        pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    }
    impl ChatMessage {
        pub fn builder() -> builder::ChatMessage {
            Default::default()
        }
    }
    ///`ChatMessageBotMessage`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct ChatMessageBotMessage {
        #[serde(default, skip_serializing_if = "::serde_json::Map::is_empty")]
        pub content: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub external_sender_email: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub is_markdown_support: ::std::option::Option<bool>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub source: ::std::option::Option<::std::string::String>,
    }
    impl ChatMessageBotMessage {
        pub fn builder() -> builder::ChatMessageBotMessage {
            Default::default()
        }
    }
    ///`ChatMessageCustomEmojiReactionsItem`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct ChatMessageCustomEmojiReactionsItem {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub custom_emoji_file_id: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub custom_emoji_name: ::std::option::Option<::std::string::String>,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub member_ids: ::std::vec::Vec<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub total_count: ::std::option::Option<i64>,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub user_ids: ::std::vec::Vec<::std::string::String>,
    }
    impl ChatMessageCustomEmojiReactionsItem {
        pub fn builder() -> builder::ChatMessageCustomEmojiReactionsItem {
            Default::default()
        }
    }
    ///`ChatMessageFilesItem`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, PartialEq)]
    pub struct ChatMessageFilesItem {
        pub download_url: ::std::string::String,
        pub file_id: ::std::string::String,
        pub file_name: ::std::string::String,
        pub file_size: i64,
    }
    impl ChatMessageFilesItem {
        pub fn builder() -> builder::ChatMessageFilesItem {
            Default::default()
        }
    }
    ///`ChatMessageGiphyInformationItem`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct ChatMessageGiphyInformationItem {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub giphy_view_url: ::std::option::Option<::std::string::String>,
    }
    impl ChatMessageGiphyInformationItem {
        pub fn builder() -> builder::ChatMessageGiphyInformationItem {
            Default::default()
        }
    }
    ///`ChatMessageReactionsItem`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct ChatMessageReactionsItem {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub emoji: ::std::option::Option<::std::string::String>,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub member_ids: ::std::vec::Vec<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub total_count: ::std::option::Option<i64>,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub user_ids: ::std::vec::Vec<::std::string::String>,
    }
    impl ChatMessageReactionsItem {
        pub fn builder() -> builder::ChatMessageReactionsItem {
            Default::default()
        }
    }
    ///When the message this one replies to was sent, in milliseconds since the Unix epoch. Zoom sends it as an integer or as a string of digits.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    #[serde(untagged)]
    pub enum ChatMessageReplyMainMessageTimestamp {
        Int64(i64),
        String(::std::string::String),
    }
    impl ::std::fmt::Display for ChatMessageReplyMainMessageTimestamp {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match self {
                Self::Int64(x) => x.fmt(f),
                Self::String(x) => x.fmt(f),
            }
        }
    }
    impl ::std::convert::From<i64> for ChatMessageReplyMainMessageTimestamp {
        fn from(value: i64) -> Self {
            Self::Int64(value)
        }
    }
    ///`ChatMessageRichTextItem`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct ChatMessageRichTextItem {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub end_position: ::std::option::Option<i64>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub format_attr: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub format_type: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub start_position: ::std::option::Option<i64>,
    }
    impl ChatMessageRichTextItem {
        pub fn builder() -> builder::ChatMessageRichTextItem {
            Default::default()
        }
    }
    ///`ChatSession`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, PartialEq)]
    pub struct ChatSession {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub channel_id: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub has_external_member: ::std::option::Option<bool>,
        pub id: ::std::string::String,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub last_message_sent_time: ::std::option::Option<
            ::chrono::DateTime<::chrono::offset::Utc>,
        >,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub member_emails: ::std::vec::Vec<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub status: ::std::option::Option<::std::string::String>,
        #[serde(rename = "type")]
        pub type_: ::std::string::String,
        #[serde(flatten)]
        pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    }
    impl ChatSession {
        pub fn builder() -> builder::ChatSession {
            Default::default()
        }
    }
    ///`ReportChatMessagesResponse`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct ReportChatMessagesResponse {
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub deleted_messages: ::std::vec::Vec<ChatMessage>,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub edited_messages: ::std::vec::Vec<ChatMessage>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub from: ::std::option::Option<::chrono::naive::NaiveDate>,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub messages: ::std::vec::Vec<ChatMessage>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub next_page_token: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub page_size: ::std::option::Option<i64>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub to: ::std::option::Option<::chrono::naive::NaiveDate>,
        #[serde(flatten)]
        pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    }
    impl ReportChatMessagesResponse {
        pub fn builder() -> builder::ReportChatMessagesResponse {
            Default::default()
        }
    }
    ///`ReportChatSessionsResponse`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct ReportChatSessionsResponse {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub from: ::std::option::Option<::chrono::naive::NaiveDate>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub next_page_token: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub page_size: ::std::option::Option<i64>,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub sessions: ::std::vec::Vec<ChatSession>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub to: ::std::option::Option<::chrono::naive::NaiveDate>,
        #[serde(flatten)]
        pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    }
    impl ReportChatSessionsResponse {
        pub fn builder() -> builder::ReportChatSessionsResponse {
            Default::default()
        }
    }
    ///Zoom's error body. `code` is Zoom's own error code (300, 124, 429, ...), not the HTTP status.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct ZoomError {
        ///Zoom's error code.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub code: ::std::option::Option<i64>,
        ///Per-field validation errors, when Zoom sends them.
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub errors: ::std::vec::Vec<ZoomErrorErrorsItem>,
        ///A human-readable description of the error.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub message: ::std::option::Option<::std::string::String>,
    }
    impl ZoomError {
        pub fn builder() -> builder::ZoomError {
            Default::default()
        }
    }
    ///`ZoomErrorErrorsItem`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct ZoomErrorErrorsItem {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub field: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub message: ::std::option::Option<::std::string::String>,
    }
    impl ZoomErrorErrorsItem {
        pub fn builder() -> builder::ZoomErrorErrorsItem {
            Default::default()
        }
    }
    /// Types for composing complex structures.
    pub mod builder {
        #[derive(Clone)]
        pub struct ChatMessage {
            action_timestamp: ::std::result::Result<
                ::std::option::Option<i64>,
                ::std::string::String,
            >,
            bot_message: ::std::result::Result<
                ::std::option::Option<super::ChatMessageBotMessage>,
                ::std::string::String,
            >,
            custom_emoji_reactions: ::std::result::Result<
                ::std::vec::Vec<super::ChatMessageCustomEmojiReactionsItem>,
                ::std::string::String,
            >,
            date_time: ::std::result::Result<
                ::chrono::DateTime<::chrono::offset::Utc>,
                ::std::string::String,
            >,
            files: ::std::result::Result<
                ::std::vec::Vec<super::ChatMessageFilesItem>,
                ::std::string::String,
            >,
            forward_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            giphy_information: ::std::result::Result<
                ::std::vec::Vec<super::ChatMessageGiphyInformationItem>,
                ::std::string::String,
            >,
            id: ::std::result::Result<::std::string::String, ::std::string::String>,
            is_sender_external: ::std::result::Result<
                ::std::option::Option<bool>,
                ::std::string::String,
            >,
            message: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            reactions: ::std::result::Result<
                ::std::vec::Vec<super::ChatMessageReactionsItem>,
                ::std::string::String,
            >,
            receiver: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            reply_main_message_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            reply_main_message_timestamp: ::std::result::Result<
                ::std::option::Option<super::ChatMessageReplyMainMessageTimestamp>,
                ::std::string::String,
            >,
            rich_text: ::std::result::Result<
                ::std::vec::Vec<super::ChatMessageRichTextItem>,
                ::std::string::String,
            >,
            sender: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            sender_display_name: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            sender_member_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            timestamp: ::std::result::Result<
                ::std::option::Option<i64>,
                ::std::string::String,
            >,
            extra: ::std::result::Result<
                ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ChatMessage {
            fn default() -> Self {
                Self {
                    action_timestamp: Ok(Default::default()),
                    bot_message: Ok(Default::default()),
                    custom_emoji_reactions: Ok(Default::default()),
                    date_time: Err("no value supplied for date_time".to_string()),
                    files: Ok(Default::default()),
                    forward_id: Ok(Default::default()),
                    giphy_information: Ok(Default::default()),
                    id: Err("no value supplied for id".to_string()),
                    is_sender_external: Ok(Default::default()),
                    message: Ok(Default::default()),
                    reactions: Ok(Default::default()),
                    receiver: Ok(Default::default()),
                    reply_main_message_id: Ok(Default::default()),
                    reply_main_message_timestamp: Ok(Default::default()),
                    rich_text: Ok(Default::default()),
                    sender: Ok(Default::default()),
                    sender_display_name: Ok(Default::default()),
                    sender_member_id: Ok(Default::default()),
                    timestamp: Ok(Default::default()),
                    extra: Err("no value supplied for extra".to_string()),
                }
            }
        }
        impl ChatMessage {
            pub fn action_timestamp<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i64>>,
                T::Error: ::std::fmt::Display,
            {
                self.action_timestamp = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for action_timestamp: {e}"
                        )
                    });
                self
            }
            pub fn bot_message<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<super::ChatMessageBotMessage>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.bot_message = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for bot_message: {e}")
                    });
                self
            }
            pub fn custom_emoji_reactions<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::vec::Vec<super::ChatMessageCustomEmojiReactionsItem>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.custom_emoji_reactions = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for custom_emoji_reactions: {e}"
                        )
                    });
                self
            }
            pub fn date_time<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::chrono::DateTime<::chrono::offset::Utc>>,
                T::Error: ::std::fmt::Display,
            {
                self.date_time = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for date_time: {e}")
                    });
                self
            }
            pub fn files<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<super::ChatMessageFilesItem>>,
                T::Error: ::std::fmt::Display,
            {
                self.files = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for files: {e}")
                    });
                self
            }
            pub fn forward_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.forward_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for forward_id: {e}")
                    });
                self
            }
            pub fn giphy_information<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::vec::Vec<super::ChatMessageGiphyInformationItem>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.giphy_information = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for giphy_information: {e}"
                        )
                    });
                self
            }
            pub fn id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.id = value
                    .try_into()
                    .map_err(|e| format!("error converting supplied value for id: {e}"));
                self
            }
            pub fn is_sender_external<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<bool>>,
                T::Error: ::std::fmt::Display,
            {
                self.is_sender_external = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for is_sender_external: {e}"
                        )
                    });
                self
            }
            pub fn message<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.message = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for message: {e}")
                    });
                self
            }
            pub fn reactions<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::vec::Vec<super::ChatMessageReactionsItem>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.reactions = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for reactions: {e}")
                    });
                self
            }
            pub fn receiver<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.receiver = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for receiver: {e}")
                    });
                self
            }
            pub fn reply_main_message_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.reply_main_message_id = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for reply_main_message_id: {e}"
                        )
                    });
                self
            }
            pub fn reply_main_message_timestamp<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<super::ChatMessageReplyMainMessageTimestamp>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.reply_main_message_timestamp = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for reply_main_message_timestamp: {e}"
                        )
                    });
                self
            }
            pub fn rich_text<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::vec::Vec<super::ChatMessageRichTextItem>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.rich_text = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for rich_text: {e}")
                    });
                self
            }
            pub fn sender<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.sender = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for sender: {e}")
                    });
                self
            }
            pub fn sender_display_name<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.sender_display_name = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for sender_display_name: {e}"
                        )
                    });
                self
            }
            pub fn sender_member_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.sender_member_id = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for sender_member_id: {e}"
                        )
                    });
                self
            }
            pub fn timestamp<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i64>>,
                T::Error: ::std::fmt::Display,
            {
                self.timestamp = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for timestamp: {e}")
                    });
                self
            }
            pub fn extra<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.extra = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for extra: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ChatMessage> for super::ChatMessage {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ChatMessage,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    action_timestamp: value.action_timestamp?,
                    bot_message: value.bot_message?,
                    custom_emoji_reactions: value.custom_emoji_reactions?,
                    date_time: value.date_time?,
                    files: value.files?,
                    forward_id: value.forward_id?,
                    giphy_information: value.giphy_information?,
                    id: value.id?,
                    is_sender_external: value.is_sender_external?,
                    message: value.message?,
                    reactions: value.reactions?,
                    receiver: value.receiver?,
                    reply_main_message_id: value.reply_main_message_id?,
                    reply_main_message_timestamp: value.reply_main_message_timestamp?,
                    rich_text: value.rich_text?,
                    sender: value.sender?,
                    sender_display_name: value.sender_display_name?,
                    sender_member_id: value.sender_member_id?,
                    timestamp: value.timestamp?,
                    extra: value.extra?,
                })
            }
        }
        impl ::std::convert::From<super::ChatMessage> for ChatMessage {
            fn from(value: super::ChatMessage) -> Self {
                Self {
                    action_timestamp: Ok(value.action_timestamp),
                    bot_message: Ok(value.bot_message),
                    custom_emoji_reactions: Ok(value.custom_emoji_reactions),
                    date_time: Ok(value.date_time),
                    files: Ok(value.files),
                    forward_id: Ok(value.forward_id),
                    giphy_information: Ok(value.giphy_information),
                    id: Ok(value.id),
                    is_sender_external: Ok(value.is_sender_external),
                    message: Ok(value.message),
                    reactions: Ok(value.reactions),
                    receiver: Ok(value.receiver),
                    reply_main_message_id: Ok(value.reply_main_message_id),
                    reply_main_message_timestamp: Ok(value.reply_main_message_timestamp),
                    rich_text: Ok(value.rich_text),
                    sender: Ok(value.sender),
                    sender_display_name: Ok(value.sender_display_name),
                    sender_member_id: Ok(value.sender_member_id),
                    timestamp: Ok(value.timestamp),
                    extra: Ok(value.extra),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ChatMessageBotMessage {
            content: ::std::result::Result<
                ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                ::std::string::String,
            >,
            external_sender_email: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            is_markdown_support: ::std::result::Result<
                ::std::option::Option<bool>,
                ::std::string::String,
            >,
            source: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ChatMessageBotMessage {
            fn default() -> Self {
                Self {
                    content: Ok(Default::default()),
                    external_sender_email: Ok(Default::default()),
                    is_markdown_support: Ok(Default::default()),
                    source: Ok(Default::default()),
                }
            }
        }
        impl ChatMessageBotMessage {
            pub fn content<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.content = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for content: {e}")
                    });
                self
            }
            pub fn external_sender_email<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.external_sender_email = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for external_sender_email: {e}"
                        )
                    });
                self
            }
            pub fn is_markdown_support<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<bool>>,
                T::Error: ::std::fmt::Display,
            {
                self.is_markdown_support = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for is_markdown_support: {e}"
                        )
                    });
                self
            }
            pub fn source<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.source = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for source: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ChatMessageBotMessage>
        for super::ChatMessageBotMessage {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ChatMessageBotMessage,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    content: value.content?,
                    external_sender_email: value.external_sender_email?,
                    is_markdown_support: value.is_markdown_support?,
                    source: value.source?,
                })
            }
        }
        impl ::std::convert::From<super::ChatMessageBotMessage>
        for ChatMessageBotMessage {
            fn from(value: super::ChatMessageBotMessage) -> Self {
                Self {
                    content: Ok(value.content),
                    external_sender_email: Ok(value.external_sender_email),
                    is_markdown_support: Ok(value.is_markdown_support),
                    source: Ok(value.source),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ChatMessageCustomEmojiReactionsItem {
            custom_emoji_file_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            custom_emoji_name: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            member_ids: ::std::result::Result<
                ::std::vec::Vec<::std::string::String>,
                ::std::string::String,
            >,
            total_count: ::std::result::Result<
                ::std::option::Option<i64>,
                ::std::string::String,
            >,
            user_ids: ::std::result::Result<
                ::std::vec::Vec<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ChatMessageCustomEmojiReactionsItem {
            fn default() -> Self {
                Self {
                    custom_emoji_file_id: Ok(Default::default()),
                    custom_emoji_name: Ok(Default::default()),
                    member_ids: Ok(Default::default()),
                    total_count: Ok(Default::default()),
                    user_ids: Ok(Default::default()),
                }
            }
        }
        impl ChatMessageCustomEmojiReactionsItem {
            pub fn custom_emoji_file_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.custom_emoji_file_id = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for custom_emoji_file_id: {e}"
                        )
                    });
                self
            }
            pub fn custom_emoji_name<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.custom_emoji_name = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for custom_emoji_name: {e}"
                        )
                    });
                self
            }
            pub fn member_ids<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.member_ids = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for member_ids: {e}")
                    });
                self
            }
            pub fn total_count<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i64>>,
                T::Error: ::std::fmt::Display,
            {
                self.total_count = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for total_count: {e}")
                    });
                self
            }
            pub fn user_ids<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.user_ids = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for user_ids: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ChatMessageCustomEmojiReactionsItem>
        for super::ChatMessageCustomEmojiReactionsItem {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ChatMessageCustomEmojiReactionsItem,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    custom_emoji_file_id: value.custom_emoji_file_id?,
                    custom_emoji_name: value.custom_emoji_name?,
                    member_ids: value.member_ids?,
                    total_count: value.total_count?,
                    user_ids: value.user_ids?,
                })
            }
        }
        impl ::std::convert::From<super::ChatMessageCustomEmojiReactionsItem>
        for ChatMessageCustomEmojiReactionsItem {
            fn from(value: super::ChatMessageCustomEmojiReactionsItem) -> Self {
                Self {
                    custom_emoji_file_id: Ok(value.custom_emoji_file_id),
                    custom_emoji_name: Ok(value.custom_emoji_name),
                    member_ids: Ok(value.member_ids),
                    total_count: Ok(value.total_count),
                    user_ids: Ok(value.user_ids),
                }
            }
        }
        #[derive(Clone)]
        pub struct ChatMessageFilesItem {
            download_url: ::std::result::Result<
                ::std::string::String,
                ::std::string::String,
            >,
            file_id: ::std::result::Result<::std::string::String, ::std::string::String>,
            file_name: ::std::result::Result<
                ::std::string::String,
                ::std::string::String,
            >,
            file_size: ::std::result::Result<i64, ::std::string::String>,
        }
        impl ::std::default::Default for ChatMessageFilesItem {
            fn default() -> Self {
                Self {
                    download_url: Err("no value supplied for download_url".to_string()),
                    file_id: Err("no value supplied for file_id".to_string()),
                    file_name: Err("no value supplied for file_name".to_string()),
                    file_size: Err("no value supplied for file_size".to_string()),
                }
            }
        }
        impl ChatMessageFilesItem {
            pub fn download_url<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.download_url = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for download_url: {e}")
                    });
                self
            }
            pub fn file_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.file_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for file_id: {e}")
                    });
                self
            }
            pub fn file_name<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.file_name = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for file_name: {e}")
                    });
                self
            }
            pub fn file_size<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<i64>,
                T::Error: ::std::fmt::Display,
            {
                self.file_size = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for file_size: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ChatMessageFilesItem>
        for super::ChatMessageFilesItem {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ChatMessageFilesItem,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    download_url: value.download_url?,
                    file_id: value.file_id?,
                    file_name: value.file_name?,
                    file_size: value.file_size?,
                })
            }
        }
        impl ::std::convert::From<super::ChatMessageFilesItem> for ChatMessageFilesItem {
            fn from(value: super::ChatMessageFilesItem) -> Self {
                Self {
                    download_url: Ok(value.download_url),
                    file_id: Ok(value.file_id),
                    file_name: Ok(value.file_name),
                    file_size: Ok(value.file_size),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ChatMessageGiphyInformationItem {
            giphy_view_url: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ChatMessageGiphyInformationItem {
            fn default() -> Self {
                Self {
                    giphy_view_url: Ok(Default::default()),
                }
            }
        }
        impl ChatMessageGiphyInformationItem {
            pub fn giphy_view_url<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.giphy_view_url = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for giphy_view_url: {e}"
                        )
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ChatMessageGiphyInformationItem>
        for super::ChatMessageGiphyInformationItem {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ChatMessageGiphyInformationItem,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    giphy_view_url: value.giphy_view_url?,
                })
            }
        }
        impl ::std::convert::From<super::ChatMessageGiphyInformationItem>
        for ChatMessageGiphyInformationItem {
            fn from(value: super::ChatMessageGiphyInformationItem) -> Self {
                Self {
                    giphy_view_url: Ok(value.giphy_view_url),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ChatMessageReactionsItem {
            emoji: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            member_ids: ::std::result::Result<
                ::std::vec::Vec<::std::string::String>,
                ::std::string::String,
            >,
            total_count: ::std::result::Result<
                ::std::option::Option<i64>,
                ::std::string::String,
            >,
            user_ids: ::std::result::Result<
                ::std::vec::Vec<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ChatMessageReactionsItem {
            fn default() -> Self {
                Self {
                    emoji: Ok(Default::default()),
                    member_ids: Ok(Default::default()),
                    total_count: Ok(Default::default()),
                    user_ids: Ok(Default::default()),
                }
            }
        }
        impl ChatMessageReactionsItem {
            pub fn emoji<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.emoji = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for emoji: {e}")
                    });
                self
            }
            pub fn member_ids<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.member_ids = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for member_ids: {e}")
                    });
                self
            }
            pub fn total_count<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i64>>,
                T::Error: ::std::fmt::Display,
            {
                self.total_count = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for total_count: {e}")
                    });
                self
            }
            pub fn user_ids<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.user_ids = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for user_ids: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ChatMessageReactionsItem>
        for super::ChatMessageReactionsItem {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ChatMessageReactionsItem,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    emoji: value.emoji?,
                    member_ids: value.member_ids?,
                    total_count: value.total_count?,
                    user_ids: value.user_ids?,
                })
            }
        }
        impl ::std::convert::From<super::ChatMessageReactionsItem>
        for ChatMessageReactionsItem {
            fn from(value: super::ChatMessageReactionsItem) -> Self {
                Self {
                    emoji: Ok(value.emoji),
                    member_ids: Ok(value.member_ids),
                    total_count: Ok(value.total_count),
                    user_ids: Ok(value.user_ids),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ChatMessageRichTextItem {
            end_position: ::std::result::Result<
                ::std::option::Option<i64>,
                ::std::string::String,
            >,
            format_attr: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            format_type: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            start_position: ::std::result::Result<
                ::std::option::Option<i64>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ChatMessageRichTextItem {
            fn default() -> Self {
                Self {
                    end_position: Ok(Default::default()),
                    format_attr: Ok(Default::default()),
                    format_type: Ok(Default::default()),
                    start_position: Ok(Default::default()),
                }
            }
        }
        impl ChatMessageRichTextItem {
            pub fn end_position<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i64>>,
                T::Error: ::std::fmt::Display,
            {
                self.end_position = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for end_position: {e}")
                    });
                self
            }
            pub fn format_attr<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.format_attr = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for format_attr: {e}")
                    });
                self
            }
            pub fn format_type<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.format_type = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for format_type: {e}")
                    });
                self
            }
            pub fn start_position<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i64>>,
                T::Error: ::std::fmt::Display,
            {
                self.start_position = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for start_position: {e}"
                        )
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ChatMessageRichTextItem>
        for super::ChatMessageRichTextItem {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ChatMessageRichTextItem,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    end_position: value.end_position?,
                    format_attr: value.format_attr?,
                    format_type: value.format_type?,
                    start_position: value.start_position?,
                })
            }
        }
        impl ::std::convert::From<super::ChatMessageRichTextItem>
        for ChatMessageRichTextItem {
            fn from(value: super::ChatMessageRichTextItem) -> Self {
                Self {
                    end_position: Ok(value.end_position),
                    format_attr: Ok(value.format_attr),
                    format_type: Ok(value.format_type),
                    start_position: Ok(value.start_position),
                }
            }
        }
        #[derive(Clone)]
        pub struct ChatSession {
            channel_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            has_external_member: ::std::result::Result<
                ::std::option::Option<bool>,
                ::std::string::String,
            >,
            id: ::std::result::Result<::std::string::String, ::std::string::String>,
            last_message_sent_time: ::std::result::Result<
                ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
                ::std::string::String,
            >,
            member_emails: ::std::result::Result<
                ::std::vec::Vec<::std::string::String>,
                ::std::string::String,
            >,
            name: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            status: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            type_: ::std::result::Result<::std::string::String, ::std::string::String>,
            extra: ::std::result::Result<
                ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ChatSession {
            fn default() -> Self {
                Self {
                    channel_id: Ok(Default::default()),
                    has_external_member: Ok(Default::default()),
                    id: Err("no value supplied for id".to_string()),
                    last_message_sent_time: Ok(Default::default()),
                    member_emails: Ok(Default::default()),
                    name: Ok(Default::default()),
                    status: Ok(Default::default()),
                    type_: Err("no value supplied for type_".to_string()),
                    extra: Err("no value supplied for extra".to_string()),
                }
            }
        }
        impl ChatSession {
            pub fn channel_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.channel_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for channel_id: {e}")
                    });
                self
            }
            pub fn has_external_member<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<bool>>,
                T::Error: ::std::fmt::Display,
            {
                self.has_external_member = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for has_external_member: {e}"
                        )
                    });
                self
            }
            pub fn id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.id = value
                    .try_into()
                    .map_err(|e| format!("error converting supplied value for id: {e}"));
                self
            }
            pub fn last_message_sent_time<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.last_message_sent_time = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for last_message_sent_time: {e}"
                        )
                    });
                self
            }
            pub fn member_emails<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.member_emails = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for member_emails: {e}")
                    });
                self
            }
            pub fn name<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.name = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for name: {e}")
                    });
                self
            }
            pub fn status<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.status = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for status: {e}")
                    });
                self
            }
            pub fn type_<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.type_ = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for type_: {e}")
                    });
                self
            }
            pub fn extra<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.extra = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for extra: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ChatSession> for super::ChatSession {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ChatSession,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    channel_id: value.channel_id?,
                    has_external_member: value.has_external_member?,
                    id: value.id?,
                    last_message_sent_time: value.last_message_sent_time?,
                    member_emails: value.member_emails?,
                    name: value.name?,
                    status: value.status?,
                    type_: value.type_?,
                    extra: value.extra?,
                })
            }
        }
        impl ::std::convert::From<super::ChatSession> for ChatSession {
            fn from(value: super::ChatSession) -> Self {
                Self {
                    channel_id: Ok(value.channel_id),
                    has_external_member: Ok(value.has_external_member),
                    id: Ok(value.id),
                    last_message_sent_time: Ok(value.last_message_sent_time),
                    member_emails: Ok(value.member_emails),
                    name: Ok(value.name),
                    status: Ok(value.status),
                    type_: Ok(value.type_),
                    extra: Ok(value.extra),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ReportChatMessagesResponse {
            deleted_messages: ::std::result::Result<
                ::std::vec::Vec<super::ChatMessage>,
                ::std::string::String,
            >,
            edited_messages: ::std::result::Result<
                ::std::vec::Vec<super::ChatMessage>,
                ::std::string::String,
            >,
            from: ::std::result::Result<
                ::std::option::Option<::chrono::naive::NaiveDate>,
                ::std::string::String,
            >,
            messages: ::std::result::Result<
                ::std::vec::Vec<super::ChatMessage>,
                ::std::string::String,
            >,
            next_page_token: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            page_size: ::std::result::Result<
                ::std::option::Option<i64>,
                ::std::string::String,
            >,
            to: ::std::result::Result<
                ::std::option::Option<::chrono::naive::NaiveDate>,
                ::std::string::String,
            >,
            extra: ::std::result::Result<
                ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ReportChatMessagesResponse {
            fn default() -> Self {
                Self {
                    deleted_messages: Ok(Default::default()),
                    edited_messages: Ok(Default::default()),
                    from: Ok(Default::default()),
                    messages: Ok(Default::default()),
                    next_page_token: Ok(Default::default()),
                    page_size: Ok(Default::default()),
                    to: Ok(Default::default()),
                    extra: Err("no value supplied for extra".to_string()),
                }
            }
        }
        impl ReportChatMessagesResponse {
            pub fn deleted_messages<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<super::ChatMessage>>,
                T::Error: ::std::fmt::Display,
            {
                self.deleted_messages = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for deleted_messages: {e}"
                        )
                    });
                self
            }
            pub fn edited_messages<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<super::ChatMessage>>,
                T::Error: ::std::fmt::Display,
            {
                self.edited_messages = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for edited_messages: {e}"
                        )
                    });
                self
            }
            pub fn from<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<::chrono::naive::NaiveDate>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.from = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for from: {e}")
                    });
                self
            }
            pub fn messages<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<super::ChatMessage>>,
                T::Error: ::std::fmt::Display,
            {
                self.messages = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for messages: {e}")
                    });
                self
            }
            pub fn next_page_token<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.next_page_token = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for next_page_token: {e}"
                        )
                    });
                self
            }
            pub fn page_size<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i64>>,
                T::Error: ::std::fmt::Display,
            {
                self.page_size = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for page_size: {e}")
                    });
                self
            }
            pub fn to<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<::chrono::naive::NaiveDate>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.to = value
                    .try_into()
                    .map_err(|e| format!("error converting supplied value for to: {e}"));
                self
            }
            pub fn extra<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.extra = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for extra: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ReportChatMessagesResponse>
        for super::ReportChatMessagesResponse {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ReportChatMessagesResponse,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    deleted_messages: value.deleted_messages?,
                    edited_messages: value.edited_messages?,
                    from: value.from?,
                    messages: value.messages?,
                    next_page_token: value.next_page_token?,
                    page_size: value.page_size?,
                    to: value.to?,
                    extra: value.extra?,
                })
            }
        }
        impl ::std::convert::From<super::ReportChatMessagesResponse>
        for ReportChatMessagesResponse {
            fn from(value: super::ReportChatMessagesResponse) -> Self {
                Self {
                    deleted_messages: Ok(value.deleted_messages),
                    edited_messages: Ok(value.edited_messages),
                    from: Ok(value.from),
                    messages: Ok(value.messages),
                    next_page_token: Ok(value.next_page_token),
                    page_size: Ok(value.page_size),
                    to: Ok(value.to),
                    extra: Ok(value.extra),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ReportChatSessionsResponse {
            from: ::std::result::Result<
                ::std::option::Option<::chrono::naive::NaiveDate>,
                ::std::string::String,
            >,
            next_page_token: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            page_size: ::std::result::Result<
                ::std::option::Option<i64>,
                ::std::string::String,
            >,
            sessions: ::std::result::Result<
                ::std::vec::Vec<super::ChatSession>,
                ::std::string::String,
            >,
            to: ::std::result::Result<
                ::std::option::Option<::chrono::naive::NaiveDate>,
                ::std::string::String,
            >,
            extra: ::std::result::Result<
                ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ReportChatSessionsResponse {
            fn default() -> Self {
                Self {
                    from: Ok(Default::default()),
                    next_page_token: Ok(Default::default()),
                    page_size: Ok(Default::default()),
                    sessions: Ok(Default::default()),
                    to: Ok(Default::default()),
                    extra: Err("no value supplied for extra".to_string()),
                }
            }
        }
        impl ReportChatSessionsResponse {
            pub fn from<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<::chrono::naive::NaiveDate>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.from = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for from: {e}")
                    });
                self
            }
            pub fn next_page_token<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.next_page_token = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for next_page_token: {e}"
                        )
                    });
                self
            }
            pub fn page_size<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i64>>,
                T::Error: ::std::fmt::Display,
            {
                self.page_size = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for page_size: {e}")
                    });
                self
            }
            pub fn sessions<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<super::ChatSession>>,
                T::Error: ::std::fmt::Display,
            {
                self.sessions = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for sessions: {e}")
                    });
                self
            }
            pub fn to<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<::chrono::naive::NaiveDate>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.to = value
                    .try_into()
                    .map_err(|e| format!("error converting supplied value for to: {e}"));
                self
            }
            pub fn extra<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.extra = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for extra: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ReportChatSessionsResponse>
        for super::ReportChatSessionsResponse {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ReportChatSessionsResponse,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    from: value.from?,
                    next_page_token: value.next_page_token?,
                    page_size: value.page_size?,
                    sessions: value.sessions?,
                    to: value.to?,
                    extra: value.extra?,
                })
            }
        }
        impl ::std::convert::From<super::ReportChatSessionsResponse>
        for ReportChatSessionsResponse {
            fn from(value: super::ReportChatSessionsResponse) -> Self {
                Self {
                    from: Ok(value.from),
                    next_page_token: Ok(value.next_page_token),
                    page_size: Ok(value.page_size),
                    sessions: Ok(value.sessions),
                    to: Ok(value.to),
                    extra: Ok(value.extra),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ZoomError {
            code: ::std::result::Result<
                ::std::option::Option<i64>,
                ::std::string::String,
            >,
            errors: ::std::result::Result<
                ::std::vec::Vec<super::ZoomErrorErrorsItem>,
                ::std::string::String,
            >,
            message: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ZoomError {
            fn default() -> Self {
                Self {
                    code: Ok(Default::default()),
                    errors: Ok(Default::default()),
                    message: Ok(Default::default()),
                }
            }
        }
        impl ZoomError {
            pub fn code<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i64>>,
                T::Error: ::std::fmt::Display,
            {
                self.code = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for code: {e}")
                    });
                self
            }
            pub fn errors<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<super::ZoomErrorErrorsItem>>,
                T::Error: ::std::fmt::Display,
            {
                self.errors = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for errors: {e}")
                    });
                self
            }
            pub fn message<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.message = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for message: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ZoomError> for super::ZoomError {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ZoomError,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    code: value.code?,
                    errors: value.errors?,
                    message: value.message?,
                })
            }
        }
        impl ::std::convert::From<super::ZoomError> for ZoomError {
            fn from(value: super::ZoomError) -> Self {
                Self {
                    code: Ok(value.code),
                    errors: Ok(value.errors),
                    message: Ok(value.message),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ZoomErrorErrorsItem {
            field: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            message: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ZoomErrorErrorsItem {
            fn default() -> Self {
                Self {
                    field: Ok(Default::default()),
                    message: Ok(Default::default()),
                }
            }
        }
        impl ZoomErrorErrorsItem {
            pub fn field<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.field = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for field: {e}")
                    });
                self
            }
            pub fn message<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.message = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for message: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ZoomErrorErrorsItem>
        for super::ZoomErrorErrorsItem {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ZoomErrorErrorsItem,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    field: value.field?,
                    message: value.message?,
                })
            }
        }
        impl ::std::convert::From<super::ZoomErrorErrorsItem> for ZoomErrorErrorsItem {
            fn from(value: super::ZoomErrorErrorsItem) -> Self {
                Self {
                    field: Ok(value.field),
                    message: Ok(value.message),
                }
            }
        }
        /// Prints no fields: they may hold chat content or credentials.
        impl ::std::fmt::Debug for ChatMessage {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("ChatMessage").finish_non_exhaustive()
            }
        }
        /// Prints no fields: they may hold chat content or credentials.
        impl ::std::fmt::Debug for ChatMessageFilesItem {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("ChatMessageFilesItem").finish_non_exhaustive()
            }
        }
        /// Prints no fields: they may hold chat content or credentials.
        impl ::std::fmt::Debug for ChatSession {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("ChatSession").finish_non_exhaustive()
            }
        }
    }
    /// Error types.
    pub mod error {
        /// Error from a `TryFrom` or `FromStr` implementation.
        pub struct ConversionError(::std::borrow::Cow<'static, str>);
        impl ::std::error::Error for ConversionError {}
        impl ::std::fmt::Display for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }
        impl ::std::fmt::Debug for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }
        impl From<&'static str> for ConversionError {
            fn from(value: &'static str) -> Self {
                Self(value.into())
            }
        }
        impl From<String> for ConversionError {
            fn from(value: String) -> Self {
                Self(value.into())
            }
        }
    }
    /// Prints only fields that carry no chat content or credentials.
    impl ::std::fmt::Debug for ChatMessage {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.debug_struct("ChatMessage")
                .field("id", &self.id)
                .field("date_time", &self.date_time)
                .finish_non_exhaustive()
        }
    }
    /// Prints only fields that carry no chat content or credentials.
    impl ::std::fmt::Debug for ChatMessageFilesItem {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.debug_struct("ChatMessageFilesItem")
                .field("file_id", &self.file_id)
                .field("file_size", &self.file_size)
                .finish_non_exhaustive()
        }
    }
    /// Prints only fields that carry no chat content or credentials.
    impl ::std::fmt::Debug for ChatSession {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.debug_struct("ChatSession")
                .field("id", &self.id)
                .field("type_", &self.type_)
                .finish_non_exhaustive()
        }
    }
}
#[derive(Clone, Debug)]
/**Client for Team Chat

The Team Chat APIs let developers programmatically interact with [Team Chat](https://developers.zoom.us/docs/team-chat-apps/) features. They enable messaging integration into applications and automate workflows within Zoom Team Chat.

Contact Support:
 Name: Zoom Developers

Version: postman*/
pub struct Client {
    pub(crate) baseurl: String,
    pub(crate) client: reqwest::Client,
    pub(crate) inner: crate::transport::Transport,
}
impl Client {
    /// Create a new client.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new(baseurl: &str, inner: crate::transport::Transport) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        let client = {
            let dur = ::std::time::Duration::from_secs(15u64);
            reqwest::ClientBuilder::new().connect_timeout(dur).timeout(dur)
        };
        #[cfg(target_arch = "wasm32")]
        let client = reqwest::ClientBuilder::new();
        Self::new_with_client(baseurl, client.build().unwrap(), inner)
    }
    /// Construct a new client with an existing `reqwest::Client`,
    /// allowing more control over its configuration.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new_with_client(
        baseurl: &str,
        client: reqwest::Client,
        inner: crate::transport::Transport,
    ) -> Self {
        Self {
            baseurl: baseurl.to_string(),
            client,
            inner,
        }
    }
}
impl ClientInfo<crate::transport::Transport> for Client {
    fn api_version() -> &'static str {
        "postman"
    }
    fn baseurl(&self) -> &str {
        self.baseurl.as_str()
    }
    fn client(&self) -> &reqwest::Client {
        &self.client
    }
    fn inner(&self) -> &crate::transport::Transport {
        &self.inner
    }
}
const _: () = {
    #[allow(dead_code)]
    fn assert_client_hooks()
    where
        Client: ClientHooks<crate::transport::Transport>,
    {}
};
impl Client {
    /**Get chat sessions reports

Returns Zoom Chat session reports for a specified period of time. The monthly date range **must** be within the last six months.

**Prerequisites**
* A Pro or higher plan
* Report chat permissions.

**[Scopes](https://developers.zoom.us/docs/integrations/oauth-scopes-overview/):** `report_chat:read:admin`,`imchat:read:admin`

**[Granular Scopes](https://developers.zoom.us/docs/integrations/oauth-scopes-overview/):** `report:read:list_chat_sessions:admin`

**[Rate Limit Label](https://marketplace.zoom.us/docs/api-reference/rate-limits#rate-limits):** `MEDIUM`

Sends a `GET` request to `/report/chat/sessions`

Arguments:
- `from`: The start date in 'yyyy-mm-dd' format. The date range defined by the "from" and "to" parameters should only be one month as the report includes only one month worth of data at once.
- `next_page_token`: The next page token paginates through a large set of results. A next page token returns whenever the set of available results exceeds the current page size. The expiration period for this token is 15 minutes.
- `page_size`: The number of records returned within a single API call.
- `to`: The end date.
```ignore
let response = client.report_chat_sessions()
    .from(from)
    .next_page_token(next_page_token)
    .page_size(page_size)
    .to(to)
    .send()
    .await;
```*/
    pub fn report_chat_sessions(&self) -> builder::ReportChatSessions<'_> {
        builder::ReportChatSessions::new(self)
    }
    /**Get chat message reports

Returns Zoom Chat message reports for a specified period of time. The monthly date range must be within the last six months.

**Prerequisites**
* A Pro or higher plan
* Report chat permissions

**[Scopes](https://developers.zoom.us/docs/integrations/oauth-scopes-overview/):** `report_chat:read:admin`,`imchat:read:admin`

**[Granular Scopes](https://developers.zoom.us/docs/integrations/oauth-scopes-overview/):** `report:read:chat_session:admin`

**[Rate Limit Label](https://marketplace.zoom.us/docs/api-reference/rate-limits#rate-limits):** `MEDIUM`

Sends a `GET` request to `/report/chat/sessions/{sessionId}`

Arguments:
- `session_id`: The chat session's ID.
- `from`: The start date in 'yyyy-mm-dd' format. The date range defined by the "from" and "to" parameters should only be one month as the report includes only one month worth of data at once.
- `include_bot_message`: Whether to return the bot message. If false, the `bot_message` will not be returned in the response body.
- `include_custom_emoji_reactions`: Whether to return the message custom emoji reactions. If false, the `custom_emoji_reactions` will not be returned in the response body.
- `include_fields`: This field returns all edited and deleted messages. The API only returns this value if the `include_fields` query parameter contains the `edited_messages` and/or the `deleted_messages` values.

To include both edited and deleted messages, comma-separate both values.
- `include_reactions`: Whether to return the message reactions. If false, the `reactions` will not be returned in the response body.
- `next_page_token`: The next page token paginates through a large set of results. A next page token returns whenever the set of available results exceeds the current page size. The expiration period for this token is 15 minutes.
- `page_size`: The number of records returned within a single API call.
- `query_all_modifications`: When set to true, this field allows users to query the time range in which edited or deleted messages were modified. Otherwise, the time range must be based on the parent message's sending time.
- `to`: The end date.
```ignore
let response = client.report_chat_messages()
    .session_id(session_id)
    .from(from)
    .include_bot_message(include_bot_message)
    .include_custom_emoji_reactions(include_custom_emoji_reactions)
    .include_fields(include_fields)
    .include_reactions(include_reactions)
    .next_page_token(next_page_token)
    .page_size(page_size)
    .query_all_modifications(query_all_modifications)
    .to(to)
    .send()
    .await;
```*/
    pub fn report_chat_messages(&self) -> builder::ReportChatMessages<'_> {
        builder::ReportChatMessages::new(self)
    }
}
/// Types for composing operation parameters.
#[allow(clippy::all)]
pub mod builder {
    use super::types;
    #[allow(unused_imports)]
    use super::{
        encode_path, ByteStream, ClientInfo, ClientHooks, Error, OperationInfo,
        RequestBuilderExt, ResponseValue,
    };
    /**Builder for [`Client::report_chat_sessions`]

[`Client::report_chat_sessions`]: super::Client::report_chat_sessions*/
    #[derive(Debug, Clone)]
    pub struct ReportChatSessions<'a> {
        client: &'a super::Client,
        from: Result<::chrono::naive::NaiveDate, String>,
        next_page_token: Result<Option<::std::string::String>, String>,
        page_size: Result<Option<i64>, String>,
        to: Result<::chrono::naive::NaiveDate, String>,
    }
    impl<'a> ReportChatSessions<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                from: Err("from was not initialized".to_string()),
                next_page_token: Ok(None),
                page_size: Ok(None),
                to: Err("to was not initialized".to_string()),
            }
        }
        pub fn from<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::chrono::naive::NaiveDate>,
        {
            self.from = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: chrono :: naive :: NaiveDate` for from failed"
                        .to_string()
                });
            self
        }
        pub fn next_page_token<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.next_page_token = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for next_page_token failed"
                        .to_string()
                });
            self
        }
        pub fn page_size<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<i64>,
        {
            self.page_size = value
                .try_into()
                .map(Some)
                .map_err(|_| "conversion to `i64` for page_size failed".to_string());
            self
        }
        pub fn to<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::chrono::naive::NaiveDate>,
        {
            self.to = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: chrono :: naive :: NaiveDate` for to failed"
                        .to_string()
                });
            self
        }
        ///Sends a `GET` request to `/report/chat/sessions`
        pub async fn send(
            self,
        ) -> Result<
            ResponseValue<types::ReportChatSessionsResponse>,
            Error<types::ZoomError>,
        > {
            let Self { client, from, next_page_token, page_size, to } = self;
            let from = from.map_err(Error::InvalidRequest)?;
            let next_page_token = next_page_token.map_err(Error::InvalidRequest)?;
            let page_size = page_size.map_err(Error::InvalidRequest)?;
            let to = to.map_err(Error::InvalidRequest)?;
            let url = format!("{}/report/chat/sessions", client.baseurl,);
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .get(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .query(&progenitor_client::QueryParam::new("from", &from))
                .query(
                    &progenitor_client::QueryParam::new(
                        "next_page_token",
                        &next_page_token,
                    ),
                )
                .query(&progenitor_client::QueryParam::new("page_size", &page_size))
                .query(&progenitor_client::QueryParam::new("to", &to))
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "report_chat_sessions",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                400u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                429u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }
    /**Builder for [`Client::report_chat_messages`]

[`Client::report_chat_messages`]: super::Client::report_chat_messages*/
    #[derive(Debug, Clone)]
    pub struct ReportChatMessages<'a> {
        client: &'a super::Client,
        session_id: Result<::std::string::String, String>,
        from: Result<::chrono::naive::NaiveDate, String>,
        include_bot_message: Result<Option<bool>, String>,
        include_custom_emoji_reactions: Result<Option<bool>, String>,
        include_fields: Result<Option<::std::string::String>, String>,
        include_reactions: Result<Option<bool>, String>,
        next_page_token: Result<Option<::std::string::String>, String>,
        page_size: Result<Option<i64>, String>,
        query_all_modifications: Result<Option<bool>, String>,
        to: Result<::chrono::naive::NaiveDate, String>,
    }
    impl<'a> ReportChatMessages<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                session_id: Err("session_id was not initialized".to_string()),
                from: Err("from was not initialized".to_string()),
                include_bot_message: Ok(None),
                include_custom_emoji_reactions: Ok(None),
                include_fields: Ok(None),
                include_reactions: Ok(None),
                next_page_token: Ok(None),
                page_size: Ok(None),
                query_all_modifications: Ok(None),
                to: Err("to was not initialized".to_string()),
            }
        }
        pub fn session_id<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.session_id = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for session_id failed"
                        .to_string()
                });
            self
        }
        pub fn from<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::chrono::naive::NaiveDate>,
        {
            self.from = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: chrono :: naive :: NaiveDate` for from failed"
                        .to_string()
                });
            self
        }
        pub fn include_bot_message<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<bool>,
        {
            self.include_bot_message = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `bool` for include_bot_message failed".to_string()
                });
            self
        }
        pub fn include_custom_emoji_reactions<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<bool>,
        {
            self.include_custom_emoji_reactions = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `bool` for include_custom_emoji_reactions failed"
                        .to_string()
                });
            self
        }
        pub fn include_fields<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.include_fields = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for include_fields failed"
                        .to_string()
                });
            self
        }
        pub fn include_reactions<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<bool>,
        {
            self.include_reactions = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `bool` for include_reactions failed".to_string()
                });
            self
        }
        pub fn next_page_token<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.next_page_token = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for next_page_token failed"
                        .to_string()
                });
            self
        }
        pub fn page_size<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<i64>,
        {
            self.page_size = value
                .try_into()
                .map(Some)
                .map_err(|_| "conversion to `i64` for page_size failed".to_string());
            self
        }
        pub fn query_all_modifications<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<bool>,
        {
            self.query_all_modifications = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `bool` for query_all_modifications failed".to_string()
                });
            self
        }
        pub fn to<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::chrono::naive::NaiveDate>,
        {
            self.to = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: chrono :: naive :: NaiveDate` for to failed"
                        .to_string()
                });
            self
        }
        ///Sends a `GET` request to `/report/chat/sessions/{sessionId}`
        pub async fn send(
            self,
        ) -> Result<
            ResponseValue<types::ReportChatMessagesResponse>,
            Error<types::ZoomError>,
        > {
            let Self {
                client,
                session_id,
                from,
                include_bot_message,
                include_custom_emoji_reactions,
                include_fields,
                include_reactions,
                next_page_token,
                page_size,
                query_all_modifications,
                to,
            } = self;
            let session_id = session_id.map_err(Error::InvalidRequest)?;
            let from = from.map_err(Error::InvalidRequest)?;
            let include_bot_message = include_bot_message
                .map_err(Error::InvalidRequest)?;
            let include_custom_emoji_reactions = include_custom_emoji_reactions
                .map_err(Error::InvalidRequest)?;
            let include_fields = include_fields.map_err(Error::InvalidRequest)?;
            let include_reactions = include_reactions.map_err(Error::InvalidRequest)?;
            let next_page_token = next_page_token.map_err(Error::InvalidRequest)?;
            let page_size = page_size.map_err(Error::InvalidRequest)?;
            let query_all_modifications = query_all_modifications
                .map_err(Error::InvalidRequest)?;
            let to = to.map_err(Error::InvalidRequest)?;
            let url = format!(
                "{}/report/chat/sessions/{}", client.baseurl, encode_path(& session_id
                .to_string()),
            );
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .get(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .query(&progenitor_client::QueryParam::new("from", &from))
                .query(
                    &progenitor_client::QueryParam::new(
                        "include_bot_message",
                        &include_bot_message,
                    ),
                )
                .query(
                    &progenitor_client::QueryParam::new(
                        "include_custom_emoji_reactions",
                        &include_custom_emoji_reactions,
                    ),
                )
                .query(
                    &progenitor_client::QueryParam::new(
                        "include_fields",
                        &include_fields,
                    ),
                )
                .query(
                    &progenitor_client::QueryParam::new(
                        "include_reactions",
                        &include_reactions,
                    ),
                )
                .query(
                    &progenitor_client::QueryParam::new(
                        "next_page_token",
                        &next_page_token,
                    ),
                )
                .query(&progenitor_client::QueryParam::new("page_size", &page_size))
                .query(
                    &progenitor_client::QueryParam::new(
                        "query_all_modifications",
                        &query_all_modifications,
                    ),
                )
                .query(&progenitor_client::QueryParam::new("to", &to))
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "report_chat_messages",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                400u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                429u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }
}
/// Items consumers will typically use such as the Client.
pub mod prelude {
    pub use self::super::Client;
}
