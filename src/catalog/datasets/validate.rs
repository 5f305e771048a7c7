//! The checks of a dataset that need the database, run inside the write transaction: the owning
//! organisation and the themes exist, the name is free. Together with the field checks of
//! `input` every wrong field is reported at once, each with a coded message; nothing is written
//! before all checks pass.

use diesel::prelude::*;

use super::fields;
use super::input::DatasetInput;
use super::resources::ResourceInput;
use crate::catalog::params::Errors;
use crate::catalog::vocab::is_valid_name;
use crate::catalog::{organizations, Dict};
use crate::db::models::DatasetRow;
use crate::db::schema::{datasets, themes};
use crate::db::DbConnection;
use crate::error::{AppResult, FieldCode};

/// The message for a dataset name already in use.
pub const NAME_TAKEN: FieldCode = FieldCode::NameInUse;

/// A dataset that passed every check, ready to store.
#[derive(Debug, Clone)]
pub struct ValidDataset {
    /// The dataset's own fields (id, timestamps and revision are set when stored).
    pub row: DatasetRow,
    /// Tags, NFC, deduplicated.
    pub tags: Vec<String>,
    /// Theme ids.
    pub theme_ids: Vec<String>,
    /// Resources, when the dict lists them (None keeps the stored ones on update).
    pub resources: Option<Vec<ResourceInput>>,
}

/// What validation looks up in the database. A connection answers with a query each; a bulk
/// import answers from what it read for its whole batch at once (on PostgreSQL each query is a
/// round trip, and these were three to five of the twenty per imported dataset).
pub trait Lookups {
    /// True when another dataset than `except_id` has this name.
    fn name_taken(&mut self, name: &str, except_id: &str) -> AppResult<bool>;
    /// The id of the active organisation with this id or name.
    fn organization_id(&mut self, id_or_name: &str) -> AppResult<Option<String>>;
    /// The id of the theme with this name or id.
    fn theme_id(&mut self, name_or_id: &str) -> AppResult<Option<String>>;
}

impl Lookups for DbConnection {
    fn name_taken(&mut self, name: &str, except_id: &str) -> AppResult<bool> {
        let count: i64 = datasets::table
            .filter(datasets::name.eq(name))
            .filter(datasets::id.ne(except_id))
            .count()
            .get_result(self)?;
        Ok(count > 0)
    }

    fn organization_id(&mut self, id_or_name: &str) -> AppResult<Option<String>> {
        Ok(organizations::find(self, id_or_name)?.map(|row| row.id))
    }

    fn theme_id(&mut self, name_or_id: &str) -> AppResult<Option<String>> {
        Ok(themes::table
            .filter(themes::name.eq(name_or_id).or(themes::id.eq(name_or_id)))
            .select(themes::id)
            .first(self)
            .optional()?)
    }
}

/// Checks a dataset dict: its fields and what they refer to, every wrong field reported in
/// one answer. `existing_id` is the dataset being updated, if any.
pub fn validate(
    conn: &mut impl Lookups,
    dict: &Dict,
    existing_id: Option<&str>,
) -> AppResult<ValidDataset> {
    let (input, errors) = DatasetInput::parse(dict);
    check(conn, input, existing_id, errors)
}

/// Checks what an input already read (`DatasetInput::from_dict`) refers to.
pub fn resolve(
    conn: &mut impl Lookups,
    input: DatasetInput,
    existing_id: Option<&str>,
) -> AppResult<ValidDataset> {
    check(conn, input, existing_id, Errors::default())
}

fn check(
    conn: &mut impl Lookups,
    input: DatasetInput,
    existing_id: Option<&str>,
    mut e: Errors,
) -> AppResult<ValidDataset> {
    // An invalid name was reported already; a valid one must be free.
    if is_valid_name(&input.name) && conn.name_taken(&input.name, existing_id.unwrap_or(""))? {
        e.add(fields::NAME.name, NAME_TAKEN);
    }
    let owner_org = owner_id(conn, &input.owner_org, &mut e)?;
    let theme_ids = theme_ids(conn, &input.groups, &mut e)?;
    e.into_result()?;
    Ok(stored_form(input, owner_org, theme_ids, existing_id))
}

/// The id of the owning organisation; empty when it was missing (already reported) or does
/// not exist.
fn owner_id(conn: &mut impl Lookups, org: &str, e: &mut Errors) -> AppResult<String> {
    if org.is_empty() {
        return Ok(String::new());
    }
    Ok(match conn.organization_id(org)? {
        Some(id) => id,
        None => {
            e.add(
                fields::OWNER_ORG.name,
                FieldCode::UnknownOrganization.arg("id", org),
            );
            String::new()
        }
    })
}

fn theme_ids(conn: &mut impl Lookups, wanted: &[String], e: &mut Errors) -> AppResult<Vec<String>> {
    let mut ids = Vec::new();
    for key in wanted {
        match conn.theme_id(key)? {
            Some(id) => ids.push(id),
            None => e.add(fields::GROUPS.name, FieldCode::UnknownGroup.arg("id", key)),
        }
    }
    Ok(ids)
}

/// The checked input as the rows to store.
fn stored_form(
    input: DatasetInput,
    owner_org: String,
    theme_ids: Vec<String>,
    existing_id: Option<&str>,
) -> ValidDataset {
    let row = DatasetRow {
        id: existing_id.unwrap_or_default().to_owned(),
        name: input.name,
        title: input.title,
        notes: input.notes,
        owner_org,
        private: input.private,
        state: input.state,
        license_id: input.license_id,
        url: input.url,
        version: input.version,
        author: input.author,
        author_email: input.author_email,
        maintainer: input.maintainer,
        maintainer_email: input.maintainer_email,
        frequency: input.frequency,
        spatial_code: input.spatial_code,
        spatial_name: input.spatial_name,
        temporal_start: input.temporal_start,
        temporal_end: input.temporal_end,
        language: input.language,
        contact_name: input.contact_name,
        contact_email: input.contact_email,
        contact_phone: input.contact_phone,
        title_en: input.title_en,
        notes_en: input.notes_en,
        // A list of plain {key, value} objects cannot fail to serialise.
        extras: serde_json::to_string(&input.extras).unwrap_or_else(|_| "[]".to_owned()),
        creator_user_id: None,
        revision: 1,
        metadata_created: String::new(),
        metadata_modified: String::new(),
    };
    ValidDataset {
        row,
        tags: input.tags,
        theme_ids,
        resources: input.resources,
    }
}
