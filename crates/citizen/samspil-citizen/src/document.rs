//! Documents (Dokument) as SF1470 defines them (`../shared/reference/
//! sf1470/anvisninger-forretningsobjekt-dokument.md`), with the journal
//! posts that attach each to cases and the journal notes on them, in the
//! JSON shape of the systems' door; and every rule of the anvisninger
//! that the index can check on one record, each broken one a
//! [`Violation`] as for cases.
//!
//! Where a document meets a case: SF1470 carries the link on the case
//! (`Sag/RelationListe/Journalpost`, roles `Tilakteret` and `Vedlagt`,
//! each optionally with a journal note saying why), and only the case's
//! master may change the case. A document system (ESDH) is rarely the
//! master of the cases its documents belong to, so samspil takes the same
//! journal post from the document's side: a document's registration
//! carries its `journalposter`, each naming the case by its UUID, with
//! the journal post's own properties and validity as the Sag anvisning
//! (section 11) gives them. A case delivered by any system of the
//! municipality may be named; one the index does not hold is a violation
//! (report mode takes it, for a document that arrives before its case).
//!
//! A journal note's body (`notat`) is kept (sealed, in the store) but
//! never shown: no read-back returns it, so it is optional in the type
//! and required by the rules.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::case::{
    self, MAX_CASE_NUMBER_CHARS, MAX_TITLE_CHARS, Previous, Relation, RoleRules, SENSITIVITIES,
};
use crate::common::{Operation, Violation, Virkning, check_text, check_virkning, fatal, violation};
use crate::system::ItSystemUuid;

// A day as `YYYY-MM-DD` in JSON (the anvisning's `BrevDato` format).
time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// `JournalnotatEgenskaber/Notat`: at most 100 KB.
pub const MAX_NOTE_BYTES: usize = 100 * 1024;
/// `Format`: as the codec reads it.
pub const MAX_NOTE_FORMAT_CHARS: usize = 50;

/// `DokumentIndeksType/Registrering/AttributListe/Egenskaber`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentProperties {
    pub brugervendt_noegle: String,
    pub dokumentnummer: String,
    pub titel: String,
    /// One of [`DOCUMENT_TYPES`].
    #[serde(rename = "type")]
    pub dokumenttype: String,
    /// `BrevDato`: the day a letter was sent (`YYYY-MM-DD`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "iso_date::option"
    )]
    pub brevdato: Option<Date>,
    /// One of [`SENSITIVITIES`].
    pub foelsomhed: String,
    #[serde(default)]
    pub offentlighed_undtaget: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub titel_alternativ_tekst: Option<String>,
    pub virkning: Virkning,
}

/// The document types the index takes (`Brev` of the XSD is not one:
/// the anvisning wants the letter's direction).
pub const DOCUMENT_TYPES: [&str; 9] = [
    "Brev, indgaaende",
    "Brev, udgaaende",
    "Dagsorden",
    "Eksternt Notat",
    "Faktura",
    "Internt Notat",
    "Rapport",
    "Plan",
    "Andet",
];

/// `TilstandListe/Fremdrift`: one period of the document's progress.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentProgress {
    /// One of [`DOCUMENT_PROGRESS`].
    pub status: String,
    pub virkning: Virkning,
}

pub const DOCUMENT_PROGRESS: [&str; 7] = [
    "Modtaget",
    "Fordelt",
    "Underudarbejdelse",
    "Underreview",
    "Publiceret",
    "Endeligt",
    "Afleveret",
];

/// The document's relation roles, with the anvisning's section and how
/// many must hold open-ended (`Some(1)` exactly one, `None` any).
pub const DOCUMENT_ROLES: [(&str, &str, Option<usize>); 7] = [
    ("ejer", "06 Dokumentaktør, Ejer [OB1]", Some(1)),
    ("ansvarlig", "06 Dokumentaktør, Ansvarlig [OB1]", Some(1)),
    ("part", "07 Dokumentpart, Parter", None),
    ("kopipart", "07 Dokumentpart, Kopiparter", None),
    (
        "primaer_klasse",
        "08 Dokumentklasse, Primær klasse [OB1]",
        Some(1),
    ),
    ("master", "09 IT-system, Master [OB1]", Some(1)),
    ("afsender", "09 IT-system, Afsender [OB1]", Some(1)),
];

/// A journal note (`JournalnotatEgenskaber`) on a journal post.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct JournalNote {
    pub titel: String,
    /// The body, as text. Required on delivery; never in a read-back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notat: Option<String>,
    /// The format it is written in (`Text`, `RTF`, `OOXML` or its UUID).
    pub format: String,
}

/// A journal post: the document attached to a case.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Journalpost {
    /// The case's UUID.
    pub sag: String,
    /// One of [`JOURNAL_POST_ROLES`].
    pub rolle: String,
    /// The document's title on this case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dokumenttitel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journalnotat: Option<JournalNote>,
    pub virkning: Virkning,
}

/// `Tilakteret` (the document bears on the case's decision) and
/// `Vedlagt` (attached, without bearing on it).
pub const JOURNAL_POST_ROLES: [&str; 2] = ["tilakteret", "vedlagt"];

/// One registration of a document, as a system delivers it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentRecord {
    /// The sender-generated UUID (`UUIDIdentifikator`).
    pub uuid: String,
    /// The municipality the document belongs to (its code).
    pub kommune: u16,
    /// The registration's time at the sender (`Registrering/Tidspunkt`).
    #[serde(with = "time::serde::rfc3339")]
    pub registreret: OffsetDateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egenskaber: Option<Vec<DocumentProperties>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fremdrift: Option<Vec<DocumentProgress>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationer: Option<Vec<Relation>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journalposter: Option<Vec<Journalpost>>,
}

const SECTION_ID: &str = "01 DokumentID [OB2]";
const SECTION_PROPERTIES: &str = "03 Dokumentegenskaber [OB1]";
const SECTION_PROPERTIES_DEPENDENT: &str = "03 Dokumentegenskaber [OB4]";
const SECTION_PROGRESS: &str = "04 Tilstand, Fremdrift [OB1]";
const SECTION_JOURNAL_POST: &str = "Sag 11 Journalpost [OB3]";
const SECTION_JOURNAL_NOTE: &str = "Sag 11 Journalpost, JournalnotatEgenskaber [OB4]";

/// The references each document role takes.
fn reference_fits(role: &str, reference: &str) -> bool {
    match role {
        "ejer" => case::cvr(reference).is_some(),
        "part" | "kopipart" => case::cpr(reference).is_some() || case::cvr(reference).is_some(),
        "primaer_klasse" => case::kle_subject(reference),
        _ => ItSystemUuid::parse("reference", reference).is_ok(),
    }
}

const RULES: RoleRules<'static> = RoleRules {
    roles: &DOCUMENT_ROLES,
    section: "06–09 Relationer [OB1]",
    master_section: Some("09 IT-system, Master [OB1]"),
    reference_fits,
};

/// Whether a relation of `role` may name a person by CPR number.
pub fn is_party(role: &str) -> bool {
    role == "part" || role == "kopipart"
}

/// Every rule one record breaks: those the record alone shows, and for
/// an update those against the document's present registration. The
/// system delivering it is `sender`.
pub fn check(
    record: &DocumentRecord,
    operation: Operation,
    sender: &ItSystemUuid,
    previous: Option<&Previous<'_>>,
) -> Vec<Violation> {
    let mut out = Vec::new();
    if ItSystemUuid::parse("uuid", &record.uuid).is_err() {
        out.push(fatal(
            "/uuid".into(),
            "not_a_uuid",
            SECTION_ID,
            "the document's UUID is not a UUID".into(),
        ));
    }
    if operation == Operation::Import {
        for (name, present, section) in [
            (
                "egenskaber",
                record.egenskaber.is_some(),
                SECTION_PROPERTIES,
            ),
            ("fremdrift", record.fremdrift.is_some(), SECTION_PROGRESS),
            ("relationer", record.relationer.is_some(), RULES.section),
        ] {
            if !present {
                out.push(violation(
                    format!("/{name}"),
                    "missing_on_import",
                    section,
                    format!("an import carries {name}"),
                ));
            }
        }
    }
    if let Some(properties) = &record.egenskaber {
        check_properties(&mut out, properties);
    }
    if let Some(progress) = &record.fremdrift {
        check_progress(&mut out, progress);
    }
    if let Some(relations) = &record.relationer {
        case::check_relations_by(&mut out, relations, sender, &RULES);
        if let Some(previous) = previous {
            case::check_against_previous_by(&mut out, relations, previous, &RULES);
        }
    }
    for (i, post) in record.journalposter.iter().flatten().enumerate() {
        check_journal_post(&mut out, i, post);
    }
    out
}

fn check_properties(out: &mut Vec<Violation>, properties: &[DocumentProperties]) {
    if properties.is_empty() {
        out.push(violation(
            "/egenskaber".into(),
            "missing",
            SECTION_PROPERTIES,
            "the document has no properties".into(),
        ));
    }
    for (i, p) in properties.iter().enumerate() {
        let at = |field: &str| format!("/egenskaber/{i}/{field}");
        for (field, value, max) in [
            (
                "brugervendt_noegle",
                &p.brugervendt_noegle,
                MAX_CASE_NUMBER_CHARS,
            ),
            ("dokumentnummer", &p.dokumentnummer, MAX_CASE_NUMBER_CHARS),
            ("titel", &p.titel, MAX_TITLE_CHARS),
        ] {
            check_text(out, at(field), value, max, SECTION_PROPERTIES, true);
        }
        if !DOCUMENT_TYPES.contains(&p.dokumenttype.as_str()) {
            out.push(violation(
                at("type"),
                "unknown_document_type",
                SECTION_PROPERTIES,
                format!(
                    "'{}' is not one of {}",
                    p.dokumenttype,
                    DOCUMENT_TYPES.join("; ")
                ),
            ));
        }
        if p.dokumenttype == "Brev, indgaaende" && p.brevdato.is_none() {
            out.push(violation(
                at("brevdato"),
                "letter_date_missing",
                SECTION_PROPERTIES_DEPENDENT,
                "an incoming letter has its date (BrevDato)".into(),
            ));
        }
        if !SENSITIVITIES.contains(&p.foelsomhed.as_str()) {
            out.push(violation(
                at("foelsomhed"),
                "unknown_sensitivity",
                SECTION_PROPERTIES,
                format!(
                    "'{}' is not one of {}",
                    p.foelsomhed,
                    SENSITIVITIES.join(", ")
                ),
            ));
        }
        case::check_alternative_title(
            out,
            at("titel_alternativ_tekst"),
            p.offentlighed_undtaget,
            p.titel_alternativ_tekst.as_deref(),
            SECTION_PROPERTIES_DEPENDENT,
            "document",
        );
        check_virkning(out, at("virkning"), &p.virkning, SECTION_PROPERTIES);
    }
}

/// The progress: known codes, one period after the other (no overlap),
/// the last one open. Unlike a case's, a document may pass its states in
/// any order (a document is received, or drafted, reviewed, published).
fn check_progress(out: &mut Vec<Violation>, progress: &[DocumentProgress]) {
    if progress.is_empty() {
        out.push(violation(
            "/fremdrift".into(),
            "missing",
            SECTION_PROGRESS,
            "the document has no progress".into(),
        ));
        return;
    }
    for (i, period) in progress.iter().enumerate() {
        if !DOCUMENT_PROGRESS.contains(&period.status.as_str()) {
            out.push(violation(
                format!("/fremdrift/{i}/status"),
                "unknown_progress",
                SECTION_PROGRESS,
                format!(
                    "'{}' is not one of {}",
                    period.status,
                    DOCUMENT_PROGRESS.join(", ")
                ),
            ));
        }
        check_virkning(
            out,
            format!("/fremdrift/{i}/virkning"),
            &period.virkning,
            SECTION_PROGRESS,
        );
        if let Some(next) = progress.get(i + 1)
            && period
                .virkning
                .til
                .is_none_or(|til| til > next.virkning.fra)
        {
            out.push(violation(
                format!("/fremdrift/{i}/virkning/til"),
                "progress_overlap",
                SECTION_PROGRESS,
                "each period of the progress ends before the next begins".into(),
            ));
        }
    }
    if progress.last().is_some_and(|p| p.virkning.til.is_some()) {
        out.push(violation(
            format!("/fremdrift/{}/virkning/til", progress.len() - 1),
            "progress_not_open",
            SECTION_PROGRESS,
            "the last period of the progress is open-ended".into(),
        ));
    }
}

fn check_journal_post(out: &mut Vec<Violation>, i: usize, post: &Journalpost) {
    let at = |field: &str| format!("/journalposter/{i}/{field}");
    if ItSystemUuid::parse("sag", &post.sag).is_err() {
        out.push(violation(
            at("sag"),
            "not_a_uuid",
            SECTION_JOURNAL_POST,
            "a journal post names its case by the case's UUID".into(),
        ));
    }
    if !JOURNAL_POST_ROLES.contains(&post.rolle.as_str()) {
        out.push(violation(
            at("rolle"),
            "unknown_role",
            SECTION_JOURNAL_POST,
            format!(
                "'{}' is not one of {}",
                post.rolle,
                JOURNAL_POST_ROLES.join(", ")
            ),
        ));
    }
    if let Some(title) = &post.dokumenttitel {
        check_text(
            out,
            at("dokumenttitel"),
            title,
            MAX_TITLE_CHARS,
            SECTION_JOURNAL_POST,
            false,
        );
    }
    if let Some(note) = &post.journalnotat {
        check_text(
            out,
            at("journalnotat/titel"),
            &note.titel,
            MAX_TITLE_CHARS,
            SECTION_JOURNAL_NOTE,
            true,
        );
        check_text(
            out,
            at("journalnotat/format"),
            &note.format,
            MAX_NOTE_FORMAT_CHARS,
            SECTION_JOURNAL_NOTE,
            true,
        );
        match note.notat.as_deref().map(str::trim) {
            None | Some("") => out.push(violation(
                at("journalnotat/notat"),
                "missing",
                SECTION_JOURNAL_NOTE,
                "a journal note has its body (Notat)".into(),
            )),
            Some(body) if body.len() > MAX_NOTE_BYTES => out.push(violation(
                at("journalnotat/notat"),
                "too_long",
                SECTION_JOURNAL_NOTE,
                format!("at most {MAX_NOTE_BYTES} bytes, got {}", body.len()),
            )),
            Some(_) => {}
        }
    }
    check_virkning(out, at("virkning"), &post.virkning, SECTION_JOURNAL_POST);
}

/// The journal posts whose case the index does not hold (`known` says
/// whether it holds a case of the municipality by that UUID).
pub fn check_cases_known(record: &DocumentRecord, known: impl Fn(&str) -> bool) -> Vec<Violation> {
    record
        .journalposter
        .iter()
        .flatten()
        .enumerate()
        .filter(|(_, post)| ItSystemUuid::parse("sag", &post.sag).is_ok() && !known(&post.sag))
        .map(|(i, _)| {
            violation(
                format!("/journalposter/{i}/sag"),
                "unknown_case",
                SECTION_JOURNAL_POST,
                "the index holds no case of the municipality by this UUID".into(),
            )
        })
        .collect()
}

/// The document numbers (`BrugervendtNoegle`) a record gives its
/// document, for the uniqueness per municipality.
pub fn document_numbers(properties: &[DocumentProperties]) -> Vec<String> {
    case::distinct_keys(properties.iter().map(|p| p.brugervendt_noegle.as_str()))
}

/// The record with every journal note's body left out: what any
/// read-back shows.
pub fn without_note_bodies(mut record: DocumentRecord) -> DocumentRecord {
    for post in record.journalposter.iter_mut().flatten() {
        if let Some(note) = &mut post.journalnotat {
            note.notat = None;
        }
    }
    record
}

#[cfg(test)]
mod tests;
