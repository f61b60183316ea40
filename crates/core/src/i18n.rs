//! The words CareDesk says to customers, in their language: Project Fluent catalogs
//! (`crates/core/locales/<language>.ftl`), embedded in the binary. The public page, the
//! status page, the emails and the validation of what customers type all speak through
//! here; the agents' desktop speaks English.
//!
//! A [`Message`] is a catalog id with its arguments, rendered when the reader's language is
//! known. A message missing from a language falls back to English, so a partial
//! translation shows English rather than an id (a test keeps the catalogs complete).

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Serialize, Serializer};

use crate::domain::Language;

const CATALOGS: &[(Language, &str)] = &[
    (Language::En, include_str!("../locales/en.ftl")),
    (Language::De, include_str!("../locales/de.ftl")),
];

struct Catalog {
    bundles: HashMap<Language, FluentBundle<FluentResource>>,
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let bundles = CATALOGS
        .iter()
        .map(|&(language, source)| {
            // The catalogs ship with the binary and a test parses them, so this cannot fail.
            let resource = FluentResource::try_new(source.to_owned())
                .unwrap_or_else(|(_, errors)| panic!("{language:?} catalog: {errors:?}"));
            let locale = language
                .as_str()
                .parse()
                .expect("a language code is a locale");
            let mut bundle = FluentBundle::new_concurrent(vec![locale]);
            // no Unicode isolation marks around arguments: the text goes into HTML and email
            bundle.set_use_isolating(false);
            bundle
                .add_resource(resource)
                .unwrap_or_else(|errors| panic!("{language:?} catalog: {errors:?}"));
            (language, bundle)
        })
        .collect();
    Catalog { bundles }
});

/// An argument of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Number(i64),
}

impl From<&str> for Arg {
    fn from(text: &str) -> Self {
        Arg::Text(text.to_owned())
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Self {
        Arg::Text(text)
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_arg!(usize, u32, i32, i64, u16, u64);

/// Something to say: a catalog id and its arguments, or (for agents only, who read
/// English) a finished sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Catalog {
        id: &'static str,
        args: Vec<(&'static str, Arg)>,
    },
    Plain(String),
}

impl Message {
    pub fn new(id: &'static str) -> Self {
        Message::Catalog {
            id,
            args: Vec::new(),
        }
    }

    /// The message with one more argument.
    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        if let Message::Catalog { args, .. } = &mut self {
            args.push((name, value.into()));
        }
        self
    }

    /// The catalog id (`None` for a plain sentence).
    pub fn id(&self) -> Option<&'static str> {
        match self {
            Message::Catalog { id, .. } => Some(id),
            Message::Plain(_) => None,
        }
    }

    pub fn in_language(&self, language: Language) -> String {
        match self {
            Message::Catalog { id, args } => render(language, id, args),
            Message::Plain(text) => text.clone(),
        }
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.in_language(Language::En))
    }
}

impl std::error::Error for Message {}

impl From<String> for Message {
    fn from(text: String) -> Self {
        Message::Plain(text)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Self {
        Message::Plain(text.to_owned())
    }
}

impl Serialize for Message {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

/// The text of catalog message `id` in `language` (English when that language lacks it;
/// the id itself, logged, when no catalog has it).
pub fn text(language: Language, id: &str) -> String {
    render(language, id, &[])
}

/// [`text`] with arguments.
pub fn render(language: Language, id: &str, args: &[(&str, Arg)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Text(text) => fluent_args.set(*name, FluentValue::from(text.as_str())),
            Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
        }
    }
    for candidate in [language, Language::En] {
        let bundle = &CATALOG.bundles[&candidate];
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            continue;
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            tracing::error!(id, ?errors, "a catalog message did not format");
        }
        return text.into_owned();
    }
    tracing::error!(id, "no catalog has this message");
    id.to_owned()
}

/// Whether `language`'s own catalog has message `id` (not counting the English fallback).
pub fn has(language: Language, id: &str) -> bool {
    CATALOG.bundles[&language].has_message(id)
}

/// The message ids of one language's catalog, for the completeness test.
#[cfg(test)]
fn ids(language: Language) -> std::collections::BTreeSet<String> {
    let source = CATALOGS.iter().find(|(l, _)| *l == language).unwrap().1;
    let resource = FluentResource::try_new(source.to_owned()).unwrap();
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// The language to speak to a reader who sent `Accept-Language: header`, among the
/// `offered` ones (in the shop's order of preference; the first is the default).
pub fn negotiate(header: Option<&str>, offered: &[Language]) -> Language {
    let default = offered.first().copied().unwrap_or_default();
    let Some(header) = header else {
        return default;
    };
    let requested = fluent_langneg::accepted_languages::parse(header);
    let available: Vec<unic_langid::LanguageIdentifier> = offered
        .iter()
        .filter_map(|l| l.as_str().parse().ok())
        .collect();
    let default_id: unic_langid::LanguageIdentifier = default
        .as_str()
        .parse()
        .expect("a language code is a locale");
    let chosen = fluent_langneg::negotiate_languages(
        &requested,
        &available,
        Some(&default_id),
        fluent_langneg::NegotiationStrategy::Lookup,
    );
    chosen
        .first()
        .and_then(|id| Language::parse(id.language.as_str()).ok())
        .unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids of the labels of the closed sets, which English takes from core's own words
    /// and every other language translates.
    fn label_ids() -> std::collections::BTreeSet<String> {
        use crate::domain::{IssueType, Priority, Status};
        let types = IssueType::ALL
            .iter()
            .map(|v| format!("IssueType-{}", v.as_str()));
        let priorities = Priority::ALL
            .iter()
            .map(|v| format!("Priority-{}", v.as_str()));
        let statuses = Status::ALL.iter().map(|v| format!("Status-{}", v.as_str()));
        types.chain(priorities).chain(statuses).collect()
    }

    #[test]
    fn every_language_has_every_message() {
        let english = ids(Language::En);
        for &(language, _) in CATALOGS {
            let mut wanted = english.clone();
            if language != Language::En {
                wanted.extend(label_ids());
            }
            let theirs = ids(language);
            let missing: Vec<_> = wanted.difference(&theirs).collect();
            let extra: Vec<_> = theirs.difference(&wanted).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{language:?}: missing {missing:?}, unknown {extra:?}"
            );
        }
    }

    #[test]
    fn arguments_are_filled_in_without_isolation_marks() {
        let message = Message::new("description-too-short").with("min", 10);
        assert_eq!(
            message.in_language(Language::En),
            "Please describe the problem in a few more words (at least 10 characters)."
        );
        assert!(
            message
                .in_language(Language::De)
                .contains("mindestens 10 Zeichen")
        );
        assert!(!message.in_language(Language::De).contains('\u{2068}'));
    }

    #[test]
    fn the_language_comes_from_accept_language_among_those_offered() {
        let both = [Language::En, Language::De];
        assert_eq!(
            negotiate(Some("de-DE,de;q=0.9,en;q=0.8"), &both),
            Language::De
        );
        assert_eq!(negotiate(Some("fr-FR, de;q=0.5"), &both), Language::De);
        assert_eq!(negotiate(Some("fr-FR"), &both), Language::En);
        assert_eq!(negotiate(None, &[Language::De, Language::En]), Language::De);
        assert_eq!(negotiate(Some("de"), &[Language::En]), Language::En);
        assert_eq!(negotiate(Some(";;;garbage,,"), &both), Language::En);
    }
}
