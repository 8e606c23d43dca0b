// `IncidentMessageStore`: which operational messages went out about which
// incident, on both backends; included into the `incidents` module of
// `shared.rs` after `incidents.rs`.

use samspil_tools_storage::{IncidentMessageStore, SentOperationalMessage};

type MessageRow = (i64, String, String, i64, String, OffsetDateTime);

#[async_trait]
impl IncidentMessageStore for Store {
    async fn record_operational_message(
        &self,
        access: &CommunityAccess,
        incident: IncidentId,
        sent: &SentOperationalMessage,
    ) -> Result<()> {
        let mut tx = begin_write(&self.pool).await?;
        let known: Option<i64> = sqlx::query_scalar("SELECT id FROM incidents WHERE id = $1")
            .bind(incident.0)
            .fetch_optional(&mut *tx)
            .await?;
        known.ok_or(StorageError::NotFound("incident"))?;
        sqlx::query(
            "INSERT INTO incident_messages (incident_id, message_id, subject, audience, \
             recipients, sent_by, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(incident.0)
        .bind(sent.message_id)
        .bind(&sent.subject)
        .bind(&sent.audience)
        .bind(i64::try_from(sent.recipients).unwrap_or(i64::MAX))
        .bind(&sent.sent_by)
        .bind(sent.sent_at)
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                None,
                "incident.operational_message",
                "incident",
                incident.0,
            )
            .after(serde_json::json!({
                "message": sent.message_id, "audience": sent.audience,
                "recipients": sent.recipients,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn operational_messages(
        &self,
        incident: IncidentId,
    ) -> Result<Vec<SentOperationalMessage>> {
        let rows: Vec<MessageRow> = sqlx::query_as(
            "SELECT message_id, subject, audience, recipients, sent_by, sent_at \
             FROM incident_messages WHERE incident_id = $1 ORDER BY id",
        )
        .bind(incident.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(message_id, subject, audience, recipients, sent_by, sent_at)| {
                    SentOperationalMessage {
                        message_id,
                        subject,
                        audience,
                        recipients: u64::try_from(recipients).unwrap_or(0),
                        sent_by,
                        sent_at,
                    }
                },
            )
            .collect())
    }
}
