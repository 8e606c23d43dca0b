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
/// it needs; the web layer has a text for each (`rule-{key}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrokenRule {
    /// Not a date written `YYYY-MM-DD`.
    NotADate { typed: String },
    /// A date outside the years accepted.
    YearOutOfRange {
        typed: String,
        first: i32,
        last: i32,
    },
}

impl BrokenRule {
    pub fn key(&self) -> &'static str {
        match self {
            BrokenRule::NotADate { .. } => "not-a-date",
            BrokenRule::YearOutOfRange { .. } => "year-out-of-range",
        }
    }

    /// The values the sentence names.
    pub fn values(&self) -> Vec<(&'static str, String)> {
        match self {
            BrokenRule::NotADate { typed } => vec![("typed", typed.clone())],
            BrokenRule::YearOutOfRange { typed, first, last } => vec![
                ("typed", typed.clone()),
                ("first", first.to_string()),
                ("last", last.to_string()),
            ],
        }
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
}
