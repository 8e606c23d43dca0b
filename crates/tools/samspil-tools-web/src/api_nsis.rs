//! The NSIS risk assessment in the JSON API: the element catalogue, the
//! matrix's versions, assessments with their versions and approvals, the
//! identity providers' levels and the readiness report. The same storage
//! calls as the pages, so the rules hold in both.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use samspil_domain::OrgId;
use samspil_tools::nsis::ElementKind;
use samspil_tools_storage::{NewNsisElement, NsisElementChange};
use samspil_web::api::admin_access_to;
use samspil_web::auth::ApiCaller;
use samspil_web::error::{ApiErrorBody, AppError};
use samspil_web::i18n::Lang;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::ToolsState;
use crate::nsis::{
    AssessmentDetailView, AssessmentView, ElementView, MatrixRowView, MatrixView, ReadinessView,
    VersionInputView, detail_view, readiness as readiness_report, solution_names, typed_level,
    typed_matrix,
};

/// Views made for the API carry no page dates; their language is moot.
const API_LANG: Lang = Lang::Da;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ElementInput {
    /// `risk` or `control`.
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ElementChangeInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Whether new versions score it.
    pub active: bool,
}

/// The catalogue of risk and control elements (community staff).
#[utoipa::path(get, path = "/api/v1/nsis/elements", tag = "nsis",
    responses((status = 200, body = [ElementView]), (status = 403, body = ApiErrorBody)))]
pub(crate) async fn list_elements(
    State(state): State<ToolsState>,
    caller: ApiCaller,
) -> Result<Json<Vec<ElementView>>, AppError> {
    caller.principal.community_access()?;
    let elements = state.storage.nsis_elements().await?;
    Ok(Json(elements.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/nsis/elements", tag = "nsis",
    request_body = ElementInput,
    responses((status = 201, body = ElementView), (status = 403, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn add_element(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Json(input): Json<ElementInput>,
) -> Result<(StatusCode, Json<ElementView>), AppError> {
    let access = caller.principal.community_access()?;
    let element = NewNsisElement {
        kind: ElementKind::parse(&input.kind)?,
        name: input.name,
        description: input.description,
    };
    let added = state.storage.add_nsis_element(&access, &element).await?;
    Ok((StatusCode::CREATED, Json(added.into())))
}

#[utoipa::path(put, path = "/api/v1/nsis/elements/{id}", tag = "nsis",
    params(("id" = i64, Path)), request_body = ElementChangeInput,
    responses((status = 200, body = ElementView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn change_element(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<ElementChangeInput>,
) -> Result<Json<ElementView>, AppError> {
    let access = caller.principal.community_access()?;
    let change = NsisElementChange {
        name: input.name,
        description: input.description,
        active: input.active,
    };
    let changed = state
        .storage
        .change_nsis_element(&access, id, &change)
        .await?;
    Ok(Json(changed.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatrixInput {
    /// Ascending by control score, the first from 0.0, a level in every
    /// cell.
    pub rows: Vec<MatrixRowView>,
    /// Why it changes.
    #[serde(default)]
    pub note: String,
}

/// Every version of the matrix, newest (the one in force) first.
#[utoipa::path(get, path = "/api/v1/nsis/matrix", tag = "nsis",
    responses((status = 200, body = [MatrixView]), (status = 403, body = ApiErrorBody)))]
pub(crate) async fn matrix_versions(
    State(state): State<ToolsState>,
    caller: ApiCaller,
) -> Result<Json<Vec<MatrixView>>, AppError> {
    caller.principal.community_access()?;
    let versions = state.storage.nsis_matrix_versions().await?;
    Ok(Json(versions.into_iter().map(Into::into).collect()))
}

/// Publishes a new version of the matrix (community staff); refused with
/// the reason when it has a gap or asks less for more risk.
#[utoipa::path(post, path = "/api/v1/nsis/matrix", tag = "nsis",
    request_body = MatrixInput,
    responses((status = 201, body = MatrixView), (status = 403, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn publish_matrix(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Json(input): Json<MatrixInput>,
) -> Result<(StatusCode, Json<MatrixView>), AppError> {
    let access = caller.principal.community_access()?;
    let matrix = typed_matrix(&input.rows)?;
    let published = state
        .storage
        .publish_nsis_matrix(&access, &matrix, &input.note)
        .await?;
    Ok((StatusCode::CREATED, Json(published.into())))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentInput {
    /// The IT solution (a project's id).
    pub solution_id: i64,
    /// Sagsbehandler, Leder, Borger or Systembruger.
    pub user_type: String,
    /// The first version.
    pub version: VersionInputView,
}

/// Every assessment with its newest version and the level that counts
/// (community staff).
#[utoipa::path(get, path = "/api/v1/nsis/assessments", tag = "nsis",
    responses((status = 200, body = [AssessmentView]), (status = 403, body = ApiErrorBody)))]
pub(crate) async fn list_assessments(
    State(state): State<ToolsState>,
    caller: ApiCaller,
) -> Result<Json<Vec<AssessmentView>>, AppError> {
    caller.principal.community_access()?;
    let names = solution_names(&state).await?;
    let list = state.storage.nsis_assessments().await?;
    Ok(Json(
        list.into_iter()
            .map(|a| crate::nsis::assessment_view(a, &names, API_LANG))
            .collect(),
    ))
}

/// Starts an assessment of an IT solution for a user type, with its first
/// version (awaiting approval).
#[utoipa::path(post, path = "/api/v1/nsis/assessments", tag = "nsis",
    request_body = AssessmentInput,
    responses((status = 201, body = AssessmentDetailView), (status = 403, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn create_assessment(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Json(input): Json<AssessmentInput>,
) -> Result<(StatusCode, Json<AssessmentDetailView>), AppError> {
    let access = caller.principal.community_access()?;
    let names = solution_names(&state).await?;
    known_solution(&names, input.solution_id)?;
    let version = input.version.into_input()?;
    let created = state
        .storage
        .create_nsis_assessment(&access, input.solution_id, &input.user_type, &version)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(detail_view(created, &names, API_LANG)),
    ))
}

/// Refuses an IT solution the catalogue does not know.
pub(crate) fn known_solution(
    names: &std::collections::HashMap<i64, String>,
    id: i64,
) -> Result<(), AppError> {
    match names.contains_key(&id) {
        true => Ok(()),
        false => Err(AppError::Rule(samspil_domain::ValidationError::new(
            "solution_id",
            format!("there is no IT solution {id}"),
        ))),
    }
}

/// One assessment with every version and its scores, newest first.
#[utoipa::path(get, path = "/api/v1/nsis/assessments/{id}", tag = "nsis",
    params(("id" = i64, Path)),
    responses((status = 200, body = AssessmentDetailView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_assessment(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<AssessmentDetailView>, AppError> {
    caller.principal.community_access()?;
    let names = solution_names(&state).await?;
    let detail = state
        .storage
        .nsis_assessment(id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(detail_view(detail, &names, API_LANG)))
}

/// A new version of an assessment, evaluated against the matrix in force;
/// it counts once someone other than its author approves it.
#[utoipa::path(post, path = "/api/v1/nsis/assessments/{id}/versions", tag = "nsis",
    params(("id" = i64, Path)), request_body = VersionInputView,
    responses((status = 201, body = AssessmentDetailView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn add_version(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<VersionInputView>,
) -> Result<(StatusCode, Json<AssessmentDetailView>), AppError> {
    let access = caller.principal.community_access()?;
    let version = input.into_input()?;
    let names = solution_names(&state).await?;
    let detail = state
        .storage
        .add_nsis_version(&access, id, &version)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(detail_view(detail, &names, API_LANG)),
    ))
}

/// Approves the newest version (someone other than its author).
#[utoipa::path(post, path = "/api/v1/nsis/assessments/{id}/versions/{version}/approval", tag = "nsis",
    params(("id" = i64, Path), ("version" = i64, Path)),
    responses((status = 200, body = AssessmentDetailView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn approve_version(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path((id, version)): Path<(i64, i64)>,
) -> Result<Json<AssessmentDetailView>, AppError> {
    let access = caller.principal.community_access()?;
    let names = solution_names(&state).await?;
    let detail = state
        .storage
        .approve_nsis_version(&access, id, version)
        .await?;
    Ok(Json(detail_view(detail, &names, API_LANG)))
}

/// Per IT solution and user type the required level and the municipalities
/// using the solution whose identity provider is below it: all of them for
/// community staff, one's own for everyone else.
#[utoipa::path(get, path = "/api/v1/nsis/readiness", tag = "nsis",
    responses((status = 200, body = [ReadinessView]), (status = 403, body = ApiErrorBody)))]
pub(crate) async fn readiness(
    State(state): State<ToolsState>,
    caller: ApiCaller,
) -> Result<Json<Vec<ReadinessView>>, AppError> {
    let only = own_scope(&caller.principal)?;
    Ok(Json(readiness_report(&state, only).await?))
}

/// Whose lines a person sees: staff every municipality's, anyone else their
/// own organisation's.
pub(crate) fn own_scope(principal: &samspil_domain::Principal) -> Result<Option<OrgId>, AppError> {
    if principal.is_staff() {
        return Ok(None);
    }
    principal
        .org_id()
        .map(Some)
        .ok_or_else(|| AppError::Forbidden("no organisation".into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdpLevelInput {
    /// `Lav`, `Betydelig` or `Høj`; `null` withdraws the registration.
    pub level: Option<String>,
}

/// Registers the NSIS level the municipality's identity provider is
/// notified at (its administrators, or staff).
#[utoipa::path(put, path = "/api/v1/municipalities/{org_id}/nsis-level", tag = "nsis",
    params(("org_id" = i64, Path)), request_body = IdpLevelInput,
    responses((status = 204), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn set_idp_level(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path(org_id): Path<i64>,
    Json(input): Json<IdpLevelInput>,
) -> Result<StatusCode, AppError> {
    let access = admin_access_to(&state, &caller, OrgId(org_id)).await?;
    let level = match input.level.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(typed_level("level", text)?),
    };
    state.storage.set_idp_level(&access, level).await?;
    Ok(StatusCode::NO_CONTENT)
}
