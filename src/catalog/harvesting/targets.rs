//! Push targets: `harvest_target_create/show/list/update/delete`. The API token is
//! write-only: sealed before it is stored, never part of a view (`has_token` says whether one
//! is set).

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::input;
use super::runs::{self, JobView};
use crate::catalog::params::{self, Errors};
use crate::catalog::{AppContext, Dict};
use crate::db::schema::{harvest_objects, harvest_targets};
use crate::db::{now_text, DbConnection};
use crate::enums::{HarvestFrequency, HarvestTargetType};
use crate::error::{AppError, AppResult, ErrorCode, FieldCode};

/// A stored target.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = harvest_targets)]
pub struct TargetRow {
    /// UUID.
    pub id: String,
    /// Unique URL name.
    pub name: String,
    /// Title.
    pub title: String,
    /// The remote portal's URL.
    pub url: String,
    /// `ckan` or `dcat-push`.
    pub target_type: String,
    /// The sealed API token (empty: none).
    pub token_sealed: String,
    /// The organisation at the target that receives our datasets.
    pub remote_owner_org: String,
    /// What a DCAT push sends (`rdf`, `jsonld`); empty for CKAN.
    pub format: String,
    /// MANUAL, HOURLY, DAILY, WEEKLY, MONTHLY.
    pub frequency: String,
    /// JSON object.
    pub config: String,
    /// Creation time.
    pub created: String,
    /// Last change.
    pub modified: String,
}

impl TargetRow {
    /// Its type as the enum.
    pub fn target_type(&self) -> Option<HarvestTargetType> {
        self.target_type.parse().ok()
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

/// A target as `harvest_target_show` gives it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TargetView {
    /// UUID.
    pub id: String,
    /// URL name.
    pub name: String,
    /// Title.
    pub title: String,
    /// The remote portal's URL.
    pub url: String,
    /// `ckan` or `dcat-push`.
    pub target_type: String,
    /// The organisation at the target that receives our datasets.
    pub remote_owner_org: String,
    /// What a DCAT push sends (`rdf`, `jsonld`); empty for CKAN.
    pub format: String,
    /// Whether an API token is set (the token itself is never shown).
    pub has_token: bool,
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

/// A target by id or name.
pub fn find(conn: &mut DbConnection, id_or_name: &str) -> AppResult<Option<TargetRow>> {
    Ok(harvest_targets::table
        .filter(
            harvest_targets::id
                .eq(id_or_name)
                .or(harvest_targets::name.eq(id_or_name)),
        )
        .select(TargetRow::as_select())
        .first(conn)
        .optional()?)
}

/// A target by id or name, or a 404.
pub fn find_or_404(conn: &mut DbConnection, id_or_name: &str) -> AppResult<TargetRow> {
    find(conn, id_or_name)?
        .ok_or_else(|| AppError::not_found(ErrorCode::HarvestTargetNotFound, id_or_name))
}

/// Every target.
pub fn all(conn: &mut DbConnection) -> AppResult<Vec<TargetRow>> {
    Ok(harvest_targets::table
        .order(harvest_targets::name.asc())
        .select(TargetRow::as_select())
        .load(conn)?)
}

fn view(conn: &mut DbConnection, row: TargetRow) -> AppResult<TargetView> {
    let last_job = match runs::latest(conn, &row.id)? {
        Some(job) => Some(runs::view(conn, job, false)?),
        None => None,
    };
    Ok(TargetView {
        config: row.config(),
        id: row.id,
        name: row.name,
        title: row.title,
        url: row.url,
        target_type: row.target_type,
        has_token: !row.token_sealed.is_empty(),
        remote_owner_org: row.remote_owner_org,
        format: row.format,
        frequency: row.frequency,
        created: row.created,
        modified: row.modified,
        last_job,
    })
}

/// Applies the fields given in `dict` to `row` (all required ones on create), sealing a new
/// token; a `dcat-push` target's format and config are checked against what it will send.
fn apply(
    ctx: &AppContext,
    conn: &mut DbConnection,
    dict: &Dict,
    row: &mut TargetRow,
    create: bool,
) -> AppResult<()> {
    let mut errors = Errors::default();
    let name = input::name(dict, create, &mut errors);
    let title = params::text(dict, "title", 500, &mut errors);
    let url = input::url(dict, create, &mut errors);
    let kind = input::choice(
        dict,
        "target_type",
        HarvestTargetType::ALL,
        HarvestTargetType::as_str,
        create,
        &mut errors,
    );
    let org = params::text(dict, "remote_owner_org", 200, &mut errors).filter(|o| !o.is_empty());
    // The type in force after this change: the one given, else the stored one.
    let final_kind = kind.or_else(|| row.target_type());
    // Only a CKAN target has an organisation to push into.
    let needs_org = final_kind != Some(HarvestTargetType::DcatPush);
    if create && needs_org && org.is_none() && !errors.0.contains_key("remote_owner_org") {
        errors.add("remote_owner_org", params::missing());
    }
    let format = params::text(dict, "format", 20, &mut errors);
    // The token is taken as given (no trimming or normalising): it is a secret, not text.
    let token = match dict.get("token") {
        None | Some(Value::Null) => None,
        Some(Value::String(token)) if token.chars().count() <= 4000 => Some(token.clone()),
        Some(Value::String(_)) => {
            errors.add("token", FieldCode::TooLong.arg("max", 4000usize));
            None
        }
        Some(_) => {
            errors.add("token", FieldCode::NotAString);
            None
        }
    };
    // A CKAN target writes through an account, so it needs its token; a DCAT endpoint may be
    // open (inside the province's network), and then nothing is sent in the auth header.
    if create
        && needs_org
        && token.as_deref().is_none_or(str::is_empty)
        && !errors.0.contains_key("token")
    {
        errors.add("token", params::missing());
    }
    let frequency = input::frequency(dict, &mut errors);
    let config = input::config(dict, &mut errors);
    if let Some(name) = &name {
        if find(conn, name)?.is_some_and(|other| other.id != row.id) {
            errors.add("name", FieldCode::NameInUse);
        }
    }
    let format = match final_kind {
        Some(HarvestTargetType::DcatPush) => {
            let given = config.as_deref().map(input::config_value);
            push_settings(
                format.as_deref().unwrap_or(&row.format),
                &given.unwrap_or_else(|| row.config()),
                &mut errors,
            )
        }
        _ => format,
    };
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
        row.target_type = kind.as_str().to_owned();
    }
    if let Some(org) = org {
        row.remote_owner_org = org;
    }
    if let Some(format) = format {
        row.format = format;
    }
    if let Some(token) = token {
        row.token_sealed = ctx.harvest.seal.seal(&row.id, &token)?;
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

/// The header a `dcat-push` target sends its token in, unless `config.auth_header` says
/// otherwise (with the scheme `Bearer`).
pub const DEFAULT_AUTH_HEADER: &str = "Authorization";

/// The syntaxes a `dcat-push` target sends: RDF/XML (`rdf`, the default) or JSON-LD.
const PUSH_FORMATS: &[&str] = &["rdf", "jsonld"];

/// Checks what a `dcat-push` target needs: `format` (`rdf` or `jsonld`; `xml` is `rdf`) and,
/// in `config`, `method` (`PUT` or `POST`), `auth_header` (a header name) and `auth_scheme`
/// (text written before the token). Returns the format to store.
fn push_settings(format: &str, config: &Value, errors: &mut Errors) -> Option<String> {
    let format = match format.trim().to_ascii_lowercase().as_str() {
        "" | "rdf" | "xml" => Some("rdf".to_owned()),
        "jsonld" | "json-ld" => Some("jsonld".to_owned()),
        _ => {
            errors.add(
                "format",
                FieldCode::UnknownRdfFormat.arg("formats", PUSH_FORMATS.join(", ")),
            );
            None
        }
    };
    let text = |key: &str, errors: &mut Errors| match config.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(_) => {
            errors.add(&format!("config.{key}"), FieldCode::NotAString);
            None
        }
    };
    if let Some(method) = text("method", errors) {
        if dataportal_harvesters::dcat_push::Method::parse(&method).is_none() {
            errors.add(
                "config.method",
                FieldCode::UnknownChoice.arg("choices", "PUT, POST"),
            );
        }
    }
    if let Some(header) = text("auth_header", errors) {
        let token_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if header.is_empty() || header.len() > 100 || !header.chars().all(token_char) {
            errors.add("config.auth_header", FieldCode::InvalidHeaderName);
        }
    }
    if let Some(scheme) = text("auth_scheme", errors) {
        if scheme.len() > 100 || !scheme.chars().all(|c| c.is_ascii_graphic()) {
            errors.add("config.auth_scheme", FieldCode::InvalidHeaderName);
        }
    }
    format
}

/// `harvest_target_create`.
pub fn harvest_target_create(ctx: &AppContext, dict: &Dict) -> AppResult<TargetView> {
    ctx.write(|conn| {
        let now = now_text();
        let mut row = TargetRow {
            id: crate::db::new_id(),
            name: String::new(),
            title: String::new(),
            url: String::new(),
            target_type: String::new(),
            token_sealed: String::new(),
            remote_owner_org: String::new(),
            format: String::new(),
            frequency: HarvestFrequency::Manual.as_str().to_owned(),
            config: "{}".to_owned(),
            created: now.clone(),
            modified: now,
        };
        apply(ctx, conn, dict, &mut row, true)?;
        diesel::insert_into(harvest_targets::table)
            .values(&row)
            .execute(conn)?;
        view(conn, row)
    })
}

/// `harvest_target_update`: the fields given replace the stored ones.
pub fn harvest_target_update(ctx: &AppContext, dict: &Dict) -> AppResult<TargetView> {
    let id = params::required_id(dict, "id")?;
    ctx.write(|conn| {
        let mut row = find_or_404(conn, &id)?;
        apply(ctx, conn, dict, &mut row, false)?;
        diesel::update(harvest_targets::table.find(&row.id))
            .set((
                harvest_targets::name.eq(&row.name),
                harvest_targets::title.eq(&row.title),
                harvest_targets::url.eq(&row.url),
                harvest_targets::target_type.eq(&row.target_type),
                harvest_targets::token_sealed.eq(&row.token_sealed),
                harvest_targets::remote_owner_org.eq(&row.remote_owner_org),
                harvest_targets::format.eq(&row.format),
                harvest_targets::frequency.eq(&row.frequency),
                harvest_targets::config.eq(&row.config),
                harvest_targets::modified.eq(&row.modified),
            ))
            .execute(conn)?;
        view(conn, row)
    })
}

/// `harvest_target_show`.
pub fn harvest_target_show(ctx: &AppContext, dict: &Dict) -> AppResult<TargetView> {
    let id = params::required_id(dict, "id")?;
    ctx.db.read(|conn| {
        let row = find_or_404(conn, &id)?;
        view(conn, row)
    })
}

/// `harvest_target_list`.
pub fn harvest_target_list(ctx: &AppContext) -> AppResult<Vec<TargetView>> {
    ctx.db.read(|conn| {
        let rows = all(conn)?;
        rows.into_iter().map(|row| view(conn, row)).collect()
    })
}

/// `harvest_target_delete`: the target, its runs and its record of what it was sent go; what
/// the remote portal holds is left there.
pub fn harvest_target_delete(ctx: &AppContext, dict: &Dict) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    ctx.write(|conn| {
        let row = find_or_404(conn, &id)?;
        diesel::delete(harvest_objects::table.filter(harvest_objects::owner_id.eq(&row.id)))
            .execute(conn)?;
        diesel::delete(harvest_targets::table.find(&row.id)).execute(conn)?;
        Ok(Value::Null)
    })
}
