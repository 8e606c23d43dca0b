//! What the storage layer hands back and takes in for the second factor
//! (TOTP) of local accounts and the logins that still owe it.

use samspil_domain::UserId;
use time::OffsetDateTime;

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
