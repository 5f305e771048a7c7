//! The one door: every call of an action, from the API, the pages, the CLI, the demo or a
//! harvester, passes through [`call`]. It screens the input, finds the action's entry in the
//! registry (`action_specs::ACTIONS`: name, spec, auth rule and handler in one entry),
//! checks the rule, and runs the handler in a tracing span. Writes keep the search index in
//! step by themselves (`AppContext::write` follows the change journal), so neither this door
//! nor any caller knows which datasets an action touched.

mod inputs;

use std::sync::Arc;

use serde::Serialize;
use serde_json::{json, Value};

pub use inputs::{help, MemberChange};

use super::{access, action_specs, params, Actor, AppContext, Dict};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::search::engine::EncodedPage;
use crate::storage::StagedFile;

/// What an action is given: the request's data dict and, for uploads, the staged file.
pub struct Request<'a> {
    /// The data dict, screened for control characters.
    pub dict: &'a Dict,
    /// The file of the multipart field `upload`, when the action takes one.
    pub upload: Option<StagedFile>,
}

/// What an action answers: a serialised view, or JSON text already encoded (search pages,
/// kept encoded in the result cache so a repeated search costs no encoding).
pub enum Reply {
    /// A view, serialised.
    Value(Value),
    /// Encoded JSON (with its compressed reply once a client asked for one).
    Encoded(Arc<EncodedPage>),
}

impl Reply {
    /// The reply as a JSON value (decoding an encoded page).
    pub fn into_value(self) -> AppResult<Value> {
        match self {
            Reply::Value(value) => Ok(value),
            Reply::Encoded(page) => serde_json::from_str(page.json())
                .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("a cached page"))),
        }
    }
}

/// The handler of an action: typed input is read from the request inside it.
pub type Handler = fn(&AppContext, &Actor, Request) -> AppResult<Reply>;

/// Serialises an action's typed view.
pub fn view(output: impl Serialize) -> AppResult<Reply> {
    serde_json::to_value(output)
        .map(Reply::Value)
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("serialising a view")))
}

/// The registry entry of an action, if it exists.
pub fn find(name: &str) -> Option<&'static action_specs::ActionSpec> {
    action_specs::find(name)
}

/// Runs the named action: screens the dict, checks the action's rule, runs it. Blocking:
/// call it off the async threads.
pub fn call(
    ctx: &AppContext,
    actor: &Actor,
    name: &str,
    dict: &Dict,
    upload: Option<StagedFile>,
) -> AppResult<Reply> {
    let Some(entry) = find(name) else {
        return Err(AppError::new(ErrorCode::UnknownAction).arg("name", name));
    };
    let screened = params::screen_controls(dict)?;
    let dict = screened.as_ref().unwrap_or(dict);
    let span = tracing::info_span!(
        "action",
        action = entry.name,
        user = actor
            .user_name
            .as_deref()
            .unwrap_or(if actor.sysadmin { "system" } else { "-" }),
    );
    let _entered = span.enter();
    access::authorize(actor, entry.rule, entry.name)?;
    (entry.run)(ctx, actor, Request { dict, upload })
}

/// [`call`] for callers that want JSON (the CLI, the demo, tests).
pub fn call_value(
    ctx: &AppContext,
    actor: &Actor,
    name: &str,
    dict: &Dict,
    upload: Option<StagedFile>,
) -> AppResult<Value> {
    call(ctx, actor, name, dict, upload)?.into_value()
}

/// [`call`] for callers that render a typed view (the pages): the reply read back into `T`,
/// the view type the action's handler serialised.
pub fn call_as<T: serde::de::DeserializeOwned>(
    ctx: &AppContext,
    actor: &Actor,
    name: &str,
    dict: &Dict,
) -> AppResult<T> {
    let decoded = match call(ctx, actor, name, dict, None)? {
        Reply::Value(value) => serde_json::from_value(value),
        Reply::Encoded(page) => serde_json::from_str(page.json()),
    };
    decoded.map_err(|e| {
        AppError::Internal(anyhow::Error::new(e).context(format!("reading the view of {name}")))
    })
}

/// CKAN's `status_show`.
pub(crate) fn status(ctx: &AppContext) -> Value {
    json!({
        "site_title": "Cổng dữ liệu mở / Open data portal",
        "site_url": ctx.site_url,
        "site_description": "Cổng dữ liệu mở cấp tỉnh (Nghị định 42/2022/NĐ-CP) / Provincial open data portal",
        "ckan_version": "2.10.4",
        "dataportal_version": env!("CARGO_PKG_VERSION"),
        "locale_default": "vi",
        "extensions": ["dataportal"],
    })
}
