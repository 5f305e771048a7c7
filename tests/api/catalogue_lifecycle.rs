//! The open-data catalogue from proposal to publication, through the API: two departments
//! propose overlapping entries, the data office finds and merges the duplicate, sends one back,
//! approves, issues version 1 with the signed decision; a department publishes a linked dataset;
//! with `as_of` moved forward the overdue figures and reminders appear once; version 2
//! withdraws an entry and leaves version 1 as it was.

use serde_json::json;

use crate::both_backends;
use crate::catalogue_common::{day, decision_pdf, ids, issue, province};
use crate::helpers::{dataset, Backend};

both_backends!(the_catalogue_goes_from_proposal_to_publication);

async fn the_catalogue_goes_from_proposal_to_publication(backend: Backend) {
    let p = province(backend).await;
    let app = &p.app;

    // Two departments propose the same data; Health also proposes hospital beds.
    let clinics = app
        .post(
            "catalogue_entry_create",
            Some(&p.health),
            crate::catalogue_common::entry(
                "so-y-te",
                "Danh sách cơ sở khám bệnh, chữa bệnh",
                "Bệnh viện, trạm y tế xã và phòng khám tư nhân trên địa bàn tỉnh",
                30,
            ),
        )
        .await
        .ok();
    assert_eq!(clinics["status"], "draft");
    assert_eq!(clinics["formats"], json!(["CSV", "XLSX"]));
    let twin = app
        .post(
            "catalogue_entry_create",
            Some(&p.labour),
            crate::catalogue_common::entry(
                "so-lao-dong",
                "Danh sach co so kham chua benh",
                "Các bệnh viện và trạm y tế của tỉnh, cho người lao động",
                45,
            ),
        )
        .await
        .ok();
    let beds = app
        .post(
            "catalogue_entry_create",
            Some(&p.health),
            crate::catalogue_common::entry(
                "so-y-te",
                "Số giường bệnh theo bệnh viện",
                "Giường bệnh kế hoạch và thực kê của từng bệnh viện",
                10,
            ),
        )
        .await
        .ok();
    let (clinics, twin, beds) = (
        clinics["id"].as_str().unwrap().to_owned(),
        twin["id"].as_str().unwrap().to_owned(),
        beds["id"].as_str().unwrap().to_owned(),
    );
    for (id, token) in [
        (&clinics, &p.health),
        (&twin, &p.labour),
        (&beds, &p.health),
    ] {
        let sent = app
            .post("catalogue_entry_submit", Some(token), json!({"id": id}))
            .await
            .ok();
        assert_eq!(sent["status"], "submitted");
    }

    // The data office sees the duplicate across departments, with a score, and merges it.
    let duplicates = app
        .post(
            "catalogue_entry_duplicates",
            Some(&p.office),
            json!({"id": clinics}),
        )
        .await
        .ok();
    assert_eq!(duplicates[0]["id"], twin.as_str(), "{duplicates}");
    assert!(duplicates[0]["score"].as_f64().unwrap() > 0.3);
    assert!(
        !ids(&duplicates).contains(&beds),
        "same department: {duplicates}"
    );
    let kept = app
        .post(
            "catalogue_entry_merge",
            Some(&p.office),
            json!({"id": twin, "into": clinics}),
        )
        .await
        .ok();
    assert_eq!(kept["id"], clinics.as_str());
    let merged = app
        .post("catalogue_entry_show", Some(&p.labour), json!({"id": twin}))
        .await
        .ok();
    assert_eq!(merged["status"], "rejected");
    assert_eq!(merged["merged_into"], clinics.as_str());

    // Sent back with a reason, changed, submitted again, approved.
    let back = app
        .post(
            "catalogue_entry_review",
            Some(&p.office),
            json!({"id": clinics, "decision": "request_changes", "comment": "Ghi rõ cả phòng khám tư nhân"}),
        )
        .await
        .ok();
    assert_eq!(back["status"], "changes_requested");
    app.post(
        "catalogue_entry_patch",
        Some(&p.health),
        json!({"id": clinics, "planned_publication": day(20)}),
    )
    .await
    .ok();
    app.post(
        "catalogue_entry_submit",
        Some(&p.health),
        json!({"id": clinics}),
    )
    .await
    .ok();
    for id in [&clinics, &beds] {
        let approved = app
            .post(
                "catalogue_entry_review",
                Some(&p.office),
                json!({"id": id, "decision": "approve"}),
            )
            .await
            .ok();
        assert_eq!(approved["status"], "approved");
    }
    let history = app
        .post(
            "catalogue_entry_show",
            Some(&p.health),
            json!({"id": clinics}),
        )
        .await
        .ok();
    let moves: Vec<(&str, &str, &str)> = history["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["from"].as_str().unwrap(),
                t["to"].as_str().unwrap(),
                t["user"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        moves,
        [
            ("draft", "submitted", "bs-lan"),
            ("submitted", "changes_requested", "vp-du-lieu"),
            ("changes_requested", "submitted", "bs-lan"),
            ("submitted", "approved", "vp-du-lieu"),
        ]
    );
    assert_eq!(
        history["transitions"][1]["reason"],
        "Ghi rõ cả phòng khám tư nhân"
    );
    assert_eq!(history["comments"][0]["user"], "vp-du-lieu");

    // Version 1, with the signed decision kept byte-for-byte.
    let pdf = decision_pdf();
    let v1 = issue(
        app,
        &p.office,
        "123/QĐ-UBND",
        &[],
        pdf.clone(),
        "QĐ 123 danh mục.pdf",
    )
    .await
    .ok();
    assert_eq!(v1["version"], 1);
    assert_eq!(ids(&v1["added"]), {
        let mut both = vec![clinics.clone(), beds.clone()];
        both.sort();
        both
    });
    assert_eq!(v1["decision"]["size"], pdf.len());
    let download = app
        .client
        .get(v1["decision"]["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert_eq!(download.bytes().await.unwrap().to_vec(), pdf);

    // Health publishes a dataset for the beds entry: private first, then public.
    let mut beds_data = dataset("giuong-benh", "so-y-te");
    beds_data["private"] = json!(true);
    app.post("package_create", Some(&p.health), beds_data)
        .await
        .ok();
    let linked = app
        .post(
            "catalogue_entry_link",
            Some(&p.health),
            json!({"id": beds, "package_id": "giuong-benh"}),
        )
        .await
        .ok();
    assert_eq!(linked["status"], "issued");
    app.post(
        "package_patch",
        Some(&p.health),
        json!({"id": "giuong-benh", "private": false}),
    )
    .await
    .ok();
    let published = app
        .get("catalogue_entry_show", None, &[("id", &beds)])
        .await
        .ok();
    assert_eq!(published["status"], "published");
    assert_eq!(published["datasets"][0]["name"], "giuong-benh");

    // API reads of the linked dataset raise the entry's demand: it leads the data office's
    // ranking once the server has written its counts (every 2 s).
    for _ in 0..3 {
        app.get("package_show", None, &[("id", "giuong-benh")])
            .await
            .ok();
    }
    let mut ranking = json!(null);
    for _ in 0..50 {
        ranking = app
            .post(
                "catalogue_entry_list",
                Some(&p.office),
                json!({"sort": "demand desc"}),
            )
            .await
            .ok();
        if ranking["results"][0]["demand"]["api_reads"] == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(ranking["results"][0]["id"], beds.as_str(), "{ranking}");
    assert_eq!(ranking["results"][0]["demand"]["api_reads"], 3);

    // Today nothing is overdue; sixty days on, the clinics entry is.
    let now = app.get("catalogue_compliance_show", None, &[]).await.ok();
    assert_eq!(now["totals"]["not_published_overdue"], 0);
    assert_eq!(now["totals"]["published_on_time"], 1);
    let later = app
        .get("catalogue_compliance_show", None, &[("as_of", &day(60))])
        .await
        .ok();
    assert_eq!(later["version"], 1);
    assert_eq!(ids(&later["overdue"]), vec![clinics.clone()]);
    assert_eq!(later["overdue"][0]["days_overdue"], 40);
    let health_figures = &later["departments"][0];
    assert_eq!(health_figures["title"], "Sở so-y-te");
    assert_eq!(health_figures["approved"], 2);
    assert_eq!(health_figures["published_on_time"], 1);
    assert_eq!(health_figures["not_published_overdue"], 1);
    assert_eq!(health_figures["share_on_time"], 0.5);
    assert!(later["legal"]["review"]
        .as_str()
        .unwrap()
        .contains("47/2020"));

    // Reminders appear once: a second run adds none.
    let first = app
        .post(
            "catalogue_reminders_run",
            Some(&p.office),
            json!({"as_of": day(60)}),
        )
        .await
        .ok();
    let kinds: Vec<&str> = first["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["publication_overdue"], "{first}");
    let again = app
        .post(
            "catalogue_reminders_run",
            Some(&p.office),
            json!({"as_of": day(61)}),
        )
        .await
        .ok();
    assert_eq!(again["added"], json!([]));
    let notices = app
        .post("catalogue_notice_list", Some(&p.health), json!({}))
        .await
        .ok();
    assert_eq!(notices.as_array().unwrap().len(), 1);
    assert_eq!(notices[0]["subject"], clinics.as_str());
    assert_eq!(notices[0]["emailed_at"], json!(null));
    let labour_notices = app
        .post("catalogue_notice_list", Some(&p.labour), json!({}))
        .await
        .ok();
    assert_eq!(labour_notices, json!([]));
    // Six months on, the data office is reminded to review the catalogue.
    let review = app
        .post(
            "catalogue_reminders_run",
            Some(&p.office),
            json!({"as_of": day(190)}),
        )
        .await
        .ok();
    assert!(
        review["added"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "catalogue_review" && n["audience"] == "data_office"),
        "{review}"
    );

    // Version 2 withdraws the clinics entry; version 1 stays as issued.
    let v2 = issue(
        app,
        &p.office,
        "456/QĐ-UBND",
        &[&clinics],
        decision_pdf(),
        "qd-456.pdf",
    )
    .await
    .ok();
    assert_eq!(v2["version"], 2);
    assert_eq!(ids(&v2["withdrawn"]), vec![clinics.clone()]);
    assert_eq!(ids(&v2["entries"]), vec![beds.clone()]);
    assert_eq!(v2["added"], json!([]));
    let v1_again = app
        .get("catalogue_version_show", None, &[("version", "1")])
        .await
        .ok();
    assert_eq!(ids(&v1_again["entries"]), ids(&v1["entries"]));
    assert_eq!(v1_again["entries"], v1["entries"]);
    let withdrawn = app
        .get("catalogue_entry_show", None, &[("id", &clinics)])
        .await
        .ok();
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["versions"], json!([1]));
    let versions = app.get("catalogue_version_list", None, &[]).await.ok();
    assert_eq!(versions[0]["version"], 2);
    assert_eq!(versions[1]["entry_count"], 2);
}
