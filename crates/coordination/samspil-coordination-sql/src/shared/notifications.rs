// Messages and notifications: SQL both backends accept, compiled into each
// backend beside `shared.rs` (see the note at the top of that file). The
// e-mails they queue are sent by the platform's mail outbox
// (`samspil-sql/src/shared/outbox.rs`).
//
// How a notification travels:
// 1. A change writes an `events` row in its own transaction (the outbox of
//    `shared/tasks.rs`); a community message is written here with its
//    inbox rows and e-mails in one transaction.
// 2. `fan_out_events` turns each event, in one transaction, into inbox rows
//    (`notifications`, unique per cause and person) and e-mails
//    (`deliveries`, unique per `delivery_key`), and marks the event done;
//    run twice, it queues nothing twice.
// 3. The platform's job runner claims due deliveries (`claim_deliveries`: state
//    `sending`, a lease, one more attempt), sends each over SMTP with a
//    Message-ID derived from the delivery's id, and marks it `sent` (or
//    queued again with back-off, or failed and the address bouncing).

use samspil_coordination::notification::{
    Audience, DigestItem, Frequency, MAIL_FOOTER, MessageSpec, NotificationKind, TaskFacts,
    digest_period, digest_text, reminder_due, reminder_end_dates, reminder_sentence, task_text,
};
use samspil_coordination_storage::{
    InboxItem, MessageSummary, NotificationPreference, QueueReport, RecipientCount,
};
use time::Date;

/// Whom a set of notifications goes to, as a condition on `users u`
/// whose parameters start at `$9`.
enum Recipients<'a> {
    Audience(&'a Audience, Date),
    /// The people concerned with a task in each municipality it is
    /// published to: whoever it is given to (a person or a role's current
    /// holders); if it is given to nobody, the holders of its recommended
    /// executing role, and if there are none, the administrators.
    Concerned {
        task: i64,
        org: Option<i64>,
        open_only: bool,
        assigned_only: bool,
        today: Date,
    },
    /// The administrators of the municipalities a task is published to.
    Administrators {
        task: i64,
    },
}

/// A current role assignment `ra` on the date `$n`.
macro_rules! current {
    ($n:literal) => {
        concat!(
            "ra.starts_on <= $",
            $n,
            " AND (ra.ends_on IS NULL OR ra.ends_on >= $",
            $n,
            ")"
        )
    };
}

const CONCERNED: &str = concat!(
    "u.user_type = 'ordinary' AND ($10 IS NULL OR u.org_id = $10) ",
    "AND EXISTS (SELECT 1 FROM task_statuses s WHERE s.task_id = $9 AND s.org_id = u.org_id ",
    "AND ($11 = FALSE OR s.status <> 'completed')) AND (",
    // Given to this person, or to a role they hold now.
    "EXISTS (SELECT 1 FROM task_assignments ta WHERE ta.task_id = $9 AND ta.org_id = u.org_id ",
    "AND (ta.user_id = u.id OR EXISTS (SELECT 1 FROM role_assignments ra WHERE ra.role_id = ta.role_id ",
    "AND ra.org_id = u.org_id AND ra.user_id = u.id AND ",
    current!("12"),
    "))) ",
    // Given to nobody: the executing role's holders, else the administrators.
    "OR ($13 = FALSE AND NOT EXISTS (SELECT 1 FROM task_assignments ta WHERE ta.task_id = $9 ",
    "AND ta.org_id = u.org_id) AND (",
    "EXISTS (SELECT 1 FROM role_assignments ra JOIN roles r ON r.id = ra.role_id ",
    "JOIN tasks t ON t.id = $9 WHERE ra.org_id = u.org_id AND ra.user_id = u.id ",
    "AND lower(r.name) = lower(t.executor_role) AND ",
    current!("12"),
    ") OR (u.role = 'admin' AND NOT EXISTS (SELECT 1 FROM role_assignments ra ",
    "JOIN roles r ON r.id = ra.role_id JOIN tasks t ON t.id = $9 JOIN users h ON h.id = ra.user_id ",
    "WHERE ra.org_id = u.org_id AND h.active AND h.user_type = 'ordinary' ",
    "AND lower(r.name) = lower(t.executor_role) AND ",
    current!("12"),
    ")))))"
);

const ADMINISTRATORS: &str = "u.user_type = 'ordinary' AND u.role = 'admin' AND EXISTS \
     (SELECT 1 FROM task_statuses s WHERE s.task_id = $9 AND s.org_id = u.org_id)";

/// `$first, $first+1, …` for `count` values.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Recipients<'_> {
    /// The condition on `u` (parameters from `$first`).
    fn condition(&self, first: usize) -> String {
        let p = |offset: usize| format!("${}", first + offset);
        match self {
            Recipients::Audience(Audience::Everyone, _) => "1 = 1".to_owned(),
            Recipients::Audience(Audience::Project(_), _) => format!(
                "u.org_id IN (SELECT pp.org_id FROM project_participants pp WHERE pp.project_id = {})",
                p(0)
            ),
            Recipients::Audience(Audience::Roles(ids), _) => format!(
                "u.id IN (SELECT ra.user_id FROM role_assignments ra WHERE ra.starts_on <= {d} \
                 AND (ra.ends_on IS NULL OR ra.ends_on >= {d}) AND ra.role_id IN ({list}))",
                d = p(0),
                list = placeholders(first + 1, ids.len())
            ),
            Recipients::Audience(Audience::Municipalities(ids), _) => {
                format!("u.org_id IN ({})", placeholders(first, ids.len()))
            }
            Recipients::Concerned { .. } => {
                assert_eq!(first, 9, "CONCERNED is written for $9 onwards");
                CONCERNED.to_owned()
            }
            Recipients::Administrators { .. } => {
                assert_eq!(first, 9, "ADMINISTRATORS is written for $9 onwards");
                ADMINISTRATORS.to_owned()
            }
        }
    }

    fn bind<'q>(
        &self,
        mut query: sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments>,
    ) -> sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments> {
        match self {
            Recipients::Audience(Audience::Everyone, _) => query,
            Recipients::Audience(Audience::Project(project), _) => query.bind(project.0),
            Recipients::Audience(Audience::Roles(ids), today) => {
                query = query.bind(*today);
                for id in ids {
                    query = query.bind(id.0);
                }
                query
            }
            Recipients::Audience(Audience::Municipalities(ids), _) => {
                for id in ids {
                    query = query.bind(id.0);
                }
                query
            }
            Recipients::Concerned {
                task,
                org,
                open_only,
                assigned_only,
                today,
            } => query
                .bind(*task)
                .bind(*org)
                .bind(*open_only)
                .bind(*today)
                .bind(*assigned_only),
            Recipients::Administrators { task } => query.bind(*task),
        }
    }
}

/// What a batch of notifications says and where it comes from.
struct Notice<'a> {
    kind: NotificationKind,
    source_key: &'a str,
    message_id: Option<i64>,
    task_id: Option<i64>,
    subject: &'a str,
    body: &'a str,
    link: Option<&'a str>,
}

/// Puts a notice in the inbox of every recipient who gets it (light users
/// and readers only get messages, "off" turns a notification off), each
/// person once per cause. Returns how many were added. The `CASE` and the
/// `WHERE` are `samspil_coordination::notification::plan` applied set-based, so
/// that a message to thousands is one statement; the rule's cases are
/// tested there and, through this SQL, in the integration tests.
async fn insert_notifications(
    conn: &mut Connection,
    notice: &Notice<'_>,
    recipients: &Recipients<'_>,
    at: OffsetDateTime,
) -> Result<u64> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO notifications (user_id, org_id, kind, source_key, message_id, task_id, subject, \
         body, link, email_plan, created_at) \
         SELECT u.id, u.org_id, $1, $2, $3, $4, $5, $6, $7, \
         CASE WHEN u.user_type = 'ordinary' AND u.email IS NOT NULL AND u.email <> '' \
         THEN COALESCE(p.frequency, 'immediately') ELSE 'off' END, $8 \
         FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id AND p.kind = $1 \
         WHERE u.active AND ($1 = 'message' OR COALESCE(p.frequency, 'immediately') <> 'off') \
         AND {} ON CONFLICT (source_key, user_id) DO NOTHING",
        recipients.condition(9)
    ));
    let query = sqlx::query(sql)
        .bind(notice.kind.as_str())
        .bind(notice.source_key)
        .bind(notice.message_id)
        .bind(notice.task_id)
        .bind(notice.subject)
        .bind(notice.body)
        .bind(notice.link)
        .bind(at);
    Ok(recipients
        .bind(query)
        .execute(&mut *conn)
        .await?
        .rows_affected())
}

/// Queues the e-mails of a cause's notifications that go immediately.
async fn queue_immediate(
    conn: &mut Connection,
    source_key: &str,
    mail_subject: Option<&str>,
    at: OffsetDateTime,
) -> Result<u64> {
    Ok(sqlx::query(
        "INSERT INTO deliveries (delivery_key, org_id, user_id, message_id, email, subject, body, \
         state, attempts, next_attempt_at, created_at) \
         SELECT n.source_key || ':' || CAST(n.user_id AS TEXT), n.org_id, n.user_id, n.message_id, \
         u.email, COALESCE($2, n.subject), n.body || $3, 'queued', 0, $4, $4 \
         FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE n.source_key = $1 AND n.email_plan = 'immediately' AND u.email IS NOT NULL \
         ON CONFLICT (delivery_key) DO NOTHING",
    )
    .bind(source_key)
    .bind(mail_subject)
    .bind(format!("\n\n{MAIL_FOOTER}"))
    .bind(at)
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

// ---- Community messages ----------------------------------------------------

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    category: String,
    subject: String,
    body: String,
    audience_label: String,
    created_by: String,
    created_at: OffsetDateTime,
    recipient_count: i64,
    queued: i64,
    sent: i64,
    failed: i64,
    read: i64,
}

// ---- Inbox and preferences -------------------------------------------------

#[derive(sqlx::FromRow)]
struct InboxRow {
    id: i64,
    kind: String,
    subject: String,
    body: String,
    link: Option<String>,
    message_id: Option<i64>,
    task_id: Option<i64>,
    created_at: OffsetDateTime,
    read: bool,
    email_plan: String,
}

// ---- Fan-out, reminders, digests -------------------------------------------

async fn task_facts(conn: &mut Connection, task: i64) -> Result<Option<TaskFacts>> {
    let row: Option<(Option<String>, String, Option<Date>)> =
        sqlx::query_as("SELECT code, title, end_date FROM tasks WHERE id = $1")
            .bind(task)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(code, title, end_date)| TaskFacts {
        code,
        title,
        end_date,
    }))
}

/// What changed, in Danish, from a `task.changed` event's payload.
fn change_detail(payload: &serde_json::Value) -> String {
    let fields: Vec<&str> = payload["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| f.as_str())
                .map(|f| match f {
                    "type" | "task_type" => "type",
                    "end" | "end_date" => "slutdato",
                    "start" | "start_date" => "startdato",
                    "period" | "period_text" => "periode",
                    other => other,
                })
                .collect()
        })
        .unwrap_or_default();
    let reason = payload["reason"].as_str().unwrap_or("").trim();
    match (fields.is_empty(), reason.is_empty()) {
        (true, _) => reason.to_owned(),
        (false, true) => fields.join(", "),
        (false, false) => format!("{}; begrundelse: {reason}", fields.join(", ")),
    }
}

#[async_trait]
impl MessageStore for Store {
    async fn message_recipient_count(
        &self,
        _access: &CommunityAccess,
        audience: &Audience,
    ) -> Result<RecipientCount> {
        let pool = &self.pool;
        use sqlx::Row;
        let recipients = Recipients::Audience(audience, now().date());
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN u.user_type = 'ordinary' AND u.email IS NOT NULL \
             AND u.email <> '' AND COALESCE(p.frequency, 'immediately') = 'immediately' THEN 1 ELSE 0 END), 0) \
             FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id AND p.kind = 'message' \
             WHERE u.active AND {}",
            recipients.condition(1)
        ));
        let row = recipients.bind(sqlx::query(sql)).fetch_one(pool).await?;
        let people: i64 = row.try_get(0)?;
        let by_email: i64 = row.try_get(1)?;
        Ok(RecipientCount {
            people: u64::try_from(people).unwrap_or(0),
            by_email: u64::try_from(by_email).unwrap_or(0),
        })
    }

    async fn send_message(
        &self,
        access: &CommunityAccess,
        message: &MessageSpec,
        audience_label: &str,
    ) -> Result<MessageSummary> {
        let pool = &self.pool;
        let at = now();
        let audience_json = serde_json::to_string(&message.audience)
            .map_err(|e| StorageError::Corrupt(format!("audience: {e}")))?;
        let mut tx = begin_write(pool).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO messages (category, subject, body, audience, audience_label, recipient_count, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $7) RETURNING id",
        )
        .bind(message.category.as_str())
        .bind(&message.subject)
        .bind(&message.body)
        .bind(&audience_json)
        .bind(audience_label)
        .bind(&access.actor().label)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        let source_key = format!("message:{id}");
        let recipients = insert_notifications(
            &mut tx,
            &Notice {
                kind: NotificationKind::Message,
                source_key: &source_key,
                message_id: Some(id),
                task_id: None,
                subject: &message.subject,
                body: &message.body,
                link: Some("/indbakke"),
            },
            &Recipients::Audience(&message.audience, at.date()),
            at,
        )
        .await?;
        sqlx::query("UPDATE messages SET recipient_count = $1 WHERE id = $2")
            .bind(i64::try_from(recipients).unwrap_or(i64::MAX))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let queued =
            queue_immediate(&mut tx, &source_key, Some(&message.mail_subject()), at).await?;
        append_audit(
            &mut tx,
            &AuditEntry {
                actor: access.actor().clone(),
                org_id: None,
                action: "message.send",
                entity_type: "message",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "category": message.category.as_str(),
                    "subject": message.subject,
                    "audience": audience_label,
                    "recipients": recipients,
                    "emails": queued,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(MessageSummary {
            id,
            category: message.category,
            subject: message.subject.clone(),
            body: message.body.clone(),
            audience: audience_label.to_owned(),
            created_by: access.actor().label.clone(),
            created_at: at,
            recipients,
            emails_queued: queued,
            emails_sent: 0,
            emails_failed: 0,
            read: 0,
        })
    }

    async fn messages(&self, _access: &CommunityAccess, limit: u32) -> Result<Vec<MessageSummary>> {
        let pool = &self.pool;
        let rows: Vec<MessageRow> = sqlx::query_as(
            "SELECT m.id, m.category, m.subject, m.body, m.audience_label, m.created_by, m.created_at, \
             m.recipient_count, \
             (SELECT COUNT(*) FROM deliveries d WHERE d.message_id = m.id AND d.state IN ('queued', 'sending')) AS queued, \
             (SELECT COUNT(*) FROM deliveries d WHERE d.message_id = m.id AND d.state = 'sent') AS sent, \
             (SELECT COUNT(*) FROM deliveries d WHERE d.message_id = m.id AND d.state = 'failed') AS failed, \
             (SELECT COUNT(*) FROM notifications n WHERE n.message_id = m.id AND n.read_at IS NOT NULL) AS read \
             FROM messages m ORDER BY m.id DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        rows.into_iter()
            .map(|row| {
                Ok(MessageSummary {
                    id: row.id,
                    category: samspil_coordination::notification::MessageCategory::parse(
                        &row.category,
                    )
                    .ok_or_else(|| {
                        StorageError::Corrupt(format!("message category '{}'", row.category))
                    })?,
                    subject: row.subject,
                    body: row.body,
                    audience: row.audience_label,
                    created_by: row.created_by,
                    created_at: row.created_at,
                    recipients: count(row.recipient_count),
                    emails_queued: count(row.queued),
                    emails_sent: count(row.sent),
                    emails_failed: count(row.failed),
                    read: count(row.read),
                })
            })
            .collect()
    }

    async fn inbox(&self, user: UserId, limit: u32) -> Result<Vec<InboxItem>> {
        let pool = &self.pool;
        let rows: Vec<InboxRow> = sqlx::query_as(
            "SELECT id, kind, subject, body, link, message_id, task_id, created_at, \
             read_at IS NOT NULL AS read, email_plan FROM notifications WHERE user_id = $1 \
             ORDER BY id DESC LIMIT $2",
        )
        .bind(user.0)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(InboxItem {
                    id: row.id,
                    kind: NotificationKind::parse(&row.kind).ok_or_else(|| {
                        StorageError::Corrupt(format!("notification kind '{}'", row.kind))
                    })?,
                    subject: row.subject,
                    body: row.body,
                    link: row.link,
                    message_id: row.message_id,
                    task_id: row.task_id,
                    created_at: row.created_at,
                    read: row.read,
                    email: Frequency::parse(&row.email_plan).ok_or_else(|| {
                        StorageError::Corrupt(format!("e-mail plan '{}'", row.email_plan))
                    })?,
                })
            })
            .collect()
    }

    async fn mark_read(&self, user: UserId, ids: &[i64]) -> Result<u64> {
        let pool = &self.pool;
        let sql = if ids.is_empty() {
            "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL"
                .to_owned()
        } else {
            format!(
                "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL AND id IN ({})",
                placeholders(3, ids.len())
            )
        };
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user.0)
            .bind(now());
        for id in ids {
            query = query.bind(*id);
        }
        Ok(query.execute(pool).await?.rows_affected())
    }

    async fn notification_preferences(&self, user: UserId) -> Result<Vec<NotificationPreference>> {
        let pool = &self.pool;
        let chosen: Vec<(String, String)> = sqlx::query_as(
            "SELECT kind, frequency FROM notification_preferences WHERE user_id = $1",
        )
        .bind(user.0)
        .fetch_all(pool)
        .await?;
        Ok(NotificationKind::ALL
            .into_iter()
            .map(|kind| NotificationPreference {
                kind,
                frequency: chosen
                    .iter()
                    .find(|(k, _)| k == kind.as_str())
                    .and_then(|(_, f)| Frequency::parse(f))
                    .unwrap_or_default(),
            })
            .collect())
    }

    async fn set_notification_preference(
        &self,
        user: UserId,
        kind: NotificationKind,
        frequency: Frequency,
    ) -> Result<()> {
        let pool = &self.pool;
        sqlx::query(
            "INSERT INTO notification_preferences (user_id, kind, frequency) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, kind) DO UPDATE SET frequency = excluded.frequency",
        )
        .bind(user.0)
        .bind(kind.as_str())
        .bind(frequency.as_str())
        .execute(pool)
        .await?;
        Ok(())
    }
}

#[async_trait]
impl NotificationStore for Store {
    async fn events_after(&self, after_id: i64, limit: u32) -> Result<Vec<EventRecord>> {
        let pool = &self.pool;
        let rows: Vec<(i64, String, Option<i64>, String, OffsetDateTime)> = sqlx::query_as(
            "SELECT id, kind, task_id, payload, created_at FROM events WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
        rows.into_iter()
            .map(|(id, kind, task_id, payload, created_at)| {
                Ok(EventRecord {
                    id,
                    kind,
                    task_id: task_id.map(TaskId),
                    payload: serde_json::from_str(&payload)
                        .map_err(|e| StorageError::Corrupt(format!("event {id} payload: {e}")))?,
                    created_at,
                })
            })
            .collect()
    }

    async fn fan_out_events(&self, limit: u32) -> Result<QueueReport> {
        let pool = &self.pool;
        let events: Vec<(i64, String, Option<i64>, String)> = sqlx::query_as(
            "SELECT id, kind, task_id, payload FROM events WHERE fanned_out_at IS NULL ORDER BY id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
        let mut report = QueueReport::default();
        for (id, event_kind, task_id, payload) in events {
            let at = now();
            let mut tx = begin_write(pool).await?;
            let payload: serde_json::Value = serde_json::from_str(&payload)
                .map_err(|e| StorageError::Corrupt(format!("event {id} payload: {e}")))?;
            let kind = NotificationKind::for_event(&event_kind);
            let facts = match task_id {
                Some(task) => task_facts(&mut tx, task).await?,
                None => None,
            };
            if let (Some(kind), Some(task), Some(facts)) = (kind, task_id, facts) {
                let detail = match event_kind.as_str() {
                    "task.changed" => change_detail(&payload),
                    "role.created" => payload["name"].as_str().unwrap_or("").to_owned(),
                    _ => String::new(),
                };
                let (subject, body) = task_text(kind, &event_kind, &facts, &detail);
                let today = at.date();
                let recipients = match event_kind.as_str() {
                    "role.created" => Recipients::Administrators { task },
                    "task.assigned" => Recipients::Concerned {
                        task,
                        org: payload["org_id"].as_i64(),
                        open_only: false,
                        assigned_only: true,
                        today,
                    },
                    _ => Recipients::Concerned {
                        task,
                        org: None,
                        open_only: false,
                        assigned_only: false,
                        today,
                    },
                };
                let source_key = format!("event:{id}");
                let link = format!("/opgaver/{task}");
                report.notifications += insert_notifications(
                    &mut tx,
                    &Notice {
                        kind,
                        source_key: &source_key,
                        message_id: None,
                        task_id: Some(task),
                        subject: &subject,
                        body: &body,
                        link: Some(&link),
                    },
                    &recipients,
                    at,
                )
                .await?;
                report.deliveries += queue_immediate(&mut tx, &source_key, None, at).await?;
            }
            sqlx::query("UPDATE events SET fanned_out_at = $1 WHERE id = $2")
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            report.handled += 1;
        }
        Ok(report)
    }

    async fn queue_reminders(&self, today: time::Date) -> Result<QueueReport> {
        let pool = &self.pool;
        const JOB: &str = "task_reminders";
        let mut report = QueueReport::default();
        let mut tx = begin_write(pool).await?;
        let done: Option<(Date,)> = sqlx::query_as("SELECT done_on FROM job_days WHERE name = $1")
            .bind(JOB)
            .fetch_optional(&mut *tx)
            .await?;
        if done.is_some_and(|(day,)| day >= today) {
            return Ok(report);
        }
        // Overdue reminders stop a year after the end date.
        let oldest = today.saturating_sub(time::Duration::days(365));
        let due = reminder_end_dates(today, oldest);
        let tasks: Vec<(i64, Option<String>, String, Date)> = sqlx::query_as(
            "SELECT id, code, title, end_date FROM tasks WHERE state = 'published' \
             AND end_date IS NOT NULL AND end_date >= $1 AND end_date <= $2 ORDER BY id",
        )
        .bind(oldest)
        .bind(today.saturating_add(time::Duration::days(7)))
        .fetch_all(&mut *tx)
        .await?;
        let at = now();
        for (task, code, title, end_date) in tasks {
            if !due.contains(&end_date) {
                continue;
            }
            let Some(reminder) = reminder_due(end_date, today) else {
                continue;
            };
            let facts = TaskFacts {
                code,
                title,
                end_date: Some(end_date),
            };
            let (subject, body) = task_text(
                NotificationKind::TaskReminder,
                "reminder",
                &facts,
                &reminder_sentence(reminder),
            );
            let source_key = format!("reminder:{task}:{today}");
            let link = format!("/opgaver/{task}");
            report.notifications += insert_notifications(
                &mut tx,
                &Notice {
                    kind: NotificationKind::TaskReminder,
                    source_key: &source_key,
                    message_id: None,
                    task_id: Some(task),
                    subject: &subject,
                    body: &body,
                    link: Some(&link),
                },
                &Recipients::Concerned {
                    task,
                    org: None,
                    open_only: true,
                    assigned_only: false,
                    today,
                },
                at,
            )
            .await?;
            report.deliveries += queue_immediate(&mut tx, &source_key, None, at).await?;
            report.handled += 1;
        }
        sqlx::query(
            "INSERT INTO job_days (name, done_on) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET done_on = excluded.done_on",
        )
        .bind(JOB)
        .bind(today)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(report)
    }

    async fn queue_digests(&self, at: OffsetDateTime) -> Result<QueueReport> {
        let pool = &self.pool;
        let mut report = QueueReport::default();
        for frequency in [Frequency::Daily, Frequency::Weekly] {
            let Some(period) = digest_period(frequency, at) else {
                continue;
            };
            let users: Vec<(i64,)> = sqlx::query_as(
                "SELECT DISTINCT user_id FROM notifications WHERE delivery_id IS NULL \
                 AND email_plan = $1 AND created_at < $2",
            )
            .bind(frequency.as_str())
            .bind(period.cutoff)
            .fetch_all(pool)
            .await?;
            for (user,) in users {
                let mut tx = begin_write(pool).await?;
                let items: Vec<(String, String)> = sqlx::query_as(
                    "SELECT subject, body FROM notifications WHERE user_id = $1 AND delivery_id IS NULL \
                     AND email_plan = $2 AND created_at < $3 ORDER BY id",
                )
                .bind(user)
                .bind(frequency.as_str())
                .bind(period.cutoff)
                .fetch_all(&mut *tx)
                .await?;
                let items: Vec<DigestItem> = items
                    .into_iter()
                    .map(|(subject, body)| DigestItem { subject, body })
                    .collect();
                let (subject, body) = digest_text(frequency, &items);
                let key = format!("digest:{}:{user}:{}", frequency.as_str(), period.period);
                let delivery: Option<(i64,)> = sqlx::query_as(
                    "INSERT INTO deliveries (delivery_key, org_id, user_id, email, subject, \
                     body, state, attempts, next_attempt_at, created_at) \
                     SELECT $1, u.org_id, u.id, u.email, $2, $3, 'queued', 0, $4, $4 \
                     FROM users u WHERE u.id = $5 AND u.email IS NOT NULL \
                     ON CONFLICT (delivery_key) DO NOTHING RETURNING id",
                )
                .bind(&key)
                .bind(&subject)
                .bind(&body)
                .bind(at)
                .bind(user)
                .fetch_optional(&mut *tx)
                .await?;
                // Without a new delivery (no address, or this period's digest
                // already went) the notifications wait for the next period.
                if let Some((delivery,)) = delivery {
                    sqlx::query(
                        "UPDATE notifications SET delivery_id = $1 WHERE user_id = $2 \
                         AND delivery_id IS NULL AND email_plan = $3 AND created_at < $4",
                    )
                    .bind(delivery)
                    .bind(user)
                    .bind(frequency.as_str())
                    .bind(period.cutoff)
                    .execute(&mut *tx)
                    .await?;
                    report.deliveries += 1;
                    report.notifications += items.len() as u64;
                }
                tx.commit().await?;
                report.handled += 1;
            }
        }
        Ok(report)
    }
}
