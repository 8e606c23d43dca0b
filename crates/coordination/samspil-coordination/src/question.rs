//! Questions a task asks each municipality, and the rules for answers.

use serde::{Deserialize, Serialize};

use samspil_domain::ValidationError;
use samspil_domain::input::{free_text, required_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QuestionId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Choose one of the options.
    SingleChoice,
    /// Tick any of the options (e.g. the relevant claim types).
    MultipleChoice,
    YesNo,
    Number,
    Text,
    /// One of the municipality's files on the task (its id).
    File,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 6] = [
        QuestionKind::SingleChoice,
        QuestionKind::MultipleChoice,
        QuestionKind::YesNo,
        QuestionKind::Number,
        QuestionKind::Text,
        QuestionKind::File,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::SingleChoice => "single_choice",
            QuestionKind::MultipleChoice => "multiple_choice",
            QuestionKind::YesNo => "yes_no",
            QuestionKind::Number => "number",
            QuestionKind::Text => "text",
            QuestionKind::File => "file",
        }
    }

    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        QuestionKind::ALL.into_iter().find(|k| k.as_str() == value).ok_or_else(|| {
            ValidationError::broke(
                "kind",
                format!(
                    "unknown question kind '{value}': use single_choice, multiple_choice, yes_no, number, text or file"
                ),
                samspil_domain::BrokenRule::UnknownChoice { typed: value.to_owned() },
            )
        })
    }

    fn has_options(self) -> bool {
        matches!(
            self,
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice
        )
    }
}

/// A question as the community writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionSpec {
    pub prompt: String,
    pub kind: QuestionKind,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub required: bool,
}

/// The longest free-text answer.
pub const MAX_TEXT_ANSWER: usize = 5_000;
/// The longest question.
pub const MAX_PROMPT: usize = 1_000;
/// The longest option of a choice.
pub const MAX_OPTION: usize = 500;
/// The most options a choice offers (the Socialret claim types are 14).
pub const MAX_OPTIONS: usize = 200;

impl QuestionSpec {
    /// A prompt, and for the choice kinds at least two distinct options.
    pub fn check(&self) -> Result<(), ValidationError> {
        required_text(
            "prompt",
            &self.prompt,
            MAX_PROMPT,
            "a question needs a text",
        )?;
        if self.kind.has_options() {
            if self.options.len() > MAX_OPTIONS {
                return Err(ValidationError::named_with(
                    "options",
                    "question-too-many-options",
                    vec![("max", MAX_OPTIONS.to_string())],
                    format!("a choice has at most {MAX_OPTIONS} options"),
                ));
            }
            let mut options = self
                .options
                .iter()
                .map(|o| required_text("options", o, MAX_OPTION, "an option may not be empty"))
                .collect::<Result<Vec<&str>, _>>()?;
            options.sort_unstable();
            options.dedup();
            if options.len() != self.options.len() {
                return Err(ValidationError::named(
                    "options",
                    "question-options-differ",
                    "the options must differ from each other",
                ));
            }
            if options.len() < 2 {
                return Err(ValidationError::named(
                    "options",
                    "question-two-options",
                    "a choice needs at least two options",
                ));
            }
        } else if !self.options.is_empty() {
            return Err(ValidationError::named(
                "options",
                "question-no-options",
                format!("a {} question has no options", self.kind.as_str()),
            ));
        }
        Ok(())
    }

    /// Checks and normalises an answer given as the values a form or a
    /// client sent. An empty answer means "not answered".
    pub fn answer(&self, values: &[String]) -> Result<Vec<String>, ValidationError> {
        let values: Vec<String> = values
            .iter()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            return Ok(values);
        }
        let single = |values: &[String]| -> Result<String, ValidationError> {
            match values {
                [one] => Ok(one.clone()),
                _ => Err(ValidationError::named_with(
                    "answer",
                    "answer-one-only",
                    vec![("prompt", self.prompt.clone())],
                    format!("'{}' takes one answer", self.prompt),
                )),
            }
        };
        match self.kind {
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
                if self.kind == QuestionKind::SingleChoice {
                    single(&values)?;
                }
                // Values are trimmed, so compare them with trimmed options:
                // an option stored with a blank around it (" Ja") can be
                // chosen too, and is saved as the option itself.
                let offered = |v: &String| self.options.iter().any(|o| o.trim() == v);
                if let Some(unknown) = values.iter().find(|v| !offered(v)) {
                    return Err(ValidationError::named_with(
                        "answer",
                        "answer-not-an-option",
                        vec![("prompt", self.prompt.clone()), ("typed", unknown.clone())],
                        format!("'{unknown}' is not one of the options of '{}'", self.prompt),
                    ));
                }
                let mut chosen: Vec<String> = self
                    .options
                    .iter()
                    .filter(|o| values.iter().any(|v| v == o.trim()))
                    .cloned()
                    .collect();
                chosen.dedup();
                Ok(chosen)
            }
            QuestionKind::YesNo => match single(&values)?.as_str() {
                "yes" | "ja" => Ok(vec!["yes".into()]),
                "no" | "nej" => Ok(vec!["no".into()]),
                other => Err(ValidationError::named_with(
                    "answer",
                    "answer-yes-or-no",
                    vec![("prompt", self.prompt.clone())],
                    format!("'{other}' is not yes or no"),
                )),
            },
            QuestionKind::Number => {
                let text = single(&values)?;
                let not_a_number = || {
                    ValidationError::named_with(
                        "answer",
                        "answer-not-a-number",
                        vec![("prompt", self.prompt.clone()), ("typed", text.clone())],
                        format!("'{text}' is not a number"),
                    )
                };
                let number: f64 = text.replace(',', ".").parse().map_err(|_| not_a_number())?;
                if !number.is_finite() {
                    return Err(not_a_number());
                }
                Ok(vec![number.to_string()])
            }
            QuestionKind::Text => {
                let text = values.join("\n");
                match free_text("answer", &text, MAX_TEXT_ANSWER)? {
                    Some(_) => Ok(vec![text]),
                    None => Ok(Vec::new()),
                }
            }
            QuestionKind::File => {
                let text = single(&values)?;
                match text.parse::<i64>() {
                    Ok(id) if id > 0 => Ok(vec![id.to_string()]),
                    _ => Err(ValidationError::named(
                        "answer",
                        "answer-file-not-yours",
                        format!("'{text}' is not one of your files on this task"),
                    )),
                }
            }
        }
    }
}

/// How many municipalities gave each answer to a choice or yes/no
/// question, in the order of the options; for number and text questions
/// only how many answered.
pub fn tally(spec: &QuestionSpec, answers: &[Vec<String>]) -> Vec<(String, u32)> {
    let values: Vec<String> = match spec.kind {
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => spec.options.clone(),
        QuestionKind::YesNo => vec!["yes".into(), "no".into()],
        QuestionKind::Number | QuestionKind::Text | QuestionKind::File => Vec::new(),
    };
    values
        .into_iter()
        .map(|value| {
            let count = answers.iter().filter(|a| a.contains(&value)).count();
            (value, u32::try_from(count).unwrap_or(u32::MAX))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim_types() -> QuestionSpec {
        QuestionSpec {
            prompt: "Vælg de relevante fordringstyper".into(),
            kind: QuestionKind::MultipleChoice,
            options: vec!["KTTIBAK".into(), "KTNEBOF".into(), "KTBRFLX".into()],
            required: true,
        }
    }

    #[test]
    fn a_choice_needs_distinct_options() {
        assert!(claim_types().check().is_ok());
        let mut one = claim_types();
        one.options.truncate(1);
        assert!(one.check().is_err());
        let mut twice = claim_types();
        twice.options.push("KTTIBAK".into());
        assert!(twice.check().is_err());
        let text_with_options = QuestionSpec {
            kind: QuestionKind::Text,
            ..claim_types()
        };
        assert!(text_with_options.check().is_err());
    }

    #[test]
    fn answers_must_be_among_the_options_and_keep_their_order() {
        let q = claim_types();
        assert_eq!(
            q.answer(&["KTBRFLX".into(), "KTTIBAK".into()]),
            Ok(vec!["KTTIBAK".into(), "KTBRFLX".into()])
        );
        let refused = q.answer(&["KTFOO".into()]).expect_err("not an option");
        assert!(refused.problem.contains("KTFOO"));
        assert_eq!(q.answer(&[" ".into()]), Ok(vec![]), "blank is unanswered");
        let single = QuestionSpec {
            kind: QuestionKind::SingleChoice,
            ..claim_types()
        };
        assert!(
            single
                .answer(&["KTTIBAK".into(), "KTNEBOF".into()])
                .is_err()
        );
    }

    #[test]
    fn tallies_count_each_option() {
        let answers = vec![
            vec!["KTTIBAK".to_string()],
            vec!["KTTIBAK".to_string(), "KTBRFLX".to_string()],
        ];
        assert_eq!(
            tally(&claim_types(), &answers),
            vec![
                ("KTTIBAK".into(), 2),
                ("KTNEBOF".into(), 0),
                ("KTBRFLX".into(), 1)
            ]
        );
    }

    #[test]
    fn yes_no_numbers_and_text_are_normalised() {
        let yes_no = QuestionSpec {
            kind: QuestionKind::YesNo,
            options: vec![],
            ..claim_types()
        };
        assert_eq!(yes_no.answer(&["ja".into()]), Ok(vec!["yes".into()]));
        assert!(yes_no.answer(&["måske".into()]).is_err());
        let number = QuestionSpec {
            kind: QuestionKind::Number,
            options: vec![],
            ..claim_types()
        };
        assert_eq!(number.answer(&["12,5".into()]), Ok(vec!["12.5".into()]));
        assert!(number.answer(&["mange".into()]).is_err());
        assert!(number.answer(&["inf".into()]).is_err());
        let text = QuestionSpec {
            kind: QuestionKind::Text,
            options: vec![],
            ..claim_types()
        };
        assert!(text.answer(&["x".repeat(MAX_TEXT_ANSWER + 1)]).is_err());
        assert!(text.answer(&["a\0b".into()]).is_err());
        assert_eq!(text.answer(&["\u{200B}".into()]), Ok(vec![]), "blank");
    }

    #[test]
    fn prompts_and_options_are_bounded_and_visible() {
        let long = |n: usize| "x".repeat(n);
        for spec in [
            QuestionSpec {
                prompt: long(MAX_PROMPT + 1),
                ..claim_types()
            },
            QuestionSpec {
                prompt: "\u{FEFF}\u{2060}".into(),
                ..claim_types()
            },
            QuestionSpec {
                prompt: "a\0".into(),
                ..claim_types()
            },
        ] {
            assert_eq!(spec.check().expect_err("refused").field, "prompt");
        }
        for options in [
            vec!["a".to_owned(), long(MAX_OPTION + 1)],
            vec!["a".to_owned(), "\u{200B}".to_owned()],
            (0..=MAX_OPTIONS).map(|i| i.to_string()).collect(),
        ] {
            let spec = QuestionSpec {
                options,
                ..claim_types()
            };
            assert_eq!(spec.check().expect_err("refused").field, "options");
        }
    }
}
