//! Rows of the catalogue tables, as diesel reads and writes them.

use diesel::prelude::*;

use crate::enums::{ActivityType, Capacity, DatasetState, ObjectState, ObjectType, UrlType};

use super::schema::{
    activities, api_tokens, dataset_tags, dataset_themes, datasets, memberships, organizations,
    resources, themes, users,
};

/// An account.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    /// UUID.
    pub id: String,
    /// Unique login name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Display name.
    pub fullname: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Site administrator.
    pub sysadmin: bool,
    /// Active or deactivated (`deleted`).
    pub state: ObjectState,
    /// Creation time.
    pub created: String,
}

/// An API token (only its hash is stored).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct ApiTokenRow {
    /// Token id (CKAN's `jti`).
    pub id: String,
    /// Owner.
    pub user_id: String,
    /// Label given at creation.
    pub name: String,
    /// SHA-256 of the secret, hex.
    pub token_hash: String,
    /// Creation time.
    pub created: String,
    /// Last use.
    pub last_access: Option<String>,
    /// Revoked tokens never authenticate again.
    pub revoked: bool,
}

/// An organisation (a department of the province).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = organizations, treat_none_as_null = true)]
pub struct OrganizationRow {
    /// UUID.
    pub id: String,
    /// URL slug.
    pub name: String,
    /// Vietnamese title.
    pub title: String,
    /// English title.
    pub title_en: Option<String>,
    /// Description.
    pub description: String,
    /// Logo URL.
    pub image_url: String,
    /// Active or deleted.
    pub state: ObjectState,
    /// Creation time.
    pub created: String,
    /// Last change.
    pub modified: String,
}

/// An organisation's contact point (migration 2026-12-01-000005), read and written beside
/// [`OrganizationRow`]: rows inserted without it get empty defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Queryable, Selectable, AsChangeset)]
#[diesel(table_name = organizations)]
pub struct OrganizationContactRow {
    /// Contact e-mail.
    pub contact_email: String,
    /// Contact telephone.
    pub contact_phone: String,
    /// Postal address.
    pub address: String,
}

/// A user's role in an organisation.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = memberships)]
pub struct MembershipRow {
    /// Organisation id.
    pub organization_id: String,
    /// User id.
    pub user_id: String,
    /// The role.
    pub capacity: Capacity,
}

/// A national theme (CKAN group).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = themes)]
pub struct ThemeRow {
    /// UUID.
    pub id: String,
    /// Slug.
    pub name: String,
    /// Vietnamese title.
    pub title: String,
    /// English title.
    pub title_en: Option<String>,
    /// Description.
    pub description: String,
    /// Creation time.
    pub created: String,
}

/// A dataset's own fields (tags, themes and resources live in their tables).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = datasets, treat_none_as_null = true)]
pub struct DatasetRow {
    /// UUID.
    pub id: String,
    /// URL slug.
    pub name: String,
    /// Title.
    pub title: String,
    /// Description (Markdown).
    pub notes: String,
    /// Owning organisation id.
    pub owner_org: String,
    /// Visible to organisation members only.
    pub private: bool,
    /// Active, draft or deleted.
    pub state: DatasetState,
    /// Licence id.
    pub license_id: String,
    /// Source URL.
    pub url: String,
    /// Version label.
    pub version: String,
    /// Author.
    pub author: String,
    /// Author e-mail.
    pub author_email: String,
    /// Maintainer.
    pub maintainer: String,
    /// Maintainer e-mail.
    pub maintainer_email: String,
    /// Update frequency code.
    pub frequency: String,
    /// Administrative unit code of the covered place.
    pub spatial_code: String,
    /// Name of the covered place.
    pub spatial_name: String,
    /// Start of the covered period.
    pub temporal_start: String,
    /// End of the covered period.
    pub temporal_end: String,
    /// Language codes, comma separated.
    pub language: String,
    /// Contact point name.
    pub contact_name: String,
    /// Contact point e-mail.
    pub contact_email: String,
    /// Contact point phone.
    pub contact_phone: String,
    /// English title.
    pub title_en: String,
    /// English description.
    pub notes_en: String,
    /// CKAN extras as a JSON array of {key, value}.
    pub extras: String,
    /// Who created it.
    pub creator_user_id: Option<String>,
    /// Bumped on every change.
    pub revision: i64,
    /// Creation time.
    pub metadata_created: String,
    /// Last change.
    pub metadata_modified: String,
}

/// A tag of a dataset.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = dataset_tags)]
pub struct DatasetTagRow {
    /// Dataset id.
    pub dataset_id: String,
    /// Tag text.
    pub tag: String,
}

/// A theme of a dataset.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = dataset_themes)]
pub struct DatasetThemeRow {
    /// Dataset id.
    pub dataset_id: String,
    /// Theme id.
    pub theme_id: String,
}

/// A resource (file or link) of a dataset.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = resources, treat_none_as_null = true)]
pub struct ResourceRow {
    /// UUID.
    pub id: String,
    /// Dataset id.
    pub dataset_id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Format label (CSV, XLSX, ...).
    pub format: String,
    /// MIME type.
    pub mimetype: String,
    /// External URL, or the file name for uploads.
    pub url: String,
    /// A stored file or a link.
    pub url_type: UrlType,
    /// File size in bytes.
    pub size: Option<i64>,
    /// Checksum, `sha256:<hex>` for uploads.
    pub hash: String,
    /// Path of the stored file inside the storage folder.
    pub storage_key: Option<String>,
    /// Order within the dataset.
    pub position: i32,
    /// Active or deleted.
    pub state: ObjectState,
    /// Creation time.
    pub created: String,
    /// Last change of the data.
    pub last_modified: Option<String>,
    /// Last change of the metadata.
    pub metadata_modified: String,
}

/// One recorded change.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = activities, treat_none_as_null = true)]
pub struct ActivityRow {
    /// UUID.
    pub id: String,
    /// A dataset, an organisation or an account.
    pub object_type: ObjectType,
    /// Id of the changed object.
    pub object_id: String,
    /// Created, changed or deleted.
    pub activity_type: ActivityType,
    /// Who made the change (None for system jobs).
    pub user_id: Option<String>,
    /// When.
    pub created: String,
    /// JSON: changed fields and the whole object after the change.
    pub data: String,
    /// Who may read this change, space-separated (see `catalog::activity`).
    pub permission_labels: String,
}

/// Column counts, to size multi-row statements (`db::rows_per_statement`).
impl DatasetRow {
    /// Columns of `datasets`.
    pub const COLUMNS: usize = 30;
}

impl DatasetTagRow {
    /// Columns of `dataset_tags`.
    pub const COLUMNS: usize = 2;
}

impl DatasetThemeRow {
    /// Columns of `dataset_themes`.
    pub const COLUMNS: usize = 2;
}

impl ResourceRow {
    /// Columns of `resources`.
    pub const COLUMNS: usize = 16;
}

impl ActivityRow {
    /// Columns of `activities`.
    pub const COLUMNS: usize = 8;
}
