//! The catalogue's staff pages over HTTP (issue 12), the department's side: it proposes, edits,
//! submits, deletes a draft, links and unlinks its datasets and talks with the data office
//! through the forms, the office reviewing (a reason required to reject, shown next to the
//! field in Vietnamese); every POST wants its CSRF token and changes nothing without it; a
//! department never reviews its own entry, even on the page; another department's editor is
//! refused. The office's own pages are tested in `pages_catalogue_office`.

use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

use crate::both_backends;
use crate::catalogue_common::{day, decision_pdf, entry, issue, province, Province};
use crate::helpers::{dataset, Backend};
use crate::staff_client::{csrf, get, logged_in, post, read};

both_backends!(
    a_department_proposes_and_the_office_reviews_through_the_pages,
    every_post_wants_its_csrf_token_and_changes_nothing_without_it,
    a_department_cannot_review_its_own_entry_even_on_the_page,
    another_departments_editor_is_refused,
    a_department_deletes_a_draft_and_links_and_unlinks_its_dataset,
    a_department_and_the_office_talk_in_comments,
);

/// `catalogue_entry_show` as the data office sees it.
pub(crate) async fn shown(p: &Province, id: &str) -> Value {
    p.app
        .get("catalogue_entry_show", Some(&p.office), &[("id", id)])
        .await
        .ok()
}

/// The id of an entry from its page's address.
pub(crate) fn id_of(location: &str) -> String {
    location
        .trim_start_matches("/catalogue/entry/")
        .split('/')
        .next()
        .unwrap()
        .to_owned()
}

/// An entry proposed through the API and submitted: its id.
pub(crate) async fn submitted(p: &Province, token: &str, org: &str, title: &str) -> String {
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
    let office_page = get(&office, app, &moved.location).await;
    assert!(office_page.body.contains("Đã ghi quyết định duyệt"));
    assert!(
        office_page.body.contains(r#"class="cs-list cs-sent-back""#),
        "{}",
        office_page.body
    );
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
