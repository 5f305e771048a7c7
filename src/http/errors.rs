//! AppError -> HTTP status and CKAN's error envelope.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, HttpResponseBuilder, ResponseError};
use serde_json::{json, Value};

use crate::error::AppError;

/// The HTTP status CKAN uses for each kind of error.
pub fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::NotFound { .. } => StatusCode::NOT_FOUND,
        AppError::Validation(_) => StatusCode::CONFLICT,
        AppError::NotAuthorized(_) => StatusCode::FORBIDDEN,
        AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
        AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::Timeout(_) => StatusCode::REQUEST_TIMEOUT,
        AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A reply for the error, without its body: the status, `Retry-After` when the client may
/// retry, and a closed connection after a timed-out body (the rest of it is not waited for).
pub fn reply_for(error: &AppError) -> HttpResponseBuilder {
    let mut reply = HttpResponse::build(status_of(error));
    match error {
        AppError::TooManyRequests {
            retry_after_secs, ..
        }
        | AppError::Unavailable {
            retry_after_secs, ..
        } => {
            reply.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        AppError::Timeout(_) => {
            reply.force_close();
        }
        _ => {}
    }
    reply
}

/// CKAN's `error` object: `__type`, `message` (or field -> messages), plus our stable `code`.
pub fn error_object(error: &AppError) -> Value {
    match error {
        AppError::Validation(fields) => {
            let mut object = json!({"__type": "Validation Error", "code": error.code()});
            for (field, messages) in fields {
                object[field] = json!(messages);
            }
            object["message"] = json!(fields
                .iter()
                .map(|(field, messages)| format!("{field}: {}", messages.join("; ")))
                .collect::<Vec<_>>()
                .join(" | "));
            object
        }
        AppError::Internal(cause) => {
            tracing::error!(error = format!("{cause:#}"), "internal error");
            json!({"__type": "Internal Server Error", "code": error.code(),
                   "message": "Lỗi máy chủ, vui lòng thử lại sau / Internal server error, please try again later"})
        }
        other => {
            let kind = match other {
                AppError::NotFound { .. } => "Not Found Error",
                AppError::NotAuthorized(_) => "Authorization Error",
                AppError::TooLarge(_) => "Payload Too Large",
                AppError::Timeout(_) => "Request Timeout",
                AppError::TooManyRequests { .. } => "Too Many Requests",
                AppError::Unavailable { .. } => "Service Unavailable",
                _ => "Bad request",
            };
            json!({"__type": kind, "code": other.code(), "message": other.to_string()})
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        status_of(self)
    }

    fn error_response(&self) -> HttpResponse {
        reply_for(self).json(json!({"success": false, "error": error_object(self)}))
    }
}
