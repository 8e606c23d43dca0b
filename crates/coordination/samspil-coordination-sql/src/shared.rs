// Coordination's SQL that SQLite and PostgreSQL both accept, written once.
//
// Each backend module (`sqlite.rs`, `postgres.rs`) includes this file into
// a module that defines `Db` (its sqlx database type) and `Store` (its
// coordination store, with a `pool`), and brings in the platform's helpers
// for that backend (`begin_write`, with which every writing transaction
// begins; `append_audit`, which writes the audit entry in the same
// transaction; the access checks) and `for_update!()`, the clause that
// locks the rows a transaction decides on.

use async_trait::async_trait;
use samspil_coordination::question::{QuestionId, QuestionSpec};
use samspil_coordination::task::{TaskId, TaskStatus};
use samspil_coordination_storage::StatusChange;
use samspil_coordination_storage::{AnswerRecord, Comment, Question};
use samspil_coordination_storage::{
    AnswerStore, AttachmentStore, ContactListStore, MessageStore, MunicipalityTaskStore,
    NotificationStore, ProgressStore, RoleStore, SolutionUseStore, StatusHistoryStore, TaskStore,
};
use samspil_coordination_storage::{CalendarDeadlines, CalendarFeed, CalendarFeedStore, Deadline};
use samspil_coordination_storage::{
    EventRecord, MunicipalityProgress, MunicipalityStatus, MunicipalityTask, NewProject, NewTask,
    Project, ProjectProgress, Task, TaskChange, TaskChangeRecord, TaskEdit, TaskFilter,
};
use samspil_domain::CommunityAccess;
use samspil_domain::access::Actor;
use samspil_domain::audit::AuditEntry;
use samspil_domain::{OrgAccess, OrgId, UserId, UserType};
use samspil_storage::{Result, StorageError, User, now};
use std::collections::BTreeMap;
use time::OffsetDateTime;

mod tasks {
    use super::*;
    include!("shared/tasks.rs");
    include!("shared/municipality_tasks.rs");
    include!("shared/progress.rs");
    include!("shared/answers.rs");
    include!("shared/status_history.rs");
    include!("shared/calendar_feeds.rs");
    include!("shared/pipelines.rs");
}

mod roles {
    use super::*;
    include!("shared/roles.rs");
    include!("shared/assignment_warnings.rs");
    include!("shared/role_tasks.rs");
    include!("shared/solution_use.rs");
    include!("shared/contact_lists.rs");
}

mod meetings {
    use super::*;
    include!("shared/meetings.rs");
    include!("shared/meeting_evaluations.rs");
    include!("shared/workshops.rs");
}

mod attachments {
    use super::*;
    include!("shared/attachments.rs");
}

mod notifications {
    use super::*;
    include!("shared/notifications.rs");
    include!("shared/messages.rs");
    include!("shared/notification_fan_out.rs");
    use samspil_coordination::task::ProjectId;
    use samspil_coordination_storage::{
        InboxQuery, OverviewStore, Participant, RecentStatusChange,
    };
    include!("shared/overview.rs");
}
