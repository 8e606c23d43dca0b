// Documents and their journal notes (`DocumentStore`): the ingest both
// doors call, the bitemporal read-back, a system's search of its own
// documents, and their removal. Included by `shared.rs` as the module
// `documents`.
//
// A batch goes as a case batch goes (see `cases.rs`): it claims its line
// of the same delivery log (its key apart from case batches'), each record
// locks its document or creates it, is checked by the rules crate's pure
// `document::check` against the registration before it, and is written as
// a new whole registration; a refused record refuses the batch. A journal
// note's body is sealed under the store's key and read back only to carry
// it over into an update's registration, never into a view.

use async_trait::async_trait;
use samspil_auth::sealing::SealingKey;
use samspil_citizen::SystemKind;
use samspil_citizen::case::{Operation, Previous, Violation, Virkning};
use samspil_citizen::document::{
    self, DocumentProgress, DocumentProperties, DocumentRecord, JournalNote, Journalpost,
};
use samspil_citizen::system::{ItSystemUuid, may_deliver};
use samspil_citizen_storage::{
    BatchStatus, DeliveryOutcome, DocumentBatch, DocumentSearch, DocumentStore, DocumentSummary,
    DocumentView, RemovalReport, SystemId, VendorSystem,
};
use samspil_storage::now;

use super::cases::{
    Claim, Verdict, batch_outcome, check_primary_class, claim_delivery, erased, finish_delivery,
    log_refusal, read_relations, record_digest, refusal, replay, write_periods, write_relations,
};

const SECTION_ID: &str = "01 DokumentID [OB2]";

#[derive(sqlx::FromRow)]
struct DocumentRow {
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
struct JournalPostRow {
    case_uuid: String,
    role: String,
    document_title: Option<String>,
    note_title: Option<String>,
    note_format: Option<String>,
    note_sealed: Option<String>,
    valid_from: OffsetDateTime,
    valid_to: Option<OffsetDateTime>,
}

/// Whether a read opens the journal notes' bodies: only to carry them
/// over into the next registration, never for a view.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NoteBodies {
    Opened,
    Left,
}

/// The registration of a document in force at `at`.
async fn registration_at(
    conn: &mut Connection,
    document_id: i64,
    at: OffsetDateTime,
) -> Result<Option<RegistrationRow>> {
    Ok(sqlx::query_as(
        "SELECT id, registered_at, received_at FROM document_registrations \
         WHERE document_id = $1 AND registered_at <= $2 \
         ORDER BY registered_at DESC, id DESC LIMIT 1",
    )
    .bind(document_id)
    .bind(stored_instant(at))
    .fetch_optional(&mut *conn)
    .await?)
}

/// A registration read back as a record, with only the periods valid at
/// `valid_at` (all when `None`).
async fn read_registration(
    conn: &mut Connection,
    key: &SealingKey,
    uuid: &str,
    kommune: u16,
    registration: &RegistrationRow,
    valid_at: Option<OffsetDateTime>,
    bodies: NoteBodies,
) -> Result<DocumentRecord> {
    let holds = |v: &Virkning| valid_at.is_none_or(|at| v.holds_at(at));
    #[derive(sqlx::FromRow)]
    struct PeriodRow {
        group_name: String,
        value_json: String,
    }
    let periods: Vec<PeriodRow> = sqlx::query_as(
        "SELECT group_name, value_json FROM document_periods WHERE registration_id = $1 \
         ORDER BY group_name, position",
    )
    .bind(registration.id)
    .fetch_all(&mut *conn)
    .await?;
    let mut record = DocumentRecord {
        uuid: uuid.to_owned(),
        kommune,
        registreret: registration.registered_at,
        egenskaber: Some(Vec::new()),
        fremdrift: Some(Vec::new()),
        relationer: None,
        journalposter: Some(Vec::new()),
    };
    let corrupt = |e: serde_json::Error| StorageError::Corrupt(format!("document period: {e}"));
    for period in periods {
        match period.group_name.as_str() {
            "egenskaber" => {
                let value: DocumentProperties =
                    serde_json::from_str(&period.value_json).map_err(corrupt)?;
                if holds(&value.virkning) {
                    record.egenskaber.get_or_insert_default().push(value);
                }
            }
            "fremdrift" => {
                let value: DocumentProgress =
                    serde_json::from_str(&period.value_json).map_err(corrupt)?;
                if holds(&value.virkning) {
                    record.fremdrift.get_or_insert_default().push(value);
                }
            }
            other => return Err(StorageError::Corrupt(format!("document group {other}"))),
        }
    }
    record.relationer =
        Some(read_relations(conn, key, "document_relations", registration.id, valid_at).await?);
    let posts: Vec<JournalPostRow> = sqlx::query_as(
        "SELECT case_uuid, role, document_title, note_title, note_format, note_sealed, \
         valid_from, valid_to FROM document_journal_posts WHERE registration_id = $1 \
         ORDER BY position",
    )
    .bind(registration.id)
    .fetch_all(&mut *conn)
    .await?;
    for post in posts {
        let virkning = Virkning {
            fra: post.valid_from,
            til: post.valid_to,
        };
        if !holds(&virkning) {
            continue;
        }
        let journalnotat = match (post.note_title, post.note_format) {
            (Some(titel), Some(format)) => {
                let notat = match (bodies, &post.note_sealed) {
                    (NoteBodies::Opened, Some(sealed)) => {
                        Some(key.open(sealed).ok_or_else(|| {
                            StorageError::Corrupt(
                                "a journal note that does not open under the configured key".into(),
                            )
                        })?)
                    }
                    _ => None,
                };
                Some(JournalNote {
                    titel,
                    notat,
                    format,
                })
            }
            _ => None,
        };
        record
            .journalposter
            .get_or_insert_default()
            .push(Journalpost {
                sag: post.case_uuid,
                rolle: post.role,
                dokumenttitel: post.document_title,
                journalnotat,
                virkning,
            });
    }
    Ok(record)
}

/// Writes one registration (a whole snapshot) of a document.
async fn write_registration(
    conn: &mut Connection,
    key: &SealingKey,
    document_id: i64,
    delivery_id: i64,
    operation: Operation,
    record: &DocumentRecord,
    record_hash: &str,
) -> Result<()> {
    let registration_id: i64 = sqlx::query_scalar(
        "INSERT INTO document_registrations (document_id, delivery_id, operation, \
         registered_at, received_at, record_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(document_id)
    .bind(delivery_id)
    .bind(operation.as_str())
    .bind(stored_instant(record.registreret))
    .bind(now())
    .bind(record_hash)
    .fetch_one(&mut *conn)
    .await?;
    let json = |value: &dyn erased::Json| value.json();
    let mut periods: Vec<(&str, Virkning, String)> = Vec::new();
    for p in record.egenskaber.iter().flatten() {
        periods.push(("egenskaber", p.virkning, json(p)));
    }
    for p in record.fremdrift.iter().flatten() {
        periods.push(("fremdrift", p.virkning, json(p)));
    }
    write_periods(conn, "document_periods", registration_id, &periods).await?;
    write_relations(
        conn,
        key,
        "document_relations",
        registration_id,
        record.relationer.as_deref().unwrap_or_default(),
        document::is_party,
    )
    .await?;
    for (position, post) in record.journalposter.iter().flatten().enumerate() {
        let note = post.journalnotat.as_ref();
        sqlx::query(
            "INSERT INTO document_journal_posts (registration_id, position, case_uuid, role, \
             document_title, note_title, note_format, note_sealed, valid_from, valid_to) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(registration_id)
        .bind(i32::try_from(position).unwrap_or(i32::MAX))
        .bind(post.sag.trim().to_ascii_lowercase())
        .bind(&post.rolle)
        .bind(post.dokumenttitel.as_deref())
        .bind(note.map(|n| n.titel.as_str()))
        .bind(note.map(|n| n.format.as_str()))
        // The body, sealed: a dump of the database does not show it.
        .bind(
            note.and_then(|n| n.notat.as_deref())
                .map(|body| key.seal(body)),
        )
        .bind(stored_instant(post.virkning.fra))
        .bind(post.virkning.til.map(stored_instant))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The record to store for an update: the groups it leaves out carried
/// over from the registration it follows.
fn carried_over(update: &DocumentRecord, base: &DocumentRecord) -> DocumentRecord {
    DocumentRecord {
        uuid: update.uuid.clone(),
        kommune: update.kommune,
        registreret: update.registreret,
        egenskaber: update
            .egenskaber
            .clone()
            .or_else(|| base.egenskaber.clone()),
        fremdrift: update.fremdrift.clone().or_else(|| base.fremdrift.clone()),
        relationer: update
            .relationer
            .clone()
            .or_else(|| base.relationer.clone()),
        journalposter: update
            .journalposter
            .clone()
            .or_else(|| base.journalposter.clone()),
    }
}

/// What one record came to, and what to write if the batch is written.
enum Decision {
    Write {
        document_id: i64,
        stored: DocumentRecord,
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
    operation: Operation,
    record: &DocumentRecord,
) -> Result<Decision> {
    let sender = ItSystemUuid::parse("sender", &system.it_system_uuid)
        .map_err(|_| StorageError::Corrupt("a system's UUID".into()))?;
    if let Err(refused) = may_deliver(
        system.disabled_at.is_some(),
        system.kind,
        &system.grants(),
        SystemKind::Document,
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
    let existing: Option<DocumentRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, system_id, municipality_code FROM documents WHERE uuid = $1{}",
        for_update!()
    )))
    .bind(record.uuid.trim())
    .fetch_optional(&mut *conn)
    .await?;
    let (document_id, base) = match (operation, existing) {
        (_, Some(row))
            if row.system_id != system.id.0
                || stored_code(row.municipality_code)? != record.kommune =>
        {
            return Ok(Decision::Refused(vec![refusal(
                "/uuid",
                "not_this_systems_document",
                SECTION_ID,
                "the UUID is taken by a document this system does not deliver".into(),
            )]));
        }
        (_, Some(row)) => {
            let same: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM document_registrations WHERE document_id = $1 \
                 AND registered_at = $2 AND record_hash = $3",
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
                    "document_exists",
                    SECTION_ID,
                    "the document is imported already; send an update".into(),
                )]));
            }
            let Some(base) = registration_at(conn, row.id, record.registreret).await? else {
                return Ok(Decision::Refused(vec![refusal(
                    "/registreret",
                    "before_import",
                    "02 Registreringsdata [OB2]",
                    "the update is registered before the document's import".into(),
                )]));
            };
            let base = read_registration(
                conn,
                key,
                &record.uuid,
                record.kommune,
                &base,
                None,
                NoteBodies::Opened,
            )
            .await?;
            (row.id, Some(base))
        }
        (Operation::Update, None) => {
            return Ok(Decision::Refused(vec![refusal(
                "/uuid",
                "unknown_document",
                SECTION_ID,
                "there is no such document of this system's to update; import it first".into(),
            )]));
        }
        (Operation::Import, None) => {
            if ItSystemUuid::parse("uuid", &record.uuid).is_err() {
                (0, None)
            } else {
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO documents (uuid, system_id, municipality_code, created_at) \
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
                    None => {
                        return Ok(Decision::Refused(vec![refusal(
                            "/uuid",
                            "document_exists",
                            SECTION_ID,
                            "the document is imported already; send an update".into(),
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
    let mut violations = document::check(record, operation, &sender, previous.as_ref());
    let stored = match &base {
        Some(base) => carried_over(record, base),
        None => record.clone(),
    };
    violations.extend(
        check_primary_class(
            conn,
            record.relationer.as_deref().unwrap_or_default(),
            "08 Dokumentklasse, Primær klasse [OB1]",
        )
        .await?,
    );
    // The cases the journal posts name: any system's case of the
    // municipality (an ESDH attaches documents to cases a case system
    // delivered).
    let mut known = std::collections::BTreeSet::new();
    for post in record.journalposter.iter().flatten() {
        let uuid = post.sag.trim().to_ascii_lowercase();
        let found: Option<i64> =
            sqlx::query_scalar("SELECT id FROM cases WHERE uuid = $1 AND municipality_code = $2")
                .bind(&uuid)
                .bind(i32::from(record.kommune))
                .fetch_optional(&mut *conn)
                .await?;
        if found.is_some() {
            known.insert(uuid);
        }
    }
    violations.extend(document::check_cases_known(record, |uuid| {
        known.contains(&uuid.trim().to_ascii_lowercase())
    }));
    let later: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM document_registrations WHERE document_id = $1 AND registered_at > $2 \
         LIMIT 1",
    )
    .bind(document_id)
    .bind(stored_instant(record.registreret))
    .fetch_optional(&mut *conn)
    .await?;
    let newest = later.is_none();
    if newest {
        for number in document::document_numbers(stored.egenskaber.as_deref().unwrap_or_default()) {
            let holder: Option<i64> = sqlx::query_scalar(
                "SELECT document_id FROM document_numbers WHERE municipality_code = $1 \
                 AND document_number = $2",
            )
            .bind(i32::from(record.kommune))
            .bind(&number)
            .fetch_optional(&mut *conn)
            .await?;
            if holder.is_some_and(|holder| holder != document_id) {
                violations.push(refusal(
                    "/egenskaber",
                    "document_number_taken",
                    "03 Dokumentegenskaber [OB1]",
                    "another document of the municipality has this BrugervendtNoegle".into(),
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
        document_id,
        stored,
        hash,
        newest,
        violations,
    })
}

/// Deletes these documents physically, everything of theirs first, on
/// `conn`.
async fn delete_documents(conn: &mut Connection, document_ids: &[i64]) -> Result<RemovalReport> {
    let mut report = RemovalReport::default();
    for document_id in document_ids {
        let of_registrations = |table: &str| {
            format!(
                "DELETE FROM {table} WHERE registration_id IN \
                 (SELECT id FROM document_registrations WHERE document_id = $1)"
            )
        };
        report.periods += sqlx::query(sqlx::AssertSqlSafe(of_registrations("document_periods")))
            .bind(document_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        for table in ["document_relations", "document_journal_posts"] {
            report.relations += sqlx::query(sqlx::AssertSqlSafe(of_registrations(table)))
                .bind(document_id)
                .execute(&mut *conn)
                .await?
                .rows_affected();
        }
        report.registrations +=
            sqlx::query("DELETE FROM document_registrations WHERE document_id = $1")
                .bind(document_id)
                .execute(&mut *conn)
                .await?
                .rows_affected();
        sqlx::query("DELETE FROM document_numbers WHERE document_id = $1")
            .bind(document_id)
            .execute(&mut *conn)
            .await?;
        report.documents += sqlx::query("DELETE FROM documents WHERE id = $1")
            .bind(document_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(report)
}

/// Every document of the system's for the municipality, deleted on
/// `conn` (the removal on system change's transaction, which has locked
/// the system).
pub(super) async fn remove_system_documents(
    conn: &mut Connection,
    system: SystemId,
    municipality: u16,
) -> Result<RemovalReport> {
    let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM documents WHERE system_id = $1 AND municipality_code = $2 ORDER BY id{}",
        for_update!()
    )))
    .bind(system.0)
    .bind(i32::from(municipality))
    .fetch_all(&mut *conn)
    .await?;
    delete_documents(conn, &ids).await
}

/// Logs a system's read of its own document, in the read's transaction.
async fn log_read(
    conn: &mut Connection,
    system: SystemId,
    document_id: i64,
    purpose: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO citizen_access_log (at, reader, system_id, document_id, purpose) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now())
    .bind(format!("system:{}", system.0))
    .bind(system.0)
    .bind(document_id)
    .bind(purpose)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[async_trait]
impl DocumentStore for Store {
    async fn deliver_documents(
        &self,
        system: &VendorSystem,
        batch: &DocumentBatch,
    ) -> Result<DeliveryOutcome> {
        let claim = Claim::new(
            &self.key,
            system.id,
            "document",
            batch.operation,
            batch.idempotency_key.as_deref(),
            &batch.records,
            batch.records.iter().map(|r| r.kommune),
        );
        let mut tx = begin_write(&self.pool).await?;
        let Some(delivery_id) = claim_delivery(&mut tx, &claim).await? else {
            tx.rollback().await?;
            return replay(&self.pool, &claim).await;
        };
        let system = super::systems::fetch_system(&mut tx, system.id, false).await?;
        let mut decisions = Vec::with_capacity(batch.records.len());
        for record in &batch.records {
            decisions.push(decide(&mut tx, &self.key, &system, batch.operation, record).await?);
        }
        let (status, records) =
            batch_outcome(batch.records.iter().zip(&decisions).map(|(record, d)| {
                let verdict = match d {
                    Decision::Refused(violations) => Verdict::Refused(violations),
                    Decision::Unchanged => Verdict::Unchanged,
                    Decision::Write { violations, .. } => Verdict::Written(violations),
                };
                (record.uuid.clone(), record.kommune, verdict)
            }));
        if status == BatchStatus::Refused {
            return log_refusal(&self.pool, tx, &claim, records).await;
        }
        for decision in decisions {
            let Decision::Write {
                document_id,
                stored,
                hash,
                newest,
                ..
            } = decision
            else {
                continue;
            };
            write_registration(
                &mut tx,
                &self.key,
                document_id,
                delivery_id,
                batch.operation,
                &stored,
                &hash,
            )
            .await?;
            if newest {
                sqlx::query("DELETE FROM document_numbers WHERE document_id = $1")
                    .bind(document_id)
                    .execute(&mut *tx)
                    .await?;
                for number in
                    document::document_numbers(stored.egenskaber.as_deref().unwrap_or_default())
                {
                    sqlx::query(
                        "INSERT INTO document_numbers (municipality_code, document_number, \
                         document_id) VALUES ($1, $2, $3)",
                    )
                    .bind(i32::from(stored.kommune))
                    .bind(number)
                    .bind(document_id)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        let outcome = DeliveryOutcome {
            delivery_id,
            status,
            records,
        };
        finish_delivery(&mut tx, delivery_id, &outcome).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn document_as_of(
        &self,
        system: SystemId,
        uuid: &str,
        registered_at: Option<OffsetDateTime>,
        valid_at: Option<OffsetDateTime>,
    ) -> Result<Option<DocumentView>> {
        let mut tx = begin_write(&self.pool).await?;
        let row: Option<DocumentRow> = sqlx::query_as(
            "SELECT id, system_id, municipality_code FROM documents \
             WHERE uuid = $1 AND system_id = $2",
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
            NoteBodies::Left,
        )
        .await?;
        log_read(&mut tx, system, row.id, "the system reads its own delivery").await?;
        tx.commit().await?;
        Ok(Some(DocumentView {
            uuid: uuid.trim().to_owned(),
            kommune,
            registreret: registration.registered_at,
            modtaget: registration.received_at,
            record: document::without_note_bodies(record),
        }))
    }

    async fn search_documents(
        &self,
        system: SystemId,
        search: &DocumentSearch,
    ) -> Result<Vec<DocumentSummary>> {
        #[derive(sqlx::FromRow)]
        struct Found {
            id: i64,
            uuid: String,
            municipality_code: i32,
        }
        let mut tx = begin_write(&self.pool).await?;
        let found: Vec<Found> = sqlx::query_as(
            "SELECT d.id, d.uuid, d.municipality_code FROM documents d WHERE d.system_id = $1 \
             AND ($2 IS NULL OR d.municipality_code = $2) \
             AND ($3 IS NULL OR d.id IN \
                  (SELECT document_id FROM document_numbers WHERE document_number = $3)) \
             AND ($4 IS NULL OR d.id IN (SELECT r.document_id FROM document_registrations r \
                  JOIN document_journal_posts j ON j.registration_id = r.id \
                  WHERE j.case_uuid = $4)) \
             ORDER BY d.id DESC LIMIT $5",
        )
        .bind(system.0)
        .bind(search.kommune.map(i32::from))
        .bind(search.dokumentnummer.as_deref().map(str::trim))
        .bind(search.sag.as_deref().map(|s| s.trim().to_ascii_lowercase()))
        .bind(search.limit.clamp(1, 1000))
        .fetch_all(&mut *tx)
        .await?;
        let mut out = Vec::with_capacity(found.len());
        for document in found {
            let numbers: Vec<String> = sqlx::query_scalar(
                "SELECT document_number FROM document_numbers WHERE document_id = $1 \
                 ORDER BY document_number",
            )
            .bind(document.id)
            .fetch_all(&mut *tx)
            .await?;
            let registered: OffsetDateTime = sqlx::query_scalar(
                "SELECT MAX(registered_at) FROM document_registrations WHERE document_id = $1",
            )
            .bind(document.id)
            .fetch_one(&mut *tx)
            .await?;
            log_read(
                &mut tx,
                system,
                document.id,
                "the system searches its own deliveries",
            )
            .await?;
            out.push(DocumentSummary {
                uuid: document.uuid,
                kommune: stored_code(document.municipality_code)?,
                dokumentnummer: numbers,
                registreret: registered,
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn remove_documents(
        &self,
        system: SystemId,
        uuids: &[String],
    ) -> Result<(RemovalReport, Vec<String>)> {
        let mut tx = begin_write(&self.pool).await?;
        let mut ids = Vec::new();
        let mut unknown = Vec::new();
        for uuid in uuids {
            let id: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT id FROM documents WHERE uuid = $1 AND system_id = $2{}",
                for_update!()
            )))
            .bind(uuid.trim())
            .bind(system.0)
            .fetch_optional(&mut *tx)
            .await?;
            match id {
                Some(id) => ids.push(id),
                None => unknown.push(uuid.clone()),
            }
        }
        let report = delete_documents(&mut tx, &ids).await?;
        append_citizen_audit(
            &mut tx,
            &Actor {
                user_id: None,
                label: format!("system:{}", system.0),
            },
            "documents.remove",
            Some(system.0),
            None,
            Some(serde_json::to_value(report).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok((report, unknown))
    }
}
