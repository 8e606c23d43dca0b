// `StatusHistoryStore`: each municipality's status changes on a task, on
// both backends; included into the `tasks` module of `shared.rs`. The rows
// are written by `record_status_change`, in the transaction of the change.

/// Keeps one status change, in the caller's transaction (which holds the
/// task's and the status row's locks, so `from` is the status it replaced).
pub(super) async fn record_status_change(
    conn: &mut Connection,
    task: TaskId,
    org: OrgId,
    actor: &Actor,
    from: Option<TaskStatus>,
    to: TaskStatus,
    reason: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO task_status_changes \
         (task_id, org_id, at, actor_user_id, actor_label, from_status, to_status, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(task.0)
    .bind(org.0)
    .bind(now())
    .bind(actor.user_id.map(|u| u.0))
    .bind(&actor.label)
    .bind(from.map(TaskStatus::as_str))
    .bind(to.as_str())
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct StatusChangeRow {
    org_id: i64,
    org_name: String,
    at: OffsetDateTime,
    by_name: String,
    by_org: Option<String>,
    from_status: Option<String>,
    to_status: String,
    reason: Option<String>,
}

impl TryFrom<StatusChangeRow> for StatusChange {
    type Error = StorageError;

    fn try_from(row: StatusChangeRow) -> Result<Self> {
        Ok(StatusChange {
            org_id: OrgId(row.org_id),
            org_name: row.org_name,
            at: row.at,
            by: row.by_name,
            by_org: row.by_org,
            from: row
                .from_status
                .as_deref()
                .map(TaskStatus::parse)
                .transpose()?,
            to: TaskStatus::parse(&row.to_status)?,
            reason: row.reason,
        })
    }
}

/// The changes with the names of the municipality and of the person (the
/// recorded label when the person is not known).
const STATUS_CHANGE_SELECT: &str = "SELECT c.org_id, o.name AS org_name, c.at, \
     COALESCE(u.display_name, c.actor_label) AS by_name, uo.name AS by_org, \
     c.from_status, c.to_status, c.reason \
     FROM task_status_changes c JOIN organisations o ON o.id = c.org_id \
     LEFT JOIN users u ON u.id = c.actor_user_id \
     LEFT JOIN organisations uo ON uo.id = u.org_id ";

#[async_trait]
impl StatusHistoryStore for Store {
    async fn status_history(&self, access: &OrgAccess, id: TaskId) -> Result<Vec<StatusChange>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{STATUS_CHANGE_SELECT}WHERE c.task_id = $1 AND c.org_id = $2 ORDER BY c.id"
        ));
        sqlx::query_as::<_, StatusChangeRow>(sql)
            .bind(id.0)
            .bind(access.org_id().0)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(StatusChange::try_from)
            .collect()
    }

    async fn all_status_history(
        &self,
        _access: &CommunityAccess,
        id: TaskId,
    ) -> Result<Vec<StatusChange>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{STATUS_CHANGE_SELECT}WHERE c.task_id = $1 ORDER BY o.name, c.org_id, c.id"
        ));
        sqlx::query_as::<_, StatusChangeRow>(sql)
            .bind(id.0)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(StatusChange::try_from)
            .collect()
    }
}
