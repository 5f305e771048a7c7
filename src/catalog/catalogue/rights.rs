//! What a person may do with an entry now, from the same rules the actions enforce (the
//! status table in `status`, the department and data-office checks in this module's parent),
//! so a page offers exactly the buttons whose actions would accept them. The actions still
//! check everything themselves: this only decides what to show.

use serde::{Deserialize, Serialize};

use super::status::{self, Step};
use super::{department_role, visible_entry};
use crate::catalog::access::Capacity;
use crate::catalog::{Actor, AppContext};
use crate::enums::EntryStatus;
use crate::error::AppResult;

/// The moves open to the actor on one entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryRights {
    /// A member (any role) of the entry's department.
    pub member: bool,
    /// Change its fields (`catalogue_entry_update`).
    pub edit: bool,
    /// Send it to the data office (`catalogue_entry_submit`).
    pub submit: bool,
    /// Delete it (`catalogue_entry_delete`).
    pub delete: bool,
    /// Link or unlink the department's datasets (`catalogue_entry_link` / `unlink`).
    pub link: bool,
    /// Unlink datasets linked before (`catalogue_entry_unlink`).
    pub unlink: bool,
    /// Write a comment (`catalogue_entry_comment`).
    pub comment: bool,
    /// Decide on it (`catalogue_entry_review`): the data office, never its own department.
    pub review: bool,
    /// Merge it into another entry (`catalogue_entry_merge`).
    pub merge: bool,
}

/// The rights of `actor` on the entry `id` (one they may see; otherwise "not found").
pub fn entry_rights(ctx: &AppContext, actor: &Actor, id: &str) -> AppResult<EntryRights> {
    ctx.db.read(|conn| {
        let entry = visible_entry(conn, actor, id)?;
        let role = department_role(conn, actor, &entry)?;
        Ok(rights_of(actor, role, entry.status))
    })
}

/// The rights given the actor's role in the department and the entry's status.
pub fn rights_of(actor: &Actor, role: Option<Capacity>, at: EntryStatus) -> EntryRights {
    let member = role.is_some();
    let department = role.is_some_and(|c| c >= Capacity::Editor) || actor.sysadmin;
    let office = actor.is_reviewer() && !member;
    EntryRights {
        member,
        edit: (department && status::department_edits(at))
            || (actor.is_reviewer() && status::office_edits(at)),
        submit: department && Step::Submit.from(at).is_some(),
        delete: department && status::deletable(at),
        link: department && status::linkable(at),
        unlink: department,
        comment: member || actor.is_reviewer(),
        review: office && at == EntryStatus::Submitted,
        merge: office && Step::Merge.from(at).is_some(),
    }
}
