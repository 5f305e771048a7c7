//! The status machine of a catalogue entry, in one table: every move an entry can make, the
//! status it leaves from and the one it reaches. Actions, pages and reminders all ask this
//! table, so they cannot disagree about what may happen next (issue 12):
//!
//! `draft → submitted → (changes_requested → submitted)* → approved | rejected`; an approved
//! entry is `issued` when a catalogue version includes it, `published` once a linked public
//! dataset exists, and `withdrawn` by a later version. Merging an entry into another rejects
//! it (with the reason naming the entry it went into).

use crate::enums::EntryStatus;
use crate::error::{AppError, AppResult, CatalogueStep, ErrorCode};

use EntryStatus::{
    Approved, ChangesRequested, Draft, Issued, Published, Rejected, Submitted, Withdrawn,
};

/// A move of an entry from one status to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The department sends the entry to the data office.
    Submit,
    /// The data office accepts it.
    Approve,
    /// The data office refuses it (with a reason).
    Reject,
    /// The data office sends it back (with a reason).
    RequestChanges,
    /// The data office merges it into another entry.
    Merge,
    /// A catalogue version includes it.
    Issue,
    /// A linked public dataset exists.
    Publish,
    /// A later version takes it out.
    Withdraw,
}

/// Every allowed move: (step, from, to). The only place a status changes.
const MOVES: &[(Step, EntryStatus, EntryStatus)] = &[
    (Step::Submit, Draft, Submitted),
    (Step::Submit, ChangesRequested, Submitted),
    (Step::Approve, Submitted, Approved),
    (Step::Reject, Submitted, Rejected),
    (Step::RequestChanges, Submitted, ChangesRequested),
    (Step::Merge, Submitted, Rejected),
    (Step::Merge, ChangesRequested, Rejected),
    (Step::Merge, Approved, Rejected),
    (Step::Issue, Approved, Issued),
    (Step::Publish, Issued, Published),
    (Step::Withdraw, Issued, Withdrawn),
    (Step::Withdraw, Published, Withdrawn),
];

impl Step {
    /// The status this step reaches from `from`, if the step is allowed there.
    pub fn from(self, from: EntryStatus) -> Option<EntryStatus> {
        MOVES
            .iter()
            .find(|(step, start, _)| *step == self && *start == from)
            .map(|(_, _, to)| *to)
    }

    /// [`Step::from`], or the refusal naming the step and the status.
    pub fn apply(self, from: EntryStatus) -> AppResult<EntryStatus> {
        self.from(from).ok_or_else(|| refused(self.choice(), from))
    }

    /// How the refusal's message names this step.
    pub fn choice(self) -> CatalogueStep {
        match self {
            Step::Submit => CatalogueStep::Submit,
            Step::Approve => CatalogueStep::Approve,
            Step::Reject => CatalogueStep::Reject,
            Step::RequestChanges => CatalogueStep::RequestChanges,
            Step::Merge => CatalogueStep::Merge,
            Step::Issue => CatalogueStep::Issue,
            Step::Publish => CatalogueStep::Publish,
            Step::Withdraw => CatalogueStep::Withdraw,
        }
    }
}

/// The refusal of `step` on an entry in `status` (HTTP 409).
pub fn refused(step: CatalogueStep, status: EntryStatus) -> AppError {
    AppError::new(ErrorCode::CatalogueTransitionRefused)
        .arg("step", step)
        .arg("status", status.as_str())
}

/// Statuses the department edits in (the data office has not got the entry, or sent it back).
pub fn department_edits(status: EntryStatus) -> bool {
    matches!(status, Draft | ChangesRequested)
}

/// Statuses the data office edits in while consolidating and keeping the roadmap.
pub fn office_edits(status: EntryStatus) -> bool {
    matches!(status, Submitted | Approved | Issued | Published)
}

/// Statuses in which an entry may be deleted (never once the data office decided on it).
pub fn deletable(status: EntryStatus) -> bool {
    matches!(status, Draft | ChangesRequested)
}

/// Statuses of entries that an issued catalogue made public: anyone may see them.
pub fn public(status: EntryStatus) -> bool {
    matches!(status, Issued | Published | Withdrawn)
}

/// Statuses in which datasets may be linked to the entry.
pub fn linkable(status: EntryStatus) -> bool {
    matches!(status, Approved | Issued | Published)
}

/// Statuses of entries in force in the current catalogue (a new version carries them on).
pub fn in_force(status: EntryStatus) -> bool {
    matches!(status, Issued | Published)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_review_loop_goes_round_until_a_decision() {
        let mut status = Draft;
        for step in [
            Step::Submit,
            Step::RequestChanges,
            Step::Submit,
            Step::Approve,
        ] {
            status = step.apply(status).unwrap();
        }
        assert_eq!(status, Approved);
        assert_eq!(Step::Issue.from(status), Some(Issued));
        assert_eq!(Step::Publish.from(Issued), Some(Published));
        assert_eq!(Step::Withdraw.from(Published), Some(Withdrawn));
    }

    #[test]
    fn wrong_moves_are_refused_with_their_step_and_status() {
        assert_eq!(Step::Approve.from(Draft), None);
        assert_eq!(Step::Submit.from(Approved), None);
        assert_eq!(Step::Publish.from(Approved), None);
        assert_eq!(Step::Withdraw.from(Approved), None);
        assert_eq!(Step::Reject.from(Rejected), None);
        let error = Step::Approve.apply(Draft).unwrap_err();
        assert_eq!(error.code(), ErrorCode::CatalogueTransitionRefused);
    }

    #[test]
    fn final_statuses_lead_nowhere() {
        for step in [
            Step::Submit,
            Step::Approve,
            Step::Reject,
            Step::RequestChanges,
            Step::Merge,
            Step::Issue,
            Step::Publish,
            Step::Withdraw,
        ] {
            assert_eq!(step.from(Rejected), None);
            assert_eq!(step.from(Withdrawn), None);
        }
    }
}
