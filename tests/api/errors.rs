//! Bad input: always a clear 4xx naming the problem, never a 500, nothing stored damaged.

use serde_json::json;

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend};

both_backends!(
    vietnamese_title_as_name_gets_a_suggested_slug,
    invalid_fields_are_all_named_and_nothing_changes,
    malformed_requests_get_400_not_500,
);

async fn vietnamese_title_as_name_gets_a_suggested_slug(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-tai-chinh").await;
    let mut dict = dataset("x", "so-tai-chinh");
    dict["name"] = json!("Giá đất Đồng Tháp 2025");
    let error = app.admin("package_create", dict).await.err(409);
    assert_eq!(error["__type"], "Validation Error");
    let message = error["name"][0].as_str().unwrap();
    assert!(message.contains("gia-dat-dong-thap-2025"), "{message}");
    assert!(
        message.contains("chữ thường"),
        "Vietnamese first: {message}"
    );

    app.admin("package_create", dataset("gia-dat", "so-tai-chinh"))
        .await
        .ok();
    let error = app
        .admin("package_create", dataset("gia-dat", "so-tai-chinh"))
        .await
        .err(409);
    assert!(error["name"][0]
        .as_str()
        .unwrap()
        .contains("đã được sử dụng"));
}

async fn invalid_fields_are_all_named_and_nothing_changes(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-noi-vu").await;
    let stored = app
        .admin("package_create", dataset("can-bo-cong-chuc", "so-noi-vu"))
        .await
        .ok();

    let error = app
        .admin(
            "package_create",
            json!({
                "name": "du-lieu-loi",
                "title": "x".repeat(501),
                "owner_org": "khong-ton-tai",
                "private": "có lẽ",
                "license_id": "ban-quyen-rieng",
                "frequency": "sometimes",
                "temporal_start": "2025-13-01",
                "contact_email": "không phải email",
                "contact_phone": "gọi tôi",
                "language": "vietnamese",
                "tags": 5,
                "groups": [{"name": "khong-co-chu-de"}],
                "resources": [{"url": "not a url"}],
            }),
        )
        .await
        .err(409);
    for field in [
        "title",
        "owner_org",
        "private",
        "license_id",
        "frequency",
        "temporal_start",
        "contact_email",
        "contact_phone",
        "language",
        "tags",
        "groups",
        "resources[0].url",
    ] {
        assert!(
            error.get(field).is_some(),
            "no message for {field}: {error}"
        );
    }
    app.get("package_show", None, &[("id", "du-lieu-loi")])
        .await
        .err(404);

    let error = app
        .admin("package_create", json!({"title": "Không có tên"}))
        .await
        .err(409);
    assert_eq!(error["name"][0], "Thiếu giá trị bắt buộc");
    assert_eq!(error["owner_org"][0], "Thiếu giá trị bắt buộc");

    let mut backwards = dataset("thoi-gian-nguoc", "so-noi-vu");
    backwards["temporal_start"] = json!("2026-01-01");
    backwards["temporal_end"] = json!("2025-01-01");
    let error = app.admin("package_create", backwards).await.err(409);
    assert!(error.get("temporal_end").is_some());

    // A failed update leaves the stored dataset exactly as it was.
    let bad_update =
        json!({"id": "can-bo-cong-chuc", "title": "Tiêu đề mới", "license_id": "khong-co"});
    app.admin("package_patch", bad_update).await.err(409);
    let after = app
        .get("package_show", None, &[("id", "can-bo-cong-chuc")])
        .await
        .ok();
    assert_eq!(after, stored);

    // Oversize fields are refused, not truncated.
    let mut huge = dataset("qua-dai", "so-noi-vu");
    huge["notes"] = json!("đ".repeat(100_001));
    let error = app.admin("package_create", huge).await.err(409);
    assert!(error["notes"][0].as_str().unwrap().contains("100000"));
}

async fn malformed_requests_get_400_not_500(backend: Backend) {
    let app = spawn_app(backend).await;
    let url = format!("{}/api/3/action/package_create", app.address);
    let send = |body: &'static str, content_type: &'static str| {
        app.client
            .post(&url)
            .header("Authorization", app.admin_token.clone())
            .header("Content-Type", content_type)
            .body(body)
            .send()
    };
    for (body, content_type, code) in [
        ("{\"name\": ", "application/json", "malformed_json"),
        ("[1, 2, 3]", "application/json", "body_not_object"),
        ("\u{1}\u{2}", "application/json", "malformed_json"),
    ] {
        let response = send(body, content_type).await.unwrap();
        assert_eq!(response.status().as_u16(), 400, "{body}");
        let reply: serde_json::Value = response.json().await.unwrap();
        assert_eq!(reply["error"]["code"], code);
        assert_eq!(reply["success"], false);
    }

    let error = app.get("no_such_action", None, &[]).await.err(400);
    assert!(error["message"]
        .as_str()
        .unwrap()
        .contains("no_such_action"));
    let error = app
        .get("package_create", Some(&app.admin_token), &[("name", "x")])
        .await
        .err(400);
    assert!(error["message"].as_str().unwrap().contains("POST"));
    let error = app.get("package_show", None, &[]).await.err(409);
    assert!(error.get("id").is_some());
    let error = app
        .get("package_search", None, &[("rows", "nhiều")])
        .await
        .err(409);
    assert!(error.get("rows").is_some());
    app.get("package_search", None, &[("rows", "1001")])
        .await
        .err(409);

    // A body over the configured limit gets 413, not a hang or a 500.
    let big = format!("{{\"notes\": \"{}\"}}", "a".repeat(5 * 1024 * 1024));
    let response = app
        .client
        .post(&url)
        .header("Authorization", app.admin_token.clone())
        .header("Content-Type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 413);

    // Unknown pages answer with a JSON 404.
    let response = app
        .client
        .get(format!("{}/khong-co-trang-nay", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);

    // `curl -d '{...}'` sends JSON as a form; CKAN reads it as JSON, so do we.
    let response = app
        .client
        .post(format!("{}/api/3/action/organization_create", app.address))
        .header("Authorization", app.admin_token.clone())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(r#"{"name": "so-tu-phap", "title": "Sở Tư pháp"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
}

both_backends!(every_action_answers_empty_and_junk_input_without_500);

async fn every_action_answers_empty_and_junk_input_without_500(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-tai-chinh").await;
    app.admin("package_create", dataset("co-du-lieu", "so-tai-chinh"))
        .await
        .ok();
    let junk = [
        json!({}),
        json!({"id": 12, "name": [1], "q": {"a": 1}, "rows": -5, "owner_org": null, "tags": "x,y", "resources": "z"}),
        json!({"id": "khong-co", "package_id": "khong-co", "user": "admin", "name": "đ".repeat(300), "upload": "x"}),
    ];
    for spec in dataportal::catalog::action_specs::ACTIONS {
        for body in &junk {
            for token in [None, Some(app.admin_token.as_str())] {
                let reply = app.post(spec.name, token, body.clone()).await;
                assert!(
                    reply.status < 500,
                    "{} with {body} -> {}: {}",
                    spec.name,
                    reply.status,
                    reply.body
                );
                assert_ne!(
                    reply.body["error"]["code"], "unknown_action",
                    "{} is listed but not wired",
                    spec.name
                );
            }
        }
    }
    // Stored data survived all of it.
    let kept = app
        .get("package_show", None, &[("id", "co-du-lieu")])
        .await
        .ok();
    assert_eq!(kept["state"], "active");
}

both_backends!(every_action_is_dispatched_and_guarded_by_its_registry_entry);

/// The registry is the only table: each entry's name reaches its handler, its `read_only`
/// decides GET, and its rule is checked before the handler runs.
async fn every_action_is_dispatched_and_guarded_by_its_registry_entry(backend: Backend) {
    use dataportal::catalog::access::Rule;
    let app = spawn_app(backend).await;
    let user_token = app.create_user("thuong", false).await;
    for spec in dataportal::catalog::action_specs::ACTIONS {
        let reply = app.post(spec.name, None, json!({})).await;
        assert_ne!(
            reply.body["error"]["code"], "unknown_action",
            "{}",
            spec.name
        );
        match spec.rule {
            Rule::Anyone => assert_ne!(reply.status, 403, "{}: {}", spec.name, reply.body),
            Rule::LoggedIn | Rule::Sysadmin | Rule::Reviewer => {
                assert_eq!(reply.status, 403, "{}: {}", spec.name, reply.body);
                assert_eq!(reply.body["error"]["__type"], "Authorization Error");
            }
        }
        if matches!(spec.rule, Rule::Sysadmin | Rule::Reviewer) {
            let reply = app.post(spec.name, Some(&user_token), json!({})).await;
            assert_eq!(reply.status, 403, "{}: {}", spec.name, reply.body);
        }
        let by_get = app.get(spec.name, None, &[]).await;
        if !spec.read_only {
            assert_eq!(
                by_get.body["error"]["code"], "method_not_allowed",
                "{}",
                spec.name
            );
        }
    }
}
