//! Pull sources: `harvest_source_create/show/list/update/delete`.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::input;
use super::runs::{self, JobView};
use crate::catalog::params::{self, Errors};
use crate::catalog::{organizations, AppContext, Dict};
use crate::db::schema::{harvest_objects, harvest_sources};
use crate::db::{now_text, DbConnection};
use crate::enums::{HarvestFrequency, HarvestSourceType};
use crate::error::{AppError, AppResult, ErrorCode, FieldCode};

/// A stored source.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = harvest_sources)]
pub struct SourceRow {
    /// UUID.
    pub id: String,
    /// Unique URL name.
    pub name: String,
    /// Title.
    pub title: String,
    /// The remote catalogue's URL.
    pub url: String,
    /// `ckan` or `dcat`.
    pub source_type: String,
    /// The local organisation (id) receiving the datasets.
    pub owner_org: String,
    /// MANUAL, HOURLY, DAILY, WEEKLY, MONTHLY.
    pub frequency: String,
    /// JSON object.
    pub config: String,
    /// Creation time.
    pub created: String,
    /// Last change.
    pub modified: String,
}

impl SourceRow {
    /// Its type as the enum.
    pub fn source_type(&self) -> Option<HarvestSourceType> {
        self.source_type.parse().ok()
    }

    /// Its frequency as the enum (unknown: manual).
    pub fn frequency(&self) -> HarvestFrequency {
        self.frequency.parse().unwrap_or(HarvestFrequency::Manual)
    }

    /// Its config as JSON.
    pub fn config(&self) -> Value {
        input::config_value(&self.config)
    }
}

/// A source as `harvest_source_show` gives it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceView {
    /// UUID.
    pub id: String,
    /// URL name.
    pub name: String,
    /// Title.
    pub title: String,
    /// The remote catalogue's URL.
    pub url: String,
    /// `ckan` or `dcat`.
    pub source_type: String,
    /// The local organisation (id) receiving the datasets.
    pub owner_org: String,
    /// MANUAL, HOURLY, DAILY, WEEKLY, MONTHLY.
    pub frequency: String,
    /// JSON object.
    pub config: Value,
    /// Creation time.
    pub created: String,
    /// Last change.
    pub modified: String,
    /// Its newest run.
    pub last_job: Option<JobView>,
}

/// A source by id or name.
pub fn find(conn: &mut DbConnection, id_or_name: &str) -> AppResult<Option<SourceRow>> {
    Ok(harvest_sources::table
        .filter(
            harvest_sources::id
                .eq(id_or_name)
                .or(harvest_sources::name.eq(id_or_name)),
        )
        .select(SourceRow::as_select())
        .first(conn)
        .optional()?)
}

/// A source by id or name, or a 404.
pub fn find_or_404(conn: &mut DbConnection, id_or_name: &str) -> AppResult<SourceRow> {
    find(conn, id_or_name)?
        .ok_or_else(|| AppError::not_found(ErrorCode::HarvestSourceNotFound, id_or_name))
}

/// Every source.
pub fn all(conn: &mut DbConnection) -> AppResult<Vec<SourceRow>> {
    Ok(harvest_sources::table
        .order(harvest_sources::name.asc())
        .select(SourceRow::as_select())
        .load(conn)?)
}

fn view(conn: &mut DbConnection, row: SourceRow) -> AppResult<SourceView> {
    let last_job = match runs::latest(conn, &row.id)? {
        Some(job) => Some(runs::view(conn, job, false)?),
        None => None,
    };
    Ok(SourceView {
        config: row.config(),
        id: row.id,
        name: row.name,
        title: row.title,
        url: row.url,
        source_type: row.source_type,
        owner_org: row.owner_org,
        frequency: row.frequency,
        created: row.created,
        modified: row.modified,
        last_job,
    })
}

/// Applies the fields given in `dict` to `row` (all required ones on create).
fn apply(conn: &mut DbConnection, dict: &Dict, row: &mut SourceRow, create: bool) -> AppResult<()> {
    let mut errors = Errors::default();
    let name = input::name(dict, create, &mut errors);
    let title = params::text(dict, "title", 500, &mut errors);
    let url = input::url(dict, create, &mut errors);
    let kind = input::choice(
        dict,
        "source_type",
        HarvestSourceType::ALL,
        HarvestSourceType::as_str,
        create,
        &mut errors,
    );
    let org = params::text(dict, "owner_org", 200, &mut errors).filter(|o| !o.is_empty());
    if create && org.is_none() && !errors.0.contains_key("owner_org") {
        errors.add("owner_org", params::missing());
    }
    let frequency = input::frequency(dict, &mut errors);
    let config = input::config(dict, &mut errors);
    let org_id = match &org {
        Some(org) => match organizations::find(conn, org)? {
            Some(found) => Some(found.id),
            None => {
                errors.add("owner_org", FieldCode::UnknownOrganization.arg("id", org));
                None
            }
        },
        None => None,
    };
    if let Some(name) = &name {
        if find(conn, name)?.is_some_and(|other| other.id != row.id) {
            errors.add("name", FieldCode::NameInUse);
        }
    }
    errors.into_result()?;
    if let Some(name) = name {
        row.name = name;
    }
    if let Some(title) = title {
        row.title = title;
    }
    if row.title.is_empty() {
        row.title = row.name.clone();
    }
    if let Some(url) = url {
        row.url = url;
    }
    if let Some(kind) = kind {
        row.source_type = kind.as_str().to_owned();
    }
    if let Some(org_id) = org_id {
        row.owner_org = org_id;
    }
    if let Some(frequency) = frequency {
        row.frequency = frequency.as_str().to_owned();
    }
    if let Some(config) = config {
        row.config = config;
    }
    row.modified = now_text();
    Ok(())
}

/// `harvest_source_create`.
pub fn harvest_source_create(ctx: &AppContext, dict: &Dict) -> AppResult<SourceView> {
    ctx.write(|conn| {
        let now = now_text();
        let mut row = SourceRow {
            id: crate::db::new_id(),
            name: String::new(),
            title: String::new(),
            url: String::new(),
            source_type: String::new(),
            owner_org: String::new(),
            frequency: HarvestFrequency::Manual.as_str().to_owned(),
            config: "{}".to_owned(),
            created: now.clone(),
            modified: now,
        };
        apply(conn, dict, &mut row, true)?;
        diesel::insert_into(harvest_sources::table)
            .values(&row)
            .execute(conn)?;
        view(conn, row)
    })
}

/// `harvest_source_update`: the fields given replace the stored ones.
pub fn harvest_source_update(ctx: &AppContext, dict: &Dict) -> AppResult<SourceView> {
    let id = params::required_id(dict, "id")?;
    ctx.write(|conn| {
        let mut row = find_or_404(conn, &id)?;
        apply(conn, dict, &mut row, false)?;
        diesel::update(harvest_sources::table.find(&row.id))
            .set((
                harvest_sources::name.eq(&row.name),
                harvest_sources::title.eq(&row.title),
                harvest_sources::url.eq(&row.url),
                harvest_sources::source_type.eq(&row.source_type),
                harvest_sources::owner_org.eq(&row.owner_org),
                harvest_sources::frequency.eq(&row.frequency),
                harvest_sources::config.eq(&row.config),
                harvest_sources::modified.eq(&row.modified),
            ))
            .execute(conn)?;
        view(conn, row)
    })
}

/// `harvest_source_show`.
pub fn harvest_source_show(ctx: &AppContext, dict: &Dict) -> AppResult<SourceView> {
    let id = params::required_id(dict, "id")?;
    ctx.db.read(|conn| {
        let row = find_or_404(conn, &id)?;
        view(conn, row)
    })
}

/// `harvest_source_list`.
pub fn harvest_source_list(ctx: &AppContext) -> AppResult<Vec<SourceView>> {
    ctx.db.read(|conn| {
        let rows = all(conn)?;
        rows.into_iter().map(|row| view(conn, row)).collect()
    })
}

/// `harvest_source_delete`: the source, its runs and its record of what it harvested go; the
/// datasets it harvested stay, as ordinary datasets of their organisation.
pub fn harvest_source_delete(ctx: &AppContext, dict: &Dict) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    ctx.write(|conn| {
        let row = find_or_404(conn, &id)?;
        diesel::delete(harvest_objects::table.filter(harvest_objects::owner_id.eq(&row.id)))
            .execute(conn)?;
        diesel::delete(harvest_sources::table.find(&row.id)).execute(conn)?;
        Ok(Value::Null)
    })
}
