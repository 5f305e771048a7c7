//! Site roles: roles a user holds across the whole site, beside the roles held in
//! organisations. The province's data office is `reviewer` (issue 12): it reviews catalogue
//! entries and issues versions, and is not a sysadmin. Granted and revoked by sysadmins;
//! each change is recorded in the account's history.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{find_user, record_user, user_not_found};
use crate::catalog::params::{self, Errors};
use crate::catalog::{Actor, AppContext, Dict};
use crate::db::schema::user_site_roles;
use crate::db::{now_text, DbConnection};
use crate::enums::{ActivityType, SiteRole};
use crate::error::{AppResult, FieldCode};

/// The site roles of a user, in a stable order.
pub fn site_roles_of(conn: &mut DbConnection, user_id: &str) -> AppResult<Vec<SiteRole>> {
    let mut roles: Vec<SiteRole> = user_site_roles::table
        .filter(user_site_roles::user_id.eq(user_id))
        .select(user_site_roles::role)
        .load::<String>(conn)?
        .iter()
        // A role a newer version wrote and this one does not know grants nothing here.
        .filter_map(|word| word.parse().ok())
        .collect();
    roles.sort_by_key(|role: &SiteRole| role.as_str());
    Ok(roles)
}

/// What `user_role_grant` and `user_role_revoke` answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserRoles {
    /// The account's login name.
    pub user: String,
    /// Its site roles after the change.
    pub roles: Vec<SiteRole>,
}

fn role_of(dict: &Dict) -> AppResult<(String, SiteRole)> {
    let user = params::required_id(dict, "user")?;
    let word = params::required_id(dict, "role")?;
    let mut errors = Errors::default();
    let role = word.parse::<SiteRole>().ok();
    if role.is_none() {
        errors.add("role", FieldCode::UnknownSiteRole.arg("roles", "reviewer"));
    }
    errors.into_result()?;
    Ok((user, role.unwrap_or(SiteRole::Reviewer)))
}

/// `user_role_grant {user, role}` (sysadmins, by the action's rule): idempotent.
pub fn user_role_grant(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<UserRoles> {
    let (user, role) = role_of(dict)?;
    ctx.write(|conn| {
        let row = find_user(conn, &user)?.ok_or_else(|| user_not_found(&user))?;
        let held = site_roles_of(conn, &row.id)?;
        if !held.contains(&role) {
            diesel::insert_into(user_site_roles::table)
                .values((
                    user_site_roles::user_id.eq(&row.id),
                    user_site_roles::role.eq(role.as_str()),
                    user_site_roles::granted_by.eq(&actor.user_id),
                    user_site_roles::created.eq(now_text()),
                ))
                .execute(conn)?;
            let object = json!({"id": row.id, "name": row.name});
            let change = vec![format!("site_role:+{role}")];
            record_user(conn, actor, &row.id, ActivityType::Changed, change, &object)?;
        }
        Ok(UserRoles {
            roles: site_roles_of(conn, &row.id)?,
            user: row.name,
        })
    })
}

/// `user_role_revoke {user, role}` (sysadmins): idempotent.
pub fn user_role_revoke(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<UserRoles> {
    let (user, role) = role_of(dict)?;
    ctx.write(|conn| {
        let row = find_user(conn, &user)?.ok_or_else(|| user_not_found(&user))?;
        let removed = diesel::delete(
            user_site_roles::table
                .filter(user_site_roles::user_id.eq(&row.id))
                .filter(user_site_roles::role.eq(role.as_str())),
        )
        .execute(conn)?;
        if removed > 0 {
            let object = json!({"id": row.id, "name": row.name});
            let change = vec![format!("site_role:-{role}")];
            record_user(conn, actor, &row.id, ActivityType::Changed, change, &object)?;
        }
        Ok(UserRoles {
            roles: site_roles_of(conn, &row.id)?,
            user: row.name,
        })
    })
}
