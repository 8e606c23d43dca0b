//! The organisation directory: organisations, their org units and their
//! people.

use crate::Result;
use async_trait::async_trait;
use samspil_domain::access::Actor;
use samspil_domain::{
    AccessRole, Login, MunicipalityCode, OrgAccess, OrgId, OrgKind, ReferenceOrganisation, UserId,
    UserType,
};
use serde::Serialize;

/// Organisations (the community, KL, the municipalities), their org units
/// and their people.
#[async_trait]
pub trait OrganisationStore: Send + Sync {
    /// Creates or updates the organisations every installation has (the
    /// community, KL, the 98 municipalities) and reports what changed.
    async fn sync_reference_organisations(
        &self,
        orgs: &[ReferenceOrganisation],
        actor: &Actor,
    ) -> Result<SyncReport>;

    async fn organisations(&self) -> Result<Vec<Organisation>>;

    async fn organisation(&self, id: OrgId) -> Result<Option<Organisation>>;

    async fn organisation_by_key(&self, key: &str) -> Result<Option<Organisation>>;

    async fn org_units(&self, access: &OrgAccess) -> Result<Vec<OrgUnit>>;

    async fn create_org_unit(&self, access: &OrgAccess, name: &str) -> Result<OrgUnit>;

    async fn users(&self, access: &OrgAccess) -> Result<Vec<User>>;

    async fn create_user(&self, access: &OrgAccess, user: &NewUser) -> Result<User>;

    async fn user(&self, id: UserId) -> Result<Option<User>>;

    /// Sets one of the organisation's people's user type (almindelig,
    /// light, læser), as its administrator decides; the access role stays
    /// the directory's and the identity provider's. One conditional write:
    /// the type changes only if it is still `seen`, the one the
    /// administrator decided on (`samspil_domain::user::check_user_type_change`).
    async fn set_user_type(
        &self,
        access: &OrgAccess,
        user: UserId,
        seen: UserType,
        wanted: UserType,
    ) -> Result<User>;

    /// The language a person chose while signed in, which what is sent to
    /// them is written in. Their own preference: not audited.
    async fn set_language(&self, user: UserId, language: samspil_domain::Language) -> Result<()>;
    /// The directory UUIDs of an organisation's org units, those its
    /// directory import brought (the citizen index checks a case's
    /// responsible unit against them).
    async fn directory_unit_uuids(&self, org_id: OrgId) -> Result<Vec<String>>;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub id: OrgId,
    pub key: String,
    pub kind: OrgKind,
    pub name: String,
    pub official_name: String,
    pub code: Option<MunicipalityCode>,
    pub region: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct OrgUnitId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgUnit {
    pub id: OrgUnitId,
    pub org_id: OrgId,
    pub name: String,
    pub user_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: UserId,
    pub org_id: OrgId,
    pub org_unit_id: Option<OrgUnitId>,
    pub org_unit_name: Option<String>,
    pub login: Login,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub job_title: Option<String>,
    pub role: AccessRole,
    pub user_type: UserType,
    pub active: bool,
}

/// Which of an organisation's people a list shows (Brugerhåndtering and
/// `GET /api/v1/organisations/{id}/users`): all the words in their name or
/// login, in an org unit, of a user type, with an access role. Each reads
/// its values as it must (the page leniently, the API strictly); what they
/// show is decided here, once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeopleFilter {
    /// Lower-case words, each of which the name or login must contain.
    pub words: Vec<String>,
    pub org_unit: Option<OrgUnitId>,
    pub user_type: Option<UserType>,
    pub access_role: Option<AccessRole>,
}

impl PeopleFilter {
    /// The filter whose words are those of a search text.
    pub fn searching(text: Option<&str>) -> Self {
        PeopleFilter {
            words: text
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_lowercase)
                .collect(),
            ..PeopleFilter::default()
        }
    }

    /// Whether any part of it narrows the list.
    pub fn in_use(&self) -> bool {
        !self.words.is_empty()
            || self.org_unit.is_some()
            || self.user_type.is_some()
            || self.access_role.is_some()
    }

    /// Whether the list shows this person.
    pub fn shows(&self, person: &User) -> bool {
        let name = format!("{} {}", person.display_name, person.login.as_str()).to_lowercase();
        self.words.iter().all(|w| name.contains(w.as_str()))
            && self
                .org_unit
                .is_none_or(|unit| person.org_unit_id == Some(unit))
            && self.user_type.is_none_or(|t| person.user_type == t)
            && self.access_role.is_none_or(|r| person.role == r)
    }

    /// The people it shows, in Danish alphabetical order of their names.
    pub fn apply(&self, people: Vec<User>) -> Vec<User> {
        let mut shown: Vec<User> = people.into_iter().filter(|u| self.shows(u)).collect();
        shown.sort_by_cached_key(|u| samspil_domain::collation::danish_key(&u.display_name));
        shown
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub login: Login,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub job_title: Option<String>,
    pub org_unit_id: Option<OrgUnitId>,
    pub role: AccessRole,
    pub user_type: UserType,
    /// An argon2id PHC string; `None` for people who log in elsewhere.
    pub password_hash: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(
        id: i64,
        name: &str,
        unit: Option<i64>,
        role: AccessRole,
        user_type: UserType,
    ) -> User {
        User {
            id: UserId(id),
            org_id: OrgId(1),
            org_unit_id: unit.map(OrgUnitId),
            org_unit_name: None,
            login: Login::parse(&format!("login-{id}")).expect("a login"),
            display_name: name.to_owned(),
            email: None,
            phone: None,
            job_title: None,
            role,
            user_type,
            active: true,
        }
    }

    fn people() -> Vec<User> {
        vec![
            person(1, "Åse Holm", Some(7), AccessRole::User, UserType::Light),
            person(2, "Bo Ærø", None, AccessRole::Admin, UserType::Ordinary),
            person(3, "Anne Birk", Some(7), AccessRole::User, UserType::Reader),
        ]
    }

    fn names(shown: Vec<User>) -> Vec<String> {
        shown.into_iter().map(|u| u.display_name).collect()
    }

    #[test]
    fn an_empty_filter_shows_everyone_in_danish_order() {
        let filter = PeopleFilter::searching(Some("  "));
        assert!(!filter.in_use());
        assert_eq!(
            names(filter.apply(people())),
            ["Anne Birk", "Bo Ærø", "Åse Holm"]
        );
    }

    #[test]
    fn every_part_narrows_the_list() {
        // All words, in the name or the login, whatever the case.
        let words = PeopleFilter::searching(Some("åse HOLM"));
        assert!(words.in_use());
        assert_eq!(names(words.apply(people())), ["Åse Holm"]);
        assert_eq!(
            names(PeopleFilter::searching(Some("login-2")).apply(people())),
            ["Bo Ærø"]
        );
        let unit = PeopleFilter {
            org_unit: Some(OrgUnitId(7)),
            ..PeopleFilter::default()
        };
        assert_eq!(names(unit.apply(people())), ["Anne Birk", "Åse Holm"]);
        let reader_in_unit = PeopleFilter {
            user_type: Some(UserType::Reader),
            ..unit.clone()
        };
        assert_eq!(names(reader_in_unit.apply(people())), ["Anne Birk"]);
        let admins = PeopleFilter {
            access_role: Some(AccessRole::Admin),
            ..PeopleFilter::default()
        };
        assert_eq!(names(admins.apply(people())), ["Bo Ærø"]);
    }
}
