//! The coordination context's stores on both backends, as two modules of
//! one crate: [`sqlite`] and [`postgres`]. Coordination's tables live in the
//! main database beside the platform's (its tasks point at organisations
//! and people), so each store shares the platform store's pool, and its
//! writes append to the platform's audit log in the same transaction
//! (`samspil_sql::sqlite::append_audit`, …).
//!
//! SQL both databases accept is written once, in `src/shared.rs` and the
//! feature files it includes, and compiled into each backend module
//! against its own typed pool, as in `samspil-sql`. The context's
//! migrations are its own (`migrations/sqlite/`, `migrations/postgres/`);
//! the binary hands them to the platform store, which runs them in one
//! history with the platform's.

pub mod postgres;
pub mod sqlite;

// Declared for rustfmt and readers only: the backend modules include these
// files (see the note at the top of `shared.rs`).
#[cfg(any())]
mod shared;
#[cfg(any())]
#[path = "shared/answers.rs"]
mod shared_answers;
#[cfg(any())]
#[path = "shared/attachments.rs"]
mod shared_attachments;
#[cfg(any())]
#[path = "shared/calendar_feeds.rs"]
mod shared_calendar_feeds;
#[cfg(any())]
#[path = "shared/contact_lists.rs"]
mod shared_contact_lists;
#[cfg(any())]
#[path = "shared/meetings.rs"]
mod shared_meetings;
#[cfg(any())]
#[path = "shared/messages.rs"]
mod shared_messages;
#[cfg(any())]
#[path = "shared/municipality_tasks.rs"]
mod shared_municipality_tasks;
#[cfg(any())]
#[path = "shared/notification_fan_out.rs"]
mod shared_notification_fan_out;
#[cfg(any())]
#[path = "shared/notifications.rs"]
mod shared_notifications;
#[cfg(any())]
#[path = "shared/pipelines.rs"]
mod shared_pipelines;
#[cfg(any())]
#[path = "shared/progress.rs"]
mod shared_progress;
#[cfg(any())]
#[path = "shared/roles.rs"]
mod shared_roles;
#[cfg(any())]
#[path = "shared/solution_use.rs"]
mod shared_solution_use;
#[cfg(any())]
#[path = "shared/status_history.rs"]
mod shared_status_history;
#[cfg(any())]
#[path = "shared/tasks.rs"]
mod shared_tasks;
