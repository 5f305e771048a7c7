//! Reading values out of a data dict with CKAN's leniency (GET parameters arrive as strings)
//! and clear per-field messages when a value has the wrong type.

use serde_json::Value;

use super::Dict;
use crate::error::{AppError, AppResult, FieldErrors};

/// Collects field errors so one response can report every wrong field at once.
#[derive(Debug, Default)]
pub struct Errors(pub FieldErrors);

impl Errors {
    /// Records a message for a field.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_default()
            .push(message.into());
    }

    /// Ok when nothing was recorded, else a validation error with everything.
    pub fn into_result(self) -> AppResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// "Missing value" in both languages.
pub fn missing() -> String {
    "Thiếu giá trị bắt buộc / Missing value".to_owned()
}

/// Reads an optional text field; numbers are accepted as text, other types are an error.
pub fn text(dict: &Dict, field: &str, max_chars: usize, errors: &mut Errors) -> Option<String> {
    let value = match dict.get(field) {
        None | Some(Value::Null) => return None,
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(_) => {
            errors.add(field, "Phải là một chuỗi văn bản / Must be a string");
            return None;
        }
    };
    let value = crate::catalog::vocab::nfc(&value);
    if value.chars().count() > max_chars {
        errors.add(
            field,
            format!("Dài quá {max_chars} ký tự / Longer than {max_chars} characters"),
        );
        return None;
    }
    Some(value)
}

/// Reads a required identifier (`id` or another key), with a 409 naming the field if absent.
pub fn required_id(dict: &Dict, field: &str) -> AppResult<String> {
    let mut errors = Errors::default();
    match text(dict, field, 200, &mut errors) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => {
            errors
                .0
                .entry(field.to_owned())
                .or_insert_with(|| vec![missing()]);
            Err(AppError::Validation(errors.0))
        }
    }
}

/// Reads an optional boolean; accepts JSON booleans and CKAN's string forms.
pub fn boolean(dict: &Dict, field: &str, errors: &mut Errors) -> Option<bool> {
    match dict.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Some(true),
            "false" | "0" | "no" | "off" | "" => Some(false),
            _ => {
                errors.add(field, "Phải là true hoặc false / Must be true or false");
                None
            }
        },
        Some(Value::Number(n)) if n.as_i64() == Some(0) || n.as_i64() == Some(1) => {
            Some(n.as_i64() == Some(1))
        }
        Some(_) => {
            errors.add(field, "Phải là true hoặc false / Must be true or false");
            None
        }
    }
}

/// Reads an optional non-negative integer no larger than `max`.
pub fn integer(dict: &Dict, field: &str, max: i64, errors: &mut Errors) -> Option<i64> {
    let parsed = match dict.get(field) {
        None | Some(Value::Null) => return None,
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) if s.trim().is_empty() => return None,
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        Some(_) => None,
    };
    match parsed {
        Some(n) if (0..=max).contains(&n) => Some(n),
        _ => {
            errors.add(
                field,
                format!("Phải là số nguyên từ 0 đến {max} / Must be an integer from 0 to {max}"),
            );
            None
        }
    }
}

/// Reads an optional list. CKAN clients send lists as JSON arrays, or on GET as a JSON-encoded
/// string or a single value; all three are accepted.
pub fn list(dict: &Dict, field: &str, errors: &mut Errors) -> Option<Vec<Value>> {
    match dict.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(items.clone()),
        Some(Value::String(s)) if s.trim_start().starts_with('[') => {
            match serde_json::from_str::<Vec<Value>>(s) {
                Ok(items) => Some(items),
                Err(_) => {
                    errors.add(field, "Danh sách JSON không hợp lệ / Not a valid JSON list");
                    None
                }
            }
        }
        Some(Value::String(s)) if s.trim().is_empty() => Some(Vec::new()),
        Some(Value::String(s)) => Some(vec![Value::String(s.clone())]),
        Some(_) => {
            errors.add(field, "Phải là một danh sách / Must be a list");
            None
        }
    }
}
