#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Handwritten layer. The generated client lives only in `generated`.
mod auth;
mod client;
mod error;
pub mod export;
pub mod generated;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod pagination;
mod requests;
mod responses;
pub mod retry;
pub mod runtime;
mod source;
mod streams;
mod transport;
pub mod windows;

pub use auth::{Credentials, DEFAULT_OAUTH_URL};
pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, MAX_MESSAGES_PAGE_SIZE, MAX_SESSIONS_PAGE_SIZE, PAGE_TOKEN_LIFETIME,
    ZoomPlan,
};
pub use error::{
    Code300Kind, Error, RangeError, ServiceError, ZOOM_CODE_INVALID_ACCESS_TOKEN, ZOOM_CODE_INVALID_REQUEST,
};
pub use generated::types;
pub use pagination::{Include, MessageItem, MessageKind, Page};
pub use requests::{AllMessagesRequest, MessagesRequest, SessionsRequest};
pub use responses::TRACKING_ID_HEADER;
pub use source::{Source, SourceAccount};
pub use streams::{Items, Pages};
pub use transport::{Transport, TransportStats};
pub use windows::DateWindow;
