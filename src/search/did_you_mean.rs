//! "Did you mean": corrected texts for a search that found little, read from the term
//! dictionary of the folded field. A word no dataset holds is replaced by the most frequent
//! indexed term within one edit, a transposition counting as one and preferred ("bneh vien"
//! -> "benh vien"); a word held by a couple of datasets, by a swap of two of its letters held
//! by many.
//!
//! Cheap by construction: only texts of at most [`MAX_WORDS`] words, one doc-frequency
//! lookup per word, and a Levenshtein automaton walk of the term dictionary only for the
//! words that need a correction.

use std::collections::HashMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::query::MIN_FUZZY_CHARS;
use super::synonyms::Synonyms;

/// Longest text corrected: typed searches with a typo are a few words long, and each word
/// needing a correction costs a term dictionary walk.
pub const MAX_WORDS: usize = 6;

/// Most corrected texts offered.
pub const MAX_SUGGESTIONS: usize = 3;

/// A search with fewer results than this is offered corrections of its rare words too.
pub const FEW_RESULTS: usize = 3;

/// A word in at most this many datasets is rare: a close word [`MORE_COMMON`] times as
/// frequent is offered in its place (when results are few).
const RARE: u64 = 2;

/// How much more frequent a close word must be than a rare typed one to be offered.
const MORE_COMMON: u64 = 10;

/// Shortest word corrected: two letters can be swapped ("od" -> "do"); other edits need
/// [`MIN_FUZZY_CHARS`].
const MIN_SWAPPED_CHARS: usize = 2;

/// Alternatives kept per corrected word, most frequent first.
const ALTERNATIVES: usize = 3;

/// Corrected texts of a search (at most [`MAX_SUGGESTIONS`], best first), empty when
/// nothing needs correcting. `exact` and `folded` are the typed words as the exact and
/// folded analyzers split them; words kept are shown as typed, corrected ones folded.
/// `found` is how many datasets the search found. Words of a synonym group ("gplx") are
/// searched by their other spellings and never corrected.
pub fn suggestions(
    searcher: &Searcher,
    field: Field,
    synonyms: &Synonyms,
    (exact, folded): (&[String], &[String]),
    found: usize,
) -> tantivy::Result<Vec<String>> {
    if folded.is_empty() || folded.len() > MAX_WORDS {
        return Ok(Vec::new());
    }
    let mut synonym = vec![false; folded.len()];
    for at in 0..folded.len() {
        if let Some((len, _)) = synonyms.at(&folded[at..]) {
            synonym[at..at + len].iter_mut().for_each(|s| *s = true);
        }
    }
    let few = found < FEW_RESULTS;
    let mut corrections: Vec<Vec<String>> = Vec::with_capacity(folded.len());
    let mut any_unknown = false;
    for (word, synonym) in folded.iter().zip(synonym) {
        let mut close = Vec::new();
        if !synonym && word.chars().count() >= MIN_SWAPPED_CHARS {
            let frequency = searcher.doc_freq(&Term::from_field_text(field, word))?;
            any_unknown |= frequency == 0;
            if frequency == 0 || (few && frequency <= RARE) {
                close = close_words(searcher, field, word, frequency)?;
            }
        }
        corrections.push(close);
    }
    // A search that found enough, with every word known, needs no correction.
    if !(few || any_unknown) || corrections.iter().all(Vec::is_empty) {
        return Ok(Vec::new());
    }
    let kept = |i: usize| match exact.len() == folded.len() {
        true => exact[i].clone(),
        false => folded[i].clone(),
    };
    let text_with = |choice: &dyn Fn(usize) -> Option<String>| -> String {
        (0..folded.len())
            .map(|i| choice(i).unwrap_or_else(|| kept(i)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let best = |i: usize| corrections[i].first().cloned();
    let mut texts = vec![text_with(&best)];
    // Then the next most frequent alternatives, one word at a time.
    for (at, close) in corrections.iter().enumerate() {
        for alternative in close.iter().skip(1) {
            let text = text_with(&|i| match i == at {
                true => Some(alternative.clone()),
                false => best(i),
            });
            if !texts.contains(&text) {
                texts.push(text);
            }
        }
    }
    texts.truncate(MAX_SUGGESTIONS);
    Ok(texts)
}

/// Indexed words one edit from `word`, held by more datasets than `frequency`
/// ([`MORE_COMMON`] times more when the word is indexed at all), most frequent first: at most
/// [`ALTERNATIVES`]. Swapped neighbouring letters, the commonest typo ("bneh", "dta"), win
/// when one makes an indexed word: only those are offered then. Other edits are tried only
/// for words no dataset holds, at least [`MIN_FUZZY_CHARS`] long.
fn close_words(
    searcher: &Searcher,
    field: Field,
    word: &str,
    frequency: u64,
) -> tantivy::Result<Vec<String>> {
    let wanted = match frequency {
        0 => 1,
        n => n * MORE_COMMON,
    };
    let mut counts: HashMap<String, u64> = HashMap::new();
    let chars: Vec<char> = word.chars().collect();
    for at in 1..chars.len() {
        if chars[at - 1] == chars[at] {
            continue;
        }
        let mut swapped = chars.clone();
        swapped.swap(at - 1, at);
        let swapped: String = swapped.into_iter().collect();
        let count = searcher.doc_freq(&Term::from_field_text(field, &swapped))?;
        counts.insert(swapped, count);
    }
    counts.retain(|_, count| *count >= wanted);
    if counts.is_empty() && frequency == 0 && chars.len() >= MIN_FUZZY_CHARS {
        let term = Term::from_field_text(field, word);
        let automaton = FuzzyTermQuery::new(term, 1, true).automaton()?;
        for segment in searcher.segment_readers() {
            let index = segment.inverted_index(field)?;
            let mut terms = index.terms().search(&automaton).into_stream()?;
            while terms.advance() {
                if let Ok(text) = std::str::from_utf8(terms.key()) {
                    let count = counts.entry(text.to_owned()).or_default();
                    *count += u64::from(terms.value().doc_freq);
                }
            }
        }
    }
    let mut close: Vec<(String, u64)> = counts
        .into_iter()
        .filter(|(text, count)| text != word && *count >= wanted)
        .collect();
    close.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    close.truncate(ALTERNATIVES);
    Ok(close.into_iter().map(|(text, _)| text).collect())
}
