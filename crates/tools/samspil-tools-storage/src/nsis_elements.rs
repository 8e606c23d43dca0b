//! The catalogue of NSIS elements that assessors score: risk elements and
//! control elements, kept by the community's staff.

use async_trait::async_trait;
use samspil_domain::CommunityAccess;
use samspil_storage::Result;
use samspil_tools::nsis::ElementKind;
use serde::Serialize;

#[async_trait]
pub trait NsisElementStore: Send + Sync {
    /// Every element, the active ones and those taken out of use, risk
    /// elements first, then by name.
    async fn nsis_elements(&self) -> Result<Vec<NsisElement>>;

    /// Adds an element (staff); a name is used once per kind.
    async fn add_nsis_element(
        &self,
        access: &CommunityAccess,
        element: &NewNsisElement,
    ) -> Result<NsisElement>;

    /// Renames, redescribes, or takes an element out of use (or back): an
    /// element already scored is never deleted, so old versions keep their
    /// scores.
    async fn change_nsis_element(
        &self,
        access: &CommunityAccess,
        id: i64,
        change: &NsisElementChange,
    ) -> Result<NsisElement>;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NsisElement {
    pub id: i64,
    pub kind: ElementKind,
    pub name: String,
    pub description: String,
    /// Whether new assessments score it.
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct NewNsisElement {
    pub kind: ElementKind,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct NsisElementChange {
    pub name: String,
    pub description: String,
    pub active: bool,
}
