// The mail outbox: the deliveries every context queues, claimed and sent
// by the job runner. SQL both backends accept, compiled into each backend
// beside `shared.rs` (see the note at the top of that file). The one
// difference, `FOR UPDATE SKIP LOCKED` when claiming deliveries, is each
// backend's `for_update!(skip_locked)`. How a notification reaches this
// queue: `samspil-coordination-sql/src/shared/notifications.rs`.
//
// "Never twice": a delivery is sent only by the worker that holds its
// lease, and the lease is longer than the SMTP timeout, so two workers
// never send the same delivery at once. A worker that dies mid-delivery
// leaves the row `sending`; when the lease runs out it is claimed again.
// If the server had not yet answered 250 to the message (the worker died
// before or during the SMTP dialogue), the server did not take it and the
// second attempt is the only copy. The one window left, between the
// server's 250 and the `sent` update (one local UPDATE), yields a resend
// with the same Message-ID, which mail stores treat as the same message.

use samspil_storage::{DeliveryRecord, DeliveryState, OutboxTotals, PendingDelivery};

// ---- Delivery ----------------------------------------------------------------

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: i64,
    org_id: i64,
    user_id: i64,
    recipient: String,
    email: String,
    subject: String,
    state: String,
    attempts: i64,
    last_error: Option<String>,
    created_at: OffsetDateTime,
    sent_at: Option<OffsetDateTime>,
    message_id: Option<i64>,
}

#[async_trait]
impl OutboxStore for Store {
    async fn claim_deliveries(
        &self,
        at: OffsetDateTime,
        lease: std::time::Duration,
        limit: u32,
    ) -> Result<Vec<PendingDelivery>> {
        let pool = &self.pool;
        // On PostgreSQL several instances claim at once and skip each other's
        // rows; SQLite has one writer, so one UPDATE is already exclusive.
        let lease_secs = i64::try_from(lease.as_secs().max(1)).unwrap_or(i64::MAX);
        let lease_until = at + time::Duration::seconds(lease_secs);
        let sql = concat!(
            "UPDATE deliveries SET state = 'sending', lease_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM deliveries WHERE (state = 'queued' AND next_attempt_at <= $1) \
             OR (state = 'sending' AND lease_until < $1) ORDER BY next_attempt_at, id LIMIT $3",
            for_update!(skip_locked),
            ") RETURNING id, user_id, email, subject, body, calendar, attempts, created_at"
        );
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            i64,
            i64,
            String,
            String,
            String,
            Option<String>,
            i64,
            OffsetDateTime,
        )> = sqlx::query_as(sql)
            .bind(at)
            .bind(lease_until)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
        let mut claimed: Vec<PendingDelivery> = rows
            .into_iter()
            .map(
                |(id, user_id, email, subject, body, calendar, attempts, created_at)| {
                    PendingDelivery {
                        id,
                        user_id: UserId(user_id),
                        email,
                        subject,
                        body,
                        calendar,
                        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                        created_at,
                    }
                },
            )
            .collect();
        claimed.sort_by_key(|d| d.id);
        Ok(claimed)
    }

    async fn mark_delivery_sent(&self, id: i64, at: OffsetDateTime) -> Result<()> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        sqlx::query(
            "UPDATE deliveries SET state = 'sent', sent_at = $2, lease_until = NULL, last_error = NULL \
             WHERE id = $1 AND state = 'sending'",
        )
        .bind(id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        // An address that takes mail again no longer bounces.
        sqlx::query(
            "UPDATE users SET email_bouncing_since = NULL WHERE email_bouncing_since IS NOT NULL \
             AND id = (SELECT user_id FROM deliveries WHERE id = $1) \
             AND email = (SELECT email FROM deliveries WHERE id = $1)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn mark_delivery_retry(
        &self,
        id: i64,
        next_attempt_at: Option<OffsetDateTime>,
        error: &str,
    ) -> Result<()> {
        let pool = &self.pool;
        let error: String = error.chars().take(1000).collect();
        match next_attempt_at {
            Some(next) => sqlx::query(
                "UPDATE deliveries SET state = 'queued', next_attempt_at = $2, lease_until = NULL, \
                 last_error = $3 WHERE id = $1 AND state = 'sending'",
            )
            .bind(id)
            .bind(next)
            .bind(error),
            None => sqlx::query(
                "UPDATE deliveries SET state = 'failed', lease_until = NULL, last_error = $2 \
                 WHERE id = $1 AND state = 'sending'",
            )
            .bind(id)
            .bind(error),
        }
        .execute(pool)
        .await?;
        Ok(())
    }

    async fn mark_delivery_bounced(&self, id: i64, at: OffsetDateTime, error: &str) -> Result<()> {
        let pool = &self.pool;
        let error: String = error.chars().take(1000).collect();
        let mut tx = begin_write(pool).await?;
        sqlx::query(
            "UPDATE deliveries SET state = 'failed', lease_until = NULL, last_error = $2 \
             WHERE id = $1 AND state = 'sending'",
        )
        .bind(id)
        .bind(error)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE users SET email_bouncing_since = COALESCE(email_bouncing_since, $2) \
             WHERE id = (SELECT user_id FROM deliveries WHERE id = $1) \
             AND email = (SELECT email FROM deliveries WHERE id = $1)",
        )
        .bind(id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delivery_log(&self, access: &OrgAccess, limit: u32) -> Result<Vec<DeliveryRecord>> {
        let pool = &self.pool;
        let org = access.org_id();
        let rows: Vec<DeliveryRow> = sqlx::query_as(
            "SELECT d.id, d.org_id, d.user_id, u.display_name AS recipient, d.email, d.subject, d.state, \
             d.attempts, d.last_error, d.created_at, d.sent_at, d.message_id \
             FROM deliveries d JOIN users u ON u.id = d.user_id WHERE d.org_id = $1 \
             ORDER BY d.id DESC LIMIT $2",
        )
        .bind(org.0)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(DeliveryRecord {
                    id: row.id,
                    org_id: OrgId(row.org_id),
                    user_id: UserId(row.user_id),
                    recipient: row.recipient,
                    email: row.email,
                    subject: row.subject,
                    state: DeliveryState::parse(&row.state).ok_or_else(|| {
                        StorageError::Corrupt(format!("delivery state '{}'", row.state))
                    })?,
                    attempts: u32::try_from(row.attempts).unwrap_or(0),
                    last_error: row.last_error,
                    created_at: row.created_at,
                    sent_at: row.sent_at,
                    message_id: row.message_id,
                })
            })
            .collect()
    }

    async fn outbox_totals(&self) -> Result<OutboxTotals> {
        let pool = &self.pool;
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT state, COUNT(*) FROM deliveries GROUP BY state")
                .fetch_all(pool)
                .await?;
        let mut totals = OutboxTotals::default();
        for (state, count) in rows {
            let count = u64::try_from(count).unwrap_or(0);
            match DeliveryState::parse(&state) {
                Some(DeliveryState::Queued) => totals.queued = count,
                Some(DeliveryState::Sending) => totals.sending = count,
                Some(DeliveryState::Sent) => totals.sent = count,
                Some(DeliveryState::Failed) => totals.failed = count,
                None => return Err(StorageError::Corrupt(format!("delivery state '{state}'"))),
            }
        }
        Ok(totals)
    }
}
