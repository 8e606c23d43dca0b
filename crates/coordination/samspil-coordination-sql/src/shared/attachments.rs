// Files on tasks. Included by `shared.rs` as the module `attachments`.

use samspil_coordination::attachment::check_file;
use samspil_coordination::task::TaskState;
use samspil_coordination_storage::{Attachment, NewAttachment, TaskParty};
use samspil_domain::ValidationError;

#[derive(sqlx::FromRow)]
struct AttachmentRow {
    id: i64,
    task_id: i64,
    org_id: Option<i64>,
    org_name: Option<String>,
    file_name: String,
    content_type: String,
    size_bytes: i64,
    sha256: String,
    uploaded_at: time::OffsetDateTime,
    uploaded_by: String,
}

impl From<AttachmentRow> for Attachment {
    fn from(row: AttachmentRow) -> Self {
        Attachment {
            id: row.id,
            task_id: TaskId(row.task_id),
            org_id: row.org_id.map(OrgId),
            org_name: row.org_name,
            file_name: row.file_name,
            content_type: row.content_type,
            size_bytes: row.size_bytes,
            sha256: row.sha256,
            uploaded_at: row.uploaded_at,
            uploaded_by: row.uploaded_by,
        }
    }
}

const ATTACHMENT_COLUMNS: &str = "a.id, a.task_id, a.org_id, o.name AS org_name, a.file_name, \
     a.content_type, a.size_bytes, a.sha256, a.uploaded_at, a.uploaded_by \
     FROM task_attachments a LEFT JOIN organisations o ON o.id = a.org_id ";

/// The task as the party may see it: staff every task, a municipality only
/// one published to it.
async fn visible_task(
    conn: &mut Connection,
    party: &TaskParty<'_>,
    task: TaskId,
) -> Result<samspil_coordination_storage::Task> {
    let found = match party {
        TaskParty::Community(_) => super::tasks::fetch_task(conn, task).await?,
        TaskParty::Municipality(access) => {
            super::tasks::fetch_municipality_task(conn, access, task)
                .await?
                .map(|mt| mt.task)
        }
    };
    found.ok_or(StorageError::NotFound("task"))
}

/// Which files of a task the party may read: staff all of them, a
/// municipality the community's and its own.
fn visibility(party: &TaskParty<'_>) -> Option<i64> {
    match party {
        TaskParty::Community(_) => None,
        TaskParty::Municipality(access) => Some(access.org_id().0),
    }
}

/// A file answer must name one of the municipality's own files on the task.
pub(super) async fn check_own_file(
    conn: &mut Connection,
    access: &OrgAccess,
    task: TaskId,
    id: &str,
) -> Result<()> {
    let id: i64 = id.parse().unwrap_or(0);
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM task_attachments WHERE id = $1 AND task_id = $2 AND org_id = $3",
    )
    .bind(id)
    .bind(task.0)
    .bind(access.org_id().0)
    .fetch_optional(&mut *conn)
    .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(ValidationError::named(
            "answer",
            "answer-file-not-yours",
            format!("file {id} is not one of your files on this task"),
        )
        .into()),
    }
}

#[async_trait]
impl AttachmentStore for Store {
    async fn add_attachment(
        &self,
        party: TaskParty<'_>,
        task: TaskId,
        file: &NewAttachment,
    ) -> Result<Attachment> {
        if let TaskParty::Municipality(access) = party {
            require_work(access)?;
        }
        let pool = &self.pool;
        let checked = check_file(&file.file_name, file.content.len())?;
        let mut tx = begin_write(pool).await?;
        let current = visible_task(&mut tx, &party, task).await?;
        let open = match party {
            TaskParty::Community(_) => current.state != TaskState::Closed,
            TaskParty::Municipality(_) => current.state == TaskState::Published,
        };
        if !open {
            return Err(ValidationError::named(
                "state",
                "attachment-task-state",
                format!("files cannot be added to a {} task", current.state.as_str()),
            )
            .into());
        }
        let (org, actor) = match &party {
            TaskParty::Community(access) => (None, access.actor()),
            TaskParty::Municipality(access) => (Some(access.org_id()), access.actor()),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO task_attachments (task_id, org_id, file_name, content_type, size_bytes, \
             sha256, content, uploaded_at, uploaded_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(task.0)
        .bind(org.map(|o| o.0))
        .bind(&checked.file_name)
        .bind(checked.content_type)
        .bind(i64::try_from(file.content.len()).unwrap_or(i64::MAX))
        .bind(&file.sha256)
        .bind(&file.content)
        .bind(now())
        .bind(&actor.label)
        .fetch_one(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(actor, org, "task_attachment.create", "task_attachment", id).after(
                serde_json::json!({
                    "task_id": task.0,
                    "file_name": checked.file_name,
                    "size_bytes": file.content.len(),
                    "sha256": file.sha256,
                }),
            ),
        )
        .await?;
        let row: AttachmentRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ATTACHMENT_COLUMNS}WHERE a.id = $1"
        )))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(row.into())
    }

    async fn attachments(&self, party: TaskParty<'_>, task: TaskId) -> Result<Vec<Attachment>> {
        let pool = &self.pool;
        let mut conn = pool.acquire().await?;
        visible_task(&mut conn, &party, task).await?;
        let rows: Vec<AttachmentRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ATTACHMENT_COLUMNS}WHERE a.task_id = $1 \
             AND ($2 IS NULL OR a.org_id IS NULL OR a.org_id = $2) ORDER BY a.org_id IS NOT NULL, o.name, a.id"
        )))
        .bind(task.0)
        .bind(visibility(&party))
        .fetch_all(&mut *conn)
        .await?;
        Ok(rows.into_iter().map(Attachment::from).collect())
    }

    async fn attachment_content(
        &self,
        party: TaskParty<'_>,
        task: TaskId,
        id: i64,
    ) -> Result<Option<(Attachment, Vec<u8>)>> {
        let pool = &self.pool;
        let mut conn = pool.acquire().await?;
        visible_task(&mut conn, &party, task).await?;
        let filter = "WHERE a.id = $1 AND a.task_id = $2 AND ($3 IS NULL OR a.org_id IS NULL OR a.org_id = $3)";
        let Some(row) = sqlx::query_as::<_, AttachmentRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {ATTACHMENT_COLUMNS}{filter}"
        )))
        .bind(id)
        .bind(task.0)
        .bind(visibility(&party))
        .fetch_optional(&mut *conn)
        .await?
        else {
            return Ok(None);
        };
        let content: Vec<u8> =
            sqlx::query_scalar("SELECT content FROM task_attachments WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
        Ok(Some((row.into(), content)))
    }
}
