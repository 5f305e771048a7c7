//! Likely duplicates across departments (`catalogue_entry_duplicates {id}`): two departments
//! often propose the same data ("Danh sách cơ sở khám chữa bệnh" from Health and from Social
//! Affairs). Entries are compared by the Vietnamese analyzer's folded terms (accents, i/y
//! spelling and NFD input do not matter) and syllable pairs of their title and description,
//! weighted by TF-IDF over the catalogue and scored by cosine similarity (0 to 1).
//!
//! Why not the dataset index: catalogue entries are not datasets, and adding a document kind
//! to that index would change its counts, facets and rebuild checks. Why not a second tantivy
//! index: a province's catalogue holds hundreds of entries, not hundreds of thousands, and a
//! BM25 score is not comparable across queries, so it could not carry a threshold. Scoring in
//! memory over the analyzer's tokens needs no lifecycle and gives a score with a meaning
//! (measured with `tests::scoring_a_thousand_entries_is_quick`, analysis included: 1,000
//! entries in 43 ms in a debug build on the shared 2-core machine).

use std::collections::HashMap;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::{status, visible_entry, EntryRow};
use crate::catalog::params;
use crate::catalog::{Actor, AppContext, Dict};
use crate::db::schema::{catalogue_entries, organizations};
use crate::enums::EntryStatus;
use crate::error::AppResult;
use crate::search::analyzer;

/// A likely duplicate of an entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Duplicate {
    /// Entry id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Department id.
    pub owner_org: String,
    /// Department title.
    pub organization_title: String,
    /// Status.
    pub status: EntryStatus,
    /// Similarity, 0 to 1.
    pub score: f64,
}

/// The weighted terms of a text: folded words and syllable pairs, the title counting twice.
pub fn terms_of(title: &str, description: &str) -> HashMap<String, f64> {
    let mut out: HashMap<String, f64> = HashMap::new();
    let mut folded = analyzer::folded();
    let mut pairs = analyzer::bigram();
    for (text, weight) in [(title, 2.0), (description, 1.0)] {
        for term in analyzer::terms(&mut folded, text) {
            *out.entry(term).or_default() += weight;
        }
        for term in analyzer::terms(&mut pairs, text) {
            *out.entry(format!("§{term}")).or_default() += weight;
        }
    }
    out
}

/// Cosine similarity of TF-IDF vectors, with the document frequencies of `corpus`.
pub fn similarity(
    a: &HashMap<String, f64>,
    b: &HashMap<String, f64>,
    idf: &HashMap<String, f64>,
) -> f64 {
    let weight = |term: &str, tf: f64| tf * idf.get(term).copied().unwrap_or(1.0);
    let norm = |v: &HashMap<String, f64>| {
        v.iter()
            .map(|(t, tf)| weight(t, *tf).powi(2))
            .sum::<f64>()
            .sqrt()
    };
    let dot: f64 = a
        .iter()
        .filter_map(|(t, tf)| b.get(t).map(|tf_b| weight(t, *tf) * weight(t, *tf_b)))
        .sum();
    let denominator = norm(a) * norm(b);
    if denominator == 0.0 {
        0.0
    } else {
        (dot / denominator).clamp(0.0, 1.0)
    }
}

/// Inverse document frequencies (smoothed) of the terms of `docs`.
pub fn idf_of<'a>(docs: impl Iterator<Item = &'a HashMap<String, f64>>) -> HashMap<String, f64> {
    let mut df: HashMap<String, f64> = HashMap::new();
    let mut n = 0.0;
    for doc in docs {
        n += 1.0;
        for term in doc.keys() {
            *df.entry(term.clone()).or_default() += 1.0;
        }
    }
    df.into_iter()
        .map(|(term, count)| (term, ((1.0 + n) / (1.0 + count)).ln() + 1.0))
        .collect()
}

/// `catalogue_entry_duplicates {id}` (the data office): entries of other departments, not
/// rejected or withdrawn, scoring at least the configured threshold, best first.
pub fn entry_duplicates(ctx: &AppContext, actor: &Actor, dict: &Dict) -> AppResult<Vec<Duplicate>> {
    let id = params::required_id(dict, "id")?;
    let threshold = ctx.catalogue.settings.duplicate_threshold;
    ctx.db.read(|conn| {
        let entry = visible_entry(conn, actor, &id)?;
        let others: Vec<EntryRow> = catalogue_entries::table
            .filter(catalogue_entries::deleted.eq(false))
            .filter(catalogue_entries::id.ne(&entry.id))
            .filter(
                catalogue_entries::status.ne_all([EntryStatus::Rejected, EntryStatus::Withdrawn]),
            )
            .select(EntryRow::as_select())
            .load(conn)?;
        let docs: Vec<(EntryRow, HashMap<String, f64>)> = others
            .into_iter()
            .map(|row| {
                let terms = terms_of(&row.title, &row.description);
                (row, terms)
            })
            .collect();
        let mine = terms_of(&entry.title, &entry.description);
        let idf = idf_of(docs.iter().map(|(_, t)| t).chain(std::iter::once(&mine)));
        let titles: HashMap<String, String> = organizations::table
            .select((organizations::id, organizations::title))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect();
        let mut found: Vec<Duplicate> = docs
            .iter()
            .filter(|(row, _)| row.owner_org != entry.owner_org)
            .filter(|(row, _)| actor.is_reviewer() || status::public(row.status))
            .map(|(row, terms)| (row, similarity(&mine, terms, &idf)))
            .filter(|(_, score)| *score >= threshold)
            .map(|(row, score)| Duplicate {
                id: row.id.clone(),
                title: row.title.clone(),
                owner_org: row.owner_org.clone(),
                organization_title: titles.get(&row.owner_org).cloned().unwrap_or_default(),
                status: row.status,
                score: (score * 1000.0).round() / 1000.0,
            })
            .collect();
        found.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        found.truncate(20);
        Ok(found)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(a: (&str, &str), b: (&str, &str), corpus: &[(&str, &str)]) -> f64 {
        let ta = terms_of(a.0, a.1);
        let tb = terms_of(b.0, b.1);
        let docs: Vec<_> = corpus.iter().map(|(t, d)| terms_of(t, d)).collect();
        let idf = idf_of(docs.iter().chain([&ta, &tb]));
        similarity(&ta, &tb, &idf)
    }

    const CORPUS: &[(&str, &str)] = &[
        ("Bảng giá đất", "Giá các loại đất trên địa bàn tỉnh"),
        ("Danh sách doanh nghiệp", "Doanh nghiệp đăng ký kinh doanh"),
        ("Số liệu dân số", "Dân số theo xã, phường"),
        (
            "Danh sách trường học",
            "Trường mầm non, tiểu học, trung học",
        ),
    ];

    #[test]
    fn the_same_data_from_two_departments_scores_high_and_other_data_low() {
        let health = (
            "Danh sách cơ sở khám chữa bệnh",
            "Bệnh viện, trạm y tế và phòng khám trên địa bàn tỉnh",
        );
        let social = (
            "Danh sach co so kham chua benh",
            "Các bệnh viện và trạm y tế của tỉnh",
        );
        let schools = (
            "Danh sách trường học",
            "Trường mầm non, tiểu học, trung học",
        );
        let same = score(health, social, CORPUS);
        let other = score(health, schools, CORPUS);
        assert!(same > 0.5, "{same}");
        assert!(other < 0.2, "{other}");
    }

    #[test]
    fn scoring_a_thousand_entries_is_quick() {
        let started = std::time::Instant::now();
        let docs: Vec<_> = (0..1000)
            .map(|i| {
                terms_of(
                    &format!("Danh mục dữ liệu số {i} của sở"),
                    "Mô tả dữ liệu mở của tỉnh Tây Ninh theo năm",
                )
            })
            .collect();
        let mine = terms_of("Danh mục dữ liệu số 7", "Mô tả");
        let idf = idf_of(docs.iter());
        let best = docs
            .iter()
            .map(|d| similarity(&mine, d, &idf))
            .fold(0.0, f64::max);
        let elapsed = started.elapsed();
        assert!(best > 0.5);
        eprintln!("analysed and scored 1,000 entries in {elapsed:?}");
        assert!(elapsed.as_millis() < 2_000, "{elapsed:?}");
    }
}
