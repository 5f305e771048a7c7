//! Text helpers shared by every layer (storage, search, the domain): Vietnamese arrives in
//! NFC and NFD alike, and must compare equal.

use unicode_normalization::UnicodeNormalization;

/// Unicode NFC form of a text.
pub fn nfc(text: &str) -> String {
    // Most text already is NFC: the quick check spares the decompose-recompose round trip.
    match unicode_normalization::is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text.to_owned(),
        _ => text.nfc().collect(),
    }
}
