//! The citizen store on SQLite: a database file of its own, so that a
//! vendor system's bulk delivery holds its own file's write lock and never
//! the main database's (SQLite has one writer per file).

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use samspil_auth::sealing::SealingKey;
use samspil_citizen_storage::{CitizenStore, Result};

use crate::development_key;
use sqlx::SqlitePool;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// The citizen store's migrations on SQLite.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

type Db = sqlx::Sqlite;
type Store = SqliteCitizenStore;

/// A transaction that writes: `BEGIN IMMEDIATE` takes the citizen file's
/// write lock at the start, so a transaction that reads before it writes
/// waits for another writer instead of failing with `SQLITE_BUSY` (as the
/// main store's `begin_write`).
async fn begin_write(
    pool: &sqlx::Pool<Db>,
) -> std::result::Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Nothing on SQLite: `begin_write` makes every writing transaction
/// exclusive from its first statement.
macro_rules! for_update {
    () => {
        ""
    };
}

mod shared {
    use super::{Db, Store, begin_write};
    include!("shared.rs");
}

#[derive(Clone)]
pub struct SqliteCitizenStore {
    pool: SqlitePool,
    /// The key parties' CPR numbers are digested and sealed under.
    key: SealingKey,
}

impl SqliteCitizenStore {
    /// Opens (and creates, if missing) the citizen database named by a
    /// `sqlite:` URL, with the main database's settings (WAL, foreign keys
    /// within the file, a busy timeout).
    pub async fn connect(url: &str) -> Result<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
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
            key: development_key(),
        })
    }

    /// The store with the key from configuration that parties' CPR
    /// numbers are digested and sealed under (without it, the
    /// development key of [`development_key`]).
    pub fn with_sealing_key(mut self, key: SealingKey) -> Self {
        self.key = key;
        self
    }

    /// The store's pool, for the SQL of this crate (and tests that look at
    /// the file underneath).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

#[async_trait]
impl CitizenStore for SqliteCitizenStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}
