//! Password credentials and the sessions of people signed in.

use crate::{Result, User};
use async_trait::async_trait;
use samspil_domain::access::Actor;
use samspil_domain::{Login, UserId};
use time::OffsetDateTime;

/// Password credentials and sessions: who a login is, and who a session
/// cookie belongs to.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// The user and the password hash behind a login, for authentication only.
    async fn credentials(&self, login: &Login) -> Result<Option<Credentials>>;

    /// Records a successful login: the new session and an audit entry.
    async fn create_session(&self, session: &NewSession, actor: &Actor) -> Result<()>;

    /// The live session with this id hash and its (active) user.
    async fn session(&self, id_hash: &str) -> Result<Option<(Session, User)>>;

    async fn delete_session(&self, id_hash: &str, actor: &Actor) -> Result<()>;

    async fn delete_expired_sessions(&self) -> Result<u64>;
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
    /// The NSIS level of assurance the login carried (OIOSAML's `loa`,
    /// `Substantial` or `High`); `None` for a password login.
    pub level_of_assurance: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id_hash: String,
    pub user_id: UserId,
    pub csrf_token: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    /// As [`NewSession::level_of_assurance`].
    pub level_of_assurance: Option<String>,
}
