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
        pub date_time: ::chrono::DateTime<::chrono::offset::Utc>,
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub files: ::std::vec::Vec<ChatMessageFilesItem>,
        pub id: ::std::string::String,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub message: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub reply_main_message_id: ::std::option::Option<::std::string::String>,
        ///When the message this one replies to was sent, in milliseconds since the Unix epoch. Zoom sends it as an integer or as a string of digits.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub reply_main_message_timestamp: ::std::option::Option<
            ChatMessageReplyMainMessageTimestamp,
        >,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub sender: ::std::option::Option<::std::string::String>,
        #[serde(flatten)]
        pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    }
    impl ChatMessage {
        pub fn builder() -> builder::ChatMessage {
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
    ///`ChatSession`
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, PartialEq)]
    pub struct ChatSession {
        pub id: ::std::string::String,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub last_message_sent_time: ::std::option::Option<
            ::chrono::DateTime<::chrono::offset::Utc>,
        >,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
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
            date_time: ::std::result::Result<
                ::chrono::DateTime<::chrono::offset::Utc>,
                ::std::string::String,
            >,
            files: ::std::result::Result<
                ::std::vec::Vec<super::ChatMessageFilesItem>,
                ::std::string::String,
            >,
            id: ::std::result::Result<::std::string::String, ::std::string::String>,
            message: ::std::result::Result<
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
            sender: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
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
                    date_time: Err("no value supplied for date_time".to_string()),
                    files: Ok(Default::default()),
                    id: Err("no value supplied for id".to_string()),
                    message: Ok(Default::default()),
                    reply_main_message_id: Ok(Default::default()),
                    reply_main_message_timestamp: Ok(Default::default()),
                    sender: Ok(Default::default()),
                    extra: Err("no value supplied for extra".to_string()),
                }
            }
        }
        impl ChatMessage {
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
                    date_time: value.date_time?,
                    files: value.files?,
                    id: value.id?,
                    message: value.message?,
                    reply_main_message_id: value.reply_main_message_id?,
                    reply_main_message_timestamp: value.reply_main_message_timestamp?,
                    sender: value.sender?,
                    extra: value.extra?,
                })
            }
        }
        impl ::std::convert::From<super::ChatMessage> for ChatMessage {
            fn from(value: super::ChatMessage) -> Self {
                Self {
                    date_time: Ok(value.date_time),
                    files: Ok(value.files),
                    id: Ok(value.id),
                    message: Ok(value.message),
                    reply_main_message_id: Ok(value.reply_main_message_id),
                    reply_main_message_timestamp: Ok(value.reply_main_message_timestamp),
                    sender: Ok(value.sender),
                    extra: Ok(value.extra),
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
        #[derive(Clone)]
        pub struct ChatSession {
            id: ::std::result::Result<::std::string::String, ::std::string::String>,
            last_message_sent_time: ::std::result::Result<
                ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
                ::std::string::String,
            >,
            name: ::std::result::Result<
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
                    id: Err("no value supplied for id".to_string()),
                    last_message_sent_time: Ok(Default::default()),
                    name: Ok(Default::default()),
                    type_: Err("no value supplied for type_".to_string()),
                    extra: Err("no value supplied for extra".to_string()),
                }
            }
        }
        impl ChatSession {
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
                    id: value.id?,
                    last_message_sent_time: value.last_message_sent_time?,
                    name: value.name?,
                    type_: value.type_?,
                    extra: value.extra?,
                })
            }
        }
        impl ::std::convert::From<super::ChatSession> for ChatSession {
            fn from(value: super::ChatSession) -> Self {
                Self {
                    id: Ok(value.id),
                    last_message_sent_time: Ok(value.last_message_sent_time),
                    name: Ok(value.name),
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
/**Client for Zoom API: chat reports

The two chat report requests of Zoom's API, as exported by Zoom's Postman collection. Items are kept exactly as exported; see spec/corrections.json for what the SDK corrects.

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

Use this API to get Zoom Chat session reports for a specified period of time. The monthly date range **must** be within the last six months.

**Scopes:** `report_chat:read:admin`<br>**[Rate Limit Label](https://marketplace.zoom.us/docs/api-reference/rate-limits#rate-limits):** `Heavy`

**Prerequisites:**
* A Pro or higher plan
* Report chat permissions.

Sends a `GET` request to `/report/chat/sessions`

Arguments:
- `from`: Start date in 'yyyy-mm-dd' format. The date range defined by the "from" and "to" parameters should only be one month as the report includes only one month worth of data at once.
- `next_page_token`: The next page token is used to paginate through large result sets. A next page token will be returned whenever the set of available results exceeds the current page size. The expiration period for this token is 15 minutes.
- `page_size`: The number of records returned within a single API call.
- `to`: End date.
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
    /**Get chat messages reports

Use this API to get Zoom Chat message reports for a specified period of time. The monthly date range must be within the last six months.

**Scopes:** `report_chat:read:admin`<br>**[Rate Limit Label](https://marketplace.zoom.us/docs/api-reference/rate-limits#rate-limits):** `Medium`

**Prerequisites:**
* A Pro or higher plan
* Report chat permissions

Sends a `GET` request to `/report/chat/sessions/{sessionId}`

Arguments:
- `session_id`: Chat session ID.
- `from`: Start date in 'yyyy-mm-dd' format. The date range defined by the "from" and "to" parameters should only be one month as the report includes only one month worth of data at once.
- `include_fields`: Return all edited and deleted messages. The API only returns this value if the `include_fields` query parameter contains the `edited_messages` and/or the `deleted_messages` values.

To include **both** edited and deleted messages, comma-separate both values.
- `next_page_token`: The next page token is used to paginate through large result sets. A next page token will be returned whenever the set of available results exceeds the current page size. The expiration period for this token is 15 minutes.
- `page_size`: The number of records returned within a single API call.
- `to`: End date.
```ignore
let response = client.report_chat_messages()
    .session_id(session_id)
    .from(from)
    .include_fields(include_fields)
    .next_page_token(next_page_token)
    .page_size(page_size)
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
        include_fields: Result<Option<::std::string::String>, String>,
        next_page_token: Result<Option<::std::string::String>, String>,
        page_size: Result<Option<i64>, String>,
        to: Result<::chrono::naive::NaiveDate, String>,
    }
    impl<'a> ReportChatMessages<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                session_id: Err("session_id was not initialized".to_string()),
                from: Err("from was not initialized".to_string()),
                include_fields: Ok(None),
                next_page_token: Ok(None),
                page_size: Ok(None),
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
                include_fields,
                next_page_token,
                page_size,
                to,
            } = self;
            let session_id = session_id.map_err(Error::InvalidRequest)?;
            let from = from.map_err(Error::InvalidRequest)?;
            let include_fields = include_fields.map_err(Error::InvalidRequest)?;
            let next_page_token = next_page_token.map_err(Error::InvalidRequest)?;
            let page_size = page_size.map_err(Error::InvalidRequest)?;
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
                        "include_fields",
                        &include_fields,
                    ),
                )
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
