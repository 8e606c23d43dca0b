//! An agreement's document versions and the municipalities' signed
//! documents: files kept in the database under the platform's file rules
//! (`samspil_domain::files`).

use async_trait::async_trait;
use samspil_domain::{CommunityAccess, OrgAccess, OrgId};
use samspil_storage::Result;
use time::OffsetDateTime;

#[async_trait]
pub trait AgreementDocumentStore: Send + Sync {
    /// A new version of an agreement's document, with a note (staff): the
    /// next version number.
    async fn add_document_version(
        &self,
        access: &CommunityAccess,
        agreement: i64,
        note: &str,
        file: &NewFile,
    ) -> Result<KeptFile>;

    /// An agreement's document versions, newest first.
    async fn document_versions(&self, agreement: i64) -> Result<Vec<KeptFile>>;

    /// One version with its content.
    async fn document_content(
        &self,
        agreement: i64,
        id: i64,
    ) -> Result<Option<(KeptFile, Vec<u8>)>>;

    /// The signed document (a PDF) of a municipality's current answer,
    /// which must be a signature (its administrators, or staff).
    async fn add_signed_document(
        &self,
        access: &OrgAccess,
        agreement: i64,
        file: &NewFile,
    ) -> Result<KeptFile>;

    /// A municipality's signed documents of an agreement, newest first.
    async fn signed_documents(&self, agreement: i64, org: OrgId) -> Result<Vec<KeptFile>>;

    /// One signed document of a municipality with its content.
    async fn signed_document_content(
        &self,
        agreement: i64,
        org: OrgId,
        id: i64,
    ) -> Result<Option<(KeptFile, Vec<u8>)>>;
}

/// A file as uploaded: its name as the browser sent it (checked and cut to
/// its last part by the store), its content and the content's hex SHA-256.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub file_name: String,
    pub content: Vec<u8>,
    pub sha256: String,
}

/// A kept file (its content is read separately): for a document version
/// its number and note; for a signed document the answer it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptFile {
    pub id: i64,
    pub agreement_id: i64,
    /// The version number (document versions) or the answer's history id
    /// (signed documents).
    pub version: i64,
    pub note: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: OffsetDateTime,
}
