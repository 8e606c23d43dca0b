//! A meeting's evaluation (issue 20): the survey staff define, each
//! person's one response, the results per question; and "send us input
//! to the next meeting", which a municipality's people send to a coming
//! meeting and staff read on it. The rules are
//! `samspil_coordination::meeting::{Survey, check_response, results,
//! check_input}`. An answer is decided under the meeting row's lock and
//! kept by a primary key on (meeting, person), so two answers from the
//! same person at the same moment keep one.

use async_trait::async_trait;
use samspil_coordination::meeting::{QuestionResult, Response, Survey};
use samspil_domain::{CommunityAccess, OrgId, Principal, UserId};
use samspil_storage::Result;
use serde::Serialize;
use time::OffsetDateTime;

use crate::MeetingId;

#[async_trait]
pub trait MeetingEvaluationStore: Send + Sync {
    /// Sets (or replaces) the meeting's survey; refused once anyone has
    /// answered it (`meeting-survey-answered`). Audited.
    async fn set_survey(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
        survey: &Survey,
    ) -> Result<()>;

    /// The meeting's survey, if staff have defined one.
    async fn survey(&self, id: MeetingId) -> Result<Option<Survey>>;

    /// The signed-in person's one response, checked against the survey,
    /// from the meeting's start on; a second is refused
    /// (`meeting-already-answered`). Audited (without the answers).
    async fn answer_survey(
        &self,
        principal: &Principal,
        id: MeetingId,
        response: &Response,
    ) -> Result<()>;

    /// Whether the person has answered the meeting's survey.
    async fn has_answered(&self, user: UserId, id: MeetingId) -> Result<bool>;

    /// The results per question over every response (community staff).
    async fn survey_results(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
    ) -> Result<SurveyResults>;

    /// "Send us input to the next meeting": the signed-in person's text to
    /// a meeting that has not started (`meeting-input-closed`). Audited.
    async fn send_input(
        &self,
        principal: &Principal,
        id: MeetingId,
        text: &str,
    ) -> Result<MeetingInput>;

    /// The input sent to a meeting, oldest first (community staff).
    async fn inputs(&self, access: &CommunityAccess, id: MeetingId) -> Result<Vec<MeetingInput>>;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SurveyResults {
    pub survey: Option<Survey>,
    /// How many answered.
    pub responses: usize,
    pub results: Vec<QuestionResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingInput {
    pub id: i64,
    pub user_id: UserId,
    pub name: String,
    pub org_id: OrgId,
    pub organisation: String,
    pub text: String,
    pub sent_at: OffsetDateTime,
}
