//! Who is asking, and which organisation's data they may reach.
//!
//! Tenancy rests on two types. A [`Principal`] is made only by code that has
//! just verified a credential (the web layer's authentication, or the CLI
//! acting for the operator). An [`OrgAccess`] is made only from a principal,
//! after the rule below has allowed it, and it is what the storage layer asks
//! for when it reads or writes data that belongs to an organisation: the
//! organisation id in the query comes from the access value itself, so a
//! query cannot forget its tenant.

use serde::Serialize;
use thiserror::Error;

use crate::{AccessRole, Login, OrgId, UserId, UserType};

/// The authenticated party behind a request or a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    user_id: Option<UserId>,
    login: String,
    org_id: Option<OrgId>,
    role: AccessRole,
    user_type: UserType,
}

/// What a principal may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Community staff and the operator: every organisation.
    AllOrganisations,
    /// A municipal user or administrator: their own organisation only.
    Organisation(OrgId),
}

/// What an [`OrgAccess`] allows, each level including the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AccessLevel {
    /// See the organisation's tasks, answers, comments and people.
    Read,
    /// Also work on its tasks: statuses, answers, comments, files, giving
    /// a task to someone, local tasks.
    Work,
    /// Also change its people, roles and IT solutions.
    Administer,
}

/// Proof that a principal may reach one organisation's data at a level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAccess {
    org_id: OrgId,
    level: AccessLevel,
    actor: Actor,
}

/// Who did something, as written to the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub user_id: Option<UserId>,
    pub label: String,
}

/// Proof that a principal may act for the community: create projects and
/// tasks, publish them, change deadlines, read every municipality's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityAccess {
    actor: Actor,
}

impl CommunityAccess {
    pub fn actor(&self) -> &Actor {
        &self.actor
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{login} may not act for the community")]
pub struct NotCommunityStaff {
    pub login: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("local tasks belong to a municipality; {login} acts for the community")]
pub struct NoLocalTasks {
    pub login: String,
}

/// A reader (læser) sees what their municipality sees and changes nothing:
/// in KLIK the user type for managers who should follow, not act.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{login} is a reader: readers see their municipality's data but change nothing")]
pub struct ReadOnly {
    pub login: String,
}

/// Why a principal may not change something.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChangeDenied {
    #[error(transparent)]
    ReadOnly(#[from] ReadOnly),
    #[error(transparent)]
    Denied(#[from] AccessDenied),
    #[error(transparent)]
    NoLocalTasks(#[from] NoLocalTasks),
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{login} may not {verb} the data of organisation {org_id}")]
pub struct AccessDenied {
    pub login: String,
    pub org_id: OrgId,
    pub verb: &'static str,
}

impl Principal {
    /// A person whose credential (password, session, bearer token, identity
    /// provider assertion) has just been verified. Call this only from the
    /// authentication layer; a test in the `samspil` crate keeps it that way.
    pub fn authenticated(
        user_id: UserId,
        login: &Login,
        org_id: OrgId,
        role: AccessRole,
        user_type: UserType,
    ) -> Self {
        Self {
            user_id: Some(user_id),
            login: login.to_string(),
            org_id: Some(org_id),
            role,
            user_type,
        }
    }

    /// The operator running a command-line action with direct access to the
    /// database (migrations, demo data, issuing tokens).
    pub fn operator() -> Self {
        Self {
            user_id: None,
            login: "operator".into(),
            org_id: None,
            role: AccessRole::Staff,
            user_type: UserType::Ordinary,
        }
    }

    pub fn user_id(&self) -> Option<UserId> {
        self.user_id
    }

    pub fn login(&self) -> &str {
        &self.login
    }

    pub fn org_id(&self) -> Option<OrgId> {
        self.org_id
    }

    pub fn role(&self) -> AccessRole {
        self.role
    }

    pub fn user_type(&self) -> UserType {
        self.user_type
    }

    pub fn is_staff(&self) -> bool {
        self.role == AccessRole::Staff
    }

    /// A reader changes nothing, whatever their access role.
    pub fn is_reader(&self) -> bool {
        self.user_type == UserType::Reader
    }

    fn refuse_readers(&self) -> Result<(), ReadOnly> {
        match self.is_reader() {
            true => Err(ReadOnly {
                login: self.login.clone(),
            }),
            false => Ok(()),
        }
    }

    pub fn scope(&self) -> Scope {
        match (self.role, self.org_id) {
            (AccessRole::Staff, _) | (_, None) => Scope::AllOrganisations,
            (_, Some(org)) => Scope::Organisation(org),
        }
    }

    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user_id,
            label: self.login.clone(),
        }
    }

    /// May this principal act for the community? Staff and the operator may.
    pub fn community_access(&self) -> Result<CommunityAccess, NotCommunityStaff> {
        if self.role == AccessRole::Staff {
            Ok(CommunityAccess {
                actor: self.actor(),
            })
        } else {
            Err(NotCommunityStaff {
                login: self.login.clone(),
            })
        }
    }

    /// The municipality whose local tasks this person writes: their own.
    /// Community staff have none; their tasks go to every municipality.
    pub fn local_task_access(&self) -> Result<OrgAccess, ChangeDenied> {
        match (self.role, self.org_id) {
            (AccessRole::Staff, _) | (_, None) => Err(NoLocalTasks {
                login: self.login.clone(),
            }
            .into()),
            (_, Some(own)) => self.work_access(own),
        }
    }

    /// May this principal read the data of `org_id` (its people, answers,
    /// comments)? Staff may read every organisation; everyone else only
    /// their own.
    pub fn read_access(&self, org_id: OrgId) -> Result<OrgAccess, AccessDenied> {
        self.access(org_id, AccessLevel::Read, "read")
    }

    /// May this principal work on the tasks of `org_id` (statuses,
    /// answers, comments, files, giving tasks, local tasks)? Everyone who
    /// may read them, except readers.
    pub fn work_access(&self, org_id: OrgId) -> Result<OrgAccess, ChangeDenied> {
        self.refuse_readers()?;
        Ok(self.access(org_id, AccessLevel::Work, "work on")?)
    }

    /// May this principal change the data of `org_id`? Staff may; a
    /// municipality's administrator may for their own municipality only;
    /// never a reader.
    pub fn admin_access(&self, org_id: OrgId) -> Result<OrgAccess, ChangeDenied> {
        self.refuse_readers()?;
        if self.role == AccessRole::User {
            return Err(self.denied(org_id, "administer").into());
        }
        Ok(self.access(org_id, AccessLevel::Administer, "administer")?)
    }

    fn access(
        &self,
        org_id: OrgId,
        level: AccessLevel,
        verb: &'static str,
    ) -> Result<OrgAccess, AccessDenied> {
        match self.scope() {
            Scope::AllOrganisations => {}
            Scope::Organisation(own) if own == org_id => {}
            Scope::Organisation(_) => return Err(self.denied(org_id, verb)),
        }
        Ok(OrgAccess {
            org_id,
            level,
            actor: self.actor(),
        })
    }

    fn denied(&self, org_id: OrgId, verb: &'static str) -> AccessDenied {
        AccessDenied {
            login: self.login.clone(),
            org_id,
            verb,
        }
    }
}

impl OrgAccess {
    pub fn org_id(&self) -> OrgId {
        self.org_id
    }

    pub fn level(&self) -> AccessLevel {
        self.level
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(org: i64, role: AccessRole) -> Principal {
        let login = Login::parse("someone").expect("valid login");
        Principal::authenticated(UserId(1), &login, OrgId(org), role, UserType::Ordinary)
    }

    #[test]
    fn staff_reach_every_organisation() {
        let staff = person(1, AccessRole::Staff);
        assert_eq!(staff.scope(), Scope::AllOrganisations);
        assert!(staff.read_access(OrgId(40)).is_ok());
        assert!(staff.admin_access(OrgId(40)).is_ok());
    }

    #[test]
    fn municipal_people_reach_only_their_own_municipality() {
        let aarhus_user = person(40, AccessRole::User);
        assert_eq!(aarhus_user.scope(), Scope::Organisation(OrgId(40)));
        assert_eq!(
            aarhus_user.read_access(OrgId(40)).map(|a| a.org_id()),
            Ok(OrgId(40))
        );
        assert!(aarhus_user.read_access(OrgId(41)).is_err());
    }

    #[test]
    fn only_administrators_administer_and_only_at_home() {
        assert!(
            person(40, AccessRole::User)
                .admin_access(OrgId(40))
                .is_err()
        );
        let admin = person(40, AccessRole::Admin);
        assert_eq!(
            admin.admin_access(OrgId(40)).map(|a| a.level()),
            Ok(AccessLevel::Administer)
        );
        let denied = admin.admin_access(OrgId(41)).expect_err("refused");
        assert!(matches!(
            denied,
            ChangeDenied::Denied(AccessDenied {
                org_id: OrgId(41),
                ..
            })
        ));
    }

    fn reader(org: i64, role: AccessRole) -> Principal {
        let login = Login::parse("laeser").expect("valid login");
        Principal::authenticated(UserId(2), &login, OrgId(org), role, UserType::Reader)
    }

    #[test]
    fn readers_read_at_home_and_change_nothing() {
        for role in [AccessRole::User, AccessRole::Admin] {
            let reader = reader(40, role);
            assert_eq!(
                reader.read_access(OrgId(40)).map(|a| a.level()),
                Ok(AccessLevel::Read)
            );
            assert!(matches!(
                reader.work_access(OrgId(40)),
                Err(ChangeDenied::ReadOnly(_))
            ));
            assert!(matches!(
                reader.admin_access(OrgId(40)),
                Err(ChangeDenied::ReadOnly(_))
            ));
            assert!(matches!(
                reader.local_task_access(),
                Err(ChangeDenied::ReadOnly(_))
            ));
        }
    }

    #[test]
    fn ordinary_and_light_users_work_on_their_own_tasks_only() {
        for user_type in [UserType::Ordinary, UserType::Light] {
            let login = Login::parse("someone").expect("valid login");
            let user =
                Principal::authenticated(UserId(3), &login, OrgId(40), AccessRole::User, user_type);
            assert_eq!(
                user.work_access(OrgId(40)).map(|a| a.level()),
                Ok(AccessLevel::Work)
            );
            assert!(matches!(
                user.work_access(OrgId(41)),
                Err(ChangeDenied::Denied(_))
            ));
        }
    }

    #[test]
    fn local_tasks_are_written_for_ones_own_municipality_only() {
        let access = person(7, AccessRole::User)
            .local_task_access()
            .expect("a municipal person");
        assert_eq!(access.org_id(), OrgId(7));
        assert!(person(1, AccessRole::Staff).local_task_access().is_err());
        assert!(Principal::operator().local_task_access().is_err());
    }

    #[test]
    fn only_staff_act_for_the_community() {
        assert!(person(1, AccessRole::Staff).community_access().is_ok());
        assert!(person(40, AccessRole::Admin).community_access().is_err());
        assert!(person(40, AccessRole::User).community_access().is_err());
        assert!(Principal::operator().community_access().is_ok());
    }

    #[test]
    fn the_operator_acts_without_a_user() {
        let operator = Principal::operator();
        assert_eq!(operator.actor().user_id, None);
        assert!(operator.admin_access(OrgId(7)).is_ok());
    }
}
