//! The organisations harvested records name: found by name, created when missing, all of a
//! batch with one query.

use std::collections::HashMap;

use diesel::prelude::*;
use serde_json::Value;

use crate::catalog::{activity, organizations, params, vocab, Actor, Dict};
use crate::db::models::OrganizationRow;
use crate::db::schema::organizations as orgs;
use crate::db::{now_text, rows_per_statement, DbConnection};
use crate::error::{AppError, AppResult};

/// The organisation a record names: `organization` dict or slug, else `owner_org`.
#[derive(Debug, Clone)]
pub struct OrgRef {
    name: String,
    title: String,
    description: String,
}

impl OrgRef {
    /// Reads the record's organisation.
    pub fn of(source: &Dict) -> OrgRef {
        let text = |value: Option<&Value>, key: &str| {
            value
                .and_then(|v| v.get(key))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        match source.get("organization") {
            Some(org @ Value::Object(_)) => OrgRef {
                name: text(Some(org), "name"),
                title: text(Some(org), "title"),
                description: text(Some(org), "description"),
            },
            Some(Value::String(slug)) => OrgRef {
                name: slug.clone(),
                title: text(Some(&Value::Object(source.clone())), "organization_title"),
                description: String::new(),
            },
            _ => OrgRef {
                name: text(Some(&Value::Object(source.clone())), "owner_org"),
                title: String::new(),
                description: String::new(),
            },
        }
    }
}

/// The id of each named organisation, creating the missing ones (each in a savepoint when
/// `careful`, so one that cannot be stored fails only its records). `known` maps names to
/// ids across batches.
pub fn ensure_all(
    conn: &mut DbConnection,
    known: &mut HashMap<String, String>,
    refs: &[&OrgRef],
    careful: bool,
) -> AppResult<Vec<AppResult<String>>> {
    let mut unknown: Vec<&str> = refs
        .iter()
        .map(|r| r.name.as_str())
        .filter(|name| !name.is_empty() && !known.contains_key(*name))
        .collect();
    unknown.sort_unstable();
    unknown.dedup();
    // By name or id, as `organizations::find`: a record may name ours by its id.
    for chunk in unknown.chunks(rows_per_statement(2)) {
        let found: Vec<(String, String)> = orgs::table
            .filter(orgs::name.eq_any(chunk).or(orgs::id.eq_any(chunk)))
            .filter(orgs::state.eq("active"))
            .select((orgs::name, orgs::id))
            .load(conn)?;
        for (name, id) in found {
            known.insert(id.clone(), id.clone());
            known.insert(name, id);
        }
    }
    let mut ids = Vec::with_capacity(refs.len());
    for org in refs {
        if org.name.is_empty() {
            ids.push(Err(AppError::field("owner_org", params::missing())));
            continue;
        }
        if let Some(id) = known.get(&org.name) {
            ids.push(Ok(id.clone()));
            continue;
        }
        let created = if careful {
            conn.transaction(|conn| create(conn, org))
        } else {
            create(conn, org)
        };
        match created {
            Ok(id) => {
                known.insert(org.name.clone(), id.clone());
                ids.push(Ok(id));
            }
            Err(error) if matches!(error, AppError::Validation(_)) || error.is_not_found() => {
                ids.push(Err(error))
            }
            Err(error) if careful => ids.push(Err(error)),
            Err(error) => return Err(error),
        }
    }
    Ok(ids)
}

/// Creates an organisation a record names, recorded in the history as the system's doing.
fn create(conn: &mut DbConnection, org: &OrgRef) -> AppResult<String> {
    if !vocab::is_valid_name(&org.name) {
        return Err(AppError::field(
            "owner_org",
            vocab::invalid_name_message(&org.name),
        ));
    }
    let now = now_text();
    let row = OrganizationRow {
        id: crate::db::new_id(),
        name: org.name.clone(),
        title: if org.title.is_empty() {
            org.name.clone()
        } else {
            org.title.clone()
        },
        title_en: None,
        description: org.description.clone(),
        image_url: String::new(),
        state: crate::enums::ObjectState::Active,
        created: now.clone(),
        modified: now,
    };
    diesel::insert_into(orgs::table)
        .values(&row)
        .execute(conn)?;
    let after = organizations::summary_dict(&row);
    activity::record(
        conn,
        &Actor::system(),
        crate::enums::ObjectType::Organization,
        &row.id,
        crate::enums::ActivityType::New,
        vec![],
        &after,
    )?;
    Ok(row.id)
}
