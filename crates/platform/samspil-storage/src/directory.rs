//! Importing a municipality's organisation directory (a file or OS2mo).

use crate::Result;
use async_trait::async_trait;
use samspil_domain::OrgAccess;
use serde::Serialize;

/// Bringing a municipality's people and units in line with its
/// organisation directory.
#[async_trait]
pub trait DirectoryImportStore: Send + Sync {
    /// Brings one municipality's people and units in line with its
    /// organisation directory on `snapshot.as_of`: creates, updates,
    /// moves in from another municipality, deactivates whoever is gone.
    /// All or nothing; running it again changes nothing.
    async fn import_directory(
        &self,
        access: &OrgAccess,
        snapshot: &samspil_domain::directory::DirectorySnapshot,
    ) -> Result<DirectoryReport>;

    /// How many people `import_directory` would deactivate with this
    /// snapshot, out of the active people the directory manages: the
    /// sync's safety net against a truncated answer. Same rule as the
    /// import, read without writing.
    async fn preview_directory_deactivations(
        &self,
        access: &OrgAccess,
        snapshot: &samspil_domain::directory::DirectorySnapshot,
    ) -> Result<DeactivationPreview>;
}

/// What a directory import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DirectoryReport {
    pub units_created: u32,
    pub units_updated: u32,
    pub users_created: u32,
    pub users_updated: u32,
    pub users_deactivated: u32,
    /// Logins of the people who moved here from another municipality.
    pub users_moved: Vec<String>,
}

impl DirectoryReport {
    pub fn changed_anything(&self) -> bool {
        *self != DirectoryReport::default()
    }
}

/// What an import of a snapshot would deactivate, read before importing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeactivationPreview {
    /// Active people the directory manages in the municipality now.
    pub active: u64,
    /// Of them, those the snapshot no longer has.
    pub would_deactivate: u64,
}
