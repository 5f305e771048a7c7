//! The text of a file's first bytes: reading a bounded prefix, then decoding it. A byte-order
//! mark decides first (UTF-8, UTF-16 LE/BE); then bytes that are valid UTF-8 are UTF-8; then
//! `chardetng` guesses, told the portal is Vietnamese (`.vn`), so legacy Windows-1258 files
//! decode as Vietnamese rather than as Western European. Windows-1258 writes most tone marks
//! as combining characters after the letter: the text is normalised to NFC so "Hà Nội" is the
//! same string whatever the file was saved as.

use std::io::Read;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8};

/// The first bytes of a file.
#[derive(Debug)]
pub struct Prefix {
    /// At most the limit's worth of bytes.
    pub bytes: Vec<u8>,
    /// True when the file ended within the limit (the bytes are the whole file).
    pub complete: bool,
}

/// Reads at most `limit` bytes from `reader` (and one more, to learn whether the file goes
/// on): a 2 GB file costs the same as a 1 MB one.
pub fn read_prefix(reader: impl Read, limit: usize) -> std::io::Result<Prefix> {
    let mut bytes = Vec::with_capacity(limit.min(64 * 1024) + 1);
    reader.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    let complete = bytes.len() <= limit;
    bytes.truncate(limit);
    Ok(Prefix { bytes, complete })
}

/// Decoded text and the encoding it was read with.
#[derive(Debug)]
pub struct Decoded {
    /// The text in NFC, without the byte-order mark.
    pub text: String,
    /// The encoding used.
    pub encoding: &'static Encoding,
}

/// Decodes a prefix. When the prefix is not the whole file, a character cut at its end is
/// dropped instead of turning into U+FFFD.
pub fn decode(prefix: &Prefix) -> Decoded {
    let bytes = prefix.bytes.as_slice();
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((encoding, bom_length)) => (encoding, &bytes[bom_length..]),
        None => (guess(bytes, prefix.complete), bytes),
    };
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length(body.len())
            .unwrap_or(body.len() * 3),
    );
    // `last == false` keeps an incomplete trailing sequence back rather than replacing it.
    let _ = decoder.decode_to_string(body, &mut text, prefix.complete);
    Decoded {
        text: crate::text::nfc(&text),
        encoding,
    }
}

/// The encoding of bytes without a byte-order mark.
fn guess(bytes: &[u8], complete: bool) -> &'static Encoding {
    if is_utf8(bytes, complete) {
        return UTF_8;
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(Some(b"vn"), Utf8Detection::Allow)
}

/// True when the bytes are UTF-8, allowing a character cut by the end of a prefix.
fn is_utf8(bytes: &[u8], complete: bool) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        // `error_len() == None`: the input ended inside a character.
        Err(e) => !complete && e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1258};

    const VIETNAMESE: &str = "Mã,Tên đơn vị,Dân số\n25747,Phường Tân Ninh,41.253\n";

    fn whole(bytes: Vec<u8>) -> Prefix {
        Prefix {
            bytes,
            complete: true,
        }
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend_from_slice(&pair);
        }
        bytes
    }

    /// Vietnamese as Windows-1258 writes it: the letters â ă ê ô ơ ư đ precomposed, the five
    /// tone marks as combining characters after them (the encoder maps nothing else: given
    /// NFC "ờ" it would write `&#7901;`).
    pub(crate) fn windows_1258(text: &str) -> Vec<u8> {
        use unicode_normalization::{char::compose, UnicodeNormalization};
        let mut legacy = String::new();
        // Tone marks wait until the letter's other marks are composed: NFD puts the dot below
        // of "ệ" before its circumflex.
        let mut tones = String::new();
        for c in text.nfd() {
            if matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}') {
                tones.push(c);
                continue;
            }
            let joined = matches!(c, '\u{302}' | '\u{306}' | '\u{31B}')
                .then(|| legacy.chars().next_back().and_then(|base| compose(base, c)))
                .flatten();
            if let Some(letter) = joined {
                legacy.pop();
                legacy.push(letter);
            } else {
                legacy.push_str(&tones);
                tones.clear();
                legacy.push(c);
            }
        }
        legacy.push_str(&tones);
        let (bytes, _, unmappable) = WINDOWS_1258.encode(&legacy);
        assert!(!unmappable, "{text}");
        bytes.into_owned()
    }

    #[test]
    fn utf8_with_and_without_a_bom_reads_the_same() {
        let plain = decode(&whole(VIETNAMESE.as_bytes().to_vec()));
        assert_eq!(plain.text, VIETNAMESE);
        assert_eq!(plain.encoding, UTF_8);
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(VIETNAMESE.as_bytes());
        let bom = decode(&whole(with_bom));
        assert_eq!(
            bom.text, VIETNAMESE,
            "the BOM is not part of the first header"
        );
    }

    #[test]
    fn utf16_little_and_big_endian_are_found_by_their_bom() {
        let le = decode(&whole(utf16(VIETNAMESE, false)));
        assert_eq!((le.text.as_str(), le.encoding), (VIETNAMESE, UTF_16LE));
        let be = decode(&whole(utf16(VIETNAMESE, true)));
        assert_eq!((be.text.as_str(), be.encoding), (VIETNAMESE, UTF_16BE));
    }

    #[test]
    fn windows_1258_reads_as_vietnamese_in_nfc() {
        let text = "Mã,Tên đơn vị,Ghi chú\n1,Phường Tân Ninh,Thủ phủ của tỉnh, nơi đặt trụ sở\n\
                    2,Xã Hòa Thành,Nơi có Tòa Thánh Cao Đài\n3,Phường Trảng Bàng,Đường Xuyên Á\n";
        let bytes = windows_1258(text);
        assert!(
            std::str::from_utf8(&bytes).is_err(),
            "the fixture really is legacy bytes"
        );
        let decoded = decode(&whole(bytes));
        assert_eq!(decoded.encoding, WINDOWS_1258);
        assert_eq!(decoded.text, text, "NFC, as typed");
    }

    #[test]
    fn a_character_cut_by_the_prefix_is_dropped_not_replaced() {
        let bytes = "Tây Ninh".as_bytes();
        // "â" is two bytes: cut after the first of them.
        let cut = Prefix {
            bytes: bytes[..2].to_vec(),
            complete: false,
        };
        let decoded = decode(&cut);
        assert_eq!(decoded.encoding, UTF_8);
        assert_eq!(decoded.text, "T");
    }

    #[test]
    fn only_the_limit_is_read() {
        struct Counting<'a>(&'a mut usize);
        impl Read for Counting<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                buf.fill(b'a');
                *self.0 += buf.len();
                Ok(buf.len())
            }
        }
        let mut read = 0;
        let prefix = read_prefix(Counting(&mut read), 1000).unwrap();
        assert_eq!(prefix.bytes.len(), 1000);
        assert!(!prefix.complete);
        assert!(read <= 1001, "read {read} bytes of an endless file");
        let short = read_prefix(&b"abc"[..], 3).unwrap();
        assert!(short.complete);
    }
}
