// `MessageStore`: community messages, inboxes and preferences, on both
// backends; included into the `notifications` module of `shared.rs`, beside
// the helpers and rows of `notifications.rs` it uses.

#[async_trait]
impl MessageStore for Store {
    async fn message_recipient_count(
        &self,
        _access: &CommunityAccess,
        audience: &Audience,
    ) -> Result<RecipientCount> {
        let pool = &self.pool;
        use sqlx::Row;
        let recipients = Recipients::Audience(audience, now().date());
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN u.user_type = 'ordinary' AND u.email IS NOT NULL \
             AND u.email <> '' AND COALESCE(p.frequency, 'immediately') = 'immediately' THEN 1 ELSE 0 END), 0) \
             FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id AND p.kind = 'message' \
             WHERE u.active AND {}",
            recipients.condition(1)
        ));
        let row = recipients.bind(sqlx::query(sql)).fetch_one(pool).await?;
        let people: i64 = row.try_get(0)?;
        let by_email: i64 = row.try_get(1)?;
        Ok(RecipientCount {
            people: u64::try_from(people).unwrap_or(0),
            by_email: u64::try_from(by_email).unwrap_or(0),
        })
    }

    async fn send_message(
        &self,
        access: &CommunityAccess,
        message: &MessageSpec,
        audience_label: &str,
    ) -> Result<MessageSummary> {
        let pool = &self.pool;
        let at = now();
        let audience_json = serde_json::to_string(&message.audience)
            .map_err(|e| StorageError::Corrupt(format!("audience: {e}")))?;
        let mut tx = begin_write(pool).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO messages (category, subject, body, audience, audience_label, recipient_count, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $7) RETURNING id",
        )
        .bind(message.category.as_str())
        .bind(&message.subject)
        .bind(&message.body)
        .bind(&audience_json)
        .bind(audience_label)
        .bind(&access.actor().label)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        let source_key = format!("message:{id}");
        let recipients = insert_notifications(
            &mut tx,
            &Notice {
                kind: NotificationKind::Message,
                source_key: &source_key,
                message_id: Some(id),
                task_id: None,
                texts: Texts::as_written(&message.subject, &message.body),
                link: Some("/indbakke"),
            },
            &Recipients::Audience(&message.audience, at.date()),
            at,
        )
        .await?;
        sqlx::query("UPDATE messages SET recipient_count = $1 WHERE id = $2")
            .bind(i64::try_from(recipients).unwrap_or(i64::MAX))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let queued =
            queue_immediate(&mut tx, &source_key, Some(&message.mail_subject()), at).await?;
        append_audit(
            &mut tx,
            &AuditEntry {
                actor: access.actor().clone(),
                org_id: None,
                action: "message.send",
                entity_type: "message",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "category": message.category.as_str(),
                    "subject": message.subject,
                    "audience": audience_label,
                    "recipients": recipients,
                    "emails": queued,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(MessageSummary {
            id,
            category: message.category,
            subject: message.subject.clone(),
            body: message.body.clone(),
            audience: audience_label.to_owned(),
            created_by: access.actor().label.clone(),
            created_at: at,
            recipients,
            emails_queued: queued,
            emails_sent: 0,
            emails_failed: 0,
            read: 0,
        })
    }

    async fn messages(&self, _access: &CommunityAccess, limit: u32) -> Result<Vec<MessageSummary>> {
        let pool = &self.pool;
        let rows: Vec<MessageRow> = sqlx::query_as(
            "SELECT m.id, m.category, m.subject, m.body, m.audience_label, m.created_by, m.created_at, \
             m.recipient_count, \
             (SELECT COUNT(*) FROM deliveries d WHERE d.message_id = m.id AND d.state IN ('queued', 'sending')) AS queued, \
             (SELECT COUNT(*) FROM deliveries d WHERE d.message_id = m.id AND d.state = 'sent') AS sent, \
             (SELECT COUNT(*) FROM deliveries d WHERE d.message_id = m.id AND d.state = 'failed') AS failed, \
             (SELECT COUNT(*) FROM notifications n WHERE n.message_id = m.id AND n.read_at IS NOT NULL) AS read \
             FROM messages m ORDER BY m.id DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        rows.into_iter()
            .map(|row| {
                Ok(MessageSummary {
                    id: row.id,
                    category: samspil_coordination::notification::MessageCategory::parse(
                        &row.category,
                    )
                    .ok_or_else(|| {
                        StorageError::Corrupt(format!("message category '{}'", row.category))
                    })?,
                    subject: row.subject,
                    body: row.body,
                    audience: row.audience_label,
                    created_by: row.created_by,
                    created_at: row.created_at,
                    recipients: count(row.recipient_count),
                    emails_queued: count(row.queued),
                    emails_sent: count(row.sent),
                    emails_failed: count(row.failed),
                    read: count(row.read),
                })
            })
            .collect()
    }

    async fn operational_messages_between(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<MessageHeadline>> {
        let rows: Vec<(i64, String, OffsetDateTime)> = sqlx::query_as(
            "SELECT id, subject, created_at FROM messages WHERE category = 'operational' \
             AND created_at >= $1 AND created_at < $2 ORDER BY created_at, id",
        )
        .bind(samspil_storage::stored_instant(from))
        .bind(samspil_storage::stored_instant(to))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, subject, created_at)| MessageHeadline {
                id,
                subject,
                created_at,
            })
            .collect())
    }

    async fn inbox(&self, user: UserId, limit: u32) -> Result<Vec<InboxItem>> {
        let pool = &self.pool;
        let rows: Vec<InboxRow> = sqlx::query_as(
            "SELECT id, kind, subject, body, link, message_id, task_id, created_at, \
             read_at IS NOT NULL AS read, email_plan FROM notifications WHERE user_id = $1 \
             ORDER BY id DESC LIMIT $2",
        )
        .bind(user.0)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(InboxItem {
                    id: row.id,
                    kind: NotificationKind::parse(&row.kind).ok_or_else(|| {
                        StorageError::Corrupt(format!("notification kind '{}'", row.kind))
                    })?,
                    subject: row.subject,
                    body: row.body,
                    link: row.link,
                    message_id: row.message_id,
                    task_id: row.task_id,
                    created_at: row.created_at,
                    read: row.read,
                    email: Frequency::parse(&row.email_plan).ok_or_else(|| {
                        StorageError::Corrupt(format!("e-mail plan '{}'", row.email_plan))
                    })?,
                })
            })
            .collect()
    }

    async fn mark_read(&self, user: UserId, ids: &[i64]) -> Result<u64> {
        let pool = &self.pool;
        let sql = if ids.is_empty() {
            "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL"
                .to_owned()
        } else {
            format!(
                "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL AND id IN ({})",
                placeholders(3, ids.len())
            )
        };
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user.0)
            .bind(now());
        for id in ids {
            query = query.bind(*id);
        }
        Ok(query.execute(pool).await?.rows_affected())
    }

    async fn notification_preferences(&self, user: UserId) -> Result<Vec<NotificationPreference>> {
        let pool = &self.pool;
        let chosen: Vec<(String, String)> = sqlx::query_as(
            "SELECT kind, frequency FROM notification_preferences WHERE user_id = $1",
        )
        .bind(user.0)
        .fetch_all(pool)
        .await?;
        Ok(NotificationKind::ALL
            .into_iter()
            .map(|kind| NotificationPreference {
                kind,
                frequency: chosen
                    .iter()
                    .find(|(k, _)| k == kind.as_str())
                    .and_then(|(_, f)| Frequency::parse(f))
                    .unwrap_or_default(),
            })
            .collect())
    }

    async fn set_notification_preference(
        &self,
        user: UserId,
        kind: NotificationKind,
        frequency: Frequency,
    ) -> Result<()> {
        let pool = &self.pool;
        sqlx::query(
            "INSERT INTO notification_preferences (user_id, kind, frequency) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, kind) DO UPDATE SET frequency = excluded.frequency",
        )
        .bind(user.0)
        .bind(kind.as_str())
        .bind(frequency.as_str())
        .execute(pool)
        .await?;
        Ok(())
    }
}
