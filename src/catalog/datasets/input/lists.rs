//! The list fields of a dataset: extras, tags, themes and resources.

use serde_json::Value;

use super::{Extra, Reader, EXTRA_KEY_CHARS, EXTRA_VALUE_CHARS};
use crate::catalog::datasets::fields as f;
use crate::catalog::datasets::resources::{self, ResourceInput};
use crate::catalog::params;
use crate::catalog::vocab;
use crate::error::{FieldCode, FieldMessage};

impl Reader<'_> {
    pub(super) fn extras(&mut self) -> Vec<Extra> {
        let field = &f::EXTRAS;
        let items = params::list(self.dict, field.name, &mut self.errors).unwrap_or_default();
        let max = field.max.unwrap_or(usize::MAX);
        if items.len() > max {
            self.errors
                .add(field.name, FieldCode::TooManyExtras.arg("max", max));
            return Vec::new();
        }
        let mut out = Vec::new();
        for item in items {
            let key = item.get("key").and_then(Value::as_str).unwrap_or("").trim();
            let value = match item.get("value") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            if key.is_empty()
                || key.chars().count() > EXTRA_KEY_CHARS
                || value.chars().count() > EXTRA_VALUE_CHARS
            {
                self.errors.add(
                    field.name,
                    FieldCode::ExtraShape
                        .arg("key_max", EXTRA_KEY_CHARS)
                        .arg("value_max", EXTRA_VALUE_CHARS),
                );
            } else if f::is_reserved(key) {
                self.errors
                    .add(field.name, FieldCode::ExtraIsField.arg("key", key));
            } else {
                out.push(Extra {
                    key: vocab::nfc(key),
                    value: vocab::nfc(&value),
                });
            }
        }
        out
    }

    pub(super) fn tags(&mut self) -> Vec<String> {
        let field = &f::TAGS;
        let mut raw: Vec<String> = Vec::new();
        if let Some(items) = params::list(self.dict, field.name, &mut self.errors) {
            for item in items {
                match item {
                    Value::String(s) => raw.push(s),
                    Value::Object(obj) => match obj.get("name") {
                        Some(Value::String(s)) => raw.push(s.clone()),
                        _ => self.errors.add(field.name, FieldCode::TagNeedsName),
                    },
                    _ => self.errors.add(field.name, FieldCode::TagShape),
                }
            }
        } else if let Some(tag_string) =
            params::text(self.dict, "tag_string", 10_000, &mut self.errors)
        {
            raw.extend(tag_string.split(',').map(str::to_owned));
        }
        let mut tags: Vec<String> = Vec::new();
        for tag in raw {
            let tag = vocab::nfc(tag.trim());
            if let Some(message) = tag_problem(&tag) {
                self.errors.add(field.name, message);
            } else if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        let max = field.max.unwrap_or(usize::MAX);
        if tags.len() > max {
            self.errors
                .add(field.name, FieldCode::TooManyTags.arg("max", max));
        }
        tags
    }

    pub(super) fn themes(&mut self) -> Vec<String> {
        let field = &f::GROUPS;
        let mut wanted: Vec<String> = Vec::new();
        for item in params::list(self.dict, field.name, &mut self.errors).unwrap_or_default() {
            let key = match &item {
                Value::String(s) => Some(s.clone()),
                Value::Object(obj) => obj
                    .get("name")
                    .or_else(|| obj.get("id"))
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                _ => None,
            };
            match key {
                Some(k) if !wanted.contains(&k) => wanted.push(k),
                Some(_) => {}
                None => self.errors.add(field.name, FieldCode::GroupNeedsName),
            }
        }
        wanted
    }

    pub(super) fn resources(&mut self) -> Option<Vec<ResourceInput>> {
        let field = &f::RESOURCES;
        let items = params::list(self.dict, field.name, &mut self.errors)?;
        let max = field.max.unwrap_or(usize::MAX);
        if items.len() > max {
            self.errors
                .add(field.name, FieldCode::TooManyResources.arg("max", max));
            return None;
        }
        let checked: Vec<Option<ResourceInput>> = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                resources::validate_item(item, &format!("resources[{i}]"), &mut self.errors)
            })
            .collect();
        Some(checked.into_iter().flatten().collect())
    }
}

/// What is wrong with a tag, if anything.
fn tag_problem(tag: &str) -> Option<FieldMessage> {
    let length = tag.chars().count();
    if !(2..=100).contains(&length) {
        Some(FieldCode::TagLength.arg("tag", tag))
    } else if tag.chars().any(|c| c.is_control() || c == ',' || c == '"') {
        // Wider than CKAN's [\w -.]: real tags say "tháng 1/2026" or "HIV/AIDS". Commas
        // separate tags in tag_string and quotes delimit search terms, so those stay out.
        Some(FieldCode::TagCharacters.arg("tag", tag))
    } else {
        None
    }
}
