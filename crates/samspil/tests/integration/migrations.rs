//! Upgrading a database made by the last release with numbered migrations
//! (`0001` … `0012`) to today's timestamped history merged from the
//! contexts' folders: nothing runs twice, nothing is reported missing,
//! nothing is lost.
//!
//! The release is rebuilt from `tests/fixtures/numbered-release/`, a byte
//! for byte copy of the migrations it embedded: a frozen copy (rather than
//! a migrator made from today's files with the old numbers put back) keeps
//! testing the upgrade from what was actually released, however the
//! current folders grow, and checks the upgrade's table of old numbers
//! against something it was not derived from.

use samspil::demo::{self, DemoScope};
use samspil_domain::Principal;
use sqlx::{AssertSqlSafe, PgPool, SqlitePool};

use crate::harness::{TEST_MUNICIPALITIES, empty_database};

/// A connection of the test's own, for what the application never shows.
enum Direct {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// One row of `_sqlx_migrations`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Applied {
    version: i64,
    description: String,
    checksum: Vec<u8>,
    success: bool,
    installed_on: String,
}

impl Applied {
    /// What a migration is, without when it was applied.
    fn identity(&self) -> (i64, &str, &[u8], bool) {
        (
            self.version,
            &self.description,
            &self.checksum,
            self.success,
        )
    }
}

const HISTORY: &str = "SELECT version, description, checksum, success, \
     CAST(installed_on AS TEXT) FROM _sqlx_migrations ORDER BY version";

const SQLITE_TABLES: &str = "SELECT name FROM sqlite_master \
     WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' \
     ORDER BY name";

const POSTGRES_TABLES: &str = "SELECT tablename::text FROM pg_tables \
     WHERE schemaname = 'public' AND tablename <> '_sqlx_migrations' ORDER BY tablename";

const SQLITE_SCHEMA: &str = "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') \
     FROM sqlite_master WHERE name <> '_sqlx_migrations' ORDER BY 1";

const POSTGRES_SCHEMA: &str = "\
    SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' \
        || is_nullable || ' ' || COALESCE(column_default, '') \
    FROM information_schema.columns WHERE table_schema = 'public' \
    UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' \
    UNION ALL SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' \
        || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace \
    UNION ALL SELECT 'trigger ' || tgrelid::regclass::text || ' ' || tgname \
        FROM pg_trigger WHERE NOT tgisinternal \
    ORDER BY 1";

type HistoryRow = (i64, String, Vec<u8>, bool, String);

impl Direct {
    async fn connect(url: &str) -> Self {
        if url.starts_with("sqlite:") {
            Direct::Sqlite(SqlitePool::connect(url).await.expect("SQLite opens"))
        } else {
            Direct::Postgres(PgPool::connect(url).await.expect("PostgreSQL answers"))
        }
    }

    /// The columns added since the release that today's code writes when
    /// it loads the demo into the release's database: added for the load
    /// and dropped again after it (`present = false`), so that the
    /// database upgraded is the release's, with the release's data.
    async fn columns_added_since_the_release(&self, present: bool) {
        // Table, column, its SQLite type, its PostgreSQL type.
        const ADDED: &[(&str, &str, &str, &str)] = &[
            ("tasks", "deadline_sort", "TEXT", "DATE"),
            (
                "users",
                "language",
                "TEXT NOT NULL DEFAULT 'da'",
                "TEXT NOT NULL DEFAULT 'da'",
            ),
            (
                "roles",
                "assignment_guidance",
                "TEXT NOT NULL DEFAULT ''",
                "TEXT NOT NULL DEFAULT ''",
            ),
            (
                "tasks",
                "chosen_municipalities",
                "INTEGER NOT NULL DEFAULT 0",
                "INTEGER NOT NULL DEFAULT 0",
            ),
        ];
        for (table, column, sqlite_type, postgres_type) in ADDED {
            let kind = match self {
                Direct::Sqlite(_) => sqlite_type,
                Direct::Postgres(_) => postgres_type,
            };
            let sql = match present {
                true => format!("ALTER TABLE {table} ADD COLUMN {column} {kind}"),
                false => format!("ALTER TABLE {table} DROP COLUMN {column}"),
            };
            match self {
                // One connection for the change: another of the pool may
                // not have read the schema the load changed.
                Direct::Sqlite(pool) => {
                    let mut connection = pool.acquire().await.expect("a connection");
                    sqlx::query(AssertSqlSafe(format!("SELECT * FROM {table} LIMIT 0")))
                        .execute(&mut *connection)
                        .await
                        .expect("the table reads");
                    sqlx::query(AssertSqlSafe(sql))
                        .execute(&mut *connection)
                        .await
                        .map(drop)
                        .expect("the column is added or dropped");
                }
                Direct::Postgres(_) => self.execute(&sql).await,
            }
        }
    }

    /// Migrates with the release's own numbered migrations, as it did at
    /// every start.
    async fn migrate_as_the_release(&self) {
        match self {
            Direct::Sqlite(pool) => {
                sqlx::migrate!("tests/fixtures/numbered-release/sqlite")
                    .run(pool)
                    .await
            }
            Direct::Postgres(pool) => {
                sqlx::migrate!("tests/fixtures/numbered-release/postgres")
                    .run(pool)
                    .await
            }
        }
        .expect("the release's migrations apply");
    }

    async fn history(&self) -> Vec<Applied> {
        let rows: Vec<HistoryRow> = match self {
            Direct::Sqlite(pool) => sqlx::query_as(HISTORY).fetch_all(pool).await,
            Direct::Postgres(pool) => sqlx::query_as(HISTORY).fetch_all(pool).await,
        }
        .expect("_sqlx_migrations reads");
        rows.into_iter()
            .map(
                |(version, description, checksum, success, installed_on)| Applied {
                    version,
                    description,
                    checksum,
                    success,
                    installed_on,
                },
            )
            .collect()
    }

    async fn execute(&self, sql: &str) {
        match self {
            Direct::Sqlite(pool) => sqlx::query(AssertSqlSafe(sql))
                .execute(pool)
                .await
                .map(drop),
            Direct::Postgres(pool) => sqlx::query(AssertSqlSafe(sql))
                .execute(pool)
                .await
                .map(drop),
        }
        .expect("the statement runs");
    }

    async fn strings(&self, sql: &'static str) -> Vec<String> {
        match self {
            Direct::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
            Direct::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
        }
        .expect("the catalogue reads")
    }

    /// Every table but the migration history, with its number of rows.
    async fn row_counts(&self) -> Vec<(String, i64)> {
        let tables = match self {
            Direct::Sqlite(_) => self.strings(SQLITE_TABLES).await,
            Direct::Postgres(_) => self.strings(POSTGRES_TABLES).await,
        };
        let mut counts = Vec::new();
        for table in tables {
            let sql = AssertSqlSafe(format!("SELECT COUNT(*) FROM \"{table}\""));
            let count: i64 = match self {
                Direct::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
                Direct::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
            }
            .expect("the table counts");
            counts.push((table, count));
        }
        counts
    }

    /// Tables, columns, indexes, constraints and triggers, as text.
    async fn schema(&self) -> Vec<String> {
        match self {
            Direct::Sqlite(_) => self.strings(SQLITE_SCHEMA).await,
            Direct::Postgres(_) => self.strings(POSTGRES_SCHEMA).await,
        }
    }
}

/// A timestamped version: `YYYYMMDDHHMMSS`.
fn is_timestamp(version: i64) -> bool {
    (19_700_101_000_000..=99_991_231_235_959).contains(&version)
}

#[tokio::test]
async fn a_database_of_the_numbered_release_upgrades_without_loss() {
    let (url, _database) = empty_database().await;

    // The release: its numbered migrations, then what `samspil demo` loads.
    let release_stores = samspil::open_storage(&url).await.expect("database opens");
    let release = release_stores.platform.clone();
    let direct = Direct::connect(&url).await;
    direct.migrate_as_the_release().await;
    direct.columns_added_since_the_release(true).await;
    release
        .sync_reference_organisations(
            &samspil_domain::org::reference_organisations(),
            &Principal::operator().actor(),
        )
        .await
        .expect("reference organisations load");
    demo::load(
        release.as_ref(),
        DemoScope::Municipalities(&TEST_MUNICIPALITIES),
    )
    .await
    .expect("demo people load");
    demo::tasks::load(&release_stores)
        .await
        .expect("demo tasks load");
    demo::roles::load(&release_stores)
        .await
        .expect("demo roles load");
    demo::messages::load(release_stores.coordination.as_ref())
        .await
        .expect("demo message loads");
    drop(release);
    drop(release_stores);
    direct.columns_added_since_the_release(false).await;
    let released = direct.history().await;
    assert_eq!(
        released.iter().map(|m| m.version).collect::<Vec<_>>(),
        (1..=12).collect::<Vec<_>>(),
        "the release numbered its migrations"
    );
    let rows_before = direct.row_counts().await;
    assert!(
        rows_before
            .iter()
            .any(|(t, n)| t == "task_statuses" && *n > 0),
        "the release's database holds data: {rows_before:?}"
    );

    // Today's start on it.
    let storage_stores = samspil::open_storage(&url).await.expect("database opens");
    let storage = storage_stores.platform.clone();
    samspil::prepare(storage.as_ref())
        .await
        .expect("the release's database migrates");

    let upgraded = direct.history().await;
    assert!(
        upgraded.iter().all(|m| is_timestamp(m.version)),
        "only timestamped versions are left: {:?}",
        upgraded.iter().map(|m| m.version).collect::<Vec<_>>()
    );
    // The release's migrations kept their rows (same SQL, same order, same
    // time of installation: relabelled, not run again).
    for (old, new) in released.iter().zip(&upgraded) {
        assert_eq!(
            (
                &old.description,
                &old.checksum,
                old.success,
                &old.installed_on
            ),
            (
                &new.description,
                &new.checksum,
                new.success,
                &new.installed_on
            ),
            "release migration {} is today's {}",
            old.version,
            new.version
        );
    }
    // The release's tables keep every row; a later migration may add
    // tables of its own (filled from them, like the status history).
    let rows_after: Vec<(String, i64)> = direct
        .row_counts()
        .await
        .into_iter()
        .filter(|(table, _)| rows_before.iter().any(|(t, _)| t == table))
        .collect();
    assert_eq!(rows_after, rows_before, "no row is lost");
    assert_eq!(storage.organisations().await.expect("reads").len(), 100);

    // Starting again changes nothing.
    samspil::prepare(storage.as_ref())
        .await
        .expect("migrates again");
    assert_eq!(direct.history().await, upgraded);

    // The same history and schema as a database that never knew numbers:
    // every migration applied once.
    let (fresh_url, _fresh_database) = empty_database().await;
    let fresh_stores = samspil::open_storage(&fresh_url)
        .await
        .expect("database opens");
    let fresh = fresh_stores.platform.clone();
    samspil::prepare(fresh.as_ref())
        .await
        .expect("a fresh database migrates");
    let fresh_direct = Direct::connect(&fresh_url).await;
    let fresh_history = fresh_direct.history().await;
    assert_eq!(
        fresh_history
            .iter()
            .map(Applied::identity)
            .collect::<Vec<_>>(),
        upgraded.iter().map(Applied::identity).collect::<Vec<_>>()
    );
    assert_eq!(fresh_direct.schema().await, direct.schema().await);
}

/// Only a release row whose SQL is the released file's is relabelled; one
/// changed by hand stops the start, and none of the others moves.
#[tokio::test]
async fn a_changed_release_migration_stops_the_upgrade_and_nothing_is_relabelled() {
    let (url, _database) = empty_database().await;
    let storage_stores = samspil::open_storage(&url).await.expect("database opens");
    let storage = storage_stores.platform.clone();
    let direct = Direct::connect(&url).await;
    direct.migrate_as_the_release().await;
    direct
        .execute("UPDATE _sqlx_migrations SET checksum = checksum || checksum WHERE version = 12")
        .await;
    let released = direct.history().await;

    let error = samspil::prepare(storage.as_ref())
        .await
        .expect_err("a changed migration is refused");
    assert!(
        format!("{error:#}").contains("migration 12 was previously applied but has been modified"),
        "{error:#}"
    );
    assert_eq!(direct.history().await, released, "nothing relabelled");
}
