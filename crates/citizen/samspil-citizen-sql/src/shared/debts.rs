// Claims (`DebtStore`): the ingest of debtor systems' batches, the
// bitemporal read-back, a system's search of its own claims, the
// citizen's read by the claim-type rule, and the deletions that the
// removal of cases (`cases.rs`) calls in its own transaction. Included by
// `shared.rs` as the module `debts`.
//
// A batch runs as cases' do, with the same delivery log (`cases.rs`:
// `claim_delivery`, `batch_outcome`, `log_refusal`, `finish_delivery`,
// `replay`): the line of the log claimed first (the same batch twice is
// processed once), each claim locked (`for_update!()`) or created
// (`ON CONFLICT (uuid) DO NOTHING`), checked by the rules crate's pure
// `debt::check`, and written as a new registration, never over an old
// one; the claim's look-up columns follow its present registration only.

use std::collections::BTreeMap;

use async_trait::async_trait;
use samspil_auth::sealing::SealingKey;
use samspil_citizen::SystemKind;
use samspil_citizen::common::{Operation, Violation, Virkning, cpr};
use samspil_citizen::debt::{self, CLAIM_TYPES, ClaimRecord, ClaimTypeState, Oere};
use samspil_citizen::system::may_deliver;
use samspil_citizen_storage::{
    ClaimBatch, ClaimSearch, ClaimSummary, ClaimView, ClaimsOfType, DebtStore, DeliveryOutcome,
    Reader, SystemId, VendorSystem,
};
use samspil_storage::now;

use super::cases::{Judged, OpenBatch, Verdict, record_digest};

fn refusal(pointer: &str, rule: &str, section: &str, message: &str) -> Violation {
    Violation {
        pointer: pointer.to_owned(),
        rule: rule.to_owned(),
        section: section.to_owned(),
        message: message.to_owned(),
        fatal: true,
    }
}

/// Where a claim's new registration goes.
struct Target {
    claim_id: i64,
    /// The registration's digest (its identity with its time).
    hash: String,
    /// No later registration of the claim: this one is the present.
    newest: bool,
}

/// What one claim came to, and what to write if the batch is written.
enum Decision {
    Write {
        target: Target,
        violations: Vec<Violation>,
    },
    Unchanged,
    Refused(Vec<Violation>),
}

#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: i64,
    system_id: i64,
    municipality_code: i32,
}

/// Decides one claim inside the batch's transaction.
async fn decide(
    conn: &mut Connection,
    key: &SealingKey,
    system: &VendorSystem,
    operation: Operation,
    record: &ClaimRecord,
) -> Result<Decision> {
    if let Err(refused) = may_deliver(
        system.disabled_at.is_some(),
        system.kind,
        &system.grants(),
        SystemKind::Debt,
        record.kommune,
        now().date(),
    ) {
        return Ok(Decision::Refused(vec![refusal(
            "/kommune",
            refused.code(),
            "the system's registration",
            &refused.to_string(),
        )]));
    }
    let hash = record_digest(key, record);
    let existing: Option<ClaimRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, system_id, municipality_code FROM claims WHERE uuid = $1{}",
        for_update!()
    )))
    .bind(record.uuid.trim())
    .fetch_optional(&mut *conn)
    .await?;
    const SECTION_ID: &str = "Fordring 01 ID";
    let claim_id = match (operation, existing) {
        (_, Some(row))
            if row.system_id != system.id.0
                || stored_code(row.municipality_code)? != record.kommune =>
        {
            // As if it did not exist: a system learns nothing of others'.
            return Ok(Decision::Refused(vec![refusal(
                "/uuid",
                "not_this_systems_claim",
                SECTION_ID,
                "the UUID is taken by a claim this system does not deliver",
            )]));
        }
        (_, Some(row)) => {
            let same: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM claim_registrations WHERE claim_id = $1 AND registered_at = $2 \
                 AND record_hash = $3",
            )
            .bind(row.id)
            .bind(stored_instant(record.registreret))
            .bind(&hash)
            .fetch_optional(&mut *conn)
            .await?;
            if same.is_some() {
                return Ok(Decision::Unchanged);
            }
            if operation == Operation::Import {
                return Ok(Decision::Refused(vec![refusal(
                    "/uuid",
                    "claim_exists",
                    SECTION_ID,
                    "the claim is imported already; send an update",
                )]));
            }
            let first: Option<OffsetDateTime> = sqlx::query_scalar(
                "SELECT MIN(registered_at) FROM claim_registrations WHERE claim_id = $1",
            )
            .bind(row.id)
            .fetch_one(&mut *conn)
            .await?;
            if first.is_some_and(|first| record.registreret < first) {
                return Ok(Decision::Refused(vec![refusal(
                    "/registreret",
                    "before_import",
                    SECTION_ID,
                    "the update is registered before the claim's import",
                )]));
            }
            row.id
        }
        (Operation::Update, None) => {
            return Ok(Decision::Refused(vec![refusal(
                "/uuid",
                "unknown_claim",
                SECTION_ID,
                "there is no such claim of this system's to update; import it first",
            )]));
        }
        (Operation::Import, None) => {
            let violations = debt::check(record);
            if violations.iter().any(|v| v.fatal) {
                return Ok(Decision::Refused(violations));
            }
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO claims (uuid, system_id, municipality_code, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (uuid) DO NOTHING RETURNING id",
            )
            .bind(record.uuid.trim())
            .bind(system.id.0)
            .bind(i32::from(record.kommune))
            .bind(now())
            .fetch_optional(&mut *conn)
            .await?;
            match id {
                Some(id) => id,
                // Imported at this moment by another delivery.
                None => {
                    return Ok(Decision::Refused(vec![refusal(
                        "/uuid",
                        "claim_exists",
                        SECTION_ID,
                        "the claim is imported already; send an update",
                    )]));
                }
            }
        }
    };
    let violations = debt::check(record);
    if violations
        .iter()
        .any(|v| v.fatal || system.mode == samspil_citizen::SystemMode::Strict)
    {
        return Ok(Decision::Refused(violations));
    }
    let later: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM claim_registrations WHERE claim_id = $1 AND registered_at > $2 LIMIT 1",
    )
    .bind(claim_id)
    .bind(stored_instant(record.registreret))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(Decision::Write {
        target: Target {
            claim_id,
            hash,
            newest: later.is_none(),
        },
        violations,
    })
}

/// The debtor's CPR number: its keyed digest (for look-up) and the
/// reference sealed, never the number.
fn debtor_digest(key: &SealingKey, reference: &str) -> Option<String> {
    cpr(reference).map(|digits| key.lookup_digest(digits))
}

/// Writes one registration of a claim; the present one (`newest`) also
/// becomes what the claim is looked up by.
async fn write_registration(
    conn: &mut Connection,
    key: &SealingKey,
    target: &Target,
    delivery_id: i64,
    operation: Operation,
    record: &ClaimRecord,
) -> Result<()> {
    let digest = debtor_digest(key, &record.debitor)
        .ok_or_else(|| StorageError::Corrupt("a claim without a debtor".into()))?;
    let oere = |amount: Oere| amount.whole().unwrap_or_default();
    let registration_id: i64 = sqlx::query_scalar(
        "INSERT INTO claim_registrations (claim_id, delivery_id, operation, registered_at, \
         received_at, record_hash, claim_type, debtor_digest, debtor_sealed, original_amount, \
         balance, due_date, status, debtor_system, valid_from, valid_to) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
         RETURNING id",
    )
    .bind(target.claim_id)
    .bind(delivery_id)
    .bind(operation.as_str())
    .bind(stored_instant(record.registreret))
    .bind(now())
    .bind(&target.hash)
    .bind(record.fordringstype.trim())
    .bind(&digest)
    .bind(key.seal(record.debitor.trim()))
    .bind(oere(record.oprindeligt_beloeb))
    .bind(oere(record.restbeloeb))
    .bind(record.forfaldsdato)
    .bind(record.status.trim())
    .bind(record.debitorsystem.trim())
    .bind(stored_instant(record.virkning.fra))
    .bind(record.virkning.til.map(stored_instant))
    .fetch_one(&mut *conn)
    .await?;
    if target.newest {
        sqlx::query(
            "UPDATE claims SET present_registration_id = $2, debtor_digest = $3, \
             claim_type = $4 WHERE id = $1",
        )
        .bind(target.claim_id)
        .bind(registration_id)
        .bind(&digest)
        .bind(record.fordringstype.trim())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A registration as read back, with its claim's identity.
#[derive(sqlx::FromRow)]
struct RegistrationRow {
    claim_id: i64,
    uuid: String,
    municipality_code: i32,
    system_name: String,
    registered_at: OffsetDateTime,
    received_at: OffsetDateTime,
    claim_type: String,
    debtor_sealed: String,
    original_amount: i64,
    balance: i64,
    due_date: time::Date,
    status: String,
    debtor_system: String,
    valid_from: OffsetDateTime,
    valid_to: Option<OffsetDateTime>,
}

const REGISTRATION_SELECT: &str = "SELECT c.id AS claim_id, c.uuid, c.municipality_code, \
     s.name AS system_name, r.registered_at, r.received_at, r.claim_type, r.debtor_sealed, \
     r.original_amount, r.balance, r.due_date, r.status, r.debtor_system, r.valid_from, \
     r.valid_to FROM claims c JOIN claim_registrations r ON r.claim_id = c.id \
     JOIN vendor_systems s ON s.id = c.system_id";

fn view(key: &SealingKey, row: RegistrationRow) -> Result<ClaimView> {
    let kommune = stored_code(row.municipality_code)?;
    let debitor = key.open(&row.debtor_sealed).ok_or_else(|| {
        StorageError::Corrupt("a debtor that does not open under the configured key".into())
    })?;
    Ok(ClaimView {
        uuid: row.uuid.clone(),
        kommune,
        registreret: row.registered_at,
        modtaget: row.received_at,
        system: row.system_name,
        record: ClaimRecord {
            uuid: row.uuid,
            kommune,
            registreret: row.registered_at,
            fordringstype: row.claim_type,
            debitor,
            oprindeligt_beloeb: Oere::Whole(row.original_amount),
            restbeloeb: Oere::Whole(row.balance),
            forfaldsdato: row.due_date,
            status: row.status,
            debitorsystem: row.debtor_system,
            virkning: Virkning {
                fra: row.valid_from,
                til: row.valid_to,
            },
        },
    })
}

/// A read of a citizen's claim, logged on the read's connection.
async fn log_read(
    conn: &mut Connection,
    reader: &Reader,
    system: Option<SystemId>,
    claim_id: Option<i64>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO citizen_access_log (at, reader, system_id, claim_id, purpose) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now())
    .bind(&reader.label)
    .bind(system.map(|s| s.0))
    .bind(claim_id)
    .bind(&reader.purpose)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The present registration of each claim whose debtor has this CPR
/// number (ten digits, or `urn:oio:cpr-nr:…`), of one municipality or all.
async fn citizen_claims(
    conn: &mut Connection,
    key: &SealingKey,
    cpr_number: &str,
    municipality: Option<u16>,
) -> Result<Vec<(i64, ClaimView)>> {
    let digits = cpr(cpr_number).unwrap_or(cpr_number.trim());
    let rows: Vec<RegistrationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{REGISTRATION_SELECT} WHERE r.id = c.present_registration_id AND c.debtor_digest = $1 \
         AND ($2 IS NULL OR c.municipality_code = $2) ORDER BY r.due_date, c.id"
    )))
    .bind(key.lookup_digest(digits))
    .bind(municipality.map(i32::from))
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| Ok((row.claim_id, view(key, row)?)))
        .collect()
}

/// Each claim type's history of changes in a municipality, oldest first.
pub(super) async fn claim_type_histories(
    conn: &mut Connection,
    municipality: u16,
) -> Result<BTreeMap<String, Vec<(ClaimTypeState, time::Date)>>> {
    let rows: Vec<(String, String, time::Date)> = sqlx::query_as(
        "SELECT claim_type, state, effective_from FROM claim_type_changes \
         WHERE municipality_code = $1 ORDER BY id",
    )
    .bind(i32::from(municipality))
    .fetch_all(&mut *conn)
    .await?;
    let mut histories: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for (claim_type, state, from) in rows {
        let state = ClaimTypeState::parse(&state)
            .ok_or_else(|| StorageError::Corrupt(format!("claim type state {state}")))?;
        histories.entry(claim_type).or_default().push((state, from));
    }
    Ok(histories)
}

/// Deletes claims physically with every registration, on `conn`: the
/// number of claims and of registrations.
async fn delete_claims(conn: &mut Connection, claim_ids: &[i64]) -> Result<(u64, u64)> {
    let (mut claims, mut registrations) = (0, 0);
    for claim_id in claim_ids {
        registrations += sqlx::query("DELETE FROM claim_registrations WHERE claim_id = $1")
            .bind(claim_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        claims += sqlx::query("DELETE FROM claims WHERE id = $1")
            .bind(claim_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok((claims, registrations))
}

/// Removal on system change: the system's claims for the municipality,
/// in the caller's transaction.
pub(super) async fn delete_system_claims(
    conn: &mut Connection,
    system: SystemId,
    municipality: u16,
) -> Result<(u64, u64)> {
    let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM claims WHERE system_id = $1 AND municipality_code = $2 ORDER BY id{}",
        for_update!()
    )))
    .bind(system.0)
    .bind(i32::from(municipality))
    .fetch_all(&mut *conn)
    .await?;
    delete_claims(conn, &ids).await
}

/// The system's own claims by these UUIDs, in the caller's transaction:
/// the counts, and the UUIDs that are no claim of the system's.
pub(super) async fn delete_claims_by_uuid(
    conn: &mut Connection,
    system: SystemId,
    uuids: &[String],
) -> Result<(u64, u64, Vec<String>)> {
    let mut ids = Vec::new();
    let mut unknown = Vec::new();
    for uuid in uuids {
        let id: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM claims WHERE uuid = $1 AND system_id = $2{}",
            for_update!()
        )))
        .bind(uuid.trim())
        .bind(system.0)
        .fetch_optional(&mut *conn)
        .await?;
        match id {
            Some(id) => ids.push(id),
            None => unknown.push(uuid.clone()),
        }
    }
    let (claims, registrations) = delete_claims(conn, &ids).await?;
    Ok((claims, registrations, unknown))
}

#[async_trait]
impl DebtStore for Store {
    async fn deliver_claims(
        &self,
        system: &VendorSystem,
        batch: &ClaimBatch,
    ) -> Result<DeliveryOutcome> {
        let municipalities = batch.records.iter().map(|r| r.kommune).collect();
        let open = OpenBatch::open(
            &self.pool,
            &self.key,
            system.id,
            batch.operation,
            batch.idempotency_key.as_deref(),
            &batch.records,
            municipalities,
        )
        .await?;
        let mut open = match open {
            Ok(open) => open,
            Err(answer) => return Ok(answer),
        };
        let mut decisions = Vec::with_capacity(batch.records.len());
        for record in &batch.records {
            let decision = decide(
                &mut open.tx,
                &self.key,
                &open.system,
                batch.operation,
                record,
            );
            decisions.push(decision.await?);
        }
        let verdicts = batch
            .records
            .iter()
            .zip(&decisions)
            .map(|(record, decision)| {
                let verdict = match decision {
                    Decision::Refused(violations) => Verdict::Refused(violations),
                    Decision::Unchanged => Verdict::Unchanged,
                    Decision::Write { violations, .. } => Verdict::Write(violations),
                };
                (record.uuid.clone(), record.kommune, verdict)
            });
        let (mut open, outcome) = match open.judge(verdicts).await? {
            Judged::Refused(answer) => return Ok(answer),
            Judged::Write(open, outcome) => (open, outcome),
        };
        for (record, decision) in batch.records.iter().zip(decisions) {
            if let Decision::Write { target, .. } = decision {
                let (delivery_id, operation) = (open.delivery_id, batch.operation);
                write_registration(
                    &mut open.tx,
                    &self.key,
                    &target,
                    delivery_id,
                    operation,
                    record,
                )
                .await?;
            }
        }
        open.commit(outcome).await
    }

    async fn claim_as_of(
        &self,
        system: SystemId,
        uuid: &str,
        registered_at: Option<OffsetDateTime>,
    ) -> Result<Option<ClaimView>> {
        let at = registered_at.unwrap_or(time::macros::datetime!(9999-12-31 0:00 UTC));
        let mut tx = begin_write(&self.pool).await?;
        let row: Option<RegistrationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{REGISTRATION_SELECT} WHERE c.uuid = $1 AND c.system_id = $2 AND r.registered_at <= $3 \
             ORDER BY r.registered_at DESC, r.id DESC LIMIT 1"
        )))
        .bind(uuid.trim())
        .bind(system.0)
        .bind(stored_instant(at))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let reader = Reader {
            label: format!("system:{}", system.0),
            purpose: "the system reads its own delivery".into(),
        };
        log_read(&mut tx, &reader, Some(system), Some(row.claim_id)).await?;
        let view = view(&self.key, row)?;
        tx.commit().await?;
        Ok(Some(view))
    }

    async fn search_claims(
        &self,
        system: SystemId,
        search: &ClaimSearch,
    ) -> Result<Vec<ClaimSummary>> {
        let digest = search
            .debitor
            .as_deref()
            .map(|d| debtor_digest(&self.key, d).unwrap_or_default());
        #[derive(sqlx::FromRow)]
        struct Found {
            id: i64,
            uuid: String,
            municipality_code: i32,
            claim_type: Option<String>,
            registered: OffsetDateTime,
        }
        let mut tx = begin_write(&self.pool).await?;
        let found: Vec<Found> = sqlx::query_as(
            "SELECT c.id, c.uuid, c.municipality_code, c.claim_type, r.registered_at AS registered \
             FROM claims c JOIN claim_registrations r ON r.id = c.present_registration_id \
             WHERE c.system_id = $1 AND ($2 IS NULL OR c.municipality_code = $2) \
             AND ($3 IS NULL OR c.claim_type = $3) AND ($4 IS NULL OR c.debtor_digest = $4) \
             ORDER BY c.id DESC LIMIT $5",
        )
        .bind(system.0)
        .bind(search.kommune.map(i32::from))
        .bind(search.fordringstype.as_deref().map(str::trim))
        .bind(digest)
        .bind(search.limit.clamp(1, 1000))
        .fetch_all(&mut *tx)
        .await?;
        let reader = Reader {
            label: format!("system:{}", system.0),
            purpose: "the system searches its own deliveries".into(),
        };
        let mut out = Vec::with_capacity(found.len());
        for claim in found {
            log_read(&mut tx, &reader, Some(system), Some(claim.id)).await?;
            out.push(ClaimSummary {
                uuid: claim.uuid,
                kommune: stored_code(claim.municipality_code)?,
                fordringstype: claim.claim_type.unwrap_or_default(),
                registreret: claim.registered,
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn count_claims(&self, system: SystemId, municipality: u16) -> Result<u64> {
        let count: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM claims WHERE system_id = $1 AND municipality_code = $2",
        )
        .bind(system.0)
        .bind(i32::from(municipality))
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    async fn claims_visible_to_citizen(
        &self,
        cpr_number: &str,
        at: OffsetDateTime,
        reader: &Reader,
    ) -> Result<Vec<ClaimView>> {
        let mut tx = begin_write(&self.pool).await?;
        let mut histories = BTreeMap::new();
        let mut visible = Vec::new();
        for (claim_id, claim) in citizen_claims(&mut tx, &self.key, cpr_number, None).await? {
            let of_municipality = match histories.entry(claim.kommune) {
                std::collections::btree_map::Entry::Occupied(known) => known.into_mut(),
                std::collections::btree_map::Entry::Vacant(missing) => {
                    missing.insert(claim_type_histories(&mut tx, claim.kommune).await?)
                }
            };
            let state = of_municipality
                .get(&claim.record.fordringstype)
                .map_or(ClaimTypeState::Unconfigured, |history| {
                    debt::state_on(history, at.date())
                });
            if state.shown() && claim.record.virkning.holds_at(at) {
                log_read(&mut tx, reader, None, Some(claim_id)).await?;
                visible.push(claim);
            }
        }
        if visible.is_empty() {
            // The look-up itself read the citizen's data.
            log_read(&mut tx, reader, None, None).await?;
        }
        tx.commit().await?;
        Ok(visible)
    }

    async fn claims_for_verification(
        &self,
        municipality: u16,
        cpr_number: &str,
        at: OffsetDateTime,
        reader: &Reader,
    ) -> Result<Vec<ClaimsOfType>> {
        let mut tx = begin_write(&self.pool).await?;
        let histories = claim_type_histories(&mut tx, municipality).await?;
        let claims = citizen_claims(&mut tx, &self.key, cpr_number, Some(municipality)).await?;
        let mut out = Vec::with_capacity(CLAIM_TYPES.len());
        for claim_type in CLAIM_TYPES {
            let state = histories
                .get(claim_type)
                .map_or(ClaimTypeState::Unconfigured, |history| {
                    debt::state_on(history, at.date())
                });
            let mut of_type = Vec::new();
            for (claim_id, claim) in &claims {
                if claim.record.fordringstype == claim_type && claim.record.virkning.holds_at(at) {
                    log_read(&mut tx, reader, None, Some(*claim_id)).await?;
                    of_type.push(claim.clone());
                }
            }
            out.push(ClaimsOfType {
                claim_type: claim_type.to_owned(),
                state,
                claims: of_type,
            });
        }
        if claims.is_empty() {
            log_read(&mut tx, reader, None, None).await?;
        }
        tx.commit().await?;
        Ok(out)
    }
}
