//! A meeting's evaluation page (issue 20), `/moeder/{id}/evaluering`: the
//! signed-in person answers the survey once, from the meeting's start;
//! community staff define its questions (until the first answer) and read
//! the results per question. And "send us input to the next meeting":
//! `POST /moeder/{id}/input`, the form on a coming meeting's page, whose
//! input staff read on that page.
//!
//! Staff type the questions one a line, as the agenda:
//! `Hvor tilfreds er du med mødet?* | skala 1-5`,
//! `Hvilket punkt var mest relevant? | flere: Kædeansvaret; KLIK 2.0`,
//! `Send os input til næste møde | tekst`. A `*` after the text makes the
//! question required; `valg:` is one option, `flere:` several (English
//! `scale`, `choice:`, `multiple:`, `text` are read too). The questions'
//! keys are `q1`, `q2`, …: the survey is fixed once anyone has answered.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use samspil_coordination::meeting::{
    Answer, MeetingError, Question, QuestionKind, Response as SurveyResponse, ResultDetail, Survey,
    check_response,
};
use samspil_coordination_storage::{MeetingId, MeetingRecord};
use samspil_domain::ValidationError;
use samspil_storage::now;
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::form::{PageForm, Refusal, Typed};
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use samspil_web::routes::PageRoute;
use serde::{Deserialize, Serialize};

use crate::CoordinationState;

fn bad_line(n: usize, problem: &str) -> ValidationError {
    ValidationError::named_with(
        "questions",
        "meeting-bad-survey-line",
        vec![("name", n.to_string())],
        format!("survey line {n}: {problem}"),
    )
}

/// The questions typed one a line (see the module's documentation).
pub(crate) fn survey_lines(text: &str) -> Result<Vec<Question>, ValidationError> {
    let mut questions = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (wording, kind) = line
            .rsplit_once('|')
            .ok_or_else(|| bad_line(n, "no '| kind'"))?;
        let wording = wording.trim();
        let (wording, required) = match wording.strip_suffix('*') {
            Some(w) => (w.trim_end(), true),
            None => (wording, false),
        };
        let kind = kind.trim();
        let lower = kind.to_lowercase();
        let options = |rest: &str| -> Vec<String> {
            rest.split(';')
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let kind = if lower == "tekst" || lower == "text" {
            QuestionKind::Text
        } else if let Some(range) = lower
            .strip_prefix("skala")
            .or_else(|| lower.strip_prefix("scale"))
        {
            let (min, max) = range
                .trim()
                .split_once(['-', '–'])
                .ok_or_else(|| bad_line(n, "a scale reads 'skala 1-5'"))?;
            match (min.trim().parse::<u8>(), max.trim().parse::<u8>()) {
                (Ok(min), Ok(max)) => QuestionKind::Scale { min, max },
                _ => return Err(bad_line(n, "a scale reads 'skala 1-5'")),
            }
        } else if let Some((word, rest)) = kind.split_once(':') {
            let multiple = match word.trim().to_lowercase().as_str() {
                "valg" | "choice" => false,
                "flere" | "multiple" => true,
                _ => return Err(bad_line(n, "unknown kind")),
            };
            QuestionKind::Choice {
                options: options(rest),
                multiple,
            }
        } else {
            return Err(bad_line(n, "unknown kind"));
        };
        questions.push(Question {
            key: format!("q{}", questions.len() + 1),
            text: wording.to_owned(),
            kind,
            required,
        });
    }
    Ok(questions)
}

/// The survey as the staff's lines, in the page's language.
fn lines_of(lang: Lang, survey: &Survey) -> String {
    survey
        .questions()
        .iter()
        .map(|q| {
            let star = if q.required { "*" } else { "" };
            let kind = match (&q.kind, lang) {
                (QuestionKind::Text, Lang::Da) => "tekst".to_owned(),
                (QuestionKind::Text, Lang::En) => "text".to_owned(),
                (QuestionKind::Scale { min, max }, Lang::Da) => format!("skala {min}-{max}"),
                (QuestionKind::Scale { min, max }, Lang::En) => format!("scale {min}-{max}"),
                (QuestionKind::Choice { options, multiple }, _) => {
                    let word = match (multiple, lang) {
                        (false, Lang::Da) => "valg",
                        (true, Lang::Da) => "flere",
                        (false, Lang::En) => "choice",
                        (true, Lang::En) => "multiple",
                    };
                    format!("{word}: {}", options.join("; "))
                }
            };
            format!("{}{star} | {kind}", q.text)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A person's answers read from the form's `q-{key}` fields; a field left
/// empty is no answer, a value that is no number a bad one.
pub(crate) fn response_of(survey: &Survey, typed: &Typed) -> SurveyResponse {
    let mut response = SurveyResponse::new();
    for q in survey.questions() {
        let name = format!("q-{}", q.key);
        let answer = match &q.kind {
            QuestionKind::Scale { .. } => match typed.get(&name).map(str::trim) {
                None | Some("") => None,
                // 255 lies outside every scale: a bad answer, at its field.
                Some(v) => Some(Answer::Scale(v.parse().unwrap_or(u8::MAX))),
            },
            QuestionKind::Choice { .. } => {
                let chosen: Vec<usize> = typed
                    .all(&name)
                    .iter()
                    .map(|v| v.trim().parse().unwrap_or(usize::MAX))
                    .collect();
                (!chosen.is_empty()).then_some(Answer::Choices(chosen))
            }
            QuestionKind::Text => typed
                .get(&name)
                .filter(|t| !t.trim().is_empty())
                .map(|t| Answer::Text(t.to_owned())),
        };
        if let Some(answer) = answer {
            response.insert(q.key.clone(), answer);
        }
    }
    response
}

#[derive(Serialize)]
struct QuestionView {
    key: String,
    text: String,
    required: bool,
    /// `scale`, `choice`, `multiple` or `text`.
    kind: &'static str,
    /// The values of a scale, or the options (with their index).
    choices: Vec<(String, String)>,
}

fn question_view(q: &Question) -> QuestionView {
    let (kind, choices) = match &q.kind {
        QuestionKind::Scale { min, max } => (
            "scale",
            (*min..=*max)
                .map(|v| (v.to_string(), v.to_string()))
                .collect(),
        ),
        QuestionKind::Choice { options, multiple } => (
            if *multiple { "multiple" } else { "choice" },
            options
                .iter()
                .enumerate()
                .map(|(i, o)| (i.to_string(), o.clone()))
                .collect(),
        ),
        QuestionKind::Text => ("text", Vec::new()),
    };
    QuestionView {
        key: q.key.clone(),
        text: q.text.clone(),
        required: q.required,
        kind,
        choices,
    }
}

#[derive(Serialize)]
struct ResultView {
    text: String,
    answered: usize,
    /// `scale`, `choice` or `text`.
    kind: &'static str,
    /// Value or option, and how many chose it.
    counts: Vec<(String, usize)>,
    mean: Option<String>,
    texts: Vec<String>,
}

/// A mean in hundredths as the language writes it: `4,33` or `4.33`.
fn mean_text(lang: Lang, hundredths: u32) -> String {
    let sep = match lang {
        Lang::Da => ',',
        Lang::En => '.',
    };
    format!("{}{sep}{:02}", hundredths / 100, hundredths % 100)
}

async fn meeting_of(state: &CoordinationState, id: i64) -> Result<MeetingRecord, AppError> {
    state
        .storage
        .meeting(MeetingId(id))
        .await?
        .ok_or(AppError::NotFound)
}

fn path_of(id: i64) -> String {
    format!("/moeder/{id}/evaluering")
}

async fn render(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    id: i64,
    refused: Option<&Refusal>,
) -> Result<Html<String>, AppError> {
    let record = meeting_of(state, id).await?;
    let survey = state.storage.survey(record.id).await?;
    let answered = state
        .storage
        .has_answered(signed_in.user.id, record.id)
        .await?;
    let staff = signed_in.principal.community_access().ok();
    let (results, responses) = match &staff {
        Some(access) => {
            let r = state.storage.survey_results(access, record.id).await?;
            let survey = r.survey.as_ref();
            let views: Vec<ResultView> = r
                .results
                .iter()
                .map(|res| {
                    let text = survey
                        .and_then(|s| s.questions().iter().find(|q| q.key == res.key))
                        .map(|q| q.text.clone())
                        .unwrap_or_default();
                    let (kind, counts, mean, texts) = match &res.detail {
                        ResultDetail::Scale {
                            counts,
                            mean_hundredths,
                        } => (
                            "scale",
                            counts.iter().map(|(v, n)| (v.to_string(), *n)).collect(),
                            mean_hundredths.map(|m| mean_text(lang, m)),
                            Vec::new(),
                        ),
                        ResultDetail::Choice { counts } => {
                            ("choice", counts.clone(), None, Vec::new())
                        }
                        ResultDetail::Text { texts } => ("text", Vec::new(), None, texts.clone()),
                    };
                    ResultView {
                        text,
                        answered: res.answered,
                        kind,
                        counts,
                        mean,
                        texts,
                    }
                })
                .collect();
            (views, r.responses)
        }
        None => (Vec::new(), 0),
    };
    let questions: Vec<QuestionView> = survey
        .as_ref()
        .map(|s| s.questions().iter().map(question_view).collect())
        .unwrap_or_default();
    let path = path_of(id);
    let page = Page::new(state, lang, &path, Some(signed_in)).await?;
    page.render(
        "meeting_evaluation.html",
        minijinja::context! {
            nav_active => "meetings",
            is_staff => staff.is_some(),
            meeting => minijinja::context! { id => record.id.0, title => record.meeting.title() },
            defined => survey.is_some(),
            open => record.meeting.has_started(now()),
            answered,
            questions,
            lines => survey.as_ref().map(|s| lines_of(lang, s)).unwrap_or_default(),
            responses,
            results,
            refused => refused.map(Refusal::view),
        },
    )
}

/// `GET /moeder/{id}/evaluering`.
pub async fn page(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    render(&state, lang, &signed_in, id, None).await
}

async fn refused_page(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    id: i64,
    refusal: Refusal,
) -> Result<Response, AppError> {
    let html = render(state, lang, signed_in, id, Some(&refusal)).await?;
    Ok(Refusal::respond(html))
}

/// `POST /moeder/{id}/evaluering`: the signed-in person's answers, once.
/// A missing or wrong answer is shown at its question.
pub async fn answer(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    PageForm { input: _, typed }: PageForm<serde::de::IgnoredAny>,
) -> Result<Response, AppError> {
    let record = meeting_of(&state, id).await?;
    let Some(survey) = state.storage.survey(record.id).await? else {
        let message = lang.refusal("meeting-error", &MeetingError::NoSurvey.refusal("survey"));
        let refusal = Refusal::new("survey", typed).field("", message);
        return refused_page(&state, lang, &signed_in, id, refusal).await;
    };
    let response = response_of(&survey, &typed);
    if let Err(e) = check_response(&survey, &response) {
        // Said at the question, in its own words rather than its key.
        let wording = |key: &str| {
            survey
                .questions()
                .iter()
                .find(|q| q.key == key)
                .map(|q| q.text.clone())
        };
        let (field, shown) = match &e {
            MeetingError::MissingAnswer { key } => (
                format!("q-{key}"),
                MeetingError::MissingAnswer {
                    key: wording(key).unwrap_or_else(|| key.clone()),
                },
            ),
            MeetingError::BadAnswer { key } => (
                format!("q-{key}"),
                MeetingError::BadAnswer {
                    key: wording(key).unwrap_or_else(|| key.clone()),
                },
            ),
            other => (String::new(), other.clone()),
        };
        let message = lang.refusal("meeting-error", &shown.refusal("answers"));
        let refusal = Refusal::new("survey", typed).field(&field, message);
        return refused_page(&state, lang, &signed_in, id, refusal).await;
    }
    match state
        .storage
        .answer_survey(&signed_in.principal, record.id, &response)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("{}?gemt=svar", path_of(id))).into_response()),
        Err(error) => {
            let refusal = Refusal::of(error.into(), lang, "meeting-error", "survey", typed)?;
            refused_page(&state, lang, &signed_in, id, refusal).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct QuestionsForm {
    #[serde(default)]
    questions: String,
}

/// `POST /moeder/{id}/evaluering/spoergsmaal` (staff): the survey's
/// questions replaced, until the first answer.
pub async fn define(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    PageForm { input, typed }: PageForm<QuestionsForm>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let form = match input {
        Ok(form) => form,
        Err(unreadable) => {
            let refusal = Refusal::unreadable(lang, "questions", unreadable, typed);
            return refused_page(&state, lang, &signed_in, id, refusal).await;
        }
    };
    let result = match survey_lines(&form.questions) {
        Err(invalid) => Err(AppError::Rule(invalid)),
        Ok(questions) => match Survey::new(questions) {
            Err(e) => Err(AppError::Rule(e.refusal("questions"))),
            Ok(survey) => state
                .storage
                .set_survey(&access, MeetingId(id), &survey)
                .await
                .map_err(AppError::from),
        },
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("{}?gemt=spoergsmaal", path_of(id))).into_response()),
        Err(error) => {
            let refusal = Refusal::of(error, lang, "meeting-error", "questions", typed)?;
            refused_page(&state, lang, &signed_in, id, refusal).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct InputForm {
    #[serde(default)]
    text: String,
}

/// `POST /moeder/{id}/input`: "send us input to the next meeting", from
/// the signed-in person to a coming meeting.
pub async fn input(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    PageForm { input, typed }: PageForm<InputForm>,
) -> Result<Response, AppError> {
    let result = match input {
        Ok(form) => state
            .storage
            .send_input(&signed_in.principal, MeetingId(id), &form.text)
            .await
            .map_err(AppError::from),
        Err(unreadable) => {
            let refusal = Refusal::unreadable(lang, "input", unreadable, typed);
            return crate::pages_meetings::refused_detail_page(
                &state, lang, &signed_in, id, refusal,
            )
            .await;
        }
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/moeder/{id}?gemt=input#input")).into_response()),
        Err(error) => {
            let refusal = Refusal::of(error, lang, "meeting-error", "input", typed)?;
            crate::pages_meetings::refused_detail_page(&state, lang, &signed_in, id, refusal).await
        }
    }
}

pub(crate) fn routes() -> Vec<PageRoute<CoordinationState>> {
    vec![
        PageRoute::get("/moeder/{id}/evaluering", page),
        PageRoute::post("/moeder/{id}/evaluering", answer),
        PageRoute::post("/moeder/{id}/evaluering/spoergsmaal", define),
        PageRoute::post("/moeder/{id}/input", input),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_are_typed_a_line_each_and_read_back() {
        let typed = "Hvor tilfreds er du med mødet?* | skala 1-5\n\n\
                     Hvilke punkter var relevante? | flere: Kædeansvaret; KLIK 2.0\n\
                     Bedste punkt | choice: A; B\n\
                     Send os input til næste møde | tekst";
        let questions = survey_lines(typed).expect("read");
        assert_eq!(questions.len(), 4);
        assert_eq!(questions[0].key, "q1");
        assert!(questions[0].required && !questions[1].required);
        assert_eq!(questions[0].kind, QuestionKind::Scale { min: 1, max: 5 });
        assert_eq!(
            questions[1].kind,
            QuestionKind::Choice {
                options: vec!["Kædeansvaret".into(), "KLIK 2.0".into()],
                multiple: true
            }
        );
        assert_eq!(questions[3].kind, QuestionKind::Text);
        let survey = Survey::new(questions.clone()).expect("a survey");
        assert_eq!(
            survey_lines(&lines_of(Lang::Da, &survey)).expect("again"),
            questions
        );
        assert_eq!(
            survey_lines(&lines_of(Lang::En, &survey)).expect("again"),
            questions
        );
        for bad in ["Uden type", "Tekst | skala 5", "Tekst | farve: rød; blå"] {
            let e = survey_lines(bad).expect_err(bad);
            assert_eq!(e.field, "questions");
        }
    }

    #[test]
    fn answers_are_read_from_the_question_fields() {
        let survey =
            Survey::new(survey_lines("A* | skala 1-5\nB | flere: x; y\nC | tekst").expect("read"))
                .expect("a survey");
        let typed = Typed::from_urlencoded(b"q-q1=4&q-q2=0&q-q2=1&q-q3=++");
        let r = response_of(&survey, &typed);
        assert_eq!(r.get("q1"), Some(&Answer::Scale(4)));
        assert_eq!(r.get("q2"), Some(&Answer::Choices(vec![0, 1])));
        assert_eq!(r.get("q3"), None);
        assert_eq!(mean_text(Lang::Da, 433), "4,33");
        assert_eq!(mean_text(Lang::En, 405), "4.05");
        let wrong = Typed::from_urlencoded(b"q-q1=fem");
        assert!(check_response(&survey, &response_of(&survey, &wrong)).is_err());
    }
}
