//! Who must prove a second factor (a TOTP code) when logging in with a
//! password, and who may give theirs up.
//!
//! NSIS level Betydelig asks for two factors. Community staff reach every
//! municipality's data, so for them a password alone never opens a
//! session. Municipal people usually come through their municipality's
//! identity provider, which vouches for them; those with a local password
//! may add a second factor themselves. The identity provider's ways in
//! never reach these rules: they apply to the password form only.

use time::Duration;

use crate::AccessRole;

/// How long a person has, after the right password, to type their code.
pub const PENDING_LOGIN_LIFETIME: Duration = Duration::minutes(5);

/// What follows a verified password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterPassword {
    /// No second factor: the session starts.
    StartSession,
    /// The person has a second factor: ask for a code.
    AskForCode,
    /// The person must have a second factor and has none yet: enrol one
    /// (and prove it with a first code) before the session starts.
    Enrol,
}

/// Whether people with this access role must have a second factor.
pub fn second_factor_required(role: AccessRole) -> bool {
    match role {
        AccessRole::Staff => true,
        AccessRole::Admin | AccessRole::User => false,
    }
}

/// The step after a verified password for a person with `role` who has
/// (`enrolled`) or has not a second factor.
pub fn after_password(role: AccessRole, enrolled: bool) -> AfterPassword {
    match (enrolled, second_factor_required(role)) {
        (true, _) => AfterPassword::AskForCode,
        (false, true) => AfterPassword::Enrol,
        (false, false) => AfterPassword::StartSession,
    }
}

/// Whether a person may remove their own second factor: only where it is
/// not required, or the next login would only ask them to enrol again.
pub fn may_remove_second_factor(role: AccessRole) -> bool {
    !second_factor_required(role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_need_a_second_factor_and_municipal_people_may_have_one() {
        assert!(second_factor_required(AccessRole::Staff));
        assert!(!second_factor_required(AccessRole::Admin));
        assert!(!second_factor_required(AccessRole::User));
    }

    #[test]
    fn the_step_after_the_password_follows_role_and_enrolment() {
        use AfterPassword::*;
        assert_eq!(after_password(AccessRole::Staff, true), AskForCode);
        assert_eq!(after_password(AccessRole::Staff, false), Enrol);
        assert_eq!(after_password(AccessRole::Admin, true), AskForCode);
        assert_eq!(after_password(AccessRole::Admin, false), StartSession);
        assert_eq!(after_password(AccessRole::User, true), AskForCode);
        assert_eq!(after_password(AccessRole::User, false), StartSession);
    }

    #[test]
    fn only_those_who_need_no_second_factor_may_remove_it() {
        assert!(!may_remove_second_factor(AccessRole::Staff));
        assert!(may_remove_second_factor(AccessRole::Admin));
        assert!(may_remove_second_factor(AccessRole::User));
    }

    #[test]
    fn a_pending_login_is_short_lived() {
        assert!(PENDING_LOGIN_LIFETIME <= Duration::minutes(5));
        assert!(PENDING_LOGIN_LIFETIME > Duration::seconds(2 * 30));
    }
}
