//! The rule of each kind of text field: a value checked, completed with the kind's default.

use super::super::fields::FieldKind;
use crate::catalog::users::is_plausible_email;
use crate::catalog::vocab::{self, invalid_name_message, is_valid_name, DEFAULT_LICENSE_ID};
use crate::error::{FieldCode, FieldMessage};

/// A value checked by its kind's rule, with the kind's default when empty.
pub(super) fn complete(kind: FieldKind, value: String) -> Result<String, FieldMessage> {
    match kind {
        FieldKind::Name if !is_valid_name(&value) => Err(invalid_name_message(&value)),
        FieldKind::Licence if value.is_empty() => Ok(DEFAULT_LICENSE_ID.to_owned()),
        FieldKind::Licence if vocab::license(&value).is_none() => {
            Err(FieldCode::UnknownLicense.arg("id", value))
        }
        FieldKind::Languages => languages(value),
        _ if value.is_empty() => Ok(value),
        FieldKind::Frequency => frequency(value),
        FieldKind::PlaceCode => place_code(value),
        FieldKind::Date => date(value),
        FieldKind::Email if !is_plausible_email(&value) => Err(FieldCode::InvalidEmail.into()),
        FieldKind::Phone => phone(value),
        _ => Ok(value),
    }
}

fn frequency(value: String) -> Result<String, FieldMessage> {
    if vocab::FREQUENCIES.iter().any(|f| f.0 == value) {
        return Ok(value);
    }
    let codes: Vec<&str> = vocab::FREQUENCIES.iter().map(|f| f.0).collect();
    Err(FieldCode::UnknownFrequency.arg("codes", codes.join(", ")))
}

fn place_code(value: String) -> Result<String, FieldMessage> {
    if value.len() <= 10 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value)
    } else {
        Err(FieldCode::SpatialCodeDigits.into())
    }
}

/// A date (YYYY, YYYY-MM, YYYY-MM-DD) or an RFC 3339 date-time, kept as given.
fn date(value: String) -> Result<String, FieldMessage> {
    let ok = chrono::NaiveDate::parse_from_str(&value, "%Y-%m-%d").is_ok()
        || chrono::NaiveDate::parse_from_str(&format!("{value}-01"), "%Y-%m-%d").is_ok()
        || (value.len() == 4 && value.parse::<u16>().is_ok())
        || chrono::DateTime::parse_from_rfc3339(&value).is_ok()
        || chrono::NaiveDateTime::parse_from_str(&value, "%Y-%m-%dT%H:%M:%S").is_ok();
    if ok {
        Ok(value)
    } else {
        Err(FieldCode::InvalidDate.into())
    }
}

fn languages(value: String) -> Result<String, FieldMessage> {
    let value = if value.is_empty() {
        "vi".to_owned()
    } else {
        value.to_lowercase()
    };
    let iso_639_1 =
        |code: &str| code.trim().len() == 2 && code.trim().bytes().all(|b| b.is_ascii_lowercase());
    if value.split(',').all(iso_639_1) {
        Ok(value)
    } else {
        Err(FieldCode::LanguageCodes.into())
    }
}

/// A telephone number as people write them: 6 to 20 digits with spaces, `+-().`; also checks
/// organisations' contact numbers.
pub(crate) fn phone(value: String) -> Result<String, FieldMessage> {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
    if (6..=20).contains(&digits) && value.chars().all(allowed) {
        Ok(value)
    } else {
        Err(FieldCode::InvalidPhone.into())
    }
}
