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
use samspil_citizen::case::{Operation, Previous, Virkning};
use samspil_citizen::document::{
    self, DocumentProgress, DocumentProperties, DocumentRecord, JournalNote, Journalpost,
};
use samspil_citizen_storage::{
    BatchStatus, DeliveryOutcome, DocumentBatch, DocumentSearch, DocumentStore, DocumentSummary,
    DocumentView, RemovalReport, SystemId, VendorSystem,
};
use samspil_storage::now;

use super::cases::{
    Claim, Decision, Located, RegistrationRow, Tables, audit_own_removal, batch_outcome,
    check_primary_class, count_owned, delete_registrations, erased, finish_written,
    later_registration, locate, log_read, numbers_and_latest, numbers_taken, own_registration_at,
    owned_ids, read_relations, record_digest, refusal, refuses, replace_numbers, sender_of,
    write_periods, write_relations,
};

const DOCUMENTS: Tables = Tables {
    objects: "documents",
    registrations: "document_registrations",
    owner: "document_id",
    numbers: "document_numbers",
    number: "document_number",
    noun: "document",
    id_section: "01 DokumentID [OB2]",
    registration_section: "02 Registreringsdata [OB2]",
    type_column: None,
};

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

/// Decides one record inside the batch's transaction.
async fn decide(
    conn: &mut Connection,
    key: &SealingKey,
    system: &VendorSystem,
    operation: Operation,
    record: &DocumentRecord,
) -> Result<Decision<DocumentRecord>> {
    let sender = match sender_of(system, SystemKind::Document, record.kommune)? {
        Ok(sender) => sender,
        Err(refused) => return Ok(Decision::Refused(refused)),
    };
    let hash = record_digest(key, record);
    let (document_id, base) = match locate(
        conn,
        &DOCUMENTS,
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
        Located::At { id, base: None } => (id, None),
        Located::At {
            id,
            base: Some(base),
        } => {
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
            (id, Some(base))
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
    let newest = !later_registration(conn, &DOCUMENTS, document_id, record.registreret).await?;
    if newest {
        let numbers = document::document_numbers(stored.egenskaber.as_deref().unwrap_or_default());
        for _ in numbers_taken(conn, &DOCUMENTS, document_id, record.kommune, &numbers).await? {
            violations.push(refusal(
                "/egenskaber",
                "document_number_taken",
                "03 Dokumentegenskaber [OB1]",
                "another document of the municipality has this BrugervendtNoegle".into(),
            ));
        }
    }
    if refuses(system, &violations) {
        return Ok(Decision::Refused(violations));
    }
    Ok(Decision::Write {
        object_id: document_id,
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
    for &document_id in document_ids {
        delete_registrations(
            conn,
            &DOCUMENTS,
            (
                "document_periods",
                &["document_relations", "document_journal_posts"],
            ),
            document_id,
            &mut report,
        )
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
        for decision in decisions {
            let Decision::Write {
                object_id: document_id,
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
                let numbers =
                    document::document_numbers(stored.egenskaber.as_deref().unwrap_or_default());
                replace_numbers(&mut tx, &DOCUMENTS, document_id, stored.kommune, &numbers).await?;
            }
        }
        finish_written(tx, delivery_id, status, records).await
    }

    async fn document_as_of(
        &self,
        system: SystemId,
        uuid: &str,
        registered_at: Option<OffsetDateTime>,
        valid_at: Option<OffsetDateTime>,
    ) -> Result<Option<DocumentView>> {
        let mut tx = begin_write(&self.pool).await?;
        let Some((row, registration)) =
            own_registration_at(&mut tx, &DOCUMENTS, system, uuid, registered_at).await?
        else {
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
        log_read(
            &mut tx,
            system,
            "document_id",
            row.id,
            "the system reads its own delivery",
        )
        .await?;
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
            let (numbers, registered) =
                numbers_and_latest(&mut tx, &DOCUMENTS, document.id).await?;
            log_read(
                &mut tx,
                system,
                "document_id",
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

    async fn count_documents(&self, system: SystemId, municipality: u16) -> Result<u64> {
        count_owned(&self.pool, &DOCUMENTS, system, municipality).await
    }

    async fn remove_documents(
        &self,
        system: SystemId,
        uuids: &[String],
    ) -> Result<(RemovalReport, Vec<String>)> {
        let mut tx = begin_write(&self.pool).await?;
        let (ids, unknown) = owned_ids(&mut tx, &DOCUMENTS, system, uuids).await?;
        let report = delete_documents(&mut tx, &ids).await?;
        audit_own_removal(&mut tx, system, "documents.remove", &report).await?;
        tx.commit().await?;
        Ok((report, unknown))
    }
}
