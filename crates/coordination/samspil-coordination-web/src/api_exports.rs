//! The status tables as files for machines: the same CSV (Danish Excel) and
//! XLSX the pages offer, behind a bearer token.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use samspil_coordination::task::TaskId;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::CoordinationState;
use crate::api_tasks::TaskQuery;
use crate::pages_tasks::{export_response, progress_table, status_table, task_table};
use samspil_web::auth::ApiCaller;
use samspil_web::error::{ApiErrorBody, AppError};
use samspil_web::i18n::Lang;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// `csv` (semicolon-separated, UTF-8 with BOM) or `xlsx`.
    pub format: String,
    /// Headers in `da` (default) or `en`.
    pub lang: Option<String>,
}

/// The language of a file's headers: Danish unless asked otherwise.
fn header_lang(code: Option<&str>) -> Result<Lang, AppError> {
    match code {
        None | Some("") => Ok(Lang::Da),
        Some(code) => Lang::parse(code).ok_or_else(|| {
            AppError::BadRequest(format!("unknown language '{code}': use da or en"))
        }),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusFileQuery {
    /// `csv` or `xlsx`.
    pub format: String,
    /// Headers in `da` (default) or `en`.
    pub lang: Option<String>,
    pub project: Option<i64>,
    /// `critical`, `mandatory` or `voluntary`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub task_type: Option<String>,
    pub q: Option<String>,
    /// YYYY-MM-DD.
    pub from: Option<String>,
    /// YYYY-MM-DD.
    pub to: Option<String>,
    /// Count only this region's municipalities, e.g. `Region Nordjylland`.
    pub region: Option<String>,
}

/// The national overview: every published task with its counts.
#[utoipa::path(get, path = "/api/v1/exports/status", tag = "exports", params(StatusFileQuery),
    responses((status = 200, description = "The table as a file", content_type = "text/csv"),
              (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn status_file(
    State(state): State<CoordinationState>,
    _caller: ApiCaller,
    Query(query): Query<StatusFileQuery>,
) -> Result<Response, AppError> {
    let lang = header_lang(query.lang.as_deref())?;
    let task_query = TaskQuery {
        project: query.project,
        task_type: query.task_type,
        q: query.q,
        from: query.from,
        to: query.to,
        limit: Some(5_000),
        offset: Some(0),
        ..TaskQuery::default()
    };
    let table = status_table(&state, lang, &task_query, query.region).await?;
    export_response(&table, &query.format, "status")
}

/// One task: every municipality taking part with its status and answers
/// (community staff).
#[utoipa::path(get, path = "/api/v1/exports/tasks/{id}", tag = "exports",
    params(("id" = i64, Path), FileQuery),
    responses((status = 200, description = "The table as a file", content_type = "text/csv"),
              (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn task_file(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Query(query): Query<FileQuery>,
) -> Result<Response, AppError> {
    let access = caller.principal.community_access()?;
    let table = task_table(
        &state,
        header_lang(query.lang.as_deref())?,
        &access,
        TaskId(id),
    )
    .await?;
    export_response(&table, &query.format, &format!("opgave-{id}"))
}

/// Progress for the monthly meeting: `projekter`, `omraader` (business
/// areas) or `kommuner` (community staff).
#[utoipa::path(get, path = "/api/v1/exports/progress/{table}", tag = "exports",
    params(("table" = String, Path), FileQuery),
    responses((status = 200, description = "The table as a file", content_type = "text/csv"),
              (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub(crate) async fn progress_file(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(table): Path<String>,
    Query(query): Query<FileQuery>,
) -> Result<Response, AppError> {
    let access = caller.principal.community_access()?;
    let (table, name) =
        progress_table(&state, header_lang(query.lang.as_deref())?, &access, &table).await?;
    export_response(&table, &query.format, name)
}
