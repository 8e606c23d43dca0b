//! Tasks the community publishes to the municipalities, and each
//! municipality's status on them.

use serde::{Deserialize, Serialize};
use time::Date;

use samspil_domain::input::{free_text, optional_text, required_text};
use samspil_domain::{BrokenRule, ValidationError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaskId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProjectId(pub i64);

/// How binding a task is. Ordered from most to least urgent, which is the
/// order a municipality's task list uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskType {
    /// Obligatorisk på kritisk vej: mandatory, on the critical path.
    Critical,
    /// Obligatorisk.
    Mandatory,
    /// Frivillig.
    Voluntary,
}

impl TaskType {
    pub const ALL: [TaskType; 3] = [TaskType::Critical, TaskType::Mandatory, TaskType::Voluntary];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskType::Critical => "critical",
            TaskType::Mandatory => "mandatory",
            TaskType::Voluntary => "voluntary",
        }
    }

    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        TaskType::ALL
            .into_iter()
            .find(|t| t.as_str() == value)
            .ok_or_else(|| {
                ValidationError::broke(
                    "type",
                    format!("unknown task type '{value}': use critical, mandatory or voluntary"),
                    BrokenRule::UnknownChoice {
                        typed: value.to_owned(),
                    },
                )
            })
    }
}

/// A municipality's progress on a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Ikke påbegyndt.
    NotStarted,
    /// Påbegyndt.
    Started,
    /// Fuldført.
    Completed,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 3] = [
        TaskStatus::NotStarted,
        TaskStatus::Started,
        TaskStatus::Completed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not_started",
            TaskStatus::Started => "started",
            TaskStatus::Completed => "completed",
        }
    }

    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        if value.trim().is_empty() {
            return Err(ValidationError::broke(
                "status",
                "choose a status",
                BrokenRule::Required,
            ));
        }
        TaskStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| {
                ValidationError::broke(
                    "status",
                    format!("unknown status '{value}': use not_started, started or completed"),
                    BrokenRule::UnknownChoice {
                        typed: value.to_owned(),
                    },
                )
            })
    }

    fn rank(self) -> u8 {
        match self {
            TaskStatus::NotStarted => 0,
            TaskStatus::Started => 1,
            TaskStatus::Completed => 2,
        }
    }
}

/// The longest reason for moving a status back or changing a published
/// task.
pub const MAX_REASON: usize = 2_000;

/// The reason a change to a published task needs: the municipalities are
/// told it.
pub fn check_change_reason(reason: &str) -> Result<&str, ValidationError> {
    let missing = "changing a published task needs a reason: the municipalities will be told";
    required_text("reason", reason, MAX_REASON, missing).map_err(|refused| match refused.rule {
        Some(BrokenRule::Required) => {
            ValidationError::named("reason", "task-change-needs-reason", missing)
        }
        _ => refused,
    })
}

/// The keys of the coordination rules' own refusals (`BrokenRule::Named`),
/// each a `rule-{key}` text of the coordination context in Danish and
/// English; a test of the web crate holds every key named in the sources
/// to this list and to its texts.
pub const REFUSALS: &[&str] = &[
    "status-one-step",
    "status-back-needs-reason",
    "status-answers-first",
    "task-change-needs-reason",
    "role-max-holders-zero",
    "role-max-holders-reached",
    "assignment-ended",
    "role-solution-not-used",
    "role-reader",
    "user-inactive",
    "role-no-access",
    "role-held-already",
    "audience-none",
    "message-subject-line",
    "question-too-many-options",
    "question-options-differ",
    "question-two-options",
    "question-no-options",
    "answer-one-only",
    "answer-not-an-option",
    "answer-yes-or-no",
    "answer-not-a-number",
    "answer-file-not-yours",
    "answer-unknown-question",
    "attachment-task-state",
    "not-an-email",
    "org-unknown",
    "solution-unknown",
    "user-not-in-municipality",
    "text-length",
    "role-not-in-municipality",
    "role-solution-fixed",
    "role-unknown",
    "role-name-taken",
    "contact-list-name-taken",
    "project-name-taken",
    "org-not-municipality",
    "solution-use-in-progress",
    "solution-not-used",
    "solution-role-held",
    "search-too-many-words",
    "task-wrong-state",
    "role-not-in-catalogue",
    "project-unknown",
    "org-not-participant",
    // A task's municipalities (`task_audience.rs`).
    "task-municipalities-none",
    "task-municipality-not-in-project",
    "assignee-unknown",
    "audience-unknown",
    // Onboarding pipelines (`pipeline.rs`, the storage's `pipelines.rs`).
    "pipeline-gate-closed",
    "pipeline-dependents-started",
    "pipeline-missing-area",
    "pipeline-no-steps",
    "pipeline-bad-step-key",
    "pipeline-missing-title",
    "pipeline-duplicate-step",
    "pipeline-unknown-dependency",
    "pipeline-self-dependency",
    "pipeline-cycle",
    "pipeline-unknown-step",
    "pipeline-claim-type",
    // Programme-manager meetings (`meeting.rs`, the storage's `meetings.rs`).
    "meeting-required",
    "meeting-too-long",
    "meeting-control-character",
    "meeting-bad-time",
    "meeting-bad-link",
    "meeting-item-reversed",
    "meeting-item-outside",
    "meeting-items-overlap",
    "meeting-service-messages-twice",
    "meeting-registration-closed",
    "meeting-already-registered",
    "meeting-not-registered",
    "meeting-full",
    "meeting-no-questions",
    "meeting-duplicate-question",
    "meeting-bad-question",
    "meeting-unknown-question",
    "meeting-missing-answer",
    "meeting-bad-answer",
    "meeting-bad-seats",
    "meeting-unknown-applicant",
    "meeting-chosen-twice",
    "meeting-too-many-chosen",
    "meeting-bad-calendar-value",
    "meeting-not-a-person",
    "meeting-not-started",
    "meeting-not-ended",
    "meeting-no-follow-up",
    "meeting-bad-attendance-line",
    "meeting-bad-clock",
    "meeting-bad-agenda-line",
    "meeting-no-survey",
    "meeting-survey-not-open",
    "meeting-already-answered",
    "meeting-survey-answered",
    "meeting-input-closed",
    "meeting-bad-survey-line",
    "meeting-cancelled",
    "meeting-started",
    "meeting-not-a-workshop",
    "meeting-already-applied",
    "meeting-workshop-decided",
    "pipeline-window-reversed",
    "pipeline-windows-overlap",
    "pipeline-supplementary-period",
    "pipeline-task-not-in-project",
    "pipeline-area-taken",
    "task-edit-closed",
    "task-edit-draft-only",
    "question-edit-answered",
    "question-unknown",
];

/// The rule for changing a status: forward one step at a time (Ikke
/// påbegyndt → Påbegyndt → Fuldført), back any number of steps but only
/// with a reason, and completing only when every required question is
/// answered.
pub fn check_status_change(
    from: TaskStatus,
    to: TaskStatus,
    reason: Option<&str>,
    unanswered_required: usize,
) -> Result<(), ValidationError> {
    let (from_rank, to_rank) = (from.rank(), to.rank());
    if to_rank > from_rank + 1 {
        return Err(ValidationError::named(
            "status",
            "status-one-step",
            format!(
                "a task goes from {} to {} through started: set it to started first",
                from.as_str(),
                to.as_str()
            ),
        ));
    }
    let reason = optional_text("reason", reason, MAX_REASON)?;
    if to_rank < from_rank && reason.is_none() {
        return Err(ValidationError::named(
            "reason",
            "status-back-needs-reason",
            format!(
                "moving a task back from {} to {} needs a reason",
                from.as_str(),
                to.as_str()
            ),
        ));
    }
    if to == TaskStatus::Completed && from != TaskStatus::Completed && unanswered_required > 0 {
        return Err(ValidationError::named_with(
            "answers",
            "status-answers-first",
            vec![("count", unanswered_required.to_string())],
            format!(
                "answer the task's {unanswered_required} required question(s) before completing it"
            ),
        ));
    }
    Ok(())
}

/// Where a task is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    /// Being written; the municipalities do not see it.
    Draft,
    Published,
    /// Done with; kept for the record.
    Closed,
}

impl TaskState {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Draft => "draft",
            TaskState::Published => "published",
            TaskState::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        match value {
            "draft" => Ok(TaskState::Draft),
            "published" => Ok(TaskState::Published),
            "closed" => Ok(TaskState::Closed),
            other => Err(ValidationError::broke(
                "state",
                format!("unknown task state '{other}'"),
                BrokenRule::UnknownChoice {
                    typed: other.to_owned(),
                },
            )),
        }
    }
}

/// The longest period text ("Uge 25", "ultimo august").
pub const MAX_PERIOD_TEXT: usize = 100;

/// When a task runs. The dates are real calendar dates; the period text
/// keeps the seeds' own words where they give only a week or a month
/// ("Uge 25", "ultimo august").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub period_text: Option<String>,
}

impl Schedule {
    pub fn new(
        start: Option<Date>,
        end: Option<Date>,
        period_text: Option<String>,
    ) -> Result<Self, ValidationError> {
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            return Err(ValidationError::broke(
                "end",
                format!("the end date {end} is before the start date {start}"),
                BrokenRule::EndBeforeStart {
                    start: samspil_domain::input::danish_date(start),
                    end: samspil_domain::input::danish_date(end),
                },
            ));
        }
        let period_text = optional_text("period_text", period_text.as_deref(), MAX_PERIOD_TEXT)?
            .map(str::to_owned);
        Ok(Self {
            start,
            end,
            period_text,
        })
    }

    /// This schedule with `patch` applied, checked like a new one.
    pub fn patched(&self, patch: &SchedulePatch) -> Result<Schedule, ValidationError> {
        Schedule::new(
            patch.start.unwrap_or(self.start),
            patch.end.unwrap_or(self.end),
            patch
                .period_text
                .clone()
                .unwrap_or_else(|| self.period_text.clone()),
        )
    }

    /// The date the task sorts by among the others: its end, else the
    /// period in words ("Uge 25" in the start's year, or in `written_in`,
    /// the year it is written, without a start).
    pub fn sort_date(&self, written_in: i32) -> Option<Date> {
        self.end.or_else(|| {
            let year = self.start.map_or(written_in, |d| d.year());
            crate::period::period_date(self.period_text.as_deref()?, year)
        })
    }

    /// Overdue on `today`: past its end date and not completed.
    pub fn is_overdue(&self, today: Date, status: TaskStatus) -> bool {
        status != TaskStatus::Completed && self.end.is_some_and(|end| end < today)
    }
}

/// A change to some of a schedule's parts: `None` keeps a part as it is,
/// `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchedulePatch {
    pub start: Option<Option<Date>>,
    pub end: Option<Option<Date>>,
    pub period_text: Option<Option<String>>,
}

impl SchedulePatch {
    /// Every part replaced: what a form that shows them all sends.
    pub fn replace_all(schedule: Schedule) -> Self {
        SchedulePatch {
            start: Some(schedule.start),
            end: Some(schedule.end),
            period_text: Some(schedule.period_text),
        }
    }
}

/// The longest title, code and business area of a task.
pub const MAX_TITLE: usize = 300;
pub const MAX_CODE: usize = 30;
pub const MAX_BUSINESS_AREA: usize = 100;
/// The longest description of a task or a project (Markdown): some
/// twenty pages, far beyond any task sheet.
pub const MAX_DESCRIPTION: usize = 50_000;
/// The longest list of involved roles (role names, comma-separated).
pub const MAX_INVOLVED_ROLES: usize = 2_000;
/// The longest project name.
pub const MAX_PROJECT_NAME: usize = 200;
/// The longest comment.
pub const MAX_COMMENT: usize = 5_000;

/// The texts a task is made of, as they are written.
#[derive(Debug, Clone, Copy, Default)]
pub struct TaskTexts<'a> {
    pub code: Option<&'a str>,
    pub title: &'a str,
    pub description: &'a str,
    pub business_area: Option<&'a str>,
    pub executor_role: Option<&'a str>,
    pub involved_roles: Option<&'a str>,
}

/// Checks the texts a task is made of.
pub fn check_task_texts(texts: &TaskTexts<'_>) -> Result<(), ValidationError> {
    optional_text("business_area", texts.business_area, MAX_BUSINESS_AREA)?;
    required_text("title", texts.title, MAX_TITLE, "a task needs a title")?;
    optional_text("code", texts.code, MAX_CODE)?;
    free_text("description", texts.description, MAX_DESCRIPTION)?;
    optional_text(
        "executor_role",
        texts.executor_role,
        crate::role::MAX_ROLE_NAME,
    )?;
    optional_text("involved_roles", texts.involved_roles, MAX_INVOLVED_ROLES)?;
    Ok(())
}

/// A project's name and description, trimmed and checked.
pub fn check_project_texts<'a>(
    name: &'a str,
    description: &'a str,
) -> Result<(&'a str, &'a str), ValidationError> {
    let name = required_text("name", name, MAX_PROJECT_NAME, "a project needs a name")?;
    let description = free_text("description", description, MAX_DESCRIPTION)?.unwrap_or_default();
    Ok((name, description))
}

/// A municipality's comment on a task, trimmed and checked.
pub fn check_comment(body: &str) -> Result<&str, ValidationError> {
    required_text("body", body, MAX_COMMENT, "a comment needs a text")
}

/// What a task tells the municipality beyond its description: who is
/// responsible, the competences it takes, and its characteristics (the
/// three texts of the community's task sheet). Markdown, like the
/// description.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guidance {
    pub responsibility: Option<String>,
    pub competences: Option<String>,
    pub characteristics: Option<String>,
}

/// The longest text of a task's guidance.
pub const MAX_GUIDANCE_TEXT: usize = 10_000;

impl Guidance {
    /// Empty texts count as absent; each has at most [`MAX_GUIDANCE_TEXT`]
    /// characters.
    pub fn checked(self) -> Result<Guidance, ValidationError> {
        let clean = |field: &'static str, text: Option<String>| {
            optional_text(field, text.as_deref(), MAX_GUIDANCE_TEXT).map(|t| t.map(str::to_owned))
        };
        Ok(Guidance {
            responsibility: clean("responsibility", self.responsibility)?,
            competences: clean("competences", self.competences)?,
            characteristics: clean("characteristics", self.characteristics)?,
        })
    }
}

/// The roles a task names (its recommended executor and the involved
/// roles, written comma-separated) that are not in the catalogue.
pub fn unknown_roles<'a>(
    executor: Option<&'a str>,
    involved: Option<&'a str>,
    catalogue: &[String],
) -> Vec<(&'static str, &'a str)> {
    let named = executor
        .map(|e| ("executor_role", e.trim()))
        .into_iter()
        .chain(
            involved
                .unwrap_or_default()
                .split(',')
                .map(|r| ("involved_roles", r.trim())),
        )
        .filter(|(_, name)| !name.is_empty());
    named
        .filter(|(_, name)| !catalogue.iter().any(|c| c == name))
        .collect()
}

/// What staff may edit on a task in its state: everything on a draft; on a
/// published task its texts and roles (with a reason the municipalities
/// are told), not its code nor which municipalities have it; nothing on a
/// closed task. `draft_only` names the draft-only parts the edit changes
/// (`code`, `municipalities`). Returns the reason, trimmed, when one is
/// needed.
pub fn check_task_edit<'a>(
    state: TaskState,
    draft_only: &[&'static str],
    reason: &'a str,
) -> Result<Option<&'a str>, ValidationError> {
    match state {
        TaskState::Draft => Ok(None),
        TaskState::Closed => Err(ValidationError::named(
            "state",
            "task-edit-closed",
            "a closed task is kept as it was: it cannot be edited",
        )),
        TaskState::Published => {
            if let Some(field) = draft_only.first() {
                return Err(ValidationError::named(
                    field,
                    "task-edit-draft-only",
                    format!("the {field} of a published task cannot be changed"),
                ));
            }
            check_change_reason(reason).map(Some)
        }
    }
}

/// The rule for editing a question: on a draft anything; on a published
/// task its prompt and whether it must be answered, and its kind and
/// options only while no municipality has answered it; nothing on a
/// closed task.
pub fn check_question_edit(
    state: TaskState,
    before: &crate::question::QuestionSpec,
    after: &crate::question::QuestionSpec,
    answered: bool,
) -> Result<(), ValidationError> {
    if state == TaskState::Closed {
        return Err(ValidationError::named(
            "state",
            "task-edit-closed",
            "a closed task is kept as it was: it cannot be edited",
        ));
    }
    after.check()?;
    if answered && (before.kind != after.kind || before.options != after.options) {
        return Err(ValidationError::named(
            "options",
            "question-edit-answered",
            "the question is answered already: only its text can be changed",
        ));
    }
    Ok(())
}

/// The involved roles as the task keeps them (comma-separated), from the
/// names chosen in a list: trimmed, without empty ones and repeats, in the
/// order chosen.
pub fn involved_roles_text(chosen: &[String]) -> Option<String> {
    let mut names: Vec<&str> = Vec::new();
    for name in chosen.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    (!names.is_empty()).then(|| names.join(", "))
}

/// The involved roles a task keeps, one name each.
pub fn involved_role_names(text: Option<&str>) -> Vec<String> {
    text.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

/// How many municipalities stand where on one task. The three always add up
/// to the number taking part.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub completed: u32,
    pub started: u32,
    pub not_started: u32,
}

impl StatusCounts {
    pub fn total(&self) -> u32 {
        self.completed + self.started + self.not_started
    }

    /// Municipalities not done: started or not started.
    pub fn not_done(&self) -> u32 {
        self.started + self.not_started
    }

    pub fn add(&mut self, status: TaskStatus) {
        match status {
            TaskStatus::NotStarted => self.not_started += 1,
            TaskStatus::Started => self.started += 1,
            TaskStatus::Completed => self.completed += 1,
        }
    }

    /// The share completed, 0.0–1.0 (0 when nobody takes part).
    pub fn completed_share(&self) -> f64 {
        match self.total() {
            0 => 0.0,
            total => f64::from(self.completed) / f64::from(total),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TaskStatus::*;
    use time::macros::date;

    #[test]
    fn status_moves_forward_one_step_at_a_time() {
        assert!(check_status_change(NotStarted, Started, None, 0).is_ok());
        assert!(check_status_change(Started, Completed, None, 0).is_ok());
        let jump =
            check_status_change(NotStarted, Completed, None, 0).expect_err("a jump is refused");
        assert_eq!(jump.field, "status");
    }

    #[test]
    fn status_moves_back_only_with_a_reason() {
        assert!(check_status_change(Completed, Started, None, 0).is_err());
        assert!(check_status_change(Completed, Started, Some("  "), 0).is_err());
        assert!(check_status_change(Completed, Started, Some("\u{200B}"), 0).is_err());
        assert!(
            check_status_change(Completed, Started, Some(&"x".repeat(MAX_REASON + 1)), 0).is_err()
        );
        assert!(check_status_change(Completed, NotStarted, Some("forkert indberettet"), 0).is_ok());
    }

    #[test]
    fn completing_needs_every_required_answer() {
        let refused = check_status_change(Started, Completed, None, 2).expect_err("refused");
        assert!(refused.problem.contains("2 required"));
        assert!(check_status_change(Started, Started, None, 2).is_ok());
    }

    #[test]
    fn dates_must_be_in_order() {
        assert!(
            Schedule::new(
                Some(date!(2023 - 06 - 08)),
                Some(date!(2023 - 11 - 15)),
                None
            )
            .is_ok()
        );
        let err = Schedule::new(
            Some(date!(2023 - 11 - 15)),
            Some(date!(2023 - 06 - 08)),
            None,
        )
        .expect_err("refused");
        assert_eq!(err.field, "end");
        let only_words = Schedule::new(None, None, Some(" Uge 25 ".into())).expect("valid");
        assert_eq!(only_words.period_text.as_deref(), Some("Uge 25"));
    }

    #[test]
    fn a_patch_keeps_what_it_does_not_name_and_clears_what_is_null() {
        let schedule = Schedule::new(
            Some(date!(2026 - 01 - 05)),
            Some(date!(2026 - 03 - 31)),
            Some("Uge 2".into()),
        )
        .expect("valid");
        assert_eq!(
            schedule.patched(&SchedulePatch::default()),
            Ok(schedule.clone())
        );
        let cleared = schedule
            .patched(&SchedulePatch {
                period_text: Some(None),
                ..SchedulePatch::default()
            })
            .expect("valid");
        assert_eq!(cleared.period_text, None);
        assert_eq!(cleared.end, schedule.end);
        let earlier = SchedulePatch {
            end: Some(Some(date!(2025 - 12 - 31))),
            ..SchedulePatch::default()
        };
        assert_eq!(
            schedule
                .patched(&earlier)
                .expect_err("before the start")
                .field,
            "end"
        );
        let all = SchedulePatch::replace_all(Schedule::default());
        assert_eq!(schedule.patched(&all), Ok(Schedule::default()));
    }

    #[test]
    fn task_texts_are_bounded_and_visible() {
        let fine = TaskTexts {
            title: "Etabler brugeradministration",
            description: "## Trin",
            ..TaskTexts::default()
        };
        assert!(check_task_texts(&fine).is_ok());
        let long = "x".repeat(MAX_DESCRIPTION + 1);
        for (texts, field) in [
            (
                TaskTexts {
                    title: "\u{200B}\u{FEFF}",
                    ..fine
                },
                "title",
            ),
            (
                TaskTexts {
                    description: &long,
                    ..fine
                },
                "description",
            ),
            (
                TaskTexts {
                    description: "a\0",
                    ..fine
                },
                "description",
            ),
            (
                TaskTexts {
                    involved_roles: Some(&long),
                    ..fine
                },
                "involved_roles",
            ),
            (
                TaskTexts {
                    executor_role: Some(&long),
                    ..fine
                },
                "executor_role",
            ),
            (
                TaskTexts {
                    code: Some(&long),
                    ..fine
                },
                "code",
            ),
        ] {
            assert_eq!(check_task_texts(&texts).expect_err("refused").field, field);
        }
        assert_eq!(check_project_texts(" DOS ", " "), Ok(("DOS", "")));
        assert!(check_project_texts("\u{2060}", "").is_err());
        assert!(check_project_texts("DOS", &long).is_err());
        assert!(check_comment("\u{200B}").is_err());
        assert!(check_comment(&"x".repeat(MAX_COMMENT + 1)).is_err());
        assert!(check_change_reason(" \u{200E} ").is_err());
        assert_eq!(check_change_reason(" Mere tid "), Ok("Mere tid"));
    }

    #[test]
    fn overdue_means_past_the_end_and_not_completed() {
        let schedule = Schedule::new(None, Some(date!(2023 - 08 - 31)), None).expect("valid");
        assert!(schedule.is_overdue(date!(2023 - 09 - 01), Started));
        assert!(!schedule.is_overdue(date!(2023 - 09 - 01), Completed));
        assert!(!schedule.is_overdue(date!(2023 - 08 - 31), NotStarted));
    }

    #[test]
    fn counts_add_up() {
        let mut counts = StatusCounts::default();
        for status in [Completed, Started, NotStarted, NotStarted] {
            counts.add(status);
        }
        assert_eq!((counts.total(), counts.not_done()), (4, 3));
        assert!((counts.completed_share() - 0.25).abs() < f64::EPSILON);
    }

    #[test]
    fn names_round_trip_and_unknown_ones_are_explained() {
        for t in TaskType::ALL {
            assert_eq!(TaskType::parse(t.as_str()), Ok(t));
        }
        assert!(
            TaskType::parse("urgent")
                .expect_err("refused")
                .problem
                .contains("critical")
        );
        assert!(
            TaskType::Critical < TaskType::Voluntary,
            "critical sorts first"
        );
    }

    #[test]
    fn task_roles_must_come_from_the_catalogue() {
        let catalogue = vec![
            "KLIK-administrator".to_owned(),
            "Infrastrukturansvarlig".to_owned(),
        ];
        assert!(
            unknown_roles(
                Some("KLIK-administrator"),
                Some("Infrastrukturansvarlig, "),
                &catalogue
            )
            .is_empty()
        );
        assert_eq!(
            unknown_roles(
                Some("Borgmester"),
                Some("Infrastrukturansvarlig, Kok"),
                &catalogue
            ),
            vec![("executor_role", "Borgmester"), ("involved_roles", "Kok")]
        );
    }

    #[test]
    fn what_may_be_edited_depends_on_the_state() {
        assert_eq!(check_task_edit(TaskState::Draft, &["code"], ""), Ok(None));
        assert_eq!(
            check_task_edit(TaskState::Published, &[], " Rettet stavefejl "),
            Ok(Some("Rettet stavefejl"))
        );
        let no_reason = check_task_edit(TaskState::Published, &[], " ").expect_err("refused");
        assert_eq!(no_reason.field, "reason");
        let code = check_task_edit(TaskState::Published, &["code"], "x").expect_err("refused");
        assert_eq!(code.field, "code");
        assert!(check_task_edit(TaskState::Closed, &[], "x").is_err());
    }

    #[test]
    fn an_answered_question_keeps_its_kind_and_options() {
        use crate::question::{QuestionKind, QuestionSpec};
        let before = QuestionSpec {
            prompt: "Hvilket system?".into(),
            kind: QuestionKind::SingleChoice,
            options: vec!["A".into(), "B".into()],
            required: true,
        };
        let reworded = QuestionSpec {
            prompt: "Hvilket fagsystem?".into(),
            ..before.clone()
        };
        assert!(check_question_edit(TaskState::Published, &before, &reworded, true).is_ok());
        let more = QuestionSpec {
            options: vec!["A".into(), "B".into(), "C".into()],
            ..before.clone()
        };
        assert!(check_question_edit(TaskState::Published, &before, &more, false).is_ok());
        assert_eq!(
            check_question_edit(TaskState::Published, &before, &more, true)
                .expect_err("answered")
                .field,
            "options"
        );
        assert!(check_question_edit(TaskState::Closed, &before, &reworded, false).is_err());
    }

    #[test]
    fn involved_roles_chosen_in_a_list_are_kept_once_each() {
        let chosen = vec![
            " Dataansvarlig".to_owned(),
            String::new(),
            "KLIK-administrator".to_owned(),
            "Dataansvarlig".to_owned(),
        ];
        let text = involved_roles_text(&chosen);
        assert_eq!(text.as_deref(), Some("Dataansvarlig, KLIK-administrator"));
        assert_eq!(
            involved_role_names(text.as_deref()),
            vec!["Dataansvarlig", "KLIK-administrator"]
        );
        assert_eq!(involved_roles_text(&[]), None);
    }

    #[test]
    fn guidance_texts_are_trimmed_and_bounded() {
        let guidance = Guidance {
            responsibility: Some("  KLIK-administratoren  ".into()),
            competences: Some("   ".into()),
            characteristics: None,
        }
        .checked()
        .expect("fine");
        assert_eq!(
            guidance.responsibility.as_deref(),
            Some("KLIK-administratoren")
        );
        assert_eq!(guidance.competences, None);
        let long = Guidance {
            competences: Some("x".repeat(MAX_GUIDANCE_TEXT + 1)),
            ..Guidance::default()
        };
        assert_eq!(long.checked().expect_err("too long").field, "competences");
    }
}
