//! Logging in through a municipality's identity provider (or a broker that
//! speaks for several): what the provider asserts about a person, and the
//! rules that turn it into a samspil user — or into a refusal that tells
//! the person what is wrong and who can put it right.
//!
//! The protocol (OpenID Connect now, OIOSAML later) only produces a
//! [`FederatedIdentity`]; everything after that is decided here, the same
//! way for every protocol.

use serde::{Deserialize, Serialize};

use crate::{AccessRole, MunicipalityCode, OrgId, UserId, ValidationError};

/// The job-function role that lets a person use samspil.
pub const DEFAULT_USER_ROLE: &str = "KLIK-bruger";
/// The job-function role that makes a person the municipality's administrator.
pub const DEFAULT_ADMIN_ROLE: &str = "KLIK-administrator";

/// A Danish CVR number: eight digits. Identity providers write it bare
/// (`55133018`) or with the OIOSAML prefix (`CVR:55133018`); both mean the same.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cvr(String);

impl Cvr {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let trimmed = raw.trim();
        let digits = match trimmed.get(..4) {
            Some(prefix) if prefix.eq_ignore_ascii_case("cvr:") => trimmed[4..].trim(),
            _ => trimmed,
        };
        if digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Cvr(digits.to_owned()))
        } else {
            Err(ValidationError::new("cvr", "a CVR number has 8 digits"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Cvr {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Cvr> for String {
    fn from(value: Cvr) -> Self {
        value.0
    }
}

impl std::fmt::Display for Cvr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an identity provider asserts about the person who just logged in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FederatedIdentity {
    /// The municipality the person acts for, as the provider writes it.
    pub cvr: String,
    /// The provider's own, stable identifier of the person.
    pub subject: String,
    /// The person's uuid in the municipality's organisation directory
    /// (FK Organisation / OS2mo), when the provider sends it.
    pub directory_uuid: Option<String>,
    pub email: Option<String>,
    pub name: String,
    /// The job-function roles, as the provider names them.
    pub roles: Vec<String>,
    /// The NSIS level of assurance of the login (OIOSAML's `loa`:
    /// `Substantial` or `High`), when the provider sends one.
    pub level_of_assurance: Option<String>,
}

/// How a provider names the two KLIK job-function roles. FK Adgangsstyring
/// and the brokers in front of it send URIs rather than the bare names, so
/// each provider says which values it uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleNames {
    pub admin: String,
    pub user: String,
}

impl Default for RoleNames {
    fn default() -> Self {
        RoleNames {
            admin: DEFAULT_ADMIN_ROLE.to_owned(),
            user: DEFAULT_USER_ROLE.to_owned(),
        }
    }
}

impl RoleNames {
    /// The access the roles give: KLIK-administrator wins over KLIK-bruger;
    /// neither gives none.
    pub fn access_role(&self, roles: &[String]) -> Option<AccessRole> {
        let has = |wanted: &str| roles.iter().any(|role| role.trim() == wanted);
        if has(&self.admin) {
            Some(AccessRole::Admin)
        } else if has(&self.user) {
            Some(AccessRole::User)
        } else {
            None
        }
    }
}

/// A municipality a provider may vouch for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedMunicipality {
    pub code: MunicipalityCode,
    pub cvr: Cvr,
}

/// What samspil trusts one identity provider to say: a municipality's own
/// provider speaks for that municipality only; a broker may speak for several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderTrust {
    /// The short name in URLs and the audit log, e.g. `aarhus`.
    pub id: String,
    pub municipalities: Vec<TrustedMunicipality>,
    pub roles: RoleNames,
}

impl ProviderTrust {
    /// The municipality the identity is for, if this provider may vouch for it.
    pub fn municipality_for(
        &self,
        identity: &FederatedIdentity,
    ) -> Result<MunicipalityCode, LoginRefusal> {
        let cvr = Cvr::parse(&identity.cvr).map_err(|_| LoginRefusal::NoMunicipality)?;
        self.municipalities
            .iter()
            .find(|trusted| trusted.cvr == cvr)
            .map(|trusted| trusted.code)
            .ok_or(LoginRefusal::UntrustedMunicipality { cvr })
    }

    /// The municipality and the access role, or why there is none. The role
    /// is checked before the directory is consulted, so a person without a
    /// KLIK role learns nothing about the directory.
    pub fn admit(
        &self,
        identity: &FederatedIdentity,
    ) -> Result<(MunicipalityCode, AccessRole), LoginRefusal> {
        let code = self.municipality_for(identity)?;
        let role = self
            .roles
            .access_role(&identity.roles)
            .ok_or(LoginRefusal::MissingRole { municipality: code })?;
        Ok((code, role))
    }
}

/// Why a federated login gives no session. Each has its own explanation to
/// the person, because each is put right by someone else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginRefusal {
    /// The provider sent no (readable) CVR number.
    NoMunicipality,
    /// The provider vouched for a municipality it is not trusted for.
    UntrustedMunicipality { cvr: Cvr },
    /// Neither KLIK-bruger nor KLIK-administrator: granted in the
    /// municipality's user administration.
    MissingRole { municipality: MunicipalityCode },
    /// Nobody in the municipality's directory matches.
    NotInDirectory,
    /// The directory's person is no longer active in samspil.
    Deactivated,
    /// Several people of the municipality share the e-mail address.
    AmbiguousEmail,
}

impl LoginRefusal {
    /// A stable name for logs, the audit log and text keys.
    pub fn code(&self) -> &'static str {
        match self {
            LoginRefusal::NoMunicipality => "no_municipality",
            LoginRefusal::UntrustedMunicipality { .. } => "untrusted_municipality",
            LoginRefusal::MissingRole { .. } => "missing_role",
            LoginRefusal::NotInDirectory => "not_in_directory",
            LoginRefusal::Deactivated => "deactivated",
            LoginRefusal::AmbiguousEmail => "ambiguous_email",
        }
    }
}

/// A person in samspil who might be the one logging in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryPerson {
    pub id: UserId,
    pub org_id: OrgId,
    /// The directory's uuid, for people who came from the directory.
    pub external_id: Option<String>,
    pub active: bool,
}

/// The people the storage found for an identity: the one with the
/// directory uuid (in any municipality) and those of the municipality with
/// the e-mail address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryCandidates {
    pub by_uuid: Option<DirectoryPerson>,
    pub by_email: Vec<DirectoryPerson>,
}

/// Finds the samspil user an identity is: by the directory's uuid first;
/// else by e-mail within the municipality (`org`) only, and never someone
/// the directory knows under another uuid.
pub fn match_directory(
    identity: &FederatedIdentity,
    org: OrgId,
    candidates: &DirectoryCandidates,
) -> Result<UserId, LoginRefusal> {
    let usable = |person: &DirectoryPerson| match person.active {
        true => Ok(person.id),
        false => Err(LoginRefusal::Deactivated),
    };
    let uuid = identity
        .directory_uuid
        .as_deref()
        .map(str::trim)
        .filter(|uuid| !uuid.is_empty());
    if uuid.is_some()
        && let Some(person) = &candidates.by_uuid
    {
        // The directory puts the person in another municipality: the
        // provider's CVR and the directory disagree, so nobody is chosen.
        if person.org_id != org {
            return Err(LoginRefusal::NotInDirectory);
        }
        return usable(person);
    }
    let email_matches: Vec<&DirectoryPerson> = candidates
        .by_email
        .iter()
        .filter(|person| person.org_id == org)
        .filter(|person| match (uuid, person.external_id.as_deref()) {
            (Some(uuid), Some(known)) => uuid.eq_ignore_ascii_case(known),
            _ => true,
        })
        .collect();
    match email_matches.as_slice() {
        [] => Err(LoginRefusal::NotInDirectory),
        [person] => usable(person),
        _ => Err(LoginRefusal::AmbiguousEmail),
    }
}

/// The e-mail address as samspil compares it.
pub fn normalise_email(email: &str) -> Option<String> {
    let email = email.trim().to_lowercase();
    (email.contains('@') && email.len() <= 254).then_some(email)
}

/// The NSIS level of a login as an identity provider states it (OIOSAML's
/// `loa` attribute, OpenID Connect's `acr` or a `loa` claim): `Low`,
/// `Substantial` or `High`, bare or as the NSIS concept URI
/// (`https://data.gov.dk/concept/core/nsis/loa/Substantial`), kept bare
/// as SAML keeps it; any other value is no NSIS level.
pub fn nsis_level(value: &str) -> Option<&'static str> {
    let value = value.trim();
    let bare = match value.rsplit_once('/') {
        Some(("https://data.gov.dk/concept/core/nsis/loa", bare)) => bare,
        Some(_) => return None,
        None => value,
    };
    ["Low", "Substantial", "High"]
        .into_iter()
        .find(|level| level.eq_ignore_ascii_case(bare))
}

#[cfg(test)]
mod tests {
    use super::*;

    const AARHUS_CVR: &str = "55133018";
    const ODENSE_CVR: &str = "35209115";

    fn code(value: u16) -> MunicipalityCode {
        MunicipalityCode::new(value).expect("valid code")
    }

    fn aarhus_provider() -> ProviderTrust {
        ProviderTrust {
            id: "aarhus".into(),
            municipalities: vec![TrustedMunicipality {
                code: code(751),
                cvr: Cvr::parse(AARHUS_CVR).expect("valid"),
            }],
            roles: RoleNames::default(),
        }
    }

    fn identity(cvr: &str, roles: &[&str]) -> FederatedIdentity {
        FederatedIdentity {
            cvr: cvr.into(),
            subject: "sub-1".into(),
            directory_uuid: Some("6a1c7b3e-0000-4000-8000-000000000001".into()),
            email: Some("anna@aarhus.dk".into()),
            name: "Anna Andersen".into(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            level_of_assurance: Some("Substantial".into()),
        }
    }

    fn person(id: i64, org: i64, external_id: Option<&str>, active: bool) -> DirectoryPerson {
        DirectoryPerson {
            id: UserId(id),
            org_id: OrgId(org),
            external_id: external_id.map(str::to_owned),
            active,
        }
    }

    #[test]
    fn cvr_numbers_are_eight_digits_with_or_without_the_oiosaml_prefix() {
        assert_eq!(
            Cvr::parse(" 55133018 ").map(String::from),
            Ok(AARHUS_CVR.into())
        );
        assert_eq!(
            Cvr::parse("CVR:55133018").map(String::from),
            Ok(AARHUS_CVR.into())
        );
        assert_eq!(
            Cvr::parse("cvr: 55133018").map(String::from),
            Ok(AARHUS_CVR.into())
        );
        assert!(Cvr::parse("5513301").is_err());
        assert!(Cvr::parse("551330189").is_err());
        assert!(Cvr::parse("5513301x").is_err());
        assert!(Cvr::parse("").is_err());
        assert!(Cvr::parse("CVR:").is_err());
        assert!(Cvr::parse("ÆØÅæøå").is_err());
    }

    #[test]
    fn the_administrator_role_wins_over_the_user_role() {
        let names = RoleNames::default();
        let roles = |list: &[&str]| list.iter().map(|r| r.to_string()).collect::<Vec<_>>();
        assert_eq!(
            names.access_role(&roles(&["KLIK-bruger", "KLIK-administrator"])),
            Some(AccessRole::Admin)
        );
        assert_eq!(
            names.access_role(&roles(&["KLIK-administrator"])),
            Some(AccessRole::Admin)
        );
        assert_eq!(
            names.access_role(&roles(&["Andet", "KLIK-bruger"])),
            Some(AccessRole::User)
        );
        assert_eq!(
            names.access_role(&roles(&["klik-bruger", "KLIK"])),
            None,
            "role names are exact"
        );
        assert_eq!(names.access_role(&[]), None);
    }

    #[test]
    fn role_names_are_configurable_because_access_management_sends_uris() {
        let names = RoleNames {
            admin: "http://kombit.dk/roles/jobrole/klik-administrator/1".into(),
            user: "http://kombit.dk/roles/jobrole/klik-bruger/1".into(),
        };
        assert_eq!(
            names.access_role(&["http://kombit.dk/roles/jobrole/klik-bruger/1".into()]),
            Some(AccessRole::User)
        );
        assert_eq!(names.access_role(&["KLIK-administrator".into()]), None);
    }

    #[test]
    fn a_municipal_provider_vouches_only_for_its_own_municipality() {
        let provider = aarhus_provider();
        assert_eq!(
            provider.admit(&identity(AARHUS_CVR, &["KLIK-bruger"])),
            Ok((code(751), AccessRole::User))
        );
        assert_eq!(
            provider.admit(&identity(ODENSE_CVR, &["KLIK-administrator"])),
            Err(LoginRefusal::UntrustedMunicipality {
                cvr: Cvr::parse(ODENSE_CVR).expect("valid")
            })
        );
        assert_eq!(
            provider.admit(&identity("not a cvr", &["KLIK-bruger"])),
            Err(LoginRefusal::NoMunicipality)
        );
    }

    #[test]
    fn a_broker_may_vouch_for_several_municipalities() {
        let mut broker = aarhus_provider();
        broker.municipalities.push(TrustedMunicipality {
            code: code(461),
            cvr: Cvr::parse(ODENSE_CVR).expect("valid"),
        });
        assert_eq!(
            broker.admit(&identity(
                &format!("CVR:{ODENSE_CVR}"),
                &["KLIK-administrator"]
            )),
            Ok((code(461), AccessRole::Admin))
        );
    }

    #[test]
    fn without_a_klik_role_the_refusal_names_the_municipality() {
        assert_eq!(
            aarhus_provider().admit(&identity(AARHUS_CVR, &["Sagsbehandler"])),
            Err(LoginRefusal::MissingRole {
                municipality: code(751)
            })
        );
    }

    #[test]
    fn the_directory_uuid_decides_before_the_email() {
        let candidates = DirectoryCandidates {
            by_uuid: Some(person(
                7,
                1,
                Some("6a1c7b3e-0000-4000-8000-000000000001"),
                true,
            )),
            by_email: vec![person(8, 1, None, true)],
        };
        assert_eq!(
            match_directory(&identity(AARHUS_CVR, &[]), OrgId(1), &candidates),
            Ok(UserId(7))
        );
    }

    #[test]
    fn a_uuid_of_another_municipality_is_refused_not_matched_by_email() {
        let candidates = DirectoryCandidates {
            by_uuid: Some(person(
                7,
                2,
                Some("6a1c7b3e-0000-4000-8000-000000000001"),
                true,
            )),
            by_email: vec![person(8, 1, None, true)],
        };
        assert_eq!(
            match_directory(&identity(AARHUS_CVR, &[]), OrgId(1), &candidates),
            Err(LoginRefusal::NotInDirectory)
        );
    }

    #[test]
    fn without_a_uuid_match_the_email_finds_the_person_in_the_municipality_only() {
        let mut anna = identity(AARHUS_CVR, &[]);
        anna.directory_uuid = None;
        let candidates = DirectoryCandidates {
            by_uuid: None,
            by_email: vec![person(9, 2, None, true), person(8, 1, Some("other"), true)],
        };
        assert_eq!(match_directory(&anna, OrgId(1), &candidates), Ok(UserId(8)));
        assert_eq!(
            match_directory(&anna, OrgId(3), &candidates),
            Err(LoginRefusal::NotInDirectory)
        );
    }

    #[test]
    fn an_email_match_known_to_the_directory_under_another_uuid_is_refused() {
        let candidates = DirectoryCandidates {
            by_uuid: None,
            by_email: vec![person(8, 1, Some("someone-else"), true)],
        };
        assert_eq!(
            match_directory(&identity(AARHUS_CVR, &[]), OrgId(1), &candidates),
            Err(LoginRefusal::NotInDirectory)
        );
        let same = DirectoryCandidates {
            by_uuid: None,
            by_email: vec![person(
                8,
                1,
                Some("6A1C7B3E-0000-4000-8000-000000000001"),
                true,
            )],
        };
        assert_eq!(
            match_directory(&identity(AARHUS_CVR, &[]), OrgId(1), &same),
            Ok(UserId(8))
        );
    }

    #[test]
    fn deactivated_ambiguous_and_unknown_people_get_their_own_refusal() {
        let anna = identity(AARHUS_CVR, &[]);
        let deactivated = DirectoryCandidates {
            by_uuid: Some(person(7, 1, None, false)),
            by_email: vec![],
        };
        assert_eq!(
            match_directory(&anna, OrgId(1), &deactivated),
            Err(LoginRefusal::Deactivated)
        );
        let twins = DirectoryCandidates {
            by_uuid: None,
            by_email: vec![person(8, 1, None, true), person(9, 1, None, true)],
        };
        assert_eq!(
            match_directory(&anna, OrgId(1), &twins),
            Err(LoginRefusal::AmbiguousEmail)
        );
        assert_eq!(
            match_directory(&anna, OrgId(1), &DirectoryCandidates::default()),
            Err(LoginRefusal::NotInDirectory)
        );
    }

    #[test]
    fn emails_are_compared_trimmed_and_in_lower_case() {
        assert_eq!(
            normalise_email(" Anna@Aarhus.DK "),
            Some("anna@aarhus.dk".into())
        );
        assert_eq!(normalise_email("no-at-sign"), None);
    }

    #[test]
    fn an_nsis_level_bare_or_as_the_concept_uri_and_nothing_else() {
        assert_eq!(
            nsis_level("https://data.gov.dk/concept/core/nsis/loa/Substantial"),
            Some("Substantial")
        );
        assert_eq!(nsis_level(" high "), Some("High"));
        assert_eq!(nsis_level("Low"), Some("Low"));
        assert_eq!(nsis_level("urn:mace:incommon:iap:silver"), None);
        assert_eq!(nsis_level("https://example.org/loa/High"), None);
        assert_eq!(nsis_level("Betydelig"), None);
    }
}
