//! The retention job's store side (`RetentionStore`): the index deletes
//! its copy of each closed case when its KLE subject's deletion period
//! has run (issue 15, "the retention of each case follows its KLE
//! subject's deletion rule, applied by a job"). The rule itself is pure,
//! in `samspil_citizen::case::retention`.

use async_trait::async_trait;
use serde::Serialize;
use time::Date;

use crate::{RemovalReport, Result};

/// What one run of the retention job found and did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RetentionReport {
    /// Closed cases looked at.
    pub closed: u64,
    /// Of those, cases past their deletion day: deleted, or (a dry run)
    /// that would have been.
    pub due: u64,
    /// Closed cases kept because their subject has no deletion period
    /// (or the plan does not know it).
    pub without_period: u64,
    /// What was deleted (all zero on a dry run).
    pub removed: RemovalReport,
}

#[async_trait]
pub trait RetentionStore: Send + Sync {
    /// Deletes, physically, every case closed long enough before `today`
    /// by its subject's deletion period. Each case is decided again under
    /// its row's lock in its own transaction (a delivery that reopens it
    /// meanwhile wins), deleted with all its registrations, and the
    /// deletion audited with the case's UUID, subject and days. With
    /// `dry_run`, nothing is written.
    async fn apply_retention(&self, today: Date, dry_run: bool) -> Result<RetentionReport>;
}
