//! The error catalogue: one line per stable code with its HTTP status, CKAN `__type` and the
//! arguments its message takes. The messages themselves are in `web/i18n/{vi,en}/*.ftl`, under
//! the code as Fluent id; `catalogue_tests.rs` proves the table and the files agree.
//!
//! Adding a code is one line here plus its message in each language; the test fails until
//! both languages have it and it renders with the arguments declared here.

/// One argument of a message: a free value (text or number), or the key of a choice that the
/// message selects a wording on (`{ $reason -> [idle] ... }`), listed here so the test can try
/// each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArgSpec {
    /// The Fluent variable, without `$`.
    pub name: &'static str,
    /// The keys of a choice argument; empty for a free value.
    pub choices: &'static [&'static str],
}

/// CKAN's `__type` of an error object; clients read it as much as the HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CkanType {
    /// 404.
    NotFound,
    /// 409, with messages per field.
    Validation,
    /// 403.
    Authorization,
    /// 400.
    BadRequest,
    /// 413.
    PayloadTooLarge,
    /// 408.
    RequestTimeout,
    /// 429.
    TooManyRequests,
    /// 503.
    Unavailable,
    /// 500.
    Internal,
}

impl CkanType {
    /// The text CKAN puts in `__type`.
    pub const fn as_str(self) -> &'static str {
        match self {
            CkanType::NotFound => "Not Found Error",
            CkanType::Validation => "Validation Error",
            CkanType::Authorization => "Authorization Error",
            CkanType::BadRequest => "Bad request",
            CkanType::PayloadTooLarge => "Payload Too Large",
            CkanType::RequestTimeout => "Request Timeout",
            CkanType::TooManyRequests => "Too Many Requests",
            CkanType::Unavailable => "Service Unavailable",
            CkanType::Internal => "Internal Server Error",
        }
    }
}

/// One line of the error table.
#[derive(Debug)]
pub struct CodeLine {
    /// The stable code clients match on, and the Fluent id of its message.
    pub code: &'static str,
    /// The HTTP status of the reply.
    pub status: u16,
    /// CKAN's `__type`.
    pub ckan_type: CkanType,
    /// The arguments its message takes.
    pub args: &'static [ArgSpec],
}

/// One line of the field-message table: messages reported per field inside a
/// `validation_error` (HTTP 409, "Validation Error").
#[derive(Debug)]
pub struct FieldLine {
    /// The stable code, and the Fluent id of its message.
    pub code: &'static str,
    /// The arguments its message takes.
    pub args: &'static [ArgSpec],
}

macro_rules! arg_spec {
    ($name:ident) => {
        ArgSpec {
            name: stringify!($name),
            choices: &[],
        }
    };
    ($name:ident : $choice:ident) => {
        ArgSpec {
            name: stringify!($name),
            choices: $choice::KEYS,
        }
    };
}

macro_rules! error_codes {
    ($($variant:ident = $code:literal, $status:literal, $kind:ident,
       [$($arg:ident $(: $choice:ident)?),*];)*) => {
        /// A stable error code (see the table in `error/codes.rs`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $(
                #[doc = concat!("`", $code, "`: HTTP ", stringify!($status), ", ",
                                stringify!($kind), ".")]
                $variant,
            )*
        }

        static CODE_LINES: &[CodeLine] = &[$(CodeLine {
            code: $code,
            status: $status,
            ckan_type: CkanType::$kind,
            args: &[$(arg_spec!($arg $(: $choice)?)),*],
        }),*];

        impl ErrorCode {
            /// Every code, in the order of the table.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];
        }
    };
}

macro_rules! field_codes {
    ($($variant:ident = $code:literal, [$($arg:ident $(: $choice:ident)?),*];)*) => {
        /// A stable code of a message about one field (see the table in `error/codes.rs`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum FieldCode {
            $(#[doc = concat!("`", $code, "`.")] $variant,)*
        }

        static FIELD_LINES: &[FieldLine] = &[$(FieldLine {
            code: $code,
            args: &[$(arg_spec!($arg $(: $choice)?)),*],
        }),*];

        impl FieldCode {
            /// Every field code, in the order of the table.
            pub const ALL: &'static [FieldCode] = &[$(FieldCode::$variant),*];
        }
    };
}

macro_rules! choices {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $(#[doc = concat!("Selects the wording `[", $key, "]`.")] $variant,)*
        }

        impl $name {
            /// Every key, as the messages select on them.
            pub const KEYS: &'static [&'static str] = &[$($key),*];

            /// The key the message selects on.
            pub const fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key,)*
                }
            }
        }

        impl From<$name> for super::ArgValue {
            fn from(choice: $name) -> super::ArgValue {
                super::ArgValue::Choice(choice.key())
            }
        }
    };
}

choices! {
    /// What the caller was not allowed to do (`not_authorized`): one wording each.
    Forbidden {
        CreateDatasetsAnonymously = "create_datasets_anonymously",
        EditDatasetAnonymously = "edit_dataset_anonymously",
        EditOrganizationDatasets = "edit_organization_datasets",
        UpdateOrganization = "update_organization",
        ManageMembers = "manage_members",
        ListMembers = "list_members",
        ChangeOtherAccount = "change_other_account",
        SeeOtherAccountHistory = "see_other_account_history",
        ChangeSysadminFlag = "change_sysadmin_flag",
        ChangeAccountState = "change_account_state",
        CreateTokenForOther = "create_token_for_other",
        ListOtherTokens = "list_other_tokens",
        RevokeOtherToken = "revoke_other_token",
        UploadHere = "upload_here",
        SysadminOnly = "sysadmin_only",
        LoginRequired = "login_required",
        UnreadableToken = "unreadable_token",
        InvalidToken = "invalid_token",
        ReviewerOnly = "reviewer_only",
        CatalogueEntryEdit = "catalogue_entry_edit",
        CatalogueDatasetOtherDepartment = "catalogue_dataset_other_department",
        CatalogueNotices = "catalogue_notices",
    }
}

choices! {
    /// What was tried on a catalogue entry whose status does not allow it
    /// (`catalogue_transition_refused`).
    CatalogueStep {
        Submit = "submit",
        Approve = "approve",
        Reject = "reject",
        RequestChanges = "request_changes",
        Issue = "issue",
        Publish = "publish",
        Withdraw = "withdraw",
        Merge = "merge",
        Edit = "edit",
        Delete = "delete",
        Link = "link",
    }
}

choices! {
    /// What was too large (`payload_too_large`).
    Oversize {
        Body = "body",
        Field = "field",
        File = "file",
    }
}

choices! {
    /// Why a request body was cut off (`request_timeout`).
    Cutoff {
        Idle = "idle",
        Deadline = "deadline",
        TooSlow = "too_slow",
    }
}

choices! {
    /// Why a publication waits for the privacy checklist (`privacy_review_required`).
    PrivacyGate {
        Findings = "findings",
        Always = "always",
    }
}

// The table. Arguments: `id` names the object asked for; `detail` is a parser's own (English)
// words about where the input broke.
error_codes! {
    NotFound               = "not_found",               404, NotFound,        [];
    DatasetNotFound        = "dataset_not_found",       404, NotFound,        [id];
    ResourceNotFound       = "resource_not_found",      404, NotFound,        [id];
    OrganizationNotFound   = "organization_not_found",  404, NotFound,        [id];
    UserNotFound           = "user_not_found",          404, NotFound,        [id];
    GroupNotFound          = "group_not_found",         404, NotFound,        [id];
    MemberNotFound         = "member_not_found",        404, NotFound,        [id];
    TokenNotFound          = "token_not_found",         404, NotFound,        [id];
    ActionNotFound         = "action_not_found",        404, NotFound,        [id];
    PageNotFound           = "page_not_found",          404, NotFound,        [path];
    ValidationError        = "validation_error",        409, Validation,      [fields];
    NotAuthorized          = "not_authorized",          403, Authorization,   [reason: Forbidden, action];
    UnknownAction          = "unknown_action",          400, BadRequest,      [name];
    MethodNotAllowed       = "method_not_allowed",      400, BadRequest,      [name];
    MalformedJson          = "malformed_json",          400, BadRequest,      [detail];
    BodyNotObject          = "body_not_object",         400, BadRequest,      [];
    BodyUnreadable         = "body_unreadable",         400, BadRequest,      [detail];
    MalformedMultipart     = "malformed_multipart",     400, BadRequest,      [detail];
    UnexpectedFile         = "unexpected_file",         400, BadRequest,      [field];
    NotUtf8                = "not_utf8",                400, BadRequest,      [field];
    UploadInterrupted      = "upload_interrupted",      400, BadRequest,      [detail];
    PayloadTooLarge        = "payload_too_large",       413, PayloadTooLarge, [what: Oversize, limit, field];
    RequestTimeout         = "request_timeout",         408, RequestTimeout,  [reason: Cutoff, seconds, kib];
    RateLimited            = "rate_limited",            429, TooManyRequests, [seconds];
    LoginFailed            = "login_failed",            403, Authorization,   [];
    LoginRateLimited       = "login_rate_limited",      429, TooManyRequests, [minutes];
    CsrfFailed             = "csrf_failed",             403, Authorization,   [];
    SearchIndexRebuilding  = "search_index_rebuilding", 503, Unavailable,     [];
    InternalError          = "internal_error",          500, Internal,        [];
    PrivacyReviewRequired  = "privacy_review_required", 409, Validation,      [reason: PrivacyGate, count];
    HarvestSourceNotFound  = "harvest_source_not_found", 404, NotFound,       [id];
    HarvestTargetNotFound  = "harvest_target_not_found", 404, NotFound,       [id];
    HarvestJobNotFound     = "harvest_job_not_found",   404, NotFound,        [id];
    HarvestTypeNotSupported = "harvest_type_not_supported", 400, BadRequest,  [kind];
    HarvestJobPending      = "harvest_job_pending",     409, Validation,      [id];
    CatalogueEntryNotFound = "catalogue_entry_not_found", 404, NotFound,      [id];
    CatalogueVersionNotFound = "catalogue_version_not_found", 404, NotFound,  [id];
    CatalogueTransitionRefused = "catalogue_transition_refused", 409, Validation, [step: CatalogueStep, status];
    CatalogueOwnReview     = "catalogue_own_review",    403, Authorization,   [];
    CatalogueMergeItself   = "catalogue_merge_itself",  409, Validation,      [];
    CatalogueNothingToIssue = "catalogue_nothing_to_issue", 409, Validation,  [];
    CatalogueNotLinked     = "catalogue_not_linked",    404, NotFound,        [id];
}

// Messages about one field, inside a `validation_error`.
field_codes! {
    MissingValue           = "missing_value",            [];
    NotAString             = "not_a_string",             [];
    TooLong                = "too_long",                 [max];
    NotABoolean            = "not_a_boolean",            [];
    IntegerOutOfRange      = "integer_out_of_range",     [max];
    NotAJsonList           = "not_a_json_list",          [];
    NotAList               = "not_a_list",               [];
    LinkScheme             = "link_scheme",              [];
    NotAUrl                = "not_a_url",                [];
    ControlCharacters      = "control_characters",       [];
    InvalidName            = "invalid_name",             [];
    InvalidNameSuggested   = "invalid_name_suggested",   [suggestion];
    NameInUse              = "name_in_use",              [];
    ValueInUse             = "value_in_use",             [];
    UnknownOrganization    = "unknown_organization",     [id];
    DatasetState           = "dataset_state",            [];
    UnknownLicense         = "unknown_license",          [id];
    UnknownFrequency       = "unknown_frequency",        [codes];
    SpatialCodeDigits      = "spatial_code_digits",      [];
    InvalidDate            = "invalid_date",             [];
    EndBeforeStart         = "end_before_start",         [];
    LanguageCodes          = "language_codes",           [];
    InvalidEmail           = "invalid_email",            [];
    InvalidPhone           = "invalid_phone",            [];
    TooManyResources       = "too_many_resources",       [max];
    TooManyExtras          = "too_many_extras",          [max];
    ExtraShape             = "extra_shape",              [key_max, value_max];
    ExtraIsField           = "extra_is_field",           [key];
    TagNeedsName           = "tag_needs_name",           [];
    TagShape               = "tag_shape",                [];
    TagLength              = "tag_length",               [tag];
    TagCharacters          = "tag_characters",           [tag];
    TooManyTags            = "too_many_tags",            [max];
    GroupNeedsName         = "group_needs_name",         [];
    UnknownGroup           = "unknown_group",            [id];
    ResourceNotObject      = "resource_not_object",      [];
    ResourceIdNotUuid      = "resource_id_not_uuid",     [];
    ResourceIdInUse        = "resource_id_in_use",       [];
    UrlOrUpload            = "url_or_upload",            [];
    PasswordTooShort       = "password_too_short",       [min];
    LoginNameDeactivated   = "login_name_deactivated",   [];
    LoginNameTaken         = "login_name_taken",         [];
    LoginNameFixed         = "login_name_fixed",         [];
    UserState              = "user_state",               [];
    SelfLockout            = "self_lockout",             [];
    OrganizationNameTaken  = "organization_name_taken",  [];
    OrganizationHasDatasets = "organization_has_datasets", [count];
    InvalidRole            = "invalid_role",             [];
    ObjectTypeUser         = "object_type_user",         [];
    PageTooDeep            = "page_too_deep",            [max];
    NestedTooDeep          = "nested_too_deep",          [depth];
    TooManyClauses         = "too_many_clauses",         [max];
    QueryItemTooLong       = "query_item_too_long",      [max];
    ListTooLong            = "list_too_long",            [max];
    UnknownSortKey         = "unknown_sort_key",         [key];
    SortDirection          = "sort_direction",           [direction];
    TimeInFuture           = "time_in_future",           [];
    NotAnObject            = "not_an_object",            [];
    UnknownQuestion        = "unknown_question",         [id];
    ChecklistUnconfirmed   = "checklist_unconfirmed",    [];
    AnswerTooShort         = "answer_too_short",         [min];
    ResourceNotInDataset   = "resource_not_in_dataset",  [id];
    OrderRepeats           = "order_repeats",            [id];
    UnknownRdfFormat       = "unknown_rdf_format",       [formats];
    WholeCatalogueUnfiltered = "whole_catalogue_unfiltered", [];
    UnknownChoice          = "unknown_choice",           [choices];
    NotAJsonObject         = "not_a_json_object",        [];
    SourceOrTarget         = "source_or_target",         [];
    ReasonRequired         = "reason_required",          [];
    UnknownSiteRole        = "unknown_site_role",        [roles];
    LastAdmin              = "last_admin",               [];
    EmailShared            = "email_shared",             [];
    InvalidHeaderName      = "invalid_header_name",      [];
}

impl ErrorCode {
    /// This code's line of the table.
    pub fn line(self) -> &'static CodeLine {
        // The table and the enum come from the same macro input, in the same order.
        &CODE_LINES[self as usize]
    }

    /// The stable code clients match on.
    pub fn as_str(self) -> &'static str {
        self.line().code
    }

    /// The HTTP status of the reply.
    pub fn status(self) -> u16 {
        self.line().status
    }

    /// CKAN's `__type`.
    pub fn ckan_type(self) -> CkanType {
        self.line().ckan_type
    }
}

impl FieldCode {
    /// This code's line of the table.
    pub fn line(self) -> &'static FieldLine {
        &FIELD_LINES[self as usize]
    }

    /// The stable code, and the Fluent id of its message.
    pub fn as_str(self) -> &'static str {
        self.line().code
    }
}
