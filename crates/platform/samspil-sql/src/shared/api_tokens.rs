// Bearer tokens for the JSON API: issued, found by their digest, listed
// and revoked. Included by `shared.rs` as the module `api_tokens`.

use samspil_domain::api_token::checked_label;
use samspil_storage::{ApiToken, Revocation};

// Instants compared as text on SQLite have the one shape `now()` gives.
use samspil_storage::stored_instant;

#[derive(sqlx::FromRow)]
struct ApiTokenRow {
    id: i64,
    user_id: i64,
    label: String,
    created_at: OffsetDateTime,
    expires_at: Option<OffsetDateTime>,
    last_used_at: Option<OffsetDateTime>,
    revoked_at: Option<OffsetDateTime>,
}

impl From<ApiTokenRow> for ApiToken {
    fn from(row: ApiTokenRow) -> Self {
        ApiToken {
            id: row.id,
            user_id: UserId(row.user_id),
            label: row.label,
            created_at: row.created_at,
            expires_at: row.expires_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        }
    }
}

macro_rules! token_select {
    () => {
        "SELECT id, user_id, label, created_at, expires_at, last_used_at, revoked_at \
         FROM api_tokens "
    };
}

fn instant_text(at: Option<OffsetDateTime>) -> serde_json::Value {
    at.and_then(|at| {
        at.format(&time::format_description::well_known::Rfc3339)
            .ok()
    })
    .map_or(serde_json::Value::Null, serde_json::Value::from)
}

#[async_trait]
impl ApiTokenStore for Store {
    async fn create_api_token(&self, token: &NewApiToken, actor: &Actor) -> Result<()> {
        let pool = &self.pool;
        let label = checked_label(&token.label)?;
        let expires_at = token.expires_at.map(stored_instant);
        let mut tx = begin_write(pool).await?;
        let user = fetch_user(&mut tx, token.user_id)
            .await?
            .ok_or(StorageError::NotFound("user"))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, token_hash, label, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(token.user_id.0)
        .bind(&token.token_hash)
        .bind(&label)
        .bind(now())
        .bind(expires_at)
        .fetch_one(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry {
                actor: actor.clone(),
                org_id: Some(user.org_id),
                action: "api_token.create",
                entity_type: "api_token",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "user": user.login.as_str(),
                    "label": label,
                    "expires_at": instant_text(expires_at),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>> {
        // `TokenState::at` in SQL: neither revoked nor expired. One statement
        // finds the token and marks it used, so a revocation or an expiry
        // holds from the very next request.
        let user_id: Option<i64> = sqlx::query_scalar(
            "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL \
             AND (expires_at IS NULL OR expires_at > $2) RETURNING user_id",
        )
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        let Some(user_id) = user_id.map(UserId) else {
            return Ok(None);
        };
        Ok(self.user(user_id).await?.filter(|u| u.active))
    }

    async fn api_tokens(&self, user: UserId) -> Result<Vec<ApiToken>> {
        let pool = &self.pool;
        let rows: Vec<ApiTokenRow> = sqlx::query_as(concat!(
            token_select!(),
            "WHERE user_id = $1 ORDER BY id DESC"
        ))
        .bind(user.0)
        .fetch_all(pool)
        .await?;
        Ok(rows.into_iter().map(ApiToken::from).collect())
    }

    async fn revoke_api_token(
        &self,
        id: i64,
        owner: Option<UserId>,
        actor: &Actor,
    ) -> Result<Revocation> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        let found: Option<ApiTokenRow> = sqlx::query_as(concat!(token_select!(), "WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        // Someone else's token is answered like one that does not exist.
        let Some(found) = found.filter(|t| owner.is_none_or(|owner| owner.0 == t.user_id)) else {
            return Err(StorageError::NotFound("API token"));
        };
        let token = ApiToken::from(found);
        let revoked_at = now();
        // Conditional, so that of two revocations at once only one is recorded.
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(revoked_at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(Revocation::AlreadyRevoked(token));
        }
        let user = fetch_user(&mut tx, token.user_id)
            .await?
            .ok_or(StorageError::NotFound("user"))?;
        append_audit(
            &mut tx,
            &AuditEntry {
                actor: actor.clone(),
                org_id: Some(user.org_id),
                action: "api_token.revoke",
                entity_type: "api_token",
                entity_id: id.to_string(),
                before: Some(serde_json::json!({ "revoked_at": null })),
                after: Some(serde_json::json!({
                    "user": user.login.as_str(),
                    "label": token.label,
                    "revoked_at": instant_text(Some(revoked_at)),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Revocation::Revoked(ApiToken {
            revoked_at: Some(revoked_at),
            ..token
        }))
    }
}
