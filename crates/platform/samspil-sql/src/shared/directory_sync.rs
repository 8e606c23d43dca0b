// The scheduled directory sync's bookkeeping: one state row per
// municipality (next run, lease, failures in a row) and a history of runs.
// Included by `shared.rs` as the module `directory_sync`.
//
// The claim is one conditional UPDATE of the municipality's row. On
// PostgreSQL a second instance's UPDATE waits for the first one's row lock
// and then re-checks its WHERE against the committed row (READ COMMITTED),
// so it finds the lease taken and claims nothing; on SQLite `begin_write`
// makes the whole claim exclusive. Unlike the outbox, there is one row per
// municipality to claim, not a queue to share out, so SKIP LOCKED would
// add nothing.

use samspil_storage::{
    DirectoryReport, DirectorySyncClaim, DirectorySyncOutcome, DirectorySyncRun,
    DirectorySyncStatus, FinishedDirectorySync,
};

// Instants are kept to whole seconds in UTC (SQLite compares them as text).
use samspil_storage::stored_instant;

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

type RunRow = (
    OffsetDateTime,
    OffsetDateTime,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    Option<String>,
);

type StateRow = (
    OffsetDateTime,
    i64,
    Option<OffsetDateTime>,
    Option<String>,
    Option<OffsetDateTime>,
);

#[async_trait]
impl DirectorySyncStore for Store {
    async fn claim_directory_sync(
        &self,
        access: &OrgAccess,
        now: OffsetDateTime,
        lease: std::time::Duration,
        owner: &str,
        due_only: bool,
    ) -> Result<Option<DirectorySyncClaim>> {
        let pool = &self.pool;
        let org = access.org_id().0;
        let now = stored_instant(now);
        let lease_secs = i64::try_from(lease.as_secs().max(1)).unwrap_or(i64::MAX / 2);
        let lease_until = now + time::Duration::seconds(lease_secs);
        let mut tx = begin_write(pool).await?;
        sqlx::query(
            "INSERT INTO directory_sync_state (org_id, next_run_at) VALUES ($1, $2) \
             ON CONFLICT (org_id) DO NOTHING",
        )
        .bind(org)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let failures: Option<i64> = sqlx::query_scalar(
            "UPDATE directory_sync_state SET lease_owner = $2, lease_until = $3 \
             WHERE org_id = $1 AND (lease_until IS NULL OR lease_until <= $4) \
             AND (NOT $5 OR next_run_at <= $4) RETURNING failures",
        )
        .bind(org)
        .bind(owner)
        .bind(lease_until)
        .bind(now)
        .bind(due_only)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(failures.map(|failures| DirectorySyncClaim {
            failures: count(failures),
            lease_until,
        }))
    }

    async fn finish_directory_sync(
        &self,
        access: &OrgAccess,
        run: &FinishedDirectorySync,
    ) -> Result<()> {
        let pool = &self.pool;
        let org = access.org_id().0;
        let finished_at = stored_instant(run.finished_at);
        let empty = DirectoryReport::default();
        let (outcome, report, message) = match &run.outcome {
            DirectorySyncOutcome::Ok(report) => ("ok", report, None),
            DirectorySyncOutcome::Failed(message) => ("failed", &empty, Some(message.as_str())),
        };
        let mut tx = begin_write(pool).await?;
        sqlx::query(
            "INSERT INTO directory_sync_runs (org_id, started_at, finished_at, outcome, \
             users_created, users_updated, users_deactivated, users_moved, units_created, \
             units_updated, message) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(org)
        .bind(stored_instant(run.started_at))
        .bind(finished_at)
        .bind(outcome)
        .bind(i64::from(report.users_created))
        .bind(i64::from(report.users_updated))
        .bind(i64::from(report.users_deactivated))
        .bind(report.users_moved.len() as i64)
        .bind(i64::from(report.units_created))
        .bind(i64::from(report.units_updated))
        .bind(message)
        .execute(&mut *tx)
        .await?;
        // Only the holder of the claim moves the schedule: a run that outlived
        // its lease must not overwrite the next holder's. Locked, so that no
        // claim takes the row between this check and the updates below.
        let failures_before: Option<i64> = sqlx::query_scalar(concat!(
            "SELECT failures FROM directory_sync_state WHERE org_id = $1 AND lease_owner = $2",
            for_update!()
        ))
        .bind(org)
        .bind(&run.owner)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(failures_before) = failures_before {
            match message {
                None => {
                    sqlx::query(
                        "UPDATE directory_sync_state SET next_run_at = $2, failures = 0, \
                         last_success_at = $3, lease_owner = NULL, lease_until = NULL \
                         WHERE org_id = $1",
                    )
                    .bind(org)
                    .bind(stored_instant(run.next_run_at))
                    .bind(finished_at)
                    .execute(&mut *tx)
                    .await?;
                }
                Some(message) => {
                    sqlx::query(
                        "UPDATE directory_sync_state SET next_run_at = $2, failures = failures + 1, \
                         last_error = $3, last_error_at = $4, lease_owner = NULL, lease_until = NULL \
                         WHERE org_id = $1",
                    )
                    .bind(org)
                    .bind(stored_instant(run.next_run_at))
                    .bind(message)
                    .bind(finished_at)
                    .execute(&mut *tx)
                    .await?;
                    // The first failure after a success, not every retry: the
                    // administrators' log says when the directory stopped
                    // arriving, without a line per minute while it is down.
                    if failures_before == 0 {
                        append_audit(
                            &mut tx,
                            &AuditEntry::new(
                                access.actor(),
                                Some(access.org_id()),
                                "directory.sync_failed",
                                "organisation",
                                org,
                            )
                            .after(serde_json::json!({ "error": message })),
                        )
                        .await?;
                    }
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn directory_sync_status(
        &self,
        access: &OrgAccess,
        runs: u32,
    ) -> Result<Option<DirectorySyncStatus>> {
        let pool = &self.pool;
        let org = access.org_id().0;
        let state: Option<StateRow> = sqlx::query_as(
            "SELECT next_run_at, failures, last_success_at, last_error, last_error_at \
             FROM directory_sync_state WHERE org_id = $1",
        )
        .bind(org)
        .fetch_optional(pool)
        .await?;
        let Some((next_run_at, failures, last_success_at, last_error, last_error_at)) = state
        else {
            return Ok(None);
        };
        let rows: Vec<RunRow> = sqlx::query_as(
            "SELECT started_at, finished_at, outcome, users_created, users_updated, \
             users_deactivated, users_moved, units_created, units_updated, message \
             FROM directory_sync_runs WHERE org_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(org)
        .bind(i64::from(runs))
        .fetch_all(pool)
        .await?;
        let runs = rows
            .into_iter()
            .map(
                |(
                    started_at,
                    finished_at,
                    outcome,
                    created,
                    updated,
                    deactivated,
                    moved,
                    uc,
                    uu,
                    message,
                )| {
                    DirectorySyncRun {
                        started_at,
                        finished_at,
                        ok: outcome == "ok",
                        users_created: count(created),
                        users_updated: count(updated),
                        users_deactivated: count(deactivated),
                        users_moved: count(moved),
                        units_created: count(uc),
                        units_updated: count(uu),
                        message,
                    }
                },
            )
            .collect();
        Ok(Some(DirectorySyncStatus {
            next_run_at,
            failures: count(failures),
            last_success_at,
            last_error,
            last_error_at,
            runs,
        }))
    }
}
