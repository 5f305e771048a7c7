//! The catalogue as DCAT-AP 3.0.1 (the model and serialisers live in the `harvesters`
//! crate; the mapping from our views here). Two actions, named as ckanext-dcat names them:
//! `dcat_dataset_show` (one dataset) and `dcat_catalog_show` (a page of 100 datasets found by
//! `package_search`, with hydra paging). The whole catalogue is [`export`]ed as a stream,
//! read from the database in batches, never held in memory. Only public, active datasets
//! ever appear, whoever asks: DCAT is the catalogue's public face.

pub mod mapping;
pub mod terms;

use std::io::Write;

use chrono::{DateTime, Utc};
use dataportal_harvesters::dcat::{self, Format, Paging, StreamWriter};
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::{json, Value};

use super::datasets::freshness::parse_timestamp;
use super::datasets::view::DatasetView;
use super::params::{self, Errors};
use super::{actions, Actor, AppContext, Dict};
use crate::db::models::DatasetRow;
use crate::db::schema::datasets;
use crate::db::DbConnection;
use crate::enums::DatasetState;
use crate::error::{AppError, AppResult, FieldCode};

/// Datasets per catalogue page (ckanext-dcat's default).
pub const PAGE_SIZE: u64 = 100;

/// Datasets read from the database at once by [`export`]. Measured at 100,000 datasets:
/// see the `dcat` phase of the bench harness.
const EXPORT_BATCH: i64 = 500;

/// The `format` parameter: `rdf` (or `xml`), `ttl`, `jsonld`; RDF/XML by default.
pub fn format_param(dict: &Dict, errors: &mut Errors) -> Format {
    let text = params::text(dict, "format", 40, errors).unwrap_or_default();
    let text = text.trim();
    if text.is_empty() {
        return Format::RdfXml;
    }
    match Format::from_extension(text).or_else(|| Format::from_media_type(text)) {
        Some(format) => format,
        None => {
            errors.add(
                "format",
                FieldCode::UnknownRdfFormat.arg("formats", "rdf, xml, ttl, jsonld"),
            );
            Format::RdfXml
        }
    }
}

/// The `modified_since` parameter: a date or date-time (RFC 3339, `Z` optional).
pub fn modified_since_param(dict: &Dict, errors: &mut Errors) -> Option<DateTime<Utc>> {
    let text = params::text(dict, "modified_since", 40, errors)?;
    if text.trim().is_empty() {
        return None;
    }
    let parsed = parse_timestamp(&text);
    if parsed.is_none() {
        errors.add("modified_since", FieldCode::InvalidDate);
    }
    parsed
}

fn document(bytes: std::io::Result<Vec<u8>>) -> AppResult<String> {
    let bytes =
        bytes.map_err(|e| AppError::Internal(anyhow::Error::new(e).context("writing DCAT")))?;
    String::from_utf8(bytes)
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("DCAT output")))
}

/// `dcat_dataset_show`: one public dataset as a DCAT document in `format`.
pub fn dcat_dataset_show(ctx: &AppContext, dict: &Dict) -> AppResult<String> {
    let id = params::required_id(dict, "id")?;
    let mut errors = Errors::default();
    let format = format_param(dict, &mut errors);
    errors.into_result()?;
    let view = ctx.db.read(|conn| {
        let row = super::datasets::find(conn, &id)?
            .filter(|row| row.state == DatasetState::Active && !row.private)
            .ok_or_else(|| super::datasets::not_found(&id))?;
        super::datasets::views_for(conn, std::slice::from_ref(&row))?
            .pop()
            .ok_or_else(|| super::datasets::not_found(&id))
    })?;
    let site = ctx.site_url.as_str();
    let model = mapping::dataset(&view.with_site_url(site), site);
    document(dcat::to_bytes(format, None, None, [&model]))
}

/// The part of `package_search`'s result a catalogue page reads.
#[derive(Deserialize)]
struct Found {
    count: u64,
    results: Vec<DatasetView>,
}

/// `dcat_catalog_show`: page `page` (from 1) of the public datasets matching `q`, `fq` and
/// `modified_since`, newest change first, as a catalogue document with hydra paging.
pub fn dcat_catalog_show(ctx: &AppContext, dict: &Dict) -> AppResult<String> {
    let mut errors = Errors::default();
    let format = format_param(dict, &mut errors);
    let since = modified_since_param(dict, &mut errors);
    let page = params::integer(dict, "page", 1000, &mut errors)
        .unwrap_or(1)
        .max(1) as u64;
    let q = params::text(dict, "q", 2000, &mut errors).unwrap_or_default();
    let fq = params::text(dict, "fq", 2000, &mut errors).unwrap_or_default();
    errors.into_result()?;

    let mut search = Dict::new();
    search.insert("q".into(), json!(q));
    search.insert("fq".into(), json!(fq));
    if let Some(since) = since {
        let range = format!(
            "metadata_modified:[{} TO *]",
            since.format("%Y-%m-%dT%H:%M:%SZ")
        );
        search.insert("fq_list".into(), json!([range]));
    }
    search.insert("rows".into(), json!(PAGE_SIZE));
    search.insert("start".into(), json!((page - 1) * PAGE_SIZE));
    search.insert("sort".into(), json!("metadata_modified desc"));
    // Anonymous whoever calls: private and draft datasets never appear in DCAT.
    let found: Found = actions::call_as(ctx, &Actor::anonymous(), "package_search", &search)?;

    let site = ctx.site_url.as_str();
    let last = found.count.div_ceil(PAGE_SIZE).max(1);
    let link = |n: u64| page_url(site, format, n, &q, &fq, dict.get("modified_since"));
    let paging = Paging {
        page: link(page),
        total_items: found.count,
        items_per_page: PAGE_SIZE,
        first: Some(link(1)),
        last: Some(link(last)),
        next: (page < last).then(|| link(page + 1)),
        previous: (page > 1).then(|| link(page - 1)),
    };
    let (issued, modified) = ctx.db.read(catalog_dates)?;
    let catalog = mapping::catalog(site, issued, modified);
    let models: Vec<dcat::Dataset> = found
        .results
        .into_iter()
        .map(|view| mapping::dataset(&view.with_site_url(site), site))
        .collect();
    document(dcat::to_bytes(
        format,
        Some(&catalog),
        Some(&paging),
        &models,
    ))
}

/// The address of a catalogue page with the same filters.
fn page_url(
    site: &str,
    format: Format,
    page: u64,
    q: &str,
    fq: &str,
    since: Option<&Value>,
) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("page", &page.to_string());
    if !q.is_empty() {
        query.append_pair("q", q);
    }
    if !fq.is_empty() {
        query.append_pair("fq", fq);
    }
    if let Some(Value::String(since)) = since {
        query.append_pair("modified_since", since);
    }
    format!("{site}/catalog.{}?{}", format.extension(), query.finish())
}

/// What a request for the whole catalogue (`page=all`) asks: the syntax and `modified_since`.
/// A search (`q`, `fq`) is refused: it pages through `package_search`, 100 at a time.
pub fn export_request(dict: &Dict) -> AppResult<(Format, Option<DateTime<Utc>>)> {
    let mut errors = Errors::default();
    let format = format_param(dict, &mut errors);
    let since = modified_since_param(dict, &mut errors);
    for field in ["q", "fq"] {
        let given = params::text(dict, field, 2000, &mut errors).unwrap_or_default();
        if !given.trim().is_empty() {
            errors.add(field, FieldCode::WholeCatalogueUnfiltered);
        }
    }
    errors.into_result()?;
    Ok((format, since))
}

/// When the public catalogue was first published and last changed.
fn catalog_dates(conn: &mut DbConnection) -> AppResult<(Option<String>, Option<String>)> {
    let public = datasets::state
        .eq(DatasetState::Active)
        .and(datasets::private.eq(false));
    let issued: Option<String> = datasets::table
        .filter(public)
        .select(diesel::dsl::min(datasets::metadata_created))
        .first(conn)?;
    let modified: Option<String> = datasets::table
        .filter(public)
        .select(diesel::dsl::max(datasets::metadata_modified))
        .first(conn)?;
    Ok((issued, modified))
}

/// Writes every public dataset (changed since `since`, when given) as one catalogue document
/// to `out`, reading the database [`EXPORT_BATCH`] datasets at a time in id order; returns
/// `out` and how many datasets were written. Stops at the first write error (a client that
/// went away).
pub fn export<W: Write>(
    ctx: &AppContext,
    format: Format,
    since: Option<DateTime<Utc>>,
    out: W,
) -> AppResult<(W, u64)> {
    let io = |e: std::io::Error| {
        AppError::Internal(anyhow::Error::new(e).context("writing the DCAT export"))
    };
    let site = ctx.site_url.as_str();
    let (issued, modified) = ctx.db.read(catalog_dates)?;
    let catalog = mapping::catalog(site, issued, modified);
    let mut writer = StreamWriter::start(out, format, Some(&catalog), None).map_err(io)?;
    let mut after = String::new();
    let mut written = 0u64;
    loop {
        let batch: Vec<DatasetView> = ctx.db.read(|conn| {
            let rows: Vec<DatasetRow> = datasets::table
                .filter(datasets::state.eq(DatasetState::Active))
                .filter(datasets::private.eq(false))
                .filter(datasets::id.gt(&after))
                .order(datasets::id.asc())
                .limit(EXPORT_BATCH)
                .select(DatasetRow::as_select())
                .load(conn)?;
            super::datasets::views_for(conn, &rows)
        })?;
        let Some(last) = batch.last() else { break };
        after = last.id.clone();
        for view in batch {
            // Timestamps are stored in more than one form (imports keep the source's), so
            // the comparison is made on parsed times, not on the text.
            let recent = since.is_none_or(|since| {
                parse_timestamp(&view.metadata_modified).is_some_and(|m| m >= since)
            });
            if recent
                && writer
                    .dataset(&mapping::dataset(&view.with_site_url(site), site))
                    .map_err(io)?
            {
                written += 1;
            }
        }
    }
    Ok((writer.finish().map_err(io)?, written))
}
