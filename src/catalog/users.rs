//! Accounts, password hashes (argon2id) and API tokens (random secrets stored as SHA-256,
//! shown once, revocable).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use diesel::prelude::*;
use rand::RngCore;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::params::{self, Errors};
use super::vocab::{invalid_name_message, is_valid_name};
use super::{Actor, Catalog, Dict};
use crate::db::models::{ApiTokenRow, UserRow};
use crate::db::schema::{api_tokens, users};
use crate::db::{now_text, DbConnection};
use crate::error::{AppError, AppResult};

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy)]
pub struct PasswordCost {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes.
    pub iterations: u32,
}

impl PasswordCost {
    fn hasher(self) -> AppResult<Argon2<'static>> {
        let params = Params::new(self.memory_kib, self.iterations, 1, None)
            .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// Hashes a password as an argon2id PHC string.
pub fn hash_password(cost: PasswordCost, password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Ok(cost
        .hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?
        .to_string())
}

/// Checks a password against a stored PHC string.
pub fn verify_password(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

fn find_user(conn: &mut DbConnection, id_or_name: &str) -> AppResult<Option<UserRow>> {
    Ok(users::table
        .filter(users::id.eq(id_or_name).or(users::name.eq(id_or_name)))
        .filter(users::state.eq("active"))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

fn user_dict(row: &UserRow, with_private: bool) -> Value {
    let mut dict = json!({
        "id": row.id,
        "name": row.name,
        "fullname": row.fullname,
        "display_name": if row.fullname.is_empty() { &row.name } else { &row.fullname },
        "sysadmin": row.sysadmin,
        "state": row.state,
        "created": row.created,
    });
    if with_private {
        dict["email"] = Value::String(row.email.clone());
    }
    dict
}

/// Creates an account. Only sysadmins (and the command line) may; only they may make sysadmins.
pub fn user_create(cat: &Catalog, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    if !actor.sysadmin {
        return Err(AppError::forbidden("tạo tài khoản", "create users"));
    }
    let mut errors = Errors::default();
    let name = params::text(dict, "name", 100, &mut errors).unwrap_or_default();
    let email = params::text(dict, "email", 254, &mut errors).unwrap_or_default();
    let fullname = params::text(dict, "fullname", 200, &mut errors).unwrap_or_default();
    let password = match dict.get("password") {
        Some(Value::String(p)) => p.clone(),
        _ => String::new(),
    };
    let sysadmin = params::boolean(dict, "sysadmin", &mut errors).unwrap_or(false);
    if name.is_empty() {
        errors.add("name", params::missing());
    } else if !is_valid_name(&name) {
        errors.add("name", invalid_name_message(&name));
    }
    if !is_plausible_email(&email) {
        errors.add(
            "email",
            "Địa chỉ email không hợp lệ / Not a valid e-mail address",
        );
    }
    if password.chars().count() < 8 {
        errors.add(
            "password",
            "Mật khẩu phải có ít nhất 8 ký tự / Password must be at least 8 characters",
        );
    }
    errors.into_result()?;
    // Hash before taking the write lock: argon2 is deliberately slow.
    let password_hash = hash_password(cat.password_cost, &password)?;
    cat.db.write(|conn| {
        if find_user(conn, &name)?.is_some() {
            return Err(AppError::field(
                "name",
                "Tên đăng nhập đã được sử dụng / That login name is not available",
            ));
        }
        let row = UserRow {
            id: crate::db::new_id(),
            name: name.clone(),
            email: email.clone(),
            fullname: fullname.clone(),
            password_hash,
            sysadmin,
            state: "active".to_owned(),
            created: now_text(),
        };
        diesel::insert_into(users::table)
            .values(&row)
            .execute(conn)?;
        Ok(user_dict(&row, true))
    })
}

/// A loose e-mail check: one `@`, something before it, a dot in the domain, no spaces.
pub fn is_plausible_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

/// CKAN's `user_show`: e-mail only for the user and sysadmins.
pub fn user_show(cat: &Catalog, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    cat.db.read(|conn| {
        let row = find_user(conn, &id)?
            .ok_or_else(|| AppError::not_found("user_not_found", "người dùng", "User", &id))?;
        let own = actor.user_id.as_deref() == Some(row.id.as_str());
        Ok(user_dict(&row, own || actor.sysadmin))
    })
}

/// Resolves a raw API token (as sent in the Authorization header) to the acting user.
pub fn actor_for_token(cat: &Catalog, raw_token: &str) -> AppResult<Option<Actor>> {
    let token_hash = hex::encode(Sha256::digest(raw_token.trim().as_bytes()));
    let found: Option<(ApiTokenRow, UserRow)> = cat.db.read(|conn| {
        Ok(api_tokens::table
            .inner_join(users::table)
            .filter(api_tokens::token_hash.eq(&token_hash))
            .filter(api_tokens::revoked.eq(false))
            .filter(users::state.eq("active"))
            .select((ApiTokenRow::as_select(), UserRow::as_select()))
            .first(conn)
            .optional()?)
    })?;
    let Some((token, user)) = found else {
        return Ok(None);
    };
    // Record use at most hourly so authenticated reads do not turn into writes.
    let now = now_text();
    let stale = token
        .last_access
        .as_deref()
        .is_none_or(|last| last.get(..13) != now.get(..13));
    if stale {
        cat.db.write(|conn| {
            diesel::update(api_tokens::table.find(&token.id))
                .set(api_tokens::last_access.eq(Some(&now)))
                .execute(conn)?;
            Ok(())
        })?;
    }
    Ok(Some(Actor {
        user_id: Some(user.id),
        user_name: Some(user.name),
        sysadmin: user.sysadmin,
    }))
}

/// CKAN's `api_token_create`: a new secret for `user` (self, or anyone for sysadmins),
/// returned once and stored only as a hash.
pub fn api_token_create(cat: &Catalog, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let user = params::required_id(dict, "user")?;
    let mut errors = Errors::default();
    let name = params::text(dict, "name", 200, &mut errors).unwrap_or_default();
    errors.into_result()?;
    cat.db.write(|conn| {
        let row = find_user(conn, &user)?
            .ok_or_else(|| AppError::not_found("user_not_found", "người dùng", "User", &user))?;
        if !actor.sysadmin && actor.user_id.as_deref() != Some(row.id.as_str()) {
            return Err(AppError::forbidden(
                "tạo khóa API cho người dùng khác",
                "create API tokens for another user",
            ));
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
pub fn api_token_list(cat: &Catalog, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let user = dict
        .get("user_id")
        .or_else(|| dict.get("user"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| actor.user_id.clone())
        .ok_or_else(|| AppError::field("user_id", params::missing()))?;
    cat.db.read(|conn| {
        let row = find_user(conn, &user)?
            .ok_or_else(|| AppError::not_found("user_not_found", "người dùng", "User", &user))?;
        if !actor.sysadmin && actor.user_id.as_deref() != Some(row.id.as_str()) {
            return Err(AppError::forbidden(
                "xem khóa API của người dùng khác",
                "list another user's API tokens",
            ));
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
pub fn api_token_revoke(cat: &Catalog, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let by_secret = dict.get("token").and_then(Value::as_str);
    let jti = dict.get("jti").and_then(Value::as_str);
    cat.db.write(|conn| {
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
        let token = query.first(conn).optional()?.ok_or_else(|| {
            AppError::not_found(
                "token_not_found",
                "khóa API",
                "API token",
                jti.unwrap_or("?"),
            )
        })?;
        if !actor.sysadmin && actor.user_id.as_deref() != Some(token.user_id.as_str()) {
            return Err(AppError::forbidden(
                "thu hồi khóa API của người dùng khác",
                "revoke another user's API token",
            ));
        }
        diesel::update(api_tokens::table.find(&token.id))
            .set(api_tokens::revoked.eq(true))
            .execute(conn)?;
        Ok(Value::Null)
    })
}
