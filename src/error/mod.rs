//! One error type for the whole portal. The domain says what went wrong as a stable code from
//! the catalogue (`codes.rs`) with its arguments, never as text; the edge renders the message
//! in the caller's language (`render.rs`). No HTTP types here.

#[cfg(test)]
mod catalogue_tests;
pub mod codes;
mod render;

use std::collections::BTreeMap;

pub use codes::{
    CatalogueStep, CkanType, Cutoff, ErrorCode, FieldCode, Forbidden, Oversize, PrivacyGate,
};
pub use render::{bilingual, message, render, Lang, RenderedError};

/// The value of one message argument.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    /// Text shown as it is (a name, an id, a parser's detail).
    Text(String),
    /// A number (plural forms and digits are the message's business).
    Number(i64),
    /// The key of a choice the message selects its wording on (see `codes::Forbidden`).
    Choice(&'static str),
}

impl From<&str> for ArgValue {
    fn from(text: &str) -> Self {
        ArgValue::Text(text.to_owned())
    }
}

impl From<String> for ArgValue {
    fn from(text: String) -> Self {
        ArgValue::Text(text)
    }
}

impl From<&String> for ArgValue {
    fn from(text: &String) -> Self {
        ArgValue::Text(text.clone())
    }
}

impl From<i64> for ArgValue {
    fn from(number: i64) -> Self {
        ArgValue::Number(number)
    }
}

impl From<u64> for ArgValue {
    fn from(number: u64) -> Self {
        ArgValue::Number(i64::try_from(number).unwrap_or(i64::MAX))
    }
}

impl From<usize> for ArgValue {
    fn from(number: usize) -> Self {
        ArgValue::Number(i64::try_from(number).unwrap_or(i64::MAX))
    }
}

impl From<u32> for ArgValue {
    fn from(number: u32) -> Self {
        ArgValue::Number(i64::from(number))
    }
}

/// A message's arguments, in the order given.
pub type Args = Vec<(&'static str, ArgValue)>;

/// A refusal the client can act on: a catalogued code and its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// What went wrong.
    pub code: ErrorCode,
    /// The values its message names.
    pub args: Args,
    /// Seconds after which a retry may succeed (sent as `Retry-After`).
    pub retry_after_secs: Option<u64>,
    /// Structured facts the client acts on, put beside the message in the error object
    /// (`privacy_review_required` lists its findings here); language-neutral.
    pub details: Option<serde_json::Map<String, serde_json::Value>>,
}

/// One message about a field: a catalogued field code and its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldMessage {
    /// What is wrong with the field.
    pub code: FieldCode,
    /// The values its message names.
    pub args: Args,
}

impl FieldMessage {
    /// Adds an argument of the message.
    pub fn arg(mut self, name: &'static str, value: impl Into<ArgValue>) -> FieldMessage {
        debug_assert!(
            self.code.line().args.iter().any(|spec| spec.name == name),
            "{} declares no argument {name}",
            self.code.as_str()
        );
        self.args.push((name, value.into()));
        self
    }
}

impl From<FieldCode> for FieldMessage {
    fn from(code: FieldCode) -> Self {
        FieldMessage {
            code,
            args: Vec::new(),
        }
    }
}

impl FieldCode {
    /// This message with its first argument.
    pub fn arg(self, name: &'static str, value: impl Into<ArgValue>) -> FieldMessage {
        FieldMessage::from(self).arg(name, value)
    }
}

/// Field name -> messages, as CKAN's "Validation Error" reports them.
pub type FieldErrors = BTreeMap<String, Vec<FieldMessage>>;

/// Everything that can go wrong in an action.
#[derive(Debug)]
pub enum AppError {
    /// A refusal with a code from the catalogue (not found, not authorised, bad request...).
    Refused(Refusal),
    /// Input failed validation; one or more messages per field.
    Validation(FieldErrors),
    /// A fault of ours or of the machine: logged with its causes, never shown in detail.
    Internal(anyhow::Error),
}

impl AppError {
    /// A refusal with this code; its arguments follow with [`AppError::arg`].
    pub fn new(code: ErrorCode) -> AppError {
        AppError::Refused(Refusal {
            code,
            args: Vec::new(),
            retry_after_secs: None,
            details: None,
        })
    }

    /// Adds an argument to a refusal's message (other errors take none).
    pub fn arg(mut self, name: &'static str, value: impl Into<ArgValue>) -> AppError {
        if let AppError::Refused(refusal) = &mut self {
            debug_assert!(
                refusal
                    .code
                    .line()
                    .args
                    .iter()
                    .any(|spec| spec.name == name),
                "{} declares no argument {name}",
                refusal.code.as_str()
            );
            refusal.args.push((name, value.into()));
        }
        self
    }

    /// Tells the client when to retry (a refusal's `Retry-After`).
    pub fn retry_after(mut self, seconds: u64) -> AppError {
        if let AppError::Refused(refusal) = &mut self {
            refusal.retry_after_secs = Some(seconds);
        }
        self
    }

    /// The object `id` asked for does not exist (or the caller may not know it does).
    pub fn not_found(code: ErrorCode, id: &str) -> AppError {
        AppError::new(code).arg("id", id)
    }

    /// The caller may not do this.
    pub fn forbidden(what: Forbidden) -> AppError {
        AppError::new(ErrorCode::NotAuthorized).arg("reason", what)
    }

    /// A validation error on one field.
    pub fn field(field: &str, message: impl Into<FieldMessage>) -> AppError {
        let mut errors = FieldErrors::new();
        errors.insert(field.to_owned(), vec![message.into()]);
        AppError::Validation(errors)
    }

    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Refused(refusal) => refusal.code,
            AppError::Validation(_) => ErrorCode::ValidationError,
            AppError::Internal(_) => ErrorCode::InternalError,
        }
    }

    /// True for the "not found" codes (HTTP 404).
    pub fn is_not_found(&self) -> bool {
        self.code().ckan_type() == CkanType::NotFound
    }

    /// Adds a structured fact to a refusal's error object (other errors take none).
    pub fn detail(mut self, key: &str, value: serde_json::Value) -> AppError {
        if let AppError::Refused(refusal) = &mut self {
            refusal
                .details
                .get_or_insert_with(Default::default)
                .insert(key.to_owned(), value);
        }
        self
    }

    /// Seconds after which a retry may succeed, when the error says so.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::Refused(refusal) => refusal.retry_after_secs,
            _ => None,
        }
    }
}

impl std::error::Error for AppError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AppError::Internal(cause) => Some(cause.as_ref()),
            _ => None,
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(cause: anyhow::Error) -> Self {
        AppError::Internal(cause)
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => AppError::new(ErrorCode::NotFound),
            // Two writers raced for the same unique name: report it like any taken name. The
            // database's own text names tables and constraints: it is never sent.
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                AppError::field("name", FieldCode::ValueInUse)
            }
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
