//! Result order: CKAN's `sort`, one or several keys. A single time or text key uses tantivy's
//! own fast-field ordering; several keys (CKAN's default "score desc, metadata_modified desc"
//! among them) compare a key built per matching document, texts taken from the segment's
//! value arrays so no document allocates a string.

use std::cmp::Ordering;
use std::convert::Infallible;
use std::sync::Arc;

use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentReader};

use super::facets::{FacetValues, SegmentValues};
use super::per_segment::PerSegment;

/// What results can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortField {
    /// Relevance to the text searched.
    Score,
    /// `metadata_modified`.
    Modified,
    /// `metadata_created`.
    Created,
    /// Folded title (`title_string`).
    Title,
    /// URL name.
    Name,
}

impl SortField {
    /// The fast field holding this key, if any.
    pub fn fast_field(self) -> Option<&'static str> {
        match self {
            SortField::Score => None,
            SortField::Modified => Some("metadata_modified"),
            SortField::Created => Some("metadata_created"),
            SortField::Title => Some("title_sort"),
            SortField::Name => Some("name"),
        }
    }
}

/// Sort keys, the first deciding; `true` for descending. Empty: relevance, and newest change
/// first among equals (CKAN's default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SortBy(pub Vec<(SortField, bool)>);

/// A time field of every document of a segment (`i64::MIN` where missing).
type Times = Arc<Vec<i64>>;

/// Time fields of each segment, read once into plain arrays and kept while the segment lives:
/// ordering by time reads one value per matching document, and tantivy's compressed columns
/// made that read most of the cost of browsing the whole catalogue newest first.
#[derive(Default)]
pub struct TimeColumns(PerSegment<Times>);

impl TimeColumns {
    /// The values of `field` in a segment, read on first use.
    pub fn get(&self, segment: &SegmentReader, field: &str) -> Times {
        let read = || -> Result<Times, Infallible> {
            let column = segment.fast_fields().i64(field).ok();
            Ok(Arc::new(
                (0..segment.max_doc())
                    .map(|doc| {
                        column
                            .as_ref()
                            .and_then(|c| c.first(doc))
                            .unwrap_or(i64::MIN)
                    })
                    .collect(),
            ))
        };
        match self.0.get_or_read(segment, field, read) {
            Ok(times) => times,
            Err(never) => match never {},
        }
    }

    /// Forgets the segments that are gone (merged away).
    pub fn retain(&self, live: &[SegmentId]) {
        self.0.retain(live);
    }
}

/// A time as a key where greater is better: itself when descending, negated when ascending;
/// a missing time is worst either way.
pub fn time_key(time: i64, descending: bool) -> i64 {
    if descending || time == i64::MIN {
        time
    } else {
        time.checked_neg().unwrap_or(i64::MIN)
    }
}

/// One part of a document's sort key.
#[derive(Debug, Clone)]
pub enum KeyPart {
    /// Relevance.
    Score(Score),
    /// A time, microseconds.
    Time(i64),
    /// A text value.
    Text(Arc<str>),
    /// No value: last whatever the direction.
    Missing,
}

impl KeyPart {
    /// Natural order of two parts of the same key (missing values lowest).
    fn natural(&self, other: &KeyPart) -> Ordering {
        match (self, other) {
            (KeyPart::Score(a), KeyPart::Score(b)) => a.total_cmp(b),
            (KeyPart::Time(a), KeyPart::Time(b)) => a.cmp(b),
            (KeyPart::Text(a), KeyPart::Text(b)) => a.cmp(b),
            (KeyPart::Missing, KeyPart::Missing) => Ordering::Equal,
            (KeyPart::Missing, _) => Ordering::Less,
            (_, KeyPart::Missing) => Ordering::Greater,
            _ => Ordering::Equal,
        }
    }
}

/// A document's sort key; greater is better (tantivy keeps the greatest).
#[derive(Debug, Clone)]
pub struct SortKey(Vec<(KeyPart, bool)>);

impl PartialEq for SortKey {
    fn eq(&self, other: &SortKey) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }
}

impl PartialOrd for SortKey {
    fn partial_cmp(&self, other: &SortKey) -> Option<Ordering> {
        for ((a, descending), (b, _)) in self.0.iter().zip(&other.0) {
            let missing = matches!(a, KeyPart::Missing) || matches!(b, KeyPart::Missing);
            let order = match (descending, missing) {
                (true, _) | (false, true) => a.natural(b),
                (false, false) => b.natural(a),
            };
            if order != Ordering::Equal {
                return Some(order);
            }
        }
        Some(Ordering::Equal)
    }
}

/// How one key is read in a segment.
enum Reader {
    Score,
    Time(Column<i64>),
    Text(Arc<SegmentValues>),
    Missing,
}

/// Builds per-segment key readers for `keys`; what cannot be read counts as missing.
pub fn segment_keys(
    keys: &[(SortField, bool)],
    values: &FacetValues,
    segment: &SegmentReader,
) -> impl Fn(DocId, Score) -> SortKey + use<> {
    let readers: Vec<(Reader, bool)> = keys
        .iter()
        .map(|&(field, descending)| {
            let reader = match field {
                SortField::Score => Reader::Score,
                SortField::Modified | SortField::Created => field
                    .fast_field()
                    .and_then(|name| segment.fast_fields().i64(name).ok())
                    .map_or(Reader::Missing, Reader::Time),
                SortField::Title | SortField::Name => field
                    .fast_field()
                    .and_then(|name| values.get(segment, name).ok().flatten())
                    .map_or(Reader::Missing, Reader::Text),
            };
            (reader, descending)
        })
        .collect();
    move |doc, score| {
        SortKey(
            readers
                .iter()
                .map(|(reader, descending)| {
                    let part = match reader {
                        Reader::Score => KeyPart::Score(score),
                        Reader::Time(column) => {
                            column.first(doc).map_or(KeyPart::Missing, KeyPart::Time)
                        }
                        Reader::Text(values) => {
                            values.first(doc).map_or(KeyPart::Missing, KeyPart::Text)
                        }
                        Reader::Missing => KeyPart::Missing,
                    };
                    (part, *descending)
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(parts: &[(KeyPart, bool)]) -> SortKey {
        SortKey(parts.to_vec())
    }

    #[test]
    fn later_keys_break_ties_and_missing_values_come_last() {
        let text = |s: &str| KeyPart::Text(Arc::from(s));
        let a = key(&[(KeyPart::Time(5), true), (text("b"), false)]);
        let b = key(&[(KeyPart::Time(5), true), (text("a"), false)]);
        assert!(b > a, "ascending name: a before b");
        let newer = key(&[(KeyPart::Time(6), true), (text("z"), false)]);
        assert!(newer > b, "descending time decides first");
        let none = key(&[(KeyPart::Missing, false)]);
        let some = key(&[(KeyPart::Time(1), false)]);
        assert!(some > none);
        let none = key(&[(KeyPart::Missing, true)]);
        let some = key(&[(KeyPart::Time(1), true)]);
        assert!(some > none);
    }
}
