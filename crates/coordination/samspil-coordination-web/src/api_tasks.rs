//! Projects, tasks and statuses in the JSON API.

use axum::Json;
use axum::extract::{Path, Query, State};
use samspil_coordination::task::{
    ProjectId, Schedule, SchedulePatch, TaskId, TaskState, TaskStatus, TaskType,
};
use samspil_coordination::task_audience::TaskAudience;
use samspil_coordination::task_list::{SortDirection, TaskSort};
use samspil_coordination_storage::{
    MunicipalityStatus, MunicipalityTask, NewProject, NewTask, Project, Task, TaskChange,
    TaskChangeRecord, TaskFilter,
};
use samspil_domain::OrgId;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use crate::CoordinationState;
use samspil_web::api::read_access_to;
use samspil_web::auth::ApiCaller;
use samspil_web::error::{ApiErrorBody, AppError};

/// A date typed in a form, a query or a body; blank is none. The rule
/// (`YYYY-MM-DD`, the years allowed) is the domain's.
pub(crate) fn parse_date(
    field: &'static str,
    value: Option<&str>,
) -> Result<Option<Date>, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => samspil_domain::input::parse_date(field, text)
            .map(Some)
            .map_err(AppError::Rule),
    }
}

/// A field of a partial change: absent is `None` (keep it), `null` is
/// `Some(None)` (clear it), a value is `Some(Some(value))`.
pub(crate) fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A project: an IT solution or a rollout.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectView {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// How many municipalities take part.
    pub participants: i64,
}

impl From<Project> for ProjectView {
    fn from(p: Project) -> Self {
        ProjectView {
            id: p.id.0,
            name: p.name,
            description: p.description,
            participants: p.participant_count,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Organisation ids of the municipalities taking part; all 98 when absent.
    pub participants: Option<Vec<i64>>,
}

/// National counts for one task; they add up to `total`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountsView {
    pub completed: u32,
    pub started: u32,
    pub not_started: u32,
    pub total: u32,
}

impl From<samspil_coordination::task::StatusCounts> for CountsView {
    fn from(c: samspil_coordination::task::StatusCounts) -> Self {
        CountsView {
            completed: c.completed,
            started: c.started,
            not_started: c.not_started,
            total: c.total(),
        }
    }
}

/// A task as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskView {
    pub id: i64,
    #[schema(example = "OA 20")]
    pub code: Option<String>,
    pub title: String,
    pub description: String,
    /// The project's name.
    pub project: String,
    pub project_id: i64,
    /// `critical` (obligatorisk på kritisk vej), `mandatory` or `voluntary`.
    #[serde(rename = "type")]
    pub task_type: String,
    #[schema(example = "2023-06-08")]
    pub start: Option<String>,
    #[schema(example = "2023-11-15")]
    pub end: Option<String>,
    #[schema(example = "Uge 25")]
    pub period_text: Option<String>,
    pub executor_role: Option<String>,
    pub involved_roles: Option<String>,
    pub business_area: Option<String>,
    /// A municipality's own task, outside the national status.
    pub local: bool,
    pub responsibility: Option<String>,
    pub competences: Option<String>,
    pub characteristics: Option<String>,
    /// `draft`, `published` or `closed`.
    pub state: String,
    pub counts: CountsView,
    /// The calling municipality's own status: `not_started`, `started` or `completed`.
    pub status: Option<String>,
    /// The role or person the calling municipality gave the task to.
    pub assignee: Option<String>,
    /// How many municipalities were chosen for the task (`municipalities`
    /// when it was written); 0 when it goes to all its project's
    /// participants.
    pub chosen_municipalities: u32,
}

impl From<Task> for TaskView {
    fn from(t: Task) -> Self {
        TaskView {
            id: t.id.0,
            code: t.code,
            title: t.title,
            description: t.description,
            project: t.project_name,
            project_id: t.project_id.0,
            task_type: t.task_type.as_str().to_owned(),
            start: t.schedule.start.map(|d| d.to_string()),
            end: t.schedule.end.map(|d| d.to_string()),
            period_text: t.schedule.period_text,
            executor_role: t.executor_role,
            involved_roles: t.involved_roles,
            business_area: t.business_area,
            local: t.owner.is_some(),
            responsibility: t.guidance.responsibility,
            competences: t.guidance.competences,
            characteristics: t.guidance.characteristics,
            state: t.state.as_str().to_owned(),
            counts: t.counts.into(),
            status: None,
            assignee: None,
            chosen_municipalities: t.chosen_municipalities,
        }
    }
}

impl From<MunicipalityTask> for TaskView {
    fn from(mt: MunicipalityTask) -> Self {
        let status = mt.status.as_str().to_owned();
        TaskView {
            status: Some(status),
            assignee: mt.assignee_name,
            ..TaskView::from(mt.task)
        }
    }
}

/// Which tasks a list shows and in which order: the JSON list's query, and
/// what the pages' lists (`/opgaver`, `/status`) and exports hand on to the
/// same parsing, so that a list reads its filters and order one way only.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    /// Only this project's tasks.
    pub project: Option<i64>,
    /// `critical`, `mandatory` or `voluntary`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub task_type: Option<String>,
    /// Words that must all occur in the code, title or description.
    pub q: Option<String>,
    /// Tasks running on or after this date (YYYY-MM-DD).
    pub from: Option<String>,
    /// Tasks running on or before this date (YYYY-MM-DD).
    pub to: Option<String>,
    /// Only the tasks given to the caller or to a role they hold today
    /// (municipal callers).
    pub mine: Option<bool>,
    /// The column sorted by: `code`, `title`, `project`, `type`,
    /// `deadline` or `status` (the caller's own status, or for community
    /// staff the task's state); none is the list's own order: critical
    /// first, then by deadline. Every order ends with the task's id.
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    pub dir: Option<String>,
    /// Only tasks with this status of the municipality's own:
    /// `not_started`, `started` or `completed` (a municipality's list:
    /// the caller's own, or for staff the one `municipality` names).
    pub status: Option<String>,
    /// Only tasks in this state: `draft`, `published` or `closed` (drafts
    /// are community staff's alone).
    pub state: Option<String>,
    /// Community staff: this municipality's tasks (organisation id), each
    /// with its status, as a municipality's own list shows them.
    pub municipality: Option<i64>,
    /// At most this many (default 500, at most 5000).
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

impl TaskQuery {
    pub(crate) fn filter(&self, include_drafts: bool) -> Result<TaskFilter, AppError> {
        Ok(TaskFilter {
            project_id: self.project.map(ProjectId),
            task_type: self
                .task_type
                .as_deref()
                .filter(|t| !t.is_empty())
                .map(TaskType::parse)
                .transpose()?,
            words: self.q.clone(),
            from: parse_date("from", self.from.as_deref())?,
            to: parse_date("to", self.to.as_deref())?,
            include_drafts,
            sort: TaskSort::parse(self.sort.as_deref())?,
            direction: SortDirection::parse(self.dir.as_deref())?,
            state: chosen(&self.state).map(TaskState::parse).transpose()?,
            status: chosen(&self.status).map(TaskStatus::parse).transpose()?,
            limit: self.limit.unwrap_or(500),
            offset: self.offset.unwrap_or(0),
            ..TaskFilter::default()
        })
    }
}

/// A query's value, trimmed; blank is none.
fn chosen(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    pub project_id: i64,
    pub code: Option<String>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// `critical`, `mandatory` or `voluntary`.
    #[serde(rename = "type")]
    pub task_type: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub period_text: Option<String>,
    pub executor_role: Option<String>,
    pub involved_roles: Option<String>,
    /// The business area within the project, e.g. `Bibliotek` in DOS.
    pub business_area: Option<String>,
    /// Who is responsible (Markdown).
    pub responsibility: Option<String>,
    /// The competences the task takes (Markdown).
    pub competences: Option<String>,
    /// The task's characteristics (Markdown).
    pub characteristics: Option<String>,
    /// Organisation ids of the municipalities the task goes to, among its
    /// project's participants; all of them when absent. A local task is
    /// its own municipality's alone and ignores it.
    #[serde(default)]
    pub municipalities: Option<Vec<i64>>,
}

/// The municipalities a task is asked to go to: those given, or all its
/// project's participants when none are given.
pub(crate) fn task_audience(ids: Option<Vec<i64>>) -> TaskAudience {
    match ids {
        None => TaskAudience::AllParticipants,
        Some(ids) => TaskAudience::Chosen(ids.into_iter().map(OrgId).collect()),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskChangeInput {
    /// `critical`, `mandatory` or `voluntary`; unchanged when absent.
    #[serde(rename = "type")]
    pub task_type: Option<String>,
    /// The first day (YYYY-MM-DD): unchanged when absent, cleared by `null`
    /// or an empty text.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, example = "2023-06-08")]
    pub start: Option<Option<String>>,
    /// The last day (YYYY-MM-DD): unchanged when absent, cleared by `null`
    /// or an empty text.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, example = "2023-11-15")]
    pub end: Option<Option<String>>,
    /// The period in words: unchanged when absent, cleared by `null` or an
    /// empty text.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, example = "Uge 25")]
    pub period_text: Option<Option<String>>,
    /// Why: shown to the municipalities with the change.
    #[serde(default)]
    pub reason: String,
}

impl TaskChangeInput {
    /// The change asked for: only the fields given. The page form sends
    /// them all.
    pub(crate) fn into_change(self) -> Result<TaskChange, AppError> {
        let date = |field: &'static str, value: Option<Option<String>>| {
            value.map(|v| parse_date(field, v.as_deref())).transpose()
        };
        Ok(TaskChange {
            task_type: self.task_type.as_deref().map(TaskType::parse).transpose()?,
            schedule: SchedulePatch {
                start: date("start", self.start)?,
                end: date("end", self.end)?,
                period_text: self.period_text,
            },
            reason: self.reason,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskChangeView {
    pub at: String,
    pub by: String,
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: String,
}

impl From<TaskChangeRecord> for TaskChangeView {
    fn from(c: TaskChangeRecord) -> Self {
        TaskChangeView {
            at: c
                .at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            by: c.actor_label,
            field: c.field,
            before: c.before,
            after: c.after,
            reason: c.reason,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskDetail {
    pub task: TaskView,
    /// Changes since publication, newest first.
    pub history: Vec<TaskChangeView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MunicipalityRef {
    pub id: i64,
    pub code: Option<String>,
    pub name: String,
    pub region: Option<String>,
}

/// Sorts municipalities into the three lists behind the counts.
pub(crate) fn status_lists(statuses: Vec<MunicipalityStatus>) -> StatusLists {
    let mut lists = StatusLists {
        completed: Vec::new(),
        started: Vec::new(),
        not_started: Vec::new(),
    };
    for m in statuses {
        let reference = MunicipalityRef {
            id: m.org_id.0,
            code: m.code.map(|c| c.to_string()),
            name: m.name,
            region: m.region,
        };
        match m.status {
            TaskStatus::Completed => lists.completed.push(reference),
            TaskStatus::Started => lists.started.push(reference),
            TaskStatus::NotStarted => lists.not_started.push(reference),
        }
    }
    lists
}

/// The municipalities behind each count (community staff only).
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusLists {
    pub completed: Vec<MunicipalityRef>,
    pub started: Vec<MunicipalityRef>,
    pub not_started: Vec<MunicipalityRef>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskStatusReport {
    pub task_id: i64,
    pub completed: u32,
    pub started: u32,
    pub not_started: u32,
    pub total: u32,
    /// Present for community staff; municipalities see the counts only.
    pub municipalities: Option<StatusLists>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusInput {
    /// `not_started`, `started` or `completed`.
    pub status: String,
    /// Required when moving a status back.
    pub reason: Option<String>,
}

/// The projects.
#[utoipa::path(get, path = "/api/v1/projects", tag = "tasks",
    responses((status = 200, body = [ProjectView]), (status = 401, body = ApiErrorBody)))]
pub(crate) async fn list_projects(
    State(state): State<CoordinationState>,
    _caller: ApiCaller,
) -> Result<Json<Vec<ProjectView>>, AppError> {
    Ok(Json(
        state
            .storage
            .projects()
            .await?
            .into_iter()
            .map(ProjectView::from)
            .collect(),
    ))
}

/// Create a project (community staff).
#[utoipa::path(post, path = "/api/v1/projects", tag = "tasks", request_body = ProjectInput,
    responses((status = 200, body = ProjectView), (status = 403, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn create_project(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Json(input): Json<ProjectInput>,
) -> Result<Json<ProjectView>, AppError> {
    let access = caller.principal.community_access()?;
    let project = state
        .storage
        .create_project(
            &access,
            &NewProject {
                name: input.name,
                description: input.description,
                participants: input
                    .participants
                    .map(|ids| ids.into_iter().map(OrgId).collect()),
            },
        )
        .await?;
    Ok(Json(project.into()))
}

/// The tasks the caller may see: for community staff every task with its
/// national counts (drafts too), or one municipality's with its statuses
/// (`municipality`); for a municipality the tasks published to it with its
/// own status. Critical first and by deadline unless `sort` names a column;
/// the same filters and order as the task list page (`/opgaver`).
#[utoipa::path(get, path = "/api/v1/tasks", tag = "tasks", params(TaskQuery),
    responses((status = 200, body = [TaskView]), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn list_tasks(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Query(query): Query<TaskQuery>,
) -> Result<Json<Vec<TaskView>>, AppError> {
    let is_staff = caller.principal.is_staff();
    let filter = TaskFilter {
        assigned_to: (query.mine == Some(true) && !is_staff).then_some(caller.user.id),
        ..query.filter(is_staff && query.municipality.is_none())?
    };
    let municipality = match (query.municipality, is_staff) {
        (Some(org), _) => Some(read_access_to(&state.shell, &caller, OrgId(org)).await?),
        (None, false) => Some(caller.principal.read_access(caller.user.org_id)?),
        (None, true) => None,
    };
    let views = match municipality {
        None => state
            .storage
            .tasks(&filter)
            .await?
            .into_iter()
            .map(TaskView::from)
            .collect(),
        Some(access) => state
            .storage
            .municipality_tasks(&access, &filter)
            .await?
            .into_iter()
            .map(TaskView::from)
            .collect(),
    };
    Ok(Json(views))
}

/// A schedule from the text fields of a form or a JSON body.
fn schedule(
    start: Option<&str>,
    end: Option<&str>,
    period_text: Option<String>,
) -> Result<Schedule, AppError> {
    Ok(Schedule::new(
        parse_date("start", start)?,
        parse_date("end", end)?,
        period_text,
    )?)
}

pub(crate) fn new_task(input: TaskInput) -> Result<NewTask, AppError> {
    Ok(NewTask {
        project_id: ProjectId(input.project_id),
        code: input.code,
        title: input.title,
        description: input.description,
        task_type: TaskType::parse(&input.task_type)?,
        schedule: schedule(
            input.start.as_deref(),
            input.end.as_deref(),
            input.period_text,
        )?,
        executor_role: input.executor_role.filter(|r| !r.trim().is_empty()),
        involved_roles: input.involved_roles.filter(|r| !r.trim().is_empty()),
        business_area: input.business_area.filter(|a| !a.trim().is_empty()),
        guidance: samspil_coordination::task::Guidance {
            responsibility: input.responsibility,
            competences: input.competences,
            characteristics: input.characteristics,
        },
    })
}

/// Create a task as a draft (community staff).
#[utoipa::path(post, path = "/api/v1/tasks", tag = "tasks", request_body = TaskInput,
    responses((status = 200, body = TaskView), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn create_task(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Json(mut input): Json<TaskInput>,
) -> Result<Json<TaskView>, AppError> {
    let access = caller.principal.community_access()?;
    let audience = task_audience(input.municipalities.take());
    let task = state
        .storage
        .create_task_for(&access, &new_task(input)?, &audience)
        .await?;
    Ok(Json(task.into()))
}

/// Create a local task: the caller's municipality's own, published to it
/// alone and never part of the national status.
#[utoipa::path(post, path = "/api/v1/tasks/local", tag = "tasks", request_body = TaskInput,
    responses((status = 200, body = TaskView), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn create_local_task(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Json(input): Json<TaskInput>,
) -> Result<Json<TaskView>, AppError> {
    let access = caller.principal.local_task_access()?;
    let task = state
        .storage
        .create_local_task(&access, &new_task(input)?)
        .await?;
    Ok(Json(task.into()))
}

/// The task with its change history. A municipality sees only tasks
/// published to it.
#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "tasks", params(("id" = i64, Path)),
    responses((status = 200, body = TaskDetail), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_task(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<TaskDetail>, AppError> {
    let id = TaskId(id);
    let task = if caller.principal.is_staff() {
        TaskView::from(state.storage.task(id).await?.ok_or(AppError::NotFound)?)
    } else {
        let access = caller.principal.read_access(caller.user.org_id)?;
        TaskView::from(
            state
                .storage
                .municipality_task(&access, id)
                .await?
                .ok_or(AppError::NotFound)?,
        )
    };
    let history = state
        .storage
        .task_history(id)
        .await?
        .into_iter()
        .map(TaskChangeView::from)
        .collect();
    Ok(Json(TaskDetail { task, history }))
}

/// Change a task's type or schedule (community staff): the fields given,
/// the others stay as they are (`null` clears a date or the period text).
/// For a published task the change is kept in its history and the
/// municipalities are told.
#[utoipa::path(patch, path = "/api/v1/tasks/{id}", tag = "tasks", params(("id" = i64, Path)),
    request_body = TaskChangeInput,
    responses((status = 200, body = TaskView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn change_task(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<TaskChangeInput>,
) -> Result<Json<TaskView>, AppError> {
    let access = caller.principal.community_access()?;
    let task = state
        .storage
        .change_task(&access, TaskId(id), &input.into_change()?)
        .await?;
    Ok(Json(task.into()))
}

/// Publish a draft to the project's municipalities (community staff).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/publish", tag = "tasks", params(("id" = i64, Path)),
    responses((status = 200, body = TaskView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn publish_task(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<TaskView>, AppError> {
    let access = caller.principal.community_access()?;
    Ok(Json(
        state
            .storage
            .publish_task(&access, TaskId(id))
            .await?
            .into(),
    ))
}

/// How many municipalities have completed, started and not started a
/// task; community staff also get the municipalities behind each number.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/status", tag = "tasks", params(("id" = i64, Path)),
    responses((status = 200, body = TaskStatusReport), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn task_status(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<TaskStatusReport>, AppError> {
    let id = TaskId(id);
    let task = state.storage.task(id).await?.ok_or(AppError::NotFound)?;
    let municipalities = match caller.principal.community_access() {
        Ok(access) => Some(status_lists(
            state.storage.task_statuses(&access, id).await?,
        )),
        Err(_) => {
            // A municipality sees the counts of tasks published to it only.
            let access = caller.principal.read_access(caller.user.org_id)?;
            state
                .storage
                .municipality_task(&access, id)
                .await?
                .ok_or(AppError::NotFound)?;
            None
        }
    };
    if task.state == TaskState::Draft && municipalities.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(Json(TaskStatusReport {
        task_id: id.0,
        completed: task.counts.completed,
        started: task.counts.started,
        not_started: task.counts.not_started,
        total: task.counts.total(),
        municipalities,
    }))
}

/// Set a municipality's status on a task: its own users and
/// administrators, or community staff. Forward one step at a time; back
/// only with a reason.
#[utoipa::path(put, path = "/api/v1/tasks/{id}/municipalities/{org_id}/status", tag = "tasks",
    params(("id" = i64, Path), ("org_id" = i64, Path)), request_body = StatusInput,
    responses((status = 200, body = TaskView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn set_status(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path((id, org_id)): Path<(i64, i64)>,
    Json(input): Json<StatusInput>,
) -> Result<Json<TaskView>, AppError> {
    let access = samspil_web::api::work_access_to(&state, &caller, OrgId(org_id)).await?;
    let status = TaskStatus::parse(&input.status)?;
    let updated = state
        .storage
        .set_task_status(&access, TaskId(id), status, input.reason.as_deref())
        .await?;
    Ok(Json(updated.into()))
}

/// A question a task asks each municipality.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionView {
    pub id: i64,
    pub prompt: String,
    /// `single_choice`, `multiple_choice`, `yes_no`, `number` or `text`.
    pub kind: String,
    pub options: Vec<String>,
    pub required: bool,
}

impl From<samspil_coordination_storage::Question> for QuestionView {
    fn from(q: samspil_coordination_storage::Question) -> Self {
        QuestionView {
            id: q.id.0,
            prompt: q.spec.prompt,
            kind: q.spec.kind.as_str().to_owned(),
            options: q.spec.options,
            required: q.spec.required,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionInput {
    pub prompt: String,
    /// `single_choice`, `multiple_choice`, `yes_no`, `number` or `text`.
    pub kind: String,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub required: bool,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerView {
    pub question_id: i64,
    /// The chosen options; `["yes"]`/`["no"]`; one number; one text. Empty
    /// removes the answer.
    pub values: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersInput {
    pub answers: Vec<AnswerView>,
}

/// How the municipalities answered one question.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerSummary {
    pub question_id: i64,
    pub prompt: String,
    /// Municipalities that answered.
    pub answered: u32,
    /// For choice and yes/no questions: how many gave each answer.
    pub counts: Vec<AnswerCount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerCount {
    pub value: String,
    pub count: u32,
}

/// The visible task or 404: staff see every task, a municipality only
/// those published to it.
async fn visible_task(
    state: &CoordinationState,
    caller: &ApiCaller,
    id: TaskId,
) -> Result<(), AppError> {
    if caller.principal.is_staff() {
        state.storage.task(id).await?.ok_or(AppError::NotFound)?;
    } else {
        let access = caller.principal.read_access(caller.user.org_id)?;
        state
            .storage
            .municipality_task(&access, id)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    Ok(())
}

/// The task published to the municipality, or 404: a task it does not
/// take part in has none of its answers or comments, rather than an empty
/// list of them.
async fn published_to(
    state: &CoordinationState,
    access: &samspil_domain::OrgAccess,
    id: TaskId,
) -> Result<(), AppError> {
    state
        .storage
        .municipality_task(access, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(())
}

/// A task's questions.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/questions", tag = "tasks", params(("id" = i64, Path)),
    responses((status = 200, body = [QuestionView]), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_questions(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<QuestionView>>, AppError> {
    visible_task(&state, &caller, TaskId(id)).await?;
    let questions = state.storage.questions(TaskId(id)).await?;
    Ok(Json(
        questions.into_iter().map(QuestionView::from).collect(),
    ))
}

/// Add a question to a draft task (community staff).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/questions", tag = "tasks", params(("id" = i64, Path)),
    request_body = QuestionInput,
    responses((status = 200, body = QuestionView), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn add_question(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<QuestionInput>,
) -> Result<Json<QuestionView>, AppError> {
    let access = caller.principal.community_access()?;
    let spec = samspil_coordination::question::QuestionSpec {
        prompt: input.prompt,
        kind: samspil_coordination::question::QuestionKind::parse(&input.kind)?,
        options: input.options,
        required: input.required,
    };
    Ok(Json(
        state
            .storage
            .add_question(&access, TaskId(id), &spec)
            .await?
            .into(),
    ))
}

/// A municipality's answers to a task's questions: its own people and staff.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/municipalities/{org_id}/answers", tag = "tasks",
    params(("id" = i64, Path), ("org_id" = i64, Path)),
    responses((status = 200, body = [AnswerView]), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn get_answers(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path((id, org_id)): Path<(i64, i64)>,
) -> Result<Json<Vec<AnswerView>>, AppError> {
    let access = samspil_web::api::read_access_to(&state, &caller, OrgId(org_id)).await?;
    published_to(&state, &access, TaskId(id)).await?;
    let answers = state.storage.answers(&access, TaskId(id)).await?;
    Ok(Json(
        answers
            .into_iter()
            .map(|a| AnswerView {
                question_id: a.question_id.0,
                values: a.values,
            })
            .collect(),
    ))
}

/// Answer a task's questions for a municipality. Every answer is checked
/// against its question; nothing is saved unless all are valid.
#[utoipa::path(put, path = "/api/v1/tasks/{id}/municipalities/{org_id}/answers", tag = "tasks",
    params(("id" = i64, Path), ("org_id" = i64, Path)), request_body = AnswersInput,
    responses((status = 200, body = [AnswerView]), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn put_answers(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path((id, org_id)): Path<(i64, i64)>,
    Json(input): Json<AnswersInput>,
) -> Result<Json<Vec<AnswerView>>, AppError> {
    let access = samspil_web::api::work_access_to(&state, &caller, OrgId(org_id)).await?;
    let answers: Vec<_> = input
        .answers
        .into_iter()
        .map(|a| {
            (
                samspil_coordination::question::QuestionId(a.question_id),
                a.values,
            )
        })
        .collect();
    let saved = state
        .storage
        .save_answers(&access, TaskId(id), &answers)
        .await?;
    Ok(Json(
        saved
            .into_iter()
            .map(|a| AnswerView {
                question_id: a.question_id.0,
                values: a.values,
            })
            .collect(),
    ))
}

/// The answers collected across municipalities (community staff).
pub(crate) async fn answer_summaries(
    state: &CoordinationState,
    access: &samspil_domain::CommunityAccess,
    id: TaskId,
) -> Result<Vec<AnswerSummary>, AppError> {
    let questions = state.storage.questions(id).await?;
    let answers = state.storage.all_answers(access, id).await?;
    Ok(questions
        .into_iter()
        .map(|q| {
            let given: Vec<Vec<String>> = answers
                .iter()
                .filter(|a| a.question_id == q.id)
                .map(|a| a.values.clone())
                .collect();
            AnswerSummary {
                question_id: q.id.0,
                answered: u32::try_from(given.len()).unwrap_or(u32::MAX),
                counts: samspil_coordination::question::tally(&q.spec, &given)
                    .into_iter()
                    .map(|(value, count)| AnswerCount { value, count })
                    .collect(),
                prompt: q.spec.prompt,
            }
        })
        .collect())
}

/// How the municipalities answered a task's questions (community staff).
#[utoipa::path(get, path = "/api/v1/tasks/{id}/answers/summary", tag = "tasks", params(("id" = i64, Path)),
    responses((status = 200, body = [AnswerSummary]), (status = 403, body = ApiErrorBody)))]
pub(crate) async fn get_answer_summary(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<AnswerSummary>>, AppError> {
    let access = caller.principal.community_access()?;
    visible_task(&state, &caller, TaskId(id)).await?;
    Ok(Json(answer_summaries(&state, &access, TaskId(id)).await?))
}

/// Close a published task (community staff): statuses and answers stay as
/// they are and can no longer change.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/close", tag = "tasks", params(("id" = i64, Path)),
    responses((status = 200, body = TaskView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn close_task(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<TaskView>, AppError> {
    let access = caller.principal.community_access()?;
    Ok(Json(
        state.storage.close_task(&access, TaskId(id)).await?.into(),
    ))
}

/// A municipality's comment on a task.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentView {
    pub id: i64,
    /// The municipality whose thread it is in.
    pub org_id: i64,
    pub municipality: String,
    pub author: String,
    /// The author's organisation (the community for staff).
    pub author_org: Option<String>,
    /// Written by community staff, in reply to the municipality.
    pub from_community: bool,
    pub body: String,
    pub created_at: String,
}

impl From<samspil_coordination_storage::Comment> for CommentView {
    fn from(c: samspil_coordination_storage::Comment) -> Self {
        CommentView {
            id: c.id,
            org_id: c.org_id.0,
            municipality: c.org_name,
            author: c.author,
            author_org: c.author_org,
            from_community: c.from_community,
            body: c.body,
            created_at: c
                .created_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentInput {
    pub body: String,
}

/// A municipality's comments on a task: its own people and staff.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/municipalities/{org_id}/comments", tag = "tasks",
    params(("id" = i64, Path), ("org_id" = i64, Path)),
    responses((status = 200, body = [CommentView]), (status = 403, body = ApiErrorBody)))]
pub(crate) async fn get_comments(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path((id, org_id)): Path<(i64, i64)>,
) -> Result<Json<Vec<CommentView>>, AppError> {
    let access = samspil_web::api::read_access_to(&state, &caller, OrgId(org_id)).await?;
    published_to(&state, &access, TaskId(id)).await?;
    let comments = state.storage.comments(&access, TaskId(id)).await?;
    Ok(Json(comments.into_iter().map(CommentView::from).collect()))
}

/// Comment on a task in a municipality's thread: its own people, or staff
/// in reply. The other side is notified.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/municipalities/{org_id}/comments", tag = "tasks",
    params(("id" = i64, Path), ("org_id" = i64, Path)), request_body = CommentInput,
    responses((status = 200, body = CommentView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn post_comment(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path((id, org_id)): Path<(i64, i64)>,
    Json(input): Json<CommentInput>,
) -> Result<Json<CommentView>, AppError> {
    let access = samspil_web::api::work_access_to(&state, &caller, OrgId(org_id)).await?;
    Ok(Json(
        state
            .storage
            .add_comment(&access, TaskId(id), &input.body)
            .await?
            .into(),
    ))
}

/// A file on a task.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentJson {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    /// The municipality that added it; absent for the community's files.
    pub org_id: Option<i64>,
    pub organisation: Option<String>,
    /// RFC 3339.
    pub uploaded_at: String,
    pub uploaded_by: String,
}

impl From<samspil_coordination_storage::Attachment> for AttachmentJson {
    fn from(a: samspil_coordination_storage::Attachment) -> Self {
        AttachmentJson {
            id: a.id,
            file_name: a.file_name,
            content_type: a.content_type,
            size_bytes: a.size_bytes,
            sha256: a.sha256,
            org_id: a.org_id.map(|o| o.0),
            organisation: a.org_name,
            uploaded_at: a
                .uploaded_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            uploaded_by: a.uploaded_by,
        }
    }
}

/// Runs `read` as the caller's party on a task's files: the community for
/// staff, their own municipality for everyone else.
async fn as_party<T, F>(caller: &ApiCaller, read: F) -> Result<T, AppError>
where
    F: AsyncFnOnce(
        samspil_coordination_storage::TaskParty<'_>,
    ) -> Result<T, samspil_storage::StorageError>,
{
    match caller.principal.community_access() {
        Ok(access) => Ok(read(samspil_coordination_storage::TaskParty::Community(&access)).await?),
        Err(_) => {
            let access = caller.principal.read_access(caller.user.org_id)?;
            Ok(read(samspil_coordination_storage::TaskParty::Municipality(
                &access,
            ))
            .await?)
        }
    }
}

/// A task's files the caller may read: staff all, a municipality the
/// community's and its own.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/attachments", tag = "tasks", params(("id" = i64, Path)),
    responses((status = 200, body = [AttachmentJson]), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_attachments(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<AttachmentJson>>, AppError> {
    let files = as_party(&caller, async |party| {
        state.storage.attachments(party, TaskId(id)).await
    })
    .await?;
    Ok(Json(files.into_iter().map(Into::into).collect()))
}

/// One file's content, as a download.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/attachments/{attachment_id}", tag = "tasks",
    params(("id" = i64, Path), ("attachment_id" = i64, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn download_attachment(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path((id, attachment_id)): Path<(i64, i64)>,
) -> Result<axum::response::Response, AppError> {
    let (attachment, content) = as_party(&caller, async |party| {
        state
            .storage
            .attachment_content(party, TaskId(id), attachment_id)
            .await
    })
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(crate::pages_tasks::download_response(&attachment, content))
}
