//! Uploads: streamed, hashed, sniffed, size-limited, safely named; downloads with the right
//! headers and Range support.

use reqwest::multipart::{Form, Part};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend, TestApp};

both_backends!(
    uploaded_file_comes_back_byte_for_byte,
    oversize_and_anonymous_uploads_are_refused,
    private_files_need_rights,
);

async fn upload(
    app: &TestApp,
    token: Option<&str>,
    package: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (u16, serde_json::Value) {
    let form = Form::new()
        .text("package_id", package.to_owned())
        .text("name", "Danh sách xã, phường")
        .part("upload", Part::bytes(bytes).file_name(name.to_owned()));
    let mut request = app
        .client
        .post(format!("{}/api/3/action/resource_create", app.address))
        .multipart(form);
    if let Some(token) = token {
        request = request.header("Authorization", token);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn uploaded_file_comes_back_byte_for_byte(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-noi-vu").await;
    app.admin("package_create", dataset("don-vi-hanh-chinh", "so-noi-vu"))
        .await
        .ok();
    let csv = std::fs::read("demo/vn-wards-2025.csv").unwrap();
    let (status, body) = upload(
        &app,
        Some(&app.admin_token),
        "don-vi-hanh-chinh",
        "../../etc/vn-wards 2025.csv",
        csv.clone(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let resource = &body["result"];
    assert_eq!(resource["size"], csv.len());
    assert_eq!(resource["hash"], hex::encode(Sha256::digest(&csv)));
    assert_eq!(resource["mimetype"], "text/csv");
    assert_eq!(resource["format"], "CSV");
    assert_eq!(resource["url_type"], "upload");
    let url = resource["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&app.address), "{url}");
    assert!(
        url.ends_with("/download/vn-wards%202025.csv"),
        "path parts dropped, name kept: {url}"
    );
    assert!(!app.data_dir.join("etc").exists());
    let found = app
        .get("package_search", None, &[("q", "don-vi-hanh-chinh")])
        .await
        .ok();
    let links: Vec<&str> = found["results"][0]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["url"].as_str())
        .collect();
    assert!(
        links.contains(&url.as_str()),
        "search results carry the same download link as the upload: {links:?}"
    );

    let response = app.client.get(&url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(disposition.contains("vn-wards 2025.csv"), "{disposition}");
    assert_eq!(response.bytes().await.unwrap().as_ref(), csv.as_slice());

    let partial = app
        .client
        .get(&url)
        .header("Range", "bytes=0-15")
        .send()
        .await
        .unwrap();
    assert_eq!(partial.status().as_u16(), 206);
    assert_eq!(partial.bytes().await.unwrap().as_ref(), &csv[..16]);

    // The type is sniffed from the content, not trusted from the name.
    let png =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    let (status, body) = upload(
        &app,
        Some(&app.admin_token),
        "don-vi-hanh-chinh",
        "bang-so-lieu.csv",
        png,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["mimetype"], "image/png");

    // Replacing the file of a resource keeps the resource and its id.
    let id = resource["id"].as_str().unwrap().to_owned();
    let form = Form::new().text("id", id.clone()).part(
        "upload",
        Part::bytes(b"ma,ten\n1,Phuong 1\n".to_vec()).file_name("ban-moi.csv"),
    );
    let response = app
        .client
        .post(format!("{}/api/3/action/resource_patch", app.address))
        .header("Authorization", app.admin_token.clone())
        .multipart(form)
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["result"]["id"], id.as_str());
    assert_eq!(body["result"]["size"], 18);
    assert_eq!(body["result"]["name"], "Danh sách xã, phường");
    let shown = app
        .get("package_show", None, &[("id", "don-vi-hanh-chinh")])
        .await
        .ok();
    assert_eq!(shown["num_resources"], 3);
}

async fn oversize_and_anonymous_uploads_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("so-noi-vu").await;
    app.admin("package_create", dataset("tep-lon", "so-noi-vu"))
        .await
        .ok();
    // The test profile allows 4 MiB.
    let (status, body) = upload(
        &app,
        Some(&app.admin_token),
        "tep-lon",
        "lon.bin",
        vec![7u8; 5 * 1024 * 1024],
    )
    .await;
    assert_eq!(status, 413, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("MiB"));
    let (status, _) = upload(&app, None, "tep-lon", "an-danh.csv", b"a,b\n".to_vec()).await;
    assert_eq!(status, 403);
    let editor = app.create_user("nguoi-la", false).await;
    let (status, _) = upload(
        &app,
        Some(&editor),
        "tep-lon",
        "nguoi-la.csv",
        b"a,b\n".to_vec(),
    )
    .await;
    assert_eq!(status, 403);
    let shown = app
        .get("package_show", None, &[("id", "tep-lon")])
        .await
        .ok();
    assert_eq!(
        shown["num_resources"], 1,
        "nothing stored for refused uploads"
    );
    let leftovers = std::fs::read_dir(app.data_dir.join("files/tmp"))
        .unwrap()
        .count();
    assert_eq!(leftovers, 0, "temporary files are removed");
    let error = app
        .admin(
            "resource_create",
            json!({"package_id": "tep-lon", "name": "trống"}),
        )
        .await
        .err(409);
    assert!(error.get("url").is_some());
}

async fn private_files_need_rights(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organization("thanh-tra-tinh").await;
    let mut private = dataset("ho-so-thanh-tra", "thanh-tra-tinh");
    private["private"] = json!(true);
    app.admin("package_create", private).await.ok();
    let (status, body) = upload(
        &app,
        Some(&app.admin_token),
        "ho-so-thanh-tra",
        "ket-luan.pdf",
        b"%PDF-1.4\n%%EOF\n".to_vec(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["result"]["mimetype"], "application/pdf");
    let url = body["result"]["url"].as_str().unwrap().to_owned();
    let anonymous = app.client.get(&url).send().await.unwrap();
    assert_eq!(anonymous.status().as_u16(), 404);
    let allowed = app
        .client
        .get(&url)
        .header("Authorization", app.admin_token.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(allowed.status().as_u16(), 200);
    let id = body["result"]["id"].as_str().unwrap();
    app.get("resource_show", None, &[("id", id)]).await.err(404);
}
