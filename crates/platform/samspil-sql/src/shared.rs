// The SQL that SQLite and PostgreSQL both accept, written once.
//
// This file is not compiled as a module of its own: each backend module
// (`sqlite.rs`, `postgres.rs`) includes it into a module that defines `Db`
// (its sqlx database type) and `Store` (its storage type with a `pool`, a
// `BACKEND` name and a `run_migrations` method), so the same code runs
// against each backend's own typed pool. Where the two databases differ,
// the backend module provides the method, and each provides `begin_write` (SQLite: `BEGIN IMMEDIATE`), with which
// every transaction here begins, and `for_update!()`, the clause that locks
// the rows a transaction decides on (PostgreSQL: `FOR NO KEY UPDATE`;
// SQLite: none, its writer is exclusive already).

use async_trait::async_trait;
use samspil_domain::access::{AccessLevel, Actor};
use samspil_domain::audit::AuditEntry;
use samspil_domain::{
    AccessRole, Login, MunicipalityCode, OrgAccess, OrgId, OrgKind, ReferenceOrganisation, UserId,
    UserType,
};
use samspil_storage::{
    ApiTokenStore, AuditStore, DatabaseAdmin, DirectoryImportStore, DirectorySyncStore,
    FederatedLoginStore, LoginThrottleStore, OrganisationStore, OutboxStore, SecondFactorStore,
    SessionStore,
};
use samspil_storage::{
    AuditRecord, Credentials, LoginFailures, NewApiToken, NewSession, NewUser, OrgUnit, OrgUnitId,
    Organisation, Result, Session, StorageError, SyncReport, User, now,
};
use time::OffsetDateTime;

/// A connection of this backend, on which the contexts' SQL writes in the
/// same transaction as the helpers here (`append_audit`).
pub type Connection = <Db as sqlx::Database>::Connection;

macro_rules! user_select {
    () => {
        "SELECT u.id, u.org_id, u.org_unit_id, ou.name AS org_unit_name, u.login, \
         u.display_name, u.email, u.phone, u.job_title, u.role, u.user_type, u.active \
         FROM users u LEFT JOIN org_units ou ON ou.id = u.org_unit_id "
    };
}

/// A stored municipality code, which must be three digits.
pub fn municipality_code(code: Option<i32>) -> Result<Option<MunicipalityCode>> {
    code.map(|code| {
        u16::try_from(code)
            .map_err(|_| StorageError::Corrupt(format!("municipality code {code}")))
            .and_then(|code| Ok(MunicipalityCode::new(code)?))
    })
    .transpose()
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    org_id: i64,
    org_unit_id: Option<i64>,
    org_unit_name: Option<String>,
    login: String,
    display_name: String,
    email: Option<String>,
    phone: Option<String>,
    job_title: Option<String>,
    role: String,
    user_type: String,
    active: bool,
}

impl TryFrom<UserRow> for User {
    type Error = StorageError;

    fn try_from(row: UserRow) -> Result<Self> {
        Ok(User {
            id: UserId(row.id),
            org_id: OrgId(row.org_id),
            org_unit_id: row.org_unit_id.map(OrgUnitId),
            org_unit_name: row.org_unit_name,
            login: Login::parse(&row.login)?,
            display_name: row.display_name,
            email: row.email,
            phone: row.phone,
            job_title: row.job_title,
            role: AccessRole::parse(&row.role)
                .ok_or_else(|| StorageError::Corrupt(format!("access role '{}'", row.role)))?,
            user_type: UserType::parse(&row.user_type)
                .ok_or_else(|| StorageError::Corrupt(format!("user type '{}'", row.user_type)))?,
            active: row.active,
        })
    }
}

/// Appends to the audit log on the caller's connection, so that the entry
/// commits or rolls back with the change it describes.
pub async fn append_audit(conn: &mut Connection, entry: &AuditEntry) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, actor_label, org_id, action, entity_type, \
         entity_id, before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(now())
    .bind(entry.actor.user_id.map(|id| id.0))
    .bind(&entry.actor.label)
    .bind(entry.org_id.map(|id| id.0))
    .bind(entry.action)
    .bind(entry.entity_type)
    .bind(&entry.entity_id)
    .bind(entry.before.as_ref().map(|v| v.to_string()))
    .bind(entry.after.as_ref().map(|v| v.to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub fn require_administer(access: &OrgAccess) -> Result<()> {
    require_level(access, AccessLevel::Administer, "administer")
}

/// Work on a municipality's tasks needs more than read access: a reader's
/// access never reaches a write, whichever handler forgot to ask.
pub fn require_work(access: &OrgAccess) -> Result<()> {
    require_level(access, AccessLevel::Work, "work on")
}

pub fn require_level(access: &OrgAccess, needed: AccessLevel, verb: &'static str) -> Result<()> {
    if access.level() >= needed {
        return Ok(());
    }
    Err(StorageError::Denied(samspil_domain::access::AccessDenied {
        login: access.actor().label.clone(),
        org_id: access.org_id(),
        verb,
    }))
}

pub async fn fetch_user(conn: &mut Connection, id: UserId) -> Result<Option<User>> {
    sqlx::query_as::<_, UserRow>(concat!(user_select!(), "WHERE u.id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .map(User::try_from)
        .transpose()
}

#[async_trait]
impl DatabaseAdmin for Store {
    fn backend(&self) -> &'static str {
        Store::BACKEND
    }

    async fn migrate(&self) -> Result<()> {
        self.run_migrations().await
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

mod directory {
    use super::*;
    include!("shared/directory.rs");
}

mod directory_sync {
    use super::*;
    include!("shared/directory_sync.rs");
}

mod outbox {
    use super::*;
    include!("shared/outbox.rs");
}

mod federation {
    use super::*;
    include!("shared/federation.rs");
}

mod totp {
    use super::*;
    include!("shared/totp.rs");
}

mod api_tokens {
    use super::*;
    include!("shared/api_tokens.rs");
}

mod throttle {
    use super::*;
    include!("shared/throttle.rs");
}

mod organisations {
    use super::*;
    include!("shared/organisations.rs");
}

mod audit {
    use super::*;
    include!("shared/audit.rs");
}

mod sessions {
    use super::*;
    include!("shared/sessions.rs");
}
