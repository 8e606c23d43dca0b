//! Who is invited, and registration per person.

use std::collections::BTreeMap;

use serde::Serialize;
use time::{Date, OffsetDateTime};

use samspil_domain::{MunicipalityCode, UserId, UserType};

use super::MeetingError;
use crate::role::{AssignmentPeriod, RoleId, receives_notifications};

/// One assignment of a role in the role gallery, with what decides whether
/// its holder can be mailed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleHolding {
    pub user: UserId,
    pub municipality: Option<MunicipalityCode>,
    pub role: RoleId,
    pub period: AssignmentPeriod,
    pub user_type: UserType,
    pub active: bool,
    pub has_email: bool,
}

/// Someone the invitation goes to, with the roles that brought them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invitee {
    pub user: UserId,
    pub municipality: Option<MunicipalityCode>,
    pub roles: Vec<RoleId>,
}

/// Why a holder of an invited role gets no invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The account is disabled.
    Inactive,
    /// A light user (or a reader) receives no mail.
    NoMail,
    /// No e-mail address is known.
    NoAddress,
}

impl SkipReason {
    pub fn code(self) -> &'static str {
        match self {
            SkipReason::Inactive => "inactive",
            SkipReason::NoMail => "no_mail",
            SkipReason::NoAddress => "no_address",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotInvited {
    pub user: UserId,
    pub municipality: Option<MunicipalityCode>,
    pub reason: SkipReason,
}

/// The invitation list: everyone invited once, and those missed and why;
/// both by municipality, then person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invitation {
    pub invited: Vec<Invitee>,
    pub not_invited: Vec<NotInvited>,
}

/// Everyone who on `meeting_day` holds one of `roles` (the
/// KOMBIT-programleder role and the roles staff chose). A person holding
/// several of them, or one in two municipalities, is invited once, with
/// all of them (listed under the first municipality by code).
pub fn invitees(holdings: &[RoleHolding], roles: &[RoleId], meeting_day: Date) -> Invitation {
    let mut invited: BTreeMap<UserId, Invitee> = BTreeMap::new();
    let mut missed: BTreeMap<UserId, NotInvited> = BTreeMap::new();
    for h in holdings
        .iter()
        .filter(|h| roles.contains(&h.role) && h.period.holds_on(meeting_day))
    {
        let skip = if !h.active {
            Some(SkipReason::Inactive)
        } else if !receives_notifications(h.user_type) {
            Some(SkipReason::NoMail)
        } else if !h.has_email {
            Some(SkipReason::NoAddress)
        } else {
            None
        };
        match skip {
            Some(reason) => {
                let entry = missed.entry(h.user).or_insert(NotInvited {
                    user: h.user,
                    municipality: h.municipality,
                    reason,
                });
                entry.municipality = entry.municipality.min(h.municipality);
            }
            None => {
                let entry = invited.entry(h.user).or_insert_with(|| Invitee {
                    user: h.user,
                    municipality: h.municipality,
                    roles: Vec::new(),
                });
                entry.municipality = entry.municipality.min(h.municipality);
                if !entry.roles.contains(&h.role) {
                    entry.roles.push(h.role);
                    entry.roles.sort();
                }
            }
        }
    }
    let mut not_invited: Vec<NotInvited> = missed
        .into_values()
        .filter(|n| !invited.contains_key(&n.user))
        .collect();
    not_invited.sort_by_key(|n| (n.municipality, n.user));
    let mut invited: Vec<Invitee> = invited.into_values().collect();
    invited.sort_by_key(|i| (i.municipality, i.user));
    Invitation {
        invited,
        not_invited,
    }
}

/// May a person register at `now`? Until the meeting starts, once, and
/// within the seats if the meeting has a limit.
pub fn check_registration(
    starts_at: OffsetDateTime,
    now: OffsetDateTime,
    seats: Option<u32>,
    registered: u32,
    already_registered: bool,
) -> Result<(), MeetingError> {
    if now >= starts_at {
        return Err(MeetingError::RegistrationClosed);
    }
    if already_registered {
        return Err(MeetingError::AlreadyRegistered);
    }
    if let Some(seats) = seats
        && registered >= seats
    {
        return Err(MeetingError::Full { seats });
    }
    Ok(())
}

/// May a person cancel their registration at `now`? Before the meeting
/// starts, and only a registration there is.
pub fn check_cancellation(
    starts_at: OffsetDateTime,
    now: OffsetDateTime,
    registered: bool,
) -> Result<(), MeetingError> {
    if now >= starts_at {
        return Err(MeetingError::RegistrationClosed);
    }
    if !registered {
        return Err(MeetingError::NotRegistered);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    const PROGRAMLEDER: RoleId = RoleId(1);
    const INFRASTRUKTUR: RoleId = RoleId(2);
    const TRAENER: RoleId = RoleId(3);

    fn holding(user: i64, code: u16, role: RoleId) -> RoleHolding {
        RoleHolding {
            user: UserId(user),
            municipality: Some(MunicipalityCode::new(code).expect("valid")),
            role,
            period: AssignmentPeriod::new(date!(2023 - 01 - 01), None).expect("valid"),
            user_type: UserType::Ordinary,
            active: true,
            has_email: true,
        }
    }

    #[test]
    fn programme_managers_and_chosen_roles_are_invited_once_each() {
        let holdings = vec![
            holding(1, 101, PROGRAMLEDER),
            holding(1, 101, INFRASTRUKTUR),
            holding(2, 751, PROGRAMLEDER),
            holding(3, 751, TRAENER),
            RoleHolding {
                period: AssignmentPeriod::new(date!(2022 - 01 - 01), Some(date!(2023 - 05 - 31)))
                    .expect("valid"),
                ..holding(4, 851, PROGRAMLEDER)
            },
            RoleHolding {
                user_type: UserType::Light,
                ..holding(5, 851, PROGRAMLEDER)
            },
            RoleHolding {
                active: false,
                ..holding(6, 851, PROGRAMLEDER)
            },
            RoleHolding {
                has_email: false,
                ..holding(7, 851, INFRASTRUKTUR)
            },
        ];
        let list = invitees(
            &holdings,
            &[PROGRAMLEDER, INFRASTRUKTUR],
            date!(2023 - 06 - 22),
        );
        let invited: Vec<(i64, Vec<RoleId>)> = list
            .invited
            .iter()
            .map(|i| (i.user.0, i.roles.clone()))
            .collect();
        assert_eq!(
            invited,
            [
                (1, vec![PROGRAMLEDER, INFRASTRUKTUR]),
                (2, vec![PROGRAMLEDER])
            ]
        );
        let missed: Vec<(i64, &str)> = list
            .not_invited
            .iter()
            .map(|n| (n.user.0, n.reason.code()))
            .collect();
        assert_eq!(missed, [(5, "no_mail"), (6, "inactive"), (7, "no_address")]);
    }

    #[test]
    fn registration_is_open_until_the_start_once_and_within_the_seats() {
        let start = datetime!(2023-09-19 7:00 UTC);
        let before = datetime!(2023-09-01 10:00 UTC);
        assert!(check_registration(start, before, Some(20), 19, false).is_ok());
        assert!(check_registration(start, before, None, 500, false).is_ok());
        assert_eq!(
            check_registration(start, before, Some(20), 20, false).expect_err("refused"),
            MeetingError::Full { seats: 20 }
        );
        assert_eq!(
            check_registration(start, before, None, 1, true)
                .expect_err("refused")
                .code(),
            "already_registered"
        );
        assert_eq!(
            check_registration(start, start, None, 0, false)
                .expect_err("refused")
                .code(),
            "registration_closed"
        );
        assert!(check_cancellation(start, before, true).is_ok());
        assert_eq!(
            check_cancellation(start, before, false)
                .expect_err("refused")
                .code(),
            "not_registered"
        );
        assert_eq!(
            check_cancellation(start, start, true)
                .expect_err("refused")
                .code(),
            "registration_closed"
        );
    }
}
