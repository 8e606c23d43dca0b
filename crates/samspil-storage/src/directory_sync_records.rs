//! The records of the scheduled directory sync.

use serde::Serialize;
use time::OffsetDateTime;

use crate::DirectoryReport;

/// What an import of a snapshot would deactivate, read before importing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeactivationPreview {
    /// Active people the directory manages in the municipality now.
    pub active: u64,
    /// Of them, those the snapshot no longer has.
    pub would_deactivate: u64,
}

/// A municipality's sync, reserved for one worker until `lease_until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectorySyncClaim {
    /// Failed runs in a row before this one.
    pub failures: u32,
    pub lease_until: OffsetDateTime,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectorySyncOutcome {
    Ok(DirectoryReport),
    Failed(String),
}

/// A finished run, to be recorded and to release the claim.
#[derive(Debug, Clone)]
pub struct FinishedDirectorySync {
    pub owner: String,
    pub started_at: OffsetDateTime,
    pub finished_at: OffsetDateTime,
    pub outcome: DirectorySyncOutcome,
    pub next_run_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DirectorySyncRun {
    pub started_at: OffsetDateTime,
    pub finished_at: OffsetDateTime,
    pub ok: bool,
    pub users_created: u32,
    pub users_updated: u32,
    pub users_deactivated: u32,
    pub users_moved: u32,
    pub units_created: u32,
    pub units_updated: u32,
    /// The error of a failed run.
    pub message: Option<String>,
}

/// Where a municipality's sync stands, for its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DirectorySyncStatus {
    pub next_run_at: OffsetDateTime,
    /// Failed runs since the last successful one.
    pub failures: u32,
    pub last_success_at: Option<OffsetDateTime>,
    pub last_error: Option<String>,
    pub last_error_at: Option<OffsetDateTime>,
    /// The latest runs, newest first.
    pub runs: Vec<DirectorySyncRun>,
}
