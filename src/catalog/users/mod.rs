//! Accounts: creating, showing, changing and deactivating users; password hashes (argon2id)
//! API tokens (random secrets stored as SHA-256, shown once, revocable) and logging in with the
//! sessions of the web pages in their own rooms.

mod directory;
mod lifecycle;
mod passwords;
mod resets;
mod roles;
mod sessions;
mod tokens;

pub use directory::user_list;
pub use lifecycle::{user_activity_list, user_delete, user_update};
pub use passwords::{hash_password, verify_password, PasswordCost};
pub use resets::{
    password_reset_redeem, password_reset_user, user_password_reset_create, RESET_TTL_SECS,
};
pub use roles::{site_roles_of, user_role_grant, user_role_revoke, UserRoles};
pub use sessions::{
    actor_for_user_id, session_delete, session_load, session_save, session_update,
    sessions_end_for_user, verify_credentials,
};
pub use tokens::{actor_for_token, api_token_create, api_token_list, api_token_revoke};

use diesel::prelude::*;
use serde_json::{json, Value};

use super::params::{self, Errors};
use super::vocab::{invalid_name_message, is_valid_name};
use super::{activity, Actor, AppContext, Dict};
use crate::db::models::UserRow;
use crate::db::schema::users;
use crate::db::{now_text, DbConnection};
use crate::enums::{ActivityType, ObjectState, ObjectType};
use crate::error::{AppError, AppResult, ErrorCode, FieldCode};

/// An active account by id or login name.
fn find_user(conn: &mut DbConnection, id_or_name: &str) -> AppResult<Option<UserRow>> {
    Ok(users::table
        .filter(users::id.eq(id_or_name).or(users::name.eq(id_or_name)))
        .filter(users::state.eq(ObjectState::Active))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

/// An account in any state: sysadmins must reach deactivated ones to re-activate them, and a
/// login name stays taken by its deactivated owner.
fn find_any_user(conn: &mut DbConnection, id_or_name: &str) -> AppResult<Option<UserRow>> {
    Ok(users::table
        .filter(users::id.eq(id_or_name).or(users::name.eq(id_or_name)))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

/// An account as the actor may see it: sysadmins see deactivated ones too (to re-activate
/// them), everyone else gets "not found" for those, as for accounts that never existed.
fn find_visible_user(
    conn: &mut DbConnection,
    actor: &Actor,
    id_or_name: &str,
) -> AppResult<UserRow> {
    let found = if actor.sysadmin {
        find_any_user(conn, id_or_name)?
    } else {
        find_user(conn, id_or_name)?
    };
    found.ok_or_else(|| user_not_found(id_or_name))
}

fn user_not_found(id: &str) -> AppError {
    AppError::not_found(ErrorCode::UserNotFound, id)
}

/// Records a change of an account in its history. The e-mail is kept (only sysadmins and the
/// user read this history); the password hash never is.
fn record_user(
    conn: &mut DbConnection,
    actor: &Actor,
    user_id: &str,
    activity_type: ActivityType,
    changes: Vec<String>,
    object: &Value,
) -> AppResult<()> {
    activity::record(
        conn,
        actor,
        ObjectType::User,
        user_id,
        activity_type,
        changes,
        object,
    )
}

fn check_email(email: &str, errors: &mut Errors) {
    if !is_plausible_email(email) {
        errors.add("email", FieldCode::InvalidEmail);
    }
}

fn check_password(password: &str, errors: &mut Errors) {
    if password.chars().count() < 8 {
        errors.add("password", FieldCode::PasswordTooShort.arg("min", 8u32));
    }
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
pub fn user_create(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Value> {
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
    check_email(&email, &mut errors);
    check_password(&password, &mut errors);
    errors.into_result()?;
    // Hash before taking the write lock: argon2 is deliberately slow.
    let password_hash = hash_password(ctx.password_cost, &password)?;
    ctx.write(|conn| {
        // Creating cannot revive a deactivated account: that takes an explicit state change.
        match find_any_user(conn, &name)? {
            Some(old) if old.state != ObjectState::Active => {
                return Err(AppError::field("name", FieldCode::LoginNameDeactivated))
            }
            Some(_) => return Err(AppError::field("name", FieldCode::LoginNameTaken)),
            None => {}
        }
        let row = UserRow {
            id: crate::db::new_id(),
            name: name.clone(),
            email: email.clone(),
            fullname: fullname.clone(),
            password_hash,
            sysadmin,
            state: ObjectState::Active,
            created: now_text(),
        };
        diesel::insert_into(users::table)
            .values(&row)
            .execute(conn)?;
        let dict = user_dict(&row, true);
        record_user(conn, actor, &row.id, ActivityType::New, vec![], &dict)?;
        Ok(dict)
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

/// CKAN's `user_show`: e-mail only for the user and sysadmins; deactivated accounts only for
/// sysadmins (who need to find them to re-activate them).
pub fn user_show(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    ctx.db.read(|conn| {
        let row = find_visible_user(conn, actor, &id)?;
        let own = actor.user_id.as_deref() == Some(row.id.as_str());
        Ok(user_dict(&row, own || actor.sysadmin))
    })
}
