//! What the storage layer hands back and takes in.

use serde::Serialize;
use time::OffsetDateTime;

use samspil_domain::task::TaskId;

/// An event in the outbox, for the notification worker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRecord {
    pub id: i64,
    pub kind: String,
    pub task_id: Option<TaskId>,
    pub payload: serde_json::Value,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// What a directory import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DirectoryReport {
    pub units_created: u32,
    pub units_updated: u32,
    pub users_created: u32,
    pub users_updated: u32,
    pub users_deactivated: u32,
    /// Logins of the people who moved here from another municipality.
    pub users_moved: Vec<String>,
}

impl DirectoryReport {
    pub fn changed_anything(&self) -> bool {
        *self != DirectoryReport::default()
    }
}
