// Cases (`CaseStore`): the ingest both doors call, the bitemporal
// read-back, a system's search of its own cases, the delivery log.
// Included by `shared.rs` as the module `cases`.
//
// A batch is one transaction. It first claims its line of the delivery
// log (`INSERT … ON CONFLICT DO NOTHING` on the system's batch key), so
// that the same batch twice, even at once, is processed once: the second
// waits for the first (PostgreSQL's unique index, SQLite's single writer)
// and answers what the first answered. Each record then locks its case
// (`for_update!()`) or creates it (`ON CONFLICT (uuid) DO NOTHING`, so two
// imports of one case cannot both win), is checked by the rules crate's
// pure `case::check` against the registration before it, and is written
// as a new registration: a whole snapshot (the groups an update leaves
// out carry over), never over an old one. A refused record refuses the
// batch: the transaction is rolled back and the refusal logged in one of
// its own.

use async_trait::async_trait;
use samspil_auth::sealing::SealingKey;
use samspil_citizen::SystemKind;
use samspil_citizen::case::{
    self, CaseRecord, Egenskaber, Fremdrift, Indeks, Operation, Previous, Relation, Violation,
    Virkning,
};
use samspil_citizen::system::{ItSystemUuid, may_deliver};
use samspil_citizen_storage::{
    BatchStatus, CaseBatch, CaseSearch, CaseStore, CaseSummary, CaseView, DeliveryLogEntry,
    DeliveryOutcome, RecordOutcome, RecordStatus, RemovalReport, SystemId, VendorSystem,
};
use samspil_storage::now;

/// The roles whose reference may be a person's CPR number.
fn is_party(role: &str) -> bool {
    role == "primaer_part" || role == "sekundaer_part"
}

/// The keyed digest of a record (its registration's identity), of a
/// batch's records, of a CPR number: never a plain hash of a body that
/// holds a CPR number, which the ten digits' few possibilities would
/// give away.
pub(super) fn record_digest(key: &SealingKey, record: &impl serde::Serialize) -> String {
    key.lookup_digest(&serde_json::to_string(record).unwrap_or_default())
}

/// What names a batch in the delivery log: the system's idempotency key,
/// or without one the batch's digest.
fn batch_key(idempotency_key: Option<&str>, content_hash: &str) -> String {
    match idempotency_key {
        Some(key) => format!("key:{key}"),
        None => format!("content:{content_hash}"),
    }
}

/// A batch's digest (of any kind of record): its operation and its
/// records' digests.
fn batch_digest(
    key: &SealingKey,
    operation: Operation,
    records: &[impl serde::Serialize],
) -> String {
    let digests: Vec<String> = records.iter().map(|r| record_digest(key, r)).collect();
    key.lookup_digest(&format!("{}:{}", operation.as_str(), digests.join(",")))
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    id: i64,
    system_id: i64,
    municipality_code: i32,
}

#[derive(sqlx::FromRow)]
struct RegistrationRow {
    id: i64,
    registered_at: OffsetDateTime,
    received_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct PeriodRow {
    group_name: String,
    value_json: String,
}

#[derive(sqlx::FromRow)]
struct RelationRow {
    role: String,
    reference: Option<String>,
    party_sealed: Option<String>,
    valid_from: OffsetDateTime,
    valid_to: Option<OffsetDateTime>,
}

/// The registration of a case in force at `at` (the latest at or before
/// it).
async fn registration_at(
    conn: &mut Connection,
    case_id: i64,
    at: OffsetDateTime,
) -> Result<Option<RegistrationRow>> {
    Ok(sqlx::query_as(
        "SELECT id, registered_at, received_at FROM case_registrations \
         WHERE case_id = $1 AND registered_at <= $2 ORDER BY registered_at DESC, id DESC LIMIT 1",
    )
    .bind(case_id)
    .bind(stored_instant(at))
    .fetch_optional(&mut *conn)
    .await?)
}

/// A registration read back as a record, with only the periods valid at
/// `valid_at` (all when `None`); sealed parties opened.
async fn read_registration(
    conn: &mut Connection,
    key: &SealingKey,
    uuid: &str,
    kommune: u16,
    registration: &RegistrationRow,
    valid_at: Option<OffsetDateTime>,
) -> Result<CaseRecord> {
    let holds = |from: OffsetDateTime, to: Option<OffsetDateTime>| {
        valid_at.is_none_or(|at| Virkning { fra: from, til: to }.holds_at(at))
    };
    let periods: Vec<PeriodRow> = sqlx::query_as(
        "SELECT group_name, value_json FROM case_periods WHERE registration_id = $1 \
         ORDER BY group_name, position",
    )
    .bind(registration.id)
    .fetch_all(&mut *conn)
    .await?;
    let mut record = CaseRecord {
        uuid: uuid.to_owned(),
        kommune,
        registreret: registration.registered_at,
        egenskaber: Some(Vec::new()),
        fremdrift: Some(Vec::new()),
        indeks: Some(Vec::new()),
        relationer: Some(Vec::new()),
    };
    let corrupt = |e: serde_json::Error| StorageError::Corrupt(format!("case period: {e}"));
    for period in periods {
        match period.group_name.as_str() {
            "egenskaber" => {
                let value: Egenskaber =
                    serde_json::from_str(&period.value_json).map_err(corrupt)?;
                if holds(value.virkning.fra, value.virkning.til) {
                    record.egenskaber.get_or_insert_default().push(value);
                }
            }
            "fremdrift" => {
                let value: Fremdrift = serde_json::from_str(&period.value_json).map_err(corrupt)?;
                if holds(value.virkning.fra, value.virkning.til) {
                    record.fremdrift.get_or_insert_default().push(value);
                }
            }
            "indeks" => {
                let value: Indeks = serde_json::from_str(&period.value_json).map_err(corrupt)?;
                if holds(value.virkning.fra, value.virkning.til) {
                    record.indeks.get_or_insert_default().push(value);
                }
            }
            other => return Err(StorageError::Corrupt(format!("case group {other}"))),
        }
    }
    let relations: Vec<RelationRow> = sqlx::query_as(
        "SELECT role, reference, party_sealed, valid_from, valid_to FROM case_relations \
         WHERE registration_id = $1 ORDER BY position",
    )
    .bind(registration.id)
    .fetch_all(&mut *conn)
    .await?;
    for relation in relations {
        if !holds(relation.valid_from, relation.valid_to) {
            continue;
        }
        let reference = match (relation.reference, relation.party_sealed) {
            (Some(reference), _) => reference,
            (None, Some(sealed)) => key.open(&sealed).ok_or_else(|| {
                StorageError::Corrupt("a party that does not open under the configured key".into())
            })?,
            (None, None) => {
                return Err(StorageError::Corrupt("a relation without reference".into()));
            }
        };
        record.relationer.get_or_insert_default().push(Relation {
            rolle: relation.role,
            reference,
            virkning: Virkning {
                fra: relation.valid_from,
                til: relation.valid_to,
            },
        });
    }
    Ok(record)
}

/// Writes one registration (a whole snapshot) of a case.
async fn write_registration(
    conn: &mut Connection,
    key: &SealingKey,
    case_id: i64,
    delivery_id: i64,
    operation: Operation,
    record: &CaseRecord,
    record_hash: &str,
) -> Result<()> {
    let registration_id: i64 = sqlx::query_scalar(
        "INSERT INTO case_registrations (case_id, delivery_id, operation, registered_at, \
         received_at, record_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(case_id)
    .bind(delivery_id)
    .bind(operation.as_str())
    .bind(stored_instant(record.registreret))
    .bind(now())
    .bind(record_hash)
    .fetch_one(&mut *conn)
    .await?;
    let mut periods: Vec<(&str, Virkning, String)> = Vec::new();
    let json = |value: &dyn erased::Json| value.json();
    for p in record.egenskaber.iter().flatten() {
        periods.push(("egenskaber", p.virkning, json(p)));
    }
    for p in record.fremdrift.iter().flatten() {
        periods.push(("fremdrift", p.virkning, json(p)));
    }
    for p in record.indeks.iter().flatten() {
        periods.push(("indeks", p.virkning, json(p)));
    }
    for (position, (group, virkning, value)) in periods.iter().enumerate() {
        sqlx::query(
            "INSERT INTO case_periods (registration_id, group_name, position, valid_from, \
             valid_to, value_json) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(registration_id)
        .bind(*group)
        .bind(i32::try_from(position).unwrap_or(i32::MAX))
        .bind(stored_instant(virkning.fra))
        .bind(virkning.til.map(stored_instant))
        .bind(value)
        .execute(&mut *conn)
        .await?;
    }
    for (position, relation) in record.relationer.iter().flatten().enumerate() {
        // A person's CPR number: its keyed digest and the value sealed,
        // never the number.
        let (reference, digest, sealed) = match case::cpr(&relation.reference) {
            Some(cpr) if is_party(&relation.rolle) => (
                None,
                Some(key.lookup_digest(cpr)),
                Some(key.seal(relation.reference.trim())),
            ),
            _ => (Some(relation.reference.trim().to_owned()), None, None),
        };
        sqlx::query(
            "INSERT INTO case_relations (registration_id, position, role, reference, \
             party_digest, party_sealed, valid_from, valid_to) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(registration_id)
        .bind(i32::try_from(position).unwrap_or(i32::MAX))
        .bind(&relation.rolle)
        .bind(reference)
        .bind(digest)
        .bind(sealed)
        .bind(stored_instant(relation.virkning.fra))
        .bind(relation.virkning.til.map(stored_instant))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Serialising a period for its row, whatever its group.
mod erased {
    pub trait Json {
        fn json(&self) -> String;
    }

    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}

/// The record to store for an update: the groups it leaves out carried
/// over from the registration it follows.
fn carried_over(update: &CaseRecord, base: &CaseRecord) -> CaseRecord {
    CaseRecord {
        uuid: update.uuid.clone(),
        kommune: update.kommune,
        registreret: update.registreret,
        egenskaber: update
            .egenskaber
            .clone()
            .or_else(|| base.egenskaber.clone()),
        fremdrift: update.fremdrift.clone().or_else(|| base.fremdrift.clone()),
        indeks: update.indeks.clone().or_else(|| base.indeks.clone()),
        relationer: update
            .relationer
            .clone()
            .or_else(|| base.relationer.clone()),
    }
}

fn refusal(pointer: &str, rule: &str, section: &str, message: String) -> Violation {
    Violation {
        pointer: pointer.to_owned(),
        rule: rule.to_owned(),
        section: section.to_owned(),
        message,
        fatal: true,
    }
}

/// The primary class in force is a KLE subject of the imported plan that
/// is active on the day its relation begins (when a plan is imported:
/// without one the rule cannot be decided).
async fn check_primary_class(
    conn: &mut Connection,
    record: &CaseRecord,
) -> Result<Option<Violation>> {
    let Some((index, class)) = record
        .relationer
        .iter()
        .flatten()
        .enumerate()
        .find(|(_, r)| {
            r.rolle == "primaer_klasse"
                && r.virkning.til.is_none()
                && case::kle_subject(&r.reference)
        })
    else {
        return Ok(None);
    };
    let plan: i64 = sqlx::query_scalar("SELECT count(*) FROM kle_subjects")
        .fetch_one(&mut *conn)
        .await?;
    if plan == 0 {
        return Ok(None);
    }
    #[derive(sqlx::FromRow)]
    struct Subject {
        created_on: Option<time::Date>,
        expired_on: Option<time::Date>,
    }
    let subject: Option<Subject> =
        sqlx::query_as("SELECT created_on, expired_on FROM kle_subjects WHERE number = $1")
            .bind(class.reference.trim())
            .fetch_optional(&mut *conn)
            .await?;
    let section = "08 Sagsklasse, Primær klasse [OB1]";
    let pointer = format!("/relationer/{index}/reference");
    Ok(match subject {
        None => Some(violation_of(
            pointer,
            "unknown_kle_subject",
            section,
            "the primary class is not a subject of the KLE plan",
        )),
        Some(subject) => {
            let day = class.virkning.fra.date();
            let active = samspil_citizen::kle::KleSubject {
                number: String::new(),
                title: String::new(),
                created_on: subject.created_on,
                expired_on: subject.expired_on,
                replaced_by: None,
                deletion_rule: None,
            }
            .active_on(day);
            (!active).then(|| violation_of(pointer, "kle_subject_not_active", section, "the primary class is a KLE subject that is not active on the day the class begins"))
        }
    })
}

fn violation_of(pointer: String, rule: &str, section: &str, message: &str) -> Violation {
    Violation {
        pointer,
        rule: rule.to_owned(),
        section: section.to_owned(),
        message: message.to_owned(),
        fatal: false,
    }
}

/// What one record came to, and what to write if the batch is written.
enum Decision {
    Write {
        case_id: i64,
        stored: CaseRecord,
        hash: String,
        newest: bool,
        violations: Vec<Violation>,
    },
    Unchanged,
    Refused(Vec<Violation>),
}

/// Decides one record inside the batch's transaction.
async fn decide(
    conn: &mut Connection,
    key: &SealingKey,
    system: &VendorSystem,
    batch: &CaseBatch,
    record: &CaseRecord,
) -> Result<Decision> {
    let operation = batch.operation;
    let sender = ItSystemUuid::parse("sender", &system.it_system_uuid)
        .map_err(|_| StorageError::Corrupt("a system's UUID".into()))?;
    if let Err(refused) = may_deliver(
        system.disabled_at.is_some(),
        system.kind,
        &system.grants(),
        SystemKind::Case,
        record.kommune,
        now().date(),
    ) {
        return Ok(Decision::Refused(vec![refusal(
            "/kommune",
            refused.code(),
            "the system's registration",
            refused.to_string(),
        )]));
    }
    let hash = record_digest(key, record);
    let existing: Option<CaseRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, system_id, municipality_code FROM cases WHERE uuid = $1{}",
        for_update!()
    )))
    .bind(record.uuid.trim())
    .fetch_optional(&mut *conn)
    .await?;
    let (case_id, base) = match (operation, existing) {
        (_, Some(row))
            if row.system_id != system.id.0
                || stored_code(row.municipality_code)? != record.kommune =>
        {
            // Another system's case, or another municipality's: as if it
            // did not exist (a system learns nothing of others' records).
            return Ok(Decision::Refused(vec![refusal(
                "/uuid",
                "not_this_systems_case",
                "01 Sagens ID [OB2]",
                "the UUID is taken by a case this system does not deliver".into(),
            )]));
        }
        (_, Some(row)) => {
            let same: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM case_registrations WHERE case_id = $1 AND registered_at = $2 \
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
                    "case_exists",
                    "01 Sagens ID [OB2]",
                    "the case is imported already; send an update".into(),
                )]));
            }
            let Some(base) = registration_at(conn, row.id, record.registreret).await? else {
                return Ok(Decision::Refused(vec![refusal(
                    "/registreret",
                    "before_import",
                    "02 Registreringsdata [OB1]",
                    "the update is registered before the case's import".into(),
                )]));
            };
            let base =
                read_registration(conn, key, &record.uuid, record.kommune, &base, None).await?;
            (row.id, Some(base))
        }
        (Operation::Update, None) => {
            return Ok(Decision::Refused(vec![refusal(
                "/uuid",
                "unknown_case",
                "01 Sagens ID [OB2]",
                "there is no such case of this system's to update; import it first".into(),
            )]));
        }
        (Operation::Import, None) => {
            if ItSystemUuid::parse("uuid", &record.uuid).is_err() {
                (0, None)
            } else {
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO cases (uuid, system_id, municipality_code, created_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (uuid) DO NOTHING RETURNING id",
                )
                .bind(record.uuid.trim())
                .bind(system.id.0)
                .bind(i32::from(record.kommune))
                .bind(now())
                .fetch_optional(&mut *conn)
                .await?;
                match id {
                    Some(id) => (id, None),
                    // Imported at this moment by another delivery.
                    None => {
                        return Ok(Decision::Refused(vec![refusal(
                            "/uuid",
                            "case_exists",
                            "01 Sagens ID [OB2]",
                            "the case is imported already; send an update".into(),
                        )]));
                    }
                }
            }
        }
    };
    let previous_relations = base
        .as_ref()
        .and_then(|b| b.relationer.clone())
        .unwrap_or_default();
    let previous = base.as_ref().map(|_| Previous {
        relations: &previous_relations,
    });
    let mut violations = case::check(record, operation, &sender, previous.as_ref());
    let stored = match &base {
        Some(base) => carried_over(record, base),
        None => record.clone(),
    };
    violations.extend(case::check_responsible_unit(
        record,
        batch.directory_units.get(&record.kommune),
    ));
    violations.extend(check_primary_class(conn, record).await?);
    // Is this the present registration (no later one of the case)?
    let later: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM case_registrations WHERE case_id = $1 AND registered_at > $2 LIMIT 1",
    )
    .bind(case_id)
    .bind(stored_instant(record.registreret))
    .fetch_optional(&mut *conn)
    .await?;
    let newest = later.is_none();
    if newest {
        for number in case::case_numbers(stored.egenskaber.as_deref().unwrap_or_default()) {
            let holder: Option<i64> = sqlx::query_scalar(
                "SELECT case_id FROM case_numbers WHERE municipality_code = $1 AND case_number = $2",
            )
            .bind(i32::from(record.kommune))
            .bind(&number)
            .fetch_optional(&mut *conn)
            .await?;
            if holder.is_some_and(|holder| holder != case_id) {
                violations.push(refusal(
                    "/egenskaber",
                    "case_number_taken",
                    "03 Sagsegenskaber [OB1]",
                    "another case of the municipality has this BrugervendtNoegle".into(),
                ));
            }
        }
    }
    let refused = violations
        .iter()
        .any(|v| v.fatal || system.mode == samspil_citizen::SystemMode::Strict);
    if refused {
        return Ok(Decision::Refused(violations));
    }
    Ok(Decision::Write {
        case_id,
        stored,
        hash,
        newest,
        violations,
    })
}

/// What one record of a batch came to (of any kind of record), before
/// the batch's outcome.
pub(super) enum Verdict<'a> {
    Refused(&'a [Violation]),
    Unchanged,
    /// To be written, with the violations report mode accepts.
    Write(&'a [Violation]),
}

/// Each record's outcome and the batch's: one record refused refuses
/// them all (the others are not written).
fn batch_outcome<'a>(
    verdicts: impl Iterator<Item = (String, u16, Verdict<'a>)>,
) -> (BatchStatus, Vec<RecordOutcome>) {
    let verdicts: Vec<_> = verdicts.collect();
    let refused = verdicts
        .iter()
        .any(|(_, _, v)| matches!(v, Verdict::Refused(_)));
    let records: Vec<RecordOutcome> = verdicts
        .into_iter()
        .map(|(uuid, kommune, verdict)| {
            let (status, violations) = match verdict {
                Verdict::Refused(violations) => (RecordStatus::Refused, violations.to_vec()),
                _ if refused => (RecordStatus::NotWritten, Vec::new()),
                Verdict::Unchanged => (RecordStatus::Unchanged, Vec::new()),
                Verdict::Write([]) => (RecordStatus::Accepted, Vec::new()),
                Verdict::Write(violations) => {
                    (RecordStatus::AcceptedWithWarnings, violations.to_vec())
                }
            };
            RecordOutcome {
                uuid,
                kommune,
                status,
                violations,
            }
        })
        .collect();
    let status = if refused {
        BatchStatus::Refused
    } else if records.iter().any(|r| !r.violations.is_empty()) {
        BatchStatus::AcceptedWithWarnings
    } else {
        BatchStatus::Accepted
    };
    (status, records)
}

/// A batch of any kind of record whose line of the delivery log is
/// claimed, in the transaction that writes it.
pub(super) struct OpenBatch<'a> {
    pool: &'a sqlx::Pool<Db>,
    pub(super) tx: sqlx::Transaction<'static, Db>,
    pub(super) delivery_id: i64,
    /// The system as it is now (disabled, approvals), read in the
    /// transaction.
    pub(super) system: VendorSystem,
    batch_key: String,
    content_hash: String,
    operation: Operation,
    /// The municipality of each record.
    municipalities: Vec<u16>,
}

/// A batch judged by its records' verdicts.
pub(super) enum Judged<'a> {
    /// Refused: nothing written, the refusal logged; the answer.
    Refused(DeliveryOutcome),
    /// To be written, then committed with this outcome.
    Write(Box<OpenBatch<'a>>, DeliveryOutcome),
}

impl<'a> OpenBatch<'a> {
    /// Claims the batch's line of the log for `system`; `Err(answer)` when
    /// the same batch was delivered before (the answer it got).
    pub(super) async fn open(
        pool: &'a sqlx::Pool<Db>,
        key: &SealingKey,
        system: SystemId,
        operation: Operation,
        idempotency_key: Option<&str>,
        records: &[impl serde::Serialize],
        municipalities: Vec<u16>,
    ) -> Result<std::result::Result<OpenBatch<'a>, DeliveryOutcome>> {
        let content_hash = batch_digest(key, operation, records);
        let batch_key = batch_key(idempotency_key, &content_hash);
        let mut tx = begin_write(pool).await?;
        let Some(delivery_id) = claim_delivery(
            &mut tx,
            system,
            &batch_key,
            &content_hash,
            operation,
            &municipalities,
        )
        .await?
        else {
            tx.rollback().await?;
            return Ok(Err(replay(pool, system, &batch_key, &content_hash).await?));
        };
        let system = super::systems::fetch_system(&mut tx, system, false).await?;
        Ok(Ok(OpenBatch {
            pool,
            tx,
            delivery_id,
            system,
            batch_key,
            content_hash,
            operation,
            municipalities,
        }))
    }

    /// Each record's outcome and the batch's; a refused batch is rolled
    /// back, and its refusal logged in a transaction of its own (the line
    /// is claimed again; another delivery of the same batch meanwhile is
    /// replayed).
    pub(super) async fn judge(
        self,
        verdicts: impl Iterator<Item = (String, u16, Verdict<'_>)>,
    ) -> Result<Judged<'a>> {
        let (status, records) = batch_outcome(verdicts);
        if status != BatchStatus::Refused {
            let outcome = DeliveryOutcome {
                delivery_id: self.delivery_id,
                status,
                records,
            };
            return Ok(Judged::Write(Box::new(self), outcome));
        }
        self.tx.rollback().await?;
        let system = self.system.id;
        let mut tx = begin_write(self.pool).await?;
        let Some(delivery_id) = claim_delivery(
            &mut tx,
            system,
            &self.batch_key,
            &self.content_hash,
            self.operation,
            &self.municipalities,
        )
        .await?
        else {
            tx.rollback().await?;
            let answer = replay(self.pool, system, &self.batch_key, &self.content_hash).await?;
            return Ok(Judged::Refused(answer));
        };
        let outcome = DeliveryOutcome {
            delivery_id,
            status,
            records,
        };
        finish_delivery(&mut tx, delivery_id, &outcome).await?;
        tx.commit().await?;
        Ok(Judged::Refused(outcome))
    }

    /// Logs the outcome of a written batch and commits it.
    pub(super) async fn commit(mut self, outcome: DeliveryOutcome) -> Result<DeliveryOutcome> {
        finish_delivery(&mut self.tx, self.delivery_id, &outcome).await?;
        self.tx.commit().await?;
        Ok(outcome)
    }
}

/// Logs a batch's outcome on its delivery line.
async fn finish_delivery(
    conn: &mut Connection,
    delivery_id: i64,
    outcome: &DeliveryOutcome,
) -> Result<()> {
    let violation_count: usize = outcome.records.iter().map(|r| r.violations.len()).sum();
    sqlx::query(
        "UPDATE case_deliveries SET status = $2, violation_count = $3, outcome_json = $4 \
         WHERE id = $1",
    )
    .bind(delivery_id)
    .bind(outcome.status.as_str())
    .bind(i64::try_from(violation_count).unwrap_or(i64::MAX))
    .bind(serde_json::to_string(outcome).unwrap_or_default())
    .execute(&mut *conn)
    .await?;
    for record in &outcome.records {
        for v in &record.violations {
            sqlx::query(
                "INSERT INTO case_violations (delivery_id, case_uuid, pointer, rule, section, \
                 message, fatal) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(delivery_id)
            .bind(&record.uuid)
            .bind(&v.pointer)
            .bind(&v.rule)
            .bind(&v.section)
            .bind(&v.message)
            .bind(v.fatal)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Claims the batch's line of the log; `Err(answer)` when the batch was
/// delivered before (the answer it got) or its key is another batch's.
async fn claim_delivery(
    conn: &mut Connection,
    system: SystemId,
    batch_key: &str,
    content_hash: &str,
    operation: Operation,
    record_municipalities: &[u16],
) -> Result<Option<i64>> {
    let mut codes: Vec<u16> = record_municipalities.to_vec();
    codes.sort_unstable();
    codes.dedup();
    let codes: String = codes.iter().map(|c| format!(",{c}")).collect::<String>() + ",";
    Ok(sqlx::query_scalar(
        "INSERT INTO case_deliveries (system_id, batch_key, content_hash, operation, received_at, \
         status, record_count, violation_count, outcome_json, municipality_codes) \
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, 0, '{}', $7) \
         ON CONFLICT (system_id, batch_key) DO NOTHING RETURNING id",
    )
    .bind(system.0)
    .bind(batch_key)
    .bind(content_hash)
    .bind(operation.as_str())
    .bind(now())
    .bind(i64::try_from(record_municipalities.len()).unwrap_or(i64::MAX))
    .bind(codes)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The answer a batch delivered before got.
async fn replay(
    pool: &sqlx::Pool<Db>,
    system: SystemId,
    batch_key: &str,
    content_hash: &str,
) -> Result<DeliveryOutcome> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT content_hash, outcome_json FROM case_deliveries \
         WHERE system_id = $1 AND batch_key = $2",
    )
    .bind(system.0)
    .bind(batch_key)
    .fetch_optional(pool)
    .await?;
    let Some((stored_hash, outcome)) = row else {
        return Err(StorageError::Conflict(
            "the batch is being delivered".into(),
        ));
    };
    if stored_hash != content_hash {
        return Err(StorageError::Conflict(
            "the idempotency key was used for another batch".into(),
        ));
    }
    stored_outcome(&outcome)
}

fn stored_outcome(json: &str) -> Result<DeliveryOutcome> {
    #[derive(serde::Deserialize)]
    struct Stored {
        delivery_id: i64,
        status: String,
        records: Vec<StoredRecord>,
    }
    #[derive(serde::Deserialize)]
    struct StoredRecord {
        uuid: String,
        kommune: u16,
        status: String,
        violations: Vec<Violation>,
    }
    let stored: Stored = serde_json::from_str(json)
        .map_err(|e| StorageError::Corrupt(format!("a delivery's outcome: {e}")))?;
    let status = match stored.status.as_str() {
        "accepted" => BatchStatus::Accepted,
        "accepted_with_warnings" => BatchStatus::AcceptedWithWarnings,
        "refused" => BatchStatus::Refused,
        other => return Err(StorageError::Corrupt(format!("delivery status {other}"))),
    };
    let records = stored
        .records
        .into_iter()
        .map(|r| {
            let status = match r.status.as_str() {
                "accepted" => RecordStatus::Accepted,
                "accepted_with_warnings" => RecordStatus::AcceptedWithWarnings,
                "unchanged" => RecordStatus::Unchanged,
                "refused" => RecordStatus::Refused,
                _ => RecordStatus::NotWritten,
            };
            RecordOutcome {
                uuid: r.uuid,
                kommune: r.kommune,
                status,
                violations: r.violations,
            }
        })
        .collect();
    Ok(DeliveryOutcome {
        delivery_id: stored.delivery_id,
        status,
        records,
    })
}

/// Deletes these cases physically, everything of theirs first (the
/// periods and relations of every registration, the registrations, the
/// case numbers), on `conn`.
async fn delete_cases(conn: &mut Connection, case_ids: &[i64]) -> Result<RemovalReport> {
    let mut report = RemovalReport::default();
    for case_id in case_ids {
        report.periods += sqlx::query(
            "DELETE FROM case_periods WHERE registration_id IN \
             (SELECT id FROM case_registrations WHERE case_id = $1)",
        )
        .bind(case_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        report.relations += sqlx::query(
            "DELETE FROM case_relations WHERE registration_id IN \
             (SELECT id FROM case_registrations WHERE case_id = $1)",
        )
        .bind(case_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        report.registrations += sqlx::query("DELETE FROM case_registrations WHERE case_id = $1")
            .bind(case_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM case_numbers WHERE case_id = $1")
            .bind(case_id)
            .execute(&mut *conn)
            .await?;
        report.cases += sqlx::query("DELETE FROM cases WHERE id = $1")
            .bind(case_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(report)
}

#[async_trait]
impl CaseStore for Store {
    async fn count_cases(&self, system: SystemId, municipality: u16) -> Result<u64> {
        let count: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM cases WHERE system_id = $1 AND municipality_code = $2",
        )
        .bind(system.0)
        .bind(i32::from(municipality))
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    async fn remove_system_cases(
        &self,
        system: SystemId,
        municipality: u16,
        actor: &Actor,
    ) -> Result<RemovalReport> {
        let mut tx = begin_write(&self.pool).await?;
        // The system first (every change of its locks it), so no delivery
        // of its writes between the count and the deletion.
        super::systems::fetch_system(&mut tx, system, true).await?;
        let case_ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM cases WHERE system_id = $1 AND municipality_code = $2 ORDER BY id{}",
            for_update!()
        )))
        .bind(system.0)
        .bind(i32::from(municipality))
        .fetch_all(&mut *tx)
        .await?;
        let mut report = delete_cases(&mut tx, &case_ids).await?;
        // The system's claims (debts) go in the same transaction.
        (report.claims, report.claim_registrations) =
            super::debts::delete_system_claims(&mut tx, system, municipality).await?;
        report.registration_ended = sqlx::query(
            "DELETE FROM system_municipalities WHERE system_id = $1 AND municipality_code = $2",
        )
        .bind(system.0)
        .bind(i32::from(municipality))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        append_citizen_audit(
            &mut tx,
            actor,
            "vendor_system.remove_on_system_change",
            Some(system.0),
            Some(municipality),
            Some(serde_json::to_value(report).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(report)
    }

    async fn remove_cases(
        &self,
        system: SystemId,
        uuids: &[String],
    ) -> Result<(RemovalReport, Vec<String>)> {
        let mut tx = begin_write(&self.pool).await?;
        let mut case_ids = Vec::new();
        let mut unknown = Vec::new();
        for uuid in uuids {
            let id: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT id FROM cases WHERE uuid = $1 AND system_id = $2{}",
                for_update!()
            )))
            .bind(uuid.trim())
            .bind(system.0)
            .fetch_optional(&mut *tx)
            .await?;
            match id {
                Some(id) => case_ids.push(id),
                None => unknown.push(uuid.clone()),
            }
        }
        let mut report = delete_cases(&mut tx, &case_ids).await?;
        // A UUID that is no case of the system's may be a claim of its.
        let unknown = {
            let (claims, registrations, unknown) =
                super::debts::delete_claims_by_uuid(&mut tx, system, &unknown).await?;
            (report.claims, report.claim_registrations) = (claims, registrations);
            unknown
        };
        append_citizen_audit(
            &mut tx,
            &Actor {
                user_id: None,
                label: format!("system:{}", system.0),
            },
            "cases.remove",
            Some(system.0),
            None,
            Some(serde_json::to_value(report).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok((report, unknown))
    }

    async fn deliver_cases(
        &self,
        system: &VendorSystem,
        batch: &CaseBatch,
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
            decisions.push(decide(&mut open.tx, &self.key, &open.system, batch, record).await?);
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
        let delivery_id = open.delivery_id;
        let tx = &mut *open.tx;
        for decision in decisions {
            if let Decision::Write {
                case_id,
                stored,
                hash,
                newest,
                ..
            } = decision
            {
                write_registration(
                    tx,
                    &self.key,
                    case_id,
                    delivery_id,
                    batch.operation,
                    &stored,
                    &hash,
                )
                .await?;
                if newest {
                    // The present registration's case numbers are the
                    // case's (a late older one leaves them as they are).
                    sqlx::query("DELETE FROM case_numbers WHERE case_id = $1")
                        .bind(case_id)
                        .execute(&mut *tx)
                        .await?;
                    for number in
                        case::case_numbers(stored.egenskaber.as_deref().unwrap_or_default())
                    {
                        sqlx::query(
                            "INSERT INTO case_numbers (municipality_code, case_number, case_id) \
                             VALUES ($1, $2, $3)",
                        )
                        .bind(i32::from(stored.kommune))
                        .bind(number)
                        .bind(case_id)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
        }
        open.commit(outcome).await
    }

    async fn case_as_of(
        &self,
        system: SystemId,
        uuid: &str,
        registered_at: Option<OffsetDateTime>,
        valid_at: Option<OffsetDateTime>,
    ) -> Result<Option<CaseView>> {
        let mut tx = begin_write(&self.pool).await?;
        let row: Option<CaseRow> = sqlx::query_as(
            "SELECT id, system_id, municipality_code FROM cases WHERE uuid = $1 AND system_id = $2",
        )
        .bind(uuid.trim())
        .bind(system.0)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let at = registered_at.unwrap_or(time::macros::datetime!(9999-12-31 0:00 UTC));
        let Some(registration) = registration_at(&mut tx, row.id, at).await? else {
            return Ok(None);
        };
        let kommune = stored_code(row.municipality_code)?;
        let record = read_registration(
            &mut tx,
            &self.key,
            uuid.trim(),
            kommune,
            &registration,
            valid_at,
        )
        .await?;
        // A citizen's data was read: logged in the same transaction.
        sqlx::query(
            "INSERT INTO citizen_access_log (at, reader, system_id, case_id, purpose) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(now())
        .bind(format!("system:{}", system.0))
        .bind(system.0)
        .bind(row.id)
        .bind("the system reads its own delivery")
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(CaseView {
            uuid: uuid.trim().to_owned(),
            kommune,
            registreret: registration.registered_at,
            modtaget: registration.received_at,
            record,
        }))
    }

    async fn search_cases(
        &self,
        system: SystemId,
        search: &CaseSearch,
    ) -> Result<Vec<CaseSummary>> {
        let digest = search.part.as_deref().map(|part| {
            case::cpr(part)
                .map_or_else(|| part.trim().to_owned(), |cpr| self.key.lookup_digest(cpr))
        });
        #[derive(sqlx::FromRow)]
        struct Found {
            id: i64,
            uuid: String,
            municipality_code: i32,
        }
        // The search reads citizens' data: each case found is logged in
        // the same transaction.
        let mut tx = begin_write(&self.pool).await?;
        let found: Vec<Found> = sqlx::query_as(
            "SELECT c.id, c.uuid, c.municipality_code FROM cases c WHERE c.system_id = $1 \
             AND ($2 IS NULL OR c.municipality_code = $2) \
             AND ($3 IS NULL OR c.id IN (SELECT case_id FROM case_numbers WHERE case_number = $3)) \
             AND ($4 IS NULL OR c.id IN (SELECT r.case_id FROM case_registrations r \
                  JOIN case_relations p ON p.registration_id = r.id \
                  WHERE p.party_digest = $4 OR p.reference = $4)) \
             ORDER BY c.id DESC LIMIT $5",
        )
        .bind(system.0)
        .bind(search.kommune.map(i32::from))
        .bind(search.sagsnummer.as_deref().map(str::trim))
        .bind(digest)
        .bind(search.limit.clamp(1, 1000))
        .fetch_all(&mut *tx)
        .await?;
        let mut out = Vec::with_capacity(found.len());
        for case in found {
            let numbers: Vec<String> = sqlx::query_scalar(
                "SELECT case_number FROM case_numbers WHERE case_id = $1 ORDER BY case_number",
            )
            .bind(case.id)
            .fetch_all(&mut *tx)
            .await?;
            let registered: OffsetDateTime = sqlx::query_scalar(
                "SELECT MAX(registered_at) FROM case_registrations WHERE case_id = $1",
            )
            .bind(case.id)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO citizen_access_log (at, reader, system_id, case_id, purpose) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(now())
            .bind(format!("system:{}", system.0))
            .bind(system.0)
            .bind(case.id)
            .bind("the system searches its own deliveries")
            .execute(&mut *tx)
            .await?;
            out.push(CaseSummary {
                uuid: case.uuid,
                kommune: stored_code(case.municipality_code)?,
                sagsnummer: numbers,
                registreret: registered,
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn deliveries(
        &self,
        system: SystemId,
        municipality: Option<u16>,
        limit: i64,
    ) -> Result<Vec<DeliveryLogEntry>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: i64,
            system_id: i64,
            operation: String,
            received_at: OffsetDateTime,
            status: String,
            record_count: i64,
            violation_count: i64,
            outcome_json: String,
        }
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, system_id, operation, received_at, status, record_count, violation_count, \
             outcome_json FROM case_deliveries WHERE system_id = $1 AND status <> 'pending' \
             AND ($3 IS NULL OR municipality_codes LIKE $3) ORDER BY id DESC LIMIT $2",
        )
        .bind(system.0)
        .bind(limit.clamp(1, 1000))
        .bind(municipality.map(|code| format!("%,{code},%")))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| DeliveryLogEntry {
                id: r.id,
                system_id: SystemId(r.system_id),
                operation: r.operation,
                received_at: r.received_at,
                status: r.status,
                record_count: r.record_count,
                violation_count: r.violation_count,
                outcome_json: r.outcome_json,
            })
            .collect())
    }
}
