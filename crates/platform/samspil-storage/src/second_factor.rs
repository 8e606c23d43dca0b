//! The second factor (TOTP) of local accounts and the logins that still owe
//! it.

use crate::Result;
use async_trait::async_trait;
use samspil_domain::UserId;
use samspil_domain::access::Actor;
use time::OffsetDateTime;

/// The second factor (TOTP) of local accounts, and the pending logins
/// whose password was right and whose code is still owed.
#[async_trait]
pub trait SecondFactorStore: Send + Sync {
    /// The person's second factor, if they have one.
    async fn totp_enrolment(&self, user: UserId) -> Result<Option<TotpEnrolment>>;

    /// Gives a person a second factor, audited as `user.totp_enrolled`;
    /// `accepted_step` is the step of the code that proved it, if any.
    /// A conflict when they have one already: it is never replaced silently.
    async fn enrol_totp(
        &self,
        user: UserId,
        secret: &str,
        accepted_step: Option<u64>,
        actor: &Actor,
    ) -> Result<()>;

    /// Records that the code of `step`, checked against `secret`, was used,
    /// unless that step or a later one was used already (a replay, also by
    /// a concurrent request) or the secret changed meanwhile: then `false`.
    async fn accept_totp_step(&self, user: UserId, secret: &str, step: u64) -> Result<bool>;

    /// Removes a person's second factor, audited as `user.totp_removed`.
    /// With `proof` (the secret a code was checked against and its step)
    /// only if that code is not a replay; without it (the operator's
    /// reset) unconditionally. Whether there was one to remove.
    async fn remove_totp(
        &self,
        user: UserId,
        proof: Option<(&str, u64)>,
        actor: &Actor,
    ) -> Result<bool>;

    async fn create_pending_login(&self, login: &NewPendingLogin) -> Result<()>;

    /// The unexpired pending login with this id hash, of an active user.
    async fn pending_login(&self, id_hash: &str) -> Result<Option<PendingLogin>>;

    /// Ends a pending login with its second factor proved by a code of
    /// `step` checked against `secret`, in one transaction: the step is
    /// recorded as used (or, for someone enrolling, the offered secret
    /// becomes theirs, audited) and the pending login is deleted. `false`,
    /// changing nothing, when the pending login is gone or expired, the
    /// secret is not the one offered or stored, or the step is a replay.
    async fn complete_pending_login(
        &self,
        id_hash: &str,
        secret: &str,
        step: u64,
        actor: &Actor,
    ) -> Result<bool>;

    async fn delete_expired_pending_logins(&self) -> Result<u64>;
}

/// A person's second factor.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpEnrolment {
    /// The base32 secret the authenticator app shares.
    pub secret: String,
    /// The last time step whose code was accepted; no code of it or of an
    /// earlier step is accepted again.
    pub last_step: Option<u64>,
}

// The secret stays out of logs and panic messages.
impl std::fmt::Debug for TotpEnrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpEnrolment")
            .field("last_step", &self.last_step)
            .finish_non_exhaustive()
    }
}

/// A login whose password was right and whose second factor is owed.
#[derive(Clone)]
pub struct NewPendingLogin {
    /// SHA-256 of the id in the browser's cookie.
    pub id_hash: String,
    pub user_id: UserId,
    /// Where the person goes once signed in (a path on this site).
    pub next_path: String,
    /// For someone who must enrol: the secret they are shown.
    pub enrolment_secret: Option<String>,
    pub expires_at: OffsetDateTime,
}

/// A live pending login.
#[derive(Clone)]
pub struct PendingLogin {
    pub id_hash: String,
    pub user_id: UserId,
    pub next_path: String,
    pub enrolment_secret: Option<String>,
    pub expires_at: OffsetDateTime,
}

impl std::fmt::Debug for PendingLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingLogin")
            .field("user_id", &self.user_id)
            .field("next_path", &self.next_path)
            .field("enrolling", &self.enrolment_secret.is_some())
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}
