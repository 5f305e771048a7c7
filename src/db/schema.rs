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

diesel::table! {
    privacy_reviews (id) {
        id -> Text,
        dataset_id -> Text,
        reviewer_id -> Nullable<Text>,
        reviewer_name -> Text,
        created -> Text,
        files -> Text,
        answers -> Text,
    }
}

diesel::table! {
    catalogue_entries (id) {
        id -> Text,
        title -> Text,
        description -> Text,
        owner_org -> Text,
        themes -> Text,
        formats -> Text,
        access_methods -> Text,
        frequency -> Text,
        planned_publication -> Text,
        legal_basis -> Text,
        priority -> Integer,
        status -> Text,
        merged_into -> Nullable<Text>,
        first_published -> Nullable<Text>,
        deleted -> Bool,
        creator_user_id -> Nullable<Text>,
        created -> Text,
        modified -> Text,
    }
}

diesel::table! {
    resource_files (id) {
        id -> Text,
        resource_id -> Text,
        storage_key -> Text,
        file_name -> Text,
        size -> BigInt,
        sha256 -> Text,
        mimetype -> Text,
        created -> Text,
        user_id -> Nullable<Text>,
    }
}

diesel::table! {
    catalogue_transitions (id) {
        id -> Text,
        entry_id -> Text,
        from_status -> Text,
        to_status -> Text,
        user_id -> Nullable<Text>,
        reason -> Text,
        created -> Text,
    }
}

diesel::table! {
    catalogue_comments (id) {
        id -> Text,
        entry_id -> Text,
        user_id -> Nullable<Text>,
        comment -> Text,
        created -> Text,
    }
}

diesel::table! {
    catalogue_entry_datasets (entry_id, dataset_id) {
        entry_id -> Text,
        dataset_id -> Text,
        linked_by -> Nullable<Text>,
        created -> Text,
    }
}

diesel::table! {
    catalogue_versions (number) {
        number -> Integer,
        decision_number -> Text,
        decision_date -> Text,
        signer -> Text,
        file_key -> Text,
        file_name -> Text,
        file_size -> BigInt,
        file_sha256 -> Text,
        file_mimetype -> Text,
        issued_by -> Nullable<Text>,
        created -> Text,
    }
}

diesel::table! {
    catalogue_version_entries (version, entry_id) {
        version -> Integer,
        entry_id -> Text,
        owner_org -> Text,
        snapshot -> Text,
    }
}

diesel::table! {
    user_site_roles (user_id, role) {
        user_id -> Text,
        role -> Text,
        granted_by -> Nullable<Text>,
        created -> Text,
    }
}

diesel::table! {
    catalogue_reminders (id) {
        id -> Text,
        subject -> Text,
        due_date -> Text,
        kind -> Text,
        audience -> Text,
        entry_title -> Text,
        notified_at -> Text,
        emailed_at -> Nullable<Text>,
    }
}

diesel::table! {
    dataset_api_reads (dataset_id) {
        dataset_id -> Text,
        reads -> BigInt,
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
diesel::joinable!(privacy_reviews -> datasets (dataset_id));
diesel::joinable!(catalogue_entries -> organizations (owner_org));
diesel::joinable!(catalogue_transitions -> catalogue_entries (entry_id));
diesel::joinable!(catalogue_comments -> catalogue_entries (entry_id));
diesel::joinable!(catalogue_entry_datasets -> catalogue_entries (entry_id));
diesel::joinable!(catalogue_entry_datasets -> datasets (dataset_id));
diesel::joinable!(catalogue_version_entries -> catalogue_versions (version));
diesel::joinable!(user_site_roles -> users (user_id));

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
    privacy_reviews,
    resource_files,
    catalogue_entries,
    catalogue_transitions,
    catalogue_comments,
    catalogue_entry_datasets,
    catalogue_versions,
    catalogue_version_entries,
    user_site_roles,
    catalogue_reminders,
    dataset_api_reads,
);

diesel::table! {
    jobs (id) {
        id -> Text,
        kind -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        max_attempts -> Integer,
        run_after -> Text,
        locked_by -> Nullable<Text>,
        locked_at -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created -> Text,
        finished -> Nullable<Text>,
    }
}

diesel::table! {
    harvest_sources (id) {
        id -> Text,
        name -> Text,
        title -> Text,
        url -> Text,
        source_type -> Text,
        owner_org -> Text,
        frequency -> Text,
        config -> Text,
        created -> Text,
        modified -> Text,
    }
}

diesel::table! {
    harvest_targets (id) {
        id -> Text,
        name -> Text,
        title -> Text,
        url -> Text,
        target_type -> Text,
        token_sealed -> Text,
        remote_owner_org -> Text,
        format -> Text,
        frequency -> Text,
        config -> Text,
        created -> Text,
        modified -> Text,
    }
}

diesel::table! {
    harvest_jobs (id) {
        id -> Text,
        source_id -> Nullable<Text>,
        target_id -> Nullable<Text>,
        status -> Text,
        created -> Text,
        started -> Nullable<Text>,
        finished -> Nullable<Text>,
        unchanged -> BigInt,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    harvest_objects (owner_id, guid) {
        owner_id -> Text,
        guid -> Text,
        dataset_id -> Nullable<Text>,
        remote_id -> Nullable<Text>,
        modified -> Nullable<Text>,
        state -> Text,
    }
}

diesel::table! {
    harvest_outcomes (job_id, guid) {
        job_id -> Text,
        guid -> Text,
        name -> Text,
        action -> Text,
        error -> Nullable<Text>,
        at -> Text,
    }
}

diesel::joinable!(harvest_jobs -> harvest_sources (source_id));
diesel::joinable!(harvest_jobs -> harvest_targets (target_id));
diesel::joinable!(harvest_outcomes -> harvest_jobs (job_id));

diesel::allow_tables_to_appear_in_same_query!(
    jobs,
    harvest_sources,
    harvest_targets,
    harvest_jobs,
    harvest_objects,
    harvest_outcomes,
);
