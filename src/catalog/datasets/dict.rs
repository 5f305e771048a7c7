//! Building CKAN dataset dicts from rows, for many datasets at once (one query per related
//! table, not one per dataset).

use std::collections::HashMap;

use diesel::prelude::*;
use serde_json::{json, Value};

use super::resources;
use crate::catalog::{organizations, vocab};
use crate::db::models::{DatasetRow, OrganizationRow, ResourceRow, ThemeRow};
use crate::db::schema::{
    dataset_tags, dataset_themes, organizations as orgs, resources as res, themes,
};
use crate::db::DbConnection;
use crate::error::AppResult;

/// Dataset dicts for `rows`, in the same order.
pub fn dicts_for(
    conn: &mut DbConnection,
    rows: &[DatasetRow],
    site_url: &str,
) -> AppResult<Vec<Value>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut org_ids: Vec<&str> = rows.iter().map(|r| r.owner_org.as_str()).collect();
    org_ids.sort_unstable();
    org_ids.dedup();

    let org_rows: Vec<OrganizationRow> = orgs::table
        .filter(orgs::id.eq_any(&org_ids))
        .select(OrganizationRow::as_select())
        .load(conn)?;
    let orgs_by_id: HashMap<String, Value> = org_rows
        .iter()
        .map(|o| (o.id.clone(), organizations::summary_dict(o)))
        .collect();

    let mut tags: HashMap<String, Vec<String>> = HashMap::new();
    let tag_rows: Vec<(String, String)> = dataset_tags::table
        .filter(dataset_tags::dataset_id.eq_any(&ids))
        .order((dataset_tags::dataset_id, dataset_tags::tag))
        .select((dataset_tags::dataset_id, dataset_tags::tag))
        .load(conn)?;
    for (dataset_id, tag) in tag_rows {
        tags.entry(dataset_id).or_default().push(tag);
    }
    // Sorted here, not by the database, so both backends give the same order whatever
    // their collation.
    tags.values_mut().for_each(|t| t.sort_unstable());

    let mut groups: HashMap<String, Vec<Value>> = HashMap::new();
    let theme_rows: Vec<(String, ThemeRow)> = dataset_themes::table
        .inner_join(themes::table)
        .filter(dataset_themes::dataset_id.eq_any(&ids))
        .order((dataset_themes::dataset_id, themes::name))
        .select((dataset_themes::dataset_id, ThemeRow::as_select()))
        .load(conn)?;
    for (dataset_id, theme) in theme_rows {
        groups
            .entry(dataset_id)
            .or_default()
            .push(theme_summary(&theme));
    }

    let mut resource_dicts: HashMap<String, Vec<Value>> = HashMap::new();
    let resource_rows: Vec<ResourceRow> = res::table
        .filter(res::dataset_id.eq_any(&ids))
        .filter(res::state.eq("active"))
        .order((res::dataset_id, res::position))
        .select(ResourceRow::as_select())
        .load(conn)?;
    for row in &resource_rows {
        resource_dicts
            .entry(row.dataset_id.clone())
            .or_default()
            .push(resources::resource_dict(row, site_url));
    }

    Ok(rows
        .iter()
        .map(|row| {
            let tags = tags.remove(&row.id).unwrap_or_default();
            let groups = groups.remove(&row.id).unwrap_or_default();
            let resources = resource_dicts.remove(&row.id).unwrap_or_default();
            dataset_dict(row, orgs_by_id.get(&row.owner_org), tags, groups, resources)
        })
        .collect())
}

/// A dataset just written, as its writer holds it.
pub struct Parts<'a> {
    /// Its row.
    pub row: &'a DatasetRow,
    /// Its tags.
    pub tags: &'a [String],
    /// Its theme ids.
    pub theme_ids: &'a [String],
    /// Its active resources, in order.
    pub resources: &'a [ResourceRow],
}

/// The dicts of datasets just written, from the rows the writer already holds (saves
/// re-reading tags and resources): one query for their organisations, one for the themes.
pub fn dicts_from_parts(
    conn: &mut DbConnection,
    parts: &[Parts<'_>],
    site_url: &str,
) -> AppResult<Vec<Value>> {
    let mut org_ids: Vec<&str> = parts.iter().map(|p| p.row.owner_org.as_str()).collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let orgs_by_id: HashMap<String, Value> = orgs::table
        .filter(orgs::id.eq_any(&org_ids))
        .select(OrganizationRow::as_select())
        .load::<OrganizationRow>(conn)?
        .iter()
        .map(|o| (o.id.clone(), organizations::summary_dict(o)))
        .collect();
    // All twelve themes through one cached statement beats a fresh IN (...) per dataset.
    let all_themes: Vec<ThemeRow> = if parts.iter().all(|p| p.theme_ids.is_empty()) {
        Vec::new()
    } else {
        themes::table
            .order(themes::name)
            .select(ThemeRow::as_select())
            .load::<ThemeRow>(conn)?
    };
    Ok(parts
        .iter()
        .map(|part| {
            let mut tags = part.tags.to_vec();
            tags.sort_unstable();
            dataset_dict(
                part.row,
                orgs_by_id.get(&part.row.owner_org),
                tags,
                all_themes
                    .iter()
                    .filter(|t| part.theme_ids.contains(&t.id))
                    .map(theme_summary)
                    .collect(),
                part.resources
                    .iter()
                    .map(|r| resources::resource_dict(r, site_url))
                    .collect(),
            )
        })
        .collect())
}

fn theme_summary(theme: &ThemeRow) -> Value {
    json!({
        "id": theme.id, "name": theme.name, "title": theme.title,
        "title_en": theme.title_en, "display_name": theme.title, "description": theme.description,
    })
}

fn dataset_dict(
    row: &DatasetRow,
    organization: Option<&Value>,
    tags: Vec<String>,
    groups: Vec<Value>,
    resources: Vec<Value>,
) -> Value {
    let license = vocab::license(&row.license_id);
    let extras: Value = serde_json::from_str(&row.extras).unwrap_or_else(|_| json!([]));
    let frequency = vocab::FREQUENCIES.iter().find(|f| f.0 == row.frequency);
    json!({
        "id": row.id,
        "name": row.name,
        "title": row.title,
        "notes": row.notes,
        "type": "dataset",
        "owner_org": row.owner_org,
        "organization": organization,
        "private": row.private,
        "state": row.state,
        "license_id": row.license_id,
        "license_title": license.map(|l| l.title),
        "license_url": license.map(|l| l.url),
        "url": row.url,
        "version": row.version,
        "author": row.author,
        "author_email": row.author_email,
        "maintainer": row.maintainer,
        "maintainer_email": row.maintainer_email,
        "frequency": row.frequency,
        "frequency_title": frequency.map(|f| f.1),
        "spatial_code": row.spatial_code,
        "spatial_name": row.spatial_name,
        "temporal_start": row.temporal_start,
        "temporal_end": row.temporal_end,
        "language": row.language,
        "contact_name": row.contact_name,
        "contact_email": row.contact_email,
        "contact_phone": row.contact_phone,
        "title_en": row.title_en,
        "notes_en": row.notes_en,
        "num_tags": tags.len(),
        "tags": tags.iter().map(|t| json!({"name": t, "display_name": t, "state": "active"})).collect::<Vec<_>>(),
        "groups": groups,
        "extras": extras,
        "num_resources": resources.len(),
        "resources": resources,
        "creator_user_id": row.creator_user_id,
        "metadata_created": row.metadata_created,
        "metadata_modified": row.metadata_modified,
    })
}
