//! The data office's pages over HTTP (issue 12): it issues a version with its signed PDF
//! through a multipart form (a file that is not a PDF refused next to its field; a later
//! version withdrawing an entry, the earlier one unchanged), edits a submitted entry of any
//! department, reads the stored privacy confirmations; sysadmins grant and revoke its role from
//! the accounts page.

use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

use crate::both_backends;
use crate::catalogue_common::{day, decision_pdf, province};
use crate::helpers::{dataset, Backend, TestApp};
use crate::pages_catalogue::{shown, submitted};
use crate::staff_client::{csrf, get, logged_in, post, read, Page};

both_backends!(
    the_office_issues_a_version_with_its_pdf_through_the_form,
    sysadmins_grant_and_revoke_the_office_role_from_the_accounts_page,
    the_office_reads_the_stored_privacy_confirmations,
    the_office_edits_a_submitted_entry_of_any_department,
);

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
