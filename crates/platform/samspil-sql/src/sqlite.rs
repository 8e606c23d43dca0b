//! The platform's stores on SQLite: the embedded default, one file and
//! nothing to install.

use std::str::FromStr;
use std::time::Duration;

use samspil_storage::Result;
use sqlx::SqlitePool;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

type Db = sqlx::Sqlite;
type Store = SqliteStorage;

#[derive(Clone)]
pub struct SqliteStorage {
    pool: SqlitePool,
    /// The contexts' migrations of the main database, beside the
    /// platform's.
    contexts: Vec<&'static Migrator>,
}

impl SqliteStorage {
    const BACKEND: &'static str = "sqlite";

    /// Opens (and creates, if missing) the database file named by a
    /// `sqlite:` URL.
    pub async fn connect(url: &str) -> Result<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            // WAL lets readers go on while one writer writes; NORMAL sync
            // is durable in WAL mode except against power loss mid-commit.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            contexts: Vec::new(),
        })
    }

    /// The contexts' migrations to run with the platform's, as one
    /// history, when the store migrates.
    pub fn with_context_migrations(mut self, contexts: &[&'static Migrator]) -> Self {
        self.contexts.extend_from_slice(contexts);
        self
    }

    /// The pool, for the contexts' SQL on the same database (their stores
    /// share it).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Every context's migrations as one history (`migration_history`),
    /// after relabelling a numbered release's rows with their timestamps.
    async fn run_migrations(&self) -> Result<()> {
        let migrator = migration_history::migrator(&self.contexts)?;
        migration_history::relabel_numbered(&self.pool, &migrator).await?;
        migrator.run(&self.pool).await?;
        Ok(())
    }
}

/// A transaction that writes. `BEGIN IMMEDIATE` takes SQLite's write lock
/// at the start, so a transaction that reads before it writes waits for
/// another writer (up to the busy timeout) instead of failing at once with
/// `SQLITE_BUSY` / `SQLITE_BUSY_SNAPSHOT` ("database is locked") when its
/// read lock cannot be upgraded: with a deferred `BEGIN`, concurrent status
/// changes failed with 500s.
pub async fn begin_write(
    pool: &sqlx::Pool<Db>,
) -> std::result::Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// The clause that locks the rows a transaction reads to decide what it
/// writes: nothing on SQLite, where `begin_write` (`BEGIN IMMEDIATE`)
/// makes every writing transaction exclusive from its first statement.
macro_rules! for_update {
    () => {
        ""
    };
    (skip_locked) => {
        ""
    };
}

/// The platform's migrations (coordination's and the tools' come from
/// their SQL crates, `samspil-coordination-sql` and `samspil-tools-sql`,
/// through `with_context_migrations`). The citizen context is not here:
/// its tables are in a store of its own, with its own history
/// (`samspil-citizen-sql/migrations/`).
static CONTEXTS: [Migrator; 1] = [sqlx::migrate!("./migrations/sqlite/platform")];

/// The merged migration history, written once for both backends.
mod migration_history {
    use super::{CONTEXTS, Db};
    include!("migration_history.rs");
}

/// The platform's helpers that the contexts' SQL calls inside its own
/// transactions, so that the audit entry commits with the change.
pub use shared_sql::{
    Connection, append_audit, fetch_user, municipality_code, require_administer, require_work,
};

mod shared_sql {
    use super::{Db, Store, begin_write};
    include!("shared.rs");
}
