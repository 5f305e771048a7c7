// Diesel table definitions matching migrations/{sqlite,postgres}. Both trees produce the same
// columns, so one schema serves both backends.

diesel::table! {
    users (id) {
        id -> Text,
        name -> Text,
        email -> Text,
        fullname -> Text,
        password_hash -> Text,
        sysadmin -> Bool,
        state -> Text,
        created -> Text,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        token_hash -> Text,
        created -> Text,
        last_access -> Nullable<Text>,
        revoked -> Bool,
    }
}

diesel::table! {
    organizations (id) {
        id -> Text,
        name -> Text,
        title -> Text,
        title_en -> Nullable<Text>,
        description -> Text,
        image_url -> Text,
        state -> Text,
        created -> Text,
        modified -> Text,
        contact_email -> Text,
        contact_phone -> Text,
        address -> Text,
    }
}

diesel::table! {
    memberships (organization_id, user_id) {
        organization_id -> Text,
        user_id -> Text,
        capacity -> Text,
    }
}

diesel::table! {
    themes (id) {
        id -> Text,
        name -> Text,
        title -> Text,
        title_en -> Nullable<Text>,
        description -> Text,
        created -> Text,
    }
}

diesel::table! {
    datasets (id) {
        id -> Text,
        name -> Text,
        title -> Text,
        notes -> Text,
        owner_org -> Text,
        private -> Bool,
        state -> Text,
        license_id -> Text,
        url -> Text,
        version -> Text,
        author -> Text,
        author_email -> Text,
        maintainer -> Text,
        maintainer_email -> Text,
        frequency -> Text,
        spatial_code -> Text,
        spatial_name -> Text,
        temporal_start -> Text,
        temporal_end -> Text,
        language -> Text,
        contact_name -> Text,
        contact_email -> Text,
        contact_phone -> Text,
        title_en -> Text,
        notes_en -> Text,
        extras -> Text,
        creator_user_id -> Nullable<Text>,
        revision -> BigInt,
        metadata_created -> Text,
        metadata_modified -> Text,
    }
}

diesel::table! {
    dataset_tags (dataset_id, tag) {
        dataset_id -> Text,
        tag -> Text,
    }
}

diesel::table! {
    dataset_themes (dataset_id, theme_id) {
        dataset_id -> Text,
        theme_id -> Text,
    }
}

diesel::table! {
    resources (id) {
        id -> Text,
        dataset_id -> Text,
        name -> Text,
        description -> Text,
        format -> Text,
        mimetype -> Text,
        url -> Text,
        url_type -> Text,
        size -> Nullable<BigInt>,
        hash -> Text,
        storage_key -> Nullable<Text>,
        position -> Integer,
        state -> Text,
        created -> Text,
        last_modified -> Nullable<Text>,
        metadata_modified -> Text,
    }
}

diesel::table! {
    activities (id) {
        id -> Text,
        object_type -> Text,
        object_id -> Text,
        activity_type -> Text,
        user_id -> Nullable<Text>,
        created -> Text,
        data -> Text,
        permission_labels -> Text,
    }
}

diesel::table! {
    dataset_changes (seq) {
        seq -> BigInt,
        dataset_id -> Text,
    }
}

diesel::table! {
    resource_downloads (resource_id) {
        resource_id -> Text,
        dataset_id -> Text,
        downloads -> BigInt,
    }
}

diesel::table! {
    sessions (key_hash) {
        key_hash -> Text,
        user_id -> Nullable<Text>,
        state -> Text,
        created -> Text,
        expires_at -> BigInt,
    }
}

diesel::table! {
    password_resets (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        created_by -> Nullable<Text>,
        created -> Text,
        expires_at -> BigInt,
        used_at -> Nullable<Text>,
    }
}

diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(password_resets -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(memberships -> organizations (organization_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(datasets -> organizations (owner_org));
diesel::joinable!(dataset_tags -> datasets (dataset_id));
diesel::joinable!(dataset_themes -> datasets (dataset_id));
diesel::joinable!(dataset_themes -> themes (theme_id));
diesel::joinable!(resources -> datasets (dataset_id));

diesel::allow_tables_to_appear_in_same_query!(
    resource_downloads,
    password_resets,
    sessions,
    users,
    api_tokens,
    organizations,
    memberships,
    themes,
    datasets,
    dataset_tags,
    dataset_themes,
    resources,
    activities,
    dataset_changes,
);
