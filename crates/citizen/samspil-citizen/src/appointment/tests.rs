use time::macros::datetime;

use super::*;

fn appointment() -> AppointmentRecord {
    AppointmentRecord {
        uuid: "3b1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d".into(),
        kommune: 751,
        registreret: datetime!(2026-02-01 10:00 UTC),
        titel: "Samtale i jobcentret".into(),
        start: datetime!(2026-03-02 9:00 UTC),
        slut: Some(datetime!(2026-03-02 9:45 UTC)),
        sted: Sted {
            tekst: "Jobcenter Aarhus, mødelokale 2".into(),
            adresse: Some("Værkmestergade 7, 8000 Aarhus C".into()),
        },
        omraade: "15.02".into(),
        medbring: Some("Pas og lønsedler".into()),
        sag: Some("0c5c3d2e-1f4a-4b6c-8d9e-0a1b2c3d4e5f".into()),
        part: "urn:oio:cpr-nr:0101901234".into(),
        status: "planlagt".into(),
        tidligere_start: None,
        virkning: Virkning {
            fra: datetime!(2026-02-01 0:00 UTC),
            til: None,
        },
    }
}

fn rules(record: &AppointmentRecord) -> Vec<(String, String, bool)> {
    check(record)
        .into_iter()
        .map(|v| (v.pointer, v.rule, v.fatal))
        .collect()
}

#[test]
fn a_whole_appointment_breaks_no_rule() {
    assert_eq!(rules(&appointment()), []);
    // A deadline: no end, no address, nothing to bring, no case, an
    // area by text.
    let deadline = AppointmentRecord {
        slut: None,
        sted: Sted {
            tekst: "Digital Post".into(),
            adresse: None,
        },
        medbring: None,
        sag: None,
        omraade: "Beskæftigelse".into(),
        ..appointment()
    };
    assert_eq!(rules(&deadline), []);
    assert_eq!(deadline.ends(), deadline.start);
    let moved = AppointmentRecord {
        status: "flyttet".into(),
        start: datetime!(2026-03-09 9:00 UTC),
        slut: Some(datetime!(2026-03-09 9:45 UTC)),
        tidligere_start: Some(datetime!(2026-03-02 9:00 UTC)),
        ..appointment()
    };
    assert_eq!(rules(&moved), []);
}

/// A change that breaks one rule of a whole appointment.
type Change = Box<dyn Fn(&mut AppointmentRecord)>;

#[test]
fn each_rule_is_named_at_its_field() {
    let cases: Vec<(Change, &str, &str, bool)> = vec![
        (
            Box::new(|a| a.uuid = "x".into()),
            "/uuid",
            "not_a_uuid",
            true,
        ),
        (
            Box::new(|a| a.titel = " ".into()),
            "/titel",
            "missing",
            false,
        ),
        (
            Box::new(|a| a.titel = "t".repeat(256)),
            "/titel",
            "too_long",
            false,
        ),
        (
            Box::new(|a| a.slut = Some(datetime!(2026-03-02 8:00 UTC))),
            "/slut",
            "ends_before_start",
            false,
        ),
        (
            Box::new(|a| a.slut = Some(a.start)),
            "/slut",
            "ends_before_start",
            false,
        ),
        (
            Box::new(|a| a.sted.tekst = String::new()),
            "/sted/tekst",
            "missing",
            false,
        ),
        (
            Box::new(|a| a.sted.adresse = Some("a\nb".into())),
            "/sted/adresse",
            "not_one_line",
            false,
        ),
        (
            Box::new(|a| a.omraade = "15.2".into()),
            "/omraade",
            "not_a_kle_number",
            false,
        ),
        (
            Box::new(|a| a.omraade = String::new()),
            "/omraade",
            "missing",
            false,
        ),
        (
            Box::new(|a| a.medbring = Some("m".repeat(1001))),
            "/medbring",
            "too_long",
            false,
        ),
        (
            Box::new(|a| a.sag = Some("KY-1".into())),
            "/sag",
            "case_not_a_uuid",
            false,
        ),
        (
            Box::new(|a| a.part = "urn:oio:cvr-nr:55133018".into()),
            "/part",
            "part_not_cpr",
            true,
        ),
        (
            Box::new(|a| a.status = "cancelled".into()),
            "/status",
            "unknown_status",
            false,
        ),
        (
            Box::new(|a| a.status = "flyttet".into()),
            "/tidligere_start",
            "moved_without_previous_start",
            false,
        ),
        (
            Box::new(|a| {
                a.status = "flyttet".into();
                a.tidligere_start = Some(a.start);
            }),
            "/tidligere_start",
            "moved_to_the_same_time",
            false,
        ),
        (
            Box::new(|a| a.tidligere_start = Some(datetime!(2026-02-20 9:00 UTC))),
            "/tidligere_start",
            "previous_start_not_moved",
            false,
        ),
        (
            Box::new(|a| a.virkning.til = Some(datetime!(2026-01-01 0:00 UTC))),
            "/virkning",
            "validity_reversed",
            false,
        ),
    ];
    for (change, pointer, rule, fatal) in cases {
        let mut record = appointment();
        change(&mut record);
        assert_eq!(
            rules(&record),
            [(pointer.to_owned(), rule.to_owned(), fatal)],
            "{rule}"
        );
    }
}

#[test]
fn every_rule_names_an_appointment_section() {
    let mut record = appointment();
    record.uuid = "x".into();
    record.slut = Some(datetime!(2026-01-01 0:00 UTC));
    record.status = "x".into();
    let violations = check(&record);
    assert_eq!(violations.len(), 3);
    assert!(
        violations.iter().all(|v| v.section.starts_with("Aftale ")),
        "{violations:?}"
    );
}

#[test]
fn a_move_starts_from_the_time_before_it() {
    let moved = AppointmentRecord {
        status: "flyttet".into(),
        start: datetime!(2026-03-09 9:00 UTC),
        slut: None,
        tidligere_start: Some(datetime!(2026-03-02 9:00 UTC)),
        ..appointment()
    };
    assert_eq!(
        check_move(&moved, (datetime!(2026-03-02 9:00 UTC), None)),
        None
    );
    // The same move sent again (another field changed): it follows the
    // move.
    assert_eq!(
        check_move(
            &moved,
            (
                datetime!(2026-03-09 9:00 UTC),
                Some(datetime!(2026-03-02 9:00 UTC))
            )
        ),
        None
    );
    assert!(
        check_move(
            &moved,
            (
                datetime!(2026-03-09 9:00 UTC),
                Some(datetime!(2026-03-01 9:00 UTC))
            )
        )
        .is_some()
    );
    let wrong = check_move(&moved, (datetime!(2026-03-03 9:00 UTC), None)).expect("a violation");
    assert_eq!(
        (wrong.pointer.as_str(), wrong.rule.as_str()),
        ("/tidligere_start", "previous_start_mismatch")
    );
    // A planned appointment's time simply changes.
    assert_eq!(
        check_move(&appointment(), (datetime!(2026-01-01 0:00 UTC), None)),
        None
    );
}

#[test]
fn the_area_is_a_kle_number_of_any_level_or_a_text() {
    for (area, level) in [
        ("15", Some(crate::kle::Level::MainGroup)),
        ("15.02", Some(crate::kle::Level::Group)),
        ("15.02.05", Some(crate::kle::Level::Subject)),
        ("Beskæftigelse", None),
    ] {
        let record = AppointmentRecord {
            omraade: area.into(),
            ..appointment()
        };
        assert_eq!(record.kle_area().map(KleNumber::level), level, "{area}");
        assert_eq!(rules(&record), [], "{area}");
    }
}

#[test]
fn an_appointment_reads_back_as_it_was_written() {
    for record in [
        appointment(),
        AppointmentRecord {
            slut: None,
            medbring: None,
            sag: None,
            sted: Sted {
                tekst: "Telefon".into(),
                adresse: None,
            },
            ..appointment()
        },
    ] {
        let text = serde_json::to_string(&record).expect("json");
        assert_eq!(
            serde_json::from_str::<AppointmentRecord>(&text).expect("read"),
            record,
            "{text}"
        );
    }
    let text = serde_json::to_string(&appointment()).expect("json");
    assert!(
        text.contains("\"start\":\"2026-03-02T09:00:00Z\""),
        "{text}"
    );
    // An unknown field is refused, not ignored.
    let mut value = serde_json::to_value(appointment()).expect("json");
    value["sted"]["etage"] = serde_json::json!("2");
    assert!(serde_json::from_value::<AppointmentRecord>(value).is_err());
}
