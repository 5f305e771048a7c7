//! Reading the fields shared by sources and targets out of a data dict.

use serde_json::Value;

use crate::catalog::params::{self, Errors};
use crate::catalog::{vocab, Dict};
use crate::enums::HarvestFrequency;
use crate::error::FieldCode;

/// Longest `config`, in characters of its JSON text.
const CONFIG_CHARS: usize = 10_000;

/// A required-on-create name: CKAN's URL-name rules.
pub(super) fn name(dict: &Dict, required: bool, errors: &mut Errors) -> Option<String> {
    match params::text(dict, "name", 100, errors) {
        Some(name) if name.is_empty() && required => {
            errors.add("name", params::missing());
            None
        }
        Some(name) if name.is_empty() => None,
        Some(name) if !vocab::is_valid_name(&name) => {
            errors.add("name", vocab::invalid_name_message(&name));
            None
        }
        None if required => {
            if !errors.0.contains_key("name") {
                errors.add("name", params::missing());
            }
            None
        }
        other => other,
    }
}

/// A required-on-create http(s) URL.
pub(super) fn url(dict: &Dict, required: bool, errors: &mut Errors) -> Option<String> {
    match params::link(dict, "url", errors) {
        Some(url) if url.is_empty() || url.starts_with("ftp:") => {
            if required || !url.is_empty() {
                errors.add(
                    "url",
                    if url.is_empty() {
                        params::missing()
                    } else {
                        FieldCode::LinkScheme.into()
                    },
                );
            }
            None
        }
        None if required && !errors.0.contains_key("url") => {
            errors.add("url", params::missing());
            None
        }
        other => other,
    }
}

/// One of a closed set of words, by its text; `field` names it in errors.
pub(super) fn choice<T: std::str::FromStr + Copy>(
    dict: &Dict,
    field: &str,
    all: &[T],
    word: fn(T) -> &'static str,
    required: bool,
    errors: &mut Errors,
) -> Option<T> {
    let given = params::text(dict, field, 50, errors).filter(|t| !t.is_empty());
    let Some(given) = given else {
        if required && !errors.0.contains_key(field) {
            errors.add(field, params::missing());
        }
        return None;
    };
    match given.parse::<T>() {
        Ok(value) => Some(value),
        Err(_) => {
            let choices = all.iter().map(|v| word(*v)).collect::<Vec<_>>().join(", ");
            errors.add(field, FieldCode::UnknownChoice.arg("choices", choices));
            None
        }
    }
}

/// `frequency`, in ckanext-harvest's upper-case words (lower case accepted).
pub(super) fn frequency(dict: &Dict, errors: &mut Errors) -> Option<HarvestFrequency> {
    let mut upper = dict.clone();
    if let Some(Value::String(text)) = dict.get("frequency") {
        upper.insert(
            "frequency".to_owned(),
            Value::String(text.trim().to_uppercase()),
        );
    }
    choice(
        &upper,
        "frequency",
        HarvestFrequency::ALL,
        HarvestFrequency::as_str,
        false,
        errors,
    )
}

/// `config`: a JSON object, or its JSON text (as ckanext-harvest's forms send it); stored as
/// text.
pub(super) fn config(dict: &Dict, errors: &mut Errors) -> Option<String> {
    let object = match dict.get("config") {
        None | Some(Value::Null) => return None,
        Some(Value::Object(object)) => object.clone(),
        Some(Value::String(text)) if text.trim().is_empty() => Dict::new(),
        Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(object)) => object,
            _ => {
                errors.add("config", FieldCode::NotAJsonObject);
                return None;
            }
        },
        Some(_) => {
            errors.add("config", FieldCode::NotAJsonObject);
            return None;
        }
    };
    let text = Value::Object(object).to_string();
    if text.chars().count() > CONFIG_CHARS {
        errors.add("config", FieldCode::TooLong.arg("max", CONFIG_CHARS));
        return None;
    }
    Some(text)
}

/// A stored `config` as JSON (an object; the empty object if the text is unreadable).
pub(super) fn config_value(text: &str) -> Value {
    serde_json::from_str::<Value>(text)
        .ok()
        .filter(Value::is_object)
        .unwrap_or_else(|| Value::Object(Dict::new()))
}
