//! The index: one long-lived writer behind a lock (a writer per update would leave thousands
//! of tiny segments), commits with a manual reader reload so a write is searchable as soon as
//! it returns, and searches built in code, never by feeding user text to a strict parser.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::Mutex;

use anyhow::Context;
use serde_json::{json, Value};
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::AggregationCollector;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RangeQuery,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value as _};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term,
};

use super::analyzer;
use super::document::document;
use super::schema::{self, Fields};

/// Memory the writer may buffer before flushing a segment.
const WRITER_HEAP_BYTES: usize = 30_000_000;

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// Relevance, then newest change.
    Score,
    /// `metadata_modified`.
    Modified(Order),
    /// `metadata_created`.
    Created(Order),
    /// Folded title.
    Title(Order),
    /// URL name.
    Name(Order),
}

/// Which datasets the caller may see.
#[derive(Debug, Clone, Default)]
pub struct Visibility {
    /// Sysadmins see everything they ask for.
    pub sysadmin: bool,
    /// Include private datasets of `member_orgs`.
    pub include_private: bool,
    /// Include drafts of `editor_orgs` and of `user_id`.
    pub include_drafts: bool,
    /// Organisations (ids) where the caller is a member or more.
    pub member_orgs: Vec<String>,
    /// Organisations (ids) where the caller is an editor or more.
    pub editor_orgs: Vec<String>,
    /// The caller's user id.
    pub user_id: Option<String>,
}

/// A search, in the engine's terms (CKAN's syntax is read elsewhere).
#[derive(Debug, Clone)]
pub struct Search {
    /// Free text; every word must match (folded or exact).
    pub text: String,
    /// Phrases whose words must stand side by side (folded).
    pub phrases: Vec<String>,
    /// Keyword conditions: (field, value, negated).
    pub keywords: Vec<(String, String, bool)>,
    /// Time ranges in microseconds: (field, from, to).
    pub ranges: Vec<(String, Option<i64>, Option<i64>)>,
    /// Permissions.
    pub visibility: Visibility,
    /// Order.
    pub sort: SortBy,
    /// Page size.
    pub rows: usize,
    /// Page offset.
    pub start: usize,
    /// Facet fields.
    pub facets: Vec<String>,
    /// Items per facet.
    pub facet_limit: usize,
    /// Smallest count shown.
    pub facet_mincount: u64,
}

/// Facet field -> (value, count), largest first.
pub type FacetCounts = Vec<(String, Vec<(String, u64)>)>;

/// What a search found.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    /// All matching datasets.
    pub count: usize,
    /// Ids of the requested page, in order.
    pub ids: Vec<String>,
    /// Facet counts of the matching datasets.
    pub facets: FacetCounts,
}

/// The search index of the catalogue.
pub struct SearchIndex {
    reader: IndexReader,
    /// Writes not yet committed.
    pending: AtomicBool,
    writer: Mutex<IndexWriter>,
    fields: Fields,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing.
    pub fn open(dir: &Path) -> anyhow::Result<SearchIndex> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let (schema, fields) = schema::build();
        let directory = super::directory::UnsyncedDirectory::open(dir)
            .with_context(|| format!("opening the search index at {}", dir.display()))?;
        let index = Index::open_or_create(directory, schema).context("opening the search index")?;
        Self::with_index(index, fields)
    }

    /// An index in memory (tests, tools).
    pub fn in_memory() -> anyhow::Result<SearchIndex> {
        let (schema, fields) = schema::build();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    fn with_index(index: Index, fields: Fields) -> anyhow::Result<SearchIndex> {
        index
            .tokenizers()
            .register(analyzer::EXACT, analyzer::exact());
        index
            .tokenizers()
            .register(analyzer::FOLDED, analyzer::folded());
        index
            .tokenizers()
            .register(analyzer::BIGRAM, analyzer::bigram());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .context("opening a search index reader")?;
        let writer = index
            .writer_with_num_threads(1, WRITER_HEAP_BYTES)
            .context("opening the search index writer")?;
        Ok(SearchIndex {
            reader,
            pending: AtomicBool::new(false),
            writer: Mutex::new(writer),
            fields,
        })
    }

    /// Replaces (or adds) the documents of these dataset dicts and deletes `removed` ids. The
    /// commit waits for the next read: a stream of writes shares one commit (a commit costs
    /// tens of milliseconds), and every read commits what is pending first, so a search made
    /// after a write returns always sees it.
    pub fn apply(&self, dicts: &[Value], removed: &[String]) -> anyhow::Result<()> {
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        for dict in dicts {
            let id = dict.get("id").and_then(Value::as_str).unwrap_or_default();
            writer.delete_term(Term::from_field_text(self.fields.id, id));
            writer
                .add_document(document(&self.fields, dict))
                .context("indexing a dataset")?;
        }
        for id in removed {
            writer.delete_term(Term::from_field_text(self.fields.id, id));
        }
        self.pending.store(true, AtomicOrdering::SeqCst);
        Ok(())
    }

    fn refresh_or_log(&self) {
        if let Err(error) = self.refresh() {
            tracing::error!(error = format!("{error:#}"), "committing the search index");
        }
    }

    /// Commits pending changes, if any, and reloads the reader.
    pub fn refresh(&self) -> anyhow::Result<()> {
        if self.pending.load(AtomicOrdering::SeqCst) {
            let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
            // Cleared under the lock: a write landing after this is committed next time.
            if self.pending.swap(false, AtomicOrdering::SeqCst) {
                writer.commit().context("committing the search index")?;
                self.reader.reload().context("reloading the search index")?;
            }
        }
        Ok(())
    }

    /// Adds documents without committing (bulk rebuilds commit once, at the end).
    pub fn add_uncommitted(&self, dicts: &[Value]) -> anyhow::Result<()> {
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        for dict in dicts {
            writer
                .add_document(document(&self.fields, dict))
                .context("indexing a dataset")?;
        }
        Ok(())
    }

    /// Commits what was added and makes it searchable.
    pub fn commit(&self) -> anyhow::Result<()> {
        let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        writer.commit().context("committing the search index")?;
        self.pending.store(false, AtomicOrdering::SeqCst);
        self.reader.reload().context("reloading the search index")?;
        Ok(())
    }

    /// Removes every document (before a rebuild).
    pub fn clear(&self) -> anyhow::Result<()> {
        let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        writer
            .delete_all_documents()
            .context("clearing the search index")?;
        writer.commit().context("committing the search index")?;
        self.reader.reload().context("reloading the search index")?;
        Ok(())
    }

    /// The newest `metadata_modified` in the index, in microseconds.
    pub fn max_modified(&self) -> anyhow::Result<Option<i64>> {
        self.refresh()?;
        let top =
            TopDocs::with_limit(1).order_by_fast_field::<i64>("metadata_modified", Order::Desc);
        let found = self.reader.searcher().search(&AllQuery, &top)?;
        Ok(found.first().and_then(|(value, _)| *value))
    }

    /// Segments the reader currently sees (a stream of single updates must not pile them up).
    pub fn segment_count(&self) -> usize {
        self.refresh_or_log();
        self.reader.searcher().segment_readers().len()
    }

    /// Documents in the index.
    pub fn doc_count(&self) -> u64 {
        self.refresh_or_log();
        self.reader.searcher().num_docs()
    }

    fn keyword_term(&self, field: &str, value: &str) -> Option<Box<dyn Query>> {
        let field = self.fields.keyword(field)?;
        Some(Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        )))
    }

    fn any_of(&self, field: &str, values: &[String]) -> Box<dyn Query> {
        let clauses: Vec<(Occur, Box<dyn Query>)> = values
            .iter()
            .filter_map(|v| self.keyword_term(field, v))
            .map(|q| (Occur::Should, q))
            .collect();
        Box::new(BooleanQuery::new(clauses))
    }

    fn visibility_query(&self, v: &Visibility) -> Box<dyn Query> {
        let term = |f: &str, value: &str| {
            self.keyword_term(f, value)
                .unwrap_or_else(|| Box::new(AllQuery))
        };
        let state: Box<dyn Query> = if v.include_drafts && v.sysadmin {
            self.any_of("state", &["active".to_owned(), "draft".to_owned()])
        } else if v.include_drafts {
            let mut own: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Should, self.any_of("owner_org", &v.editor_orgs))];
            if let Some(user) = &v.user_id {
                own.push((Occur::Should, term("creator_user_id", user)));
            }
            let draft = BooleanQuery::new(vec![
                (Occur::Must, term("state", "draft")),
                (Occur::Must, Box::new(BooleanQuery::new(own))),
            ]);
            Box::new(BooleanQuery::new(vec![
                (Occur::Should, term("state", "active")),
                (Occur::Should, Box::new(draft)),
            ]))
        } else {
            term("state", "active")
        };
        let private: Box<dyn Query> = if v.include_private && v.sysadmin {
            Box::new(AllQuery)
        } else if v.include_private {
            Box::new(BooleanQuery::new(vec![
                (Occur::Should, term("private", "false")),
                (Occur::Should, self.any_of("owner_org", &v.member_orgs)),
            ]))
        } else {
            term("private", "false")
        };
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, state),
            (Occur::Must, private),
        ]))
    }

    /// One word of free text: its exact terms in title (strongest) and body, its folded terms
    /// likewise, so "đất" ranks land above "đạt" while "dat" finds both.
    fn word_query(&self, word: &str, fuzzy: bool) -> Option<Box<dyn Query>> {
        let exact = analyzer::terms(&mut analyzer::exact(), word);
        let folded = analyzer::terms(&mut analyzer::folded(), word);
        if folded.is_empty() {
            return None;
        }
        let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (i, folded_term) in folded.iter().enumerate() {
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            let mut add = |field: Field, text: &str, boost: f32| {
                let term = Term::from_field_text(field, text);
                let query: Box<dyn Query> = if fuzzy {
                    Box::new(FuzzyTermQuery::new(term, 1, true))
                } else {
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
                };
                alternatives.push((Occur::Should, Box::new(BoostQuery::new(query, boost))));
            };
            // Accents typed are meant: reward the exact spelling. Unaccented input is no vote
            // for the unaccented word ("gia" typed means "giá" as often as "gia").
            if let Some(exact_term) = exact.get(i).filter(|t| !t.is_ascii()) {
                add(self.fields.title, exact_term, 4.0);
                add(self.fields.body, exact_term, 1.5);
            }
            add(self.fields.title_folded, folded_term, 2.0);
            add(self.fields.body_folded, folded_term, 1.0);
            parts.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
        }
        Some(Box::new(BooleanQuery::new(parts)))
    }

    fn build_query(&self, search: &Search, fuzzy: bool) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, self.visibility_query(&search.visibility))];
        for word in search.text.split_whitespace() {
            if let Some(q) = self.word_query(word, fuzzy) {
                clauses.push((Occur::Must, q));
            }
        }
        for phrase in &search.phrases {
            let words = analyzer::terms(&mut analyzer::folded(), phrase);
            if words.len() < 2 {
                if let Some(q) = words.first().and_then(|w| self.word_query(w, fuzzy)) {
                    clauses.push((Occur::Must, q));
                }
                continue;
            }
            let phrase_in = |field: Field| -> Box<dyn Query> {
                let terms = words
                    .iter()
                    .map(|w| Term::from_field_text(field, w))
                    .collect();
                Box::new(PhraseQuery::new(terms))
            };
            let either = BooleanQuery::new(vec![
                (Occur::Should, phrase_in(self.fields.title_folded)),
                (Occur::Should, phrase_in(self.fields.body_folded)),
            ]);
            clauses.push((Occur::Must, Box::new(either)));
        }
        // Neighbouring query syllables found side by side in the text rank first.
        for pair in analyzer::terms(&mut analyzer::bigram(), &search.text) {
            let term = Term::from_field_text(self.fields.bigrams, &pair);
            let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(query), 3.0)),
            ));
        }
        for (field, value, negated) in &search.keywords {
            // An unknown field matches nothing rather than everything.
            let q = self
                .keyword_term(field, value)
                .unwrap_or_else(|| Box::new(BooleanQuery::new(vec![])));
            clauses.push((
                if *negated {
                    Occur::MustNot
                } else {
                    Occur::Must
                },
                q,
            ));
        }
        for (field, from, to) in &search.ranges {
            let field = if field == "metadata_created" {
                "metadata_created"
            } else {
                "metadata_modified"
            };
            let bound = |v: &Option<i64>| match v {
                Some(v) => std::ops::Bound::Included(Term::from_field_i64(
                    if field == "metadata_created" {
                        self.fields.metadata_created
                    } else {
                        self.fields.metadata_modified
                    },
                    *v,
                )),
                None => std::ops::Bound::Unbounded,
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(from), bound(to))),
            ));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Ids of public datasets whose title starts words with what was typed so far (the last
    /// word may be unfinished), best first: the search box's suggestions.
    pub fn suggest(&self, typed: &str, limit: usize) -> anyhow::Result<Vec<String>> {
        self.refresh()?;
        let mut words = analyzer::terms(&mut analyzer::folded(), typed);
        let Some(last) = words.pop() else {
            return Ok(Vec::new());
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, self.visibility_query(&Visibility::default()))];
        for word in &words {
            let term = Term::from_field_text(self.fields.title_folded, word);
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
            ));
        }
        // Folded terms are ASCII letters and digits only, so the pattern needs no escaping.
        let prefix = RegexQuery::from_pattern(&format!("{last}.*"), self.fields.title_folded)
            .context("prefix query")?;
        clauses.push((Occur::Must, Box::new(prefix)));
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit).order_by_score(),
        )?;
        top.into_iter()
            .map(|(_, address)| self.stored_id(&searcher, address))
            .collect()
    }

    /// The dataset id stored in a document.
    fn stored_id(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
    ) -> anyhow::Result<String> {
        let doc: TantivyDocument = searcher.doc(address)?;
        Ok(doc
            .get_first(self.fields.id)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned())
    }

    /// Short passages of `texts` with the searched words marked `<b>…</b>` (HTML-escaped
    /// otherwise). Built on the folded field, so "gia dat" highlights "giá đất" in the
    /// accented text; one entry per text, empty when nothing matched.
    pub fn snippets(&self, typed: &str, texts: &[&str]) -> anyhow::Result<Vec<String>> {
        self.refresh()?;
        let terms = analyzer::terms(&mut analyzer::folded(), typed);
        if terms.is_empty() {
            return Ok(vec![String::new(); texts.len()]);
        }
        let query = BooleanQuery::new(
            terms
                .iter()
                .map(|t| {
                    let term = Term::from_field_text(self.fields.body_folded, t);
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
                            as Box<dyn Query>,
                    )
                })
                .collect(),
        );
        let searcher = self.reader.searcher();
        let mut generator = SnippetGenerator::create(&searcher, &query, self.fields.body_folded)?;
        generator.set_max_num_chars(200);
        Ok(texts
            .iter()
            .map(|text| {
                let snippet = generator.snippet(text);
                if snippet.highlighted().is_empty() {
                    String::new()
                } else {
                    snippet.to_html()
                }
            })
            .collect())
    }

    /// Runs a search. A query that finds nothing is tried again with one typo allowed per word.
    pub fn search(&self, search: &Search) -> anyhow::Result<Hits> {
        self.refresh()?;
        let hits = self.run(search, false)?;
        if hits.count == 0 && !(search.text.trim().is_empty() && search.phrases.is_empty()) {
            return self.run(search, true);
        }
        Ok(hits)
    }

    fn run(&self, search: &Search, fuzzy: bool) -> anyhow::Result<Hits> {
        let searcher = self.reader.searcher();
        let query = self.build_query(search, fuzzy);
        let top = TopDocs::with_limit(search.rows.max(1)).and_offset(search.start);
        let (count, addresses) = match search.sort {
            SortBy::Score if !search.text.trim().is_empty() || !search.phrases.is_empty() => {
                top_addresses(&searcher, &query, top.order_by_score())?
            }
            SortBy::Score => top_addresses(
                &searcher,
                &query,
                top.order_by_fast_field::<i64>("metadata_modified", Order::Desc),
            )?,
            SortBy::Modified(order) => top_addresses(
                &searcher,
                &query,
                top.order_by_fast_field::<i64>("metadata_modified", order),
            )?,
            SortBy::Created(order) => top_addresses(
                &searcher,
                &query,
                top.order_by_fast_field::<i64>("metadata_created", order),
            )?,
            SortBy::Title(order) => top_addresses(
                &searcher,
                &query,
                top.order_by_string_fast_field("title_sort", order),
            )?,
            SortBy::Name(order) => top_addresses(
                &searcher,
                &query,
                top.order_by_string_fast_field("name", order),
            )?,
        };
        let ids = if search.rows == 0 {
            Vec::new()
        } else {
            addresses
                .into_iter()
                .map(|address| self.stored_id(&searcher, address))
                .collect::<anyhow::Result<_>>()?
        };
        let facets = self.facets(&searcher, query.as_ref(), search)?;
        Ok(Hits { count, ids, facets })
    }

    fn facets(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        search: &Search,
    ) -> anyhow::Result<FacetCounts> {
        let wanted: Vec<&String> = search
            .facets
            .iter()
            .filter(|f| self.fields.keyword(f).is_some())
            .collect();
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let mut request = serde_json::Map::new();
        for field in &wanted {
            request.insert(
                (*field).clone(),
                json!({"terms": {
                    "field": field, "size": search.facet_limit.max(1),
                    "min_doc_count": search.facet_mincount.max(1),
                }}),
            );
        }
        let aggregations: Aggregations =
            serde_json::from_value(Value::Object(request)).context("facet request")?;
        let collector = AggregationCollector::from_aggs(aggregations, Default::default());
        let results =
            serde_json::to_value(searcher.search(query, &collector)?).context("facet results")?;
        Ok(wanted
            .into_iter()
            .map(|field| {
                let buckets = results[field.as_str()]["buckets"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                let items = buckets
                    .iter()
                    .filter_map(|b| Some((b["key"].as_str()?.to_owned(), b["doc_count"].as_u64()?)))
                    .collect();
                (field.clone(), items)
            })
            .collect())
    }
}

/// The total count and the addresses of a page, in the collector's order.
fn top_addresses<K, C>(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    top: C,
) -> tantivy::Result<(usize, Vec<DocAddress>)>
where
    C: tantivy::collector::Collector<Fruit = Vec<(K, DocAddress)>>,
{
    let (count, docs) = searcher.search(query, &(Count, top))?;
    Ok((
        count,
        docs.into_iter().map(|(_, address)| address).collect(),
    ))
}

impl Drop for SearchIndex {
    /// Commits what is pending, so a clean shutdown leaves the index in step.
    fn drop(&mut self) {
        self.refresh_or_log();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn dataset(
        id: &str,
        title: &str,
        org: &str,
        private: bool,
        tags: &[&str],
        format: &str,
    ) -> Value {
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
            )
            .unwrap();
        index
    }

    fn search(text: &str) -> Search {
        Search {
            text: text.to_owned(),
            phrases: vec![],
            keywords: vec![],
            ranges: vec![],
            visibility: Visibility::default(),
            sort: SortBy::Score,
            rows: 10,
            start: 0,
            facets: vec![],
            facet_limit: 50,
            facet_mincount: 1,
        }
    }

    #[test]
    fn accents_rank_the_intended_word_first_and_folding_finds_both() {
        let index = index();
        let hits = index.search(&search("đất")).unwrap();
        assert_eq!(hits.ids[0], "bang-gia-dat");
        let hits = index.search(&search("đạt")).unwrap();
        assert_eq!(hits.ids[0], "truong-dat-chuan");
        let hits = index.search(&search("dat")).unwrap();
        assert_eq!(
            hits.count, 2,
            "folded query finds land and standard: {:?}",
            hits.ids
        );
        let nfd: String = "giá đất".nfd().collect();
        assert_eq!(index.search(&search(&nfd)).unwrap().ids[0], "bang-gia-dat");
        assert_eq!(
            index.search(&search("GIA DAT")).unwrap().ids[0],
            "bang-gia-dat"
        );
    }

    #[test]
    fn spelling_variants_and_typos_still_find() {
        let index = index();
        assert_eq!(
            index.search(&search("qui hoạch")).unwrap().ids,
            ["quy-hoach-xay-dung"]
        );
        assert_eq!(
            index.search(&search("kĩ thuật")).unwrap().ids,
            ["ky-thuat-so"]
        );
        assert_eq!(
            index.search(&search("hoach xay dunh")).unwrap().ids,
            ["quy-hoach-xay-dung"]
        );
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
        s.keywords = vec![("res_format".into(), "CSV".into(), false)];
        s.sort = SortBy::Name(Order::Asc);
        assert_eq!(
            index.search(&s).unwrap().ids,
            ["bang-gia-dat", "ky-thuat-so", "noi-bo"]
        );
    }

    #[test]
    fn suggestions_complete_the_last_word() {
        let index = index();
        assert_eq!(index.suggest("bang gia d", 5).unwrap(), ["bang-gia-dat"]);
        assert_eq!(index.suggest("Quy hoạ", 5).unwrap(), ["quy-hoach-xay-dung"]);
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
        s.phrases = vec!["quy hoạch xây dựng".into()];
        assert_eq!(index.search(&s).unwrap().ids, ["quy-hoach-xay-dung"]);
        s.phrases = vec!["xây dựng quy hoạch".into()];
        assert_eq!(index.search(&s).unwrap().count, 0);
    }

    #[test]
    fn an_index_on_disk_keeps_its_documents_across_reopening() {
        let dir = tempfile::tempdir().unwrap();
        {
            let index = SearchIndex::open(dir.path()).unwrap();
            for i in 0..50 {
                let id = format!("bo-du-lieu-{i}");
                index
                    .apply(
                        &[dataset(&id, "Giá đất", "so-tai-chinh", false, &[], "CSV")],
                        &[],
                    )
                    .unwrap();
            }
        }
        let reopened = SearchIndex::open(dir.path()).unwrap();
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
            )
            .unwrap();
        assert_eq!(index.doc_count(), 4);
        assert_eq!(index.search(&search("thuê")).unwrap().ids, ["bang-gia-dat"]);
        assert_eq!(index.search(&search("kỹ thuật")).unwrap().count, 0);
    }
}
