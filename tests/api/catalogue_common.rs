//! What the catalogue tests share: two departments with an editor each, the data office (a
//! user with the site role `reviewer`), entries proposed through the API, and the signed
//! decision uploaded as multipart.

use chrono::{Days, NaiveDate, Utc};
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, Backend, Reply, TestApp};

/// The portal with its people.
pub struct Province {
    pub app: TestApp,
    /// Editor of Sở Y tế.
    pub health: String,
    /// Editor of Sở Lao động.
    pub labour: String,
    /// The data office (reviewer, not sysadmin).
    pub office: String,
}

/// Starts the portal with so-y-te, so-lao-dong, their editors and the data office.
pub async fn province(backend: Backend) -> Province {
    people(spawn_app(backend).await).await
}

/// Gives a running portal so-y-te, so-lao-dong, their editors and the data office.
pub async fn people(app: TestApp) -> Province {
    app.organization("so-y-te").await;
    app.organization("so-lao-dong").await;
    let health = app.create_user("bs-lan", false).await;
    app.member("so-y-te", "bs-lan", "editor").await;
    let labour = app.create_user("cv-minh", false).await;
    app.member("so-lao-dong", "cv-minh", "editor").await;
    let office = app.create_user("vp-du-lieu", false).await;
    let roles = app
        .admin(
            "user_role_grant",
            json!({"user": "vp-du-lieu", "role": "reviewer"}),
        )
        .await
        .ok();
    assert_eq!(roles["roles"], json!(["reviewer"]));
    Province {
        app,
        health,
        labour,
        office,
    }
}

/// Today (UTC) plus `days`, as `YYYY-MM-DD`.
pub fn day(days: u64) -> String {
    in_days(days).to_string()
}

/// Today (UTC) plus `days`.
pub fn in_days(days: u64) -> NaiveDate {
    Utc::now().date_naive() + Days::new(days)
}

/// An entry dict.
pub fn entry(org: &str, title: &str, description: &str, planned_in_days: u64) -> Value {
    json!({
        "title": title,
        "description": description,
        "owner_org": org,
        "themes": ["y-te"],
        "formats": ["csv", "XLSX"],
        "access_methods": ["download", "api"],
        "frequency": "quarterly",
        "planned_publication": day(planned_in_days),
        "legal_basis": "Quyết định 142/QĐ-TTg, Phụ lục II, nhiệm vụ I.1",
        "priority": 4,
    })
}

/// A small PDF with binary bytes (as a scanner's output has).
pub fn decision_pdf() -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    bytes.extend((0u8..=255).cycle().take(3000));
    bytes.extend_from_slice(b"\n%%EOF\n");
    bytes
}

/// `catalogue_version_issue` as multipart, with the decision file.
pub async fn issue(
    app: &TestApp,
    token: &str,
    number: &str,
    withdraw: &[&str],
    file: Vec<u8>,
    file_name: &str,
) -> Reply {
    let form = Form::new()
        .text("decision_number", number.to_owned())
        .text("decision_date", day(0))
        .text("signer", "Chủ tịch UBND tỉnh Nguyễn Văn A")
        .text("withdraw", serde_json::to_string(withdraw).unwrap())
        .part("upload", Part::bytes(file).file_name(file_name.to_owned()));
    let response = app
        .client
        .post(format!(
            "{}/api/3/action/catalogue_version_issue",
            app.address
        ))
        .header("Authorization", token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.json().await.unwrap();
    Reply { status, body }
}

/// The ids of a list of entries.
pub fn ids(list: &Value) -> Vec<String> {
    let mut ids: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}
