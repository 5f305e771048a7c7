//! The one table of a dataset's fields: name, kind, longest value, whether required, where it
//! stands towards CKAN's `extras`, and its doc. Parsing (`input`) reads each field by its row,
//! the action specs (and so `help_show`, `/api/openapi.json` and `/api/docs`) list these rows
//! as the parameters of `package_create` and `package_update`, and import fills from a plain
//! CKAN's extras exactly the fields marked so. A field is added here, once.

use crate::catalog::action_specs::{ParamKind, ParamSpec};

/// How a field's value is read and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text, trimmed and in NFC.
    Text,
    /// A URL name: 2–100 lowercase ASCII letters, digits, `-` and `_`.
    Name,
    /// An organisation's id or name; that it exists is checked in the write transaction.
    Organization,
    /// true or false (CKAN's string forms too).
    Boolean,
    /// `active` or `draft`.
    State,
    /// A licence id of `license_list`; empty means the default terms of use.
    Licence,
    /// A code of the frequency list.
    Frequency,
    /// An administrative unit code: up to 10 digits.
    PlaceCode,
    /// YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 date-time.
    Date,
    /// ISO 639-1 codes separated by commas; empty means `vi`.
    Languages,
    /// An e-mail address.
    Email,
    /// A phone number.
    Phone,
    /// An absolute http, https or ftp URL.
    Link,
    /// Tags: strings or `{"name": ...}`.
    Tags,
    /// National themes (CKAN groups) by name or id; that they exist is checked in the write
    /// transaction.
    Themes,
    /// `{"key", "value"}` pairs of the dataset's own.
    Extras,
    /// Resource dicts.
    Resources,
}

impl FieldKind {
    /// The parameter type the API documents for this kind.
    pub const fn param_kind(self) -> ParamKind {
        match self {
            FieldKind::Boolean => ParamKind::Boolean,
            FieldKind::Tags | FieldKind::Themes | FieldKind::Extras | FieldKind::Resources => {
                ParamKind::List
            }
            _ => ParamKind::Text,
        }
    }
}

/// What an extra named like a field means. A CKAN portal without ckanext-scheming (as the
/// provinces run) keeps custom fields in `extras`: `{"key": "frequency", "value": "monthly"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InExtras {
    /// Import fills the field from such an extra; the API refuses it (the field exists).
    Fills,
    /// Identity, ownership, visibility or a list: never taken from an extra. The API refuses
    /// such an extra; import leaves it out with a warning.
    Refused,
    /// An ordinary extra (only `extras` itself: a key that names the list is no field).
    Allowed,
}

/// One field of a dataset.
#[derive(Debug, Clone, Copy)]
pub struct DatasetField {
    /// CKAN's key in the data dict.
    pub name: &'static str,
    /// How the value is read and checked.
    pub kind: FieldKind,
    /// Longest value: characters of text, items of a list; None for no limit of its own.
    pub max: Option<usize>,
    /// Whether a dataset cannot be stored without it.
    pub required: bool,
    /// What an extra of this name means.
    pub in_extras: InExtras,
    /// What it means ("Vietnamese / English").
    pub doc: &'static str,
}

const fn field(
    name: &'static str,
    kind: FieldKind,
    max: Option<usize>,
    required: bool,
    in_extras: InExtras,
    doc: &'static str,
) -> DatasetField {
    DatasetField {
        name,
        kind,
        max,
        required,
        in_extras,
        doc,
    }
}

/// The table itself, one row a field, columns aligned (so kept from rustfmt): name, kind,
/// longest value, required, what an extra of its name means, and the doc the API docs show.
#[rustfmt::skip]
mod table {
    use super::{field, DatasetField, FieldKind as K};
    use super::InExtras::{Allowed, Fills, Refused};

    /// Longest free text of one line (names of people and places, codes).
    const LINE: Option<usize> = Some(1000);
    /// Longest description.
    const LONG_TEXT: Option<usize> = Some(100_000);
    /// The URL name.
    pub const NAME: DatasetField =             field("name",             K::Name,         Some(100),  true,  Refused, "Tên URL: 2–100 chữ thường không dấu, số, - và _ / URL name: 2-100 lowercase ascii letters, digits, - and _");
    /// The title.
    pub const TITLE: DatasetField =            field("title",            K::Text,         Some(500),  false, Fills,   "Tiêu đề / Title");
    /// The description.
    pub const NOTES: DatasetField =            field("notes",            K::Text,         LONG_TEXT,  false, Fills,   "Mô tả (Markdown) / Description (Markdown)");
    /// The owning organisation.
    pub const OWNER_ORG: DatasetField =        field("owner_org",        K::Organization, Some(200),  true,  Refused, "Tổ chức sở hữu (mã hoặc tên) / Owning organization (id or name)");
    /// Visibility.
    pub const PRIVATE: DatasetField =          field("private",          K::Boolean,      None,       false, Refused, "Chỉ thành viên tổ chức xem được / Visible to organization members only");
    /// Published or draft.
    pub const STATE: DatasetField =            field("state",            K::State,        Some(20),   false, Refused, "active hoặc draft / active or draft");
    /// The licence.
    pub const LICENSE_ID: DatasetField =       field("license_id",       K::Licence,      Some(100),  false, Fills,   "Giấy phép (license_list); để trống = điều khoản mặc định NĐ 47/2020 / Licence (license_list); empty = default terms of Decree 47/2020");
    /// Tags.
    pub const TAGS: DatasetField =             field("tags",             K::Tags,         Some(100),  false, Refused, "[{\"name\": \"giá đất\"}]");
    /// National themes.
    pub const GROUPS: DatasetField =           field("groups",           K::Themes,       None,       false, Refused, "Chủ đề quốc gia / National themes: [{\"name\": \"tai-chinh\"}]");
    /// How often the data is updated.
    pub const FREQUENCY: DatasetField =        field("frequency",        K::Frequency,    LINE,       false, Fills,   "continuous, daily, weekly, monthly, quarterly, biannual, annual, irregular, never");
    /// The covered place, as a code.
    pub const SPATIAL_CODE: DatasetField =     field("spatial_code",     K::PlaceCode,    LINE,       false, Fills,   "Mã đơn vị hành chính tỉnh/xã / Province or commune code");
    /// The covered place, by name.
    pub const SPATIAL_NAME: DatasetField =     field("spatial_name",     K::Text,         Some(300),  false, Fills,   "Tên địa bàn / Place name");
    /// Start of the covered period.
    pub const TEMPORAL_START: DatasetField =   field("temporal_start",   K::Date,         Some(40),   false, Fills,   "Bắt đầu thời kỳ (YYYY-MM-DD) / Start of period");
    /// End of the covered period.
    pub const TEMPORAL_END: DatasetField =     field("temporal_end",     K::Date,         Some(40),   false, Fills,   "Kết thúc thời kỳ (YYYY-MM-DD) / End of period");
    /// Languages of the data.
    pub const LANGUAGE: DatasetField =         field("language",         K::Languages,    Some(100),  false, Fills,   "Mã ISO 639-1, mặc định vi / ISO 639-1 codes, default vi");
    /// Contact point.
    pub const CONTACT_NAME: DatasetField =     field("contact_name",     K::Text,         LINE,       false, Fills,   "Đầu mối liên hệ / Contact point");
    /// Contact e-mail.
    pub const CONTACT_EMAIL: DatasetField =    field("contact_email",    K::Email,        LINE,       false, Fills,   "Email liên hệ / Contact e-mail");
    /// Contact phone.
    pub const CONTACT_PHONE: DatasetField =    field("contact_phone",    K::Phone,        LINE,       false, Fills,   "Điện thoại liên hệ / Contact phone");
    /// English title.
    pub const TITLE_EN: DatasetField =         field("title_en",         K::Text,         Some(500),  false, Fills,   "Tiêu đề tiếng Anh / English title");
    /// English description.
    pub const NOTES_EN: DatasetField =         field("notes_en",         K::Text,         LONG_TEXT,  false, Fills,   "Mô tả tiếng Anh / English description");
    /// Source page.
    pub const URL: DatasetField =              field("url",              K::Link,         Some(2000), false, Fills,   "Trang nguồn / Source page");
    /// Version label.
    pub const VERSION: DatasetField =          field("version",          K::Text,         Some(100),  false, Fills,   "Phiên bản / Version");
    /// Author.
    pub const AUTHOR: DatasetField =           field("author",           K::Text,         LINE,       false, Fills,   "Tác giả / Author");
    /// Author e-mail.
    pub const AUTHOR_EMAIL: DatasetField =     field("author_email",     K::Email,        LINE,       false, Fills,   "Email tác giả / Author e-mail");
    /// Maintainer.
    pub const MAINTAINER: DatasetField =       field("maintainer",       K::Text,         LINE,       false, Fills,   "Người duy trì / Maintainer");
    /// Maintainer e-mail.
    pub const MAINTAINER_EMAIL: DatasetField = field("maintainer_email", K::Email,        LINE,       false, Fills,   "Email người duy trì / Maintainer e-mail");
    /// The dataset's own extras.
    pub const EXTRAS: DatasetField =           field("extras",           K::Extras,       Some(100),  false, Allowed, "[{\"key\": \"...\", \"value\": \"...\"}]");
    /// Files and links.
    pub const RESOURCES: DatasetField =        field("resources",        K::Resources,    Some(1000), false, Refused, "Tài nguyên / Resources: [{\"name\", \"url\", \"format\", \"description\"}]");
}

pub use table::*;

/// Every field a client may send, in the order the API docs list them.
pub const DATASET_FIELDS: &[DatasetField] = &[
    NAME,
    TITLE,
    NOTES,
    OWNER_ORG,
    PRIVATE,
    STATE,
    LICENSE_ID,
    TAGS,
    GROUPS,
    FREQUENCY,
    SPATIAL_CODE,
    SPATIAL_NAME,
    TEMPORAL_START,
    TEMPORAL_END,
    LANGUAGE,
    CONTACT_NAME,
    CONTACT_EMAIL,
    CONTACT_PHONE,
    TITLE_EN,
    NOTES_EN,
    URL,
    VERSION,
    AUTHOR,
    AUTHOR_EMAIL,
    MAINTAINER,
    MAINTAINER_EMAIL,
    EXTRAS,
    RESOURCES,
];

/// Keys of a dataset dict that the portal sets, never a client: no extra may take them either.
pub const READ_ONLY_KEYS: &[&str] = &[
    "id",
    "organization",
    "metadata_created",
    "metadata_modified",
];

/// The field of this name, if any.
pub fn find(name: &str) -> Option<&'static DatasetField> {
    DATASET_FIELDS.iter().find(|f| f.name == name)
}

/// True when an extra may not have this key, because the dataset has a field of that name.
pub fn is_reserved(key: &str) -> bool {
    READ_ONLY_KEYS.contains(&key) || find(key).is_some_and(|f| f.in_extras != InExtras::Allowed)
}

/// True when a plain CKAN's extra of this key fills our field of that name on import.
pub fn filled_from_extra(key: &str) -> bool {
    find(key).is_some_and(|f| f.in_extras == InExtras::Fills)
}

const fn param_spec(field: &DatasetField) -> ParamSpec {
    ParamSpec {
        name: field.name,
        kind: field.kind.param_kind(),
        required: field.required,
        doc: field.doc,
        max: field.max,
    }
}

/// The dataset fields as action parameters (`package_create`, `package_update`).
pub const PARAM_SPECS: [ParamSpec; DATASET_FIELDS.len()] = {
    let mut specs = [const { param_spec(&NAME) }; DATASET_FIELDS.len()];
    let mut i = 0;
    while i < DATASET_FIELDS.len() {
        specs[i] = param_spec(&DATASET_FIELDS[i]);
        i += 1;
    }
    specs
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_read_only_keys_are_no_fields() {
        let mut names: Vec<&str> = DATASET_FIELDS.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), DATASET_FIELDS.len());
        assert!(READ_ONLY_KEYS.iter().all(|key| find(key).is_none()));
    }

    #[test]
    fn param_specs_follow_the_table() {
        for (spec, field) in PARAM_SPECS.iter().zip(DATASET_FIELDS) {
            assert_eq!(
                (spec.name, spec.kind, spec.required, spec.doc, spec.max),
                (
                    field.name,
                    field.kind.param_kind(),
                    field.required,
                    field.doc,
                    field.max
                )
            );
        }
        assert_eq!(PARAM_SPECS.len(), DATASET_FIELDS.len());
    }

    #[test]
    fn extras_fill_descriptive_fields_only() {
        assert!(filled_from_extra("frequency") && filled_from_extra("title_en"));
        for key in [
            "name",
            "owner_org",
            "state",
            "private",
            "tags",
            "groups",
            "resources",
            "id",
        ] {
            assert!(!filled_from_extra(key) && is_reserved(key), "{key}");
        }
        assert!(!is_reserved("extras") && !is_reserved("so_hieu_van_ban"));
    }
}
