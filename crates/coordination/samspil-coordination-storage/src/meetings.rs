//! Programme-manager meetings and workshops (issue 20): the meetings with
//! their agenda and materials, each person's registration, the attendance
//! recorded after the meeting and its summary ("59 kommuner (75
//! deltagere)"), and the invitations and follow-up queued in the outbox.
//! The rules are `samspil_coordination::meeting`; every registration is
//! decided under the meeting row's lock, so the seats hold under parallel
//! requests.

use async_trait::async_trait;
use samspil_coordination::meeting::{
    AgendaItem, AttendanceRow, AttendanceSummary, Material, Meeting, MeetingError, check_seats,
};
use samspil_coordination::role::RoleId;
use samspil_domain::{CommunityAccess, MunicipalityCode, OrgId, Principal, UserId};
use samspil_storage::Result;
use serde::Serialize;
use time::{OffsetDateTime, UtcOffset};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct MeetingId(pub i64);

/// A monthly meeting (open to all invited) or a workshop (limited seats).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    Meeting,
    Workshop,
}

impl MeetingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingKind::Meeting => "meeting",
            MeetingKind::Workshop => "workshop",
        }
    }

    pub fn parse(value: &str) -> Option<MeetingKind> {
        match value {
            "meeting" => Some(MeetingKind::Meeting),
            "workshop" => Some(MeetingKind::Workshop),
            _ => None,
        }
    }
}

/// The meetings, their registrations, attendance and mailings.
#[async_trait]
pub trait MeetingStore: Send + Sync {
    /// Makes a meeting, checked by the rules ([`NewMeeting::rules`]);
    /// audited.
    async fn create_meeting(
        &self,
        access: &CommunityAccess,
        meeting: &NewMeeting,
    ) -> Result<MeetingRecord>;

    /// Replaces a meeting's title, times, link, seats, agenda and
    /// materials, checked again by the rules; seats below the number
    /// registered are refused. Audited with before and after.
    async fn update_meeting(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
        meeting: &NewMeeting,
    ) -> Result<MeetingRecord>;

    /// Every meeting, by start.
    async fn meetings(&self) -> Result<Vec<MeetingRecord>>;

    async fn meeting(&self, id: MeetingId) -> Result<Option<MeetingRecord>>;

    /// Registers the signed-in person (never anyone else: the principal
    /// is the person), under the meeting row's lock: open until the start,
    /// once, within the seats. Audited.
    async fn register(&self, principal: &Principal, id: MeetingId) -> Result<()>;

    /// Cancels the signed-in person's own registration before the start.
    /// Audited.
    async fn cancel_registration(&self, principal: &Principal, id: MeetingId) -> Result<()>;

    /// Whether the person is registered for the meeting.
    async fn is_registered(&self, user: UserId, id: MeetingId) -> Result<bool>;

    /// The people registered, by organisation and name (community staff).
    async fn registrations(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
    ) -> Result<Vec<Registration>>;

    /// Replaces the attendance recorded after the meeting (community
    /// staff); refused before the meeting starts. Audited.
    async fn record_attendance(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
        rows: &[AttendanceRow],
    ) -> Result<AttendanceReport>;

    /// The attendance: the rows, the summary and the municipalities that
    /// were not there.
    async fn attendance(&self, id: MeetingId) -> Result<AttendanceReport>;

    /// Queues the invitation, with its iCalendar text, for everyone who on
    /// the meeting's day holds the KOMBIT-programleder role or one of
    /// `roles`, once per person (a second sending is an update: a higher
    /// SEQUENCE, a new delivery per person). Audited.
    async fn send_invitations(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
        roles: &[RoleId],
        mail: &MeetingMail,
    ) -> Result<MailingReport>;

    /// Adds a material file (checked by `samspil_domain::files`) to the
    /// meeting's materials, with its title and kind; an edit of the
    /// meeting keeps it. Audited.
    async fn add_material_file(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
        title: &str,
        kind: samspil_coordination::meeting::MaterialKind,
        file: &MaterialFile,
    ) -> Result<MeetingRecord>;

    /// A material file of the meeting: its name, content type and content.
    async fn material_file(
        &self,
        id: MeetingId,
        file: i64,
    ) -> Result<Option<(String, String, Vec<u8>)>>;

    /// Cancels a meeting before it starts (refused once started or
    /// cancelled already): registration and invitations close, and
    /// everyone the invitation went to, and everyone registered, gets an
    /// iCalendar CANCEL (METHOD:CANCEL, the invitation's UID, the next
    /// SEQUENCE) through the outbox, once each. Audited.
    async fn cancel_meeting(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
        mail: &MeetingMail,
    ) -> Result<MailingReport>;

    /// Queues the recording and slides for every current holder of the
    /// KOMBIT-programleder role, once per person and meeting; refused
    /// before the meeting has ended or without a recording or slides.
    /// Audited.
    async fn send_follow_up(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
        mail: &MeetingMail,
    ) -> Result<MailingReport>;
}

/// A meeting as staff make or edit it.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub link: String,
    pub description: String,
    /// A limit on registrations; a workshop must have one.
    pub seats: Option<u32>,
    pub agenda: Vec<AgendaItem>,
    pub materials: Vec<Material>,
}

impl NewMeeting {
    /// The rules' meeting, with the seats checked: a workshop needs 1 to
    /// `MAX_SEATS`, a meeting none or as many.
    pub fn rules(&self) -> std::result::Result<Meeting, MeetingError> {
        match (self.kind, self.seats) {
            (_, Some(seats)) => check_seats(seats)?,
            (MeetingKind::Workshop, None) => check_seats(0)?,
            (MeetingKind::Meeting, None) => {}
        }
        Meeting::new(
            &self.title,
            self.starts_at,
            self.ends_at,
            &self.link,
            &self.description,
            self.agenda.clone(),
            self.materials.clone(),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingRecord {
    pub id: MeetingId,
    pub kind: MeetingKind,
    pub seats: Option<u32>,
    pub registered: u32,
    pub meeting: Meeting,
    /// The SEQUENCE of the last invitation sent (0: the first).
    pub invitation_sequence: u32,
    pub invited_at: Option<OffsetDateTime>,
    pub follow_up_sent_at: Option<OffsetDateTime>,
    /// When staff cancelled the meeting.
    pub cancelled_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Registration {
    pub user_id: UserId,
    pub name: String,
    pub org_id: OrgId,
    pub organisation: String,
    pub registered_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AbsentMunicipality {
    pub code: MunicipalityCode,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttendanceReport {
    /// The rows as recorded (municipality, person), in their order.
    #[serde(skip)]
    pub rows: Vec<AttendanceRow>,
    pub summary: AttendanceSummary,
    /// Every municipality with no participant, by code; empty while no
    /// attendance is recorded.
    pub absent: Vec<AbsentMunicipality>,
}

impl AttendanceReport {
    /// Whether attendance has been recorded at all.
    pub fn recorded(&self) -> bool {
        !self.rows.is_empty()
    }
}

/// What an invitation or follow-up mail says around the meeting: the web
/// layer writes the texts (in Danish) and knows the installation.
#[derive(Debug, Clone)]
pub struct MeetingMail {
    pub subject: String,
    pub body: String,
    /// The installation's host name, for the invitation's UID.
    pub host: String,
    pub organizer_name: String,
    pub organizer_email: String,
    /// The Danish offset on the meeting's day, for the agenda's times.
    pub offset: UtcOffset,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailingReport {
    /// E-mails queued now.
    pub queued: u64,
    /// People it could not go to, with the reason (`SkipReason::code`).
    pub not_sent: Vec<(UserId, &'static str)>,
}

/// A material file as uploaded.
#[derive(Debug, Clone)]
pub struct MaterialFile {
    pub file_name: String,
    pub content: Vec<u8>,
    pub sha256: String,
}
