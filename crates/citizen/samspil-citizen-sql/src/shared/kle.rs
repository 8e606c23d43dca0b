// The KLE subject plan (`KleStore`). Included by `shared.rs` as the
// module `kle`.

use async_trait::async_trait;
use samspil_citizen::kle::KleSubject;
use samspil_citizen_storage::{KleImportReport, KleStore};
use samspil_storage::now;
use time::Date;

#[derive(sqlx::FromRow)]
struct SubjectRow {
    number: String,
    title: String,
    created_on: Option<Date>,
    expired_on: Option<Date>,
    replaced_by: Option<String>,
    deletion_rule: Option<String>,
}

impl From<SubjectRow> for KleSubject {
    fn from(row: SubjectRow) -> Self {
        KleSubject {
            number: row.number,
            title: row.title,
            created_on: row.created_on,
            expired_on: row.expired_on,
            replaced_by: row.replaced_by,
            deletion_rule: row.deletion_rule,
        }
    }
}

const SUBJECT_SELECT: &str = "SELECT number, title, created_on, expired_on, replaced_by, \
     deletion_rule FROM kle_subjects ";

#[async_trait]
impl KleStore for Store {
    async fn import_kle(&self, subjects: &[KleSubject], actor: &Actor) -> Result<KleImportReport> {
        let mut tx = begin_write(&self.pool).await?;
        let rows: Vec<SubjectRow> = sqlx::query_as(SUBJECT_SELECT).fetch_all(&mut *tx).await?;
        let known: std::collections::HashMap<String, KleSubject> = rows
            .into_iter()
            .map(|row| (row.number.clone(), KleSubject::from(row)))
            .collect();
        let mut report = KleImportReport::default();
        let at = now();
        for subject in subjects {
            match known.get(&subject.number) {
                Some(before) if before == subject => {
                    report.unchanged += 1;
                    continue;
                }
                Some(before) => {
                    report.changed += 1;
                    if before.expired_on.is_none() && subject.expired_on.is_some() {
                        report.expired += 1;
                    }
                }
                None => report.added += 1,
            }
            sqlx::query(
                "INSERT INTO kle_subjects (number, title, created_on, expired_on, replaced_by, \
                 deletion_rule, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (number) DO UPDATE SET title = excluded.title, \
                 created_on = excluded.created_on, expired_on = excluded.expired_on, \
                 replaced_by = excluded.replaced_by, deletion_rule = excluded.deletion_rule, \
                 imported_at = excluded.imported_at",
            )
            .bind(&subject.number)
            .bind(&subject.title)
            .bind(subject.created_on)
            .bind(subject.expired_on)
            .bind(&subject.replaced_by)
            .bind(&subject.deletion_rule)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        append_citizen_audit(
            &mut tx,
            actor,
            "kle.import",
            None,
            None,
            Some(serde_json::to_value(report).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(report)
    }

    async fn kle_subject_count(&self) -> Result<u64> {
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM kle_subjects")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    async fn kle_subject(&self, number: &str) -> Result<Option<KleSubject>> {
        let row: Option<SubjectRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SUBJECT_SELECT} WHERE number = $1"
        )))
        .bind(number.trim())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(KleSubject::from))
    }
}
