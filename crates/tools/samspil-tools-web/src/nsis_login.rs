//! The signed-in person's own login measured against what a solution
//! requires: a login through a municipality's identity provider carries
//! its NSIS level (OIOSAML's `loa`, kept with the session); a password
//! login carries none and meets no requirement.

use samspil_tools::AssuranceLevel;
use samspil_web::auth::SignedIn;
use serde::Serialize;

/// The login's level, when it has one.
pub fn login_level(signed_in: &SignedIn) -> Option<AssuranceLevel> {
    signed_in
        .level_of_assurance
        .as_deref()
        .and_then(AssuranceLevel::from_loa)
}

/// The login against one requirement, as a page shows it.
#[derive(Debug, Serialize)]
pub struct LoginAgainst {
    /// `Lav`, `Betydelig`, `Høj`; `None` for a login without a level.
    pub login_level: Option<&'static str>,
    /// The requirement's level.
    pub required: String,
    /// Whether the login meets it (a login without a level never does).
    pub meets: bool,
}

/// The login against `required` (an NSIS level's name), or `None` when the
/// requirement is no level.
pub fn against(signed_in: &SignedIn, required: &str) -> Option<LoginAgainst> {
    let required_level = AssuranceLevel::parse(required)?;
    let login = login_level(signed_in);
    Some(LoginAgainst {
        login_level: login.map(AssuranceLevel::as_str),
        required: required_level.as_str().to_owned(),
        meets: login.is_some_and(|l| l.satisfies(required_level)),
    })
}
