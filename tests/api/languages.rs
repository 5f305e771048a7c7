//! Errors speak the caller's language: Vietnamese unless `?lang=` or `Accept-Language` asks for
//! English, with the same status, `__type` and code whichever language is chosen.

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{spawn_app, Backend, TestApp};

both_backends!(
    a_missing_dataset_is_reported_in_vietnamese_by_default_and_in_english_on_request,
    field_messages_follow_the_language_too,
    refusals_and_unknown_pages_follow_the_language,
);

/// A GET with optional `Accept-Language`: status, `Content-Language` and the `error` object.
async fn get(app: &TestApp, path: &str, accept: Option<&str>) -> (u16, String, Value) {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(accept) = accept {
        request = request.header("Accept-Language", accept);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let language = response
        .headers()
        .get("Content-Language")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["success"], json!(false), "{body}");
    (status, language, body["error"].clone())
}

/// A POST of a JSON body, with optional token and `Accept-Language`.
async fn post(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    accept: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let mut request = app
        .client
        .post(format!("{}{path}", app.address))
        .json(&body);
    if let Some(token) = token {
        request = request.header("Authorization", token);
    }
    if let Some(accept) = accept {
        request = request.header("Accept-Language", accept);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    (status, body["error"].clone())
}

async fn a_missing_dataset_is_reported_in_vietnamese_by_default_and_in_english_on_request(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let show = "/api/3/action/package_show?id=gia-dat-2030";
    let vietnamese = "Không tìm thấy bộ dữ liệu \"gia-dat-2030\"";
    let english = "Dataset not found: \"gia-dat-2030\"";

    let (status, language, error) = get(&app, show, None).await;
    assert_eq!((status, language.as_str()), (404, "vi"));
    assert_eq!(error["message"], vietnamese);
    assert_eq!(error["__type"], "Not Found Error");
    assert_eq!(error["code"], "dataset_not_found");

    for (path, accept) in [
        (show.to_owned(), Some("en")),
        (show.to_owned(), Some("en-GB,en;q=0.9")),
        // The first language spoken here, by preference.
        (show.to_owned(), Some("fr-FR, en;q=0.8, vi;q=0.5")),
        (format!("{show}&lang=en"), None),
        // `?lang=` wins over the header.
        (format!("{show}&lang=en"), Some("vi")),
    ] {
        let (status, language, error) = get(&app, &path, accept).await;
        assert_eq!(
            (status, language.as_str()),
            (404, "en"),
            "{path} {accept:?}"
        );
        assert_eq!(error["message"], english, "{path} {accept:?}");
        assert_eq!(error["__type"], "Not Found Error");
        assert_eq!(error["code"], "dataset_not_found");
    }

    for (path, accept) in [
        (show.to_owned(), Some("en;q=0.4, vi")),
        (show.to_owned(), Some("fr, de")),
        (show.to_owned(), Some("*")),
        (format!("{show}&lang=vi"), Some("en")),
        (format!("{show}&lang=klingon"), None),
    ] {
        let (status, _, error) = get(&app, &path, accept).await;
        assert_eq!(status, 404);
        assert_eq!(error["message"], vietnamese, "{path} {accept:?}");
    }
}

async fn field_messages_follow_the_language_too(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.admin_token.clone();
    let body = json!({"title": "Không có tên", "private": "có lẽ"});
    let create = "/api/3/action/package_create";

    let (status, vi) = post(&app, create, Some(&token), None, body.clone()).await;
    let (status_en, en) = post(&app, create, Some(&token), Some("en"), body.clone()).await;
    let (status_query, by_query) =
        post(&app, &format!("{create}?lang=en"), Some(&token), None, body).await;
    assert_eq!((status, status_en, status_query), (409, 409, 409));
    for error in [&vi, &en, &by_query] {
        assert_eq!(error["__type"], "Validation Error");
        assert_eq!(error["code"], "validation_error");
    }
    assert_eq!(vi["name"], json!(["Thiếu giá trị bắt buộc"]));
    assert_eq!(vi["private"], json!(["Phải là true hoặc false"]));
    assert_eq!(en["name"], json!(["Missing value"]));
    assert_eq!(en["private"], json!(["Must be true or false"]));
    assert_eq!(by_query, en);
    let summary = vi["message"].as_str().unwrap();
    assert!(
        summary.starts_with("Dữ liệu chưa hợp lệ: ") && summary.contains("name: Thiếu giá trị"),
        "{summary}"
    );
    assert!(en["message"]
        .as_str()
        .unwrap()
        .contains("name: Missing value"));

    // A message with arguments renders them in either language.
    let (_, vi) = post(
        &app,
        "/api/3/action/organization_create",
        Some(&token),
        None,
        json!({"name": "Sở Tư pháp"}),
    )
    .await;
    let (_, en) = post(
        &app,
        "/api/3/action/organization_create",
        Some(&token),
        Some("en-US"),
        json!({"name": "Sở Tư pháp"}),
    )
    .await;
    assert!(
        vi["name"][0]
            .as_str()
            .unwrap()
            .ends_with("Gợi ý: \"so-tu-phap\""),
        "{vi}"
    );
    assert!(
        en["name"][0]
            .as_str()
            .unwrap()
            .ends_with("Suggested: \"so-tu-phap\""),
        "{en}"
    );
}

async fn refusals_and_unknown_pages_follow_the_language(backend: Backend) {
    let app = spawn_app(backend).await;
    let create = "/api/3/action/organization_create";
    let body = json!({"name": "so-tai-chinh"});
    let (status, vi) = post(&app, create, None, None, body.clone()).await;
    let (status_en, en) = post(&app, create, None, Some("en"), body).await;
    assert_eq!((status, status_en), (403, 403));
    assert_eq!(vi["__type"], "Authorization Error");
    assert_eq!(en["__type"], "Authorization Error");
    assert_eq!(vi["code"], "not_authorized");
    assert_eq!(en["code"], "not_authorized");
    assert_eq!(
        vi["message"],
        "Chỉ quản trị hệ thống được gọi organization_create"
    );
    assert_eq!(en["message"], "Only sysadmins may call organization_create");

    let (status, _, error) = get(&app, "/api/khong-co-trang-nay?lang=en", None).await;
    assert_eq!(status, 404);
    assert_eq!(error["code"], "page_not_found");
    assert_eq!(error["message"], "Not found: /api/khong-co-trang-nay");
    let (_, _, error) = get(&app, "/api/khong-co-trang-nay", None).await;
    assert_eq!(error["message"], "Không có trang /api/khong-co-trang-nay");

    // Outside the API an unknown page is a page, in the visitor's language, never JSON.
    for (query, lang, words) in [
        ("", "vi", "Không có trang /khong-co-trang-nay"),
        ("?lang=en", "en", "Not found: /khong-co-trang-nay"),
    ] {
        let reply = app
            .client
            .get(format!("{}/khong-co-trang-nay{query}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status().as_u16(), 404);
        assert!(reply.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        let html = reply.text().await.unwrap();
        assert!(html.contains(&format!(r#"<html lang="{lang}">"#)), "{html}");
        assert!(html.contains(words), "{html}");
    }

    let (status, _, error) = get(&app, "/api/3/action/khong_co", Some("en")).await;
    assert_eq!(status, 400);
    assert_eq!(error["__type"], "Bad request");
    assert_eq!(error["code"], "unknown_action");
    assert_eq!(
        error["message"],
        "Bad request - Action name not known: khong_co"
    );
}
