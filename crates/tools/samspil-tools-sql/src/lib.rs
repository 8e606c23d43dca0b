//! The tools context's stores on both backends, as two modules of one
//! crate: [`sqlite`] and [`postgres`]. The tools' tables live in the main
//! database beside the platform's (their versions point at people, the
//! identity providers' levels at municipalities), so each store shares the
//! platform store's pool, and its writes append to the platform's audit log
//! in the same transaction (`samspil_sql::sqlite::append_audit`, …).
//!
//! SQL both databases accept is written once, in `src/shared.rs` and the
//! feature files it includes, as in `samspil-coordination-sql`. The
//! context's migrations are its own (`migrations/sqlite/`,
//! `migrations/postgres/`); the binary hands them to the platform store,
//! which runs them in one history with the platform's and coordination's.

pub mod postgres;
pub mod sqlite;

// Declared for rustfmt and readers only: the backend modules include these
// files (see the note at the top of `shared.rs`).
#[cfg(any())]
mod shared;
#[cfg(any())]
#[path = "shared/agreements.rs"]
mod shared_agreements;
#[cfg(any())]
#[path = "shared/idp_levels.rs"]
mod shared_idp_levels;
#[cfg(any())]
#[path = "shared/incidents.rs"]
mod shared_incidents;
#[cfg(any())]
#[path = "shared/nsis_assessments.rs"]
mod shared_nsis_assessments;
#[cfg(any())]
#[path = "shared/nsis_elements.rs"]
mod shared_nsis_elements;
#[cfg(any())]
#[path = "shared/nsis_matrix.rs"]
mod shared_nsis_matrix;
#[cfg(any())]
#[path = "shared/prices.rs"]
mod shared_prices;
