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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::SiteRole;
    use EntryStatus::{Approved, ChangesRequested, Draft, Issued, Submitted};

    fn person(reviewer: bool) -> Actor {
        Actor {
            user_id: Some("u".into()),
            user_name: Some("u".into()),
            sysadmin: false,
            site_roles: if reviewer {
                vec![SiteRole::Reviewer]
            } else {
                Vec::new()
            },
        }
    }

    #[test]
    fn the_department_edits_and_submits_its_drafts_but_never_reviews_them() {
        let editor = rights_of(&person(false), Some(Capacity::Editor), Draft);
        assert!(editor.edit && editor.submit && editor.delete && editor.comment);
        assert!(!editor.review && !editor.merge && !editor.link);
        // Also when the same person is the data office.
        let both = rights_of(&person(true), Some(Capacity::Editor), Submitted);
        assert!(!both.review && !both.merge && !both.submit);
        assert!(both.edit, "the data office edits what it holds");
    }

    #[test]
    fn the_office_reviews_and_merges_other_departments_entries_while_submitted() {
        let office = rights_of(&person(true), None, Submitted);
        assert!(office.review && office.merge && office.edit && office.comment);
        assert!(!office.submit && !office.delete && !office.link && !office.member);
        let later = rights_of(&person(true), None, Issued);
        assert!(!later.review && !later.merge);
        assert!(rights_of(&person(true), None, Approved).merge);
    }

    #[test]
    fn members_read_and_talk_and_others_do_nothing() {
        let member = rights_of(&person(false), Some(Capacity::Member), ChangesRequested);
        assert!(member.comment && member.member);
        assert!(!member.edit && !member.submit && !member.delete);
        assert_eq!(
            rights_of(&person(false), None, Issued),
            EntryRights::default()
        );
        let linking = rights_of(&person(false), Some(Capacity::Admin), Issued);
        assert!(linking.link && linking.unlink && !linking.edit);
    }
}
