//! Values derived from a segment, kept while the segment lives: segments never change, so what
//! is read from one once (plain arrays of column values) stays true until a merge removes it.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use tantivy::index::SegmentId;
use tantivy::SegmentReader;

/// Derived values by segment and field name.
pub struct PerSegment<V> {
    entries: Mutex<HashMap<(SegmentId, String), V>>,
}

impl<V> Default for PerSegment<V> {
    fn default() -> Self {
        PerSegment {
            entries: Mutex::default(),
        }
    }
}

impl<V: Clone> PerSegment<V> {
    /// The value for a segment and field, made by `read` on first use.
    pub fn get_or_read<E>(
        &self,
        segment: &SegmentReader,
        field: &str,
        read: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        let key = (segment.segment_id(), field.to_owned());
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(value) = entries.get(&key) {
            return Ok(value.clone());
        }
        let value = read()?;
        entries.insert(key, value.clone());
        Ok(value)
    }

    /// Forgets the segments that are gone (merged away).
    pub fn retain(&self, live: &[SegmentId]) {
        let live: HashSet<&SegmentId> = live.iter().collect();
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|(segment, _), _| live.contains(segment));
    }
}
