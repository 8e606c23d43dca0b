//! What the storage layer hands back and takes in.

use samspil_domain::{AccessRole, Login, MunicipalityCode, OrgId, OrgKind, UserId, UserType};
use serde::Serialize;
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub id: OrgId,
    pub key: String,
    pub kind: OrgKind,
    pub name: String,
    pub official_name: String,
    pub code: Option<MunicipalityCode>,
    pub region: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct OrgUnitId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgUnit {
    pub id: OrgUnitId,
    pub org_id: OrgId,
    pub name: String,
    pub user_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: UserId,
    pub org_id: OrgId,
    pub org_unit_id: Option<OrgUnitId>,
    pub org_unit_name: Option<String>,
    pub login: Login,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub job_title: Option<String>,
    pub role: AccessRole,
    pub user_type: UserType,
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub login: Login,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub job_title: Option<String>,
    pub org_unit_id: Option<OrgUnitId>,
    pub role: AccessRole,
    pub user_type: UserType,
    /// An argon2id PHC string; `None` for people who log in elsewhere.
    pub password_hash: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    /// SHA-256 of the cookie value: a stolen database holds no live session.
    pub id_hash: String,
    pub user_id: UserId,
    pub csrf_token: String,
    pub expires_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id_hash: String,
    pub user_id: UserId,
    pub csrf_token: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub user_id: UserId,
    /// SHA-256 of the token; the token itself is shown once and never stored.
    pub token_hash: String,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginFailures {
    pub failures: u32,
    pub last_failure_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRecord {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor_user_id: Option<UserId>,
    pub actor_label: String,
    pub org_id: Option<OrgId>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}
