//! Who may do what, with CKAN's organisation roles: members read private datasets, editors
//! create and edit their organisation's datasets, admins also manage members; sysadmins may
//! do everything.

use diesel::prelude::*;

use super::Actor;
use crate::db::models::DatasetRow;
use crate::db::schema::memberships;
use crate::db::DbConnection;
use crate::enums::DatasetState;
use crate::error::{AppError, AppResult, Forbidden};

pub use crate::enums::Capacity;

/// The actor's role in an organisation (sysadmins count as admins everywhere).
pub fn capacity_in(
    conn: &mut DbConnection,
    actor: &Actor,
    organization_id: &str,
) -> AppResult<Option<Capacity>> {
    if actor.sysadmin {
        return Ok(Some(Capacity::Admin));
    }
    let Some(user_id) = &actor.user_id else {
        return Ok(None);
    };
    Ok(memberships::table
        .filter(memberships::organization_id.eq(organization_id))
        .filter(memberships::user_id.eq(user_id))
        .select(memberships::capacity)
        .first(conn)
        .optional()?)
}

/// The actor's organisations (ids) with the capacity held in each.
pub fn memberships_of(
    conn: &mut DbConnection,
    actor: &Actor,
) -> AppResult<Vec<(String, Capacity)>> {
    let Some(user_id) = &actor.user_id else {
        return Ok(Vec::new());
    };
    Ok(memberships::table
        .filter(memberships::user_id.eq(user_id))
        .select((memberships::organization_id, memberships::capacity))
        .load(conn)?)
}

/// Ids of the organisations where the actor holds at least `at_least`.
pub fn organizations_with(
    conn: &mut DbConnection,
    actor: &Actor,
    at_least: Capacity,
) -> AppResult<Vec<String>> {
    Ok(memberships_of(conn, actor)?
        .into_iter()
        .filter(|(_, capacity)| *capacity >= at_least)
        .map(|(org, _)| org)
        .collect())
}

/// Fails unless the actor holds at least `needed` in the organisation.
pub fn require_capacity(
    conn: &mut DbConnection,
    actor: &Actor,
    organization_id: &str,
    needed: Capacity,
    refused: Forbidden,
) -> AppResult<()> {
    match capacity_in(conn, actor, organization_id)? {
        Some(held) if held >= needed => Ok(()),
        _ => Err(AppError::forbidden(refused)),
    }
}

/// Whether the actor may see this dataset at all. Anyone sees active public datasets; private
/// ones need membership; drafts need editing rights or authorship; deleted ones, editing rights.
pub fn can_read_dataset(
    conn: &mut DbConnection,
    actor: &Actor,
    dataset: &DatasetRow,
) -> AppResult<bool> {
    if dataset.state == DatasetState::Active && !dataset.private {
        return Ok(true);
    }
    if actor.sysadmin {
        return Ok(true);
    }
    if actor.user_id.is_none() {
        return Ok(false);
    }
    let held = capacity_in(conn, actor, &dataset.owner_org)?;
    Ok(match dataset.state {
        DatasetState::Active => held.is_some(),
        DatasetState::Draft => {
            held.is_some_and(|c| c >= Capacity::Editor)
                || dataset.creator_user_id.is_some() && dataset.creator_user_id == actor.user_id
        }
        DatasetState::Deleted => held.is_some_and(|c| c >= Capacity::Editor),
    })
}

/// Fails unless the actor may edit datasets of the organisation.
pub fn require_dataset_edit(
    conn: &mut DbConnection,
    actor: &Actor,
    organization_id: &str,
) -> AppResult<()> {
    if !actor.is_authenticated() {
        return Err(AppError::forbidden(Forbidden::EditDatasetAnonymously));
    }
    require_capacity(
        conn,
        actor,
        organization_id,
        Capacity::Editor,
        Forbidden::EditOrganizationDatasets,
    )
}

/// The rule an action is called under, checked by the one door (`actions::call`) before the
/// action runs, as CKAN pairs each action with the auth function of the same name. Rights on
/// one object (an organisation's datasets, one's own account) are then checked inside the
/// action with the functions above, where the object is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Anyone, anonymous visitors included; what each caller may see is filtered inside.
    Anyone,
    /// A logged-in user (or a system job); rights on the object are checked inside.
    LoggedIn,
    /// Site administrators (and system jobs) only.
    Sysadmin,
    /// The data office (site role `reviewer`) and sysadmins.
    Reviewer,
}

impl Rule {
    /// How the docs name the rule ("Vietnamese / English").
    pub fn describe(self) -> &'static str {
        match self {
            Rule::Anyone => "Mọi người / Anyone",
            Rule::LoggedIn => "Người dùng đã đăng nhập / Logged-in users",
            Rule::Sysadmin => "Quản trị hệ thống / Sysadmins",
            Rule::Reviewer => "Văn phòng dữ liệu (reviewer) / The data office (reviewer)",
        }
    }
}

/// Fails unless the actor may call an action under `rule`.
pub fn authorize(actor: &Actor, rule: Rule, action: &str) -> AppResult<()> {
    let allowed = match rule {
        Rule::Anyone => true,
        Rule::LoggedIn => actor.is_authenticated(),
        Rule::Sysadmin => actor.sysadmin,
        Rule::Reviewer => actor.is_reviewer(),
    };
    if allowed {
        return Ok(());
    }
    let reason = match rule {
        Rule::Sysadmin => Forbidden::SysadminOnly,
        Rule::Reviewer if actor.is_authenticated() => Forbidden::ReviewerOnly,
        _ => Forbidden::LoginRequired,
    };
    Err(AppError::forbidden(reason).arg("action", action))
}

/// True when the actor is a sysadmin or the user with this id (one's own account, tokens,
/// history).
pub fn is_self_or_sysadmin(actor: &Actor, user_id: &str) -> bool {
    actor.sysadmin || actor.user_id.as_deref() == Some(user_id)
}
