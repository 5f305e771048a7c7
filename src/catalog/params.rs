//! Reading values out of a data dict with CKAN's leniency (GET parameters arrive as strings)
//! and a coded message per field when a value has the wrong type.

use serde_json::Value;

use super::Dict;
use crate::error::{AppError, AppResult, FieldCode, FieldErrors, FieldMessage};

/// Collects field errors so one response can report every wrong field at once.
#[derive(Debug, Default)]
pub struct Errors(pub FieldErrors);

impl Errors {
    /// Records a message for a field.
    pub fn add(&mut self, field: &str, message: impl Into<FieldMessage>) {
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

/// "Missing value".
pub fn missing() -> FieldMessage {
    FieldCode::MissingValue.into()
}

/// Reads an optional text field; numbers are accepted as text, other types are an error.
pub fn text(dict: &Dict, field: &str, max_chars: usize, errors: &mut Errors) -> Option<String> {
    let value = match dict.get(field) {
        None | Some(Value::Null) => return None,
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(_) => {
            errors.add(field, FieldCode::NotAString);
            return None;
        }
    };
    let value = crate::catalog::vocab::nfc(&value);
    if value.chars().count() > max_chars {
        errors.add(field, FieldCode::TooLong.arg("max", max_chars));
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
                errors.add(field, FieldCode::NotABoolean);
                None
            }
        },
        Some(Value::Number(n)) if n.as_i64() == Some(0) || n.as_i64() == Some(1) => {
            Some(n.as_i64() == Some(1))
        }
        Some(_) => {
            errors.add(field, FieldCode::NotABoolean);
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
            errors.add(field, FieldCode::IntegerOutOfRange.arg("max", max));
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
                    errors.add(field, FieldCode::NotAJsonList);
                    None
                }
            }
        }
        Some(Value::String(s)) if s.trim().is_empty() => Some(Vec::new()),
        Some(Value::String(s)) => Some(vec![Value::String(s.clone())]),
        Some(_) => {
            errors.add(field, FieldCode::NotAList);
            None
        }
    }
}

/// URL schemes a dataset, resource or organisation may link to. Pages render these URLs as
/// links, so `javascript:`, `data:` and `file:` would run script in, or read from, a visitor's
/// browser.
const LINK_SCHEMES: &[&str] = &["http", "https", "ftp"];

/// Reads an optional link (empty allowed): an absolute `http`, `https` or `ftp` URL.
pub fn link(dict: &Dict, field: &str, errors: &mut Errors) -> Option<String> {
    let value = text(dict, field, 2000, errors)?;
    if value.is_empty() {
        return Some(value);
    }
    match url::Url::parse(&value) {
        Ok(url) if LINK_SCHEMES.contains(&url.scheme()) => Some(value),
        Ok(_) => {
            errors.add(field, FieldCode::LinkScheme);
            None
        }
        Err(_) => {
            errors.add(field, FieldCode::NotAUrl);
            None
        }
    }
}

/// Keys whose values name an object to look up. A control character in one makes the lookup
/// find nothing (a 404, as for any unknown id) rather than a 409.
const IDENTIFIER_KEYS: &[&str] = &[
    "id",
    "name",
    "package_id",
    "owner_org",
    "user",
    "username",
    "user_id",
    "object",
    "org",
];

/// Stands in for control characters in identifiers: no id or name the portal makes contains
/// it, so the lookup finds nothing, and PostgreSQL (which refuses NUL in text) never sees one.
const NOT_AN_ID_CHAR: char = '\u{FFFD}';

/// C0 control characters other than tab, line feed and carriage return: nobody types them,
/// PostgreSQL refuses NUL outright (a 500 before this check), and stored ones would corrupt
/// CSV exports and pages.
fn is_forbidden_control(c: char) -> bool {
    c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{7f}')
}

/// An identifier as given, or, when it holds control characters, one that finds nothing.
pub fn lookup_key(id: &str) -> String {
    id.chars()
        .map(|c| {
            if is_forbidden_control(c) {
                NOT_AN_ID_CHAR
            } else {
                c
            }
        })
        .collect()
}

/// Screens a whole data dict for control characters before any action sees it: in identifiers
/// (top-level [`IDENTIFIER_KEYS`]) they are replaced so the lookup fails as "not found"; anywhere
/// else (values or keys, however deep) the request is refused with a 409 naming the field.
/// Returns the dict to use when identifiers had to be changed.
pub fn screen_controls(dict: &Dict) -> AppResult<Option<Dict>> {
    let mut changed: Option<Dict> = None;
    for (key, value) in dict {
        if key.chars().any(is_forbidden_control) {
            return Err(control_error(key));
        }
        match value {
            Value::String(s) if IDENTIFIER_KEYS.contains(&key.as_str()) => {
                if s.chars().any(is_forbidden_control) {
                    changed
                        .get_or_insert_with(|| dict.clone())
                        .insert(key.clone(), Value::String(lookup_key(s)));
                }
            }
            other => {
                if let Some(path) = control_path(other, key) {
                    return Err(control_error(&path));
                }
            }
        }
    }
    Ok(changed)
}

/// The path (`resources.0.name`) of the first string or key with a control character.
fn control_path(value: &Value, at: &str) -> Option<String> {
    match value {
        Value::String(s) => s.chars().any(is_forbidden_control).then(|| at.to_owned()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| control_path(item, &format!("{at}.{i}"))),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            let path = format!("{at}.{key}");
            if key.chars().any(is_forbidden_control) {
                Some(path)
            } else {
                control_path(item, &path)
            }
        }),
        _ => None,
    }
}

fn control_error(field: &str) -> AppError {
    // The field path may itself hold the control character: show it escaped.
    let shown: String = field.escape_debug().collect();
    AppError::field(&shown, FieldCode::ControlCharacters)
}
