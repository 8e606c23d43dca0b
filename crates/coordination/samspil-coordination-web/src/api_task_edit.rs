//! Staff correct a task over the API, as on its edit page
//! (`pages_task_edit.rs`): on a draft everything, on a published task its
//! texts and roles with a reason, and a question's text (its kind and
//! options only while nobody has answered it). The rules are
//! `samspil_coordination::task::{check_task_edit, check_question_edit}`,
//! applied by the store under the task's lock.

use axum::Json;
use axum::extract::{Path, State};
use samspil_coordination::question::{QuestionId, QuestionKind, QuestionSpec};
use samspil_coordination::task::{Guidance, TaskId};
use samspil_coordination_storage::TaskEdit;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::CoordinationState;
use crate::api_tasks::{QuestionView, TaskView};
use samspil_web::auth::ApiCaller;
use samspil_web::error::{ApiErrorBody, AppError};

/// A task's texts and roles as they should read after the change: the
/// whole of them, so a field left out is cleared (a published task's code,
/// which cannot change, is given as it is).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskEditInput {
    /// Can change only on a draft.
    pub code: Option<String>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub business_area: Option<String>,
    pub executor_role: Option<String>,
    /// The involved roles' names, as in the role catalogue.
    #[serde(default)]
    pub involved_roles: Vec<String>,
    /// Who is responsible (Markdown).
    pub responsibility: Option<String>,
    /// The competences the task takes (Markdown).
    pub competences: Option<String>,
    /// The task's characteristics (Markdown).
    pub characteristics: Option<String>,
    /// Organisation ids of the municipalities the task goes to, among its
    /// project's participants (a draft's only): `null` for all of them;
    /// when absent they stay as they are.
    #[serde(default, deserialize_with = "crate::api_tasks::present")]
    #[schema(value_type = Option<Vec<i64>>)]
    pub municipalities: Option<Option<Vec<i64>>>,
    /// Why; required once the task is published, kept in its history.
    #[serde(default)]
    pub reason: String,
}

/// Change a task's texts and roles (community staff). On a published task
/// each changed field goes into its history with the reason, and those
/// concerned are told.
#[utoipa::path(put, path = "/api/v1/tasks/{id}/content", tag = "tasks", params(("id" = i64, Path)),
    request_body = TaskEditInput,
    responses((status = 200, body = TaskView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn edit_task(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<TaskEditInput>,
) -> Result<Json<TaskView>, AppError> {
    let access = caller.principal.community_access()?;
    let edit = TaskEdit {
        code: input.code,
        title: input.title,
        description: input.description,
        business_area: input.business_area,
        executor_role: input.executor_role,
        involved_roles: input.involved_roles,
        guidance: Guidance {
            responsibility: input.responsibility,
            competences: input.competences,
            characteristics: input.characteristics,
        },
        municipalities: input.municipalities.map(crate::api_tasks::task_audience),
        reason: input.reason,
    };
    let task = state.storage.edit_task(&access, TaskId(id), &edit).await?;
    Ok(Json(task.into()))
}

/// A question as it should read after the change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionEditInput {
    pub prompt: String,
    /// `single_choice`, `multiple_choice`, `yes_no`, `number` or `text`;
    /// fixed once anyone has answered.
    pub kind: String,
    /// Fixed once anyone has answered.
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub required: bool,
    /// Why; required once the task is published.
    #[serde(default)]
    pub reason: String,
}

/// Change one of a task's questions (community staff).
#[utoipa::path(put, path = "/api/v1/tasks/{id}/questions/{question_id}", tag = "tasks",
    params(("id" = i64, Path), ("question_id" = i64, Path)),
    request_body = QuestionEditInput,
    responses((status = 200, body = QuestionView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn edit_question(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path((id, question)): Path<(i64, i64)>,
    Json(input): Json<QuestionEditInput>,
) -> Result<Json<QuestionView>, AppError> {
    let access = caller.principal.community_access()?;
    let spec = QuestionSpec {
        prompt: input.prompt,
        kind: QuestionKind::parse(&input.kind)?,
        options: input.options,
        required: input.required,
    };
    let question = state
        .storage
        .edit_question(
            &access,
            TaskId(id),
            QuestionId(question),
            &spec,
            &input.reason,
        )
        .await?;
    Ok(Json(question.into()))
}
