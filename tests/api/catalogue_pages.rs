//! The open-data catalogue's public pages and exports (issue 12, "Transparency"): anonymous
//! visitors read the issued catalogue with its decision, each entry with its due dates, the
//! versions and what each changed, and the figures per department at any date; the catalogue
//! and the figures download as CSV (with a BOM), XLSX and JSON (the actions' own views). A draft
//! of another department is on no public page and in no export.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde_json::{json, Value};

use crate::both_backends;
use crate::catalogue_common::{day, decision_pdf, entry, issue, province, Province};
use crate::helpers::{dataset, Backend, TestApp};

both_backends!(
    anonymous_visitors_read_the_issued_catalogue_and_never_a_draft,
    the_exports_hold_what_the_page_shows_in_csv_xlsx_and_json,
    the_figures_move_with_as_of_on_the_page_and_in_the_exports,
    each_version_shows_what_it_added_and_withdrew,
);

/// A downloaded page or file.
pub struct Got {
    pub status: u16,
    pub content_type: String,
    pub disposition: String,
    pub bytes: Vec<u8>,
}

impl Got {
    pub fn text(&self) -> String {
        String::from_utf8(self.bytes.clone()).unwrap()
    }
}

/// GETs `path`, anonymously or with an API token.
pub async fn fetch(app: &TestApp, path: &str, token: Option<&str>) -> Got {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(token) = token {
        request = request.header("Authorization", token);
    }
    let response = request.send().await.unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    Got {
        status: response.status().as_u16(),
        content_type,
        disposition,
        bytes: response.bytes().await.unwrap().to_vec(),
    }
}

/// The catalogue of the tests: Health's clinics (issued, due in 20 days) and beds (published
/// through a linked public dataset, due in 10), issued as version 1; Labour's draft on
/// migrant workers. Returns (clinics, beds, draft) ids.
pub async fn issued_catalogue(p: &Province) -> (String, String, String) {
    let app = &p.app;
    let mut made = Vec::new();
    for (title, description, days) in [
        (
            "Danh sách cơ sở khám bệnh, chữa bệnh",
            "Bệnh viện, trạm y tế xã và phòng khám tư nhân",
            20,
        ),
        (
            "Số giường bệnh theo bệnh viện",
            "Giường bệnh kế hoạch và thực kê",
            10,
        ),
    ] {
        let created = app
            .post(
                "catalogue_entry_create",
                Some(&p.health),
                entry("so-y-te", title, description, days),
            )
            .await
            .ok();
        let id = created["id"].as_str().unwrap().to_owned();
        app.post("catalogue_entry_submit", Some(&p.health), json!({"id": id}))
            .await
            .ok();
        app.post(
            "catalogue_entry_review",
            Some(&p.office),
            json!({"id": id, "decision": "approve"}),
        )
        .await
        .ok();
        made.push(id);
    }
    issue(
        app,
        &p.office,
        "123/QĐ-UBND",
        &[],
        decision_pdf(),
        "QĐ 123.pdf",
    )
    .await
    .ok();
    app.post(
        "package_create",
        Some(&p.health),
        dataset("giuong-benh", "so-y-te"),
    )
    .await
    .ok();
    let linked = app
        .post(
            "catalogue_entry_link",
            Some(&p.health),
            json!({"id": made[1], "package_id": "giuong-benh"}),
        )
        .await
        .ok();
    assert_eq!(linked["status"], "published");
    let draft = app
        .post(
            "catalogue_entry_create",
            Some(&p.labour),
            entry(
                "so-lao-dong",
                "Người lao động di cư bí mật",
                "Bản nháp chưa gửi duyệt",
                40,
            ),
        )
        .await
        .ok();
    (
        made[0].clone(),
        made[1].clone(),
        draft["id"].as_str().unwrap().to_owned(),
    )
}

async fn anonymous_visitors_read_the_issued_catalogue_and_never_a_draft(backend: Backend) {
    let p = province(backend).await;
    let app = &p.app;
    let empty = fetch(app, "/catalogue", None).await;
    assert_eq!(empty.status, 200);
    assert!(empty.text().contains("Chưa có danh mục nào được ban hành"));
    let (clinics, beds, draft) = issued_catalogue(&p).await;

    let page = fetch(app, "/catalogue", None).await;
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("123/QĐ-UBND"), "{html}");
    assert!(html.contains("Chủ tịch UBND tỉnh Nguyễn Văn A"));
    assert!(html.contains(r#"href="/catalogue/version/1/decision""#));
    assert!(html.contains(&format!("/catalogue/entry/{clinics}")));
    assert!(html.contains(&format!("/catalogue/entry/{beds}")));
    assert!(html.contains(r#"href="/dataset/giuong-benh""#));
    assert!(html.contains("Đã công bố") && html.contains("Đã ban hành"));
    assert!(!html.contains("Người lao động di cư") && !html.contains(&draft));
    // The navigation leads here.
    let home = fetch(app, "/", None).await.text();
    assert!(home.contains(r#"href="/catalogue""#));

    // Filters: status, department, words without diacritics.
    let published = fetch(app, "/catalogue?status=published", None).await.text();
    assert!(published.contains(&beds) && !published.contains(&clinics));
    let labour = fetch(app, "/catalogue?owner_org=so-lao-dong", None)
        .await
        .text();
    assert!(labour.contains("Không có mục nào"), "{labour}");
    let words = fetch(app, "/catalogue?q=giuong+benh", None).await.text();
    assert!(words.contains(&beds) && !words.contains(&clinics));
    let wrong = fetch(app, "/catalogue?status=lost", None).await;
    assert_eq!(wrong.status, 409, "{}", wrong.text());
    assert!(wrong.text().contains("status"));

    // An issued entry's page: status, due date, data, history.
    let shown = fetch(app, &format!("/catalogue/entry/{clinics}"), None).await;
    assert_eq!(shown.status, 200);
    let shown = shown.text();
    assert!(shown.contains("Đã ban hành"));
    assert!(shown.contains("Hạn công bố lần đầu"));
    assert!(shown.contains(
        &crate::catalogue_common::in_days(20)
            .format("%d/%m/%Y")
            .to_string()
    ));
    assert!(shown.contains("Chưa đến hạn công bố"));
    assert!(shown.contains("Lịch sử trạng thái") && shown.contains("vp-du-lieu"));
    let beds_page = fetch(app, &format!("/catalogue/entry/{beds}?lang=en"), None)
        .await
        .text();
    assert!(beds_page.contains("Published on time"), "{beds_page}");
    assert!(beds_page.contains(r#"href="/dataset/giuong-benh""#));

    // The draft: not found for anonymous visitors and for the other department, shown to its
    // own department (page and list).
    assert_eq!(
        fetch(app, &format!("/catalogue/entry/{draft}"), None)
            .await
            .status,
        404
    );
    assert_eq!(
        fetch(app, &format!("/catalogue/entry/{draft}"), Some(&p.health))
            .await
            .status,
        404
    );
    let own = fetch(app, &format!("/catalogue/entry/{draft}"), Some(&p.labour)).await;
    assert_eq!(own.status, 200);
    assert!(own.text().contains("Bản nháp"));
    let own_list = fetch(app, "/catalogue", Some(&p.labour)).await.text();
    assert!(own_list.contains(&draft));

    // The sitemap lists the catalogue's pages.
    let sitemap = fetch(app, "/sitemap-pages.xml", None).await.text();
    assert!(sitemap.contains("/catalogue/figures</loc>"), "{sitemap}");
    assert!(sitemap.contains("/catalogue/version/1</loc>"), "{sitemap}");
}

/// The rows of a CSV export (after its BOM), headings first.
fn csv_rows(got: &Got) -> Vec<Vec<String>> {
    assert!(got.bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&got.bytes[3..]);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The first sheet of an XLSX export, as text cells.
fn xlsx_rows(got: &Got) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(got.bytes.clone())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::Float(f) => f.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

async fn the_exports_hold_what_the_page_shows_in_csv_xlsx_and_json(backend: Backend) {
    let p = province(backend).await;
    let app = &p.app;
    let (clinics, beds, draft) = issued_catalogue(&p).await;

    let csv = fetch(app, "/catalogue.csv", None).await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.content_type, "text/csv; charset=utf-8");
    assert!(
        csv.disposition.starts_with("attachment")
            && csv
                .disposition
                .contains(&format!(r#"filename="danh-muc-du-lieu-mo-{}.csv""#, day(0)))
            && csv
                .disposition
                .contains("filename*=UTF-8''Danh%20m%E1%BB%A5c"),
        "{}",
        csv.disposition
    );
    let rows = csv_rows(&csv);
    assert_eq!(rows[0][0], "Tên dữ liệu");
    assert_eq!(rows.len(), 3, "{rows:?}");
    let titles: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        titles,
        [
            "Danh sách cơ sở khám bệnh, chữa bệnh",
            "Số giường bệnh theo bệnh viện"
        ]
    );
    let beds_row = &rows[2];
    assert_eq!(beds_row[2], "Đã công bố");
    assert!(beds_row.iter().any(|c| c.ends_with("/dataset/giuong-benh")));
    assert!(beds_row
        .last()
        .unwrap()
        .ends_with(&format!("/catalogue/entry/{beds}")));
    assert!(!csv.text().contains(&draft));

    // The same filters as the page.
    let filtered = csv_rows(&fetch(app, "/catalogue.csv?status=issued", None).await);
    assert_eq!(filtered.len(), 2);
    assert!(filtered[1].last().unwrap().ends_with(&clinics));

    let xlsx = fetch(app, "/catalogue.xlsx?lang=en", None).await;
    assert_eq!(xlsx.status, 200);
    assert_eq!(
        xlsx.content_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(xlsx.disposition.contains(&format!(
        r#"filename="open-data-catalogue-{}.xlsx""#,
        day(0)
    )));
    let sheet = xlsx_rows(&xlsx);
    assert_eq!(sheet[0][0], "Data");
    assert_eq!(sheet.len(), 3);
    assert_eq!(sheet[2][0], "Số giường bệnh theo bệnh viện");
    assert_eq!(sheet[2][2], "Published");

    // JSON is the action's view, every matching entry.
    let json_file = fetch(app, "/catalogue.json", None).await;
    assert_eq!(json_file.content_type, "application/json");
    assert!(json_file.disposition.starts_with("inline"));
    let exported: Value = serde_json::from_slice(&json_file.bytes).unwrap();
    let listed = app
        .get(
            "catalogue_entry_list",
            None,
            &[("sort", "title asc"), ("rows", "1000")],
        )
        .await
        .ok();
    assert_eq!(exported, listed);
    assert_eq!(exported["count"], 2);

    // The department's own export has its draft; the other department's has not.
    let own = fetch(app, "/catalogue.json", Some(&p.labour)).await;
    let own: Value = serde_json::from_slice(&own.bytes).unwrap();
    assert_eq!(own["count"], 3);
    let other = fetch(app, "/catalogue.csv", Some(&p.health)).await;
    assert!(!other.text().contains(&draft));
}

async fn the_figures_move_with_as_of_on_the_page_and_in_the_exports(backend: Backend) {
    let p = province(backend).await;
    let app = &p.app;
    let (clinics, _, draft) = issued_catalogue(&p).await;

    let today = fetch(app, "/catalogue/figures", None).await;
    assert_eq!(today.status, 200);
    let html = today.text();
    assert!(html.contains(r#"role="img""#) && html.contains("<title id=\"chart-title\">"));
    assert!(html.contains("<desc id=\"chart-desc\">"));
    assert!(html.contains("Không có mục nào quá hạn công bố"), "{html}");
    assert!(html.contains(r#"class="part on-time""#));
    assert!(!html.contains(r#"class="part overdue""#));
    assert!(html.contains("Toàn tỉnh · 100,0 % đúng hạn"), "{html}");

    // Sixty days on, the clinics entry is overdue: in the chart, the table and the list.
    let later = fetch(app, &format!("/catalogue/figures?as_of={}", day(60)), None)
        .await
        .text();
    assert!(later.contains(r#"class="part overdue""#), "{later}");
    assert!(later.contains(&format!("/catalogue/entry/{clinics}")));
    assert!(later.contains("quá hạn 40 ngày"));
    assert!(later.contains("Toàn tỉnh · 50,0 % đúng hạn"), "{later}");
    assert!(later.contains(&format!(r#"value="{}""#, day(60))));
    assert!(!later.contains(&draft));

    let rows = csv_rows(
        &fetch(
            app,
            &format!("/catalogue/figures.csv?as_of={}", day(60)),
            None,
        )
        .await,
    );
    assert_eq!(rows[0][1], "Đơn vị chịu trách nhiệm");
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(
        rows[1][..8],
        [
            day(60),
            "Sở so-y-te".into(),
            "2".into(),
            "1".into(),
            "0".into(),
            "1".into(),
            "0".into(),
            "0".into()
        ]
    );
    assert_eq!(rows[1][8], "50.0");
    assert_eq!(rows[2][1], "Toàn tỉnh");
    let now_rows = csv_rows(&fetch(app, "/catalogue/figures.csv", None).await);
    assert_eq!(now_rows[1][5], "0", "nothing overdue today: {now_rows:?}");

    let sheet = xlsx_rows(
        &fetch(
            app,
            &format!("/catalogue/figures.xlsx?as_of={}", day(60)),
            None,
        )
        .await,
    );
    assert_eq!(sheet[1][2], "2");
    assert_eq!(sheet[1][8], "0.5");

    let exported: Value = serde_json::from_slice(
        &fetch(
            app,
            &format!("/catalogue/figures.json?as_of={}", day(60)),
            None,
        )
        .await
        .bytes,
    )
    .unwrap();
    let shown = app
        .get("catalogue_compliance_show", None, &[("as_of", &day(60))])
        .await
        .ok();
    assert_eq!(exported, shown);
    assert_eq!(exported["totals"]["not_published_overdue"], 1);

    // A date that is not one is a 4xx naming the field, on the page and the export.
    let wrong = fetch(app, "/catalogue/figures?as_of=mai", None).await;
    assert_eq!(wrong.status, 409);
    assert!(wrong.text().contains("as_of"));
    assert_eq!(
        fetch(app, "/catalogue/figures.csv?as_of=mai", None)
            .await
            .status,
        409
    );
}

async fn each_version_shows_what_it_added_and_withdrew(backend: Backend) {
    let p = province(backend).await;
    let app = &p.app;
    let (clinics, beds, _) = issued_catalogue(&p).await;
    issue(
        app,
        &p.office,
        "456/QĐ-UBND",
        &[&clinics],
        decision_pdf(),
        "qd-456.pdf",
    )
    .await
    .ok();

    let list = fetch(app, "/catalogue/versions", None).await.text();
    assert!(list.contains("123/QĐ-UBND") && list.contains("456/QĐ-UBND"));
    assert!(list.find("456/QĐ-UBND").unwrap() < list.find("123/QĐ-UBND").unwrap());
    assert!(list.contains(r#"href="/catalogue/version/2/decision""#));

    let first = fetch(app, "/catalogue/version/1", None).await;
    assert_eq!(first.status, 200);
    let first = first.text();
    assert!(first.contains("Phiên bản đầu tiên"));
    assert!(first.contains(&format!("/catalogue/entry/{clinics}")) && first.contains(&beds));

    let second = fetch(app, "/catalogue/version/2?lang=en", None)
        .await
        .text();
    let withdrawn = &second[second.find("Withdrawn entries").unwrap()..];
    assert!(withdrawn.contains(&clinics), "{second}");
    assert!(second.contains("No entry added."));
    let all = &second[second.find("Entries of this version").unwrap()..];
    assert!(all.contains(&beds) && !all.contains(&clinics));

    // Version 1 is still as issued; the entry itself now says it was withdrawn.
    let again = fetch(app, "/catalogue/version/1", None).await.text();
    assert!(again.contains(&clinics));
    let entry = fetch(app, &format!("/catalogue/entry/{clinics}"), None)
        .await
        .text();
    assert!(entry.contains("Đã rút khỏi danh mục"));
    let current = fetch(app, "/catalogue", None).await.text();
    assert!(current.contains("456/QĐ-UBND"));

    for path in [
        "/catalogue/version/9",
        "/catalogue/version/abc",
        "/catalogue/entry/nope",
    ] {
        assert_eq!(fetch(app, path, None).await.status, 404, "{path}");
    }
}
