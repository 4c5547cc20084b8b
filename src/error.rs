//! The crate's one error type.
//!
//! Every variant that comes from a response keeps the HTTP status, and Zoom's
//! `code`, `message` and `x-zm-trackingid` when it sent them. Messages never
//! echo chat content or credentials: a body that fails to decode is described
//! by its JSON path and position, never by its text.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;

use crate::windows::{DateWindow, RangeError};
use crate::zoom::ZOOM_CODE_INVALID_REQUEST;

/// What went wrong, from building a request to decoding its answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The caller's arguments cannot make a valid request. Nothing was sent.
    #[error("invalid request: {message}")]
    InvalidRequest {
        /// What is wrong with the arguments.
        message: String,
    },

    /// The client's configuration is invalid: a bad URL, missing
    /// credentials, an HTTP client that cannot be built. Found by
    /// [`crate::ClientBuilder::build`], before any request.
    #[error("invalid client configuration: {message}")]
    InvalidConfig {
        /// What is wrong with the configuration.
        message: String,
    },

    /// The date range cannot be reported by Zoom. Nothing was sent.
    #[error(transparent)]
    InvalidRange(#[from] RangeError),

    /// Zoom error code 300, sent as HTTP 400 with `{"code": 300}` or, as
    /// the Postman exports document it, as HTTP 300.
    ///
    /// The streams leave little of it to a caller: a range Zoom cannot
    /// report is refused before any request ([`Error::InvalidRange`]), and an
    /// expired page token starts the window over inside the stream. A caller
    /// still sees it when Zoom refuses a range the client's check let
    /// through (the client's clock is wrong, or Zoom counts its six months a
    /// day shorter at the edge), when a window's restarts pass
    /// [`crate::ClientBuilder::max_window_restarts`], and from the raw calls
    /// of [`crate::Client::generated`], which recover nothing.
    #[error("{kind} (Zoom code 300, {details})")]
    ZoomCode300 {
        /// Which of the problems code 300 covers this is.
        kind: Code300Kind,
        /// Status, message and tracking id.
        details: ServiceError,
    },

    /// HTTP 429: the daily limit, which is never waited out, or the
    /// per-second limit refusing one call for longer than
    /// [`crate::retry::RetryPolicy::max_throttled_time`]. The per-second
    /// limit is the account's, shared by every app on it: when this happens,
    /// other apps are using most of it.
    #[error("{}: {details}", if *daily {
        "rate limited (the account's daily limit)"
    } else {
        "rate limited (the account's per-second limit, which every app on the account shares, kept refusing this request)"
    })]
    RateLimited {
        /// Whether this is the daily quota (`X-RateLimit-Type: Daily`, or a wait longer than the client allows).
        daily: bool,
        /// When Zoom says requests may resume, if it said.
        retry_at: Option<DateTime<Utc>>,
        /// Status, code, message and tracking id.
        details: ServiceError,
    },

    /// Any other error response from Zoom.
    #[error("Zoom answered {details}")]
    Service {
        /// Status, code, message and tracking id.
        details: ServiceError,
    },

    /// The request could not be sent or its answer not received: connection
    /// refused or reset, a timeout, a truncated body. Retries were exhausted.
    #[error("request failed after {attempts} attempt(s): {}", with_causes(source))]
    Dispatch {
        /// How many times the request was sent.
        attempts: u32,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },

    /// A response arrived but its body is not what the spec says.
    #[error("cannot decode the {status} response at `{path}` (line {line}, column {column}): {category}")]
    Decode {
        /// The response's HTTP status.
        status: StatusCode,
        /// The JSON path where decoding failed, such as `messages[3].date_time`.
        path: String,
        /// Line in the body.
        line: usize,
        /// Column in the body.
        column: usize,
        /// `syntax`, `data` (wrong type or value) or `eof` (truncated); the
        /// body text is left out on purpose, since it may be chat content.
        category: &'static str,
        /// Zoom's `x-zm-trackingid`, if sent.
        tracking_id: Option<String>,
    },

    /// A reply body was larger than the cap set with
    /// [`crate::ClientBuilder::max_response_bytes`]. It was not read past the
    /// cap, and it is not retried: a broken proxy sends the same again.
    #[error("the {operation} response is larger than the {limit}-byte cap (HTTP {status}, at least {size} bytes)")]
    ResponseTooLarge {
        /// The operation whose reply it was, such as `report_chat_messages`.
        operation: &'static str,
        /// The response's HTTP status.
        status: StatusCode,
        /// The declared `Content-Length`, or the bytes received when the cap was passed.
        size: u64,
        /// The cap.
        limit: u64,
    },

    /// Zoom sent a page token it had already sent in this pass: following it would loop.
    #[error("Zoom repeated a page token after {pages} page(s); stopping instead of looping")]
    RepeatedPageToken {
        /// Pages fetched before the repeat.
        pages: usize,
    },

    /// Zoom kept sending new page tokens with pages that brought nothing new
    /// (empty, or only items already yielded, as from a server that ignores
    /// `next_page_token`): following them would never end.
    #[error("Zoom sent {pages} pages in a row with nothing new, each with a new page token; stopping")]
    EndlessEmptyPages {
        /// Pages in a row that brought nothing new.
        pages: usize,
    },

    /// Getting an access token failed.
    #[error("authentication failed: {message}")]
    Auth {
        /// What went wrong, without the credentials, with its causes
        /// ("cannot reach the token endpoint: ... connection refused").
        message: String,
        /// The token endpoint's status, if it answered.
        status: Option<StatusCode>,
    },

    /// An error of a report stream, with where it happened: the month
    /// window and, for a messages report, the session. Every error a stream
    /// yields about one of its requests (the request, its token, its answer,
    /// or the paging) comes this way; only a range refused before any
    /// request does not. Its message names the session and window, then the
    /// error, which is also its `source()`: a report that prints both shows
    /// the error twice. The
    /// predicates ([`Error::is_daily_limit`], [`Error::is_retryable`], ...)
    /// and accessors ([`Error::status`], ...) look through it, and
    /// [`Error::root`] gives the error itself, to match on.
    #[error("{}{}: {source}", session_id.as_deref().map(|id| format!("session {id}, ")).unwrap_or_default(), window)]
    InReport {
        /// The session whose messages report failed; `None` for the sessions report.
        session_id: Option<Arc<str>>,
        /// The month window of the request.
        window: DateWindow,
        /// What went wrong.
        #[source]
        source: Box<Error>,
    },
}

impl Error {
    /// The error itself, without the report it happened in
    /// ([`Error::InReport`]): what to match variants on.
    ///
    /// ```
    /// # fn example(error: zoom_chat_reports::Error) {
    /// use zoom_chat_reports::Error;
    /// match error.root() {
    ///     Error::Decode { path, .. } => eprintln!("Zoom sent what the spec does not allow at {path}"),
    ///     other => eprintln!("{other}"),
    /// }
    /// # }
    /// ```
    pub fn root(&self) -> &Error {
        match self {
            Error::InReport { source, .. } => source.root(),
            other => other,
        }
    }

    /// The session whose messages report this error happened in, if it
    /// happened in one (see [`Error::InReport`]).
    pub fn session_id(&self) -> Option<&str> {
        match self {
            Error::InReport { session_id, source, .. } => session_id.as_deref().or_else(|| source.session_id()),
            _ => None,
        }
    }

    /// The month window of the report request this error happened in, if any.
    pub fn window(&self) -> Option<DateWindow> {
        match self {
            Error::InReport { window, .. } => Some(*window),
            _ => None,
        }
    }

    /// Whether this is Zoom's daily limit: requests resume only when it
    /// resets ([`Error::daily_limit_reset`], when Zoom said when). Stop,
    /// and resume then.
    pub fn is_daily_limit(&self) -> bool {
        matches!(self.root(), Error::RateLimited { daily: true, .. })
    }

    /// Whether Zoom refused for its rate limit: the daily one, or the
    /// per-second one for longer than [`crate::retry::RetryPolicy::max_throttled_time`]
    /// (other apps on the account use most of it).
    pub fn is_rate_limited(&self) -> bool {
        matches!(self.root(), Error::RateLimited { .. })
    }

    /// Whether no access token could be had: credentials refused, or the
    /// token endpoint unreachable. No other request can succeed either.
    pub fn is_auth(&self) -> bool {
        matches!(self.root(), Error::Auth { .. })
    }

    /// The HTTP status of the response this error came from, if any.
    pub fn status(&self) -> Option<StatusCode> {
        match self.root() {
            Error::ZoomCode300 { details, .. } | Error::RateLimited { details, .. } | Error::Service { details } => {
                Some(details.status)
            }
            Error::Decode { status, .. } | Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Dispatch { source, .. } => source.status(),
            Error::Auth { status, .. } => *status,
            Error::InvalidRequest { .. }
            | Error::InvalidConfig { .. }
            | Error::InvalidRange(_)
            | Error::RepeatedPageToken { .. }
            | Error::EndlessEmptyPages { .. }
            // Looked through by `root`.
            | Error::InReport { .. } => None,
        }
    }

    /// Zoom's own error code (`300`, `124`, ...), if the body carried one.
    pub fn zoom_code(&self) -> Option<i64> {
        match self.root() {
            Error::ZoomCode300 { .. } => Some(ZOOM_CODE_INVALID_REQUEST),
            Error::RateLimited { details, .. } | Error::Service { details } => details.code,
            _ => None,
        }
    }

    /// Zoom's `x-zm-trackingid`, to quote when asking Zoom support about a request.
    pub fn tracking_id(&self) -> Option<&str> {
        match self.root() {
            Error::ZoomCode300 { details, .. } | Error::RateLimited { details, .. } | Error::Service { details } => {
                details.tracking_id.as_deref()
            }
            Error::Decode { tracking_id, .. } => tracking_id.as_deref(),
            _ => None,
        }
    }

    /// Whether the same request may succeed later. The client has already
    /// retried these as far as its policy allows; this tells a caller whether
    /// resuming later (say, after a daily limit resets) is worth it.
    pub fn is_retryable(&self) -> bool {
        match self.root() {
            Error::Dispatch { .. } => true,
            Error::RateLimited { .. } => true,
            Error::Service { details } => crate::decision::is_transient_status(details.status),
            // An expired page token is recovered by restarting the window, not by resending.
            Error::InvalidRequest { .. }
            | Error::InvalidConfig { .. }
            | Error::InvalidRange(_)
            | Error::ZoomCode300 { .. }
            | Error::Decode { .. }
            | Error::ResponseTooLarge { .. }
            | Error::RepeatedPageToken { .. }
            | Error::EndlessEmptyPages { .. }
            | Error::Auth { .. }
            | Error::InReport { .. } => false,
        }
    }

    /// Whether this error is the failure of the one report it came from,
    /// not of the account, the network or the caller: Zoom answered 5xx or
    /// 408 after every retry, 404 (a session listed by its report, gone
    /// since), or an answer that cannot be read or never ends. Zoom
    /// sometimes cannot serve one session while the rest of the account
    /// answers: other sessions are then still worth fetching, as
    /// [`crate::AllMessagesRequest::outcomes`] does. Authentication, the
    /// daily limit, a network that reaches nothing and invalid arguments are
    /// not isolated: they would fail every other request too.
    pub fn is_isolated_failure(&self) -> bool {
        match self.root() {
            Error::Service { details } => self.is_not_found() || crate::decision::is_transient_status(details.status),
            Error::Decode { .. }
            | Error::ResponseTooLarge { .. }
            | Error::RepeatedPageToken { .. }
            | Error::EndlessEmptyPages { .. } => true,
            Error::InvalidRequest { .. }
            | Error::InvalidConfig { .. }
            | Error::InvalidRange(_)
            | Error::ZoomCode300 { .. }
            | Error::RateLimited { .. }
            | Error::Dispatch { .. }
            | Error::Auth { .. }
            | Error::InReport { .. } => false,
        }
    }

    /// Whether Zoom said the resource does not exist (HTTP 404): for a
    /// messages report, a session deleted after the sessions report listed it.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(reqwest::StatusCode::NOT_FOUND)
    }

    /// Whether this is code 300 for an invalid or expired page token.
    pub fn is_page_token_expired(&self) -> bool {
        matches!(
            self.root(),
            Error::ZoomCode300 {
                kind: Code300Kind::PageTokenInvalidOrExpired,
                ..
            }
        )
    }

    /// For a daily rate limit, when Zoom says requests may resume.
    pub fn daily_limit_reset(&self) -> Option<DateTime<Utc>> {
        match self.root() {
            Error::RateLimited {
                daily: true, retry_at, ..
            } => *retry_at,
            _ => None,
        }
    }
}

/// The details of an error response: never the body text, which may hold chat content.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceError {
    /// The HTTP status.
    pub status: StatusCode,
    /// Zoom's error code from the body, if it sent one.
    pub code: Option<i64>,
    /// Zoom's error message from the body, if it sent one.
    pub message: Option<String>,
    /// Zoom's `x-zm-trackingid` header, if sent.
    pub tracking_id: Option<String>,
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status.as_u16())?;
        if let Some(code) = self.code {
            write!(f, ", code {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(id) = &self.tracking_id {
            write!(f, " [tracking id {id}]")?;
        }
        Ok(())
    }
}

/// The problems Zoom reports with error code 300 on the report endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Code300Kind {
    /// The `next_page_token` is invalid or has expired (tokens live 15 minutes).
    PageTokenInvalidOrExpired,
    /// The range is longer than a month or older than six months.
    RangeExceedsLimit,
    /// Code 300 for a reason we could not tell apart.
    Unknown,
}

impl Code300Kind {
    /// Tells the kinds apart by Zoom's message; without a telling message, a
    /// request that carried a page token is taken to have failed on it, since
    /// the range of a follow-up page already passed on the first page.
    pub(crate) fn classify(message: Option<&str>, request_had_page_token: bool) -> Self {
        let message = message.unwrap_or_default().to_ascii_lowercase();
        if message.contains("token") {
            Code300Kind::PageTokenInvalidOrExpired
        } else if ["month", "range", "date", "limit", "from", "to "]
            .iter()
            .any(|w| message.contains(w))
        {
            Code300Kind::RangeExceedsLimit
        } else if request_had_page_token {
            Code300Kind::PageTokenInvalidOrExpired
        } else {
            Code300Kind::Unknown
        }
    }
}

impl fmt::Display for Code300Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Code300Kind::PageTokenInvalidOrExpired => "the page token is invalid or has expired",
            Code300Kind::RangeExceedsLimit => "the report range exceeds Zoom's limit",
            Code300Kind::Unknown => "Zoom rejected the request",
        })
    }
}

/// An error and its causes, `: `-separated. reqwest's own message only says
/// "error sending request for url (...)"; the cause says what happened
/// (connection refused, timed out, a certificate error).
pub(crate) fn with_causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        let inner_text = inner.to_string();
        if !text.contains(&inner_text) {
            text.push_str(": ");
            text.push_str(&inner_text);
        }
        cause = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_300_kinds() {
        use Code300Kind::*;
        assert_eq!(
            Code300Kind::classify(Some("The next page token is either invalid or has expired."), false),
            PageTokenInvalidOrExpired
        );
        assert_eq!(
            Code300Kind::classify(Some("Report requested exceeds 6 month limit."), true),
            RangeExceedsLimit
        );
        assert_eq!(
            Code300Kind::classify(Some("The date range must be within one month."), false),
            RangeExceedsLimit
        );
        assert_eq!(Code300Kind::classify(None, true), PageTokenInvalidOrExpired);
        assert_eq!(Code300Kind::classify(Some(""), false), Unknown);
        assert_eq!(Code300Kind::classify(Some("Validation Failed."), false), Unknown);
    }
}
