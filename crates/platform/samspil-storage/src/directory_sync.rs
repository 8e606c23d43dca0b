//! The scheduled directory sync: claims, runs and where each municipality's
//! sync stands.

use crate::{DirectoryReport, Result};
use async_trait::async_trait;
use samspil_domain::OrgAccess;
use serde::Serialize;
use time::OffsetDateTime;

/// The scheduled directory sync's state: claiming a municipality's sync,
/// recording its runs and showing where it stands.
#[async_trait]
pub trait DirectorySyncStore: Send + Sync {
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
