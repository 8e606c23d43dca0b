// The SQL that SQLite and PostgreSQL both accept, written once.
//
// This file is not compiled in this crate: each backend crate includes it
// into a module that defines `Db` (its sqlx database type) and `Store` (its
// storage type with a `pool`, a `BACKEND` name and a `run_migrations`
// method), so the same code runs against each backend's own typed pool.
// Where the two databases differ, the backend crate provides the method, and
// each backend provides `begin_write` (SQLite: `BEGIN IMMEDIATE`), with which
// every transaction here begins, and `for_update!()`, the clause that locks
// the rows a transaction decides on (PostgreSQL: `FOR NO KEY UPDATE`;
// SQLite: none, its writer is exclusive already).

use async_trait::async_trait;
use samspil_domain::CommunityAccess;
use samspil_domain::access::{AccessLevel, Actor};
use samspil_domain::audit::AuditEntry;
use samspil_domain::notification::{Audience, Frequency, MessageSpec, NotificationKind};
use samspil_domain::question::{QuestionId, QuestionSpec};
use samspil_domain::role::{AssignmentId, RoleId, RoleSpec};
use samspil_domain::task::{ProjectId, TaskId, TaskStatus};
use samspil_domain::{
    AccessRole, Login, MunicipalityCode, OrgAccess, OrgId, OrgKind, ReferenceOrganisation, UserId,
    UserType,
};
use samspil_storage::{AnswerRecord, Comment, Question};
use samspil_storage::{
    AuditRecord, Credentials, LoginFailures, NewApiToken, NewSession, NewUser, OrgUnit, OrgUnitId,
    Organisation, Result, Session, Storage, StorageError, SyncReport, User, now,
};
use samspil_storage::{
    ContactEntry, ContactList, NewAssignment, NewContactEntry, Role, RoleAssignment, RoleGap,
    RoleHolder, SolutionAccess, TaskAssignee,
};
use samspil_storage::{
    DeliveryRecord, InboxItem, MessageSummary, NotificationPreference, OutboxTotals,
    PendingDelivery, QueueReport, RecipientCount,
};
use samspil_storage::{
    EventRecord, MunicipalityProgress, MunicipalityStatus, MunicipalityTask, NewProject, NewTask,
    Project, ProjectProgress, Task, TaskChange, TaskChangeRecord, TaskFilter,
};
use time::OffsetDateTime;

type Connection = <Db as sqlx::Database>::Connection;

macro_rules! user_select {
    () => {
        "SELECT u.id, u.org_id, u.org_unit_id, ou.name AS org_unit_name, u.login, \
         u.display_name, u.email, u.phone, u.job_title, u.role, u.user_type, u.active \
         FROM users u LEFT JOIN org_units ou ON ou.id = u.org_unit_id "
    };
}

macro_rules! org_select {
    () => {
        "SELECT id, key, kind, name, official_name, code, region FROM organisations "
    };
}

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: i64,
    key: String,
    kind: String,
    name: String,
    official_name: String,
    code: Option<i32>,
    region: Option<String>,
}

/// A stored municipality code, which must be three digits.
fn municipality_code(code: Option<i32>) -> Result<Option<MunicipalityCode>> {
    code.map(|code| {
        u16::try_from(code)
            .map_err(|_| StorageError::Corrupt(format!("municipality code {code}")))
            .and_then(|code| Ok(MunicipalityCode::new(code)?))
    })
    .transpose()
}

impl TryFrom<OrgRow> for Organisation {
    type Error = StorageError;

    fn try_from(row: OrgRow) -> Result<Self> {
        let kind = OrgKind::parse(&row.kind)
            .ok_or_else(|| StorageError::Corrupt(format!("organisation kind '{}'", row.kind)))?;
        let code = municipality_code(row.code)?;
        Ok(Organisation {
            id: OrgId(row.id),
            key: row.key,
            kind,
            name: row.name,
            official_name: row.official_name,
            code,
            region: row.region,
        })
    }
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

/// Appends to the audit log on the caller's connection, so that the entry
/// commits or rolls back with the change it describes.
async fn append_audit(conn: &mut Connection, entry: &AuditEntry) -> Result<()> {
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

fn require_administer(access: &OrgAccess) -> Result<()> {
    require_level(access, AccessLevel::Administer, "administer")
}

/// Work on a municipality's tasks needs more than read access: a reader's
/// access never reaches a write, whichever handler forgot to ask.
fn require_work(access: &OrgAccess) -> Result<()> {
    require_level(access, AccessLevel::Work, "work on")
}

fn require_level(access: &OrgAccess, needed: AccessLevel, verb: &'static str) -> Result<()> {
    if access.level() >= needed {
        return Ok(());
    }
    Err(StorageError::Denied(samspil_domain::access::AccessDenied {
        login: access.actor().label.clone(),
        org_id: access.org_id(),
        verb,
    }))
}

fn org_json(org: &ReferenceOrganisation) -> serde_json::Value {
    serde_json::json!({
        "key": org.key,
        "kind": org.kind.as_str(),
        "name": org.name,
        "official_name": org.official_name,
        "code": org.code.map(|c| c.get()),
        "region": org.region,
    })
}

fn user_json(user: &User) -> serde_json::Value {
    serde_json::json!({
        "login": user.login.as_str(),
        "display_name": user.display_name,
        "email": user.email,
        "role": user.role.as_str(),
        "user_type": user.user_type.as_str(),
        "org_unit_id": user.org_unit_id.map(|id| id.0),
        "active": user.active,
    })
}

async fn fetch_user(conn: &mut Connection, id: UserId) -> Result<Option<User>> {
    sqlx::query_as::<_, UserRow>(concat!(user_select!(), "WHERE u.id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .map(User::try_from)
        .transpose()
}

#[async_trait]
impl Storage for Store {
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

    async fn sync_reference_organisations(
        &self,
        orgs: &[ReferenceOrganisation],
        actor: &Actor,
    ) -> Result<SyncReport> {
        let mut tx = begin_write(&self.pool).await?;
        let mut report = SyncReport::default();
        for org in orgs {
            let existing = sqlx::query_as::<_, OrgRow>(concat!(org_select!(), "WHERE key = $1"))
                .bind(&org.key)
                .fetch_optional(&mut *tx)
                .await?;
            let code = org.code.map(|c| i32::from(c.get()));
            let (id, action, before) = match existing {
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO organisations (key, kind, name, official_name, code, region, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    )
                    .bind(&org.key)
                    .bind(org.kind.as_str())
                    .bind(&org.name)
                    .bind(&org.official_name)
                    .bind(code)
                    .bind(&org.region)
                    .bind(now())
                    .fetch_one(&mut *tx)
                    .await?;
                    report.created += 1;
                    (id, "organisation.create", None)
                }
                Some(row) => {
                    let current = Organisation::try_from(row)?;
                    let unchanged = current.kind == org.kind
                        && current.name == org.name
                        && current.official_name == org.official_name
                        && current.code == org.code
                        && current.region == org.region;
                    if unchanged {
                        report.unchanged += 1;
                        continue;
                    }
                    sqlx::query(
                        "UPDATE organisations SET kind = $2, name = $3, official_name = $4, code = $5, \
                         region = $6 WHERE id = $1",
                    )
                    .bind(current.id.0)
                    .bind(org.kind.as_str())
                    .bind(&org.name)
                    .bind(&org.official_name)
                    .bind(code)
                    .bind(&org.region)
                    .execute(&mut *tx)
                    .await?;
                    report.updated += 1;
                    let before = ReferenceOrganisation {
                        key: current.key,
                        kind: current.kind,
                        name: current.name,
                        official_name: current.official_name,
                        code: current.code,
                        region: current.region,
                    };
                    (current.id.0, "organisation.update", Some(org_json(&before)))
                }
            };
            append_audit(
                &mut tx,
                &AuditEntry {
                    actor: actor.clone(),
                    org_id: Some(OrgId(id)),
                    action,
                    entity_type: "organisation",
                    entity_id: id.to_string(),
                    before,
                    after: Some(org_json(org)),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(report)
    }

    async fn organisations(&self) -> Result<Vec<Organisation>> {
        // Community first, then KL, then the municipalities by code.
        sqlx::query_as::<_, OrgRow>(
            concat!(
                org_select!(),
                "ORDER BY CASE kind WHEN 'community' THEN 0 WHEN 'association' THEN 1 ELSE 2 END, code, name"
            ),
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Organisation::try_from)
        .collect()
    }

    async fn organisation(&self, id: OrgId) -> Result<Option<Organisation>> {
        sqlx::query_as::<_, OrgRow>(concat!(org_select!(), "WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .map(Organisation::try_from)
            .transpose()
    }

    async fn organisation_by_key(&self, key: &str) -> Result<Option<Organisation>> {
        sqlx::query_as::<_, OrgRow>(concat!(org_select!(), "WHERE key = $1"))
            .bind(key)
            .fetch_optional(&self.pool)
            .await?
            .map(Organisation::try_from)
            .transpose()
    }

    async fn org_units(&self, access: &OrgAccess) -> Result<Vec<OrgUnit>> {
        let rows: Vec<(i64, i64, String, i64)> = sqlx::query_as(
            "SELECT ou.id, ou.org_id, ou.name, \
             (SELECT COUNT(*) FROM users u WHERE u.org_unit_id = ou.id) AS user_count \
             FROM org_units ou WHERE ou.org_id = $1 ORDER BY ou.name",
        )
        .bind(access.org_id().0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, org_id, name, user_count)| OrgUnit {
                id: OrgUnitId(id),
                org_id: OrgId(org_id),
                name,
                user_count,
            })
            .collect())
    }

    async fn create_org_unit(&self, access: &OrgAccess, name: &str) -> Result<OrgUnit> {
        require_administer(access)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(
                samspil_domain::ValidationError::new("name", "an org unit needs a name").into(),
            );
        }
        let mut tx = begin_write(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO org_units (org_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(access.org_id().0)
        .bind(name)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match StorageError::from(e) {
            StorageError::Conflict(_) => {
                StorageError::Conflict(format!("an org unit named '{name}' exists already"))
            }
            other => other,
        })?;
        append_audit(
            &mut tx,
            &AuditEntry {
                actor: access.actor().clone(),
                org_id: Some(access.org_id()),
                action: "org_unit.create",
                entity_type: "org_unit",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "name": name })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(OrgUnit {
            id: OrgUnitId(id),
            org_id: access.org_id(),
            name: name.to_owned(),
            user_count: 0,
        })
    }

    async fn users(&self, access: &OrgAccess) -> Result<Vec<User>> {
        sqlx::query_as::<_, UserRow>(concat!(
            user_select!(),
            "WHERE u.org_id = $1 ORDER BY u.display_name, u.login"
        ))
        .bind(access.org_id().0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(User::try_from)
        .collect()
    }

    async fn create_user(&self, access: &OrgAccess, user: &NewUser) -> Result<User> {
        require_administer(access)?;
        let mut tx = begin_write(&self.pool).await?;
        let org = sqlx::query_as::<_, OrgRow>(concat!(org_select!(), "WHERE id = $1"))
            .bind(access.org_id().0)
            .fetch_optional(&mut *tx)
            .await?
            .map(Organisation::try_from)
            .transpose()?
            .ok_or(StorageError::NotFound("organisation"))?;
        samspil_domain::user::check_role_fits_organisation(user.role, org.kind)?;
        if let Some(unit) = user.org_unit_id {
            let unit_org: Option<i64> =
                sqlx::query_scalar("SELECT org_id FROM org_units WHERE id = $1")
                    .bind(unit.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            if unit_org != Some(org.id.0) {
                return Err(samspil_domain::ValidationError::new(
                    "org_unit",
                    format!("org unit {} does not belong to {}", unit.0, org.name),
                )
                .into());
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (org_id, org_unit_id, login, display_name, email, phone, job_title, \
             role, user_type, active, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, TRUE, $10, $11) RETURNING id",
        )
        .bind(org.id.0)
        .bind(user.org_unit_id.map(|u| u.0))
        .bind(user.login.as_str())
        .bind(&user.display_name)
        .bind(&user.email)
        .bind(&user.phone)
        .bind(&user.job_title)
        .bind(user.role.as_str())
        .bind(user.user_type.as_str())
        .bind(&user.password_hash)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match StorageError::from(e) {
            StorageError::Conflict(_) => {
                StorageError::Conflict(format!("the login '{}' is taken already", user.login))
            }
            other => other,
        })?;
        let created = fetch_user(&mut tx, UserId(id))
            .await?
            .ok_or(StorageError::NotFound("user"))?;
        append_audit(
            &mut tx,
            &AuditEntry {
                actor: access.actor().clone(),
                org_id: Some(org.id),
                action: "user.create",
                entity_type: "user",
                entity_id: id.to_string(),
                before: None,
                after: Some(user_json(&created)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn user(&self, id: UserId) -> Result<Option<User>> {
        let mut conn = self.pool.acquire().await?;
        fetch_user(&mut conn, id).await
    }

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
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&session.id_hash)
        .bind(session.user_id.0)
        .bind(&session.csrf_token)
        .bind(now())
        .bind(session.expires_at)
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
        let row: Option<(String, i64, String, OffsetDateTime, OffsetDateTime)> = sqlx::query_as(
            "SELECT s.id_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.active = TRUE",
        )
        .bind(id_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        let Some((id_hash, user_id, csrf_token, created_at, expires_at)) = row else {
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

    async fn create_api_token(&self, token: &NewApiToken, actor: &Actor) -> Result<()> {
        api_tokens::create(&self.pool, token, actor).await
    }

    async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>> {
        let Some(user_id) = api_tokens::user_id_by_hash(&self.pool, token_hash).await? else {
            return Ok(None);
        };
        Ok(self.user(user_id).await?.filter(|u| u.active))
    }

    async fn api_tokens(&self, user: UserId) -> Result<Vec<samspil_storage::ApiToken>> {
        api_tokens::of_user(&self.pool, user).await
    }

    async fn revoke_api_token(
        &self,
        id: i64,
        owner: Option<UserId>,
        actor: &Actor,
    ) -> Result<samspil_storage::Revocation> {
        api_tokens::revoke(&self.pool, id, owner, actor).await
    }

    async fn login_failures(&self, login: &str) -> Result<Option<LoginFailures>> {
        let row: Option<(i32, OffsetDateTime)> =
            sqlx::query_as("SELECT failures, last_failure_at FROM login_failures WHERE login = $1")
                .bind(login)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(failures, last_failure_at)| LoginFailures {
            failures: u32::try_from(failures).unwrap_or(0),
            last_failure_at,
        }))
    }

    async fn record_login_failure(&self, login: &str) -> Result<LoginFailures> {
        let (failures, last_failure_at): (i32, OffsetDateTime) = sqlx::query_as(
            "INSERT INTO login_failures (login, failures, last_failure_at) VALUES ($1, 1, $2) \
             ON CONFLICT (login) DO UPDATE SET failures = login_failures.failures + 1, \
             last_failure_at = excluded.last_failure_at \
             RETURNING failures, last_failure_at",
        )
        .bind(login)
        .bind(now())
        .fetch_one(&self.pool)
        .await?;
        Ok(LoginFailures {
            failures: u32::try_from(failures).unwrap_or(0),
            last_failure_at,
        })
    }

    async fn clear_login_failures(&self, login: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE login = $1")
            .bind(login)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn count_login_attempt(&self, login: &str, seen: u32) -> Result<Option<LoginFailures>> {
        throttle::count_login_attempt(&self.pool, login, seen).await
    }

    async fn uncount_login_attempt(&self, login: &str) -> Result<()> {
        throttle::uncount_login_attempt(&self.pool, login).await
    }

    async fn count_address_attempt(
        &self,
        address: &str,
        window_cutoff: OffsetDateTime,
    ) -> Result<samspil_storage::AddressAttempts> {
        throttle::count_address_attempt(&self.pool, address, window_cutoff).await
    }

    async fn uncount_address_attempt(&self, address: &str) -> Result<()> {
        throttle::uncount_address_attempt(&self.pool, address).await
    }

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

    async fn projects(&self) -> Result<Vec<Project>> {
        tasks::projects(&self.pool).await
    }

    async fn create_project(
        &self,
        access: &CommunityAccess,
        project: &NewProject,
    ) -> Result<Project> {
        tasks::create_project(&self.pool, access, project).await
    }

    async fn create_task(&self, access: &CommunityAccess, task: &NewTask) -> Result<Task> {
        tasks::create_task(&self.pool, access, task).await
    }

    async fn publish_task(&self, access: &CommunityAccess, id: TaskId) -> Result<Task> {
        tasks::publish_task(&self.pool, access, id).await
    }

    async fn change_task(
        &self,
        access: &CommunityAccess,
        id: TaskId,
        change: &TaskChange,
    ) -> Result<Task> {
        tasks::change_task(&self.pool, access, id, change).await
    }

    async fn task(&self, id: TaskId) -> Result<Option<Task>> {
        tasks::task(&self.pool, id).await
    }

    async fn tasks(&self, filter: &TaskFilter) -> Result<Vec<Task>> {
        tasks::tasks(&self.pool, filter).await
    }

    async fn task_history(&self, id: TaskId) -> Result<Vec<TaskChangeRecord>> {
        tasks::task_history(&self.pool, id).await
    }

    async fn municipality_tasks(
        &self,
        access: &OrgAccess,
        filter: &TaskFilter,
    ) -> Result<Vec<MunicipalityTask>> {
        tasks::municipality_tasks(&self.pool, access, filter).await
    }

    async fn municipality_task(
        &self,
        access: &OrgAccess,
        id: TaskId,
    ) -> Result<Option<MunicipalityTask>> {
        tasks::municipality_task(&self.pool, access, id).await
    }

    async fn set_task_status(
        &self,
        access: &OrgAccess,
        id: TaskId,
        status: TaskStatus,
        reason: Option<&str>,
    ) -> Result<MunicipalityTask> {
        require_work(access)?;
        tasks::set_task_status(&self.pool, access, id, status, reason).await
    }

    async fn task_statuses(
        &self,
        access: &CommunityAccess,
        id: TaskId,
    ) -> Result<Vec<MunicipalityStatus>> {
        tasks::task_statuses(&self.pool, access, id).await
    }

    async fn import_task_statuses(
        &self,
        access: &CommunityAccess,
        id: TaskId,
        statuses: &[(OrgId, TaskStatus)],
    ) -> Result<Task> {
        tasks::import_task_statuses(&self.pool, access, id, statuses).await
    }

    async fn project_progress(&self) -> Result<Vec<ProjectProgress>> {
        tasks::project_progress(&self.pool).await
    }

    async fn import_directory(
        &self,
        access: &OrgAccess,
        snapshot: &samspil_domain::directory::DirectorySnapshot,
    ) -> Result<samspil_storage::DirectoryReport> {
        directory::import_directory(&self.pool, access, snapshot).await
    }

    async fn preview_directory_deactivations(
        &self,
        access: &OrgAccess,
        snapshot: &samspil_domain::directory::DirectorySnapshot,
    ) -> Result<samspil_storage::DeactivationPreview> {
        directory::preview_deactivations(&self.pool, access, snapshot).await
    }

    async fn claim_directory_sync(
        &self,
        access: &OrgAccess,
        now: OffsetDateTime,
        lease: std::time::Duration,
        owner: &str,
        due_only: bool,
    ) -> Result<Option<samspil_storage::DirectorySyncClaim>> {
        directory_sync::claim(&self.pool, access, now, lease, owner, due_only).await
    }

    async fn finish_directory_sync(
        &self,
        access: &OrgAccess,
        run: &samspil_storage::FinishedDirectorySync,
    ) -> Result<()> {
        directory_sync::finish(&self.pool, access, run).await
    }

    async fn directory_sync_status(
        &self,
        access: &OrgAccess,
        runs: u32,
    ) -> Result<Option<samspil_storage::DirectorySyncStatus>> {
        directory_sync::status(&self.pool, access, runs).await
    }

    async fn create_local_task(
        &self,
        access: &OrgAccess,
        task: &NewTask,
    ) -> Result<MunicipalityTask> {
        require_work(access)?;
        tasks::create_local_task(&self.pool, access, task).await
    }

    async fn add_attachment(
        &self,
        party: samspil_storage::TaskParty<'_>,
        task: TaskId,
        file: &samspil_storage::NewAttachment,
    ) -> Result<samspil_storage::Attachment> {
        if let samspil_storage::TaskParty::Municipality(access) = party {
            require_work(access)?;
        }
        attachments::add_attachment(&self.pool, party, task, file).await
    }

    async fn attachments(
        &self,
        party: samspil_storage::TaskParty<'_>,
        task: TaskId,
    ) -> Result<Vec<samspil_storage::Attachment>> {
        attachments::attachments(&self.pool, party, task).await
    }

    async fn attachment_content(
        &self,
        party: samspil_storage::TaskParty<'_>,
        task: TaskId,
        id: i64,
    ) -> Result<Option<(samspil_storage::Attachment, Vec<u8>)>> {
        attachments::attachment_content(&self.pool, party, task, id).await
    }

    async fn area_progress(&self) -> Result<Vec<samspil_storage::AreaProgress>> {
        tasks::area_progress(&self.pool).await
    }

    async fn region_counts(
        &self,
        region: &str,
        ids: &[TaskId],
    ) -> Result<Vec<(TaskId, samspil_domain::task::StatusCounts)>> {
        tasks::region_counts(&self.pool, region, ids).await
    }

    async fn municipality_progress(
        &self,
        _access: &CommunityAccess,
        today: time::Date,
    ) -> Result<Vec<MunicipalityProgress>> {
        tasks::municipality_progress(&self.pool, None, today).await
    }

    async fn own_progress(
        &self,
        access: &OrgAccess,
        today: time::Date,
    ) -> Result<MunicipalityProgress> {
        tasks::municipality_progress(&self.pool, Some(access.org_id()), today)
            .await?
            .pop()
            .ok_or(StorageError::NotFound("organisation"))
    }

    async fn add_question(
        &self,
        access: &CommunityAccess,
        task: TaskId,
        spec: &QuestionSpec,
    ) -> Result<Question> {
        tasks::add_question(&self.pool, access, task, spec).await
    }

    async fn questions(&self, task: TaskId) -> Result<Vec<Question>> {
        let mut conn = self.pool.acquire().await?;
        tasks::questions(&mut conn, task).await
    }

    async fn answers(&self, access: &OrgAccess, task: TaskId) -> Result<Vec<AnswerRecord>> {
        tasks::answers(&self.pool, task, Some(access.org_id())).await
    }

    async fn all_answers(
        &self,
        _access: &CommunityAccess,
        task: TaskId,
    ) -> Result<Vec<AnswerRecord>> {
        tasks::answers(&self.pool, task, None).await
    }

    async fn save_answers(
        &self,
        access: &OrgAccess,
        task: TaskId,
        answers: &[(QuestionId, Vec<String>)],
    ) -> Result<Vec<AnswerRecord>> {
        require_work(access)?;
        tasks::save_answers(&self.pool, access, task, answers).await
    }

    async fn close_task(&self, access: &CommunityAccess, id: TaskId) -> Result<Task> {
        tasks::close_task(&self.pool, access, id).await
    }

    async fn add_comment(&self, access: &OrgAccess, task: TaskId, body: &str) -> Result<Comment> {
        require_work(access)?;
        tasks::add_comment(&self.pool, access, task, body).await
    }

    async fn comments(&self, access: &OrgAccess, task: TaskId) -> Result<Vec<Comment>> {
        tasks::comments(&self.pool, task, Some(access.org_id())).await
    }

    async fn all_comments(&self, _access: &CommunityAccess, task: TaskId) -> Result<Vec<Comment>> {
        tasks::comments(&self.pool, task, None).await
    }

    async fn events_after(&self, after_id: i64, limit: u32) -> Result<Vec<EventRecord>> {
        tasks::events_after(&self.pool, after_id, limit).await
    }

    async fn assign_task(
        &self,
        access: &OrgAccess,
        task: TaskId,
        assignee: Option<TaskAssignee>,
    ) -> Result<()> {
        require_work(access)?;
        roles::assign_task(&self.pool, access, task, assignee).await
    }

    async fn roles(&self) -> Result<Vec<Role>> {
        roles::roles(&self.pool, None).await
    }

    async fn municipality_roles(&self, access: &OrgAccess) -> Result<Vec<Role>> {
        roles::roles(&self.pool, Some(access.org_id())).await
    }

    async fn create_role(
        &self,
        access: &CommunityAccess,
        spec: RoleSpec,
        announce: bool,
    ) -> Result<(Role, Option<TaskId>)> {
        roles::create_role(&self.pool, access, spec, announce).await
    }

    async fn update_role(
        &self,
        access: &CommunityAccess,
        id: RoleId,
        spec: RoleSpec,
    ) -> Result<Role> {
        roles::update_role(&self.pool, access, id, spec).await
    }

    async fn solutions_used(&self, access: &OrgAccess) -> Result<Vec<ProjectId>> {
        roles::solutions_used(&self.pool, access.org_id()).await
    }

    async fn set_solution_use(
        &self,
        access: &CommunityAccess,
        org: OrgId,
        solution: ProjectId,
        uses: bool,
    ) -> Result<()> {
        roles::set_solution_use(&self.pool, access, org, solution, uses).await
    }

    async fn solution_access(&self, access: &OrgAccess) -> Result<Vec<SolutionAccess>> {
        roles::solution_access(&self.pool, access).await
    }

    async fn grant_solution_access(
        &self,
        access: &OrgAccess,
        user: UserId,
        solution: ProjectId,
    ) -> Result<()> {
        roles::grant_solution_access(&self.pool, access, user, solution).await
    }

    async fn revoke_solution_access(
        &self,
        access: &OrgAccess,
        user: UserId,
        solution: ProjectId,
    ) -> Result<()> {
        roles::revoke_solution_access(&self.pool, access, user, solution).await
    }

    async fn role_assignments(&self, access: &OrgAccess) -> Result<Vec<RoleAssignment>> {
        roles::assignments(&self.pool, access).await
    }

    async fn assign_role(
        &self,
        access: &OrgAccess,
        assignment: &NewAssignment,
    ) -> Result<RoleAssignment> {
        roles::assign_role(&self.pool, access, assignment).await
    }

    async fn end_role_assignment(
        &self,
        access: &OrgAccess,
        id: AssignmentId,
        last_day: time::Date,
    ) -> Result<RoleAssignment> {
        roles::end_assignment(&self.pool, access, id, last_day).await
    }

    async fn mark_primary_holder(
        &self,
        access: &OrgAccess,
        id: AssignmentId,
    ) -> Result<RoleAssignment> {
        roles::mark_primary(&self.pool, access, id).await
    }

    async fn all_role_gaps(
        &self,
        _access: &CommunityAccess,
        today: time::Date,
    ) -> Result<Vec<RoleGap>> {
        roles::gaps(&self.pool, None, today).await
    }

    async fn role_gaps(&self, access: &OrgAccess, today: time::Date) -> Result<Vec<RoleGap>> {
        roles::gaps(&self.pool, Some(access.org_id()), today).await
    }

    async fn role_holders(
        &self,
        _access: &CommunityAccess,
        role: RoleId,
        today: time::Date,
    ) -> Result<Vec<RoleHolder>> {
        roles::role_holders(&self.pool, role, today).await
    }

    async fn contact_lists(&self, _access: &CommunityAccess) -> Result<Vec<ContactList>> {
        roles::contact_lists(&self.pool).await
    }

    async fn create_contact_list(
        &self,
        access: &CommunityAccess,
        name: &str,
        description: &str,
    ) -> Result<ContactList> {
        roles::create_contact_list(&self.pool, access, name, description).await
    }

    async fn contact_entries(
        &self,
        _access: &CommunityAccess,
        list: i64,
    ) -> Result<Vec<ContactEntry>> {
        roles::contact_entries(&self.pool, list).await
    }

    async fn add_contact_entry(
        &self,
        access: &CommunityAccess,
        list: i64,
        entry: &NewContactEntry,
    ) -> Result<ContactEntry> {
        roles::add_contact_entry(&self.pool, access, list, entry).await
    }

    async fn delete_contact_entry(
        &self,
        access: &CommunityAccess,
        list: i64,
        entry: i64,
    ) -> Result<()> {
        roles::delete_contact_entry(&self.pool, access, list, entry).await
    }

    async fn message_recipient_count(
        &self,
        _access: &CommunityAccess,
        audience: &Audience,
    ) -> Result<RecipientCount> {
        notifications::recipient_count(&self.pool, audience).await
    }

    async fn send_message(
        &self,
        access: &CommunityAccess,
        message: &MessageSpec,
        audience_label: &str,
    ) -> Result<MessageSummary> {
        notifications::send_message(&self.pool, access, message, audience_label).await
    }

    async fn messages(&self, _access: &CommunityAccess, limit: u32) -> Result<Vec<MessageSummary>> {
        notifications::messages(&self.pool, limit).await
    }

    async fn inbox(&self, user: UserId, limit: u32) -> Result<Vec<InboxItem>> {
        notifications::inbox(&self.pool, user, limit).await
    }

    async fn mark_read(&self, user: UserId, ids: &[i64]) -> Result<u64> {
        notifications::mark_read(&self.pool, user, ids).await
    }

    async fn notification_preferences(&self, user: UserId) -> Result<Vec<NotificationPreference>> {
        notifications::preferences(&self.pool, user).await
    }

    async fn set_notification_preference(
        &self,
        user: UserId,
        kind: NotificationKind,
        frequency: Frequency,
    ) -> Result<()> {
        notifications::set_preference(&self.pool, user, kind, frequency).await
    }

    async fn fan_out_events(&self, limit: u32) -> Result<QueueReport> {
        notifications::fan_out_events(&self.pool, limit).await
    }

    async fn queue_reminders(&self, today: time::Date) -> Result<QueueReport> {
        notifications::queue_reminders(&self.pool, today).await
    }

    async fn queue_digests(&self, now: OffsetDateTime) -> Result<QueueReport> {
        notifications::queue_digests(&self.pool, now).await
    }

    async fn claim_deliveries(
        &self,
        now: OffsetDateTime,
        lease: std::time::Duration,
        limit: u32,
    ) -> Result<Vec<PendingDelivery>> {
        notifications::claim_deliveries(&self.pool, now, lease, limit).await
    }

    async fn mark_delivery_sent(&self, id: i64, at: OffsetDateTime) -> Result<()> {
        notifications::mark_sent(&self.pool, id, at).await
    }

    async fn mark_delivery_retry(
        &self,
        id: i64,
        next_attempt_at: Option<OffsetDateTime>,
        error: &str,
    ) -> Result<()> {
        notifications::mark_retry(&self.pool, id, next_attempt_at, error).await
    }

    async fn mark_delivery_bounced(&self, id: i64, at: OffsetDateTime, error: &str) -> Result<()> {
        notifications::mark_bounced(&self.pool, id, at, error).await
    }

    async fn delivery_log(&self, access: &OrgAccess, limit: u32) -> Result<Vec<DeliveryRecord>> {
        notifications::delivery_log(&self.pool, access.org_id(), limit).await
    }

    async fn outbox_totals(&self) -> Result<OutboxTotals> {
        notifications::outbox_totals(&self.pool).await
    }

    async fn begin_federated_login(
        &self,
        pending: &samspil_storage::PendingFederatedLogin,
    ) -> Result<()> {
        federation::begin(&self.pool, pending).await
    }

    async fn take_federated_login(
        &self,
        state_hash: &str,
    ) -> Result<Option<samspil_storage::PendingFederatedLogin>> {
        federation::take(&self.pool, state_hash).await
    }

    async fn federated_candidates(
        &self,
        org: OrgId,
        directory_uuid: Option<&str>,
        email: Option<&str>,
    ) -> Result<samspil_domain::federation::DirectoryCandidates> {
        federation::candidates(&self.pool, org, directory_uuid, email).await
    }

    async fn record_federated_login(
        &self,
        user: UserId,
        role: AccessRole,
        provider: &str,
        subject: &str,
    ) -> Result<User> {
        federation::record_login(&self.pool, user, role, provider, subject).await
    }

    async fn active_administrators(&self, org: OrgId) -> Result<Vec<User>> {
        federation::active_administrators(&self.pool, org).await
    }

    async fn totp_enrolment(&self, user: UserId) -> Result<Option<samspil_storage::TotpEnrolment>> {
        totp::enrolment(&self.pool, user).await
    }

    async fn enrol_totp(
        &self,
        user: UserId,
        secret: &str,
        accepted_step: Option<u64>,
        actor: &Actor,
    ) -> Result<()> {
        totp::enrol(&self.pool, user, secret, accepted_step, actor).await
    }

    async fn accept_totp_step(&self, user: UserId, secret: &str, step: u64) -> Result<bool> {
        totp::accept_step(&self.pool, user, secret, step).await
    }

    async fn remove_totp(
        &self,
        user: UserId,
        proof: Option<(&str, u64)>,
        actor: &Actor,
    ) -> Result<bool> {
        totp::remove(&self.pool, user, proof, actor).await
    }

    async fn create_pending_login(&self, login: &samspil_storage::NewPendingLogin) -> Result<()> {
        totp::create_pending(&self.pool, login).await
    }

    async fn pending_login(&self, id_hash: &str) -> Result<Option<samspil_storage::PendingLogin>> {
        totp::pending(&self.pool, id_hash).await
    }

    async fn complete_pending_login(
        &self,
        id_hash: &str,
        secret: &str,
        step: u64,
        actor: &Actor,
    ) -> Result<bool> {
        totp::complete_pending(&self.pool, id_hash, secret, step, actor).await
    }

    async fn delete_expired_pending_logins(&self) -> Result<u64> {
        totp::delete_expired_pending(&self.pool).await
    }
}

mod tasks {
    use super::*;
    include!("shared_sql_tasks.rs");
}

mod roles {
    use super::*;
    include!("shared_sql_roles.rs");
}

mod attachments {
    use super::*;
    include!("shared_sql_attachments.rs");
}

mod directory {
    use super::*;
    include!("shared_sql_directory.rs");
}

mod directory_sync {
    use super::*;
    include!("shared_sql_directory_sync.rs");
}

mod notifications {
    use super::*;
    include!("shared_sql_notifications.rs");
}

mod federation {
    use super::*;
    include!("shared_sql_federation.rs");
}

mod totp {
    use super::*;
    include!("shared_sql_totp.rs");
}

mod api_tokens {
    use super::*;
    include!("shared_sql_api_tokens.rs");
}

mod throttle {
    use super::*;
    include!("shared_sql_throttle.rs");
}
