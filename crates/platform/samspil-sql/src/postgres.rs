//! The platform's stores on PostgreSQL: the production store.

use std::str::FromStr;
use std::time::Duration;

use samspil_storage::Result;
use sqlx::PgPool;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

type Db = sqlx::Postgres;
type Store = PostgresStorage;

#[derive(Clone)]
pub struct PostgresStorage {
    pool: PgPool,
    /// The contexts' migrations of the main database, beside the
    /// platform's.
    contexts: Vec<&'static Migrator>,
}

impl PostgresStorage {
    const BACKEND: &'static str = "postgres";

    /// Connects to the server named by a `postgres:` URL. Fails within a few
    /// seconds when the server does not answer, so that a start against a
    /// wrong address ends with a message instead of hanging.
    pub async fn connect(url: &str) -> Result<Self> {
        // The task lists' optional filters (`$1 IS NULL OR …`) get poor
        // generic plans from PostgreSQL's plan cache; plan each execution
        // for its actual parameters instead (measured in BENCHMARKS.md).
        let options =
            PgConnectOptions::from_str(url)?.options([("plan_cache_mode", "force_custom_plan")]);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
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
    pub fn pool(&self) -> &PgPool {
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

/// A transaction that writes (SQLite begins these `IMMEDIATE`; PostgreSQL's
/// row locks need nothing special).
pub async fn begin_write(
    pool: &sqlx::Pool<Db>,
) -> std::result::Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
    pool.begin().await
}

/// The clause that locks the rows a transaction reads to decide what it
/// writes (`SELECT … FOR NO KEY UPDATE`): a second writer of the same rows
/// waits for the first one's commit and then reads what it wrote. NO KEY:
/// it is the lock an `UPDATE` that changes no key takes anyway, so it does
/// not hold up inserts whose foreign keys point at the locked row (a
/// comment on a task while the task's counters change). `skip_locked`:
/// the queue's claim, where workers take different rows instead of waiting.
macro_rules! for_update {
    () => {
        " FOR NO KEY UPDATE"
    };
    (skip_locked) => {
        " FOR UPDATE SKIP LOCKED"
    };
}

/// The platform's migrations (coordination's and the tools' come from
/// their SQL crates, `samspil-coordination-sql` and `samspil-tools-sql`,
/// through `with_context_migrations`). The citizen context is not here:
/// its tables are in a store of its own, with its own history
/// (`samspil-citizen-sql/migrations/`).
static CONTEXTS: [Migrator; 1] = [sqlx::migrate!("./migrations/postgres/platform")];

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
