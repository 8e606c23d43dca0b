// The role gallery, access to IT solutions, task assignments and contact
// lists: SQL both backends accept, compiled into each backend beside
// `shared.rs` (see the note at the top of that file). Implements
// `RoleStore` (at the end); `SolutionUseStore` and `ContactListStore` are
// implemented in files of their own in the same module.

use samspil_coordination::role::{
    AssigneeState, AssignmentCandidate, AssignmentId, AssignmentPeriod, HolderState,
    MAX_ASSIGNMENT_NOTE, RoleId, RoleSituation, RoleSpec, assignment_warning, check_assignment,
    role_gaps,
};
use samspil_coordination::task::TaskType;
use samspil_coordination::task::{ProjectId, TaskState};
use samspil_coordination_storage::{
    AssignmentWarningStore, ContactEntry, ContactList, NewAssignment, NewContactEntry, Role,
    RoleAssignment, RoleGap, RoleHolder, SolutionAccess, TaskAssignee, TaskAssignmentWarning,
};
use samspil_domain::ValidationError;
use time::Date;

/// The project whose tasks are about the coordination tool itself; a new
/// role becomes a task there.
const KLIK_PROJECT: &str = "KLIK";

macro_rules! role_select {
    () => {
        "SELECT r.id, r.name, r.description, r.assignment_guidance, r.project_id, p.name AS solution_name, r.mandatory, \
         r.max_holders, r.requires_primary FROM roles r LEFT JOIN projects p ON p.id = r.project_id "
    };
}

/// Roles that apply to organisation `$1`: cross-cutting ones and those of
/// the IT solutions it uses.
const APPLIES_TO_ORG: &str = "(r.project_id IS NULL OR EXISTS (SELECT 1 FROM project_participants pp \
                              WHERE pp.project_id = r.project_id AND pp.org_id = $1))";

#[derive(sqlx::FromRow)]
struct RoleRow {
    id: i64,
    name: String,
    description: String,
    assignment_guidance: String,
    project_id: Option<i64>,
    solution_name: Option<String>,
    mandatory: bool,
    max_holders: Option<i32>,
    requires_primary: bool,
}

impl From<RoleRow> for Role {
    fn from(row: RoleRow) -> Self {
        Role {
            id: RoleId(row.id),
            name: row.name,
            description: row.description,
            assignment_guidance: row.assignment_guidance,
            solution_id: row.project_id.map(ProjectId),
            solution_name: row.solution_name,
            mandatory: row.mandatory,
            max_holders: row.max_holders.and_then(|m| u32::try_from(m).ok()),
            requires_primary: row.requires_primary,
        }
    }
}

/// Locks a role's row. It stands for the role's holders in every
/// municipality: whoever decides on them (how many, which one is primary,
/// whether the role may move to another IT solution) takes it first. First
/// in the lock order (see the note in `tasks.rs`).
async fn lock_role(conn: &mut Connection, id: RoleId) -> Result<()> {
    sqlx::query(concat!("SELECT id FROM roles WHERE id = $1", for_update!()))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(())
}

/// Locks the role of one of the municipality's assignments.
async fn lock_role_of_assignment(
    conn: &mut Connection,
    access: &OrgAccess,
    id: AssignmentId,
) -> Result<()> {
    sqlx::query(concat!(
        "SELECT id FROM roles WHERE id = \
         (SELECT role_id FROM role_assignments WHERE org_id = $1 AND id = $2)",
        for_update!()
    ))
    .bind(access.org_id().0)
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(())
}

async fn fetch_role(conn: &mut Connection, id: RoleId) -> Result<Option<Role>> {
    Ok(
        sqlx::query_as::<_, RoleRow>(concat!(role_select!(), "WHERE r.id = $1"))
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?
            .map(Role::from),
    )
}

pub(super) async fn roles(pool: &sqlx::Pool<Db>, only_for: Option<OrgId>) -> Result<Vec<Role>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{}WHERE ($1 IS NULL OR {APPLIES_TO_ORG}) ORDER BY r.project_id IS NOT NULL, p.name, r.name",
        role_select!()
    ));
    Ok(sqlx::query_as::<_, RoleRow>(sql)
        .bind(only_for.map(|o| o.0))
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(Role::from)
        .collect())
}

async fn check_solution(conn: &mut Connection, solution: Option<ProjectId>) -> Result<()> {
    if let Some(project) = solution {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE id = $1")
            .bind(project.0)
            .fetch_optional(&mut *conn)
            .await?;
        if exists.is_none() {
            return Err(ValidationError::named(
                "solution",
                "solution-unknown",
                format!("there is no IT solution (project) {}", project.0),
            )
            .into());
        }
    }
    Ok(())
}

fn name_taken(name: &str) -> impl FnOnce(sqlx::Error) -> StorageError + '_ {
    move |e| match StorageError::from(e) {
        StorageError::Conflict(_) => StorageError::Invalid(ValidationError::named_with(
            "name",
            "role-name-taken",
            vec![("name", name.to_owned())],
            format!("a role named '{name}' exists already"),
        )),
        other => other,
    }
}

/// The new role's task: mandatory, executed by the KLIK-administrator,
/// published to the municipalities the role applies to.
pub(super) fn role_task(role: &Role, project: ProjectId) -> NewTask {
    let mut description = format!(
        "Rollegalleriet har fået en ny rolle: {}. Udfyld rollen i rollegalleriet.",
        role.name
    );
    if !role.description.is_empty() {
        description.push_str("\n\n");
        description.push_str(&role.description);
    }
    let today = now().date();
    NewTask {
        project_id: project,
        code: Some(samspil_coordination::role::role_task_code(role.id)),
        title: format!("Udfyld rollen »{}« i rollegalleriet", role.name),
        description,
        task_type: TaskType::Mandatory,
        schedule: samspil_coordination::task::Schedule {
            start: Some(today),
            end: Some(samspil_coordination::role::role_task_deadline(today)),
            period_text: None,
        },
        executor_role: Some("KLIK-administrator".into()),
        involved_roles: None,
        business_area: None,
        guidance: Default::default(),
    }
}

pub(super) async fn klik_project(conn: &mut Connection) -> Result<ProjectId> {
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE name = $1")
        .bind(KLIK_PROJECT)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(id) = existing {
        return Ok(ProjectId(id));
    }
    // Two first roles at once both find no project: the second one's insert
    // waits for the first and then does nothing, and it reads the first's.
    let created: Option<i64> = sqlx::query_scalar(
        "INSERT INTO projects (name, description, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING RETURNING id",
    )
    .bind(KLIK_PROJECT)
    .bind("Koordinering mellem fællesskabet og kommunerne")
    .bind(now())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = created else {
        let id: i64 = sqlx::query_scalar("SELECT id FROM projects WHERE name = $1")
            .bind(KLIK_PROJECT)
            .fetch_one(&mut *conn)
            .await?;
        return Ok(ProjectId(id));
    };
    sqlx::query(
        "INSERT INTO project_participants (project_id, org_id) \
         SELECT $1, id FROM organisations WHERE kind = 'municipality'",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(ProjectId(id))
}

// ---- Access to IT solutions (Brugerhåndtering) ---------------------------

/// The user, who must belong to the access's organisation.
async fn own_user(conn: &mut Connection, access: &OrgAccess, user: UserId) -> Result<User> {
    fetch_user(conn, user)
        .await?
        .filter(|u| u.org_id == access.org_id())
        .ok_or_else(|| {
            ValidationError::named(
                "user",
                "user-not-in-municipality",
                format!("user {} is not a person of this municipality", user.0),
            )
            .into()
        })
}

/// Whether the municipality uses the IT solution, locking that use (its
/// `project_participants` row) until the transaction ends. The use stands
/// for what hangs on it: access to the solution and holders of its roles
/// are given and taken under it, and ending the use checks them under it.
async fn lock_solution_use(conn: &mut Connection, org: OrgId, project: ProjectId) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(concat!(
        "SELECT org_id FROM project_participants WHERE project_id = $1 AND org_id = $2",
        for_update!()
    ))
    .bind(project.0)
    .bind(org.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

// ---- Assignments ---------------------------------------------------------

macro_rules! assignment_select {
    () => {
        "SELECT a.id, a.org_id, a.role_id, r.name AS role_name, a.user_id, u.login AS user_login, \
         u.display_name AS user_name, u.email AS user_email, u.user_type, u.active AS user_active, \
         a.starts_on, a.ends_on, a.is_primary, a.note \
         FROM role_assignments a JOIN roles r ON r.id = a.role_id JOIN users u ON u.id = a.user_id "
    };
}

#[derive(sqlx::FromRow)]
struct AssignmentRow {
    id: i64,
    org_id: i64,
    role_id: i64,
    role_name: String,
    user_id: i64,
    user_login: String,
    user_name: String,
    user_email: Option<String>,
    user_type: String,
    user_active: bool,
    starts_on: Date,
    ends_on: Option<Date>,
    is_primary: bool,
    note: String,
}

impl TryFrom<AssignmentRow> for RoleAssignment {
    type Error = StorageError;

    fn try_from(row: AssignmentRow) -> Result<Self> {
        Ok(RoleAssignment {
            id: AssignmentId(row.id),
            org_id: OrgId(row.org_id),
            role_id: RoleId(row.role_id),
            role_name: row.role_name,
            user_id: UserId(row.user_id),
            user_login: row.user_login,
            user_name: row.user_name,
            user_email: row.user_email,
            user_type: stored_user_type(&row.user_type)?,
            user_active: row.user_active,
            period: AssignmentPeriod::new(row.starts_on, row.ends_on)?,
            primary: row.is_primary,
            note: row.note,
        })
    }
}

async fn fetch_assignment(
    conn: &mut Connection,
    access: &OrgAccess,
    id: AssignmentId,
) -> Result<RoleAssignment> {
    sqlx::query_as::<_, AssignmentRow>(concat!(
        assignment_select!(),
        "WHERE a.org_id = $1 AND a.id = $2"
    ))
    .bind(access.org_id().0)
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?
    .map(RoleAssignment::try_from)
    .transpose()?
    .ok_or(StorageError::NotFound("role assignment"))
}

fn assignment_audit(
    access: &OrgAccess,
    action: &'static str,
    assignment: &RoleAssignment,
    before: Option<&RoleAssignment>,
) -> AuditEntry {
    let entry = AuditEntry::new(
        access.actor(),
        Some(access.org_id()),
        action,
        "role_assignment",
        assignment.id.0,
    )
    .after(serde_json::to_value(assignment).unwrap_or_default());
    match before {
        Some(before) => entry.before(serde_json::to_value(before).unwrap_or_default()),
        None => entry,
    }
}

/// Only one current primary holder per role: marking one unmarks the rest.
async fn unmark_other_primaries(
    conn: &mut Connection,
    org: OrgId,
    role: RoleId,
    keep: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE role_assignments SET is_primary = FALSE \
         WHERE org_id = $1 AND role_id = $2 AND id <> $3 AND is_primary",
    )
    .bind(org.0)
    .bind(role.0)
    .bind(keep)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

// ---- Gaps and holders ----------------------------------------------------

#[derive(sqlx::FromRow)]
struct ApplicableRow {
    org_id: i64,
    org_name: String,
    org_code: Option<i32>,
    role_id: i64,
    role_name: String,
    mandatory: bool,
    requires_primary: bool,
}

/// A user type as the users table keeps it.
pub(super) fn stored_user_type(text: &str) -> Result<UserType> {
    UserType::parse(text).ok_or_else(|| StorageError::Corrupt(format!("user type '{text}'")))
}

#[derive(sqlx::FromRow)]
struct CurrentHolderRow {
    org_id: i64,
    role_id: i64,
    org_name: String,
    org_code: Option<i32>,
    role_name: String,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    is_primary: bool,
    active: bool,
    bouncing: bool,
    user_type: String,
}

/// Current holders on `today`, of one role or all, in one municipality or all.
async fn current_holders(
    pool: &sqlx::Pool<Db>,
    org: Option<OrgId>,
    role: Option<RoleId>,
    today: Date,
) -> Result<Vec<CurrentHolderRow>> {
    Ok(sqlx::query_as(
        "SELECT a.org_id, a.role_id, o.name AS org_name, o.code AS org_code, r.name AS role_name, \
         u.display_name AS name, u.email, u.phone, a.is_primary, u.active, \
         u.email_bouncing_since IS NOT NULL AS bouncing, u.user_type \
         FROM role_assignments a JOIN users u ON u.id = a.user_id \
         JOIN organisations o ON o.id = a.org_id JOIN roles r ON r.id = a.role_id \
         WHERE ($1 IS NULL OR a.org_id = $1) AND ($2 IS NULL OR a.role_id = $2) \
         AND a.starts_on <= $3 AND (a.ends_on IS NULL OR a.ends_on >= $3) \
         ORDER BY o.code, r.name, a.is_primary DESC, u.display_name",
    )
    .bind(org.map(|o| o.0))
    .bind(role.map(|r| r.0))
    .bind(today)
    .fetch_all(pool)
    .await?)
}

/// The gaps of every applicable role, in one municipality or all of them.
pub(super) async fn gaps(
    pool: &sqlx::Pool<Db>,
    org: Option<OrgId>,
    today: Date,
) -> Result<Vec<RoleGap>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT o.id AS org_id, o.name AS org_name, o.code AS org_code, r.id AS role_id, \
         r.name AS role_name, r.mandatory, r.requires_primary \
         FROM organisations o CROSS JOIN roles r \
         WHERE o.kind = 'municipality' AND ($1 IS NULL OR o.id = $1) AND {} \
         ORDER BY o.code, r.name",
        APPLIES_TO_ORG.replace("$1", "o.id")
    ));
    let applicable: Vec<ApplicableRow> = sqlx::query_as(sql)
        .bind(org.map(|o| o.0))
        .fetch_all(pool)
        .await?;
    let mut holders: std::collections::HashMap<(i64, i64), Vec<CurrentHolderRow>> =
        std::collections::HashMap::new();
    for holder in current_holders(pool, org, None, today).await? {
        holders
            .entry((holder.org_id, holder.role_id))
            .or_default()
            .push(holder);
    }
    let mut found = Vec::new();
    for row in applicable {
        let held = holders
            .get(&(row.org_id, row.role_id))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let states: Vec<HolderState> = held
            .iter()
            .map(|h| {
                Ok(HolderState {
                    primary: h.is_primary,
                    active: h.active,
                    bouncing: h.bouncing,
                    user_type: stored_user_type(&h.user_type)?,
                })
            })
            .collect::<Result<_>>()?;
        for kind in role_gaps(row.mandatory, row.requires_primary, &states) {
            found.push(RoleGap {
                org_id: OrgId(row.org_id),
                org_name: row.org_name.clone(),
                org_code: municipality_code(row.org_code)?,
                role_id: RoleId(row.role_id),
                role_name: row.role_name.clone(),
                kind,
                holders: held
                    .iter()
                    .zip(&states)
                    .filter(|(_, state)| kind.concerns(state))
                    .map(|(h, _)| h.name.clone())
                    .collect(),
            });
        }
    }
    Ok(found)
}

// ---- Contact lists -------------------------------------------------------

fn checked_text(field: &'static str, value: &str, min: usize, max: usize) -> Result<String> {
    let value = samspil_domain::input::free_text(field, value, max)?.unwrap_or_default();
    if value.chars().count() < min {
        return Err(ValidationError::named_with(
            field,
            "text-length",
            vec![("min", min.to_string()), ("max", max.to_string())],
            format!("{field} has {min} to {max} characters"),
        )
        .into());
    }
    Ok(value.to_owned())
}

#[derive(sqlx::FromRow)]
struct ContactEntryRow {
    id: i64,
    list_id: i64,
    org_id: Option<i64>,
    org_name: Option<String>,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    role_title: String,
    note: String,
}

impl From<ContactEntryRow> for ContactEntry {
    fn from(row: ContactEntryRow) -> Self {
        ContactEntry {
            id: row.id,
            list_id: row.list_id,
            org_id: row.org_id.map(OrgId),
            org_name: row.org_name,
            name: row.name,
            email: row.email,
            phone: row.phone,
            function: row.role_title,
            note: row.note,
        }
    }
}

pub(super) async fn contact_entries(pool: &sqlx::Pool<Db>, list: i64) -> Result<Vec<ContactEntry>> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM contact_lists WHERE id = $1")
        .bind(list)
        .fetch_optional(pool)
        .await?;
    if exists.is_none() {
        return Err(StorageError::NotFound("contact list"));
    }
    Ok(sqlx::query_as::<_, ContactEntryRow>(
        "SELECT e.id, e.list_id, e.org_id, o.name AS org_name, e.name, e.email, e.phone, \
         e.role_title, e.note FROM contact_entries e LEFT JOIN organisations o ON o.id = e.org_id \
         WHERE e.list_id = $1 ORDER BY o.code, e.name, e.id",
    )
    .bind(list)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(ContactEntry::from)
    .collect())
}

fn optional_text(field: &'static str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    Ok(samspil_domain::input::optional_text(field, value, max)?.map(str::to_owned))
}

#[async_trait]
impl RoleStore for Store {
    /// Gives a municipality's task to one of its roles or people.
    async fn assign_task(
        &self,
        access: &OrgAccess,
        task: TaskId,
        assignee: Option<TaskAssignee>,
    ) -> Result<()> {
        require_work(access)?;
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        // Two givings at once replace one another instead of colliding on the
        // one assignment row the second one did not see deleted.
        super::tasks::lock_task_status(&mut tx, access.org_id(), task).await?;
        let current = super::tasks::fetch_municipality_task(&mut tx, access, task)
            .await?
            .ok_or(StorageError::NotFound("task"))?;
        super::tasks::check_state(&current.task, TaskState::Published, "assigning")?;
        let (role_id, user_id) = match assignee {
            None => (None, None),
            Some(TaskAssignee::Role(role)) => {
                let applies: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT r.id FROM roles r WHERE r.id = $2 AND {APPLIES_TO_ORG}"
                )))
                .bind(access.org_id().0)
                .bind(role.0)
                .fetch_optional(&mut *tx)
                .await?;
                if applies.is_none() {
                    return Err(ValidationError::named(
                        "role",
                        "role-not-in-municipality",
                        format!("role {role} is not a role of this municipality"),
                    )
                    .into());
                }
                (Some(role.0), None)
            }
            Some(TaskAssignee::User(user)) => {
                let person = own_user(&mut tx, access, user).await?;
                if !person.active {
                    return Err(ValidationError::named(
                        "user",
                        "user-inactive",
                        "the user's account is disabled",
                    )
                    .into());
                }
                (None, Some(person.id.0))
            }
        };
        sqlx::query("DELETE FROM task_assignments WHERE task_id = $1 AND org_id = $2")
            .bind(task.0)
            .bind(access.org_id().0)
            .execute(&mut *tx)
            .await?;
        if role_id.is_some() || user_id.is_some() {
            sqlx::query(
                "INSERT INTO task_assignments (task_id, org_id, role_id, user_id, assigned_at, assigned_by) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(task.0)
            .bind(access.org_id().0)
            .bind(role_id)
            .bind(user_id)
            .bind(now())
            .bind(&access.actor().label)
            .execute(&mut *tx)
            .await?;
        }
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                Some(access.org_id()),
                "task.assign",
                "task",
                task.0,
            )
            .before(serde_json::to_value(current.assignee).unwrap_or_default())
            .after(serde_json::to_value(assignee).unwrap_or_default()),
        )
        .await?;
        super::tasks::raise_event(
            &mut tx,
            "task.assigned",
            task,
            serde_json::json!({ "task_id": task.0, "org_id": access.org_id().0, "assignee": assignee }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn roles(&self) -> Result<Vec<Role>> {
        roles(&self.pool, None).await
    }

    async fn municipality_roles(&self, access: &OrgAccess) -> Result<Vec<Role>> {
        roles(&self.pool, Some(access.org_id())).await
    }

    /// Creates a role and, in the same transaction, the task in the project
    /// "KLIK" that asks every municipality it applies to to fill it.
    async fn create_role(
        &self,
        access: &CommunityAccess,
        spec: RoleSpec,
        announce: bool,
    ) -> Result<(Role, Option<TaskId>)> {
        let pool = &self.pool;
        let spec = spec.checked()?;
        let mut tx = begin_write(pool).await?;
        check_solution(&mut tx, spec.solution).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO roles (name, description, project_id, mandatory, max_holders, requires_primary, \
             created_at, assignment_guidance) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&spec.name)
        .bind(&spec.description)
        .bind(spec.solution.map(|p| p.0))
        .bind(spec.mandatory)
        .bind(spec.max_holders.map(|m| i32::try_from(m).unwrap_or(i32::MAX)))
        .bind(spec.requires_primary)
        .bind(now())
        .bind(&spec.assignment_guidance)
        .fetch_one(&mut *tx)
        .await
        .map_err(name_taken(&spec.name))?;
        let role = fetch_role(&mut tx, RoleId(id))
            .await?
            .ok_or(StorageError::NotFound("role"))?;
        append_audit(
            &mut tx,
            &AuditEntry::new(access.actor(), None, "role.create", "role", id)
                .after(serde_json::to_value(&role).unwrap_or_default()),
        )
        .await?;
        if !announce {
            tx.commit().await?;
            return Ok((role, None));
        }
        let task = super::tasks::publish_role_task(&mut tx, access, &role).await?;
        super::tasks::raise_event(
            &mut tx,
            "role.created",
            task,
            serde_json::json!({ "role_id": id, "name": role.name, "task_id": task.0 }),
        )
        .await?;
        tx.commit().await?;
        Ok((role, Some(task)))
    }

    async fn update_role(
        &self,
        access: &CommunityAccess,
        id: RoleId,
        spec: RoleSpec,
    ) -> Result<Role> {
        let pool = &self.pool;
        let spec = spec.checked()?;
        let mut tx = begin_write(pool).await?;
        lock_role(&mut tx, id).await?;
        let before = fetch_role(&mut tx, id)
            .await?
            .ok_or(StorageError::NotFound("role"))?;
        check_solution(&mut tx, spec.solution).await?;
        if spec.solution != before.solution_id {
            let holders: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM role_assignments WHERE role_id = $1")
                    .bind(id.0)
                    .fetch_one(&mut *tx)
                    .await?;
            if holders > 0 {
                return Err(ValidationError::named(
                    "solution",
                    "role-solution-fixed",
                    "the IT solution of a role that has been assigned cannot change",
                )
                .into());
            }
        }
        sqlx::query(
            "UPDATE roles SET name = $2, description = $3, project_id = $4, mandatory = $5, \
             max_holders = $6, requires_primary = $7, assignment_guidance = $8 WHERE id = $1",
        )
        .bind(id.0)
        .bind(&spec.name)
        .bind(&spec.description)
        .bind(spec.solution.map(|p| p.0))
        .bind(spec.mandatory)
        .bind(
            spec.max_holders
                .map(|m| i32::try_from(m).unwrap_or(i32::MAX)),
        )
        .bind(spec.requires_primary)
        .bind(&spec.assignment_guidance)
        .execute(&mut *tx)
        .await
        .map_err(name_taken(&spec.name))?;
        let after = fetch_role(&mut tx, id)
            .await?
            .ok_or(StorageError::NotFound("role"))?;
        append_audit(
            &mut tx,
            &AuditEntry::new(access.actor(), None, "role.update", "role", id)
                .before(serde_json::to_value(&before).unwrap_or_default())
                .after(serde_json::to_value(&after).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A municipality's assignments, current and future first, then ended ones.
    async fn role_assignments(&self, access: &OrgAccess) -> Result<Vec<RoleAssignment>> {
        let pool = &self.pool;
        sqlx::query_as::<_, AssignmentRow>(concat!(
            assignment_select!(),
            "WHERE a.org_id = $1 ORDER BY r.name, a.ends_on IS NOT NULL AND a.ends_on < $2, \
             a.is_primary DESC, u.display_name, a.id"
        ))
        .bind(access.org_id().0)
        .bind(now().date())
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(RoleAssignment::try_from)
        .collect()
    }

    async fn assign_role(&self, access: &OrgAccess, new: &NewAssignment) -> Result<RoleAssignment> {
        let pool = &self.pool;
        require_administer(access)?;
        let note = samspil_domain::input::free_text("note", &new.note, MAX_ASSIGNMENT_NOTE)?
            .unwrap_or_default();
        let org = access.org_id();
        let mut tx = begin_write(pool).await?;
        // The holders counted below, and the primary unmarked, are the role's
        // as they stand: a second assignment waits here for this one.
        lock_role(&mut tx, new.role_id).await?;
        let role = fetch_role(&mut tx, new.role_id).await?.ok_or_else(|| {
            ValidationError::named(
                "role",
                "role-unknown",
                format!("there is no role {}", new.role_id),
            )
        })?;
        let person = own_user(&mut tx, access, new.user_id).await?;
        let (applies, has_solution_access) = match role.solution_id {
            None => (true, true),
            Some(project) => {
                // The use first: access is revoked under its lock.
                let uses = lock_solution_use(&mut tx, org, project).await?;
                let granted: Option<i64> = sqlx::query_scalar(
                    "SELECT user_id FROM solution_access WHERE org_id = $1 AND user_id = $2 AND project_id = $3",
                )
                .bind(org.0)
                .bind(person.id.0)
                .bind(project.0)
                .fetch_optional(&mut *tx)
                .await?;
                (uses, granted.is_some())
            }
        };
        // Assignments whose period overlaps the new one: [s1, e1] and [s2, e2]
        // overlap when s1 <= e2 and s2 <= e1 (an open end is infinitely late).
        let overlapping: Vec<i64> = sqlx::query_scalar(
            "SELECT user_id FROM role_assignments WHERE org_id = $1 AND role_id = $2 \
             AND ($3 IS NULL OR starts_on <= $3) AND (ends_on IS NULL OR ends_on >= $4)",
        )
        .bind(org.0)
        .bind(role.id.0)
        .bind(new.period.ends_on)
        .bind(new.period.starts_on)
        .fetch_all(&mut *tx)
        .await?;
        check_assignment(
            &AssignmentCandidate {
                user_type: person.user_type,
                active: person.active,
                has_solution_access,
                holds_already: overlapping.contains(&person.id.0),
            },
            &RoleSituation {
                applies,
                max_holders: role.max_holders,
                overlapping_holders: u32::try_from(overlapping.len()).unwrap_or(u32::MAX),
            },
        )?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO role_assignments (org_id, role_id, user_id, starts_on, ends_on, is_primary, note, \
             created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(org.0)
        .bind(role.id.0)
        .bind(person.id.0)
        .bind(new.period.starts_on)
        .bind(new.period.ends_on)
        .bind(new.primary)
        .bind(note)
        .bind(now())
        .bind(&access.actor().label)
        .fetch_one(&mut *tx)
        .await?;
        if new.primary {
            unmark_other_primaries(&mut tx, org, role.id, id).await?;
        }
        complete_role_task(&mut tx, access, role.id, &new.period).await?;
        let created = fetch_assignment(&mut tx, access, AssignmentId(id)).await?;
        append_audit(
            &mut tx,
            &assignment_audit(access, "role_assignment.create", &created, None),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Ends an assignment on `last_day` (its holder keeps the role that day).
    async fn end_role_assignment(
        &self,
        access: &OrgAccess,
        id: AssignmentId,
        last_day: time::Date,
    ) -> Result<RoleAssignment> {
        let pool = &self.pool;
        require_administer(access)?;
        let mut tx = begin_write(pool).await?;
        lock_role_of_assignment(&mut tx, access, id).await?;
        let before = fetch_assignment(&mut tx, access, id).await?;
        let period = before.period.ended(last_day)?;
        sqlx::query("UPDATE role_assignments SET ends_on = $3, is_primary = FALSE WHERE org_id = $1 AND id = $2")
            .bind(access.org_id().0)
            .bind(id.0)
            .bind(period.ends_on)
            .execute(&mut *tx)
            .await?;
        let after = fetch_assignment(&mut tx, access, id).await?;
        append_audit(
            &mut tx,
            &assignment_audit(access, "role_assignment.end", &after, Some(&before)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn mark_primary_holder(
        &self,
        access: &OrgAccess,
        id: AssignmentId,
    ) -> Result<RoleAssignment> {
        let pool = &self.pool;
        require_administer(access)?;
        let mut tx = begin_write(pool).await?;
        // Two marked at once: the second waits here, then unmarks the first.
        lock_role_of_assignment(&mut tx, access, id).await?;
        let before = fetch_assignment(&mut tx, access, id).await?;
        if before.period.has_ended_by(now().date()) {
            return Err(ValidationError::named(
                "period",
                "assignment-ended",
                "the assignment has ended already",
            )
            .into());
        }
        sqlx::query("UPDATE role_assignments SET is_primary = TRUE WHERE org_id = $1 AND id = $2")
            .bind(access.org_id().0)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        unmark_other_primaries(&mut tx, access.org_id(), before.role_id, id.0).await?;
        let after = fetch_assignment(&mut tx, access, id).await?;
        append_audit(
            &mut tx,
            &assignment_audit(access, "role_assignment.primary", &after, Some(&before)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn all_role_gaps(
        &self,
        _access: &CommunityAccess,
        today: time::Date,
    ) -> Result<Vec<RoleGap>> {
        gaps(&self.pool, None, today).await
    }

    async fn role_gaps(&self, access: &OrgAccess, today: time::Date) -> Result<Vec<RoleGap>> {
        gaps(&self.pool, Some(access.org_id()), today).await
    }

    async fn role_holders(
        &self,
        _access: &CommunityAccess,
        role: RoleId,
        today: time::Date,
    ) -> Result<Vec<RoleHolder>> {
        let pool = &self.pool;
        // An unknown role is not found, rather than a role nobody holds.
        let mut conn = pool.acquire().await?;
        fetch_role(&mut conn, role)
            .await?
            .ok_or(StorageError::NotFound("role"))?;
        drop(conn);
        current_holders(pool, None, Some(role), today)
            .await?
            .into_iter()
            .filter(|h| h.active)
            .map(|h| {
                Ok(RoleHolder {
                    org_id: OrgId(h.org_id),
                    org_name: h.org_name,
                    org_code: municipality_code(h.org_code)?,
                    role_name: h.role_name,
                    name: h.name,
                    email: h.email,
                    phone: h.phone,
                    primary: h.is_primary,
                })
            })
            .collect()
    }
}
