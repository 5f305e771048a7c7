//! CKAN's `user_list`, for sysadmins only here (CKAN shows it to anyone; a province's staff
//! list with e-mails is not public): every account, deactivated ones included, with the
//! organisations it belongs to and its site roles (`reviewer`: the data office).

use std::collections::HashMap;

use diesel::prelude::*;
use serde_json::{json, Value};

use super::user_dict;
use crate::catalog::{Actor, AppContext, Dict};
use crate::db::models::UserRow;
use crate::db::schema::{memberships, organizations, user_site_roles, users};
use crate::error::AppResult;

/// Every account by login name, each with `organizations` (name, title, capacity) and
/// `site_roles`. Three queries
/// whatever the number of accounts; a province has hundreds of staff accounts, not millions,
/// so the list is whole.
pub fn user_list(ctx: &AppContext, _actor: &Actor, _dict: &Dict) -> AppResult<Value> {
    ctx.db.read(|conn| {
        let rows: Vec<UserRow> = users::table
            .order(users::name.asc())
            .select(UserRow::as_select())
            .load(conn)?;
        let roles: Vec<(String, String, String, String)> = memberships::table
            .inner_join(organizations::table)
            .order(organizations::title.asc())
            .select((
                memberships::user_id,
                organizations::name,
                organizations::title,
                memberships::capacity,
            ))
            .load(conn)?;
        let mut site_roles: HashMap<String, Vec<Value>> = HashMap::new();
        for (user_id, role) in user_site_roles::table
            .order(user_site_roles::role.asc())
            .select((user_site_roles::user_id, user_site_roles::role))
            .load::<(String, String)>(conn)?
        {
            site_roles.entry(user_id).or_default().push(json!(role));
        }
        let mut by_user: HashMap<String, Vec<Value>> = HashMap::new();
        for (user_id, name, title, capacity) in roles {
            by_user
                .entry(user_id)
                .or_default()
                .push(json!({"name": name, "title": title, "capacity": capacity}));
        }
        Ok(Value::Array(
            rows.iter()
                .map(|row| {
                    let mut dict = user_dict(row, true);
                    dict["organizations"] =
                        Value::Array(by_user.remove(&row.id).unwrap_or_default());
                    dict["site_roles"] =
                        Value::Array(site_roles.remove(&row.id).unwrap_or_default());
                    dict
                })
                .collect(),
        ))
    })
}
