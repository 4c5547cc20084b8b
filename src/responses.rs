//! Turning what a generated call returned into what the retry rule judges,
//! and, once it has judged, into this crate's `Error`.
//!
//! progenitor's error keeps less than we promise (a payload that fails to
//! decode loses its status; an undocumented status arrives as a raw
//! response), so what the transport saw of the attempt fills in the rest.

use chrono::{DateTime, Utc};
use progenitor_client::{Error as GeneratedError, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::decision::{Decision, Observed};
use crate::error::{Code300Kind, Error, ServiceError};
use crate::generated::types::ZoomError;
use crate::retry::RateLimitHint;
use crate::zoom::{TRACKING_ID_HEADER, ZOOM_CODE_INVALID_REQUEST};

/// What the transport saw of one attempt's answer, for results that lost it.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    pub status: Option<StatusCode>,
    pub headers: HeaderMap,
}

/// One attempt, sorted.
pub(crate) enum Outcome<T> {
    Success(T),
    /// An answer no retry changes: a bad request, a token that cannot be had, a body that does not decode.
    Final(Error),
    /// For the retry rule to judge.
    Failed(Failure),
}

/// An attempt that failed in a way a retry might fix.
pub(crate) enum Failure {
    Response {
        status: StatusCode,
        headers: HeaderMap,
        code: Option<i64>,
        message: Option<String>,
    },
    Transport(reqwest::Error),
}

impl Failure {
    /// What the retry rule looks at.
    pub fn observed(&self) -> Observed<'_> {
        match self {
            Failure::Response {
                status,
                headers,
                code,
                message,
            } => Observed::Response {
                status: *status,
                headers,
                zoom_code: *code,
                message: message.as_deref(),
            },
            Failure::Transport(error) => Observed::Transport {
                transient: crate::decision::is_transient_error(error),
            },
        }
    }

    /// The error to return after `decision` stopped the call.
    pub fn into_error(self, decision: Decision, attempts: u32, had_page_token: bool, now: DateTime<Utc>) -> Error {
        match self {
            Failure::Transport(source) => Error::Dispatch {
                attempts: attempts.max(1),
                source,
            },
            Failure::Response {
                status,
                headers,
                code,
                message,
            } => {
                let details = ServiceError {
                    status,
                    code,
                    message,
                    tracking_id: tracking_id(&headers),
                };
                if status.as_u16() == 300 || code == Some(ZOOM_CODE_INVALID_REQUEST) {
                    let kind = Code300Kind::classify(details.message.as_deref(), had_page_token);
                    return Error::ZoomCode300 { kind, details };
                }
                if status == StatusCode::TOO_MANY_REQUESTS {
                    let (daily, retry_at) = match decision {
                        Decision::DailyLimit { retry_at } => (true, retry_at),
                        // Only read for the error's `retry_at`: the decision was made.
                        _ => (false, RateLimitHint::from_headers(&headers, now).retry_at),
                    };
                    return Error::RateLimited {
                        daily,
                        retry_at,
                        details,
                    };
                }
                Error::Service { details }
            }
        }
    }
}

/// Sorts what a generated call returned.
pub(crate) async fn classify<T: DeserializeOwned>(
    result: Result<ResponseValue<T>, GeneratedError<ZoomError>>,
    seen: &mut Seen,
    auth_error: Option<Error>,
) -> Outcome<T> {
    let error = match result {
        Ok(value) => return Outcome::Success(value.into_inner()),
        Err(error) => error,
    };
    match error {
        GeneratedError::InvalidRequest(message) => Outcome::Final(Error::InvalidRequest { message }),
        GeneratedError::Custom(message) => Outcome::Final(auth_error.unwrap_or(Error::Auth { message, status: None })),
        GeneratedError::CommunicationError(source)
        | GeneratedError::ResponseBodyError(source)
        | GeneratedError::InvalidUpgrade(source) => Outcome::Failed(Failure::Transport(source)),
        GeneratedError::ErrorResponse(value) => {
            let status = value.status();
            let headers = value.headers().clone();
            let body = value.into_inner();
            Outcome::Failed(Failure::Response {
                status,
                headers,
                code: body.code,
                message: body.message,
            })
        }
        GeneratedError::UnexpectedResponse(response) => {
            let status = response.status();
            let headers = response.headers().clone();
            // The transport has capped this body.
            let body = match response.bytes().await {
                Ok(body) => body,
                Err(source) => return Outcome::Failed(Failure::Transport(source)),
            };
            if status.is_success() {
                return Outcome::Final(decode_error::<T>(status, &body, &headers));
            }
            let parsed: Option<ZoomError> = serde_json::from_slice(&body).ok();
            let (code, message) = parsed.map_or((None, None), |e| (e.code, e.message));
            Outcome::Failed(Failure::Response {
                status,
                headers,
                code,
                message,
            })
        }
        GeneratedError::InvalidResponsePayload(body, _) => {
            let status = seen.status.unwrap_or(StatusCode::OK);
            let headers = std::mem::take(&mut seen.headers);
            if status.is_success() {
                Outcome::Final(decode_error::<T>(status, &body, &headers))
            } else {
                // An error body that is not Zoom's JSON (an HTML page from a proxy): keep the status.
                Outcome::Failed(Failure::Response {
                    status,
                    headers,
                    code: None,
                    message: None,
                })
            }
        }
    }
}

/// Re-decodes a body that failed, to say where: `serde_path_to_error` names
/// the JSON path, serde_json the position. Neither's message is kept, since
/// serde_json quotes the offending value and that value may be chat content.
fn decode_error<T: DeserializeOwned>(status: StatusCode, body: &[u8], headers: &HeaderMap) -> Error {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let error = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => error,
        // The body reads fine, so the status is what the spec does not describe (a 201 or 204 where 200 is documented).
        Ok(_) => {
            return Error::Decode {
                status,
                path: ".".into(),
                line: 0,
                column: 0,
                category: "a success status the spec does not document",
                tracking_id: tracking_id(headers),
            };
        }
    };
    let inner = error.inner();
    Error::Decode {
        status,
        path: error.path().to_string(),
        line: inner.line(),
        column: inner.column(),
        category: match inner.classify() {
            serde_json::error::Category::Io => "io",
            serde_json::error::Category::Syntax => "syntax",
            serde_json::error::Category::Data => "data",
            serde_json::error::Category::Eof => "eof",
        },
        tracking_id: tracking_id(headers),
    }
}

pub(crate) fn tracking_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get(TRACKING_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}
