//! The interface text of the pages, from the Fluent catalogues under `web/i18n/{vi,en}/`
//! (compiled in). Messages without arguments are formatted once at start, so a page asks for
//! its fifty labels as map lookups, not fifty Fluent formats.

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::error::Lang;

/// The page message files of each language. A test proves both languages hold the same ids.
pub(crate) const SOURCES: [(Lang, &[&str]); 2] = [
    (
        Lang::Vi,
        &[
            include_str!("../../../web/i18n/vi/pages.ftl"),
            include_str!("../../../web/i18n/vi/dataset.ftl"),
            include_str!("../../../web/i18n/vi/preview.ftl"),
            include_str!("../../../web/i18n/vi/account.ftl"),
            include_str!("../../../web/i18n/vi/admin.ftl"),
            include_str!("../../../web/i18n/vi/publish.ftl"),
            include_str!("../../../web/i18n/vi/privacy.ftl"),
            include_str!("../../../web/i18n/vi/staff_datasets.ftl"),
            include_str!("../../../web/i18n/vi/organizations.ftl"),
            include_str!("../../../web/i18n/vi/catalogue.ftl"),
            include_str!("../../../web/i18n/vi/catalogue_staff.ftl"),
        ],
    ),
    (
        Lang::En,
        &[
            include_str!("../../../web/i18n/en/pages.ftl"),
            include_str!("../../../web/i18n/en/dataset.ftl"),
            include_str!("../../../web/i18n/en/preview.ftl"),
            include_str!("../../../web/i18n/en/account.ftl"),
            include_str!("../../../web/i18n/en/admin.ftl"),
            include_str!("../../../web/i18n/en/publish.ftl"),
            include_str!("../../../web/i18n/en/privacy.ftl"),
            include_str!("../../../web/i18n/en/staff_datasets.ftl"),
            include_str!("../../../web/i18n/en/organizations.ftl"),
            include_str!("../../../web/i18n/en/catalogue.ftl"),
            include_str!("../../../web/i18n/en/catalogue_staff.ftl"),
        ],
    ),
];

/// The province's name in Vietnamese and English (`[portal] province`), the `$province` of
/// every message: the same binary serves any province.
static PROVINCE: OnceLock<(String, String)> = OnceLock::new();

/// Sets the province's name once, at start, before the first page is rendered.
pub fn set_province(vi: &str, en: &str) {
    let _ = PROVINCE.set((vi.to_owned(), en.to_owned()));
}

/// The province's name in Vietnamese, as the list of communes and wards spells it.
pub fn province_name() -> String {
    province(Lang::Vi)
}

/// The province's name in `lang` (the default configuration's when never set, as in unit tests).
fn province(lang: Lang) -> String {
    let (vi, en) = PROVINCE.get_or_init(|| ("Tây Ninh".to_owned(), "Tay Ninh".to_owned()));
    match lang {
        Lang::Vi => vi.clone(),
        Lang::En => en.clone(),
    }
}

/// One language's interface text.
pub struct Texts {
    bundle: FluentBundle<FluentResource>,
    plain: HashMap<String, String>,
    province: String,
}

impl Texts {
    fn load(lang: Lang) -> Texts {
        let locale = lang.code().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![locale]);
        // Isolation marks would end up inside attributes and copied text.
        bundle.set_use_isolating(false);
        let files = SOURCES
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or(&[][..], |(_, files)| *files);
        let mut ids = Vec::new();
        for source in files {
            let resource =
                FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(r, e)| {
                    tracing::error!(lang = lang.code(), errors = ?e, "page messages do not parse");
                    r
                });
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(message) = entry {
                    ids.push(message.id.name.to_owned());
                }
            }
            if let Err(e) = bundle.add_resource(resource) {
                tracing::error!(lang = lang.code(), errors = ?e, "page messages clash");
            }
        }
        let province = province(lang);
        let mut fixed = FluentArgs::new();
        fixed.set("province", FluentValue::from(province.clone()));
        let mut plain = HashMap::new();
        for id in ids {
            let Some(pattern) = bundle.get_message(&id).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&fixed), &mut errors);
            if errors.is_empty() {
                plain.insert(id, text.into_owned());
            }
        }
        Texts {
            bundle,
            plain,
            province,
        }
    }

    /// The message `id`; the id itself when missing (the catalogue test rules that out).
    pub fn get<'a>(&'a self, id: &'a str) -> &'a str {
        self.plain.get(id).map(String::as_str).unwrap_or(id)
    }

    /// The message `id` with arguments (numbers format as numbers, everything else as text).
    pub fn with(&self, id: &str, args: &[(&str, FluentValue)]) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::error!(id, "no page message");
            return id.to_owned();
        };
        let mut fluent_args = FluentArgs::with_capacity(args.len() + 1);
        fluent_args.set("province", FluentValue::from(self.province.clone()));
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(id, ?errors, "a page message lacks an argument");
        }
        text.into_owned()
    }

    /// Every message id of the language.
    #[cfg(test)]
    pub fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.plain.keys().map(String::as_str).collect();
        ids.sort_unstable();
        ids
    }
}

static TEXTS: LazyLock<[Texts; 2]> = LazyLock::new(|| Lang::ALL.map(Texts::load));

/// The interface text of `lang`.
pub fn texts(lang: Lang) -> &'static Texts {
    &TEXTS[lang as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every page message exists in both languages, so no English page shows a Vietnamese id.
    #[test]
    fn both_languages_define_the_same_messages() {
        let ids = |lang: Lang| -> Vec<String> {
            let mut all = Vec::new();
            let (_, files) = SOURCES.iter().find(|(l, _)| *l == lang).unwrap();
            for source in *files {
                let resource = fluent_syntax::parser::parse(*source).unwrap();
                for entry in resource.body {
                    if let fluent_syntax::ast::Entry::Message(m) = entry {
                        all.push(m.id.name.to_owned());
                    }
                }
            }
            all.sort();
            all
        };
        let (vi, en) = (ids(Lang::Vi), ids(Lang::En));
        let mut dedup = vi.clone();
        dedup.dedup();
        assert_eq!(dedup, vi, "a message id is defined twice");
        assert_eq!(vi, en, "vi and en page messages differ");
        assert!(texts(Lang::Vi).get("site-name").contains("dữ liệu"));
        assert!(!texts(Lang::En).ids().is_empty());
    }
}
