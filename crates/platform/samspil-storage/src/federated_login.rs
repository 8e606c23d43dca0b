//! Logins through an identity provider (OpenID Connect, SAML).

use crate::{Result, User};
use async_trait::async_trait;
use samspil_domain::{OrgId, UserId};
use time::OffsetDateTime;

/// Logins through an identity provider: the pending login between the
/// redirect and the answer, matching an identity to a person, and recording
/// the login.
#[async_trait]
pub trait FederatedLoginStore: Send + Sync {
    /// Keeps a started login until the provider answers; forgets expired ones.
    async fn begin_federated_login(&self, pending: &PendingFederatedLogin) -> Result<()>;

    /// Takes (and so removes: a state is used once) the login started with
    /// this state, expired or not.
    async fn take_federated_login(&self, state_hash: &str)
    -> Result<Option<PendingFederatedLogin>>;

    /// The people an identity could be: the one with the directory uuid,
    /// in any municipality, and those of `org` with the e-mail address.
    async fn federated_candidates(
        &self,
        org: OrgId,
        directory_uuid: Option<&str>,
        email: Option<&str>,
    ) -> Result<samspil_domain::federation::DirectoryCandidates>;

    /// Records a login through `provider`: the access role the provider
    /// gave becomes the person's role (audited `user.role_changed_by_idp`
    /// when it changed) and the login is audited (`user.signed_in_idp`),
    /// in one transaction. Returns the person as now stored.
    async fn record_federated_login(
        &self,
        user: UserId,
        role: samspil_domain::AccessRole,
        provider: &str,
        subject: &str,
    ) -> Result<User>;

    /// A municipality's active administrators (KLIK-administrator), by name:
    /// who a person without a KLIK role can ask.
    async fn active_administrators(&self, org: OrgId) -> Result<Vec<User>>;
}

/// A login through an identity provider, between the redirect to the
/// provider and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingFederatedLogin {
    /// SHA-256 of the `state` parameter sent to the provider.
    pub state_hash: String,
    /// SHA-256 of the short-lived cookie that binds the login to the browser.
    pub browser_hash: String,
    pub provider: String,
    pub pkce_verifier: String,
    pub nonce: String,
    /// Where to go once signed in (a path on this site).
    pub next_path: String,
    pub expires_at: OffsetDateTime,
}
