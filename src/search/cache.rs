//! The result cache: rendered search pages kept for repeated searches, bounded by entries and
//! by bytes. Keys are a 128-bit digest of the search, not the search itself: with the whole
//! parsed search as the key, one large anonymous search retained ~17 MB and 512 of them
//! projected to ~10 GB (issue 7).
//!
//! Why a digest cannot serve a wrong page in practice: it is SHA-256 (truncated to 128 bits)
//! of a secret per-process salt and a prefix-free encoding of the whole search (the derived
//! `Hash` writes enum variants, list lengths, fixed-width numbers and a 0xFF after every
//! string, a byte UTF-8 never holds), so two different searches, visibility included, feed
//! different bytes. Only the digest can collide: by chance with probability below 2^-88 for a
//! million entries of one index generation, and on purpose not at all, since without the salt
//! nobody can compute a digest to aim at, and through the server each try costs a request.

use std::hash::{Hash, Hasher};
use std::num::NonZeroUsize;
use std::sync::{Arc, OnceLock};

use sha2::{Digest, Sha256};

use super::engine::Search;

/// Bytes the cache may hold when not configured (`search.cache_bytes`): 512 pages of ten
/// dicts and the six facets (44-46 KB measured on the 20,000-dataset bench corpus) take
/// ~23 MB, so the entry count binds first for ordinary pages.
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024 * 1024;

/// Bytes counted per entry beyond its page: key, page pointer and count, the map slot and
/// the list links of the LRU (rounded up).
const ENTRY_BYTES: usize = 128;

/// Share of the budget one page may take: a larger page (deep pages of long dicts) would push
/// out many popular ones, and is rarely asked for again.
const MAX_SHARE: usize = 16;

/// A cache key: the index generation the page was computed on (a commit starts a new one, so
/// a page never outlives the index state it was computed on) and the digest of the search.
pub type Key = (u64, u128);

/// A search page as it is sent: its JSON text and, made the first time a client that accepts
/// compression asks for it, the whole reply compressed. Compressing each hit again cost more
/// than the cached search itself (a cached `package_search` answered in 0.54 ms with
/// `Accept-Encoding: gzip` against 0.22 ms without).
#[derive(Debug)]
pub struct EncodedPage {
    json: Box<str>,
    compressed: OnceLock<Vec<u8>>,
}

impl EncodedPage {
    /// A page of this JSON text.
    pub fn new(json: String) -> EncodedPage {
        EncodedPage {
            json: json.into_boxed_str(),
            compressed: OnceLock::new(),
        }
    }

    /// The JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The compressed reply, made by `compress` from the JSON text the first time only. The
    /// reply must depend on the page alone (the caller's envelope is the same for every
    /// caller of one server).
    pub fn compressed_with(&self, compress: impl FnOnce(&str) -> Vec<u8>) -> &[u8] {
        self.compressed.get_or_init(|| compress(&self.json))
    }

    /// Bytes counted for the cache budget: the text and room for its compressed copy (JSON
    /// pages compress to well under a quarter of their size).
    fn held_bytes(&self) -> usize {
        self.json.len() + self.json.len() / 4
    }
}

/// Result pages, least recently used evicted first.
pub struct ResultCache {
    pages: lru::LruCache<Key, Arc<EncodedPage>>,
    /// Bytes held: pages plus [`ENTRY_BYTES`] each.
    bytes: usize,
    max_bytes: usize,
}

impl ResultCache {
    /// A cache of at most `entries` pages and `max_bytes` bytes.
    pub fn new(entries: NonZeroUsize, max_bytes: usize) -> ResultCache {
        ResultCache {
            pages: lru::LruCache::new(entries),
            bytes: 0,
            max_bytes,
        }
    }

    /// The page of a key, if kept.
    pub fn get(&mut self, key: &Key) -> Option<Arc<EncodedPage>> {
        self.pages.get(key).cloned()
    }

    /// Keeps a page, evicting the least recently used ones until it fits. Pages over a
    /// sixteenth of the budget are not kept.
    pub fn put(&mut self, key: Key, page: Arc<EncodedPage>) {
        let size = page.held_bytes() + ENTRY_BYTES;
        if size > self.max_bytes / MAX_SHARE {
            return;
        }
        while self.bytes + size > self.max_bytes {
            match self.pages.pop_lru() {
                Some((_, old)) => self.bytes -= old.held_bytes() + ENTRY_BYTES,
                None => break,
            }
        }
        if let Some((_, old)) = self.pages.push(key, page) {
            // The entry replaced, or the one evicted for the entry count.
            self.bytes -= old.held_bytes() + ENTRY_BYTES;
        }
        self.bytes += size;
    }

    /// Forgets every page (the index changed).
    pub fn clear(&mut self) {
        self.pages.clear();
        self.bytes = 0;
    }

    /// Bytes held (pages and the bookkeeping per entry).
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Pages held.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// True when no page is held.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}

/// The key of a search page: `variant` names anything else the page depends on.
pub fn key(generation: u64, search: &Search, variant: &str) -> Key {
    static SALT: OnceLock<[u8; 16]> = OnceLock::new();
    let mut digest = Digesting(Sha256::new());
    digest.0.update(SALT.get_or_init(rand::random));
    search.hash(&mut digest);
    variant.hash(&mut digest);
    let sum = digest.0.finalize();
    let mut first = [0u8; 16];
    first.copy_from_slice(&sum[..16]);
    (generation, u128::from_le_bytes(first))
}

/// Feeds what `Hash` writes into SHA-256.
struct Digesting(Sha256);

impl Hasher for Digesting {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// Unused: the digest is read from the SHA-256 state.
    fn finish(&self) -> u64 {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::engine::Condition;

    fn page(bytes: usize) -> Arc<EncodedPage> {
        Arc::new(EncodedPage::new("x".repeat(bytes)))
    }

    #[test]
    fn keys_are_small_and_tell_searches_apart() {
        let long = Search::new(Condition::Words("đất ".repeat(20_000)));
        let mut other = long.clone();
        other.visibility.sysadmin = true;
        assert_eq!(std::mem::size_of::<Key>(), 32);
        assert_eq!(key(1, &long, ""), key(1, &long.clone(), ""));
        assert_ne!(key(1, &long, ""), key(1, &other, ""));
        assert_ne!(key(1, &long, ""), key(1, &long, "name asc"));
        assert_ne!(key(1, &long, ""), key(2, &long, ""));
        // Strings end with 0xFF: moving a letter from one string to the next is another key.
        let split = |a: &str, b: &str| {
            Search::new(Condition::Every(vec![
                Condition::Words(a.into()),
                Condition::Words(b.into()),
            ]))
        };
        assert_ne!(key(1, &split("ab", "c"), ""), key(1, &split("a", "bc"), ""));
    }

    #[test]
    fn the_cache_stays_within_its_bytes() {
        let entries = NonZeroUsize::new(1000).unwrap();
        let mut cache = ResultCache::new(entries, 16 * 1024);
        for i in 0..100 {
            cache.put((1, i), page(500));
            assert!(cache.bytes() <= 16 * 1024, "{}", cache.bytes());
        }
        // A page counts its text and room for its compressed copy (a quarter more).
        assert_eq!(cache.len(), 16 * 1024 / (625 + ENTRY_BYTES));
        assert!(cache.get(&(1, 99)).is_some(), "the newest page is kept");
        assert!(cache.get(&(1, 0)).is_none(), "the oldest was evicted");
        cache.put((1, 1000), page(2000));
        assert!(
            cache.get(&(1, 1000)).is_none(),
            "a page over 1/16 is not kept"
        );
        cache.put((1, 99), page(10));
        assert_eq!(cache.get(&(1, 99)).unwrap().json(), "x".repeat(10));
        let held: usize = cache.len() * ENTRY_BYTES;
        assert!(cache.bytes() > held, "replacing a page recounts it");
        cache.clear();
        assert_eq!((cache.len(), cache.bytes()), (0, 0));
    }

    #[test]
    fn the_entry_count_still_bounds_the_cache() {
        let mut cache = ResultCache::new(NonZeroUsize::new(3).unwrap(), 1 << 20);
        for i in 0..10 {
            cache.put((1, i), page(100));
        }
        assert_eq!(cache.len(), 3);
        assert_eq!(cache.bytes(), 3 * (125 + ENTRY_BYTES));
    }
}
