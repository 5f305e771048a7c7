//! JSON and XML shown as indented text, from a bounded prefix. JSON is re-indented token by
//! token, so keys keep their order, numbers their spelling, and a prefix cut mid-file still
//! reads well; text that is not JSON (nor the start of JSON) is shown as it is. XML is
//! re-indented by quick-xml's writer (entities are not expanded, nothing is fetched).

use quick_xml::events::Event;
use quick_xml::{Reader, Writer};
use serde_json::error::Category;

use super::encoding::{decode, Prefix};

/// Indented text.
#[derive(Debug, Clone, PartialEq)]
pub struct Pretty {
    /// The text to show.
    pub text: String,
    /// What the text is.
    pub language: Language,
    /// True when only the start of the file is shown.
    pub truncated: bool,
}

/// The language of a [`Pretty`] text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Valid JSON (or the valid start of it), indented.
    Json,
    /// XML, indented.
    Xml,
    /// Text shown as it is (JSON or XML that does not parse).
    Plain,
}

impl Language {
    /// The name shown and used as a CSS class.
    pub fn name(self) -> &'static str {
        match self {
            Language::Json => "json",
            Language::Xml => "xml",
            Language::Plain => "text",
        }
    }
}

/// Deepest indentation written: a file of ten thousand `[` must not become megabytes of spaces.
const MAX_INDENT: usize = 32;

/// The preview of a JSON prefix.
pub fn json(prefix: &Prefix) -> Pretty {
    let text = decode(prefix).text;
    let truncated = !prefix.complete;
    let valid = match serde_json::from_str::<serde::de::IgnoredAny>(&text) {
        Ok(_) => true,
        Err(e) => truncated && e.classify() == Category::Eof,
    };
    if !valid {
        return Pretty {
            text,
            language: Language::Plain,
            truncated,
        };
    }
    Pretty {
        text: indent_json(&text),
        language: Language::Json,
        truncated,
    }
}

/// JSON text with one value per line, indented by two spaces a level.
pub fn indent_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = text.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth.min(MAX_INDENT)));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                let close = if c == '{' { '}' } else { ']' };
                out.push(c);
                if chars.peek() == Some(&close) {
                    chars.next();
                    out.push(close);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// The preview of an XML prefix.
pub fn xml(prefix: &Prefix) -> Pretty {
    let text = decode(prefix).text;
    let truncated = !prefix.complete;
    match indent_xml(&text, truncated) {
        Some(pretty) => Pretty {
            text: pretty,
            language: Language::Xml,
            truncated,
        },
        None => Pretty {
            text,
            language: Language::Plain,
            truncated,
        },
    }
}

/// XML re-indented; `None` when a whole file does not parse. A prefix that stops inside a
/// tag keeps what came before it.
fn indent_xml(text: &str, truncated: bool) -> Option<String> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(event) => writer.write_event(event).ok()?,
            Err(_) if truncated => break,
            Err(_) => return None,
        }
    }
    String::from_utf8(writer.into_inner()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str) -> Prefix {
        Prefix {
            bytes: text.as_bytes().to_vec(),
            complete: true,
        }
    }

    #[test]
    fn json_is_indented_keeping_key_order_and_strings() {
        let p = json(&whole(
            r#"{"ten":"Sở Y tế","ma":72,"ds":[1,2.50],"rong":{},"x":"a,b:{\"c\"}"}"#,
        ));
        assert_eq!(p.language, Language::Json);
        assert!(!p.truncated);
        assert_eq!(
            p.text,
            "{\n  \"ten\": \"Sở Y tế\",\n  \"ma\": 72,\n  \"ds\": [\n    1,\n    2.50\n  ],\n  \"rong\": {},\n  \"x\": \"a,b:{\\\"c\\\"}\"\n}"
        );
    }

    #[test]
    fn invalid_json_is_shown_as_it_is() {
        let p = json(&whole("{\"a\": 1,,}"));
        assert_eq!(p.language, Language::Plain);
        assert_eq!(p.text, "{\"a\": 1,,}");
    }

    #[test]
    fn the_start_of_a_long_json_file_is_still_json() {
        let cut = Prefix {
            bytes: br#"[{"ma":1,"ten":"Ph"#.to_vec(),
            complete: false,
        };
        let p = json(&cut);
        assert_eq!(p.language, Language::Json);
        assert!(p.truncated);
        assert!(p.text.starts_with("[\n  {\n    \"ma\": 1,"), "{}", p.text);
    }

    #[test]
    fn deep_nesting_stays_small() {
        let deep = "[".repeat(5000);
        let text = indent_json(&deep);
        assert!(text.len() < 5000 * (2 * MAX_INDENT + 2));
    }

    #[test]
    fn xml_is_indented() {
        let p = xml(&whole(
            "<?xml version=\"1.0\"?><dsach><xa ma=\"25747\">Phường Tân Ninh</xa><xa ma=\"25750\"/></dsach>",
        ));
        assert_eq!(p.language, Language::Xml);
        assert_eq!(
            p.text,
            "<?xml version=\"1.0\"?>\n<dsach>\n  <xa ma=\"25747\">Phường Tân Ninh</xa>\n  <xa ma=\"25750\"/>\n</dsach>"
        );
    }

    #[test]
    fn broken_xml_is_plain_text_and_a_cut_one_keeps_its_start() {
        let broken = xml(&whole("<a><b></a>"));
        assert_eq!(broken.language, Language::Plain);
        let cut = xml(&Prefix {
            bytes: b"<a><b>1</b><b att=\"x".to_vec(),
            complete: false,
        });
        assert_eq!(cut.language, Language::Xml);
        assert!(cut.text.contains("<b>1</b>"), "{}", cut.text);
    }
}
