//! Organisations (the province's departments): their record and contact point here,
//! their members in `members`.

mod members;

pub use members::{member_list, member_remove, member_upsert, remove_all_memberships};

use diesel::prelude::*;
use serde_json::{json, Value};

use super::access::{self, Capacity};
use super::activity;
use super::params::{self, Errors};
use super::vocab::{invalid_name_message, is_valid_name};
use super::{Actor, AppContext, Dict};
use crate::db::models::{OrganizationContactRow, OrganizationRow};
use crate::db::schema::{datasets, organizations};
use crate::db::{lower, now_text, DbConnection};
use crate::enums::{ActivityType, DatasetState, ObjectState, ObjectType};
use crate::error::{AppError, AppResult, ErrorCode, FieldCode, Forbidden};

/// Finds an active organisation by id or name.
pub fn find(conn: &mut DbConnection, id_or_name: &str) -> AppResult<Option<OrganizationRow>> {
    Ok(organizations::table
        .filter(
            organizations::id
                .eq(id_or_name)
                .or(organizations::name.eq(id_or_name)),
        )
        .filter(organizations::state.eq(ObjectState::Active))
        .select(OrganizationRow::as_select())
        .first(conn)
        .optional()?)
}

pub(super) fn find_or_404(conn: &mut DbConnection, id_or_name: &str) -> AppResult<OrganizationRow> {
    find(conn, id_or_name)?
        .ok_or_else(|| AppError::not_found(ErrorCode::OrganizationNotFound, id_or_name))
}

/// The short organisation dict embedded in dataset dicts.
pub fn summary_dict(row: &OrganizationRow) -> Value {
    serde_json::to_value(super::datasets::view::OrganizationSummary::of(row)).unwrap_or(Value::Null)
}

fn public_dataset_count(conn: &mut DbConnection, org_id: &str) -> AppResult<i64> {
    Ok(datasets::table
        .filter(datasets::owner_org.eq(org_id))
        .filter(datasets::state.eq(DatasetState::Active))
        .filter(datasets::private.eq(false))
        .count()
        .get_result(conn)?)
}

fn contact_of(conn: &mut DbConnection, org_id: &str) -> AppResult<OrganizationContactRow> {
    Ok(organizations::table
        .find(org_id)
        .select(OrganizationContactRow::as_select())
        .first(conn)?)
}

/// `organization_show`'s dict: the summary, its title as display name and its contact point.
fn detail_dict(conn: &mut DbConnection, row: &OrganizationRow) -> AppResult<Value> {
    let contact = contact_of(conn, &row.id)?;
    let mut dict = summary_dict(row);
    dict["display_name"] = json!(row.title);
    dict["contact_email"] = json!(contact.contact_email);
    dict["contact_phone"] = json!(contact.contact_phone);
    dict["address"] = json!(contact.address);
    Ok(dict)
}

fn full_dict(conn: &mut DbConnection, row: &OrganizationRow) -> AppResult<Value> {
    let mut dict = detail_dict(conn, row)?;
    dict["package_count"] = json!(public_dataset_count(conn, &row.id)?);
    Ok(dict)
}

/// CKAN's `organization_list`: names, or dicts with `all_fields`.
pub fn organization_list(ctx: &AppContext, dict: &Dict) -> AppResult<Value> {
    let mut errors = Errors::default();
    let all_fields = params::boolean(dict, "all_fields", &mut errors).unwrap_or(false);
    let limit = params::integer(dict, "limit", 1000, &mut errors).unwrap_or(1000);
    let offset = params::integer(dict, "offset", i64::MAX, &mut errors).unwrap_or(0);
    let sort = params::text(dict, "sort", 50, &mut errors).unwrap_or_default();
    // CKAN's `include_dataset_count`: a count query per organisation, which the pages skip
    // (they take the counts from the search's facets).
    let with_count = params::boolean(dict, "include_dataset_count", &mut errors).unwrap_or(true);
    errors.into_result()?;
    ctx.db.read(|conn| {
        let query = organizations::table
            .filter(organizations::state.eq(ObjectState::Active))
            .select(OrganizationRow::as_select())
            .limit(limit)
            .offset(offset)
            .into_boxed();
        let query = if sort.starts_with("title") {
            query.order(lower(organizations::title).asc())
        } else {
            query.order(organizations::name.asc())
        };
        let rows = query.load(conn)?;
        if !all_fields {
            return Ok(json!(rows.iter().map(|r| &r.name).collect::<Vec<_>>()));
        }
        let dicts = rows
            .iter()
            .map(|row| {
                if with_count {
                    full_dict(conn, row)
                } else {
                    let mut dict = summary_dict(row);
                    dict["display_name"] = json!(row.title);
                    Ok(dict)
                }
            })
            .collect::<AppResult<Vec<_>>>()?;
        Ok(Value::Array(dicts))
    })
}

/// CKAN's `organization_show`.
pub fn organization_show(ctx: &AppContext, dict: &Dict) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    let mut errors = Errors::default();
    // CKAN's `include_dataset_count`; the pages skip it (a count query over every dataset).
    let with_count = params::boolean(dict, "include_dataset_count", &mut errors).unwrap_or(true);
    errors.into_result()?;
    ctx.db.read(|conn| {
        let row = find_or_404(conn, &id)?;
        if with_count {
            return full_dict(conn, &row);
        }
        detail_dict(conn, &row)
    })
}

struct OrganizationInput {
    name: String,
    title: String,
    title_en: Option<String>,
    description: String,
    image_url: String,
    contact: OrganizationContactRow,
}

fn validate(dict: &Dict) -> AppResult<OrganizationInput> {
    let mut errors = Errors::default();
    let name = params::text(dict, "name", 100, &mut errors).unwrap_or_default();
    let title = params::text(dict, "title", 500, &mut errors).unwrap_or_default();
    let title_en = params::text(dict, "title_en", 500, &mut errors).filter(|t| !t.is_empty());
    let description = params::text(dict, "description", 20_000, &mut errors).unwrap_or_default();
    let image_url = params::link(dict, "image_url", &mut errors).unwrap_or_default();
    let contact = validate_contact(dict, &mut errors);
    if name.is_empty() {
        errors.add("name", params::missing());
    } else if !is_valid_name(&name) {
        errors.add("name", invalid_name_message(&name));
    }
    errors.into_result()?;
    Ok(OrganizationInput {
        title: if title.is_empty() {
            name.clone()
        } else {
            title
        },
        name,
        title_en,
        description,
        image_url,
        contact,
    })
}

/// The contact point: each field optional, an e-mail and a phone number checked when given.
fn validate_contact(dict: &Dict, errors: &mut Errors) -> OrganizationContactRow {
    let contact_email = params::text(dict, "contact_email", 254, errors).unwrap_or_default();
    let contact_phone = params::text(dict, "contact_phone", 50, errors).unwrap_or_default();
    let address = params::text(dict, "address", 500, errors).unwrap_or_default();
    if !contact_email.is_empty() && !super::users::is_plausible_email(&contact_email) {
        errors.add("contact_email", FieldCode::InvalidEmail);
    }
    if !contact_phone.is_empty() {
        if let Err(message) = super::datasets::input::phone(contact_phone.clone()) {
            errors.add("contact_phone", message);
        }
    }
    OrganizationContactRow {
        contact_email,
        contact_phone,
        address,
    }
}

fn name_taken(conn: &mut DbConnection, name: &str, except_id: &str) -> AppResult<bool> {
    let count: i64 = organizations::table
        .filter(organizations::name.eq(name))
        .filter(organizations::id.ne(except_id))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// CKAN's `organization_create` (sysadmins only: the data office manages organisations).
pub fn organization_create(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let input = validate(dict)?;
    ctx.write(|conn| {
        if name_taken(conn, &input.name, "")? {
            return Err(AppError::field("name", FieldCode::OrganizationNameTaken));
        }
        let now = now_text();
        let row = OrganizationRow {
            id: crate::db::new_id(),
            name: input.name,
            title: input.title,
            title_en: input.title_en,
            description: input.description,
            image_url: input.image_url,
            state: ObjectState::Active,
            created: now.clone(),
            modified: now,
        };
        diesel::insert_into(organizations::table)
            .values(&row)
            .execute(conn)?;
        diesel::update(organizations::table.find(&row.id))
            .set(&input.contact)
            .execute(conn)?;
        let after = full_dict(conn, &row)?;
        activity::record(
            conn,
            actor,
            ObjectType::Organization,
            &row.id,
            ActivityType::New,
            vec![],
            &after,
        )?;
        Ok(after)
    })
}

/// CKAN's `organization_update` (all fields) and `organization_patch` (given fields only).
pub fn organization_update(
    ctx: &AppContext,
    actor: &Actor,
    dict: &Dict,
    patch: bool,
) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    ctx.write(|conn| {
        let current = find_or_404(conn, &id)?;
        access::require_capacity(
            conn,
            actor,
            &current.id,
            Capacity::Admin,
            Forbidden::UpdateOrganization,
        )?;
        let before = full_dict(conn, &current)?;
        let mut merged = if patch {
            before.as_object().cloned().unwrap_or_default()
        } else {
            Dict::new()
        };
        merged.extend(dict.iter().map(|(k, v)| (k.clone(), v.clone())));
        if !merged.contains_key("name") {
            merged.insert("name".to_owned(), json!(current.name));
        }
        let input = validate(&merged)?;
        if name_taken(conn, &input.name, &current.id)? {
            return Err(AppError::field("name", FieldCode::OrganizationNameTaken));
        }
        let row = OrganizationRow {
            name: input.name,
            title: input.title,
            title_en: input.title_en,
            description: input.description,
            image_url: input.image_url,
            modified: now_text(),
            ..current
        };
        diesel::update(organizations::table.find(&row.id))
            .set((&row, &input.contact))
            .execute(conn)?;
        let after = full_dict(conn, &row)?;
        super::changes::record_organization(conn, &row.id)?;
        let changes = activity::changed_fields(&before, &after);
        activity::record(
            conn,
            actor,
            ObjectType::Organization,
            &row.id,
            ActivityType::Changed,
            changes,
            &after,
        )?;
        Ok(after)
    })
}

/// CKAN's `organization_delete`: refused while the organisation still owns datasets, so no
/// dataset is ever left without an owner.
pub fn organization_delete(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    ctx.write(|conn| {
        let row = find_or_404(conn, &id)?;
        let owned: i64 = datasets::table
            .filter(datasets::owner_org.eq(&row.id))
            .filter(datasets::state.ne(DatasetState::Deleted))
            .count()
            .get_result(conn)?;
        if owned > 0 {
            return Err(AppError::field(
                "id",
                FieldCode::OrganizationHasDatasets.arg("count", owned),
            ));
        }
        diesel::update(organizations::table.find(&row.id))
            .set((
                organizations::state.eq(ObjectState::Deleted),
                organizations::modified.eq(now_text()),
            ))
            .execute(conn)?;
        let mut after = summary_dict(&row);
        after["state"] = json!(ObjectState::Deleted);
        activity::record(
            conn,
            actor,
            ObjectType::Organization,
            &row.id,
            ActivityType::Deleted,
            vec![],
            &after,
        )?;
        Ok(Value::Null)
    })
}

/// CKAN's `organization_list_for_user`: organisations where the user holds `permission`
/// (`read` = member, `create_dataset`/`update_dataset` = editor, `manage_group` = admin).
pub fn organization_list_for_user(
    ctx: &AppContext,
    actor: &Actor,
    dict: &Dict,
) -> AppResult<Value> {
    let permission = dict
        .get("permission")
        .and_then(Value::as_str)
        .unwrap_or("manage_group");
    let needed = match permission {
        "read" => Capacity::Member,
        "manage_group" => Capacity::Admin,
        _ => Capacity::Editor,
    };
    ctx.db.read(|conn| {
        let rows: Vec<OrganizationRow> = if actor.sysadmin {
            organizations::table
                .filter(organizations::state.eq(ObjectState::Active))
                .order(organizations::name.asc())
                .select(OrganizationRow::as_select())
                .load(conn)?
        } else {
            let ids = access::organizations_with(conn, actor, needed)?;
            organizations::table
                .filter(organizations::id.eq_any(ids))
                .filter(organizations::state.eq(ObjectState::Active))
                .order(organizations::name.asc())
                .select(OrganizationRow::as_select())
                .load(conn)?
        };
        let dicts = rows
            .iter()
            .map(|row| full_dict(conn, row))
            .collect::<AppResult<Vec<_>>>()?;
        Ok(Value::Array(dicts))
    })
}
