// The second factor of local accounts and the logins that owe it.
// Included by `shared.rs` as the module `totp`.

use samspil_storage::{NewPendingLogin, PendingLogin, TotpEnrolment};

fn step_value(step: u64) -> Result<i64> {
    i64::try_from(step).map_err(|_| {
        StorageError::Invalid(samspil_domain::ValidationError::new(
            "code",
            "the time step is out of range",
        ))
    })
}

fn stored_step(step: Option<i64>) -> Result<Option<u64>> {
    step.map(|s| u64::try_from(s).map_err(|_| StorageError::Corrupt(format!("TOTP step {s}"))))
        .transpose()
}

async fn user_org(conn: &mut Connection, user: UserId) -> Result<OrgId> {
    let org: Option<i64> = sqlx::query_scalar("SELECT org_id FROM users WHERE id = $1")
        .bind(user.0)
        .fetch_optional(&mut *conn)
        .await?;
    org.map(OrgId).ok_or(StorageError::NotFound("user"))
}

/// The audit entry of a second factor added or removed. The secret is
/// never written to the log.
async fn audit_totp(
    conn: &mut Connection,
    user: UserId,
    action: &'static str,
    actor: &Actor,
) -> Result<()> {
    let org_id = user_org(conn, user).await?;
    let enrolled = action == "user.totp_enrolled";
    append_audit(
        conn,
        &AuditEntry {
            actor: actor.clone(),
            org_id: Some(org_id),
            action,
            entity_type: "user",
            entity_id: user.to_string(),
            before: Some(serde_json::json!({ "totp": !enrolled })),
            after: Some(serde_json::json!({ "totp": enrolled })),
        },
    )
    .await
}

/// Sets the secret of someone who has none, on the caller's transaction.
async fn set_secret(
    conn: &mut Connection,
    user: UserId,
    secret: &str,
    step: Option<u64>,
    actor: &Actor,
) -> Result<bool> {
    let step = step.map(step_value).transpose()?;
    let changed = sqlx::query(
        "UPDATE users SET totp_secret = $2, totp_last_step = $3 \
         WHERE id = $1 AND totp_secret IS NULL",
    )
    .bind(user.0)
    .bind(secret)
    .bind(step)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 1 {
        audit_totp(conn, user, "user.totp_enrolled", actor).await?;
    }
    Ok(changed == 1)
}

/// Marks `step` used if it is newer than the last used one: the one
/// statement that makes a code good once, also under concurrent requests.
async fn use_step(conn: &mut Connection, user: UserId, secret: &str, step: u64) -> Result<bool> {
    let changed = sqlx::query(
        "UPDATE users SET totp_last_step = $3 WHERE id = $1 AND totp_secret = $2 \
         AND (totp_last_step IS NULL OR totp_last_step < $3)",
    )
    .bind(user.0)
    .bind(secret)
    .bind(step_value(step)?)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(changed == 1)
}

type PendingRow = (String, i64, String, Option<String>, OffsetDateTime);

fn pending_from(row: PendingRow) -> PendingLogin {
    let (id_hash, user_id, next_path, enrolment_secret, expires_at) = row;
    PendingLogin {
        id_hash,
        user_id: UserId(user_id),
        next_path,
        enrolment_secret,
        expires_at,
    }
}

const PENDING_SELECT: &str = "SELECT p.id_hash, p.user_id, p.next_path, p.enrolment_secret, \
     p.expires_at FROM pending_logins p JOIN users u ON u.id = p.user_id \
     WHERE p.id_hash = $1 AND p.expires_at > $2 AND u.active = TRUE";

#[async_trait]
impl SecondFactorStore for Store {
    async fn totp_enrolment(&self, user: UserId) -> Result<Option<TotpEnrolment>> {
        let pool = &self.pool;
        let row: Option<(Option<String>, Option<i64>)> =
            sqlx::query_as("SELECT totp_secret, totp_last_step FROM users WHERE id = $1")
                .bind(user.0)
                .fetch_optional(pool)
                .await?;
        match row {
            Some((Some(secret), last_step)) => Ok(Some(TotpEnrolment {
                secret,
                last_step: stored_step(last_step)?,
            })),
            _ => Ok(None),
        }
    }

    async fn enrol_totp(
        &self,
        user: UserId,
        secret: &str,
        step: Option<u64>,
        actor: &Actor,
    ) -> Result<()> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        user_org(&mut tx, user).await?;
        if !set_secret(&mut tx, user, secret, step, actor).await? {
            return Err(StorageError::Conflict(
                "this person has a second factor already".into(),
            ));
        }
        tx.commit().await?;
        Ok(())
    }

    async fn accept_totp_step(&self, user: UserId, secret: &str, step: u64) -> Result<bool> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        let accepted = use_step(&mut tx, user, secret, step).await?;
        tx.commit().await?;
        Ok(accepted)
    }

    async fn remove_totp(
        &self,
        user: UserId,
        proof: Option<(&str, u64)>,
        actor: &Actor,
    ) -> Result<bool> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        if let Some((secret, step)) = proof
            && !use_step(&mut tx, user, secret, step).await?
        {
            return Ok(false);
        }
        let changed = sqlx::query(
            "UPDATE users SET totp_secret = NULL, totp_last_step = NULL \
             WHERE id = $1 AND totp_secret IS NOT NULL",
        )
        .bind(user.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 1 {
            audit_totp(&mut tx, user, "user.totp_removed", actor).await?;
        }
        tx.commit().await?;
        Ok(changed == 1)
    }

    async fn create_pending_login(&self, login: &NewPendingLogin) -> Result<()> {
        let pool = &self.pool;
        sqlx::query(
            "INSERT INTO pending_logins (id_hash, user_id, next_path, enrolment_secret, created_at, \
             expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&login.id_hash)
        .bind(login.user_id.0)
        .bind(&login.next_path)
        .bind(&login.enrolment_secret)
        .bind(now())
        .bind(login.expires_at)
        .execute(pool)
        .await?;
        Ok(())
    }

    async fn pending_login(&self, id_hash: &str) -> Result<Option<PendingLogin>> {
        let pool = &self.pool;
        Ok(sqlx::query_as::<_, PendingRow>(PENDING_SELECT)
            .bind(id_hash)
            .bind(now())
            .fetch_optional(pool)
            .await?
            .map(pending_from))
    }

    async fn complete_pending_login(
        &self,
        id_hash: &str,
        secret: &str,
        step: u64,
        actor: &Actor,
    ) -> Result<bool> {
        let pool = &self.pool;
        let mut tx = begin_write(pool).await?;
        let Some(login) = sqlx::query_as::<_, PendingRow>(PENDING_SELECT)
            .bind(id_hash)
            .bind(now())
            .fetch_optional(&mut *tx)
            .await?
            .map(pending_from)
        else {
            return Ok(false);
        };
        // The code was checked against `secret`; it proves nothing if the
        // secret changed since.
        let proved = match &login.enrolment_secret {
            Some(offered) if offered == secret => {
                set_secret(&mut tx, login.user_id, secret, Some(step), actor).await?
            }
            Some(_) => false,
            None => use_step(&mut tx, login.user_id, secret, step).await?,
        };
        if !proved {
            // Dropping the transaction rolls it back: nothing changed.
            return Ok(false);
        }
        // Deleted only if still there: two requests racing with the same
        // pending login cannot both complete it.
        let deleted = sqlx::query("DELETE FROM pending_logins WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if deleted != 1 {
            return Ok(false);
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn delete_expired_pending_logins(&self) -> Result<u64> {
        let pool = &self.pool;
        let done = sqlx::query("DELETE FROM pending_logins WHERE expires_at <= $1")
            .bind(now())
            .execute(pool)
            .await?;
        Ok(done.rows_affected())
    }
}
