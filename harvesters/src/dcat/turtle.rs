//! Turtle: the prefixes, then one statement per node (`<iri> a dcat:Dataset ; … .`), blank
//! nodes as `[ … ]`, literals as short strings with every character Turtle reserves escaped.

use std::io::{self, Write};

use super::graph::{Node, Object};
use super::vocab::NAMESPACES;

/// The `@prefix` lines.
pub(crate) fn head(out: &mut impl Write) -> io::Result<()> {
    for ns in NAMESPACES {
        writeln!(out, "@prefix {}: <{}> .", ns.prefix, ns.iri)?;
    }
    out.write_all(b"\n")
}

/// One statement.
pub(crate) fn node(out: &mut impl Write, node: &Node) -> io::Result<()> {
    if node.types.is_empty() && node.props.is_empty() {
        return Ok(());
    }
    match &node.iri {
        Some(iri) => {
            write!(out, "<{iri}>")?;
            body(out, node, 1)?;
        }
        None => {
            out.write_all(b"[")?;
            body(out, node, 1)?;
            out.write_all(b" ]")?;
        }
    }
    out.write_all(b" .\n\n")
}

fn body(out: &mut impl Write, node: &Node, depth: usize) -> io::Result<()> {
    let indent = "    ".repeat(depth);
    let mut first = true;
    let mut separator = |out: &mut dyn Write| -> io::Result<()> {
        if !std::mem::replace(&mut first, false) {
            out.write_all(b" ;")?;
        }
        write!(out, "\n{indent}")
    };
    if !node.types.is_empty() {
        separator(out)?;
        write!(out, "a {}", node.types.join(", "))?;
    }
    for (predicate, object) in &node.props {
        separator(out)?;
        write!(out, "{predicate} ")?;
        match object {
            Object::Iri(iri) => write!(out, "<{iri}>")?,
            Object::Text(text) => {
                string(out, &text.value)?;
                if let Some(lang) = &text.lang {
                    write!(out, "@{lang}")?;
                }
            }
            Object::Typed(value, datatype) => {
                string(out, value)?;
                write!(out, "^^{datatype}")?;
            }
            Object::Node(inner) => {
                out.write_all(b"[")?;
                body(out, inner, depth + 1)?;
                out.write_all(b" ]")?;
            }
        }
    }
    Ok(())
}

/// A `"…"` string: `"` and `\` escaped, line breaks and every other control as escapes, so
/// any text (any length, any character) stays one token.
pub(crate) fn string(out: &mut impl Write, text: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let escape: Option<&str> = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            _ => None,
        };
        if escape.is_none() && c >= ' ' && c != '\u{7f}' {
            continue;
        }
        out.write_all(&text.as_bytes()[start..i])?;
        match escape {
            Some(e) => out.write_all(e.as_bytes())?,
            None => write!(out, "\\u{:04X}", c as u32)?,
        }
        start = i + c.len_utf8();
    }
    out.write_all(&text.as_bytes()[start..])?;
    out.write_all(b"\"")
}
