#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Handwritten layer. The generated client lives only in `generated`.
mod auth;
mod body;
mod client;
mod decision;
mod download;
mod error;
pub mod generated;
mod include;
mod latest;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod pagination;
mod path;
mod rate;
mod requests;
mod responses;
pub mod retry;
pub mod runtime;
mod source;
mod streams;
mod tls;
mod transport;
pub mod windows;
mod zoom;

pub use auth::Credentials;
/// The date and time types the API takes and gives (`NaiveDate` ranges,
/// `DateTime<Utc>` fields), as this crate uses them: no need to depend on
/// chrono at the same version.
pub use chrono;
pub use client::{Client, ClientBuilder, ZoomPlan};
pub use download::{Download, DownloadError, DownloadRequest};
pub use error::{Code300Kind, Error, ServiceError};
pub use generated::types;
pub use include::Include;
pub use pagination::{MessageEvent, MessageItem, MessageKind, MessageOutcome, Page, SessionFailure};
pub use requests::{AllMessagesRequest, MessagesRequest, SessionsRequest};
pub use source::{Source, SourceAccount};
pub use streams::{Items, Pages};
pub use transport::{Transport, TransportStats};
pub use windows::{DateWindow, RangeError};
pub use zoom::{
    DEFAULT_BASE_URL, DEFAULT_OAUTH_URL, MAX_MESSAGES_PAGE_SIZE, MAX_SESSIONS_PAGE_SIZE, MESSAGES_SCOPE,
    PAGE_TOKEN_LIFETIME, SESSIONS_SCOPE, TRACKING_ID_HEADER, ZOOM_CODE_INVALID_ACCESS_TOKEN, ZOOM_CODE_INVALID_REQUEST,
    ZOOM_CODES_MISSING_SCOPE,
};
