//! AppError -> HTTP status and CKAN's error envelope.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
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
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
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
        HttpResponse::build(status_of(self))
            .json(json!({"success": false, "error": error_object(self)}))
    }
}
