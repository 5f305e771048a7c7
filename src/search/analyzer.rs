//! Vietnamese text analysis for the search index, in one place (DESIGN.md, search section):
//! NFC inside the tokenizer (tantivy has no pre-tokenizer hook, and its tokenizer splits NFD
//! "liệu" into "lie" + "u"), lowercase, no stop words ("số", "năm" carry meaning); the folded
//! analyzer also maps every Vietnamese letter to ASCII (đ -> d) and writes i/y spelling
//! variants one way ("kĩ"/"kỹ", "qui"/"quy").

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};
use unicode_normalization::UnicodeNormalization;

/// Name of the accent-keeping analyzer.
pub const EXACT: &str = "vi_exact";
/// Name of the accent-folding analyzer.
pub const FOLDED: &str = "vi_folded";
/// Name of the analyzer of folded syllable pairs.
pub const BIGRAM: &str = "vi_bigram";

/// Tokenizes the NFC form of the text with an inner tokenizer.
#[derive(Clone, Default)]
pub struct NfcTokenizer<T> {
    inner: T,
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for NfcTokenizer<T> {
    type TokenStream<'a> = T::TokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let NfcTokenizer { inner, buffer } = self;
        buffer.clear();
        // Stored text is NFC already (validation normalises it): the quick check spares the
        // decompose-recompose round trip, which was 12% of the indexing threads' time in an
        // import of 100,000 datasets (perf, 2026-11-30).
        match unicode_normalization::is_nfc_quick(text.chars()) {
            unicode_normalization::IsNormalized::Yes => buffer.push_str(text),
            _ => buffer.extend(text.nfc()),
        }
        inner.token_stream(buffer)
    }
}

/// Writes a syllable made of one consonant group and a lone `i`/`y` with `i`, so the two
/// accepted spellings ("kĩ thuật"/"kỹ thuật", "qui hoạch"/"quy hoạch", "lí"/"lý") meet.
/// Syllables where the vowel is more than the i/y ("tai"/"tay", "thuy") are different words
/// and stay apart. Runs after ASCII folding.
#[derive(Clone, Copy, Default)]
pub struct IyFilter;

/// Consonant groups that may precede a lone i/y.
const IY_ONSETS: &[&str] = &[
    "b", "c", "ch", "d", "h", "k", "kh", "l", "m", "n", "nh", "p", "ph", "qu", "r", "s", "t", "th",
    "tr", "v", "x",
];

/// The i-spelling of a folded syllable, if it is a consonant group plus a lone y.
fn iy_canonical(text: &str) -> Option<String> {
    let onset = text.strip_suffix('y')?;
    IY_ONSETS.contains(&onset).then(|| format!("{onset}i"))
}

impl TokenFilter for IyFilter {
    type Tokenizer<T: Tokenizer> = IyTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> IyTokenizer<T> {
        IyTokenizer(tokenizer)
    }
}

/// The tokenizer `IyFilter` wraps around another.
#[derive(Clone)]
pub struct IyTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for IyTokenizer<T> {
    type TokenStream<'a> = IyTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        IyTokenStream(self.0.token_stream(text))
    }
}

/// Token stream of `IyFilter`.
pub struct IyTokenStream<S>(S);

impl<S: TokenStream> TokenStream for IyTokenStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        if let Some(canonical) = iy_canonical(&self.0.token().text) {
            self.0.token_mut().text = canonical;
        }
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

/// Joins each folded syllable with the next ("gia dat" -> "gia_dat"): Vietnamese words are
/// mostly two syllables, so matching neighbours ranks "giá đất" above a text holding "gia" and
/// "dat" apart, at a fraction of the cost of phrase queries (DESIGN.md: p99 2.4 ms vs 7.5 ms).
#[derive(Clone, Copy, Default)]
pub struct BigramFilter;

impl TokenFilter for BigramFilter {
    type Tokenizer<T: Tokenizer> = BigramTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> BigramTokenizer<T> {
        BigramTokenizer(tokenizer)
    }
}

/// The tokenizer `BigramFilter` wraps around another.
#[derive(Clone)]
pub struct BigramTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for BigramTokenizer<T> {
    type TokenStream<'a> = BigramTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        BigramTokenStream {
            inner: self.0.token_stream(text),
            previous: None,
            token: Token::default(),
        }
    }
}

/// Token stream of `BigramFilter`.
pub struct BigramTokenStream<S> {
    inner: S,
    previous: Option<Token>,
    token: Token,
}

impl<S: TokenStream> TokenStream for BigramTokenStream<S> {
    fn advance(&mut self) -> bool {
        while self.inner.advance() {
            let current = self.inner.token().clone();
            if let Some(previous) = self.previous.replace(current.clone()) {
                self.token = Token {
                    offset_from: previous.offset_from,
                    offset_to: current.offset_to,
                    position: previous.position,
                    text: format!("{}_{}", previous.text, current.text),
                    position_length: 1,
                };
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The accent-keeping analyzer: NFC, words, lowercase.
pub fn exact() -> TextAnalyzer {
    TextAnalyzer::builder(NfcTokenizer::<SimpleTokenizer>::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .build()
}

/// The accent-folding analyzer: NFC, words, lowercase, ASCII folding, i/y spelling.
pub fn folded() -> TextAnalyzer {
    TextAnalyzer::builder(NfcTokenizer::<SimpleTokenizer>::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(IyFilter)
        .build()
}

/// The folded-bigram analyzer.
pub fn bigram() -> TextAnalyzer {
    TextAnalyzer::builder(NfcTokenizer::<SimpleTokenizer>::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(IyFilter)
        .filter(BigramFilter)
        .build()
}

/// The terms an analyzer makes of a text (for queries and tests).
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_input_gives_the_same_terms() {
        let nfd: String = "Dữ liệu giá đất".nfd().collect();
        assert_eq!(terms(&mut exact(), &nfd), ["dữ", "liệu", "giá", "đất"]);
        assert_eq!(terms(&mut folded(), &nfd), ["du", "lieu", "gia", "dat"]);
    }

    #[test]
    fn folding_keeps_stop_words_and_maps_d_stroke() {
        assert_eq!(
            terms(&mut folded(), "GIÁ ĐẤT năm 2025, dân số"),
            ["gia", "dat", "nam", "2025", "dan", "so"]
        );
        assert_eq!(terms(&mut exact(), "Đất ĐẠT"), ["đất", "đạt"]);
    }

    #[test]
    fn bigrams_join_neighbouring_syllables() {
        assert_eq!(
            terms(&mut bigram(), "Giá đất Tây Ninh"),
            ["gia_dat", "dat_tay", "tay_ninh"]
        );
        assert!(terms(&mut bigram(), "đất").is_empty());
    }

    #[test]
    fn i_and_y_spellings_meet_but_different_words_do_not() {
        assert_eq!(
            terms(&mut folded(), "kĩ thuật"),
            terms(&mut folded(), "kỹ thuật")
        );
        assert_eq!(
            terms(&mut folded(), "qui hoạch"),
            terms(&mut folded(), "quy hoạch")
        );
        assert_eq!(
            terms(&mut folded(), "lí lịch"),
            terms(&mut folded(), "lý lịch")
        );
        assert_ne!(terms(&mut folded(), "tai"), terms(&mut folded(), "tay"));
        assert_eq!(
            terms(&mut folded(), "thủy lợi"),
            terms(&mut folded(), "thuỷ lợi")
        );
        assert_eq!(
            terms(&mut folded(), "hòa bình"),
            terms(&mut folded(), "hoà bình")
        );
        assert_eq!(terms(&mut folded(), "y tế"), ["y", "te"]);
    }
}
