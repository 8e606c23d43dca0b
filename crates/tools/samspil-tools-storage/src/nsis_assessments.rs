//! NSIS risk assessments: one per IT solution and user type, each change a
//! new version (with who made it and the level it gave), each version
//! approved by a second person before it counts.

use async_trait::async_trait;
use samspil_domain::CommunityAccess;
use samspil_storage::Result;
use samspil_tools::AssuranceLevel;
use samspil_tools::nsis::{ControlScore, ElementKind};
use serde::Serialize;
use time::{Date, OffsetDateTime};

#[async_trait]
pub trait NsisAssessmentStore: Send + Sync {
    /// Every assessment with its newest version and the level that counts
    /// (the newest approved version's), by solution and user type.
    async fn nsis_assessments(&self) -> Result<Vec<Assessment>>;

    /// One assessment with every version, newest first.
    async fn nsis_assessment(&self, id: i64) -> Result<Option<AssessmentDetail>>;

    /// Starts the assessment of a solution (its id in the
    /// [`SolutionCatalogue`](crate::SolutionCatalogue), checked by the
    /// caller) for a user type, with its first version. One assessment per
    /// solution and user type.
    async fn create_nsis_assessment(
        &self,
        access: &CommunityAccess,
        solution_id: i64,
        user_type: &str,
        first: &VersionInput,
    ) -> Result<AssessmentDetail>;

    /// A new version: the scores (every active element's) evaluated against
    /// the current matrix. Awaits approval.
    async fn add_nsis_version(
        &self,
        access: &CommunityAccess,
        id: i64,
        version: &VersionInput,
    ) -> Result<AssessmentDetail>;

    /// Approves the newest version: by someone other than its author, once.
    async fn approve_nsis_version(
        &self,
        access: &CommunityAccess,
        id: i64,
        version: i64,
    ) -> Result<AssessmentDetail>;

    /// The levels that count: per assessment its newest approved version's.
    async fn nsis_requirements(&self) -> Result<Vec<Requirement>>;
}

/// A version as typed: the header and a score per element.
#[derive(Debug, Clone)]
pub struct VersionInput {
    pub project_leader: String,
    pub phase: String,
    /// Initials, separated by commas or spaces.
    pub assessors: String,
    pub assessed_on: Date,
    pub scores: Vec<ScoreInput>,
}

#[derive(Debug, Clone)]
pub struct ScoreInput {
    pub element_id: i64,
    /// As typed; the rules refuse anything but 0–3.
    pub score: i64,
    pub rationale: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub id: i64,
    pub solution_id: i64,
    pub user_type: String,
    pub latest: AssessmentVersion,
    /// The newest approved version, which counts; `None` until one is.
    pub approved_version: Option<i64>,
    pub approved_level: Option<AssuranceLevel>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentDetail {
    pub assessment: Assessment,
    /// Every version, newest first, with its scores.
    pub versions: Vec<AssessmentVersion>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentVersion {
    pub version: i64,
    pub project_leader: String,
    pub phase: String,
    pub assessors: Vec<String>,
    pub assessed_on: Date,
    /// The matrix version that gave the level.
    pub matrix_version: i64,
    pub risk_score: u8,
    #[serde(skip)]
    pub control: ControlScore,
    pub level: AssuranceLevel,
    pub author: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub approved_by: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub approved_at: Option<OffsetDateTime>,
    /// Empty in the list of assessments; filled in one assessment's detail.
    pub scores: Vec<ScoreRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreRecord {
    pub element_id: i64,
    pub element_name: String,
    pub kind: ElementKind,
    pub score: u8,
    pub rationale: String,
}

/// The level a solution requires for a user type: what the newest approved
/// version gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    pub assessment_id: i64,
    pub solution_id: i64,
    pub user_type: String,
    pub version: i64,
    pub level: AssuranceLevel,
}
