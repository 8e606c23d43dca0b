use thiserror::Error;

/// A value a person or a client system supplied that breaks a rule of the
/// domain. The message is meant to be shown as it is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{field}: {problem}")]
pub struct ValidationError {
    pub field: &'static str,
    pub problem: String,
    /// The rule broken, where saying it in a person's language takes more
    /// than the field's own text (`{prefix}-{field}`): a date field's text
    /// says what the field means, not that the date was mistyped.
    pub rule: Option<BrokenRule>,
}

/// A rule whose sentence is the same whatever the field, with the values
/// it needs; the web layer has a text for each (`rule-{key}`) in Danish and
/// English, and a test holds every rule to both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrokenRule {
    /// Not a date written `dd.mm.åååå` or `ÅÅÅÅ-MM-DD`.
    NotADate { typed: String },
    /// A date outside the years accepted.
    YearOutOfRange {
        typed: String,
        first: i32,
        last: i32,
    },
    /// A field that must be filled in was left empty.
    Required,
    /// A text longer than its field holds.
    TooLong { max: usize },
    /// A text with a NUL character, which no database keeps the same.
    NulCharacter,
    /// Not a whole number.
    NotANumber { typed: String },
    /// A value none of the field's choices.
    UnknownChoice { typed: String },
    /// A field the form does not have.
    UnknownField,
    /// A period whose end lies before its start.
    EndBeforeStart { start: String, end: String },
    /// A context's own rule (`rule-{key}`), with the values its sentence
    /// names. Each context lists its keys (`REFUSALS` of its rules crate),
    /// and a test holds every listed key to a Danish and an English text.
    Named {
        key: &'static str,
        values: Vec<(&'static str, String)>,
    },
}

impl BrokenRule {
    pub fn key(&self) -> &'static str {
        match self {
            BrokenRule::NotADate { .. } => "not-a-date",
            BrokenRule::YearOutOfRange { .. } => "year-out-of-range",
            BrokenRule::Required => "required",
            BrokenRule::TooLong { .. } => "too-long",
            BrokenRule::NulCharacter => "nul-character",
            BrokenRule::NotANumber { .. } => "not-a-number",
            BrokenRule::UnknownChoice { .. } => "unknown-choice",
            BrokenRule::UnknownField => "unknown-field",
            BrokenRule::EndBeforeStart { .. } => "end-before-start",
            BrokenRule::Named { key, .. } => key,
        }
    }

    /// A context's rule without values.
    pub fn named(key: &'static str) -> Self {
        BrokenRule::Named {
            key,
            values: Vec::new(),
        }
    }

    /// A context's rule with the values its sentence names.
    pub fn named_with(key: &'static str, values: Vec<(&'static str, String)>) -> Self {
        BrokenRule::Named { key, values }
    }

    /// The values the sentence names.
    pub fn values(&self) -> Vec<(&'static str, String)> {
        match self {
            BrokenRule::NotADate { typed }
            | BrokenRule::NotANumber { typed }
            | BrokenRule::UnknownChoice { typed } => vec![("typed", typed.clone())],
            BrokenRule::YearOutOfRange { typed, first, last } => vec![
                ("typed", typed.clone()),
                ("first", first.to_string()),
                ("last", last.to_string()),
            ],
            BrokenRule::TooLong { max } => vec![("max", max.to_string())],
            BrokenRule::EndBeforeStart { start, end } => {
                vec![("start", start.clone()), ("end", end.clone())]
            }
            BrokenRule::Named { values, .. } => values.clone(),
            BrokenRule::Required | BrokenRule::NulCharacter | BrokenRule::UnknownField => {
                Vec::new()
            }
        }
    }

    /// One of each general rule (not the contexts' named ones), for the
    /// test that every rule has its texts.
    pub fn examples() -> Vec<BrokenRule> {
        let typed = || "x".to_owned();
        let all = vec![
            BrokenRule::NotADate { typed: typed() },
            BrokenRule::YearOutOfRange {
                typed: typed(),
                first: 1,
                last: 2,
            },
            BrokenRule::Required,
            BrokenRule::TooLong { max: 1 },
            BrokenRule::NulCharacter,
            BrokenRule::NotANumber { typed: typed() },
            BrokenRule::UnknownChoice { typed: typed() },
            BrokenRule::UnknownField,
            BrokenRule::EndBeforeStart {
                start: typed(),
                end: typed(),
            },
        ];
        // A new variant fails to compile here until it is in the list.
        for rule in &all {
            match rule {
                BrokenRule::NotADate { .. }
                | BrokenRule::YearOutOfRange { .. }
                | BrokenRule::Required
                | BrokenRule::TooLong { .. }
                | BrokenRule::NulCharacter
                | BrokenRule::NotANumber { .. }
                | BrokenRule::UnknownChoice { .. }
                | BrokenRule::UnknownField
                | BrokenRule::EndBeforeStart { .. }
                | BrokenRule::Named { .. } => {}
            }
        }
        all
    }
}

impl ValidationError {
    pub fn new(field: &'static str, problem: impl Into<String>) -> Self {
        Self {
            field,
            problem: problem.into(),
            rule: None,
        }
    }

    /// The error of a [`BrokenRule`], with `problem` as the English
    /// sentence for logs and the API.
    pub fn broke(field: &'static str, problem: impl Into<String>, rule: BrokenRule) -> Self {
        Self {
            rule: Some(rule),
            ..Self::new(field, problem)
        }
    }

    /// A value that is none of the choices a field knows: `known` lists
    /// them for the English sentence (`unknown sort 'x': use code, title`).
    pub fn unknown_choice(field: &'static str, typed: &str, known: &str) -> Self {
        Self::broke(
            field,
            format!("unknown {field} '{typed}': use {known}"),
            BrokenRule::UnknownChoice {
                typed: typed.to_owned(),
            },
        )
    }

    /// The error of a context's named rule with the values its sentence
    /// names.
    pub fn named_with(
        field: &'static str,
        key: &'static str,
        values: Vec<(&'static str, String)>,
        problem: impl Into<String>,
    ) -> Self {
        Self::broke(field, problem, BrokenRule::named_with(key, values))
    }

    /// The error of a context's named rule ([`BrokenRule::Named`]).
    pub fn named(field: &'static str, key: &'static str, problem: impl Into<String>) -> Self {
        Self::broke(field, problem, BrokenRule::named(key))
    }
}
