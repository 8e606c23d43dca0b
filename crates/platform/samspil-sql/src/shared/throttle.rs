// The login throttle's counting: every attempt is counted before it is
// checked, in one statement each, so that concurrent attempts cannot all
// pass a check made before any of them was counted.
// Included by `shared.rs` as the module `throttle`.

use samspil_storage::AddressAttempts;

fn tally(count: i32) -> u32 {
    u32::try_from(count).unwrap_or(0)
}

#[async_trait]
impl LoginThrottleStore for Store {
    async fn login_failures(&self, login: &str) -> Result<Option<LoginFailures>> {
        let row: Option<(i32, OffsetDateTime)> =
            sqlx::query_as("SELECT failures, last_failure_at FROM login_failures WHERE login = $1")
                .bind(login)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(failures, last_failure_at)| LoginFailures {
            failures: u32::try_from(failures).unwrap_or(0),
            last_failure_at,
        }))
    }

    async fn record_login_failure(&self, login: &str) -> Result<LoginFailures> {
        let (failures, last_failure_at): (i32, OffsetDateTime) = sqlx::query_as(
            "INSERT INTO login_failures (login, failures, last_failure_at) VALUES ($1, 1, $2) \
             ON CONFLICT (login) DO UPDATE SET failures = login_failures.failures + 1, \
             last_failure_at = excluded.last_failure_at \
             RETURNING failures, last_failure_at",
        )
        .bind(login)
        .bind(now())
        .fetch_one(&self.pool)
        .await?;
        Ok(LoginFailures {
            failures: u32::try_from(failures).unwrap_or(0),
            last_failure_at,
        })
    }

    async fn clear_login_failures(&self, login: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE login = $1")
            .bind(login)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A compare-and-set on the tally: the row is inserted (none seen) or
    /// raised only while it still holds what the caller decided on. On
    /// PostgreSQL a concurrent writer's row is waited for and the `WHERE`
    /// re-checked against it; SQLite has one writer at a time.
    async fn count_login_attempt(&self, login: &str, seen: u32) -> Result<Option<LoginFailures>> {
        let pool = &self.pool;
        let row: Option<(i32, OffsetDateTime)> = sqlx::query_as(
            "INSERT INTO login_failures (login, failures, last_failure_at) VALUES ($1, 1, $2) \
             ON CONFLICT (login) DO UPDATE SET failures = login_failures.failures + 1, \
             last_failure_at = excluded.last_failure_at \
             WHERE login_failures.failures = $3 \
             RETURNING failures, last_failure_at",
        )
        .bind(login)
        .bind(now())
        .bind(i32::try_from(seen).unwrap_or(i32::MAX))
        .fetch_optional(pool)
        .await?;
        Ok(row.map(|(failures, last_failure_at)| LoginFailures {
            failures: tally(failures),
            last_failure_at,
        }))
    }

    async fn uncount_login_attempt(&self, login: &str) -> Result<()> {
        let pool = &self.pool;
        sqlx::query(
            "UPDATE login_failures SET failures = failures - 1 WHERE login = $1 AND failures > 0",
        )
        .bind(login)
        .execute(pool)
        .await?;
        Ok(())
    }

    /// Always counts (a refused attempt too: the window does not move, so
    /// refusals cannot prolong it), and starts a new window when the current
    /// one is over; the caller decides from the tally returned.
    async fn count_address_attempt(
        &self,
        address: &str,
        window_cutoff: OffsetDateTime,
    ) -> Result<AddressAttempts> {
        let pool = &self.pool;
        let (attempts, window_started_at): (i32, OffsetDateTime) = sqlx::query_as(
            "INSERT INTO login_address_attempts (address, attempts, window_started_at) \
             VALUES ($1, 1, $2) \
             ON CONFLICT (address) DO UPDATE SET \
             attempts = CASE WHEN login_address_attempts.window_started_at > $3 \
             THEN login_address_attempts.attempts + 1 ELSE 1 END, \
             window_started_at = CASE WHEN login_address_attempts.window_started_at > $3 \
             THEN login_address_attempts.window_started_at ELSE excluded.window_started_at END \
             RETURNING attempts, window_started_at",
        )
        .bind(address)
        .bind(now())
        .bind(window_cutoff)
        .fetch_one(pool)
        .await?;
        Ok(AddressAttempts {
            attempts: tally(attempts),
            window_started_at,
        })
    }

    async fn uncount_address_attempt(&self, address: &str) -> Result<()> {
        let pool = &self.pool;
        sqlx::query(
            "UPDATE login_address_attempts SET attempts = attempts - 1 \
             WHERE address = $1 AND attempts > 0",
        )
        .bind(address)
        .execute(pool)
        .await?;
        Ok(())
    }
}
