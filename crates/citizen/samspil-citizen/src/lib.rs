//! The citizen context's rules: what municipalities' line-of-business
//! systems (jobcenter, ESDH, care, debtor systems) deliver into samspil in
//! KOMBIT's SF1470 shape (cases, documents, benefits, debts,
//! appointments), kept in the citizen store of its own for the citizen
//! overview to show.
//!
//! Plain types and rules only: no I/O, no async, no SQL, no HTTP (like
//! `samspil-domain`, which is the only crate of samspil's this one may
//! depend on). The
//! store's traits are in `samspil-citizen-storage`, its SQL in
//! `samspil-citizen-sql`, its routes in `samspil-citizen-web`.

pub mod appointment;
pub mod benefit;
pub mod case;
pub mod common;
pub mod compliance;
pub mod credential;
pub mod debt;
pub mod document;
pub mod kle;
pub mod system;

use std::fmt;

pub use system::{DeliveryGrant, DeliveryRefusal, ItSystemUuid, SystemMode, SystemRegistration};

/// What a vendor system delivers; a system is registered for one kind
/// (issue 15: "kind: case / document / benefit / debt / appointment") and
/// writes only that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SystemKind {
    /// Cases (Sag) of the SF1470 case index.
    Case,
    /// Journal notes and documents attached to cases.
    Document,
    /// Grants and payments of the benefit index.
    Benefit,
    /// Claims from the debtor systems.
    Debt,
    /// Appointments and deadlines (the activity index).
    Appointment,
}

impl SystemKind {
    /// Every kind, in the order above.
    pub const ALL: [SystemKind; 5] = [
        SystemKind::Case,
        SystemKind::Document,
        SystemKind::Benefit,
        SystemKind::Debt,
        SystemKind::Appointment,
    ];

    /// The kind's stable name, as stored and as systems and the command
    /// line name it.
    pub fn as_str(self) -> &'static str {
        match self {
            SystemKind::Case => "case",
            SystemKind::Document => "document",
            SystemKind::Benefit => "benefit",
            SystemKind::Debt => "debt",
            SystemKind::Appointment => "appointment",
        }
    }

    /// The kind with this name (exactly as [`SystemKind::as_str`] writes it).
    pub fn parse(text: &str) -> Result<Self, UnknownSystemKind> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| UnknownSystemKind(text.to_owned()))
    }
}

impl fmt::Display for SystemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of the [`SystemKind`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSystemKind(pub String);

impl fmt::Display for UnknownSystemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' is not a kind of delivering system (case, document, benefit, debt, appointment)",
            self.0
        )
    }
}

impl std::error::Error for UnknownSystemKind {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_parses_back_from_its_name() {
        for kind in SystemKind::ALL {
            assert_eq!(SystemKind::parse(kind.as_str()), Ok(kind));
            assert_eq!(kind.to_string(), kind.as_str());
        }
        let names: Vec<_> = SystemKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            ["case", "document", "benefit", "debt", "appointment"]
        );
    }

    #[test]
    fn other_names_are_refused() {
        for text in ["", "Case", "CASE", " case", "sag", "cases"] {
            assert_eq!(
                SystemKind::parse(text),
                Err(UnknownSystemKind(text.to_owned())),
                "{text:?}"
            );
        }
    }
}
