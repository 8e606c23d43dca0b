//! Operational messages ("Servicemeddelelse: nedbrud, fejl og
//! fejlrettelser") about an incident: the community sends one through
//! coordination's messages to the holders of the affected solution's roles
//! (issue 19). The sending is coordination's, so the binary implements
//! [`OperationalMessages`] over that context's store; the tools keep which
//! messages went out about which incident ([`IncidentMessageStore`]).

use async_trait::async_trait;
use samspil_domain::CommunityAccess;
use samspil_storage::Result;
use samspil_tools::incident::{IncidentId, SolutionCode};
use serde::Serialize;
use time::OffsetDateTime;

/// Sends an operational message about a solution.
#[async_trait]
pub trait OperationalMessages: Send + Sync {
    /// Sends `subject` and `body` as an operational message, as the
    /// community staff member of `access`, to the current holders of `solution`'s roles in
    /// the role gallery, or, where the solution has no roles, to the people
    /// of the municipalities taking part in it. A subject or body the
    /// messages' rules refuse is refused here with their message; a
    /// solution coordination does not know is `NotFound`.
    async fn send_operational(
        &self,
        access: &CommunityAccess,
        solution: &SolutionCode,
        subject: &str,
        body: &str,
    ) -> Result<SentOperationalMessage>;
}

/// An operational message sent about an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentOperationalMessage {
    /// The message's id in coordination's messages.
    pub message_id: i64,
    pub subject: String,
    /// Whom it went to, in words (e.g. "Roller: SAPA-ansvarlig").
    pub audience: String,
    /// How many people's inboxes got it.
    pub recipients: u64,
    pub sent_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub sent_at: OffsetDateTime,
}

/// Which operational messages were sent about which incident.
#[async_trait]
pub trait IncidentMessageStore: Send + Sync {
    /// Records that `sent` went out about `incident` (audited as the
    /// community staff member who sent it).
    async fn record_operational_message(
        &self,
        access: &CommunityAccess,
        incident: IncidentId,
        sent: &SentOperationalMessage,
    ) -> Result<()>;

    /// The operational messages sent about `incident`, oldest first.
    async fn operational_messages(
        &self,
        incident: IncidentId,
    ) -> Result<Vec<SentOperationalMessage>>;
}
