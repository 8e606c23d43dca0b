//! A task's questions, the municipalities' answers and their comments.

use async_trait::async_trait;
use samspil_coordination::question::{QuestionId, QuestionSpec};
use samspil_coordination::task::TaskId;
use samspil_domain::{CommunityAccess, OrgAccess, OrgId};
use samspil_storage::Result;
use serde::Serialize;
use time::OffsetDateTime;

/// A task's questions, the municipalities' answers to them and their
/// comments on the task.
#[async_trait]
pub trait AnswerStore: Send + Sync {
    /// Adds a question to a draft task.
    async fn add_question(
        &self,
        access: &CommunityAccess,
        task: TaskId,
        spec: &QuestionSpec,
    ) -> Result<Question>;

    /// Edits a question of a task that is not closed: on a published task
    /// with a reason (kept as history and raised as an event), and its kind
    /// and options only while nobody has answered it
    /// (`samspil_coordination::task::check_question_edit`).
    async fn edit_question(
        &self,
        access: &CommunityAccess,
        task: TaskId,
        question: QuestionId,
        spec: &QuestionSpec,
        reason: &str,
    ) -> Result<Question>;

    /// A task's questions in order.
    async fn questions(&self, task: TaskId) -> Result<Vec<Question>>;

    /// One municipality's answers to a task's questions.
    async fn answers(&self, access: &OrgAccess, task: TaskId) -> Result<Vec<AnswerRecord>>;

    /// Every municipality's answers to a task's questions (community staff).
    async fn all_answers(
        &self,
        access: &CommunityAccess,
        task: TaskId,
    ) -> Result<Vec<AnswerRecord>>;

    /// Saves a municipality's answers: each is checked against its question;
    /// an empty answer removes an earlier one. All or nothing.
    async fn save_answers(
        &self,
        access: &OrgAccess,
        task: TaskId,
        answers: &[(QuestionId, Vec<String>)],
    ) -> Result<Vec<AnswerRecord>>;

    /// Adds a comment to a municipality's thread on a task published to it:
    /// by its own people, or by staff (whose access reaches every
    /// municipality) in reply. The other side is told (`task.comment`).
    async fn add_comment(&self, access: &OrgAccess, task: TaskId, body: &str) -> Result<Comment>;

    /// One municipality's comments on a task, oldest first.
    async fn comments(&self, access: &OrgAccess, task: TaskId) -> Result<Vec<Comment>>;

    /// Every municipality's comments on a task (community staff).
    async fn all_comments(&self, access: &CommunityAccess, task: TaskId) -> Result<Vec<Comment>>;
}

/// A question of a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    pub id: samspil_coordination::question::QuestionId,
    pub task_id: TaskId,
    pub spec: samspil_coordination::question::QuestionSpec,
}

/// One municipality's answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerRecord {
    pub question_id: samspil_coordination::question::QuestionId,
    pub org_id: OrgId,
    pub values: Vec<String>,
}

/// A municipality's comment on a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub id: i64,
    pub task_id: TaskId,
    pub org_id: OrgId,
    pub org_name: String,
    pub author: String,
    /// The organisation of the author (the community for staff).
    pub author_org: Option<String>,
    /// Written by community staff, in reply to the municipality.
    pub from_community: bool,
    pub body: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}
