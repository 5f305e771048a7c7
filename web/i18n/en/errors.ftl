# Error messages in English. Every code in src/error/codes.rs has a message here and one in
# ../vi/errors.ftl, with the arguments declared there.

not_found = Not found
dataset_not_found = Dataset not found: "{ $id }"
resource_not_found = Resource not found: "{ $id }"
organization_not_found = Organization not found: "{ $id }"
user_not_found = User not found: "{ $id }"
group_not_found = Group not found: "{ $id }"
member_not_found = Member not found: "{ $id }"
token_not_found = API token not found: "{ $id }"
action_not_found = Action not found: "{ $id }"
page_not_found = Not found: { $path }

validation_error = Invalid input: { $fields }

not_authorized = { $reason ->
    [create_datasets_anonymously] You are not authorized to create datasets without logging in
    [edit_dataset_anonymously] You are not authorized to edit this dataset without logging in
    [edit_organization_datasets] You are not authorized to edit datasets of this organization
    [update_organization] You are not authorized to update this organization
    [manage_members] You are not authorized to manage members of this organization
    [list_members] You are not authorized to list members of this organization
    [change_other_account] You are not authorized to change another user's account
    [see_other_account_history] You are not authorized to see another user's account history
    [change_sysadmin_flag] You are not authorized to change the sysadmin flag
    [change_account_state] You are not authorized to change the state of an account
    [create_token_for_other] You are not authorized to create API tokens for another user
    [list_other_tokens] You are not authorized to list another user's API tokens
    [revoke_other_token] You are not authorized to revoke another user's API token
    [upload_here] You are not authorized to upload a file here
    [sysadmin_only] Only sysadmins may call { $action }
    [login_required] Log in (API token) to call { $action }
    [unreadable_token] Unreadable API token (ASCII only)
    [invalid_token] Invalid or revoked API token
    [reviewer_only] Only the data office (role reviewer) may call { $action }
    [catalogue_entry_edit] You are not authorized to change this catalogue entry in its current status
    [catalogue_dataset_other_department] The dataset belongs to another department and cannot be linked to this entry
    [catalogue_notices] You are not authorized to see this department's notices
   *[other] You are not authorized to do this
}

unknown_action = Bad request - Action name not known: { $name }
method_not_allowed = Action "{ $name }" requires POST
malformed_json = Malformed JSON: { $detail }
body_not_object = Request body must be a JSON object
body_unreadable = Unreadable request body: { $detail }
malformed_multipart = Malformed multipart body: { $detail }
unexpected_file = Files go in the "upload" field, not "{ $field }"
not_utf8 = Field "{ $field }" is not UTF-8
upload_interrupted = The upload was interrupted: { $detail }

# $limit: bytes for a request body, MiB for a file.
payload_too_large = { $what ->
    [body] Request body exceeds { $limit } bytes
    [field] Field "{ $field }" is too large
   *[file] The file exceeds the upload limit of { $limit } MiB
}

request_timeout = { $reason ->
    [idle] No data received for { $seconds } seconds, request cancelled
    [deadline] The request body was not received within { $seconds } seconds
   *[too_slow] Upload too slow (below { $kib } KiB/s), cancelled
}

rate_limited = Too many requests, please retry after { $seconds } s
login_failed = The login name (or e-mail) or the password is wrong.
login_rate_limited = Too many login attempts. For safety, logging in is paused here; please try again in { $minutes } min.
csrf_failed = The form has expired or is not valid (its CSRF protection code is missing). Please reload the page and send it again.
search_index_rebuilding = The search index is being rebuilt, please retry in a few seconds
internal_error = Internal server error, please try again later
privacy_review_required = { $reason ->
    [always] This portal asks for the re-identification risk checklist before every publication ({ $count } tabular files not yet reviewed). An editor of the organisation confirms it with package_privacy_review (or the page /dataset/…/privacy), then publishes again.
   *[findings] The data files may hold personal data ({ $count } findings, see "findings"; values masked). Not published: an editor of the organisation must confirm the re-identification risk checklist with package_privacy_review (or the page /dataset/…/privacy), then publish again.
}
harvest_source_not_found = Harvest source "{ $id }" not found
harvest_target_not_found = Harvest target "{ $id }" not found
harvest_job_not_found = Harvest job "{ $id }" not found
harvest_type_not_supported = The type "{ $kind }" is not yet supported
harvest_job_pending = A run is already waiting or running ({ $id }); wait until it ends

# The open-data catalogue (issue 12).
catalogue_entry_not_found = Catalogue entry not found: "{ $id }"
catalogue_version_not_found = Catalogue version not found: "{ $id }"
catalogue_transition_refused = { $step ->
    [submit] An entry in status "{ $status }" cannot be submitted; only drafts and entries sent back for changes can
    [approve] An entry in status "{ $status }" cannot be approved; only submitted entries can
    [reject] An entry in status "{ $status }" cannot be rejected; only submitted entries can
    [request_changes] Changes cannot be requested on an entry in status "{ $status }"; only on submitted entries
    [issue] An entry in status "{ $status }" cannot be issued
    [publish] An entry in status "{ $status }" cannot be published
    [withdraw] Only issued or published entries can be withdrawn, not one in status "{ $status }"
    [merge] An entry in status "{ $status }" cannot be merged; only submitted, sent-back or approved entries can
    [edit] An entry in status "{ $status }" cannot be changed
    [delete] Only drafts and entries sent back for changes can be deleted, not one in status "{ $status }"
   *[link] Datasets can only be linked to approved, issued or published entries, not one in status "{ $status }"
}
catalogue_own_review = A department may not review its own catalogue entries
catalogue_merge_itself = An entry cannot be merged into itself
catalogue_nothing_to_issue = No approved entry and nothing to withdraw: there is no new version to issue
catalogue_not_linked = Dataset "{ $id }" is not linked to this entry
