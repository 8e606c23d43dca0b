//! The citizen store ([`CitizenStore`](samspil_citizen_storage::CitizenStore))
//! on both backends, as two modules of one crate: [`sqlite`] (its own file
//! beside the main database) and [`postgres`] (its own schema `citizen`
//! and pool). Each backend owns its migrations (`migrations/sqlite/`,
//! `migrations/postgres/`), a history of their own apart from the main
//! database's.
//!
//! Like `samspil-sql` and `samspil-coordination-sql`, it keeps both
//! backends in one crate: they are small and always built together by the
//! binary (see ARCHITECTURE.md).

// The SQL both backends share, declared here only so that `cargo fmt`
// formats it (each backend module includes it).
#[cfg(any())]
mod shared;
#[cfg(any())]
#[path = "shared/appointments.rs"]
mod shared_appointments;
#[cfg(any())]
#[path = "shared/benefits.rs"]
mod shared_benefits;
#[cfg(any())]
#[path = "shared/cases.rs"]
mod shared_cases;
#[cfg(any())]
#[path = "shared/claim_types.rs"]
mod shared_claim_types;
#[cfg(any())]
#[path = "shared/compliance.rs"]
mod shared_compliance;
#[cfg(any())]
#[path = "shared/debts.rs"]
mod shared_debts;
#[cfg(any())]
#[path = "shared/documents.rs"]
mod shared_documents;
#[cfg(any())]
#[path = "shared/kle.rs"]
mod shared_kle;
#[cfg(any())]
#[path = "shared/retention.rs"]
mod shared_retention;
#[cfg(any())]
#[path = "shared/systems.rs"]
mod shared_systems;

pub mod postgres;
pub mod sqlite;

/// The key a store uses when configuration gives none: a fixed one, for
/// the demo and tests only. `samspil serve` warns when it is in use (a
/// dump of a database sealed under it is as good as clear).
pub fn development_key() -> samspil_auth::sealing::SealingKey {
    samspil_auth::sealing::SealingKey::from_secret(DEVELOPMENT_KEY)
        .expect("the development key is long enough")
}

/// The text of [`development_key`].
pub const DEVELOPMENT_KEY: &str = "samspil development key: never for production data";
