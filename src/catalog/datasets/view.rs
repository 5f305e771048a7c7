//! The typed views of a dataset, as actions return them and pages will render them. Their
//! serialised form is CKAN's dataset dict, field for field. Upload links are relative
//! (`/dataset/…/download/…`): the address the portal is reached at is configuration, not
//! data, so the view stored in the search index stays valid wherever the portal is served,
//! and the API edge puts the site URL in front ([`DatasetView::with_site_url`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::db::models::{DatasetRow, OrganizationRow, ResourceRow, ThemeRow};
use crate::enums::{DatasetState, ObjectState, UrlType};

/// A dataset as CKAN clients read it (`package_show`, search results).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
// Fields missing from a view stored by an older version read as empty, never as an error.
#[serde(default)]
pub struct DatasetView {
    /// CKAN's `id`.
    pub id: String,
    /// CKAN's `name`.
    pub name: String,
    /// CKAN's `title`.
    pub title: String,
    /// CKAN's `notes`.
    pub notes: String,
    /// Always "dataset".
    #[serde(rename = "type")]
    pub kind: String,
    /// CKAN's `owner_org`.
    pub owner_org: String,
    /// CKAN's `organization`.
    pub organization: Option<OrganizationSummary>,
    /// CKAN's `private`.
    pub private: bool,
    /// CKAN's `state`.
    pub state: DatasetState,
    /// CKAN's `license_id`.
    pub license_id: String,
    /// CKAN's `license_title`.
    pub license_title: Option<String>,
    /// CKAN's `license_url`.
    pub license_url: Option<String>,
    /// CKAN's `url`.
    pub url: String,
    /// CKAN's `version`.
    pub version: String,
    /// CKAN's `author`.
    pub author: String,
    /// CKAN's `author_email`.
    pub author_email: String,
    /// CKAN's `maintainer`.
    pub maintainer: String,
    /// CKAN's `maintainer_email`.
    pub maintainer_email: String,
    /// CKAN's `frequency`.
    pub frequency: String,
    /// CKAN's `frequency_title`.
    pub frequency_title: Option<String>,
    /// CKAN's `spatial_code`.
    pub spatial_code: String,
    /// CKAN's `spatial_name`.
    pub spatial_name: String,
    /// CKAN's `temporal_start`.
    pub temporal_start: String,
    /// CKAN's `temporal_end`.
    pub temporal_end: String,
    /// CKAN's `language`.
    pub language: String,
    /// CKAN's `contact_name`.
    pub contact_name: String,
    /// CKAN's `contact_email`.
    pub contact_email: String,
    /// CKAN's `contact_phone`.
    pub contact_phone: String,
    /// CKAN's `title_en`.
    pub title_en: String,
    /// CKAN's `notes_en`.
    pub notes_en: String,
    /// CKAN's `num_tags`.
    pub num_tags: usize,
    /// CKAN's `tags`.
    pub tags: Vec<TagView>,
    /// CKAN's `groups`.
    pub groups: Vec<ThemeSummary>,
    /// Custom fields as CKAN's `[{"key", "value"}]`, kept as sent.
    pub extras: Value,
    /// CKAN's `num_resources`.
    pub num_resources: usize,
    /// CKAN's `resources`.
    pub resources: Vec<ResourceView>,
    /// CKAN's `creator_user_id`.
    pub creator_user_id: Option<String>,
    /// CKAN's `metadata_created`.
    pub metadata_created: String,
    /// CKAN's `metadata_modified`.
    pub metadata_modified: String,
}

impl DatasetView {
    /// The view with upload links made absolute under `site_url` (no trailing slash).
    pub fn with_site_url(mut self, site_url: &str) -> DatasetView {
        for resource in &mut self.resources {
            resource.put_site_url(site_url);
        }
        self
    }
}

/// A resource of a dataset.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
// Fields missing from a view stored by an older version read as empty, never as an error.
#[serde(default)]
pub struct ResourceView {
    /// CKAN's `id`.
    pub id: String,
    /// CKAN's `package_id`.
    pub package_id: String,
    /// CKAN's `name`.
    pub name: String,
    /// CKAN's `description`.
    pub description: String,
    /// CKAN's `format`.
    pub format: String,
    /// CKAN's `mimetype`.
    pub mimetype: String,
    /// The link, or for an upload its download path (absolute once the edge adds the site).
    pub url: String,
    /// CKAN's `url_type`.
    pub url_type: UrlType,
    /// CKAN's `size`.
    pub size: Option<i64>,
    /// CKAN's `hash`.
    pub hash: String,
    /// CKAN's `position`.
    pub position: i32,
    /// CKAN's `state`.
    pub state: ObjectState,
    /// CKAN's `created`.
    pub created: String,
    /// CKAN's `last_modified`.
    pub last_modified: Option<String>,
    /// CKAN's `metadata_modified`.
    pub metadata_modified: String,
    /// CKAN's `datastore_active`.
    pub datastore_active: bool,
}

impl ResourceView {
    /// The view of a resource row; an upload's url is its download path.
    pub fn of(row: &ResourceRow) -> ResourceView {
        let url = if row.url_type == UrlType::Upload {
            download_path(&row.dataset_id, &row.id, &row.url)
        } else {
            row.url.clone()
        };
        ResourceView {
            id: row.id.clone(),
            package_id: row.dataset_id.clone(),
            name: row.name.clone(),
            description: row.description.clone(),
            format: row.format.clone(),
            mimetype: row.mimetype.clone(),
            url,
            url_type: row.url_type,
            size: row.size,
            hash: row.hash.clone(),
            position: row.position,
            state: row.state,
            created: row.created.clone(),
            last_modified: row.last_modified.clone(),
            metadata_modified: row.metadata_modified.clone(),
            datastore_active: false,
        }
    }

    /// Makes an upload's download path absolute under `site_url`.
    pub fn put_site_url(&mut self, site_url: &str) {
        if self.url_type == UrlType::Upload && self.url.starts_with('/') {
            self.url.insert_str(0, site_url);
        }
    }

    /// The view with its upload link made absolute under `site_url`.
    pub fn with_site_url(mut self, site_url: &str) -> ResourceView {
        self.put_site_url(site_url);
        self
    }
}

/// The download path of an uploaded file, its name percent-encoded.
pub fn download_path(dataset_id: &str, resource_id: &str, file_name: &str) -> String {
    format!(
        "/dataset/{dataset_id}/resource/{resource_id}/download/{}",
        super::resources::percent_encode_path(file_name)
    )
}

/// The owning organisation, as embedded in a dataset.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
// Fields missing from a view stored by an older version read as empty, never as an error.
#[serde(default)]
pub struct OrganizationSummary {
    /// CKAN's `id`.
    pub id: String,
    /// CKAN's `name`.
    pub name: String,
    /// CKAN's `title`.
    pub title: String,
    /// CKAN's `title_en`.
    pub title_en: Option<String>,
    /// CKAN's `description`.
    pub description: String,
    /// CKAN's `image_url`.
    pub image_url: String,
    /// Always "organization".
    #[serde(rename = "type")]
    pub kind: String,
    /// CKAN's `is_organization`.
    pub is_organization: bool,
    /// CKAN's `state`.
    pub state: ObjectState,
    /// CKAN's `approval_status`.
    pub approval_status: String,
    /// CKAN's `created`.
    pub created: String,
}

impl OrganizationSummary {
    /// The summary of an organisation row.
    pub fn of(row: &OrganizationRow) -> OrganizationSummary {
        OrganizationSummary {
            id: row.id.clone(),
            name: row.name.clone(),
            title: row.title.clone(),
            title_en: row.title_en.clone(),
            description: row.description.clone(),
            image_url: row.image_url.clone(),
            kind: "organization".to_owned(),
            is_organization: true,
            state: row.state,
            approval_status: "approved".to_owned(),
            created: row.created.clone(),
        }
    }
}

/// A national theme (CKAN group) a dataset belongs to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
// Fields missing from a view stored by an older version read as empty, never as an error.
#[serde(default)]
pub struct ThemeSummary {
    /// CKAN's `id`.
    pub id: String,
    /// CKAN's `name`.
    pub name: String,
    /// CKAN's `title`.
    pub title: String,
    /// CKAN's `title_en`.
    pub title_en: Option<String>,
    /// CKAN's `display_name`.
    pub display_name: String,
    /// CKAN's `description`.
    pub description: String,
}

impl ThemeSummary {
    /// The summary of a theme row.
    pub fn of(theme: &ThemeRow) -> ThemeSummary {
        ThemeSummary {
            id: theme.id.clone(),
            name: theme.name.clone(),
            title: theme.title.clone(),
            title_en: theme.title_en.clone(),
            display_name: theme.title.clone(),
            description: theme.description.clone(),
        }
    }
}

/// A tag of a dataset.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
// Fields missing from a view stored by an older version read as empty, never as an error.
#[serde(default)]
pub struct TagView {
    /// CKAN's `name`.
    pub name: String,
    /// CKAN's `display_name`.
    pub display_name: String,
    /// CKAN's `state`.
    pub state: ObjectState,
}

impl TagView {
    /// The view of a tag.
    pub fn of(name: &str) -> TagView {
        TagView {
            name: name.to_owned(),
            display_name: name.to_owned(),
            state: ObjectState::Active,
        }
    }
}

/// The fields of a dataset row, with what is read from other tables.
pub struct DatasetParts {
    /// The owning organisation.
    pub organization: Option<OrganizationSummary>,
    /// Tag names, sorted.
    pub tags: Vec<String>,
    /// Themes, by name.
    pub groups: Vec<ThemeSummary>,
    /// Active resources, by position.
    pub resources: Vec<ResourceView>,
}

impl DatasetView {
    /// The view of a dataset row and its parts.
    pub fn of(row: &DatasetRow, parts: DatasetParts) -> DatasetView {
        let license = crate::catalog::vocab::license(&row.license_id);
        let frequency = crate::catalog::vocab::FREQUENCIES
            .iter()
            .find(|f| f.0 == row.frequency);
        DatasetView {
            id: row.id.clone(),
            name: row.name.clone(),
            title: row.title.clone(),
            notes: row.notes.clone(),
            kind: "dataset".to_owned(),
            owner_org: row.owner_org.clone(),
            organization: parts.organization,
            private: row.private,
            state: row.state,
            license_id: row.license_id.clone(),
            license_title: license.map(|l| l.title.to_owned()),
            license_url: license.map(|l| l.url.to_owned()),
            url: row.url.clone(),
            version: row.version.clone(),
            author: row.author.clone(),
            author_email: row.author_email.clone(),
            maintainer: row.maintainer.clone(),
            maintainer_email: row.maintainer_email.clone(),
            frequency: row.frequency.clone(),
            frequency_title: frequency.map(|f| f.1.to_owned()),
            spatial_code: row.spatial_code.clone(),
            spatial_name: row.spatial_name.clone(),
            temporal_start: row.temporal_start.clone(),
            temporal_end: row.temporal_end.clone(),
            language: row.language.clone(),
            contact_name: row.contact_name.clone(),
            contact_email: row.contact_email.clone(),
            contact_phone: row.contact_phone.clone(),
            title_en: row.title_en.clone(),
            notes_en: row.notes_en.clone(),
            num_tags: parts.tags.len(),
            tags: parts.tags.iter().map(|t| TagView::of(t)).collect(),
            groups: parts.groups,
            extras: serde_json::from_str(&row.extras).unwrap_or_else(|_| Value::Array(Vec::new())),
            num_resources: parts.resources.len(),
            resources: parts.resources,
            creator_user_id: row.creator_user_id.clone(),
            metadata_created: row.metadata_created.clone(),
            metadata_modified: row.metadata_modified.clone(),
        }
    }
}
