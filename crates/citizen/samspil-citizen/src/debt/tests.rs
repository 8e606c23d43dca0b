use time::macros::{date, datetime};

use super::*;

fn claim() -> ClaimRecord {
    ClaimRecord {
        uuid: "7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d".into(),
        kommune: 751,
        registreret: datetime!(2026-02-01 10:00 UTC),
        fordringstype: "boligstoette".into(),
        debitor: "urn:oio:cpr-nr:0101901234".into(),
        oprindeligt_beloeb: Oere::Whole(1_250_000),
        restbeloeb: Oere::Whole(1_000_050),
        forfaldsdato: date!(2026 - 03 - 01),
        status: "afdragsordning".into(),
        debitorsystem: "KMD Opus Debitor".into(),
        virkning: Virkning {
            fra: datetime!(2026-01-15 0:00 UTC),
            til: None,
        },
    }
}

fn rules(record: &ClaimRecord) -> Vec<(String, String, bool)> {
    check(record)
        .into_iter()
        .map(|v| (v.pointer, v.rule, v.fatal))
        .collect()
}

#[test]
fn a_whole_claim_breaks_no_rule() {
    assert_eq!(rules(&claim()), []);
}

/// A change that breaks one rule of a whole claim.
type Change = Box<dyn Fn(&mut ClaimRecord)>;

#[test]
fn each_rule_is_named_at_its_field() {
    let cases: Vec<(Change, &str, &str, bool)> = vec![
        (
            Box::new(|c| c.uuid = "x".into()),
            "/uuid",
            "not_a_uuid",
            true,
        ),
        (
            Box::new(|c| c.fordringstype = "parkering".into()),
            "/fordringstype",
            "unknown_claim_type",
            false,
        ),
        (
            Box::new(|c| c.debitor = "urn:oio:cvr-nr:55133018".into()),
            "/debitor",
            "debtor_not_cpr",
            true,
        ),
        (
            Box::new(|c| c.restbeloeb = Oere::NotWhole),
            "/restbeloeb",
            "not_whole_oere",
            true,
        ),
        (
            Box::new(|c| c.restbeloeb = Oere::Whole(-1)),
            "/restbeloeb",
            "negative_amount",
            false,
        ),
        (
            Box::new(|c| c.oprindeligt_beloeb = Oere::Whole(0)),
            "/oprindeligt_beloeb",
            "zero_claim",
            false,
        ),
        (
            Box::new(|c| c.status = "open".into()),
            "/status",
            "unknown_status",
            false,
        ),
        (
            Box::new(|c| c.status = "betalt".into()),
            "/restbeloeb",
            "paid_with_balance",
            false,
        ),
        (
            Box::new(|c| c.debitorsystem = " ".into()),
            "/debitorsystem",
            "missing",
            false,
        ),
        (
            Box::new(|c| c.virkning.til = Some(datetime!(2026-01-01 0:00 UTC))),
            "/virkning",
            "validity_reversed",
            false,
        ),
    ];
    for (change, pointer, rule, fatal) in cases {
        let mut record = claim();
        change(&mut record);
        assert_eq!(
            rules(&record),
            [(pointer.to_owned(), rule.to_owned(), fatal)],
            "{rule}"
        );
    }
}

#[test]
fn amounts_are_read_exactly_in_whole_oere() {
    let json = |amount: &str| {
        let mut value = serde_json::to_value(claim()).expect("json");
        value["restbeloeb"] = serde_json::from_str(amount).expect("json");
        serde_json::from_value::<ClaimRecord>(value)
            .expect("read")
            .restbeloeb
    };
    assert_eq!(json("1000050"), Oere::Whole(1_000_050));
    assert_eq!(json("9223372036854775807"), Oere::Whole(i64::MAX));
    for other in [
        "10.5",
        "1e3",
        "10.0",
        "\"100\"",
        "null",
        "true",
        "[1]",
        "{\"a\":1}",
        "9223372036854775808",
    ] {
        assert_eq!(json(other), Oere::NotWhole, "{other}");
    }
}

#[test]
fn a_claim_reads_back_as_it_was_written() {
    let text = serde_json::to_string(&claim()).expect("json");
    assert!(text.contains("\"forfaldsdato\":\"2026-03-01\""), "{text}");
    assert_eq!(
        serde_json::from_str::<ClaimRecord>(&text).expect("read"),
        claim()
    );
}

#[test]
fn a_claim_type_is_configured_then_verified_then_opened() {
    use ClaimTypeAction::*;
    use ClaimTypeState::*;
    assert_eq!(Configure.apply(Unconfigured), Ok(Configured));
    assert_eq!(Verify.apply(Configured), Ok(Verified));
    assert_eq!(Open.apply(Verified), Ok(Opened));
    assert_eq!(Close.apply(Opened), Ok(Closed));
    assert_eq!(Verify.apply(Closed), Ok(Verified));
    assert_eq!(Open.apply(Unconfigured), Err(ClaimTypeRefusal::NotVerified));
    assert_eq!(Open.apply(Configured), Err(ClaimTypeRefusal::NotVerified));
    assert_eq!(Open.apply(Closed), Err(ClaimTypeRefusal::NotVerified));
    assert_eq!(
        Verify.apply(Unconfigured),
        Err(ClaimTypeRefusal::NotConfigured)
    );
    assert_eq!(Open.apply(Opened), Err(ClaimTypeRefusal::AlreadyOpen));
    assert_eq!(Close.apply(Unconfigured), Err(ClaimTypeRefusal::NotInUse));
    assert_eq!(
        Configure.apply(Verified),
        Err(ClaimTypeRefusal::AlreadyConfigured)
    );
    for state in ClaimTypeState::ALL {
        assert_eq!(ClaimTypeState::parse(state.as_str()), Some(state));
        assert_eq!(state.shown(), state == Opened);
    }
    for action in ClaimTypeAction::ALL {
        assert_eq!(ClaimTypeAction::parse(action.as_str()), Some(action));
    }
}

#[test]
fn a_change_takes_effect_today_or_later_in_order() {
    let today = date!(2026 - 05 - 10);
    assert_eq!(effective_from(None, today, None), Ok(today));
    assert_eq!(
        effective_from(Some(date!(2026 - 06 - 01)), today, Some(today)),
        Ok(date!(2026 - 06 - 01))
    );
    assert_eq!(
        effective_from(Some(date!(2026 - 05 - 09)), today, None),
        Err(ClaimTypeRefusal::InThePast)
    );
    assert_eq!(
        effective_from(None, today, Some(date!(2026 - 06 - 01))),
        Err(ClaimTypeRefusal::BeforeLastChange)
    );
}

#[test]
fn the_state_in_force_on_a_day_is_the_last_change_begun_by_then() {
    use ClaimTypeState::*;
    let history = [
        (Configured, date!(2026 - 01 - 01)),
        (Verified, date!(2026 - 02 - 01)),
        (Opened, date!(2026 - 03 - 01)),
    ];
    assert_eq!(state_on(&history, date!(2025 - 12 - 31)), Unconfigured);
    assert_eq!(state_on(&history, date!(2026 - 02 - 15)), Verified);
    assert_eq!(state_on(&history, date!(2026 - 03 - 01)), Opened);
    assert_eq!(state_on(&[], date!(2026 - 03 - 01)), Unconfigured);
}
