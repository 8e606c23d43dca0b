// The migration history, written once for both backends: every context's
// folder of timestamped migrations (`migrations/<context>/
// YYYYMMDDHHMMSS_name.sql`) merged into one history ordered by version, and
// the upgrade of a database migrated while migrations were numbered.
//
// Each backend module includes this file, as it includes `shared.rs`, so
// that the query is compiled against that backend's own pool (`Db`).

use sqlx::migrate::{Migrate, MigrateError, Migrator};

/// The table sqlx keeps its history in (its default, which `migrate!` uses).
const HISTORY_TABLE: &str = "_sqlx_migrations";

/// The migrations of the releases before timestamps, `0001` … `0012`, and
/// the version each carries now: the same file, the same SQL, so the same
/// checksum, in the same order.
const NUMBERED: [(i64, i64); 12] = [
    (1, 20261123003659),
    (2, 20261123005934),
    (3, 20261123020205),
    (4, 20261123021417),
    (5, 20261123095106),
    (6, 20261123101955),
    (7, 20261123103536),
    (8, 20261123130627),
    (9, 20261123131629),
    (10, 20261123131630),
    (11, 20261201203233),
    (12, 20261201203927),
];

/// The platform's migrations and the contexts' (each context's SQL crate
/// hands the binary its own, which hands them to the store) as one history
/// ordered by version.
pub fn migrator(contexts: &[&'static Migrator]) -> Result<Migrator, MigrateError> {
    merge(CONTEXTS.iter().chain(contexts.iter().copied()))
}

/// Merges migrators into one ordered by version, refusing two migrations
/// with the same version (an up and its down share one, as in a folder).
pub fn merge<'a>(
    contexts: impl IntoIterator<Item = &'a Migrator>,
) -> Result<Migrator, MigrateError> {
    let mut migrations: Vec<_> = contexts
        .into_iter()
        .flat_map(|context| context.iter().cloned())
        .collect();
    // `Migration`'s order and equality are its version and type.
    migrations.sort();
    if let Some([first, second]) = migrations.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(MigrateError::Source(
            format!(
                "two migrations have the version {}: '{}' and '{}'; give one a new timestamp",
                first.version, first.description, second.description
            )
            .into(),
        ));
    }
    Ok(Migrator::with_migrations(migrations))
}

/// Gives the rows a numbered release wrote to the history their
/// timestamps, in one transaction, so that the merged history sees them as
/// applied rather than running them again or reporting them missing. Only
/// a row whose checksum is the released file's is relabelled: if one is
/// not (changed by hand), nothing is, and the start stops as sqlx stops on
/// a changed migration. Does nothing on a database that has no numbered
/// rows (new, or upgraded already).
pub async fn relabel_numbered(
    pool: &sqlx::Pool<Db>,
    migrator: &Migrator,
) -> Result<(), MigrateError> {
    // The migrator's own lock (PostgreSQL: an advisory lock; SQLite:
    // none, its writer is exclusive), so that two starts do not both
    // create the history table.
    let mut conn = pool.acquire().await?;
    conn.lock().await?;
    let relabelled = relabel_locked(&mut conn, migrator).await;
    conn.unlock().await?;
    relabelled
}

async fn relabel_locked(
    conn: &mut <Db as sqlx::Database>::Connection,
    migrator: &Migrator,
) -> Result<(), MigrateError> {
    let mut tx = sqlx::Connection::begin(conn).await?;
    tx.ensure_migrations_table(HISTORY_TABLE).await?;
    let applied = tx.list_applied_migrations(HISTORY_TABLE).await?;
    for row in &applied {
        let Some(&(old, new)) = NUMBERED.iter().find(|(old, _)| *old == row.version) else {
            continue;
        };
        let migration = migrator
            .iter()
            .find(|m| m.version == new && !m.migration_type.is_down_migration())
            .ok_or(MigrateError::VersionMissing(old))?;
        if migration.checksum != row.checksum {
            return Err(MigrateError::VersionMismatch(old));
        }
        sqlx::query(
            "UPDATE _sqlx_migrations SET version = $1 WHERE version = $2 AND checksum = $3",
        )
        .bind(new)
        .bind(old)
        .bind(&*row.checksum)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use sqlx::SqlSafeStr;
    use sqlx::migrate::{MigrateError, Migration, MigrationType, Migrator};

    use super::super::CONTEXTS;
    use super::{merge, migrator};

    fn migration(version: i64, description: &'static str) -> Migration {
        Migration::new(
            version,
            Cow::Borrowed(description),
            MigrationType::Simple,
            "SELECT 1".into_sql_str(),
            false,
        )
    }

    fn versions(migrator: &Migrator) -> Vec<i64> {
        migrator.iter().map(|m| m.version).collect()
    }

    #[test]
    fn contexts_merge_into_one_history_ordered_by_version() {
        let platform = Migrator::with_migrations(vec![
            migration(20260101000000, "organisations"),
            migration(20260301000000, "tokens"),
        ]);
        let coordination = Migrator::with_migrations(vec![migration(20260201000000, "tasks")]);
        let merged = merge([&coordination, &platform]).expect("merges");
        assert_eq!(
            versions(&merged),
            [20260101000000, 20260201000000, 20260301000000]
        );
    }

    #[test]
    fn two_migrations_with_one_version_are_refused() {
        let platform = Migrator::with_migrations(vec![migration(20260101000000, "organisations")]);
        let coordination = Migrator::with_migrations(vec![migration(20260101000000, "tasks")]);
        let error = merge([&platform, &coordination]).expect_err("refused");
        assert!(
            matches!(&error, MigrateError::Source(_))
                && error.to_string().contains(
                    "two migrations have the version 20260101000000: 'organisations' and 'tasks'"
                ),
            "{error}"
        );
    }

    #[test]
    fn the_platforms_folders_hold_timestamped_versions() {
        let merged = migrator(&[]).expect("the folders have no version twice");
        assert!(
            merged
                .iter()
                .all(|m| (19_700_101_000_000..=99_991_231_235_959).contains(&m.version)),
            "{:?}",
            versions(&merged)
        );
        let in_folders: usize = CONTEXTS.iter().map(|c| c.iter().count()).sum();
        assert_eq!(in_folders, merged.iter().count());
    }
}
