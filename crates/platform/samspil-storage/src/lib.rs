//! The platform's storage API: organisations, people, sessions and
//! credentials, the audit log, the mail outbox, directory import and sync.
//!
//! Storage is a set of small capability traits, one per file with its
//! records beside it (`sessions.rs`: [`SessionStore`], [`Session`], [`NewSession`], …).
//! [`Storage`] is their composition, implemented for every type that
//! implements them all, so the rest of the program can keep one
//! `Arc<dyn Storage>` and call any capability's methods on it, while code
//! that needs one capability can take just that trait.
//!
//! `samspil-sql` implements the traits on SQLite and on PostgreSQL.

mod api_tokens;
mod audit;
mod database;
mod directory;
mod directory_sync;
mod error;
mod federated_login;
mod login_throttle;
mod organisations;
mod outbox;
mod second_factor;
mod sessions;

pub use api_tokens::{ApiToken, ApiTokenStore, NewApiToken, Revocation};
pub use audit::{AuditRecord, AuditStore};
pub use database::DatabaseAdmin;
pub use directory::{DeactivationPreview, DirectoryImportStore, DirectoryReport};
pub use directory_sync::{
    DirectorySyncClaim, DirectorySyncOutcome, DirectorySyncRun, DirectorySyncStatus,
    DirectorySyncStore, FinishedDirectorySync,
};
pub use error::{Result, StorageError};
pub use federated_login::{FederatedLoginStore, PendingFederatedLogin};
pub use login_throttle::{AddressAttempts, LoginFailures, LoginThrottleStore};
pub use organisations::{
    NewUser, OrgUnit, OrgUnitId, Organisation, OrganisationStore, PeopleFilter, SyncReport, User,
};
pub use outbox::{DeliveryRecord, DeliveryState, OutboxStore, OutboxTotals, PendingDelivery};
pub use second_factor::{NewPendingLogin, PendingLogin, SecondFactorStore, TotpEnrolment};
pub use sessions::{Credentials, NewSession, Session, SessionStore};

/// Everything the platform keeps: the composition of its capability
/// traits (each context composes its own, `CoordinationStorage`, …). It
/// has no methods of its own; a new storage method goes into its
/// capability's trait. Methods that touch an organisation's own data take
/// an [`OrgAccess`](samspil_domain::OrgAccess), never a bare organisation
/// id.
pub trait Storage:
    DatabaseAdmin
    + OrganisationStore
    + AuditStore
    + SessionStore
    + ApiTokenStore
    + LoginThrottleStore
    + SecondFactorStore
    + FederatedLoginStore
    + OutboxStore
    + DirectoryImportStore
    + DirectorySyncStore
    + Send
    + Sync
    + 'static
{
}

// Whatever implements every capability is a `Storage`: the backends
// implement the capabilities only, and a new capability is one more bound
// here and above.
impl<T> Storage for T where
    T: DatabaseAdmin
        + OrganisationStore
        + AuditStore
        + SessionStore
        + ApiTokenStore
        + LoginThrottleStore
        + SecondFactorStore
        + FederatedLoginStore
        + OutboxStore
        + DirectoryImportStore
        + DirectorySyncStore
        + Send
        + Sync
        + 'static
{
}

/// The current instant, to whole seconds: SQLite keeps instants as text, and
/// text compares in time order only when every value has the same shape.
pub fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("zero nanoseconds is always valid")
}

/// An instant in the one shape the stores keep instants in (UTC, whole
/// seconds, as [`now`] gives them), so that a bound instant compares with
/// stored ones on SQLite, where instants are compared as texts.
pub fn stored_instant(at: time::OffsetDateTime) -> time::OffsetDateTime {
    let utc = at.to_offset(time::UtcOffset::UTC);
    utc.replace_nanosecond(0).unwrap_or(utc)
}
