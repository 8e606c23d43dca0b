// `AssignmentWarningStore`: the open tasks given to a reader or to a role
// nobody can act in, on both backends; included into the `roles` module of
// `shared.rs`, beside the helpers of `roles.rs` it uses. The rule is the
// domain's (`samspil_coordination::role::assignment_warning`); the SQL reads
// what it needs: the person's user type, or how many of the role's current
// holders can act in it.

#[derive(sqlx::FromRow)]
struct GivenTaskRow {
    task_id: i64,
    code: Option<String>,
    title: String,
    org_id: i64,
    org_name: String,
    org_code: Option<i32>,
    role_name: Option<String>,
    user_name: Option<String>,
    user_type: Option<String>,
    working_holders: i64,
}

/// The warnings of the open tasks given away, in one municipality or all.
async fn assignment_warnings_in(
    pool: &sqlx::Pool<Db>,
    org: Option<OrgId>,
    today: Date,
) -> Result<Vec<TaskAssignmentWarning>> {
    let rows: Vec<GivenTaskRow> = sqlx::query_as(
        "SELECT ta.task_id, t.code, t.title, ta.org_id, o.name AS org_name, o.code AS org_code, \
         r.name AS role_name, u.display_name AS user_name, u.user_type, \
         (SELECT COUNT(*) FROM role_assignments a JOIN users h ON h.id = a.user_id \
          WHERE ta.role_id IS NOT NULL AND a.role_id = ta.role_id AND a.org_id = ta.org_id \
          AND h.active = TRUE AND h.user_type <> 'reader' \
          AND a.starts_on <= $2 AND (a.ends_on IS NULL OR a.ends_on >= $2)) AS working_holders \
         FROM task_assignments ta JOIN tasks t ON t.id = ta.task_id \
         JOIN organisations o ON o.id = ta.org_id \
         JOIN task_statuses s ON s.task_id = ta.task_id AND s.org_id = ta.org_id \
         LEFT JOIN roles r ON r.id = ta.role_id LEFT JOIN users u ON u.id = ta.user_id \
         WHERE t.state = 'published' AND s.status <> 'completed' AND ($1 IS NULL OR ta.org_id = $1) \
         ORDER BY o.code, t.id",
    )
    .bind(org.map(|o| o.0))
    .bind(today)
    .fetch_all(pool)
    .await?;
    let mut found = Vec::new();
    for row in rows {
        let (assignee, name) = match (row.user_type.as_deref(), row.role_name) {
            (Some(user_type), _) => (
                AssigneeState::Person {
                    user_type: stored_user_type(user_type)?,
                },
                row.user_name.unwrap_or_default(),
            ),
            (None, Some(role)) => (
                AssigneeState::Role {
                    working_holders: u32::try_from(row.working_holders).unwrap_or(u32::MAX),
                },
                role,
            ),
            (None, None) => continue,
        };
        if let Some(warning) = assignment_warning(assignee) {
            found.push(TaskAssignmentWarning {
                task_id: TaskId(row.task_id),
                task_code: row.code,
                task_title: row.title,
                org_id: OrgId(row.org_id),
                org_name: row.org_name,
                org_code: municipality_code(row.org_code)?,
                assignee_name: name,
                warning,
            });
        }
    }
    Ok(found)
}

#[async_trait]
impl AssignmentWarningStore for Store {
    async fn all_assignment_warnings(
        &self,
        _access: &CommunityAccess,
        today: Date,
    ) -> Result<Vec<TaskAssignmentWarning>> {
        assignment_warnings_in(&self.pool, None, today).await
    }

    async fn assignment_warnings(
        &self,
        access: &OrgAccess,
        today: Date,
    ) -> Result<Vec<TaskAssignmentWarning>> {
        assignment_warnings_in(&self.pool, Some(access.org_id()), today).await
    }
}
