//! Who may do what with the catalogue, and what a wrong move gets: a department never reviews
//! its own entries, anonymous visitors see only issued entries, the data office is not a
//! sysadmin, and every wrong transition is a clear 4xx that changes nothing.

use serde_json::{json, Value};

use crate::both_backends;
use crate::catalogue_common::{decision_pdf, entry, ids, issue, province, Province};
use crate::helpers::{dataset, Backend};

both_backends!(
    a_department_never_reviews_its_own_entries,
    anonymous_visitors_see_only_issued_entries,
    the_data_office_is_not_a_sysadmin,
    wrong_moves_are_refused_and_change_nothing,
);

async fn propose(p: &Province, submit: bool) -> String {
    let created = p
        .app
        .post(
            "catalogue_entry_create",
            Some(&p.health),
            entry(
                "so-y-te",
                "Danh sách nhà thuốc",
                "Nhà thuốc được cấp phép",
                30,
            ),
        )
        .await
        .ok();
    let id = created["id"].as_str().unwrap().to_owned();
    if submit {
        p.app
            .post("catalogue_entry_submit", Some(&p.health), json!({"id": id}))
            .await
            .ok();
    }
    id
}

async fn status_of(p: &Province, id: &str) -> Value {
    p.app
        .admin("catalogue_entry_show", json!({"id": id}))
        .await
        .ok()["status"]
        .clone()
}

async fn a_department_never_reviews_its_own_entries(backend: Backend) {
    let p = province(backend).await;
    let id = propose(&p, true).await;
    let approve = json!({"id": id, "decision": "approve"});
    let error = p
        .app
        .post("catalogue_entry_review", Some(&p.health), approve.clone())
        .await
        .err(403);
    assert_eq!(error["code"], "not_authorized");
    // Even a reviewer who belongs to the department may not.
    p.app.member("so-y-te", "vp-du-lieu", "member").await;
    let error = p
        .app
        .post("catalogue_entry_review", Some(&p.office), approve.clone())
        .await
        .err(403);
    assert_eq!(error["code"], "catalogue_own_review");
    assert_eq!(status_of(&p, &id).await, "submitted");
    p.app
        .admin(
            "organization_member_delete",
            json!({"id": "so-y-te", "username": "vp-du-lieu"}),
        )
        .await
        .ok();
    let approved = p
        .app
        .post("catalogue_entry_review", Some(&p.office), approve)
        .await
        .ok();
    assert_eq!(approved["status"], "approved");
}

async fn anonymous_visitors_see_only_issued_entries(backend: Backend) {
    let p = province(backend).await;
    let issued = propose(&p, true).await;
    let draft = propose(&p, false).await;
    p.app
        .post(
            "catalogue_entry_review",
            Some(&p.office),
            json!({"id": issued, "decision": "approve"}),
        )
        .await
        .ok();
    let before = p.app.get("catalogue_entry_list", None, &[]).await.ok();
    assert_eq!(before["count"], 0);
    let hidden = p
        .app
        .get("catalogue_entry_show", None, &[("id", &issued)])
        .await
        .err(404);
    assert_eq!(hidden["code"], "catalogue_entry_not_found");
    // The other department does not see Health's draft either; the data office does.
    p.app
        .post(
            "catalogue_entry_show",
            Some(&p.labour),
            json!({"id": draft}),
        )
        .await
        .err(404);
    let office = p
        .app
        .post("catalogue_entry_list", Some(&p.office), json!({}))
        .await
        .ok();
    assert_eq!(office["count"], 2);

    issue(
        &p.app,
        &p.office,
        "1/QĐ-UBND",
        &[],
        decision_pdf(),
        "qd.pdf",
    )
    .await
    .ok();
    let after = p.app.get("catalogue_entry_list", None, &[]).await.ok();
    assert_eq!(ids(&after["results"]), vec![issued.clone()]);
    assert_eq!(after["results"][0]["status"], "issued");
    let filtered = p
        .app
        .get(
            "catalogue_entry_list",
            None,
            &[
                ("q", "nha thuoc"),
                ("version", "1"),
                ("owner_org", "so-y-te"),
            ],
        )
        .await
        .ok();
    assert_eq!(filtered["count"], 1);
    let department = p
        .app
        .post(
            "catalogue_entry_list",
            Some(&p.health),
            json!({"status": "draft"}),
        )
        .await
        .ok();
    assert_eq!(ids(&department["results"]), vec![draft]);
    let version = p
        .app
        .get("catalogue_version_show", None, &[("version", "1")])
        .await
        .ok();
    assert_eq!(ids(&version["entries"]), vec![issued]);
}

async fn the_data_office_is_not_a_sysadmin(backend: Backend) {
    let p = province(backend).await;
    for (action, body) in [
        ("organization_create", json!({"name": "so-moi"})),
        (
            "user_role_grant",
            json!({"user": "cv-minh", "role": "reviewer"}),
        ),
        (
            "user_create",
            json!({"name": "x", "email": "x@tayninh.gov.vn", "password": "mật-khẩu-đủ-dài"}),
        ),
    ] {
        let error = p.app.post(action, Some(&p.office), body).await.err(403);
        assert_eq!(error["code"], "not_authorized", "{action}");
    }
    // Nor may it write a department's datasets.
    let error = p
        .app
        .post(
            "package_create",
            Some(&p.office),
            dataset("du-lieu-y-te", "so-y-te"),
        )
        .await
        .err(403);
    assert_eq!(error["code"], "not_authorized");
    // And a department editor is not the data office.
    let id = propose(&p, true).await;
    for action in ["catalogue_entry_duplicates", "catalogue_reminders_run"] {
        p.app
            .post(action, Some(&p.labour), json!({"id": id}))
            .await
            .err(403);
    }
    // Revoked, the role is gone at the next request.
    let roles = p
        .app
        .admin(
            "user_role_revoke",
            json!({"user": "vp-du-lieu", "role": "reviewer"}),
        )
        .await
        .ok();
    assert_eq!(roles["roles"], json!([]));
    p.app
        .post(
            "catalogue_entry_review",
            Some(&p.office),
            json!({"id": id, "decision": "approve"}),
        )
        .await
        .err(403);
    let unknown = p
        .app
        .admin(
            "user_role_grant",
            json!({"user": "cv-minh", "role": "sysadmin"}),
        )
        .await
        .err(409);
    assert!(unknown["role"].is_array(), "{unknown}");
}

async fn wrong_moves_are_refused_and_change_nothing(backend: Backend) {
    let p = province(backend).await;
    let draft = propose(&p, false).await;
    let app = &p.app;
    let refused = |reply: crate::helpers::Reply| {
        let error = reply.err(409);
        assert_eq!(error["code"], "catalogue_transition_refused", "{error}");
    };
    // A draft cannot be reviewed, nor linked, nor issued.
    refused(
        app.post(
            "catalogue_entry_review",
            Some(&p.office),
            json!({"id": draft, "decision": "approve"}),
        )
        .await,
    );
    let nothing = issue(app, &p.office, "9/QĐ", &[], decision_pdf(), "qd.pdf")
        .await
        .err(409);
    assert_eq!(nothing["code"], "catalogue_nothing_to_issue");
    assert_eq!(status_of(&p, &draft).await, "draft");

    app.post(
        "catalogue_entry_submit",
        Some(&p.health),
        json!({"id": draft}),
    )
    .await
    .ok();
    // Submitted twice; edited by the department while the data office holds it.
    refused(
        app.post(
            "catalogue_entry_submit",
            Some(&p.health),
            json!({"id": draft}),
        )
        .await,
    );
    refused(
        app.post(
            "catalogue_entry_patch",
            Some(&p.health),
            json!({"id": draft, "title": "Khác"}),
        )
        .await,
    );
    refused(
        app.post(
            "catalogue_entry_delete",
            Some(&p.health),
            json!({"id": draft}),
        )
        .await,
    );
    // A reason is required to reject or send back; an unknown decision is named.
    for decision in ["reject", "request_changes"] {
        let error = app
            .post(
                "catalogue_entry_review",
                Some(&p.office),
                json!({"id": draft, "decision": decision, "comment": " "}),
            )
            .await
            .err(409);
        assert_eq!(error["comment"].as_array().unwrap().len(), 1, "{error}");
    }
    let error = app
        .post(
            "catalogue_entry_review",
            Some(&p.office),
            json!({"id": draft, "decision": "ok"}),
        )
        .await
        .err(409);
    assert!(error["decision"].is_array());
    let error = app
        .post(
            "catalogue_entry_merge",
            Some(&p.office),
            json!({"id": draft, "into": draft}),
        )
        .await
        .err(409);
    assert_eq!(error["code"], "catalogue_merge_itself");
    assert_eq!(status_of(&p, &draft).await, "submitted");

    app.post(
        "catalogue_entry_review",
        Some(&p.office),
        json!({"id": draft, "decision": "approve"}),
    )
    .await
    .ok();
    refused(
        app.post(
            "catalogue_entry_review",
            Some(&p.office),
            json!({"id": draft, "decision": "reject", "comment": "muộn"}),
        )
        .await,
    );
    refused(
        app.post(
            "catalogue_entry_submit",
            Some(&p.health),
            json!({"id": draft}),
        )
        .await,
    );
    // Bad input to the version: no file, not a PDF, no date; nothing issued.
    let form = reqwest::multipart::Form::new().text("decision_number", "1/QĐ");
    let response = app
        .client
        .post(format!(
            "{}/api/3/action/catalogue_version_issue",
            app.address
        ))
        .header("Authorization", &p.office)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    let body: Value = response.json().await.unwrap();
    for field in ["upload", "decision_date", "signer"] {
        assert!(body["error"][field].is_array(), "{field}: {body}");
    }
    let not_pdf = issue(
        app,
        &p.office,
        "1/QĐ",
        &[],
        b"ma,ten\n1,a\n".to_vec(),
        "qd.csv",
    )
    .await
    .err(409);
    assert!(not_pdf["upload"].is_array());
    // Named like a PDF, but not one: the type from the name does not fool the check.
    let renamed = issue(
        app,
        &p.office,
        "1/QĐ",
        &[],
        b"Quyet dinh (ban nhap)\n".to_vec(),
        "qd.pdf",
    )
    .await
    .err(409);
    assert!(renamed["upload"].is_array(), "{renamed}");
    assert_eq!(
        app.get("catalogue_version_list", None, &[]).await.ok(),
        json!([])
    );
    assert_eq!(status_of(&p, &draft).await, "approved");
    // Withdrawing an entry that was never issued is refused, and nothing is issued.
    let draft2 = propose(&p, false).await;
    refused(issue(app, &p.office, "2/QĐ", &[&draft2], decision_pdf(), "qd.pdf").await);
    assert_eq!(status_of(&p, &draft).await, "approved");
    // Linking another department's dataset, or an unknown one.
    app.admin(
        "package_create",
        dataset("lao-dong-viec-lam", "so-lao-dong"),
    )
    .await
    .ok();
    let error = app
        .post(
            "catalogue_entry_link",
            Some(&p.health),
            json!({"id": draft, "package_id": "lao-dong-viec-lam"}),
        )
        .await
        .err(403);
    assert_eq!(error["code"], "not_authorized");
    app.post(
        "catalogue_entry_link",
        Some(&p.health),
        json!({"id": draft, "package_id": "khong-co"}),
    )
    .await
    .err(404);
    app.post(
        "catalogue_entry_unlink",
        Some(&p.health),
        json!({"id": draft, "package_id": "lao-dong-viec-lam"}),
    )
    .await
    .err(404);
    // Bad fields on create are all named at once.
    let error = app
        .post(
            "catalogue_entry_create",
            Some(&p.health),
            json!({"owner_org": "so-y-te", "frequency": "hourly", "planned_publication": "31/12/2026", "access_methods": ["fax"], "priority": 9}),
        )
        .await
        .err(409);
    for field in [
        "title",
        "frequency",
        "planned_publication",
        "access_methods",
        "priority",
    ] {
        assert!(error[field].is_array(), "{field}: {error}");
    }
    // Another department may not propose for Health.
    app.post(
        "catalogue_entry_create",
        Some(&p.labour),
        entry("so-y-te", "X", "", 5),
    )
    .await
    .err(403);
    let list = app
        .post(
            "catalogue_entry_list",
            Some(&p.office),
            json!({"sort": "size"}),
        )
        .await
        .err(409);
    assert!(list["sort"].is_array());
}
