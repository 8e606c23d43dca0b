//! The bearer tokens of the JSON API.

use crate::{Result, User};
use async_trait::async_trait;
use samspil_domain::UserId;
use samspil_domain::access::Actor;
use time::OffsetDateTime;

/// The bearer tokens of the JSON API: issuing, checking, listing and
/// revoking them.
#[async_trait]
pub trait ApiTokenStore: Send + Sync {
    async fn create_api_token(&self, token: &NewApiToken, actor: &Actor) -> Result<()>;

    /// The (active) user a bearer token belongs to, unless the token is
    /// revoked or expired; marks the token used.
    async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>>;

    /// A person's API tokens, newest first, revoked and expired ones too.
    async fn api_tokens(&self, user: UserId) -> Result<Vec<ApiToken>>;

    /// Revokes the token `id`, audited as `api_token.revoke`. With `owner`
    /// only if it is that person's (`NotFound` otherwise, as for a token
    /// that does not exist); without (the operator) whoever's it is.
    async fn revoke_api_token(
        &self,
        id: i64,
        owner: Option<UserId>,
        actor: &Actor,
    ) -> Result<Revocation>;
}

#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub user_id: UserId,
    /// SHA-256 of the token; the token itself is shown once and never stored.
    pub token_hash: String,
    pub label: String,
    /// When the API stops accepting it; `None`: until revoked.
    pub expires_at: Option<OffsetDateTime>,
}

/// An API token as a list shows it: never its secret or its digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: UserId,
    pub label: String,
    pub created_at: OffsetDateTime,
    pub expires_at: Option<OffsetDateTime>,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

impl ApiToken {
    pub fn state(&self, now: OffsetDateTime) -> samspil_domain::api_token::TokenState {
        samspil_domain::api_token::TokenState::at(self.revoked_at, self.expires_at, now)
    }
}

/// What revoking a token did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revocation {
    /// Revoked now: the API refuses it from the next request.
    Revoked(ApiToken),
    /// It was revoked before; nothing changed.
    AlreadyRevoked(ApiToken),
}
