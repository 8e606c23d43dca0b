// Vendor systems, their municipalities and credentials (`SystemStore`).
// Included by `shared.rs` as the module `systems`.

use async_trait::async_trait;
use samspil_citizen::credential::rotated_expiry;
use samspil_citizen::{SystemKind, SystemMode, SystemRegistration};
use samspil_citizen_storage::{
    CitizenAuditRecord, SystemCredential, SystemId, SystemMunicipality, SystemStore, VendorSystem,
};
use samspil_storage::now;
use time::Date;

#[derive(sqlx::FromRow)]
struct SystemRow {
    id: i64,
    it_system_uuid: String,
    name: String,
    vendor: String,
    kind: String,
    mode: String,
    registered_at: OffsetDateTime,
    disabled_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct MunicipalityRow {
    municipality_code: i32,
    valid_from: Date,
    registered_at: OffsetDateTime,
    approved_at: Option<OffsetDateTime>,
    approved_by: Option<String>,
}

#[derive(sqlx::FromRow)]
struct CredentialRow {
    id: i64,
    system_id: i64,
    created_at: OffsetDateTime,
    expires_at: Option<OffsetDateTime>,
    revoked_at: Option<OffsetDateTime>,
    last_used_at: Option<OffsetDateTime>,
}

impl From<CredentialRow> for SystemCredential {
    fn from(row: CredentialRow) -> Self {
        SystemCredential {
            id: row.id,
            system_id: SystemId(row.system_id),
            created_at: row.created_at,
            expires_at: row.expires_at,
            revoked_at: row.revoked_at,
            last_used_at: row.last_used_at,
        }
    }
}

const SYSTEM_SELECT: &str = "SELECT id, it_system_uuid, name, vendor, kind, mode, registered_at, \
     disabled_at FROM vendor_systems ";
const MUNICIPALITY_SELECT: &str = "SELECT municipality_code, valid_from, \
     registered_at, approved_at, approved_by FROM system_municipalities ";
const CREDENTIAL_SELECT: &str = "SELECT id, system_id, created_at, expires_at, revoked_at, \
     last_used_at FROM system_credentials ";

fn system(row: SystemRow, municipalities: Vec<SystemMunicipality>) -> Result<VendorSystem> {
    Ok(VendorSystem {
        id: SystemId(row.id),
        it_system_uuid: row.it_system_uuid,
        name: row.name,
        vendor: row.vendor,
        kind: SystemKind::parse(&row.kind)
            .map_err(|unknown| StorageError::Corrupt(unknown.to_string()))?,
        mode: SystemMode::parse(&row.mode)
            .map_err(|_| StorageError::Corrupt(format!("system mode {}", row.mode)))?,
        registered_at: row.registered_at,
        disabled_at: row.disabled_at,
        municipalities,
    })
}

fn municipality(row: MunicipalityRow) -> Result<SystemMunicipality> {
    Ok(SystemMunicipality {
        municipality_code: stored_code(row.municipality_code)?,
        valid_from: row.valid_from,
        registered_at: row.registered_at,
        approved_at: row.approved_at,
        approved_by: row.approved_by,
    })
}

/// The systems of these rows with their municipalities, read on `conn`.
async fn with_municipalities(
    conn: &mut Connection,
    rows: Vec<SystemRow>,
) -> Result<Vec<VendorSystem>> {
    let mut systems = Vec::with_capacity(rows.len());
    for row in rows {
        let municipalities: Vec<MunicipalityRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{MUNICIPALITY_SELECT} WHERE system_id = $1 ORDER BY municipality_code"
        )))
        .bind(row.id)
        .fetch_all(&mut *conn)
        .await?;
        let municipalities = municipalities
            .into_iter()
            .map(municipality)
            .collect::<Result<Vec<_>>>()?;
        systems.push(system(row, municipalities)?);
    }
    Ok(systems)
}

/// One system, read on `conn`; with `lock`, its row locked for the
/// transaction's decision (every change of a system, its municipalities
/// or its credentials locks it first, so they queue).
pub(super) async fn fetch_system(
    conn: &mut Connection,
    id: SystemId,
    lock: bool,
) -> Result<VendorSystem> {
    let lock = if lock { for_update!() } else { "" };
    let row: Option<SystemRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SYSTEM_SELECT} WHERE id = $1{lock}"
    )))
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?;
    let row = row.ok_or(StorageError::NotFound("vendor system"))?;
    with_municipalities(conn, vec![row])
        .await?
        .pop()
        .ok_or(StorageError::NotFound("vendor system"))
}

fn instant_json(at: OffsetDateTime) -> serde_json::Value {
    at.format(&time::format_description::well_known::Rfc3339)
        .map_or(serde_json::Value::Null, serde_json::Value::from)
}

#[async_trait]
impl SystemStore for Store {
    async fn register_system(
        &self,
        registration: &SystemRegistration,
        actor: &Actor,
    ) -> Result<VendorSystem> {
        let mut tx = begin_write(&self.pool).await?;
        // The UUID is unique: a second registration is a conflict, found
        // by the insert itself, so two at once cannot both pass.
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO vendor_systems (it_system_uuid, name, vendor, kind, mode, registered_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (it_system_uuid) DO NOTHING RETURNING id",
        )
        .bind(registration.it_system_uuid.as_str())
        .bind(&registration.name)
        .bind(&registration.vendor)
        .bind(registration.kind.as_str())
        .bind(registration.mode.as_str())
        .bind(now())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else {
            return Err(StorageError::Conflict(format!(
                "a system with the IT-system UUID {} is registered already",
                registration.it_system_uuid
            )));
        };
        append_citizen_audit(
            &mut tx,
            actor,
            "vendor_system.register",
            Some(id),
            None,
            Some(serde_json::json!({
                "it_system_uuid": registration.it_system_uuid.as_str(),
                "name": registration.name,
                "vendor": registration.vendor,
                "kind": registration.kind.as_str(),
                "mode": registration.mode.as_str(),
            })),
        )
        .await?;
        let system = fetch_system(&mut tx, SystemId(id), false).await?;
        tx.commit().await?;
        Ok(system)
    }

    async fn vendor_systems(&self, municipality_code: Option<u16>) -> Result<Vec<VendorSystem>> {
        let mut conn = self.pool.acquire().await?;
        let rows: Vec<SystemRow> = match municipality_code {
            None => {
                sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{SYSTEM_SELECT} ORDER BY name, id"
                )))
                .fetch_all(&mut *conn)
                .await?
            }
            Some(code) => {
                sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{SYSTEM_SELECT} WHERE id IN (SELECT system_id FROM system_municipalities \
                     WHERE municipality_code = $1) ORDER BY name, id"
                )))
                .bind(i32::from(code))
                .fetch_all(&mut *conn)
                .await?
            }
        };
        with_municipalities(&mut conn, rows).await
    }

    async fn vendor_system(&self, id: SystemId) -> Result<Option<VendorSystem>> {
        let mut conn = self.pool.acquire().await?;
        match fetch_system(&mut conn, id, false).await {
            Ok(system) => Ok(Some(system)),
            Err(StorageError::NotFound(_)) => Ok(None),
            Err(other) => Err(other),
        }
    }

    async fn disable_system(&self, id: SystemId, actor: &Actor) -> Result<VendorSystem> {
        let mut tx = begin_write(&self.pool).await?;
        let before = fetch_system(&mut tx, id, true).await?;
        if before.disabled_at.is_some() {
            return Ok(before);
        }
        sqlx::query("UPDATE vendor_systems SET disabled_at = $2 WHERE id = $1")
            .bind(id.0)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        append_citizen_audit(
            &mut tx,
            actor,
            "vendor_system.disable",
            Some(id.0),
            None,
            None,
        )
        .await?;
        let system = fetch_system(&mut tx, id, false).await?;
        tx.commit().await?;
        Ok(system)
    }

    async fn register_municipality(
        &self,
        id: SystemId,
        municipality_code: u16,
        valid_from: Date,
        actor: &Actor,
    ) -> Result<VendorSystem> {
        let mut tx = begin_write(&self.pool).await?;
        fetch_system(&mut tx, id, true).await?;
        let inserted = sqlx::query(
            "INSERT INTO system_municipalities (system_id, municipality_code, valid_from, \
             registered_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (system_id, municipality_code) DO NOTHING",
        )
        .bind(id.0)
        .bind(i32::from(municipality_code))
        .bind(valid_from)
        .bind(now())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(StorageError::Conflict(format!(
                "the system is registered for municipality {municipality_code} already"
            )));
        }
        append_citizen_audit(
            &mut tx,
            actor,
            "vendor_system.register_municipality",
            Some(id.0),
            Some(municipality_code),
            Some(serde_json::json!({ "valid_from": valid_from.to_string() })),
        )
        .await?;
        let system = fetch_system(&mut tx, id, false).await?;
        tx.commit().await?;
        Ok(system)
    }

    async fn approve_municipality(
        &self,
        id: SystemId,
        municipality_code: u16,
        actor: &Actor,
    ) -> Result<VendorSystem> {
        let mut tx = begin_write(&self.pool).await?;
        let before = fetch_system(&mut tx, id, true).await?;
        let registration = before
            .municipality(municipality_code)
            .ok_or(StorageError::NotFound(
                "the system's registration for the municipality",
            ))?;
        if registration.approved_at.is_some() {
            return Ok(before);
        }
        sqlx::query(
            "UPDATE system_municipalities SET approved_at = $3, approved_by = $4 \
             WHERE system_id = $1 AND municipality_code = $2 AND approved_at IS NULL",
        )
        .bind(id.0)
        .bind(i32::from(municipality_code))
        .bind(now())
        .bind(&actor.label)
        .execute(&mut *tx)
        .await?;
        append_citizen_audit(
            &mut tx,
            actor,
            "vendor_system.approve_municipality",
            Some(id.0),
            Some(municipality_code),
            None,
        )
        .await?;
        let system = fetch_system(&mut tx, id, false).await?;
        tx.commit().await?;
        Ok(system)
    }

    async fn issue_credential(
        &self,
        id: SystemId,
        token_hash: &str,
        others_until: OffsetDateTime,
        actor: &Actor,
    ) -> Result<SystemCredential> {
        let others_until = stored_instant(others_until);
        let mut tx = begin_write(&self.pool).await?;
        fetch_system(&mut tx, id, true).await?;
        let at = now();
        // The credentials still in force run on to the end of the overlap
        // at the latest (never longer than they would have).
        let in_force: Vec<CredentialRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{CREDENTIAL_SELECT} WHERE system_id = $1 AND revoked_at IS NULL \
             AND (expires_at IS NULL OR expires_at > $2)"
        )))
        .bind(id.0)
        .bind(at)
        .fetch_all(&mut *tx)
        .await?;
        for credential in &in_force {
            sqlx::query("UPDATE system_credentials SET expires_at = $2 WHERE id = $1")
                .bind(credential.id)
                .bind(rotated_expiry(credential.expires_at, others_until))
                .execute(&mut *tx)
                .await?;
        }
        let credential: CredentialRow = sqlx::query_as(
            "INSERT INTO system_credentials (system_id, token_hash, created_at) \
             VALUES ($1, $2, $3) RETURNING id, system_id, created_at, expires_at, revoked_at, \
             last_used_at",
        )
        .bind(id.0)
        .bind(token_hash)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        append_citizen_audit(
            &mut tx,
            actor,
            "vendor_system.issue_credential",
            Some(id.0),
            None,
            Some(serde_json::json!({
                "credential": credential.id,
                "others_in_force": in_force.iter().map(|c| c.id).collect::<Vec<_>>(),
                "others_until": instant_json(others_until),
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(credential.into())
    }

    async fn revoke_credential(
        &self,
        id: SystemId,
        credential_id: i64,
        actor: &Actor,
    ) -> Result<SystemCredential> {
        let mut tx = begin_write(&self.pool).await?;
        fetch_system(&mut tx, id, true).await?;
        let revoked: Option<CredentialRow> = sqlx::query_as(
            "UPDATE system_credentials SET revoked_at = $3 \
             WHERE id = $1 AND system_id = $2 AND revoked_at IS NULL \
             RETURNING id, system_id, created_at, expires_at, revoked_at, last_used_at",
        )
        .bind(credential_id)
        .bind(id.0)
        .bind(now())
        .fetch_optional(&mut *tx)
        .await?;
        let credential = match revoked {
            Some(credential) => credential,
            None => {
                // Revoked already (nothing changes), or not this system's.
                let existing: Option<CredentialRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{CREDENTIAL_SELECT} WHERE id = $1 AND system_id = $2"
                )))
                .bind(credential_id)
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?;
                return existing
                    .map(SystemCredential::from)
                    .ok_or(StorageError::NotFound("credential"));
            }
        };
        append_citizen_audit(
            &mut tx,
            actor,
            "vendor_system.revoke_credential",
            Some(id.0),
            None,
            Some(serde_json::json!({ "credential": credential_id })),
        )
        .await?;
        tx.commit().await?;
        Ok(credential.into())
    }

    async fn credentials(&self, id: SystemId) -> Result<Vec<SystemCredential>> {
        let rows: Vec<CredentialRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{CREDENTIAL_SELECT} WHERE system_id = $1 ORDER BY id DESC"
        )))
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(SystemCredential::from).collect())
    }

    async fn system_by_credential(&self, token_hash: &str) -> Result<Option<VendorSystem>> {
        // `CredentialState::at` in SQL: neither revoked nor expired, and the
        // system enabled. One statement finds it and marks it used, so a
        // revocation holds from the very next request.
        let system_id: Option<i64> = sqlx::query_scalar(
            "UPDATE system_credentials SET last_used_at = $2 WHERE token_hash = $1 \
             AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2) \
             AND system_id IN (SELECT id FROM vendor_systems WHERE disabled_at IS NULL) \
             RETURNING system_id",
        )
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        match system_id {
            Some(id) => self.vendor_system(SystemId(id)).await,
            None => Ok(None),
        }
    }

    async fn system_audit(&self, id: SystemId) -> Result<Vec<CitizenAuditRecord>> {
        #[derive(sqlx::FromRow)]
        struct AuditRow {
            id: i64,
            at: OffsetDateTime,
            actor_label: String,
            action: String,
            system_id: Option<i64>,
            municipality_code: Option<i32>,
            detail_json: Option<String>,
        }
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT id, at, actor_label, action, system_id, municipality_code, detail_json \
             FROM citizen_audit WHERE system_id = $1 ORDER BY id DESC",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(CitizenAuditRecord {
                    id: row.id,
                    at: row.at,
                    actor_label: row.actor_label,
                    action: row.action,
                    system_id: row.system_id.map(SystemId),
                    municipality_code: row.municipality_code.map(stored_code).transpose()?,
                    detail: row.detail_json,
                })
            })
            .collect()
    }
}
