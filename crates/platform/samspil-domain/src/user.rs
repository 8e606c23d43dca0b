//! People: their login, what they may do (access role) and how they take part
//! (user type).

use serde::{Deserialize, Serialize};

use crate::ValidationError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// What a person may do, from the shared access management's job-function
/// roles (KLIK-bruger, KLIK-administrator) plus the community's own staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessRole {
    /// Community staff: read and coordinate across all municipalities.
    Staff,
    /// KLIK-administrator: everything of their own municipality.
    Admin,
    /// KLIK-bruger: the tasks and data of their own municipality.
    User,
}

impl AccessRole {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessRole::Staff => "staff",
            AccessRole::Admin => "admin",
            AccessRole::User => "user",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "staff" => Some(AccessRole::Staff),
            "admin" => Some(AccessRole::Admin),
            "user" => Some(AccessRole::User),
            _ => None,
        }
    }
}

/// How a person takes part (see "User types" in the domain description).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserType {
    /// Receives notifications and may hold roles.
    Ordinary,
    /// May hold roles but receives no notifications.
    Light,
    /// Læser: reads, may never hold a role.
    Reader,
}

impl UserType {
    pub fn as_str(self) -> &'static str {
        match self {
            UserType::Ordinary => "ordinary",
            UserType::Light => "light",
            UserType::Reader => "reader",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ordinary" => Some(UserType::Ordinary),
            "light" => Some(UserType::Light),
            "reader" => Some(UserType::Reader),
            _ => None,
        }
    }
}

impl UserType {
    pub const ALL: [UserType; 3] = [UserType::Ordinary, UserType::Light, UserType::Reader];
}

/// The keys of the user rules' refusals (`BrokenRule::Named`), each a
/// `rule-{key}` text of the shell in Danish and English.
pub const REFUSALS: &[&str] = &["user-type-changed-meanwhile", "user-type-own"];

/// What a municipality's administrator may decide of a person's user type
/// (almindelig, light, læser; the access role stays the directory's and
/// the identity provider's): anyone's but their own, so that nobody makes
/// themselves a reader and loses the right to undo it. `seen` is the type
/// the administrator saw when deciding and `now` the person's type as
/// stored: a change by someone else in between is not overwritten unseen.
/// Returns whether there is anything to change.
pub fn check_user_type_change(
    actor: Option<UserId>,
    person: UserId,
    seen: UserType,
    now: UserType,
    wanted: UserType,
) -> Result<bool, ValidationError> {
    if actor == Some(person) {
        return Err(ValidationError::named(
            "user_type",
            "user-type-own",
            "an administrator cannot change their own user type",
        ));
    }
    if now == wanted {
        return Ok(false);
    }
    if now != seen {
        return Err(ValidationError::named(
            "user_type",
            "user-type-changed-meanwhile",
            format!(
                "the user type was changed to {} meanwhile; look at it again",
                now.as_str()
            ),
        ));
    }
    Ok(true)
}

/// The language a person reads samspil in: the pages follow the browser's
/// choice, and what is sent to them (notifications, digests) follows the
/// choice they made last while signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Da,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Da => "da",
            Language::En => "en",
        }
    }

    /// A stored code; anything else is Danish, the default.
    pub fn from_code(code: &str) -> Self {
        match code {
            "en" => Language::En,
            _ => Language::Da,
        }
    }
}

/// A login name: 2–64 characters of lower-case letters, digits, `.`, `-`,
/// `_` and `@`, so that it survives URLs, CSV and mail addresses unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Login(String);

impl Login {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let value = raw.trim().to_lowercase();
        let length = value.chars().count();
        if !(2..=64).contains(&length) {
            return Err(ValidationError::new(
                "login",
                "a login has 2 to 64 characters",
            ));
        }
        if let Some(bad) = value.chars().find(|c| {
            !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_' | '@'))
        }) {
            return Err(ValidationError::new(
                "login",
                format!("a login may not contain '{bad}'"),
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Login {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Login> for String {
    fn from(value: Login) -> Self {
        value.0
    }
}

impl std::fmt::Display for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_normalised_to_lower_case() {
        assert_eq!(
            Login::parse("  Admin-751 ").map(|l| l.to_string()),
            Ok("admin-751".into())
        );
    }

    #[test]
    fn logins_refuse_spaces_and_markup() {
        assert!(Login::parse("a b").is_err());
        assert!(Login::parse("<script>").is_err());
        assert!(Login::parse("x").is_err());
        assert!(Login::parse(&"a".repeat(65)).is_err());
    }

    #[test]
    fn enums_round_trip_through_their_names() {
        for role in [AccessRole::Staff, AccessRole::Admin, AccessRole::User] {
            assert_eq!(AccessRole::parse(role.as_str()), Some(role));
        }
        for kind in [UserType::Ordinary, UserType::Light, UserType::Reader] {
            assert_eq!(UserType::parse(kind.as_str()), Some(kind));
        }
    }
}

/// Community staff belong to the community; municipal administrators and
/// users belong to a municipality (or to KL).
pub fn check_role_fits_organisation(
    role: AccessRole,
    org: crate::OrgKind,
) -> Result<(), ValidationError> {
    use crate::OrgKind;
    let fits = match role {
        AccessRole::Staff => org == OrgKind::Community,
        AccessRole::Admin | AccessRole::User => org != OrgKind::Community,
    };
    if fits {
        Ok(())
    } else {
        Err(ValidationError::new(
            "role",
            format!(
                "the access role '{}' does not fit an organisation of kind '{}'",
                role.as_str(),
                org.as_str()
            ),
        ))
    }
}

#[cfg(test)]
mod role_fit_tests {
    use super::*;
    use crate::OrgKind;

    #[test]
    fn staff_only_in_the_community_and_municipal_roles_outside_it() {
        assert!(check_role_fits_organisation(AccessRole::Staff, OrgKind::Community).is_ok());
        assert!(check_role_fits_organisation(AccessRole::Staff, OrgKind::Municipality).is_err());
        assert!(check_role_fits_organisation(AccessRole::Admin, OrgKind::Municipality).is_ok());
        assert!(check_role_fits_organisation(AccessRole::User, OrgKind::Community).is_err());
    }
}

#[cfg(test)]
mod user_type_tests {
    use super::*;

    fn key(error: ValidationError) -> String {
        match error.rule {
            Some(crate::BrokenRule::Named { key, .. }) => key.to_owned(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn an_administrator_changes_anyones_user_type_but_their_own_and_never_unseen() {
        use UserType::{Light, Ordinary, Reader};
        let (admin, person) = (Some(UserId(1)), UserId(2));
        assert_eq!(
            check_user_type_change(admin, person, Ordinary, Ordinary, Light),
            Ok(true)
        );
        assert_eq!(
            check_user_type_change(admin, person, Ordinary, Light, Light),
            Ok(false),
            "already what was wanted: nothing to change"
        );
        assert_eq!(
            key(
                check_user_type_change(admin, person, Ordinary, Reader, Light)
                    .expect_err("refused")
            ),
            "user-type-changed-meanwhile"
        );
        assert_eq!(
            key(
                check_user_type_change(admin, UserId(1), Ordinary, Ordinary, Reader)
                    .expect_err("refused")
            ),
            "user-type-own"
        );
        assert_eq!(
            check_user_type_change(None, person, Light, Light, Ordinary),
            Ok(true),
            "the operator"
        );
        for user_type in UserType::ALL {
            assert_eq!(UserType::parse(user_type.as_str()), Some(user_type));
        }
    }
}
