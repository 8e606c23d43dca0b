//! Programme-manager meetings (programledermøder, issue 20): the
//! community's monthly online meetings with the municipalities'
//! KOMBIT-programleder (and others), and workshops with limited seats.
//!
//! # Design
//!
//! * A meeting (`agenda.rs`, [`Meeting`]) has a title, a start and an end
//!   (UTC instants: the web layer converts from and to Danish time), an
//!   https link, an agenda and materials. Agenda items have a title, an
//!   optional presenter and a time slot; the slots must lie inside the
//!   meeting, each start before it ends, and follow one another in order
//!   without overlapping (gaps are allowed: a break). One item may be the
//!   fixed "Servicemeddelelser", which the web layer fills with the
//!   operational messages and incidents of [`service_message_period`].
//!   Materials are links or files, the recording and slides among them;
//!   after the meeting they go to every programme manager registered, not
//!   only those who came (the slide says so).
//! * Invitations (`invitation.rs`): everyone who on the meeting's day
//!   holds the KOMBIT-programleder role or one of the chosen roles, once
//!   each, whatever the number of roles; people who cannot be mailed
//!   (disabled, light users, no address) are listed with the reason
//!   instead, so staff see who is missed. Registration per person: open
//!   until the meeting starts, once per person, within the seats if any.
//! * Attendance (`attendance.rs`): a pure summary of attendance rows
//!   (municipality, person) into "59 kommuner (75 deltagere)": distinct
//!   municipalities, distinct people from them (a person counted once,
//!   compared without case), people from no municipality apart; and the
//!   municipalities that were not there.
//! * Evaluation (`survey.rs`): a survey's questions (scale, choice, free
//!   text), each response checked against them, and the results per
//!   question (counts, a scale's mean in hundredths, the texts).
//! * Workshops (`workshop.rs`): applicants with their municipality's
//!   population, region and role-gallery completeness; staff choose, and
//!   [`suggest_selection`] only suggests, by a deterministic greedy
//!   algorithm documented there, a selection representative by
//!   population, geography and role filling.
//! * The invitation's iCalendar text (`ical.rs`): one VEVENT with
//!   METHOD:REQUEST (or CANCEL), UID, SEQUENCE, DTSTAMP, UTC times,
//!   escaped TEXT values and lines folded at 75 octets (RFC 5545). The
//!   workspace had no iCalendar writer before this one.
//!
//! Every refusal is a [`MeetingError`] with a stable code
//! ([`MeetingError::code`]) for the web layer's Danish and English texts.

mod agenda;
mod attendance;
mod ical;
mod invitation;
mod survey;
mod workshop;

pub use agenda::{
    AgendaItem, ItemKind, MAX_MEETING_HOURS, Material, MaterialKind, MaterialSource, Meeting,
    service_message_period,
};
pub use attendance::{AttendanceRow, AttendanceSummary, absent_municipalities, summarise};
pub use ical::{CalendarMethod, CalendarPerson, IcsEvent, meeting_uid};
pub use invitation::{
    Invitation, Invitee, NotInvited, RoleHolding, SkipReason, check_cancellation,
    check_registration, invitees,
};
pub use survey::{
    Answer, MAX_INPUT_TEXT, Question, QuestionKind, QuestionResult, Response, ResultDetail, Survey,
    check_input, check_response, results,
};
pub use workshop::{
    Applicant, Dimension, MAX_SEATS, Profile, SizeBand, StratumCount, Suggestion, check_choice,
    check_seats, fill_band, size_band, suggest_selection,
};

use thiserror::Error;

/// A refusal of the meeting rules. [`MeetingError::code`] is stable: the
/// web layer's texts and the API's error codes are keyed on it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MeetingError {
    #[error("{field} is required")]
    Required { field: &'static str },
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("{field} contains a control character")]
    ControlCharacter { field: &'static str },
    #[error("the meeting must end after it starts and last at most {max_hours} hours")]
    BadMeetingTime { max_hours: i64 },
    #[error("the link must be an https address")]
    BadLink,
    #[error("agenda item {item} must end after it starts")]
    ItemReversed { item: usize },
    #[error("agenda item {item} lies outside the meeting")]
    ItemOutsideMeeting { item: usize },
    #[error("agenda item {item} starts before item {previous} ends")]
    ItemsOverlap { item: usize, previous: usize },
    #[error("the agenda has Servicemeddelelser more than once")]
    ServiceMessagesTwice,
    #[error("registration closed when the meeting started")]
    RegistrationClosed,
    #[error("the person is registered already")]
    AlreadyRegistered,
    #[error("the person is not registered")]
    NotRegistered,
    #[error("all {seats} seats are taken")]
    Full { seats: u32 },
    #[error("a survey needs at least one question")]
    NoQuestions,
    #[error("question '{key}' appears more than once")]
    DuplicateQuestion { key: String },
    #[error("question '{key}' is badly formed: {problem}")]
    BadQuestion { key: String, problem: &'static str },
    #[error("'{key}' is not a question of the survey")]
    UnknownQuestion { key: String },
    #[error("question '{key}' must be answered")]
    MissingAnswer { key: String },
    #[error("the answer to '{key}' does not fit the question")]
    BadAnswer { key: String },
    #[error("a workshop has 1 to {max} seats, got {seats}")]
    BadSeats { seats: u32, max: u32 },
    #[error("application {id} is not an applicant of the workshop")]
    UnknownApplicant { id: u64 },
    #[error("application {id} is chosen twice")]
    ChosenTwice { id: u64 },
    #[error("{chosen} chosen for {seats} seats")]
    TooManyChosen { chosen: usize, seats: u32 },
    #[error("'{value}' cannot be used in a calendar invitation")]
    BadCalendarValue { value: String },
    #[error("the meeting has no evaluation")]
    NoSurvey,
    #[error("the evaluation opens when the meeting starts")]
    SurveyNotOpen,
    #[error("the person has answered the evaluation already")]
    AlreadyAnswered,
    #[error("the evaluation cannot change once it has answers")]
    SurveyAnswered,
    #[error("input is sent before the meeting starts")]
    InputClosed,
    #[error("the meeting is cancelled")]
    Cancelled,
    #[error("only a workshop takes applications")]
    NotAWorkshop,
    #[error("the person has applied already")]
    AlreadyApplied,
    #[error("the workshop's seats have been given")]
    WorkshopDecided,
}

impl MeetingError {
    /// A stable name for the texts (`meeting-{code}`), the API and logs.
    pub fn code(&self) -> &'static str {
        match self {
            MeetingError::Required { .. } => "required",
            MeetingError::TooLong { .. } => "too_long",
            MeetingError::ControlCharacter { .. } => "control_character",
            MeetingError::BadMeetingTime { .. } => "bad_meeting_time",
            MeetingError::BadLink => "bad_link",
            MeetingError::ItemReversed { .. } => "item_reversed",
            MeetingError::ItemOutsideMeeting { .. } => "item_outside_meeting",
            MeetingError::ItemsOverlap { .. } => "items_overlap",
            MeetingError::ServiceMessagesTwice => "service_messages_twice",
            MeetingError::RegistrationClosed => "registration_closed",
            MeetingError::AlreadyRegistered => "already_registered",
            MeetingError::NotRegistered => "not_registered",
            MeetingError::Full { .. } => "full",
            MeetingError::NoQuestions => "no_questions",
            MeetingError::DuplicateQuestion { .. } => "duplicate_question",
            MeetingError::BadQuestion { .. } => "bad_question",
            MeetingError::UnknownQuestion { .. } => "unknown_question",
            MeetingError::MissingAnswer { .. } => "missing_answer",
            MeetingError::BadAnswer { .. } => "bad_answer",
            MeetingError::BadSeats { .. } => "bad_seats",
            MeetingError::UnknownApplicant { .. } => "unknown_applicant",
            MeetingError::ChosenTwice { .. } => "chosen_twice",
            MeetingError::TooManyChosen { .. } => "too_many_chosen",
            MeetingError::BadCalendarValue { .. } => "bad_calendar_value",
            MeetingError::NoSurvey => "no_survey",
            MeetingError::SurveyNotOpen => "survey_not_open",
            MeetingError::AlreadyAnswered => "already_answered",
            MeetingError::SurveyAnswered => "survey_answered",
            MeetingError::InputClosed => "input_closed",
            MeetingError::Cancelled => "cancelled",
            MeetingError::NotAWorkshop => "not_a_workshop",
            MeetingError::AlreadyApplied => "already_applied",
            MeetingError::WorkshopDecided => "workshop_decided",
        }
    }

    /// The form field a refusal belongs at: the meeting form's `title`,
    /// `description`, `link`, `ends` (the times), `seats`, `agenda` and
    /// `materials`; `meeting` for the registration's and the rest.
    pub fn field(&self) -> &'static str {
        match self {
            MeetingError::Required { field }
            | MeetingError::TooLong { field, .. }
            | MeetingError::ControlCharacter { field } => match *field {
                "title" | "description" | "link" => field,
                "item_title" | "presenter" => "agenda",
                "material_title" => "materials",
                _ => "meeting",
            },
            MeetingError::BadMeetingTime { .. } => "ends",
            MeetingError::BadLink => "link",
            MeetingError::ItemReversed { .. }
            | MeetingError::ItemOutsideMeeting { .. }
            | MeetingError::ItemsOverlap { .. }
            | MeetingError::ServiceMessagesTwice => "agenda",
            MeetingError::BadSeats { .. } | MeetingError::TooManyChosen { .. } => "seats",
            _ => "meeting",
        }
    }

    /// The refusal people read: a named rule of `task::REFUSALS` (texts
    /// `rule-meeting-…`) with the number or name it mentions as `name`, and
    /// the English sentence for logs and the API. `field` is the form field
    /// the page shows it at.
    pub fn refusal(&self, field: &'static str) -> samspil_domain::ValidationError {
        use samspil_domain::ValidationError;
        let problem = self.to_string();
        let named = |key: &'static str, name: String| {
            ValidationError::named_with(field, key, vec![("name", name)], problem.clone())
        };
        match self {
            MeetingError::Required { .. } => named("meeting-required", String::new()),
            MeetingError::TooLong { max, .. } => named("meeting-too-long", max.to_string()),
            MeetingError::ControlCharacter { .. } => {
                named("meeting-control-character", String::new())
            }
            MeetingError::BadMeetingTime { max_hours } => {
                named("meeting-bad-time", max_hours.to_string())
            }
            MeetingError::BadLink => named("meeting-bad-link", String::new()),
            MeetingError::ItemReversed { item } => named("meeting-item-reversed", item.to_string()),
            MeetingError::ItemOutsideMeeting { item } => {
                named("meeting-item-outside", item.to_string())
            }
            MeetingError::ItemsOverlap { item, .. } => {
                named("meeting-items-overlap", item.to_string())
            }
            MeetingError::ServiceMessagesTwice => {
                named("meeting-service-messages-twice", String::new())
            }
            MeetingError::RegistrationClosed => named("meeting-registration-closed", String::new()),
            MeetingError::AlreadyRegistered => named("meeting-already-registered", String::new()),
            MeetingError::NotRegistered => named("meeting-not-registered", String::new()),
            MeetingError::Full { seats } => named("meeting-full", seats.to_string()),
            MeetingError::NoQuestions => named("meeting-no-questions", String::new()),
            MeetingError::DuplicateQuestion { key } => {
                named("meeting-duplicate-question", key.clone())
            }
            MeetingError::BadQuestion { key, .. } => named("meeting-bad-question", key.clone()),
            MeetingError::UnknownQuestion { key } => named("meeting-unknown-question", key.clone()),
            MeetingError::MissingAnswer { key } => named("meeting-missing-answer", key.clone()),
            MeetingError::BadAnswer { key } => named("meeting-bad-answer", key.clone()),
            MeetingError::BadSeats { max, .. } => named("meeting-bad-seats", max.to_string()),
            MeetingError::UnknownApplicant { id } => {
                named("meeting-unknown-applicant", id.to_string())
            }
            MeetingError::ChosenTwice { id } => named("meeting-chosen-twice", id.to_string()),
            MeetingError::TooManyChosen { seats, .. } => {
                named("meeting-too-many-chosen", seats.to_string())
            }
            MeetingError::BadCalendarValue { value } => {
                named("meeting-bad-calendar-value", value.clone())
            }
            MeetingError::NoSurvey => named("meeting-no-survey", String::new()),
            MeetingError::SurveyNotOpen => named("meeting-survey-not-open", String::new()),
            MeetingError::AlreadyAnswered => named("meeting-already-answered", String::new()),
            MeetingError::SurveyAnswered => named("meeting-survey-answered", String::new()),
            MeetingError::InputClosed => named("meeting-input-closed", String::new()),
            MeetingError::Cancelled => named("meeting-cancelled", String::new()),
            MeetingError::NotAWorkshop => named("meeting-not-a-workshop", String::new()),
            MeetingError::AlreadyApplied => named("meeting-already-applied", String::new()),
            MeetingError::WorkshopDecided => named("meeting-workshop-decided", String::new()),
        }
    }
}

/// A trimmed text of at most `max` characters without control characters
/// (line breaks allowed where `multiline`).
fn text(
    field: &'static str,
    value: &str,
    max: usize,
    multiline: bool,
) -> Result<String, MeetingError> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(MeetingError::TooLong { field, max });
    }
    if value
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t')))
    {
        return Err(MeetingError::ControlCharacter { field });
    }
    Ok(value.to_owned())
}

fn required(field: &'static str, value: &str, max: usize) -> Result<String, MeetingError> {
    let value = text(field, value, max, false)?;
    if value.is_empty() {
        return Err(MeetingError::Required { field });
    }
    Ok(value)
}
