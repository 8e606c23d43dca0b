//! Agreements per municipality (seeds `000_…`, `003_…`): per solution
//! agreement types (tilslutningsaftale such as FLIS '24,
//! databehandleraftale with its annexes, STAR-tilslutningsaftale,
//! certificate forms), and per municipality a state — signed, declined,
//! signed with a reservation (its text), considering, not asked — with who
//! signed and when, and the totals the slides give ("72 kommuner har
//! underskrevet tilslutningsaftalen '24, 8 har sagt nej tak, 3 siger ja
//! med forbehold, resten overvejer").

use samspil_domain::ValidationError;
use samspil_domain::input::free_text;
use time::Date;

/// The kinds of agreement.
pub const KINDS: [&str; 4] = [
    "tilslutningsaftale",
    "databehandleraftale",
    "star_tilslutningsaftale",
    "certifikatblanket",
];

/// A kind as typed.
pub fn kind(text: &str) -> Result<&'static str, ValidationError> {
    KINDS
        .into_iter()
        .find(|k| *k == text.trim())
        .ok_or_else(|| ValidationError::new("kind", format!("'{text}' is not a kind of agreement")))
}

/// A municipality's state towards an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgreementState {
    Signed,
    Declined,
    SignedWithReservation,
    Considering,
    NotAsked,
}

impl AgreementState {
    pub const ALL: [AgreementState; 5] = [
        AgreementState::Signed,
        AgreementState::Declined,
        AgreementState::SignedWithReservation,
        AgreementState::Considering,
        AgreementState::NotAsked,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AgreementState::Signed => "signed",
            AgreementState::Declined => "declined",
            AgreementState::SignedWithReservation => "signed_with_reservation",
            AgreementState::Considering => "considering",
            AgreementState::NotAsked => "not_asked",
        }
    }

    pub fn parse(text: &str) -> Result<AgreementState, ValidationError> {
        AgreementState::ALL
            .into_iter()
            .find(|s| s.code() == text.trim())
            .ok_or_else(|| ValidationError::new("state", format!("'{text}' is not a state")))
    }

    /// Whether the state is a signature (with or without reservation).
    pub fn is_signed(self) -> bool {
        matches!(
            self,
            AgreementState::Signed | AgreementState::SignedWithReservation
        )
    }
}

/// An answer as given, checked: a signature names who signed and when; a
/// reservation has its text, and only a signature with reservation has
/// one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub state: AgreementState,
    pub reservation: Option<String>,
    pub signed_by: Option<String>,
    pub signed_on: Option<Date>,
}

pub fn answer(
    state: AgreementState,
    reservation: &str,
    signed_by: &str,
    signed_on: Option<Date>,
) -> Result<Answer, ValidationError> {
    let reservation = free_text("reservation", reservation, 4_000)?.map(str::to_owned);
    let signed_by = free_text("signed_by", signed_by, 200)?.map(str::to_owned);
    match (state, &reservation) {
        (AgreementState::SignedWithReservation, None) => {
            return Err(ValidationError::new(
                "reservation",
                "a signature with reservation needs the reservation's text",
            ));
        }
        (s, Some(_)) if s != AgreementState::SignedWithReservation => {
            return Err(ValidationError::new(
                "reservation",
                "only a signature with reservation has a reservation",
            ));
        }
        _ => {}
    }
    if state.is_signed() {
        if signed_by.is_none() {
            return Err(ValidationError::new("signed_by", "name who signed"));
        }
        if signed_on.is_none() {
            return Err(ValidationError::new(
                "signed_on",
                "give the day it was signed",
            ));
        }
        Ok(Answer {
            state,
            reservation,
            signed_by,
            signed_on,
        })
    } else {
        Ok(Answer {
            state,
            reservation: None,
            signed_by: None,
            signed_on: None,
        })
    }
}

/// The role whose holder signs data processing agreements for the
/// municipality (coordination's role gallery).
pub const SIGNATORY_ROLE: &str = "Underskriftsberettiget ift. databehandleraftaler";

/// The municipality's programme manager towards KOMBIT, who receives an
/// agreement's mail when no one holds [`SIGNATORY_ROLE`].
pub const PROGRAMME_MANAGER_ROLE: &str = "KOMBIT-programleder";

/// Who in a municipality receives an agreement's mail (a new annex, a
/// reminder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Addressees<T> {
    /// The holders of [`SIGNATORY_ROLE`] with an address.
    Signatories(Vec<T>),
    /// Else the holders of [`PROGRAMME_MANAGER_ROLE`] with an address.
    ProgrammeManagers(Vec<T>),
    /// Else the municipality's administrators.
    Administrators,
}

/// The signatories where there are any (with an address), otherwise the
/// programme managers, otherwise the administrators.
pub fn addressees<T>(signatories: Vec<T>, programme_managers: Vec<T>) -> Addressees<T> {
    if !signatories.is_empty() {
        Addressees::Signatories(signatories)
    } else if !programme_managers.is_empty() {
        Addressees::ProgrammeManagers(programme_managers)
    } else {
        Addressees::Administrators
    }
}

/// How many municipalities are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub signed: usize,
    pub declined: usize,
    pub with_reservation: usize,
    pub considering: usize,
    pub not_asked: usize,
}

impl Totals {
    pub fn of(states: impl IntoIterator<Item = AgreementState>) -> Totals {
        let mut totals = Totals::default();
        for state in states {
            match state {
                AgreementState::Signed => totals.signed += 1,
                AgreementState::Declined => totals.declined += 1,
                AgreementState::SignedWithReservation => totals.with_reservation += 1,
                AgreementState::Considering => totals.considering += 1,
                AgreementState::NotAsked => totals.not_asked += 1,
            }
        }
        totals
    }

    pub fn total(&self) -> usize {
        self.signed + self.declined + self.with_reservation + self.considering + self.not_asked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_signature_names_who_and_when_and_a_reservation_has_its_text() {
        use AgreementState::*;
        assert!(answer(Signed, "", "Borgmester", Some(date!(2023 - 05 - 01))).is_ok());
        assert_eq!(
            answer(Signed, "", "", Some(date!(2023 - 05 - 01)))
                .expect_err("who")
                .field,
            "signed_by"
        );
        assert_eq!(
            answer(Signed, "", "B", None).expect_err("when").field,
            "signed_on"
        );
        assert_eq!(
            answer(SignedWithReservation, "", "B", Some(date!(2023 - 05 - 01)))
                .expect_err("text")
                .field,
            "reservation"
        );
        assert!(answer(Declined, "forbehold", "", None).is_err());
        let considering =
            answer(Considering, "", "Nogen", Some(date!(2023 - 05 - 01))).expect("ok");
        assert_eq!(considering.signed_by, None);
    }

    #[test]
    fn the_signatories_receive_else_the_programme_manager_else_the_administrators() {
        assert_eq!(
            addressees(vec![1], vec![2]),
            Addressees::Signatories(vec![1])
        );
        assert_eq!(
            addressees(Vec::new(), vec![2]),
            Addressees::ProgrammeManagers(vec![2])
        );
        assert_eq!(
            addressees::<i32>(Vec::new(), Vec::new()),
            Addressees::Administrators
        );
    }

    #[test]
    fn totals_count_each_state() {
        use AgreementState::*;
        let states = std::iter::repeat_n(Signed, 72)
            .chain(std::iter::repeat_n(Declined, 8))
            .chain(std::iter::repeat_n(SignedWithReservation, 3))
            .chain(std::iter::repeat_n(Considering, 15));
        let totals = Totals::of(states);
        assert_eq!(
            (
                totals.signed,
                totals.declined,
                totals.with_reservation,
                totals.considering
            ),
            (72, 8, 3, 15)
        );
        assert_eq!(totals.total(), 98);
        assert!(AgreementState::parse("maybe").is_err());
        assert!(kind("lejekontrakt").is_err());
    }
}
