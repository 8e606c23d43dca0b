//! The role gallery (Rollegalleriet): the catalogue of roles the community
//! keeps, who holds them in each municipality, and the gaps that make a task
//! or a message miss its person.
//!
//! A role is cross-cutting or belongs to an IT solution (a project). A
//! municipality sees the cross-cutting roles and the roles of the solutions
//! it uses, and fills them in the gallery only: with a user of its own who
//! already has access to the role's solution ("access first, then role").

use serde::{Deserialize, Serialize};
use time::Date;

use crate::task::ProjectId;
use samspil_domain::{UserType, ValidationError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RoleId(pub i64);

impl std::fmt::Display for RoleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AssignmentId(pub i64);

/// The longest role name.
pub const MAX_ROLE_NAME: usize = 120;
/// The longest of each of a role's two descriptions, KLIK's "mere" (what
/// the role is) and "tildeling" (whom to give it to).
pub const MAX_ROLE_DESCRIPTION: usize = 5_000;
/// The longest note or case number on an assignment.
pub const MAX_ASSIGNMENT_NOTE: usize = 500;

/// A role of the catalogue as the community writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSpec {
    pub name: String,
    /// "Mere": what the role is and does.
    pub description: String,
    /// "Tildeling": whom a municipality should give the role to.
    pub assignment_guidance: String,
    /// The IT solution the role belongs to; `None` for a cross-cutting role.
    pub solution: Option<ProjectId>,
    pub mandatory: bool,
    /// At most this many holders at once; `None` for no limit.
    pub max_holders: Option<u32>,
    /// One holder must be marked primary (e.g. the one systems manager who
    /// receives prioritisation mail).
    pub requires_primary: bool,
}

impl RoleSpec {
    /// Trims the texts and checks the rules; returns the spec to store.
    pub fn checked(mut self) -> Result<Self, ValidationError> {
        self.name = samspil_domain::input::required_text(
            "name",
            &self.name,
            MAX_ROLE_NAME,
            "a role needs a name",
        )?
        .to_owned();
        self.description = samspil_domain::input::free_text(
            "description",
            &self.description,
            MAX_ROLE_DESCRIPTION,
        )?
        .unwrap_or_default()
        .to_owned();
        self.assignment_guidance = samspil_domain::input::free_text(
            "assignment_guidance",
            &self.assignment_guidance,
            MAX_ROLE_DESCRIPTION,
        )?
        .unwrap_or_default()
        .to_owned();
        if self.max_holders == Some(0) {
            return Err(ValidationError::named(
                "max_holders",
                "role-max-holders-zero",
                "a role must allow at least one holder (leave it empty for no limit)",
            ));
        }
        Ok(self)
    }
}

/// When an assignment holds: from its first day to its last, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AssignmentPeriod {
    pub starts_on: Date,
    pub ends_on: Option<Date>,
}

impl AssignmentPeriod {
    pub fn new(starts_on: Date, ends_on: Option<Date>) -> Result<Self, ValidationError> {
        if let Some(end) = ends_on
            && end < starts_on
        {
            return Err(ValidationError::broke(
                "period",
                format!("the last day {end} is before the first day {starts_on}"),
                samspil_domain::BrokenRule::EndBeforeStart {
                    start: samspil_domain::input::danish_date(starts_on),
                    end: samspil_domain::input::danish_date(end),
                },
            ));
        }
        Ok(Self { starts_on, ends_on })
    }

    /// Does the assignment hold on `day`?
    pub fn holds_on(&self, day: Date) -> bool {
        self.starts_on <= day && self.ends_on.is_none_or(|end| day <= end)
    }

    /// Is it over before `day`?
    pub fn has_ended_by(&self, day: Date) -> bool {
        self.ends_on.is_some_and(|end| end < day)
    }

    /// The period cut off so that `last_day` is its last day.
    pub fn ended(self, last_day: Date) -> Result<Self, ValidationError> {
        if self.has_ended_by(last_day) {
            return Err(ValidationError::named(
                "period",
                "assignment-ended",
                "the assignment has ended already",
            ));
        }
        Self::new(self.starts_on, Some(last_day))
    }
}

/// The facts that decide whether a person may take a role in a municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentCandidate {
    pub user_type: UserType,
    pub active: bool,
    /// The person has access to the role's IT solution (always true for a
    /// cross-cutting role).
    pub has_solution_access: bool,
    /// The person holds the role already in an overlapping period.
    pub holds_already: bool,
}

/// The role's side of the rule, as it stands in the municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSituation {
    /// Cross-cutting, or a solution the municipality uses.
    pub applies: bool,
    pub max_holders: Option<u32>,
    /// Holders whose period overlaps the new one.
    pub overlapping_holders: u32,
}

/// Why a person may not take a role. The `field` of the returned
/// [`ValidationError`] names the rule, so a page can explain it in the
/// reader's language.
pub fn check_assignment(
    candidate: &AssignmentCandidate,
    role: &RoleSituation,
) -> Result<(), ValidationError> {
    if !role.applies {
        return Err(ValidationError::named(
            "role_not_used",
            "role-solution-not-used",
            "the role belongs to an IT solution the municipality does not use",
        ));
    }
    if candidate.user_type == UserType::Reader {
        return Err(ValidationError::named(
            "reader",
            "role-reader",
            "a reader (læser) can never hold a role: change the user type first",
        ));
    }
    if !candidate.active {
        return Err(ValidationError::named(
            "inactive",
            "user-inactive",
            "the user's account is disabled",
        ));
    }
    if !candidate.has_solution_access {
        return Err(ValidationError::named(
            "no_access",
            "role-no-access",
            "give the user access to the role's IT solution first (Brugerhåndtering): \
             a role without access does not appear",
        ));
    }
    if candidate.holds_already {
        return Err(ValidationError::named(
            "holds_already",
            "role-held-already",
            "the user holds this role already",
        ));
    }
    if let Some(max) = role.max_holders
        && role.overlapping_holders >= max
    {
        return Err(ValidationError::named_with(
            "max_holders",
            "role-max-holders-reached",
            vec![("max", max.to_string())],
            format!("the role has at most {max} holder(s); end an assignment first"),
        ));
    }
    Ok(())
}

/// Only people who may hold a role and receive mail get notifications:
/// light users hold roles without mail, readers hold none.
pub fn receives_notifications(user_type: UserType) -> bool {
    user_type == UserType::Ordinary
}

/// What is wrong with a role in a municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapKind {
    /// A mandatory role without a current holder.
    Empty,
    /// A role that needs a primary holder has holders but none is primary.
    NoPrimary,
    /// A holder whose account is disabled.
    DisabledHolder,
    /// A holder whose e-mail address bounces.
    BouncingHolder,
    /// A mandatory role whose every working holder is a light user: the
    /// role is held, but nobody in it gets the notifications.
    LightHoldersOnly,
    /// A holder who is a reader (læser) now: they may read, never act in
    /// the role (their user type changed after they were given it).
    ReaderHolder,
}

impl GapKind {
    pub const ALL: [GapKind; 6] = [
        GapKind::Empty,
        GapKind::NoPrimary,
        GapKind::DisabledHolder,
        GapKind::BouncingHolder,
        GapKind::LightHoldersOnly,
        GapKind::ReaderHolder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GapKind::Empty => "empty",
            GapKind::NoPrimary => "no_primary",
            GapKind::DisabledHolder => "disabled_holder",
            GapKind::BouncingHolder => "bouncing_holder",
            GapKind::LightHoldersOnly => "light_holders_only",
            GapKind::ReaderHolder => "reader_holder",
        }
    }

    /// Whether a holder is one the gap is about (the gap report names them).
    pub fn concerns(self, holder: &HolderState) -> bool {
        match self {
            GapKind::DisabledHolder => !holder.active,
            GapKind::BouncingHolder => holder.active && holder.bouncing,
            GapKind::LightHoldersOnly => holder.works() && holder.user_type == UserType::Light,
            GapKind::ReaderHolder => holder.active && holder.user_type == UserType::Reader,
            GapKind::Empty | GapKind::NoPrimary => false,
        }
    }
}

/// A current holder of a role, as the gap rule sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolderState {
    pub primary: bool,
    pub active: bool,
    pub bouncing: bool,
    pub user_type: UserType,
}

impl HolderState {
    /// Can act in the role: an active account that is no reader's.
    fn works(&self) -> bool {
        self.active && self.user_type != UserType::Reader
    }
}

/// The gaps of one role in one municipality, from its current holders.
pub fn role_gaps(mandatory: bool, requires_primary: bool, holders: &[HolderState]) -> Vec<GapKind> {
    let mut gaps = Vec::new();
    let working: Vec<&HolderState> = holders.iter().filter(|h| h.works()).collect();
    if mandatory && working.is_empty() {
        gaps.push(GapKind::Empty);
    }
    if requires_primary && !working.is_empty() && !working.iter().any(|h| h.primary) {
        gaps.push(GapKind::NoPrimary);
    }
    if mandatory && !working.is_empty() && working.iter().all(|h| h.user_type == UserType::Light) {
        gaps.push(GapKind::LightHoldersOnly);
    }
    for kind in [
        GapKind::DisabledHolder,
        GapKind::BouncingHolder,
        GapKind::ReaderHolder,
    ] {
        if holders.iter().any(|h| kind.concerns(h)) {
            gaps.push(kind);
        }
    }
    gaps
}

/// Why a task a municipality gave away reaches nobody who can act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentWarning {
    /// Given to a reader, who may read the task but never work on it.
    Reader,
    /// Given to a role nobody in the municipality holds today (or only
    /// people who cannot act in it).
    EmptyRole,
}

impl AssignmentWarning {
    pub fn as_str(self) -> &'static str {
        match self {
            AssignmentWarning::Reader => "reader",
            AssignmentWarning::EmptyRole => "empty_role",
        }
    }
}

/// Whom a task was given to, as the warning rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeState {
    Person {
        user_type: UserType,
    },
    /// A role, with how many of its current holders can act in it.
    Role {
        working_holders: u32,
    },
}

/// The warning a task's assignment deserves, if any.
pub fn assignment_warning(assignee: AssigneeState) -> Option<AssignmentWarning> {
    match assignee {
        AssigneeState::Person {
            user_type: UserType::Reader,
        } => Some(AssignmentWarning::Reader),
        AssigneeState::Role { working_holders: 0 } => Some(AssignmentWarning::EmptyRole),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn spec(name: &str) -> RoleSpec {
        RoleSpec {
            name: name.into(),
            description: String::new(),
            assignment_guidance: String::new(),
            solution: None,
            mandatory: true,
            max_holders: None,
            requires_primary: false,
        }
    }

    fn ordinary() -> AssignmentCandidate {
        AssignmentCandidate {
            user_type: UserType::Ordinary,
            active: true,
            has_solution_access: true,
            holds_already: false,
        }
    }

    fn open_role() -> RoleSituation {
        RoleSituation {
            applies: true,
            max_holders: None,
            overlapping_holders: 0,
        }
    }

    #[test]
    fn a_role_needs_a_name_and_room_for_a_holder() {
        assert_eq!(
            spec("  KOMBIT-programleder ").checked().map(|s| s.name),
            Ok("KOMBIT-programleder".into())
        );
        assert_eq!(spec("   ").checked().expect_err("refused").field, "name");
        assert_eq!(
            spec("\u{200B}\u{2066}")
                .checked()
                .expect_err("refused")
                .field,
            "name"
        );
        assert_eq!(spec("a\0").checked().expect_err("refused").field, "name");
        let none_allowed = RoleSpec {
            max_holders: Some(0),
            ..spec("Træner")
        };
        assert_eq!(
            none_allowed.checked().expect_err("refused").field,
            "max_holders"
        );
    }

    #[test]
    fn a_period_ends_on_or_after_it_starts() {
        let period = AssignmentPeriod::new(date!(2023 - 06 - 01), Some(date!(2023 - 06 - 30)))
            .expect("valid");
        assert!(period.holds_on(date!(2023 - 06 - 30)));
        assert!(!period.holds_on(date!(2023 - 07 - 01)));
        assert!(!period.holds_on(date!(2023 - 05 - 31)));
        let err = AssignmentPeriod::new(date!(2023 - 06 - 30), Some(date!(2023 - 06 - 01)))
            .expect_err("refused");
        assert_eq!(err.field, "period");
    }

    #[test]
    fn ending_an_ended_assignment_is_refused() {
        let period = AssignmentPeriod::new(date!(2023 - 01 - 01), Some(date!(2023 - 03 - 01)))
            .expect("valid");
        assert!(period.ended(date!(2023 - 04 - 01)).is_err());
        let open = AssignmentPeriod::new(date!(2023 - 01 - 01), None).expect("valid");
        assert_eq!(
            open.ended(date!(2023 - 04 - 01)).map(|p| p.ends_on),
            Ok(Some(date!(2023 - 04 - 01)))
        );
        assert!(open.ended(date!(2022 - 12 - 01)).is_err());
    }

    #[test]
    fn a_reader_can_never_hold_a_role() {
        let reader = AssignmentCandidate {
            user_type: UserType::Reader,
            ..ordinary()
        };
        assert_eq!(
            check_assignment(&reader, &open_role())
                .expect_err("refused")
                .field,
            "reader"
        );
        let light = AssignmentCandidate {
            user_type: UserType::Light,
            ..ordinary()
        };
        assert!(check_assignment(&light, &open_role()).is_ok());
    }

    #[test]
    fn access_comes_before_the_role() {
        let without_access = AssignmentCandidate {
            has_solution_access: false,
            ..ordinary()
        };
        assert_eq!(
            check_assignment(&without_access, &open_role())
                .expect_err("refused")
                .field,
            "no_access"
        );
    }

    #[test]
    fn roles_of_unused_solutions_and_full_roles_are_refused() {
        let unused = RoleSituation {
            applies: false,
            ..open_role()
        };
        assert_eq!(
            check_assignment(&ordinary(), &unused)
                .expect_err("refused")
                .field,
            "role_not_used"
        );
        let full = RoleSituation {
            max_holders: Some(1),
            overlapping_holders: 1,
            ..open_role()
        };
        assert_eq!(
            check_assignment(&ordinary(), &full)
                .expect_err("refused")
                .field,
            "max_holders"
        );
        let twice = AssignmentCandidate {
            holds_already: true,
            ..ordinary()
        };
        assert_eq!(
            check_assignment(&twice, &open_role())
                .expect_err("refused")
                .field,
            "holds_already"
        );
        let disabled = AssignmentCandidate {
            active: false,
            ..ordinary()
        };
        assert_eq!(
            check_assignment(&disabled, &open_role())
                .expect_err("refused")
                .field,
            "inactive"
        );
    }

    #[test]
    fn light_users_and_readers_get_no_notifications() {
        assert!(receives_notifications(UserType::Ordinary));
        assert!(!receives_notifications(UserType::Light));
        assert!(!receives_notifications(UserType::Reader));
    }

    #[test]
    fn gaps_are_found_from_the_holders() {
        let holder = |primary, active, bouncing| HolderState {
            primary,
            active,
            bouncing,
            user_type: UserType::Ordinary,
        };
        assert_eq!(role_gaps(true, false, &[]), vec![GapKind::Empty]);
        assert!(role_gaps(false, true, &[]).is_empty());
        assert_eq!(
            role_gaps(true, true, &[holder(false, true, false)]),
            vec![GapKind::NoPrimary]
        );
        assert!(role_gaps(true, true, &[holder(true, true, false)]).is_empty());
        assert_eq!(
            role_gaps(true, false, &[holder(false, false, false)]),
            vec![GapKind::Empty, GapKind::DisabledHolder]
        );
        assert_eq!(
            role_gaps(true, false, &[holder(false, true, true)]),
            vec![GapKind::BouncingHolder]
        );
    }

    #[test]
    fn a_mandatory_role_held_by_light_users_alone_or_by_a_reader_is_a_gap() {
        let of_type = |user_type| HolderState {
            primary: false,
            active: true,
            bouncing: false,
            user_type,
        };
        let light = of_type(UserType::Light);
        let reader = of_type(UserType::Reader);
        let ordinary = of_type(UserType::Ordinary);
        assert_eq!(
            role_gaps(true, false, std::slice::from_ref(&light)),
            vec![GapKind::LightHoldersOnly]
        );
        assert!(role_gaps(false, false, std::slice::from_ref(&light)).is_empty());
        assert!(role_gaps(true, false, &[light.clone(), ordinary.clone()]).is_empty());
        // A reader holds it in name only: the role is empty, and the
        // reader is named; beside an ordinary holder only the reader is.
        assert_eq!(
            role_gaps(true, false, std::slice::from_ref(&reader)),
            vec![GapKind::Empty, GapKind::ReaderHolder]
        );
        assert_eq!(
            role_gaps(true, false, &[reader.clone(), ordinary]),
            vec![GapKind::ReaderHolder]
        );
        assert!(GapKind::LightHoldersOnly.concerns(&light));
        assert!(GapKind::ReaderHolder.concerns(&reader));
        assert!(!GapKind::ReaderHolder.concerns(&light));
    }

    #[test]
    fn a_task_given_to_a_reader_or_an_empty_role_is_warned_about() {
        let person = |user_type| AssigneeState::Person { user_type };
        assert_eq!(
            assignment_warning(person(UserType::Reader)),
            Some(AssignmentWarning::Reader)
        );
        assert_eq!(assignment_warning(person(UserType::Light)), None);
        assert_eq!(
            assignment_warning(AssigneeState::Role { working_holders: 0 }),
            Some(AssignmentWarning::EmptyRole)
        );
        assert_eq!(
            assignment_warning(AssigneeState::Role { working_holders: 2 }),
            None
        );
    }
}

/// How long a municipality has to fill a new role: the role's task
/// (»Udfyld rollen …«, code `ROLLE-N`) is due this many days after the
/// role is created.
pub const ROLE_TASK_DAYS: i64 = 30;

/// The code of a role's task, by which an assignment finds it.
pub fn role_task_code(role: RoleId) -> String {
    format!("ROLLE-{}", role.0)
}

/// When the role's task created on `created` is due.
pub fn role_task_deadline(created: Date) -> Date {
    created.saturating_add(time::Duration::days(ROLE_TASK_DAYS))
}

#[cfg(test)]
mod role_task_tests {
    use super::*;

    #[test]
    fn a_new_roles_task_is_due_thirty_days_after_and_is_found_by_its_code() {
        let day = time::macros::date!(2026 - 12 - 02);
        assert_eq!(role_task_deadline(day), time::macros::date!(2027 - 01 - 01));
        assert_eq!(role_task_code(RoleId(7)), "ROLLE-7");
    }
}
