use time::macros::datetime;

use super::*;

const SENDER: &str = "1f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11";

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

/// A case that breaks no rule: the whole progress to Afgjort.
pub(crate) fn valid_case() -> CaseRecord {
    let t = |day: u8| {
        datetime!(2026-01-01 09:00 UTC)
            .replace_day(day)
            .expect("a day of January")
    };
    CaseRecord {
        uuid: "0c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f".into(),
        kommune: 751,
        registreret: t(5),
        egenskaber: Some(vec![Egenskaber {
            brugervendt_noegle: "KY-2026-0001".into(),
            sagsnummer: "KY-2026-0001".into(),
            titel: "Kontanthjælp".into(),
            offentlighed_undtaget: false,
            titel_alternativ_tekst: None,
            virkning: open(t(5)),
        }]),
        fremdrift: Some(vec![
            Fremdrift {
                status: "Opstaaet".into(),
                virkning: Virkning {
                    fra: t(5),
                    til: Some(t(8)),
                },
            },
            Fremdrift {
                status: "Oplyst".into(),
                virkning: Virkning {
                    fra: t(8),
                    til: Some(t(20)),
                },
            },
            Fremdrift {
                status: "Afgjort".into(),
                virkning: open(t(20)),
            },
        ]),
        indeks: Some(vec![Indeks {
            sagsstatus: Some("Under behandling".into()),
            foelsomhed: "FORTROLIGE_PERSONOPLYSNINGER".into(),
            virkning: open(t(5)),
        }]),
        relationer: Some(vec![
            relation("ejer", "urn:oio:cvr-nr:55133018"),
            relation("ansvarlig", "9b1d7f0e-2c3a-4d5e-8f60-718293a4b5c6"),
            relation("primaer_part", "urn:oio:cpr-nr:0101901234"),
            relation("sekundaer_part", "urn:oio:cvr-nr:12345678"),
            relation("primaer_klasse", "32.18.04"),
            relation("handlingsklasse", "G01"),
            relation("master", SENDER),
            relation("afsender", SENDER),
        ]),
    }
}

fn sender() -> ItSystemUuid {
    ItSystemUuid::parse("sender", SENDER).expect("valid")
}

fn rules(record: &CaseRecord, operation: Operation) -> Vec<(String, String)> {
    check(record, operation, &sender(), None)
        .into_iter()
        .map(|v| (v.pointer, v.rule))
        .collect()
}

fn broken(pointer: &str, rule: &str) -> Vec<(String, String)> {
    vec![(pointer.to_owned(), rule.to_owned())]
}

#[test]
fn a_valid_case_breaks_no_rule_and_reads_back_from_json() {
    let case = valid_case();
    assert_eq!(rules(&case, Operation::Import), Vec::new());
    let json = serde_json::to_value(&case).expect("serialises");
    let back: CaseRecord = serde_json::from_value(json).expect("reads back");
    assert_eq!(back, case);
}

#[test]
fn an_import_carries_every_group_an_update_only_what_it_changes() {
    let mut case = valid_case();
    case.indeks = None;
    assert_eq!(
        rules(&case, Operation::Import),
        broken("/indeks", "missing_on_import")
    );
    assert_eq!(rules(&case, Operation::Update), Vec::new());
}

#[test]
fn the_uuid_must_be_one_and_that_is_fatal() {
    let mut case = valid_case();
    case.uuid = "KY-1".into();
    let violations = check(&case, Operation::Import, &sender(), None);
    assert_eq!(violations.len(), 1);
    assert!(violations[0].fatal);
    assert_eq!(violations[0].section, "01 Sagens ID [OB2]");
}

#[test]
fn case_number_and_title_rules() {
    let mut case = valid_case();
    let p = &mut case.egenskaber.as_mut().expect("there")[0];
    p.brugervendt_noegle = "x".repeat(51);
    p.sagsnummer = "x".repeat(51);
    assert_eq!(
        rules(&case, Operation::Import),
        broken("/egenskaber/0/brugervendt_noegle", "too_long")
    );
    let mut case = valid_case();
    case.egenskaber.as_mut().expect("there")[0].sagsnummer = "KY-2026-0002".into();
    assert_eq!(
        rules(&case, Operation::Import),
        broken("/egenskaber/0/sagsnummer", "case_number_differs")
    );
    let mut case = valid_case();
    case.egenskaber.as_mut().expect("there")[0].titel = "t".repeat(256);
    assert_eq!(
        rules(&case, Operation::Import),
        broken("/egenskaber/0/titel", "too_long")
    );
    let mut case = valid_case();
    case.egenskaber.as_mut().expect("there")[0].titel = "to\nlinjer".into();
    assert_eq!(
        rules(&case, Operation::Import),
        broken("/egenskaber/0/titel", "not_one_line")
    );
}

#[test]
fn an_exempt_case_has_an_alternative_title_and_only_it() {
    let mut case = valid_case();
    case.egenskaber.as_mut().expect("there")[0].offentlighed_undtaget = true;
    assert_eq!(
        rules(&case, Operation::Import),
        broken(
            "/egenskaber/0/titel_alternativ_tekst",
            "alternative_title_missing"
        )
    );
    case.egenskaber.as_mut().expect("there")[0].titel_alternativ_tekst =
        Some("Sag om ydelse".into());
    assert_eq!(rules(&case, Operation::Import), Vec::new());
    case.egenskaber.as_mut().expect("there")[0].offentlighed_undtaget = false;
    assert_eq!(
        rules(&case, Operation::Import),
        broken(
            "/egenskaber/0/titel_alternativ_tekst",
            "alternative_title_not_exempt"
        )
    );
}

#[test]
fn the_progress_is_complete_in_order_without_gaps_and_ends_open() {
    let mut case = valid_case();
    case.fremdrift.as_mut().expect("there").remove(1);
    let found = rules(&case, Operation::Import);
    assert!(
        found.contains(&("/fremdrift/1/status".into(), "progress_incomplete".into())),
        "{found:?}"
    );
    let mut case = valid_case();
    case.fremdrift.as_mut().expect("there")[0].status = "Startet".into();
    assert_eq!(
        rules(&case, Operation::Import),
        broken("/fremdrift/0/status", "unknown_progress")
    );
    let mut case = valid_case();
    case.fremdrift.as_mut().expect("there")[0].virkning.til = Some(datetime!(2026-01-07 09:00 UTC));
    assert_eq!(
        rules(&case, Operation::Import),
        broken("/fremdrift/0/virkning/til", "progress_gap")
    );
    let mut case = valid_case();
    case.fremdrift.as_mut().expect("there")[2].virkning.til = Some(datetime!(2026-02-01 09:00 UTC));
    assert_eq!(
        rules(&case, Operation::Import),
        broken("/fremdrift/2/virkning/til", "progress_not_open")
    );
}

#[test]
fn sensitivity_status_and_validity_rules() {
    let mut case = valid_case();
    case.indeks.as_mut().expect("there")[0].foelsomhed = "HEMMELIG".into();
    assert_eq!(
        rules(&case, Operation::Import),
        broken("/indeks/0/foelsomhed", "unknown_sensitivity")
    );
    let mut case = valid_case();
    case.indeks.as_mut().expect("there")[0].sagsstatus = Some("s".repeat(256));
    assert_eq!(
        rules(&case, Operation::Import),
        broken("/indeks/0/sagsstatus", "too_long")
    );
    let mut case = valid_case();
    let v = &mut case.egenskaber.as_mut().expect("there")[0].virkning;
    v.til = Some(v.fra);
    assert_eq!(
        rules(&case, Operation::Import),
        broken("/egenskaber/0/virkning", "validity_reversed")
    );
}

#[test]
fn exactly_one_of_each_required_relation_with_the_reference_its_role_takes() {
    for role in [
        "ejer",
        "ansvarlig",
        "primaer_part",
        "primaer_klasse",
        "handlingsklasse",
        "master",
        "afsender",
    ] {
        let mut case = valid_case();
        case.relationer
            .as_mut()
            .expect("there")
            .retain(|r| r.rolle != role);
        let found = check(&case, Operation::Import, &sender(), None);
        assert_eq!(found.len(), 1, "{role}: {found:?}");
        assert_eq!(found[0].rule, "cardinality");
        assert!(found[0].message.contains(role), "{found:?}");
    }
    let mut case = valid_case();
    case.relationer
        .as_mut()
        .expect("there")
        .push(relation("ejer", "urn:oio:cvr-nr:29189846"));
    assert_eq!(
        rules(&case, Operation::Import),
        broken("/relationer", "cardinality")
    );
    for (index, reference) in [
        (0, "55133018"),
        (1, "Jobcenter"),
        (2, "urn:oio:cpr-nr:01019012"),
        (4, "32.18"),
        (6, "Fasit"),
    ] {
        let mut case = valid_case();
        case.relationer.as_mut().expect("there")[index].reference = reference.into();
        let found = rules(&case, Operation::Import);
        assert!(
            found.contains(&(
                format!("/relationer/{index}/reference"),
                "wrong_reference".into()
            )),
            "{reference}: {found:?}"
        );
    }
    let mut case = valid_case();
    case.relationer.as_mut().expect("there")[7].reference =
        "2f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11".into();
    assert_eq!(
        rules(&case, Operation::Import),
        broken("/relationer/7/reference", "sender_is_not_the_caller")
    );
    let mut case = valid_case();
    case.relationer.as_mut().expect("there")[3].rolle = "nabo".into();
    assert_eq!(
        rules(&case, Operation::Import),
        broken("/relationer/3/rolle", "unknown_role")
    );
}

#[test]
fn an_update_keeps_the_master_and_ends_what_it_removes() {
    let before = valid_case().relationer.expect("there");
    let previous = Previous { relations: &before };
    let mut update = valid_case();
    update.egenskaber = None;
    // The secondary party is dropped without its validity ending.
    update
        .relationer
        .as_mut()
        .expect("there")
        .retain(|r| r.rolle != "sekundaer_part");
    let found = check(&update, Operation::Update, &sender(), Some(&previous));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].rule, "relation_removed");
    // Ended instead: accepted.
    let mut update = valid_case();
    update.relationer.as_mut().expect("there")[3].virkning.til =
        Some(datetime!(2026-03-01 00:00 UTC));
    assert_eq!(
        check(&update, Operation::Update, &sender(), Some(&previous)),
        Vec::new()
    );
    // Another master.
    let mut update = valid_case();
    update.relationer.as_mut().expect("there")[6].reference =
        "2f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11".into();
    let found: Vec<String> = check(&update, Operation::Update, &sender(), Some(&previous))
        .into_iter()
        .map(|v| v.rule)
        .collect();
    assert!(found.contains(&"master_changed".to_owned()), "{found:?}");
}

#[test]
fn references_are_read_strictly() {
    assert_eq!(cpr("urn:oio:cpr-nr:0101901234"), Some("0101901234"));
    assert_eq!(cpr("0101901234"), None);
    assert_eq!(cvr("urn:oio:cvr-nr:55133018"), Some("55133018"));
    assert!(kle_subject("32.18.04"));
    assert!(!kle_subject("32.18.4"));
    let v = Virkning {
        fra: datetime!(2026-01-01 00:00 UTC),
        til: Some(datetime!(2026-02-01 00:00 UTC)),
    };
    assert!(v.holds_at(datetime!(2026-01-01 00:00 UTC)));
    assert!(!v.holds_at(datetime!(2026-02-01 00:00 UTC)));
}

#[test]
fn the_responsible_unit_is_one_of_the_directorys_when_there_is_one() {
    let case = valid_case();
    let mut units = std::collections::BTreeSet::new();
    assert_eq!(check_responsible_unit(&case, None), None);
    assert_eq!(
        check_responsible_unit(&case, Some(&units)),
        None,
        "no directory yet"
    );
    units.insert("0d1e7f0e-2c3a-4d5e-8f60-718293a4b5c6".to_owned());
    let refused = check_responsible_unit(&case, Some(&units)).expect("not a unit of the directory");
    assert_eq!(refused.pointer, "/relationer/1/reference");
    assert_eq!(refused.rule, "unknown_org_unit");
    units.insert("9b1d7f0e-2c3a-4d5e-8f60-718293a4b5c6".to_owned());
    assert_eq!(check_responsible_unit(&case, Some(&units)), None);
}
