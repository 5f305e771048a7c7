//! An organisation's members and their roles (CKAN's `member_*`, `organization_member_*`):
//! organisation admins and sysadmins change them, members may look.
//!
//! Where CKAN takes a login name the actions here also take an e-mail address: a department
//! admin knows a colleague's work address, rarely the login name the data office chose.
//!
//! The last admin rule: an organisation admin cannot remove or demote the organisation's last
//! admin (in practice: themselves). Without it a department locks itself out of its own member
//! list and needs the data office to get back in. Sysadmins are not held by it: they reorganise
//! and merge departments, and can always name a new admin.

use diesel::prelude::*;
use serde_json::{json, Value};

use super::{find_or_404, Capacity};
use crate::catalog::access;
use crate::catalog::activity;
use crate::catalog::params;
use crate::catalog::{Actor, AppContext, Dict};
use crate::db::models::{MembershipRow, OrganizationRow};
use crate::db::schema::{memberships, users};
use crate::db::{lower, DbConnection};
use crate::enums::{ActivityType, ObjectState, ObjectType};
use crate::error::{AppError, AppResult, ErrorCode, FieldCode, Forbidden};

/// Adds a user to an organisation or changes their role (organisation admins and sysadmins).
/// `user` is an id, a login name or an e-mail address.
pub fn member_upsert(
    ctx: &AppContext,
    actor: &Actor,
    org: &str,
    user: &str,
    role: &str,
) -> AppResult<Value> {
    let capacity = role
        .trim()
        .parse::<Capacity>()
        .map_err(|_| AppError::field("role", FieldCode::InvalidRole))?;
    ctx.write(|conn| {
        let (org_row, user_id) = membership_target(conn, actor, org, user)?;
        if capacity != Capacity::Admin {
            keep_an_admin(conn, actor, &org_row.id, &user_id)?;
        }
        diesel::delete(memberships::table.find((&org_row.id, &user_id))).execute(conn)?;
        diesel::insert_into(memberships::table)
            .values(&MembershipRow {
                organization_id: org_row.id.clone(),
                user_id: user_id.clone(),
                capacity,
            })
            .execute(conn)?;
        record_membership(
            conn,
            actor,
            &org_row.id,
            json!({"organization_id": org_row.id, "user_id": user_id,
                           "capacity": capacity}),
        )?;
        Ok(
            json!({"group_id": org_row.id, "table_id": user_id, "table_name": "user",
                  "capacity": capacity, "state": ObjectState::Active}),
        )
    })
}

/// Records a change of membership in the organisation's history.
fn record_membership(
    conn: &mut DbConnection,
    actor: &Actor,
    org_id: &str,
    membership: Value,
) -> AppResult<()> {
    activity::record(
        conn,
        actor,
        ObjectType::Organization,
        org_id,
        ActivityType::Changed,
        vec!["members".to_owned()],
        &membership,
    )
}

/// The organisation (which the actor must administer) and the user of a membership change.
fn membership_target(
    conn: &mut DbConnection,
    actor: &Actor,
    org: &str,
    user: &str,
) -> AppResult<(OrganizationRow, String)> {
    let org_row = find_or_404(conn, org)?;
    access::require_capacity(
        conn,
        actor,
        &org_row.id,
        Capacity::Admin,
        Forbidden::ManageMembers,
    )?;
    let user_id = find_user_id(conn, user)?;
    Ok((org_row, user_id))
}

/// Fails when `user_id` is the organisation's only admin and the actor is not a sysadmin (see
/// the module's doc): they are about to lose that role.
fn keep_an_admin(
    conn: &mut DbConnection,
    actor: &Actor,
    org_id: &str,
    user_id: &str,
) -> AppResult<()> {
    if actor.sysadmin {
        return Ok(());
    }
    let admins: Vec<String> = memberships::table
        .filter(memberships::organization_id.eq(org_id))
        .filter(memberships::capacity.eq(Capacity::Admin))
        .select(memberships::user_id)
        .load(conn)?;
    if admins.len() == 1 && admins[0] == user_id {
        return Err(AppError::field("username", FieldCode::LastAdmin));
    }
    Ok(())
}

/// Removes a user from an organisation.
pub fn member_remove(ctx: &AppContext, actor: &Actor, org: &str, user: &str) -> AppResult<Value> {
    ctx.write(|conn| {
        let (org_row, user_id) = membership_target(conn, actor, org, user)?;
        keep_an_admin(conn, actor, &org_row.id, &user_id)?;
        let removed =
            diesel::delete(memberships::table.find((&org_row.id, &user_id))).execute(conn)?;
        if removed == 0 {
            return Err(AppError::not_found(ErrorCode::MemberNotFound, user));
        }
        record_membership(
            conn,
            actor,
            &org_row.id,
            json!({"organization_id": org_row.id, "user_id": user_id, "capacity": null}),
        )?;
        Ok(Value::Null)
    })
}

/// Removes a user from every organisation (their account is being deactivated, as CKAN's
/// `user_delete` does), recording each removal in the organisation's history. Roles are not
/// kept for a re-activation: a department may have changed its staff meanwhile, so roles are
/// granted again on purpose. Returns what was removed, for the user's own history.
pub fn remove_all_memberships(
    conn: &mut DbConnection,
    actor: &Actor,
    user_id: &str,
) -> AppResult<Vec<MembershipRow>> {
    let rows: Vec<MembershipRow> = memberships::table
        .filter(memberships::user_id.eq(user_id))
        .order(memberships::organization_id.asc())
        .select(MembershipRow::as_select())
        .load(conn)?;
    diesel::delete(memberships::table.filter(memberships::user_id.eq(user_id))).execute(conn)?;
    for row in &rows {
        record_membership(
            conn,
            actor,
            &row.organization_id,
            json!({"organization_id": row.organization_id, "user_id": user_id,
                   "capacity": null, "reason": "user_deleted"}),
        )?;
    }
    Ok(rows)
}

/// CKAN's `member_list`: `[user id, "user", capacity]` triples (members may look).
pub fn member_list(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Value> {
    let id = params::required_id(dict, "id")?;
    ctx.db.read(|conn| {
        let org_row = find_or_404(conn, &id)?;
        access::require_capacity(
            conn,
            actor,
            &org_row.id,
            Capacity::Member,
            Forbidden::ListMembers,
        )?;
        let rows: Vec<MembershipRow> = memberships::table
            .filter(memberships::organization_id.eq(&org_row.id))
            .order(memberships::user_id.asc())
            .select(MembershipRow::as_select())
            .load(conn)?;
        Ok(json!(rows
            .iter()
            .map(|m| json!([m.user_id, "user", m.capacity]))
            .collect::<Vec<_>>()))
    })
}

/// The id of the active account named by id, login name or (containing `@`) e-mail address.
/// E-mail addresses are compared without case and need not be unique: one shared by several
/// accounts is refused with a message asking for the login name.
fn find_user_id(conn: &mut DbConnection, user: &str) -> AppResult<String> {
    let user = user.trim();
    let active = users::state.eq(ObjectState::Active);
    let ids: Vec<String> = if user.contains('@') {
        users::table
            .filter(lower(users::email).eq(user.to_lowercase()))
            .filter(active)
            .select(users::id)
            .limit(2)
            .load(conn)?
    } else {
        users::table
            .filter(users::id.eq(user).or(users::name.eq(user)))
            .filter(active)
            .select(users::id)
            .limit(1)
            .load(conn)?
    };
    match ids.as_slice() {
        [id] => Ok(id.clone()),
        [] => Err(AppError::not_found(ErrorCode::UserNotFound, user)),
        _ => Err(AppError::field("username", FieldCode::EmailShared)),
    }
}
