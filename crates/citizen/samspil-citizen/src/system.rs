//! Vendor systems: what community staff register (an IT system of
//! Fælleskommunalt Administrationsmodul, by its UUID, with a name, a
//! vendor, the one kind it delivers and its mode), for which
//! municipalities from which date, and the rule that decides whether a
//! system may deliver for a municipality at all.
//!
//! A registration for a municipality counts only once one of that
//! municipality's administrators has approved it: community staff know
//! which vendors exist, the municipality knows which of them it uses.

use samspil_domain::ValidationError;
use samspil_domain::input::required_text;
use serde::Serialize;
use time::Date;

use crate::SystemKind;

/// A system's name and its vendor's are lines in a list.
pub const MAX_NAME_CHARS: usize = 200;

/// Whether a delivery that breaks an anvisning's rule is refused or
/// accepted with the violations recorded. Real vendor systems are not all
/// compliant yet; strict is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SystemMode {
    /// A record that breaks a rule is refused, and nothing of its batch is
    /// written.
    #[default]
    Strict,
    /// A record that breaks a rule is accepted; every violation is
    /// recorded for the compliance report and the municipality.
    Report,
}

impl SystemMode {
    pub const ALL: [SystemMode; 2] = [SystemMode::Strict, SystemMode::Report];

    pub fn as_str(self) -> &'static str {
        match self {
            SystemMode::Strict => "strict",
            SystemMode::Report => "report",
        }
    }

    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|mode| mode.as_str() == text.trim())
            .ok_or_else(|| {
                ValidationError::new("mode", format!("'{text}' is not a mode (strict, report)"))
            })
    }
}

/// The UUID of an IT system in Fælleskommunalt Administrationsmodul, in
/// its canonical form (lowercase, hyphenated): the system's identity in
/// SF1470 (`IT-system` of a case's master and sending system).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ItSystemUuid(String);

impl ItSystemUuid {
    /// A UUID written 8-4-4-4-12 hexadecimal digits (either case, or with
    /// a `urn:uuid:` prefix); the nil UUID is refused, since it names no
    /// system.
    pub fn parse(field: &'static str, text: &str) -> Result<Self, ValidationError> {
        let text = text.trim();
        let bare = text
            .strip_prefix("urn:uuid:")
            .or_else(|| text.strip_prefix("URN:UUID:"))
            .unwrap_or(text);
        let groups: Vec<&str> = bare.split('-').collect();
        let shaped = groups.len() == 5
            && groups.iter().zip([8, 4, 4, 4, 12]).all(|(group, len)| {
                group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit())
            });
        if !shaped {
            return Err(ValidationError::new(
                field,
                "a UUID is 32 hexadecimal digits in groups of 8-4-4-4-12",
            ));
        }
        let canonical = bare.to_ascii_lowercase();
        if canonical.bytes().all(|b| b == b'0' || b == b'-') {
            return Err(ValidationError::new(field, "the nil UUID names nothing"));
        }
        Ok(Self(canonical))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ItSystemUuid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A system as staff register it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemRegistration {
    pub it_system_uuid: ItSystemUuid,
    pub name: String,
    pub vendor: String,
    pub kind: SystemKind,
    pub mode: SystemMode,
}

impl SystemRegistration {
    /// The registration as typed (on the staff page or the command line).
    /// An empty mode is the default, strict.
    pub fn check(
        it_system_uuid: &str,
        name: &str,
        vendor: &str,
        kind: &str,
        mode: &str,
    ) -> Result<Self, ValidationError> {
        let it_system_uuid = ItSystemUuid::parse("it_system_uuid", it_system_uuid)?;
        let name = required_text("name", name, MAX_NAME_CHARS, "the system has no name")?;
        let vendor = required_text("vendor", vendor, MAX_NAME_CHARS, "the vendor has no name")?;
        let kind = SystemKind::parse(kind.trim())
            .map_err(|unknown| ValidationError::new("kind", unknown.to_string()))?;
        let mode = match mode.trim() {
            "" => SystemMode::default(),
            mode => SystemMode::parse(mode)?,
        };
        Ok(Self {
            it_system_uuid,
            name: name.to_owned(),
            vendor: vendor.to_owned(),
            kind,
            mode,
        })
    }
}

/// What a system's registration for one municipality says, as the rule
/// needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryGrant {
    pub municipality_code: u16,
    /// The first day the system delivers for the municipality.
    pub valid_from: Date,
    /// Whether one of the municipality's administrators approved it.
    pub approved: bool,
}

/// Why a system may not deliver a record for a municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryRefusal {
    /// The system is disabled: it delivers nothing.
    Disabled,
    /// The record is not of the kind the system is registered for.
    WrongKind { registered: SystemKind },
    /// The system is not registered for the municipality.
    NotRegistered,
    /// Registered, but the municipality has not approved it (yet).
    NotApproved,
    /// Registered from a later date.
    NotYet { valid_from: Date },
}

impl DeliveryRefusal {
    /// A stable code, as the API and the delivery log name it.
    pub fn code(self) -> &'static str {
        match self {
            DeliveryRefusal::Disabled => "system_disabled",
            DeliveryRefusal::WrongKind { .. } => "wrong_kind",
            DeliveryRefusal::NotRegistered => "municipality_not_registered",
            DeliveryRefusal::NotApproved => "municipality_not_approved",
            DeliveryRefusal::NotYet { .. } => "municipality_not_yet",
        }
    }
}

impl std::fmt::Display for DeliveryRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeliveryRefusal::Disabled => f.write_str("the system is disabled"),
            DeliveryRefusal::WrongKind { registered } => write!(
                f,
                "the system is registered to deliver {registered} records only"
            ),
            DeliveryRefusal::NotRegistered => {
                f.write_str("the system is not registered for this municipality")
            }
            DeliveryRefusal::NotApproved => {
                f.write_str("the municipality has not approved the system")
            }
            DeliveryRefusal::NotYet { valid_from } => {
                write!(
                    f,
                    "the system delivers for this municipality from {valid_from}"
                )
            }
        }
    }
}

/// May a system (disabled or not, registered for `registered`) deliver a
/// record of `kind` for the municipality `code` on `today`? Every
/// write of a system's is decided by this one rule.
pub fn may_deliver(
    disabled: bool,
    registered: SystemKind,
    grants: &[DeliveryGrant],
    kind: SystemKind,
    code: u16,
    today: Date,
) -> Result<(), DeliveryRefusal> {
    if disabled {
        return Err(DeliveryRefusal::Disabled);
    }
    if kind != registered {
        return Err(DeliveryRefusal::WrongKind { registered });
    }
    let grant = grants
        .iter()
        .find(|grant| grant.municipality_code == code)
        .ok_or(DeliveryRefusal::NotRegistered)?;
    if !grant.approved {
        return Err(DeliveryRefusal::NotApproved);
    }
    if grant.valid_from > today {
        return Err(DeliveryRefusal::NotYet {
            valid_from: grant.valid_from,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_uuid_is_kept_in_its_canonical_form() {
        let uuid = ItSystemUuid::parse("u", " URN:UUID:1F3E2A60-0B7C-4E2B-9B8E-5C0C6A7D9E11 ")
            .expect("valid");
        assert_eq!(uuid.as_str(), "1f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11");
        for bad in [
            "",
            "1f3e2a60-0b7c-4e2b-9b8e",
            "1f3e2a600b7c4e2b9b8e5c0c6a7d9e11",
            "1f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e1g",
            "00000000-0000-0000-0000-000000000000",
            "{1f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11}",
        ] {
            let refused = ItSystemUuid::parse("it_system_uuid", bad).expect_err(bad);
            assert_eq!(refused.field, "it_system_uuid");
        }
    }

    #[test]
    fn a_registration_is_strict_unless_told_otherwise() {
        let checked = SystemRegistration::check(
            "1f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11",
            " Fasit ",
            "Schultz",
            "case",
            "",
        )
        .expect("valid");
        assert_eq!(checked.name, "Fasit");
        assert_eq!(checked.kind, SystemKind::Case);
        assert_eq!(checked.mode, SystemMode::Strict);
        let report = SystemRegistration::check(
            "1f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11",
            "Momentum",
            "KMD",
            "case",
            "report",
        )
        .expect("valid");
        assert_eq!(report.mode, SystemMode::Report);
    }

    #[test]
    fn each_part_of_a_registration_is_checked_with_its_field() {
        let uuid = "1f3e2a60-0b7c-4e2b-9b8e-5c0c6a7d9e11";
        for (fields, field) in [
            (["x", "Fasit", "Schultz", "case", ""], "it_system_uuid"),
            ([uuid, "  ", "Schultz", "case", ""], "name"),
            ([uuid, "Fasit", "", "case", ""], "vendor"),
            ([uuid, "Fasit", "Schultz", "sag", ""], "kind"),
            ([uuid, "Fasit", "Schultz", "case", "lenient"], "mode"),
        ] {
            let [u, n, v, k, m] = fields;
            let refused = SystemRegistration::check(u, n, v, k, m).expect_err(field);
            assert_eq!(refused.field, field);
        }
        let long = "x".repeat(MAX_NAME_CHARS + 1);
        let refused = SystemRegistration::check(uuid, &long, "v", "case", "").expect_err("long");
        assert_eq!(refused.field, "name");
    }

    #[test]
    fn a_system_delivers_only_its_kind_for_approved_municipalities_from_their_date() {
        let today = date!(2026 - 06 - 01);
        let grants = [
            DeliveryGrant {
                municipality_code: 101,
                valid_from: date!(2026 - 01 - 01),
                approved: true,
            },
            DeliveryGrant {
                municipality_code: 461,
                valid_from: date!(2026 - 01 - 01),
                approved: false,
            },
            DeliveryGrant {
                municipality_code: 751,
                valid_from: date!(2026 - 06 - 02),
                approved: true,
            },
        ];
        let case = SystemKind::Case;
        assert_eq!(may_deliver(false, case, &grants, case, 101, today), Ok(()));
        assert_eq!(
            may_deliver(true, case, &grants, case, 101, today),
            Err(DeliveryRefusal::Disabled)
        );
        assert_eq!(
            may_deliver(false, case, &grants, SystemKind::Debt, 101, today),
            Err(DeliveryRefusal::WrongKind { registered: case })
        );
        assert_eq!(
            may_deliver(false, case, &grants, case, 147, today),
            Err(DeliveryRefusal::NotRegistered)
        );
        assert_eq!(
            may_deliver(false, case, &grants, case, 461, today),
            Err(DeliveryRefusal::NotApproved)
        );
        assert_eq!(
            may_deliver(false, case, &grants, case, 751, today),
            Err(DeliveryRefusal::NotYet {
                valid_from: date!(2026 - 06 - 02)
            })
        );
        assert_eq!(
            may_deliver(false, case, &grants, case, 751, date!(2026 - 06 - 02)),
            Ok(())
        );
    }
}
