//! Debts: the claims (fordringer) the municipalities' debtor systems (KMD
//! Opus Debitor, EG ØS Indsigt, Fujitsu Prisme, through ØiR in the
//! slides) deliver about a citizen, every rule the index checks on one
//! claim, and the rule of what a citizen is ever shown: only the claims
//! of a claim type the municipality has configured, verified and opened
//! (the slides' GB3.0 "configure the four claim types", GB4.0 "verify
//! with the verification client", GB5.0 "open for Mit Overblik").
//!
//! A record is one registration of a claim, whole (an update sends the
//! claim again); the store keeps every registration (bitemporal) and a
//! late older one goes into history, not over the present. Money is
//! integer øre, read exactly: a fraction, a string or a number beyond
//! the range is refused at its field, never rounded.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::common::{Violation, Virkning, check_text, check_virkning, cpr, fatal, violation};
use crate::system::ItSystemUuid;

/// The four claim types a municipality configures for the overview
/// (GB3.0). The seed's debt line of Mit Overblik names them: "Gæld til
/// pension, boligstøtte, barsel, familieydelser" (`../shared/seeds/000_…`).
/// Their Danish and English names are the web's texts
/// (`debts-type-{code}`).
pub const CLAIM_TYPES: [&str; 4] = ["pension", "boligstoette", "barsel", "familieydelser"];

/// A claim's status at its debtor system.
pub const CLAIM_STATUSES: [&str; 5] = [
    "aaben",
    "afdragsordning",
    "overdraget_til_inddrivelse",
    "betalt",
    "afskrevet",
];

/// `debitorsystem`: at most this many characters.
pub const MAX_DEBTOR_SYSTEM_CHARS: usize = 100;

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// An amount in øre as delivered: a whole number, or something else
/// (kept only as the fact that it is not one, never its value, so that a
/// refusal cannot echo what was in the field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Oere {
    Whole(i64),
    NotWhole,
}

impl Oere {
    pub fn whole(self) -> Option<i64> {
        match self {
            Oere::Whole(oere) => Some(oere),
            Oere::NotWhole => None,
        }
    }
}

impl Serialize for Oere {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Oere::Whole(oere) => serializer.serialize_i64(*oere),
            Oere::NotWhole => serializer.serialize_none(),
        }
    }
}

impl<'de> Deserialize<'de> for Oere {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Oere;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount in whole øre")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Oere, E> {
                Ok(Oere::Whole(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Oere, E> {
                Ok(i64::try_from(v).map_or(Oere::NotWhole, Oere::Whole))
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Oere, E> {
                Ok(Oere::NotWhole)
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Oere, E> {
                Ok(Oere::NotWhole)
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Oere, E> {
                Ok(Oere::NotWhole)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Oere, E> {
                Ok(Oere::NotWhole)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Oere, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Oere::NotWhole)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Oere, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Oere::NotWhole)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// One registration of a claim, as a debtor system delivers it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRecord {
    /// The sender-generated UUID of the claim.
    pub uuid: String,
    /// The municipality the claim is owed to (its code).
    pub kommune: u16,
    /// The registration's time at the sender: the order of a claim's
    /// registrations.
    #[serde(with = "time::serde::rfc3339")]
    pub registreret: OffsetDateTime,
    /// One of [`CLAIM_TYPES`].
    pub fordringstype: String,
    /// The debtor, `urn:oio:cpr-nr:…` (stored sealed, looked up by its
    /// keyed digest).
    pub debitor: String,
    /// The amount first claimed, in øre.
    pub oprindeligt_beloeb: Oere,
    /// What is still owed, in øre.
    pub restbeloeb: Oere,
    #[serde(with = "iso_date")]
    pub forfaldsdato: Date,
    /// One of [`CLAIM_STATUSES`].
    pub status: String,
    /// The debtor system that holds the claim (`KMD Opus Debitor`, …).
    pub debitorsystem: String,
    /// When the claim is valid.
    pub virkning: Virkning,
}

const SECTION_ID: &str = "Fordring 01 ID";
const SECTION_TYPE: &str = "Fordring 02 Fordringstype";
const SECTION_DEBTOR: &str = "Fordring 03 Debitor";
const SECTION_AMOUNTS: &str = "Fordring 04 Beløb";
const SECTION_STATUS: &str = "Fordring 05 Status";
const SECTION_SYSTEM: &str = "Fordring 06 Debitorsystem";
const SECTION_VALIDITY: &str = "Fordring 07 Virkning";

/// Every rule one claim breaks. The fatal ones (no UUID, no debtor by
/// CPR, an amount that is not whole øre) no mode accepts.
pub fn check(record: &ClaimRecord) -> Vec<Violation> {
    let mut out = Vec::new();
    if ItSystemUuid::parse("uuid", &record.uuid).is_err() {
        out.push(fatal(
            "/uuid".into(),
            "not_a_uuid",
            SECTION_ID,
            "the claim's UUID is not a UUID".into(),
        ));
    }
    if !CLAIM_TYPES.contains(&record.fordringstype.as_str()) {
        out.push(violation(
            "/fordringstype".into(),
            "unknown_claim_type",
            SECTION_TYPE,
            format!("the claim type is one of {}", CLAIM_TYPES.join(", ")),
        ));
    }
    if cpr(&record.debitor).is_none() {
        out.push(fatal(
            "/debitor".into(),
            "debtor_not_cpr",
            SECTION_DEBTOR,
            "the debtor is a person's CPR number, urn:oio:cpr-nr: and ten digits".into(),
        ));
    }
    for (field, amount) in [
        ("oprindeligt_beloeb", record.oprindeligt_beloeb),
        ("restbeloeb", record.restbeloeb),
    ] {
        match amount {
            Oere::NotWhole => out.push(fatal(
                format!("/{field}"),
                "not_whole_oere",
                SECTION_AMOUNTS,
                "an amount is a whole number of øre (no fraction, no text)".into(),
            )),
            Oere::Whole(oere) if oere < 0 => out.push(violation(
                format!("/{field}"),
                "negative_amount",
                SECTION_AMOUNTS,
                "an amount is not negative".into(),
            )),
            Oere::Whole(_) => {}
        }
    }
    if record.oprindeligt_beloeb == Oere::Whole(0) {
        out.push(violation(
            "/oprindeligt_beloeb".into(),
            "zero_claim",
            SECTION_AMOUNTS,
            "a claim is for more than 0 øre".into(),
        ));
    }
    if !CLAIM_STATUSES.contains(&record.status.as_str()) {
        out.push(violation(
            "/status".into(),
            "unknown_status",
            SECTION_STATUS,
            format!("the status is one of {}", CLAIM_STATUSES.join(", ")),
        ));
    } else if record.status == "betalt" && record.restbeloeb.whole().is_some_and(|oere| oere != 0) {
        out.push(violation(
            "/restbeloeb".into(),
            "paid_with_balance",
            SECTION_STATUS,
            "a paid claim has nothing left to pay".into(),
        ));
    }
    check_text(
        &mut out,
        "/debitorsystem".into(),
        &record.debitorsystem,
        MAX_DEBTOR_SYSTEM_CHARS,
        SECTION_SYSTEM,
        true,
    );
    check_virkning(
        &mut out,
        "/virkning".into(),
        &record.virkning,
        SECTION_VALIDITY,
    );
    out
}

/// Where a claim type stands for a municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimTypeState {
    /// Not configured: its claims are kept, never shown.
    Unconfigured,
    /// Configured in the debtor system (GB3.0), not yet verified.
    Configured,
    /// Its data verified with the verification view (GB4.0).
    Verified,
    /// Open for the citizen's overview (GB5.0): only now shown.
    Opened,
    /// Closed again: not shown; verified again before it opens again.
    Closed,
}

impl ClaimTypeState {
    pub const ALL: [ClaimTypeState; 5] = [
        ClaimTypeState::Unconfigured,
        ClaimTypeState::Configured,
        ClaimTypeState::Verified,
        ClaimTypeState::Opened,
        ClaimTypeState::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimTypeState::Unconfigured => "unconfigured",
            ClaimTypeState::Configured => "configured",
            ClaimTypeState::Verified => "verified",
            ClaimTypeState::Opened => "opened",
            ClaimTypeState::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether a citizen is shown the claims of a type in this state.
    pub fn shown(self) -> bool {
        self == ClaimTypeState::Opened
    }
}

/// A change of a claim type's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClaimTypeAction {
    Configure,
    Verify,
    Open,
    Close,
}

impl ClaimTypeAction {
    pub const ALL: [ClaimTypeAction; 4] = [
        ClaimTypeAction::Configure,
        ClaimTypeAction::Verify,
        ClaimTypeAction::Open,
        ClaimTypeAction::Close,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimTypeAction::Configure => "configure",
            ClaimTypeAction::Verify => "verify",
            ClaimTypeAction::Open => "open",
            ClaimTypeAction::Close => "close",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// The state this change leads to from `from`, or why it may not be
    /// made: a type is configured before it is verified, and verified
    /// before it is opened.
    pub fn apply(self, from: ClaimTypeState) -> Result<ClaimTypeState, ClaimTypeRefusal> {
        use ClaimTypeState as S;
        match (self, from) {
            (ClaimTypeAction::Configure, S::Unconfigured | S::Closed) => Ok(S::Configured),
            (ClaimTypeAction::Configure, _) => Err(ClaimTypeRefusal::AlreadyConfigured),
            (ClaimTypeAction::Verify, S::Configured | S::Closed) => Ok(S::Verified),
            (ClaimTypeAction::Verify, S::Unconfigured) => Err(ClaimTypeRefusal::NotConfigured),
            (ClaimTypeAction::Verify, S::Verified | S::Opened) => {
                Err(ClaimTypeRefusal::AlreadyVerified)
            }
            (ClaimTypeAction::Open, S::Verified) => Ok(S::Opened),
            (ClaimTypeAction::Open, S::Opened) => Err(ClaimTypeRefusal::AlreadyOpen),
            (ClaimTypeAction::Open, _) => Err(ClaimTypeRefusal::NotVerified),
            (ClaimTypeAction::Close, S::Configured | S::Verified | S::Opened) => Ok(S::Closed),
            (ClaimTypeAction::Close, S::Unconfigured | S::Closed) => {
                Err(ClaimTypeRefusal::NotInUse)
            }
        }
    }
}

/// Why a claim type's state may not change so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimTypeRefusal {
    UnknownClaimType,
    AlreadyConfigured,
    NotConfigured,
    AlreadyVerified,
    NotVerified,
    AlreadyOpen,
    NotInUse,
    /// The change would take effect before a day that has passed.
    InThePast,
    /// … or before the change before it takes effect.
    BeforeLastChange,
}

impl ClaimTypeRefusal {
    /// A stable code (the web's texts are `debts-error-{code}`).
    pub fn code(self) -> &'static str {
        match self {
            ClaimTypeRefusal::UnknownClaimType => "claim-type-unknown",
            ClaimTypeRefusal::AlreadyConfigured => "claim-type-already-configured",
            ClaimTypeRefusal::NotConfigured => "claim-type-not-configured",
            ClaimTypeRefusal::AlreadyVerified => "claim-type-already-verified",
            ClaimTypeRefusal::NotVerified => "claim-type-not-verified",
            ClaimTypeRefusal::AlreadyOpen => "claim-type-already-open",
            ClaimTypeRefusal::NotInUse => "claim-type-not-in-use",
            ClaimTypeRefusal::InThePast => "effective-from-past",
            ClaimTypeRefusal::BeforeLastChange => "effective-from-before-last",
        }
    }
}

impl fmt::Display for ClaimTypeRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ClaimTypeRefusal::UnknownClaimType => "not one of the four claim types",
            ClaimTypeRefusal::AlreadyConfigured => "the claim type is configured already",
            ClaimTypeRefusal::NotConfigured => "the claim type is configured before it is verified",
            ClaimTypeRefusal::AlreadyVerified => "the claim type is verified already",
            ClaimTypeRefusal::NotVerified => "the claim type is verified before it is opened",
            ClaimTypeRefusal::AlreadyOpen => "the claim type is open already",
            ClaimTypeRefusal::NotInUse => "the claim type is not in use",
            ClaimTypeRefusal::InThePast => "a change takes effect today or later",
            ClaimTypeRefusal::BeforeLastChange => {
                "a change takes effect no earlier than the change before it"
            }
        })
    }
}

impl std::error::Error for ClaimTypeRefusal {}

/// The day a change takes effect: the day asked for (today when none),
/// never a day that has passed nor one before the last change's, so that
/// the history of a claim type runs in one order.
pub fn effective_from(
    asked: Option<Date>,
    today: Date,
    last_change: Option<Date>,
) -> Result<Date, ClaimTypeRefusal> {
    let day = asked.unwrap_or(today);
    if day < today {
        return Err(ClaimTypeRefusal::InThePast);
    }
    match last_change {
        Some(last) if day < last => Err(ClaimTypeRefusal::BeforeLastChange),
        _ => Ok(day),
    }
}

/// The state in force on `day` from a claim type's history of changes
/// (each its state and the day it takes effect, in the order made).
pub fn state_on(history: &[(ClaimTypeState, Date)], day: Date) -> ClaimTypeState {
    history
        .iter()
        .rev()
        .find(|(_, from)| *from <= day)
        .map_or(ClaimTypeState::Unconfigured, |(state, _)| *state)
}

#[cfg(test)]
mod tests;
