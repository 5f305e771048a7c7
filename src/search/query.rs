//! Turning an engine search into a tantivy query, in code: user text never reaches a strict
//! query parser, so no input can fail to parse. Ranking weights live here.

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery, Occur,
    PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::analyzer;
use super::schema::Fields;
use super::synonyms::Synonyms;
use super::words::{self, Part};
use crate::enums::DatasetState;

/// A condition on datasets, as CKAN's `q` and `fq` express them. Conditions read from user
/// text nest at most `ckan_syntax::MAX_DEPTH` groups (three levels each: any, every, not),
/// which bounds every recursive walk over one (building its query, its ranking text, hashing
/// it, dropping it) to a few hundred frames.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Condition {
    /// Free text: every word must match (folded or exact); the words also rank.
    Words(String),
    /// The words of a phrase side by side (folded).
    Phrase(String),
    /// A keyword field holds the value exactly.
    Keyword(String, String),
    /// A time field (`metadata_modified`, `metadata_created`) within a range of microseconds.
    Range(String, Option<i64>, Option<i64>),
    /// Every dataset.
    All,
    /// At least one of these.
    Any(Vec<Condition>),
    /// All of these.
    Every(Vec<Condition>),
    /// Not this.
    Not(Box<Condition>),
}

impl Condition {
    /// Free text this condition ranks by and highlights (negated parts excluded).
    pub fn ranking_text(&self, out: &mut String) {
        match self {
            Condition::Words(text) | Condition::Phrase(text) => {
                out.push(' ');
                out.push_str(text);
            }
            Condition::Any(list) | Condition::Every(list) => {
                list.iter().for_each(|c| c.ranking_text(out))
            }
            _ => {}
        }
    }

    /// Terms and clauses the condition asks of the engine: one per word of text as the
    /// tokenizer splits it (runs of letters and digits; at least one per text), one per field
    /// condition. What building and running its query costs grows with it.
    pub fn clauses(&self) -> usize {
        match self {
            Condition::Words(text) | Condition::Phrase(text) => text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .count()
                .max(1),
            Condition::Keyword(..) | Condition::Range(..) | Condition::All => 1,
            Condition::Any(list) | Condition::Every(list) => {
                list.iter().map(Condition::clauses).sum()
            }
            Condition::Not(inner) => inner.clauses(),
        }
    }

    /// True when the condition holds text to rank by.
    pub fn has_text(&self) -> bool {
        let mut text = String::new();
        self.ranking_text(&mut text);
        !text.trim().is_empty()
    }
}

/// Which datasets the caller may see.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
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

/// Most terms of a text retried with a typo allowed per word. Each typo term reads every
/// indexed term one edit away and their postings: at 20,000 datasets a search that found
/// nothing took 4.9 ms with 8 words, 11.8 ms with 20 and 60 ms with 100 (p50, every word
/// retried); searches typed with a typo are a few words long.
pub const MAX_FUZZY_WORDS: usize = 8;

/// Shortest folded term given a typo: one edit from a term of one or two letters reaches most
/// short terms (`q` matched 9,458 of 20,000 datasets, `hx` 8,572), noise rather than a
/// corrected typo; three-letter syllables (`gia`, `dat`) are the shortest worth correcting.
pub const MIN_FUZZY_CHARS: usize = 3;

/// Score of a dataset with a resource in the format a search names ("excel", "bản đồ"),
/// about one well-matched word: enough to rank such datasets first among those the other
/// words found, not to bring in datasets without them.
pub const FORMAT_BOOST: f32 = 2.0;

/// Most words of a search, found in no document, given a typo in the first pass: searches
/// typed with typos have one or two; each costs a term dictionary walk.
pub const MAX_MISTYPED: usize = 2;

/// Builds tantivy queries over the index fields; holds the analyzers so one search builds
/// them once.
pub struct QueryBuilder<'a> {
    fields: &'a Fields,
    exact: TextAnalyzer,
    folded: TextAnalyzer,
    /// Allow one typo per word (the fallback when nothing matched).
    pub fuzzy: bool,
    /// Half the words of a text suffice (the last fallback: a long natural phrase whose words
    /// are not all in one dataset).
    pub relaxed: bool,
    /// The index searched: a word none of its documents holds is taken as mistyped and
    /// allowed one typo (a term dictionary lookup), so a typo in one word of several does
    /// not empty the result.
    searcher: Option<&'a Searcher>,
    /// Terms found in no document so far (given a typo each).
    mistyped: Vec<String>,
    /// Synonym groups: a spelling of a group matches every spelling of it.
    synonyms: Option<&'a Synonyms>,
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

/// The query of a term: one typo allowed when `fuzzy` and the term is long enough.
fn term_or_typo(term: Term, fuzzy: bool) -> Box<dyn Query> {
    let long_enough = term
        .value()
        .as_str()
        .is_some_and(|t| t.chars().count() >= MIN_FUZZY_CHARS);
    if fuzzy && long_enough {
        Box::new(FuzzyTermQuery::new(term, 1, true))
    } else {
        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
    }
}

/// A filter: matches without adding to the score.
fn filter(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

impl<'a> QueryBuilder<'a> {
    /// A builder over these fields.
    pub fn new(fields: &'a Fields) -> QueryBuilder<'a> {
        QueryBuilder {
            fields,
            exact: analyzer::exact(),
            folded: analyzer::folded(),
            fuzzy: false,
            relaxed: false,
            searcher: None,
            mistyped: Vec::new(),
            synonyms: None,
        }
    }

    /// A spelling of a synonym group matches every spelling of it.
    pub fn with_synonyms(mut self, synonyms: &'a Synonyms) -> QueryBuilder<'a> {
        self.synonyms = Some(synonyms);
        self
    }

    /// Words no document of this index holds get a typo allowed.
    pub fn over(mut self, searcher: &'a Searcher) -> QueryBuilder<'a> {
        self.searcher = Some(searcher);
        self
    }

    /// True when no document holds the term (false without an index to ask), for the first
    /// [`MAX_MISTYPED`] such terms: a long text of unknown words is not a typo.
    fn unknown(&mut self, term: &Term) -> bool {
        let value = term.value();
        let (Some(searcher), Some(text)) = (self.searcher, value.as_str()) else {
            return false;
        };
        if self.mistyped.iter().any(|t| t == text) {
            return true;
        }
        if self.mistyped.len() >= MAX_MISTYPED || text.chars().count() < MIN_FUZZY_CHARS {
            return false;
        }
        let unknown = searcher.doc_freq(term).is_ok_and(|n| n == 0);
        if unknown {
            self.mistyped.push(text.to_owned());
        }
        unknown
    }

    /// True when retrying `text` with typos allowed can find more: it has at most
    /// [`MAX_FUZZY_WORDS`] terms, one of them at least [`MIN_FUZZY_CHARS`] long. Each typo
    /// term expands to every indexed term one edit away, so long texts cost the most and
    /// are the least likely to be mistyped searches.
    pub fn typos_worth_trying(&mut self, text: &str) -> bool {
        let terms = self.folded_terms(text);
        terms.len() <= MAX_FUZZY_WORDS && terms.iter().any(|t| t.chars().count() >= MIN_FUZZY_CHARS)
    }

    /// Folded terms of a text.
    pub fn folded_terms(&mut self, text: &str) -> Vec<String> {
        analyzer::terms(&mut self.folded, text)
    }

    fn keyword(&self, field: &str, value: &str) -> Box<dyn Query> {
        if field == "id" {
            return term_query(self.fields.id, value);
        }
        match self.fields.keyword(field) {
            Some(field) => term_query(field, value),
            // An unknown field matches nothing rather than everything.
            None => Box::new(EmptyQuery),
        }
    }

    fn any_keyword(&self, field: &str, values: &[String]) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(
            values
                .iter()
                .map(|v| (Occur::Should, self.keyword(field, v)))
                .collect(),
        ))
    }

    /// The datasets the caller may see. The common case (public and active) is one term.
    pub fn visibility(&self, v: &Visibility) -> Box<dyn Query> {
        let other_drafts =
            v.include_drafts && (v.sysadmin || !v.editor_orgs.is_empty() || v.user_id.is_some());
        let other_private = v.include_private && (v.sysadmin || !v.member_orgs.is_empty());
        if !other_drafts && !other_private {
            return filter(term_query(self.fields.public, "true"));
        }
        let (active, draft) = (DatasetState::Active.as_str(), DatasetState::Draft.as_str());
        let state: Box<dyn Query> = if v.include_drafts && v.sysadmin {
            self.any_keyword("state", &[active.to_owned(), draft.to_owned()])
        } else if v.include_drafts {
            let mut own: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Should, self.any_keyword("owner_org", &v.editor_orgs))];
            if let Some(user) = &v.user_id {
                own.push((Occur::Should, self.keyword("creator_user_id", user)));
            }
            let own_draft = BooleanQuery::new(vec![
                (Occur::Must, self.keyword("state", draft)),
                (Occur::Must, Box::new(BooleanQuery::new(own))),
            ]);
            Box::new(BooleanQuery::new(vec![
                (Occur::Should, self.keyword("state", active)),
                (Occur::Should, Box::new(own_draft)),
            ]))
        } else {
            self.keyword("state", active)
        };
        let private: Box<dyn Query> = if v.include_private && v.sysadmin {
            Box::new(AllQuery)
        } else if v.include_private {
            Box::new(BooleanQuery::new(vec![
                (Occur::Should, self.keyword("private", "false")),
                (Occur::Should, self.any_keyword("owner_org", &v.member_orgs)),
            ]))
        } else {
            self.keyword("private", "false")
        };
        filter(Box::new(BooleanQuery::new(vec![
            (Occur::Must, state),
            (Occur::Must, private),
        ])))
    }

    /// A term of the folded title and body: one typo allowed in the retry for typos, or when
    /// no document holds it ([`Self::unknown`]).
    fn folded_term(&mut self, text: &str) -> Box<dyn Query> {
        let term = Term::from_field_text(self.fields.all_folded, text);
        let typo = self.fuzzy || self.unknown(&term);
        term_or_typo(term, typo)
    }

    /// One spelling (folded terms): a term, or the terms side by side (each anywhere when
    /// typos are allowed, since a phrase of typo terms is no tantivy query).
    fn spelling(&mut self, terms: &[String]) -> Box<dyn Query> {
        if let [term] = terms {
            return self.folded_term(term);
        }
        if self.fuzzy {
            let parts = terms
                .iter()
                .map(|t| (Occur::Must, self.folded_term(t)))
                .collect();
            return Box::new(BooleanQuery::new(parts));
        }
        let terms = terms
            .iter()
            .map(|t| Term::from_field_text(self.fields.all_folded, t))
            .collect();
        Box::new(PhraseQuery::new(terms))
    }

    /// Any of several spellings (a word and its synonyms).
    fn spellings(&mut self, spellings: &[Vec<String>]) -> Box<dyn Query> {
        let mut any: Vec<Box<dyn Query>> = spellings.iter().map(|s| self.spelling(s)).collect();
        match any.len() {
            1 => any.remove(0),
            _ => Box::new(BooleanQuery::union(any)),
        }
    }

    /// Datasets with a resource in one of these formats, scored [`FORMAT_BOOST`].
    fn formats(&self, formats: &[&str]) -> Box<dyn Query> {
        let values: Vec<String> = formats.iter().map(|f| (*f).to_owned()).collect();
        let any = self.any_keyword("res_format", &values);
        Box::new(ConstScoreQuery::new(any, FORMAT_BOOST))
    }

    /// Free text: each part of it ([`words::parts`]) must match, in the folded title or body
    /// (one posting list per term: intersections of plain term lists are what tantivy does
    /// fastest). How well it matches is scored by [`Self::ranking_boosts`].
    fn words(&mut self, text: &str) -> Box<dyn Query> {
        let exact = analyzer::terms(&mut self.exact, text);
        let folded = analyzer::terms(&mut self.folded, text);
        let parts = words::parts(&exact, &folded, self.synonyms);
        // Format and function words decide nothing while other words are there; without
        // them, format words must match (in the text or the formats), and function words
        // alone must match in the text.
        let has = |f: fn(&Part) -> bool| parts.iter().any(|(_, p)| f(p));
        let has_content = has(|p| matches!(p, Part::Content(_)));
        let has_format = has(|p| matches!(p, Part::Format(..)));
        let mut required: Vec<Box<dyn Query>> = Vec::new();
        let mut optional: Vec<Box<dyn Query>> = Vec::new();
        for (_, part) in &parts {
            match part {
                Part::Content(spellings) => required.push(self.spellings(spellings)),
                Part::Format(terms, formats) => {
                    let text = self.spelling(terms);
                    let query = Box::new(BooleanQuery::union(vec![text, self.formats(formats)]));
                    match has_content {
                        true => optional.push(query),
                        false => required.push(query),
                    }
                }
                Part::Function(terms) => match has_content || has_format {
                    true => optional.push(self.spelling(terms)),
                    false => required.push(self.spelling(terms)),
                },
            }
        }
        if required.is_empty() {
            // Text without a single word (punctuation only) restricts nothing.
            return Box::new(AllQuery);
        }
        let needed = match self.relaxed {
            true => words::relaxed_minimum(required.len()),
            false => required.len(),
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if needed == required.len() {
            clauses.extend(required.into_iter().map(|q| (Occur::Must, q)));
        } else {
            // Scored: datasets with more of the words, and rarer ones, rank first.
            let any = required.into_iter().map(|q| (Occur::Should, q)).collect();
            let some = BooleanQuery::with_minimum_required_clauses(any, needed);
            clauses.push((Occur::Must, Box::new(some)));
        }
        clauses.extend(optional.into_iter().map(|q| (Occur::Should, q)));
        Box::new(BooleanQuery::new(clauses))
    }

    fn phrase(&mut self, text: &str) -> Box<dyn Query> {
        let words = self.folded_terms(text);
        if words.len() < 2 {
            return self.words(text);
        }
        let terms = words
            .iter()
            .map(|w| Term::from_field_text(self.fields.all_folded, w))
            .collect();
        Box::new(PhraseQuery::new(terms))
    }

    fn range(&self, field: &str, from: Option<i64>, to: Option<i64>) -> Box<dyn Query> {
        let field = if field == "metadata_created" {
            self.fields.metadata_created
        } else {
            self.fields.metadata_modified
        };
        let bound = |v: Option<i64>| match v {
            Some(v) => std::ops::Bound::Included(Term::from_field_i64(field, v)),
            None => std::ops::Bound::Unbounded,
        };
        match (from, to) {
            // tantivy reads the field from a bound and panics without one (issue 7).
            (None, None) => Box::new(AllQuery),
            (Some(from), Some(to)) if from > to => Box::new(EmptyQuery),
            _ => filter(Box::new(RangeQuery::new(bound(from), bound(to)))),
        }
    }

    /// The query of one condition.
    pub fn condition(&mut self, condition: &Condition) -> Box<dyn Query> {
        match condition {
            Condition::Words(text) => self.words(text),
            Condition::Phrase(text) => self.phrase(text),
            Condition::Keyword(field, value) => filter(self.keyword(field, value)),
            Condition::Range(field, from, to) => self.range(field, *from, *to),
            Condition::All => Box::new(AllQuery),
            Condition::Any(list) => Box::new(BooleanQuery::new(
                list.iter()
                    .map(|c| (Occur::Should, self.condition(c)))
                    .collect(),
            )),
            Condition::Every(list) => self.every(list),
            Condition::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery)),
                (Occur::MustNot, self.condition(inner)),
            ])),
        }
    }

    fn every(&mut self, list: &[Condition]) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // The free words of a group are one text ("danh sách các bệnh viện" is four word
        // conditions): function words, synonyms and relaxed matching read them together.
        let mut text = String::new();
        for condition in list {
            match condition {
                Condition::Not(inner) => clauses.push((Occur::MustNot, self.condition(inner))),
                Condition::All => {}
                Condition::Words(words) => {
                    text.push(' ');
                    text.push_str(words);
                }
                other => clauses.push((Occur::Must, self.condition(other))),
            }
        }
        if !text.is_empty() {
            clauses.push((Occur::Must, self.words(&text)));
        }
        if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Optional clauses that rank what the required words found: the exact (accented) spelling
    /// in the title (strongest) and body, the folded word in the title, and neighbouring
    /// syllables side by side, so "đất" ranks land above "đạt" while "dat" finds both.
    pub fn ranking_boosts(&mut self, text: &str) -> Vec<(Occur, Box<dyn Query>)> {
        let fuzzy = self.fuzzy;
        let mut boosts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut add = |field: Field, text: &str, boost: f32, typo: bool| {
            let query = term_or_typo(Term::from_field_text(field, text), typo);
            boosts.push((Occur::Should, Box::new(BoostQuery::new(query, boost))));
        };
        let exact = analyzer::terms(&mut self.exact, text);
        let folded = analyzer::terms(&mut self.folded, text);
        // Function words rank nothing on their own ("danh sách" opens half the titles).
        let mut function = vec![false; folded.len()];
        for (range, part) in words::parts(&exact, &folded, self.synonyms) {
            if matches!(part, Part::Function(_)) {
                function[range].iter_mut().for_each(|f| *f = true);
            }
        }
        {
            for (i, folded_term) in folded.iter().enumerate().filter(|(i, _)| !function[*i]) {
                let typo = fuzzy
                    || self.unknown(&Term::from_field_text(self.fields.all_folded, folded_term));
                // Accents typed are meant: reward the exact spelling. Unaccented input is no
                // vote for the unaccented word ("gia" typed means "giá" as often as "gia").
                if let Some(exact_term) = exact.get(i).filter(|t| !t.is_ascii() && !typo) {
                    add(self.fields.title, exact_term, 4.0, false);
                    add(self.fields.body, exact_term, 1.5, false);
                }
                add(self.fields.title_folded, folded_term, 2.0, typo);
            }
        }
        if !fuzzy {
            for pair in analyzer::terms(&mut analyzer::bigram(), text) {
                let term = Term::from_field_text(self.fields.bigrams, &pair);
                let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
                boosts.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(query), 3.0)),
                ));
            }
        }
        boosts
    }
}
