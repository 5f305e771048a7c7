//! JSON-LD: one document with the prefixes as an inline `@context` (readers need no remote
//! context) and a `@graph` of node objects; strings escaped by serde_json.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use super::graph::{Node, Object};
use super::vocab::NAMESPACES;

/// `{"@context": {…}, "@graph": [`.
pub(crate) fn head(out: &mut impl Write) -> io::Result<()> {
    let context: Map<String, Value> = NAMESPACES
        .iter()
        .map(|ns| (ns.prefix.to_owned(), Value::String(ns.iri.to_owned())))
        .collect();
    out.write_all(b"{\"@context\":")?;
    serde_json::to_writer(&mut *out, &context)?;
    out.write_all(b",\n\"@graph\":[\n")
}

/// `]}`.
pub(crate) fn tail(out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"\n]}\n")
}

/// One node object.
pub(crate) fn node(out: &mut impl Write, node: &Node) -> io::Result<()> {
    serde_json::to_writer(out, &node_value(node)).map_err(io::Error::from)
}

fn node_value(node: &Node) -> Value {
    let mut object = Map::new();
    if let Some(iri) = &node.iri {
        object.insert("@id".into(), Value::String(iri.clone()));
    }
    if !node.types.is_empty() {
        object.insert("@type".into(), json!(node.types));
    }
    for (predicate, value) in &node.props {
        let value = match value {
            Object::Iri(iri) => json!({ "@id": iri }),
            Object::Text(text) => match &text.lang {
                Some(lang) => json!({ "@value": text.value, "@language": lang }),
                None => json!({ "@value": text.value }),
            },
            Object::Typed(value, datatype) => json!({ "@value": value, "@type": datatype }),
            Object::Node(inner) => node_value(inner),
        };
        match object
            .entry(*predicate)
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            Value::Array(values) => values.push(value),
            other => *other = Value::Array(vec![value]),
        }
    }
    Value::Object(object)
}
