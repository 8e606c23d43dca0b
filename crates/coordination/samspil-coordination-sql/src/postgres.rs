//! The coordination store on PostgreSQL, on the platform store's pool.

use sqlx::PgPool;
use sqlx::migrate::Migrator;

type Db = sqlx::Postgres;
type Store = PostgresCoordinationStore;

/// Coordination's migrations on PostgreSQL, for the platform store to run in
/// its history.
pub static MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone)]
pub struct PostgresCoordinationStore {
    pool: PgPool,
}

impl PostgresCoordinationStore {
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
    use samspil_sql::postgres::{
        Connection, append_audit, begin_write, fetch_user, municipality_code, require_administer,
        require_work,
    };
    include!("shared.rs");
}
