//! The action registry: CKAN action names mapped to domain functions, shared by the API and
//! (later) the pages and CLI, as CKAN's `get_action` is.

use std::sync::Arc;

use serde_json::{json, Value};

use super::{
    action_specs, datasets, datasets::resources, organizations, params, search, suggest, themes,
    users, vocab, Actor, AppContext, Dict,
};
use crate::error::{AppError, AppResult, ErrorCode, FieldCode};
use crate::storage::StagedFile;

/// True when the action exists.
pub fn exists(name: &str) -> bool {
    action_specs::find(name).is_some()
}

/// True when the action only reads (and so may be called with GET).
pub fn is_read_only(name: &str) -> bool {
    action_specs::find(name).is_some_and(|a| a.read_only)
}

/// True when the action takes a file in the multipart field `upload`.
pub fn accepts_upload(name: &str) -> bool {
    action_specs::find(name).is_some_and(|a| a.accepts_upload())
}

/// What an action returns to the API: a JSON value, or JSON text already encoded (search
/// pages, kept encoded in the result cache so a repeated search costs no encoding).
pub enum Output {
    /// A value to encode.
    Value(Value),
    /// Encoded JSON (with its compressed reply once a client asked for one).
    Encoded(Arc<crate::search::engine::EncodedPage>),
}

/// Runs the named action for the API: as [`call`], but a search page comes as the encoded
/// text it is cached as.
pub fn call_encoded(
    ctx: &AppContext,
    actor: &Actor,
    name: &str,
    dict: &Dict,
    upload: Option<StagedFile>,
) -> AppResult<Output> {
    let screened = params::screen_controls(dict)?;
    let dict = screened.as_ref().unwrap_or(dict);
    if name == "package_search" {
        return search::package_search_encoded(ctx, actor, dict).map(Output::Encoded);
    }
    call_screened(ctx, actor, name, dict, upload).map(Output::Value)
}

/// Runs the named action and keeps the search index in step with what it changed.
/// Blocking: call it off the async threads.
pub fn call(
    ctx: &AppContext,
    actor: &Actor,
    name: &str,
    dict: &Dict,
    upload: Option<StagedFile>,
) -> AppResult<Value> {
    let screened = params::screen_controls(dict)?;
    call_screened(ctx, actor, name, screened.as_ref().unwrap_or(dict), upload)
}

/// [`call`] on a dict already screened for control characters.
fn call_screened(
    ctx: &AppContext,
    actor: &Actor,
    name: &str,
    dict: &Dict,
    upload: Option<StagedFile>,
) -> AppResult<Value> {
    let result = run(ctx, actor, name, dict, upload)?;
    if !is_read_only(name) {
        // The change is stored: a failure to index it must not tell the client otherwise
        // (a retry would then be told its own name is taken). The change log still lists
        // it, so a catch-up in the background repairs the index.
        if let Err(error) = super::indexing::after_write(ctx, name, dict, &result) {
            tracing::error!(action = name, error = %error, "indexing a stored change failed");
            super::indexing::repair_in_background(ctx);
        }
    }
    Ok(result)
}

fn run(
    ctx: &AppContext,
    actor: &Actor,
    name: &str,
    dict: &Dict,
    upload: Option<StagedFile>,
) -> AppResult<Value> {
    match name {
        "status_show" => Ok(status(ctx)),
        "site_read" => Ok(Value::Bool(true)),
        "help_show" => {
            let wanted = text_param(dict, "name")?;
            let spec = action_specs::find(&wanted)
                .ok_or_else(|| AppError::not_found(ErrorCode::ActionNotFound, &wanted))?;
            Ok(Value::String(action_specs::help_text(spec)))
        }
        "package_list" => datasets::package_list(ctx, dict),
        "package_show" => datasets::package_show(ctx, actor, dict),
        "package_search" => search::package_search(ctx, actor, dict),
        "package_autocomplete" => suggest::package_autocomplete(ctx, dict),
        "tag_autocomplete" => suggest::tag_autocomplete(ctx, dict),
        "organization_autocomplete" => suggest::organization_autocomplete(ctx, dict),
        "package_activity_list" => datasets::package_activity_list(ctx, actor, dict),
        "current_package_list_with_resources" => {
            datasets::current_package_list_with_resources(ctx, dict)
        }
        "package_create" => datasets::package_create(ctx, actor, dict),
        "package_update" => datasets::package_update(ctx, actor, dict, false),
        "package_patch" => datasets::package_update(ctx, actor, dict, true),
        "package_delete" => datasets::package_delete(ctx, actor, dict),
        "resource_show" => resources::resource_show(ctx, actor, dict),
        "resource_create" => resources::resource_create(ctx, actor, dict, upload),
        "resource_update" => resources::resource_update(ctx, actor, dict, upload, false),
        "resource_patch" => resources::resource_update(ctx, actor, dict, upload, true),
        "resource_delete" => resources::resource_delete(ctx, actor, dict),
        "organization_list" => organizations::organization_list(ctx, dict),
        "organization_show" => organizations::organization_show(ctx, dict),
        "organization_create" => organizations::organization_create(ctx, actor, dict),
        "organization_update" => organizations::organization_update(ctx, actor, dict, false),
        "organization_patch" => organizations::organization_update(ctx, actor, dict, true),
        "organization_delete" => organizations::organization_delete(ctx, actor, dict),
        "organization_list_for_user" => organizations::organization_list_for_user(ctx, actor, dict),
        "member_list" => organizations::member_list(ctx, actor, dict),
        "member_create" => {
            let (org, user) = member_target(dict)?;
            let role = text_param(dict, "capacity")?;
            organizations::member_upsert(ctx, actor, &org, &user, &role)
        }
        "member_delete" => {
            let (org, user) = member_target(dict)?;
            organizations::member_remove(ctx, actor, &org, &user)
        }
        "organization_member_create" => {
            let org = text_param(dict, "id")?;
            let user = text_param(dict, "username")?;
            let role = text_param(dict, "role")?;
            organizations::member_upsert(ctx, actor, &org, &user, &role)
        }
        "organization_member_delete" => {
            let org = text_param(dict, "id")?;
            let user = dict
                .get("username")
                .or_else(|| dict.get("user_id"))
                .and_then(Value::as_str)
                .ok_or_else(|| AppError::field("username", super::params::missing()))?;
            organizations::member_remove(ctx, actor, &org, user)
        }
        "group_list" => themes::group_list(ctx, dict),
        "group_show" => themes::group_show(ctx, dict),
        "tag_list" => themes::tag_list(ctx, dict),
        "license_list" => Ok(Value::Array(
            vocab::LICENSES.iter().map(vocab::license_dict).collect(),
        )),
        "user_show" => users::user_show(ctx, actor, dict),
        "user_create" => users::user_create(ctx, actor, dict),
        "user_update" => users::user_update(ctx, actor, dict, false),
        "user_patch" => users::user_update(ctx, actor, dict, true),
        "user_delete" => users::user_delete(ctx, actor, dict),
        "user_activity_list" => users::user_activity_list(ctx, actor, dict),
        "api_token_create" => users::api_token_create(ctx, actor, dict),
        "api_token_list" => users::api_token_list(ctx, actor, dict),
        "api_token_revoke" => users::api_token_revoke(ctx, actor, dict),
        _ => Err(AppError::new(ErrorCode::UnknownAction).arg("name", name)),
    }
}

fn text_param(dict: &Dict, field: &str) -> AppResult<String> {
    super::params::required_id(dict, field)
}

/// `member_create/delete` name the organisation in `id` and the user in `object`
/// (only users can be members here: datasets belong to one organisation by `owner_org`).
fn member_target(dict: &Dict) -> AppResult<(String, String)> {
    let object_type = dict
        .get("object_type")
        .and_then(Value::as_str)
        .unwrap_or("user");
    if object_type != "user" {
        return Err(AppError::field("object_type", FieldCode::ObjectTypeUser));
    }
    Ok((text_param(dict, "id")?, text_param(dict, "object")?))
}

fn status(ctx: &AppContext) -> Value {
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
