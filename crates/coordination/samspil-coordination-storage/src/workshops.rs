//! Workshops with limited seats (issue 20): interested people apply,
//! staff choose with each applicant's municipality size, region and
//! role-gallery completeness shown, and the chosen and the not chosen are
//! told through the outbox. The choice is taken once, under the meeting
//! row's lock: the chosen are registered, and the seats (with anyone
//! registered before) are never exceeded. The rules are
//! `samspil_coordination::meeting::{check_choice, suggest_selection}`.

use async_trait::async_trait;
use samspil_domain::{CommunityAccess, MunicipalityCode, OrgId, Principal, UserId};
use samspil_storage::Result;
use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::{MeetingId, MeetingMail};

#[async_trait]
pub trait WorkshopStore: Send + Sync {
    /// The signed-in person applies for a workshop's seat, once, before it
    /// starts and before staff have chosen. Audited.
    async fn apply_for_workshop(
        &self,
        principal: &Principal,
        id: MeetingId,
        motivation: &str,
    ) -> Result<()>;

    /// Whether the person has applied, and what was decided.
    async fn application_of(&self, user: UserId, id: MeetingId) -> Result<Option<Decision>>;

    /// The applications, earliest first, with each municipality's region
    /// and role-gallery completeness on `today` (community staff).
    async fn workshop_applications(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
        today: Date,
    ) -> Result<Vec<WorkshopApplication>>;

    /// Staff's choice, once: the chosen get a seat (registered), every
    /// applicant is told (`chosen` or `not_chosen` mail), the seats never
    /// exceeded. Audited.
    async fn choose_applicants(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
        chosen: &[i64],
        chosen_mail: &MeetingMail,
        not_chosen_mail: &MeetingMail,
    ) -> Result<ChoiceReport>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Pending,
    Chosen,
    NotChosen,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Pending => "pending",
            Decision::Chosen => "chosen",
            Decision::NotChosen => "not_chosen",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkshopApplication {
    pub id: i64,
    pub user_id: UserId,
    pub name: String,
    pub org_id: OrgId,
    pub organisation: String,
    pub municipality: Option<MunicipalityCode>,
    pub region: Option<String>,
    /// Mandatory roles of the role gallery the municipality has filled,
    /// of all mandatory roles.
    pub roles_filled: u32,
    pub roles_total: u32,
    pub motivation: String,
    pub applied_at: OffsetDateTime,
    pub decision: Decision,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChoiceReport {
    pub chosen: usize,
    pub not_chosen: usize,
    /// E-mails queued.
    pub queued: u64,
}
