//! A dataset data dict read into a typed [`DatasetInput`] by the rules of the field table
//! (`fields`): lengths, kinds, defaults and the rules between fields. Pure: no database, so
//! every rule is unit-tested here (`tests`). What needs the database (the organisation and the themes
//! exist, the name is free) is checked in `validate`, inside the write transaction.

mod lists;
mod values;

pub(crate) use values::phone;

use serde::Serialize;

use super::fields::{self as f, DatasetField, FieldKind};
use super::resources::ResourceInput;
use crate::catalog::params::{self, Errors};
use crate::catalog::Dict;
use crate::enums::DatasetState;
use crate::error::{AppResult, FieldCode};

/// Longest key of an extra.
pub const EXTRA_KEY_CHARS: usize = 200;
/// Longest value of an extra.
pub const EXTRA_VALUE_CHARS: usize = 10_000;

/// One of the dataset's own `{"key", "value"}` pairs, NFC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extra {
    /// Its key, never the name of a field.
    pub key: String,
    /// Its value (a non-string JSON value as its JSON text).
    pub value: String,
}

/// A dataset as a client asked for it, every field read and checked on its own: the typed
/// input of `package_create`, `package_update` and `package_patch`.
#[derive(Debug, Clone)]
pub struct DatasetInput {
    /// URL name.
    pub name: String,
    /// Title; the name when none was given.
    pub title: String,
    /// Description (Markdown).
    pub notes: String,
    /// Owning organisation, by id or name as given.
    pub owner_org: String,
    /// Visible to the organisation's members only.
    pub private: bool,
    /// Active (the default) or draft.
    pub state: DatasetState,
    /// Licence id; the default terms of use when none was given.
    pub license_id: String,
    /// Source page.
    pub url: String,
    /// Version label.
    pub version: String,
    /// Author.
    pub author: String,
    /// Author e-mail.
    pub author_email: String,
    /// Maintainer.
    pub maintainer: String,
    /// Maintainer e-mail.
    pub maintainer_email: String,
    /// Update frequency code.
    pub frequency: String,
    /// Administrative unit code of the covered place.
    pub spatial_code: String,
    /// Name of the covered place.
    pub spatial_name: String,
    /// Start of the covered period.
    pub temporal_start: String,
    /// End of the covered period.
    pub temporal_end: String,
    /// Language codes, comma separated, lowercase; `vi` when none were given.
    pub language: String,
    /// Contact point name.
    pub contact_name: String,
    /// Contact point e-mail.
    pub contact_email: String,
    /// Contact point phone.
    pub contact_phone: String,
    /// English title.
    pub title_en: String,
    /// English description.
    pub notes_en: String,
    /// The dataset's own extras.
    pub extras: Vec<Extra>,
    /// Tags, NFC, deduplicated.
    pub tags: Vec<String>,
    /// National themes by name or id as given, deduplicated.
    pub groups: Vec<String>,
    /// Resources, when the dict lists them (None keeps the stored ones on update).
    pub resources: Option<Vec<ResourceInput>>,
}

impl DatasetInput {
    /// Reads a data dict; a 409 names every wrong field at once.
    pub fn from_dict(dict: &Dict) -> AppResult<DatasetInput> {
        let (input, errors) = DatasetInput::parse(dict);
        errors.into_result()?;
        Ok(input)
    }

    /// Reads a data dict, returning what could be read with every field error, so that the
    /// checks against the database can add theirs to the same answer.
    pub fn parse(dict: &Dict) -> (DatasetInput, Errors) {
        let mut r = Reader {
            dict,
            errors: Errors::default(),
        };
        let name = r.read(&f::NAME);
        let title = r.read(&f::TITLE);
        let mut input = DatasetInput {
            title: if title.is_empty() {
                name.clone()
            } else {
                title
            },
            name,
            notes: r.read(&f::NOTES),
            owner_org: r.read(&f::OWNER_ORG),
            private: params::boolean(dict, f::PRIVATE.name, &mut r.errors).unwrap_or(false),
            state: r.state(),
            license_id: r.read(&f::LICENSE_ID),
            url: r.read(&f::URL),
            version: r.read(&f::VERSION),
            author: r.read(&f::AUTHOR),
            author_email: r.read(&f::AUTHOR_EMAIL),
            maintainer: r.read(&f::MAINTAINER),
            maintainer_email: r.read(&f::MAINTAINER_EMAIL),
            frequency: r.read(&f::FREQUENCY),
            spatial_code: r.read(&f::SPATIAL_CODE),
            spatial_name: r.read(&f::SPATIAL_NAME),
            temporal_start: r.read(&f::TEMPORAL_START),
            temporal_end: r.read(&f::TEMPORAL_END),
            language: r.read(&f::LANGUAGE),
            contact_name: r.read(&f::CONTACT_NAME),
            contact_email: r.read(&f::CONTACT_EMAIL),
            contact_phone: r.read(&f::CONTACT_PHONE),
            title_en: r.read(&f::TITLE_EN),
            notes_en: r.read(&f::NOTES_EN),
            extras: r.extras(),
            tags: r.tags(),
            groups: r.themes(),
            resources: r.resources(),
        };
        if input.spatial_name.is_empty() {
            input.spatial_name = spatial_alias(dict);
        }
        if !input.temporal_start.is_empty()
            && !input.temporal_end.is_empty()
            && input.temporal_start > input.temporal_end
        {
            r.errors
                .add(f::TEMPORAL_END.name, FieldCode::EndBeforeStart);
        }
        (input, r.errors)
    }
}

/// CKAN dicts from other portals carry a place name in `spatial` (GeoJSON is not a name).
fn spatial_alias(dict: &Dict) -> String {
    let max = f::SPATIAL_NAME.max.unwrap_or(usize::MAX);
    let spatial = params::text(dict, "spatial", max, &mut Errors::default()).unwrap_or_default();
    if spatial.starts_with('{') {
        String::new()
    } else {
        spatial
    }
}

/// Reads fields out of one dict, collecting every error.
struct Reader<'a> {
    dict: &'a Dict,
    errors: Errors,
}

impl Reader<'_> {
    /// A text field within its length, then checked and completed by its kind. Empty when
    /// absent or wrong (the error is recorded), so no rule between fields sees a wrong value.
    fn read(&mut self, field: &DatasetField) -> String {
        let value = match field.kind {
            // `params::link` holds links to 2000 characters, the table's `url` limit (the
            // length test over every field keeps the two equal).
            FieldKind::Link => params::link(self.dict, field.name, &mut self.errors),
            _ => {
                let max = field.max.unwrap_or(usize::MAX);
                params::text(self.dict, field.name, max, &mut self.errors)
            }
        }
        .unwrap_or_default();
        if field.required && value.is_empty() {
            self.errors.add(field.name, params::missing());
            return value;
        }
        match values::complete(field.kind, value) {
            Ok(value) => value,
            Err(message) => {
                self.errors.add(field.name, message);
                String::new()
            }
        }
    }

    fn state(&mut self) -> DatasetState {
        let max = f::STATE.max.unwrap_or(usize::MAX);
        let text = params::text(self.dict, f::STATE.name, max, &mut self.errors);
        match text.as_deref().unwrap_or("") {
            "" => DatasetState::Active,
            text => match text.parse::<DatasetState>() {
                Ok(state) if state != DatasetState::Deleted => state,
                _ => {
                    self.errors.add(f::STATE.name, FieldCode::DatasetState);
                    DatasetState::Active
                }
            },
        }
    }
}

#[cfg(test)]
mod tests;
