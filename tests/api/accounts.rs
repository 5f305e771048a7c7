//! Accounts, roles and tokens: CKAN's organisation rules, private datasets and drafts.

use serde_json::json;

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend};

both_backends!(
    editors_edit_only_their_organization,
    private_datasets_and_drafts_stay_hidden,
    admins_manage_members_and_tokens_can_be_revoked,
);

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
