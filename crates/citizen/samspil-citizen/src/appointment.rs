//! Appointments and deadlines: what the municipalities' calendar and case
//! systems (the activity index of the slides' "Kalender" line) deliver
//! about a citizen's meetings and deadlines — the time, the place, which
//! municipality and area, what to bring, the case it belongs to, and
//! whether it is planned, cancelled or moved — and every rule the index
//! checks on one appointment.
//!
//! A record is one registration of an appointment, whole (an update sends
//! the appointment again); the store keeps every registration
//! (bitemporal) and a late older one goes into history, not over the
//! present. A moved appointment keeps its UUID: the new registration
//! holds the new time (`start`, `slut`) and the old one
//! (`tidligere_start`). A deadline is an appointment without an end.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::common::{Violation, Virkning, check_text, check_virkning, cpr, fatal, violation};
use crate::kle::KleNumber;
use crate::system::ItSystemUuid;

/// An appointment's status at its system: planned, cancelled, moved.
pub const APPOINTMENT_STATUSES: [&str; 3] = ["planlagt", "aflyst", "flyttet"];

/// `titel`: at most this many characters.
pub const MAX_TITLE_CHARS: usize = 255;
/// `sted.tekst` and `sted.adresse`: at most this many characters each.
pub const MAX_PLACE_CHARS: usize = 255;
/// `omraade` as text (not a KLE number): at most this many characters.
pub const MAX_AREA_CHARS: usize = 100;
/// `medbring`: at most this many characters.
pub const MAX_BRING_CHARS: usize = 1000;

/// Where an appointment is: a text (`Jobcentret, mødelokale 2`, `Telefon`,
/// `Video`) and, when it is a place one goes to, its address.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Sted {
    pub tekst: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adresse: Option<String>,
}

/// One registration of an appointment (or deadline), as a system
/// delivers it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AppointmentRecord {
    /// The sender-generated UUID of the appointment; a moved appointment
    /// keeps it.
    pub uuid: String,
    /// The municipality the appointment is with (its code).
    pub kommune: u16,
    /// The registration's time at the sender: the order of an
    /// appointment's registrations.
    #[serde(with = "time::serde::rfc3339")]
    pub registreret: OffsetDateTime,
    /// What the appointment is (`Samtale i jobcentret`, `Frist for
    /// indsendelse af lønsedler`).
    pub titel: String,
    /// When it begins (a deadline: when it falls).
    #[serde(with = "time::serde::rfc3339")]
    pub start: OffsetDateTime,
    /// When it ends; none for a deadline.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub slut: Option<OffsetDateTime>,
    pub sted: Sted,
    /// The area: a KLE number (a main group `15`, a group `15.02` or a
    /// subject `15.02.05`) or a text (`Beskæftigelse`).
    pub omraade: String,
    /// What the citizen brings (`Pas og lønsedler`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medbring: Option<String>,
    /// The UUID of the case it belongs to, a case of the index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sag: Option<String>,
    /// The citizen, `urn:oio:cpr-nr:…` (stored sealed, looked up by its
    /// keyed digest).
    pub part: String,
    /// One of [`APPOINTMENT_STATUSES`].
    pub status: String,
    /// A moved appointment's time before the move.
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub tidligere_start: Option<OffsetDateTime>,
    /// When the appointment is valid.
    pub virkning: Virkning,
}

impl AppointmentRecord {
    /// The area as a KLE number, when it is one.
    pub fn kle_area(&self) -> Option<KleNumber> {
        self.omraade.trim().parse().ok()
    }

    /// When it is over: its end, or (a deadline) its start.
    pub fn ends(&self) -> OffsetDateTime {
        self.slut.unwrap_or(self.start)
    }
}

const SECTION_ID: &str = "Aftale 01 ID";
const SECTION_TITLE: &str = "Aftale 02 Titel";
const SECTION_TIME: &str = "Aftale 03 Tidspunkt";
const SECTION_PLACE: &str = "Aftale 04 Sted";
pub const SECTION_AREA: &str = "Aftale 05 Område";
const SECTION_BRING: &str = "Aftale 06 Medbring";
pub const SECTION_CASE: &str = "Aftale 07 Sag";
const SECTION_PART: &str = "Aftale 08 Part";
const SECTION_STATUS: &str = "Aftale 09 Status";
const SECTION_VALIDITY: &str = "Aftale 10 Virkning";

/// Every rule one appointment breaks that the record alone shows (that
/// its case and KLE area exist, and that a move starts from the time
/// before it, the store checks). The fatal ones (no UUID, no citizen by
/// CPR) no mode accepts.
pub fn check(record: &AppointmentRecord) -> Vec<Violation> {
    let mut out = Vec::new();
    if ItSystemUuid::parse("uuid", &record.uuid).is_err() {
        out.push(fatal(
            "/uuid".into(),
            "not_a_uuid",
            SECTION_ID,
            "the appointment's UUID is not a UUID".into(),
        ));
    }
    check_text(
        &mut out,
        "/titel".into(),
        &record.titel,
        MAX_TITLE_CHARS,
        SECTION_TITLE,
        true,
    );
    if let Some(slut) = record.slut
        && slut <= record.start
    {
        out.push(violation(
            "/slut".into(),
            "ends_before_start",
            SECTION_TIME,
            "the appointment ends (slut) after it begins (start)".into(),
        ));
    }
    check_text(
        &mut out,
        "/sted/tekst".into(),
        &record.sted.tekst,
        MAX_PLACE_CHARS,
        SECTION_PLACE,
        true,
    );
    if let Some(address) = &record.sted.adresse {
        check_text(
            &mut out,
            "/sted/adresse".into(),
            address,
            MAX_PLACE_CHARS,
            SECTION_PLACE,
            true,
        );
    }
    let area = record.omraade.trim();
    if area.starts_with(|c: char| c.is_ascii_digit()) {
        if record.kle_area().is_none() {
            out.push(violation(
                "/omraade".into(),
                "not_a_kle_number",
                SECTION_AREA,
                "an area given by number is a KLE number (00, 00.01 or 00.01.10)".into(),
            ));
        }
    } else {
        check_text(
            &mut out,
            "/omraade".into(),
            &record.omraade,
            MAX_AREA_CHARS,
            SECTION_AREA,
            true,
        );
    }
    if let Some(bring) = &record.medbring {
        check_text(
            &mut out,
            "/medbring".into(),
            bring,
            MAX_BRING_CHARS,
            SECTION_BRING,
            true,
        );
    }
    if let Some(case) = &record.sag
        && ItSystemUuid::parse("sag", case).is_err()
    {
        out.push(violation(
            "/sag".into(),
            "case_not_a_uuid",
            SECTION_CASE,
            "the case is named by its UUID".into(),
        ));
    }
    if cpr(&record.part).is_none() {
        out.push(fatal(
            "/part".into(),
            "part_not_cpr",
            SECTION_PART,
            "the citizen is a person's CPR number, urn:oio:cpr-nr: and ten digits".into(),
        ));
    }
    check_status(&mut out, record);
    check_virkning(
        &mut out,
        "/virkning".into(),
        &record.virkning,
        SECTION_VALIDITY,
    );
    out
}

fn check_status(out: &mut Vec<Violation>, record: &AppointmentRecord) {
    if !APPOINTMENT_STATUSES.contains(&record.status.as_str()) {
        out.push(violation(
            "/status".into(),
            "unknown_status",
            SECTION_STATUS,
            format!("the status is one of {}", APPOINTMENT_STATUSES.join(", ")),
        ));
        return;
    }
    match (record.status.as_str(), record.tidligere_start) {
        ("flyttet", None) => out.push(violation(
            "/tidligere_start".into(),
            "moved_without_previous_start",
            SECTION_STATUS,
            "a moved appointment says when it was before (tidligere_start)".into(),
        )),
        ("flyttet", Some(before)) if before == record.start => out.push(violation(
            "/tidligere_start".into(),
            "moved_to_the_same_time",
            SECTION_STATUS,
            "a moved appointment begins at another time than before".into(),
        )),
        ("flyttet", Some(_)) | (_, None) => {}
        (_, Some(_)) => out.push(violation(
            "/tidligere_start".into(),
            "previous_start_not_moved",
            SECTION_STATUS,
            "only a moved appointment (status flyttet) has a time before".into(),
        )),
    }
}

/// The rule a move breaks against the registration it follows (its
/// `start` and, if that one was a move, its `tidligere_start`): a move
/// starts from that registration's time, or — sent again with the same
/// new time — is that registration's move.
pub fn check_move(
    record: &AppointmentRecord,
    (before, before_previous): (OffsetDateTime, Option<OffsetDateTime>),
) -> Option<Violation> {
    let previous = record.tidligere_start?;
    let consistent =
        previous == before || (record.start == before && Some(previous) == before_previous);
    (record.status == "flyttet" && !consistent).then(|| {
        violation(
            "/tidligere_start".into(),
            "previous_start_mismatch",
            SECTION_STATUS,
            "a move starts from the time the appointment had before (the start of the \
             registration before it)"
                .into(),
        )
    })
}

/// The violation of a case reference that names no case of the
/// municipality in the index (the store decides that).
pub fn unknown_case() -> Violation {
    violation(
        "/sag".into(),
        "unknown_case",
        SECTION_CASE,
        "the case is a case of the municipality's in the index".into(),
    )
}

/// The violation of a KLE area that the imported plan does not have
/// (the store decides that).
pub fn unknown_kle_area() -> Violation {
    violation(
        "/omraade".into(),
        "unknown_kle_area",
        SECTION_AREA,
        "the area is a number of the KLE plan".into(),
    )
}

#[cfg(test)]
mod tests;
