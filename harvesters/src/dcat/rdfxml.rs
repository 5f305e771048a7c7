//! RDF/XML, written with quick-xml event by event: each node becomes a typed element
//! (`<dcat:Dataset rdf:about="…">`), IRIs `rdf:resource`, literals text with `xml:lang` or
//! `rdf:datatype`, blank nodes nested inside their property.

use std::borrow::Cow;
use std::io::{self, Write};

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::graph::{Node, Object};
use super::vocab::{self, NAMESPACES};

/// The XML declaration and the opening `rdf:RDF` with every namespace.
pub(crate) fn head(out: &mut impl Write) -> io::Result<()> {
    let mut w = Writer::new(out);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.get_mut().write_all(b"\n")?;
    let mut root = BytesStart::new("rdf:RDF");
    for ns in NAMESPACES {
        root.push_attribute((format!("xmlns:{}", ns.prefix).as_str(), ns.iri));
    }
    w.write_event(Event::Start(root))?;
    w.get_mut().write_all(b"\n")
}

/// The closing `rdf:RDF`.
pub(crate) fn tail(out: &mut impl Write) -> io::Result<()> {
    let mut w = Writer::new(out);
    w.write_event(Event::End(BytesEnd::new("rdf:RDF")))?;
    w.get_mut().write_all(b"\n")
}

/// One top-level node.
pub(crate) fn node(out: &mut impl Write, node: &Node) -> io::Result<()> {
    let mut w = Writer::new(out);
    write_node(&mut w, node)?;
    w.get_mut().write_all(b"\n")
}

fn write_node<W: Write>(w: &mut Writer<W>, node: &Node) -> io::Result<()> {
    let name = node.types.first().copied().unwrap_or("rdf:Description");
    let mut start = BytesStart::new(name);
    if let Some(iri) = &node.iri {
        start.push_attribute(("rdf:about", iri.as_str()));
    }
    w.write_event(Event::Start(start))?;
    for kind in node.types.iter().skip(1) {
        let iri = vocab::expand(kind).unwrap_or_default();
        let mut element = BytesStart::new("rdf:type");
        element.push_attribute(("rdf:resource", iri.as_str()));
        w.write_event(Event::Empty(element))?;
    }
    for (predicate, object) in &node.props {
        let mut element = BytesStart::new(*predicate);
        match object {
            Object::Iri(iri) => {
                element.push_attribute(("rdf:resource", iri.as_str()));
                w.write_event(Event::Empty(element))?;
                continue;
            }
            Object::Text(text) => {
                if let Some(lang) = &text.lang {
                    element.push_attribute(("xml:lang", lang.as_str()));
                }
                w.write_event(Event::Start(element))?;
                w.write_event(Event::Text(BytesText::from_escaped(escape_text(
                    &text.value,
                ))))?;
            }
            Object::Typed(value, datatype) => {
                let iri = vocab::expand(datatype).unwrap_or_default();
                element.push_attribute(("rdf:datatype", iri.as_str()));
                w.write_event(Event::Start(element))?;
                w.write_event(Event::Text(BytesText::from_escaped(escape_text(value))))?;
            }
            Object::Node(inner) => {
                w.write_event(Event::Start(element))?;
                write_node(w, inner)?;
            }
        }
        w.write_event(Event::End(BytesEnd::new(*predicate)))?;
    }
    w.write_event(Event::End(BytesEnd::new(name)))
}

/// Text content escaped for XML 1.0: `&`, `<`, `>` as entities, a carriage return as `&#13;`
/// (a parser would otherwise turn `\r\n` into `\n`), and the characters XML 1.0 cannot carry
/// at all (C0 controls but tab and newline, U+FFFE, U+FFFF) replaced by U+FFFD.
pub(crate) fn escape_text(text: &str) -> Cow<'_, str> {
    let needs = |c: char| {
        matches!(c, '&' | '<' | '>' | '\r' | '\u{fffe}' | '\u{ffff}')
            || (c < ' ' && c != '\t' && c != '\n')
    };
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}
