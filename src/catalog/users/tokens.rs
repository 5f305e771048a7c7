//! API tokens: random secrets stored only as SHA-256, shown once, revocable; and the actor
//! a token stands for.

use crate::catalog::access::is_self_or_sysadmin;
use diesel::prelude::*;
use rand::RngCore;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::find_user;
use crate::catalog::params::{self, Errors};
use crate::catalog::{Actor, AppContext, Dict};
use crate::db::models::{ApiTokenRow, UserRow};
use crate::db::schema::{api_tokens, users};
use crate::db::{now_text, DbConnection};
use crate::enums::{ObjectState, SiteRole};
use crate::error::{AppError, AppResult, ErrorCode, Forbidden};

/// Resolves a raw API token (as sent in the Authorization header) to the acting user.
pub fn actor_for_token(ctx: &AppContext, raw_token: &str) -> AppResult<Option<Actor>> {
    let token_hash = hex::encode(Sha256::digest(raw_token.trim().as_bytes()));
    let found: Option<(ApiTokenRow, UserRow, Vec<SiteRole>)> = ctx.db.read(|conn| {
        let row: Option<(ApiTokenRow, UserRow)> = api_tokens::table
            .inner_join(users::table)
            .filter(api_tokens::token_hash.eq(&token_hash))
            .filter(api_tokens::revoked.eq(false))
            .filter(users::state.eq(ObjectState::Active))
            .select((ApiTokenRow::as_select(), UserRow::as_select()))
            .first(conn)
            .optional()?;
        row.map(|(token, user)| {
            let roles = super::site_roles_of(conn, &user.id)?;
            Ok((token, user, roles))
        })
        .transpose()
    })?;
    let Some((token, user, roles)) = found else {
        return Ok(None);
    };
    // Record use at most hourly so authenticated reads do not turn into writes.
    let now = now_text();
    let stale = token
        .last_access
        .as_deref()
        .is_none_or(|last| last.get(..13) != now.get(..13));
    if stale {
        ctx.write(|conn| {
            diesel::update(api_tokens::table.find(&token.id))
                .set(api_tokens::last_access.eq(Some(&now)))
                .execute(conn)?;
            Ok(())
        })?;
    }
    Ok(Some(Actor::user(&user, roles)))
}

/// CKAN's `api_token_create`: a new secret for `user` (self, or anyone for sysadmins),
/// returned once and stored only as a hash.
pub fn api_token_create(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let user = params::required_id(dict, "user")?;
    let mut errors = Errors::default();
    let name = params::text(dict, "name", 200, &mut errors).unwrap_or_default();
    errors.into_result()?;
    ctx.write(|conn| {
        let row = find_user(conn, &user)?.ok_or_else(|| super::user_not_found(&user))?;
        if !is_self_or_sysadmin(actor, &row.id) {
            return Err(AppError::forbidden(Forbidden::CreateTokenForOther));
        }
        let mut secret = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        let token = format!("dp_{}", hex::encode(secret));
        let token_row = ApiTokenRow {
            id: crate::db::new_id(),
            user_id: row.id.clone(),
            name: if name.is_empty() {
                "api".to_owned()
            } else {
                name
            },
            token_hash: hex::encode(Sha256::digest(token.as_bytes())),
            created: now_text(),
            last_access: None,
            revoked: false,
        };
        diesel::insert_into(api_tokens::table)
            .values(&token_row)
            .execute(conn)?;
        Ok(json!({ "token": token, "jti": token_row.id }))
    })
}

/// CKAN's `api_token_list`: the user's live tokens, without secrets.
pub fn api_token_list(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let user = dict
        .get("user_id")
        .or_else(|| dict.get("user"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| actor.user_id.clone())
        .ok_or_else(|| AppError::field("user_id", params::missing()))?;
    ctx.db.read(|conn| {
        let row = find_user(conn, &user)?.ok_or_else(|| super::user_not_found(&user))?;
        if !is_self_or_sysadmin(actor, &row.id) {
            return Err(AppError::forbidden(Forbidden::ListOtherTokens));
        }
        let tokens: Vec<ApiTokenRow> = api_tokens::table
            .filter(api_tokens::user_id.eq(&row.id))
            .filter(api_tokens::revoked.eq(false))
            .order(api_tokens::created.asc())
            .select(ApiTokenRow::as_select())
            .load(conn)?;
        Ok(Value::Array(
            tokens
                .iter()
                .map(|t| {
                    json!({"id": t.id, "name": t.name, "user_id": t.user_id,
                           "created_at": t.created, "last_access": t.last_access})
                })
                .collect(),
        ))
    })
}

/// CKAN's `api_token_revoke`, by `jti` (token id) or by the raw `token`.
pub fn api_token_revoke(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let by_secret = dict.get("token").and_then(Value::as_str);
    let jti = dict.get("jti").and_then(Value::as_str);
    ctx.write(|conn| {
        let query = api_tokens::table
            .select(ApiTokenRow::as_select())
            .into_boxed();
        let query = match (jti, by_secret) {
            (Some(jti), _) => query.filter(api_tokens::id.eq(jti.to_owned())),
            (None, Some(secret)) => query.filter(
                api_tokens::token_hash.eq(hex::encode(Sha256::digest(secret.trim().as_bytes()))),
            ),
            (None, None) => return Err(AppError::field("jti", params::missing())),
        };
        let token = query
            .first(conn)
            .optional()?
            .ok_or_else(|| AppError::not_found(ErrorCode::TokenNotFound, jti.unwrap_or("?")))?;
        if !is_self_or_sysadmin(actor, &token.user_id) {
            return Err(AppError::forbidden(Forbidden::RevokeOtherToken));
        }
        diesel::update(api_tokens::table.find(&token.id))
            .set(api_tokens::revoked.eq(true))
            .execute(conn)?;
        Ok(Value::Null)
    })
}

/// Revokes every live token of a user; returns how many. Deactivation does this so that a
/// token from before (often the reason for deactivating: a leak, a person who left) stays dead
/// even if the account is re-activated later.
pub(super) fn revoke_all(conn: &mut DbConnection, user_id: &str) -> AppResult<usize> {
    Ok(diesel::update(
        api_tokens::table
            .filter(api_tokens::user_id.eq(user_id))
            .filter(api_tokens::revoked.eq(false)),
    )
    .set(api_tokens::revoked.eq(true))
    .execute(conn)?)
}
