//! The index: one long-lived writer behind a lock (a writer per update would leave thousands
//! of tiny segments), commits that wait for the next read so a burst of writes shares one, and
//! searches that answer from the index alone: hits, counts and facets in one pass, and the
//! dataset dicts stored beside the terms (as CKAN keeps them in Solr), so a result page costs
//! no database round trip.

use std::collections::HashSet;
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex};

use anyhow::Context;
use serde_json::Value;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery, TermSetQuery,
};
use tantivy::schema::{IndexRecordOption, Value as _};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, DocId, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher,
    TantivyDocument, Term,
};

use super::analyzer;
pub use super::cache::EncodedPage;
mod lifecycle;

use super::cache::{self, ResultCache};
use super::did_you_mean;
use super::document::document;
use super::facets::{self, FacetCollector, FacetCounts, FacetValues};
use super::query::QueryBuilder;
pub use super::query::{Condition, Visibility};
use super::schema::{self, Fields};
use super::sort::{self, TimeColumns};
pub use super::sort::{SortBy, SortField};
use super::synonyms::Synonyms;
use lifecycle::CommitPayload;

/// Memory the writer may buffer before flushing a segment (shared by its threads).
const WRITER_HEAP_BYTES: usize = 40_000_000;
/// Indexing threads: both cores during a rebuild; a single update uses one.
const WRITER_THREADS: usize = 2;

/// Most completions of an unfinished word tried by suggestions (a one-letter prefix would
/// otherwise expand to thousands of words).
const COMPLETIONS: usize = 256;

/// Completions of the unfinished word tried in the typed-order ranking of suggestions.
const PHRASE_COMPLETIONS: usize = 32;

/// A long text ([`TOP_UP_WORDS`] words or more) that finds fewer datasets than this with
/// every word is followed by those with most of its words ([`SearchIndex::topped_up`]).
const TOP_UP_BELOW: usize = 3;

/// Shortest text topped up: natural phrases, not two-word searches that found their dataset.
const TOP_UP_WORDS: usize = 4;

/// Largest page kept in the result cache: deep pages of a thousand dicts are rare and large.
const CACHED_ROWS: usize = 100;

/// A search, in the engine's terms (CKAN's syntax is read elsewhere).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Search {
    /// What the datasets must satisfy.
    pub condition: Condition,
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

impl Search {
    /// A search for a condition with CKAN's defaults: ten rows, no facets, public datasets.
    pub fn new(condition: Condition) -> Search {
        Search {
            condition,
            visibility: Visibility::default(),
            sort: SortBy::default(),
            rows: 10,
            start: 0,
            facets: Vec::new(),
            facet_limit: 50,
            facet_mincount: 1,
        }
    }
}

/// What a search found.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    /// All matching datasets.
    pub count: usize,
    /// The dataset dicts of the requested page (as JSON text), in order.
    pub results: Vec<String>,
    /// Facet counts of the matching datasets.
    pub facets: FacetCounts,
    /// The results come from a retry that asked less than the text says (a typo allowed in
    /// every word, or only half of the words): closest matches, not exact ones.
    pub relaxed: bool,
    /// Corrected texts of the search ("did you mean"), when it found little or has words no
    /// dataset holds ([`did_you_mean`]).
    pub suggestions: Vec<String>,
}

/// A keyword value of the public datasets, with its folded form and how many datasets have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeywordValue {
    /// The value as stored (a tag, an organisation name…).
    pub value: String,
    /// Its folded words joined by spaces ("Giá đất" -> "gia dat"), for matching typed text.
    pub folded: String,
    /// Public datasets with this value.
    pub count: u64,
}

/// The values of one keyword field, computed for one searcher generation.
type ValuesAt = (u64, Arc<Vec<KeywordValue>>);

/// The search index of the catalogue.
pub struct SearchIndex {
    /// Public values per keyword field (tag suggestions), for the generation they were read at.
    public_values: Mutex<std::collections::HashMap<String, ValuesAt>>,
    index: Index,
    facet_values: Arc<FacetValues>,
    times: Arc<TimeColumns>,
    results: Option<Mutex<ResultCache>>,
    reader: IndexReader,
    /// Writes not yet committed.
    pending: AtomicBool,
    /// The database change log position the next commit records (see `catalog::changes`).
    applied_seq: AtomicI64,
    /// A background repair is under way (one at a time).
    repairing: AtomicBool,
    /// Ids written by `apply` while a rebuild runs (None when none runs): the rebuild must not
    /// add its older copy of them. Locked only while the writer lock is held.
    written_during_rebuild: Mutex<Option<HashSet<String>>>,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// Written with every commit: what the stored dicts were built for (format, site URL).
    stamp: String,
    /// Synonym groups applied to searches (`config/synonyms.txt`).
    synonyms: Synonyms,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing. `stamp` names what the stored
    /// dicts depend on; an index committed under another stamp is out of step.
    pub fn open(dir: &Path, stamp: &str) -> anyhow::Result<SearchIndex> {
        Self::open_with_writer_memory(dir, stamp, WRITER_HEAP_BYTES)
    }

    /// As [`Self::open`], with a writer buffering up to `writer_bytes` before it writes a
    /// segment: a rebuild run alone (`dataportal reindex`) goes faster with fewer, larger
    /// segments to merge.
    pub fn open_with_writer_memory(
        dir: &Path,
        stamp: &str,
        writer_bytes: usize,
    ) -> anyhow::Result<SearchIndex> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let (schema, fields) = schema::build();
        let directory = super::directory::UnsyncedDirectory::open(dir)
            .with_context(|| format!("opening the search index at {}", dir.display()))?;
        let index = Index::open_or_create(directory, schema).context("opening the search index")?;
        Self::with_index(index, fields, stamp, writer_bytes)
    }

    /// An index in memory (tests, tools).
    pub fn in_memory() -> anyhow::Result<SearchIndex> {
        let (schema, fields) = schema::build();
        Self::with_index(Index::create_in_ram(schema), fields, "", WRITER_HEAP_BYTES)
    }

    fn with_index(
        mut index: Index,
        fields: Fields,
        stamp: &str,
        writer_bytes: usize,
    ) -> anyhow::Result<SearchIndex> {
        // Segments of one search are read on all cores: a lone visitor's search answers
        // sooner, and under load the cores are shared anyway.
        index
            .set_default_multithread_executor()
            .context("starting the search threads")?;
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
            .writer_with_num_threads(WRITER_THREADS, writer_bytes)
            .context("opening the search index writer")?;
        Ok(SearchIndex {
            public_values: Mutex::default(),
            index,
            facet_values: Arc::default(),
            times: Arc::default(),
            results: None,
            reader,
            pending: AtomicBool::new(false),
            applied_seq: AtomicI64::new(0),
            repairing: AtomicBool::new(false),
            written_during_rebuild: Mutex::new(None),
            writer: Mutex::new(writer),
            fields,
            stamp: stamp.to_owned(),
            synonyms: Synonyms::shipped(),
        })
    }

    /// Keeps up to `entries` result pages for repeated searches (0: none), in at most
    /// [`cache::DEFAULT_MAX_BYTES`].
    pub fn with_result_cache(self, entries: usize) -> SearchIndex {
        self.with_result_cache_limits(entries, cache::DEFAULT_MAX_BYTES)
    }

    /// Keeps up to `entries` result pages for repeated searches in at most `bytes` (0 for
    /// either: none).
    pub fn with_result_cache_limits(mut self, entries: usize, bytes: usize) -> SearchIndex {
        self.results = NonZeroUsize::new(entries)
            .filter(|_| bytes > 0)
            .map(|n| Mutex::new(ResultCache::new(n, bytes)));
        self
    }

    /// Applies these synonym groups to searches (the shipped list otherwise).
    pub fn with_synonyms(mut self, synonyms: Synonyms) -> SearchIndex {
        self.synonyms = synonyms;
        self
    }

    /// Bytes the result cache holds (pages and their bookkeeping).
    pub fn result_cache_bytes(&self) -> usize {
        self.results.as_ref().map_or(0, |c| locked(c).bytes())
    }

    fn lock_writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn commit_locked(&self, writer: &mut IndexWriter) -> anyhow::Result<()> {
        let mut commit = writer
            .prepare_commit()
            .context("preparing an index commit")?;
        // While a rebuild runs the index is partial: it records no change-log position, so
        // a crash then means a rebuild at the next start.
        let applied_seq = match self.rebuild_set().is_some() {
            true => None,
            false => Some(self.applied_seq.load(AtomicOrdering::SeqCst)),
        };
        let payload = CommitPayload {
            stamp: self.stamp.clone(),
            applied_seq,
        };
        commit.set_payload(&serde_json::to_string(&payload).context("encoding the index stamp")?);
        commit.commit().context("committing the search index")?;
        self.reader.reload().context("reloading the search index")?;
        let searcher = self.reader.searcher();
        let live: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        self.facet_values.retain(&live);
        self.times.retain(&live);
        if let Some(results) = &self.results {
            locked(results).clear();
        }
        Ok(())
    }

    /// Replaces (or adds) the documents of these dataset dicts and deletes `removed` ids. The
    /// commit waits for the next read: a stream of writes shares one commit (a commit costs
    /// tens of milliseconds), and every read commits what is pending first, so a search made
    /// after a write returns always sees it.
    /// `seq` is the change-log position the database had reached when the dicts were read.
    pub fn apply(&self, dicts: &[Value], removed: &[String], seq: i64) -> anyhow::Result<()> {
        let writer = self.lock_writer();
        let mut rebuilding = self.rebuild_set();
        for dict in dicts {
            let id = dict.get("id").and_then(Value::as_str).unwrap_or_default();
            if let Some(written) = rebuilding.as_mut() {
                written.insert(id.to_owned());
            }
            writer.delete_term(Term::from_field_text(self.fields.id, id));
            writer
                .add_document(document(&self.fields, dict))
                .context("indexing a dataset")?;
        }
        for id in removed {
            if let Some(written) = rebuilding.as_mut() {
                written.insert(id.clone());
            }
            writer.delete_term(Term::from_field_text(self.fields.id, id));
        }
        self.applied_seq.fetch_max(seq, AtomicOrdering::SeqCst);
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
            let mut writer = self.lock_writer();
            // Cleared under the lock: a write landing after this is committed next time.
            if self.pending.swap(false, AtomicOrdering::SeqCst) {
                self.commit_locked(&mut writer)?;
            }
        }
        Ok(())
    }

    /// The index document of a dataset dict (pure: may run on any thread).
    pub fn document(&self, dict: &Value) -> TantivyDocument {
        document(&self.fields, dict)
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

    /// Stored dicts (JSON text) of public datasets whose title starts words with what was
    /// typed so far (the last word may be unfinished), best first: the search box's
    /// suggestions.
    pub fn suggest(&self, typed: &str, limit: usize) -> anyhow::Result<Vec<String>> {
        self.refresh()?;
        let mut builder = QueryBuilder::new(&self.fields);
        let mut words = builder.folded_terms(typed);
        let Some(last) = words.pop() else {
            return Ok(Vec::new());
        };
        let searcher = self.reader.searcher();
        let completions = self.title_terms_starting(&searcher, &last)?;
        if completions.is_empty() {
            return Ok(Vec::new());
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, builder.visibility(&Visibility::default())),
            (Occur::Must, Box::new(TermSetQuery::new(completions))),
        ];
        // Finished words must be in the title; their own score only breaks ties (shorter
        // titles first): where they stand matters more than how often they repeat (below).
        for word in &words {
            let term = Term::from_field_text(self.fields.title_folded, word);
            let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
            clauses.push((Occur::Must, Box::new(BoostQuery::new(Box::new(query), 0.2))));
        }
        // Accents typed are meant: "giá đ" prefers "Giá đất" to "quốc gia đặc biệt".
        let exact = analyzer::terms(&mut analyzer::exact(), typed);
        for word in exact.iter().filter(|w| !w.is_ascii()) {
            let term = Term::from_field_text(self.fields.title, word);
            let query = TermQuery::new(term, IndexRecordOption::Basic);
            clauses.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(Box::new(query), 1.0)),
            ));
        }
        if let Some(before) = words.last() {
            clauses.extend(self.typed_order_boosts(&searcher, before, &last)?);
        }
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit).order_by_score(),
        )?;
        top.into_iter()
            .map(|(_, address)| self.stored_text(&searcher, address, self.fields.dict))
            .collect()
    }

    /// Ranking for suggestions: datasets where the last finished word is followed by a
    /// completion of the unfinished one ("gia d" -> "giá đất", "gia đình"), the completions
    /// found in more datasets first. Read from the syllable-pair field: a few term lookups,
    /// where a phrase-prefix query cost milliseconds.
    fn typed_order_boosts(
        &self,
        searcher: &Searcher,
        before: &str,
        prefix: &str,
    ) -> anyhow::Result<Vec<(Occur, Box<dyn Query>)>> {
        let pair_prefix = format!("{before}_{prefix}");
        let mut pairs = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let index = segment.inverted_index(self.fields.bigrams)?;
            let mut terms = index
                .terms()
                .range()
                .ge(pair_prefix.as_bytes())
                .into_stream()?;
            while terms.advance() && terms.key().starts_with(pair_prefix.as_bytes()) {
                pairs.insert(terms.key().to_vec());
                if pairs.len() >= PHRASE_COMPLETIONS {
                    break;
                }
            }
        }
        let mut boosts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for pair in pairs.iter().filter_map(|p| std::str::from_utf8(p).ok()) {
            let term = Term::from_field_text(self.fields.bigrams, pair);
            let datasets = searcher.doc_freq(&term)?;
            let query = TermQuery::new(term, IndexRecordOption::Basic);
            let weight = 5.0 + (datasets as f32).ln_1p();
            boosts.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(Box::new(query), weight)),
            ));
        }
        Ok(boosts)
    }

    /// Folded title words that start with `prefix` (at most [`COMPLETIONS`] of them, in
    /// alphabetical order), read from the term dictionaries.
    fn title_terms_starting(&self, searcher: &Searcher, prefix: &str) -> anyhow::Result<Vec<Term>> {
        let mut found = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let index = segment.inverted_index(self.fields.title_folded)?;
            let mut terms = index.terms().range().ge(prefix.as_bytes()).into_stream()?;
            while terms.advance() && terms.key().starts_with(prefix.as_bytes()) {
                found.insert(terms.key().to_vec());
                if found.len() >= COMPLETIONS {
                    break;
                }
            }
        }
        Ok(found
            .iter()
            .filter_map(|bytes| std::str::from_utf8(bytes).ok())
            .map(|text| Term::from_field_text(self.fields.title_folded, text))
            .collect())
    }

    /// A stored text field of a document.
    fn stored_text(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        field: tantivy::schema::Field,
    ) -> anyhow::Result<String> {
        let doc: TantivyDocument = searcher.doc(address)?;
        Ok(doc
            .get_first(field)
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
                    let term = Term::from_field_text(self.fields.all_folded, t);
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
                            as Box<dyn Query>,
                    )
                })
                .collect(),
        );
        let searcher = self.reader.searcher();
        let mut generator = SnippetGenerator::create(&searcher, &query, self.fields.all_folded)?;
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

    /// Runs a search. A query that finds nothing is tried again with one typo allowed per word
    /// (short queries only: [`QueryBuilder::typos_worth_trying`]), then with half its words
    /// required, ranked by how many and which words match ([`Pass`]).
    pub fn search(&self, search: &Search) -> anyhow::Result<Hits> {
        self.refresh()?;
        self.search_in(&self.reader.searcher(), search)
    }

    fn search_in(&self, searcher: &Searcher, search: &Search) -> anyhow::Result<Hits> {
        let mut text = String::new();
        search.condition.ranking_text(&mut text);
        let mut hits = self.passes(searcher, search, &text)?;
        let folded = QueryBuilder::new(&self.fields).folded_terms(&text);
        let exact = analyzer::terms(&mut analyzer::exact(), &text);
        hits.suggestions = did_you_mean::suggestions(
            searcher,
            self.fields.all_folded,
            &self.synonyms,
            (&exact, &folded),
            // Results of the relaxed retry lack some word: as good as few.
            if hits.relaxed { 0 } else { hits.count },
        )?;
        Ok(hits)
    }

    /// The hits of the first pass that finds something ([`Pass`]).
    fn passes(&self, searcher: &Searcher, search: &Search, text: &str) -> anyhow::Result<Hits> {
        let hits = self.run(searcher, search, Pass::Strict)?;
        let mut builder = QueryBuilder::new(&self.fields);
        let by_relevance = sort_keys(&search.sort, true).first() == Some(&(SortField::Score, true));
        if hits.count > 0
            && hits.count < TOP_UP_BELOW
            && by_relevance
            && builder.folded_terms(text).len() >= TOP_UP_WORDS
        {
            return self.topped_up(searcher, search, hits);
        }
        if hits.count > 0 {
            return Ok(hits);
        }
        if builder.typos_worth_trying(text) {
            let hits = self.run(searcher, search, Pass::Typos)?;
            if hits.count > 0 {
                return Ok(hits);
            }
        }
        if builder.folded_terms(text).len() >= 2 {
            return self.run(searcher, search, Pass::Relaxed);
        }
        Ok(hits)
    }

    /// The few datasets with every word of a long text first, then those with most of its
    /// words (the relaxed pass), so a natural phrase matched whole by one dataset still
    /// lists its near neighbours. Counts and facets are the relaxed pass's (a superset).
    fn topped_up(
        &self,
        searcher: &Searcher,
        search: &Search,
        strict: Hits,
    ) -> anyhow::Result<Hits> {
        let every = strict.count;
        let exact = if search.start == 0 && search.rows >= every {
            strict.results
        } else {
            let mut all = search.clone();
            (all.start, all.rows, all.facets) = (0, every, Vec::new());
            self.run(searcher, &all, Pass::Strict)?.results
        };
        let mut wide = search.clone();
        (wide.start, wide.rows) = (0, search.start + search.rows + every);
        let relaxed = self.run(searcher, &wide, Pass::Relaxed)?;
        let more = relaxed.results.into_iter().filter(|r| !exact.contains(r));
        let results = exact
            .iter()
            .cloned()
            .chain(more)
            .skip(search.start)
            .take(search.rows)
            .collect();
        Ok(Hits {
            count: relaxed.count.max(every),
            results,
            facets: relaxed.facets,
            relaxed: false,
            suggestions: Vec::new(),
        })
    }

    /// A search page as the caller renders it (`render` turns the hits into text; `variant`
    /// names anything else the text depends on), kept for repeated searches until the index
    /// changes: the catalogue front page and popular queries cost a lookup.
    pub fn search_cached<E: From<anyhow::Error>>(
        &self,
        search: &Search,
        variant: &str,
        render: impl FnOnce(&Hits) -> Result<String, E>,
    ) -> Result<Arc<EncodedPage>, E> {
        self.refresh()?;
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        // Hashed before the lock is taken: the largest search accepted is ~300 KB of text,
        // ~0.2 ms of SHA-256 (1.4 GB/s measured here with `openssl speed`).
        let cache = self
            .results
            .as_ref()
            .filter(|_| search.rows <= CACHED_ROWS)
            .map(|results| (results, cache::key(generation, search, variant)));
        if let Some(page) = cache.as_ref().and_then(|(c, key)| locked(c).get(key)) {
            return Ok(page);
        }
        let hits = self.search_in(&searcher, search)?;
        let page = Arc::new(EncodedPage::new(render(&hits)?));
        if let Some((results, key)) = cache {
            locked(results).put(key, page.clone());
        }
        Ok(page)
    }

    /// Every value of a keyword field among public datasets, most used first, read from the
    /// index once per change of it (tag suggestions must not leak tags of private datasets,
    /// and reading them from the database took hundreds of milliseconds at 100,000 datasets).
    pub fn public_values(&self, field: &str) -> anyhow::Result<Arc<Vec<KeywordValue>>> {
        self.refresh()?;
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        let mut cached = self.public_values.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((at, values)) = cached.get(field) {
            if *at == generation {
                return Ok(values.clone());
            }
        }
        let mut search = Search::new(Condition::All);
        search.rows = 0;
        search.facets = vec![field.to_owned()];
        search.facet_limit = usize::MAX;
        let hits = self.run(&searcher, &search, Pass::Strict)?;
        let mut folder = QueryBuilder::new(&self.fields);
        let values: Vec<KeywordValue> = hits
            .facets
            .into_iter()
            .flat_map(|(_, items)| items)
            .map(|(value, count)| KeywordValue {
                folded: folder.folded_terms(&value).join(" "),
                value,
                count,
            })
            .collect();
        let values = Arc::new(values);
        cached.insert(field.to_owned(), (generation, values.clone()));
        Ok(values)
    }

    fn run(&self, searcher: &Searcher, search: &Search, pass: Pass) -> anyhow::Result<Hits> {
        let mut builder = QueryBuilder::new(&self.fields)
            .over(searcher)
            .with_synonyms(&self.synonyms);
        builder.fuzzy = pass == Pass::Typos;
        builder.relaxed = pass == Pass::Relaxed;
        let mut clauses = vec![
            (Occur::Must, builder.visibility(&search.visibility)),
            (Occur::Must, builder.condition(&search.condition)),
        ];
        let mut text = String::new();
        search.condition.ranking_text(&mut text);
        clauses.extend(builder.ranking_boosts(&text));
        let query = BooleanQuery::new(clauses);

        let facet_fields: Vec<String> = search
            .facets
            .iter()
            .filter(|f| self.fields.keyword(f).is_some())
            .cloned()
            .collect();
        let facets = FacetCollector {
            fields: facet_fields.clone(),
            values: &self.facet_values,
        };
        let top = || TopDocs::with_limit(search.rows.max(1)).and_offset(search.start);
        let by_text = |field: &'static str, order| top().order_by_string_fast_field(field, order);
        let by_time = |field: &'static str, descending: bool| {
            let times = self.times.clone();
            top().order_by(move |segment: &tantivy::SegmentReader| {
                let values = times.get(segment, field);
                move |doc: DocId| {
                    let time = values.get(doc as usize).copied().unwrap_or(i64::MIN);
                    sort::time_key(time, descending)
                }
            })
        };
        let order = |descending: bool| if descending { Order::Desc } else { Order::Asc };
        let (count, addresses, tallies) =
            match sort_keys(&search.sort, !text.trim().is_empty()).as_slice() {
                [(SortField::Modified, d)] => {
                    collect(searcher, &query, by_time("metadata_modified", *d), facets)?
                }
                [(SortField::Created, d)] => {
                    collect(searcher, &query, by_time("metadata_created", *d), facets)?
                }
                [(SortField::Title, d)] => {
                    collect(searcher, &query, by_text("title_sort", order(*d)), facets)?
                }
                [(SortField::Name, d)] => {
                    collect(searcher, &query, by_text("name", order(*d)), facets)?
                }
                // CKAN's default order, without a key allocated per matching document.
                [(SortField::Score, true), (SortField::Modified, true)] => {
                    let times = self.times.clone();
                    let keyed = top().tweak_score(move |segment: &tantivy::SegmentReader| {
                        let modified = times.get(segment, "metadata_modified");
                        move |doc: DocId, score| {
                            let time = modified.get(doc as usize).copied();
                            (score, time.unwrap_or(i64::MIN))
                        }
                    });
                    collect(searcher, &query, keyed, facets)?
                }
                keys => {
                    let (keys, values) = (keys.to_vec(), self.facet_values.clone());
                    let keyed = top().tweak_score(move |segment: &tantivy::SegmentReader| {
                        sort::segment_keys(&keys, &values, segment)
                    });
                    collect(searcher, &query, keyed, facets)?
                }
            };
        let results = if search.rows == 0 {
            Vec::new()
        } else {
            addresses
                .into_iter()
                .map(|address| self.stored_text(searcher, address, self.fields.dict))
                .collect::<anyhow::Result<_>>()?
        };
        let facets = facet_fields
            .into_iter()
            .zip(tallies)
            .map(|(field, tally)| {
                let items = facets::top(tally, search.facet_limit, search.facet_mincount);
                (field, items)
            })
            .collect();
        Ok(Hits {
            count,
            results,
            facets,
            relaxed: pass != Pass::Strict && count > 0,
            suggestions: Vec::new(),
        })
    }
}

/// How a search is tried: as typed; when that finds nothing, with a typo allowed in every
/// word (short texts); when that finds nothing either, with half the words (texts of two
/// words or more).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    Strict,
    Typos,
    Relaxed,
}

/// The keys a search is ordered by: relevance means nothing without text; relevance (or no
/// order given) breaks ties by newest change, as CKAN's default "score desc,
/// metadata_modified desc".
fn sort_keys(sort: &SortBy, has_text: bool) -> Vec<(SortField, bool)> {
    let mut keys: Vec<(SortField, bool)> = sort
        .0
        .iter()
        .copied()
        .filter(|(field, _)| *field != SortField::Score || has_text)
        .collect();
    if keys.is_empty() && has_text {
        keys.push((SortField::Score, true));
    }
    if keys
        .last()
        .is_none_or(|(field, _)| *field == SortField::Score)
    {
        keys.push((SortField::Modified, true));
    }
    keys
}

fn locked(cache: &Mutex<ResultCache>) -> std::sync::MutexGuard<'_, ResultCache> {
    cache.lock().unwrap_or_else(|p| p.into_inner())
}

/// Count, page addresses and facet tallies of one pass.
type Collected = (usize, Vec<DocAddress>, facets::Tallies);

/// The total count, the addresses of a page (in the collector's order) and the facet tallies,
/// from one pass over the matching documents.
fn collect<K, C>(
    searcher: &Searcher,
    query: &dyn Query,
    top: C,
    facets: FacetCollector,
) -> tantivy::Result<Collected>
where
    C: tantivy::collector::Collector<Fruit = Vec<(K, DocAddress)>>,
{
    let (count, docs, tallies) = searcher.search(query, &(Count, top, facets))?;
    Ok((
        count,
        docs.into_iter().map(|(_, address)| address).collect(),
        tallies,
    ))
}

impl Drop for SearchIndex {
    /// Commits what is pending, so a clean shutdown leaves the index in step.
    fn drop(&mut self) {
        self.refresh_or_log();
    }
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
