//! The catalogue is complete: codes are unique, every code has a Vietnamese and an English
//! message that uses exactly the arguments its line declares and renders with them, every
//! choice has its own wording, and the Fluent files hold nothing the table does not know.

use std::collections::{BTreeMap, BTreeSet};

use fluent_bundle::FluentResource;
use fluent_syntax::ast;

use super::codes::ArgSpec;
use super::render::{bundle, format_in, Bundle, SOURCES};
use super::{ArgValue, Args, ErrorCode, FieldCode, Lang};

/// Every line of both tables: code and declared arguments.
fn lines() -> Vec<(&'static str, &'static [ArgSpec])> {
    let errors = ErrorCode::ALL.iter().map(|c| (c.as_str(), c.line().args));
    let fields = FieldCode::ALL.iter().map(|c| (c.as_str(), c.line().args));
    errors.chain(fields).collect()
}

/// The messages of one language, by id, as Fluent parsed them.
fn messages(lang: Lang) -> BTreeMap<String, ast::Pattern<&'static str>> {
    let (_, files) = SOURCES.iter().find(|(l, _)| *l == lang).unwrap();
    let mut out = BTreeMap::new();
    for source in *files {
        let resource = fluent_syntax::parser::parse(*source)
            .unwrap_or_else(|(_, errors)| panic!("{lang:?} does not parse: {errors:?}"));
        for entry in resource.body {
            match entry {
                ast::Entry::Message(message) => {
                    let id = message.id.name.to_owned();
                    let value = message.value.unwrap_or_else(|| panic!("{id} has no text"));
                    assert!(out.insert(id.clone(), value).is_none(), "{id} twice");
                }
                ast::Entry::Term(term) => panic!("term -{} is not used", term.id.name),
                ast::Entry::Junk { content } => panic!("junk in {lang:?}: {content}"),
                _ => {}
            }
        }
    }
    out
}

/// Variables a pattern uses (through message references too), and each selector's keys.
fn walk(
    pattern: &ast::Pattern<&str>,
    all: &BTreeMap<String, ast::Pattern<&'static str>>,
    vars: &mut BTreeSet<String>,
    selects: &mut Vec<(String, BTreeSet<String>)>,
) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            walk_expression(expression, all, vars, selects);
        }
    }
}

fn walk_expression(
    expression: &ast::Expression<&str>,
    all: &BTreeMap<String, ast::Pattern<&'static str>>,
    vars: &mut BTreeSet<String>,
    selects: &mut Vec<(String, BTreeSet<String>)>,
) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            walk_inline(selector, all, vars, selects);
            if let ast::InlineExpression::VariableReference { id } = selector {
                let keys = variants
                    .iter()
                    .map(|v| match &v.key {
                        ast::VariantKey::Identifier { name } => (*name).to_owned(),
                        ast::VariantKey::NumberLiteral { value } => (*value).to_owned(),
                    })
                    .collect();
                selects.push((id.name.to_owned(), keys));
            }
            for variant in variants {
                walk(&variant.value, all, vars, selects);
            }
        }
        ast::Expression::Inline(inline) => walk_inline(inline, all, vars, selects),
    }
}

fn walk_inline(
    inline: &ast::InlineExpression<&str>,
    all: &BTreeMap<String, ast::Pattern<&'static str>>,
    vars: &mut BTreeSet<String>,
    selects: &mut Vec<(String, BTreeSet<String>)>,
) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        ast::InlineExpression::MessageReference { id, .. } => {
            let referenced = all
                .get(id.name)
                .unwrap_or_else(|| panic!("reference to a missing message {}", id.name));
            walk(referenced, all, vars, selects);
        }
        ast::InlineExpression::Placeable { expression } => {
            walk_expression(expression, all, vars, selects)
        }
        ast::InlineExpression::FunctionReference { id, .. } => {
            panic!("function {} used: the renderer registers none", id.name)
        }
        _ => {}
    }
}

/// Arguments for a line: every free argument as `value`, each choice at its `pick`.
fn sample_args(specs: &[ArgSpec], value: &ArgValue, pick: &BTreeMap<&str, &'static str>) -> Args {
    specs
        .iter()
        .map(|spec| match pick.get(spec.name) {
            Some(key) => (spec.name, ArgValue::Choice(key)),
            None if !spec.choices.is_empty() => (spec.name, ArgValue::Choice(spec.choices[0])),
            None => (spec.name, value.clone()),
        })
        .collect()
}

/// Renders and fails on any Fluent error (a missing argument, a missing message).
fn render_strictly(bundle: &Bundle, id: &str, args: &Args) -> String {
    let pattern = bundle
        .get_message(id)
        .and_then(|m| m.value())
        .unwrap_or_else(|| panic!("no message {id}"));
    let mut fluent_args = fluent_bundle::FluentArgs::new();
    for (name, value) in args {
        match value {
            ArgValue::Text(text) => fluent_args.set(*name, text.clone()),
            ArgValue::Number(number) => fluent_args.set(*name, *number),
            ArgValue::Choice(key) => fluent_args.set(*name, *key),
        }
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    assert!(errors.is_empty(), "{id} with {args:?}: {errors:?}");
    // And the renderer the server uses says the same.
    assert_eq!(format_in(bundle, id, args), text);
    text.into_owned()
}

#[test]
fn codes_are_unique_across_both_tables() {
    let mut seen = BTreeSet::new();
    for (code, _) in lines() {
        assert!(seen.insert(code), "the code {code} is listed twice");
        assert!(
            code.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{code} is not snake_case"
        );
    }
}

#[test]
fn each_ckan_type_has_one_status() {
    let mut status_of = BTreeMap::new();
    for code in ErrorCode::ALL {
        let status = *status_of
            .entry(code.ckan_type().as_str())
            .or_insert(code.status());
        assert_eq!(status, code.status(), "{}", code.as_str());
    }
}

#[test]
fn files_parse_and_load_without_clashes() {
    for (lang, files) in SOURCES {
        let mut bundle = fluent_bundle::concurrent::FluentBundle::new_concurrent(vec![]);
        for source in files {
            let resource = FluentResource::try_new((*source).to_owned())
                .unwrap_or_else(|(_, e)| panic!("{lang:?}: {e:?}"));
            bundle
                .add_resource(resource)
                .unwrap_or_else(|e| panic!("{lang:?}: {e:?}"));
        }
    }
}

#[test]
fn every_code_has_a_message_in_each_language_using_exactly_its_arguments() {
    for lang in Lang::ALL {
        let all = messages(lang);
        for (code, specs) in lines() {
            let pattern = all
                .get(code)
                .unwrap_or_else(|| panic!("{code} has no {lang:?} message"));
            let (mut vars, mut selects) = (BTreeSet::new(), Vec::new());
            walk(pattern, &all, &mut vars, &mut selects);
            let declared: BTreeSet<String> = specs.iter().map(|s| s.name.to_owned()).collect();
            assert_eq!(
                vars, declared,
                "{code} in {lang:?}: used vs declared arguments"
            );
            for spec in specs.iter().filter(|s| !s.choices.is_empty()) {
                let (_, keys) = selects
                    .iter()
                    .find(|(var, _)| var == spec.name)
                    .unwrap_or_else(|| {
                        panic!("{code} in {lang:?} does not select on {}", spec.name)
                    });
                let choices: BTreeSet<String> =
                    spec.choices.iter().map(|k| (*k).to_owned()).collect();
                let mut expected = choices.clone();
                expected.insert("other".to_owned());
                assert!(
                    choices.is_subset(keys) && keys.is_subset(&expected),
                    "{code} in {lang:?}: wordings {keys:?} for choices {choices:?}"
                );
            }
        }
    }
}

#[test]
fn no_orphan_messages() {
    let known: BTreeSet<&str> = lines().into_iter().map(|(code, _)| code).collect();
    for lang in Lang::ALL {
        for id in messages(lang).keys() {
            assert!(
                known.contains(id.as_str()),
                "{id} ({lang:?}) is in no table"
            );
        }
    }
}

#[test]
fn every_message_renders_with_its_declared_arguments_in_both_languages() {
    for lang in Lang::ALL {
        let bundle = bundle(lang);
        for (code, specs) in lines() {
            let choice_specs: Vec<&ArgSpec> =
                specs.iter().filter(|s| !s.choices.is_empty()).collect();
            // Each choice key in turn (the others at their first key), or once without choices.
            let mut picks: Vec<BTreeMap<&str, &'static str>> = choice_specs
                .iter()
                .flat_map(|spec| {
                    spec.choices
                        .iter()
                        .map(|key| BTreeMap::from([(spec.name, *key)]))
                })
                .collect();
            if picks.is_empty() {
                picks.push(BTreeMap::new());
            }
            let mut wordings = BTreeSet::new();
            for pick in &picks {
                for value in [
                    ArgValue::Text("gia-dat-2025".into()),
                    ArgValue::Number(1000),
                ] {
                    let text = render_strictly(&bundle, code, &sample_args(specs, &value, pick));
                    assert!(!text.trim().is_empty(), "{code} renders empty in {lang:?}");
                    assert!(
                        !text.contains("{$"),
                        "{code} in {lang:?} left a variable: {text}"
                    );
                    if matches!(value, ArgValue::Text(_)) {
                        wordings.insert(text);
                    }
                }
            }
            assert_eq!(
                wordings.len(),
                picks.len(),
                "{code} in {lang:?}: a choice shares a wording"
            );
        }
    }
}

#[test]
fn vietnamese_and_english_differ_and_vietnamese_is_the_default() {
    assert_eq!(Lang::default(), Lang::Vi);
    let (vi, en) = (bundle(Lang::Vi), bundle(Lang::En));
    for (code, specs) in lines() {
        let args = sample_args(specs, &ArgValue::Number(3), &BTreeMap::new());
        assert_ne!(
            render_strictly(&vi, code, &args),
            render_strictly(&en, code, &args),
            "{code} is not translated"
        );
    }
}

#[test]
fn languages_are_read_from_tags() {
    assert_eq!(Lang::from_tag("vi"), Some(Lang::Vi));
    assert_eq!(Lang::from_tag("vi-VN"), Some(Lang::Vi));
    assert_eq!(Lang::from_tag("EN_us"), Some(Lang::En));
    assert_eq!(Lang::from_tag(" en-GB "), Some(Lang::En));
    assert_eq!(Lang::from_tag("fr"), None);
    assert_eq!(Lang::from_tag("*"), None);
}
