//! The storage API of samspil.
//!
//! The rest of the program sees storage only through the [`Storage`] trait;
//! `samspil-storage-sqlite` and `samspil-storage-postgres` implement it, each
//! with its own migrations. SQL that both databases accept is written once,
//! in `src/shared_sql.rs`, and compiled into each backend against its own
//! typed pool (see `ARCHITECTURE.md` for why).

mod api_tokens;
mod audit;
mod database;
mod directory_sync_records;
mod error;
mod federated_login;
mod login_throttle;
pub mod notification_records;
mod organisations;
pub mod records;
mod second_factor;
mod sessions;

use async_trait::async_trait;
use samspil_domain::notification::{Audience, Frequency, MessageSpec, NotificationKind};
use samspil_domain::question::{QuestionId, QuestionSpec};
use samspil_domain::role::{AssignmentId, RoleId, RoleSpec};
use samspil_domain::task::{ProjectId, TaskId, TaskStatus};
use samspil_domain::{CommunityAccess, OrgAccess, OrgId, UserId};

pub use api_tokens::{ApiToken, ApiTokenStore, NewApiToken, Revocation};
pub use audit::{AuditRecord, AuditStore};
pub use database::DatabaseAdmin;
pub use directory_sync_records::*;
pub use error::{Result, StorageError};
pub use federated_login::{FederatedLoginStore, PendingFederatedLogin};
pub use login_throttle::{AddressAttempts, LoginFailures, LoginThrottleStore};
pub use notification_records::*;
pub use organisations::{
    NewUser, OrgUnit, OrgUnitId, Organisation, OrganisationStore, SyncReport, User,
};
pub use records::*;
pub use second_factor::{NewPendingLogin, PendingLogin, SecondFactorStore, TotpEnrolment};
pub use sessions::{Credentials, NewSession, Session, SessionStore};

/// Everything samspil keeps. Methods that touch an organisation's own data
/// take an [`OrgAccess`], never a bare organisation id.
#[async_trait]
pub trait Storage:
    DatabaseAdmin
    + OrganisationStore
    + AuditStore
    + SessionStore
    + ApiTokenStore
    + LoginThrottleStore
    + SecondFactorStore
    + FederatedLoginStore
    + Send
    + Sync
    + 'static
{
    // ---- Projects, tasks and statuses ----

    async fn projects(&self) -> Result<Vec<Project>>;

    /// Creates a project with its participating municipalities (all 98
    /// unless chosen).
    async fn create_project(
        &self,
        access: &CommunityAccess,
        project: &NewProject,
    ) -> Result<Project>;

    /// Creates a task as a draft.
    async fn create_task(&self, access: &CommunityAccess, task: &NewTask) -> Result<Task>;

    /// Publishes a draft to the project's municipalities.
    async fn publish_task(&self, access: &CommunityAccess, id: TaskId) -> Result<Task>;

    /// Changes a task's type or schedule; for a published task the change
    /// is kept as history and raised as an event.
    async fn change_task(
        &self,
        access: &CommunityAccess,
        id: TaskId,
        change: &TaskChange,
    ) -> Result<Task>;

    /// A task, whatever its state; callers decide who may see drafts.
    async fn task(&self, id: TaskId) -> Result<Option<Task>>;

    /// Tasks with their national counts, critical first and by deadline.
    async fn tasks(&self, filter: &TaskFilter) -> Result<Vec<Task>>;

    async fn task_history(&self, id: TaskId) -> Result<Vec<TaskChangeRecord>>;

    /// The tasks published to one municipality, with its own status.
    async fn municipality_tasks(
        &self,
        access: &OrgAccess,
        filter: &TaskFilter,
    ) -> Result<Vec<MunicipalityTask>>;

    async fn municipality_task(
        &self,
        access: &OrgAccess,
        id: TaskId,
    ) -> Result<Option<MunicipalityTask>>;

    /// Sets one municipality's status on a task by the domain's rule.
    async fn set_task_status(
        &self,
        access: &OrgAccess,
        id: TaskId,
        status: TaskStatus,
        reason: Option<&str>,
    ) -> Result<MunicipalityTask>;

    /// Every municipality's status on a task: the lists behind the numbers.
    async fn task_statuses(
        &self,
        access: &CommunityAccess,
        id: TaskId,
    ) -> Result<Vec<MunicipalityStatus>>;

    /// Sets many municipalities' statuses on a published task at once, as
    /// when statuses are brought over from the old coordination tool (and
    /// for the demo). One transaction, one audit entry; the step rule of
    /// [`set_task_status`](Storage::set_task_status) does not apply because
    /// these are reports of where municipalities already stand.
    async fn import_task_statuses(
        &self,
        access: &CommunityAccess,
        id: TaskId,
        statuses: &[(OrgId, TaskStatus)],
    ) -> Result<Task>;

    /// For each project: participants, published tasks and how many
    /// municipalities are not done.
    async fn project_progress(&self) -> Result<Vec<ProjectProgress>>;

    /// Brings one municipality's people and units in line with its
    /// organisation directory on `snapshot.as_of`: creates, updates,
    /// moves in from another municipality, deactivates whoever is gone.
    /// All or nothing; running it again changes nothing.
    async fn import_directory(
        &self,
        access: &OrgAccess,
        snapshot: &samspil_domain::directory::DirectorySnapshot,
    ) -> Result<DirectoryReport>;

    /// How many people `import_directory` would deactivate with this
    /// snapshot, out of the active people the directory manages: the
    /// sync's safety net against a truncated answer. Same rule as the
    /// import, read without writing.
    async fn preview_directory_deactivations(
        &self,
        access: &OrgAccess,
        snapshot: &samspil_domain::directory::DirectorySnapshot,
    ) -> Result<DeactivationPreview>;

    /// Reserves the municipality's directory sync for `owner` until
    /// `now + lease`, if no one else holds it and (unless `due_only` is
    /// false) its next run is due. `None` when it is not to be run now.
    async fn claim_directory_sync(
        &self,
        access: &OrgAccess,
        now: time::OffsetDateTime,
        lease: std::time::Duration,
        owner: &str,
        due_only: bool,
    ) -> Result<Option<DirectorySyncClaim>>;

    /// Records a run, sets the next one and releases the claim. The first
    /// failure after a success is also written to the audit log, so that
    /// the municipality's administrators see it.
    async fn finish_directory_sync(
        &self,
        access: &OrgAccess,
        run: &FinishedDirectorySync,
    ) -> Result<()>;

    /// Where the municipality's sync stands, with its `runs` latest runs;
    /// `None` if it has never been scheduled.
    async fn directory_sync_status(
        &self,
        access: &OrgAccess,
        runs: u32,
    ) -> Result<Option<DirectorySyncStatus>>;

    /// A municipality's own task, published at once to it alone and never
    /// part of the national status or the community's lists.
    async fn create_local_task(
        &self,
        access: &OrgAccess,
        task: &NewTask,
    ) -> Result<MunicipalityTask>;

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

    /// For each business area of a project: its published tasks and how many
    /// municipalities still have one of them to complete.
    async fn area_progress(&self) -> Result<Vec<AreaProgress>>;

    /// The status counts of these tasks among the municipalities of one
    /// region (the national counts are on each [`Task`]).
    async fn region_counts(
        &self,
        region: &str,
        tasks: &[TaskId],
    ) -> Result<Vec<(TaskId, samspil_domain::task::StatusCounts)>>;

    /// Every municipality's open, overdue (on `today`) and critical tasks.
    async fn municipality_progress(
        &self,
        access: &CommunityAccess,
        today: time::Date,
    ) -> Result<Vec<MunicipalityProgress>>;

    /// One municipality's open, overdue and critical tasks.
    async fn own_progress(
        &self,
        access: &OrgAccess,
        today: time::Date,
    ) -> Result<MunicipalityProgress>;

    /// Adds a question to a draft task.
    async fn add_question(
        &self,
        access: &CommunityAccess,
        task: TaskId,
        spec: &QuestionSpec,
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

    /// Closes a published task: its statuses and answers stay as they are.
    async fn close_task(&self, access: &CommunityAccess, id: TaskId) -> Result<Task>;

    /// Adds a municipality's comment to a task published to it.
    async fn add_comment(&self, access: &OrgAccess, task: TaskId, body: &str) -> Result<Comment>;

    /// One municipality's comments on a task, oldest first.
    async fn comments(&self, access: &OrgAccess, task: TaskId) -> Result<Vec<Comment>>;

    /// Every municipality's comments on a task (community staff).
    async fn all_comments(&self, access: &CommunityAccess, task: TaskId) -> Result<Vec<Comment>>;

    /// Events raised after the event `after_id`, oldest first: what the
    /// notification worker delivers.
    async fn events_after(&self, after_id: i64, limit: u32) -> Result<Vec<EventRecord>>;

    /// Gives a municipality's task to one of its roles or people, or to
    /// nobody (`None`).
    async fn assign_task(
        &self,
        access: &OrgAccess,
        task: TaskId,
        assignee: Option<TaskAssignee>,
    ) -> Result<()>;

    // ---- The role gallery ----

    /// The whole catalogue.
    async fn roles(&self) -> Result<Vec<Role>>;

    /// The roles that apply to one municipality: cross-cutting ones and
    /// those of the IT solutions it uses.
    async fn municipality_roles(&self, access: &OrgAccess) -> Result<Vec<Role>>;

    /// Adds a role to the catalogue. With `announce` (every new role but
    /// those of a catalogue brought over from elsewhere) it also publishes
    /// the task in "KLIK" that asks every municipality the role applies to
    /// to fill it, and returns that task.
    async fn create_role(
        &self,
        access: &CommunityAccess,
        spec: RoleSpec,
        announce: bool,
    ) -> Result<(Role, Option<TaskId>)>;

    async fn update_role(
        &self,
        access: &CommunityAccess,
        id: RoleId,
        spec: RoleSpec,
    ) -> Result<Role>;

    /// The IT solutions (projects) a municipality uses.
    async fn solutions_used(&self, access: &OrgAccess) -> Result<Vec<ProjectId>>;

    /// Records whether a municipality uses an IT solution (takes part in
    /// the project).
    async fn set_solution_use(
        &self,
        access: &CommunityAccess,
        org: OrgId,
        solution: ProjectId,
        uses: bool,
    ) -> Result<()>;

    /// Who in a municipality has access to which IT solution.
    async fn solution_access(&self, access: &OrgAccess) -> Result<Vec<SolutionAccess>>;

    async fn grant_solution_access(
        &self,
        access: &OrgAccess,
        user: UserId,
        solution: ProjectId,
    ) -> Result<()>;

    async fn revoke_solution_access(
        &self,
        access: &OrgAccess,
        user: UserId,
        solution: ProjectId,
    ) -> Result<()>;

    /// A municipality's role assignments, current, future and ended.
    async fn role_assignments(&self, access: &OrgAccess) -> Result<Vec<RoleAssignment>>;

    async fn assign_role(
        &self,
        access: &OrgAccess,
        assignment: &NewAssignment,
    ) -> Result<RoleAssignment>;

    async fn end_role_assignment(
        &self,
        access: &OrgAccess,
        id: AssignmentId,
        last_day: time::Date,
    ) -> Result<RoleAssignment>;

    async fn mark_primary_holder(
        &self,
        access: &OrgAccess,
        id: AssignmentId,
    ) -> Result<RoleAssignment>;

    /// Every municipality's role gaps on `today`.
    async fn all_role_gaps(
        &self,
        access: &CommunityAccess,
        today: time::Date,
    ) -> Result<Vec<RoleGap>>;

    /// One municipality's role gaps on `today`.
    async fn role_gaps(&self, access: &OrgAccess, today: time::Date) -> Result<Vec<RoleGap>>;

    /// The current holders of a role in every municipality: a contact list.
    async fn role_holders(
        &self,
        access: &CommunityAccess,
        role: RoleId,
        today: time::Date,
    ) -> Result<Vec<RoleHolder>>;

    // ---- Contact lists kept by hand ----

    async fn contact_lists(&self, access: &CommunityAccess) -> Result<Vec<ContactList>>;

    async fn create_contact_list(
        &self,
        access: &CommunityAccess,
        name: &str,
        description: &str,
    ) -> Result<ContactList>;

    async fn contact_entries(
        &self,
        access: &CommunityAccess,
        list: i64,
    ) -> Result<Vec<ContactEntry>>;

    async fn add_contact_entry(
        &self,
        access: &CommunityAccess,
        list: i64,
        entry: &NewContactEntry,
    ) -> Result<ContactEntry>;

    async fn delete_contact_entry(
        &self,
        access: &CommunityAccess,
        list: i64,
        entry: i64,
    ) -> Result<()>;

    // ---- Messages, notifications and the mail outbox ----

    /// How many people a message to `audience` would reach now.
    async fn message_recipient_count(
        &self,
        access: &CommunityAccess,
        audience: &Audience,
    ) -> Result<RecipientCount>;

    /// Stores a community message, puts it in every recipient's inbox and
    /// queues its e-mails, all in one transaction.
    async fn send_message(
        &self,
        access: &CommunityAccess,
        message: &MessageSpec,
        audience_label: &str,
    ) -> Result<MessageSummary>;

    /// The community's messages, newest first, with delivery totals.
    async fn messages(&self, access: &CommunityAccess, limit: u32) -> Result<Vec<MessageSummary>>;

    /// A person's own inbox, newest first.
    async fn inbox(&self, user: UserId, limit: u32) -> Result<Vec<InboxItem>>;

    /// Marks entries of a person's own inbox read (all when `ids` is empty).
    async fn mark_read(&self, user: UserId, ids: &[i64]) -> Result<u64>;

    /// A person's choice for every kind (the default where none is made).
    async fn notification_preferences(&self, user: UserId) -> Result<Vec<NotificationPreference>>;

    async fn set_notification_preference(
        &self,
        user: UserId,
        kind: NotificationKind,
        frequency: Frequency,
    ) -> Result<()>;

    /// Turns events raised by changes into notifications for the people
    /// concerned, each event once.
    async fn fan_out_events(&self, limit: u32) -> Result<QueueReport>;

    /// Queues the reminders due on `today` (once per day).
    async fn queue_reminders(&self, today: time::Date) -> Result<QueueReport>;

    /// Queues the daily and weekly digests due at `now`.
    async fn queue_digests(&self, now: time::OffsetDateTime) -> Result<QueueReport>;

    /// Claims up to `limit` due deliveries for `lease`: queued ones whose
    /// time has come and ones whose earlier claim expired.
    async fn claim_deliveries(
        &self,
        now: time::OffsetDateTime,
        lease: std::time::Duration,
        limit: u32,
    ) -> Result<Vec<PendingDelivery>>;

    /// The server accepted the delivery: it is never sent again.
    async fn mark_delivery_sent(&self, id: i64, at: time::OffsetDateTime) -> Result<()>;

    /// A transient failure: try again at `next_attempt_at`, or give up
    /// (`None`).
    async fn mark_delivery_retry(
        &self,
        id: i64,
        next_attempt_at: Option<time::OffsetDateTime>,
        error: &str,
    ) -> Result<()>;

    /// A permanent failure: the delivery fails and its address is marked
    /// bouncing.
    async fn mark_delivery_bounced(
        &self,
        id: i64,
        at: time::OffsetDateTime,
        error: &str,
    ) -> Result<()>;

    /// A municipality's e-mails, newest first.
    async fn delivery_log(&self, access: &OrgAccess, limit: u32) -> Result<Vec<DeliveryRecord>>;

    /// The whole outbox in numbers.
    async fn outbox_totals(&self) -> Result<OutboxTotals>;
}

/// The current instant, to whole seconds: SQLite keeps instants as text, and
/// text compares in time order only when every value has the same shape.
pub fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("zero nanoseconds is always valid")
}

// Declared for rustfmt and readers only: the backends compile this file
// (see the note at its top); compiled here it would lack `Db` and `Store`.
#[cfg(any())]
mod shared_sql;
#[cfg(any())]
mod shared_sql_api_tokens;
#[cfg(any())]
mod shared_sql_attachments;
#[cfg(any())]
mod shared_sql_audit;
#[cfg(any())]
mod shared_sql_directory;
#[cfg(any())]
mod shared_sql_directory_sync;
#[cfg(any())]
mod shared_sql_federation;
#[cfg(any())]
mod shared_sql_notifications;
#[cfg(any())]
mod shared_sql_organisations;
#[cfg(any())]
mod shared_sql_roles;
#[cfg(any())]
mod shared_sql_sessions;
#[cfg(any())]
mod shared_sql_tasks;
#[cfg(any())]
mod shared_sql_throttle;
#[cfg(any())]
mod shared_sql_totp;
