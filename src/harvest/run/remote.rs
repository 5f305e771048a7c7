//! The remote side of a run, by the type of its source or target: one implementation of the
//! harvesters' `PullSource` or `PushTarget` each.

use dataportal_harvesters::ckan::{CkanClient, CkanSource, CkanTarget};
use dataportal_harvesters::dcat::Format;
use dataportal_harvesters::dcat_push::{DcatPushTarget, Endpoint, Method};
use dataportal_harvesters::dcat_source::DcatSource;
use dataportal_harvesters::{FetchError, Fetcher, Outgoing, PullSource, PushTarget};
use serde_json::Value;

use super::failure;
use crate::catalog::datasets::view::DatasetView;
use crate::catalog::dcat::mapping;
use crate::catalog::harvesting::sources::SourceRow;
use crate::catalog::harvesting::targets::{self, TargetRow};
use crate::catalog::AppContext;
use crate::enums::{HarvestSourceType, HarvestTargetType};
use crate::jobs::JobError;

/// The client of a source.
pub fn source(ctx: &AppContext, row: &SourceRow) -> Result<Box<dyn PullSource>, JobError> {
    let fetcher = Fetcher::new(ctx.harvest.limits()).map_err(failure)?;
    match row.source_type() {
        Some(HarvestSourceType::Ckan) => {
            let rows = row
                .config()
                .get("rows")
                .and_then(Value::as_u64)
                .unwrap_or(ctx.harvest.settings.page_rows);
            let client = CkanClient::new(&row.url, None, fetcher).map_err(failure)?;
            Ok(Box::new(CkanSource::new(client, rows)))
        }
        Some(HarvestSourceType::Dcat) => {
            let map = Box::new(|dataset: &dataportal_harvesters::dcat::Dataset| {
                crate::harvest::dcat::to_package(dataset)
            });
            Ok(Box::new(
                DcatSource::new(&row.url, fetcher, map).map_err(failure)?,
            ))
        }
        _ => Err(not_supported(&row.source_type)),
    }
}

/// The client of a target, with its token opened.
pub fn target(
    ctx: &AppContext,
    row: &TargetRow,
    token: String,
) -> Result<Box<dyn PushTarget>, JobError> {
    let fetcher = Fetcher::new(ctx.harvest.limits()).map_err(failure)?;
    match row.target_type() {
        Some(HarvestTargetType::Ckan) => {
            let token = (!token.is_empty()).then_some(token);
            let client = CkanClient::new(&row.url, token, fetcher).map_err(failure)?;
            Ok(Box::new(CkanTarget::new(client, &row.remote_owner_org)))
        }
        Some(HarvestTargetType::DcatPush) => {
            let endpoint = endpoint(row);
            let site = ctx.site_url.clone();
            let render = Box::new(move |out: &Outgoing<'_>| {
                let view: DatasetView = serde_json::from_value(Value::Object(out.dict.clone()))
                    .map_err(|e| FetchError::Invalid(format!("reading our dataset: {e}")))?;
                Ok(mapping::dataset(&view.with_site_url(&site), &site))
            });
            let target = DcatPushTarget::new(endpoint, &token, fetcher, render).map_err(failure)?;
            Ok(Box::new(target))
        }
        _ => Err(not_supported(&row.target_type)),
    }
}

/// How a `dcat-push` target is spoken to: its `format` and `config` (checked when stored).
pub fn endpoint(row: &TargetRow) -> Endpoint {
    let config = row.config();
    let text = |key: &str| config.get(key).and_then(Value::as_str).map(str::to_owned);
    let auth_header =
        text("auth_header").unwrap_or_else(|| targets::DEFAULT_AUTH_HEADER.to_owned());
    let default_scheme = if auth_header.eq_ignore_ascii_case(targets::DEFAULT_AUTH_HEADER) {
        "Bearer"
    } else {
        ""
    };
    Endpoint {
        url: row.url.clone(),
        format: Format::from_extension(row.format.trim()).unwrap_or(Format::RdfXml),
        method: text("method")
            .and_then(|m| Method::parse(&m))
            .unwrap_or(Method::Put),
        auth_scheme: text("auth_scheme").unwrap_or_else(|| default_scheme.to_owned()),
        auth_header,
    }
}

fn not_supported(kind: &str) -> JobError {
    failure(FetchError::Request(format!(
        "loại \"{kind}\" chưa được hỗ trợ / the type \"{kind}\" is not yet supported"
    )))
}
