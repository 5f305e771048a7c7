//! The catalogue's staff pages over HTTP (issue 12): a department proposes, edits and submits
//! through the forms, the data office reviews (a reason required to reject, shown next to the
//! field in Vietnamese), merges and issues a version with its signed PDF through a multipart
//! form; every POST wants its CSRF token and changes nothing without it; a department never
//! reviews its own entry, even on the page; another department's editor is refused; sysadmins
//! grant and revoke the data office's role from the accounts page; the data office reads the
//! stored privacy confirmations.

use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

use crate::both_backends;
use crate::catalogue_common::{day, decision_pdf, entry, issue, province, Province};
use crate::helpers::{dataset, Backend, TestApp};
use crate::staff_client::{csrf, get, logged_in, post, read, Page};

both_backends!(
    a_department_proposes_and_the_office_reviews_through_the_pages,
    every_post_wants_its_csrf_token_and_changes_nothing_without_it,
    a_department_cannot_review_its_own_entry_even_on_the_page,
    another_departments_editor_is_refused,
    the_office_issues_a_version_with_its_pdf_through_the_form,
    sysadmins_grant_and_revoke_the_office_role_from_the_accounts_page,
    the_office_reads_the_stored_privacy_confirmations,
    a_department_deletes_a_draft_and_links_and_unlinks_its_dataset,
    a_department_and_the_office_talk_in_comments,
    the_office_edits_a_submitted_entry_of_any_department,
);

/// `catalogue_entry_show` as the data office sees it.
async fn shown(p: &Province, id: &str) -> Value {
    p.app
        .get("catalogue_entry_show", Some(&p.office), &[("id", id)])
        .await
        .ok()
}

/// The id of an entry from its page's address.
fn id_of(location: &str) -> String {
    location
        .trim_start_matches("/catalogue/entry/")
        .split('/')
        .next()
        .unwrap()
        .to_owned()
}

/// An entry proposed through the API and submitted: its id.
async fn submitted(p: &Province, token: &str, org: &str, title: &str) -> String {
    let made = p
        .app
        .post(
            "catalogue_entry_create",
            Some(token),
            entry(org, title, "Mô tả", 30),
        )
        .await
        .ok();
    let id = made["id"].as_str().unwrap().to_owned();
    p.app
        .post("catalogue_entry_submit", Some(token), json!({"id": id}))
        .await
        .ok();
    id
}

async fn a_department_proposes_and_the_office_reviews_through_the_pages(backend: Backend) {
    let p = province(backend).await;
    let app = &p.app;
    let lan = logged_in(app, "bs-lan").await;
    let form = get(&lan, app, "/catalogue/entry/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains(r#"name="theme_y-te""#));
    let token = csrf(&form);

    // A missing title and a wrong date: said next to their fields, what was typed kept.
    let wrong = [
        ("_csrf_token", token.as_str()),
        ("description", "Mô tả được giữ lại"),
        ("owner_org", "so-y-te"),
        ("frequency", "quarterly"),
        ("planned_publication", "30/02/2026"),
    ];
    let refused = post(&lan, app, "/catalogue/entry/new", &wrong).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused.body.contains(r#"id="f-title-error""#),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("Thiếu giá trị"));
    assert!(refused.body.contains(r#"id="f-planned_publication-error""#));
    assert!(refused.body.contains("Mô tả được giữ lại"));
    let none = app
        .post("catalogue_entry_list", Some(&p.health), json!({}))
        .await
        .ok();
    assert_eq!(none["count"], 0);

    let planned = day(30);
    let good = [
        ("_csrf_token", token.as_str()),
        ("title", "Danh sách cơ sở khám chữa bệnh"),
        ("description", "Bệnh viện, trạm y tế và phòng khám"),
        ("owner_org", "so-y-te"),
        ("theme_y-te", "on"),
        ("formats", "csv, xlsx"),
        ("access_download", "on"),
        ("access_api", "on"),
        ("frequency", "quarterly"),
        ("planned_publication", planned.as_str()),
        ("legal_basis", "Quyết định 142/QĐ-TTg"),
        ("priority", "4"),
    ];
    let made = post(&lan, app, "/catalogue/entry/new", &good).await;
    assert_eq!(made.status, 303, "{}", made.body);
    let id = id_of(&made.location);
    let stored = shown(&p, &id).await;
    assert_eq!(stored["status"], "draft");
    assert_eq!(stored["formats"], json!(["CSV", "XLSX"]));
    assert_eq!(stored["access_methods"], json!(["download", "api"]));
    assert_eq!(stored["themes"], json!(["y-te"]));
    assert_eq!(stored["priority"], 4);

    // The department's list and the entry's page, then the edit form and the submission.
    let mine = get(&lan, app, "/catalogue/mine").await;
    assert!(mine.body.contains(&format!("/catalogue/entry/{id}/manage")));
    let page = get(&lan, app, &made.location).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(&format!("/catalogue/entry/{id}/submit")));
    assert!(!page.body.contains("/review\""), "{}", page.body);
    let mut edited = good.to_vec();
    edited[1] = ("title", "Danh sách cơ sở khám bệnh, chữa bệnh");
    let saved = post(&lan, app, &format!("/catalogue/entry/{id}/edit"), &edited).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        shown(&p, &id).await["title"],
        "Danh sách cơ sở khám bệnh, chữa bệnh"
    );
    let sent = [("_csrf_token", token.as_str()), ("comment", "Xin duyệt")];
    let moved = post(&lan, app, &format!("/catalogue/entry/{id}/submit"), &sent).await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    assert_eq!(shown(&p, &id).await["status"], "submitted");

    // The data office: the queue, then a rejection without a reason is refused on the page.
    let office = logged_in(app, "vp-du-lieu").await;
    let queue = get(&office, app, "/catalogue/office").await;
    assert_eq!(queue.status, 200, "{}", queue.body);
    assert!(queue.body.contains("Danh sách cơ sở khám bệnh, chữa bệnh"));
    let office_token = csrf(&queue);
    let review = format!("/catalogue/entry/{id}/review");
    let no_reason = [
        ("_csrf_token", office_token.as_str()),
        ("decision", "reject"),
        ("comment", ""),
    ];
    let refused = post(&office, app, &review, &no_reason).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused.body.contains(r#"id="review-comment-error""#),
        "{}",
        refused.body
    );
    assert!(refused
        .body
        .contains("Cần ghi lý do khi từ chối hoặc yêu cầu sửa"));
    assert!(refused
        .body
        .contains(r#"value="reject" id="decision-reject" checked"#));
    assert_eq!(shown(&p, &id).await["status"], "submitted");

    // Sent back with a reason; the department resubmits; the office approves.
    let back = [
        ("_csrf_token", office_token.as_str()),
        ("decision", "request_changes"),
        ("comment", "Bổ sung định dạng JSON"),
    ];
    let moved = post(&office, app, &review, &back).await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    assert_eq!(moved.location, "/catalogue/office?done=reviewed");
    let page = get(&lan, app, &format!("/catalogue/entry/{id}/manage")).await;
    assert!(page.body.contains("Bổ sung định dạng JSON"));
    assert!(page.body.contains("Được yêu cầu sửa"));
    post(&lan, app, &format!("/catalogue/entry/{id}/submit"), &sent).await;
    let approve = [
        ("_csrf_token", office_token.as_str()),
        ("decision", "approve"),
        ("comment", ""),
    ];
    assert_eq!(post(&office, app, &review, &approve).await.status, 303);
    let stored = shown(&p, &id).await;
    assert_eq!(stored["status"], "approved");
    let who: Vec<&str> = stored["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["user"].as_str().unwrap())
        .collect();
    assert_eq!(who, ["bs-lan", "vp-du-lieu", "bs-lan", "vp-du-lieu"]);
}

async fn every_post_wants_its_csrf_token_and_changes_nothing_without_it(backend: Backend) {
    let p = province(backend).await;
    let app = &p.app;
    let draft = app
        .post(
            "catalogue_entry_create",
            Some(&p.health),
            entry("so-y-te", "Bảng giá dịch vụ y tế", "Giá", 30),
        )
        .await
        .ok()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = submitted(&p, &p.labour, "so-lao-dong", "Danh sách việc làm").await;
    let admin = logged_in(app, "admin").await;
    get(&admin, app, "/catalogue/office").await;
    let entry_path = |tail: &str| format!("/catalogue/entry/{draft}/{tail}");
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/catalogue/entry/new".into(),
            vec![("title", "Mới"), ("owner_org", "so-y-te")],
        ),
        (entry_path("edit"), vec![("title", "Đổi tên")]),
        (entry_path("submit"), vec![]),
        (entry_path("comment"), vec![("comment", "Nhận xét")]),
        (entry_path("delete"), vec![]),
        (entry_path("link"), vec![("package_id", "x")]),
        (entry_path("unlink"), vec![("package_id", "x")]),
        (
            format!("/catalogue/entry/{other}/review"),
            vec![("decision", "approve")],
        ),
        (
            format!("/catalogue/entry/{other}/merge"),
            vec![("into", draft.as_str())],
        ),
        (
            "/user/cv-minh/role".into(),
            vec![("change", "grant"), ("role", "reviewer")],
        ),
    ];
    for (path, form) in &posts {
        for token in [None, Some("cu-hoac-sai")] {
            let mut sent = form.clone();
            if let Some(token) = token {
                sent.push(("_csrf_token", token));
            }
            let refused = post(&admin, app, path, &sent).await;
            assert_eq!(refused.status, 403, "{path}: {}", refused.body);
            assert!(refused.body.contains("csrf_failed"), "{path}");
        }
    }
    // The version form is multipart: its file is read, then dropped.
    let form = Form::new()
        .text("decision_number", "1/QĐ-UBND")
        .text("decision_date", day(0))
        .text("signer", "Chủ tịch")
        .part("upload", Part::bytes(decision_pdf()).file_name("qd.pdf"));
    let refused = read(
        admin
            .post(format!("{}/catalogue/office/version/new", app.address))
            .header("Origin", &app.address)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(refused.status, 403, "{}", refused.body);

    // Nothing changed.
    let kept = shown(&p, &draft).await;
    assert_eq!(kept["status"], "draft");
    assert_eq!(kept["title"], "Bảng giá dịch vụ y tế");
    assert_eq!(kept["comments"], json!([]));
    assert_eq!(shown(&p, &other).await["status"], "submitted");
    let all = app
        .post("catalogue_entry_list", Some(&p.office), json!({}))
        .await
        .ok();
    assert_eq!(all["count"], 2);
    let versions = app.get("catalogue_version_list", None, &[]).await.ok();
    assert_eq!(versions, json!([]));
    let users = app.admin("user_list", json!({})).await.ok();
    let minh = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "cv-minh")
        .unwrap();
    assert_eq!(minh["site_roles"], json!([]));
}

async fn a_department_cannot_review_its_own_entry_even_on_the_page(backend: Backend) {
    let p = province(backend).await;
    let app = &p.app;
    // The data office's person is also an editor of Sở Y tế.
    app.member("so-y-te", "vp-du-lieu", "editor").await;
    let own = submitted(&p, &p.health, "so-y-te", "Danh sách nhà thuốc").await;
    let others = submitted(&p, &p.labour, "so-lao-dong", "Danh sách việc làm").await;
    let office = logged_in(app, "vp-du-lieu").await;
    let page = get(&office, app, &format!("/catalogue/entry/{own}/manage")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page
        .body
        .contains(&format!("/catalogue/entry/{own}/review")));
    let theirs = get(&office, app, &format!("/catalogue/entry/{others}/manage")).await;
    assert!(theirs
        .body
        .contains(&format!("/catalogue/entry/{others}/review")));
    let token = csrf(&page);
    let approve = [("_csrf_token", token.as_str()), ("decision", "approve")];
    let refused = post(
        &office,
        app,
        &format!("/catalogue/entry/{own}/review"),
        &approve,
    )
    .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        refused.body.contains("catalogue_own_review"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("Đơn vị không được tự duyệt"));
    assert_eq!(shown(&p, &own).await["status"], "submitted");
    // Nor can the department merge its own entry away.
    let merge = [("_csrf_token", token.as_str()), ("into", others.as_str())];
    let refused = post(
        &office,
        app,
        &format!("/catalogue/entry/{own}/merge"),
        &merge,
    )
    .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(shown(&p, &own).await["status"], "submitted");
}

async fn another_departments_editor_is_refused(backend: Backend) {
    let p = province(backend).await;
    let app = &p.app;
    let draft = app
        .post(
            "catalogue_entry_create",
            Some(&p.health),
            entry("so-y-te", "Danh sách nhà thuốc", "Nhà thuốc", 30),
        )
        .await
        .ok()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let issued = submitted(&p, &p.health, "so-y-te", "Danh sách bệnh viện").await;
    app.post(
        "catalogue_entry_review",
        Some(&p.office),
        json!({"id": issued, "decision": "approve"}),
    )
    .await
    .ok();
    issue(app, &p.office, "1/QĐ-UBND", &[], decision_pdf(), "qd.pdf")
        .await
        .ok();
    app.admin("package_create", dataset("viec-lam", "so-lao-dong"))
        .await
        .ok();

    let minh = logged_in(app, "cv-minh").await;
    let mine = get(&minh, app, "/catalogue/mine").await;
    let token = csrf(&mine);
    // A draft of another department is not even said to exist.
    let hidden = get(&minh, app, &format!("/catalogue/entry/{draft}/manage")).await;
    assert_eq!(hidden.status, 404, "{}", hidden.body);
    let submit = [("_csrf_token", token.as_str())];
    let refused = post(
        &minh,
        app,
        &format!("/catalogue/entry/{draft}/submit"),
        &submit,
    )
    .await;
    assert_eq!(refused.status, 404, "{}", refused.body);
    // An issued entry is public, yet its staff page and its moves are the department's.
    let page = get(&minh, app, &format!("/catalogue/entry/{issued}/manage")).await;
    assert_eq!(page.status, 403, "{}", page.body);
    let edit = get(&minh, app, &format!("/catalogue/entry/{issued}/edit")).await;
    assert_eq!(edit.status, 403, "{}", edit.body);
    let link = [("_csrf_token", token.as_str()), ("package_id", "viec-lam")];
    let refused = post(
        &minh,
        app,
        &format!("/catalogue/entry/{issued}/link"),
        &link,
    )
    .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let comment = [("_csrf_token", token.as_str()), ("comment", "Của tôi?")];
    let refused = post(
        &minh,
        app,
        &format!("/catalogue/entry/{issued}/comment"),
        &comment,
    )
    .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    // Nor is the data office's page theirs.
    assert_eq!(get(&minh, app, "/catalogue/office").await.status, 403);
    let stored = shown(&p, &issued).await;
    assert_eq!(stored["status"], "issued");
    assert_eq!(stored["datasets"], json!([]));
    assert_eq!(stored["comments"], json!([]));
    assert_eq!(shown(&p, &draft).await["status"], "draft");
}

/// Posts the version form as a browser does (multipart, from the portal's page).
async fn post_version(
    client: &reqwest::Client,
    app: &TestApp,
    token: &str,
    file: (Vec<u8>, &str),
) -> Page {
    post_version_with(client, app, token, file, "15/QĐ-UBND", &[]).await
}

/// [`post_version`] with a decision number and entries to withdraw.
async fn post_version_with(
    client: &reqwest::Client,
    app: &TestApp,
    token: &str,
    file: (Vec<u8>, &str),
    number: &str,
    withdraw: &[&str],
) -> Page {
    let mut form = Form::new();
    for id in withdraw {
        form = form.text(format!("withdraw_{id}"), "on");
    }
    let form = form
        .text("_csrf_token", token.to_owned())
        .text("decision_number", number.to_owned())
        .text("decision_date", day(0))
        .text("signer", "Chủ tịch UBND tỉnh")
        .part("upload", Part::bytes(file.0).file_name(file.1.to_owned()));
    read(
        client
            .post(format!("{}/catalogue/office/version/new", app.address))
            .header("Origin", &app.address)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn the_office_issues_a_version_with_its_pdf_through_the_form(backend: Backend) {
    let p = province(backend).await;
    let app = &p.app;
    let id = submitted(&p, &p.health, "so-y-te", "Danh sách bệnh viện").await;
    app.post(
        "catalogue_entry_review",
        Some(&p.office),
        json!({"id": id, "decision": "approve"}),
    )
    .await
    .ok();
    let office = logged_in(app, "vp-du-lieu").await;
    let form = get(&office, app, "/catalogue/office/version/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("Danh sách bệnh viện"));
    let token = csrf(&form);
    // Not a PDF: refused next to the file field, nothing issued.
    let text = (b"ma,ten\n1,a\n".to_vec(), "quyet-dinh.txt");
    let refused = post_version(&office, app, &token, text).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused.body.contains(r#"id="f-upload-error""#),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("15/QĐ-UBND"));
    assert_eq!(
        app.get("catalogue_version_list", None, &[]).await.ok(),
        json!([])
    );
    let pdf = decision_pdf();
    let issued = post_version(&office, app, &token, (pdf.clone(), "quyet-dinh.pdf")).await;
    assert_eq!(issued.status, 303, "{}", issued.body);
    assert_eq!(issued.location, "/catalogue/office?done=issued&version=1");
    let done = get(&office, app, &issued.location).await;
    assert!(
        done.body.contains("Đã ban hành phiên bản 1"),
        "{}",
        done.body
    );
    let version = app
        .get("catalogue_version_show", None, &[("version", "1")])
        .await
        .ok();
    assert_eq!(version["decision_number"], "15/QĐ-UBND");
    assert_eq!(version["signer"], "Chủ tịch UBND tỉnh");
    let bytes = app
        .client
        .get(version["decision"]["url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(bytes.to_vec(), pdf);
    assert_eq!(shown(&p, &id).await["status"], "issued");

    // Version 2 adds a new entry and withdraws the first; version 1 stays as it was.
    let second = submitted(&p, &p.labour, "so-lao-dong", "Danh sách việc làm").await;
    app.post(
        "catalogue_entry_review",
        Some(&p.office),
        json!({"id": second, "decision": "approve"}),
    )
    .await
    .ok();
    let form = get(&office, app, "/catalogue/office/version/new").await;
    assert!(
        form.body.contains(&format!(r#"name="withdraw_{id}""#)),
        "{}",
        form.body
    );
    let issued = post_version_with(
        &office,
        app,
        &token,
        (pdf.clone(), "quyet-dinh-2.pdf"),
        "40/QĐ-UBND",
        &[id.as_str()],
    )
    .await;
    assert_eq!(issued.location, "/catalogue/office?done=issued&version=2");
    let v2 = app
        .get("catalogue_version_show", None, &[("version", "2")])
        .await
        .ok();
    let titles = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|e| e["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(titles(&v2["withdrawn"]), ["Danh sách bệnh viện"]);
    assert_eq!(titles(&v2["added"]), ["Danh sách việc làm"]);
    assert_eq!(shown(&p, &id).await["status"], "withdrawn");
    let v1 = app
        .get("catalogue_version_show", None, &[("version", "1")])
        .await
        .ok();
    assert_eq!(titles(&v1["entries"]), ["Danh sách bệnh viện"]);
}

async fn sysadmins_grant_and_revoke_the_office_role_from_the_accounts_page(backend: Backend) {
    let p = province(backend).await;
    let app = &p.app;
    let admin = logged_in(app, "admin").await;
    let list = get(&admin, app, "/user").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains(r#"action="/user/cv-minh/role""#));
    let token = csrf(&list);
    let minh = logged_in(app, "cv-minh").await;
    assert_eq!(get(&minh, app, "/catalogue/office").await.status, 403);

    let grant = [
        ("_csrf_token", token.as_str()),
        ("change", "grant"),
        ("role", "reviewer"),
    ];
    let granted = post(&admin, app, "/user/cv-minh/role", &grant).await;
    assert_eq!(granted.status, 303, "{}", granted.body);
    let list = get(&admin, app, &granted.location).await;
    assert!(list.body.contains("Đã cấp vai trò Văn phòng dữ liệu"));
    // The role is read at login: a new session of Minh's reaches the office's page.
    let minh = logged_in(app, "cv-minh").await;
    assert_eq!(get(&minh, app, "/catalogue/office").await.status, 200);

    let revoke = [
        ("_csrf_token", token.as_str()),
        ("change", "revoke"),
        ("role", "reviewer"),
    ];
    assert_eq!(
        post(&admin, app, "/user/cv-minh/role", &revoke)
            .await
            .status,
        303
    );
    let minh = logged_in(app, "cv-minh").await;
    assert_eq!(get(&minh, app, "/catalogue/office").await.status, 403);
    // A department editor may not grant roles.
    let lan = logged_in(app, "bs-lan").await;
    let page = get(&lan, app, "/catalogue/mine").await;
    let own = [
        ("_csrf_token", csrf(&page)),
        ("change", "grant".to_owned()),
        ("role", "reviewer".to_owned()),
    ];
    let own: Vec<(&str, &str)> = own.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(post(&lan, app, "/user/bs-lan/role", &own).await.status, 403);
    let users = app.admin("user_list", json!({})).await.ok();
    let roles: Vec<(&str, &Value)> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["name"].as_str().unwrap(), &u["site_roles"]))
        .collect();
    assert!(
        roles.contains(&("vp-du-lieu", &json!(["reviewer"]))),
        "{roles:?}"
    );
    assert!(roles.contains(&("bs-lan", &json!([]))), "{roles:?}");
    assert!(roles.contains(&("cv-minh", &json!([]))), "{roles:?}");
}

async fn the_office_reads_the_stored_privacy_confirmations(backend: Backend) {
    let p = province(backend).await;
    let app = &p.app;
    app.admin("package_create", dataset("benh-vien", "so-y-te"))
        .await
        .ok();
    let answers = dataportal::catalog::privacy::checklist::all_confirmed(
        "Danh sách công khai theo Luật Khám bệnh, chữa bệnh",
    );
    app.post(
        "package_privacy_review",
        Some(&p.health),
        json!({"id": "benh-vien", "answers": answers}),
    )
    .await
    .ok();
    let listed = app
        .post("privacy_review_list", Some(&p.office), json!({}))
        .await
        .ok();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["reviewer"], "bs-lan");
    assert_eq!(listed[0]["dataset_name"], "benh-vien");
    // Editors are not the data office.
    app.post("privacy_review_list", Some(&p.health), json!({}))
        .await
        .err(403);
    let office = logged_in(app, "vp-du-lieu").await;
    let page = get(&office, app, "/catalogue/office/privacy").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("/dataset/benh-vien"));
    assert!(page.body.contains("bs-lan"));
    assert!(page
        .body
        .contains("Danh sách công khai theo Luật Khám bệnh, chữa bệnh"));
    let lan = logged_in(app, "bs-lan").await;
    assert_eq!(
        get(&lan, app, "/catalogue/office/privacy").await.status,
        403
    );
}

async fn a_department_deletes_a_draft_and_links_and_unlinks_its_dataset(backend: Backend) {
    let p = province(backend).await;
    let app = &p.app;
    let draft = app
        .post(
            "catalogue_entry_create",
            Some(&p.health),
            entry("so-y-te", "Danh sách nhà thuốc", "Nhà thuốc", 30),
        )
        .await
        .ok()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let lan = logged_in(app, "bs-lan").await;
    let page = get(&lan, app, &format!("/catalogue/entry/{draft}/manage")).await;
    assert!(page
        .body
        .contains(&format!("/catalogue/entry/{draft}/delete")));
    let confirm = get(&lan, app, &format!("/catalogue/entry/{draft}/delete")).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    assert!(confirm.body.contains("Danh sách nhà thuốc"));
    let token = csrf(&confirm);
    let deleted = post(
        &lan,
        app,
        &format!("/catalogue/entry/{draft}/delete"),
        &[("_csrf_token", token.as_str())],
    )
    .await;
    assert_eq!(deleted.status, 303, "{}", deleted.body);
    assert_eq!(deleted.location, "/catalogue/mine?done=deleted");
    app.get("catalogue_entry_show", Some(&p.office), &[("id", &draft)])
        .await
        .err(404);
    let mine = get(&lan, app, &deleted.location).await;
    assert!(mine.body.contains("Đã xóa mục"));
    assert!(!mine.body.contains("Danh sách nhà thuốc"));

    // An issued entry: the department's datasets are offered, linked, then unlinked.
    let issued = submitted(&p, &p.health, "so-y-te", "Danh sách bệnh viện").await;
    app.post(
        "catalogue_entry_review",
        Some(&p.office),
        json!({"id": issued, "decision": "approve"}),
    )
    .await
    .ok();
    issue(app, &p.office, "1/QĐ-UBND", &[], decision_pdf(), "qd.pdf")
        .await
        .ok();
    let mut private = dataset("benh-vien-noi-bo", "so-y-te");
    private["private"] = json!(true);
    app.admin("package_create", private).await.ok();
    app.admin("package_create", dataset("viec-lam", "so-lao-dong"))
        .await
        .ok();
    let id_of_dataset = |shown: Value| shown["id"].as_str().unwrap().to_owned();
    let dataset_id = id_of_dataset(
        app.get(
            "package_show",
            Some(&p.health),
            &[("id", "benh-vien-noi-bo")],
        )
        .await
        .ok(),
    );
    let other_id = id_of_dataset(
        app.get("package_show", None, &[("id", "viec-lam")])
            .await
            .ok(),
    );
    let page = get(&lan, app, &format!("/catalogue/entry/{issued}/manage")).await;
    assert!(
        page.body
            .contains(&format!(r#"<option value="{dataset_id}""#)),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains(&other_id),
        "another department's dataset offered"
    );
    let link = [
        ("_csrf_token", token.as_str()),
        ("package_id", dataset_id.as_str()),
    ];
    let linked = post(&lan, app, &format!("/catalogue/entry/{issued}/link"), &link).await;
    assert_eq!(linked.status, 303, "{}", linked.body);
    let stored = shown(&p, &issued).await;
    assert_eq!(stored["datasets"][0]["name"], "benh-vien-noi-bo");
    // A private dataset fulfils nothing yet: the entry stays issued.
    assert_eq!(stored["status"], "issued");
    let unlinked = post(
        &lan,
        app,
        &format!("/catalogue/entry/{issued}/unlink"),
        &link,
    )
    .await;
    assert_eq!(unlinked.status, 303, "{}", unlinked.body);
    assert_eq!(shown(&p, &issued).await["datasets"], json!([]));
    // Unlinking again: the action's 404, on a page.
    let again = post(
        &lan,
        app,
        &format!("/catalogue/entry/{issued}/unlink"),
        &link,
    )
    .await;
    assert_eq!(again.status, 404, "{}", again.body);
    assert!(again.body.contains("<html"), "{}", again.body);
}

async fn a_department_and_the_office_talk_in_comments(backend: Backend) {
    let p = province(backend).await;
    let app = &p.app;
    let id = submitted(&p, &p.health, "so-y-te", "Danh sách bệnh viện").await;
    let office = logged_in(app, "vp-du-lieu").await;
    // In English on request, Vietnamese by default.
    let english = get(
        &office,
        app,
        &format!("/catalogue/entry/{id}/manage?lang=en"),
    )
    .await;
    assert!(
        english.body.contains("Record the decision"),
        "{}",
        english.body
    );
    assert!(english.body.contains("Submitted, awaiting review"));
    let page = get(
        &office,
        app,
        &format!("/catalogue/entry/{id}/manage?lang=vi"),
    )
    .await;
    assert!(page.body.contains("Gửi quyết định"));
    let token = csrf(&page);
    let path = format!("/catalogue/entry/{id}/comment");
    // An empty comment: said under the comment field, not under the review's reason.
    let empty = post(
        &office,
        app,
        &path,
        &[("_csrf_token", token.as_str()), ("comment", "")],
    )
    .await;
    assert_eq!(empty.status, 409, "{}", empty.body);
    assert!(
        empty.body.contains(r#"id="comment-text-error""#),
        "{}",
        empty.body
    );
    assert!(!empty.body.contains(r#"id="review-comment-error""#));
    let said = [
        ("_csrf_token", token.as_str()),
        ("comment", "Đơn vị có dữ liệu theo xã không?"),
    ];
    let sent = post(&office, app, &path, &said).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let lan = logged_in(app, "bs-lan").await;
    let page = get(&lan, app, &format!("/catalogue/entry/{id}/manage")).await;
    assert!(page.body.contains("Đơn vị có dữ liệu theo xã không?"));
    let token = csrf(&page);
    let answer = [
        ("_csrf_token", token.as_str()),
        ("comment", "Có, theo 96 xã, phường"),
    ];
    assert_eq!(post(&lan, app, &path, &answer).await.status, 303);
    let comments = shown(&p, &id).await["comments"].clone();
    let who: Vec<&str> = comments
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["user"].as_str().unwrap())
        .collect();
    assert_eq!(who, ["vp-du-lieu", "bs-lan"]);
}

async fn the_office_edits_a_submitted_entry_of_any_department(backend: Backend) {
    let p = province(backend).await;
    let app = &p.app;
    let id = submitted(&p, &p.labour, "so-lao-dong", "Danh sach viec lam").await;
    let office = logged_in(app, "vp-du-lieu").await;
    let form = get(&office, app, &format!("/catalogue/entry/{id}/edit")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    // The entry's department is offered (and chosen) though the office is not a member.
    let org_id = shown(&p, &id).await["owner_org"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        form.body
            .contains(&format!(r#"<option value="{org_id}" selected"#)),
        "{}",
        form.body
    );
    let token = csrf(&form);
    let planned = day(45);
    let fixed = [
        ("_csrf_token", token.as_str()),
        ("title", "Danh sách việc làm trống"),
        ("description", "Việc làm trống theo doanh nghiệp"),
        ("owner_org", org_id.as_str()),
        ("theme_lao-dong", "on"),
        ("formats", "CSV"),
        ("access_download", "on"),
        ("frequency", "monthly"),
        ("planned_publication", planned.as_str()),
        ("legal_basis", ""),
        ("priority", "5"),
    ];
    let saved = post(&office, app, &format!("/catalogue/entry/{id}/edit"), &fixed).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let stored = shown(&p, &id).await;
    assert_eq!(stored["title"], "Danh sách việc làm trống");
    assert_eq!(stored["status"], "submitted");
    assert_eq!(stored["frequency"], "monthly");
    // The department may not edit it while the office holds it.
    let minh = logged_in(app, "cv-minh").await;
    let refused = get(&minh, app, &format!("/catalogue/entry/{id}/edit")).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
}
