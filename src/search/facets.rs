//! Facet counts in the same pass as the hits. Each segment's keyword values are read once into
//! plain arrays (document -> term ordinals) and kept while the segment lives: segments never
//! change, and reading tantivy's multi-valued columns per matching document cost as much as
//! the search itself (tantivy's terms aggregation was slower still, through its JSON layer).

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::per_segment::PerSegment;

/// Facet field -> (value, count), largest first.
pub type FacetCounts = Vec<(String, Vec<(String, u64)>)>;

/// Counts per field (value -> count), in the collector's field order.
pub type Tallies = Vec<HashMap<String, u64>>;

/// The values of one keyword field for every document of a segment.
pub struct SegmentValues {
    /// Document `d` has the ordinals `ords[offsets[d]..offsets[d + 1]]`.
    offsets: Vec<u32>,
    ords: Vec<u32>,
    /// Ordinal -> value.
    terms: Vec<Arc<str>>,
}

impl SegmentValues {
    fn read(reader: &SegmentReader, field: &str) -> tantivy::Result<Option<SegmentValues>> {
        let Some(column) = reader.fast_fields().str(field)? else {
            return Ok(None);
        };
        let mut offsets = Vec::with_capacity(reader.max_doc() as usize + 1);
        let mut ords = Vec::with_capacity(reader.max_doc() as usize);
        offsets.push(0);
        for doc in 0..reader.max_doc() {
            ords.extend(column.term_ords(doc).map(|ord| ord as u32));
            offsets.push(ords.len() as u32);
        }
        let mut terms = Vec::with_capacity(column.num_terms());
        let mut value = String::new();
        for ord in 0..column.num_terms() as u64 {
            column.ord_to_str(ord, &mut value)?;
            terms.push(Arc::from(value.as_str()));
        }
        Ok(Some(SegmentValues {
            offsets,
            ords,
            terms,
        }))
    }

    /// The first value of a document (sort keys are single-valued).
    pub fn first(&self, doc: DocId) -> Option<Arc<str>> {
        let ord = *self.of(doc).first()?;
        self.terms.get(ord as usize).cloned()
    }

    fn of(&self, doc: DocId) -> &[u32] {
        let doc = doc as usize;
        match (self.offsets.get(doc), self.offsets.get(doc + 1)) {
            (Some(&from), Some(&to)) => &self.ords[from as usize..to as usize],
            _ => &[],
        }
    }
}

/// Segment values read so far, by segment and field (`None`: the segment has no such column).
#[derive(Default)]
pub struct FacetValues(PerSegment<Option<Arc<SegmentValues>>>);

impl FacetValues {
    /// The values of `field` in a segment, read on first use.
    pub fn get(
        &self,
        reader: &SegmentReader,
        field: &str,
    ) -> tantivy::Result<Option<Arc<SegmentValues>>> {
        self.0.get_or_read(reader, field, || {
            Ok(SegmentValues::read(reader, field)?.map(Arc::new))
        })
    }

    /// Forgets the segments that are gone (merged away).
    pub fn retain(&self, live: &[SegmentId]) {
        self.0.retain(live);
    }
}

/// Counts the values of keyword fields over the matching documents.
pub struct FacetCollector<'a> {
    /// Fast keyword fields to count, by name.
    pub fields: Vec<String>,
    /// Where segment values are kept between searches.
    pub values: &'a FacetValues,
}

/// Per-segment counters.
pub struct SegmentFacetCollector {
    fields: Vec<Option<(Arc<SegmentValues>, Vec<u64>)>>,
}

impl Collector for FacetCollector<'_> {
    type Fruit = Tallies;
    type Child = SegmentFacetCollector;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCollector> {
        let mut fields = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            fields.push(self.values.get(reader, field)?.map(|values| {
                let counts = vec![0u64; values.terms.len()];
                (values, counts)
            }));
        }
        Ok(SegmentFacetCollector { fields })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Tallies>) -> tantivy::Result<Tallies> {
        let mut merged: Tallies = vec![HashMap::new(); self.fields.len()];
        for segment in segments {
            for (total, counts) in merged.iter_mut().zip(segment) {
                for (value, count) in counts {
                    *total.entry(value).or_default() += count;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentFacetCollector {
    type Fruit = Tallies;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (values, counts) in self.fields.iter_mut().flatten() {
            for &ord in values.of(doc) {
                if let Some(count) = counts.get_mut(ord as usize) {
                    *count += 1;
                }
            }
        }
    }

    fn harvest(self) -> Tallies {
        self.fields
            .into_iter()
            .map(|field| {
                let Some((values, counts)) = field else {
                    return HashMap::new();
                };
                counts
                    .into_iter()
                    .zip(&values.terms)
                    .filter(|(count, _)| *count > 0)
                    .map(|(count, term)| (term.to_string(), count))
                    .collect()
            })
            .collect()
    }
}

/// The `limit` largest counts of at least `mincount`, ties by value.
pub fn top(tally: HashMap<String, u64>, limit: usize, mincount: u64) -> Vec<(String, u64)> {
    let mut items: Vec<(String, u64)> = tally.into_iter().filter(|(_, c)| *c >= mincount).collect();
    items.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    items.truncate(limit);
    items
}
