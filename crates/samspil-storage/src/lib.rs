//! The storage API of samspil.
//!
//! The rest of the program sees storage only through the [`Storage`] trait;
//! `samspil-storage-sqlite` and `samspil-storage-postgres` implement it, each
//! with its own migrations. SQL that both databases accept is written once,
//! in `src/shared_sql.rs`, and compiled into each backend against its own
//! typed pool (see `ARCHITECTURE.md` for why).

mod answers;
mod api_tokens;
mod attachments;
mod audit;
mod contact_lists;
mod database;
mod directory_sync_records;
mod error;
mod federated_login;
mod login_throttle;
mod municipality_tasks;
pub mod notification_records;
mod organisations;
mod progress;
pub mod records;
mod roles;
mod second_factor;
mod sessions;
mod solution_use;
mod tasks;

use async_trait::async_trait;
use samspil_domain::notification::{Audience, Frequency, MessageSpec, NotificationKind};
use samspil_domain::{CommunityAccess, OrgAccess, UserId};

pub use answers::{AnswerRecord, AnswerStore, Comment, Question};
pub use api_tokens::{ApiToken, ApiTokenStore, NewApiToken, Revocation};
pub use attachments::{Attachment, AttachmentStore, NewAttachment, TaskParty};
pub use audit::{AuditRecord, AuditStore};
pub use contact_lists::{ContactEntry, ContactList, ContactListStore, NewContactEntry};
pub use database::DatabaseAdmin;
pub use directory_sync_records::*;
pub use error::{Result, StorageError};
pub use federated_login::{FederatedLoginStore, PendingFederatedLogin};
pub use login_throttle::{AddressAttempts, LoginFailures, LoginThrottleStore};
pub use municipality_tasks::{MunicipalityTask, MunicipalityTaskStore};
pub use notification_records::*;
pub use organisations::{
    NewUser, OrgUnit, OrgUnitId, Organisation, OrganisationStore, SyncReport, User,
};
pub use progress::{AreaProgress, MunicipalityProgress, ProgressStore, ProjectProgress};
pub use records::*;
pub use roles::{
    NewAssignment, Role, RoleAssignment, RoleGap, RoleHolder, RoleStore, TaskAssignee,
};
pub use second_factor::{NewPendingLogin, PendingLogin, SecondFactorStore, TotpEnrolment};
pub use sessions::{Credentials, NewSession, Session, SessionStore};
pub use solution_use::{SolutionAccess, SolutionUseStore};
pub use tasks::{
    MunicipalityStatus, NewProject, NewTask, Project, Task, TaskChange, TaskChangeRecord,
    TaskFilter, TaskStore,
};

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
    + TaskStore
    + MunicipalityTaskStore
    + ProgressStore
    + AnswerStore
    + AttachmentStore
    + RoleStore
    + SolutionUseStore
    + ContactListStore
    + Send
    + Sync
    + 'static
{
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

    /// Events raised after the event `after_id`, oldest first: what the
    /// notification worker delivers.
    async fn events_after(&self, after_id: i64, limit: u32) -> Result<Vec<EventRecord>>;

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
