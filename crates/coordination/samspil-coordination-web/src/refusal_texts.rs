//! Every refusal a person can meet has a Danish and an English sentence:
//! the general rules of the platform (`BrokenRule`), coordination's own
//! (`samspil_coordination::task::REFUSALS`, and every key the sources of
//! the coordination context name), and the web layer's errors, which the
//! storage's errors become.

#[cfg(test)]
mod tests {
    use std::path::Path;

    use samspil_domain::BrokenRule;
    use samspil_web::error::AppError;
    use samspil_web::i18n::Lang;

    fn texts_loaded() {
        samspil_web::i18n::add_texts(&crate::TEXTS);
    }

    /// A sentence for people: defined (not the key itself), different in
    /// the two languages, and no English developer's words in Danish.
    fn assert_sentences(what: &str, da: &str, en: &str, key: &str) {
        assert_ne!(da, key, "{what}: no Danish text");
        assert_ne!(en, key, "{what}: no English text");
        assert_ne!(da, en, "{what}: the Danish text is the English one");
        for english in [" the ", " is ", " not ", " must ", "'"] {
            assert!(
                !da.contains(english),
                "{what}: English in the Danish text: {da}"
            );
        }
    }

    #[test]
    fn every_general_rule_has_a_danish_and_an_english_sentence() {
        texts_loaded();
        for rule in BrokenRule::examples() {
            let key = format!("rule-{}", rule.key());
            let da = Lang::Da.rule_text(&rule, "end");
            let en = Lang::En.rule_text(&rule, "end");
            assert_sentences(&key, &da, &en, &key);
        }
    }

    #[test]
    fn every_refusal_of_coordination_has_a_danish_and_an_english_sentence() {
        texts_loaded();
        for key in samspil_coordination::task::REFUSALS {
            // Values the sentences name, so that a text with a variable
            // reads as it will.
            let values = ["count", "max", "min", "size", "name", "prompt", "typed"]
                .map(|name| (name, "2".to_owned()))
                .into_iter()
                .chain([
                    ("extension", "exe".to_owned()),
                    ("accepted", "pdf".to_owned()),
                    ("expected", "draft".to_owned()),
                    ("state", "published".to_owned()),
                ])
                .collect();
            let rule = BrokenRule::named_with(key, values);
            let text_key = format!("rule-{key}");
            let da = Lang::Da.rule_text(&rule, "x");
            let en = Lang::En.rule_text(&rule, "x");
            assert_sentences(&text_key, &da, &en, &text_key);
        }
    }

    /// The keys the sources name in `ValidationError::named(field, "key", …)`
    /// and `named_with`: each in `REFUSALS`; and no refusal made without a
    /// rule (`ValidationError::new`), whose sentence would be a field's
    /// general one at best.
    #[test]
    fn every_refusal_in_coordinations_sources_is_listed_with_its_texts() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut unlisted = Vec::new();
        let mut unnamed = Vec::new();
        for crate_dir in [
            "samspil-coordination",
            "samspil-coordination-sql",
            "samspil-coordination-web",
        ] {
            for file in rust_files(&root.join(crate_dir).join("src")) {
                let source = std::fs::read_to_string(&file).expect("readable");
                let code = source.split("#[cfg(test)]").next().unwrap_or_default();
                if code.contains("ValidationError::new(") {
                    unnamed.push(file.display().to_string());
                }
                for key in named_keys(code) {
                    if !samspil_coordination::task::REFUSALS.contains(&key.as_str()) {
                        unlisted.push(format!("{}: {key}", file.display()));
                    }
                }
            }
        }
        assert!(unnamed.is_empty(), "refusals without a rule: {unnamed:#?}");
        assert!(unlisted.is_empty(), "keys not in REFUSALS: {unlisted:#?}");
    }

    /// The web layer's errors a page shows (the storage's errors become
    /// these): a sentence in each language, never the detail behind it.
    #[test]
    fn every_error_page_speaks_the_persons_language_without_the_developers_detail() {
        texts_loaded();
        let detail = "a role named 'X' exists already";
        let errors = [
            AppError::Unauthenticated,
            AppError::Forbidden(detail.into()),
            AppError::ForbiddenOrg {
                org: "Aarhus".into(),
            },
            AppError::ReadOnly,
            AppError::NotFound,
            AppError::Csrf,
            AppError::MethodNotAllowed,
            AppError::TooLarge,
            AppError::BadRequest(detail.into()),
            AppError::Invalid(detail.into()),
            AppError::Rule(samspil_domain::ValidationError::new("x", detail)),
            AppError::BadQuery(samspil_domain::ValidationError::new("x", detail)),
            AppError::UnknownRegion("Nord".into()),
            AppError::Conflict(detail.into()),
            AppError::TooManyAttempts {
                retry_after_secs: 5,
            },
            AppError::Unavailable(detail.into()),
            AppError::Internal(detail.into()),
        ];
        for error in errors {
            let (da, en) = (error.message(Lang::Da), error.message(Lang::En));
            assert!(
                !da.contains(detail) && !en.contains(detail),
                "{error:?}: {da}"
            );
            assert_sentences(&format!("{error:?}"), &da, &en, "");
        }
    }

    fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).expect("a source folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
        files
    }

    /// The second argument of each `ValidationError::named(` or
    /// `named_with(` call: the key, a string literal.
    fn named_keys(code: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for start in ["ValidationError::named(", "ValidationError::named_with("] {
            for (at, _) in code.match_indices(start) {
                let args = &code[at + start.len()..];
                let Some(comma) = args.find(',') else {
                    continue;
                };
                let rest = args[comma + 1..].trim_start();
                if let Some(literal) = rest.strip_prefix('"')
                    && let Some(end) = literal.find('"')
                {
                    keys.push(literal[..end].to_owned());
                }
            }
        }
        keys
    }
}
