use time::macros::datetime;

use super::*;

const GRANT_UUID: &str = "4a6b8c0d-2e4f-4a1b-9c3d-5e7f9a1b3c5d";

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

/// A grant of cash benefit paid monthly, breaking no rule.
pub(crate) fn valid_grant() -> GrantRecord {
    let from = datetime!(2026-01-05 09:00 UTC);
    GrantRecord {
        uuid: GRANT_UUID.into(),
        kommune: 751,
        registreret: from,
        egenskaber: Some(vec![GrantProperties {
            brugervendt_noegle: "B-2026-0001".into(),
            startdato: datetime!(2026-02-01 0:00 UTC),
            slutdato: Some(datetime!(2026-12-31 0:00 UTC)),
            begrundelse: Some("Lov om aktiv socialpolitik § 11".into()),
            foelsomhed: "FORTROLIGE_PERSONOPLYSNINGER".into(),
            virkning: open(from),
        }]),
        ydelser: Some(vec![GrantedBenefit {
            id: "KH-1".into(),
            navn: "Kontanthjælp".into(),
            kle: "32.18.04".into(),
            startdato: datetime!(2026-02-01 0:00 UTC),
            slutdato: None,
            tilbagebetalingspligtig: false,
            plan: vec![PaymentPlan {
                id: Some("P-1".into()),
                startdato: datetime!(2026-02-01 0:00 UTC),
                slutdato: None,
                frekvens: "Maanedlig".into(),
                forud_bagud: Some("Bagud".into()),
                dispositionsdag: Some("Sidste bankdag".into()),
                ydelsesbeloeb: Oere(1_234_556),
                manuelt_godkendes: false,
            }],
            virkning: open(from),
        }]),
        relationer: Some(vec![
            relation("sag", "0c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f"),
            relation("part", "urn:oio:cpr-nr:0101901234"),
            relation("ejer", "urn:oio:cvr-nr:55133018"),
        ]),
    }
}

pub(crate) fn valid_payment() -> PaymentRecord {
    let from = datetime!(2026-02-27 09:00 UTC);
    PaymentRecord {
        uuid: "7d9e1f3a-5b7c-4d9e-8f1a-3b5c7d9e1f3a".into(),
        kommune: 751,
        registreret: from,
        egenskaber: Some(vec![PaymentProperties {
            brugervendt_noegle: None,
            startdato: datetime!(2026-02-01 0:00 UTC),
            slutdato: datetime!(2026-02-28 0:00 UTC),
            bruttobeloeb: Oere(1_234_556),
            efter_skat_atp: Some(Oere(876_543)),
            sendt_til_udbetaling: Some(Oere(876_543)),
            udbetalt: None,
            dispositionsdato: datetime!(2026-02-27 0:00 UTC),
            udbetalingsafdeling: "Kommune".into(),
            virkning: open(from),
        }]),
        relationer: Some(vec![
            relation("bevilling", &format!("{GRANT_UUID}:KH-1")),
            relation("part", "urn:oio:cpr-nr:0101901234"),
        ]),
    }
}

fn rules(record: &BenefitRecord, operation: Operation) -> Vec<(String, String)> {
    check(record, operation, None)
        .into_iter()
        .map(|v| (v.pointer, v.rule))
        .collect()
}

fn grant_rules(grant: GrantRecord) -> Vec<(String, String)> {
    rules(&BenefitRecord::Bevilling(grant), Operation::Import)
}

fn payment_rules(payment: PaymentRecord) -> Vec<(String, String)> {
    rules(&BenefitRecord::Effektuering(payment), Operation::Import)
}

fn pair(pointer: &str, rule: &str) -> (String, String) {
    (pointer.to_owned(), rule.to_owned())
}

#[test]
fn a_valid_grant_and_payment_break_no_rule() {
    assert_eq!(grant_rules(valid_grant()), Vec::new());
    assert_eq!(payment_rules(valid_payment()), Vec::new());
}

#[test]
fn amounts_are_read_exactly_as_oere() {
    for (text, oere) in [
        ("1234.56", 123_456),
        ("0.5", 50),
        ("0.05", 5),
        ("7", 700),
        ("-12.30", -1230),
        ("92233720368547758.07", i64::MAX),
    ] {
        assert_eq!(Oere::from_kroner(text), Ok(Oere(oere)), "{text}");
    }
    for text in [
        "",
        "-",
        ".5",
        "5.",
        "1.234",
        "1,50",
        "1e3",
        "+1",
        " 1",
        "92233720368547758.08",
    ] {
        assert_eq!(Oere::from_kroner(text), Err(NotAnAmount), "{text:?}");
    }
    assert_eq!(Oere(123_456).kroner(), "1234.56");
    assert_eq!(Oere(-5).kroner(), "-0.05");
}

#[test]
fn an_amount_as_json_is_decimal_text_and_never_a_number() {
    let read: Oere = serde_json::from_str("\"1234.56\"").expect("an amount");
    assert_eq!(read, Oere(123_456));
    assert_eq!(serde_json::to_string(&read).expect("json"), "\"1234.56\"");
    assert!(serde_json::from_str::<Oere>("1234.56").is_err());
    assert!(serde_json::from_str::<Oere>("123456").is_err());
}

#[test]
fn an_import_carries_every_group() {
    let mut grant = valid_grant();
    grant.ydelser = None;
    assert_eq!(grant_rules(grant), [pair("/ydelser", "missing_on_import")]);
    let mut payment = valid_payment();
    payment.egenskaber = None;
    let update = rules(
        &BenefitRecord::Effektuering(payment.clone()),
        Operation::Update,
    );
    assert_eq!(update, Vec::new());
    assert_eq!(
        payment_rules(payment),
        [pair("/egenskaber", "missing_on_import")]
    );
}

#[test]
fn a_grant_names_its_case_recipient_and_owner_once() {
    let mut grant = valid_grant();
    grant.relationer = Some(vec![
        relation("part", "urn:oio:cpr-nr:0101901234"),
        relation("part", "urn:oio:cpr-nr:0202902345"),
        relation("ejer", "urn:oio:cpr-nr:0101901234"),
    ]);
    let found = grant_rules(grant);
    assert!(found.contains(&pair("/relationer/2/reference", "wrong_reference")));
    assert_eq!(
        found.iter().filter(|(_, r)| r == "cardinality").count(),
        2,
        "{found:?}"
    );
}

#[test]
fn a_benefits_class_is_a_kle_subject_and_its_id_unique() {
    let mut grant = valid_grant();
    let mut second = grant.ydelser.as_ref().expect("benefits")[0].clone();
    second.kle = "32.18".into();
    grant.ydelser.as_mut().expect("benefits").push(second);
    assert_eq!(
        grant_rules(grant),
        [
            pair("/ydelser/1/id", "duplicate_benefit_id"),
            pair("/ydelser/1/kle", "not_a_kle_subject"),
        ]
    );
}

#[test]
fn texts_codes_and_periods_follow_the_schema() {
    let mut grant = valid_grant();
    let properties = &mut grant.egenskaber.as_mut().expect("properties")[0];
    properties.brugervendt_noegle = "x".repeat(51);
    properties.foelsomhed = "HEMMELIG".into();
    properties.slutdato = Some(datetime!(2026-01-01 0:00 UTC));
    let plan = &mut grant.ydelser.as_mut().expect("benefits")[0].plan[0];
    plan.forud_bagud = Some("Midt".into());
    plan.ydelsesbeloeb = Oere(-1);
    assert_eq!(
        grant_rules(grant),
        [
            pair("/egenskaber/0/brugervendt_noegle", "too_long"),
            pair("/egenskaber/0/foelsomhed", "unknown_sensitivity"),
            pair("/egenskaber/0/slutdato", "period_reversed"),
            pair("/ydelser/0/plan/0/forud_bagud", "unknown_code"),
            pair("/ydelser/0/plan/0/ydelsesbeloeb", "negative_amount"),
        ]
    );
}

#[test]
fn a_payment_pays_no_more_after_tax_than_gross_and_no_negative_amount() {
    let mut payment = valid_payment();
    let p = &mut payment.egenskaber.as_mut().expect("properties")[0];
    p.efter_skat_atp = Some(Oere(p.bruttobeloeb.0 + 1));
    p.udbetalt = Some(Oere(-100));
    p.udbetalingsafdeling = "Banken".into();
    assert_eq!(
        payment_rules(payment),
        [
            pair("/egenskaber/0/udbetalt", "negative_amount"),
            pair("/egenskaber/0/efter_skat_atp", "amount_exceeds"),
            pair("/egenskaber/0/udbetalingsafdeling", "unknown_paying_unit"),
        ]
    );
}

#[test]
fn a_payment_refers_to_a_granted_benefit_by_grant_and_id() {
    let record = BenefitRecord::Effektuering(valid_payment());
    assert_eq!(
        paid_benefit(&record),
        Some((
            "/relationer/0/reference".into(),
            (GRANT_UUID.into(), "KH-1".into())
        ))
    );
    let mut payment = valid_payment();
    payment.relationer.as_mut().expect("relations")[0].reference = GRANT_UUID.into();
    assert_eq!(
        payment_rules(payment),
        [pair("/relationer/0/reference", "wrong_reference")]
    );
}

#[test]
fn the_kle_classes_in_force_are_those_the_store_checks() {
    let record = BenefitRecord::Bevilling(valid_grant());
    assert_eq!(
        kle_classes(&record),
        [(
            "/ydelser/0/kle".to_owned(),
            "32.18.04",
            time::macros::date!(2026 - 01 - 05)
        )]
    );
}

#[test]
fn an_update_ends_a_relation_in_force_rather_than_dropping_it() {
    let before = valid_grant().relationer.expect("relations");
    let mut update = valid_grant();
    update.relationer.as_mut().expect("relations").remove(0);
    let record = BenefitRecord::Bevilling(update);
    let found: Vec<String> = check(&record, Operation::Update, Some(&before))
        .into_iter()
        .map(|v| v.rule)
        .collect();
    assert_eq!(found, ["cardinality", "relation_removed"]);
}

#[test]
fn an_update_keeps_the_groups_it_leaves_out() {
    let base = BenefitRecord::Bevilling(valid_grant());
    let mut update = valid_grant();
    update.ydelser = None;
    update.relationer = None;
    update.registreret = datetime!(2026-03-01 09:00 UTC);
    let BenefitRecord::Bevilling(stored) = BenefitRecord::Bevilling(update).carried_over(&base)
    else {
        unreachable!()
    };
    assert_eq!(stored.ydelser, valid_grant().ydelser);
    assert_eq!(stored.registreret, datetime!(2026-03-01 09:00 UTC));
}

#[test]
fn a_record_is_a_grant_or_a_payment_as_json() {
    let json = serde_json::to_value(BenefitRecord::Bevilling(valid_grant())).expect("json");
    assert!(json.get("bevilling").is_some(), "{json}");
    let plan = &json["bevilling"]["ydelser"][0]["plan"][0]["ydelsesbeloeb"];
    assert_eq!(plan, "12345.56");
    let back: BenefitRecord = serde_json::from_value(json).expect("read back");
    assert_eq!(back, BenefitRecord::Bevilling(valid_grant()));
}
