// `IdpLevelStore`: each municipality's identity provider's NSIS level, on
// both backends; included into the `idp_levels` module of `shared.rs`.

#[async_trait]
impl IdpLevelStore for Store {
    async fn idp_levels(&self) -> Result<Vec<IdpLevel>> {
        let rows: Vec<(i64, String, String, OffsetDateTime)> = sqlx::query_as(
            "SELECT org_id, level, registered_by, registered_at FROM nsis_idp_levels ORDER BY org_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(org, level, registered_by, registered_at)| {
                Ok(IdpLevel {
                    org_id: OrgId(org),
                    level: stored_level(&level)?,
                    registered_by,
                    registered_at,
                })
            })
            .collect()
    }

    async fn set_idp_level(&self, access: &OrgAccess, level: Option<AssuranceLevel>) -> Result<()> {
        require_administer(access)?;
        let org = access.org_id();
        let mut tx = begin_write(&self.pool).await?;
        let kind: Option<String> = sqlx::query_scalar(concat!(
            "SELECT kind FROM organisations WHERE id = $1",
            for_update!()
        ))
        .bind(org.0)
        .fetch_optional(&mut *tx)
        .await?;
        if kind.as_deref() != Some("municipality") {
            return Err(ValidationError::new(
                "org",
                format!("organisation {} is not a municipality", org.0),
            )
            .into());
        }
        let before: Option<String> =
            sqlx::query_scalar("SELECT level FROM nsis_idp_levels WHERE org_id = $1")
                .bind(org.0)
                .fetch_optional(&mut *tx)
                .await?;
        match level {
            Some(level) => {
                sqlx::query(
                    "INSERT INTO nsis_idp_levels (org_id, level, registered_by, registered_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (org_id) DO UPDATE SET \
                     level = excluded.level, registered_by = excluded.registered_by, \
                     registered_at = excluded.registered_at",
                )
                .bind(org.0)
                .bind(level.code())
                .bind(&access.actor().label)
                .bind(now())
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM nsis_idp_levels WHERE org_id = $1")
                    .bind(org.0)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                Some(org),
                "nsis_idp_level.set",
                "organisation",
                org.0,
            )
            .before(serde_json::json!({ "level": before }))
            .after(serde_json::json!({ "level": level.map(AssuranceLevel::code) })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
