//! The matrix from risk and control scores to the assurance level, as
//! versions: the first is the 2019 slide's (written by the migration);
//! staff publish a new one, and every assessment version keeps which
//! matrix version gave its level.

use async_trait::async_trait;
use samspil_domain::CommunityAccess;
use samspil_storage::Result;
use samspil_tools::nsis::Matrix;
use serde::Serialize;
use time::OffsetDateTime;

#[async_trait]
pub trait NsisMatrixStore: Send + Sync {
    /// Every version, newest first.
    async fn nsis_matrix_versions(&self) -> Result<Vec<MatrixVersion>>;

    /// The version new assessment versions are evaluated against: the
    /// newest.
    async fn current_nsis_matrix(&self) -> Result<MatrixVersion>;

    /// Publishes a new version (staff). Assessment versions made before
    /// keep the level their matrix gave; the next version of each
    /// assessment is evaluated against this one.
    async fn publish_nsis_matrix(
        &self,
        access: &CommunityAccess,
        matrix: &Matrix,
        note: &str,
    ) -> Result<MatrixVersion>;
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixVersion {
    pub version: i64,
    pub matrix: Matrix,
    /// Why it changed.
    pub note: String,
    pub created_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}
