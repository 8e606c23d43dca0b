// Logins through an identity provider: the pending state between the
// redirect and the answer, finding the person, and recording the login.
// SQL both backends accept, compiled into each beside `shared.rs`.
//
// The pending state is a credential in waiting, not data anyone reads: like
// the login throttle it is not audited; the login it leads to is.

use samspil_domain::federation::{DirectoryCandidates, DirectoryPerson};
use samspil_storage::PendingFederatedLogin;

type PendingRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    OffsetDateTime,
);

type PersonRow = (i64, i64, Option<String>, bool);

fn person((id, org_id, external_id, active): PersonRow) -> DirectoryPerson {
    DirectoryPerson {
        id: UserId(id),
        org_id: OrgId(org_id),
        external_id,
        active,
    }
}

#[async_trait]
impl FederatedLoginStore for Store {
    async fn begin_federated_login(&self, pending: &PendingFederatedLogin) -> Result<()> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        // Abandoned logins go when new ones come: no job needed to sweep them.
        sqlx::query("DELETE FROM federated_login_states WHERE expires_at <= $1")
            .bind(now())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO federated_login_states (state_hash, browser_hash, provider, pkce_verifier, \
             nonce, next_path, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&pending.state_hash)
        .bind(&pending.browser_hash)
        .bind(&pending.provider)
        .bind(&pending.pkce_verifier)
        .bind(&pending.nonce)
        .bind(&pending.next_path)
        .bind(now())
        .bind(pending.expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn take_federated_login(
        &self,
        state_hash: &str,
    ) -> Result<Option<PendingFederatedLogin>> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        // DELETE … RETURNING: of two requests with the same state only one gets
        // the row, so an answer from the provider is used at most once.
        let row: Option<PendingRow> = sqlx::query_as(
            "DELETE FROM federated_login_states WHERE state_hash = $1 \
             RETURNING state_hash, browser_hash, provider, pkce_verifier, nonce, next_path, expires_at",
        )
        .bind(state_hash)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(row.map(
            |(state_hash, browser_hash, provider, pkce_verifier, nonce, next_path, expires_at)| {
                PendingFederatedLogin {
                    state_hash,
                    browser_hash,
                    provider,
                    pkce_verifier,
                    nonce,
                    next_path,
                    expires_at,
                }
            },
        ))
    }

    async fn federated_candidates(
        &self,
        org: OrgId,
        directory_uuid: Option<&str>,
        email: Option<&str>,
    ) -> Result<samspil_domain::federation::DirectoryCandidates> {
        let pool = &self.pool;
        let by_uuid = match directory_uuid {
            Some(uuid) => sqlx::query_as::<_, PersonRow>(
                "SELECT id, org_id, external_id, active FROM users WHERE external_id = $1",
            )
            // As the directory import keeps it: the uuid exactly as the source wrote it.
            .bind(uuid.trim())
            .fetch_optional(pool)
            .await?
            .map(person),
            None => None,
        };
        let by_email = match email {
            Some(email) => sqlx::query_as::<_, PersonRow>(
                "SELECT id, org_id, external_id, active FROM users \
                 WHERE org_id = $1 AND lower(email) = $2 ORDER BY id LIMIT 10",
            )
            .bind(org.0)
            .bind(email)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(person)
            .collect(),
            None => Vec::new(),
        };
        Ok(DirectoryCandidates { by_uuid, by_email })
    }

    async fn record_federated_login(
        &self,
        user: UserId,
        role: AccessRole,
        provider: &str,
        subject: &str,
    ) -> Result<User> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        let current = fetch_user(&mut tx, user)
            .await?
            .ok_or_else(|| StorageError::NotFound("user"))?;
        let actor = Actor {
            user_id: Some(current.id),
            label: current.login.to_string(),
        };
        // Conditional: of two logins at once that bring the same new role, only
        // the first changes it and says so in the audit log.
        let changed = current.role != role
            && sqlx::query("UPDATE users SET role = $2 WHERE id = $1 AND role <> $2")
                .bind(user.0)
                .bind(role.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
        if changed {
            append_audit(
                &mut tx,
                &AuditEntry {
                    actor: actor.clone(),
                    org_id: Some(current.org_id),
                    action: "user.role_changed_by_idp",
                    entity_type: "user",
                    entity_id: user.to_string(),
                    before: Some(serde_json::json!({ "role": current.role.as_str() })),
                    after: Some(serde_json::json!({ "role": role.as_str(), "provider": provider })),
                },
            )
            .await?;
        }
        append_audit(
            &mut tx,
            &AuditEntry {
                actor,
                org_id: Some(current.org_id),
                action: "user.signed_in_idp",
                entity_type: "user",
                entity_id: user.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "provider": provider,
                    "subject": subject,
                    "role": role.as_str(),
                })),
            },
        )
        .await?;
        let stored = fetch_user(&mut tx, user)
            .await?
            .ok_or_else(|| StorageError::NotFound("user"))?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn active_administrators(&self, org: OrgId) -> Result<Vec<User>> {
        let pool = &self.pool;
        sqlx::query_as::<_, UserRow>(concat!(
            user_select!(),
            "WHERE u.org_id = $1 AND u.role = 'admin' AND u.active = TRUE ORDER BY u.display_name, u.id"
        ))
        .bind(org.0)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(User::try_from)
        .collect()
    }
}
