//! Agreements per municipality in the JSON API: the same storage calls
//! and totals as the pages.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use samspil_domain::OrgId;
use samspil_tools::agreements::{AgreementState, Totals, answer};
use samspil_tools_storage::NewAgreement;
use samspil_web::api::admin_access_to;
use samspil_web::auth::ApiCaller;
use samspil_web::error::{ApiErrorBody, AppError};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::ToolsState;
use crate::agreements::{AgreementAnswerView, AgreementView, agreements, answers, view};
use crate::api_nsis::{known_solution, own_scope};
use crate::nsis::solution_names;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AsOfQuery {
    /// `YYYY-MM-DD`; today by default: answers given by then count.
    pub date: Option<String>,
}

pub(crate) fn as_of(date: Option<&str>) -> Result<time::Date, AppError> {
    match date.map(str::trim) {
        None | Some("") => Ok(samspil_storage::now().date()),
        Some(text) => Ok(samspil_domain::input::parse_date("date", text)?),
    }
}

/// Every agreement with its totals (anyone signed in: the totals are the
/// community's, as on the meeting slides).
#[utoipa::path(get, path = "/api/v1/agreements", tag = "agreements", params(AsOfQuery),
    responses((status = 200, body = [AgreementView]), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn list_agreements(
    State(state): State<ToolsState>,
    _caller: ApiCaller,
    Query(query): Query<AsOfQuery>,
) -> Result<Json<Vec<AgreementView>>, AppError> {
    let day = as_of(query.date.as_deref())?;
    Ok(Json(agreements(&state, day).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementInput {
    pub solution_id: i64,
    /// tilslutningsaftale, databehandleraftale, star_tilslutningsaftale or
    /// certifikatblanket.
    pub kind: String,
    pub name: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub deadline: Option<String>,
}

/// A new agreement of a solution (community staff).
#[utoipa::path(post, path = "/api/v1/agreements", tag = "agreements",
    request_body = AgreementInput,
    responses((status = 201, body = AgreementView), (status = 403, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn create_agreement(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Json(input): Json<AgreementInput>,
) -> Result<(StatusCode, Json<AgreementView>), AppError> {
    let access = caller.principal.community_access()?;
    let names = solution_names(&state).await?;
    known_solution(&names, input.solution_id)?;
    let deadline = match input.deadline.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(samspil_domain::input::parse_date("deadline", text)?),
    };
    let created = state
        .storage
        .create_agreement(
            &access,
            &NewAgreement {
                solution_id: input.solution_id,
                kind: input.kind,
                name: input.name,
                deadline,
            },
        )
        .await?;
    let totals = Totals {
        not_asked: 98,
        ..Totals::default()
    };
    Ok((StatusCode::CREATED, Json(view(created, &names, totals))))
}

/// The municipalities' answers to an agreement: all for staff, one's own
/// for anyone else.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/answers", tag = "agreements",
    params(("id" = i64, Path), AsOfQuery),
    responses((status = 200, body = [AgreementAnswerView]), (status = 404, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
pub(crate) async fn list_answers(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Query(query): Query<AsOfQuery>,
) -> Result<Json<Vec<AgreementAnswerView>>, AppError> {
    let only = own_scope(&caller.principal)?;
    if !state.storage.agreements().await?.iter().any(|a| a.id == id) {
        return Err(AppError::NotFound);
    }
    let day = as_of(query.date.as_deref())?;
    Ok(Json(answers(&state, id, day, only).await?.0))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// One municipality's answers only (staff; anyone else sees only
    /// their own municipality's).
    pub org_id: Option<i64>,
}

/// Every answer given to an agreement, by municipality and in the order
/// given (the last of each is its current answer): all for staff, one's
/// own municipality's for anyone else.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/answers/history", tag = "agreements",
    params(("id" = i64, Path), HistoryQuery),
    responses((status = 200, body = [AgreementAnswerView]), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn answer_history(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Query(query): Query<HistoryQuery>,
) -> Result<Json<Vec<AgreementAnswerView>>, AppError> {
    let only = own_scope(&caller.principal)?.or(query.org_id.map(OrgId));
    if !state.storage.agreements().await?.iter().any(|a| a.id == id) {
        return Err(AppError::NotFound);
    }
    Ok(Json(crate::agreements::history(&state, id, only).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    /// signed, declined, signed_with_reservation, considering or not_asked.
    pub state: String,
    /// The reservation's text: for signed_with_reservation, and only then.
    #[serde(default)]
    pub reservation: String,
    /// Who signed (the holder of "Underskriftsberettiget ift.
    /// databehandleraftaler", or whoever did): for a signature.
    #[serde(default)]
    pub signed_by: String,
    /// `YYYY-MM-DD`: for a signature.
    #[serde(default)]
    pub signed_on: Option<String>,
}

/// A municipality's answer (its administrators, or staff), given today.
#[utoipa::path(put, path = "/api/v1/agreements/{id}/municipalities/{org_id}", tag = "agreements",
    params(("id" = i64, Path), ("org_id" = i64, Path)), request_body = AnswerInput,
    responses((status = 204), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn answer_agreement(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path((id, org_id)): Path<(i64, i64)>,
    Json(input): Json<AnswerInput>,
) -> Result<StatusCode, AppError> {
    let access = admin_access_to(&state, &caller, OrgId(org_id)).await?;
    let signed_on = match input.signed_on.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(samspil_domain::input::parse_date("signed_on", text)?),
    };
    let given = answer(
        AgreementState::parse(&input.state)?,
        &input.reservation,
        &input.signed_by,
        signed_on,
    )?;
    state
        .storage
        .answer_agreement(&access, id, &given, samspil_storage::now().date())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An agreement's annexes: all for staff, those sent to one's own
/// municipality for anyone else.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/annexes", tag = "agreements",
    params(("id" = i64, Path)),
    responses((status = 200, body = [crate::agreements::AnnexView]), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_annexes(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<crate::agreements::AnnexView>>, AppError> {
    let only = own_scope(&caller.principal)?;
    if !state.storage.agreements().await?.iter().any(|a| a.id == id) {
        return Err(AppError::NotFound);
    }
    Ok(Json(crate::agreements::annexes(&state, id, only).await?))
}

/// An agreement's document versions, newest first (anyone signed in: the
/// municipalities read what they sign); each is downloaded from its page.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/documents", tag = "agreements",
    params(("id" = i64, Path)),
    responses((status = 200, body = [crate::agreement_documents::FileView]),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_documents(
    State(state): State<ToolsState>,
    _caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<crate::agreement_documents::FileView>>, AppError> {
    if !state.storage.agreements().await?.iter().any(|a| a.id == id) {
        return Err(AppError::NotFound);
    }
    Ok(Json(
        crate::agreement_documents::versions(&state, id).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnexInput {
    pub title: String,
    #[serde(default)]
    pub body: String,
}

/// Publishes a new annex version (community staff): sent through the
/// outbox to every municipality that signed: to the holders of
/// "Underskriftsberettiget ift. databehandleraftaler", else the
/// KOMBIT-programleder, else the administrators.
#[utoipa::path(post, path = "/api/v1/agreements/{id}/annexes", tag = "agreements",
    params(("id" = i64, Path)), request_body = AnnexInput,
    responses((status = 201, body = crate::agreements::AnnexView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn publish_annex(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<AnnexInput>,
) -> Result<(StatusCode, Json<crate::agreements::AnnexView>), AppError> {
    let access = caller.principal.community_access()?;
    let annex = state
        .storage
        .publish_annex(
            &access,
            id,
            &input.title,
            &input.body,
            &crate::agreements::addressees(&state).await?,
        )
        .await?;
    let view = crate::agreements::annexes(&state, id, None)
        .await?
        .into_iter()
        .find(|a| a.id == annex.id)
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// A municipality acknowledges receipt of an annex (its administrators,
/// or staff).
#[utoipa::path(put, path = "/api/v1/annexes/{id}/municipalities/{org_id}/acknowledgement", tag = "agreements",
    params(("id" = i64, Path), ("org_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn acknowledge_annex(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path((id, org_id)): Path<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    let access = admin_access_to(&state, &caller, OrgId(org_id)).await?;
    state.storage.acknowledge_annex(&access, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct ReminderView {
    /// E-mails queued (a second reminder the same day queues none).
    pub queued: u64,
}

/// Reminds the municipalities that have not acknowledged an annex
/// (community staff): once per day.
#[utoipa::path(post, path = "/api/v1/annexes/{id}/reminders", tag = "agreements",
    params(("id" = i64, Path)),
    responses((status = 200, body = ReminderView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn remind_annex(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<ReminderView>, AppError> {
    let access = caller.principal.community_access()?;
    let queued = state
        .storage
        .remind_annex(
            &access,
            id,
            samspil_storage::now().date(),
            &crate::agreements::addressees(&state).await?,
        )
        .await?;
    Ok(Json(ReminderView { queued }))
}

/// Reminds the municipalities that have not answered the agreement
/// (considering, not asked) through the outbox, to the holders of
/// "Underskriftsberettiget ift. databehandleraftaler", else the
/// KOMBIT-programleder, else the administrators (community staff). Once a
/// day: a second reminder the same day is refused (422) and sends nothing.
#[utoipa::path(post, path = "/api/v1/agreements/{id}/reminders", tag = "agreements",
    params(("id" = i64, Path)),
    responses((status = 201, body = crate::agreements::AgreementReminderView),
              (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn remind_unanswered(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<(StatusCode, Json<crate::agreements::AgreementReminderView>), AppError> {
    let access = caller.principal.community_access()?;
    let sent = crate::agreements::remind_unanswered(&state, &access, id).await?;
    Ok((StatusCode::CREATED, Json(sent)))
}
