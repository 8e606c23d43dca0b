//! The contact lists the community keeps by hand.

use async_trait::async_trait;
use samspil_domain::{CommunityAccess, OrgId};
use samspil_storage::Result;
use serde::Serialize;

/// The contact lists the community keeps by hand (DPO function mailboxes,
/// billing details, mayors…).
#[async_trait]
pub trait ContactListStore: Send + Sync {
    async fn contact_lists(&self, access: &CommunityAccess) -> Result<Vec<ContactList>>;

    async fn create_contact_list(
        &self,
        access: &CommunityAccess,
        name: &str,
        description: &str,
    ) -> Result<ContactList>;

    async fn contact_entries(
        &self,
        access: &CommunityAccess,
        list: i64,
    ) -> Result<Vec<ContactEntry>>;

    async fn add_contact_entry(
        &self,
        access: &CommunityAccess,
        list: i64,
        entry: &NewContactEntry,
    ) -> Result<ContactEntry>;

    /// Replaces every field of one entry, checked as a new entry is.
    async fn update_contact_entry(
        &self,
        access: &CommunityAccess,
        list: i64,
        entry: i64,
        changed: &NewContactEntry,
    ) -> Result<ContactEntry>;

    async fn delete_contact_entry(
        &self,
        access: &CommunityAccess,
        list: i64,
        entry: i64,
    ) -> Result<()>;
}

/// A contact list the community keeps by hand (DPO function mailboxes,
/// billing details, mayors…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactList {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub entry_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactEntry {
    pub id: i64,
    pub list_id: i64,
    pub org_id: Option<OrgId>,
    pub org_name: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The function or title, e.g. "Borgmester", "DPO-funktionspostkasse".
    pub function: String,
    pub note: String,
}

#[derive(Debug, Clone, Default)]
pub struct NewContactEntry {
    pub org_id: Option<OrgId>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub function: String,
    pub note: String,
}
