//! Programme-manager meetings in the JSON API (tag `meetings`): the
//! meetings, one with its agenda and materials, the caller's own
//! registration (made and cancelled: a person registers only themselves)
//! and a meeting's attendance summary with the municipalities that were
//! not there.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use samspil_coordination::meeting::{
    Answer, ItemKind, MaterialKind, MaterialSource, MeetingError, Question, QuestionKind, Response,
    ResultDetail, Survey,
};
use samspil_coordination_storage::{MeetingId, MeetingInput, MeetingRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::CoordinationState;
use samspil_web::auth::ApiCaller;
use samspil_web::error::{ApiErrorBody, AppError};

#[derive(Debug, Serialize, ToSchema)]
pub struct AgendaItemView {
    pub title: String,
    pub presenter: Option<String>,
    /// RFC 3339, UTC.
    pub starts_at: String,
    pub ends_at: String,
    /// The fixed item of the month's operational messages.
    pub service_messages: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MaterialView {
    pub title: String,
    /// `slides`, `recording` or `other`.
    pub kind: String,
    pub link: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingView {
    pub id: i64,
    /// `meeting` or `workshop`.
    pub kind: String,
    pub title: String,
    pub starts_at: String,
    pub ends_at: String,
    pub link: String,
    pub description: String,
    pub seats: Option<u32>,
    pub registered: u32,
    /// Whether the caller is registered.
    pub registered_me: bool,
    /// Whether staff have cancelled the meeting.
    pub cancelled: bool,
    pub agenda: Vec<AgendaItemView>,
    pub materials: Vec<MaterialView>,
}

fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn meeting_view(record: &MeetingRecord, registered_me: bool) -> MeetingView {
    let m = &record.meeting;
    MeetingView {
        id: record.id.0,
        kind: record.kind.as_str().to_owned(),
        title: m.title().to_owned(),
        starts_at: rfc3339(m.starts_at()),
        ends_at: rfc3339(m.ends_at()),
        link: m.link().to_owned(),
        description: m.description().to_owned(),
        seats: record.seats,
        registered: record.registered,
        registered_me,
        cancelled: record.cancelled_at.is_some(),
        agenda: m
            .agenda()
            .iter()
            .map(|i| AgendaItemView {
                title: i.title.clone(),
                presenter: i.presenter.clone(),
                starts_at: rfc3339(i.starts_at),
                ends_at: rfc3339(i.ends_at),
                service_messages: i.kind == ItemKind::ServiceMessages,
            })
            .collect(),
        materials: m
            .materials()
            .iter()
            .map(|x| MaterialView {
                title: x.title.clone(),
                kind: match x.kind {
                    MaterialKind::Slides => "slides",
                    MaterialKind::Recording => "recording",
                    MaterialKind::Other => "other",
                }
                .to_owned(),
                link: match &x.source {
                    MaterialSource::Link(l) => Some(l.clone()),
                    MaterialSource::File(_) => None,
                },
            })
            .collect(),
    }
}

/// The meetings, by start.
#[utoipa::path(get, path = "/api/v1/meetings", tag = "meetings",
    responses((status = 200, body = [MeetingView]), (status = 401, body = ApiErrorBody)))]
pub(crate) async fn list_meetings(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
) -> Result<Json<Vec<MeetingView>>, AppError> {
    let mut views = Vec::new();
    for record in state.storage.meetings().await? {
        let mine = state
            .storage
            .is_registered(caller.user.id, record.id)
            .await?;
        views.push(meeting_view(&record, mine));
    }
    Ok(Json(views))
}

/// A meeting with its agenda and materials.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting")),
    responses((status = 200, body = MeetingView), (status = 401, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_meeting(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<MeetingView>, AppError> {
    let record = state
        .storage
        .meeting(MeetingId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let mine = state
        .storage
        .is_registered(caller.user.id, record.id)
        .await?;
    Ok(Json(meeting_view(&record, mine)))
}

/// Register the caller (open until the meeting starts, within the seats).
#[utoipa::path(put, path = "/api/v1/meetings/{id}/registration", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting")),
    responses((status = 204), (status = 401, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn register(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    state
        .storage
        .register(&caller.principal, MeetingId(id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Cancel the caller's own registration before the meeting starts.
#[utoipa::path(delete, path = "/api/v1/meetings/{id}/registration", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting")),
    responses((status = 204), (status = 401, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn cancel_registration(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    state
        .storage
        .cancel_registration(&caller.principal, MeetingId(id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AbsentView {
    pub code: u16,
    pub name: String,
}

/// "59 kommuner (75 deltagere)": distinct municipalities and their
/// distinct participants; `others` came from no municipality.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttendanceView {
    pub recorded: bool,
    pub municipalities: usize,
    pub participants: usize,
    pub others: usize,
    pub absent: Vec<AbsentView>,
}

/// A meeting's attendance summary and the municipalities not there.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/attendance", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting")),
    responses((status = 200, body = AttendanceView), (status = 401, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn attendance(
    State(state): State<CoordinationState>,
    _caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<AttendanceView>, AppError> {
    let report = state.storage.attendance(MeetingId(id)).await?;
    Ok(Json(AttendanceView {
        recorded: report.recorded(),
        municipalities: report.summary.municipalities,
        participants: report.summary.participants,
        others: report.summary.others,
        absent: report
            .absent
            .into_iter()
            .map(|a| AbsentView {
                code: a.code.get(),
                name: a.name,
            })
            .collect(),
    }))
}

// ---- The evaluation and the input to the next meeting ------------------------

/// A survey question. `kind` is `scale` (with `min` and `max`), `choice`
/// (with `options`, several where `multiple`) or `text`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyQuestionView {
    /// A short key (a–z, digits, `-`, `_`), which the answers name.
    pub key: String,
    pub text: String,
    pub kind: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    #[serde(default)]
    pub multiple: bool,
}

impl SurveyQuestionView {
    fn of(q: &Question) -> SurveyQuestionView {
        let mut view = SurveyQuestionView {
            key: q.key.clone(),
            text: q.text.clone(),
            kind: String::new(),
            required: q.required,
            min: None,
            max: None,
            options: Vec::new(),
            multiple: false,
        };
        match &q.kind {
            QuestionKind::Scale { min, max } => {
                view.kind = "scale".into();
                view.min = Some(*min);
                view.max = Some(*max);
            }
            QuestionKind::Choice { options, multiple } => {
                view.kind = "choice".into();
                view.options = options.clone();
                view.multiple = *multiple;
            }
            QuestionKind::Text => view.kind = "text".into(),
        }
        view
    }

    fn question(self) -> Result<Question, AppError> {
        let kind = match self.kind.as_str() {
            "scale" => QuestionKind::Scale {
                min: self.min.unwrap_or(0),
                max: self.max.unwrap_or(0),
            },
            "choice" => QuestionKind::Choice {
                options: self.options,
                multiple: self.multiple,
            },
            "text" => QuestionKind::Text,
            other => {
                return Err(AppError::Rule(
                    MeetingError::BadQuestion {
                        key: format!("{} ({other})", self.key),
                        problem: "the kind is scale, choice or text",
                    }
                    .refusal("questions"),
                ));
            }
        };
        Ok(Question {
            key: self.key,
            text: self.text,
            kind,
            required: self.required,
        })
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyInput {
    pub questions: Vec<SurveyQuestionView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyView {
    /// Whether staff have defined the evaluation.
    pub defined: bool,
    /// Whether it takes answers now (the meeting has started).
    pub open: bool,
    /// Whether the caller has answered.
    pub answered_me: bool,
    pub questions: Vec<SurveyQuestionView>,
}

async fn meeting_record(state: &CoordinationState, id: i64) -> Result<MeetingRecord, AppError> {
    state
        .storage
        .meeting(MeetingId(id))
        .await?
        .ok_or(AppError::NotFound)
}

/// A meeting's evaluation: its questions and whether the caller answered.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/survey", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting")),
    responses((status = 200, body = SurveyView), (status = 401, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_survey(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<SurveyView>, AppError> {
    let record = meeting_record(&state, id).await?;
    let survey = state.storage.survey(record.id).await?;
    let answered_me = state
        .storage
        .has_answered(caller.user.id, record.id)
        .await?;
    Ok(Json(SurveyView {
        defined: survey.is_some(),
        open: record.meeting.has_started(samspil_storage::now()),
        answered_me,
        questions: survey
            .map(|s| s.questions().iter().map(SurveyQuestionView::of).collect())
            .unwrap_or_default(),
    }))
}

/// Define or replace a meeting's evaluation (community staff), until the
/// first answer.
#[utoipa::path(put, path = "/api/v1/meetings/{id}/survey", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting")), request_body = SurveyInput,
    responses((status = 204), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn put_survey(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<SurveyInput>,
) -> Result<StatusCode, AppError> {
    let access = caller.principal.community_access()?;
    let questions = input
        .questions
        .into_iter()
        .map(SurveyQuestionView::question)
        .collect::<Result<Vec<_>, _>>()?;
    let survey = Survey::new(questions).map_err(|e| AppError::Rule(e.refusal("questions")))?;
    state
        .storage
        .set_survey(&access, MeetingId(id), &survey)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's answers: per question key a number (a scale), a list of
/// option indexes (a choice) or a text.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyAnswersInput {
    #[schema(value_type = Object)]
    pub answers: std::collections::BTreeMap<String, serde_json::Value>,
}

fn answer_of(key: &str, value: &serde_json::Value) -> Result<Answer, AppError> {
    let bad = || {
        AppError::Rule(
            MeetingError::BadAnswer {
                key: key.to_owned(),
            }
            .refusal("answers"),
        )
    };
    match value {
        serde_json::Value::Number(n) => n
            .as_u64()
            .and_then(|v| u8::try_from(v).ok())
            .map(Answer::Scale)
            .ok_or_else(bad),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| {
                i.as_u64()
                    .and_then(|v| usize::try_from(v).ok())
                    .ok_or_else(bad)
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Answer::Choices),
        serde_json::Value::String(text) => Ok(Answer::Text(text.clone())),
        _ => Err(bad()),
    }
}

/// Answer a meeting's evaluation, once, from the meeting's start.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/survey/responses", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting")), request_body = SurveyAnswersInput,
    responses((status = 201), (status = 401, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn answer_survey(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<SurveyAnswersInput>,
) -> Result<StatusCode, AppError> {
    let response = input
        .answers
        .iter()
        .map(|(key, value)| Ok((key.clone(), answer_of(key, value)?)))
        .collect::<Result<Response, AppError>>()?;
    state
        .storage
        .answer_survey(&caller.principal, MeetingId(id), &response)
        .await?;
    Ok(StatusCode::CREATED)
}

/// One question's results: a scale's count per value and mean, a choice's
/// count per option, a text question's texts.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionResultView {
    pub key: String,
    pub text: String,
    pub answered: usize,
    /// `scale`, `choice` or `text`.
    pub kind: String,
    /// Each value (a scale) or option (a choice), and how many gave it.
    pub counts: Vec<AnswerCountView>,
    /// A scale's mean in hundredths (4.33 is 433).
    pub mean_hundredths: Option<u32>,
    pub texts: Vec<String>,
}

/// How many gave one value of a scale or one option of a choice.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerCountView {
    pub answer: String,
    pub count: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyResultsView {
    pub responses: usize,
    pub questions: Vec<QuestionResultView>,
}

/// A meeting's evaluation results per question (community staff).
#[utoipa::path(get, path = "/api/v1/meetings/{id}/survey/results", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting")),
    responses((status = 200, body = SurveyResultsView), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn survey_results(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<SurveyResultsView>, AppError> {
    let access = caller.principal.community_access()?;
    let r = state.storage.survey_results(&access, MeetingId(id)).await?;
    let text_of = |key: &str| {
        r.survey
            .as_ref()
            .and_then(|s| s.questions().iter().find(|q| q.key == key))
            .map(|q| q.text.clone())
            .unwrap_or_default()
    };
    let questions = r
        .results
        .iter()
        .map(|res| {
            let (kind, counts, mean, texts) = match &res.detail {
                ResultDetail::Scale {
                    counts,
                    mean_hundredths,
                } => (
                    "scale",
                    counts
                        .iter()
                        .map(|(v, n)| AnswerCountView {
                            answer: v.to_string(),
                            count: *n,
                        })
                        .collect(),
                    *mean_hundredths,
                    Vec::new(),
                ),
                ResultDetail::Choice { counts } => (
                    "choice",
                    counts
                        .iter()
                        .map(|(option, n)| AnswerCountView {
                            answer: option.clone(),
                            count: *n,
                        })
                        .collect(),
                    None,
                    Vec::new(),
                ),
                ResultDetail::Text { texts } => ("text", Vec::new(), None, texts.clone()),
            };
            QuestionResultView {
                key: res.key.clone(),
                text: text_of(&res.key),
                answered: res.answered,
                kind: kind.into(),
                counts,
                mean_hundredths: mean,
                texts,
            }
        })
        .collect();
    Ok(Json(SurveyResultsView {
        responses: r.responses,
        questions,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingInputBody {
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingInputView {
    pub id: i64,
    pub name: String,
    pub organisation: String,
    pub text: String,
    /// RFC 3339, UTC.
    pub sent_at: String,
}

impl From<MeetingInput> for MeetingInputView {
    fn from(i: MeetingInput) -> Self {
        MeetingInputView {
            id: i.id,
            name: i.name,
            organisation: i.organisation,
            text: i.text,
            sent_at: rfc3339(i.sent_at),
        }
    }
}

/// "Send us input to the next meeting": the caller's text to a meeting
/// that has not started.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/inputs", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting")), request_body = MeetingInputBody,
    responses((status = 201, body = MeetingInputView), (status = 401, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn send_input(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<MeetingInputBody>,
) -> Result<(StatusCode, Json<MeetingInputView>), AppError> {
    let sent = state
        .storage
        .send_input(&caller.principal, MeetingId(id), &input.text)
        .await?;
    Ok((StatusCode::CREATED, Json(sent.into())))
}

/// The input sent to a meeting (community staff).
#[utoipa::path(get, path = "/api/v1/meetings/{id}/inputs", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting")),
    responses((status = 200, body = [MeetingInputView]), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn inputs(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<MeetingInputView>>, AppError> {
    let access = caller.principal.community_access()?;
    let all = state.storage.inputs(&access, MeetingId(id)).await?;
    Ok(Json(all.into_iter().map(Into::into).collect()))
}

/// What a mailing queued: e-mails now, and the people it could not go to
/// with the reason (`inactive`, `no_mail`, `no_address`).
#[derive(Debug, Serialize, ToSchema)]
pub struct MailingView {
    pub queued: u64,
    pub not_sent: Vec<NotSentView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotSentView {
    pub user_id: i64,
    pub reason: String,
}

/// Cancel a meeting before it starts (community staff): everyone invited
/// or registered gets an iCalendar CANCEL (the invitation's UID, the next
/// SEQUENCE) through the outbox.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/cancellation", tag = "meetings",
    params(("id" = i64, Path, description = "The meeting")),
    responses((status = 200, body = MailingView), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn cancel_meeting(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    headers: axum::http::HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<MailingView>, AppError> {
    let access = caller.principal.community_access()?;
    let record = meeting_record(&state, id).await?;
    let mail = crate::pages_meetings::cancel_mail(&headers, &caller.user, &record);
    let report = state
        .storage
        .cancel_meeting(&access, record.id, &mail)
        .await?;
    Ok(Json(MailingView {
        queued: report.queued,
        not_sent: report
            .not_sent
            .into_iter()
            .map(|(user, reason)| NotSentView {
                user_id: user.0,
                reason: reason.to_owned(),
            })
            .collect(),
    }))
}

// ---- Workshops with limited seats --------------------------------------------

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationBody {
    #[serde(default)]
    pub motivation: String,
}

/// Apply for a seat at a workshop (the caller, once, before it starts and
/// before staff choose).
#[utoipa::path(post, path = "/api/v1/meetings/{id}/applications", tag = "meetings",
    params(("id" = i64, Path, description = "The workshop")), request_body = ApplicationBody,
    responses((status = 201), (status = 401, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn apply(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<ApplicationBody>,
) -> Result<StatusCode, AppError> {
    state
        .storage
        .apply_for_workshop(&caller.principal, MeetingId(id), &input.motivation)
        .await?;
    Ok(StatusCode::CREATED)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationView {
    pub id: i64,
    pub name: String,
    pub organisation: String,
    pub municipality_code: Option<u16>,
    pub population: Option<i64>,
    pub region: Option<String>,
    pub roles_filled: u32,
    pub roles_total: u32,
    pub motivation: String,
    /// `pending`, `chosen` or `not_chosen`.
    pub decision: String,
    pub applied_at: String,
}

/// A workshop's applications with each municipality's population, region
/// and role-gallery completeness (community staff).
#[utoipa::path(get, path = "/api/v1/meetings/{id}/applications", tag = "meetings",
    params(("id" = i64, Path, description = "The workshop")),
    responses((status = 200, body = [ApplicationView]), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn applications(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<ApplicationView>>, AppError> {
    let access = caller.principal.community_access()?;
    let today = samspil_storage::now().date();
    let all = state
        .storage
        .workshop_applications(&access, MeetingId(id), today)
        .await?;
    let populations = state.populations.populations(today).await?;
    Ok(Json(
        all.into_iter()
            .map(|a| ApplicationView {
                id: a.id,
                population: populations
                    .iter()
                    .find(|(o, _)| *o == a.org_id)
                    .map(|(_, p)| *p),
                name: a.name,
                organisation: a.organisation,
                municipality_code: a.municipality.map(|c| c.get()),
                region: a.region,
                roles_filled: a.roles_filled,
                roles_total: a.roles_total,
                motivation: a.motivation,
                decision: a.decision.as_str().to_owned(),
                applied_at: rfc3339(a.applied_at),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SelectionBody {
    /// The application ids given a seat.
    pub chosen: Vec<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SelectionView {
    pub chosen: usize,
    pub not_chosen: usize,
    /// E-mails queued to the applicants.
    pub queued: u64,
}

/// Give a workshop's seats (community staff), once: the chosen are
/// registered, every applicant is told through the outbox, the seats never
/// exceeded.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/selection", tag = "meetings",
    params(("id" = i64, Path, description = "The workshop")), request_body = SelectionBody,
    responses((status = 200, body = SelectionView), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn select(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    headers: axum::http::HeaderMap,
    Path(id): Path<i64>,
    Json(input): Json<SelectionBody>,
) -> Result<Json<SelectionView>, AppError> {
    let access = caller.principal.community_access()?;
    let record = meeting_record(&state, id).await?;
    let (chosen_mail, not_chosen_mail) =
        crate::pages_workshops::choice_mails(&headers, &caller.user, &record);
    let report = state
        .storage
        .choose_applicants(
            &access,
            record.id,
            &input.chosen,
            &chosen_mail,
            &not_chosen_mail,
        )
        .await?;
    Ok(Json(SelectionView {
        chosen: report.chosen,
        not_chosen: report.not_chosen,
        queued: report.queued,
    }))
}
