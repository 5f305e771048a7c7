//! Tests of the search index: relevance traps, permissions, facets, caching, persistence.

use super::*;
use serde_json::json;
use unicode_normalization::UnicodeNormalization;

fn dataset(id: &str, title: &str, org: &str, private: bool, tags: &[&str], format: &str) -> Value {
    json!({
        "id": id, "name": id, "title": title, "notes": "", "state": "active", "private": private,
        "owner_org": format!("{org}-id"), "organization": {"name": org, "title": format!("Sở {org}")},
        "tags": tags.iter().map(|t| json!({"name": t})).collect::<Vec<_>>(),
        "groups": [], "resources": [{"name": "Tệp", "format": format}],
        "license_id": "cc-by-4.0", "frequency": "annual",
        "metadata_created": "2025-01-01T00:00:00.000000",
        "metadata_modified": format!("2025-0{}-01T00:00:00.000000", id.len() % 9 + 1),
    })
}

fn index() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    index
        .apply(
            &[
                dataset(
                    "bang-gia-dat",
                    "Bảng giá đất năm 2025",
                    "so-tai-chinh",
                    false,
                    &["giá đất"],
                    "CSV",
                ),
                dataset(
                    "truong-dat-chuan",
                    "Trường học đạt chuẩn quốc gia",
                    "so-giao-duc",
                    false,
                    &["giáo dục"],
                    "XLSX",
                ),
                dataset(
                    "quy-hoach-xay-dung",
                    "Quy hoạch xây dựng vùng tỉnh",
                    "so-xay-dung",
                    false,
                    &["quy hoạch"],
                    "PDF",
                ),
                dataset(
                    "ky-thuat-so",
                    "Hạ tầng kỹ thuật số",
                    "so-khoa-hoc",
                    false,
                    &[],
                    "CSV",
                ),
                dataset("noi-bo", "Giá đất nội bộ", "so-tai-chinh", true, &[], "CSV"),
            ],
            &[],
            0,
        )
        .unwrap();
    index
}

fn search(text: &str) -> Search {
    Search::new(Condition::Words(text.to_owned()))
}

trait HitIds {
    fn ids(&self) -> Vec<String>;
}

impl HitIds for Hits {
    fn ids(&self) -> Vec<String> {
        self.results
            .iter()
            .map(|r| {
                serde_json::from_str::<Value>(r).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    }
}

#[test]
fn accents_rank_the_intended_word_first_and_folding_finds_both() {
    let index = index();
    let hits = index.search(&search("đất")).unwrap();
    assert_eq!(hits.ids()[0], "bang-gia-dat");
    let hits = index.search(&search("đạt")).unwrap();
    assert_eq!(hits.ids()[0], "truong-dat-chuan");
    let hits = index.search(&search("dat")).unwrap();
    assert_eq!(
        hits.count,
        2,
        "folded query finds land and standard: {:?}",
        hits.ids()
    );
    let nfd: String = "giá đất".nfd().collect();
    assert_eq!(
        index.search(&search(&nfd)).unwrap().ids()[0],
        "bang-gia-dat"
    );
    assert_eq!(
        index.search(&search("GIA DAT")).unwrap().ids()[0],
        "bang-gia-dat"
    );
}

#[test]
fn spelling_variants_and_typos_still_find() {
    let index = index();
    assert_eq!(
        index.search(&search("qui hoạch")).unwrap().ids(),
        ["quy-hoach-xay-dung"]
    );
    assert_eq!(
        index.search(&search("kĩ thuật")).unwrap().ids(),
        ["ky-thuat-so"]
    );
    assert_eq!(
        index.search(&search("hoach xay dunh")).unwrap().ids(),
        ["quy-hoach-xay-dung"]
    );
}

#[test]
fn a_mistyped_word_is_offered_its_most_frequent_neighbour() {
    let index = index();
    let hits = index.search(&search("bnag giá đất")).unwrap();
    assert_eq!(
        hits.suggestions,
        ["bang giá đất"],
        "a transposition is one edit"
    );
    assert!(!hits.relaxed, "the other words matched as typed");
    let hits = index.search(&search("giá đất")).unwrap();
    assert!(hits.suggestions.is_empty(), "nothing to correct");
    let hits = index.search(&search("hoạch xây dunh")).unwrap();
    assert_eq!(
        hits.suggestions,
        ["hoạch xây dung"],
        "other edits when no swap fits"
    );
}

#[test]
fn a_search_answered_by_half_of_its_words_says_so() {
    let index = index();
    let hits = index.search(&search("giá đất xyzzyq")).unwrap();
    assert_eq!(hits.ids()[0], "bang-gia-dat");
    assert!(hits.relaxed);
    assert!(!index.search(&search("giá đất")).unwrap().relaxed);
}

#[test]
fn private_datasets_stay_out_of_results_and_facets() {
    let index = index();
    let mut s = search("");
    s.facets = vec!["organization".into(), "res_format".into()];
    let hits = index.search(&s).unwrap();
    assert_eq!(hits.count, 4);
    let orgs = &hits
        .facets
        .iter()
        .find(|(f, _)| f == "organization")
        .unwrap()
        .1;
    assert!(orgs.contains(&("so-tai-chinh".to_owned(), 1)), "{orgs:?}");
    s.visibility = Visibility {
        include_private: true,
        member_orgs: vec!["so-tai-chinh-id".into()],
        ..Default::default()
    };
    assert_eq!(index.search(&s).unwrap().count, 5);
    s.condition = Condition::Keyword("res_format".into(), "CSV".into());
    s.sort = SortBy(vec![(SortField::Name, false)]);
    assert_eq!(
        index.search(&s).unwrap().ids(),
        ["bang-gia-dat", "ky-thuat-so", "noi-bo"]
    );
}

#[test]
fn suggestions_complete_the_last_word() {
    let index = index();
    let names = |typed: &str| -> Vec<String> {
        index
            .suggest(typed, 5)
            .unwrap()
            .iter()
            .map(|d| {
                serde_json::from_str::<Value>(d).unwrap()["name"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(names("bang gia d"), ["bang-gia-dat"]);
    assert_eq!(
        names("gia d")[0],
        "bang-gia-dat",
        "words in the typed order first"
    );
    assert_eq!(names("Quy hoạ"), ["quy-hoach-xay-dung"]);
    assert!(names("zzz").is_empty());
    assert!(
        index.suggest("giá đất nội", 5).unwrap().is_empty(),
        "private datasets are not suggested"
    );
}

#[test]
fn snippets_mark_accented_words_for_unaccented_queries() {
    let index = index();
    let html = index
        .snippets("gia dat", &["Bảng giá đất năm 2025 & các phụ lục"])
        .unwrap();
    assert_eq!(
        html[0],
        "Bảng <b>giá</b> <b>đất</b> năm 2025 &amp; các phụ lục"
    );
    assert_eq!(
        index.snippets("gia dat", &["Không liên quan"]).unwrap()[0],
        ""
    );
}

#[test]
fn a_stream_of_single_updates_does_not_pile_up_segments() {
    let index = index();
    for i in 0..300 {
        let title = format!("Bảng giá đất lần {i}");
        index
            .apply(
                &[dataset(
                    "bang-gia-dat",
                    &title,
                    "so-tai-chinh",
                    false,
                    &[],
                    "CSV",
                )],
                &[],
                0,
            )
            .unwrap();
    }
    assert_eq!(index.doc_count(), 5);
    assert!(
        index.segment_count() < 40,
        "{} segments",
        index.segment_count()
    );
}

#[test]
fn quoted_phrases_need_neighbouring_words() {
    let index = index();
    let mut s = search("");
    s.condition = Condition::Phrase("quy hoạch xây dựng".into());
    assert_eq!(index.search(&s).unwrap().ids(), ["quy-hoach-xay-dung"]);
    s.condition = Condition::Phrase("xây dựng quy hoạch".into());
    assert_eq!(index.search(&s).unwrap().count, 0);
}

#[test]
fn an_index_on_disk_keeps_its_documents_across_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path(), "test").unwrap();
        for i in 0..50 {
            let id = format!("bo-du-lieu-{i}");
            index
                .apply(
                    &[dataset(&id, "Giá đất", "so-tai-chinh", false, &[], "CSV")],
                    &[],
                    0,
                )
                .unwrap();
        }
    }
    let reopened = SearchIndex::open(dir.path(), "test").unwrap();
    assert!(reopened.stamp_matches().unwrap());
    assert!(!SearchIndex::open(dir.path(), "other site").is_ok_and(|i| i.stamp_matches().unwrap()));
    assert_eq!(reopened.doc_count(), 50);
    assert_eq!(reopened.search(&search("gia dat")).unwrap().count, 50);
}

#[test]
fn updates_and_deletes_are_seen_at_once() {
    let index = index();
    index
        .apply(
            &[dataset(
                "bang-gia-dat",
                "Bảng giá thuê đất",
                "so-tai-chinh",
                false,
                &[],
                "CSV",
            )],
            &["ky-thuat-so".to_owned()],
            0,
        )
        .unwrap();
    assert_eq!(index.doc_count(), 4);
    assert_eq!(
        index.search(&search("thuê")).unwrap().ids(),
        ["bang-gia-dat"]
    );
    assert_eq!(index.search(&search("kỹ thuật")).unwrap().count, 0);
}

#[test]
fn any_every_and_not_combine() {
    let index = index();
    let words = |w: &str| Condition::Words(w.to_owned());
    let either = Condition::Any(vec![words("quy hoạch"), words("kỹ thuật")]);
    let mut found = index.search(&Search::new(either.clone())).unwrap().ids();
    found.sort();
    assert_eq!(found, ["ky-thuat-so", "quy-hoach-xay-dung"]);
    let without = Condition::Every(vec![
        either,
        Condition::Not(Box::new(Condition::Keyword(
            "res_format".into(),
            "PDF".into(),
        ))),
    ]);
    assert_eq!(
        index.search(&Search::new(without)).unwrap().ids(),
        ["ky-thuat-so"]
    );
    let only_not = Condition::Every(vec![Condition::Not(Box::new(words("đất")))]);
    assert_eq!(index.search(&Search::new(only_not)).unwrap().count, 2);
}

#[test]
fn facets_count_every_match_once_per_value() {
    let index = index();
    let mut s = search("");
    s.facets = vec!["res_format".into(), "tags".into()];
    s.facet_limit = 1;
    let hits = index.search(&s).unwrap();
    assert_eq!(
        hits.facets[0],
        ("res_format".to_owned(), vec![("CSV".to_owned(), 2)])
    );
    assert_eq!(hits.facets[1].1.len(), 1);
    s.facet_mincount = 3;
    assert!(index.search(&s).unwrap().facets[0].1.is_empty());
}

#[test]
fn the_result_cache_never_serves_a_page_older_than_the_last_write() {
    let index = index().with_result_cache(8);
    let renders = std::cell::Cell::new(0);
    let page = |s: &Search| {
        index
            .search_cached(s, "", |hits| {
                renders.set(renders.get() + 1);
                Ok::<_, anyhow::Error>(hits.count.to_string())
            })
            .unwrap()
    };
    assert_eq!(page(&search("đất")).json(), "2");
    assert_eq!(page(&search("đất")).json(), "2");
    assert_eq!(
        renders.get(),
        1,
        "the second search is served from the cache"
    );
    index.apply(&[], &["bang-gia-dat".to_owned()], 0).unwrap();
    assert_eq!(page(&search("đất")).json(), "1");
    let mut big = search("đất");
    big.rows = CACHED_ROWS + 1;
    page(&big);
    page(&big);
    assert_eq!(renders.get(), 4, "large pages are not kept");
}
