//! Accounts, roles and tokens: CKAN's organisation rules, private datasets and drafts.

use diesel::prelude::*;
use serde_json::json;

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend, TestApp};

both_backends!(
    editors_edit_only_their_organization,
    private_datasets_and_drafts_stay_hidden,
    admins_manage_members_and_tokens_can_be_revoked,
    a_deactivated_user_is_refused_at_once_and_loses_their_roles,
    only_an_explicit_state_change_by_a_sysadmin_reactivates_an_account,
    users_change_their_own_details_but_not_their_rights,
);

/// Whether `password` opens `name`'s account (there is no login page yet: the stored hash is
/// checked as a login would check it).
pub async fn password_accepted(app: &TestApp, name: &str, password: &str) -> bool {
    use dataportal::db::schema::users;
    let catalog = app.catalog.clone();
    let (name, password) = (name.to_owned(), password.to_owned());
    tokio::task::spawn_blocking(move || {
        let hash: String = catalog
            .db
            .read(|conn| {
                Ok(users::table
                    .filter(users::name.eq(&name))
                    .select(users::password_hash)
                    .first(conn)?)
            })
            .unwrap();
        dataportal::catalog::users::verify_password(&hash, &password)
    })
    .await
    .unwrap()
}

async fn editors_edit_only_their_organization(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-y-te").await;
    app.organization("so-giao-duc").await;
    let editor = app.create_user("bientap-yte", false).await;
    app.member("so-y-te", "bientap-yte", "editor").await;
    let member = app.create_user("thanhvien-yte", false).await;
    app.member("so-y-te", "thanhvien-yte", "member").await;

    app.post(
        "package_create",
        Some(&editor),
        dataset("benh-vien", "so-y-te"),
    )
    .await
    .ok();
    let error = app
        .post(
            "package_create",
            Some(&editor),
            dataset("truong-hoc", "so-giao-duc"),
        )
        .await
        .err(403);
    assert_eq!(error["__type"], "Authorization Error");
    app.post(
        "package_create",
        Some(&member),
        dataset("phong-kham", "so-y-te"),
    )
    .await
    .err(403);
    app.post("package_create", None, dataset("an-danh", "so-y-te"))
        .await
        .err(403);

    app.post(
        "package_patch",
        Some(&editor),
        json!({"id": "benh-vien", "notes": "Cập nhật"}),
    )
    .await
    .ok();
    app.post(
        "package_patch",
        Some(&member),
        json!({"id": "benh-vien", "notes": "Không được"}),
    )
    .await
    .err(403);
    // Moving a dataset to an organisation where the editor has no role is refused.
    app.post(
        "package_patch",
        Some(&editor),
        json!({"id": "benh-vien", "owner_org": "so-giao-duc"}),
    )
    .await
    .err(403);
    app.post("package_delete", Some(&member), json!({"id": "benh-vien"}))
        .await
        .err(403);

    let orgs = app
        .post(
            "organization_list_for_user",
            Some(&editor),
            json!({"permission": "create_dataset"}),
        )
        .await
        .ok();
    assert_eq!(orgs.as_array().unwrap().len(), 1);
    assert_eq!(orgs[0]["name"], "so-y-te");
    // Only sysadmins create organisations and users.
    app.post(
        "organization_create",
        Some(&editor),
        json!({"name": "so-moi"}),
    )
    .await
    .err(403);
    app.post(
        "user_create",
        Some(&editor),
        json!({"name": "ke-la", "email": "a@b.vn", "password": "12345678"}),
    )
    .await
    .err(403);
}

async fn private_datasets_and_drafts_stay_hidden(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("cong-an-tinh").await;
    app.organization("so-tai-chinh").await;
    let member = app.create_user("can-bo", false).await;
    app.member("cong-an-tinh", "can-bo", "member").await;
    let outsider = app.create_user("nguoi-ngoai", false).await;
    app.member("so-tai-chinh", "nguoi-ngoai", "editor").await;

    let mut private = dataset("vu-viec-noi-bo", "cong-an-tinh");
    private["private"] = json!(true);
    app.admin("package_create", private).await.ok();
    let mut draft = dataset("ban-nhap", "cong-an-tinh");
    draft["state"] = json!("draft");
    app.admin("package_create", draft).await.ok();
    app.admin("package_create", dataset("cong-khai", "cong-an-tinh"))
        .await
        .ok();

    for token in [None, Some(outsider.as_str())] {
        app.post("package_show", token, json!({"id": "vu-viec-noi-bo"}))
            .await
            .err(404);
        app.post("package_show", token, json!({"id": "ban-nhap"}))
            .await
            .err(404);
        let found = app.post("package_search", token, json!({"include_private": true, "include_drafts": true, "facet.field": ["organization"]})).await.ok();
        assert_eq!(found["count"], 1, "{found}");
        assert_eq!(
            found["search_facets"]["organization"]["items"][0]["count"],
            1
        );
    }
    assert_eq!(
        app.get("package_list", None, &[]).await.ok(),
        json!(["cong-khai"])
    );
    let org = app
        .get("organization_show", None, &[("id", "cong-an-tinh")])
        .await
        .ok();
    assert_eq!(org["package_count"], 1);

    let shown = app
        .post(
            "package_show",
            Some(&member),
            json!({"id": "vu-viec-noi-bo"}),
        )
        .await
        .ok();
    assert_eq!(shown["private"], true);
    app.post("package_show", Some(&member), json!({"id": "ban-nhap"}))
        .await
        .err(404);
    let found = app
        .post(
            "package_search",
            Some(&member),
            json!({"include_private": true}),
        )
        .await
        .ok();
    assert_eq!(found["count"], 2);
    let found = app
        .post("package_search", Some(&member), json!({}))
        .await
        .ok();
    assert_eq!(
        found["count"], 1,
        "private datasets need include_private, as in CKAN"
    );
    let found = app
        .admin(
            "package_search",
            json!({"include_private": true, "include_drafts": true}),
        )
        .await
        .ok();
    assert_eq!(found["count"], 3);
    let recent = app
        .get("current_package_list_with_resources", None, &[])
        .await
        .ok();
    assert_eq!(recent.as_array().unwrap().len(), 1);
}

async fn admins_manage_members_and_tokens_can_be_revoked(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-cong-thuong").await;
    let org_admin = app.create_user("truong-phong", false).await;
    app.member("so-cong-thuong", "truong-phong", "admin").await;
    let editor = app.create_user("chuyen-vien", false).await;

    app.post("member_create", Some(&org_admin), json!({"id": "so-cong-thuong", "object": "chuyen-vien", "object_type": "user", "capacity": "editor"})).await.ok();
    let members = app
        .post(
            "member_list",
            Some(&org_admin),
            json!({"id": "so-cong-thuong"}),
        )
        .await
        .ok();
    assert_eq!(members.as_array().unwrap().len(), 2);
    app.post(
        "organization_member_create",
        Some(&editor),
        json!({"id": "so-cong-thuong", "username": "chuyen-vien", "role": "admin"}),
    )
    .await
    .err(403);
    app.post(
        "organization_member_create",
        Some(&org_admin),
        json!({"id": "so-cong-thuong", "username": "chuyen-vien", "role": "chu-tich"}),
    )
    .await
    .err(409);
    app.post(
        "package_create",
        Some(&editor),
        dataset("xuat-khau", "so-cong-thuong"),
    )
    .await
    .ok();
    app.post(
        "organization_patch",
        Some(&org_admin),
        json!({"id": "so-cong-thuong", "title_en": "Department of Industry and Trade"}),
    )
    .await
    .ok();
    app.post(
        "organization_patch",
        Some(&editor),
        json!({"id": "so-cong-thuong", "title": "Đổi tên"}),
    )
    .await
    .err(403);
    app.post(
        "member_delete",
        Some(&org_admin),
        json!({"id": "so-cong-thuong", "object": "chuyen-vien", "object_type": "user"}),
    )
    .await
    .ok();
    app.post(
        "package_patch",
        Some(&editor),
        json!({"id": "xuat-khau", "notes": "..."}),
    )
    .await
    .err(403);

    // Tokens: a user makes one for themself, sees it listed without the secret, revokes it.
    let me = app
        .post("user_show", Some(&editor), json!({"id": "chuyen-vien"}))
        .await
        .ok();
    assert_eq!(me["email"], "chuyen-vien@tayninh.gov.vn");
    let public = app
        .post("user_show", None, json!({"id": "chuyen-vien"}))
        .await
        .ok();
    assert!(public.get("email").is_none(), "e-mail is private: {public}");
    let token = app
        .post(
            "api_token_create",
            Some(&editor),
            json!({"user": "chuyen-vien", "name": "script"}),
        )
        .await
        .ok();
    let secret = token["token"].as_str().unwrap().to_owned();
    let listed = app
        .post(
            "api_token_list",
            Some(&secret),
            json!({"user_id": "chuyen-vien"}),
        )
        .await
        .ok();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(!listed.to_string().contains(&secret));
    app.post(
        "api_token_create",
        Some(&editor),
        json!({"user": "truong-phong"}),
    )
    .await
    .err(403);
    app.post(
        "api_token_revoke",
        Some(&secret),
        json!({"jti": token["jti"]}),
    )
    .await
    .ok();
    let error = app
        .post("package_search", Some(&secret), json!({}))
        .await
        .err(403);
    assert!(error["message"].as_str().unwrap().contains("thu hồi"));
    // Bearer form and a garbage token.
    let response = app
        .client
        .post(format!("{}/api/3/action/user_show", app.address))
        .header("Authorization", format!("Bearer {editor}"))
        .json(&json!({"id": "chuyen-vien"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    app.post("package_search", Some("dp_khong-hop-le"), json!({}))
        .await
        .err(403);

    // Organisations with datasets cannot be deleted; empty ones can.
    let error = app
        .admin("organization_delete", json!({"id": "so-cong-thuong"}))
        .await
        .err(409);
    assert!(error["id"][0].as_str().unwrap().contains("1"));
    app.organization("so-trong").await;
    app.admin("organization_delete", json!({"id": "so-trong"}))
        .await
        .ok();
    app.get("organization_show", None, &[("id", "so-trong")])
        .await
        .err(404);
    let names = app.get("organization_list", None, &[]).await.ok();
    assert_eq!(names, json!(["so-cong-thuong"]));
}

async fn a_deactivated_user_is_refused_at_once_and_loses_their_roles(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-noi-vu").await;
    let leaver = app.create_user("nghi-viec", false).await;
    app.member("so-noi-vu", "nghi-viec", "editor").await;
    let colleague = app.create_user("dong-nghiep", false).await;
    app.member("so-noi-vu", "dong-nghiep", "admin").await;
    let second = app
        .post(
            "api_token_create",
            Some(&leaver),
            json!({"user": "nghi-viec"}),
        )
        .await
        .ok()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        "package_create",
        Some(&leaver),
        dataset("ho-so-can-bo", "so-noi-vu"),
    )
    .await
    .ok();

    // Only sysadmins deactivate or change other people's accounts, even organisation admins.
    app.post("user_delete", Some(&colleague), json!({"id": "nghi-viec"}))
        .await
        .err(403);
    app.post(
        "user_patch",
        Some(&colleague),
        json!({"id": "nghi-viec", "email": "x@y.vn"}),
    )
    .await
    .err(403);
    app.post("user_delete", None, json!({"id": "nghi-viec"}))
        .await
        .err(403);

    app.admin("user_delete", json!({"id": "nghi-viec"}))
        .await
        .ok();
    for token in [&leaver, &second] {
        app.post("package_search", Some(token), json!({}))
            .await
            .err(403);
    }
    let members = app
        .admin("member_list", json!({"id": "so-noi-vu"}))
        .await
        .ok();
    assert_eq!(members.as_array().unwrap().len(), 1, "{members}");
    assert_eq!(members[0][2], "admin");
    // The account, its work and its history stay; only sysadmins still see the account.
    app.get("package_show", None, &[("id", "ho-so-can-bo")])
        .await
        .ok();
    app.post("user_show", Some(&colleague), json!({"id": "nghi-viec"}))
        .await
        .err(404);
    let shown = app
        .admin("user_show", json!({"id": "nghi-viec"}))
        .await
        .ok();
    assert_eq!(shown["state"], "deleted");
    let history = app
        .admin("user_activity_list", json!({"id": "nghi-viec"}))
        .await
        .ok();
    assert_eq!(history[0]["activity_type"], "deleted user");
    assert_eq!(
        history[0]["data"]["user"]["removed_memberships"][0]["capacity"],
        "editor"
    );
    assert_eq!(history[0]["data"]["user"]["revoked_tokens"], 2);
    app.post(
        "user_activity_list",
        Some(&colleague),
        json!({"id": "dong-nghiep"}),
    )
    .await
    .ok();
    app.post(
        "user_activity_list",
        Some(&colleague),
        json!({"id": "admin"}),
    )
    .await
    .err(403);

    // Repeating is harmless; nothing brings the account back by the side door.
    app.admin("user_delete", json!({"id": "nghi-viec"}))
        .await
        .ok();
    app.admin("api_token_create", json!({"user": "nghi-viec"}))
        .await
        .err(404);
    app.admin(
        "organization_member_create",
        json!({"id": "so-noi-vu", "username": "nghi-viec", "role": "member"}),
    )
    .await
    .err(404);
    let error = app
        .admin("user_create", json!({"name": "nghi-viec", "email": "moi@tayninh.gov.vn", "password": "mật-khẩu-đủ-dài"}))
        .await
        .err(409);
    assert!(error["name"].is_array(), "{error}");

    // A sysadmin cannot lock themself out.
    let error = app
        .admin("user_delete", json!({"id": "admin"}))
        .await
        .err(409);
    assert!(error["id"].is_array(), "{error}");
    let error = app
        .admin("user_patch", json!({"id": "admin", "sysadmin": false}))
        .await
        .err(409);
    assert!(error["sysadmin"].is_array(), "{error}");
    let error = app
        .admin("user_patch", json!({"id": "admin", "state": "deleted"}))
        .await
        .err(409);
    assert!(error["state"].is_array(), "{error}");
    app.admin("package_search", json!({})).await.ok();
}

async fn only_an_explicit_state_change_by_a_sysadmin_reactivates_an_account(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-xay-dung").await;
    let old_token = app.create_user("tro-lai", false).await;
    app.member("so-xay-dung", "tro-lai", "editor").await;
    app.admin("user_delete", json!({"id": "tro-lai"}))
        .await
        .ok();

    // A full update that does not name the state leaves the account deactivated.
    let updated = app
        .admin(
            "user_update",
            json!({"id": "tro-lai", "email": "tro-lai@tayninh.gov.vn", "fullname": "Trở Lại"}),
        )
        .await
        .ok();
    assert_eq!(updated["state"], "deleted");
    app.post("package_search", Some(&old_token), json!({}))
        .await
        .err(403);
    let error = app
        .admin("user_patch", json!({"id": "tro-lai", "state": "tạm-nghỉ"}))
        .await
        .err(409);
    assert!(error["state"].is_array(), "{error}");

    let back = app
        .admin("user_patch", json!({"id": "tro-lai", "state": "active"}))
        .await
        .ok();
    assert_eq!(back["state"], "active");
    assert_eq!(back["fullname"], "Trở Lại");
    // Old tokens stay revoked and roles are granted again on purpose, not restored.
    app.post("package_search", Some(&old_token), json!({}))
        .await
        .err(403);
    let token = app
        .admin("api_token_create", json!({"user": "tro-lai"}))
        .await
        .ok()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let orgs = app
        .post(
            "organization_list_for_user",
            Some(&token),
            json!({"permission": "read"}),
        )
        .await
        .ok();
    assert_eq!(orgs, json!([]));
    app.post(
        "package_create",
        Some(&token),
        dataset("nha-o", "so-xay-dung"),
    )
    .await
    .err(403);
    let history = app
        .admin("user_activity_list", json!({"id": "tro-lai"}))
        .await
        .ok();
    let types: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["activity_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["changed user", "changed user", "deleted user", "new user"]
    );
}

async fn users_change_their_own_details_but_not_their_rights(backend: Backend) {
    let app = spawn_app(backend).await;
    let me = app.create_user("chuyen-vien", false).await;

    let changed = app
        .post(
            "user_patch",
            Some(&me),
            json!({"id": "chuyen-vien", "fullname": "Nguyễn Văn A", "email": "nva@tayninh.gov.vn"}),
        )
        .await
        .ok();
    assert_eq!(changed["fullname"], "Nguyễn Văn A");
    assert_eq!(changed["email"], "nva@tayninh.gov.vn");
    // What user_show returns can be sent back unchanged.
    let shown = app
        .post("user_show", Some(&me), json!({"id": "chuyen-vien"}))
        .await
        .ok();
    app.post("user_update", Some(&me), shown).await.ok();

    for rights in [json!({"sysadmin": true}), json!({"state": "deleted"})] {
        let mut body = json!({"id": "chuyen-vien", "email": "nva@tayninh.gov.vn"});
        body.as_object_mut()
            .unwrap()
            .extend(rights.as_object().unwrap().clone());
        app.post("user_patch", Some(&me), body.clone())
            .await
            .err(403);
        app.post("user_update", Some(&me), body).await.err(403);
    }
    app.post(
        "user_create",
        Some(&me),
        json!({"name": "tay-trong", "email": "t@t.vn", "password": "mật-khẩu-đủ-dài"}),
    )
    .await
    .err(403);
    app.post(
        "user_patch",
        Some(&me),
        json!({"id": "admin", "fullname": "Bị đổi"}),
    )
    .await
    .err(403);
    app.post(
        "user_patch",
        None,
        json!({"id": "chuyen-vien", "fullname": "Ẩn danh"}),
    )
    .await
    .err(403);

    // Each wrong field is named.
    let error = app
        .post("user_patch", Some(&me), json!({"id": "chuyen-vien", "email": "không phải email", "password": "ngắn", "name": "ten-moi"}))
        .await
        .err(409);
    for field in ["email", "password"] {
        assert!(error[field].is_array(), "{error}");
    }
    let error = app
        .post(
            "user_patch",
            Some(&me),
            json!({"id": "chuyen-vien", "name": "ten-moi"}),
        )
        .await
        .err(409);
    assert!(error["name"].is_array(), "{error}");
    let error = app
        .post(
            "user_update",
            Some(&me),
            json!({"id": "chuyen-vien", "fullname": "Thiếu email"}),
        )
        .await
        .err(409);
    assert!(error["email"].is_array(), "{error}");

    // A new password replaces the old one.
    assert!(password_accepted(&app, "chuyen-vien", "mật-khẩu-đủ-dài").await);
    app.post(
        "user_patch",
        Some(&me),
        json!({"id": "chuyen-vien", "password": "mật khẩu mới thật dài"}),
    )
    .await
    .ok();
    assert!(!password_accepted(&app, "chuyen-vien", "mật-khẩu-đủ-dài").await);
    assert!(password_accepted(&app, "chuyen-vien", "mật khẩu mới thật dài").await);

    // A sysadmin's full update clears what it omits, but keeps the rights and the password.
    let replaced = app
        .admin(
            "user_update",
            json!({"id": "chuyen-vien", "email": "moi@tayninh.gov.vn"}),
        )
        .await
        .ok();
    assert_eq!(replaced["fullname"], "");
    assert_eq!(replaced["sysadmin"], false);
    assert!(password_accepted(&app, "chuyen-vien", "mật khẩu mới thật dài").await);
    // Promotion takes effect on the very next request with the user's existing token.
    app.admin("user_patch", json!({"id": "chuyen-vien", "sysadmin": true}))
        .await
        .ok();
    app.post(
        "user_create",
        Some(&me),
        json!({"name": "tay-trong", "email": "t@t.vn", "password": "mật-khẩu-đủ-dài"}),
    )
    .await
    .ok();
}
