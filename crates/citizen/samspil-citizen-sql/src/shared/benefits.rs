// Grants and payments (`BenefitStore`): the ingest both doors call, the
// bitemporal read-back, a system's search and removal of its own.
// Included by `shared.rs` as the module `benefits`.
//
// A batch goes exactly as a batch of cases (`cases.rs`, whose helpers
// this uses): one transaction that first claims its line of the one
// delivery log, then locks or creates each object (`for_update!()`,
// `ON CONFLICT (uuid) DO NOTHING`), checks it with the rules crate's
// pure `benefit::check` against its registration before it, and writes a
// new whole registration, never over an old one; a refused record
// refuses the batch. The records go in the order given, so a payment may
// follow its grant in the same batch. A payment's amounts are written as
// integer øre in their own columns, and read back from them.

use async_trait::async_trait;
use samspil_auth::sealing::SealingKey;
use samspil_citizen::SystemKind;
use samspil_citizen::benefit::{
    self, BenefitRecord, GRANT, GrantProperties, GrantRecord, GrantedBenefit, Oere, PAYMENT,
    PaymentProperties, PaymentRecord,
};
use samspil_citizen::case::{Operation, Violation, Virkning};
use samspil_citizen_storage::{
    BatchStatus, BenefitBatch, BenefitSearch, BenefitStore, BenefitSummary, BenefitView,
    DeliveryOutcome, RemovalReport, SystemId, VendorSystem,
};
use samspil_storage::now;

use super::cases::{
    Claim, Decision, Located, RegistrationRow, Tables, audit_own_removal, batch_outcome,
    delete_registrations, finish_written, kle_class_violation, later_registration, locate,
    log_read, own_registration_at, party_lookup, read_relations, record_digest, refuses,
    registration_at, sender_of, write_relations,
};

/// Grants and payments share one table of objects (told apart by their
/// type) and the registrations' and relations' tables below it. They
/// have no user-facing numbers.
const BENEFITS: Tables = Tables {
    objects: "benefit_objects",
    registrations: "benefit_registrations",
    owner: "object_id",
    numbers: "",
    number: "",
    noun: "object",
    id_section: "UUIDIdentifikator",
    registration_section: "Registrering, Tidspunkt",
    type_column: Some("object_type"),
};

#[derive(sqlx::FromRow)]
struct PeriodRow {
    group_name: String,
    value_json: String,
    gross_oere: Option<i64>,
    after_tax_oere: Option<i64>,
    sent_for_payment_oere: Option<i64>,
    paid_oere: Option<i64>,
}

/// The recipient is the one party role of both objects.
fn is_party(role: &str) -> bool {
    role == "part"
}

/// A registration read back as a record, with only the periods valid at
/// `valid_at` (all when `None`).
async fn read_registration(
    conn: &mut Connection,
    key: &SealingKey,
    object_type: &str,
    uuid: &str,
    kommune: u16,
    registration: &RegistrationRow,
    valid_at: Option<OffsetDateTime>,
) -> Result<BenefitRecord> {
    let holds = |virkning: &Virkning| valid_at.is_none_or(|at| virkning.holds_at(at));
    let corrupt = |e: serde_json::Error| StorageError::Corrupt(format!("benefit period: {e}"));
    let periods: Vec<PeriodRow> = sqlx::query_as(
        "SELECT group_name, value_json, gross_oere, after_tax_oere, sent_for_payment_oere, \
         paid_oere FROM benefit_periods WHERE registration_id = $1 ORDER BY group_name, position",
    )
    .bind(registration.id)
    .fetch_all(&mut *conn)
    .await?;
    let relations =
        Some(read_relations(conn, key, "benefit_relations", registration.id, valid_at).await?);
    let registreret = registration.registered_at;
    if object_type == PAYMENT {
        let mut egenskaber = Vec::new();
        for period in periods {
            let mut value: PaymentProperties =
                serde_json::from_str(&period.value_json).map_err(corrupt)?;
            // The amounts' columns are what is kept of them.
            value.bruttobeloeb = Oere(period.gross_oere.ok_or_else(|| {
                StorageError::Corrupt("a payment period without its gross amount".into())
            })?);
            value.efter_skat_atp = period.after_tax_oere.map(Oere);
            value.sendt_til_udbetaling = period.sent_for_payment_oere.map(Oere);
            value.udbetalt = period.paid_oere.map(Oere);
            if holds(&value.virkning) {
                egenskaber.push(value);
            }
        }
        return Ok(BenefitRecord::Effektuering(PaymentRecord {
            uuid: uuid.to_owned(),
            kommune,
            registreret,
            egenskaber: Some(egenskaber),
            relationer: relations,
        }));
    }
    let mut egenskaber: Vec<GrantProperties> = Vec::new();
    let mut ydelser: Vec<GrantedBenefit> = Vec::new();
    for period in periods {
        match period.group_name.as_str() {
            "egenskaber" => {
                let value: GrantProperties =
                    serde_json::from_str(&period.value_json).map_err(corrupt)?;
                if holds(&value.virkning) {
                    egenskaber.push(value);
                }
            }
            "ydelser" => {
                let value: GrantedBenefit =
                    serde_json::from_str(&period.value_json).map_err(corrupt)?;
                if holds(&value.virkning) {
                    ydelser.push(value);
                }
            }
            other => return Err(StorageError::Corrupt(format!("grant group {other}"))),
        }
    }
    Ok(BenefitRecord::Bevilling(GrantRecord {
        uuid: uuid.to_owned(),
        kommune,
        registreret,
        egenskaber: Some(egenskaber),
        ydelser: Some(ydelser),
        relationer: relations,
    }))
}

/// One row of `benefit_periods`, before it is written.
struct PeriodValue {
    group: &'static str,
    virkning: Virkning,
    json: String,
    amounts: [Option<i64>; 4],
}

fn periods_of(record: &BenefitRecord) -> Vec<PeriodValue> {
    let json = |value: &dyn super::cases::erased::Json| value.json();
    match record {
        BenefitRecord::Bevilling(grant) => grant
            .egenskaber
            .iter()
            .flatten()
            .map(|p| PeriodValue {
                group: "egenskaber",
                virkning: p.virkning,
                json: json(p),
                amounts: [None; 4],
            })
            .chain(grant.ydelser.iter().flatten().map(|b| PeriodValue {
                group: "ydelser",
                virkning: b.virkning,
                json: json(b),
                amounts: [None; 4],
            }))
            .collect(),
        BenefitRecord::Effektuering(payment) => payment
            .egenskaber
            .iter()
            .flatten()
            .map(|p| PeriodValue {
                group: "egenskaber",
                virkning: p.virkning,
                json: json(p),
                amounts: [
                    Some(p.bruttobeloeb.0),
                    p.efter_skat_atp.map(|a| a.0),
                    p.sendt_til_udbetaling.map(|a| a.0),
                    p.udbetalt.map(|a| a.0),
                ],
            })
            .collect(),
    }
}

/// Writes one registration (a whole snapshot) of a grant or payment.
async fn write_registration(
    conn: &mut Connection,
    key: &SealingKey,
    object_id: i64,
    delivery_id: i64,
    operation: Operation,
    record: &BenefitRecord,
    record_hash: &str,
) -> Result<()> {
    let registration_id: i64 = sqlx::query_scalar(
        "INSERT INTO benefit_registrations (object_id, delivery_id, operation, registered_at, \
         received_at, record_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(object_id)
    .bind(delivery_id)
    .bind(operation.as_str())
    .bind(stored_instant(record.registreret()))
    .bind(now())
    .bind(record_hash)
    .fetch_one(&mut *conn)
    .await?;
    let mut positions = std::collections::BTreeMap::<&str, i32>::new();
    for period in periods_of(record) {
        let position = positions.entry(period.group).or_default();
        let [gross, after_tax, sent, paid] = period.amounts;
        sqlx::query(
            "INSERT INTO benefit_periods (registration_id, group_name, position, valid_from, \
             valid_to, value_json, gross_oere, after_tax_oere, sent_for_payment_oere, paid_oere) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(registration_id)
        .bind(period.group)
        .bind(*position)
        .bind(stored_instant(period.virkning.fra))
        .bind(period.virkning.til.map(stored_instant))
        .bind(&period.json)
        .bind(gross)
        .bind(after_tax)
        .bind(sent)
        .bind(paid)
        .execute(&mut *conn)
        .await?;
        *position += 1;
    }
    write_relations(
        conn,
        key,
        "benefit_relations",
        registration_id,
        record.relationer().unwrap_or_default(),
        is_party,
    )
    .await
}

/// Each KLE subject a grant's benefits are classed by is a subject of
/// the imported plan, active on the day the benefit's validity begins.
async fn check_classes(conn: &mut Connection, record: &BenefitRecord) -> Result<Vec<Violation>> {
    let section = "BevilgetYdelse, Ydelse/Klassifikation";
    let mut out = Vec::new();
    for (pointer, number, day) in benefit::kle_classes(record) {
        out.extend(
            kle_class_violation(
                conn,
                pointer,
                (number, day),
                section,
                ("the benefit's class", "the benefit"),
            )
            .await?,
        );
    }
    Ok(out)
}

/// A payment pays a granted benefit the system has delivered: its grant
/// (of this system's, delivered before or earlier in the batch) has a
/// benefit by that id in its present registration.
async fn check_paid_benefit(
    conn: &mut Connection,
    key: &SealingKey,
    system: SystemId,
    record: &BenefitRecord,
) -> Result<Option<Violation>> {
    let Some((pointer, (grant_uuid, benefit_id))) = benefit::paid_benefit(record) else {
        return Ok(None);
    };
    let grant: Option<(i64, i32)> = sqlx::query_as(
        "SELECT id, municipality_code FROM benefit_objects \
         WHERE uuid = $1 AND system_id = $2 AND object_type = 'grant'",
    )
    .bind(&grant_uuid)
    .bind(system.0)
    .fetch_optional(&mut *conn)
    .await?;
    let far_future = time::macros::datetime!(9999-12-31 0:00 UTC);
    let has_benefit = match grant {
        None => false,
        Some((grant_id, code)) => {
            match registration_at(conn, &BENEFITS, grant_id, far_future).await? {
                None => false,
                Some(present) => {
                    let kommune = stored_code(code)?;
                    let stored =
                        read_registration(conn, key, GRANT, &grant_uuid, kommune, &present, None)
                            .await?;
                    matches!(stored, BenefitRecord::Bevilling(g)
                    if g.ydelser.iter().flatten().any(|b| b.id.trim() == benefit_id))
                }
            }
        }
    };
    Ok((!has_benefit).then(|| benefit::unknown_granted_benefit(pointer)))
}

/// Decides one record inside the batch's transaction.
async fn decide(
    conn: &mut Connection,
    key: &SealingKey,
    system: &VendorSystem,
    operation: Operation,
    record: &BenefitRecord,
) -> Result<Decision<BenefitRecord>> {
    if let Err(refused) = sender_of(system, SystemKind::Benefit, record.kommune())? {
        return Ok(Decision::Refused(refused));
    }
    let hash = record_digest(key, record);
    let uuid = record.uuid().trim().to_ascii_lowercase();
    let (object_id, base) = match locate(
        conn,
        &BENEFITS,
        system,
        operation,
        (&uuid, Some(record.object_type())),
        record.kommune(),
        record.registreret(),
        &hash,
    )
    .await?
    {
        Located::Settled(None) => return Ok(Decision::Unchanged),
        Located::Settled(Some(refused)) => return Ok(Decision::Refused(refused)),
        Located::At { id, base: None } => (id, None),
        Located::At {
            id,
            base: Some(base),
        } => {
            let base = read_registration(
                conn,
                key,
                record.object_type(),
                &uuid,
                record.kommune(),
                &base,
                None,
            )
            .await?;
            (id, Some(base))
        }
    };
    let mut violations = benefit::check(
        record,
        operation,
        base.as_ref().and_then(BenefitRecord::relationer),
    );
    violations.extend(check_classes(conn, record).await?);
    violations.extend(check_paid_benefit(conn, key, system.id, record).await?);
    let stored = match &base {
        Some(base) => record.carried_over(base),
        None => record.clone(),
    };
    let newest = !later_registration(conn, &BENEFITS, object_id, record.registreret()).await?;
    if refuses(system, &violations) {
        return Ok(Decision::Refused(violations));
    }
    Ok(Decision::Write {
        object_id,
        stored,
        hash,
        newest,
        violations,
    })
}

/// Deletes these grants and payments physically, everything of theirs
/// first, on `conn`, counting into `report`.
async fn delete_objects(
    conn: &mut Connection,
    object_ids: &[i64],
    report: &mut RemovalReport,
) -> Result<()> {
    for &object_id in object_ids {
        delete_registrations(
            conn,
            &BENEFITS,
            ("benefit_periods", &["benefit_relations"]),
            object_id,
            report,
        )
        .await?;
        let deleted: Option<String> =
            sqlx::query_scalar("DELETE FROM benefit_objects WHERE id = $1 RETURNING object_type")
                .bind(object_id)
                .fetch_optional(&mut *conn)
                .await?;
        match deleted.as_deref() {
            Some(GRANT) => report.grants += 1,
            Some(_) => report.payments += 1,
            None => {}
        }
    }
    Ok(())
}

/// Removal on system change, the benefits' part: every grant and payment
/// of the system's for the municipality, in the caller's transaction
/// (the cases' `remove_system_cases`, which has locked the system).
pub(super) async fn delete_system_benefits(
    conn: &mut Connection,
    system: SystemId,
    municipality: u16,
    report: &mut RemovalReport,
) -> Result<()> {
    let object_ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM benefit_objects WHERE system_id = $1 AND municipality_code = $2 \
         ORDER BY id{}",
        for_update!()
    )))
    .bind(system.0)
    .bind(i32::from(municipality))
    .fetch_all(&mut *conn)
    .await?;
    delete_objects(conn, &object_ids, report).await
}

#[async_trait]
impl BenefitStore for Store {
    async fn deliver_benefits(
        &self,
        system: &VendorSystem,
        batch: &BenefitBatch,
    ) -> Result<DeliveryOutcome> {
        let claim = Claim::new(
            &self.key,
            system.id,
            "benefit",
            batch.operation,
            batch.idempotency_key.as_deref(),
            &batch.records,
            batch.records.iter().map(BenefitRecord::kommune),
        );
        let (mut tx, delivery_id) = match claim.begin(&self.pool).await? {
            Ok(begun) => begun,
            Err(answer) => return Ok(answer),
        };
        let system = super::systems::fetch_system(&mut tx, system.id, false).await?;
        // Each record is decided and, when the batch may still be
        // written, written at once: a payment later in the batch then
        // finds the grant before it.
        let mut decisions = Vec::with_capacity(batch.records.len());
        let mut refused = false;
        for record in &batch.records {
            let decision = decide(&mut tx, &self.key, &system, batch.operation, record).await?;
            refused |= matches!(decision, Decision::Refused(_));
            if !refused
                && let Decision::Write {
                    object_id,
                    stored,
                    hash,
                    newest,
                    ..
                } = &decision
            {
                write_registration(
                    &mut tx,
                    &self.key,
                    *object_id,
                    delivery_id,
                    batch.operation,
                    stored,
                    hash,
                )
                .await?;
                if let (true, Some((_, (grant_uuid, _)))) = (*newest, benefit::paid_benefit(stored))
                {
                    sqlx::query("UPDATE benefit_objects SET grant_uuid = $2 WHERE id = $1")
                        .bind(object_id)
                        .bind(grant_uuid)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            decisions.push(decision);
        }
        let (status, records) = batch_outcome(
            batch
                .records
                .iter()
                .zip(&decisions)
                .map(|(record, d)| (record.uuid().to_owned(), record.kommune(), d.verdict())),
        );
        if status == BatchStatus::Refused {
            return claim.log_refusal(&self.pool, tx, records).await;
        }
        finish_written(tx, delivery_id, status, records).await
    }

    async fn benefit_as_of(
        &self,
        system: SystemId,
        uuid: &str,
        registered_at: Option<OffsetDateTime>,
        valid_at: Option<OffsetDateTime>,
    ) -> Result<Option<BenefitView>> {
        let uuid = uuid.trim().to_ascii_lowercase();
        let mut tx = begin_write(&self.pool).await?;
        let Some((row, registration)) =
            own_registration_at(&mut tx, &BENEFITS, system, &uuid, registered_at).await?
        else {
            return Ok(None);
        };
        let object_type = row
            .object_type
            .ok_or_else(|| StorageError::Corrupt("a benefit object without its type".into()))?;
        let kommune = stored_code(row.municipality_code)?;
        let record = read_registration(
            &mut tx,
            &self.key,
            &object_type,
            &uuid,
            kommune,
            &registration,
            valid_at,
        )
        .await?;
        log_read(
            &mut tx,
            system,
            "benefit_id",
            row.id,
            "the system reads its own delivery",
        )
        .await?;
        tx.commit().await?;
        Ok(Some(BenefitView {
            uuid,
            kommune,
            registreret: registration.registered_at,
            modtaget: registration.received_at,
            record,
        }))
    }

    async fn search_benefits(
        &self,
        system: SystemId,
        search: &BenefitSearch,
    ) -> Result<Vec<BenefitSummary>> {
        let digest = search
            .part
            .as_deref()
            .map(|part| party_lookup(&self.key, part));
        #[derive(sqlx::FromRow)]
        struct Found {
            id: i64,
            uuid: String,
            object_type: String,
            municipality_code: i32,
            grant_uuid: Option<String>,
        }
        let grant = search
            .bevilling
            .as_deref()
            .map(|g| g.trim().to_ascii_lowercase());
        let mut tx = begin_write(&self.pool).await?;
        let found: Vec<Found> = sqlx::query_as(
            "SELECT o.id, o.uuid, o.object_type, o.municipality_code, o.grant_uuid \
             FROM benefit_objects o WHERE o.system_id = $1 \
             AND ($2 IS NULL OR o.municipality_code = $2) \
             AND ($3 IS NULL OR o.id IN (SELECT r.object_id FROM benefit_registrations r \
                  JOIN benefit_relations p ON p.registration_id = r.id \
                  WHERE p.party_digest = $3 OR p.reference = $3)) \
             AND ($4 IS NULL OR o.uuid = $4 OR o.grant_uuid = $4) \
             ORDER BY o.id DESC LIMIT $5",
        )
        .bind(system.0)
        .bind(search.kommune.map(i32::from))
        .bind(digest)
        .bind(grant)
        .bind(search.limit.clamp(1, 1000))
        .fetch_all(&mut *tx)
        .await?;
        let mut out = Vec::with_capacity(found.len());
        for object in found {
            let registered: OffsetDateTime = sqlx::query_scalar(
                "SELECT MAX(registered_at) FROM benefit_registrations WHERE object_id = $1",
            )
            .bind(object.id)
            .fetch_one(&mut *tx)
            .await?;
            log_read(
                &mut tx,
                system,
                "benefit_id",
                object.id,
                "the system searches its own deliveries",
            )
            .await?;
            out.push(BenefitSummary {
                uuid: object.uuid,
                kommune: stored_code(object.municipality_code)?,
                object_type: object.object_type,
                bevilling: object.grant_uuid,
                registreret: registered,
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn count_benefits(&self, system: SystemId, municipality: u16) -> Result<(u64, u64)> {
        let counts: Vec<(String, i64)> = sqlx::query_as(
            "SELECT object_type, count(*) FROM benefit_objects \
             WHERE system_id = $1 AND municipality_code = $2 GROUP BY object_type",
        )
        .bind(system.0)
        .bind(i32::from(municipality))
        .fetch_all(&self.pool)
        .await?;
        let of = |kind: &str| {
            counts
                .iter()
                .find(|(k, _)| k == kind)
                .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or_default())
        };
        Ok((of(GRANT), of(PAYMENT)))
    }

    async fn remove_benefits(
        &self,
        system: SystemId,
        object_type: &str,
        uuids: &[String],
    ) -> Result<(RemovalReport, Vec<String>)> {
        let mut tx = begin_write(&self.pool).await?;
        let mut object_ids = Vec::new();
        let mut unknown = Vec::new();
        for uuid in uuids {
            let id: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT id FROM benefit_objects WHERE uuid = $1 AND system_id = $2 \
                 AND object_type = $3{}",
                for_update!()
            )))
            .bind(uuid.trim().to_ascii_lowercase())
            .bind(system.0)
            .bind(object_type)
            .fetch_optional(&mut *tx)
            .await?;
            match id {
                Some(id) => object_ids.push(id),
                None => unknown.push(uuid.clone()),
            }
        }
        let mut report = RemovalReport::default();
        delete_objects(&mut tx, &object_ids, &mut report).await?;
        audit_own_removal(&mut tx, system, "benefits.remove", &report).await?;
        tx.commit().await?;
        Ok((report, unknown))
    }
}
