// `OverviewStore`: the unread count, one page of an inbox, and the latest
// status changes, on both backends; included into the `notifications`
// module of `shared.rs`, beside the inbox's row of `notifications.rs`.

fn inbox_item(row: InboxRow) -> Result<InboxItem> {
    Ok(InboxItem {
        id: row.id,
        kind: NotificationKind::parse(&row.kind)
            .ok_or_else(|| StorageError::Corrupt(format!("notification kind '{}'", row.kind)))?,
        subject: row.subject,
        body: row.body,
        link: row.link,
        message_id: row.message_id,
        task_id: row.task_id,
        created_at: row.created_at,
        read: row.read,
        email: Frequency::parse(&row.email_plan)
            .ok_or_else(|| StorageError::Corrupt(format!("e-mail plan '{}'", row.email_plan)))?,
    })
}

#[derive(sqlx::FromRow)]
struct RecentChangeRow {
    task_id: i64,
    task_title: String,
    org_id: i64,
    org_name: String,
    at: OffsetDateTime,
    by_name: String,
    from_status: Option<String>,
    to_status: String,
}

#[async_trait]
impl OverviewStore for Store {
    async fn unread_count(&self, user: UserId) -> Result<u64> {
        let (count,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn inbox_page(&self, user: UserId, query: &InboxQuery) -> Result<Vec<InboxItem>> {
        let kind = match query.kind {
            Some(_) => " AND kind = $4",
            None => "",
        };
        let unread = if query.unread_only {
            " AND read_at IS NULL"
        } else {
            ""
        };
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT id, kind, subject, body, link, message_id, task_id, created_at, \
             read_at IS NOT NULL AS read, email_plan FROM notifications WHERE user_id = $1{kind}{unread} \
             ORDER BY id DESC LIMIT $2 OFFSET $3"
        ));
        let mut select = sqlx::query_as::<_, InboxRow>(sql)
            .bind(user.0)
            .bind(i64::from(query.limit))
            .bind(i64::from(query.offset));
        if let Some(kind) = query.kind {
            select = select.bind(kind.as_str());
        }
        select
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(inbox_item)
            .collect()
    }

    async fn recent_status_changes(
        &self,
        _access: &CommunityAccess,
        limit: u32,
    ) -> Result<Vec<RecentStatusChange>> {
        let rows: Vec<RecentChangeRow> = sqlx::query_as(
            "SELECT c.task_id, t.title AS task_title, c.org_id, o.name AS org_name, c.at, \
             COALESCE(u.display_name, c.actor_label) AS by_name, c.from_status, c.to_status \
             FROM task_status_changes c JOIN tasks t ON t.id = c.task_id \
             JOIN organisations o ON o.id = c.org_id LEFT JOIN users u ON u.id = c.actor_user_id \
             WHERE t.owner_org_id IS NULL ORDER BY c.id DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(RecentStatusChange {
                    task_id: TaskId(row.task_id),
                    task_title: row.task_title,
                    org_id: OrgId(row.org_id),
                    org_name: row.org_name,
                    at: row.at,
                    by: row.by_name,
                    from: row
                        .from_status
                        .as_deref()
                        .map(TaskStatus::parse)
                        .transpose()?,
                    to: TaskStatus::parse(&row.to_status)?,
                })
            })
            .collect()
    }

    async fn project_participants(&self, project: ProjectId) -> Result<Vec<Participant>> {
        let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
            "SELECT o.id, o.name, o.region FROM project_participants pp \
             JOIN organisations o ON o.id = pp.org_id WHERE pp.project_id = $1 ORDER BY o.name",
        )
        .bind(project.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, region)| Participant {
                org_id: OrgId(id),
                name,
                region,
            })
            .collect())
    }
}
