//! The citizen store's API: what the citizen context's web crate and the
//! binary may ask of it, whichever backend holds it
//! (`samspil-citizen-sql`).
//!
//! The citizen store is a store of its own, not a part of the main
//! database: on SQLite its own file beside the main one, on PostgreSQL its
//! own schema `citizen` with its own pool (and, optionally, a server and a
//! read replica of its own). Nothing in it refers to the main database by
//! a foreign key, so it can move to its own server by a URL. Errors are
//! the platform's [`StorageError`].
//!
//! Today the store only exists: it has a backend, a schema that migrates,
//! and answers a ping. Its capability traits (systems, cases, benefits, …)
//! come with the issue that fills the context, one small trait per file,
//! as in `samspil-storage`.

use async_trait::async_trait;
pub use samspil_storage::{Result, StorageError};

/// The citizen store as a whole: its backend, its migrations, a liveness
/// check.
#[async_trait]
pub trait CitizenStore: Send + Sync + 'static {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Applies the citizen store's own pending migrations (its own
    /// history, apart from the main database's).
    async fn migrate(&self) -> Result<()>;

    /// Answers when the store answers (and its read replica, if it has one).
    async fn ping(&self) -> Result<()>;
}
