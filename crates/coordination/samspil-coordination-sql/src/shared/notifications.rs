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
    Audience, DigestItem, Frequency, MessageSpec, NotificationKind, TaskFacts, digest_period,
    digest_text, mail_footer, reminder_due, reminder_end_dates, reminder_sentence, task_text,
};
use samspil_coordination_storage::{
    InboxItem, MessageHeadline, MessageSummary, NotificationPreference, QueueReport, RecipientCount,
};
use samspil_domain::Language;
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
    /// The people concerned with a change of a task, in each municipality
    /// it is published to: whoever it is given to (a person or a role's
    /// current holders), the holders of its recommended executing role and
    /// of its involved roles, and the municipality's KOMBIT-programleder;
    /// the administrators where none of them is an ordinary user.
    Changed {
        task: i64,
        today: Date,
    },
    /// The administrators of the municipalities a task is published to.
    Administrators {
        task: i64,
    },
    /// Community staff (a municipality's comment on a task).
    Staff,
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

/// A current holder `ra` (on `$10`) of a role `r` the task `t` names: its
/// executing role, one of its involved roles (kept comma-separated) or the
/// programme manager's role (`$11`).
macro_rules! named_role {
    () => {
        concat!(
            "(lower(r.name) = lower(t.executor_role) OR lower(r.name) = lower($11) ",
            "OR lower(replace(',' || t.involved_roles || ',', ', ', ',')) LIKE '%,' || lower(r.name) || ',%')"
        )
    };
}

const CHANGED: &str = concat!(
    "u.user_type = 'ordinary' ",
    "AND EXISTS (SELECT 1 FROM task_statuses s WHERE s.task_id = $9 AND s.org_id = u.org_id) AND (",
    // Given to this person, or to a role they hold now.
    "EXISTS (SELECT 1 FROM task_assignments ta WHERE ta.task_id = $9 AND ta.org_id = u.org_id ",
    "AND (ta.user_id = u.id OR EXISTS (SELECT 1 FROM role_assignments ra WHERE ra.role_id = ta.role_id ",
    "AND ra.org_id = u.org_id AND ra.user_id = u.id AND ",
    current!("10"),
    "))) ",
    // A holder of a role the task names.
    "OR EXISTS (SELECT 1 FROM role_assignments ra JOIN roles r ON r.id = ra.role_id ",
    "JOIN tasks t ON t.id = $9 WHERE ra.org_id = u.org_id AND ra.user_id = u.id AND ",
    current!("10"),
    " AND ",
    named_role!(),
    ") ",
    // Nobody else to tell: the administrators.
    "OR (u.role = 'admin' AND NOT EXISTS (SELECT 1 FROM task_assignments ta WHERE ta.task_id = $9 ",
    "AND ta.org_id = u.org_id) AND NOT EXISTS (SELECT 1 FROM role_assignments ra ",
    "JOIN roles r ON r.id = ra.role_id JOIN tasks t ON t.id = $9 JOIN users h ON h.id = ra.user_id ",
    "WHERE ra.org_id = u.org_id AND h.active AND h.user_type = 'ordinary' AND ",
    current!("10"),
    " AND ",
    named_role!(),
    ")))"
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
            Recipients::Changed { .. } => {
                assert_eq!(first, 9, "CHANGED is written for $9 onwards");
                CHANGED.to_owned()
            }
            Recipients::Administrators { .. } => {
                assert_eq!(first, 9, "ADMINISTRATORS is written for $9 onwards");
                ADMINISTRATORS.to_owned()
            }
            Recipients::Staff => "u.role = 'staff' AND u.user_type = 'ordinary'".to_owned(),
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
            Recipients::Changed { task, today } => query
                .bind(*task)
                .bind(*today)
                .bind(samspil_coordination::notification::PROGRAM_MANAGER_ROLE),
            Recipients::Administrators { task } => query.bind(*task),
            Recipients::Staff => query,
        }
    }
}

/// What a batch of notifications says and where it comes from.
struct Notice<'a> {
    kind: NotificationKind,
    source_key: &'a str,
    message_id: Option<i64>,
    task_id: Option<i64>,
    /// Subject and body in Danish and in English: each recipient gets the
    /// one of the language they chose (`users.language`).
    texts: Texts<'a>,
    link: Option<&'a str>,
}

/// A notice's subject and body in each language.
struct Texts<'a> {
    da: (&'a str, &'a str),
    en: (&'a str, &'a str),
}

impl<'a> Texts<'a> {
    /// What a person wrote (a community message): the same for everyone.
    fn as_written(subject: &'a str, body: &'a str) -> Self {
        Texts {
            da: (subject, body),
            en: (subject, body),
        }
    }
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
        .bind(notice.texts.da.0)
        .bind(notice.texts.da.1)
        .bind(notice.link)
        .bind(at);
    let added = recipients
        .bind(query)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    // Those who chose English get the English text: one statement for the
    // cause, so that a notice to thousands stays two.
    if notice.texts.en != notice.texts.da {
        sqlx::query(
            "UPDATE notifications SET subject = $1, body = $2 WHERE source_key = $3 \
             AND user_id IN (SELECT id FROM users WHERE language = 'en')",
        )
        .bind(notice.texts.en.0)
        .bind(notice.texts.en.1)
        .bind(notice.source_key)
        .execute(&mut *conn)
        .await?;
    }
    Ok(added)
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
         u.email, COALESCE($2, n.subject), \
         n.body || CASE WHEN u.language = 'en' THEN $5 ELSE $3 END, 'queued', 0, $4, $4 \
         FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE n.source_key = $1 AND n.email_plan = 'immediately' AND u.email IS NOT NULL \
         ON CONFLICT (delivery_key) DO NOTHING",
    )
    .bind(source_key)
    .bind(mail_subject)
    .bind(format!("\n\n{}", mail_footer(Language::Da)))
    .bind(at)
    .bind(format!("\n\n{}", mail_footer(Language::En)))
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

/// What changed and why, for a change's notification, from the event's
/// payload, in the recipient's language.
fn change_detail(language: Language, payload: &serde_json::Value) -> String {
    let fields: Vec<&str> = payload["fields"]
        .as_array()
        .map(|fields| fields.iter().filter_map(|f| f.as_str()).collect())
        .unwrap_or_default();
    samspil_coordination::notification::change_detail(
        language,
        &fields,
        payload["reason"].as_str().unwrap_or(""),
    )
}
