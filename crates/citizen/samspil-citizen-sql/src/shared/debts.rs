// Claims (`DebtStore`): the ingest of debtor systems' batches, the
// bitemporal read-back, a system's search of its own claims, the
// citizen's read by the claim-type rule, and the deletions that the
// removal of cases (`cases.rs`) calls in its own transaction. Included by
// `shared.rs` as the module `debts`.
//
// A batch goes exactly as a batch of cases (`cases.rs`, whose helpers
// this uses): one transaction that first claims its line of the one
// delivery log, then locks or creates each claim (`locate`), checks it
// with the rules crate's pure `debt::check`, and writes a new whole
// registration, never over an old one; a refused record refuses the
// batch. A claim's registration is one row (a claim has no periods or
// relations of its own); its look-up columns follow its present
// registration only.

use std::collections::BTreeMap;

use async_trait::async_trait;
use samspil_auth::sealing::SealingKey;
use samspil_citizen::SystemKind;
use samspil_citizen::common::{Operation, Virkning};
use samspil_citizen::debt::{self, CLAIM_TYPES, ClaimRecord, ClaimTypeState, Oere};
use samspil_citizen_storage::{
    BatchStatus, ClaimBatch, ClaimSearch, ClaimSummary, ClaimView, ClaimsOfType, DebtStore,
    DeliveryOutcome, Reader, RemovalReport, SystemId, VendorSystem,
};
use samspil_storage::now;

use super::cases::{
    Claim, Decision, Located, Tables, audit_own_removal, batch_outcome, count_owned, cpr_digest,
    finish_written, later_registration, locate, log_read, owned_ids, party_lookup, record_digest,
    refuses, sender_of, typed_cpr_digest,
};

/// Claims and their registrations. They have no user-facing numbers.
const CLAIMS: Tables = Tables {
    objects: "claims",
    registrations: "claim_registrations",
    owner: "claim_id",
    numbers: "",
    number: "",
    noun: "claim",
    id_section: "Fordring 01 ID",
    registration_section: "Registrering, Tidspunkt",
    type_column: None,
};

/// Decides one claim inside the batch's transaction.
async fn decide(
    conn: &mut Connection,
    key: &SealingKey,
    system: &VendorSystem,
    operation: Operation,
    record: &ClaimRecord,
) -> Result<Decision<()>> {
    if let Err(refused) = sender_of(system, SystemKind::Debt, record.kommune)? {
        return Ok(Decision::Refused(refused));
    }
    let hash = record_digest(key, record);
    let claim_id = match locate(
        conn,
        &CLAIMS,
        system,
        operation,
        (&record.uuid, None),
        record.kommune,
        record.registreret,
        &hash,
    )
    .await?
    {
        Located::Settled(None) => return Ok(Decision::Unchanged),
        Located::Settled(Some(refused)) => return Ok(Decision::Refused(refused)),
        // A claim's registration is whole: an update builds on nothing.
        Located::At { id, .. } => id,
    };
    let violations = debt::check(record);
    if refuses(system, &violations) {
        return Ok(Decision::Refused(violations));
    }
    let newest = !later_registration(conn, &CLAIMS, claim_id, record.registreret).await?;
    Ok(Decision::Write {
        object_id: claim_id,
        stored: (),
        hash,
        newest,
        violations,
    })
}

/// Writes one registration of a claim; the present one (`newest`) also
/// becomes what the claim is looked up by.
async fn write_registration(
    conn: &mut Connection,
    key: &SealingKey,
    (claim_id, hash, newest): (i64, &str, bool),
    delivery_id: i64,
    operation: Operation,
    record: &ClaimRecord,
) -> Result<()> {
    // The debtor's keyed digest (for look-up) and the reference sealed,
    // never the number.
    let digest = cpr_digest(key, &record.debitor)
        .ok_or_else(|| StorageError::Corrupt("a claim without a debtor".into()))?;
    let oere = |amount: Oere| amount.whole().unwrap_or_default();
    let registration_id: i64 = sqlx::query_scalar(
        "INSERT INTO claim_registrations (claim_id, delivery_id, operation, registered_at, \
         received_at, record_hash, claim_type, debtor_digest, debtor_sealed, original_amount, \
         balance, due_date, status, debtor_system, valid_from, valid_to) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
         RETURNING id",
    )
    .bind(claim_id)
    .bind(delivery_id)
    .bind(operation.as_str())
    .bind(stored_instant(record.registreret))
    .bind(now())
    .bind(hash)
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
    if newest {
        sqlx::query(
            "UPDATE claims SET present_registration_id = $2, debtor_digest = $3, \
             claim_type = $4 WHERE id = $1",
        )
        .bind(claim_id)
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

/// A person's read of a citizen's claims (the citizen's own, or the
/// municipality's verification), logged on the read's connection: the
/// claim read, or none when the look-up found nothing to show.
async fn log_citizen_read(
    conn: &mut Connection,
    reader: &Reader,
    claim_id: Option<i64>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO citizen_access_log (at, reader, claim_id, purpose) VALUES ($1, $2, $3, $4)",
    )
    .bind(now())
    .bind(&reader.label)
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
    let rows: Vec<RegistrationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{REGISTRATION_SELECT} WHERE r.id = c.present_registration_id AND c.debtor_digest = $1 \
         AND ($2 IS NULL OR c.municipality_code = $2) ORDER BY r.due_date, c.id"
    )))
    .bind(typed_cpr_digest(key, cpr_number))
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

/// Deletes claims physically with every registration, on `conn`,
/// counting into `report`.
async fn delete_claims(
    conn: &mut Connection,
    claim_ids: &[i64],
    report: &mut RemovalReport,
) -> Result<()> {
    for claim_id in claim_ids {
        report.registrations += sqlx::query("DELETE FROM claim_registrations WHERE claim_id = $1")
            .bind(claim_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        report.claims += sqlx::query("DELETE FROM claims WHERE id = $1")
            .bind(claim_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(())
}

/// Removal on system change, the claims' part: every claim of the
/// system's for the municipality, in the caller's transaction (the cases'
/// `remove_system_cases`, which has locked the system).
pub(super) async fn delete_system_claims(
    conn: &mut Connection,
    system: SystemId,
    municipality: u16,
    report: &mut RemovalReport,
) -> Result<()> {
    let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM claims WHERE system_id = $1 AND municipality_code = $2 ORDER BY id{}",
        for_update!()
    )))
    .bind(system.0)
    .bind(i32::from(municipality))
    .fetch_all(&mut *conn)
    .await?;
    delete_claims(conn, &ids, report).await
}

#[async_trait]
impl DebtStore for Store {
    async fn deliver_claims(
        &self,
        system: &VendorSystem,
        batch: &ClaimBatch,
    ) -> Result<DeliveryOutcome> {
        let claim = Claim::new(
            &self.key,
            system.id,
            "claim",
            batch.operation,
            batch.idempotency_key.as_deref(),
            &batch.records,
            batch.records.iter().map(|r| r.kommune),
        );
        let (mut tx, delivery_id) = match claim.begin(&self.pool).await? {
            Ok(begun) => begun,
            Err(answer) => return Ok(answer),
        };
        let system = super::systems::fetch_system(&mut tx, system.id, false).await?;
        let mut decisions = Vec::with_capacity(batch.records.len());
        for record in &batch.records {
            decisions.push(decide(&mut tx, &self.key, &system, batch.operation, record).await?);
        }
        let (status, records) = batch_outcome(
            batch
                .records
                .iter()
                .zip(&decisions)
                .map(|(record, d)| (record.uuid.clone(), record.kommune, d.verdict())),
        );
        if status == BatchStatus::Refused {
            return claim.log_refusal(&self.pool, tx, records).await;
        }
        for (record, decision) in batch.records.iter().zip(decisions) {
            if let Decision::Write {
                object_id,
                hash,
                newest,
                ..
            } = decision
            {
                write_registration(
                    &mut tx,
                    &self.key,
                    (object_id, &hash, newest),
                    delivery_id,
                    batch.operation,
                    record,
                )
                .await?;
            }
        }
        finish_written(tx, delivery_id, status, records).await
    }

    async fn remove_claims(
        &self,
        system: SystemId,
        uuids: &[String],
    ) -> Result<(RemovalReport, Vec<String>)> {
        let mut tx = begin_write(&self.pool).await?;
        let (claim_ids, unknown) = owned_ids(&mut tx, &CLAIMS, system, uuids).await?;
        let mut report = RemovalReport::default();
        delete_claims(&mut tx, &claim_ids, &mut report).await?;
        audit_own_removal(&mut tx, system, "claims.remove", &report).await?;
        tx.commit().await?;
        Ok((report, unknown))
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
        log_read(
            &mut tx,
            system,
            "claim_id",
            row.claim_id,
            "the system reads its own delivery",
        )
        .await?;
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
            .map(|debtor| party_lookup(&self.key, debtor));
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
        let mut out = Vec::with_capacity(found.len());
        for claim in found {
            log_read(
                &mut tx,
                system,
                "claim_id",
                claim.id,
                "the system searches its own deliveries",
            )
            .await?;
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
        count_owned(&self.pool, &CLAIMS, system, municipality).await
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
                log_citizen_read(&mut tx, reader, Some(claim_id)).await?;
                visible.push(claim);
            }
        }
        if visible.is_empty() {
            // The look-up itself read the citizen's data.
            log_citizen_read(&mut tx, reader, None).await?;
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
                    log_citizen_read(&mut tx, reader, Some(*claim_id)).await?;
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
            log_citizen_read(&mut tx, reader, None).await?;
        }
        tx.commit().await?;
        Ok(out)
    }
}
