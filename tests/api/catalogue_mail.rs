//! Reminders of the catalogue by e-mail (issue 12), through a local SMTP sink: moving `as_of`
//! forward mails each department once per entry and due date (to its contact address, else to
//! its admins), a repeated run mails nothing new, an overdue notice after a "due soon" one of
//! the same date sends no second mail, and the six-monthly review reminder goes to the data
//! office. A relay that fails loses nothing: the notices wait, and a later run sends them.

use serde_json::{json, Value};

use crate::both_backends;
use crate::catalogue_common::{day, decision_pdf, entry, issue, people, Province};
use crate::helpers::{fresh_database, spawn_existing, spawn_with, test_settings, Backend, TestApp};
use crate::smtp_sink::SmtpSink;

both_backends!(
    reminders_are_mailed_once_per_entry_and_due_date,
    a_failing_relay_keeps_the_reminders_for_a_later_run,
    the_servers_own_tick_mails_what_falls_due,
);

/// Settings of a portal on a fresh database whose relay is `smtp_url`, and the folder and
/// PostgreSQL database that hold it.
fn settings_with_relay(
    backend: Backend,
    smtp_url: &str,
) -> (
    dataportal::config::Settings,
    tempfile::TempDir,
    Option<String>,
) {
    let kept = tempfile::tempdir().unwrap();
    let (url, pg) = fresh_database(backend, kept.path());
    let mut settings = test_settings(kept.path(), &url);
    settings.mail.smtp_url = smtp_url.to_owned();
    settings.mail.from = "Cổng dữ liệu mở <noreply@tayninh.gov.vn>".to_owned();
    (settings, kept, pg)
}

/// Sở Y tế with a contact address, Sở Lao động with an admin and none; one entry each, due
/// in 20 days, issued as version 1.
async fn issued_entries(p: &Province) {
    issued_entries_due(p, 20).await
}

/// [`issued_entries`], due in `days`.
async fn issued_entries_due(p: &Province, days: u64) {
    let app = &p.app;
    app.admin(
        "organization_patch",
        json!({"id": "so-y-te", "contact_email": "vanthu@soyte.tayninh.gov.vn"}),
    )
    .await
    .ok();
    app.create_user("tp-lao-dong", false).await;
    app.member("so-lao-dong", "tp-lao-dong", "admin").await;
    for (token, org, title) in [
        (&p.health, "so-y-te", "Danh sách bệnh viện"),
        (&p.labour, "so-lao-dong", "Danh sách việc làm trống"),
    ] {
        let made = app
            .post(
                "catalogue_entry_create",
                Some(token),
                entry(org, title, "Mô tả", days),
            )
            .await
            .ok();
        let id = made["id"].as_str().unwrap();
        app.post("catalogue_entry_submit", Some(token), json!({"id": id}))
            .await
            .ok();
        app.post(
            "catalogue_entry_review",
            Some(&p.office),
            json!({"id": id, "decision": "approve"}),
        )
        .await
        .ok();
    }
    issue(app, &p.office, "1/QĐ-UBND", &[], decision_pdf(), "qd.pdf")
        .await
        .ok();
}

async fn run(app: &TestApp, token: &str, days: u64) -> Value {
    app.post(
        "catalogue_reminders_run",
        Some(token),
        json!({"as_of": day(days)}),
    )
    .await
    .ok()
}

/// (recipient, subject) of every mail received, sorted.
fn mails(sink: &SmtpSink) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = sink
        .messages()
        .iter()
        .map(|m| (m.recipients.join(","), m.text().0))
        .collect();
    all.sort();
    all
}

async fn reminders_are_mailed_once_per_entry_and_due_date(backend: Backend) {
    let sink = SmtpSink::start().await;
    let (settings, _kept, pg) = settings_with_relay(backend, &sink.url());
    let app = spawn_with(settings, backend, pg, tempfile::tempdir().unwrap()).await;
    let p = people(app).await;
    issued_entries(&p).await;

    // Ten days before the due date: one "due soon" mail per department.
    let first = run(&p.app, &p.office, 10).await;
    assert_eq!(first["added"].as_array().unwrap().len(), 2, "{first}");
    assert_eq!(
        first["emailed"],
        json!({"sent": 2, "covered": 0, "failed": 0})
    );
    let received = mails(&sink);
    assert_eq!(received.len(), 2, "{received:?}");
    assert_eq!(received[0].0, "tp-lao-dong@tayninh.gov.vn");
    assert!(received[0]
        .1
        .contains("Sắp đến hạn công bố: Danh sách việc làm trống"));
    assert_eq!(received[1].0, "vanthu@soyte.tayninh.gov.vn");
    assert!(received[1].1.contains("Danh sách bệnh viện"));
    let (_, body) = sink.messages()[0].text();
    assert!(body.contains(&day(20)), "{body}");
    assert!(body.contains("/catalogue/mine"), "{body}");

    // The department's page and the office's show the notices too.
    let lan = crate::staff_client::logged_in(&p.app, "bs-lan").await;
    let mine = crate::staff_client::get(&lan, &p.app, "/catalogue/mine").await;
    assert!(mine.body.contains("Sắp đến hạn công bố"), "{}", mine.body);
    assert!(!mine.body.contains("Danh sách việc làm trống"));

    // Again the next day: nothing new is recorded or mailed.
    let again = run(&p.app, &p.office, 11).await;
    assert_eq!(again["added"], json!([]));
    assert_eq!(sink.messages().len(), 2);

    // Past the due date: the overdue notices appear in the app, no second mail for that date.
    let late = run(&p.app, &p.office, 30).await;
    let kinds: Vec<&str> = late["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["publication_overdue", "publication_overdue"],
        "{late}"
    );
    assert_eq!(
        late["emailed"],
        json!({"sent": 0, "covered": 2, "failed": 0})
    );
    assert_eq!(sink.messages().len(), 2);
    let notices = p
        .app
        .post("catalogue_notice_list", Some(&p.health), json!({}))
        .await
        .ok();
    assert_eq!(notices.as_array().unwrap().len(), 2);
    assert!(notices
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["emailed_at"].is_string()));

    // Six months on, the data office is reminded to review the catalogue, by e-mail too.
    let review = run(&p.app, &p.office, 190).await;
    assert_eq!(review["emailed"]["sent"], 1, "{review}");
    let received = mails(&sink);
    assert_eq!(received.len(), 3, "{received:?}");
    let to_office: Vec<&(String, String)> = received
        .iter()
        .filter(|(to, _)| to == "vp-du-lieu@tayninh.gov.vn")
        .collect();
    assert_eq!(to_office.len(), 1, "{received:?}");
    assert!(to_office[0].1.contains("Đến hạn rà soát danh mục"));
    let office = crate::staff_client::logged_in(&p.app, "vp-du-lieu").await;
    let page = crate::staff_client::get(&office, &p.app, "/catalogue/office").await;
    assert!(
        page.body.contains("Đến hạn rà soát danh mục"),
        "{}",
        page.body
    );
    assert_eq!(run(&p.app, &p.office, 191).await["emailed"]["sent"], 0);
    assert_eq!(sink.messages().len(), 3);
}

async fn a_failing_relay_keeps_the_reminders_for_a_later_run(backend: Backend) {
    // Port 9 (discard) on loopback: nothing listens, every send fails at once.
    let (settings, _kept, pg) = settings_with_relay(backend, "smtp://127.0.0.1:9");
    let first = spawn_with(
        settings.clone(),
        backend,
        None,
        tempfile::tempdir().unwrap(),
    )
    .await;
    let p = people(first).await;
    issued_entries(&p).await;
    let failed = run(&p.app, &p.office, 10).await;
    assert_eq!(failed["added"].as_array().unwrap().len(), 2, "{failed}");
    assert_eq!(
        failed["emailed"],
        json!({"sent": 0, "covered": 0, "failed": 2})
    );
    let notices = p
        .app
        .post("catalogue_notice_list", Some(&p.office), json!({}))
        .await
        .ok();
    assert_eq!(notices.as_array().unwrap().len(), 2);
    assert!(notices
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["emailed_at"].is_null()));
    let (office, admin_token) = (p.office.clone(), p.app.admin_token.clone());
    drop(p);

    // The relay works again (a server restarted with it): the next run sends what waited.
    let sink = SmtpSink::start().await;
    let mut settings = settings;
    settings.mail.smtp_url = sink.url();
    let second_dir = tempfile::tempdir().unwrap();
    settings.data_dir = second_dir.path().to_path_buf();
    let app = spawn_existing(settings, pg, second_dir, admin_token).await;
    let later = run(&app, &office, 11).await;
    assert_eq!(later["added"], json!([]));
    assert_eq!(
        later["emailed"],
        json!({"sent": 2, "covered": 0, "failed": 0})
    );
    assert_eq!(sink.messages().len(), 2);
    assert_eq!(run(&app, &office, 12).await["emailed"]["sent"], 0);
    assert_eq!(sink.messages().len(), 2);
}

async fn the_servers_own_tick_mails_what_falls_due(backend: Backend) {
    let sink = SmtpSink::start().await;
    let (mut settings, _kept, pg) = settings_with_relay(backend, &sink.url());
    settings.catalogue.reminder_tick_secs = 1;
    let app = spawn_with(settings, backend, pg, tempfile::tempdir().unwrap()).await;
    let p = people(app).await;
    // Due in 10 days, within the 14 days' notice: the next tick records and mails it.
    issued_entries_due(&p, 10).await;
    let mut received = Vec::new();
    for _ in 0..100 {
        received = mails(&sink);
        if received.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(received.len(), 2, "{received:?}");
    // Later ticks send nothing more.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(sink.messages().len(), 2);
}
