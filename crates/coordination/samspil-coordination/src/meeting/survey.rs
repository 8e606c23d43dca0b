//! The evaluation after a meeting: a short survey, each response checked
//! against it, and the results per question.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{MeetingError, required, text};

pub const MAX_QUESTIONS: usize = 30;
pub const MAX_QUESTION_TEXT: usize = 500;
pub const MAX_OPTION: usize = 200;
pub const MAX_OPTIONS: usize = 20;
pub const MAX_ANSWER_TEXT: usize = 5_000;
/// A scale spans at most 11 values (0–10).
pub const MAX_SCALE_SPAN: u8 = 10;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum QuestionKind {
    /// A number from `min` to `max` ("1 = meget utilfreds … 5 = meget tilfreds").
    Scale { min: u8, max: u8 },
    /// One option, or several where `multiple`.
    Choice {
        options: Vec<String>,
        multiple: bool,
    },
    /// Free text, also "send us input to the next meeting".
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// A short key, stable across edits of the wording.
    pub key: String,
    pub text: String,
    pub kind: QuestionKind,
    pub required: bool,
}

/// A checked survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Survey {
    questions: Vec<Question>,
}

impl Survey {
    pub fn new(questions: Vec<Question>) -> Result<Survey, MeetingError> {
        if questions.is_empty() {
            return Err(MeetingError::NoQuestions);
        }
        if questions.len() > MAX_QUESTIONS {
            return Err(MeetingError::TooLong {
                field: "questions",
                max: MAX_QUESTIONS,
            });
        }
        let mut keys = BTreeSet::new();
        let mut checked = Vec::with_capacity(questions.len());
        for q in questions {
            let key = required("question_key", &q.key, 40)?;
            let bad = |problem| MeetingError::BadQuestion {
                key: key.clone(),
                problem,
            };
            if !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(bad("the key has letters a–z, digits, '-' and '_' only"));
            }
            if !keys.insert(key.clone()) {
                return Err(MeetingError::DuplicateQuestion { key });
            }
            let wording = required("question_text", &q.text, MAX_QUESTION_TEXT)?;
            let kind = match q.kind {
                QuestionKind::Scale { min, max } => {
                    if min >= max || max - min > MAX_SCALE_SPAN {
                        return Err(bad(
                            "a scale runs from a lower to a higher number, at most 10 apart",
                        ));
                    }
                    QuestionKind::Scale { min, max }
                }
                QuestionKind::Choice { options, multiple } => {
                    let mut seen = BTreeSet::new();
                    let mut kept = Vec::with_capacity(options.len());
                    for o in &options {
                        let o = required("option", o, MAX_OPTION)?;
                        if !seen.insert(o.to_lowercase()) {
                            return Err(bad("an option appears twice"));
                        }
                        kept.push(o);
                    }
                    if !(2..=MAX_OPTIONS).contains(&kept.len()) {
                        return Err(bad("a choice has 2 to 20 options"));
                    }
                    QuestionKind::Choice {
                        options: kept,
                        multiple,
                    }
                }
                QuestionKind::Text => QuestionKind::Text,
            };
            checked.push(Question {
                key,
                text: wording,
                kind,
                required: q.required,
            });
        }
        Ok(Survey { questions: checked })
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Answer {
    Scale(u8),
    /// Indexes of the options chosen.
    Choices(Vec<usize>),
    Text(String),
}

/// The longest "input to the next meeting".
pub const MAX_INPUT_TEXT: usize = MAX_ANSWER_TEXT;

/// "Send us input to the next meeting": a trimmed, non-empty text of at
/// most [`MAX_INPUT_TEXT`] characters (line breaks allowed).
pub fn check_input(value: &str) -> Result<String, MeetingError> {
    let value = text("input", value, MAX_INPUT_TEXT, true)?;
    if value.is_empty() {
        return Err(MeetingError::Required { field: "input" });
    }
    Ok(value)
}

/// A response is an answer per question key.
pub type Response = BTreeMap<String, Answer>;

/// Checks a response: every key a question, every answer of the question's
/// kind and in its range (one option unless multiple, no option twice,
/// text not too long), every required question answered (an empty text or
/// no option counts as unanswered).
pub fn check_response(survey: &Survey, response: &Response) -> Result<(), MeetingError> {
    for key in response.keys() {
        if !survey.questions.iter().any(|q| &q.key == key) {
            return Err(MeetingError::UnknownQuestion { key: key.clone() });
        }
    }
    for q in &survey.questions {
        let bad = || MeetingError::BadAnswer { key: q.key.clone() };
        let answered = match (response.get(&q.key), &q.kind) {
            (None, _) => false,
            (Some(Answer::Scale(v)), QuestionKind::Scale { min, max }) => {
                if !(min..=max).contains(&v) {
                    return Err(bad());
                }
                true
            }
            (Some(Answer::Choices(chosen)), QuestionKind::Choice { options, multiple }) => {
                let distinct: BTreeSet<&usize> = chosen.iter().collect();
                if distinct.len() != chosen.len()
                    || chosen.iter().any(|i| *i >= options.len())
                    || (!multiple && chosen.len() > 1)
                {
                    return Err(bad());
                }
                !chosen.is_empty()
            }
            (Some(Answer::Text(t)), QuestionKind::Text) => {
                let t = text("answer", t, MAX_ANSWER_TEXT, true).map_err(|_| bad())?;
                !t.is_empty()
            }
            (Some(_), _) => return Err(bad()),
        };
        if q.required && !answered {
            return Err(MeetingError::MissingAnswer { key: q.key.clone() });
        }
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ResultDetail {
    /// How many gave each value from min to max, and the mean in
    /// hundredths (4.25 is 425), rounded half up; none without answers.
    Scale {
        counts: Vec<(u8, usize)>,
        mean_hundredths: Option<u32>,
    },
    /// How many chose each option, in the options' order.
    Choice { counts: Vec<(String, usize)> },
    /// The texts, trimmed, in the responses' order.
    Text { texts: Vec<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionResult {
    pub key: String,
    /// Responses that answered the question.
    pub answered: usize,
    pub detail: ResultDetail,
}

/// The results per question over checked responses (answers that do not
/// fit their question are skipped, so results never fail).
pub fn results(survey: &Survey, responses: &[Response]) -> Vec<QuestionResult> {
    survey
        .questions
        .iter()
        .map(|q| {
            let answers = responses.iter().filter_map(|r| r.get(&q.key));
            match &q.kind {
                QuestionKind::Scale { min, max } => {
                    let values: Vec<u8> = answers
                        .filter_map(|a| match a {
                            Answer::Scale(v) if (min..=max).contains(&v) => Some(*v),
                            _ => None,
                        })
                        .collect();
                    let counts = (*min..=*max)
                        .map(|v| (v, values.iter().filter(|x| **x == v).count()))
                        .collect();
                    let n = values.len() as u64;
                    let sum: u64 = values.iter().map(|v| u64::from(*v)).sum();
                    let mean = (n > 0)
                        .then(|| u32::try_from((sum * 200 + n) / (2 * n)).unwrap_or(u32::MAX));
                    QuestionResult {
                        key: q.key.clone(),
                        answered: values.len(),
                        detail: ResultDetail::Scale {
                            counts,
                            mean_hundredths: mean,
                        },
                    }
                }
                QuestionKind::Choice { options, .. } => {
                    let mut counts = vec![0usize; options.len()];
                    let mut answered = 0;
                    for a in answers {
                        if let Answer::Choices(chosen) = a {
                            let valid: BTreeSet<usize> = chosen
                                .iter()
                                .copied()
                                .filter(|i| *i < options.len())
                                .collect();
                            if !valid.is_empty() {
                                answered += 1;
                            }
                            for i in valid {
                                counts[i] += 1;
                            }
                        }
                    }
                    QuestionResult {
                        key: q.key.clone(),
                        answered,
                        detail: ResultDetail::Choice {
                            counts: options.iter().cloned().zip(counts).collect(),
                        },
                    }
                }
                QuestionKind::Text => {
                    let texts: Vec<String> = answers
                        .filter_map(|a| match a {
                            Answer::Text(t) if !t.trim().is_empty() => Some(t.trim().to_owned()),
                            _ => None,
                        })
                        .collect();
                    QuestionResult {
                        key: q.key.clone(),
                        answered: texts.len(),
                        detail: ResultDetail::Text { texts },
                    }
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evaluation() -> Survey {
        Survey::new(vec![
            Question {
                key: "tilfredshed".into(),
                text: "Hvor tilfreds er du med dagens møde?".into(),
                kind: QuestionKind::Scale { min: 1, max: 5 },
                required: true,
            },
            Question {
                key: "bedste".into(),
                text: "Hvilket punkt var mest relevant?".into(),
                kind: QuestionKind::Choice {
                    options: vec![
                        "Kædeansvaret".into(),
                        "Status på KLIK 2.0".into(),
                        "Ny vision for Borgerblikket".into(),
                    ],
                    multiple: true,
                },
                required: false,
            },
            Question {
                key: "input".into(),
                text: "Send os input til næste møde".into(),
                kind: QuestionKind::Text,
                required: false,
            },
        ])
        .expect("valid")
    }

    fn response(list: Vec<(&str, Answer)>) -> Response {
        list.into_iter().map(|(k, a)| (k.to_owned(), a)).collect()
    }

    #[test]
    fn responses_are_checked_against_the_questions() {
        let s = evaluation();
        assert!(check_response(&s, &response(vec![("tilfredshed", Answer::Scale(4))])).is_ok());
        let cases = [
            (vec![], "missing_answer"),
            (vec![("tilfredshed", Answer::Scale(6))], "bad_answer"),
            (
                vec![("tilfredshed", Answer::Text("5".into()))],
                "bad_answer",
            ),
            (
                vec![("tilfredshed", Answer::Scale(3)), ("x", Answer::Scale(3))],
                "unknown_question",
            ),
            (
                vec![
                    ("tilfredshed", Answer::Scale(3)),
                    ("bedste", Answer::Choices(vec![0, 0])),
                ],
                "bad_answer",
            ),
            (
                vec![
                    ("tilfredshed", Answer::Scale(3)),
                    ("bedste", Answer::Choices(vec![3])),
                ],
                "bad_answer",
            ),
            (
                vec![
                    ("tilfredshed", Answer::Scale(3)),
                    ("input", Answer::Text("a\u{0}".into())),
                ],
                "bad_answer",
            ),
        ];
        for (answers, code) in cases {
            assert_eq!(
                check_response(&s, &response(answers))
                    .expect_err(code)
                    .code(),
                code
            );
        }
    }

    #[test]
    fn the_results_count_average_and_collect() {
        let s = evaluation();
        let responses = vec![
            response(vec![
                ("tilfredshed", Answer::Scale(5)),
                ("bedste", Answer::Choices(vec![0, 2])),
            ]),
            response(vec![
                ("tilfredshed", Answer::Scale(4)),
                ("input", Answer::Text(" Mere om DOS ".into())),
            ]),
            response(vec![
                ("tilfredshed", Answer::Scale(4)),
                ("bedste", Answer::Choices(vec![2])),
            ]),
        ];
        let r = results(&s, &responses);
        assert_eq!(r[0].answered, 3);
        assert_eq!(
            r[0].detail,
            ResultDetail::Scale {
                counts: vec![(1, 0), (2, 0), (3, 0), (4, 2), (5, 1)],
                mean_hundredths: Some(433)
            }
        );
        assert_eq!(r[1].answered, 2);
        let ResultDetail::Choice { counts } = &r[1].detail else {
            panic!("a choice")
        };
        assert_eq!(
            counts.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
            [1, 0, 2]
        );
        assert_eq!(
            r[2].detail,
            ResultDetail::Text {
                texts: vec!["Mere om DOS".into()]
            }
        );
        let none = results(&s, &[]);
        assert_eq!(
            none[0].detail,
            ResultDetail::Scale {
                counts: (1..=5).map(|v| (v, 0)).collect(),
                mean_hundredths: None
            }
        );
    }

    #[test]
    fn input_to_the_next_meeting_is_a_short_text() {
        assert_eq!(check_input(" Mere om DOS\n").expect("kept"), "Mere om DOS");
        assert_eq!(check_input("  ").expect_err("empty").code(), "required");
        let long = "x".repeat(MAX_INPUT_TEXT + 1);
        assert_eq!(check_input(&long).expect_err("long").code(), "too_long");
    }

    #[test]
    fn a_badly_formed_survey_is_refused() {
        let q = |key: &str, kind: QuestionKind| Question {
            key: key.into(),
            text: "Spørgsmål".into(),
            kind,
            required: false,
        };
        assert_eq!(
            Survey::new(vec![]).expect_err("refused").code(),
            "no_questions"
        );
        let twice = Survey::new(vec![q("a", QuestionKind::Text), q("a", QuestionKind::Text)]);
        assert_eq!(twice.expect_err("refused").code(), "duplicate_question");
        for kind in [
            QuestionKind::Scale { min: 5, max: 5 },
            QuestionKind::Scale { min: 0, max: 11 },
            QuestionKind::Choice {
                options: vec!["Ja".into()],
                multiple: false,
            },
            QuestionKind::Choice {
                options: vec!["Ja".into(), "ja".into()],
                multiple: false,
            },
        ] {
            assert_eq!(
                Survey::new(vec![q("a", kind)]).expect_err("refused").code(),
                "bad_question"
            );
        }
        assert_eq!(
            Survey::new(vec![q("a b", QuestionKind::Text)])
                .expect_err("refused")
                .code(),
            "bad_question"
        );
    }
}
