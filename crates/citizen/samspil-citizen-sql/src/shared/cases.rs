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

pub(super) fn batch_digest(
    key: &SealingKey,
    operation: Operation,
    records: &[impl serde::Serialize],
) -> String {
    let digests: Vec<String> = records.iter().map(|r| record_digest(key, r)).collect();
    key.lookup_digest(&format!("{}:{}", operation.as_str(), digests.join(",")))
}

/// The columns a relation's reference is stored in: `(reference,
/// party_digest, party_sealed)`. A person's CPR number (of a party role)
/// is its keyed digest and the value sealed, never the number.
pub(super) fn reference_columns(
    key: &SealingKey,
    party: bool,
    reference: &str,
) -> (Option<String>, Option<String>, Option<String>) {
    match case::cpr(reference) {
        Some(cpr) if party => (
            None,
            Some(key.lookup_digest(cpr)),
            Some(key.seal(reference.trim())),
        ),
        _ => (Some(reference.trim().to_owned()), None, None),
    }
}

/// A person's keyed look-up digest from a CPR reference
/// (`urn:oio:cpr-nr:…`); `None` for anything else.
pub(super) fn cpr_digest(key: &SealingKey, reference: &str) -> Option<String> {
    case::cpr(reference).map(|digits| key.lookup_digest(digits))
}

/// A person's keyed look-up digest from a CPR number as a reader gives
/// it: ten digits, or the reference.
pub(super) fn typed_cpr_digest(key: &SealingKey, text: &str) -> String {
    key.lookup_digest(case::cpr(text).unwrap_or(text.trim()))
}

/// A stored relation's reference, a sealed party opened.
pub(super) fn stored_reference(
    key: &SealingKey,
    reference: Option<String>,
    sealed: Option<String>,
) -> Result<String> {
    match (reference, sealed) {
        (Some(reference), _) => Ok(reference),
        (None, Some(sealed)) => key.open(&sealed).ok_or_else(|| {
            StorageError::Corrupt("a party that does not open under the configured key".into())
        }),
        (None, None) => Err(StorageError::Corrupt("a relation without reference".into())),
    }
}

/// A search's party as stored: a CPR number by its keyed digest.
pub(super) fn party_lookup(key: &SealingKey, part: &str) -> String {
    case::cpr(part).map_or_else(|| part.trim().to_owned(), |cpr| key.lookup_digest(cpr))
}

/// A system's own object, with its municipality.
#[derive(sqlx::FromRow)]
pub(super) struct OwnRow {
    pub id: i64,
    pub municipality_code: i32,
    /// Its type, where the table holds two ([`Tables::type_column`]).
    pub object_type: Option<String>,
}

/// The system's own object by its UUID, and the registration in force
/// at `registered_at` (now when `None`).
pub(super) async fn own_registration_at(
    conn: &mut Connection,
    tables: &Tables,
    system: SystemId,
    uuid: &str,
    registered_at: Option<OffsetDateTime>,
) -> Result<Option<(OwnRow, RegistrationRow)>> {
    let row: Option<OwnRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, municipality_code, {} AS object_type FROM {} \
         WHERE uuid = $1 AND system_id = $2",
        tables.type_column.unwrap_or("CAST(NULL AS TEXT)"),
        tables.objects
    )))
    .bind(uuid.trim())
    .bind(system.0)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let at = registered_at.unwrap_or(time::macros::datetime!(9999-12-31 0:00 UTC));
    Ok(registration_at(conn, tables, row.id, at)
        .await?
        .map(|registration| (row, registration)))
}

#[derive(sqlx::FromRow)]
pub(super) struct RegistrationRow {
    pub id: i64,
    pub registered_at: OffsetDateTime,
    pub received_at: OffsetDateTime,
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

/// The registration of an object in force at `at` (the latest at or
/// before it).
pub(super) async fn registration_at(
    conn: &mut Connection,
    tables: &Tables,
    id: i64,
    at: OffsetDateTime,
) -> Result<Option<RegistrationRow>> {
    let Tables {
        registrations,
        owner,
        ..
    } = tables;
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, registered_at, received_at FROM {registrations} \
         WHERE {owner} = $1 AND registered_at <= $2 ORDER BY registered_at DESC, id DESC LIMIT 1"
    )))
    .bind(id)
    .bind(stored_instant(at))
    .fetch_optional(&mut *conn)
    .await?)
}

/// A registration read back as a record, with only the periods valid at
/// `valid_at` (all when `None`); sealed parties opened.
pub(super) async fn read_registration(
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
        relationer: None,
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
    record.relationer =
        Some(read_relations(conn, key, "case_relations", registration.id, valid_at).await?);
    Ok(record)
}

/// A registration's relations from `table` (`case_relations`,
/// `document_relations`), those valid at `valid_at` (all when `None`),
/// sealed parties opened.
pub(super) async fn read_relations(
    conn: &mut Connection,
    key: &SealingKey,
    table: &'static str,
    registration_id: i64,
    valid_at: Option<OffsetDateTime>,
) -> Result<Vec<Relation>> {
    let relations: Vec<RelationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT role, reference, party_sealed, valid_from, valid_to FROM {table} \
         WHERE registration_id = $1 ORDER BY position"
    )))
    .bind(registration_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(relations.len());
    for relation in relations {
        let virkning = Virkning {
            fra: relation.valid_from,
            til: relation.valid_to,
        };
        if valid_at.is_some_and(|at| !virkning.holds_at(at)) {
            continue;
        }
        out.push(Relation {
            rolle: relation.role,
            reference: stored_reference(key, relation.reference, relation.party_sealed)?,
            virkning,
        });
    }
    Ok(out)
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
    write_periods(conn, "case_periods", registration_id, &periods).await?;
    write_relations(
        conn,
        key,
        "case_relations",
        registration_id,
        record.relationer.as_deref().unwrap_or_default(),
        is_party,
    )
    .await
}

/// Writes a registration's attribute periods (group, validity, value as
/// JSON) into `table` (`case_periods`, `document_periods`), in one
/// statement: an initial load writes thousands of registrations a batch.
pub(super) async fn write_periods(
    conn: &mut Connection,
    table: &'static str,
    registration_id: i64,
    periods: &[(&str, Virkning, String)],
) -> Result<()> {
    if periods.is_empty() {
        return Ok(());
    }
    let mut insert = sqlx::QueryBuilder::<Db>::new(format!(
        "INSERT INTO {table} (registration_id, group_name, position, valid_from, valid_to, \
         value_json) "
    ));
    insert.push_values(
        periods.iter().enumerate(),
        |mut row, (position, (group, virkning, value))| {
            row.push_bind(registration_id)
                .push_bind(*group)
                .push_bind(i32::try_from(position).unwrap_or(i32::MAX))
                .push_bind(stored_instant(virkning.fra))
                .push_bind(virkning.til.map(stored_instant))
                .push_bind(value);
        },
    );
    insert.build().execute(&mut *conn).await?;
    Ok(())
}

/// Writes a registration's relations into `table` (`case_relations`,
/// `document_relations`, `benefit_relations`) in one statement; a
/// relation whose role `is_party` and that names a CPR number keeps its
/// keyed digest and the value sealed (see [`reference_columns`]).
pub(super) async fn write_relations(
    conn: &mut Connection,
    key: &SealingKey,
    table: &'static str,
    registration_id: i64,
    relations: &[Relation],
    is_party: fn(&str) -> bool,
) -> Result<()> {
    if relations.is_empty() {
        return Ok(());
    }
    let mut insert = sqlx::QueryBuilder::<Db>::new(format!(
        "INSERT INTO {table} (registration_id, position, role, reference, party_digest, \
         party_sealed, valid_from, valid_to) "
    ));
    insert.push_values(
        relations.iter().enumerate(),
        |mut row, (position, relation)| {
            let (reference, digest, sealed) =
                reference_columns(key, is_party(&relation.rolle), &relation.reference);
            row.push_bind(registration_id)
                .push_bind(i32::try_from(position).unwrap_or(i32::MAX))
                .push_bind(relation.rolle.clone())
                .push_bind(reference)
                .push_bind(digest)
                .push_bind(sealed)
                .push_bind(stored_instant(relation.virkning.fra))
                .push_bind(relation.virkning.til.map(stored_instant));
        },
    );
    insert.build().execute(&mut *conn).await?;
    Ok(())
}

/// Serialising a period for its row, whatever its group.
pub(super) mod erased {
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

pub(super) fn refusal(pointer: &str, rule: &str, section: &str, message: String) -> Violation {
    Violation {
        pointer: pointer.to_owned(),
        rule: rule.to_owned(),
        section: section.to_owned(),
        message,
        fatal: true,
    }
}

/// The tables of one kind of delivered object (cases, documents), which
/// the ingest's steps below share.
pub(super) struct Tables {
    /// The objects: `cases`, `documents`.
    pub objects: &'static str,
    /// Their registrations: `case_registrations`, `document_registrations`.
    pub registrations: &'static str,
    /// The column naming the object in the tables below it: `case_id`.
    pub owner: &'static str,
    /// The user-facing numbers unique per municipality, and their column.
    pub numbers: &'static str,
    pub number: &'static str,
    /// The object's noun and its ID section, for the refusals.
    pub noun: &'static str,
    pub id_section: &'static str,
    pub registration_section: &'static str,
    /// The column of the object's type where one table holds two kinds
    /// (`benefit_objects.object_type`: grant or payment); an object of
    /// the other type is as if it did not exist.
    pub type_column: Option<&'static str>,
}

pub(super) const CASES: Tables = Tables {
    objects: "cases",
    registrations: "case_registrations",
    owner: "case_id",
    numbers: "case_numbers",
    number: "case_number",
    noun: "case",
    id_section: "01 Sagens ID [OB2]",
    registration_section: "02 Registreringsdata [OB1]",
    type_column: None,
};

/// The sending system's UUID, or the refusal when the system may not
/// deliver a record of `kind` for `kommune` today.
pub(super) fn sender_of(
    system: &VendorSystem,
    kind: SystemKind,
    kommune: u16,
) -> Result<std::result::Result<ItSystemUuid, Vec<Violation>>> {
    let sender = ItSystemUuid::parse("sender", &system.it_system_uuid)
        .map_err(|_| StorageError::Corrupt("a system's UUID".into()))?;
    Ok(may_deliver(
        system.disabled_at.is_some(),
        system.kind,
        &system.grants(),
        kind,
        kommune,
        now().date(),
    )
    .map(|()| sender)
    .map_err(|refused| {
        vec![refusal(
            "/kommune",
            refused.code(),
            "the system's registration",
            refused.to_string(),
        )]
    }))
}

/// Where a record goes: the object (locked, or created by an import)
/// with the registration an update builds on, or settled already
/// (`None`: the same registration is there; `Some`: refused).
pub(super) enum Located {
    At {
        id: i64,
        base: Option<RegistrationRow>,
    },
    Settled(Option<Vec<Violation>>),
}

/// Finds and locks the record's object (another system's or
/// municipality's is as if it did not exist to this system) or, for an
/// import, creates it conditionally (`ON CONFLICT DO NOTHING`, so two
/// imports of one object cannot both win).
#[allow(clippy::too_many_arguments)]
pub(super) async fn locate(
    conn: &mut Connection,
    tables: &Tables,
    system: &VendorSystem,
    operation: Operation,
    (uuid, object_type): (&str, Option<&str>),
    kommune: u16,
    registered: OffsetDateTime,
    hash: &str,
) -> Result<Located> {
    let Tables {
        objects,
        registrations,
        owner,
        noun,
        id_section,
        ..
    } = tables;
    let refused = |rule: &str, message: String| {
        Ok(Located::Settled(Some(vec![refusal(
            "/uuid", rule, id_section, message,
        )])))
    };
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        system_id: i64,
        municipality_code: i32,
        object_type: Option<String>,
    }
    let type_column = tables.type_column.unwrap_or("CAST(NULL AS TEXT)");
    let existing: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, system_id, municipality_code, {type_column} AS object_type \
         FROM {objects} WHERE uuid = $1{}",
        for_update!()
    )))
    .bind(uuid.trim())
    .fetch_optional(&mut *conn)
    .await?;
    match (operation, existing) {
        (_, Some(row))
            if row.system_id != system.id.0
                || row.object_type.as_deref() != object_type
                || stored_code(row.municipality_code)? != kommune =>
        {
            refused(
                &format!("not_this_systems_{noun}"),
                format!("the UUID is taken by a {noun} this system does not deliver"),
            )
        }
        (_, Some(row)) => {
            let same: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT id FROM {registrations} WHERE {owner} = $1 AND registered_at = $2 \
                 AND record_hash = $3"
            )))
            .bind(row.id)
            .bind(stored_instant(registered))
            .bind(hash)
            .fetch_optional(&mut *conn)
            .await?;
            if same.is_some() {
                return Ok(Located::Settled(None));
            }
            if operation == Operation::Import {
                return refused(
                    &format!("{noun}_exists"),
                    format!("the {noun} is imported already; send an update"),
                );
            }
            match registration_at(conn, tables, row.id, registered).await? {
                Some(base) => Ok(Located::At {
                    id: row.id,
                    base: Some(base),
                }),
                None => Ok(Located::Settled(Some(vec![refusal(
                    "/registreret",
                    "before_import",
                    tables.registration_section,
                    format!("the update is registered before the {noun}'s import"),
                )]))),
            }
        }
        (Operation::Update, None) => refused(
            &format!("unknown_{noun}"),
            format!("there is no such {noun} of this system's to update; import it first"),
        ),
        // Not a UUID: the rules refuse it, nothing is created.
        (Operation::Import, None) if ItSystemUuid::parse("uuid", uuid).is_err() => {
            Ok(Located::At { id: 0, base: None })
        }
        (Operation::Import, None) => {
            let (type_column, type_value) = match tables.type_column {
                Some(column) => (format!(", {column}"), ", $5"),
                None => (String::new(), ""),
            };
            let insert = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "INSERT INTO {objects} (uuid, system_id, municipality_code, created_at\
                 {type_column}) VALUES ($1, $2, $3, $4{type_value}) \
                 ON CONFLICT (uuid) DO NOTHING RETURNING id"
            )))
            .bind(uuid.trim())
            .bind(system.id.0)
            .bind(i32::from(kommune))
            .bind(now());
            let insert = match (tables.type_column, object_type) {
                (Some(_), Some(object_type)) => insert.bind(object_type),
                _ => insert,
            };
            let id: Option<i64> = insert.fetch_optional(&mut *conn).await?;
            match id {
                Some(id) => Ok(Located::At { id, base: None }),
                // Imported at this moment by another delivery.
                None => refused(
                    &format!("{noun}_exists"),
                    format!("the {noun} is imported already; send an update"),
                ),
            }
        }
    }
}

/// Whether the object has a registration later than `at` (then one at
/// `at` is history, not the present).
pub(super) async fn later_registration(
    conn: &mut Connection,
    tables: &Tables,
    id: i64,
    at: OffsetDateTime,
) -> Result<bool> {
    let Tables {
        registrations,
        owner,
        ..
    } = tables;
    let later: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM {registrations} WHERE {owner} = $1 AND registered_at > $2 LIMIT 1"
    )))
    .bind(id)
    .bind(stored_instant(at))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(later.is_some())
}

/// The numbers another object of the municipality holds.
pub(super) async fn numbers_taken(
    conn: &mut Connection,
    tables: &Tables,
    id: i64,
    kommune: u16,
    numbers: &[String],
) -> Result<Vec<String>> {
    let Tables {
        numbers: table,
        number,
        owner,
        ..
    } = tables;
    let mut taken = Vec::new();
    for value in numbers {
        let holder: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT {owner} FROM {table} WHERE municipality_code = $1 AND {number} = $2"
        )))
        .bind(i32::from(kommune))
        .bind(value)
        .fetch_optional(&mut *conn)
        .await?;
        if holder.is_some_and(|holder| holder != id) {
            taken.push(value.clone());
        }
    }
    Ok(taken)
}

/// The object's numbers become these (its present registration's).
pub(super) async fn replace_numbers(
    conn: &mut Connection,
    tables: &Tables,
    id: i64,
    kommune: u16,
    numbers: &[String],
) -> Result<()> {
    let Tables {
        numbers: table,
        number,
        owner,
        ..
    } = tables;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM {table} WHERE {owner} = $1"
    )))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    for value in numbers {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO {table} (municipality_code, {number}, {owner}) VALUES ($1, $2, $3)"
        )))
        .bind(i32::from(kommune))
        .bind(value)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Whether these violations refuse the record: a fatal one always, any
/// in strict mode.
pub(super) fn refuses(system: &VendorSystem, violations: &[Violation]) -> bool {
    violations
        .iter()
        .any(|v| v.fatal || system.mode == samspil_citizen::SystemMode::Strict)
}

/// The system's own objects by these UUIDs (locked), and the UUIDs it
/// has none by.
pub(super) async fn owned_ids(
    conn: &mut Connection,
    tables: &Tables,
    system: SystemId,
    uuids: &[String],
) -> Result<(Vec<i64>, Vec<String>)> {
    let mut ids = Vec::new();
    let mut unknown = Vec::new();
    for uuid in uuids {
        let id: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM {} WHERE uuid = $1 AND system_id = $2{}",
            tables.objects,
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
    Ok((ids, unknown))
}

/// How many objects of `tables` the system holds for the municipality.
pub(super) async fn count_owned(
    pool: &sqlx::Pool<Db>,
    tables: &Tables,
    system: SystemId,
    municipality: u16,
) -> Result<u64> {
    let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM {} WHERE system_id = $1 AND municipality_code = $2",
        tables.objects
    )))
    .bind(system.0)
    .bind(i32::from(municipality))
    .fetch_one(pool)
    .await?;
    Ok(u64::try_from(count).unwrap_or_default())
}

/// Audits a system's removal of its own objects with the counts.
pub(super) async fn audit_own_removal(
    conn: &mut Connection,
    system: SystemId,
    action: &str,
    report: &RemovalReport,
) -> Result<()> {
    append_citizen_audit(
        conn,
        &Actor {
            user_id: None,
            label: format!("system:{}", system.0),
        },
        action,
        Some(system.0),
        None,
        Some(serde_json::to_value(report).unwrap_or_default()),
    )
    .await
}

/// Logs a system's read of its own delivery (the object's `column`,
/// `case_id` or `document_id`), in the read's transaction.
pub(super) async fn log_read(
    conn: &mut Connection,
    system: SystemId,
    column: &str,
    id: i64,
    purpose: &str,
) -> Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO citizen_access_log (at, reader, system_id, {column}, purpose) \
         VALUES ($1, $2, $3, $4, $5)"
    )))
    .bind(now())
    .bind(format!("system:{}", system.0))
    .bind(system.0)
    .bind(id)
    .bind(purpose)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What a search shows of an object found: its numbers and its latest
/// registration's time.
pub(super) async fn numbers_and_latest(
    conn: &mut Connection,
    tables: &Tables,
    id: i64,
) -> Result<(Vec<String>, OffsetDateTime)> {
    let Tables {
        registrations,
        owner,
        numbers,
        number,
        ..
    } = tables;
    let found: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {number} FROM {numbers} WHERE {owner} = $1 ORDER BY {number}"
    )))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let latest: OffsetDateTime = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT MAX(registered_at) FROM {registrations} WHERE {owner} = $1"
    )))
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    Ok((found, latest))
}

/// The primary class in force is a KLE subject of the imported plan that
/// is active on the day its relation begins (when a plan is imported:
/// without one the rule cannot be decided).
pub(super) async fn check_primary_class(
    conn: &mut Connection,
    relations: &[Relation],
    section: &str,
) -> Result<Option<Violation>> {
    let Some((index, class)) = relations.iter().enumerate().find(|(_, r)| {
        r.rolle == "primaer_klasse" && r.virkning.til.is_none() && case::kle_subject(&r.reference)
    }) else {
        return Ok(None);
    };
    kle_class_violation(
        conn,
        format!("/relationer/{index}/reference"),
        (&class.reference, class.virkning.fra.date()),
        section,
        ("the primary class", "the class"),
    )
    .await
}

/// The violation of a KLE class `number` a record gives from `day`, when
/// it is not a subject of the imported plan active that day; `nouns`
/// name the class and what begins that day in the message.
pub(super) async fn kle_class_violation(
    conn: &mut Connection,
    pointer: String,
    (number, day): (&str, time::Date),
    section: &str,
    (class, begins): (&str, &str),
) -> Result<Option<Violation>> {
    let (rule, message) = match kle_subject_fault(conn, number, day).await? {
        None => return Ok(None),
        Some(KleFault::Unknown) => (
            "unknown_kle_subject",
            format!("{class} is not a subject of the KLE plan"),
        ),
        Some(KleFault::NotActive) => (
            "kle_subject_not_active",
            format!("{class} is a KLE subject that is not active on the day {begins} begins"),
        ),
    };
    Ok(Some(violation_of(pointer, rule, section, &message)))
}

/// What is wrong with a KLE subject a record classes itself by.
enum KleFault {
    /// Not a subject of the imported plan.
    Unknown,
    /// A subject, but not active on the day.
    NotActive,
}

/// Whether `number` is a subject of the imported KLE plan active on
/// `day`; `None` when it is, or when no plan is imported (then the rule
/// cannot be decided).
async fn kle_subject_fault(
    conn: &mut Connection,
    number: &str,
    day: time::Date,
) -> Result<Option<KleFault>> {
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
            .bind(number.trim())
            .fetch_optional(&mut *conn)
            .await?;
    Ok(match subject {
        None => Some(KleFault::Unknown),
        Some(subject) => {
            let active = samspil_citizen::kle::KleSubject {
                number: String::new(),
                title: String::new(),
                created_on: subject.created_on,
                expired_on: subject.expired_on,
                replaced_by: None,
                deletion_rule: None,
            }
            .active_on(day);
            (!active).then_some(KleFault::NotActive)
        }
    })
}

pub(super) fn violation_of(pointer: String, rule: &str, section: &str, message: &str) -> Violation {
    Violation {
        pointer,
        rule: rule.to_owned(),
        section: section.to_owned(),
        message: message.to_owned(),
        fatal: false,
    }
}

/// What one record came to, and what to write if the batch is written
/// (`T` the record to store: a case, a grant or payment).
pub(super) enum Decision<T> {
    Write {
        object_id: i64,
        stored: T,
        hash: String,
        newest: bool,
        violations: Vec<Violation>,
    },
    Unchanged,
    Refused(Vec<Violation>),
}

impl<T> Decision<T> {
    /// What the record came to, for the batch's outcome.
    pub(super) fn verdict(&self) -> Verdict<'_> {
        match self {
            Decision::Refused(violations) => Verdict::Refused(violations),
            Decision::Unchanged => Verdict::Unchanged,
            Decision::Write { violations, .. } => Verdict::Written(violations),
        }
    }
}

/// Decides one record inside the batch's transaction.
async fn decide(
    conn: &mut Connection,
    key: &SealingKey,
    system: &VendorSystem,
    batch: &CaseBatch,
    record: &CaseRecord,
) -> Result<Decision<CaseRecord>> {
    let operation = batch.operation;
    let sender = match sender_of(system, SystemKind::Case, record.kommune)? {
        Ok(sender) => sender,
        Err(refused) => return Ok(Decision::Refused(refused)),
    };
    let hash = record_digest(key, record);
    let (case_id, base) = match locate(
        conn,
        &CASES,
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
            let base =
                read_registration(conn, key, &record.uuid, record.kommune, &base, None).await?;
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
    let mut violations = case::check(record, operation, &sender, previous.as_ref());
    let stored = match &base {
        Some(base) => carried_over(record, base),
        None => record.clone(),
    };
    violations.extend(case::check_responsible_unit(
        record,
        batch.directory_units.get(&record.kommune),
    ));
    violations.extend(
        check_primary_class(
            conn,
            record.relationer.as_deref().unwrap_or_default(),
            "08 Sagsklasse, Primær klasse [OB1]",
        )
        .await?,
    );
    // Is this the present registration (no later one of the case)?
    let newest = !later_registration(conn, &CASES, case_id, record.registreret).await?;
    if newest {
        let numbers = case::case_numbers(stored.egenskaber.as_deref().unwrap_or_default());
        for _ in numbers_taken(conn, &CASES, case_id, record.kommune, &numbers).await? {
            violations.push(refusal(
                "/egenskaber",
                "case_number_taken",
                "03 Sagsegenskaber [OB1]",
                "another case of the municipality has this BrugervendtNoegle".into(),
            ));
        }
    }
    if refuses(system, &violations) {
        return Ok(Decision::Refused(violations));
    }
    Ok(Decision::Write {
        object_id: case_id,
        stored,
        hash,
        newest,
        violations,
    })
}

/// Logs a batch's outcome on its line and commits its transaction.
pub(super) async fn finish_written(
    mut tx: sqlx::Transaction<'static, Db>,
    delivery_id: i64,
    status: BatchStatus,
    records: Vec<RecordOutcome>,
) -> Result<DeliveryOutcome> {
    let outcome = DeliveryOutcome {
        delivery_id,
        status,
        records,
    };
    finish_delivery(&mut tx, delivery_id, &outcome).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Logs a batch's outcome on its delivery line.
pub(super) async fn finish_delivery(
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

/// A batch's line of the delivery log: whose, what it is known by (its
/// key and its records' keyed digest), what it carries (`case` or
/// `document`) and for which municipalities.
pub(super) struct Claim {
    pub system: SystemId,
    pub batch_key: String,
    pub content_hash: String,
    pub operation: Operation,
    pub object_kind: &'static str,
    pub record_count: usize,
    pub municipalities: Vec<u16>,
}

impl Claim {
    /// The claim of a batch of `records` (`kommune` of each given), its
    /// key apart for each kind of object.
    pub fn new(
        key: &SealingKey,
        system: SystemId,
        object_kind: &'static str,
        operation: Operation,
        idempotency_key: Option<&str>,
        records: &[impl serde::Serialize],
        municipalities: impl Iterator<Item = u16>,
    ) -> Self {
        let content_hash = batch_digest(key, operation, records);
        let kind = match object_kind {
            "case" => String::new(),
            other => format!("{other}:"),
        };
        let batch_key = match idempotency_key {
            Some(key) => format!("{kind}key:{key}"),
            None => format!("{kind}content:{content_hash}"),
        };
        let mut municipalities: Vec<u16> = municipalities.collect();
        municipalities.sort_unstable();
        municipalities.dedup();
        Self {
            system,
            batch_key,
            content_hash,
            operation,
            object_kind,
            record_count: records.len(),
            municipalities,
        }
    }

    /// The batch's transaction with its line of the log claimed; or, when
    /// the batch was delivered before, the answer it got then.
    pub async fn begin(
        &self,
        pool: &sqlx::Pool<Db>,
    ) -> Result<std::result::Result<(sqlx::Transaction<'static, Db>, i64), DeliveryOutcome>> {
        let mut tx = begin_write(pool).await?;
        match claim_delivery(&mut tx, self).await? {
            Some(delivery_id) => Ok(Ok((tx, delivery_id))),
            None => {
                tx.rollback().await?;
                Ok(Err(replay(pool, self).await?))
            }
        }
    }

    /// Ends a refused batch: nothing of it is written (its transaction is
    /// undone), and the refusal is logged on its own (the claim taken
    /// again).
    pub async fn log_refusal(
        &self,
        pool: &sqlx::Pool<Db>,
        tx: sqlx::Transaction<'static, Db>,
        records: Vec<RecordOutcome>,
    ) -> Result<DeliveryOutcome> {
        tx.rollback().await?;
        let (tx, delivery_id) = match self.begin(pool).await? {
            Ok(begun) => begun,
            Err(answer) => return Ok(answer),
        };
        finish_written(tx, delivery_id, BatchStatus::Refused, records).await
    }
}

/// Claims the batch's line of the log; `None` when the batch was
/// delivered before (or is being delivered).
pub(super) async fn claim_delivery(conn: &mut Connection, claim: &Claim) -> Result<Option<i64>> {
    let codes: String = claim
        .municipalities
        .iter()
        .map(|c| format!(",{c}"))
        .collect::<String>()
        + ",";
    Ok(sqlx::query_scalar(
        "INSERT INTO case_deliveries (system_id, batch_key, content_hash, operation, received_at, \
         status, record_count, violation_count, outcome_json, municipality_codes, object_kind) \
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, 0, '{}', $7, $8) \
         ON CONFLICT (system_id, batch_key) DO NOTHING RETURNING id",
    )
    .bind(claim.system.0)
    .bind(&claim.batch_key)
    .bind(&claim.content_hash)
    .bind(claim.operation.as_str())
    .bind(now())
    .bind(i64::try_from(claim.record_count).unwrap_or(i64::MAX))
    .bind(codes)
    .bind(claim.object_kind)
    .fetch_optional(&mut *conn)
    .await?)
}

/// What one record of a batch came to.
pub(super) enum Verdict<'a> {
    Refused(&'a [Violation]),
    Unchanged,
    Written(&'a [Violation]),
}

/// The batch's status and each record's: a refused record refuses the
/// batch (the others are not written), report-mode violations make it
/// accepted with warnings.
pub(super) fn batch_outcome<'a>(
    verdicts: impl Iterator<Item = (String, u16, Verdict<'a>)>,
) -> (BatchStatus, Vec<RecordOutcome>) {
    let verdicts: Vec<_> = verdicts.collect();
    let refused = verdicts
        .iter()
        .any(|(.., v)| matches!(v, Verdict::Refused(_)));
    let records: Vec<RecordOutcome> = verdicts
        .into_iter()
        .map(|(uuid, kommune, verdict)| {
            let (status, violations) = match verdict {
                Verdict::Refused(violations) => (RecordStatus::Refused, violations.to_vec()),
                _ if refused => (RecordStatus::NotWritten, Vec::new()),
                Verdict::Unchanged => (RecordStatus::Unchanged, Vec::new()),
                Verdict::Written([]) => (RecordStatus::Accepted, Vec::new()),
                Verdict::Written(violations) => {
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

/// The answer a batch delivered before got.
pub(super) async fn replay(pool: &sqlx::Pool<Db>, claim: &Claim) -> Result<DeliveryOutcome> {
    let (system, batch_key, content_hash) = (claim.system, &claim.batch_key, &claim.content_hash);
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
    if stored_hash != *content_hash {
        return Err(StorageError::Conflict(
            "the idempotency key was used for another batch".into(),
        ));
    }
    stored_outcome(&outcome)
}

pub(super) fn stored_outcome(json: &str) -> Result<DeliveryOutcome> {
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

/// Deletes an object's registrations physically with what hangs on
/// them (its periods in `periods`, its relations and the like in
/// `relations`), counting them into `report`; then its numbers, when its
/// kind has them. The object's own row is the caller's to delete.
pub(super) async fn delete_registrations(
    conn: &mut Connection,
    tables: &Tables,
    (periods, relations): (&str, &[&str]),
    id: i64,
    report: &mut RemovalReport,
) -> Result<()> {
    let Tables {
        registrations,
        owner,
        numbers,
        ..
    } = tables;
    let of_registrations = |table: &str| {
        format!(
            "DELETE FROM {table} WHERE registration_id IN \
             (SELECT id FROM {registrations} WHERE {owner} = $1)"
        )
    };
    report.periods += sqlx::query(sqlx::AssertSqlSafe(of_registrations(periods)))
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    for table in relations {
        report.relations += sqlx::query(sqlx::AssertSqlSafe(of_registrations(table)))
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    report.registrations += sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM {registrations} WHERE {owner} = $1"
    )))
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if !numbers.is_empty() {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {numbers} WHERE {owner} = $1"
        )))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Deletes these cases physically, everything of theirs first (the
/// periods and relations of every registration, the registrations, the
/// case numbers), on `conn`.
pub(super) async fn delete_cases(conn: &mut Connection, case_ids: &[i64]) -> Result<RemovalReport> {
    let mut report = RemovalReport::default();
    for &case_id in case_ids {
        delete_registrations(
            conn,
            &CASES,
            ("case_periods", &["case_relations"]),
            case_id,
            &mut report,
        )
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
        count_owned(&self.pool, &CASES, system, municipality).await
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
        // The system's documents (and journal notes) go with its cases.
        let documents =
            super::documents::remove_system_documents(&mut tx, system, municipality).await?;
        report.add(&documents);
        // The system's grants and payments go in the same transaction.
        super::benefits::delete_system_benefits(&mut tx, system, municipality, &mut report).await?;
        // And its claims (debts).
        super::debts::delete_system_claims(&mut tx, system, municipality, &mut report).await?;
        // And its appointments and deadlines.
        super::appointments::delete_system_appointments(&mut tx, system, municipality, &mut report)
            .await?;
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
        let (case_ids, unknown) = owned_ids(&mut tx, &CASES, system, uuids).await?;
        let report = delete_cases(&mut tx, &case_ids).await?;
        audit_own_removal(&mut tx, system, "cases.remove", &report).await?;
        tx.commit().await?;
        Ok((report, unknown))
    }

    async fn deliver_cases(
        &self,
        system: &VendorSystem,
        batch: &CaseBatch,
    ) -> Result<DeliveryOutcome> {
        let claim = Claim::new(
            &self.key,
            system.id,
            "case",
            batch.operation,
            batch.idempotency_key.as_deref(),
            &batch.records,
            batch.records.iter().map(|r| r.kommune),
        );
        let (mut tx, delivery_id) = match claim.begin(&self.pool).await? {
            Ok(begun) => begun,
            Err(answer) => return Ok(answer),
        };
        // The system as it is now (disabled, approvals), read in the
        // transaction.
        let system = super::systems::fetch_system(&mut tx, system.id, false).await?;
        let mut decisions = Vec::with_capacity(batch.records.len());
        for record in &batch.records {
            decisions.push(decide(&mut tx, &self.key, &system, batch, record).await?);
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
            if let Decision::Write {
                object_id: case_id,
                stored,
                hash,
                newest,
                ..
            } = decision
            {
                write_registration(
                    &mut tx,
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
                    let numbers =
                        case::case_numbers(stored.egenskaber.as_deref().unwrap_or_default());
                    replace_numbers(&mut tx, &CASES, case_id, stored.kommune, &numbers).await?;
                }
            }
        }
        finish_written(tx, delivery_id, status, records).await
    }

    async fn case_as_of(
        &self,
        system: SystemId,
        uuid: &str,
        registered_at: Option<OffsetDateTime>,
        valid_at: Option<OffsetDateTime>,
    ) -> Result<Option<CaseView>> {
        let mut tx = begin_write(&self.pool).await?;
        let Some((row, registration)) =
            own_registration_at(&mut tx, &CASES, system, uuid, registered_at).await?
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
        )
        .await?;
        // A citizen's data was read: logged in the same transaction.
        log_read(
            &mut tx,
            system,
            "case_id",
            row.id,
            "the system reads its own delivery",
        )
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
        let digest = search
            .part
            .as_deref()
            .map(|part| party_lookup(&self.key, part));
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
            let (numbers, registered) = numbers_and_latest(&mut tx, &CASES, case.id).await?;
            log_read(
                &mut tx,
                system,
                "case_id",
                case.id,
                "the system searches its own deliveries",
            )
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
            // A batch of documents shows as `document-import`, of cases as
            // `import`.
            "SELECT id, system_id, CASE WHEN object_kind = 'case' THEN operation \
             ELSE object_kind || '-' || operation END AS operation, received_at, status, \
             record_count, violation_count, outcome_json FROM case_deliveries WHERE system_id = $1 AND status <> 'pending' \
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
