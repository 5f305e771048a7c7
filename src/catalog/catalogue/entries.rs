//! Catalogue entries: what a department promises to publish (`catalogue_entry_create`,
//! `update`, `patch`, `delete`), and how everyone reads them (`show`, `list`). The department
//! edits its drafts and entries sent back to it; the data office edits entries it holds while
//! consolidating and keeping the roadmap; nobody edits a decided or withdrawn entry.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::status::{self, department_edits, office_edits};
use super::{demand, find_entry, is_department_editor, visible_entry, EntryRow};
use crate::catalog::access::{self, Capacity};
use crate::catalog::params::{self, missing, Errors};
use crate::catalog::{organizations, vocab, Actor, AppContext, Dict};
use crate::db::schema::{
    catalogue_comments, catalogue_entries, catalogue_entry_datasets, catalogue_transitions,
    catalogue_version_entries, datasets, organizations as orgs, themes, users,
};
use crate::db::{new_id, DbConnection};
use crate::enums::{DatasetState, EntryStatus};
use crate::error::{AppError, AppResult, CatalogueStep, FieldCode, Forbidden};

/// Ways an entry's data can be reached.
pub const ACCESS_METHODS: &[&str] = &["download", "api"];

/// The fields of an entry as given (create, update, patch).
#[derive(Debug, Clone)]
struct EntryInput {
    title: String,
    description: String,
    owner_org: String,
    themes: Vec<String>,
    formats: Vec<String>,
    access_methods: Vec<String>,
    frequency: String,
    planned_publication: String,
    legal_basis: String,
    priority: i32,
}

impl EntryInput {
    fn of_row(row: &EntryRow) -> EntryInput {
        EntryInput {
            title: row.title.clone(),
            description: row.description.clone(),
            owner_org: row.owner_org.clone(),
            themes: EntryRow::list(&row.themes),
            formats: EntryRow::list(&row.formats),
            access_methods: EntryRow::list(&row.access_methods),
            frequency: row.frequency.clone(),
            planned_publication: row.planned_publication.clone(),
            legal_basis: row.legal_basis.clone(),
            priority: row.priority,
        }
    }

    /// Nothing given yet: the values of a new entry (in `owner_org`'s department, if known).
    fn blank(owner_org: &str) -> EntryInput {
        EntryInput {
            title: String::new(),
            description: String::new(),
            owner_org: owner_org.to_owned(),
            themes: Vec::new(),
            formats: Vec::new(),
            access_methods: vec!["download".to_owned()],
            frequency: String::new(),
            planned_publication: String::new(),
            legal_basis: String::new(),
            priority: 3,
        }
    }
}

fn strings(dict: &Dict, field: &str, max_items: usize, errors: &mut Errors) -> Option<Vec<String>> {
    let items = params::list(dict, field, errors)?;
    if items.len() > max_items {
        errors.add(field, FieldCode::ListTooLong.arg("max", max_items));
        return None;
    }
    let mut out = Vec::new();
    for item in items {
        // Themes come as names or as CKAN's {"name": ...} dicts.
        let text = match &item {
            Value::String(s) => s.trim().to_owned(),
            Value::Object(o) => o
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim()
                .to_owned(),
            _ => {
                errors.add(field, FieldCode::NotAString);
                return None;
            }
        };
        if text.chars().count() > 100 {
            errors.add(field, FieldCode::TooLong.arg("max", 100usize));
            return None;
        }
        if !text.is_empty() && !out.contains(&text) {
            out.push(vocab::nfc(&text));
        }
    }
    Some(out)
}

/// Reads the input over `base` (patch: the stored entry; create: blank; update: blank in the
/// entry's department), reporting every wrong field at once; `patch` does not require fields.
fn read_input(
    conn: &mut DbConnection,
    dict: &Dict,
    base: EntryInput,
    patch: bool,
) -> AppResult<EntryInput> {
    let mut input = base;
    let mut errors = Errors::default();
    if let Some(v) = params::text(dict, "title", 500, &mut errors) {
        input.title = v;
    }
    if let Some(v) = params::text(dict, "description", 10_000, &mut errors) {
        input.description = v;
    }
    if let Some(v) = params::text(dict, "legal_basis", 1_000, &mut errors) {
        input.legal_basis = v;
    }
    if let Some(v) = params::text(dict, "owner_org", 200, &mut errors) {
        match organizations::find(conn, &v)? {
            Some(org) => input.owner_org = org.id,
            None => errors.add("owner_org", FieldCode::UnknownOrganization.arg("id", v)),
        }
    }
    if let Some(v) = strings(dict, "themes", 12, &mut errors) {
        let known: Vec<String> = themes::table
            .filter(themes::name.eq_any(&v))
            .select(themes::name)
            .load(conn)?;
        match v.iter().find(|name| !known.contains(name)) {
            Some(unknown) => errors.add("themes", FieldCode::UnknownGroup.arg("id", unknown)),
            None => input.themes = v,
        }
    }
    if let Some(v) = strings(dict, "formats", 20, &mut errors) {
        input.formats = v.iter().map(|f| f.to_uppercase()).collect();
    }
    if let Some(v) = strings(dict, "access_methods", 2, &mut errors) {
        match v.iter().find(|m| !ACCESS_METHODS.contains(&m.as_str())) {
            Some(_) => errors.add(
                "access_methods",
                FieldCode::UnknownChoice.arg("choices", ACCESS_METHODS.join(", ")),
            ),
            None => input.access_methods = v,
        }
    }
    if let Some(v) = params::text(dict, "frequency", 40, &mut errors) {
        if vocab::FREQUENCIES.iter().any(|(code, ..)| *code == v) {
            input.frequency = v;
        } else {
            let codes: Vec<&str> = vocab::FREQUENCIES.iter().map(|(c, ..)| *c).collect();
            errors.add(
                "frequency",
                FieldCode::UnknownFrequency.arg("codes", codes.join(", ")),
            );
        }
    }
    if let Some(v) = params::text(dict, "planned_publication", 40, &mut errors) {
        match NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
            Ok(day) => input.planned_publication = day.format("%Y-%m-%d").to_string(),
            Err(_) => errors.add("planned_publication", FieldCode::InvalidDate),
        }
    }
    if let Some(v) = params::integer(dict, "priority", 5, &mut errors) {
        if v == 0 {
            errors.add("priority", FieldCode::IntegerOutOfRange.arg("max", 5i64));
        }
        input.priority = i32::try_from(v).unwrap_or(3);
    }
    if !patch {
        for (field, value) in [
            ("title", &input.title),
            ("owner_org", &input.owner_org),
            ("frequency", &input.frequency),
            ("planned_publication", &input.planned_publication),
        ] {
            if value.is_empty() && !errors.0.contains_key(field) {
                errors.add(field, missing());
            }
        }
    }
    errors.into_result()?;
    Ok(input)
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_owned())
}

/// `catalogue_entry_create`: a department's editor proposes an entry, as a draft.
pub fn entry_create(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<EntryView> {
    let at = ctx.catalogue.clock.now_text();
    let id = ctx.write(|conn| {
        let input = read_input(conn, dict, EntryInput::blank(""), false)?;
        access::require_capacity(
            conn,
            actor,
            &input.owner_org,
            Capacity::Editor,
            Forbidden::CatalogueEntryEdit,
        )?;
        let id = new_id();
        diesel::insert_into(catalogue_entries::table)
            .values((
                catalogue_entries::id.eq(&id),
                catalogue_entries::title.eq(&input.title),
                catalogue_entries::description.eq(&input.description),
                catalogue_entries::owner_org.eq(&input.owner_org),
                catalogue_entries::themes.eq(json_list(&input.themes)),
                catalogue_entries::formats.eq(json_list(&input.formats)),
                catalogue_entries::access_methods.eq(json_list(&input.access_methods)),
                catalogue_entries::frequency.eq(&input.frequency),
                catalogue_entries::planned_publication.eq(&input.planned_publication),
                catalogue_entries::legal_basis.eq(&input.legal_basis),
                catalogue_entries::priority.eq(input.priority),
                catalogue_entries::status.eq(EntryStatus::Draft),
                catalogue_entries::deleted.eq(false),
                catalogue_entries::creator_user_id.eq(&actor.user_id),
                catalogue_entries::created.eq(&at),
                catalogue_entries::modified.eq(&at),
            ))
            .execute(conn)?;
        Ok(id)
    })?;
    entry_show_id(ctx, actor, &id)
}

/// `catalogue_entry_update` (`patch`: only the fields given). Who may edit depends on the
/// status (see the module doc); the department may not move an entry to another department.
pub fn entry_update(
    ctx: &AppContext,
    actor: &Actor,
    dict: &Dict,
    patch: bool,
) -> AppResult<EntryView> {
    let id = params::required_id(dict, "id")?;
    let at = ctx.catalogue.clock.now_text();
    ctx.write(|conn| {
        let entry = visible_entry(conn, actor, &id)?;
        let department = is_department_editor(conn, actor, &entry)? || actor.sysadmin;
        let allowed = (department && department_edits(entry.status))
            || (actor.is_reviewer() && office_edits(entry.status));
        if !allowed {
            if department || actor.is_reviewer() {
                return Err(status::refused(CatalogueStep::Edit, entry.status));
            }
            return Err(AppError::forbidden(Forbidden::CatalogueEntryEdit));
        }
        let base = if patch {
            EntryInput::of_row(&entry)
        } else {
            EntryInput::blank(&entry.owner_org)
        };
        let input = read_input(conn, dict, base, patch)?;
        if input.owner_org != entry.owner_org && !actor.is_reviewer() {
            return Err(AppError::forbidden(Forbidden::CatalogueEntryEdit));
        }
        diesel::update(catalogue_entries::table.find(&entry.id))
            .set((
                catalogue_entries::title.eq(&input.title),
                catalogue_entries::description.eq(&input.description),
                catalogue_entries::owner_org.eq(&input.owner_org),
                catalogue_entries::themes.eq(json_list(&input.themes)),
                catalogue_entries::formats.eq(json_list(&input.formats)),
                catalogue_entries::access_methods.eq(json_list(&input.access_methods)),
                catalogue_entries::frequency.eq(&input.frequency),
                catalogue_entries::planned_publication.eq(&input.planned_publication),
                catalogue_entries::legal_basis.eq(&input.legal_basis),
                catalogue_entries::priority.eq(input.priority),
                catalogue_entries::modified.eq(&at),
            ))
            .execute(conn)?;
        Ok(())
    })?;
    entry_show_id(ctx, actor, &id)
}

/// `catalogue_entry_delete`: the department removes a draft (or an entry sent back); the row
/// and its history are kept, hidden.
pub fn entry_delete(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    let at = ctx.catalogue.clock.now_text();
    ctx.write(|conn| {
        let entry = visible_entry(conn, actor, &id)?;
        if !(is_department_editor(conn, actor, &entry)? || actor.sysadmin) {
            return Err(AppError::forbidden(Forbidden::CatalogueEntryEdit));
        }
        if !status::deletable(entry.status) {
            return Err(status::refused(CatalogueStep::Delete, entry.status));
        }
        diesel::update(catalogue_entries::table.find(&entry.id))
            .set((
                catalogue_entries::deleted.eq(true),
                catalogue_entries::modified.eq(&at),
            ))
            .execute(conn)?;
        Ok(Value::Null)
    })
}

/// The department of an entry, as views show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Department {
    /// Organisation id.
    pub id: String,
    /// URL name.
    pub name: String,
    /// Title.
    pub title: String,
}

/// A dataset linked to an entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkedDataset {
    /// Dataset id.
    pub id: String,
    /// URL name.
    pub name: String,
    /// Title.
    pub title: String,
    /// Active and public.
    pub public: bool,
    /// Last change of its metadata.
    pub metadata_modified: String,
    /// Its promised update frequency.
    pub frequency: String,
}

/// A comment on an entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentView {
    /// Who wrote it (login name; empty for a system job).
    pub user: String,
    /// When.
    pub created: String,
    /// What.
    pub comment: String,
}

/// A recorded status change: who, when, from, to, why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransitionView {
    /// Status before.
    pub from: EntryStatus,
    /// Status after.
    pub to: EntryStatus,
    /// Who (login name; empty for a system job).
    pub user: String,
    /// When.
    pub created: String,
    /// Why.
    pub reason: String,
}

/// An entry as the API returns it and pages render it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryView {
    /// UUID.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// The responsible department's id.
    pub owner_org: String,
    /// The responsible department.
    pub organization: Option<Department>,
    /// Theme names.
    pub themes: Vec<String>,
    /// Promised formats.
    pub formats: Vec<String>,
    /// `download`, `api`.
    pub access_methods: Vec<String>,
    /// Promised update frequency.
    pub frequency: String,
    /// Date of first publication.
    pub planned_publication: String,
    /// Legal basis.
    pub legal_basis: String,
    /// Declared priority (1–5).
    pub priority: i32,
    /// Demand from downloads and API reads of its datasets.
    pub demand: demand::Demand,
    /// Status.
    pub status: EntryStatus,
    /// The entry it was merged into.
    pub merged_into: Option<String>,
    /// When it became published.
    pub first_published: Option<String>,
    /// Linked datasets.
    pub datasets: Vec<LinkedDataset>,
    /// Catalogue versions that include it.
    pub versions: Vec<i32>,
    /// Comments, oldest first (`show` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<Vec<CommentView>>,
    /// Status changes, oldest first (`show` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transitions: Option<Vec<TransitionView>>,
    /// When it was proposed.
    pub created: String,
    /// Last change.
    pub modified: String,
}

/// A linked dataset as read: entry id, dataset id, name, title, private, state, metadata
/// modified, frequency.
type LinkRow = (
    String,
    String,
    String,
    String,
    bool,
    DatasetState,
    String,
    String,
);

/// Builds the views of `rows` (with comments and history when `detail`), reading what they
/// share in a few queries rather than a few per entry.
pub fn views(
    conn: &mut DbConnection,
    rows: Vec<EntryRow>,
    detail: bool,
) -> AppResult<Vec<EntryView>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let org_ids: Vec<&str> = rows.iter().map(|r| r.owner_org.as_str()).collect();
    let departments: HashMap<String, Department> = orgs::table
        .filter(orgs::id.eq_any(&org_ids))
        .select((orgs::id, orgs::name, orgs::title))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, name, title)| (id.clone(), Department { id, name, title }))
        .collect();
    let links: Vec<LinkRow> = catalogue_entry_datasets::table
        .inner_join(datasets::table)
        .filter(catalogue_entry_datasets::entry_id.eq_any(&ids))
        .order(datasets::name.asc())
        .select((
            catalogue_entry_datasets::entry_id,
            datasets::id,
            datasets::name,
            datasets::title,
            datasets::private,
            datasets::state,
            datasets::metadata_modified,
            datasets::frequency,
        ))
        .load(conn)?;
    let versions: Vec<(String, i32)> = catalogue_version_entries::table
        .filter(catalogue_version_entries::entry_id.eq_any(&ids))
        .order(catalogue_version_entries::version.asc())
        .select((
            catalogue_version_entries::entry_id,
            catalogue_version_entries::version,
        ))
        .load(conn)?;
    let demand = demand::demand_of(conn, &ids)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let datasets = links
            .iter()
            .filter(|l| l.0 == row.id)
            .map(|l| LinkedDataset {
                id: l.1.clone(),
                name: l.2.clone(),
                title: l.3.clone(),
                public: !l.4 && l.5 == DatasetState::Active,
                metadata_modified: l.6.clone(),
                frequency: l.7.clone(),
            })
            .collect();
        let (comments, transitions) = if detail {
            (
                Some(comments_of(conn, &row.id)?),
                Some(transitions_of(conn, &row.id)?),
            )
        } else {
            (None, None)
        };
        out.push(EntryView {
            organization: departments.get(&row.owner_org).cloned(),
            themes: EntryRow::list(&row.themes),
            formats: EntryRow::list(&row.formats),
            access_methods: EntryRow::list(&row.access_methods),
            demand: demand.get(&row.id).cloned().unwrap_or_default(),
            datasets,
            versions: versions
                .iter()
                .filter(|(entry, _)| *entry == row.id)
                .map(|(_, v)| *v)
                .collect(),
            comments,
            transitions,
            id: row.id,
            title: row.title,
            description: row.description,
            owner_org: row.owner_org,
            frequency: row.frequency,
            planned_publication: row.planned_publication,
            legal_basis: row.legal_basis,
            priority: row.priority,
            status: row.status,
            merged_into: row.merged_into,
            first_published: row.first_published,
            created: row.created,
            modified: row.modified,
        });
    }
    Ok(out)
}

fn comments_of(conn: &mut DbConnection, entry_id: &str) -> AppResult<Vec<CommentView>> {
    let rows: Vec<(Option<String>, String, String)> = catalogue_comments::table
        .left_join(users::table.on(catalogue_comments::user_id.eq(users::id.nullable())))
        .filter(catalogue_comments::entry_id.eq(entry_id))
        .order(catalogue_comments::created.asc())
        .select((
            users::name.nullable(),
            catalogue_comments::created,
            catalogue_comments::comment,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(user, created, comment)| CommentView {
            user: user.unwrap_or_default(),
            created,
            comment,
        })
        .collect())
}

fn transitions_of(conn: &mut DbConnection, entry_id: &str) -> AppResult<Vec<TransitionView>> {
    let rows: Vec<(String, String, Option<String>, String, String)> = catalogue_transitions::table
        .left_join(users::table.on(catalogue_transitions::user_id.eq(users::id.nullable())))
        .filter(catalogue_transitions::entry_id.eq(entry_id))
        .order(catalogue_transitions::created.asc())
        .select((
            catalogue_transitions::from_status,
            catalogue_transitions::to_status,
            users::name.nullable(),
            catalogue_transitions::created,
            catalogue_transitions::reason,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(from, to, user, created, reason)| TransitionView {
            from: from.parse().unwrap_or(EntryStatus::Draft),
            to: to.parse().unwrap_or(EntryStatus::Draft),
            user: user.unwrap_or_default(),
            created,
            reason,
        })
        .collect())
}

/// The full view of one entry the actor may see.
pub fn entry_show_id(ctx: &AppContext, actor: &Actor, id: &str) -> AppResult<EntryView> {
    ctx.db.read(|conn| {
        let row = visible_entry(conn, actor, id)?;
        let mut all = views(conn, vec![row], true)?;
        all.pop().ok_or_else(|| super::entry_not_found(id))
    })
}

/// `catalogue_entry_show {id}`.
pub fn entry_show(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<EntryView> {
    let id = params::required_id(dict, "id")?;
    entry_show_id(ctx, actor, &id)
}

/// Reads an entry that must exist, whoever asks (for other modules of the catalogue).
pub fn entry_row(conn: &mut DbConnection, id: &str) -> AppResult<EntryRow> {
    find_entry(conn, id)
}
