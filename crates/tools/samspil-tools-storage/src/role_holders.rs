//! What the tools read of coordination's role gallery: who holds a role
//! in a municipality (the signatory of "Underskriftsberettiget ift.
//! databehandleraftaler", the KOMBIT-programleder). The binary implements
//! it over coordination's store; the tools never reach that context's
//! tables.

use async_trait::async_trait;
use samspil_domain::OrgId;
use samspil_storage::Result;
use samspil_tools::agreements::{Addressees, PROGRAMME_MANAGER_ROLE, SIGNATORY_ROLE};

use crate::Addressee;
use time::Date;

#[async_trait]
pub trait RoleHolders: Send + Sync {
    /// The active people holding the role named `role_name` in the
    /// municipality on `day`, the primary holder first (none when the
    /// gallery has no such role).
    async fn holders(&self, org: OrgId, role_name: &str, day: Date) -> Result<Vec<Holder>>;
}

/// A person holding a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub org_id: OrgId,
    pub user_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub primary: bool,
}

/// Whom an agreement's mail goes to in each of `municipalities` on `day`:
/// the holders of the signatory role with an address, else the
/// KOMBIT-programleder's (`samspil_tools::agreements::addressees`). A
/// municipality with neither is left out: the store sends to its
/// administrators.
pub async fn addressees(
    roles: &dyn RoleHolders,
    municipalities: &[OrgId],
    day: Date,
) -> Result<Vec<Addressee>> {
    let with_address = |holders: Vec<Holder>| -> Vec<Addressee> {
        holders
            .into_iter()
            .filter_map(|h| {
                h.email.map(|email| Addressee {
                    org_id: h.org_id,
                    user_id: h.user_id,
                    email,
                })
            })
            .collect()
    };
    let mut all = Vec::new();
    for org in municipalities {
        let signatories = with_address(roles.holders(*org, SIGNATORY_ROLE, day).await?);
        let managers = if signatories.is_empty() {
            with_address(roles.holders(*org, PROGRAMME_MANAGER_ROLE, day).await?)
        } else {
            Vec::new()
        };
        match samspil_tools::agreements::addressees(signatories, managers) {
            Addressees::Signatories(people) | Addressees::ProgrammeManagers(people) => {
                all.extend(people)
            }
            Addressees::Administrators => {}
        }
    }
    Ok(all)
}
