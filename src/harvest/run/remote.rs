//! The remote side of a run, by the type of its source or target: one implementation of the
//! harvesters' `PullSource` or `PushTarget` each. `dcat` and `dcat-push` plug in here.

use dataportal_harvesters::ckan::{CkanClient, CkanSource, CkanTarget};
use dataportal_harvesters::{FetchError, Fetcher, PullSource, PushTarget};
use serde_json::Value;

use super::failure;
use crate::catalog::harvesting::sources::SourceRow;
use crate::catalog::harvesting::targets::TargetRow;
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
        _ => Err(not_supported(&row.target_type)),
    }
}

fn not_supported(kind: &str) -> JobError {
    failure(FetchError::Request(format!(
        "loại \"{kind}\" chưa được hỗ trợ / the type \"{kind}\" is not yet supported"
    )))
}
