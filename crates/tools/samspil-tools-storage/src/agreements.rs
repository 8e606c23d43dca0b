//! Agreements per solution and each municipality's answer to them.

use async_trait::async_trait;
use samspil_domain::{CommunityAccess, OrgAccess, OrgId};
use samspil_storage::Result;
use samspil_tools::agreements::{AgreementState, Answer};
use serde::Serialize;
use time::Date;

#[async_trait]
pub trait AgreementStore: Send + Sync {
    /// Every agreement, by name.
    async fn agreements(&self) -> Result<Vec<AgreementRecord>>;

    /// A new agreement of a solution (its id checked by the caller), staff.
    async fn create_agreement(
        &self,
        access: &CommunityAccess,
        agreement: &NewAgreement,
    ) -> Result<AgreementRecord>;

    /// The municipalities' answers to an agreement (a municipality without
    /// one has not been asked).
    async fn agreement_answers(&self, agreement: i64) -> Result<Vec<AnswerRecord>>;

    /// A municipality's answer (its administrators, or staff), on `day`.
    async fn answer_agreement(
        &self,
        access: &OrgAccess,
        agreement: i64,
        answer: &Answer,
        day: Date,
    ) -> Result<()>;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgreementRecord {
    pub id: i64,
    pub solution_id: i64,
    pub kind: String,
    pub name: String,
    pub deadline: Option<Date>,
}

#[derive(Debug, Clone)]
pub struct NewAgreement {
    pub solution_id: i64,
    pub kind: String,
    pub name: String,
    pub deadline: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRecord {
    pub org_id: OrgId,
    pub state: AgreementState,
    pub reservation: Option<String>,
    pub signed_by: Option<String>,
    pub signed_on: Option<Date>,
    /// The day of the answer.
    pub answered_on: Date,
    pub answered_by: String,
}
