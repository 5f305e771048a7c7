//! Changing and deactivating accounts: CKAN's `user_update`, `user_patch` and `user_delete`,
//! and the account's own history (`user_activity_list`).
//!
//! Deactivation is CKAN's `state = deleted`: the row and its history stay, the user's tokens
//! are revoked and their organisation roles removed, and only an explicit `state = active`
//! from a sysadmin brings the account back. Nobody changes their own sysadmin flag or state:
//! for a sysadmin that would be a lock-out (perhaps of the last one), for anyone else a
//! promotion.

use crate::catalog::access::is_self_or_sysadmin;
use diesel::prelude::*;
use serde_json::{json, Value};

use super::{
    check_email, check_password, find_any_user, find_visible_user, hash_password, record_user,
    sessions, tokens, user_dict, user_not_found,
};
use crate::catalog::params::{self, Errors};
use crate::catalog::{activity, organizations, Actor, AppContext, Dict};
use crate::db::models::UserRow;
use crate::db::schema::users;
use crate::db::DbConnection;
use crate::enums::{ActivityType, ObjectState};
use crate::error::{AppError, AppResult, FieldCode, Forbidden};

/// What a `user_update` or `user_patch` asks for; `None` keeps the stored value.
struct Changes {
    name: Option<String>,
    email: Option<String>,
    fullname: Option<String>,
    password: Option<String>,
    sysadmin: Option<bool>,
    state: Option<ObjectState>,
}

/// CKAN's `user_update` (`patch = false`) and `user_patch` (`patch = true`).
///
/// `user_update` replaces the account: the e-mail is required and an absent full name is
/// cleared. The password, sysadmin flag and state are kept unless given, in both: `user_show`
/// never returns the password, and a client that omits the flag or the state must not demote
/// an administrator or re-activate an account by accident. The login name cannot change
/// (CKAN allows it, but tokens, links and scripts here name users by it).
pub fn user_update(ctx: &AppContext, actor: &Actor, dict: &Dict, patch: bool) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    // Refuse strangers before the deliberately slow password hash.
    if !actor.sysadmin && !names_actor(actor, &id) {
        return Err(not_yours());
    }
    let changes = read_changes(dict, patch)?;
    let password_hash = changes
        .password
        .as_deref()
        .map(|p| hash_password(ctx.password_cost, p))
        .transpose()?;
    ctx.write(|conn| {
        let before = find_any_user(conn, &id)?.ok_or_else(|| user_not_found(&id))?;
        let own = actor.user_id.as_deref() == Some(before.id.as_str());
        if !actor.sysadmin && !own {
            return Err(not_yours());
        }
        check_rules(actor, own, &before, &changes)?;
        let mut after = before.clone();
        if let Some(email) = &changes.email {
            after.email.clone_from(email);
        }
        if let Some(fullname) = &changes.fullname {
            after.fullname.clone_from(fullname);
        }
        if let Some(hash) = &password_hash {
            after.password_hash.clone_from(hash);
        }
        if let Some(sysadmin) = changes.sysadmin {
            after.sysadmin = sysadmin;
        }
        if let Some(state) = changes.state {
            after.state = state;
        }
        save(conn, actor, &before, &after, password_hash.is_some())?;
        Ok(user_dict(&after, true))
    })
}

/// CKAN's `user_delete`: deactivates the account (sysadmins only). Deleting an account that is
/// already deactivated succeeds and changes nothing, so scripts can repeat it.
pub fn user_delete(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    ctx.write(|conn| {
        let before = find_any_user(conn, &id)?.ok_or_else(|| user_not_found(&id))?;
        if actor.user_id.as_deref() == Some(before.id.as_str()) {
            return Err(self_lockout("id"));
        }
        if before.state == ObjectState::Deleted {
            return Ok(Value::Null);
        }
        let mut after = before.clone();
        after.state = ObjectState::Deleted;
        save(conn, actor, &before, &after, false)?;
        Ok(Value::Null)
    })
}

/// CKAN's `user_activity_list`, narrowed to changes of the account itself (created, changed,
/// deactivated, re-activated), newest first, for sysadmins and the user. The user's edits of
/// datasets are in each dataset's history, where their visibility rules apply.
pub fn user_activity_list(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    let mut errors = Errors::default();
    let limit = params::integer(dict, "limit", 1000, &mut errors).unwrap_or(31);
    errors.into_result()?;
    ctx.db.read(|conn| {
        let row = find_visible_user(conn, actor, &id)?;
        if !is_self_or_sysadmin(actor, &row.id) {
            return Err(AppError::forbidden(Forbidden::SeeOtherAccountHistory));
        }
        // Authorised above: the account's own history, whole.
        Ok(Value::Array(activity::list_for(
            conn, &row.id, None, limit,
        )?))
    })
}

fn read_changes(dict: &Dict, patch: bool) -> AppResult<Changes> {
    let mut errors = Errors::default();
    let name = params::text(dict, "name", 100, &mut errors);
    let email = params::text(dict, "email", 254, &mut errors);
    let fullname = params::text(dict, "fullname", 200, &mut errors);
    let password = match dict.get("password") {
        None | Some(Value::Null) => None,
        Some(Value::String(p)) => {
            check_password(p, &mut errors);
            Some(p.clone())
        }
        Some(_) => {
            errors.add("password", FieldCode::NotAString);
            None
        }
    };
    let sysadmin = params::boolean(dict, "sysadmin", &mut errors);
    let state = params::text(dict, "state", 20, &mut errors).and_then(|text| {
        let parsed = text.parse::<ObjectState>().ok();
        if parsed.is_none() {
            errors.add("state", FieldCode::UserState);
        }
        parsed
    });
    match &email {
        Some(email) => check_email(email, &mut errors),
        None if !patch => errors.add("email", params::missing()),
        None => {}
    }
    errors.into_result()?;
    Ok(Changes {
        name,
        email,
        fullname: if patch {
            fullname
        } else {
            Some(fullname.unwrap_or_default())
        },
        password,
        sysadmin,
        state,
    })
}

/// The rules that depend on the stored account and on whose it is.
fn check_rules(actor: &Actor, own: bool, before: &UserRow, changes: &Changes) -> AppResult<()> {
    if changes
        .name
        .as_ref()
        .is_some_and(|name| *name != before.name)
    {
        return Err(AppError::field("name", FieldCode::LoginNameFixed));
    }
    let sysadmin_change = changes.sysadmin.is_some_and(|s| s != before.sysadmin);
    let state_change = changes.state.is_some_and(|s| s != before.state);
    if !actor.sysadmin && sysadmin_change {
        return Err(AppError::forbidden(Forbidden::ChangeSysadminFlag));
    }
    if !actor.sysadmin && state_change {
        return Err(AppError::forbidden(Forbidden::ChangeAccountState));
    }
    if own && sysadmin_change {
        return Err(self_lockout("sysadmin"));
    }
    if own && state_change {
        return Err(self_lockout("state"));
    }
    Ok(())
}

/// Writes the changed account and records it; a deactivation also revokes the tokens and
/// removes the roles, in the same transaction, so no request sees a half-deactivated user.
fn save(
    conn: &mut DbConnection,
    actor: &Actor,
    before: &UserRow,
    after: &UserRow,
    password_changed: bool,
) -> AppResult<()> {
    diesel::update(users::table.find(&before.id))
        .set((
            users::email.eq(&after.email),
            users::fullname.eq(&after.fullname),
            users::password_hash.eq(&after.password_hash),
            users::sysadmin.eq(after.sysadmin),
            users::state.eq(after.state),
        ))
        .execute(conn)?;
    let mut object = user_dict(after, true);
    let mut changes = activity::changed_fields(&user_dict(before, true), &object);
    if password_changed {
        changes.push("password".to_owned());
    }
    let deactivated = before.state == ObjectState::Active && after.state == ObjectState::Deleted;
    // A new password or a deactivation ends the account's web sessions: whoever knew the
    // old password (or the person who left) is logged out everywhere. The page that changes
    // one's own password renews its own session afterwards.
    if deactivated || password_changed {
        sessions::end_all(conn, &after.id)?;
    }
    if deactivated {
        let revoked = tokens::revoke_all(conn, &after.id)?;
        let removed = organizations::remove_all_memberships(conn, actor, &after.id)?;
        // Kept in the history so that a sysadmin re-activating the account sees what it had.
        object["revoked_tokens"] = json!(revoked);
        object["removed_memberships"] = removed
            .iter()
            .map(|m| json!({"organization_id": m.organization_id, "capacity": m.capacity}))
            .collect();
    }
    if changes.is_empty() {
        return Ok(());
    }
    let activity_type = if deactivated {
        ActivityType::Deleted
    } else {
        ActivityType::Changed
    };
    record_user(conn, actor, &after.id, activity_type, changes, &object)
}

/// True when `id_or_name` is the actor's own id or login name.
fn names_actor(actor: &Actor, id_or_name: &str) -> bool {
    actor.user_id.as_deref() == Some(id_or_name) || actor.user_name.as_deref() == Some(id_or_name)
}

fn not_yours() -> AppError {
    AppError::forbidden(Forbidden::ChangeOtherAccount)
}

/// A 409 rather than a 403: the caller holds the right (they may do this to anyone else); it
/// is this request that is refused, because it would lock them out, and the field says why.
fn self_lockout(field: &str) -> AppError {
    AppError::field(field, FieldCode::SelfLockout)
}
