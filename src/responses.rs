//! Turning what a generated call returned into this crate's `Result`.
//!
//! progenitor's error keeps less than we promise (a payload that fails to
//! decode loses its status; an undocumented status arrives as a raw
//! response), so the [`CallRecord`] of the call fills in the rest.

use progenitor_client::{Error as GeneratedError, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{Code300Kind, Error, ServiceError, ZOOM_CODE_INVALID_REQUEST};
use crate::generated::types::ZoomError;
use crate::retry::{RateLimitHint, RetryPolicy};
use crate::runtime::Clock;
use crate::transport::CallRecord;

/// Zoom's request tracking header.
pub const TRACKING_ID_HEADER: &str = "x-zm-trackingid";

/// What the conversion needs besides the result itself.
pub(crate) struct CallContext<'a> {
    pub record: CallRecord,
    pub had_page_token: bool,
    pub clock: &'a dyn Clock,
    pub retry: &'a RetryPolicy,
}

pub(crate) async fn into_result<T: DeserializeOwned>(
    result: Result<ResponseValue<T>, GeneratedError<ZoomError>>,
    mut context: CallContext<'_>,
) -> Result<T, Error> {
    let error = match result {
        Ok(value) => return Ok(value.into_inner()),
        Err(error) => error,
    };
    let record = &mut context.record;
    match error {
        GeneratedError::InvalidRequest(message) => Err(Error::InvalidRequest { message }),
        GeneratedError::Custom(message) => Err(record
            .auth_error
            .take()
            .unwrap_or(Error::Auth { message, status: None })),
        GeneratedError::CommunicationError(source)
        | GeneratedError::ResponseBodyError(source)
        | GeneratedError::InvalidUpgrade(source) => Err(Error::Dispatch {
            attempts: record.attempts.max(1),
            source,
        }),
        GeneratedError::ErrorResponse(value) => {
            let status = value.status();
            let headers = value.headers().clone();
            let body = value.into_inner();
            Err(service_error(status, &headers, body.code, body.message, &context))
        }
        GeneratedError::UnexpectedResponse(response) => {
            let status = response.status();
            let headers = response.headers().clone();
            let body = match response.bytes().await {
                Ok(body) => body,
                Err(source) => {
                    return Err(Error::Dispatch {
                        attempts: record.attempts.max(1),
                        source,
                    });
                }
            };
            if status.is_success() {
                return Err(decode_error::<T>(status, &body, &headers));
            }
            let parsed: Option<ZoomError> = serde_json::from_slice(&body).ok();
            let (code, message) = parsed.map_or((None, None), |e| (e.code, e.message));
            Err(service_error(status, &headers, code, message, &context))
        }
        GeneratedError::InvalidResponsePayload(body, _) => {
            let status = record.status.unwrap_or(StatusCode::OK);
            let headers = std::mem::take(&mut record.headers);
            if status.is_success() {
                Err(decode_error::<T>(status, &body, &headers))
            } else {
                // An error body that is not Zoom's JSON (an HTML page from a proxy): keep the status.
                Err(service_error(status, &headers, None, None, &context))
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

fn tracking_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get(TRACKING_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn service_error(
    status: StatusCode,
    headers: &HeaderMap,
    code: Option<i64>,
    message: Option<String>,
    context: &CallContext<'_>,
) -> Error {
    let details = ServiceError {
        status,
        code,
        message,
        tracking_id: tracking_id(headers),
    };
    if status.as_u16() == 300 || code == Some(ZOOM_CODE_INVALID_REQUEST) {
        let kind = Code300Kind::classify(details.message.as_deref(), context.had_page_token);
        return Error::ZoomCode300 { kind, details };
    }
    if status == StatusCode::TOO_MANY_REQUESTS {
        let hint = RateLimitHint::from_headers(headers, context.clock.now());
        let says_daily = details
            .message
            .as_deref()
            .is_some_and(|m| m.to_ascii_lowercase().contains("daily"));
        let too_long = hint.wait.is_some_and(|w| w > context.retry.max_rate_limit_wait);
        return Error::RateLimited {
            daily: hint.daily || says_daily || too_long,
            retry_at: hint.retry_at,
            details,
        };
    }
    Error::Service { details }
}
