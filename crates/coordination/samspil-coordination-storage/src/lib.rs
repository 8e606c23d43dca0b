//! The coordination context's storage API: a small capability trait per
//! file, with its records beside it (`tasks.rs`: [`TaskStore`], [`Task`],
//! [`NewTask`], …), and [`CoordinationStorage`], their composition, which
//! the binary hands the coordination router. The errors are the platform's
//! ([`samspil_storage::StorageError`]); `samspil-coordination-sql`
//! implements the traits on SQLite and on PostgreSQL.

mod answers;
mod assignment_warnings;
mod attachments;
mod calendar_feeds;
mod contact_lists;
mod incident_digest;
mod meeting_evaluations;
mod meetings;
mod messages;
mod municipality_tasks;
mod notifications;
mod overview;
mod pipelines;
mod progress;
mod roles;
mod solution_use;
mod status_history;
mod tasks;
mod workshops;

pub use answers::{AnswerRecord, AnswerStore, Comment, Question};
pub use assignment_warnings::{AssignmentWarningStore, TaskAssignmentWarning};
pub use attachments::{Attachment, AttachmentStore, NewAttachment, TaskParty};
pub use calendar_feeds::{CalendarDeadlines, CalendarFeed, CalendarFeedStore, Deadline};
pub use contact_lists::{ContactEntry, ContactList, ContactListStore, NewContactEntry};
pub use incident_digest::{IncidentDigest, IncidentHeadline, Populations};
pub use meeting_evaluations::{MeetingEvaluationStore, MeetingInput, SurveyResults};
pub use meetings::{
    AbsentMunicipality, AttendanceReport, MailingReport, MaterialFile, MeetingId, MeetingKind,
    MeetingMail, MeetingRecord, MeetingStore, NewMeeting, Registration,
};
pub use messages::{
    InboxItem, MessageHeadline, MessageStore, MessageSummary, NotificationPreference,
    RecipientCount,
};
pub use municipality_tasks::{MunicipalityTask, MunicipalityTaskStore};
pub use notifications::{EventRecord, NotificationStore, QueueReport};
pub use overview::{InboxQuery, OverviewStore, Participant, RecentStatusChange};
pub use pipelines::{
    ClaimTicks, NewPipeline, NewPipelineStep, PipelineId, PipelineMember, PipelineRecord,
    PipelineStep, PipelineStore,
};
pub use progress::{AreaProgress, MunicipalityProgress, ProgressStore, ProjectProgress};
pub use roles::{
    NewAssignment, Role, RoleAssignment, RoleGap, RoleHolder, RoleStore, TaskAssignee,
};
pub use solution_use::{SolutionAccess, SolutionUseStore};
pub use status_history::{StatusChange, StatusHistoryStore};
pub use tasks::{
    MunicipalityStatus, NewProject, NewTask, Project, Task, TaskChange, TaskChangeRecord, TaskEdit,
    TaskFilter, TaskStore,
};
pub use workshops::{ChoiceReport, Decision, WorkshopApplication, WorkshopStore};

/// Everything coordination keeps: the composition of its capability
/// traits, with no methods of its own (a new method goes into its
/// capability's trait). Methods that touch a municipality's own data take
/// an [`OrgAccess`](samspil_domain::OrgAccess), never a bare id.
pub trait CoordinationStorage:
    TaskStore
    + MunicipalityTaskStore
    + ProgressStore
    + AnswerStore
    + AttachmentStore
    + RoleStore
    + AssignmentWarningStore
    + SolutionUseStore
    + ContactListStore
    + MessageStore
    + NotificationStore
    + StatusHistoryStore
    + CalendarFeedStore
    + PipelineStore
    + MeetingStore
    + MeetingEvaluationStore
    + WorkshopStore
    + OverviewStore
    + Send
    + Sync
    + 'static
{
}

impl<T> CoordinationStorage for T where
    T: TaskStore
        + MunicipalityTaskStore
        + ProgressStore
        + AnswerStore
        + AttachmentStore
        + RoleStore
        + AssignmentWarningStore
        + SolutionUseStore
        + ContactListStore
        + MessageStore
        + NotificationStore
        + StatusHistoryStore
        + CalendarFeedStore
        + PipelineStore
        + MeetingStore
        + MeetingEvaluationStore
        + WorkshopStore
        + OverviewStore
        + Send
        + Sync
        + 'static
{
}
