//! The closed sets of the catalogue (dataset states, url types, roles, kinds of recorded
//! change), each a Rust enum that is
//! stored as CKAN's word in a text column and sent as that word in JSON. Code compares enums,
//! never string literals, so a misspelt state is a compile error rather than a silent miss.
//!
//! Leaf module: it depends on diesel and serde only, so `db`, `search` and `catalog` can all use
//! it without reaching into each other.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

/// A word that is not one of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{value}\" is not a {kind}")]
pub struct UnknownValue {
    /// The enum's name, as the message shows it.
    pub kind: &'static str,
    /// The word that was given.
    pub value: String,
}

/// Defines an enum whose values are CKAN words, with `as_str`, `FromStr`, `Display`, serde and
/// diesel's text mapping (on every backend, the multi-backend included, through the generic
/// impls: each backend already maps `str` and `String`).
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = Text)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word stored in the database and sent in JSON.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownValue;

            fn from_str(text: &str) -> Result<Self, UnknownValue> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownValue {
                        kind: stringify!($name),
                        value: text.to_owned(),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl<DB> FromSql<Text, DB> for $name
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                Ok(String::from_sql(bytes)?.parse::<$name>()?)
            }
        }

        impl<DB> ToSql<Text, DB> for $name
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.as_str().to_sql(out)
            }
        }
    };
}

text_enum! {
    /// Where a dataset stands. Anyone sees active public datasets; drafts are for their
    /// organisation's editors and their author; deleted ones are kept, with their files and
    /// history, for editors.
    pub enum DatasetState {
        /// Published.
        Active = "active",
        /// Saved but not published.
        Draft = "draft",
        /// Marked deleted (`package_delete`).
        Deleted = "deleted",
    }
}

text_enum! {
    /// CKAN's `state` of an organisation, a resource or an account: there are no drafts of
    /// these. An account in the `Deleted` state is deactivated: its row and history stay.
    pub enum ObjectState {
        /// In use.
        Active = "active",
        /// Marked deleted (an account: deactivated).
        Deleted = "deleted",
    }
}

text_enum! {
    /// What a resource's `url` is. CKAN leaves `url_type` empty for links, and so do we.
    pub enum UrlType {
        /// A file stored by the portal; `url` is its file name.
        Upload = "upload",
        /// A link to somewhere else; `url` is the address.
        Link = "",
    }
}

text_enum! {
    /// A role in an organisation (CKAN's capacity), weakest first so roles compare by strength.
    #[derive(PartialOrd, Ord)]
    pub enum Capacity {
        /// Reads private datasets.
        Member = "member",
        /// Creates and edits datasets.
        Editor = "editor",
        /// Also manages members.
        Admin = "admin",
    }
}

text_enum! {
    /// What kind of object a recorded change is about (CKAN's activity object types).
    pub enum ObjectType {
        /// A dataset.
        Package = "package",
        /// An organisation, or its members.
        Organization = "organization",
        /// An account.
        User = "user",
    }
}

text_enum! {
    /// What a recorded change did (the first word of CKAN's `activity_type`).
    pub enum ActivityType {
        /// Created.
        New = "new",
        /// Changed.
        Changed = "changed",
        /// Deleted (an account: deactivated).
        Deleted = "deleted",
    }
}

text_enum! {
    /// Where an entry of the open-data catalogue stands (issue 12). The moves between these
    /// are in one table, `catalog::catalogue::status`; nothing else changes a status.
    pub enum EntryStatus {
        /// Being written by its department.
        Draft = "draft",
        /// Sent to the data office for review.
        Submitted = "submitted",
        /// Sent back to the department with a reason.
        ChangesRequested = "changes_requested",
        /// Accepted by the data office, waiting for the next catalogue version.
        Approved = "approved",
        /// Refused by the data office (or merged into another entry), with a reason.
        Rejected = "rejected",
        /// In an issued catalogue version: the department must publish it.
        Issued = "issued",
        /// A linked public dataset exists.
        Published = "published",
        /// Taken out of the catalogue by a later version.
        Withdrawn = "withdrawn",
    }
}

text_enum! {
    /// A role a user holds across the whole site, beside organisation roles.
    pub enum SiteRole {
        /// The province's data office: reviews catalogue entries and issues versions; not a
        /// sysadmin.
        Reviewer = "reviewer",
    }
}

text_enum! {
    /// What the data office decides on a submitted entry (`catalogue_entry_review`).
    pub enum ReviewDecision {
        /// Accept it for the next version.
        Approve = "approve",
        /// Refuse it (a reason is required).
        Reject = "reject",
        /// Send it back to the department (a reason is required).
        RequestChanges = "request_changes",
    }
}

text_enum! {
    /// What a reminder of the catalogue is about.
    pub enum ReminderKind {
        /// An entry's first publication falls due soon.
        PublicationDueSoon = "publication_due_soon",
        /// An entry's first publication is overdue.
        PublicationOverdue = "publication_overdue",
        /// A linked dataset's next update falls due soon.
        UpdateDueSoon = "update_due_soon",
        /// A linked dataset's next update is overdue.
        UpdateOverdue = "update_overdue",
        /// The catalogue's periodic review by the data office falls due.
        CatalogueReview = "catalogue_review",
    }
}

/// What a view stored by an older version without a state is read as.
impl Default for DatasetState {
    fn default() -> Self {
        DatasetState::Active
    }
}

/// What a view stored by an older version without a state is read as.
impl Default for ObjectState {
    fn default() -> Self {
        ObjectState::Active
    }
}

/// CKAN's default: a link.
impl Default for UrlType {
    fn default() -> Self {
        UrlType::Link
    }
}

text_enum! {
    /// Where a persisted background job stands (`jobs.status`).
    pub enum JobStatus {
        /// Waiting for `run_after`, or for a runner.
        Queued = "queued",
        /// Claimed by a runner (resumed by another once its lock goes stale).
        Running = "running",
        /// Done.
        Done = "done",
        /// Given up: a permanent error, or the attempts used up.
        Failed = "failed",
    }
}

text_enum! {
    /// What a persisted background job does (`jobs.kind`).
    pub enum JobKind {
        /// One run of a harvest source or target; the payload names the harvest job.
        HarvestRun = "harvest_run",
    }
}

text_enum! {
    /// Where a harvest run stands, in ckanext-harvest's words.
    pub enum HarvestJobStatus {
        /// Created, not yet started.
        New = "New",
        /// Started (or waiting to be retried after a transient failure).
        Running = "Running",
        /// Done; some datasets may have failed, each with its error.
        Finished = "Finished",
        /// Stopped for good: the source or target could not be read or reached.
        Failed = "Failed",
    }
}

text_enum! {
    /// What a harvest source speaks.
    pub enum HarvestSourceType {
        /// A remote CKAN Action API, paged `package_search`.
        Ckan = "ckan",
        /// A remote DCAT catalogue (RDF/XML, Turtle, JSON-LD).
        Dcat = "dcat",
    }
}

text_enum! {
    /// What a harvest target speaks.
    pub enum HarvestTargetType {
        /// A remote CKAN Action API: `package_create/update/delete` with an API token.
        Ckan = "ckan",
        /// POST or PUT of DCAT RDF to an endpoint.
        DcatPush = "dcat-push",
    }
}

text_enum! {
    /// How often a harvest source or target runs by itself, in ckanext-harvest's words.
    pub enum HarvestFrequency {
        /// Only when asked.
        Manual = "MANUAL",
        /// Every hour.
        Hourly = "HOURLY",
        /// Every day.
        Daily = "DAILY",
        /// Every week.
        Weekly = "WEEKLY",
        /// Every 30 days.
        Monthly = "MONTHLY",
    }
}

impl HarvestFrequency {
    /// Time between scheduled runs; None for [`HarvestFrequency::Manual`].
    pub fn period(self) -> Option<std::time::Duration> {
        let hours = match self {
            HarvestFrequency::Manual => return None,
            HarvestFrequency::Hourly => 1,
            HarvestFrequency::Daily => 24,
            HarvestFrequency::Weekly => 24 * 7,
            HarvestFrequency::Monthly => 24 * 30,
        };
        Some(std::time::Duration::from_secs(hours * 3600))
    }
}

text_enum! {
    /// Where a dataset stands for a harvest source or target (`harvest_objects.state`).
    pub enum HarvestObjectState {
        /// In step: created or updated by the last run that touched it.
        Current = "current",
        /// Withdrawn from the target, or deleted here because it left the source.
        Gone = "gone",
    }
}

text_enum! {
    /// What a harvest run did with one dataset (`harvest_outcomes.action`).
    pub enum HarvestAction {
        /// Created (here for a pull, at the target for a push).
        Added = "added",
        /// Updated.
        Updated = "updated",
        /// Deleted here, or withdrawn from the target.
        Deleted = "deleted",
        /// Failed, with its error.
        Errored = "errored",
    }
}

#[cfg(test)]
mod tests {
    use super::{ActivityType, Capacity, DatasetState, ObjectState, ObjectType, UrlType};

    #[test]
    fn every_value_reads_back_from_its_word() {
        for state in DatasetState::ALL {
            assert_eq!(state.as_str().parse::<DatasetState>(), Ok(*state));
        }
        for state in ObjectState::ALL {
            assert_eq!(state.as_str().parse::<ObjectState>(), Ok(*state));
        }
        for url_type in UrlType::ALL {
            assert_eq!(url_type.as_str().parse::<UrlType>(), Ok(*url_type));
        }
        for role in Capacity::ALL {
            assert_eq!(role.as_str().parse::<Capacity>(), Ok(*role));
        }
        for object_type in ObjectType::ALL {
            assert_eq!(object_type.as_str().parse::<ObjectType>(), Ok(*object_type));
        }
        for activity_type in ActivityType::ALL {
            assert_eq!(
                activity_type.as_str().parse::<ActivityType>(),
                Ok(*activity_type)
            );
        }
    }

    #[test]
    fn unknown_words_are_refused() {
        assert!("Active".parse::<DatasetState>().is_err());
        assert!("draft".parse::<ObjectState>().is_err());
        assert!("sysadmin".parse::<Capacity>().is_err());
        assert!("link".parse::<UrlType>().is_err());
    }

    #[test]
    fn json_carries_the_ckan_word() {
        assert_eq!(serde_json::json!(DatasetState::Draft), "draft");
        assert_eq!(serde_json::json!(UrlType::Link), "");
        assert_eq!(
            serde_json::from_value::<Capacity>(serde_json::json!("editor")).ok(),
            Some(Capacity::Editor)
        );
    }

    #[test]
    fn roles_compare_by_strength() {
        assert!(Capacity::Member < Capacity::Editor && Capacity::Editor < Capacity::Admin);
    }

    #[test]
    fn catalogue_words_read_back() {
        use super::{EntryStatus, ReminderKind, ReviewDecision, SiteRole};
        for status in EntryStatus::ALL {
            assert_eq!(status.as_str().parse::<EntryStatus>(), Ok(*status));
        }
        for kind in ReminderKind::ALL {
            assert_eq!(kind.as_str().parse::<ReminderKind>(), Ok(*kind));
        }
        for decision in ReviewDecision::ALL {
            assert_eq!(decision.as_str().parse::<ReviewDecision>(), Ok(*decision));
        }
        assert_eq!("reviewer".parse::<SiteRole>(), Ok(SiteRole::Reviewer));
        assert!("sysadmin".parse::<SiteRole>().is_err());
    }
}
