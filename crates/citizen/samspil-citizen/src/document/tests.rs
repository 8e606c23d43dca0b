use time::macros::{date, datetime};

use super::*;

const SENDER: &str = "7d2e4f60-1b3c-4d5e-8f9a-0b1c2d3e4f50";

fn open(fra: OffsetDateTime) -> Virkning {
    Virkning { fra, til: None }
}

fn relation(rolle: &str, reference: &str) -> Relation {
    Relation {
        rolle: rolle.into(),
        reference: reference.into(),
        virkning: open(datetime!(2026-01-05 09:00 UTC)),
    }
}

/// A document that breaks no rule: an incoming letter on a case, with a
/// journal note saying why.
pub(crate) fn valid_document() -> DocumentRecord {
    let t = datetime!(2026-01-05 09:00 UTC);
    DocumentRecord {
        uuid: "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b".into(),
        kommune: 751,
        registreret: t,
        egenskaber: Some(vec![DocumentProperties {
            brugervendt_noegle: "D-2026-0001".into(),
            dokumentnummer: "D-2026-0001".into(),
            titel: "Lægeattest".into(),
            dokumenttype: "Brev, indgaaende".into(),
            brevdato: Some(date!(2026 - 01 - 04)),
            foelsomhed: "FOELSOMME_PERSONOPLYSNINGER".into(),
            offentlighed_undtaget: false,
            titel_alternativ_tekst: None,
            virkning: open(t),
        }]),
        fremdrift: Some(vec![
            DocumentProgress {
                status: "Modtaget".into(),
                virkning: Virkning {
                    fra: t,
                    til: Some(datetime!(2026-01-06 09:00 UTC)),
                },
            },
            DocumentProgress {
                status: "Endeligt".into(),
                virkning: open(datetime!(2026-01-06 09:00 UTC)),
            },
        ]),
        relationer: Some(vec![
            relation("ejer", "urn:oio:cvr-nr:55133018"),
            relation("ansvarlig", "3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d"),
            relation("part", "urn:oio:cpr-nr:0101901234"),
            relation("primaer_klasse", "32.18.10"),
            relation("master", SENDER),
            relation("afsender", SENDER),
        ]),
        journalposter: Some(vec![Journalpost {
            sag: "0c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f".into(),
            rolle: "tilakteret".into(),
            dokumenttitel: None,
            journalnotat: Some(JournalNote {
                titel: "Attest modtaget".into(),
                notat: Some("Borgeren har sendt attesten fra egen læge.".into()),
                format: "Text".into(),
            }),
            virkning: open(t),
        }]),
    }
}

fn sender() -> ItSystemUuid {
    ItSystemUuid::parse("sender", SENDER).expect("a UUID")
}

fn rules(record: &DocumentRecord, operation: Operation) -> Vec<String> {
    check(record, operation, &sender(), None)
        .into_iter()
        .map(|v| format!("{} {}", v.pointer, v.rule))
        .collect()
}

#[test]
fn a_valid_document_breaks_no_rule() {
    assert_eq!(
        rules(&valid_document(), Operation::Import),
        Vec::<String>::new()
    );
}

#[test]
fn each_rule_of_the_properties_names_its_field_and_section() {
    let mut record = valid_document();
    let p = &mut record.egenskaber.as_mut().expect("given")[0];
    p.titel = "x".repeat(256);
    p.dokumentnummer = String::new();
    p.dokumenttype = "Brev".into();
    p.foelsomhed = "HEMMELIG".into();
    p.offentlighed_undtaget = true;
    let found = check(&record, Operation::Import, &sender(), None);
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|v| (v.pointer.as_str(), v.rule.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("/egenskaber/0/dokumentnummer", "missing"),
            ("/egenskaber/0/titel", "too_long"),
            ("/egenskaber/0/type", "unknown_document_type"),
            ("/egenskaber/0/foelsomhed", "unknown_sensitivity"),
            (
                "/egenskaber/0/titel_alternativ_tekst",
                "alternative_title_missing"
            ),
        ]
    );
    assert!(
        found
            .iter()
            .all(|v| v.section.starts_with("03 Dokumentegenskaber"))
    );
}

#[test]
fn an_incoming_letter_has_its_date_and_an_outgoing_one_need_not() {
    let mut record = valid_document();
    record.egenskaber.as_mut().expect("given")[0].brevdato = None;
    assert_eq!(
        rules(&record, Operation::Import),
        ["/egenskaber/0/brevdato letter_date_missing"]
    );
    record.egenskaber.as_mut().expect("given")[0].dokumenttype = "Brev, udgaaende".into();
    assert!(rules(&record, Operation::Import).is_empty());
}

#[test]
fn the_progress_has_known_states_one_after_the_other_the_last_open() {
    let mut record = valid_document();
    let progress = record.fremdrift.as_mut().expect("given");
    progress[0].status = "Sendt".into();
    progress[0].virkning.til = Some(datetime!(2026-01-07 09:00 UTC));
    progress[1].virkning.til = Some(datetime!(2026-01-08 09:00 UTC));
    assert_eq!(
        rules(&record, Operation::Import),
        [
            "/fremdrift/0/status unknown_progress",
            "/fremdrift/0/virkning/til progress_overlap",
            "/fremdrift/1/virkning/til progress_not_open",
        ]
    );
}

#[test]
fn the_relations_have_their_cardinalities_and_references() {
    let mut record = valid_document();
    let relations = record.relationer.as_mut().expect("given");
    relations.retain(|r| r.rolle != "ejer");
    relations.push(relation("part", "Hans Hansen"));
    relations.push(relation("sikkerhedsprofil", SENDER));
    let found = rules(&record, Operation::Import);
    assert_eq!(
        found,
        [
            "/relationer/5/reference wrong_reference",
            "/relationer/6/rolle unknown_role",
            "/relationer cardinality",
        ]
    );
}

#[test]
fn the_sending_system_is_the_caller() {
    let mut record = valid_document();
    for r in record.relationer.as_mut().expect("given") {
        if r.rolle == "afsender" {
            r.reference = "11111111-2222-4333-8444-555555555555".into();
        }
    }
    assert_eq!(
        rules(&record, Operation::Import),
        ["/relationer/5/reference sender_is_not_the_caller"]
    );
}

#[test]
fn an_import_carries_every_group_and_an_update_only_what_it_changes() {
    let mut record = valid_document();
    record.fremdrift = None;
    record.relationer = None;
    assert_eq!(
        rules(&record, Operation::Import),
        [
            "/fremdrift missing_on_import",
            "/relationer missing_on_import"
        ]
    );
    assert!(rules(&record, Operation::Update).is_empty());
}

#[test]
fn the_master_never_changes_and_a_relation_in_force_is_ended_not_dropped() {
    let before = valid_document().relationer.expect("given");
    let mut record = valid_document();
    let relations = record.relationer.as_mut().expect("given");
    relations.retain(|r| r.rolle != "part");
    for r in relations.iter_mut() {
        if r.rolle == "master" {
            r.reference = "11111111-2222-4333-8444-555555555555".into();
        }
    }
    let previous = Previous { relations: &before };
    let found: Vec<String> = check(&record, Operation::Update, &sender(), Some(&previous))
        .into_iter()
        .map(|v| format!("{} {} {}", v.pointer, v.rule, v.section))
        .collect();
    assert_eq!(
        found,
        [
            "/relationer relation_removed 06–09 Relationer [OB1]",
            "/relationer relation_removed 06–09 Relationer [OB1]",
            "/relationer master_changed 09 IT-system, Master [OB1]",
        ]
    );
}

#[test]
fn a_journal_post_names_a_case_by_uuid_and_its_note_is_whole() {
    let mut record = valid_document();
    let post = &mut record.journalposter.as_mut().expect("given")[0];
    post.sag = "KY-2026-0001".into();
    post.rolle = "journalnotat".into();
    post.journalnotat = Some(JournalNote {
        titel: String::new(),
        notat: None,
        format: "Text".into(),
    });
    let found = check(&record, Operation::Import, &sender(), None);
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|v| (v.pointer.as_str(), v.rule.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("/journalposter/0/sag", "not_a_uuid"),
            ("/journalposter/0/rolle", "unknown_role"),
            ("/journalposter/0/journalnotat/titel", "missing"),
            ("/journalposter/0/journalnotat/notat", "missing"),
        ]
    );
    assert!(
        found
            .iter()
            .all(|v| v.section.starts_with("Sag 11 Journalpost"))
    );
}

#[test]
fn a_case_the_index_does_not_hold_is_named_at_its_journal_post() {
    let record = valid_document();
    let found = check_cases_known(&record, |_| false);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].pointer, "/journalposter/0/sag");
    assert_eq!(found[0].rule, "unknown_case");
    assert!(!found[0].fatal);
    assert!(check_cases_known(&record, |_| true).is_empty());
}

#[test]
fn a_read_back_never_holds_a_journal_notes_body() {
    let shown = without_note_bodies(valid_document());
    let json = serde_json::to_string(&shown).expect("JSON");
    assert!(!json.contains("egen læge"), "{json}");
    assert!(json.contains("Attest modtaget"), "{json}");
}

#[test]
fn the_json_shape_reads_back_as_it_was_written() {
    let record = valid_document();
    let json = serde_json::to_string(&record).expect("JSON");
    assert!(json.contains(r#""type":"Brev, indgaaende""#), "{json}");
    let back: DocumentRecord = serde_json::from_str(&json).expect("read back");
    assert_eq!(back, record);
    assert_eq!(
        document_numbers(record.egenskaber.as_deref().expect("given")),
        ["D-2026-0001"]
    );
}
