//! The platform's stores on both backends, as two modules of one crate:
//! [`sqlite`] (the embedded default) and [`postgres`] (production). SQL
//! that both databases accept is written once, in `src/shared.rs` and the
//! feature files it includes (`src/shared/tasks.rs` implements the task
//! traits, …), and compiled into each backend module against its own typed
//! pool (see ARCHITECTURE.md for why). Each backend owns its migrations,
//! one folder per context (`migrations/sqlite/platform/`, …), merged into
//! one history (`src/migration_history.rs`).

pub mod postgres;
pub mod sqlite;

// Declared for rustfmt and readers only: the backend modules include these
// files (see the note at the top of `shared.rs`); compiled on their own
// they would lack `Db` and `Store`.
#[cfg(any())]
mod migration_history;
#[cfg(any())]
mod shared;
#[cfg(any())]
#[path = "shared/api_tokens.rs"]
mod shared_api_tokens;
#[cfg(any())]
#[path = "shared/audit.rs"]
mod shared_audit;
#[cfg(any())]
#[path = "shared/directory.rs"]
mod shared_directory;
#[cfg(any())]
#[path = "shared/directory_sync.rs"]
mod shared_directory_sync;
#[cfg(any())]
#[path = "shared/federation.rs"]
mod shared_federation;
#[cfg(any())]
#[path = "shared/organisations.rs"]
mod shared_organisations;
#[cfg(any())]
#[path = "shared/outbox.rs"]
mod shared_outbox;
#[cfg(any())]
#[path = "shared/sessions.rs"]
mod shared_sessions;
#[cfg(any())]
#[path = "shared/throttle.rs"]
mod shared_throttle;
#[cfg(any())]
#[path = "shared/totp.rs"]
mod shared_totp;
