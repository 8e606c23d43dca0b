// `CalendarFeedStore`: a person's calendar feed of task deadlines, on both
// backends. Each write is one statement (an upsert, a delete), so nothing
// is read and decided on first; the feed's read finds the person by the
// secret's digest and marks the feed read in the same statement.

#[derive(sqlx::FromRow)]
struct CalendarFeedRow {
    created_at: OffsetDateTime,
    last_read_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct FeedOwnerRow {
    user_id: i64,
    org_id: i64,
    display_name: String,
    role: String,
    org_name: String,
}

#[derive(sqlx::FromRow)]
struct DeadlineRow {
    id: i64,
    code: Option<String>,
    title: String,
    project: String,
    end_date: time::Date,
    status: Option<String>,
    given_to_me: bool,
}

/// The person's own feed is keyed by their user id, which only their own
/// access carries.
fn feed_owner(access: &OrgAccess) -> Result<i64> {
    access
        .actor()
        .user_id
        .map(|u| u.0)
        .ok_or(StorageError::NotFound("person"))
}

#[async_trait]
impl CalendarFeedStore for Store {
    async fn calendar_feed(&self, access: &OrgAccess) -> Result<Option<CalendarFeed>> {
        let user = feed_owner(access)?;
        let row: Option<CalendarFeedRow> = sqlx::query_as(
            "SELECT created_at, last_read_at FROM calendar_feeds WHERE user_id = $1",
        )
        .bind(user)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| CalendarFeed {
            created_at: r.created_at,
            last_read_at: r.last_read_at,
        }))
    }

    async fn create_calendar_feed(
        &self,
        access: &OrgAccess,
        secret_digest: &str,
    ) -> Result<CalendarFeed> {
        let user = feed_owner(access)?;
        let mut tx = begin_write(&self.pool).await?;
        let created_at = now();
        sqlx::query(
            "INSERT INTO calendar_feeds (user_id, secret_digest, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET secret_digest = excluded.secret_digest, \
             created_at = excluded.created_at, last_read_at = NULL",
        )
        .bind(user)
        .bind(secret_digest)
        .bind(created_at)
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                Some(access.org_id()),
                "calendar_feed.create",
                "user",
                user,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(CalendarFeed {
            created_at,
            last_read_at: None,
        })
    }

    async fn revoke_calendar_feed(&self, access: &OrgAccess) -> Result<bool> {
        let user = feed_owner(access)?;
        let mut tx = begin_write(&self.pool).await?;
        let deleted = sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
            .bind(user)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if deleted > 0 {
            append_audit(
                &mut tx,
                &AuditEntry::new(
                    access.actor(),
                    Some(access.org_id()),
                    "calendar_feed.revoke",
                    "user",
                    user,
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(deleted > 0)
    }

    async fn calendar_deadlines(&self, secret_digest: &str) -> Result<Option<CalendarDeadlines>> {
        let user: Option<i64> = sqlx::query_scalar(
            "UPDATE calendar_feeds SET last_read_at = $2 WHERE secret_digest = $1 RETURNING user_id",
        )
        .bind(secret_digest)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        let Some(user) = user else {
            return Ok(None);
        };
        let owner: Option<FeedOwnerRow> = sqlx::query_as(
            "SELECT u.id AS user_id, u.org_id, u.display_name, u.role, o.name AS org_name \
             FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = $1 AND u.active = TRUE",
        )
        .bind(user)
        .fetch_optional(&self.pool)
        .await?;
        let Some(owner) = owner else {
            return Ok(None);
        };
        let today = now().date();
        let rows: Vec<DeadlineRow> = match owner.role.as_str() {
            "staff" => {
                sqlx::query_as(
                    "SELECT t.id, t.code, t.title, p.name AS project, t.end_date, \
                     CAST(NULL AS TEXT) AS status, FALSE AS given_to_me \
                     FROM tasks t JOIN projects p ON p.id = t.project_id \
                     WHERE t.state = 'published' AND t.owner_org_id IS NULL AND t.end_date IS NOT NULL \
                     ORDER BY t.end_date, t.id",
                )
                .fetch_all(&self.pool)
                .await?
            }
            _ => {
                sqlx::query_as(
                    "SELECT t.id, t.code, t.title, p.name AS project, t.end_date, s.status, \
                     (ta.user_id = $2 OR ta.role_id IN (SELECT ra.role_id FROM role_assignments ra \
                        WHERE ra.org_id = s.org_id AND ra.user_id = $2 AND ra.starts_on <= $3 \
                        AND (ra.ends_on IS NULL OR ra.ends_on >= $3))) IS TRUE AS given_to_me \
                     FROM task_statuses s JOIN tasks t ON t.id = s.task_id \
                     JOIN projects p ON p.id = t.project_id \
                     LEFT JOIN task_assignments ta ON ta.task_id = s.task_id AND ta.org_id = s.org_id \
                     WHERE s.org_id = $1 AND t.state = 'published' AND t.end_date IS NOT NULL \
                     AND s.status <> 'completed' ORDER BY t.end_date, t.id",
                )
                .bind(owner.org_id)
                .bind(owner.user_id)
                .bind(today)
                .fetch_all(&self.pool)
                .await?
            }
        };
        let deadlines = rows
            .into_iter()
            .map(|r| {
                Ok(Deadline {
                    task_id: TaskId(r.id),
                    code: r.code,
                    title: r.title,
                    project: r.project,
                    end: r.end_date,
                    status: r.status.as_deref().map(TaskStatus::parse).transpose()?,
                    given_to_me: r.given_to_me,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(CalendarDeadlines {
            person: owner.display_name,
            organisation: owner.org_name,
            deadlines,
        }))
    }
}
