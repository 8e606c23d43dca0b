// Appointments and deadlines (`AppointmentStore`): the ingest of the
// activity index's batches, the bitemporal read-back, a system's search
// and removal of its own appointments, the citizen's read from a time
// on, and the deletion that the removal on system change (`cases.rs`)
// calls in its own transaction. Included by `shared.rs` as the module
// `appointments`.
//
// A batch goes exactly as a batch of claims (`debts.rs`) and cases
// (`cases.rs`, whose helpers this uses): one transaction that first
// claims its line of the one delivery log, then locks or creates each
// appointment (`locate`: `ON CONFLICT (uuid) DO NOTHING`, so two imports
// of one appointment cannot both win), checks it with the rules crate's
// pure `appointment::check` and against the index (its case, its KLE
// area, the time a move starts from), and writes a new whole
// registration, never over an old one; a refused record refuses the
// batch. An appointment's registration is one row; its look-up columns
// follow its present registration only.

use async_trait::async_trait;
use samspil_auth::sealing::SealingKey;
use samspil_citizen::SystemKind;
use samspil_citizen::appointment::{self, AppointmentRecord, Sted};
use samspil_citizen::common::{Operation, Violation, Virkning};
use samspil_citizen::kle::Level;
use samspil_citizen_storage::{
    AppointmentBatch, AppointmentSearch, AppointmentStore, AppointmentSummary, AppointmentView,
    BatchStatus, DeliveryOutcome, Reader, RemovalReport, SystemId, VendorSystem,
};
use samspil_storage::now;

use super::cases::{
    Claim, Decision, Located, Tables, audit_own_removal, batch_outcome, count_owned, cpr_digest,
    finish_written, kle_class_violation, later_registration, locate, log_read, owned_ids,
    party_lookup, record_digest, refuses, sender_of, typed_cpr_digest,
};

/// Appointments and their registrations. They have no user-facing
/// numbers.
const APPOINTMENTS: Tables = Tables {
    objects: "appointments",
    registrations: "appointment_registrations",
    owner: "appointment_id",
    numbers: "",
    number: "",
    noun: "appointment",
    id_section: "Aftale 01 ID",
    registration_section: "Registrering, Tidspunkt",
    type_column: None,
};

/// The rules the index decides for an appointment: its case is a case
/// of the municipality's, its KLE area is in the imported plan (when one
/// is imported), and a move starts from the time of the registration it
/// follows (`base`).
async fn index_violations(
    conn: &mut Connection,
    record: &AppointmentRecord,
    base: Option<i64>,
) -> Result<Vec<Violation>> {
    let mut out = Vec::new();
    if let Some(case) = record.sag.as_deref().map(str::trim)
        && samspil_citizen::ItSystemUuid::parse("sag", case).is_ok()
    {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT id FROM cases WHERE uuid = $1 AND municipality_code = $2")
                .bind(case)
                .bind(i32::from(record.kommune))
                .fetch_optional(&mut *conn)
                .await?;
        if found.is_none() {
            out.push(appointment::unknown_case());
        }
    }
    match record.kle_area() {
        Some(number) if number.level() == Level::Subject => out.extend(
            kle_class_violation(
                conn,
                "/omraade".into(),
                (record.omraade.trim(), record.start.date()),
                appointment::SECTION_AREA,
                ("the area", "the appointment"),
            )
            .await?,
        ),
        Some(_) => {
            // A main group or group: in the plan when a subject of it is
            // (the plan keeps subjects); undecided without a plan.
            let (plan, of_it): (i64, i64) = sqlx::query_as(
                "SELECT count(*), count(CASE WHEN number LIKE $1 THEN 1 END) FROM kle_subjects",
            )
            .bind(format!("{}.%", record.omraade.trim()))
            .fetch_one(&mut *conn)
            .await?;
            if plan > 0 && of_it == 0 {
                out.push(appointment::unknown_kle_area());
            }
        }
        None => {}
    }
    if let Some(base) = base {
        let before: (OffsetDateTime, Option<OffsetDateTime>) = sqlx::query_as(
            "SELECT start_at, previous_start FROM appointment_registrations WHERE id = $1",
        )
        .bind(base)
        .fetch_one(&mut *conn)
        .await?;
        out.extend(appointment::check_move(record, before));
    }
    Ok(out)
}

/// Decides one appointment inside the batch's transaction.
async fn decide(
    conn: &mut Connection,
    key: &SealingKey,
    system: &VendorSystem,
    operation: Operation,
    record: &AppointmentRecord,
) -> Result<Decision<()>> {
    if let Err(refused) = sender_of(system, SystemKind::Appointment, record.kommune)? {
        return Ok(Decision::Refused(refused));
    }
    let hash = record_digest(key, record);
    let (appointment_id, base) = match locate(
        conn,
        &APPOINTMENTS,
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
        // The registration is whole; an update's base only tells where a
        // move starts from.
        Located::At { id, base } => (id, base.map(|b| b.id)),
    };
    let mut violations = appointment::check(record);
    violations.extend(index_violations(conn, record, base).await?);
    if refuses(system, &violations) {
        return Ok(Decision::Refused(violations));
    }
    let newest =
        !later_registration(conn, &APPOINTMENTS, appointment_id, record.registreret).await?;
    Ok(Decision::Write {
        object_id: appointment_id,
        stored: (),
        hash,
        newest,
        violations,
    })
}

/// Trimmed, or none when empty.
fn optional(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// Writes one registration of an appointment; the present one
/// (`newest`) also becomes what the appointment is looked up by.
async fn write_registration(
    conn: &mut Connection,
    key: &SealingKey,
    (appointment_id, hash, newest): (i64, &str, bool),
    delivery_id: i64,
    operation: Operation,
    record: &AppointmentRecord,
) -> Result<()> {
    let digest = cpr_digest(key, &record.part)
        .ok_or_else(|| StorageError::Corrupt("an appointment without a citizen".into()))?;
    let registration_id: i64 = sqlx::query_scalar(
        "INSERT INTO appointment_registrations (appointment_id, delivery_id, operation, \
         registered_at, received_at, record_hash, title, start_at, end_at, place, address, area, \
         bring, case_uuid, part_digest, part_sealed, status, previous_start, valid_from, \
         valid_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
         $16, $17, $18, $19, $20) RETURNING id",
    )
    .bind(appointment_id)
    .bind(delivery_id)
    .bind(operation.as_str())
    .bind(stored_instant(record.registreret))
    .bind(now())
    .bind(hash)
    .bind(record.titel.trim())
    .bind(stored_instant(record.start))
    .bind(record.slut.map(stored_instant))
    .bind(record.sted.tekst.trim())
    .bind(optional(record.sted.adresse.as_deref()))
    .bind(record.omraade.trim())
    .bind(optional(record.medbring.as_deref()))
    .bind(optional(record.sag.as_deref()))
    .bind(&digest)
    .bind(key.seal(record.part.trim()))
    .bind(record.status.trim())
    .bind(record.tidligere_start.map(stored_instant))
    .bind(stored_instant(record.virkning.fra))
    .bind(record.virkning.til.map(stored_instant))
    .fetch_one(&mut *conn)
    .await?;
    if newest {
        sqlx::query(
            "UPDATE appointments SET present_registration_id = $2, part_digest = $3, \
             case_uuid = $4, ends_at = $5 WHERE id = $1",
        )
        .bind(appointment_id)
        .bind(registration_id)
        .bind(&digest)
        .bind(optional(record.sag.as_deref()))
        .bind(stored_instant(record.ends()))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A registration as read back, with its appointment's identity.
#[derive(sqlx::FromRow)]
struct RegistrationRow {
    appointment_id: i64,
    uuid: String,
    municipality_code: i32,
    system_name: String,
    registered_at: OffsetDateTime,
    received_at: OffsetDateTime,
    title: String,
    start_at: OffsetDateTime,
    end_at: Option<OffsetDateTime>,
    place: String,
    address: Option<String>,
    area: String,
    bring: Option<String>,
    case_uuid: Option<String>,
    part_sealed: String,
    status: String,
    previous_start: Option<OffsetDateTime>,
    valid_from: OffsetDateTime,
    valid_to: Option<OffsetDateTime>,
}

const REGISTRATION_SELECT: &str = "SELECT a.id AS appointment_id, a.uuid, a.municipality_code, \
     s.name AS system_name, r.registered_at, r.received_at, r.title, r.start_at, r.end_at, \
     r.place, r.address, r.area, r.bring, r.case_uuid, r.part_sealed, r.status, \
     r.previous_start, r.valid_from, r.valid_to FROM appointments a \
     JOIN appointment_registrations r ON r.appointment_id = a.id \
     JOIN vendor_systems s ON s.id = a.system_id";

fn view(key: &SealingKey, row: RegistrationRow) -> Result<AppointmentView> {
    let kommune = stored_code(row.municipality_code)?;
    let part = key.open(&row.part_sealed).ok_or_else(|| {
        StorageError::Corrupt("a citizen that does not open under the configured key".into())
    })?;
    Ok(AppointmentView {
        uuid: row.uuid.clone(),
        kommune,
        registreret: row.registered_at,
        modtaget: row.received_at,
        system: row.system_name,
        record: AppointmentRecord {
            uuid: row.uuid,
            kommune,
            registreret: row.registered_at,
            titel: row.title,
            start: row.start_at,
            slut: row.end_at,
            sted: Sted {
                tekst: row.place,
                adresse: row.address,
            },
            omraade: row.area,
            medbring: row.bring,
            sag: row.case_uuid,
            part,
            status: row.status,
            tidligere_start: row.previous_start,
            virkning: Virkning {
                fra: row.valid_from,
                til: row.valid_to,
            },
        },
    })
}

/// A person's read of a citizen's appointments, logged on the read's
/// connection: the appointment read, or none when the look-up found
/// nothing to show.
async fn log_citizen_read(
    conn: &mut Connection,
    reader: &Reader,
    appointment_id: Option<i64>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO citizen_access_log (at, reader, appointment_id, purpose) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(now())
    .bind(&reader.label)
    .bind(appointment_id)
    .bind(&reader.purpose)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Deletes appointments physically with every registration, on `conn`,
/// counting into `report`.
async fn delete_appointments(
    conn: &mut Connection,
    ids: &[i64],
    report: &mut RemovalReport,
) -> Result<()> {
    for id in ids {
        report.registrations +=
            sqlx::query("DELETE FROM appointment_registrations WHERE appointment_id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?
                .rows_affected();
        report.appointments += sqlx::query("DELETE FROM appointments WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(())
}

/// Removal on system change, the appointments' part: every appointment
/// of the system's for the municipality, in the caller's transaction
/// (the cases' `remove_system_cases`, which has locked the system).
pub(super) async fn delete_system_appointments(
    conn: &mut Connection,
    system: SystemId,
    municipality: u16,
    report: &mut RemovalReport,
) -> Result<()> {
    let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM appointments WHERE system_id = $1 AND municipality_code = $2 \
         ORDER BY id{}",
        for_update!()
    )))
    .bind(system.0)
    .bind(i32::from(municipality))
    .fetch_all(&mut *conn)
    .await?;
    delete_appointments(conn, &ids, report).await
}

#[async_trait]
impl AppointmentStore for Store {
    async fn deliver_appointments(
        &self,
        system: &VendorSystem,
        batch: &AppointmentBatch,
    ) -> Result<DeliveryOutcome> {
        let claim = Claim::new(
            &self.key,
            system.id,
            "appointment",
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

    async fn appointment_as_of(
        &self,
        system: SystemId,
        uuid: &str,
        registered_at: Option<OffsetDateTime>,
    ) -> Result<Option<AppointmentView>> {
        let at = registered_at.unwrap_or(time::macros::datetime!(9999-12-31 0:00 UTC));
        let mut tx = begin_write(&self.pool).await?;
        let row: Option<RegistrationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{REGISTRATION_SELECT} WHERE a.uuid = $1 AND a.system_id = $2 \
             AND r.registered_at <= $3 ORDER BY r.registered_at DESC, r.id DESC LIMIT 1"
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
            "appointment_id",
            row.appointment_id,
            "the system reads its own delivery",
        )
        .await?;
        let view = view(&self.key, row)?;
        tx.commit().await?;
        Ok(Some(view))
    }

    async fn search_appointments(
        &self,
        system: SystemId,
        search: &AppointmentSearch,
    ) -> Result<Vec<AppointmentSummary>> {
        let digest = search
            .part
            .as_deref()
            .map(|part| party_lookup(&self.key, part));
        #[derive(sqlx::FromRow)]
        struct Found {
            id: i64,
            uuid: String,
            municipality_code: i32,
            start_at: OffsetDateTime,
            status: String,
            registered: OffsetDateTime,
        }
        let mut tx = begin_write(&self.pool).await?;
        let found: Vec<Found> = sqlx::query_as(
            "SELECT a.id, a.uuid, a.municipality_code, r.start_at, r.status, \
             r.registered_at AS registered FROM appointments a \
             JOIN appointment_registrations r ON r.id = a.present_registration_id \
             WHERE a.system_id = $1 AND ($2 IS NULL OR a.municipality_code = $2) \
             AND ($3 IS NULL OR a.case_uuid = $3) AND ($4 IS NULL OR a.part_digest = $4) \
             ORDER BY a.id DESC LIMIT $5",
        )
        .bind(system.0)
        .bind(search.kommune.map(i32::from))
        .bind(search.sag.as_deref().map(str::trim))
        .bind(digest)
        .bind(search.limit.clamp(1, 1000))
        .fetch_all(&mut *tx)
        .await?;
        let mut out = Vec::with_capacity(found.len());
        for appointment in found {
            log_read(
                &mut tx,
                system,
                "appointment_id",
                appointment.id,
                "the system searches its own deliveries",
            )
            .await?;
            out.push(AppointmentSummary {
                uuid: appointment.uuid,
                kommune: stored_code(appointment.municipality_code)?,
                start: appointment.start_at,
                status: appointment.status,
                registreret: appointment.registered,
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn remove_appointments(
        &self,
        system: SystemId,
        uuids: &[String],
    ) -> Result<(RemovalReport, Vec<String>)> {
        let mut tx = begin_write(&self.pool).await?;
        let (ids, unknown) = owned_ids(&mut tx, &APPOINTMENTS, system, uuids).await?;
        let mut report = RemovalReport::default();
        delete_appointments(&mut tx, &ids, &mut report).await?;
        audit_own_removal(&mut tx, system, "appointments.remove", &report).await?;
        tx.commit().await?;
        Ok((report, unknown))
    }

    async fn count_appointments(&self, system: SystemId, municipality: u16) -> Result<u64> {
        count_owned(&self.pool, &APPOINTMENTS, system, municipality).await
    }

    async fn appointments_visible_to_citizen(
        &self,
        cpr_number: &str,
        from: OffsetDateTime,
        reader: &Reader,
    ) -> Result<Vec<AppointmentView>> {
        let mut tx = begin_write(&self.pool).await?;
        let rows: Vec<RegistrationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{REGISTRATION_SELECT} WHERE r.id = a.present_registration_id \
             AND a.part_digest = $1 AND a.ends_at >= $2 ORDER BY r.start_at, a.id"
        )))
        .bind(typed_cpr_digest(&self.key, cpr_number))
        .bind(stored_instant(from))
        .fetch_all(&mut *tx)
        .await?;
        let mut visible = Vec::new();
        for row in rows {
            let id = row.appointment_id;
            let appointment = view(&self.key, row)?;
            if appointment.record.virkning.holds_at(from) {
                log_citizen_read(&mut tx, reader, Some(id)).await?;
                visible.push(appointment);
            }
        }
        if visible.is_empty() {
            // The look-up itself read the citizen's data.
            log_citizen_read(&mut tx, reader, None).await?;
        }
        tx.commit().await?;
        Ok(visible)
    }
}
