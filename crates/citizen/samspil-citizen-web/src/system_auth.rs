//! A vendor system's credential: `Authorization: Bearer <credential>` on
//! the systems' door, looked up by its SHA-256 digest in the citizen store
//! (`SystemStore::system_by_credential`), which refuses a revoked or
//! expired credential and a disabled system in the same statement that
//! marks the credential used. The shell's check of people's API tokens
//! does not run here: a system is not a person and reaches no person's
//! data, and a person's token opens nothing on this door.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use samspil_citizen_storage::VendorSystem;
use samspil_web::auth::bearer_token;
use samspil_web::error::AppError;

use crate::CitizenState;

/// The system whose credential the request carries.
#[derive(Debug, Clone)]
pub struct DeliveringSystem(pub VendorSystem);

impl FromRequestParts<CitizenState> for DeliveringSystem {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &CitizenState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer_token(&parts.headers).ok_or(AppError::Unauthenticated)?;
        state
            .store
            .system_by_credential(&samspil_auth::digest(token))
            .await?
            .map(DeliveringSystem)
            .ok_or(AppError::Unauthenticated)
    }
}
