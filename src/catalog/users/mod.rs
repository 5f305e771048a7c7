//! Accounts: creating, showing, changing and deactivating users; password hashes (argon2id)
//! and API tokens (random secrets stored as SHA-256, shown once, revocable) in their own rooms.

mod passwords;
mod tokens;

pub use passwords::{hash_password, verify_password, PasswordCost};
pub use tokens::{actor_for_token, api_token_create, api_token_list, api_token_revoke};

use diesel::prelude::*;
use serde_json::{json, Value};

use super::params::{self, Errors};
use super::vocab::{invalid_name_message, is_valid_name};
use super::{Actor, Catalog, Dict};
use crate::db::models::UserRow;
use crate::db::schema::users;
use crate::db::{now_text, DbConnection};
use crate::error::{AppError, AppResult};

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
