// The retention job (`RetentionStore`): each closed case deleted when its
// KLE subject's deletion period has run. Included by `shared.rs` as the
// module `retention`.
//
// Candidates are found without locks, a page at a time: cases whose
// present registration has an open-ended `Afsluttet` progress period.
// Each is then decided again in its own write transaction under its
// row's lock (the lock a delivery takes too), from its present
// registration read in that transaction, by the pure rule in
// `samspil_citizen::case::retention`: a delivery that reopened the case
// meanwhile wins, and a case is never half deleted.

use async_trait::async_trait;
use samspil_citizen::case::retention::{closed_case, deletion_due};
use samspil_citizen::kle::Period;
use samspil_citizen_storage::{RetentionReport, RetentionStore};
use std::collections::HashMap;
use time::Date;

use super::cases::{CASES, delete_cases, read_registration, registration_at};

/// Candidates read per page.
const PAGE: i64 = 500;

#[derive(sqlx::FromRow)]
struct Candidate {
    id: i64,
}

#[derive(sqlx::FromRow)]
struct LockedCase {
    uuid: String,
    system_id: i64,
    municipality_code: i32,
}

/// The deletion period of each subject asked for, read once per run.
struct Periods(HashMap<String, Option<Period>>);

impl Periods {
    async fn of(&mut self, conn: &mut Connection, number: &str) -> Result<Option<Period>> {
        if let Some(period) = self.0.get(number) {
            return Ok(*period);
        }
        let rule: Option<Option<String>> =
            sqlx::query_scalar("SELECT deletion_rule FROM kle_subjects WHERE number = $1")
                .bind(number)
                .fetch_optional(&mut *conn)
                .await?;
        // A rule the import stored is one it parsed; anything else keeps
        // the case rather than guess.
        let period = rule.flatten().and_then(|text| text.parse::<Period>().ok());
        self.0.insert(number.to_owned(), period);
        Ok(period)
    }
}

#[async_trait]
impl RetentionStore for Store {
    async fn apply_retention(&self, today: Date, dry_run: bool) -> Result<RetentionReport> {
        let mut report = RetentionReport::default();
        let mut periods = Periods(HashMap::new());
        let mut after = 0_i64;
        loop {
            let page: Vec<Candidate> = sqlx::query_as(
                "SELECT c.id FROM cases c \
                 JOIN case_registrations r ON r.case_id = c.id \
                 JOIN case_periods p ON p.registration_id = r.id \
                 WHERE c.id > $1 AND p.group_name = 'fremdrift' AND p.valid_to IS NULL \
                 AND p.value_json LIKE '%\"status\":\"Afsluttet\"%' \
                 AND r.id = (SELECT r2.id FROM case_registrations r2 WHERE r2.case_id = c.id \
                             ORDER BY r2.registered_at DESC, r2.id DESC LIMIT 1) \
                 ORDER BY c.id LIMIT $2",
            )
            .bind(after)
            .bind(PAGE)
            .fetch_all(&self.pool)
            .await?;
            let Some(last) = page.last() else {
                break;
            };
            after = last.id;
            for candidate in &page {
                self.decide_one(candidate.id, today, dry_run, &mut periods, &mut report)
                    .await?;
            }
            if i64::try_from(page.len()).unwrap_or(PAGE) < PAGE {
                break;
            }
        }
        Ok(report)
    }
}

impl Store {
    /// Decides one candidate under its row's lock and deletes it when due.
    async fn decide_one(
        &self,
        case_id: i64,
        today: Date,
        dry_run: bool,
        periods: &mut Periods,
        report: &mut RetentionReport,
    ) -> Result<()> {
        let mut tx = begin_write(&self.pool).await?;
        let locked: Option<LockedCase> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT uuid, system_id, municipality_code FROM cases WHERE id = $1{}",
            for_update!()
        )))
        .bind(case_id)
        .fetch_optional(&mut *tx)
        .await?;
        // Removed by its system since the page was read.
        let Some(locked) = locked else {
            return Ok(());
        };
        let Some(present) = registration_at(
            &mut tx,
            &CASES,
            case_id,
            time::macros::datetime!(9999-12-31 0:00 UTC),
        )
        .await?
        else {
            return Ok(());
        };
        let kommune = stored_code(locked.municipality_code)?;
        let record =
            read_registration(&mut tx, &self.key, &locked.uuid, kommune, &present, None).await?;
        let Some(closed) = closed_case(&record) else {
            // Reopened since the page was read.
            return Ok(());
        };
        report.closed += 1;
        let class = closed.primary_class.to_owned();
        let period = periods.of(&mut tx, &class).await?;
        let Some(due_on) = deletion_due(&record, |_| period) else {
            report.without_period += 1;
            return Ok(());
        };
        if due_on > today {
            return Ok(());
        }
        report.due += 1;
        if dry_run {
            return Ok(());
        }
        let removed = delete_cases(&mut tx, &[case_id]).await?;
        report.removed.add(&removed);
        append_citizen_audit(
            &mut tx,
            // The job, not a person: the audit says which rule acted.
            &Actor {
                user_id: None,
                label: "job:retention".into(),
            },
            "case.retention_delete",
            Some(locked.system_id),
            Some(kommune),
            Some(serde_json::json!({
                "uuid": locked.uuid,
                "primary_class": class,
                "closed_on": closed.closed_on.to_string(),
                "due_on": due_on.to_string(),
                "removed": removed,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
