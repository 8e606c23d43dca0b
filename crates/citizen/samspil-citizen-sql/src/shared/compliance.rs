// The compliance test's evidence (`ComplianceStore`), read from what the
// store already keeps: the cases and their registrations, the documents a
// system delivered or is master of, the delivery log's violations, the
// responsible units' and primary classes' relations, the KLE plan and the
// audit of removals. Read-only, without locks: a report of the moment.
// Included by `shared.rs` as the module `compliance`.

use async_trait::async_trait;
use samspil_citizen::compliance::{
    ClassUse, Counts, Evidence, MunicipalityUnits, SystemChange, ViolationTally,
};
use samspil_citizen_storage::{ComplianceStore, SystemId, SystemStore};
use time::Date;

/// The audit's actions of a removal: the one on system change, and the
/// system's own (`fjern`) per kind.
const SYSTEM_CHANGE: &str = "vendor_system.remove_on_system_change";
const OWN_REMOVALS: [&str; 4] = [
    "cases.remove",
    "documents.remove",
    "benefits.remove",
    "claims.remove",
];

/// The documents a system delivered, or that name it as their master
/// (a vendor's case system whose documents come through a document door).
const SYSTEM_DOCUMENTS: &str = "SELECT d.id FROM documents d WHERE d.system_id = $1 \
     OR EXISTS (SELECT 1 FROM document_registrations g \
     JOIN document_relations r ON r.registration_id = g.id \
     WHERE g.document_id = d.id AND r.role = 'master' AND r.reference = $2)";

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Every entity a removal's audited report counts.
fn removed_entities(detail: Option<&str>) -> u64 {
    let Some(value) = detail.and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok()) else {
        return 0;
    };
    ["cases", "documents", "grants", "payments", "claims"]
        .iter()
        .filter_map(|key| value.get(key).and_then(serde_json::Value::as_u64))
        .sum()
}

#[async_trait]
impl ComplianceStore for Store {
    async fn compliance_evidence(&self, system: SystemId, today: Date) -> Result<Option<Evidence>> {
        let Some(vendor) = self.vendor_system(system).await? else {
            return Ok(None);
        };
        let mut evidence = Evidence::empty(vendor.kind, today);
        let pool = &self.pool;

        let (delivered, updated): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM cases WHERE system_id = $1), \
             (SELECT COUNT(DISTINCT g.case_id) FROM case_registrations g \
              JOIN cases c ON c.id = g.case_id WHERE c.system_id = $1 AND g.operation = 'update')",
        )
        .bind(system.0)
        .fetch_one(pool)
        .await?;
        evidence.cases = Counts {
            delivered: count(delivered),
            updated: count(updated),
        };
        let closed: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT c.id) FROM cases c \
             JOIN case_registrations g ON g.case_id = c.id \
             JOIN case_periods p ON p.registration_id = g.id \
             WHERE c.system_id = $1 AND p.group_name = 'fremdrift' \
             AND p.value_json LIKE '%\"Afsluttet\"%'",
        )
        .bind(system.0)
        .fetch_one(pool)
        .await?;
        evidence.closed_cases = count(closed);

        let documents: (i64, i64, i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(DISTINCT g.document_id), \
             COUNT(DISTINCT CASE WHEN g.operation = 'update' THEN g.document_id END), \
             COUNT(DISTINCT CASE WHEN j.note_title IS NOT NULL THEN g.document_id END), \
             COUNT(DISTINCT CASE WHEN j.note_title IS NOT NULL AND g.operation = 'update' \
                   THEN g.document_id END) \
             FROM document_registrations g \
             LEFT JOIN document_journal_posts j ON j.registration_id = g.id \
             WHERE g.document_id IN ({SYSTEM_DOCUMENTS})"
        )))
        .bind(system.0)
        .bind(&vendor.it_system_uuid)
        .fetch_one(pool)
        .await?;
        evidence.documents = Counts {
            delivered: count(documents.0),
            updated: count(documents.1),
        };
        evidence.journal_notes = Counts {
            delivered: count(documents.2),
            updated: count(documents.3),
        };

        let violations: Vec<(String, String, String, String, i64)> = sqlx::query_as(
            "SELECT d.object_kind, v.rule, v.section, v.pointer, COUNT(*) \
             FROM case_violations v JOIN case_deliveries d ON d.id = v.delivery_id \
             WHERE d.system_id = $1 \
             GROUP BY d.object_kind, v.rule, v.section, v.pointer \
             ORDER BY d.object_kind, v.rule, v.section, v.pointer",
        )
        .bind(system.0)
        .fetch_all(pool)
        .await?;
        evidence.violations = violations
            .into_iter()
            .map(|(object_kind, rule, section, pointer, n)| ViolationTally {
                object_kind,
                rule,
                section,
                pointer,
                count: count(n),
            })
            .collect();

        // The units and classes in force in any registration of a case.
        let units: Vec<(i32, String, i64)> = sqlx::query_as(
            "SELECT c.municipality_code, LOWER(TRIM(r.reference)), COUNT(DISTINCT c.id) \
             FROM cases c JOIN case_registrations g ON g.case_id = c.id \
             JOIN case_relations r ON r.registration_id = g.id \
             WHERE c.system_id = $1 AND r.role = 'ansvarlig' AND r.valid_to IS NULL \
             AND r.reference IS NOT NULL \
             GROUP BY c.municipality_code, LOWER(TRIM(r.reference)) \
             ORDER BY c.municipality_code, LOWER(TRIM(r.reference))",
        )
        .bind(system.0)
        .fetch_all(pool)
        .await?;
        for (code, unit, n) in units {
            let code = stored_code(code)?;
            match evidence.units.last_mut() {
                Some(last) if last.municipality_code == code => last.units.push((unit, count(n))),
                _ => evidence.units.push(MunicipalityUnits {
                    municipality_code: code,
                    units: vec![(unit, count(n))],
                    directory: None,
                }),
            }
        }
        let classes: Vec<(String, i64, Option<String>, Option<Date>)> = sqlx::query_as(
            "SELECT u.subject, u.cases, k.number, k.expired_on FROM \
             (SELECT TRIM(r.reference) AS subject, COUNT(DISTINCT c.id) AS cases \
              FROM cases c JOIN case_registrations g ON g.case_id = c.id \
              JOIN case_relations r ON r.registration_id = g.id \
              WHERE c.system_id = $1 AND r.role = 'primaer_klasse' AND r.valid_to IS NULL \
              AND r.reference IS NOT NULL GROUP BY TRIM(r.reference)) u \
             LEFT JOIN kle_subjects k ON k.number = u.subject ORDER BY u.subject",
        )
        .bind(system.0)
        .fetch_all(pool)
        .await?;
        evidence.classes = classes
            .into_iter()
            .map(|(subject, n, number, expired_on)| ClassUse {
                subject,
                cases: count(n),
                in_plan: number.is_some(),
                expired_on,
            })
            .collect();
        let plan: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kle_subjects")
            .fetch_one(pool)
            .await?;
        evidence.plan_imported = plan > 0;

        let removals: Vec<(String, Option<i32>, time::OffsetDateTime, Option<String>)> =
            sqlx::query_as(
                "SELECT action, municipality_code, at, detail_json FROM citizen_audit \
                 WHERE system_id = $1 AND action IN ($2, $3, $4, $5, $6) ORDER BY id",
            )
            .bind(system.0)
            .bind(SYSTEM_CHANGE)
            .bind(OWN_REMOVALS[0])
            .bind(OWN_REMOVALS[1])
            .bind(OWN_REMOVALS[2])
            .bind(OWN_REMOVALS[3])
            .fetch_all(pool)
            .await?;
        for (action, code, at, detail) in removals {
            let entities = removed_entities(detail.as_deref());
            if action == SYSTEM_CHANGE {
                evidence.system_changes.push(SystemChange {
                    municipality_code: code.map(stored_code).transpose()?,
                    on: at.date(),
                    entities,
                });
            } else {
                evidence.own_removals += entities;
            }
        }
        Ok(Some(evidence))
    }
}
