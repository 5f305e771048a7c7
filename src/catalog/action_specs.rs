//! The action registry: one entry per action binds its name, what it takes (the spec behind
//! `help_show`, `/api/openapi.json` and `/api/docs`), who may call it (its `access::Rule`) and
//! its handler. The API decides GET/POST and uploads from it, the one door
//! (`actions::call`) dispatches through it: adding an action is adding one entry.

use super::access::Rule;
use super::actions::{help, status, view, Handler, MemberChange, Reply};
use super::catalogue::{compliance, duplicates, entries, listing, reminders, review, versions};
use super::datasets::resources;
use super::harvesting::{
    runs as harvest_runs, sources as harvest_sources, targets as harvest_targets,
};
use super::{
    datasets, dcat, downloads, organizations, privacy, search, suggest, themes, users, vocab,
};

/// The type of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// Text.
    Text,
    /// Whole number.
    Integer,
    /// true / false.
    Boolean,
    /// JSON list.
    List,
    /// A file in a multipart body.
    File,
}

/// One parameter of an action.
#[derive(Debug)]
pub struct ParamSpec {
    /// CKAN's parameter name.
    pub name: &'static str,
    /// Its type.
    pub kind: ParamKind,
    /// Whether the action fails without it.
    pub required: bool,
    /// What it means ("Vietnamese / English").
    pub doc: &'static str,
    /// Longest value: characters of text, items of a list (None: no limit of its own).
    pub max: Option<usize>,
}

/// One action of the API.
pub struct ActionSpec {
    /// CKAN's action name.
    pub name: &'static str,
    /// Reads only, so GET is allowed.
    pub read_only: bool,
    /// Who may call it, checked before the handler runs.
    pub rule: Rule,
    /// What it does.
    pub run: Handler,
    /// What it does ("Vietnamese / English").
    pub summary: &'static str,
    /// Its parameters.
    pub params: &'static [ParamSpec],
}

impl ActionSpec {
    /// True when the action takes a file in the multipart field `upload`.
    pub fn accepts_upload(&self) -> bool {
        self.params.iter().any(|p| p.kind == ParamKind::File)
    }
}

const fn p(name: &'static str, kind: ParamKind, required: bool, doc: &'static str) -> ParamSpec {
    ParamSpec {
        name,
        kind,
        required,
        doc,
        max: None,
    }
}

use ParamKind::{Boolean, File, Integer, List, Text};

const COUNTS: ParamSpec = p(
    "include_dataset_count",
    Boolean,
    false,
    "Đếm bộ dữ liệu công khai (mặc định: có) / Count public datasets (default: true)",
);
const ID: ParamSpec = p("id", Text, true, "Mã hoặc tên (URL) / id or name");
const LIMIT: ParamSpec = p(
    "limit",
    Integer,
    false,
    "Số mục tối đa / Maximum number of items",
);
const OFFSET: ParamSpec = p(
    "offset",
    Integer,
    false,
    "Bỏ qua bao nhiêu mục / Items to skip",
);

/// The syntax of a DCAT document.
const DCAT_FORMAT: ParamSpec = p(
    "format",
    Text,
    false,
    "rdf (mặc định), xml, ttl, jsonld / rdf (default), xml, ttl, jsonld",
);

/// The dataset fields, from the one table of them.
const DATASET_FIELDS: &[ParamSpec] = &crate::catalog::datasets::fields::PARAM_SPECS;

const RESOURCE_FIELDS: &[ParamSpec] = &[
    p("package_id", Text, true, "Bộ dữ liệu / Dataset id or name"),
    p("name", Text, false, "Tên / Name"),
    p("description", Text, false, "Mô tả / Description"),
    p("format", Text, false, "Định dạng (CSV, XLSX…); đoán theo tên tệp nếu trống / Format; guessed from the name if empty"),
    p("url", Text, false, "Đường dẫn, khi không tải tệp lên / Link, when no file is uploaded"),
    p("upload", File, false, "Tệp tải lên (multipart) / Uploaded file (multipart)"),
];

/// `user_update` and `user_patch`: who may change what is said in each doc, as the action
/// enforces it.
const USER_FIELDS: &[ParamSpec] = &[
    ID,
    p("name", Text, false, "Tên đăng nhập, không đổi được; nếu gửi phải trùng / Login name, cannot change; if sent it must match"),
    p("email", Text, false, "Email; bắt buộc với user_update / E-mail; required by user_update"),
    p("fullname", Text, false, "Họ tên / Full name"),
    p("password", Text, false, "Mật khẩu mới ≥ 8 ký tự / New password, 8+ characters"),
    p("sysadmin", Boolean, false, "Quản trị hệ thống; chỉ quản trị hệ thống đổi, không cho chính mình / Site administrator; changed by sysadmins only, not their own"),
    p("state", Text, false, "active (mở lại) hoặc deleted (vô hiệu hóa); chỉ quản trị hệ thống, không cho chính mình / active (re-activate) or deleted (deactivate); sysadmins only, not their own"),
];

const HARVEST_FREQUENCY: ParamSpec = p(
    "frequency",
    Text,
    false,
    "MANUAL (mặc định / default), HOURLY, DAILY, WEEKLY, MONTHLY",
);
const HARVEST_CONFIG: ParamSpec = p(
    "config",
    Text,
    false,
    "Cấu hình JSON, vd. {\"rows\": 100} (ckan); {\"method\": \"POST\", \"auth_header\": \"X-API-Key\", \"auth_scheme\": \"\"} (dcat-push) / JSON configuration",
);

/// `harvest_source_create`.
const HARVEST_SOURCE_FIELDS: &[ParamSpec] = &[
    p("name", Text, true, "Tên URL / URL name"),
    p("title", Text, false, "Tên đầy đủ / Title"),
    p(
        "url",
        Text,
        true,
        "Địa chỉ cổng nguồn / URL of the remote catalogue",
    ),
    p(
        "source_type",
        Text,
        true,
        "ckan (CKAN Action API) hoặc dcat (danh mục DCAT: RDF/XML, Turtle, JSON-LD, theo hydra:next) / ckan or dcat",
    ),
    p(
        "owner_org",
        Text,
        true,
        "Tổ chức nhận bộ dữ liệu / Local organization receiving the datasets",
    ),
    HARVEST_FREQUENCY,
    HARVEST_CONFIG,
];

/// `harvest_source_update`.
const HARVEST_SOURCE_UPDATE: &[ParamSpec] = &[
    ID,
    p("name", Text, false, "Tên URL / URL name"),
    p("title", Text, false, "Tên đầy đủ / Title"),
    p(
        "url",
        Text,
        false,
        "Địa chỉ cổng nguồn / URL of the remote catalogue",
    ),
    p("source_type", Text, false, "ckan, dcat"),
    p(
        "owner_org",
        Text,
        false,
        "Tổ chức nhận bộ dữ liệu / Local organization receiving the datasets",
    ),
    HARVEST_FREQUENCY,
    HARVEST_CONFIG,
];

/// `harvest_target_create`.
const HARVEST_TARGET_FIELDS: &[ParamSpec] = &[
    p("name", Text, true, "Tên URL / URL name"),
    p("title", Text, false, "Tên đầy đủ / Title"),
    p("url", Text, true, "Địa chỉ cổng đích / URL of the remote portal"),
    p("target_type", Text, true, "ckan (CKAN Action API) hoặc dcat-push (PUT {url}/{guid} một tài liệu DCAT) / ckan or dcat-push (PUT {url}/{guid} of a DCAT document)"),
    p("token", Text, true, "Khóa API ở cổng đích; chỉ ghi, lưu mã hóa / API token at the target; write-only, stored encrypted"),
    p("remote_owner_org", Text, true, "Tổ chức ở cổng đích (ckan) / Organization at the target (ckan)"),
    p("format", Text, false, "Định dạng gửi (dcat-push): rdf hoặc jsonld / Format sent (dcat-push): rdf or jsonld"),
    HARVEST_FREQUENCY,
    HARVEST_CONFIG,
];

/// `harvest_target_update`.
const HARVEST_TARGET_UPDATE: &[ParamSpec] = &[
    ID,
    p("name", Text, false, "Tên URL / URL name"),
    p("title", Text, false, "Tên đầy đủ / Title"),
    p(
        "url",
        Text,
        false,
        "Địa chỉ cổng đích / URL of the remote portal",
    ),
    p("target_type", Text, false, "ckan, dcat-push"),
    p("token", Text, false, "Khóa API mới / New API token"),
    p(
        "remote_owner_org",
        Text,
        false,
        "Tổ chức ở cổng đích / Organization at the target",
    ),
    p(
        "format",
        Text,
        false,
        "Định dạng gửi (dcat-push): rdf hoặc jsonld / Format sent (dcat-push): rdf or jsonld",
    ),
    HARVEST_FREQUENCY,
    HARVEST_CONFIG,
];
/// The fields of a catalogue entry (`catalogue_entry_create/update/patch`).
const ENTRY_FIELDS: &[ParamSpec] = &[
    p("title", Text, true, "Tên dữ liệu sẽ công bố / What data will be published"),
    p("description", Text, false, "Mô tả / Description"),
    p("owner_org", Text, true, "Đơn vị chịu trách nhiệm / Responsible department"),
    p("themes", List, false, "Chủ đề (tên) / Theme names"),
    p("formats", List, false, "Định dạng cam kết (CSV, XLSX…) / Promised formats"),
    p("access_methods", List, false, "download, api"),
    p("frequency", Text, true, "Tần suất cập nhật / Update frequency: daily, weekly, monthly, quarterly, biannual, annual, continuous, irregular, never"),
    p("planned_publication", Text, true, "Ngày công bố dự kiến (YYYY-MM-DD) / Planned publication date"),
    p("legal_basis", Text, false, "Căn cứ pháp lý / Legal basis"),
    p("priority", Integer, false, "Mức ưu tiên 1–5 (mặc định 3) / Priority 1–5 (default 3)"),
];

/// `catalogue_entry_update/patch`: the entry's id and its fields.
const ENTRY_UPDATE_FIELDS: &[ParamSpec] = &[
    ID,
    p("title", Text, false, "Tên / Title"),
    p("description", Text, false, "Mô tả / Description"),
    p(
        "owner_org",
        Text,
        false,
        "Đơn vị; chỉ Văn phòng dữ liệu đổi được / Department; only the data office may change it",
    ),
    p("themes", List, false, "Chủ đề / Themes"),
    p("formats", List, false, "Định dạng / Formats"),
    p("access_methods", List, false, "download, api"),
    p(
        "frequency",
        Text,
        false,
        "Tần suất cập nhật / Update frequency",
    ),
    p(
        "planned_publication",
        Text,
        false,
        "Ngày công bố dự kiến / Planned publication date",
    ),
    p("legal_basis", Text, false, "Căn cứ pháp lý / Legal basis"),
    p("priority", Integer, false, "Mức ưu tiên 1–5 / Priority 1–5"),
];

const AS_OF: ParamSpec = p(
    "as_of",
    Text,
    false,
    "Tính tại ngày (YYYY-MM-DD; mặc định hôm nay) / As of this date (default today)",
);

/// Every action, in the order the docs list them.
pub const ACTIONS: &[ActionSpec] = &[
    ActionSpec { name: "status_show", read_only: true, rule: Rule::Anyone, run: |c, _, _| view(status(c)), summary: "Thông tin cổng dữ liệu / Portal status", params: &[] },
    ActionSpec { name: "help_show", read_only: true, rule: Rule::Anyone, run: |_, _, r| view(help(r.dict)?), summary: "Mô tả một hành động / Describe an action", params: &[p("name", Text, true, "Tên hành động / Action name")] },
    ActionSpec { name: "site_read", read_only: true, rule: Rule::Anyone, run: |_, _, _| view(true), summary: "Cổng có đọc được không / Whether the site can be read", params: &[] },
    ActionSpec { name: "package_list", read_only: true, rule: Rule::Anyone, run: |c, _, r| view(datasets::package_list(c, r.dict)?), summary: "Tên các bộ dữ liệu công khai / Names of public datasets", params: &[LIMIT, OFFSET] },
    ActionSpec { name: "package_show", read_only: true, rule: Rule::Anyone, run: |c, a, r| view(privacy::package_show(c, a, r.dict)?), summary: "Một bộ dữ liệu; kèm các lần xác nhận quyền riêng tư cho biên tập viên / One dataset; with its privacy reviews for its editors", params: &[ID] },
    ActionSpec {
        name: "package_search",
        read_only: true,
        rule: Rule::Anyone, run: |c, a, r| Ok(Reply::Encoded(search::package_search_encoded(c, a, r.dict)?)), summary: "Tìm bộ dữ liệu / Search datasets",
        params: &[
            p("q", Text, false, "Từ khóa, field:value, \"cụm từ\", NOT, *:* / Free text, field:value, \"phrase\", NOT, *:*"),
            p("fq", Text, false, "Bộ lọc / Filters: organization:, groups:, tags:, res_format:, license_id:, frequency:, metadata_modified:[A TO B]"),
            p("fq_list", List, false, "Danh sách bộ lọc / List of filters"),
            p("sort", Text, false, "metadata_modified, metadata_created, title_string, name + asc|desc"),
            p("rows", Integer, false, "Số kết quả (≤ 1000, mặc định 10) / Results per page (≤ 1000, default 10)"),
            p("start", Integer, false, "Vị trí bắt đầu / Offset"),
            p("facet.field", List, false, "organization, groups, tags, res_format, license_id, frequency"),
            p("facet.limit", Integer, false, "Số mục mỗi nhóm (-1 = tất cả) / Items per facet (-1 = all)"),
            p("facet.mincount", Integer, false, "Số đếm tối thiểu / Minimum count"),
            p("include_private", Boolean, false, "Gồm bộ dữ liệu riêng tư được phép xem / Include private datasets you may see"),
            p("include_drafts", Boolean, false, "Gồm bản nháp được phép xem / Include drafts you may see"),
        ],
    },
    ActionSpec {
        name: "package_autocomplete",
        read_only: true,
        rule: Rule::Anyone, run: |c, _, r| view(suggest::package_autocomplete(c, r.dict)?), summary: "Gợi ý bộ dữ liệu theo tiêu đề đang gõ / Dataset suggestions for a title being typed",
        params: &[p("q", Text, true, "Chữ đã gõ, có hoặc không dấu / Text typed, with or without diacritics"), LIMIT],
    },
    ActionSpec {
        name: "tag_autocomplete",
        read_only: true,
        rule: Rule::Anyone, run: |c, _, r| view(suggest::tag_autocomplete(c, r.dict)?), summary: "Gợi ý thẻ / Tag suggestions",
        params: &[p("query", Text, true, "Chữ đã gõ / Text typed"), LIMIT],
    },
    ActionSpec {
        name: "organization_autocomplete",
        read_only: true,
        rule: Rule::Anyone, run: |c, _, r| view(suggest::organization_autocomplete(c, r.dict)?), summary: "Gợi ý tổ chức / Organization suggestions",
        params: &[p("q", Text, true, "Chữ đã gõ / Text typed"), LIMIT],
    },
    ActionSpec { name: "package_popular", read_only: true, rule: Rule::Anyone, run: |c, _, r| view(downloads::package_popular(c, r.dict)?), summary: "Bộ dữ liệu được tải nhiều nhất / Most downloaded datasets", params: &[LIMIT] },
    ActionSpec { name: "package_activity_list", read_only: true, rule: Rule::Anyone, run: |c, a, r| view(datasets::package_activity_list(c, a, r.dict)?), summary: "Lịch sử thay đổi / Change history", params: &[ID, LIMIT] },
    ActionSpec { name: "current_package_list_with_resources", read_only: true, rule: Rule::Anyone, run: |c, _, r| view(datasets::current_package_list_with_resources(c, r.dict)?), summary: "Bộ dữ liệu mới cập nhật / Recently changed datasets", params: &[LIMIT, OFFSET] },
    ActionSpec { name: "package_create", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(datasets::package_create(c, a, r.dict)?), summary: "Tạo bộ dữ liệu (biên tập viên) / Create a dataset (editors)", params: DATASET_FIELDS },
    ActionSpec { name: "package_update", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(datasets::package_update(c, a, r.dict, false)?), summary: "Thay toàn bộ bộ dữ liệu; giữ tài nguyên nếu không gửi / Replace a dataset; resources kept when omitted", params: DATASET_FIELDS },
    ActionSpec { name: "package_patch", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(datasets::package_update(c, a, r.dict, true)?), summary: "Sửa các trường được gửi / Change the given fields", params: &[ID] },
    ActionSpec { name: "package_delete", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(datasets::package_delete(c, a, r.dict)?), summary: "Xóa bộ dữ liệu (giữ lịch sử) / Delete a dataset (history kept)", params: &[ID] },
    ActionSpec { name: "resource_show", read_only: true, rule: Rule::Anyone, run: |c, a, r| view(resources::resource_show(c, a, r.dict)?), summary: "Một tài nguyên / One resource", params: &[ID] },
    ActionSpec { name: "resource_create", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(resources::resource_create(c, a, r.dict, r.upload)?), summary: "Thêm tài nguyên hoặc tải tệp lên / Add a resource or upload a file", params: RESOURCE_FIELDS },
    ActionSpec { name: "resource_update", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(resources::resource_update(c, a, r.dict, r.upload, false)?), summary: "Thay tài nguyên / Replace a resource", params: &[ID, p("upload", File, false, "Tệp mới / New file")] },
    ActionSpec { name: "resource_patch", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(resources::resource_update(c, a, r.dict, r.upload, true)?), summary: "Sửa các trường được gửi / Change the given fields", params: &[ID, p("upload", File, false, "Tệp mới / New file")] },
    ActionSpec { name: "resource_delete", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(resources::resource_delete(c, a, r.dict)?), summary: "Xóa tài nguyên / Delete a resource", params: &[ID] },
    ActionSpec { name: "package_resource_reorder", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(resources::package_resource_reorder(c, a, r.dict)?), summary: "Sắp xếp lại tài nguyên: các mã trong order lên trước, theo thứ tự đó / Reorder resources: the ids in order come first, in that order", params: &[p("id", Text, true, "Bộ dữ liệu / Dataset id or name"), p("order", List, true, "Mã các tài nguyên theo thứ tự mới / Resource ids in their new order")] },
    ActionSpec {
        name: "organization_list",
        read_only: true,
        rule: Rule::Anyone, run: |c, _, r| view(organizations::organization_list(c, r.dict)?), summary: "Các tổ chức / Organizations",
        params: &[p("all_fields", Boolean, false, "Trả về đầy đủ / Whole dicts"), COUNTS, p("sort", Text, false, "name hoặc / or title"), LIMIT, OFFSET],
    },
    ActionSpec { name: "organization_show", read_only: true, rule: Rule::Anyone, run: |c, _, r| view(organizations::organization_show(c, r.dict)?), summary: "Một tổ chức / One organization", params: &[ID, COUNTS] },
    ActionSpec {
        name: "organization_list_for_user",
        read_only: true,
        rule: Rule::Anyone, run: |c, a, r| view(organizations::organization_list_for_user(c, a, r.dict)?), summary: "Tổ chức bạn có quyền / Organizations where you hold a permission",
        params: &[p("permission", Text, false, "read, create_dataset, manage_group")],
    },
    ActionSpec {
        name: "organization_create",
        read_only: false,
        rule: Rule::Sysadmin, run: |c, a, r| view(organizations::organization_create(c, a, r.dict)?), summary: "Tạo tổ chức (quản trị hệ thống) / Create an organization (sysadmins)",
        params: &[
            p("name", Text, true, "Tên URL / URL name"),
            p("title", Text, false, "Tên đầy đủ / Title"),
            p("title_en", Text, false, "Tên tiếng Anh / English title"),
            p("description", Text, false, "Mô tả / Description"),
            p("image_url", Text, false, "Logo"),
            p("contact_email", Text, false, "Email liên hệ / Contact e-mail"),
            p("contact_phone", Text, false, "Điện thoại liên hệ / Contact telephone"),
            p("address", Text, false, "Địa chỉ / Postal address"),
        ],
    },
    ActionSpec { name: "organization_update", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(organizations::organization_update(c, a, r.dict, false)?), summary: "Thay thông tin tổ chức / Replace an organization", params: &[ID] },
    ActionSpec { name: "organization_patch", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(organizations::organization_update(c, a, r.dict, true)?), summary: "Sửa các trường được gửi / Change the given fields", params: &[ID] },
    ActionSpec { name: "organization_delete", read_only: false, rule: Rule::Sysadmin, run: |c, a, r| view(organizations::organization_delete(c, a, r.dict)?), summary: "Xóa tổ chức không còn dữ liệu / Delete an organization without datasets", params: &[ID] },
    ActionSpec { name: "member_list", read_only: true, rule: Rule::Anyone, run: |c, a, r| view(organizations::member_list(c, a, r.dict)?), summary: "Thành viên tổ chức / Organization members", params: &[ID] },
    ActionSpec {
        name: "member_create",
        read_only: false,
        rule: Rule::LoggedIn, run: |c, a, r| {
            let m = MemberChange::from_member_dict(r.dict, true)?;
            view(organizations::member_upsert(c, a, &m.organization, &m.user, &m.role)?)
        }, summary: "Thêm hoặc đổi vai trò thành viên / Add a member or change a role",
        params: &[ID, p("object", Text, true, "Tên đăng nhập, mã hoặc email của người dùng / The user's login name, id or e-mail"), p("object_type", Text, false, "user"), p("capacity", Text, true, "admin, editor, member")],
    },
    ActionSpec {
        name: "member_delete",
        read_only: false,
        rule: Rule::LoggedIn, run: |c, a, r| {
            let m = MemberChange::from_member_dict(r.dict, false)?;
            view(organizations::member_remove(c, a, &m.organization, &m.user)?)
        }, summary: "Bỏ thành viên / Remove a member",
        params: &[ID, p("object", Text, true, "Người dùng / User"), p("object_type", Text, false, "user")],
    },
    ActionSpec {
        name: "organization_member_create",
        read_only: false,
        rule: Rule::LoggedIn, run: |c, a, r| {
            let m = MemberChange::from_organization_dict(r.dict, true)?;
            view(organizations::member_upsert(c, a, &m.organization, &m.user, &m.role)?)
        }, summary: "Thêm hoặc đổi vai trò thành viên / Add a member or change a role",
        params: &[ID, p("username", Text, true, "Tên đăng nhập, mã hoặc email của người dùng / The user's login name, id or e-mail"), p("role", Text, true, "admin, editor, member")],
    },
    ActionSpec {
        name: "organization_member_delete",
        read_only: false,
        rule: Rule::LoggedIn, run: |c, a, r| {
            let m = MemberChange::from_organization_dict(r.dict, false)?;
            view(organizations::member_remove(c, a, &m.organization, &m.user)?)
        }, summary: "Bỏ thành viên / Remove a member",
        params: &[ID, p("username", Text, true, "Tên đăng nhập, mã hoặc email của người dùng / The user's login name, id or e-mail")],
    },
    ActionSpec { name: "group_list", read_only: true, rule: Rule::Anyone, run: |c, _, r| view(themes::group_list(c, r.dict)?), summary: "12 chủ đề dữ liệu quốc gia / The 12 national themes", params: &[p("all_fields", Boolean, false, "Trả về đầy đủ / Whole dicts"), COUNTS] },
    ActionSpec { name: "group_show", read_only: true, rule: Rule::Anyone, run: |c, _, r| view(themes::group_show(c, r.dict)?), summary: "Một chủ đề / One theme", params: &[ID, COUNTS] },
    ActionSpec {
        name: "tag_list",
        read_only: true,
        rule: Rule::Anyone, run: |c, _, r| view(themes::tag_list(c, r.dict)?), summary: "Các thẻ / Tags",
        params: &[p("query", Text, false, "Chứa chuỗi / Containing"), p("all_fields", Boolean, false, "Trả về đầy đủ / Whole dicts")],
    },
    ActionSpec { name: "license_list", read_only: true, rule: Rule::Anyone, run: |_, _, _| view(vocab::LICENSES.iter().map(vocab::license_dict).collect::<Vec<_>>()), summary: "Giấy phép / Licences", params: &[] },
    ActionSpec { name: "user_list", read_only: true, rule: Rule::Sysadmin, run: |c, a, r| view(users::user_list(c, a, r.dict)?), summary: "Mọi tài khoản, kể cả đã vô hiệu hóa, với tổ chức của họ (quản trị hệ thống) / Every account, deactivated ones included, with their organizations (sysadmins)", params: &[] },
    ActionSpec {
        name: "user_password_reset_create",
        read_only: false,
        rule: Rule::Sysadmin, run: |c, a, r| view(users::user_password_reset_create(c, a, r.dict)?), summary: "Tạo liên kết đặt lại mật khẩu dùng một lần, hiệu lực 24 giờ, chỉ hiện một lần (quản trị hệ thống) / Create a one-time password reset link, valid 24 hours, shown once (sysadmins)",
        params: &[ID],
    },
    ActionSpec { name: "user_show", read_only: true, rule: Rule::Anyone, run: |c, a, r| view(users::user_show(c, a, r.dict)?), summary: "Một người dùng / One user", params: &[ID] },
    ActionSpec {
        name: "user_create",
        read_only: false,
        rule: Rule::Sysadmin, run: |c, a, r| view(users::user_create(c, a, r.dict)?), summary: "Tạo tài khoản (quản trị hệ thống) / Create an account (sysadmins)",
        params: &[
            p("name", Text, true, "Tên đăng nhập / Login name"),
            p("email", Text, true, "Email"),
            p("password", Text, true, "Mật khẩu ≥ 8 ký tự / Password, 8+ characters"),
            p("fullname", Text, false, "Họ tên / Full name"),
            p("sysadmin", Boolean, false, "Quản trị hệ thống / Site administrator"),
        ],
    },
    ActionSpec {
        name: "user_update",
        read_only: false,
        rule: Rule::LoggedIn, run: |c, a, r| view(users::user_update(c, a, r.dict, false)?), summary: "Thay thông tin tài khoản; mật khẩu, quyền quản trị và trạng thái giữ nguyên nếu không gửi; không đổi được tên đăng nhập (khóa API và đường dẫn dựa vào nó) / Replace an account; password, sysadmin flag and state kept when omitted; the login name cannot change (API tokens and links rely on it)",
        params: USER_FIELDS,
    },
    ActionSpec {
        name: "user_patch",
        read_only: false,
        rule: Rule::LoggedIn, run: |c, a, r| view(users::user_update(c, a, r.dict, true)?), summary: "Sửa các trường được gửi của tài khoản; state=active mở lại tài khoản đã vô hiệu hóa; không đổi được tên đăng nhập / Change the given fields of an account; state=active re-activates a deactivated one; the login name cannot change",
        params: USER_FIELDS,
    },
    ActionSpec {
        name: "user_delete",
        read_only: false,
        rule: Rule::Sysadmin, run: |c, a, r| view(users::user_delete(c, a, r.dict)?), summary: "Vô hiệu hóa tài khoản (quản trị hệ thống): thu hồi khóa API, bỏ vai trò trong tổ chức, giữ lịch sử; không tự vô hiệu hóa mình được / Deactivate an account (sysadmins): API tokens revoked, organization roles removed, history kept; not your own",
        params: &[ID],
    },
    ActionSpec {
        name: "user_activity_list",
        read_only: true,
        rule: Rule::LoggedIn, run: |c, a, r| view(users::user_activity_list(c, a, r.dict)?), summary: "Lịch sử thay đổi tài khoản (quản trị hệ thống và chính người dùng) / Changes of an account (sysadmins and the user)",
        params: &[ID, LIMIT],
    },
    ActionSpec {
        name: "api_token_create",
        read_only: false,
        rule: Rule::LoggedIn, run: |c, a, r| view(users::api_token_create(c, a, r.dict)?), summary: "Tạo khóa API, chỉ hiện một lần / Create an API token, shown once",
        params: &[p("user", Text, true, "Người dùng / User"), p("name", Text, false, "Nhãn / Label")],
    },
    ActionSpec { name: "api_token_list", read_only: true, rule: Rule::LoggedIn, run: |c, a, r| view(users::api_token_list(c, a, r.dict)?), summary: "Khóa API đang dùng / Live API tokens", params: &[p("user_id", Text, false, "Người dùng / User")] },
    ActionSpec {
        name: "api_token_revoke",
        read_only: false,
        rule: Rule::LoggedIn, run: |c, a, r| view(users::api_token_revoke(c, a, r.dict)?), summary: "Thu hồi khóa API / Revoke an API token",
        params: &[p("jti", Text, false, "Mã khóa / Token id"), p("token", Text, false, "Hoặc chính khóa / Or the token itself")],
    },
    ActionSpec {
        name: "package_privacy_show",
        read_only: true,
        rule: Rule::LoggedIn, run: |c, a, r| view(privacy::package_privacy_show(c, a, r.dict)?), summary: "Kết quả quét dữ liệu cá nhân trong các tệp bảng, danh mục kiểm tra và các lần xác nhận (biên tập viên của đơn vị) / The personal-data scan of the tabular files, the checklist and the reviews made (editors of the organization)",
        params: &[ID],
    },
    ActionSpec {
        name: "package_privacy_review",
        read_only: false,
        rule: Rule::LoggedIn, run: |c, a, r| view(privacy::package_privacy_review(c, a, r.dict)?), summary: "Xác nhận danh mục kiểm tra rủi ro nhận diện lại cho các tệp hiện có, để công bố được (biên tập viên của đơn vị) / Confirm the re-identification risk checklist for the current files, so the dataset can be published (editors of the organization)",
        params: &[ID, p("answers", Text, true, "Câu trả lời theo mã câu hỏi (xem package_privacy_show): purpose là văn bản ≥ 10 ký tự, các câu khác phải là true / Answers by question id (see package_privacy_show): purpose is text of 10+ characters, the others must be true")],
    },
    ActionSpec {
        name: "dcat_dataset_show",
        read_only: true,
        rule: Rule::Anyone, run: |c, _, r| view(dcat::dcat_dataset_show(c, r.dict)?), summary: "Một bộ dữ liệu công khai theo DCAT-AP 3.0.1 / One public dataset as DCAT-AP 3.0.1",
        params: &[ID, DCAT_FORMAT],
    },
    ActionSpec {
        name: "dcat_catalog_show",
        read_only: true,
        rule: Rule::Anyone, run: |c, _, r| view(dcat::dcat_catalog_show(c, r.dict)?), summary: "Một trang 100 bộ dữ liệu công khai theo DCAT-AP 3.0.1, có phân trang hydra / A page of 100 public datasets as DCAT-AP 3.0.1, with hydra paging",
        params: &[
            DCAT_FORMAT,
            p("page", Integer, false, "Trang, từ 1 / Page, from 1"),
            p("modified_since", Text, false, "Chỉ những bộ thay đổi từ ngày này (YYYY-MM-DD) / Only datasets changed since (YYYY-MM-DD)"),
            p("q", Text, false, "Tìm kiếm như package_search / Search as in package_search"),
            p("fq", Text, false, "Lọc như package_search / Filter as in package_search"),
        ],
    },
    ActionSpec { name: "harvest_source_create", read_only: false, rule: Rule::Sysadmin, run: |c, _, r| view(harvest_sources::harvest_source_create(c, r.dict)?), summary: "Tạo nguồn thu thập (quản trị hệ thống) / Create a harvest source (sysadmins)", params: HARVEST_SOURCE_FIELDS },
    ActionSpec { name: "harvest_source_show", read_only: true, rule: Rule::Sysadmin, run: |c, _, r| view(harvest_sources::harvest_source_show(c, r.dict)?), summary: "Một nguồn thu thập và lượt chạy mới nhất / One harvest source and its newest run", params: &[ID] },
    ActionSpec { name: "harvest_source_list", read_only: true, rule: Rule::Sysadmin, run: |c, _, _| view(harvest_sources::harvest_source_list(c)?), summary: "Các nguồn thu thập / Harvest sources", params: &[] },
    ActionSpec { name: "harvest_source_update", read_only: false, rule: Rule::Sysadmin, run: |c, _, r| view(harvest_sources::harvest_source_update(c, r.dict)?), summary: "Sửa nguồn thu thập; trường không gửi giữ nguyên / Change a harvest source; fields not sent are kept", params: HARVEST_SOURCE_UPDATE },
    ActionSpec { name: "harvest_source_delete", read_only: false, rule: Rule::Sysadmin, run: |c, _, r| view(harvest_sources::harvest_source_delete(c, r.dict)?), summary: "Xóa nguồn thu thập; bộ dữ liệu đã thu thập được giữ lại / Delete a harvest source; the datasets it harvested stay", params: &[ID] },
    ActionSpec { name: "harvest_target_create", read_only: false, rule: Rule::Sysadmin, run: |c, _, r| view(harvest_targets::harvest_target_create(c, r.dict)?), summary: "Tạo đích đẩy dữ liệu; khóa chỉ ghi, không bao giờ hiện lại (quản trị hệ thống) / Create a push target; the token is write-only, never shown again (sysadmins)", params: HARVEST_TARGET_FIELDS },
    ActionSpec { name: "harvest_target_show", read_only: true, rule: Rule::Sysadmin, run: |c, _, r| view(harvest_targets::harvest_target_show(c, r.dict)?), summary: "Một đích đẩy dữ liệu (không có khóa) / One push target (without its token)", params: &[ID] },
    ActionSpec { name: "harvest_target_list", read_only: true, rule: Rule::Sysadmin, run: |c, _, _| view(harvest_targets::harvest_target_list(c)?), summary: "Các đích đẩy dữ liệu / Push targets", params: &[] },
    ActionSpec { name: "harvest_target_update", read_only: false, rule: Rule::Sysadmin, run: |c, _, r| view(harvest_targets::harvest_target_update(c, r.dict)?), summary: "Sửa đích đẩy dữ liệu; trường không gửi giữ nguyên / Change a push target; fields not sent are kept", params: HARVEST_TARGET_UPDATE },
    ActionSpec { name: "harvest_target_delete", read_only: false, rule: Rule::Sysadmin, run: |c, _, r| view(harvest_targets::harvest_target_delete(c, r.dict)?), summary: "Xóa đích đẩy dữ liệu / Delete a push target", params: &[ID] },
    ActionSpec {
        name: "harvest_job_create",
        read_only: false,
        rule: Rule::Sysadmin, run: |c, _, r| view(harvest_runs::harvest_job_create(c, r.dict)?), summary: "Chạy ngay một nguồn hoặc đích / Run a source or a target now",
        params: &[p("source_id", Text, false, "Nguồn thu thập (mã hoặc tên) / Harvest source (id or name)"), p("target_id", Text, false, "Hoặc đích đẩy dữ liệu / Or push target")],
    },
    ActionSpec { name: "harvest_job_show", read_only: true, rule: Rule::Sysadmin, run: |c, _, r| view(harvest_runs::harvest_job_show(c, r.dict)?), summary: "Một lượt chạy: trạng thái, số liệu, lỗi từng bộ dữ liệu / One run: status, figures, per-dataset errors", params: &[ID] },
    ActionSpec {
        name: "harvest_job_list",
        read_only: true,
        rule: Rule::Sysadmin, run: |c, _, r| view(harvest_runs::harvest_job_list(c, r.dict)?), summary: "Các lượt chạy, mới nhất trước / Runs, newest first",
        params: &[p("source_id", Text, false, "Của nguồn này / Of this source"), p("target_id", Text, false, "Của đích này / Of this target"), LIMIT, OFFSET],
    },
    ActionSpec { name: "user_role_grant", read_only: false, rule: Rule::Sysadmin, run: |c, a, r| view(users::user_role_grant(c, a, r.dict)?), summary: "Cấp vai trò toàn trang, ví dụ reviewer cho Văn phòng dữ liệu (quản trị hệ thống) / Grant a site role, e.g. reviewer for the data office (sysadmins)", params: &[p("user", Text, true, "Người dùng / User"), p("role", Text, true, "reviewer")] },
    ActionSpec { name: "user_role_revoke", read_only: false, rule: Rule::Sysadmin, run: |c, a, r| view(users::user_role_revoke(c, a, r.dict)?), summary: "Thu hồi vai trò toàn trang (quản trị hệ thống) / Revoke a site role (sysadmins)", params: &[p("user", Text, true, "Người dùng / User"), p("role", Text, true, "reviewer")] },
    ActionSpec { name: "catalogue_entry_create", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(entries::entry_create(c, a, r.dict)?), summary: "Đề xuất mục danh mục dữ liệu mở, lưu nháp (biên tập viên của đơn vị) / Propose an open-data catalogue entry, as a draft (department editors)", params: ENTRY_FIELDS },
    ActionSpec { name: "catalogue_entry_update", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(entries::entry_update(c, a, r.dict, false)?), summary: "Thay mục danh mục: đơn vị khi nháp hoặc được yêu cầu sửa, Văn phòng dữ liệu khi đã gửi đến khi công bố / Replace an entry: its department in draft or when sent back, the data office from submission to publication", params: ENTRY_UPDATE_FIELDS },
    ActionSpec { name: "catalogue_entry_patch", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(entries::entry_update(c, a, r.dict, true)?), summary: "Sửa các trường được gửi của mục danh mục / Change the given fields of an entry", params: ENTRY_UPDATE_FIELDS },
    ActionSpec { name: "catalogue_entry_show", read_only: true, rule: Rule::Anyone, run: |c, a, r| view(entries::entry_show(c, a, r.dict)?), summary: "Một mục danh mục, với nhận xét và lịch sử trạng thái / One entry, with comments and status history", params: &[ID] },
    ActionSpec {
        name: "catalogue_entry_list",
        read_only: true,
        rule: Rule::Anyone, run: |c, a, r| view(listing::entry_list(c, a, r.dict)?), summary: "Các mục danh mục bạn được xem (khách: mục đã ban hành) / Catalogue entries you may see (anonymous: issued ones)",
        params: &[
            p("owner_org", Text, false, "Đơn vị / Department"),
            p("status", Text, false, "draft, submitted, changes_requested, approved, rejected, issued, published, withdrawn"),
            p("version", Integer, false, "Các mục của phiên bản này / Entries of this version"),
            p("q", Text, false, "Từ khóa, có hoặc không dấu / Words, with or without diacritics"),
            p("sort", Text, false, "modified, priority, demand, planned_publication, title + asc|desc"),
            p("rows", Integer, false, "Số kết quả (≤ 1000, mặc định 20) / Results per page (≤ 1000, default 20)"),
            p("start", Integer, false, "Vị trí bắt đầu / Offset"),
        ],
    },
    ActionSpec { name: "catalogue_entry_delete", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(entries::entry_delete(c, a, r.dict)?), summary: "Xóa bản nháp hoặc mục được yêu cầu sửa (đơn vị) / Delete a draft or an entry sent back (its department)", params: &[ID] },
    ActionSpec { name: "catalogue_entry_submit", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(review::entry_submit(c, a, r.dict)?), summary: "Gửi mục cho Văn phòng dữ liệu duyệt (đơn vị) / Submit an entry to the data office (its department)", params: &[ID, p("comment", Text, false, "Ghi chú / Note")] },
    ActionSpec {
        name: "catalogue_entry_review",
        read_only: false,
        rule: Rule::Reviewer, run: |c, a, r| view(review::entry_review(c, a, r.dict)?), summary: "Duyệt mục của đơn vị khác (Văn phòng dữ liệu) / Review another department's entry (the data office)",
        params: &[ID, p("decision", Text, true, "approve, reject, request_changes"), p("comment", Text, false, "Lý do; bắt buộc khi từ chối hoặc yêu cầu sửa / Reason; required to reject or request changes")],
    },
    ActionSpec { name: "catalogue_entry_comment", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(review::entry_comment(c, a, r.dict)?), summary: "Nhận xét về một mục (đơn vị và Văn phòng dữ liệu) / Comment on an entry (its department and the data office)", params: &[ID, p("comment", Text, true, "Nhận xét / Comment")] },
    ActionSpec { name: "catalogue_entry_duplicates", read_only: true, rule: Rule::Reviewer, run: |c, a, r| view(duplicates::entry_duplicates(c, a, r.dict)?), summary: "Các mục có thể trùng của đơn vị khác, kèm điểm 0–1 (Văn phòng dữ liệu) / Likely duplicates from other departments, with a 0–1 score (the data office)", params: &[ID] },
    ActionSpec { name: "catalogue_entry_merge", read_only: false, rule: Rule::Reviewer, run: |c, a, r| view(review::entry_merge(c, a, r.dict)?), summary: "Gộp mục trùng vào mục được giữ (Văn phòng dữ liệu) / Merge a duplicate into the entry kept (the data office)", params: &[ID, p("into", Text, true, "Mục được giữ / The entry kept")] },
    ActionSpec { name: "catalogue_entry_link", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(review::entry_link(c, a, r.dict, true)?), summary: "Gắn bộ dữ liệu của đơn vị vào mục (đơn vị) / Link a dataset of the department to the entry (its department)", params: &[ID, p("package_id", Text, true, "Bộ dữ liệu / Dataset")] },
    ActionSpec { name: "catalogue_entry_unlink", read_only: false, rule: Rule::LoggedIn, run: |c, a, r| view(review::entry_link(c, a, r.dict, false)?), summary: "Bỏ gắn bộ dữ liệu (đơn vị) / Unlink a dataset (its department)", params: &[ID, p("package_id", Text, true, "Bộ dữ liệu / Dataset")] },
    ActionSpec {
        name: "catalogue_version_issue",
        read_only: false,
        rule: Rule::Reviewer, run: |c, a, r| view(versions::version_issue(c, a, r.dict, r.upload)?), summary: "Ban hành phiên bản danh mục theo quyết định, kèm tệp PDF đã ký (Văn phòng dữ liệu) / Issue a catalogue version by decision, with the signed PDF (the data office)",
        params: &[
            p("decision_number", Text, true, "Số quyết định / Decision number"),
            p("decision_date", Text, true, "Ngày quyết định (YYYY-MM-DD) / Decision date"),
            p("signer", Text, true, "Người ký / Signer"),
            p("upload", File, true, "Quyết định đã ký, PDF (multipart) / The signed decision, PDF (multipart)"),
            p("withdraw", List, false, "Các mục rút khỏi danh mục / Entries withdrawn"),
        ],
    },
    ActionSpec { name: "catalogue_version_list", read_only: true, rule: Rule::Anyone, run: |c, _, _| view(versions::version_list(c)?), summary: "Các phiên bản danh mục đã ban hành / Issued catalogue versions", params: &[] },
    ActionSpec { name: "catalogue_version_show", read_only: true, rule: Rule::Anyone, run: |c, _, r| view(versions::version_show(c, r.dict)?), summary: "Một phiên bản: các mục, mục thêm, đổi và rút so với phiên bản trước / One version: its entries, and those added, changed and withdrawn since the previous one", params: &[p("version", Integer, true, "Số phiên bản / Version number")] },
    ActionSpec { name: "catalogue_compliance_show", read_only: true, rule: Rule::Anyone, run: |c, _, r| view(compliance::compliance_show(c, r.dict)?), summary: "Hạn công bố, cập nhật và số liệu tuân thủ theo đơn vị / Due dates, overdue entries, stale datasets and figures per department", params: &[AS_OF, p("owner_org", Text, false, "Một đơn vị / One department")] },
    ActionSpec { name: "catalogue_reminders_run", read_only: false, rule: Rule::Reviewer, run: |c, _, r| view(reminders::reminders_run(c, r.dict)?), summary: "Tính và ghi nhắc việc đến hạn, mỗi mục và hạn một lần (Văn phòng dữ liệu; máy chủ cũng tự chạy) / Compute and record due reminders, once per entry and due date (the data office; the server also runs it)", params: &[AS_OF] },
    ActionSpec { name: "catalogue_notice_list", read_only: true, rule: Rule::LoggedIn, run: |c, a, r| view(reminders::notice_list(c, a, r.dict)?), summary: "Thông báo nhắc việc của đơn vị bạn, hoặc mọi thông báo (Văn phòng dữ liệu) / Reminders of your department, or all of them (the data office)", params: &[p("owner_org", Text, false, "Đơn vị, hoặc data_office / Department, or data_office"), LIMIT] },
    ActionSpec { name: "privacy_review_list", read_only: true, rule: Rule::Reviewer, run: |c, _, r| view(privacy::privacy_review_list(c, r.dict)?), summary: "Các lần xác nhận rủi ro quyền riêng tư đã lưu, mới nhất trước: ai, khi nào, phát hiện, câu trả lời (Văn phòng dữ liệu) / The stored privacy confirmations, newest first: who, when, findings, answers (the data office)", params: &[LIMIT, OFFSET] },
];

/// CKAN's `help_show` text: what the action does and its parameters.
pub fn help_text(spec: &ActionSpec) -> String {
    let mut text = format!(
        "{}\nAi được gọi / Who may call: {}\n",
        spec.summary,
        spec.rule.describe()
    );
    for param in spec.params {
        let required = if param.required {
            ", bắt buộc / required"
        } else {
            ""
        };
        text.push_str(&format!(
            "\n:param {} ({:?}{required}): {}",
            param.name, param.kind, param.doc
        ));
    }
    text
}

/// The spec of an action, if it exists.
pub fn find(name: &str) -> Option<&'static ActionSpec> {
    ACTIONS.iter().find(|a| a.name == name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_unique_and_uploads_known() {
        let mut names: Vec<&str> = super::ACTIONS.iter().map(|a| a.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), super::ACTIONS.len());
        assert!(super::find("resource_create").is_some_and(|s| s.accepts_upload()));
        assert!(super::find("package_create").is_some_and(|s| !s.accepts_upload() && !s.read_only));
    }

    #[test]
    fn no_write_is_open_to_anonymous_callers() {
        for spec in super::ACTIONS {
            if !spec.read_only || spec.accepts_upload() {
                assert_ne!(spec.rule, super::Rule::Anyone, "{} writes", spec.name);
            }
        }
    }
}
