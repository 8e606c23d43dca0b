//! The files of an incident (issue 19: "skærmbilleder"): added at intake
//! and later by a party that may see the incident or by its reporter's
//! municipality, and fetched only by them. The store checks who may add
//! one and the file's name, size and kind by the platform's rules
//! (`samspil_domain::files`); the caller checks who may list and fetch.

use async_trait::async_trait;
use samspil_domain::OrgAccess;
use samspil_storage::Result;
use samspil_tools::incident::IncidentId;
use time::OffsetDateTime;

#[async_trait]
pub trait IncidentFileStore: Send + Sync {
    /// Adds a file to the incident for the organisation `access` acts for
    /// (a party that may see it, or the reporter's municipality), audited;
    /// its number.
    async fn add_incident_file(
        &self,
        access: &OrgAccess,
        incident: IncidentId,
        file: &NewIncidentFile,
        now: OffsetDateTime,
    ) -> Result<i64>;

    /// The incident's files, oldest first, without their content.
    async fn incident_files(&self, incident: IncidentId) -> Result<Vec<IncidentFile>>;

    /// One file of the incident with its content.
    async fn incident_file(
        &self,
        incident: IncidentId,
        file: i64,
    ) -> Result<Option<(IncidentFile, Vec<u8>)>>;
}

/// A file as uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncidentFile {
    pub file_name: String,
    pub sha256: String,
    pub content: Vec<u8>,
}

/// A kept file, with the name of the organisation that added it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentFile {
    pub id: i64,
    pub incident: IncidentId,
    pub org_name: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_at: OffsetDateTime,
}
