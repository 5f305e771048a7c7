//! The command-line contract other tooling relies on.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::json;

use crate::both_backends;
use crate::helpers::{fresh_database, spawn_with, test_settings, Backend};

both_backends!(
    user_token_and_import_commands,
    user_lifecycle_commands_act_on_a_running_server,
    demo_is_complete_and_idempotent,
    plain_ckan_dumps_with_custom_fields_in_extras_import,
);

/// Runs the built `dataportal` binary on `dir` and `url`; returns success, stdout, stderr.
pub(crate) fn dataportal(
    dir: &std::path::Path,
    url: &str,
    args: &[&str],
    stdin: Option<&str>,
) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dataportal"))
        .arg("--data-dir")
        .arg(dir)
        .arg("--database-url")
        .arg(url)
        .args(args)
        .env("DATAPORTAL_ENV", "test")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dataportal runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn user_token_and_import_commands(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = fresh_database(backend, dir.path());
    let (ok, _, err) = dataportal(dir.path(), &url, &["migrate"], None);
    assert!(ok, "{err}");
    let (ok, out, err) = dataportal(
        dir.path(),
        &url,
        &[
            "user",
            "create",
            "quan-tri",
            "--email",
            "qt@tayninh.gov.vn",
            "--sysadmin",
        ],
        Some("một mật khẩu dài\n"),
    );
    assert!(ok, "{out}{err}");
    let (ok, _, err) = dataportal(
        dir.path(),
        &url,
        &["user", "create", "ngan", "--email", "x@y.vn"],
        Some("123\n"),
    );
    assert!(!ok, "short password refused");
    assert!(err.contains("password"), "{err}");
    let (ok, out, err) = dataportal(dir.path(), &url, &["token", "create", "quan-tri"], None);
    assert!(ok, "{err}");
    let token = out.lines().last().unwrap().trim().to_owned();
    assert!(token.starts_with("dp_") && token.len() > 40, "{out}");

    let lines = [
        json!({"name": "dan-so-trung-binh", "title": "Dân số trung bình", "organization": {"name": "cuc-thong-ke-tinh", "title": "Cục Thống kê tỉnh Tây Ninh"},
               "tags": [{"name": "dân số"}], "groups": [{"name": "xa-hoi"}, {"name": "nhom-cua-cong-khac"}], "license_id": "cc-by",
               "metadata_created": "2024-03-01T08:00:00.000000", "metadata_modified": "2025-02-01T08:00:00.000000",
               "resources": [{"id": "ngoai-lai", "name": "CSV", "url": "https://ckan.example.vn/dan-so.csv", "url_type": "upload"}]}),
        json!({"name": "Tên Sai", "title": "Tên sai quy cách", "owner_org": "cuc-thong-ke-tinh"}),
        json!({"name": "dan-so-trung-binh", "title": "Dân số trung bình (bản sửa)", "owner_org": "cuc-thong-ke-tinh"}),
    ];
    let file = dir.path().join("ckan.jsonl");
    let text: String =
        lines.iter().map(|l| format!("{l}\n")).collect::<String>() + "{không phải json\n";
    let mut bytes = text.into_bytes();
    // Line 5: a record saved in Windows-1258 ("Giá đất": 0xE1 is á there, not UTF-8).
    bytes.extend_from_slice(b"{\"name\": \"gia-dat\", \"title\": \"Gi\xe1 \xf0\xe2t\", \"owner_org\": \"cuc-thong-ke-tinh\"}\n");
    // Line 6: a change time in the year 9999; line 7: valid, after both.
    bytes.extend_from_slice(
        format!(
            "{}\n{}\n",
            json!({"name": "tuong-lai", "title": "Tương lai", "owner_org": "cuc-thong-ke-tinh",
                   "metadata_modified": "9999-12-31T00:00:00"}),
            json!({"name": "sau-dong-loi", "title": "Sau dòng lỗi", "owner_org": "cuc-thong-ke-tinh"})
        )
        .as_bytes(),
    );
    std::fs::write(&file, bytes).unwrap();
    let (ok, out, err) = dataportal(dir.path(), &url, &["import", file.to_str().unwrap()], None);
    assert!(
        !ok,
        "an import with failed records exits non-zero: {out}{err}"
    );
    assert!(out.contains("created 2"), "{out}");
    assert!(out.contains("updated 1"), "{out}");
    assert!(out.contains("failed 4"), "{out}");
    assert!(
        err.contains("line 2") && err.contains("gợi ý") || err.contains("Suggested"),
        "{err}"
    );
    assert!(err.contains("line 4") && err.contains("JSON"), "{err}");
    assert!(err.contains("line 5") && err.contains("UTF-8"), "{err}");
    assert!(err.contains("line 6") && err.contains("future"), "{err}");

    let settings = test_settings(dir.path(), &url);
    let app = spawn_with(settings, backend, pg, dir).await;
    let shown = app
        .post(
            "package_show",
            Some(&token),
            json!({"id": "dan-so-trung-binh"}),
        )
        .await
        .ok();
    assert_eq!(shown["title"], "Dân số trung bình (bản sửa)");
    assert_eq!(shown["organization"]["title"], "Cục Thống kê tỉnh Tây Ninh");
    let first = app
        .get(
            "package_activity_list",
            None,
            &[("id", "dan-so-trung-binh")],
        )
        .await
        .ok();
    assert_eq!(first.as_array().unwrap().len(), 2);
    assert_eq!(first[1]["data"]["package"]["license_id"], "cc-by-4.0");
    assert_eq!(
        first[1]["data"]["package"]["groups"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(first[1]["data"]["package"]["resources"][0]["url_type"], "");
    assert_eq!(shown["metadata_created"], "2024-03-01T08:00:00.000000");
    // The CLI's token works against the server.
    app.post(
        "organization_create",
        Some(&token),
        json!({"name": "so-moi"}),
    )
    .await
    .ok();
}

async fn user_lifecycle_commands_act_on_a_running_server(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = fresh_database(backend, dir.path());
    let path = dir.path().to_path_buf();
    let run = |args: &[&str], stdin: Option<&str>| dataportal(&path, &url, args, stdin);
    let (ok, _, err) = run(&["migrate"], None);
    assert!(ok, "{err}");
    let (ok, _, err) = run(
        &["user", "create", "ke-toan", "--email", "kt@tayninh.gov.vn"],
        Some("mật khẩu ban đầu\n"),
    );
    assert!(ok, "{err}");
    let (ok, out, err) = run(&["token", "create", "ke-toan"], None);
    assert!(ok, "{err}");
    let token = out.lines().last().unwrap().trim().to_owned();
    let app = spawn_with(test_settings(&path, &url), backend, pg, dir).await;
    let show = || app.admin("user_show", json!({"id": "ke-toan"}));

    let (ok, _, err) = run(&["user", "sysadmin", "ke-toan", "--on"], None);
    assert!(ok, "{err}");
    assert_eq!(show().await.ok()["sysadmin"], true);
    let (ok, _, err) = run(&["user", "sysadmin", "ke-toan", "--off"], None);
    assert!(ok, "{err}");
    assert_eq!(show().await.ok()["sysadmin"], false);

    let (ok, _, err) = run(&["user", "set-password", "ke-toan"], Some("ngắn\n"));
    assert!(!ok && err.contains("password"), "{err}");
    let (ok, _, err) = run(
        &["user", "set-password", "ke-toan"],
        Some("mật khẩu thứ hai\n"),
    );
    assert!(ok, "{err}");
    assert!(!crate::accounts::password_accepted(&app, "ke-toan", "mật khẩu ban đầu").await);
    assert!(crate::accounts::password_accepted(&app, "ke-toan", "mật khẩu thứ hai").await);

    app.post("package_search", Some(&token), json!({}))
        .await
        .ok();
    let (ok, _, err) = run(&["user", "deactivate", "ke-toan"], None);
    assert!(ok, "{err}");
    app.post("package_search", Some(&token), json!({}))
        .await
        .err(403);
    assert_eq!(show().await.ok()["state"], "deleted");
    let (ok, _, _) = run(&["user", "deactivate", "khong-co-ai"], None);
    assert!(!ok, "an unknown user is an error");

    let (ok, _, err) = run(&["user", "activate", "ke-toan"], None);
    assert!(ok, "{err}");
    assert_eq!(show().await.ok()["state"], "active");
    app.post("package_search", Some(&token), json!({}))
        .await
        .err(403);
}

async fn demo_is_complete_and_idempotent(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = fresh_database(backend, dir.path());
    let (ok, out, err) = dataportal(dir.path(), &url, &["demo"], None);
    assert!(ok, "{out}{err}");
    assert!(out.contains("320"), "{out}");
    let (ok, out, err) = dataportal(dir.path(), &url, &["demo"], None);
    assert!(ok, "{err}");
    assert!(
        out.contains(" 0 bộ dữ liệu mới"),
        "second run adds nothing: {out}"
    );

    let app = spawn_with(test_settings(dir.path(), &url), backend, pg, dir).await;
    // `demo` kept the search index in step: the first search after start sees everything.
    let query = [
        ("rows", "0"),
        ("facet.field", "[\"organization\",\"groups\"]"),
        ("facet.limit", "-1"),
    ];
    let all = app.get("package_search", None, &query).await.ok();
    assert_eq!(all["count"], 320);
    assert_eq!(
        all["search_facets"]["organization"]["items"]
            .as_array()
            .unwrap()
            .len(),
        16
    );
    assert_eq!(
        all["search_facets"]["groups"]["items"]
            .as_array()
            .unwrap()
            .len(),
        12
    );
    let wards = app
        .get(
            "package_show",
            None,
            &[(
                "id",
                "danh-sach-don-vi-hanh-chinh-cap-xa-sau-sap-xep-nam-2025",
            )],
        )
        .await
        .ok();
    let upload = wards["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["url_type"] == "upload")
        .expect("wards CSV uploaded")
        .clone();
    let body = app
        .client
        .get(upload["url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        body.as_ref(),
        std::fs::read("demo/vn-wards-2025.csv").unwrap().as_slice()
    );
    assert_eq!(String::from_utf8_lossy(&body).lines().count(), 3322);
}

/// A dump of a CKAN without ckanext-scheming, as the provinces' portals run: our fields arrive
/// as extras, text in NFD, a GeoJSON `spatial`, a custom field, and one extra that disagrees
/// with its top-level field.
async fn plain_ckan_dumps_with_custom_fields_in_extras_import(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = fresh_database(backend, dir.path());
    let record = json!({
        "id": "5d2c6b1e-0000-4000-8000-000000000001", "name": "gia-dat-2025", "type": "dataset",
        "title": "Ba\u{309}ng gia\u{301} đâ\u{301}t 2025", "notes": "", "license_id": "cc-by",
        "organization": {"name": "so-tai-nguyen", "title": "Sở Tài nguyên và Môi trường"},
        "language": "vi", "num_tags": 0, "num_resources": 0, "metadata_modified": "2025-01-02T03:04:05.000000",
        "extras": [
            {"key": "frequency", "value": "annual"},
            {"key": "temporal_start", "value": "2025-01-01"},
            {"key": "temporal_end", "value": "2029-12-31"},
            {"key": "contact_email", "value": "stnmt@tayninh.gov.vn"},
            {"key": "title_en", "value": "Land prices 2025"},
            {"key": "language", "value": "en"},
            {"key": "spatial", "value": "{\"type\": \"Point\", \"coordinates\": [106.1, 11.3]}"},
            {"key": "don_vi_cung_cap", "value": "Phòng Kinh tế"},
        ],
    });
    let file = dir.path().join("ckan-dump.jsonl");
    std::fs::write(&file, format!("{record}\n")).unwrap();
    let (ok, out, err) = dataportal(dir.path(), &url, &["import", file.to_str().unwrap()], None);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("created 1") && out.contains("failed 0"),
        "{out}"
    );
    assert!(
        err.contains("line 1") && err.contains("language"),
        "a warning for the conflict: {err}"
    );

    let app = spawn_with(test_settings(dir.path(), &url), backend, pg, dir).await;
    let shown = app
        .get("package_show", None, &[("id", "gia-dat-2025")])
        .await
        .ok();
    assert_eq!(shown["title"], "Bảng giá đất 2025", "stored in NFC");
    assert_eq!(shown["frequency"], "annual");
    assert_eq!(shown["temporal_start"], "2025-01-01");
    assert_eq!(shown["contact_email"], "stnmt@tayninh.gov.vn");
    assert_eq!(shown["title_en"], "Land prices 2025");
    assert_eq!(shown["language"], "vi", "the top-level value wins");
    let extras: Vec<&str> = shown["extras"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        extras,
        ["spatial", "don_vi_cung_cap"],
        "{}",
        shown["extras"]
    );
    let found = app
        .get(
            "package_search",
            None,
            &[("q", "bang gia dat"), ("fq", "frequency:annual")],
        )
        .await
        .ok();
    assert_eq!(found["count"], 1);
}
