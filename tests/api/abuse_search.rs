//! package_search under a hostile probe (issue 7): inputs that crashed the server, ate its
//! memory or answered 500 are refused with a 409 naming the parameter, or searched.

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{dataset, spawn_app, Backend, Reply, TestApp};

both_backends!(
    runs_of_negations_cancel_and_deep_nesting_is_refused,
    long_filter_lists_and_long_queries_are_refused,
    facet_fields_are_read_once_each_and_long_lists_refused,
    typos_are_tried_for_short_queries_only,
    the_result_cache_keeps_small_keys_and_bounded_bytes,
    pages_past_the_hundred_thousandth_result_are_refused,
    open_and_odd_time_ranges_search_instead_of_failing,
    hostile_values_never_answer_500,
);

/// A portal with two datasets: the land-price table and a hospital list.
async fn two_datasets(backend: Backend) -> TestApp {
    let app = spawn_app(backend).await;
    app.organization("so-tai-chinh").await;
    app.admin("package_create", dataset("gia-dat-2025", "so-tai-chinh"))
        .await
        .ok();
    let mut hospitals = dataset("benh-vien", "so-tai-chinh");
    hospitals["title"] = json!("Danh sách bệnh viện công lập");
    hospitals["notes"] = json!("Các bệnh viện tuyến tỉnh");
    hospitals["tags"] = json!([{"name": "y tế"}]);
    hospitals["resources"] = json!([{"url": "https://x.vn/b.xlsx"}]);
    app.admin("package_create", hospitals).await.ok();
    app
}

async fn search(app: &TestApp, query: &[(&str, &str)]) -> Reply {
    app.get("package_search", None, query).await
}

async fn count(app: &TestApp, query: &[(&str, &str)]) -> u64 {
    search(app, query).await.ok()["count"].as_u64().unwrap()
}

/// The message of a 409 on `field`, checked to be in Vietnamese (the default language).
fn refused(reply: Reply, field: &str) -> String {
    let error = reply.err(409);
    let message = error[field][0]
        .as_str()
        .unwrap_or_else(|| panic!("no message on {field}: {error}"));
    assert!(!message.is_ascii(), "not Vietnamese: {message}");
    message.to_owned()
}

async fn runs_of_negations_cancel_and_deep_nesting_is_refused(backend: Backend) {
    let app = two_datasets(backend).await;
    // 500 `-` then a word crashed the process (stack overflow): negations cancel in pairs.
    let even = format!("{}viện", "-".repeat(500));
    assert_eq!(count(&app, &[("q", &even)]).await, 1);
    let odd = format!("{}viện", "NOT ".repeat(499));
    assert_eq!(
        count(&app, &[("q", &odd)]).await,
        1,
        "499 NOT: not the hospitals"
    );
    let odd = search(&app, &[("q", &odd)]).await.ok();
    assert_eq!(odd["results"][0]["name"], "gia-dat-2025");

    let nested = |depth: usize| format!("{}viện{}", "(".repeat(depth), ")".repeat(depth));
    assert_eq!(count(&app, &[("q", &nested(32))]).await, 1);
    let message = refused(search(&app, &[("q", &nested(33))]).await, "q");
    assert!(message.contains("32"), "{message}");
    // The deepest shape accepted: three condition levels per group, 97 words.
    let mut deepest = "viện".to_owned();
    for _ in 0..32 {
        deepest = format!("a b OR c -({deepest})");
    }
    assert_eq!(count(&app, &[("q", &deepest)]).await, 0);
    refused(search(&app, &[("fq", &"(".repeat(1000))]).await, "fq");
    let list = json!({"fq_list": ["tags:y", "-(".repeat(900)]});
    refused(app.post("package_search", None, list).await, "fq_list");
    assert_eq!(
        count(&app, &[("q", "*:*")]).await,
        2,
        "the server still answers"
    );
}

async fn long_filter_lists_and_long_queries_are_refused(backend: Backend) {
    let app = two_datasets(backend).await;
    let post = |body: Value| app.post("package_search", None, body);
    // One 3 MB fq_list drove the server to 23.7 GB.
    let huge = vec!["(a OR b) ".repeat(3000); 100];
    refused(post(json!({"fq_list": huge})).await, "fq_list");
    let long_item = "giá ".repeat(501);
    let message = refused(post(json!({"fq_list": [long_item]})).await, "fq_list");
    assert!(message.contains("2000"), "{message}");
    let many = vec!["tags:y"; 51];
    let message = refused(post(json!({"fq_list": many})).await, "fq_list");
    assert!(message.contains("50"), "{message}");
    let encoded = serde_json::to_string(&vec!["x"; 51]).unwrap();
    refused(search(&app, &[("fq_list", &encoded)]).await, "fq_list");
    // 20,000 distinct words took 4.6 GB: a hundred words and clauses per search.
    let words: Vec<String> = (0..101).map(|i| format!("w{i}")).collect();
    let message = refused(search(&app, &[("q", &words.join(" "))]).await, "q");
    assert!(message.contains("100"), "{message}");
    let spread: Vec<String> = (0..40).map(|i| format!("a{i} b{i} c{i}")).collect();
    refused(post(json!({"fq_list": spread})).await, "fq_list");

    // What real clients send still works.
    let ok = post(json!({"q": "giá đất", "fq": "organization:so-tai-chinh",
                         "fq_list": ["tags:\"giá đất\"", "res_format:CSV", "license_id:cc-by-4.0"]}))
    .await
    .ok();
    assert_eq!(ok["count"], 1);
    let items = vec!["organization:so-tai-chinh"; 50];
    assert_eq!(post(json!({"fq_list": items})).await.ok()["count"], 2);
    let hundred: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
    assert_eq!(count(&app, &[("q", &hundred.join(" "))]).await, 0);
}

async fn facet_fields_are_read_once_each_and_long_lists_refused(backend: Backend) {
    let app = two_datasets(backend).await;
    let mut fields = vec!["tags", "tags", "organization", "nonsense", "tags"];
    fields.extend(["res_format"; 10]);
    let page = app
        .post("package_search", None, json!({"facet.field": fields}))
        .await
        .ok();
    let facets = page["search_facets"].as_object().unwrap();
    let mut names: Vec<&str> = facets.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(names, ["organization", "res_format", "tags"]);
    assert_eq!(page["facets"]["tags"]["giá đất"], 1);

    // 100,000 entries exhausted memory.
    let flood = vec!["tags"; 100_000];
    let message = refused(
        app.post("package_search", None, json!({"facet.field": flood}))
            .await,
        "facet.field",
    );
    assert!(message.contains("50"), "{message}");
    let encoded = serde_json::to_string(&vec!["tags"; 51]).unwrap();
    refused(
        search(&app, &[("facet.field", &encoded)]).await,
        "facet.field",
    );
}

async fn typos_are_tried_for_short_queries_only(backend: Backend) {
    let app = two_datasets(backend).await;
    assert_eq!(count(&app, &[("q", "bệnh viênn")]).await, 1, "one typo");
    // A typo in one word of a long text is forgiven: that word alone is found in no
    // dataset (issue 13)...
    let long = "danh sách bệnh viện công lập các bệnh viện tuyến tỉnhh";
    assert_eq!(count(&app, &[("q", long)]).await, 1, "one unknown word");
    // ...but every word of a long text given a typo expanded to thousands of terms.
    let long = "danhh sáchh bệnhh việnn côngg lậpp cácc bệnhh việnn tuyếnn tỉnhh";
    assert_eq!(
        count(&app, &[("q", long)]).await,
        0,
        "eleven words: no retry"
    );
}

async fn the_result_cache_keeps_small_keys_and_bounded_bytes(backend: Backend) {
    let app = two_datasets(backend).await;
    let index = app.catalog.search.clone().unwrap();
    let first = search(&app, &[("q", "viện")]).await.ok();
    let one_page = index.result_cache_bytes();
    assert!(one_page > 0, "the page is kept");
    // A search near every limit: 32 texts of ~2000 characters, 96 words.
    let word = |i: usize| format!("{i:0>40}");
    let text = |i: usize| format!("{} {} {}", word(2 * i), word(2 * i + 1), "y".repeat(1900));
    let fq_list: Vec<String> = (2..32).map(text).collect();
    let big = json!({"q": text(0), "fq": text(1), "fq_list": fq_list});
    assert_eq!(app.post("package_search", None, big).await.ok()["count"], 0);
    let grown = index.result_cache_bytes() - one_page;
    assert!(grown < 2_000, "a page of nothing keeps {grown} bytes");
    // Read-your-writes: a write empties the cache.
    app.admin("package_delete", json!({"id": "benh-vien"}))
        .await
        .ok();
    assert_eq!(first["count"], 1);
    assert_eq!(count(&app, &[("q", "viện")]).await, 0);
}

async fn pages_past_the_hundred_thousandth_result_are_refused(backend: Backend) {
    let app = two_datasets(backend).await;
    let message = refused(search(&app, &[("start", "1000000000")]).await, "start");
    assert!(message.contains("metadata_modified"), "{message}");
    refused(
        search(&app, &[("start", "99001"), ("rows", "1000")]).await,
        "start",
    );
    let last = search(&app, &[("start", "99000"), ("rows", "1000")])
        .await
        .ok();
    assert_eq!(last["count"], 2);
    assert_eq!(last["results"], json!([]));
}

async fn open_and_odd_time_ranges_search_instead_of_failing(backend: Backend) {
    let app = two_datasets(backend).await;
    for (q, expected) in [
        ("metadata_modified:[* TO *]", 2),
        ("metadata_created:{* TO *}", 2),
        ("viện metadata_modified:[* TO *]", 1),
        ("metadata_modified:[NOW TO *]", 0),
        ("metadata_modified:[* TO NOW]", 2),
        ("metadata_modified:[NOW-1YEAR TO NOW+1DAY]", 2),
        ("metadata_modified:[NOW+1DAY TO NOW-1DAY]", 0),
        ("metadata_modified:[2030-01-01 TO 2020-01-01]", 0),
        ("metadata_modified:[NOW-99999999YEARS TO *]", 0),
        ("-metadata_modified:[* TO *]", 0),
    ] {
        assert_eq!(count(&app, &[("q", q)]).await, expected, "q={q}");
        assert_eq!(count(&app, &[("fq", q)]).await, expected, "fq={q}");
    }
}

async fn hostile_values_never_answer_500(backend: Backend) {
    let app = two_datasets(backend).await;
    let long_word = "ệ".repeat(2000);
    let digits = "9".repeat(400);
    let mut values: Vec<String> = [
        "\"",
        "\"\"\"",
        "(",
        ")",
        "((((",
        "))))",
        "[",
        "]",
        "{",
        "}",
        "[* TO",
        "a:[",
        "*",
        "*:",
        ":*",
        ":",
        "AND",
        "OR",
        "NOT",
        "-",
        "+",
        "!",
        "&&",
        "||",
        "- - -",
        "AND OR NOT",
        "a:(",
        "tags:",
        "tags:\"",
        "tags:()",
        "metadata_modified:",
        "metadata_modified:[]",
        "metadata_modified:[ TO ]",
        "metadata_modified:[NOW-",
        "metadata_modified:[NOWé TO *]",
        "metadata_modified:[NOW/DAY TO NOW+ DAY]",
        "metadata_modified:[1e308 TO -1e308]",
        "id:*",
        "name:\"\\\"",
        "\\",
        "\u{0}",
        "a\u{0}b",
        "\u{1}\u{7}\u{1b}[31m",
        "\r\n\t",
        "\u{202e}ưởng\u{200f}",
        "\u{feff}",
        "🙂🙂 ✓",
        "👩‍👩‍👧‍👦:(🙂)",
        "%00%27%22",
        "'; DROP TABLE packages; --",
        "<script>x</script>",
        "tags:(a OR (b AND -(c)))",
        "(((((((a)))))))) OR",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    values.extend([long_word.clone(), digits.clone(), format!("rows:{digits}")]);
    for value in &values {
        for field in ["q", "fq", "fq_list", "sort", "facet.field", "start", "rows"] {
            let reply = search(&app, &[(field, value)]).await;
            assert!(
                (200..500).contains(&reply.status),
                "{field}={value:?} answered {}: {}",
                reply.status,
                reply.body
            );
        }
        let body = json!({"fq_list": [value, value], "facet.field": [value],
                          "facet.limit": value, "sort": value});
        let reply = app.post("package_search", None, body).await;
        assert!(
            (200..500).contains(&reply.status),
            "POST {value:?}: {}",
            reply.body
        );
    }
    let reply = app
        .post(
            "package_search",
            None,
            json!({"fq_list": [1, null, {"a": []}, [[]]]}),
        )
        .await;
    assert!((200..500).contains(&reply.status), "{}", reply.body);
    assert_eq!(
        count(&app, &[("q", "*:*")]).await,
        2,
        "the server still answers"
    );
}
