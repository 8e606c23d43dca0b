// Projects, tasks and statuses: SQL both backends accept, compiled into
// each backend beside `shared.rs` (see the note at the top of that
// file). Implements `TaskStore` (at the end); `MunicipalityTaskStore`,
// `ProgressStore` and `AnswerStore` are implemented in files of their own
// in the same module. The free functions before them are the helpers those
// and other features call too (`fetch_task`, `raise_event`, locks).

use samspil_coordination::task::{
    ProjectId, Schedule, StatusCounts, TaskState, TaskType, check_status_change, check_task_texts,
};
use samspil_coordination::task_audience::{AudienceCandidate, TaskAudience, check_task_audience};
use samspil_coordination::task_list::{SortDirection, TaskSort};
use time::Date;

/// The columns of a [`TaskRow`], for every query that reads tasks.
macro_rules! task_columns {
    () => {
        "t.id, t.project_id, p.name AS project_name, t.code, t.title, t.description, \
         t.task_type, t.start_date, t.end_date, t.period_text, t.executor_role, t.involved_roles, \
         t.state, t.completed_count, t.started_count, t.not_started_count, t.business_area, \
         t.owner_org_id, t.responsibility, t.competences, t.characteristics, \
         t.chosen_municipalities "
    };
}

macro_rules! task_select {
    () => {
        concat!(
            "SELECT ",
            task_columns!(),
            "FROM tasks t JOIN projects p ON p.id = t.project_id "
        )
    };
}

/// The filter part shared by the task lists: $1 project, $2 type, $3–$7
/// up to five search words, $8 from, $9 to, $10 whether drafts count.
macro_rules! task_filter {
    () => {
        "($1 IS NULL OR t.project_id = $1) \
         AND ($2 IS NULL OR t.task_type = $2) \
         AND ($3 IS NULL OR t.search_text LIKE $3 ESCAPE '\\') \
         AND ($4 IS NULL OR t.search_text LIKE $4 ESCAPE '\\') \
         AND ($5 IS NULL OR t.search_text LIKE $5 ESCAPE '\\') \
         AND ($6 IS NULL OR t.search_text LIKE $6 ESCAPE '\\') \
         AND ($7 IS NULL OR t.search_text LIKE $7 ESCAPE '\\') \
         AND ($8 IS NULL OR t.end_date IS NULL OR t.end_date >= $8) \
         AND ($9 IS NULL OR t.start_date IS NULL OR t.start_date <= $9) \
         AND (t.state <> 'draft' OR $10 = TRUE) "
    };
}

/// The order of a task list: one fixed `ORDER BY` per column and
/// direction, chosen by the filter's enums (never by text from an
/// address), each ending with the task's id so that paging is stable.
/// `status` is the column the Status sort reads: the community's list sorts
/// by the task's state, a municipality's by its own status.
pub(super) fn task_order(filter: &TaskFilter, status: StatusOrder) -> &'static str {
    use SortDirection::{Ascending as Asc, Descending as Desc};
    use TaskSort as S;
    match (filter.sort, filter.direction, status) {
        // Critical first, then by deadline (a period in words by the date
        // it names; undated last).
        (S::Priority, _, _) => {
            "ORDER BY CASE t.task_type WHEN 'critical' THEN 0 WHEN 'mandatory' THEN 1 ELSE 2 END, \
             t.deadline_sort IS NULL, t.deadline_sort, t.id"
        }
        // Tasks without a code, and undated ones, last whichever way.
        (S::Code, Asc, _) => "ORDER BY t.code IS NULL, LOWER(t.code) ASC, t.id",
        (S::Code, Desc, _) => "ORDER BY t.code IS NULL, LOWER(t.code) DESC, t.id",
        (S::Title, Asc, _) => "ORDER BY LOWER(t.title) ASC, t.id",
        (S::Title, Desc, _) => "ORDER BY LOWER(t.title) DESC, t.id",
        (S::Project, Asc, _) => "ORDER BY LOWER(p.name) ASC, t.id",
        (S::Project, Desc, _) => "ORDER BY LOWER(p.name) DESC, t.id",
        (S::Type, Asc, _) => {
            "ORDER BY CASE t.task_type WHEN 'critical' THEN 0 WHEN 'mandatory' THEN 1 ELSE 2 END ASC, t.id"
        }
        (S::Type, Desc, _) => {
            "ORDER BY CASE t.task_type WHEN 'critical' THEN 0 WHEN 'mandatory' THEN 1 ELSE 2 END DESC, t.id"
        }
        (S::Deadline, Asc, _) => "ORDER BY t.deadline_sort IS NULL, t.deadline_sort ASC, t.id",
        (S::Deadline, Desc, _) => "ORDER BY t.deadline_sort IS NULL, t.deadline_sort DESC, t.id",
        (S::Status, Asc, StatusOrder::State) => {
            "ORDER BY CASE t.state WHEN 'draft' THEN 0 WHEN 'published' THEN 1 ELSE 2 END ASC, t.id"
        }
        (S::Status, Desc, StatusOrder::State) => {
            "ORDER BY CASE t.state WHEN 'draft' THEN 0 WHEN 'published' THEN 1 ELSE 2 END DESC, t.id"
        }
        (S::Status, Asc, StatusOrder::Municipality) => {
            "ORDER BY CASE s.status WHEN 'not_started' THEN 0 WHEN 'started' THEN 1 ELSE 2 END ASC, t.id"
        }
        (S::Status, Desc, StatusOrder::Municipality) => {
            "ORDER BY CASE s.status WHEN 'not_started' THEN 0 WHEN 'started' THEN 1 ELSE 2 END DESC, t.id"
        }
    }
}

/// What a list's Status column is.
#[derive(Clone, Copy)]
pub(super) enum StatusOrder {
    /// The task's state (the community's list).
    State,
    /// The municipality's own status (`s`, its status row).
    Municipality,
}

const MAX_SEARCH_WORDS: usize = 5;

#[derive(sqlx::FromRow)]
struct TaskRow {
    id: i64,
    project_id: i64,
    project_name: String,
    code: Option<String>,
    title: String,
    description: String,
    task_type: String,
    start_date: Option<Date>,
    end_date: Option<Date>,
    period_text: Option<String>,
    executor_role: Option<String>,
    involved_roles: Option<String>,
    state: String,
    completed_count: i32,
    started_count: i32,
    not_started_count: i32,
    business_area: Option<String>,
    owner_org_id: Option<i64>,
    responsibility: Option<String>,
    competences: Option<String>,
    characteristics: Option<String>,
    chosen_municipalities: i32,
}

fn count(value: i32) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

impl TryFrom<TaskRow> for Task {
    type Error = StorageError;

    fn try_from(row: TaskRow) -> Result<Self> {
        Ok(Task {
            id: TaskId(row.id),
            project_id: ProjectId(row.project_id),
            project_name: row.project_name,
            code: row.code,
            title: row.title,
            description: row.description,
            task_type: TaskType::parse(&row.task_type)?,
            schedule: Schedule {
                start: row.start_date,
                end: row.end_date,
                period_text: row.period_text,
            },
            executor_role: row.executor_role,
            involved_roles: row.involved_roles,
            business_area: row.business_area,
            owner: row.owner_org_id.map(OrgId),
            guidance: samspil_coordination::task::Guidance {
                responsibility: row.responsibility,
                competences: row.competences,
                characteristics: row.characteristics,
            },
            state: TaskState::parse(&row.state)?,
            chosen_municipalities: count(row.chosen_municipalities),
            counts: StatusCounts {
                completed: count(row.completed_count),
                started: count(row.started_count),
                not_started: count(row.not_started_count),
            },
        })
    }
}

fn search_text(code: Option<&str>, title: &str, description: &str) -> String {
    format!("{} {} {}", code.unwrap_or_default(), title, description).to_lowercase()
}

/// Up to five lower-cased `%word%` patterns, padded with `None`. A `%`,
/// `_` or `\` typed is escaped for `LIKE … ESCAPE '\'`, so it matches
/// itself rather than anything. The words are a free text like any other:
/// no NUL (which PostgreSQL would refuse as a parameter) and bounded.
fn search_patterns(words: Option<&str>) -> Result<[Option<String>; MAX_SEARCH_WORDS]> {
    const MAX_SEARCH_TEXT: usize = 200;
    let words = samspil_domain::input::free_text("q", words.unwrap_or_default(), MAX_SEARCH_TEXT)?;
    let words: Vec<String> = words
        .unwrap_or_default()
        .split_whitespace()
        .map(|w| {
            let escaped = w
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("%{escaped}%")
        })
        .collect();
    if words.len() > MAX_SEARCH_WORDS {
        return Err(samspil_domain::ValidationError::named_with(
            "q",
            "search-too-many-words",
            vec![("max", MAX_SEARCH_WORDS.to_string())],
            format!("search with at most {MAX_SEARCH_WORDS} words"),
        )
        .into());
    }
    let mut patterns: [Option<String>; MAX_SEARCH_WORDS] = Default::default();
    for (slot, word) in patterns.iter_mut().zip(words) {
        *slot = Some(word);
    }
    Ok(patterns)
}

fn bind_filter<'q>(
    query: sqlx::query::QueryAs<'q, Db, TaskRow, <Db as sqlx::Database>::Arguments>,
    filter: &TaskFilter,
    patterns: [Option<String>; MAX_SEARCH_WORDS],
) -> sqlx::query::QueryAs<'q, Db, TaskRow, <Db as sqlx::Database>::Arguments> {
    let [w1, w2, w3, w4, w5] = patterns;
    query
        .bind(filter.project_id.map(|p| p.0))
        .bind(filter.task_type.map(|t| t.as_str()))
        .bind(w1)
        .bind(w2)
        .bind(w3)
        .bind(w4)
        .bind(w5)
        .bind(filter.from)
        .bind(filter.to)
        .bind(filter.include_drafts)
}

fn page_size(filter: &TaskFilter) -> i64 {
    i64::from(if filter.limit == 0 {
        500
    } else {
        filter.limit.min(5_000)
    })
}

// ---- Locks -----------------------------------------------------------------
//
// A transaction that decides on rows it read locks them first (`for_update!`,
// defined by each backend), always in one order so that two transactions
// never wait for each other: a role, a municipality's use of an IT solution
// (`roles::lock_solution_use`), tasks (a project's in id order), then their
// status rows. ARCHITECTURE.md (Storage) has the rule of thumb.

/// Locks a task's row. Everything that changes the task's state, its kept
/// counters or which status rows it has takes this lock first, so that
/// those changes queue on one row instead of each deciding on a read that
/// another one is changing (on PostgreSQL, 98 municipalities at once).
pub(super) async fn lock_task(conn: &mut Connection, id: TaskId) -> Result<()> {
    sqlx::query(concat!("SELECT id FROM tasks WHERE id = $1", for_update!()))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(())
}

/// Locks every task of a project, in id order, before a municipality joins
/// or leaves it: its status rows appear or go and the counters are
/// recounted, so no status change or publishing may run beside it.
pub(super) async fn lock_project_tasks(conn: &mut Connection, project: ProjectId) -> Result<()> {
    sqlx::query(concat!(
        "SELECT id FROM tasks WHERE project_id = $1 ORDER BY id",
        for_update!()
    ))
    .bind(project.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(())
}

/// Locks one municipality's status row of a task, which stands for its whole
/// part of the task (status, answers, comments, assignment): ending its use
/// of the IT solution deletes the row only if none of them exists.
pub(super) async fn lock_task_status(
    conn: &mut Connection,
    org: OrgId,
    task: TaskId,
) -> Result<()> {
    sqlx::query(concat!(
        "SELECT task_id FROM task_statuses WHERE task_id = $1 AND org_id = $2",
        for_update!()
    ))
    .bind(task.0)
    .bind(org.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(())
}

pub(super) async fn fetch_task(conn: &mut Connection, id: TaskId) -> Result<Option<Task>> {
    // The community's view: a municipality's local tasks are its own.
    sqlx::query_as::<_, TaskRow>(concat!(
        task_select!(),
        "WHERE t.id = $1 AND t.owner_org_id IS NULL"
    ))
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?
    .map(Task::try_from)
    .transpose()
}

/// Refuses `action` unless the task is in the `expected` state.
pub(super) fn check_state(task: &Task, expected: TaskState, action: &str) -> Result<()> {
    if task.state == expected {
        return Ok(());
    }
    Err(samspil_domain::ValidationError::named_with(
        "state",
        "task-wrong-state",
        vec![
            ("expected", expected.as_str().to_owned()),
            ("state", task.state.as_str().to_owned()),
        ],
        format!(
            "{action} needs a {} task; this one is {}",
            expected.as_str(),
            task.state.as_str()
        ),
    )
    .into())
}

/// The task, locked, which must exist and be in `expected` state for
/// `action` (every caller goes on to change it).
async fn task_in_state(
    conn: &mut Connection,
    id: TaskId,
    expected: TaskState,
    action: &str,
) -> Result<Task> {
    lock_task(conn, id).await?;
    let task = fetch_task(conn, id)
        .await?
        .ok_or(StorageError::NotFound("task"))?;
    check_state(&task, expected, action)?;
    Ok(task)
}

/// A text as the history keeps it: the first 500 characters of a long
/// one (the task itself has the whole text; the audit log both versions).
pub(super) fn history_excerpt(text: &str) -> String {
    const KEPT: usize = 500;
    match text.char_indices().nth(KEPT) {
        Some((cut, _)) => format!("{} […]", &text[..cut]),
        None => text.to_owned(),
    }
}

pub(super) async fn record_change(
    conn: &mut Connection,
    task: TaskId,
    actor: &Actor,
    field: &str,
    before: Option<String>,
    after: Option<String>,
    reason: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO task_changes (task_id, at, actor_label, field, before_value, after_value, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(task.0)
    .bind(now())
    .bind(&actor.label)
    .bind(field)
    .bind(before)
    .bind(after)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes an event to the outbox in the caller's transaction; the
/// notification worker delivers it.
pub(super) async fn raise_event(
    conn: &mut Connection,
    kind: &str,
    task: TaskId,
    payload: serde_json::Value,
) -> Result<()> {
    sqlx::query("INSERT INTO events (kind, task_id, payload, created_at) VALUES ($1, $2, $3, $4)")
        .bind(kind)
        .bind(task.0)
        .bind(payload.to_string())
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The task as it is now, with an audit entry for what `action` did to it.
async fn audited_task(
    conn: &mut Connection,
    access: &CommunityAccess,
    action: &'static str,
    id: TaskId,
    before: Option<&Task>,
) -> Result<Task> {
    let after = fetch_task(conn, id)
        .await?
        .ok_or(StorageError::NotFound("task"))?;
    append_audit(conn, &task_audit(access, action, &after, before)).await?;
    Ok(after)
}

fn task_audit(
    access: &CommunityAccess,
    action: &'static str,
    task: &Task,
    before: Option<&Task>,
) -> AuditEntry {
    AuditEntry {
        actor: access.actor().clone(),
        org_id: None,
        action,
        entity_type: "task",
        entity_id: task.id.0.to_string(),
        before: before.and_then(|t| serde_json::to_value(t).ok()),
        after: serde_json::to_value(task).ok(),
    }
}

/// The roles a task names must be in the role catalogue, once the
/// community keeps one (a new installation may write tasks before it has
/// a catalogue).
async fn check_task_roles(tx: &mut Connection, task: &NewTask) -> Result<()> {
    check_role_names(
        tx,
        task.executor_role.as_deref(),
        task.involved_roles.as_deref(),
    )
    .await
}

/// The named roles must be in the catalogue, once there is one; the first
/// unknown one is named in the refusal.
async fn check_role_names(
    tx: &mut Connection,
    executor: Option<&str>,
    involved: Option<&str>,
) -> Result<()> {
    let catalogue: Vec<String> = sqlx::query_scalar("SELECT name FROM roles")
        .fetch_all(&mut *tx)
        .await?;
    if catalogue.is_empty() {
        return Ok(());
    }
    let unknown = samspil_coordination::task::unknown_roles(executor, involved, &catalogue);
    match unknown.first() {
        None => Ok(()),
        Some((field, name)) => Err(samspil_domain::ValidationError::named_with(
            field,
            "role-not-in-catalogue",
            vec![("name", name.to_string())],
            format!("'{name}' is not a role of the role catalogue"),
        )
        .into()),
    }
}

async fn insert_draft(
    tx: &mut Connection,
    access: &CommunityAccess,
    task: &NewTask,
) -> Result<Task> {
    let id = insert_task_row(tx, task, None).await?;
    audited_task(tx, access, "task.create", id, None).await
}

/// The task's row, after the checks every new task passes: a community
/// draft, or (with `owner`) a municipality's local task, published to it
/// at once with its one status row still to be written by the caller.
async fn insert_task_row(
    tx: &mut Connection,
    task: &NewTask,
    owner: Option<OrgId>,
) -> Result<TaskId> {
    check_task_texts(&samspil_coordination::task::TaskTexts {
        code: task.code.as_deref(),
        title: &task.title,
        description: &task.description,
        business_area: task.business_area.as_deref(),
        executor_role: task.executor_role.as_deref(),
        involved_roles: task.involved_roles.as_deref(),
    })?;
    let guidance = task.guidance.clone().checked()?;
    let project_exists: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE id = $1")
        .bind(task.project_id.0)
        .fetch_optional(&mut *tx)
        .await?;
    if project_exists.is_none() {
        return Err(samspil_domain::ValidationError::named(
            "project",
            "project-unknown",
            format!("there is no project {}", task.project_id.0),
        )
        .into());
    }
    let code = task
        .code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let at = now();
    let (state, published_at, not_started) = match owner {
        None => ("draft", None, 0_i32),
        Some(_) => ("published", Some(at), 1_i32),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tasks (project_id, code, title, description, task_type, start_date, end_date, \
         period_text, executor_role, involved_roles, state, search_text, created_at, \
         business_area, responsibility, competences, characteristics, owner_org_id, \
         published_at, not_started_count, deadline_sort) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19, $20, $21) \
         RETURNING id",
    )
    .bind(task.project_id.0)
    .bind(code)
    .bind(task.title.trim())
    .bind(&task.description)
    .bind(task.task_type.as_str())
    .bind(task.schedule.start)
    .bind(task.schedule.end)
    .bind(&task.schedule.period_text)
    .bind(&task.executor_role)
    .bind(&task.involved_roles)
    .bind(state)
    .bind(search_text(code, task.title.trim(), &task.description))
    .bind(at)
    .bind(
        task.business_area
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty()),
    )
    .bind(&guidance.responsibility)
    .bind(&guidance.competences)
    .bind(&guidance.characteristics)
    .bind(owner.map(|org| org.0))
    .bind(published_at)
    .bind(not_started)
    .bind(task.schedule.sort_date(at.year()))
    .fetch_one(&mut *tx)
    .await?;
    Ok(TaskId(id))
}

/// Publishes a draft to the municipalities that use `audience` (a
/// project), or to all of them: each gets a status row (not started), and
/// an event tells the notifications.
async fn publish_to(
    conn: &mut Connection,
    access: &CommunityAccess,
    before: &Task,
    audience: Option<ProjectId>,
) -> Result<Task> {
    let id = before.id;
    // A task for chosen municipalities goes to those of them still in the
    // project: one that left it since the draft was saved is not given it
    // (leaving the project waits for the task's lock, which is held here).
    let sql = match before.chosen_municipalities {
        0 => {
            "INSERT INTO task_statuses (task_id, org_id, status) \
             SELECT $1, o.id, 'not_started' FROM organisations o WHERE o.kind = 'municipality' \
             AND ($2 IS NULL OR o.id IN (SELECT org_id FROM project_participants WHERE project_id = $2))"
        }
        _ => {
            "INSERT INTO task_statuses (task_id, org_id, status) \
             SELECT $1, o.id, 'not_started' FROM organisations o WHERE o.kind = 'municipality' \
             AND ($2 IS NULL OR o.id IN (SELECT org_id FROM project_participants WHERE project_id = $2)) \
             AND o.id IN (SELECT org_id FROM task_municipalities WHERE task_id = $1)"
        }
    };
    let inserted = sqlx::query(sql)
        .bind(id.0)
        .bind(audience.map(|p| p.0))
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if inserted == 0 && before.chosen_municipalities > 0 {
        return Err(samspil_domain::ValidationError::named(
            "municipalities",
            "task-municipalities-none",
            "none of the chosen municipalities takes part in the project any longer",
        )
        .into());
    }
    sqlx::query(
        "UPDATE tasks SET state = 'published', published_at = $2, not_started_count = $3 WHERE id = $1",
    )
    .bind(id.0)
    .bind(now())
    .bind(i32::try_from(inserted).unwrap_or(i32::MAX))
    .execute(&mut *conn)
    .await?;
    let published = audited_task(conn, access, "task.publish", id, Some(before)).await?;
    raise_event(
        conn,
        "task.published",
        id,
        serde_json::json!({ "task_id": id.0, "title": published.title, "participants": inserted }),
    )
    .await?;
    Ok(published)
}

/// The municipalities there are, each with whether it takes part in
/// `project`: what a draft's chosen municipalities are checked against.
async fn audience_candidates(
    conn: &mut Connection,
    project: ProjectId,
) -> Result<Vec<AudienceCandidate>> {
    let rows: Vec<(i64, String, bool)> = sqlx::query_as(
        "SELECT o.id, o.name, EXISTS (SELECT 1 FROM project_participants pp \
         WHERE pp.project_id = $1 AND pp.org_id = o.id) AS takes_part \
         FROM organisations o WHERE o.kind = 'municipality'",
    )
    .bind(project.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, takes_part)| AudienceCandidate {
            id: OrgId(id),
            name,
            takes_part,
        })
        .collect())
}

/// The municipalities a task keeps as chosen (none: all participants).
async fn kept_audience(conn: &mut Connection, task: TaskId) -> Result<TaskAudience> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT org_id FROM task_municipalities WHERE task_id = $1 ORDER BY org_id",
    )
    .bind(task.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(TaskAudience::from_kept(
        ids.into_iter().map(OrgId).collect(),
    ))
}

/// Checks a draft's municipalities by the rule and keeps them in place of
/// those kept before, with their number on the task. The caller holds the
/// task's lock (or has just made the task).
async fn keep_audience(
    conn: &mut Connection,
    task: TaskId,
    project: ProjectId,
    audience: &TaskAudience,
) -> Result<TaskAudience> {
    let checked = match audience {
        TaskAudience::AllParticipants => TaskAudience::AllParticipants,
        chosen => check_task_audience(chosen, &audience_candidates(conn, project).await?)?,
    };
    sqlx::query("DELETE FROM task_municipalities WHERE task_id = $1")
        .bind(task.0)
        .execute(&mut *conn)
        .await?;
    for org in checked.chosen() {
        sqlx::query("INSERT INTO task_municipalities (task_id, org_id) VALUES ($1, $2)")
            .bind(task.0)
            .bind(org.0)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("UPDATE tasks SET chosen_municipalities = $2 WHERE id = $1")
        .bind(task.0)
        .bind(i32::try_from(checked.chosen().len()).unwrap_or(i32::MAX))
        .execute(&mut *conn)
        .await?;
    Ok(checked)
}

/// Creates and publishes the task in "KLIK" that asks the municipalities a
/// new role applies to to fill it.
pub(super) async fn publish_role_task(
    conn: &mut Connection,
    access: &CommunityAccess,
    role: &samspil_coordination_storage::Role,
) -> Result<TaskId> {
    let project = super::roles::klik_project(conn).await?;
    let task = super::roles::role_task(role, project);
    let draft = insert_draft(conn, access, &task).await?;
    publish_to(conn, access, &draft, role.solution_id).await?;
    Ok(draft.id)
}

/// Sets the counters of a project's published tasks from their status rows,
/// after municipalities joined or left the project. The caller holds
/// `lock_project_tasks`, so the counts read here stay true until it commits.
pub(super) async fn recount_project(conn: &mut Connection, project: ProjectId) -> Result<()> {
    sqlx::query(
        "UPDATE tasks SET \
         completed_count = (SELECT COUNT(*) FROM task_statuses s WHERE s.task_id = tasks.id AND s.status = 'completed'), \
         started_count = (SELECT COUNT(*) FROM task_statuses s WHERE s.task_id = tasks.id AND s.status = 'started'), \
         not_started_count = (SELECT COUNT(*) FROM task_statuses s WHERE s.task_id = tasks.id AND s.status = 'not_started') \
         WHERE project_id = $1 AND state = 'published' AND owner_org_id IS NULL",
    )
    .bind(project.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    at: OffsetDateTime,
    actor_label: String,
    actor_name: String,
    field: String,
    before_value: Option<String>,
    after_value: Option<String>,
    reason: String,
}

#[derive(sqlx::FromRow)]
struct MunicipalityTaskRow {
    #[sqlx(flatten)]
    task: TaskRow,
    status: String,
    reason: Option<String>,
    changed_at: Option<OffsetDateTime>,
    assigned_role_id: Option<i64>,
    assigned_user_id: Option<i64>,
    assignee_name: Option<String>,
}

impl TryFrom<MunicipalityTaskRow> for MunicipalityTask {
    type Error = StorageError;

    fn try_from(row: MunicipalityTaskRow) -> Result<Self> {
        Ok(MunicipalityTask {
            task: Task::try_from(row.task)?,
            status: TaskStatus::parse(&row.status)?,
            status_reason: row.reason,
            status_changed_at: row.changed_at,
            assignee: match (row.assigned_role_id, row.assigned_user_id) {
                (Some(role), _) => Some(samspil_coordination_storage::TaskAssignee::Role(
                    samspil_coordination::role::RoleId(role),
                )),
                (None, Some(user)) => Some(samspil_coordination_storage::TaskAssignee::User(
                    UserId(user),
                )),
                (None, None) => None,
            },
            assignee_name: row.assignee_name,
        })
    }
}

macro_rules! municipality_task_select {
    () => {
concat!(
            "SELECT ",
            task_columns!(),
            ", s.status, s.reason, s.changed_at, \
         ta.role_id AS assigned_role_id, ta.user_id AS assigned_user_id, \
         COALESCE(ar.name, au.display_name) AS assignee_name \
         FROM task_statuses s JOIN tasks t ON t.id = s.task_id JOIN projects p ON p.id = t.project_id \
         LEFT JOIN task_assignments ta ON ta.task_id = s.task_id AND ta.org_id = s.org_id \
         LEFT JOIN roles ar ON ar.id = ta.role_id LEFT JOIN users au ON au.id = ta.user_id "
        )
    };
}

pub(super) async fn fetch_municipality_task(
    conn: &mut Connection,
    access: &OrgAccess,
    id: TaskId,
) -> Result<Option<MunicipalityTask>> {
    sqlx::query_as::<_, MunicipalityTaskRow>(concat!(
        municipality_task_select!(),
        "WHERE s.org_id = $1 AND s.task_id = $2"
    ))
    .bind(access.org_id().0)
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?
    .map(MunicipalityTask::try_from)
    .transpose()
}

pub(super) fn counter_column(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::NotStarted => "not_started_count",
        TaskStatus::Started => "started_count",
        TaskStatus::Completed => "completed_count",
    }
}

#[derive(sqlx::FromRow)]
struct StatusRow {
    id: i64,
    name: String,
    code: Option<i32>,
    region: Option<String>,
    status: String,
}

#[derive(sqlx::FromRow)]
struct ProjectProgressRow {
    id: i64,
    name: String,
    participants: i64,
    published_tasks: i64,
    municipalities_not_done: i64,
}

#[derive(sqlx::FromRow)]
struct AreaProgressRow {
    project_id: i64,
    project_name: String,
    area: String,
    published_tasks: i64,
    municipalities_not_done: i64,
}

#[derive(sqlx::FromRow)]
struct RegionCountRow {
    task_id: i64,
    status: String,
    municipalities: i64,
}

#[derive(sqlx::FromRow)]
struct MunicipalityProgressRow {
    id: i64,
    name: String,
    code: Option<i32>,
    region: Option<String>,
    open: i64,
    overdue: i64,
    critical_open: i64,
}

/// Open, overdue and critical tasks per municipality (or for one).
pub(super) async fn municipality_progress(
    pool: &sqlx::Pool<Db>,
    only: Option<OrgId>,
    today: Date,
) -> Result<Vec<MunicipalityProgress>> {
    let rows: Vec<MunicipalityProgressRow> = sqlx::query_as(
        "SELECT o.id, o.name, o.code, o.region, \
         COALESCE(SUM(CASE WHEN t.state = 'published' AND s.status <> 'completed' THEN 1 ELSE 0 END), 0) AS open, \
         COALESCE(SUM(CASE WHEN t.state = 'published' AND s.status <> 'completed' AND t.end_date < $1 \
                      THEN 1 ELSE 0 END), 0) AS overdue, \
         COALESCE(SUM(CASE WHEN t.state = 'published' AND s.status <> 'completed' AND t.task_type = 'critical' \
                      THEN 1 ELSE 0 END), 0) AS critical_open \
         FROM organisations o \
         LEFT JOIN task_statuses s ON s.org_id = o.id \
         LEFT JOIN tasks t ON t.id = s.task_id \
         WHERE o.kind = 'municipality' AND ($2 IS NULL OR o.id = $2) \
         GROUP BY o.id, o.name, o.code, o.region ORDER BY o.code",
    )
    .bind(today)
    .bind(only.map(|o| o.0))
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(MunicipalityProgress {
                org_id: OrgId(row.id),
                name: row.name,
                code: municipality_code(row.code)?,
                region: row.region,
                open: row.open,
                overdue: row.overdue,
                critical_open: row.critical_open,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct QuestionRow {
    id: i64,
    task_id: i64,
    kind: String,
    prompt: String,
    options: String,
    required: bool,
}

impl TryFrom<QuestionRow> for Question {
    type Error = StorageError;

    fn try_from(row: QuestionRow) -> Result<Self> {
        Ok(Question {
            id: QuestionId(row.id),
            task_id: TaskId(row.task_id),
            spec: QuestionSpec {
                prompt: row.prompt,
                kind: samspil_coordination::question::QuestionKind::parse(&row.kind)?,
                options: serde_json::from_str(&row.options).map_err(|e| {
                    StorageError::Corrupt(format!("question {} options: {e}", row.id))
                })?,
                required: row.required,
            },
        })
    }
}

pub(super) async fn questions(conn: &mut Connection, task: TaskId) -> Result<Vec<Question>> {
    sqlx::query_as::<_, QuestionRow>(
        "SELECT id, task_id, kind, prompt, options, required FROM task_questions \
         WHERE task_id = $1 ORDER BY position, id",
    )
    .bind(task.0)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(Question::try_from)
    .collect()
}

pub(super) async fn answers(
    pool: &sqlx::Pool<Db>,
    task: TaskId,
    only: Option<OrgId>,
) -> Result<Vec<AnswerRecord>> {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT question_id, org_id, answer FROM task_answers \
         WHERE task_id = $1 AND ($2 IS NULL OR org_id = $2) ORDER BY org_id, question_id",
    )
    .bind(task.0)
    .bind(only.map(|o| o.0))
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(question_id, org_id, answer)| {
            Ok(AnswerRecord {
                question_id: QuestionId(question_id),
                org_id: OrgId(org_id),
                values: serde_json::from_str(&answer).map_err(|e| {
                    StorageError::Corrupt(format!("answer to question {question_id}: {e}"))
                })?,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct CommentRow {
    id: i64,
    task_id: i64,
    org_id: i64,
    org_name: String,
    author_label: String,
    author_org: Option<String>,
    from_community: bool,
    body: String,
    created_at: OffsetDateTime,
}

pub(super) async fn comments(
    pool: &sqlx::Pool<Db>,
    task: TaskId,
    only: Option<OrgId>,
) -> Result<Vec<Comment>> {
    let rows: Vec<CommentRow> = sqlx::query_as(
        "SELECT c.id, c.task_id, c.org_id, o.name AS org_name, \
         COALESCE(u.display_name, c.author_label) AS author_label, ao.name AS author_org, \
         (u.role = 'staff') IS TRUE AS from_community, c.body, c.created_at \
         FROM task_comments c JOIN organisations o ON o.id = c.org_id \
         LEFT JOIN users u ON u.id = c.author_user_id \
         LEFT JOIN organisations ao ON ao.id = u.org_id \
         WHERE c.task_id = $1 AND ($2 IS NULL OR c.org_id = $2) ORDER BY c.id",
    )
    .bind(task.0)
    .bind(only.map(|o| o.0))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Comment {
            id: row.id,
            task_id: TaskId(row.task_id),
            org_id: OrgId(row.org_id),
            org_name: row.org_name,
            author: row.author_label,
            author_org: row.author_org,
            from_community: row.from_community,
            body: row.body,
            created_at: row.created_at,
        })
        .collect())
}

#[async_trait]
impl TaskStore for Store {
    async fn projects(&self) -> Result<Vec<Project>> {
        let pool = &self.pool;
        let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT p.id, p.name, p.description, \
             (SELECT COUNT(*) FROM project_participants pp WHERE pp.project_id = p.id) \
             FROM projects p ORDER BY p.name",
        )
        .fetch_all(pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, description, participant_count)| Project {
                id: ProjectId(id),
                name,
                description,
                participant_count,
            })
            .collect())
    }

    async fn create_project(
        &self,
        access: &CommunityAccess,
        project: &NewProject,
    ) -> Result<Project> {
        let pool = &self.pool;
        let (name, description) =
            samspil_coordination::task::check_project_texts(&project.name, &project.description)?;
        let mut tx = begin_write(pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO projects (name, description, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(name)
        .bind(description)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match StorageError::from(e) {
            StorageError::Conflict(_) => {
                StorageError::Invalid(samspil_domain::ValidationError::named_with(
                    "name",
                    "project-name-taken",
                    vec![("name", name.to_owned())],
                    format!("a project named '{name}' exists already"),
                ))
            }
            other => other,
        })?;
        let participants: Vec<i64> = match &project.participants {
            Some(chosen) => chosen.iter().map(|o| o.0).collect(),
            None => {
                sqlx::query_scalar(
                    "SELECT id FROM organisations WHERE kind = 'municipality' ORDER BY id",
                )
                .fetch_all(&mut *tx)
                .await?
            }
        };
        for org in &participants {
            let kind: Option<String> =
                sqlx::query_scalar("SELECT kind FROM organisations WHERE id = $1")
                    .bind(org)
                    .fetch_optional(&mut *tx)
                    .await?;
            if kind.as_deref() != Some("municipality") {
                return Err(samspil_domain::ValidationError::named(
                    "participants",
                    "org-not-municipality",
                    format!("organisation {org} is not a municipality"),
                )
                .into());
            }
            sqlx::query("INSERT INTO project_participants (project_id, org_id) VALUES ($1, $2)")
                .bind(id)
                .bind(org)
                .execute(&mut *tx)
                .await?;
        }
        let created = Project {
            id: ProjectId(id),
            name: name.to_owned(),
            description: description.to_owned(),
            participant_count: i64::try_from(participants.len()).unwrap_or(i64::MAX),
        };
        append_audit(
            &mut tx,
            &AuditEntry {
                actor: access.actor().clone(),
                org_id: None,
                action: "project.create",
                entity_type: "project",
                entity_id: id.to_string(),
                before: None,
                after: serde_json::to_value(&created).ok(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn create_task_for(
        &self,
        access: &CommunityAccess,
        task: &NewTask,
        audience: &TaskAudience,
    ) -> Result<Task> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        check_task_roles(&mut tx, task).await?;
        let id = insert_task_row(&mut tx, task, None).await?;
        // A new task goes to all the project's municipalities unless some
        // are chosen: nothing to keep then.
        if *audience != TaskAudience::AllParticipants {
            keep_audience(&mut tx, id, task.project_id, audience).await?;
        }
        let created = audited_task(&mut tx, access, "task.create", id, None).await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn task_municipalities(&self, id: TaskId) -> Result<TaskAudience> {
        let pool = &self.pool;
        let mut conn = pool.acquire().await?;
        kept_audience(&mut conn, id).await
    }

    /// Publishes a draft to the project's municipalities: each gets a status
    /// row (not started), and an event tells the notifications.
    async fn publish_task(&self, access: &CommunityAccess, id: TaskId) -> Result<Task> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        let before = task_in_state(&mut tx, id, TaskState::Draft, "publishing").await?;
        let published = publish_to(&mut tx, access, &before, Some(before.project_id)).await?;
        tx.commit().await?;
        Ok(published)
    }

    /// Changes a task's type or schedule. Once published, every change is kept
    /// with who, when and why, and raised as an event.
    async fn change_task(
        &self,
        access: &CommunityAccess,
        id: TaskId,
        change: &TaskChange,
    ) -> Result<Task> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        // Locked: the history keeps `before`, which must be what this change
        // replaces, not what a concurrent change replaced.
        lock_task(&mut tx, id).await?;
        let before = fetch_task(&mut tx, id)
            .await?
            .ok_or(StorageError::NotFound("task"))?;
        let published = before.state != TaskState::Draft;
        if published {
            samspil_coordination::task::check_change_reason(&change.reason)?;
        }
        // What the change leaves out stays as it is.
        let task_type = change.task_type.unwrap_or(before.task_type);
        let schedule = before.schedule.patched(&change.schedule)?;
        let date_text = |d: Option<Date>| d.map(|d| d.to_string());
        let changes = [
            (
                "type",
                Some(before.task_type.as_str().to_owned()),
                Some(task_type.as_str().to_owned()),
            ),
            (
                "start",
                date_text(before.schedule.start),
                date_text(schedule.start),
            ),
            (
                "end",
                date_text(before.schedule.end),
                date_text(schedule.end),
            ),
            (
                "period_text",
                before.schedule.period_text.clone(),
                schedule.period_text.clone(),
            ),
        ];
        let changed: Vec<_> = changes.into_iter().filter(|(_, b, a)| b != a).collect();
        if changed.is_empty() {
            return Ok(before);
        }
        sqlx::query(
            "UPDATE tasks SET task_type = $2, start_date = $3, end_date = $4, period_text = $5, \
             deadline_sort = $6 WHERE id = $1",
        )
        .bind(id.0)
        .bind(task_type.as_str())
        .bind(schedule.start)
        .bind(schedule.end)
        .bind(&schedule.period_text)
        .bind(schedule.sort_date(now().year()))
        .execute(&mut *tx)
        .await?;
        if published {
            for (field, before_value, after_value) in &changed {
                record_change(
                    &mut tx,
                    id,
                    access.actor(),
                    field,
                    before_value.clone(),
                    after_value.clone(),
                    change.reason.trim(),
                )
                .await?;
            }
        }
        let after = audited_task(&mut tx, access, "task.change", id, Some(&before)).await?;
        if published {
            let fields: Vec<&str> = changed.iter().map(|(f, _, _)| *f).collect();
            raise_event(
                &mut tx,
                "task.changed",
                id,
                serde_json::json!({ "task_id": id.0, "fields": fields, "reason": change.reason.trim() }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    /// Edits a task's texts and roles. Locked like a change: the state the
    /// rule reads (a draft being published beside it) and the history's
    /// `before` stay true until the commit.
    async fn edit_task(
        &self,
        access: &CommunityAccess,
        id: TaskId,
        edit: &TaskEdit,
    ) -> Result<Task> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        lock_task(&mut tx, id).await?;
        let before = fetch_task(&mut tx, id)
            .await?
            .ok_or(StorageError::NotFound("task"))?;
        let clean = |text: Option<&str>| {
            text.map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
        };
        let code = clean(edit.code.as_deref());
        let business_area = clean(edit.business_area.as_deref());
        let executor_role = clean(edit.executor_role.as_deref());
        let involved_roles = samspil_coordination::task::involved_roles_text(&edit.involved_roles);
        // The municipalities asked for, against those kept (`None`: as they are).
        let kept = kept_audience(&mut tx, id).await?;
        let audience = edit
            .municipalities
            .as_ref()
            .map(|wanted| match wanted {
                TaskAudience::AllParticipants => TaskAudience::AllParticipants,
                TaskAudience::Chosen(ids) => {
                    let mut ids = ids.clone();
                    ids.sort();
                    ids.dedup();
                    TaskAudience::Chosen(ids)
                }
            })
            .filter(|wanted| *wanted != kept);
        let mut draft_only: Vec<&'static str> = Vec::new();
        if code != before.code {
            draft_only.push("code");
        }
        if audience.is_some() {
            draft_only.push("municipalities");
        }
        let reason =
            samspil_coordination::task::check_task_edit(before.state, &draft_only, &edit.reason)?;
        check_task_texts(&samspil_coordination::task::TaskTexts {
            code: code.as_deref(),
            title: &edit.title,
            description: &edit.description,
            business_area: business_area.as_deref(),
            executor_role: executor_role.as_deref(),
            involved_roles: involved_roles.as_deref(),
        })?;
        let guidance = edit.guidance.clone().checked()?;
        check_role_names(&mut tx, executor_role.as_deref(), involved_roles.as_deref()).await?;
        let title = edit.title.trim().to_owned();
        let description = edit.description.clone();
        let changes = [
            ("code", before.code.clone(), code.clone()),
            ("title", Some(before.title.clone()), Some(title.clone())),
            (
                "description",
                Some(before.description.clone()),
                Some(description.clone()),
            ),
            (
                "business_area",
                before.business_area.clone(),
                business_area.clone(),
            ),
            (
                "executor_role",
                before.executor_role.clone(),
                executor_role.clone(),
            ),
            (
                "involved_roles",
                before.involved_roles.clone(),
                involved_roles.clone(),
            ),
            (
                "responsibility",
                before.guidance.responsibility.clone(),
                guidance.responsibility.clone(),
            ),
            (
                "competences",
                before.guidance.competences.clone(),
                guidance.competences.clone(),
            ),
            (
                "characteristics",
                before.guidance.characteristics.clone(),
                guidance.characteristics.clone(),
            ),
        ];
        let changed: Vec<_> = changes.into_iter().filter(|(_, b, a)| b != a).collect();
        if changed.is_empty() && audience.is_none() {
            return Ok(before);
        }
        // Only a draft's municipalities change (`check_task_edit` above).
        if let Some(audience) = &audience {
            let chosen = keep_audience(&mut tx, id, before.project_id, audience).await?;
            append_audit(
                &mut tx,
                &AuditEntry::new(access.actor(), None, "task.municipalities", "task", id.0)
                    .before(serde_json::to_value(&kept).unwrap_or_default())
                    .after(serde_json::to_value(&chosen).unwrap_or_default()),
            )
            .await?;
        }
        sqlx::query(
            "UPDATE tasks SET code = $2, title = $3, description = $4, business_area = $5, \
             executor_role = $6, involved_roles = $7, responsibility = $8, competences = $9, \
             characteristics = $10, search_text = $11 WHERE id = $1",
        )
        .bind(id.0)
        .bind(&code)
        .bind(&title)
        .bind(&description)
        .bind(&business_area)
        .bind(&executor_role)
        .bind(&involved_roles)
        .bind(&guidance.responsibility)
        .bind(&guidance.competences)
        .bind(&guidance.characteristics)
        .bind(search_text(code.as_deref(), &title, &description))
        .execute(&mut *tx)
        .await?;
        if let Some(reason) = reason {
            for (field, before_value, after_value) in &changed {
                record_change(
                    &mut tx,
                    id,
                    access.actor(),
                    field,
                    before_value.as_deref().map(history_excerpt),
                    after_value.as_deref().map(history_excerpt),
                    reason,
                )
                .await?;
            }
        }
        let after = audited_task(&mut tx, access, "task.edit", id, Some(&before)).await?;
        if let Some(reason) = reason {
            let fields: Vec<&str> = changed.iter().map(|(f, _, _)| *f).collect();
            raise_event(
                &mut tx,
                "task.changed",
                id,
                serde_json::json!({ "task_id": id.0, "fields": fields, "reason": reason }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    async fn task(&self, id: TaskId) -> Result<Option<Task>> {
        let pool = &self.pool;
        let mut conn = pool.acquire().await?;
        fetch_task(&mut conn, id).await
    }

    async fn tasks(&self, filter: &TaskFilter) -> Result<Vec<Task>> {
        let pool = &self.pool;
        let patterns = search_patterns(filter.words.as_deref())?;
        let sql = sqlx::AssertSqlSafe(format!(
            "{}WHERE t.owner_org_id IS NULL AND {}AND ($13 IS NULL OR t.state = $13) {} \
             LIMIT $11 OFFSET $12",
            task_select!(),
            task_filter!(),
            task_order(filter, StatusOrder::State)
        ));
        bind_filter(sqlx::query_as::<_, TaskRow>(sql), filter, patterns)
            .bind(page_size(filter))
            .bind(i64::from(filter.offset))
            .bind(filter.state.map(TaskState::as_str))
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(Task::try_from)
            .collect()
    }

    async fn task_history(&self, id: TaskId) -> Result<Vec<TaskChangeRecord>> {
        let pool = &self.pool;
        let rows: Vec<ChangeRow> = sqlx::query_as(
            // The person by name and organisation (the label is their login,
            // or `operator` for the command line).
            "SELECT c.at, c.actor_label, \
             COALESCE(u.display_name || ' (' || o.name || ')', c.actor_label) AS actor_name, \
             c.field, c.before_value, c.after_value, c.reason FROM task_changes c \
             LEFT JOIN users u ON u.login = c.actor_label \
             LEFT JOIN organisations o ON o.id = u.org_id \
             WHERE c.task_id = $1 ORDER BY c.id DESC",
        )
        .bind(id.0)
        .fetch_all(pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| TaskChangeRecord {
                at: row.at,
                actor_label: row.actor_label,
                actor_name: row.actor_name,
                field: row.field,
                before: row.before_value,
                after: row.after_value,
                reason: row.reason,
            })
            .collect())
    }

    /// Every municipality's status on a task: the lists behind the numbers.
    async fn task_statuses(
        &self,
        _access: &CommunityAccess,
        id: TaskId,
    ) -> Result<Vec<MunicipalityStatus>> {
        let pool = &self.pool;
        let rows: Vec<StatusRow> = sqlx::query_as(
            "SELECT o.id, o.name, o.code, o.region, s.status FROM task_statuses s \
             JOIN organisations o ON o.id = s.org_id WHERE s.task_id = $1 ORDER BY o.code, o.name",
        )
        .bind(id.0)
        .fetch_all(pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(MunicipalityStatus {
                    org_id: OrgId(row.id),
                    name: row.name,
                    code: municipality_code(row.code)?,
                    region: row.region,
                    status: TaskStatus::parse(&row.status)?,
                })
            })
            .collect()
    }

    async fn import_task_statuses(
        &self,
        access: &CommunityAccess,
        id: TaskId,
        statuses: &[(OrgId, TaskStatus)],
    ) -> Result<Task> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        let before = task_in_state(&mut tx, id, TaskState::Published, "importing statuses").await?;
        let changed_at = now();
        for (org, status) in statuses {
            let updated = sqlx::query(
                "UPDATE task_statuses SET status = $3, changed_at = $4, changed_by = $5 \
                 WHERE task_id = $1 AND org_id = $2",
            )
            .bind(id.0)
            .bind(org.0)
            .bind(status.as_str())
            .bind(changed_at)
            .bind(&access.actor().label)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(samspil_domain::ValidationError::named(
                    "statuses",
                    "org-not-participant",
                    format!("organisation {} does not take part in this task", org.0),
                )
                .into());
            }
        }
        sqlx::query(
            "UPDATE tasks SET \
             completed_count = (SELECT COUNT(*) FROM task_statuses WHERE task_id = $1 AND status = 'completed'), \
             started_count = (SELECT COUNT(*) FROM task_statuses WHERE task_id = $1 AND status = 'started'), \
             not_started_count = (SELECT COUNT(*) FROM task_statuses WHERE task_id = $1 AND status = 'not_started') \
             WHERE id = $1",
        )
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        let after = audited_task(&mut tx, access, "task_status.import", id, Some(&before)).await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn close_task(&self, access: &CommunityAccess, id: TaskId) -> Result<Task> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        let before = task_in_state(&mut tx, id, TaskState::Published, "closing").await?;
        sqlx::query("UPDATE tasks SET state = 'closed' WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let closed = audited_task(&mut tx, access, "task.close", id, Some(&before)).await?;
        raise_event(
            &mut tx,
            "task.closed",
            id,
            serde_json::json!({ "task_id": id.0 }),
        )
        .await?;
        tx.commit().await?;
        Ok(closed)
    }
}
