//! Facet counts in the same pass as the hits: each matching document bumps a counter per term
//! ordinal of the keyword columns, and ordinals become strings once per segment. Tantivy's
//! terms aggregation does the same job through a generic JSON request/result layer that cost
//! about as much as the search itself.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Facet field -> (value, count), largest first.
pub type FacetCounts = Vec<(String, Vec<(String, u64)>)>;

/// Counts the values of keyword fields over the matching documents.
pub struct FacetCollector {
    /// Fast keyword fields to count, by name.
    pub fields: Vec<String>,
}

/// Per-segment counters.
pub struct SegmentFacetCollector {
    columns: Vec<Option<(StrColumn, Vec<u64>)>>,
}

/// Counts per field (value -> count), in the collector's field order.
pub type Tallies = Vec<HashMap<String, u64>>;

impl Collector for FacetCollector {
    type Fruit = Tallies;
    type Child = SegmentFacetCollector;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCollector> {
        let mut columns = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            columns.push(reader.fast_fields().str(field)?.map(|column| {
                let terms = column.dictionary().num_terms();
                (column, vec![0u64; terms])
            }));
        }
        Ok(SegmentFacetCollector { columns })
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
        for (column, counts) in self.columns.iter_mut().flatten() {
            for ord in column.ords().values_for_doc(doc) {
                if let Some(count) = counts.get_mut(ord as usize) {
                    *count += 1;
                }
            }
        }
    }

    fn harvest(self) -> Tallies {
        self.columns
            .into_iter()
            .map(|column| {
                let mut tally = HashMap::new();
                let Some((column, counts)) = column else {
                    return tally;
                };
                let mut value = String::new();
                for (ord, count) in counts.into_iter().enumerate() {
                    // A term the dictionary cannot give back is skipped, not miscounted.
                    if count > 0 && matches!(column.ord_to_str(ord as u64, &mut value), Ok(true)) {
                        tally.insert(value.clone(), count);
                    }
                }
                tally
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
