//! What each context's web crate checks of its own templates and texts, in
//! one place: every `t("key")` a template uses is defined in Danish and in
//! English (in the context's `.ftl` files or the shell's), the context's
//! two languages define the same keys, and every template compiles beside
//! the shell's. Each context's unit tests call these with its own folder
//! and templates.

use std::collections::BTreeSet;
use std::path::Path;

use crate::i18n::ftl_keys;
use crate::templates::{TemplateSource, environment, literal_keys};

/// The languages every text exists in.
const LANGUAGES: [&str; 2] = ["da", "en"];

fn shell_keys(lang: &str) -> BTreeSet<String> {
    ftl_keys(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang),
    )
}

/// `template: key (lang)` for each text a template of the context uses that
/// neither the context (`context_dir/locales/<lang>/`) nor the shell defines.
pub fn missing_texts(context_dir: &Path, names: &[String], source: TemplateSource) -> Vec<String> {
    let mut missing = Vec::new();
    for lang in LANGUAGES {
        let defined: BTreeSet<String> = ftl_keys(&context_dir.join("locales").join(lang))
            .into_iter()
            .chain(shell_keys(lang))
            .collect();
        for name in names {
            let Some(text) = source(name) else {
                missing.push(format!("{name}: the template is not there"));
                continue;
            };
            for key in literal_keys(&text) {
                if !defined.contains(&key) {
                    missing.push(format!("{name}: {key} ({lang})"));
                }
            }
        }
    }
    missing
}

/// The keys the context defines in Danish but not in English, and the other
/// way round; and whether it defines any at all.
pub fn unmatched_texts(context_dir: &Path) -> (bool, Vec<String>) {
    let [da, en] = LANGUAGES.map(|lang| ftl_keys(&context_dir.join("locales").join(lang)));
    let unmatched = da.symmetric_difference(&en).cloned().collect();
    (!da.is_empty(), unmatched)
}

/// `template: error` for each of the context's `.html` templates that does
/// not compile in the environment of the shell's and the context's.
pub fn uncompilable_templates(names: &[String], source: TemplateSource) -> Vec<String> {
    let env = environment(&[source]);
    names
        .iter()
        .filter(|name| name.ends_with(".html"))
        .filter_map(|name| {
            env.get_template(name)
                .err()
                .map(|error| format!("{name}: {error:#}"))
        })
        .collect()
}
