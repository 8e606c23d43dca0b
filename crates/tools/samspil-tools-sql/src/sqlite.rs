//! The tools store on SQLite, on the platform store's pool.

use sqlx::SqlitePool;
use sqlx::migrate::Migrator;

type Db = sqlx::Sqlite;
type Store = SqliteToolsStore;

/// The tools' migrations on SQLite, for the platform store to run in its
/// history.
pub static MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Clone)]
pub struct SqliteToolsStore {
    pool: SqlitePool,
}

impl SqliteToolsStore {
    /// The store on the platform store's pool (`SqliteStorage::pool`).
    pub fn new(pool: SqlitePool) -> Self {
        Self { pool }
    }
}

/// The same clause as the platform's SQL on SQLite: nothing, since
/// `begin_write` (`BEGIN IMMEDIATE`) makes every writer exclusive.
macro_rules! for_update {
    () => {
        ""
    };
}

mod shared_sql {
    use super::{Db, Store};
    use samspil_sql::sqlite::{append_audit, begin_write, require_administer};
    include!("shared.rs");
}
