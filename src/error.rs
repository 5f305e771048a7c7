//! One error type for the whole portal, with stable snake_case codes. No HTTP types here: the
//! http layer maps each variant to a status and CKAN's error envelope.

use std::collections::BTreeMap;

/// Field name -> messages, as CKAN's "Validation Error" reports them.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// Everything that can go wrong in an action.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The object asked for does not exist (or the caller may not know it exists).
    #[error("{message}")]
    NotFound {
        /// Stable code such as `dataset_not_found`.
        code: &'static str,
        /// Bilingual message naming the object.
        message: String,
    },
    /// Input failed validation; one or more messages per field.
    #[error("validation failed: {0:?}")]
    Validation(FieldErrors),
    /// The caller is not allowed to do this.
    #[error("{0}")]
    NotAuthorized(String),
    /// The request itself cannot be read (malformed JSON, unknown action, wrong method).
    #[error("{message}")]
    BadRequest {
        /// Stable code such as `malformed_json`.
        code: &'static str,
        /// Bilingual message naming the problem.
        message: String,
    },
    /// A body or upload exceeds a configured limit.
    #[error("{0}")]
    TooLarge(String),
    /// The client took too long to send its request (a body that stalls or trickles).
    #[error("{0}")]
    Timeout(String),
    /// Too many calls from one client in a short time; retry after this many seconds.
    #[error("{message}")]
    TooManyRequests {
        /// Seconds until a call will be accepted again.
        retry_after_secs: u64,
        /// Bilingual message saying so.
        message: String,
    },
    /// A part of the portal is not ready yet (the search index being built); retry later.
    #[error("{message}")]
    Unavailable {
        /// Stable code such as `search_index_rebuilding`.
        code: &'static str,
        /// Seconds after which a retry is likely to succeed.
        retry_after_secs: u64,
        /// Bilingual message saying so.
        message: String,
    },
    /// A fault of ours or of the machine: logged, never shown in detail.
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound { code, .. }
            | AppError::BadRequest { code, .. }
            | AppError::Unavailable { code, .. } => code,
            AppError::Validation(_) => "validation_error",
            AppError::NotAuthorized(_) => "not_authorized",
            AppError::TooLarge(_) => "payload_too_large",
            AppError::Timeout(_) => "request_timeout",
            AppError::TooManyRequests { .. } => "rate_limited",
            AppError::Internal(_) => "internal_error",
        }
    }

    /// A validation error on one field.
    pub fn field(field: &str, message: impl Into<String>) -> AppError {
        let mut errors = FieldErrors::new();
        errors.insert(field.to_owned(), vec![message.into()]);
        AppError::Validation(errors)
    }

    /// A not-found error with a stable code and a bilingual message.
    pub fn not_found(code: &'static str, what_vi: &str, what_en: &str, id: &str) -> AppError {
        AppError::NotFound {
            code,
            message: format!("Không tìm thấy {what_vi} \"{id}\" / {what_en} not found: \"{id}\""),
        }
    }

    /// A request that cannot be read.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::BadRequest {
            code,
            message: message.into(),
        }
    }

    /// The generic "you may not do this" error.
    pub fn forbidden(action_vi: &str, action_en: &str) -> AppError {
        AppError::NotAuthorized(format!(
            "Bạn không có quyền {action_vi} / You are not authorized to {action_en}"
        ))
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => AppError::NotFound {
                code: "not_found",
                message: "Không tìm thấy / Not found".to_owned(),
            },
            // Two writers raced for the same unique name: report it like any taken name. The
            // database's own text names tables and constraints: it is never sent.
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => AppError::field(
                "name",
                "Giá trị này đã được sử dụng / That value is already in use",
            ),
            other => AppError::Internal(anyhow::Error::new(other).context("database query")),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        AppError::Internal(anyhow::Error::new(error).context("database connection pool"))
    }
}

/// Result of an action.
pub type AppResult<T> = Result<T, AppError>;
