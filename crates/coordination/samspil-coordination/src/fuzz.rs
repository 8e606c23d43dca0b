//! Property tests (proptest) of the rules that read untrusted input: every
//! parser and check of this crate is fed arbitrary text and values. None may
//! panic, and what they accept must hold the invariant they promise.
//!
//! Case counts are bounded (`CASES`) so that the whole module runs in about
//! a second in CI; raise `PROPTEST_CASES` to search longer.

use proptest::prelude::*;
use time::{Date, Month};

use crate::question::{MAX_TEXT_ANSWER, QuestionKind, QuestionSpec, tally};
use crate::role::{AssignmentPeriod, RoleSpec, role_gaps};
use crate::task::{
    Schedule, TaskState, TaskStatus, TaskTexts, TaskType, check_status_change, check_task_texts,
};

const CASES: u32 = 256;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(CASES),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text as people and scripts send it: any Unicode, with a bias towards the
/// characters parsers split and trim on.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ \t\r\n,;=\"'<>&a-zA-Z0-9æøåÆØÅ._@-]{0,40}",
        "\\PC{0,80}",
    ]
}

fn date() -> impl Strategy<Value = Date> {
    (-9999i32..=9999, 1u8..=12, 1u8..=31).prop_map(|(y, m, d)| {
        let month = Month::try_from(m).unwrap_or(Month::January);
        Date::from_calendar_date(y, month, d)
            .or_else(|_| Date::from_calendar_date(y, month, 28))
            .unwrap_or(Date::MIN)
    })
}

fn status() -> impl Strategy<Value = TaskStatus> {
    prop::sample::select(TaskStatus::ALL.to_vec())
}

fn question() -> impl Strategy<Value = QuestionSpec> {
    (
        text(),
        prop::sample::select(QuestionKind::ALL.to_vec()),
        prop::collection::vec(text(), 0..6),
        any::<bool>(),
    )
        .prop_map(|(prompt, kind, options, required)| QuestionSpec {
            prompt,
            kind,
            options,
            required,
        })
}

/// The values a form or client could send for a question: its own options
/// (with stray blanks), yes/no words, numbers and any text.
fn answer_values(spec: &QuestionSpec) -> impl Strategy<Value = Vec<String>> + use<> {
    let mut known: Vec<String> = spec.options.clone();
    known.extend(
        [
            "yes", "no", "ja", "nej", "1,5", "-0", "1e308", "1e309", "NaN", "inf", " 42 ",
        ]
        .map(String::from),
    );
    let value = prop_oneof![
        prop::sample::select(known.clone()).prop_map(|v| format!(" {v}\t")),
        prop::sample::select(known),
        text(),
        "[0-9]{1,400}",
    ];
    prop::collection::vec(value, 0..5)
}

proptest! {
    #![proptest_config(config())]
    #[test]
    fn keyword_parsers_accept_exactly_their_own_words(raw in text()) {
        let known = |ok: bool, words: &[&str]| ok == words.contains(&raw.as_str());
        prop_assert!(known(TaskType::parse(&raw).is_ok(), &["critical", "mandatory", "voluntary"]));
        prop_assert!(known(TaskStatus::parse(&raw).is_ok(), &["not_started", "started", "completed"]));
        prop_assert!(known(TaskState::parse(&raw).is_ok(), &["draft", "published", "closed"]));
        prop_assert!(known(QuestionKind::parse(&raw).is_ok(),
            &["single_choice", "multiple_choice", "yes_no", "number", "text", "file"]));
        if let Ok(status) = TaskStatus::parse(&raw) {
            prop_assert_eq!(status.as_str(), raw.as_str());
        }
    }

    #[test]
    fn status_changes_follow_the_step_rule(
        from in status(), to in status(), reason in prop::option::of(text()), unanswered in 0usize..3,
    ) {
        let rank = |s: TaskStatus| TaskStatus::ALL.iter().position(|x| *x == s).unwrap_or(0);
        let has_reason = reason.as_deref().is_some_and(|r| !r.trim().is_empty());
        let allowed = check_status_change(from, to, reason.as_deref(), unanswered).is_ok();
        let expected = rank(to) <= rank(from) + 1
            && (rank(to) >= rank(from) || has_reason)
            && !(to == TaskStatus::Completed && from != TaskStatus::Completed && unanswered > 0);
        prop_assert_eq!(allowed, expected);
    }

    #[test]
    fn answers_are_checked_and_normalised(
        (spec, values) in question().prop_flat_map(|spec| {
            let values = answer_values(&spec);
            (Just(spec), values)
        }),
    ) {
        let _ = spec.check();
        if let Ok(answer) = spec.answer(&values) {
            // A stored answer is accepted again unchanged.
            prop_assert_eq!(spec.answer(&answer), Ok(answer.clone()));
            match spec.kind {
                QuestionKind::SingleChoice => prop_assert!(answer.len() <= 1),
                QuestionKind::YesNo => prop_assert!(answer.is_empty()
                    || answer == ["yes"] || answer == ["no"]),
                QuestionKind::Number => {
                    for number in &answer {
                        prop_assert!(number.parse::<f64>().is_ok_and(f64::is_finite));
                    }
                }
                QuestionKind::Text => {
                    for text in &answer {
                        prop_assert!(text.chars().count() <= MAX_TEXT_ANSWER);
                    }
                }
                QuestionKind::File => {
                    for id in &answer {
                        prop_assert!(id.parse::<i64>().is_ok_and(|id| id > 0));
                    }
                }
                QuestionKind::MultipleChoice => {}
            }
            if matches!(spec.kind, QuestionKind::SingleChoice | QuestionKind::MultipleChoice) {
                for chosen in &answer {
                    prop_assert!(spec.options.contains(chosen));
                }
            }
        }
        let counts = tally(&spec, &[values]);
        prop_assert!(counts.iter().all(|(_, n)| *n <= 1));
    }

    #[test]
    fn every_option_of_an_accepted_question_can_be_chosen(spec in question()) {
        if spec.check().is_ok() && matches!(spec.kind,
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice)
        {
            for option in &spec.options {
                // A browser sends the option exactly as the form offered it.
                let answer = spec.answer(std::slice::from_ref(option));
                prop_assert!(answer.is_ok(), "option {:?} of {:?}: {:?}", option, spec, answer);
            }
        }
    }

    #[test]
    fn schedules_and_periods_keep_their_dates_in_order(
        start in prop::option::of(date()), end in prop::option::of(date()),
        period in prop::option::of(text()), today in date(),
    ) {
        if let Ok(schedule) = Schedule::new(start, end, period) {
            if let (Some(s), Some(e)) = (schedule.start, schedule.end) {
                prop_assert!(s <= e);
            }
            prop_assert!(schedule.period_text.as_ref()
                .is_none_or(|t| !t.is_empty() && t.chars().count() <= 100));
            let _ = schedule.is_overdue(today, TaskStatus::Started);
        }
        if let (Some(first), last) = (start, end)
            && let Ok(period) = AssignmentPeriod::new(first, last)
        {
            prop_assert!(period.holds_on(first));
            let _ = period.ended(today);
            prop_assert_eq!(period.has_ended_by(today), last.is_some_and(|l| l < today));
        }
    }

    #[test]
    fn task_and_role_texts_are_bounded(
        code in prop::option::of(text()), title in text(), description in text(),
        max_holders in prop::option::of(any::<u32>()),
    ) {
        let texts = TaskTexts { code: code.as_deref(), title: &title, description: &description, ..TaskTexts::default() };
        if check_task_texts(&texts).is_ok() {
            prop_assert!(!title.trim().is_empty() && title.chars().count() <= 300);
            prop_assert!(!title.contains('\0') && !description.contains('\0'));
        }
        let spec = RoleSpec {
            name: title,
            description: description.clone(),
            assignment_guidance: description,
            solution: None,
            mandatory: true,
            max_holders,
            requires_primary: false,
        };
        if let Ok(role) = spec.checked() {
            prop_assert!(!role.name.is_empty() && role.name == role.name.trim());
            prop_assert_ne!(role.max_holders, Some(0));
        }
        let _ = role_gaps(true, true, &[]);
    }
}
