// Password credentials and sessions (`SessionStore`): SQL both backends
// accept, compiled into each backend beside `shared.rs` (see the note
// at the top of that file). Included as the module `sessions`.

#[async_trait]
impl SessionStore for Store {
    async fn credentials(&self, login: &Login) -> Result<Option<Credentials>> {
        let row: Option<(i64, Option<String>)> =
            sqlx::query_as("SELECT id, password_hash FROM users WHERE login = $1")
                .bind(login.as_str())
                .fetch_optional(&self.pool)
                .await?;
        let Some((id, password_hash)) = row else {
            return Ok(None);
        };
        let user = self
            .user(UserId(id))
            .await?
            .ok_or(StorageError::NotFound("user"))?;
        Ok(Some(Credentials {
            user,
            password_hash,
        }))
    }

    async fn create_session(&self, session: &NewSession, actor: &Actor) -> Result<()> {
        let mut tx = begin_write(&self.pool).await?;
        sqlx::query(
            "INSERT INTO sessions \
             (id_hash, user_id, csrf_token, created_at, expires_at, level_of_assurance) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&session.id_hash)
        .bind(session.user_id.0)
        .bind(&session.csrf_token)
        .bind(now())
        .bind(session.expires_at)
        .bind(&session.level_of_assurance)
        .execute(&mut *tx)
        .await?;
        let org_id: i64 = sqlx::query_scalar("SELECT org_id FROM users WHERE id = $1")
            .bind(session.user_id.0)
            .fetch_one(&mut *tx)
            .await?;
        append_audit(
            &mut tx,
            &AuditEntry {
                actor: actor.clone(),
                org_id: Some(OrgId(org_id)),
                action: "session.login",
                entity_type: "user",
                entity_id: session.user_id.to_string(),
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session(&self, id_hash: &str) -> Result<Option<(Session, User)>> {
        type Row = (
            String,
            i64,
            String,
            OffsetDateTime,
            OffsetDateTime,
            Option<String>,
        );
        let row: Option<Row> = sqlx::query_as(
            "SELECT s.id_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at, \
                    s.level_of_assurance \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.active = TRUE",
        )
        .bind(id_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        let Some((id_hash, user_id, csrf_token, created_at, expires_at, level_of_assurance)) = row
        else {
            return Ok(None);
        };
        let user = self
            .user(UserId(user_id))
            .await?
            .ok_or(StorageError::NotFound("user"))?;
        let session = Session {
            id_hash,
            user_id: UserId(user_id),
            csrf_token,
            created_at,
            expires_at,
            level_of_assurance,
        };
        Ok(Some((session, user)))
    }

    async fn delete_session(&self, id_hash: &str, actor: &Actor) -> Result<()> {
        let mut tx = begin_write(&self.pool).await?;
        let removed: Option<(i64, i64)> = sqlx::query_as(
            "SELECT s.user_id, u.org_id FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1",
        )
        .bind(id_hash)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&mut *tx)
            .await?;
        if let Some((user_id, org_id)) = removed {
            append_audit(
                &mut tx,
                &AuditEntry {
                    actor: actor.clone(),
                    org_id: Some(OrgId(org_id)),
                    action: "session.logout",
                    entity_type: "user",
                    entity_id: user_id.to_string(),
                    before: None,
                    after: None,
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn delete_expired_sessions(&self) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
