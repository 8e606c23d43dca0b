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

    /// The municipalities' answers to an agreement as they stood at the end
    /// of `as_of`: each one's last answer given on or before that day, from
    /// the kept history of every answer (a municipality without one had not
    /// been asked).
    async fn agreement_answers(&self, agreement: i64, as_of: Date) -> Result<Vec<AnswerRecord>>;

    /// Every answer given to an agreement (of one municipality with
    /// `only`), in the order given: per municipality the last is its
    /// current answer.
    async fn answer_history(
        &self,
        agreement: i64,
        only: Option<OrgId>,
    ) -> Result<Vec<AnswerRecord>>;

    /// Publishes a new annex version of an agreement (staff, e.g. when a
    /// vendor changes locations) and queues it in the outbox, in the same
    /// transaction, to every municipality that has signed the agreement
    /// (with or without reservation): to its `addressees`, or to its
    /// administrators where it has none.
    async fn publish_annex(
        &self,
        access: &CommunityAccess,
        agreement: i64,
        title: &str,
        body: &str,
        addressees: &[Addressee],
    ) -> Result<AnnexRecord>;

    /// An agreement's annexes, newest first, with who has acknowledged.
    async fn annexes(&self, agreement: i64) -> Result<Vec<AnnexRecord>>;

    /// A municipality acknowledges receipt of an annex (its administrators,
    /// or staff); once is enough.
    async fn acknowledge_annex(&self, access: &OrgAccess, annex: i64) -> Result<()>;

    /// Queues a reminder to every municipality that received an annex and
    /// has not acknowledged it (its `addressees`, else its
    /// administrators): once per day (`day`); the number of e-mails
    /// queued.
    async fn remind_annex(
        &self,
        access: &CommunityAccess,
        annex: i64,
        day: Date,
        addressees: &[Addressee],
    ) -> Result<u64>;

    /// Reminds the municipalities that have not answered an agreement
    /// (considering, not asked) through the outbox, to their `addressees`
    /// or else their administrators (staff). Once a day (`day`): a second
    /// reminder the same day is refused and writes nothing.
    async fn remind_unanswered(
        &self,
        access: &CommunityAccess,
        agreement: i64,
        day: Date,
        addressees: &[Addressee],
    ) -> Result<ReminderRecord>;

    /// The reminders sent for an agreement, newest first.
    async fn reminders(&self, agreement: i64) -> Result<Vec<ReminderRecord>>;

    /// A municipality's answer (its administrators, or staff), on `day`:
    /// it becomes the current answer and is added to the history.
    async fn answer_agreement(
        &self,
        access: &OrgAccess,
        agreement: i64,
        answer: &Answer,
        day: Date,
    ) -> Result<()>;
}

/// A person an agreement's mail goes to in a municipality: the holder of
/// the signatory role, or the programme manager (chosen from the role
/// gallery by `samspil_tools::agreements::addressees`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressee {
    pub org_id: OrgId,
    pub user_id: i64,
    pub email: String,
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
    /// The moment it was given.
    pub answered_at: time::OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnexRecord {
    pub id: i64,
    pub agreement_id: i64,
    pub title: String,
    pub body: String,
    pub published_by: String,
    pub published_at: time::OffsetDateTime,
    /// The municipalities it was sent to (those that had signed).
    pub recipients: Vec<OrgId>,
    pub acknowledged: Vec<OrgId>,
}

/// A reminder sent to the municipalities that had not answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderRecord {
    pub sent_on: Date,
    pub sent_by: String,
    pub sent_at: time::OffsetDateTime,
    /// How many municipalities it went to, and how many e-mails.
    pub municipalities: i64,
    pub emails: i64,
}
