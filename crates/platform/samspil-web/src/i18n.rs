//! Danish by default, English as a choice. The locale travels with each
//! request (a process-wide locale would race between requests).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::RwLock;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, StaticLoader, static_loader};
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "da",
        // Unicode isolation marks around arguments show up as stray
        // characters in plain-text contexts (titles, CSV); the texts are
        // short and single-direction, so leave them out.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The contexts' texts, beside the shell's: a key is looked up in the
/// shell's first, then in each context's. Process-wide, like the texts
/// themselves (compiled in); the shell adds each mounted context's.
static CONTEXT_TEXTS: RwLock<Vec<&'static StaticLoader>> = RwLock::new(Vec::new());

/// Adds a context's texts (once, however many apps are built).
pub fn add_texts(texts: &'static StaticLoader) {
    let mut known = CONTEXT_TEXTS
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !known.iter().any(|loader| std::ptr::eq(*loader, texts)) {
        known.push(texts);
    }
}

pub const LANG_COOKIE: &str = "samspil_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Da,
    En,
}

impl From<Lang> for samspil_domain::user::Language {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Da => samspil_domain::user::Language::Da,
            Lang::En => samspil_domain::user::Language::En,
        }
    }
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "da" => Some(Lang::Da),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Self {
        match self {
            Lang::Da => Lang::En,
            Lang::En => Lang::Da,
        }
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::Da => langid!("da"),
            Lang::En => langid!("en"),
        }
    }

    /// The sentence for a broken rule: the text `{prefix}-{field}` where the
    /// texts have one, otherwise the rule's own (English) words in a
    /// sentence of the page's language.
    pub fn refusal(self, prefix: &str, invalid: &samspil_domain::ValidationError) -> String {
        use samspil_domain::BrokenRule;
        let key = format!("{prefix}-{}", invalid.field);
        let field_text = Some(self.text(&key, &[])).filter(|text| *text != key);
        // A field left empty or too long reads best in the field's own
        // words ("Rollen skal have et navn på højst 120 tegn."), where it
        // has them; any other rule in the rule's (a mistyped date is not a
        // date, whatever the field).
        if let (Some(BrokenRule::Required | BrokenRule::TooLong { .. }), Some(text)) =
            (&invalid.rule, &field_text)
        {
            return text.clone();
        }
        if let Some(sentence) = self.broken_rule(invalid) {
            return sentence;
        }
        field_text.unwrap_or_else(|| self.text("error-invalid-value", &[]))
    }

    /// The sentence of a rule that reads the same whatever the field (a
    /// mistyped date), in this language, or `None` for a field's own rule.
    pub fn broken_rule(self, invalid: &samspil_domain::ValidationError) -> Option<String> {
        let rule = invalid.rule.as_ref()?;
        Some(self.rule_text(rule, invalid.field))
    }

    /// The sentence of a rule (`rule-{key}`) with its values.
    pub fn rule_text(self, rule: &samspil_domain::BrokenRule, field: &str) -> String {
        let mut values: Vec<(&str, String)> = rule
            .values()
            .into_iter()
            .map(|(name, value)| (name, self.group_thousands(value)))
            .collect();
        values.push(("field", field.to_owned()));
        self.text(&format!("rule-{}", rule.key()), &values)
    }

    /// A whole number of five digits or more with the language's thousands
    /// separator (`50.000`, `50,000`), as a text; anything else as it is.
    fn group_thousands(self, value: String) -> String {
        if value.len() < 5 || !value.bytes().all(|b| b.is_ascii_digit()) {
            return value;
        }
        let separator = match self {
            Lang::Da => '.',
            Lang::En => ',',
        };
        let mut grouped = String::new();
        for (i, digit) in value.chars().enumerate() {
            if i > 0 && (value.len() - i).is_multiple_of(3) {
                grouped.push(separator);
            }
            grouped.push(digit);
        }
        grouped
    }

    /// The text for `key` with named arguments. A missing key shows as the
    /// key itself (a test keeps every key used by the templates defined).
    pub fn text(self, key: &str, args: &[(&str, String)]) -> String {
        let lang = self.id();
        let contexts = CONTEXT_TEXTS
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let loaders = std::iter::once(&*LOCALES).chain(contexts.iter().copied());
        let result = if args.is_empty() {
            loaders
                .into_iter()
                .find_map(|loader| loader.try_lookup(&lang, key))
        } else {
            let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
                .iter()
                .map(|(name, value)| {
                    // Whole numbers are numbers (plurals choose by them);
                    // `50.000` is a text already grouped for reading.
                    let whole = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
                    let value = match value.parse::<f64>() {
                        Ok(number) if whole => FluentValue::from(number),
                        _ => FluentValue::from(value.as_str()),
                    };
                    (Cow::Owned((*name).to_owned()), value)
                })
                .collect();
            loaders
                .into_iter()
                .find_map(|loader| loader.try_lookup_with_args(&lang, key, &args))
        };
        result.unwrap_or_else(|| key.to_owned())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(from_parts(parts))
    }
}

pub fn from_parts(parts: &Parts) -> Lang {
    CookieJar::from_headers(&parts.headers)
        .get(LANG_COOKIE)
        .and_then(|cookie| Lang::parse(cookie.value()))
        .unwrap_or(Lang::Da)
}

/// The message ids defined in the `.ftl` files of a folder (one language's
/// texts of the shell or a context), for the tests that hold templates and
/// languages to the same texts.
pub fn ftl_keys(dir: &std::path::Path) -> std::collections::BTreeSet<String> {
    let mut keys = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(dir).expect("locale directory").flatten() {
        let text = std::fs::read_to_string(entry.path()).expect("readable");
        keys.extend(text.lines().filter_map(|line| {
            let (key, _) = line.split_once(" =")?;
            (!key.starts_with([' ', '#', '.'])).then(|| key.trim().to_owned())
        }));
    }
    keys
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn texts_come_in_both_languages_with_arguments() {
        assert_eq!(
            Lang::Da.text("login-error-throttled", &[("seconds", "8".into())]),
            "For mange forkerte forsøg. Vent 8 sekunder, og prøv igen."
        );
        assert_eq!(
            Lang::En.text("login-error-throttled", &[("seconds", "8".into())]),
            "Too many wrong attempts. Wait 8 seconds and try again."
        );
        assert_eq!(Lang::En.text("no-such-key", &[]), "no-such-key");
    }

    #[test]
    fn every_file_rule_has_a_danish_and_an_english_sentence() {
        for key in samspil_domain::files::REFUSALS
            .iter()
            .chain(samspil_domain::user::REFUSALS)
        {
            let rule = samspil_domain::BrokenRule::named_with(
                key,
                vec![
                    ("size", "12".into()),
                    ("max", "10".into()),
                    ("extension", "exe".into()),
                    ("accepted", "pdf".into()),
                ],
            );
            let (da, en) = (
                Lang::Da.rule_text(&rule, "file"),
                Lang::En.rule_text(&rule, "file"),
            );
            let text_key = format!("rule-{key}");
            assert!(
                da != text_key && en != text_key && da != en,
                "{key}: {da} / {en}"
            );
        }
    }

    /// The message ids defined in the shell's `.ftl` files of a language.
    pub(crate) fn keys(lang: &str) -> std::collections::BTreeSet<String> {
        ftl_keys(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("locales")
                .join(lang),
        )
    }

    #[test]
    fn danish_and_english_have_the_same_texts() {
        let da = keys("da");
        let en = keys("en");
        assert!(!da.is_empty());
        let only_da: Vec<_> = da.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&da).collect();
        assert!(
            only_da.is_empty() && only_en.is_empty(),
            "only Danish: {only_da:?}; only English: {only_en:?}"
        );
    }
}
