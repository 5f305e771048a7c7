//! "Did you mean" and closest matches (issue 13): `package_search` offers corrected texts
//! when a search finds little or has words no dataset holds, and says when its results
//! come from the relaxed retry; the search page shows both.

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend, TestApp};

both_backends!(
    a_mistyped_search_is_offered_the_corrected_text,
    a_search_answered_by_some_of_its_words_says_so,
    the_search_page_offers_the_correction_and_names_closest_matches,
);

/// Two hospital datasets and the land price table.
async fn catalogue(app: &TestApp) {
    app.organization("so-y-te").await;
    app.organization("so-tai-chinh").await;
    app.admin("package_create", dataset("bang-gia-dat", "so-tai-chinh"))
        .await
        .ok();
    for (name, title) in [
        (
            "danh-sach-benh-vien",
            "Danh sách bệnh viện trên địa bàn tỉnh",
        ),
        ("giuong-benh", "Số giường bệnh của các bệnh viện công lập"),
    ] {
        let mut hospitals = dataset(name, "so-y-te");
        hospitals["title"] = json!(title);
        hospitals["notes"] = json!("Bệnh viện đa khoa và chuyên khoa.");
        hospitals["tags"] = json!([{"name": "y tế"}]);
        app.admin("package_create", hospitals).await.ok();
    }
}

async fn search(app: &TestApp, q: &str) -> Value {
    app.get("package_search", None, &[("q", q)]).await.ok()
}

async fn a_mistyped_search_is_offered_the_corrected_text(backend: Backend) {
    let app = spawn_app(backend).await;
    catalogue(&app).await;
    let found = search(&app, "bneh vien").await;
    assert_eq!(found["count"], 2, "the typo still finds: {found}");
    assert_eq!(found["search_suggestions"], json!(["benh vien"]), "{found}");
    assert!(found.get("search_relaxed").is_none(), "{found}");

    let clean = search(&app, "bệnh viện").await;
    assert_eq!(clean["count"], 2);
    assert!(clean.get("search_suggestions").is_none(), "{clean}");
    assert!(clean.get("search_relaxed").is_none(), "{clean}");
}

async fn a_search_answered_by_some_of_its_words_says_so(backend: Backend) {
    let app = spawn_app(backend).await;
    catalogue(&app).await;
    let found = search(&app, "giường bệnh xyzkhông").await;
    assert_eq!(found["results"][0]["name"], "giuong-benh", "{found}");
    assert_eq!(found["search_relaxed"], true, "{found}");
}

async fn the_search_page_offers_the_correction_and_names_closest_matches(backend: Backend) {
    let app = spawn_app(backend).await;
    catalogue(&app).await;
    let get = |path: String| app.client.get(format!("{}{path}", app.address)).send();
    let vi = get("/dataset?q=bneh+vien".into()).await.unwrap();
    let vi = vi.text().await.unwrap();
    assert!(vi.contains("Có phải bạn muốn tìm:"), "{vi}");
    assert!(vi.contains(r#"href="/dataset?q=benh+vien""#), "{vi}");
    assert!(!vi.contains("kết quả gần đúng"), "{vi}");

    let en = get("/dataset?q=bneh+vien&lang=en".into()).await.unwrap();
    assert!(en.text().await.unwrap().contains("Did you mean:"));

    let relaxed = get("/dataset?q=gi%C6%B0%E1%BB%9Dng+b%E1%BB%87nh+xyzkh%C3%B4ng".into())
        .await
        .unwrap();
    let relaxed = relaxed.text().await.unwrap();
    assert!(relaxed.contains("/dataset/giuong-benh"), "{relaxed}");
    assert!(
        relaxed.contains("Không có bộ dữ liệu chứa đủ mọi từ; đây là kết quả gần đúng."),
        "{relaxed}"
    );
}
