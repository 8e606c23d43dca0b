//! The database as a whole: which backend it is, its schema, whether it
//! answers.

use crate::Result;
use async_trait::async_trait;

/// The database itself: its backend, its migrations and a liveness check.
#[async_trait]
pub trait DatabaseAdmin: Send + Sync {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Applies the backend's pending migrations.
    async fn migrate(&self) -> Result<()>;

    /// Answers when the database answers.
    async fn ping(&self) -> Result<()>;
}
