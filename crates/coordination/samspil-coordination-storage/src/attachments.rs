//! Files kept on tasks.

use async_trait::async_trait;
use samspil_coordination::task::TaskId;
use samspil_domain::{CommunityAccess, OrgAccess, OrgId};
use samspil_storage::Result;
use serde::Serialize;
use time::OffsetDateTime;

/// Files kept on tasks: the community's for every municipality the task
/// reaches, and a municipality's own.
#[async_trait]
pub trait AttachmentStore: Send + Sync {
    /// Keeps a file on a task: the community's (for every municipality the
    /// task reaches; not on a closed task) or a municipality's own (on a
    /// published task).
    async fn add_attachment(
        &self,
        party: TaskParty<'_>,
        task: TaskId,
        file: &NewAttachment,
    ) -> Result<Attachment>;

    /// A task's files the party may read: all for staff, the community's
    /// and its own for a municipality.
    async fn attachments(&self, party: TaskParty<'_>, task: TaskId) -> Result<Vec<Attachment>>;

    /// One file with its content, if the party may read it.
    async fn attachment_content(
        &self,
        party: TaskParty<'_>,
        task: TaskId,
        id: i64,
    ) -> Result<Option<(Attachment, Vec<u8>)>>;
}

/// Who acts on a task's files: the community or one municipality.
#[derive(Debug, Clone, Copy)]
pub enum TaskParty<'a> {
    Community(&'a CommunityAccess),
    Municipality(&'a OrgAccess),
}

/// A file kept on a task (its content is read separately).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub task_id: TaskId,
    /// The municipality that uploaded it; `None` for the community's files.
    pub org_id: Option<OrgId>,
    pub org_name: Option<String>,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
    pub uploaded_by: String,
}

#[derive(Debug, Clone)]
pub struct NewAttachment {
    /// As the browser or client sent it; checked and cut to its last part.
    pub file_name: String,
    pub content: Vec<u8>,
    /// Hex SHA-256 of the content.
    pub sha256: String,
}
