// Reading the audit log (`AuditStore`). It is written by `append_audit`
// in `shared.rs`, on the connection of the change it describes.
// Included by `shared.rs` as the module `audit`.

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: OffsetDateTime,
    actor_user_id: Option<i64>,
    actor_label: String,
    org_id: Option<i64>,
    action: String,
    entity_type: String,
    entity_id: String,
    before_json: Option<String>,
    after_json: Option<String>,
}

fn parse_json(field: &str, text: Option<String>) -> Result<Option<serde_json::Value>> {
    text.map(|text| {
        serde_json::from_str(&text)
            .map_err(|e| StorageError::Corrupt(format!("audit {field}: {e}")))
    })
    .transpose()
}

impl TryFrom<AuditRow> for AuditRecord {
    type Error = StorageError;

    fn try_from(row: AuditRow) -> Result<Self> {
        Ok(AuditRecord {
            id: row.id,
            at: row.at,
            actor_user_id: row.actor_user_id.map(UserId),
            actor_label: row.actor_label,
            org_id: row.org_id.map(OrgId),
            action: row.action,
            entity_type: row.entity_type,
            entity_id: row.entity_id,
            before: parse_json("before", row.before_json)?,
            after: parse_json("after", row.after_json)?,
        })
    }
}

#[async_trait]
impl AuditStore for Store {
    async fn audit_entries(&self, access: &OrgAccess, limit: u32) -> Result<Vec<AuditRecord>> {
        sqlx::query_as::<_, AuditRow>(
            "SELECT id, at, actor_user_id, actor_label, org_id, action, entity_type, entity_id, \
             before_json, after_json FROM audit_log WHERE org_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(access.org_id().0)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(AuditRecord::try_from)
        .collect()
    }
}
