//! The tools store on PostgreSQL, on the platform store's pool.

use sqlx::PgPool;
use sqlx::migrate::Migrator;

type Db = sqlx::Postgres;
type Store = PostgresToolsStore;

/// The tools' migrations on PostgreSQL, for the platform store to run in
/// its history.
pub static MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone)]
pub struct PostgresToolsStore {
    pool: PgPool,
}

impl PostgresToolsStore {
    /// The store on the platform store's pool (`PostgresStorage::pool`).
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

/// The same clause as the platform's SQL on PostgreSQL (see
/// `samspil-sql/src/postgres.rs`): the lock an `UPDATE` that changes no
/// key takes, so a second writer of the rows waits for the first one's
/// commit and then reads what it wrote.
macro_rules! for_update {
    () => {
        " FOR NO KEY UPDATE"
    };
}

mod shared_sql {
    use super::{Db, Store};
    use samspil_sql::postgres::{append_audit, begin_write, require_administer};
    include!("shared.rs");
}
