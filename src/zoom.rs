//! What Zoom's documentation and behaviour fix, in one place: URLs, error
//! codes, header names, page maxima and lifetimes. Everything else in the
//! crate is policy built on these.

use std::time::Duration;

/// Zoom's API base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.zoom.us/v2";

/// Zoom's Server-to-Server OAuth token endpoint.
pub const DEFAULT_OAUTH_URL: &str = "https://zoom.us/oauth/token";

/// Zoom error code for invalid fields, an invalid or expired page token, and
/// a report range beyond Zoom's limits.
pub const ZOOM_CODE_INVALID_REQUEST: i64 = 300;

/// Zoom error code for an invalid or expired access token.
pub const ZOOM_CODE_INVALID_ACCESS_TOKEN: i64 = 124;

/// Zoom error codes for an access token without the scope an API needs:
/// 4700 as documented, 4711 as also seen.
pub const ZOOM_CODES_MISSING_SCOPE: [i64; 2] = [4700, 4711];

/// The scope Zoom's chat sessions report needs.
pub const SESSIONS_SCOPE: &str = "report:read:list_chat_sessions:admin";

/// The scope Zoom's chat messages report needs.
pub const MESSAGES_SCOPE: &str = "report:read:chat_session:admin";

/// Zoom's request tracking header.
pub const TRACKING_ID_HEADER: &str = "x-zm-trackingid";

/// The most sessions Zoom returns in one page.
pub const MAX_SESSIONS_PAGE_SIZE: u32 = 300;

/// The most messages Zoom returns in one page.
pub const MAX_MESSAGES_PAGE_SIZE: u32 = 100;

/// How long Zoom honours a `next_page_token`.
pub const PAGE_TOKEN_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// The access token life Zoom documents, for a token response without `expires_in`.
pub(crate) const ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(3599);

/// How a 429 says when to come back: seconds, an HTTP date, or an ISO 8601 time.
pub(crate) const RETRY_AFTER_HEADER: &str = "retry-after";

/// Zoom counts its per-second limits over one second: a refusal says that
/// second is full, and no more.
pub(crate) const RATE_LIMIT_WINDOW: Duration = Duration::from_secs(1);

/// Which limit a 429 is for; a value containing `daily` is the daily quota.
pub(crate) const RATE_LIMIT_TYPE_HEADER: &str = "x-ratelimit-type";

/// The path of the messages report, under the base URL, before the session id.
pub(crate) const MESSAGES_PATH: &str = "/report/chat/sessions/";

/// The operation ids of the two report operations, as the generated client names them.
pub(crate) const OPERATION_SESSIONS: &str = "report_chat_sessions";
/// See [`OPERATION_SESSIONS`].
pub(crate) const OPERATION_MESSAGES: &str = "report_chat_messages";
