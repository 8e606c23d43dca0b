//! Server-rendered pages: minijinja templates compiled into the binary,
//! the shell's (`base.html`, the shared partials `_form_error.html`, …) and
//! each context's, in one environment so that a context's page extends the
//! shell's `base.html`.

use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, State};
use rust_embed::RustEmbed;

use crate::i18n::Lang;

#[derive(RustEmbed)]
#[folder = "templates/"]
struct TemplateFiles;

/// A context's templates: the source of the template of a name, if it has
/// one.
pub type TemplateSource = fn(&str) -> Option<String>;

/// The environment of the shell's templates and the contexts'; a name is
/// looked up in the shell's first.
pub fn environment(contexts: &[TemplateSource]) -> Environment<'static> {
    let mut env = Environment::new();
    let contexts = contexts.to_vec();
    env.set_loader(move |name| {
        Ok(template_source(name).or_else(|| contexts.iter().find_map(|source| source(name))))
    });
    env.add_function("t", translate);
    crate::form::register(&mut env);
    env.add_filter("when", when);
    env.add_filter("rich", |text: &str| {
        Value::from_safe_string(crate::rich_text::to_html(text))
    });
    env
}

/// `t("key", name=value…)` in a template: the text in the page's language,
/// read from the `lang` variable every page context carries.
fn translate(state: &State, key: &str, kwargs: Kwargs) -> Result<String, minijinja::Error> {
    let lang = state
        .lookup("lang")
        .and_then(|value| value.as_str().and_then(Lang::parse))
        .unwrap_or(Lang::Da);
    let mut args = Vec::new();
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        args.push((name, value.to_string()));
    }
    Ok(lang.text(key, &args))
}

/// `{{ c.created_at|when }}`: an ISO date or instant in the page's format
/// (`format.rs`), any other text as it is.
fn when(state: &State, text: &str) -> String {
    let lang = state
        .lookup("lang")
        .and_then(|value| value.as_str().and_then(Lang::parse))
        .unwrap_or(Lang::Da);
    crate::format::format_iso_text(lang, text)
}

/// Every template name, for tests that render or inspect them all.
pub fn template_names() -> Vec<String> {
    TemplateFiles::iter()
        .map(|name| name.into_owned())
        .collect()
}

/// The source of a template, for tests that inspect the keys it uses.
pub fn template_source(name: &str) -> Option<String> {
    TemplateFiles::get(name).map(|file| String::from_utf8_lossy(&file.data).into_owned())
}

/// The literal keys in `t("key"…)` calls of a template source, for the
/// tests that hold templates to the texts.
pub fn literal_keys(source: &str) -> Vec<String> {
    source
        .split("t(\"")
        .skip(1)
        .filter_map(|rest| {
            let end = rest.find('"')?;
            let after = rest[end + 1..].trim_start();
            // `t("prefix-" ~ value)` builds its key at run time.
            (!after.starts_with('~')).then(|| rest[..end].to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_the_templates_use_exists_in_danish_and_english() {
        let mut missing = Vec::new();
        for lang in ["da", "en"] {
            let defined = crate::i18n::tests::keys(lang);
            for name in template_names() {
                let source = template_source(&name).expect("listed templates exist");
                for key in literal_keys(&source) {
                    if !defined.contains(&key) {
                        missing.push(format!("{name}: {key} ({lang})"));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "texts missing: {missing:#?}");
    }

    #[test]
    fn every_template_compiles() {
        let env = environment(&[]);
        let names = template_names();
        assert!(names.iter().any(|n| n == "base.html"), "{names:?}");
        for name in names.iter().filter(|n| n.ends_with(".html")) {
            env.get_template(name)
                .unwrap_or_else(|e| panic!("{name} does not compile: {e:#}"));
        }
    }
}
