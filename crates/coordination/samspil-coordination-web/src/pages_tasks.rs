//! The task pages: a municipality's task list and status form, the
//! community's task editor, and the national status overview.

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use samspil_coordination::question::QuestionKind;
use samspil_coordination::task::{TaskId, TaskState, TaskStatus, TaskType};
use samspil_coordination::task_audience::TaskAudience;
use samspil_coordination::task_list::{SortDirection, TaskSort};
use samspil_coordination_storage::{MunicipalityTask, Task, TaskAssignee, TaskFilter, TaskParty};
use samspil_domain::{CommunityAccess, OrgAccess, OrgId};
use serde::{Deserialize, Serialize};

use crate::CoordinationState;
use crate::api_tasks::{TaskChangeInput, TaskInput, TaskQuery, new_task, status_lists};
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::form::{PageForm, Refusal, Typed};
use samspil_web::format::format_date;
use samspil_web::i18n::Lang;
use samspil_web::municipality_picker::municipality_picker;
use samspil_web::pages::empty_as_none;
use samspil_web::pages::{Page, Pager, region_choice};

/// Tasks shown per page of the status overview.
const PAGE_SIZE: u32 = 100;

/// Tasks shown per page of the task list.
const LIST_PAGE: u32 = 25;

#[derive(Serialize)]
struct CountsView {
    completed: u32,
    started: u32,
    not_started: u32,
    total: u32,
    completed_percent: u32,
}

#[derive(Serialize)]
struct TaskView {
    id: i64,
    code: Option<String>,
    title: String,
    description: String,
    project: String,
    project_id: i64,
    task_type: &'static str,
    start: Option<String>,
    end: Option<String>,
    /// The dates as a date field shows them (`dd.mm.åååå`).
    start_input: Option<String>,
    end_input: Option<String>,
    period_text: Option<String>,
    executor_role: Option<String>,
    involved_roles: Option<String>,
    business_area: Option<String>,
    /// A municipality's own task, outside the national status.
    local: bool,
    /// How many municipalities were chosen for it (0: all the project's).
    chosen_municipalities: u32,
    guidance: samspil_coordination::task::Guidance,
    state: &'static str,
    counts: CountsView,
    /// The viewing municipality's own status, when it has one.
    status: Option<&'static str>,
    status_reason: Option<String>,
    overdue: bool,
    /// Whom the viewing municipality gave the task to, as the assignment
    /// form's value (`role:ID` or `user:ID`) and as a name.
    assignee: Option<String>,
    assignee_name: Option<String>,
}

fn task_view(lang: Lang, task: Task, own: Option<(TaskStatus, Option<String>)>) -> TaskView {
    let today = samspil_storage::now().date();
    let overdue = match own {
        Some((status, _)) => task.schedule.is_overdue(today, status),
        None => false,
    };
    let counts = task.counts;
    TaskView {
        id: task.id.0,
        code: task.code,
        title: task.title,
        description: task.description,
        project: task.project_name,
        project_id: task.project_id.0,
        task_type: task.task_type.as_str(),
        start: format_date(lang, task.schedule.start),
        end: format_date(lang, task.schedule.end),
        start_input: samspil_web::format::input_date(task.schedule.start),
        end_input: samspil_web::format::input_date(task.schedule.end),
        period_text: task.schedule.period_text,
        executor_role: task.executor_role,
        involved_roles: task.involved_roles,
        business_area: task.business_area,
        local: task.owner.is_some(),
        chosen_municipalities: task.chosen_municipalities,
        guidance: task.guidance,
        state: task.state.as_str(),
        counts: CountsView {
            completed: counts.completed,
            started: counts.started,
            not_started: counts.not_started,
            total: counts.total(),
            completed_percent: (counts.completed_share() * 100.0).round() as u32,
        },
        status: own.as_ref().map(|(s, _)| s.as_str()),
        status_reason: own.and_then(|(_, r)| r),
        overdue,
        assignee: None,
        assignee_name: None,
    }
}

fn municipality_task_view(lang: Lang, mt: MunicipalityTask) -> TaskView {
    let assignee = mt.assignee.map(|a| match a {
        TaskAssignee::Role(role) => format!("role:{}", role.0),
        TaskAssignee::User(user) => format!("user:{}", user.0),
    });
    TaskView {
        assignee,
        assignee_name: mt.assignee_name,
        ..task_view(lang, mt.task, Some((mt.status, mt.status_reason)))
    }
}

/// The filters shown above a list, echoed back into the form.
#[derive(Serialize)]
struct FilterView {
    project: Option<i64>,
    task_type: Option<String>,
    q: Option<String>,
    from: Option<String>,
    to: Option<String>,
    mine: bool,
    status: Option<String>,
    state: Option<String>,
}

impl FilterView {
    fn from_query(query: &ListQuery) -> Self {
        let chosen = |value: &Option<String>| value.clone().filter(|v| !v.trim().is_empty());
        FilterView {
            project: query.project,
            task_type: chosen(&query.task_type),
            q: chosen(&query.q),
            from: shown_date(query.from.as_deref()),
            to: shown_date(query.to.as_deref()),
            mine: query.mine == Some(true),
            status: chosen(&query.status),
            state: chosen(&query.state),
        }
    }
}

/// A filter's date as its field shows it: `dd.mm.åååå` once it reads as
/// a date, otherwise as typed.
fn shown_date(typed: Option<&str>) -> Option<String> {
    let typed = typed.map(str::trim).filter(|t| !t.is_empty())?;
    match samspil_domain::input::parse_date("from", typed) {
        Ok(date) => samspil_web::format::input_date(Some(date)),
        Err(_) => Some(typed.to_owned()),
    }
}

/// Query of the page lists: the API's task query plus a page number, the
/// order and the filters only the pages have.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default, deserialize_with = "empty_as_none")]
    project: Option<i64>,
    #[serde(rename = "type")]
    task_type: Option<String>,
    q: Option<String>,
    from: Option<String>,
    to: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    page: Option<u32>,
    /// Only the tasks given to me or my roles.
    #[serde(default, deserialize_with = "empty_as_none")]
    mine: Option<bool>,
    /// Status counts among one region's municipalities (status pages).
    region: Option<String>,
    /// The column sorted by (`TaskSort`) and which way (`asc`, `desc`).
    sort: Option<String>,
    dir: Option<String>,
    /// A municipality's own status (»Jeres status«).
    status: Option<String>,
    /// The task's state (kladde, publiceret, lukket), for staff.
    state: Option<String>,
    /// The municipality whose tasks and statuses staff see: a name, a part
    /// of one, a code or an id (`municipality_picker`).
    kommune: Option<String>,
}

impl ListQuery {
    fn page(&self) -> u32 {
        self.page.unwrap_or(1).max(1)
    }

    fn task_query(&self, page_size: u32) -> TaskQuery {
        TaskQuery {
            project: self.project,
            task_type: self.task_type.clone(),
            q: self.q.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            mine: self.mine,
            sort: self.sort.clone(),
            dir: self.dir.clone(),
            status: self.status.clone(),
            state: self.state.clone(),
            municipality: None,
            limit: Some(page_size + 1),
            offset: Some((self.page() - 1).saturating_mul(page_size)),
        }
    }

    /// The page's filter, read as the API's list reads it (`TaskQuery`).
    /// A value the page does not know is refused as a bad address (a
    /// Danish 400 page), never guessed.
    fn filter(&self, page_size: u32, include_drafts: bool) -> Result<TaskFilter, AppError> {
        self.task_query(page_size)
            .filter(include_drafts)
            .map_err(AppError::in_query)
    }

    /// The list's parameters other than the page and the order, as links
    /// keep them.
    fn filter_params(&self) -> Vec<(&'static str, String)> {
        let text = |value: &Option<String>| value.as_deref().unwrap_or_default().trim().to_owned();
        vec![
            ("q", text(&self.q)),
            (
                "project",
                self.project.map(|p| p.to_string()).unwrap_or_default(),
            ),
            ("type", text(&self.task_type)),
            ("from", text(&self.from)),
            ("to", text(&self.to)),
            (
                "mine",
                if self.mine == Some(true) {
                    "true".to_owned()
                } else {
                    String::new()
                },
            ),
            ("status", text(&self.status)),
            ("state", text(&self.state)),
            ("region", text(&self.region)),
        ]
    }
}

/// A sortable column's header: the link that sorts by it (ascending, or
/// the other way when it is the column sorted by) and its `aria-sort`.
#[derive(Serialize)]
struct SortHeader {
    href: String,
    aria_sort: Option<&'static str>,
    /// The DKFDS icon showing the column's state.
    icon: &'static str,
}

/// Every sortable column's header, keyed by its name, for a list at `path`
/// whose other parameters are `params` (a new order starts at page 1).
fn sort_headers(
    path: &str,
    params: &[(&'static str, String)],
    filter: &TaskFilter,
) -> std::collections::BTreeMap<&'static str, SortHeader> {
    TaskSort::COLUMNS
        .into_iter()
        .map(|column| {
            let sorted = filter.sort == column;
            let direction = match sorted {
                true => filter.direction.reversed(),
                false => SortDirection::Ascending,
            };
            let mut with_order = params.to_vec();
            with_order.push(("sort", column.as_str().to_owned()));
            with_order.push(("dir", direction.as_str().to_owned()));
            let header = SortHeader {
                href: samspil_web::pages::list_href(path, &with_order),
                aria_sort: sorted.then(|| filter.direction.aria()),
                icon: match (sorted, filter.direction) {
                    (false, _) => "sort-table-none",
                    (true, SortDirection::Ascending) => "sort-table-ascending",
                    (true, SortDirection::Descending) => "sort-table-descending",
                },
            };
            (column.as_str(), header)
        })
        .collect()
}

#[derive(Serialize)]
pub(crate) struct ProjectOption {
    pub(crate) id: i64,
    pub(crate) name: String,
}

pub(crate) async fn project_options(
    state: &CoordinationState,
) -> Result<Vec<ProjectOption>, AppError> {
    Ok(state
        .storage
        .projects()
        .await?
        .into_iter()
        .map(|p| ProjectOption {
            id: p.id.0,
            name: p.name,
        })
        .collect())
}

fn own_access(signed_in: &SignedIn) -> Result<OrgAccess, AppError> {
    Ok(signed_in.principal.read_access(signed_in.user.org_id)?)
}

/// For the forms that change something: a reader is refused here, with the
/// page that explains why.
fn own_work_access(signed_in: &SignedIn) -> Result<OrgAccess, AppError> {
    Ok(signed_in.principal.work_access(signed_in.user.org_id)?)
}

/// `/opgaver`: a municipality's own tasks with its status, or for the
/// community every task with its national counts, or one municipality's
/// tasks with its statuses (`?kommune=`, staff, chosen in the picker).
pub async fn task_list(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let is_staff = signed_in.principal.is_staff();
    let filter = TaskFilter {
        assigned_to: (query.mine == Some(true) && !is_staff).then_some(signed_in.user.id),
        ..query.filter(LIST_PAGE, is_staff)?
    };
    // Staff choose a municipality to see its statuses; its people always
    // see their own.
    let (picker, municipality, picker_refused) = match is_staff {
        true => {
            let organisations = state.shell.storage.organisations().await?;
            let (picker, chosen, refused) =
                municipality_picker(lang, &organisations, query.kommune.as_deref());
            (Some(picker), chosen, refused)
        }
        false => (None, None, None),
    };
    let municipal_access = match &municipality {
        Some(org) => Some(signed_in.principal.read_access(org.id)?),
        None if !is_staff => Some(own_access(&signed_in)?),
        None => None,
    };
    let mut tasks: Vec<TaskView> = match &municipal_access {
        None => state
            .storage
            .tasks(&filter)
            .await?
            .into_iter()
            .map(|t| task_view(lang, t, None))
            .collect(),
        Some(access) => state
            .storage
            .municipality_tasks(access, &filter)
            .await?
            .into_iter()
            .map(|mt| municipality_task_view(lang, mt))
            .collect(),
    };
    let has_next = tasks.len() > LIST_PAGE as usize;
    tasks.truncate(LIST_PAGE as usize);
    let mut params = query.filter_params();
    if let Some(org) = &municipality {
        params.push(("kommune", org.id.0.to_string()));
    }
    let mut ordered = params.clone();
    if filter.sort != TaskSort::Priority {
        ordered.push(("sort", filter.sort.as_str().to_owned()));
        ordered.push(("dir", filter.direction.as_str().to_owned()));
    }
    let own_progress = match (&municipal_access, is_staff) {
        (None, _) | (_, true) => None,
        (Some(access), false) => {
            let today = samspil_storage::now().date();
            let progress = state.storage.own_progress(access, today).await?;
            Some(minijinja::context! {
                open => progress.open,
                overdue => progress.overdue,
                critical_open => progress.critical_open,
            })
        }
    };
    let page = Page::new(&state, lang, "/opgaver", Some(&signed_in)).await?;
    page.render(
        "tasks.html",
        minijinja::context! {
            nav_active => "tasks",
            is_staff,
            municipality => municipality.as_ref().map(|o| o.name.clone()),
            picker,
            refused => picker_refused.as_ref().map(Refusal::view),
            read_only => signed_in.principal.is_reader(),
            tasks,
            pager => Pager::new("/opgaver", &ordered, query.page(), has_next),
            sort_headers => sort_headers("/opgaver", &params, &filter),
            sort => (filter.sort != TaskSort::Priority).then(|| filter.sort.as_str()),
            dir => filter.direction.as_str(),
            own_progress,
            filter => FilterView::from_query(&query),
            projects => project_options(&state).await?,
            task_types => TaskType::ALL.map(TaskType::as_str),
        },
    )
}

#[derive(Serialize)]
struct ChangeView {
    at: String,
    by: String,
    field: String,
    before: Option<String>,
    after: Option<String>,
    reason: String,
}

/// What a page was asked to confirm after a redirect (`?gemt=status`):
/// only the kinds listed, each with its `saved-{kind}` text.
#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    gemt: Option<String>,
}

/// The success a page confirms, if the query names one it knows.
pub(crate) fn saved_kind(query: &SavedQuery, known: &[&'static str]) -> Option<&'static str> {
    let asked = query.gemt.as_deref()?;
    known.iter().copied().find(|k| *k == asked)
}

/// What the task page confirms after a redirect.
const TASK_SAVED: &[&str] = &[
    "status",
    "answers",
    "assignment",
    "published",
    "change",
    "closed",
    "comment",
    "file",
    "question",
    "edit",
];

/// `/opgaver/{id}`.
pub async fn task_detail(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Query(saved): Query<SavedQuery>,
) -> Result<Html<String>, AppError> {
    let saved = saved_kind(&saved, TASK_SAVED);
    render_task(&state, lang, &signed_in, TaskId(id), None, saved).await
}

/// Back to the task after a form, with its success confirmed at the top
/// of the page (`base.html`, `saved`).
fn task_saved(id: i64, kind: &str) -> Response {
    Redirect::to(&format!("/opgaver/{id}?gemt={kind}")).into_response()
}

/// The task page again with a refused form.
async fn task_refused(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    id: TaskId,
    refusal: Refusal,
) -> Result<Response, AppError> {
    let html = render_task(state, lang, signed_in, id, Some(&refusal), None).await?;
    Ok(Refusal::respond(html))
}

async fn render_task(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    id: TaskId,
    refused: Option<&Refusal>,
    saved: Option<&str>,
) -> Result<Html<String>, AppError> {
    let is_staff = signed_in.principal.is_staff();
    let task = if is_staff {
        task_view(
            lang,
            state.storage.task(id).await?.ok_or(AppError::NotFound)?,
            None,
        )
    } else {
        let own = state
            .storage
            .municipality_task(&own_access(signed_in)?, id)
            .await?
            .ok_or(AppError::NotFound)?;
        municipality_task_view(lang, own)
    };
    let history: Vec<ChangeView> = state
        .storage
        .task_history(id)
        .await?
        .into_iter()
        .map(|c| ChangeView {
            at: format_date(lang, Some(c.at.date())).unwrap_or_default(),
            by: c.actor_name,
            field: c.field,
            before: c.before,
            after: c.after,
            reason: c.reason,
        })
        .collect();
    let lists = match signed_in.principal.community_access() {
        Ok(access) => Some(status_lists(
            state.storage.task_statuses(&access, id).await?,
        )),
        Err(_) => None,
    };
    let questions = question_views(state, signed_in, id).await?;
    let summaries = match signed_in.principal.community_access() {
        Ok(access) => crate::api_tasks::answer_summaries(state, &access, id).await?,
        Err(_) => Vec::new(),
    };
    let comments: Vec<crate::api_tasks::CommentView> = match signed_in.principal.community_access()
    {
        Ok(access) => state.storage.all_comments(&access, id).await?,
        Err(_) => state.storage.comments(&own_access(signed_in)?, id).await?,
    }
    .into_iter()
    .map(Into::into)
    .collect();
    let attachments: Vec<AttachmentView> = match signed_in.principal.community_access() {
        Ok(access) => {
            state
                .storage
                .attachments(TaskParty::Community(&access), id)
                .await?
        }
        Err(_) => {
            let access = own_access(signed_in)?;
            state
                .storage
                .attachments(TaskParty::Municipality(&access), id)
                .await?
        }
    }
    .into_iter()
    .map(|a| attachment_view(lang, a))
    .collect();
    let assignees = match is_staff {
        true => None,
        false => Some(assignee_options(state, &own_access(signed_in)?).await?),
    };
    // A task given to a reader or to an empty role is warned about on its
    // page, right after the assignment and until it is given to someone else.
    let assignment_warning = match is_staff {
        true => None,
        false => state
            .storage
            .assignment_warnings(&own_access(signed_in)?, samspil_storage::now().date())
            .await?
            .into_iter()
            .find(|w| w.task_id == id)
            .map(|w| minijinja::context! { kind => w.warning.as_str(), name => w.assignee_name }),
    };
    let status_history =
        crate::pages_task_pdf::page_status_history(state, lang, signed_in, id).await?;
    let path = format!("/opgaver/{}", id.0);
    let chart = status_chart(lang, &[(task.title.clone(), &task.counts)]);
    let page = Page::new(state, lang, &path, Some(signed_in)).await?;
    page.render(
        "task.html",
        minijinja::context! {
            nav_active => "tasks",
            is_staff,
            read_only => signed_in.principal.is_reader(),
            task,
            history,
            status_history,
            lists,
            chart,
            refused => refused.map(Refusal::view),
            saved,
            questions,
            summaries,
            comments,
            assignees,
            assignment_warning,
            attachments,
            accepted_files => samspil_coordination::attachment::accepted_extensions(),
            question_kinds => samspil_coordination::question::QuestionKind::ALL.map(|k| k.as_str()),
            statuses => TaskStatus::ALL.map(TaskStatus::as_str),
            task_types => TaskType::ALL.map(TaskType::as_str),
        },
    )
}

#[derive(Serialize)]
struct AttachmentView {
    id: i64,
    file_name: String,
    size: String,
    /// The municipality that added it; none for the community's files.
    owner: Option<String>,
    uploaded_at: String,
    uploaded_by: String,
}

fn attachment_view(lang: Lang, a: samspil_coordination_storage::Attachment) -> AttachmentView {
    let kib = (a.size_bytes + 1023) / 1024;
    AttachmentView {
        id: a.id,
        file_name: a.file_name,
        size: match kib {
            0..1024 => format!("{kib} KB"),
            _ => format!("{:.1} MB", kib as f64 / 1024.0),
        },
        owner: a.org_name,
        uploaded_at: format_date(lang, Some(a.uploaded_at.date())).unwrap_or_default(),
        uploaded_by: a.uploaded_by,
    }
}

/// The party a signed-in person acts as on a task's files.
/// `municipal_access` is [`own_access`] to read its files, [`own_work_access`]
/// to add one.
fn party_of<'a>(
    signed_in: &SignedIn,
    community: &'a mut Option<CommunityAccess>,
    own: &'a mut Option<OrgAccess>,
    municipal_access: fn(&SignedIn) -> Result<OrgAccess, AppError>,
) -> Result<TaskParty<'a>, AppError> {
    match signed_in.principal.community_access() {
        Ok(access) => Ok(TaskParty::Community(community.insert(access))),
        Err(_) => Ok(TaskParty::Municipality(
            own.insert(municipal_access(signed_in)?),
        )),
    }
}

/// Adds a file to the task: staff for every municipality, a municipality
/// for itself. A refused file is explained above the upload form.
pub async fn task_upload(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    multipart: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let (_, file) = samspil_web::files::read_upload(multipart).await?;
    let refused =
        |message: String| Refusal::new("attachment", Typed::default()).field("file", message);
    let Some((file_name, content)) = file else {
        let message = lang.text("attachment-error-none", &[]);
        return task_refused(&state, lang, &signed_in, TaskId(id), refused(message)).await;
    };
    let new = samspil_coordination_storage::NewAttachment {
        sha256: samspil_auth::file_checksum(&content),
        file_name,
        content,
    };
    let (mut community, mut own) = (None, None);
    let party = party_of(&signed_in, &mut community, &mut own, own_work_access)?;
    match state.storage.add_attachment(party, TaskId(id), &new).await {
        Ok(_) => Ok(task_saved(id, "file")),
        Err(samspil_storage::StorageError::Invalid(invalid)) => {
            let message = lang.refusal("attachment-error", &invalid);
            task_refused(&state, lang, &signed_in, TaskId(id), refused(message)).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `/opgaver/{id}/bilag/{file}`: a file, always as a download.
pub async fn task_download(
    State(state): State<CoordinationState>,
    signed_in: SignedIn,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (mut community, mut own) = (None, None);
    let party = party_of(&signed_in, &mut community, &mut own, own_access)?;
    let (attachment, content) = state
        .storage
        .attachment_content(party, TaskId(id), file)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(download_response(&attachment, content))
}

/// A kept file as a download (the shell's rule for every kept file).
pub(crate) fn download_response(
    attachment: &samspil_coordination_storage::Attachment,
    content: Vec<u8>,
) -> Response {
    samspil_web::files::download_response(&attachment.file_name, &attachment.content_type, content)
}

#[derive(Serialize)]
struct AssigneeOption {
    value: String,
    name: String,
}

/// Whom a municipality can give a task to: its roles, then its people.
async fn assignee_options(
    state: &CoordinationState,
    access: &OrgAccess,
) -> Result<minijinja::Value, AppError> {
    let roles: Vec<AssigneeOption> = state
        .storage
        .municipality_roles(access)
        .await?
        .into_iter()
        .map(|r| AssigneeOption {
            value: format!("role:{}", r.id.0),
            name: r.name,
        })
        .collect();
    let people: Vec<AssigneeOption> = state
        .shell
        .storage
        .users(access)
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| AssigneeOption {
            value: format!("user:{}", u.id.0),
            name: u.display_name,
        })
        .collect();
    Ok(minijinja::context! { roles, people })
}

#[derive(Debug, Deserialize)]
pub struct AssigneeForm {
    /// `role:ID`, `user:ID`, or empty to take the task back.
    #[serde(default)]
    assignee: String,
}

impl AssigneeForm {
    fn assignee(&self) -> Result<Option<TaskAssignee>, AppError> {
        let unreadable = || {
            AppError::Rule(samspil_domain::ValidationError::named(
                "assignee",
                "assignee-unknown",
                format!("unknown assignee '{}'", self.assignee),
            ))
        };
        let value = self.assignee.trim();
        if value.is_empty() {
            return Ok(None);
        }
        let (kind, id) = value.split_once(':').ok_or_else(unreadable)?;
        let id: i64 = id.parse().map_err(|_| unreadable())?;
        match kind {
            "role" => Ok(Some(TaskAssignee::Role(
                samspil_coordination::role::RoleId(id),
            ))),
            "user" => Ok(Some(TaskAssignee::User(samspil_domain::UserId(id)))),
            _ => Err(unreadable()),
        }
    }
}

/// A municipality gives the task to one of its roles (and so to whoever
/// holds it) or to a person.
pub async fn task_assign(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    PageForm { input, typed }: PageForm<AssigneeForm>,
) -> Result<Response, AppError> {
    let access = own_work_access(&signed_in)?;
    let form = match input {
        Ok(form) => form,
        Err(unreadable) => {
            let refusal = Refusal::unreadable(lang, "assign", unreadable, typed);
            return task_refused(&state, lang, &signed_in, TaskId(id), refusal).await;
        }
    };
    let outcome = match form.assignee() {
        Ok(assignee) => state
            .storage
            .assign_task(&access, TaskId(id), assignee)
            .await
            .map_err(AppError::from),
        Err(refused) => Err(refused),
    };
    match outcome {
        Ok(_) => Ok(task_saved(id, "assignment")),
        Err(error) => {
            let refusal = Refusal::of(error, lang, "assign-error", "assign", typed)?;
            task_refused(&state, lang, &signed_in, TaskId(id), refusal).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    reason: Option<String>,
}

/// A municipality sets its status on a task; a refused change shows the
/// task again with the reason.
pub async fn task_set_status(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    PageForm { input, typed }: PageForm<StatusForm>,
) -> Result<Response, AppError> {
    let access = own_work_access(&signed_in)?;
    let form = match input {
        Ok(form) => form,
        Err(unreadable) => {
            let refusal = Refusal::unreadable(lang, "status", unreadable, typed);
            return task_refused(&state, lang, &signed_in, TaskId(id), refusal).await;
        }
    };
    let reason = form
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let outcome = match TaskStatus::parse(&form.status) {
        Ok(status) => state
            .storage
            .set_task_status(&access, TaskId(id), status, reason)
            .await
            .map_err(AppError::from),
        Err(invalid) => Err(invalid.into()),
    };
    match outcome {
        Ok(_) => Ok(task_saved(id, "status")),
        Err(error) => {
            let refusal = Refusal::of(error, lang, "status-error", "status", typed)?;
            task_refused(&state, lang, &signed_in, TaskId(id), refusal).await
        }
    }
}

#[derive(Serialize)]
struct QuestionFormView {
    id: i64,
    prompt: String,
    kind: &'static str,
    options: Vec<String>,
    required: bool,
    /// The municipality's current answer.
    values: Vec<String>,
}

async fn question_views(
    state: &CoordinationState,
    signed_in: &SignedIn,
    id: TaskId,
) -> Result<Vec<QuestionFormView>, AppError> {
    let questions = state.storage.questions(id).await?;
    let answers = match signed_in.principal.is_staff() {
        true => Vec::new(),
        false => state.storage.answers(&own_access(signed_in)?, id).await?,
    };
    Ok(questions
        .into_iter()
        .map(|q| QuestionFormView {
            id: q.id.0,
            values: answers
                .iter()
                .find(|a| a.question_id == q.id)
                .map(|a| a.values.clone())
                .unwrap_or_default(),
            prompt: q.spec.prompt,
            kind: q.spec.kind.as_str(),
            options: q.spec.options,
            required: q.spec.required,
        })
        .collect())
}

/// A municipality answers the task's questions. The form names each field
/// `q-<question id>`; a multiple choice sends one value per ticked box.
pub async fn task_save_answers(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let access = own_work_access(&signed_in)?;
    let task = TaskId(id);
    let mut answers: Vec<(samspil_coordination::question::QuestionId, Vec<String>)> = state
        .storage
        .questions(task)
        .await?
        .into_iter()
        .map(|q| (q.id, Vec::new()))
        .collect();
    let typed = Typed::from_urlencoded(&body);
    for (name, value) in url::form_urlencoded::parse(&body) {
        let Some(question) = name.strip_prefix("q-").and_then(|n| n.parse::<i64>().ok()) else {
            continue;
        };
        match answers.iter_mut().find(|(q, _)| q.0 == question) {
            Some((_, values)) => values.push(value.into_owned()),
            None => {
                let message = lang.text("answers-error-unknown-question", &[]);
                let refusal = Refusal::new("answers", typed).field("", message);
                return task_refused(&state, lang, &signed_in, task, refusal).await;
            }
        }
    }
    match state.storage.save_answers(&access, task, &answers).await {
        Ok(_) => Ok(task_saved(id, "answers")),
        Err(samspil_storage::StorageError::Invalid(invalid)) => {
            // The answers' rules name the question in their sentence.
            let message = lang.refusal("answers-error", &invalid);
            let refusal = Refusal::new("answers", typed).field("", message);
            task_refused(&state, lang, &signed_in, task, refusal).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `/opgaver/ny`: the form for a new task (community staff).
pub async fn task_new_form(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Html<String>, AppError> {
    signed_in.principal.community_access()?;
    render_task_form(&state, lang, &signed_in, false, None).await
}

/// `/opgaver/lokal/ny`: a municipality writes a task of its own.
pub async fn local_task_form(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Html<String>, AppError> {
    signed_in.principal.local_task_access()?;
    render_task_form(&state, lang, &signed_in, true, None).await
}

pub async fn local_task_create(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    typed: Typed,
) -> Result<Response, AppError> {
    let access = signed_in.principal.local_task_access()?;
    // A local task is its municipality's alone: no municipalities to choose.
    create_from_form(&state, lang, &signed_in, typed, async |task, _| {
        Ok(state
            .storage
            .create_local_task(&access, &task)
            .await?
            .task
            .id)
    })
    .await
}

pub async fn task_create(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    typed: Typed,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    create_from_form(&state, lang, &signed_in, typed, async |task, audience| {
        Ok(state
            .storage
            .create_task_for(&access, &task, &audience)
            .await?
            .id)
    })
    .await
}

/// The new-task form read into the API's `TaskInput`: the involved roles
/// come one ticked box each (`involved_role`), as on the edit page, and so
/// do the municipalities (`task_audience_typed`).
fn task_input(typed: &Typed) -> Result<(TaskInput, TaskAudience), samspil_web::form::Unreadable> {
    let mut fields = typed.clone();
    let involved = fields.take("involved_role");
    if let Some(text) = samspil_coordination::task::involved_roles_text(&involved) {
        fields.push("involved_roles", text);
    }
    let audience = task_audience_typed(&mut fields).unwrap_or_default();
    Ok((samspil_web::form::read_form(&fields)?, audience))
}

/// The municipalities chosen on a task's form, taken out of what was typed:
/// `municipalities_scope` says all the project's (`all`) or those ticked
/// (`chosen`, one `municipality` box each); `None` when the form has no
/// such choice (a published task's).
pub(crate) fn task_audience_typed(fields: &mut Typed) -> Option<TaskAudience> {
    let scope = fields.take("municipalities_scope");
    let ticked = fields.take("municipality");
    match scope.first().map(String::as_str) {
        None => None,
        Some("chosen") => Some(TaskAudience::Chosen(typed_ids(&ticked))),
        Some(_) => Some(TaskAudience::AllParticipants),
    }
}

/// The ids of ticked boxes; a value that is no id ticks nothing.
pub(crate) fn typed_ids(values: &[String]) -> Vec<OrgId> {
    values
        .iter()
        .filter_map(|v| v.trim().parse().ok())
        .map(OrgId)
        .collect()
}

/// The municipalities' part of a task's form: whether it goes to all the
/// project's or to those ticked, the list to tick in (`choices`) and what
/// is ticked, as posted when the form was refused, else as `kept`.
pub(crate) fn audience_form(
    refused: Option<&Refusal>,
    form: &str,
    kept: &TaskAudience,
    choices: Vec<crate::pages_messages::Choice>,
) -> minijinja::Value {
    let (scope, chosen) = match refused.filter(|r| r.form() == form) {
        Some(refusal) => (
            refusal
                .typed()
                .get("municipalities_scope")
                .unwrap_or("all")
                .to_owned(),
            typed_ids(refusal.typed().all("municipality")),
        ),
        None => (
            match kept {
                TaskAudience::AllParticipants => "all".to_owned(),
                TaskAudience::Chosen(_) => "chosen".to_owned(),
            },
            kept.chosen().to_vec(),
        ),
    };
    let chosen: Vec<i64> = chosen.into_iter().map(|id| id.0).collect();
    minijinja::context! { scope, chosen, choices }
}

/// Creates a task from the form, or shows the form again, as it was
/// filled in, with why it was refused.
async fn create_from_form(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    typed: Typed,
    create: impl AsyncFnOnce(
        samspil_coordination_storage::NewTask,
        TaskAudience,
    ) -> Result<TaskId, AppError>,
) -> Result<Response, AppError> {
    let local = !signed_in.principal.is_staff();
    let (input, audience) = match task_input(&typed) {
        Ok(input) => input,
        Err(unreadable) => {
            let refusal = Refusal::unreadable(lang, "new", unreadable, typed);
            let html = render_task_form(state, lang, signed_in, local, Some(&refusal)).await?;
            return Ok(Refusal::respond(html));
        }
    };
    let refusal = match new_task(input) {
        Ok(task) => match create(task, audience).await {
            Ok(id) => {
                // The task's own address, which the creator goes on from.
                return Ok(Redirect::to(&format!("/opgaver/{}", id.0)).into_response());
            }
            Err(error) => error,
        },
        Err(error) => error,
    };
    let refusal = Refusal::of(refusal, lang, "task-error", "new", typed)?;
    let html = render_task_form(state, lang, signed_in, local, Some(&refusal)).await?;
    Ok(Refusal::respond(html))
}

async fn render_task_form(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    local: bool,
    refused: Option<&Refusal>,
) -> Result<Html<String>, AppError> {
    let path = if local {
        "/opgaver/lokal/ny"
    } else {
        "/opgaver/ny"
    };
    let roles: Vec<String> = state
        .storage
        .roles()
        .await?
        .into_iter()
        .map(|r| r.name)
        .collect();
    let chosen_roles = refused
        .map(|refusal| refusal.typed().all("involved_role").to_vec())
        .unwrap_or_default();
    // The project is chosen on the same form: every municipality is listed,
    // and one outside the project is refused by name.
    let audience = match local {
        true => None,
        false => Some(audience_form(
            refused,
            "new",
            &TaskAudience::AllParticipants,
            crate::pages_messages::municipality_choices(state).await?,
        )),
    };
    let page = Page::new(state, lang, path, Some(signed_in)).await?;
    page.render(
        "task_new.html",
        minijinja::context! {
            nav_active => "tasks",
            local,
            roles,
            chosen_roles,
            audience,
            refused => refused.map(Refusal::view),
            projects => project_options(state).await?,
            task_types => TaskType::ALL.map(TaskType::as_str),
        },
    )
}

/// Publishing to every municipality of the project and closing a task ask
/// first: the button on the task page leads to this page, which says what
/// will happen and posts the real form.
pub async fn task_confirm(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, action)): Path<(i64, String)>,
) -> Result<Html<String>, AppError> {
    signed_in.principal.community_access()?;
    let (post_to, question) = match action.as_str() {
        "publicer" => ("publicer", "task-confirm-publish"),
        "luk" => ("luk", "task-confirm-close"),
        _ => return Err(AppError::NotFound),
    };
    let task = state
        .storage
        .task(TaskId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    // Publishing reaches the municipalities chosen for the task, or every
    // one taking part in the project; closing, those that have the task.
    let receivers = match action.as_str() {
        "publicer" if task.chosen_municipalities > 0 => i64::from(task.chosen_municipalities),
        "publicer" => state
            .storage
            .project_progress()
            .await?
            .into_iter()
            .find(|p| p.project_id == task.project_id)
            .map(|p| p.participants)
            .unwrap_or_default(),
        _ => i64::from(task.counts.total()),
    };
    let path = format!("/opgaver/{id}/bekraeft/{action}");
    let page = Page::new(&state, lang, &path, Some(&signed_in)).await?;
    page.render(
        "task_confirm.html",
        minijinja::context! {
            nav_active => "tasks",
            task => task_view(lang, task, None),
            post_to,
            question,
            receivers,
        },
    )
}

pub async fn task_close(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    match state.storage.close_task(&access, TaskId(id)).await {
        Ok(_) => Ok(task_saved(id, "closed")),
        Err(error) => {
            let refusal = Refusal::of(error.into(), lang, "task-error", "close", Typed::default())?;
            task_refused(&state, lang, &signed_in, TaskId(id), refusal).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    body: String,
    /// The municipality whose thread staff reply in.
    #[serde(default, deserialize_with = "empty_as_none")]
    org_id: Option<i64>,
}

pub async fn task_comment(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    PageForm { input, typed }: PageForm<CommentForm>,
) -> Result<Response, AppError> {
    let form = match input {
        Ok(form) => form,
        Err(unreadable) => {
            let refusal = Refusal::unreadable(lang, "comment", unreadable, typed);
            return task_refused(&state, lang, &signed_in, TaskId(id), refusal).await;
        }
    };
    // Staff reply in a municipality's thread; a municipality writes in its own.
    let access = match (signed_in.principal.is_staff(), form.org_id) {
        (true, Some(org)) => signed_in
            .principal
            .work_access(samspil_domain::OrgId(org))?,
        (true, None) => return Err(AppError::NotFound),
        (false, _) => own_work_access(&signed_in)?,
    };
    match state
        .storage
        .add_comment(&access, TaskId(id), &form.body)
        .await
    {
        Ok(_) => Ok(task_saved(id, "comment")),
        Err(error) => {
            let refusal = Refusal::of(
                AppError::from(error),
                lang,
                "comment-error",
                "comment",
                typed,
            )?;
            task_refused(&state, lang, &signed_in, TaskId(id), refusal).await
        }
    }
}

pub async fn task_publish(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    match state.storage.publish_task(&access, TaskId(id)).await {
        Ok(_) => Ok(task_saved(id, "published")),
        Err(error) => {
            let refusal = Refusal::of(
                error.into(),
                lang,
                "task-error",
                "publish",
                Typed::default(),
            )?;
            task_refused(&state, lang, &signed_in, TaskId(id), refusal).await
        }
    }
}

pub async fn task_change(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    PageForm { input, typed }: PageForm<TaskChangeInput>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let outcome = match input {
        Ok(input) => match input.into_change() {
            Ok(change) => state
                .storage
                .change_task(&access, TaskId(id), &change)
                .await
                .map_err(AppError::from),
            Err(refused) => Err(refused),
        },
        Err(unreadable) => {
            let refusal = Refusal::unreadable(lang, "change", unreadable, typed);
            return task_refused(&state, lang, &signed_in, TaskId(id), refusal).await;
        }
    };
    match outcome {
        Ok(_) => Ok(task_saved(id, "change")),
        Err(error) => {
            let refusal = Refusal::of(error, lang, "change-error", "change", typed)?;
            task_refused(&state, lang, &signed_in, TaskId(id), refusal).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct QuestionForm {
    #[serde(default)]
    prompt: String,
    #[serde(default)]
    kind: String,
    /// One option per line.
    #[serde(default)]
    options: String,
    #[serde(default)]
    required: bool,
}

/// Staff add a question to a draft task; a refused question is shown above
/// the form.
pub async fn task_add_question(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    PageForm { input, typed }: PageForm<QuestionForm>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let form = match input {
        Ok(form) => form,
        Err(unreadable) => {
            let refusal = Refusal::unreadable(lang, "question", unreadable, typed);
            return task_refused(&state, lang, &signed_in, TaskId(id), refusal).await;
        }
    };
    let spec = samspil_coordination::question::QuestionKind::parse(&form.kind).map(|kind| {
        samspil_coordination::question::QuestionSpec {
            prompt: form.prompt,
            kind,
            options: form
                .options
                .lines()
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned)
                .collect(),
            required: form.required,
        }
    });
    let refusal = match spec {
        Err(invalid) => invalid,
        Ok(spec) => match state.storage.add_question(&access, TaskId(id), &spec).await {
            Ok(_) => return Ok(task_saved(id, "question")),
            Err(samspil_storage::StorageError::Invalid(invalid)) => invalid,
            Err(other) => return Err(other.into()),
        },
    };
    let refusal = Refusal::rule(lang, "question-error", "question", &refusal, typed);
    task_refused(&state, lang, &signed_in, TaskId(id), refusal).await
}

/// `/opgaver/{id}/eksport.{csv,xlsx}`: every municipality taking part with
/// its status and its answer to each question (community staff) — the
/// lists behind the numbers and the collected answers in one table.
pub async fn task_export(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, file)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let format = file.strip_prefix("eksport.").ok_or(AppError::NotFound)?;
    let table = task_table(&state, lang, &access, TaskId(id)).await?;
    export_response(&table, format, &format!("opgave-{id}"))
}

/// One task's municipalities with their status and answers.
pub(crate) async fn task_table(
    state: &CoordinationState,
    lang: Lang,
    access: &CommunityAccess,
    id: TaskId,
) -> Result<samspil_report::Table, AppError> {
    use samspil_report::{Cell, Column};
    let task = state.storage.task(id).await?.ok_or(AppError::NotFound)?;
    let statuses = state.storage.task_statuses(access, task.id).await?;
    let questions = state.storage.questions(task.id).await?;
    let answers = state.storage.all_answers(access, task.id).await?;
    let files = state
        .storage
        .attachments(TaskParty::Community(access), task.id)
        .await?;
    let t = |key: &str| lang.text(key, &[]);
    let mut columns = vec![
        Column::text(t("orgs-code")),
        Column::text(t("orgs-name")),
        Column::text(t("orgs-region")),
        Column::text(t("task-status")),
    ];
    columns.extend(
        questions
            .iter()
            .map(|q| Column::text(q.spec.prompt.clone())),
    );
    columns.push(Column::text(t("status-history-title")));
    let history = state.storage.all_status_history(access, task.id).await?;
    let rows = statuses
        .into_iter()
        .map(|m| {
            let mut row = vec![
                m.code
                    .map(|c| Cell::Text(c.to_string()))
                    .unwrap_or(Cell::Empty),
                Cell::Text(m.name),
                m.region.map(Cell::Text).unwrap_or(Cell::Empty),
                Cell::Text(t(&format!("task-status-{}", m.status.as_str()))),
            ];
            row.extend(questions.iter().map(|q| {
                answers
                    .iter()
                    .find(|a| a.question_id == q.id && a.org_id == m.org_id)
                    .map(|a| {
                        let shown: Vec<String> = a
                            .values
                            .iter()
                            .map(|v| match (q.spec.kind, v.as_str()) {
                                (QuestionKind::YesNo, _) => t(&format!("answers-{v}")),
                                (QuestionKind::File, id) => files
                                    .iter()
                                    .find(|f| f.id.to_string() == id)
                                    .map(|f| f.file_name.clone())
                                    .unwrap_or_else(|| v.clone()),
                                _ => v.clone(),
                            })
                            .collect();
                        Cell::Text(shown.join(", "))
                    })
                    .unwrap_or(Cell::Empty)
            }));
            row.push(Cell::Text(crate::pages_task_pdf::history_text(
                lang,
                history.iter().filter(|c| c.org_id == m.org_id),
            )));
            row
        })
        .collect();
    let title = match &task.code {
        Some(code) => format!("{code} {}", task.title),
        None => task.title.clone(),
    };
    samspil_report::Table::new(title, columns, rows).map_err(|e| AppError::Internal(e.to_string()))
}

/// The chart of status counts, labelled in the page's language.
fn status_chart(lang: Lang, bars: &[(String, &CountsView)]) -> String {
    let bars: Vec<samspil_report::StatusBar> = bars
        .iter()
        .map(|(label, counts)| samspil_report::StatusBar {
            label: label.clone(),
            completed: counts.completed,
            started: counts.started,
            not_started: counts.not_started,
        })
        .collect();
    let labels = samspil_report::ChartLabels {
        title: lang.text("status-chart-title", &[]),
        completed: lang.text("task-status-completed", &[]),
        started: lang.text("task-status-started", &[]),
        not_started: lang.text("task-status-not_started", &[]),
        total: lang.text("status-total", &[]),
        no_data: lang.text("tasks-none", &[]),
    };
    samspil_report::status_chart_svg(&bars, &labels)
}

/// `/status`: where the country stands, task by task, with a chart and
/// exports for the monthly meeting.
pub async fn status_overview(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let task_query = query.task_query(PAGE_SIZE);
    let filter = task_query.filter(false).map_err(AppError::in_query)?;
    let (regions, region) = region_choice(
        &state.shell.storage.organisations().await?,
        query.region.clone(),
    )?;
    let mut found: Vec<Task> = published(state.storage.tasks(&filter).await?).collect();
    let has_next = found.len() > PAGE_SIZE as usize;
    found.truncate(PAGE_SIZE as usize);
    let tasks: Vec<TaskView> = in_region(&state, region.as_deref(), found)
        .await?
        .into_iter()
        .map(|t| task_view(lang, t, None))
        .collect();
    let chart_bars: Vec<(String, &CountsView)> = tasks
        .iter()
        .take(20)
        .map(|t| {
            (
                t.code
                    .clone()
                    .map(|c| format!("{c} {}", t.title))
                    .unwrap_or_else(|| t.title.clone()),
                &t.counts,
            )
        })
        .collect();
    let chart = status_chart(lang, &chart_bars);
    let export_query = export_query(&task_query, region.as_deref());
    let page = Page::new(&state, lang, "/status", Some(&signed_in)).await?;
    page.render(
        "status.html",
        minijinja::context! {
            nav_active => "status",
            is_staff => signed_in.principal.is_staff(),
            tasks,
            pager => Pager::new("/status", &query.filter_params(), query.page(), has_next),
            chart,
            export_query,
            regions,
            region,
            filter => FilterView::from_query(&query),
            projects => project_options(&state).await?,
            task_types => TaskType::ALL.map(TaskType::as_str),
        },
    )
}

fn published(tasks: Vec<Task>) -> impl Iterator<Item = Task> {
    tasks.into_iter().filter(|t| t.state != TaskState::Draft)
}

/// The tasks with their counts among one region's municipalities, or as
/// they are (national counts) without a region.
async fn in_region(
    state: &CoordinationState,
    region: Option<&str>,
    mut tasks: Vec<Task>,
) -> Result<Vec<Task>, AppError> {
    let Some(region) = region else {
        return Ok(tasks);
    };
    let ids: Vec<TaskId> = tasks.iter().map(|t| t.id).collect();
    let counts = state.storage.region_counts(region, &ids).await?;
    for task in &mut tasks {
        if let Some((_, c)) = counts.iter().find(|(id, _)| *id == task.id) {
            task.counts = *c;
        }
    }
    Ok(tasks)
}

/// The filters as a query string for the export links.
fn export_query(query: &TaskQuery, region: Option<&str>) -> String {
    let mut pairs = url::form_urlencoded::Serializer::new(String::new());
    if let Some(region) = region {
        pairs.append_pair("region", region);
    }
    if let Some(project) = query.project {
        pairs.append_pair("project", &project.to_string());
    }
    for (name, value) in [
        ("type", &query.task_type),
        ("q", &query.q),
        ("from", &query.from),
        ("to", &query.to),
    ] {
        if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            pairs.append_pair(name, value);
        }
    }
    pairs.finish()
}

/// `/status/eksport.{csv,xlsx}`: the whole overview (every page) as a file.
pub async fn status_export(
    State(state): State<CoordinationState>,
    lang: Lang,
    _signed_in: SignedIn,
    Path(file): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let format = file.strip_prefix("eksport.").ok_or(AppError::NotFound)?;
    let mut task_query = query.task_query(PAGE_SIZE);
    task_query.limit = Some(5_000);
    task_query.offset = Some(0);
    let table = status_table(&state, lang, &task_query, query.region).await?;
    export_response(&table, format, "status")
}

/// The national overview as a table: every published task matching the
/// query, with its counts (among one region's municipalities if asked).
pub(crate) async fn status_table(
    state: &CoordinationState,
    lang: Lang,
    task_query: &TaskQuery,
    region: Option<String>,
) -> Result<samspil_report::Table, AppError> {
    let filter: TaskFilter = task_query.filter(false).map_err(AppError::in_query)?;
    let (_, region) = region_choice(&state.shell.storage.organisations().await?, region)?;
    let tasks = in_region(
        state,
        region.as_deref(),
        published(state.storage.tasks(&filter).await?).collect(),
    )
    .await?;
    let t = |key: &str| lang.text(key, &[]);
    let columns = vec![
        samspil_report::Column::text(t("task-code")),
        samspil_report::Column::text(t("task-title")),
        samspil_report::Column::text(t("task-project")),
        samspil_report::Column::text(t("task-type")),
        samspil_report::Column::date(t("task-start")),
        samspil_report::Column::date(t("task-end")),
        samspil_report::Column::text(t("task-period")),
        samspil_report::Column::integer(t("task-status-completed")),
        samspil_report::Column::integer(t("task-status-started")),
        samspil_report::Column::integer(t("task-status-not_started")),
        samspil_report::Column::integer(t("status-total")),
    ];
    let rows = tasks
        .into_iter()
        .map(|task| {
            use samspil_report::Cell;
            vec![
                task.code.map(Cell::Text).unwrap_or(Cell::Empty),
                Cell::Text(task.title),
                Cell::Text(task.project_name),
                Cell::Text(t(&format!("task-type-{}", task.task_type.as_str()))),
                task.schedule.start.map(Cell::Date).unwrap_or(Cell::Empty),
                task.schedule.end.map(Cell::Date).unwrap_or(Cell::Empty),
                // "Uge 25", "ultimo august": the deadline in words, where a
                // task has no date or says it more loosely.
                task.schedule
                    .period_text
                    .map(Cell::Text)
                    .unwrap_or(Cell::Empty),
                Cell::Integer(i64::from(task.counts.completed)),
                Cell::Integer(i64::from(task.counts.started)),
                Cell::Integer(i64::from(task.counts.not_started)),
                Cell::Integer(i64::from(task.counts.total())),
            ]
        })
        .collect();
    samspil_report::Table::new(t("status-title"), columns, rows)
        .map_err(|e| AppError::Internal(e.to_string()))
}

pub(crate) fn export_response(
    table: &samspil_report::Table,
    format: &str,
    name: &str,
) -> Result<Response, AppError> {
    use axum::http::header;
    let (bytes, content_type, extension) = match format {
        "csv" => (
            samspil_report::to_csv(table),
            samspil_report::CSV_CONTENT_TYPE,
            "csv",
        ),
        "xlsx" => (
            samspil_report::to_xlsx(table).map_err(|e| AppError::Internal(e.to_string()))?,
            samspil_report::XLSX_CONTENT_TYPE,
            "xlsx",
        ),
        other => {
            return Err(AppError::BadRequest(format!(
                "unknown file format '{other}': use csv or xlsx"
            )));
        }
    };
    let today = samspil_storage::now().date();
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"samspil-{name}-{today}.{extension}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Serialize)]
struct ProjectProgressView {
    id: i64,
    name: String,
    participants: i64,
    published_tasks: i64,
    not_done: i64,
}

#[derive(Serialize)]
struct AreaProgressView {
    project: String,
    area: String,
    published_tasks: i64,
    not_done: i64,
}

#[derive(Serialize)]
struct MunicipalityProgressView {
    id: i64,
    name: String,
    code: Option<String>,
    region: Option<String>,
    open: i64,
    overdue: i64,
    critical_open: i64,
}

/// The three tables of the progress page: projects, business areas,
/// municipalities.
struct ProgressViews {
    projects: Vec<ProjectProgressView>,
    areas: Vec<AreaProgressView>,
    municipalities: Vec<MunicipalityProgressView>,
}

async fn progress_views(
    state: &CoordinationState,
    access: &CommunityAccess,
) -> Result<ProgressViews, AppError> {
    let today = samspil_storage::now().date();
    let projects = state
        .storage
        .project_progress()
        .await?
        .into_iter()
        .map(|p| ProjectProgressView {
            id: p.project_id.0,
            name: p.name,
            participants: p.participants,
            published_tasks: p.published_tasks,
            not_done: p.municipalities_not_done,
        })
        .collect();
    let municipalities = state
        .storage
        .municipality_progress(access, today)
        .await?
        .into_iter()
        .map(|m| MunicipalityProgressView {
            id: m.org_id.0,
            name: m.name,
            code: m.code.map(|c| c.to_string()),
            region: m.region,
            open: m.open,
            overdue: m.overdue,
            critical_open: m.critical_open,
        })
        .collect();
    let areas = state
        .storage
        .area_progress()
        .await?
        .into_iter()
        .map(|a| AreaProgressView {
            project: a.project_name,
            area: a.area,
            published_tasks: a.published_tasks,
            not_done: a.municipalities_not_done,
        })
        .collect();
    Ok(ProgressViews {
        projects,
        areas,
        municipalities,
    })
}

/// `/status/fremdrift`: per project how many municipalities are not done,
/// and per municipality its open, overdue and critical tasks (community
/// staff).
pub async fn progress(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Html<String>, AppError> {
    let access = signed_in.principal.community_access()?;
    let views = progress_views(&state, &access).await?;
    let page = Page::new(&state, lang, "/status/fremdrift", Some(&signed_in)).await?;
    page.render(
        "progress.html",
        minijinja::context! {
            nav_active => "status",
            projects => views.projects,
            areas => views.areas,
            municipalities => views.municipalities,
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct ProgressExportQuery {
    table: String,
}

/// `/status/fremdrift/eksport.{csv,xlsx}?table=projekter|kommuner`.
pub async fn progress_export(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(file): Path<String>,
    Query(query): Query<ProgressExportQuery>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let format = file.strip_prefix("eksport.").ok_or(AppError::NotFound)?;
    let (table, name) = progress_table(&state, lang, &access, &query.table).await?;
    export_response(&table, format, name)
}

/// One of the progress page's tables: `projekter`, `omraader` or
/// `kommuner`, and the name its file gets.
pub(crate) async fn progress_table(
    state: &CoordinationState,
    lang: Lang,
    access: &CommunityAccess,
    which: &str,
) -> Result<(samspil_report::Table, &'static str), AppError> {
    use samspil_report::{Cell, Column};
    let ProgressViews {
        projects,
        areas,
        municipalities,
    } = progress_views(state, access).await?;
    let t = |key: &str| lang.text(key, &[]);
    let (title, columns, rows, name) = match which {
        "projekter" => (
            t("progress-projects"),
            vec![
                Column::text(t("task-project")),
                Column::integer(t("progress-participants")),
                Column::integer(t("progress-published-tasks")),
                Column::integer(t("progress-not-done")),
            ],
            projects
                .into_iter()
                .map(|p| {
                    vec![
                        Cell::Text(p.name),
                        Cell::Integer(p.participants),
                        Cell::Integer(p.published_tasks),
                        Cell::Integer(p.not_done),
                    ]
                })
                .collect(),
            "projekter",
        ),
        "omraader" => (
            t("progress-areas"),
            vec![
                Column::text(t("task-project")),
                Column::text(t("task-business-area")),
                Column::integer(t("progress-published-tasks")),
                Column::integer(t("progress-not-done")),
            ],
            areas
                .into_iter()
                .map(|a| {
                    vec![
                        Cell::Text(a.project),
                        Cell::Text(a.area),
                        Cell::Integer(a.published_tasks),
                        Cell::Integer(a.not_done),
                    ]
                })
                .collect(),
            "omraader",
        ),
        "kommuner" => (
            t("progress-municipalities"),
            vec![
                Column::text(t("orgs-code")),
                Column::text(t("orgs-name")),
                Column::text(t("orgs-region")),
                Column::integer(t("progress-open")),
                Column::integer(t("progress-overdue")),
                Column::integer(t("progress-critical")),
            ],
            municipalities
                .into_iter()
                .map(|m| {
                    vec![
                        m.code.map(Cell::Text).unwrap_or(Cell::Empty),
                        Cell::Text(m.name),
                        m.region.map(Cell::Text).unwrap_or(Cell::Empty),
                        Cell::Integer(m.open),
                        Cell::Integer(m.overdue),
                        Cell::Integer(m.critical_open),
                    ]
                })
                .collect(),
            "kommuner",
        ),
        other => {
            return Err(AppError::BadRequest(format!(
                "unknown table '{other}': use projekter, omraader or kommuner"
            )));
        }
    };
    let table = samspil_report::Table::new(title, columns, rows)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((table, name))
}

/// Coordination: tasks, statuses, answers, files and the national status.
pub(crate) fn routes() -> Vec<samspil_web::routes::PageRoute<CoordinationState>> {
    use samspil_web::routes::PageRoute;
    vec![
        PageRoute::get("/opgaver", task_list),
        PageRoute::get("/opgaver/ny", task_new_form),
        PageRoute::post("/opgaver/ny", task_create),
        PageRoute::get("/opgaver/lokal/ny", local_task_form),
        PageRoute::post("/opgaver/lokal/ny", local_task_create),
        PageRoute::get("/opgaver/{id}", task_detail),
        PageRoute::post("/opgaver/{id}/status", task_set_status),
        PageRoute::post("/opgaver/{id}/tildel", task_assign),
        PageRoute::post("/opgaver/{id}/spoergsmaal", task_add_question),
        PageRoute::get("/opgaver/{id}/{file}", task_export),
        PageRoute::post("/opgaver/{id}/bilag", task_upload).with_handler(
            axum::routing::post(task_upload).layer(axum::extract::DefaultBodyLimit::max(
                samspil_web::auth::MAX_UPLOAD_BYTES,
            )),
        ),
        PageRoute::get("/opgaver/{id}/bilag/{file}", task_download),
        PageRoute::post("/opgaver/{id}/svar", task_save_answers),
        PageRoute::post("/opgaver/{id}/kommentarer", task_comment),
        PageRoute::post("/opgaver/{id}/luk", task_close),
        PageRoute::post("/opgaver/{id}/publicer", task_publish),
        PageRoute::get("/opgaver/{id}/bekraeft/{action}", task_confirm),
        PageRoute::post("/opgaver/{id}/aendr", task_change),
        PageRoute::get("/status", status_overview),
        PageRoute::get("/status/{file}", status_export),
        PageRoute::get("/status/fremdrift", progress),
        PageRoute::get("/status/fremdrift/{file}", progress_export),
    ]
}
