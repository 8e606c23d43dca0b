//! Messages and notifications: who receives what, how often, and the rules
//! of the mail outbox (back-off, permanent failures, reminders, digests).
//!
//! Pure rules only; the storage layer selects recipients with them and the
//! job runner applies the delivery rules.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime, Time};

use crate::role::RoleId;
use crate::task::ProjectId;
use samspil_domain::Language;
use samspil_domain::OrgId;
use samspil_domain::UserType;
use samspil_domain::ValidationError;

/// The role of a municipality's programme manager towards KOMBIT, who is
/// told of every change to the tasks published to the municipality.
pub const PROGRAM_MANAGER_ROLE: &str = "KOMBIT-programleder";

/// What a notification is about; each person chooses a [`Frequency`] per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A message from the community (news, important information,
    /// operational notices).
    Message,
    /// A new task published to the person's municipality or role.
    TaskPublished,
    /// A deadline or type change (or the closing) of a task the person is
    /// concerned with.
    TaskChanged,
    /// A task given to the person or to a role they hold.
    TaskAssigned,
    /// A new role in the gallery (administrators).
    RoleCreated,
    /// A task's end date is near, or it is overdue.
    TaskReminder,
    /// A new comment in a municipality's thread on a task: from the
    /// municipality to staff, or from staff to the municipality.
    TaskComment,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 7] = [
        NotificationKind::Message,
        NotificationKind::TaskPublished,
        NotificationKind::TaskChanged,
        NotificationKind::TaskAssigned,
        NotificationKind::RoleCreated,
        NotificationKind::TaskReminder,
        NotificationKind::TaskComment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Message => "message",
            NotificationKind::TaskPublished => "task_published",
            NotificationKind::TaskChanged => "task_changed",
            NotificationKind::TaskAssigned => "task_assigned",
            NotificationKind::RoleCreated => "role_created",
            NotificationKind::TaskReminder => "task_reminder",
            NotificationKind::TaskComment => "task_comment",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The kind of notification an event raised by a change gives, if any.
    pub fn for_event(event_kind: &str) -> Option<Self> {
        match event_kind {
            "task.published" => Some(NotificationKind::TaskPublished),
            "task.changed" | "task.closed" => Some(NotificationKind::TaskChanged),
            "task.assigned" => Some(NotificationKind::TaskAssigned),
            "role.created" => Some(NotificationKind::RoleCreated),
            "task.comment" => Some(NotificationKind::TaskComment),
            _ => None,
        }
    }
}

/// How often a person wants e-mail about one kind of notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    #[default]
    Immediately,
    Daily,
    Weekly,
    Off,
}

impl Frequency {
    pub const ALL: [Frequency; 4] = [
        Frequency::Immediately,
        Frequency::Daily,
        Frequency::Weekly,
        Frequency::Off,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Immediately => "immediately",
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Off => "off",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

/// Whether a person gets a notification at all (in the inbox) and how its
/// e-mail goes. Light users and readers get no notifications; a message
/// from the community still reaches their inbox, without e-mail. "Off"
/// turns a notification off entirely, but a message always reaches the
/// inbox.
pub fn plan(
    kind: NotificationKind,
    user_type: UserType,
    has_email: bool,
    chosen: Frequency,
) -> Option<Frequency> {
    let ordinary = crate::role::receives_notifications(user_type);
    match kind {
        NotificationKind::Message => Some(if ordinary && has_email {
            chosen
        } else {
            Frequency::Off
        }),
        _ if !ordinary || chosen == Frequency::Off => None,
        _ if !has_email => Some(Frequency::Off),
        _ => Some(chosen),
    }
}

/// The categories of a community message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageCategory {
    News,
    Important,
    /// Operational notices: incidents and fixes.
    Operational,
}

impl MessageCategory {
    pub const ALL: [MessageCategory; 3] = [
        MessageCategory::News,
        MessageCategory::Important,
        MessageCategory::Operational,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageCategory::News => "news",
            MessageCategory::Important => "important",
            MessageCategory::Operational => "operational",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// The Danish label used in e-mail subjects.
    pub fn label_da(self) -> &'static str {
        match self {
            MessageCategory::News => "Nyhed",
            MessageCategory::Important => "Vigtig information",
            MessageCategory::Operational => "Driftsmeddelelse",
        }
    }
}

/// Who a community message goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "ids", rename_all = "snake_case")]
pub enum Audience {
    /// Every active person in samspil.
    Everyone,
    /// The people of the municipalities that take part in a project.
    Project(ProjectId),
    /// The current holders of the chosen roles, in every municipality.
    Roles(Vec<RoleId>),
    /// The people of the chosen municipalities.
    Municipalities(Vec<OrgId>),
}

impl Audience {
    /// Checks that a chosen list is not empty and has no repeats.
    pub fn validated(self) -> Result<Self, ValidationError> {
        let empty = match &self {
            Audience::Roles(ids) => ids.is_empty(),
            Audience::Municipalities(ids) => ids.is_empty(),
            _ => false,
        };
        if empty {
            return Err(ValidationError::named(
                "audience",
                "audience-none",
                "choose at least one",
            ));
        }
        Ok(match self {
            Audience::Roles(mut ids) => {
                ids.sort();
                ids.dedup();
                Audience::Roles(ids)
            }
            Audience::Municipalities(mut ids) => {
                ids.sort();
                ids.dedup();
                Audience::Municipalities(ids)
            }
            other => other,
        })
    }
}

pub const MAX_SUBJECT: usize = 200;
pub const MAX_BODY: usize = 20_000;

/// A message as written, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageSpec {
    pub category: MessageCategory,
    pub subject: String,
    pub body: String,
    pub audience: Audience,
}

impl MessageSpec {
    pub fn new(
        category: MessageCategory,
        subject: &str,
        body: &str,
        audience: Audience,
    ) -> Result<Self, ValidationError> {
        let subject = samspil_domain::input::required_text(
            "subject",
            subject,
            MAX_SUBJECT,
            "must not be empty",
        )?;
        if subject.contains(['\r', '\n']) {
            return Err(ValidationError::named(
                "subject",
                "message-subject-line",
                "must be one line of at most 200 characters",
            ));
        }
        let body =
            samspil_domain::input::required_text("body", body, MAX_BODY, "must not be empty")?;
        Ok(MessageSpec {
            category,
            subject: subject.to_owned(),
            body: body.to_owned(),
            audience: audience.validated()?,
        })
    }

    /// The e-mail subject: category first, as the community's mails do.
    pub fn mail_subject(&self) -> String {
        format!("[{}] {}", self.category.label_da(), self.subject)
    }
}

/// When to try a failed delivery again: exponential back-off from `base`
/// (after the first attempt), capped at one hour.
pub fn retry_delay(attempts: u32, base: Duration) -> Duration {
    const CAP: Duration = Duration::from_secs(3600);
    let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(20));
    base.saturating_mul(factor).min(CAP)
}

/// After this many attempts a delivery that keeps failing transiently is
/// given up (about a day with the one-hour cap).
pub const MAX_ATTEMPTS: u32 = 30;

/// What an SMTP failure means for the delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// 4xx, no answer, a dropped connection: try again later.
    Transient,
    /// 5xx: the server will never accept it; the address bounces.
    Permanent,
}

/// Classifies a failure by the SMTP reply code, if the server gave one.
pub fn classify_failure(reply_code: Option<u16>) -> FailureKind {
    match reply_code {
        Some(code) if (500..600).contains(&code) => FailureKind::Permanent,
        _ => FailureKind::Transient,
    }
}

/// A reminder about a task's end date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// The end date is this many days away.
    DaysLeft(i64),
    /// The end date passed this many days ago.
    Overdue(i64),
}

/// Days before the end date when a reminder goes out.
pub const REMINDER_DAYS_BEFORE: [i64; 2] = [7, 1];
/// While overdue, a reminder goes out every this many days (the first the
/// day after the end date).
pub const OVERDUE_EVERY_DAYS: i64 = 7;

/// The reminder due on `today` for a task ending on `end`, if any.
pub fn reminder_due(end: Date, today: Date) -> Option<Reminder> {
    let days_left = (end - today).whole_days();
    if REMINDER_DAYS_BEFORE.contains(&days_left) {
        Some(Reminder::DaysLeft(days_left))
    } else if days_left < 0 && (-days_left - 1) % OVERDUE_EVERY_DAYS == 0 {
        Some(Reminder::Overdue(-days_left))
    } else {
        None
    }
}

/// The end dates that have a reminder due on `today` among tasks ending on
/// or after `oldest`: what the reminder job asks the database for.
pub fn reminder_end_dates(today: Date, oldest: Date) -> Vec<Date> {
    let mut dates = Vec::new();
    let mut day = oldest;
    while day <= today.saturating_add(time::Duration::days(7)) {
        if reminder_due(day, today).is_some() {
            dates.push(day);
        }
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    dates
}

/// The period a digest collects: notifications created before `cutoff`
/// go into the digest named by `period` (its first day after the cutoff).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigestPeriod {
    pub cutoff: OffsetDateTime,
    pub period: Date,
}

/// The digest due at `now`: a daily digest collects what came before
/// today (UTC), a weekly one what came before this week's Monday.
pub fn digest_period(frequency: Frequency, now: OffsetDateTime) -> Option<DigestPeriod> {
    let today = now.date();
    let start = match frequency {
        Frequency::Daily => today,
        Frequency::Weekly => today.saturating_sub(time::Duration::days(i64::from(
            today.weekday().number_days_from_monday(),
        ))),
        Frequency::Immediately | Frequency::Off => return None,
    };
    Some(DigestPeriod {
        cutoff: start.with_time(Time::MIDNIGHT).assume_utc(),
        period: start,
    })
}

/// One line of a digest or a notification mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestItem {
    pub subject: String,
    pub body: String,
}

/// The subject and body of a digest e-mail, in the recipient's language.
pub fn digest_text(
    language: Language,
    frequency: Frequency,
    items: &[DigestItem],
) -> (String, String) {
    let weekly = frequency == Frequency::Weekly;
    let (subject, mut body) = match (language, weekly) {
        (Language::Da, false) => (
            format!("Dagligt overblik fra samspil: {} nye", items.len()),
            "Dagligt overblik over dine notifikationer i samspil.\n\n".to_owned(),
        ),
        (Language::Da, true) => (
            format!("Ugentligt overblik fra samspil: {} nye", items.len()),
            "Ugentligt overblik over dine notifikationer i samspil.\n\n".to_owned(),
        ),
        (Language::En, false) => (
            format!("Daily summary from samspil: {} new", items.len()),
            "A daily summary of your notifications in samspil.\n\n".to_owned(),
        ),
        (Language::En, true) => (
            format!("Weekly summary from samspil: {} new", items.len()),
            "A weekly summary of your notifications in samspil.\n\n".to_owned(),
        ),
    };
    for item in items {
        body.push_str("* ");
        body.push_str(&item.subject);
        body.push('\n');
        for line in item.body.lines() {
            body.push_str("  ");
            body.push_str(line);
            body.push('\n');
        }
        body.push('\n');
    }
    body.push_str(mail_footer(language));
    (subject, body)
}

/// The end of every e-mail: where to read more and change the settings.
pub fn mail_footer(language: Language) -> &'static str {
    match language {
        Language::Da => {
            "-- \nLæs mere i samspil under Indbakke. Du vælger selv, hvilke notifikationer du får, og hvor ofte, under Indbakke > Indstillinger.\n"
        }
        Language::En => {
            "-- \nRead more in samspil under Inbox. You choose which notifications you get, and how often, under Inbox > Settings.\n"
        }
    }
}

/// What a task notification says about the task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFacts {
    pub code: Option<String>,
    pub title: String,
    pub end_date: Option<Date>,
}

impl TaskFacts {
    fn name(&self) -> String {
        match &self.code {
            Some(code) if !code.is_empty() => format!("{code} {}", self.title),
            _ => self.title.clone(),
        }
    }

    /// The end date as pages show it in that language.
    fn end(&self, language: Language) -> String {
        match (self.end_date, language) {
            (Some(date), _) => samspil_domain::input::date_in(language, date),
            (None, Language::Da) => "ikke fastsat".to_owned(),
            (None, Language::En) => "not set".to_owned(),
        }
    }
}

/// The subject and body of a notification about a task, in the
/// recipient's language. `detail` is the change's reason or the role's
/// name, where there is one.
pub fn task_text(
    language: Language,
    kind: NotificationKind,
    event_kind: &str,
    task: &TaskFacts,
    detail: &str,
) -> (String, String) {
    let name = task.name();
    let end = task.end(language);
    let closed = event_kind == "task.closed";
    // A change without a reason says only that the task changed.
    let changed_why = match detail.is_empty() {
        true => String::new(),
        false => format!(" ({detail})"),
    };
    match language {
        Language::Da => match kind {
            NotificationKind::TaskPublished => (
                format!("Ny opgave: {name}"),
                format!("Opgaven \"{name}\" er publiceret til din kommune. Slutdato: {end}."),
            ),
            NotificationKind::TaskChanged if closed => (
                format!("Opgaven er lukket: {name}"),
                format!("Opgaven \"{name}\" er lukket af fællesskabet."),
            ),
            NotificationKind::TaskChanged => (
                format!("Opgaven er ændret: {name}"),
                format!(
                    "Fællesskabet har ændret opgaven \"{name}\"{changed_why}. Slutdato nu: {end}."
                ),
            ),
            NotificationKind::TaskAssigned => (
                format!("Opgave givet til dig: {name}"),
                format!(
                    "Opgaven \"{name}\" er givet til dig eller en rolle, du har. Slutdato: {end}."
                ),
            ),
            NotificationKind::RoleCreated => (
                format!("Ny rolle i rollegalleriet: {detail}"),
                format!(
                    "Rollen \"{detail}\" er tilføjet rollegalleriet. Opgaven \"{name}\" beder dig som KLIK-administrator om at besætte den."
                ),
            ),
            NotificationKind::TaskReminder => (
                format!("Påmindelse: {name}"),
                format!("{detail} Slutdato: {end}."),
            ),
            NotificationKind::TaskComment => (
                format!("Ny kommentar: {name}"),
                format!("Ny kommentar til opgaven \"{name}\":\n\n{detail}"),
            ),
            NotificationKind::Message => (name, detail.to_owned()),
        },
        Language::En => match kind {
            NotificationKind::TaskPublished => (
                format!("New task: {name}"),
                format!(
                    "The task \"{name}\" has been published to your municipality. Deadline: {end}."
                ),
            ),
            NotificationKind::TaskChanged if closed => (
                format!("Task closed: {name}"),
                format!("The community has closed the task \"{name}\"."),
            ),
            NotificationKind::TaskChanged => (
                format!("Task changed: {name}"),
                format!(
                    "The community has changed the task \"{name}\"{changed_why}. Deadline now: {end}."
                ),
            ),
            NotificationKind::TaskAssigned => (
                format!("Task given to you: {name}"),
                format!(
                    "The task \"{name}\" has been given to you or to a role you hold. Deadline: {end}."
                ),
            ),
            NotificationKind::RoleCreated => (
                format!("New role in the role gallery: {detail}"),
                format!(
                    "The role \"{detail}\" has been added to the role gallery. The task \"{name}\" asks you as KLIK administrator to fill it."
                ),
            ),
            NotificationKind::TaskReminder => (
                format!("Reminder: {name}"),
                format!("{detail} Deadline: {end}."),
            ),
            NotificationKind::TaskComment => (
                format!("New comment: {name}"),
                format!("New comment on the task \"{name}\":\n\n{detail}"),
            ),
            NotificationKind::Message => (name, detail.to_owned()),
        },
    }
}

/// What changed and why, for [`task_text`]'s `detail` of a change: the
/// fields' names (as the event names them) and the reason.
pub fn change_detail(language: Language, fields: &[&str], reason: &str) -> String {
    let names: Vec<&str> = fields
        .iter()
        .map(|field| field_name(language, field))
        .collect();
    let reason = reason.trim();
    let because = match language {
        Language::Da => "begrundelse",
        Language::En => "reason",
    };
    match (names.is_empty(), reason.is_empty()) {
        (true, _) => reason.to_owned(),
        (false, true) => names.join(", "),
        (false, false) => format!("{}; {because}: {reason}", names.join(", ")),
    }
}

/// A task's field as a notification names it.
fn field_name(language: Language, field: &str) -> &str {
    let (da, en) = match field {
        "type" | "task_type" => ("type", "type"),
        "end" | "end_date" => ("slutdato", "deadline"),
        "start" | "start_date" => ("startdato", "start date"),
        "period" | "period_text" => ("periode", "period"),
        "code" => ("kode", "code"),
        "title" => ("titel", "title"),
        "description" => ("beskrivelse", "description"),
        "business_area" => ("forretningsområde", "business area"),
        "executor_role" => ("anbefalet udførende rolle", "recommended executing role"),
        "involved_roles" => ("involverede roller", "involved roles"),
        "responsibility" => ("ansvar", "responsibility"),
        "competences" => ("kompetencer", "competences"),
        "characteristics" => ("karakteristika", "characteristics"),
        "question" => ("spørgsmål", "question"),
        other => return other,
    };
    match language {
        Language::Da => da,
        Language::En => en,
    }
}

/// Who wrote a comment and its first 500 characters (the thread is on the
/// task's page), for [`task_text`]'s `detail`; `municipality` is `None`
/// for the community's own reply.
pub fn comment_detail(
    language: Language,
    author: &str,
    municipality: Option<&str>,
    body: &str,
) -> String {
    let mut excerpt: String = body.chars().take(500).collect();
    if body.chars().count() > 500 {
        excerpt.push_str(" […]");
    }
    let from = municipality.unwrap_or(match language {
        Language::Da => "fællesskabet",
        Language::En => "the community",
    });
    format!("{author} ({from}):\n{excerpt}")
}

/// The sentence of a reminder, for [`task_text`]'s `detail`.
pub fn reminder_sentence(language: Language, reminder: Reminder) -> String {
    match (language, reminder) {
        (Language::Da, Reminder::DaysLeft(1)) => "Opgaven skal være fuldført i morgen.".to_owned(),
        (Language::Da, Reminder::DaysLeft(days)) => {
            format!("Opgaven skal være fuldført om {days} dage.")
        }
        (Language::Da, Reminder::Overdue(1)) => {
            "Opgaven skulle have været fuldført i går.".to_owned()
        }
        (Language::Da, Reminder::Overdue(days)) => {
            format!("Opgaven skulle have været fuldført for {days} dage siden.")
        }
        (Language::En, Reminder::DaysLeft(1)) => "The task is due tomorrow.".to_owned(),
        (Language::En, Reminder::DaysLeft(days)) => format!("The task is due in {days} days."),
        (Language::En, Reminder::Overdue(1)) => "The task was due yesterday.".to_owned(),
        (Language::En, Reminder::Overdue(days)) => {
            format!("The task was due {days} days ago.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn kinds_and_frequencies_round_trip() {
        for kind in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(kind.as_str()), Some(kind));
        }
        for frequency in Frequency::ALL {
            assert_eq!(Frequency::parse(frequency.as_str()), Some(frequency));
        }
        assert_eq!(
            NotificationKind::for_event("task.closed"),
            Some(NotificationKind::TaskChanged)
        );
        assert_eq!(NotificationKind::for_event("status.set"), None);
    }

    #[test]
    fn light_users_and_readers_get_no_notifications_but_messages_in_the_inbox() {
        let task = NotificationKind::TaskPublished;
        let message = NotificationKind::Message;
        let daily = Frequency::Daily;
        assert_eq!(plan(task, UserType::Ordinary, true, daily), Some(daily));
        assert_eq!(plan(task, UserType::Light, true, daily), None);
        assert_eq!(plan(task, UserType::Reader, true, daily), None);
        assert_eq!(plan(task, UserType::Ordinary, true, Frequency::Off), None);
        assert_eq!(
            plan(task, UserType::Ordinary, false, daily),
            Some(Frequency::Off)
        );
        assert_eq!(
            plan(message, UserType::Light, true, daily),
            Some(Frequency::Off)
        );
        assert_eq!(
            plan(message, UserType::Ordinary, true, Frequency::Off),
            Some(Frequency::Off)
        );
        assert_eq!(
            plan(message, UserType::Ordinary, true, Frequency::Immediately),
            Some(Frequency::Immediately)
        );
    }

    #[test]
    fn a_message_needs_a_subject_a_body_and_an_audience() {
        let ok = MessageSpec::new(
            MessageCategory::Operational,
            " Nedbrud i Serviceplatformen ",
            "Rettet kl. 14.",
            Audience::Roles(vec![RoleId(3), RoleId(1), RoleId(3)]),
        )
        .expect("valid");
        assert_eq!(ok.subject, "Nedbrud i Serviceplatformen");
        assert_eq!(ok.audience, Audience::Roles(vec![RoleId(1), RoleId(3)]));
        assert_eq!(
            ok.mail_subject(),
            "[Driftsmeddelelse] Nedbrud i Serviceplatformen"
        );
        let field = |r: Result<MessageSpec, ValidationError>| r.expect_err("invalid").field;
        assert_eq!(
            field(MessageSpec::new(
                MessageCategory::News,
                "",
                "x",
                Audience::Everyone
            )),
            "subject"
        );
        assert_eq!(
            field(MessageSpec::new(
                MessageCategory::News,
                "a\nb",
                "x",
                Audience::Everyone
            )),
            "subject"
        );
        for body in [" ", "\u{200B}\u{202E}", "a\0b"] {
            assert_eq!(
                field(MessageSpec::new(
                    MessageCategory::News,
                    "a",
                    body,
                    Audience::Everyone
                )),
                "body",
                "{body:?}"
            );
        }
        assert_eq!(
            field(MessageSpec::new(
                MessageCategory::News,
                "a",
                "b",
                Audience::Municipalities(vec![])
            )),
            "audience"
        );
    }

    #[test]
    fn back_off_doubles_up_to_an_hour() {
        let base = Duration::from_secs(30);
        assert_eq!(retry_delay(1, base), Duration::from_secs(30));
        assert_eq!(retry_delay(2, base), Duration::from_secs(60));
        assert_eq!(retry_delay(4, base), Duration::from_secs(240));
        assert_eq!(retry_delay(12, base), Duration::from_secs(3600));
        assert_eq!(retry_delay(u32::MAX, base), Duration::from_secs(3600));
    }

    #[test]
    fn only_5xx_is_permanent() {
        assert_eq!(classify_failure(Some(550)), FailureKind::Permanent);
        assert_eq!(classify_failure(Some(554)), FailureKind::Permanent);
        assert_eq!(classify_failure(Some(421)), FailureKind::Transient);
        assert_eq!(classify_failure(Some(451)), FailureKind::Transient);
        assert_eq!(classify_failure(None), FailureKind::Transient);
    }

    #[test]
    fn reminders_come_7_and_1_days_before_and_weekly_while_overdue() {
        let end = date!(2023 - 08 - 31);
        assert_eq!(
            reminder_due(end, date!(2023 - 08 - 24)),
            Some(Reminder::DaysLeft(7))
        );
        assert_eq!(
            reminder_due(end, date!(2023 - 08 - 30)),
            Some(Reminder::DaysLeft(1))
        );
        assert_eq!(reminder_due(end, date!(2023 - 08 - 31)), None);
        assert_eq!(reminder_due(end, date!(2023 - 08 - 25)), None);
        assert_eq!(
            reminder_due(end, date!(2023 - 09 - 01)),
            Some(Reminder::Overdue(1))
        );
        assert_eq!(reminder_due(end, date!(2023 - 09 - 02)), None);
        assert_eq!(
            reminder_due(end, date!(2023 - 09 - 08)),
            Some(Reminder::Overdue(8))
        );
        let dates = reminder_end_dates(date!(2023 - 09 - 08), date!(2023 - 08 - 01));
        assert!(dates.contains(&end));
        assert!(dates.contains(&date!(2023 - 09 - 15)));
        assert!(dates.contains(&date!(2023 - 09 - 09)));
        assert!(
            dates
                .iter()
                .all(|d| reminder_due(*d, date!(2023 - 09 - 08)).is_some())
        );
    }

    #[test]
    fn digests_collect_what_came_before_the_day_or_the_week() {
        let now = datetime!(2023-06-22 10:15 UTC); // a Thursday
        let daily = digest_period(Frequency::Daily, now).expect("daily");
        assert_eq!(daily.period, date!(2023 - 06 - 22));
        assert_eq!(daily.cutoff, datetime!(2023-06-22 0:00 UTC));
        let weekly = digest_period(Frequency::Weekly, now).expect("weekly");
        assert_eq!(weekly.period, date!(2023 - 06 - 19));
        assert_eq!(digest_period(Frequency::Immediately, now), None);
        let (subject, body) = digest_text(
            Language::Da,
            Frequency::Daily,
            &[DigestItem {
                subject: "Ny opgave: IN021".into(),
                body: "Slutdato 31.08.2023.".into(),
            }],
        );
        assert_eq!(subject, "Dagligt overblik fra samspil: 1 nye");
        assert!(body.contains("* Ny opgave: IN021\n  Slutdato 31.08.2023."));
    }

    #[test]
    fn task_texts_name_the_task() {
        let facts = TaskFacts {
            code: Some("IN021".into()),
            title: "OCES3".into(),
            end_date: Some(date!(2023 - 08 - 31)),
        };
        let (subject, body) = task_text(
            Language::Da,
            NotificationKind::TaskChanged,
            "task.changed",
            &facts,
            "slutdato",
        );
        assert_eq!(subject, "Opgaven er ændret: IN021 OCES3");
        assert!(body.contains("31.08.2023"));
        let (_, body) = task_text(
            Language::Da,
            NotificationKind::TaskReminder,
            "reminder",
            &facts,
            &reminder_sentence(Language::Da, Reminder::DaysLeft(7)),
        );
        assert!(body.starts_with("Opgaven skal være fuldført om 7 dage."));
    }

    #[test]
    fn every_text_sent_has_an_english_version_with_english_dates() {
        let facts = TaskFacts {
            code: Some("IN021".into()),
            title: "OCES3".into(),
            end_date: Some(date!(2023 - 08 - 31)),
        };
        for kind in NotificationKind::ALL {
            let (da, _) = task_text(Language::Da, kind, "task.changed", &facts, "x");
            let (en, body) = task_text(Language::En, kind, "task.changed", &facts, "x");
            if kind != NotificationKind::Message {
                assert_ne!(da, en, "{kind:?}");
            }
            assert!(
                !body.contains("Slutdato") && !body.contains("31.08.2023"),
                "{body}"
            );
        }
        let (subject, body) = task_text(
            Language::En,
            NotificationKind::TaskReminder,
            "reminder",
            &facts,
            &reminder_sentence(Language::En, Reminder::Overdue(3)),
        );
        assert_eq!(subject, "Reminder: IN021 OCES3");
        assert_eq!(body, "The task was due 3 days ago. Deadline: 31 Aug 2023.");
        let (subject, body) = digest_text(Language::En, Frequency::Weekly, &[]);
        assert_eq!(subject, "Weekly summary from samspil: 0 new");
        assert!(body.ends_with(mail_footer(Language::En)));
    }
}
