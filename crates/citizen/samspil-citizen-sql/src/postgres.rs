//! The citizen store on PostgreSQL: the schema [`SCHEMA`] with a pool of
//! its own, whose connections search only that schema, so that its tables
//! and its migration history (`citizen._sqlx_migrations`) are apart from
//! the main database's. By default on the main database's server and
//! database; given a URL of its own, on another server. An optional read
//! replica gets a pool of its own too (for the overview's reads, later).

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use samspil_auth::sealing::SealingKey;
use samspil_citizen_storage::{CitizenStore, Result};

use crate::development_key;
use sqlx::PgPool;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// The citizen store's migrations on PostgreSQL.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

type Db = sqlx::Postgres;
type Store = PostgresCitizenStore;

/// A transaction that writes (READ COMMITTED; what it decides on it
/// locks with `for_update!()`).
async fn begin_write(
    pool: &sqlx::Pool<Db>,
) -> std::result::Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
    pool.begin().await
}

/// The clause that locks the rows a transaction reads to decide what it
/// writes: a second writer of the same rows waits for the first one's
/// commit and then reads what it wrote (as in the main store).
macro_rules! for_update {
    () => {
        " FOR NO KEY UPDATE"
    };
}

mod shared {
    use super::{Db, Store, begin_write};
    include!("shared.rs");
}

/// The schema the citizen store lives in.
pub const SCHEMA: &str = "citizen";

#[derive(Clone)]
pub struct PostgresCitizenStore {
    pool: PgPool,
    replica: Option<PgPool>,
    /// The key parties' CPR numbers are digested and sealed under.
    key: SealingKey,
}

impl PostgresCitizenStore {
    /// Connects to the citizen store on the server a `postgres:` URL
    /// names, and to its read replica if there is one. Fails within a few
    /// seconds when a server does not answer.
    pub async fn connect(url: &str, replica_url: Option<&str>) -> Result<Self> {
        let pool = Self::pool_for(url).await?;
        let replica = match replica_url {
            Some(url) => Some(Self::pool_for(url).await?),
            None => None,
        };
        Ok(Self {
            pool,
            replica,
            key: development_key(),
        })
    }

    async fn pool_for(url: &str) -> Result<PgPool> {
        let options = PgConnectOptions::from_str(url)?.options([("search_path", SCHEMA)]);
        Ok(PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await?)
    }

    /// The store with the key from configuration that parties' CPR
    /// numbers are digested and sealed under (without it, the
    /// development key of [`development_key`]).
    pub fn with_sealing_key(mut self, key: SealingKey) -> Self {
        self.key = key;
        self
    }

    /// The store's (writing) pool, for the SQL of this crate (and tests
    /// that look at the schema underneath).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

#[async_trait]
impl CitizenStore for PostgresCitizenStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    /// Creates the schema if it is missing, then runs the citizen
    /// migrations in it (the pool's `search_path` puts sqlx's history
    /// table there too).
    async fn migrate(&self) -> Result<()> {
        sqlx::query("CREATE SCHEMA IF NOT EXISTS citizen")
            .execute(&self.pool)
            .await?;
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        if let Some(replica) = &self.replica {
            sqlx::query("SELECT 1").execute(replica).await?;
        }
        Ok(())
    }
}
