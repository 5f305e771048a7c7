//! Rendering an error in one language from the Fluent catalogues under `web/i18n/`, compiled
//! into the binary. The API wraps the result in CKAN's envelope; pages will show it as HTML.

use std::fmt;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use super::{AppError, ArgValue, Args, ErrorCode, FieldErrors};

/// A language the portal speaks. Vietnamese is the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Tiếng Việt.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Every language, the default first.
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The language of a tag such as `vi`, `en-GB` or `EN_us`; None when not spoken here.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        Lang::ALL
            .into_iter()
            .find(|lang| primary.eq_ignore_ascii_case(lang.code()))
    }
}

/// The message files of each language, in the order they are loaded.
pub(super) const SOURCES: [(Lang, &[&str]); 2] = [
    (
        Lang::Vi,
        &[
            include_str!("../../web/i18n/vi/errors.ftl"),
            include_str!("../../web/i18n/vi/fields.ftl"),
        ],
    ),
    (
        Lang::En,
        &[
            include_str!("../../web/i18n/en/errors.ftl"),
            include_str!("../../web/i18n/en/fields.ftl"),
        ],
    ),
];

/// A language's messages.
pub(super) type Bundle = FluentBundle<FluentResource>;

/// Loads one language. The catalogue test proves the files parse and hold no duplicate;
/// should a broken file ship anyway, what parsed is kept and the rest is logged.
pub(super) fn bundle(lang: Lang) -> Bundle {
    let locale = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![locale]);
    // No Unicode isolation marks around arguments: the messages go into JSON and logs, where
    // invisible characters only get in the way of reading and searching.
    bundle.set_use_isolating(false);
    let sources = SOURCES
        .iter()
        .find(|(source_lang, _)| *source_lang == lang)
        .map_or(&[][..], |(_, files)| *files);
    for source in sources {
        let resource = FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(res, e)| {
            tracing::error!(lang = lang.code(), errors = ?e, "error messages do not parse");
            res
        });
        if let Err(e) = bundle.add_resource(resource) {
            tracing::error!(lang = lang.code(), errors = ?e, "error messages clash");
        }
    }
    bundle
}

static BUNDLES: LazyLock<[Bundle; 2]> = LazyLock::new(|| Lang::ALL.map(bundle));

fn bundle_of(lang: Lang) -> &'static Bundle {
    &BUNDLES[lang as usize]
}

/// The message `id` (a code of the catalogue) in `lang`, with its arguments.
pub fn message(id: &str, args: &Args, lang: Lang) -> String {
    format_in(bundle_of(lang), id, args)
}

pub(super) fn format_in(bundle: &Bundle, id: &str, args: &Args) -> String {
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        // The catalogue test makes this unreachable; the code still tells the client something.
        tracing::error!(id, "no message for this code");
        return id.to_owned();
    };
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        let value = match value {
            ArgValue::Text(text) => FluentValue::from(text.as_str()),
            ArgValue::Number(number) => FluentValue::from(*number),
            ArgValue::Choice(key) => FluentValue::from(*key),
        };
        fluent_args.set(*name, value);
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    if !errors.is_empty() {
        tracing::warn!(id, ?errors, "an error message lacks an argument");
    }
    text.into_owned()
}

/// An error as a reply shows it: code, status, CKAN `__type`, and the message (and messages
/// per field for a validation error) in one language. Internal causes are not in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedError {
    /// The stable code.
    pub code: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// CKAN's `__type`.
    pub ckan_type: &'static str,
    /// The message.
    pub message: String,
    /// Field -> messages (validation errors only).
    pub fields: Vec<(String, Vec<String>)>,
    /// A refusal's structured facts (see `Refusal::details`).
    pub details: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Renders an error in `lang`; the API and the pages show the same code and words.
pub fn render(error: &AppError, lang: Lang) -> RenderedError {
    let code: ErrorCode = error.code();
    let mut fields = Vec::new();
    let message = match error {
        AppError::Refused(refusal) => message(refusal.code.as_str(), &refusal.args, lang),
        AppError::Validation(errors) => {
            fields = field_messages(errors, lang);
            let summary = fields
                .iter()
                .map(|(field, messages)| format!("{field}: {}", messages.join("; ")))
                .collect::<Vec<_>>()
                .join(" | ");
            message(
                code.as_str(),
                &vec![("fields", ArgValue::Text(summary))],
                lang,
            )
        }
        AppError::Internal(_) => message(code.as_str(), &Vec::new(), lang),
    };
    RenderedError {
        code: code.as_str(),
        status: code.status(),
        ckan_type: code.ckan_type().as_str(),
        message,
        fields,
        details: match error {
            AppError::Refused(refusal) => refusal.details.clone(),
            _ => None,
        },
    }
}

fn field_messages(errors: &FieldErrors, lang: Lang) -> Vec<(String, Vec<String>)> {
    errors
        .iter()
        .map(|(field, messages)| {
            let texts = messages
                .iter()
                .map(|m| message(m.code.as_str(), &m.args, lang))
                .collect();
            (field.clone(), texts)
        })
        .collect()
}

/// The error in both languages, Vietnamese first, as the command line prints everything: one
/// line per field for a validation error. An internal error shows its causes: this is for
/// operators and logs, never for a client.
pub fn bilingual(error: &AppError) -> Vec<String> {
    if let AppError::Internal(cause) = error {
        return vec![format!("internal error: {cause:#}")];
    }
    let vi = render(error, Lang::Vi);
    let en = render(error, Lang::En);
    if vi.fields.is_empty() {
        return vec![format!("{} / {}", vi.message, en.message)];
    }
    vi.fields
        .iter()
        .zip(&en.fields)
        .map(|((field, vi), (_, en))| format!("{field}: {} / {}", vi.join("; "), en.join("; ")))
        .collect()
}

/// Both languages (see [`bilingual`]), fields separated by ` | `.
impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bilingual(self).join(" | "))
    }
}
