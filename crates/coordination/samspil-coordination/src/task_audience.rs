//! Which municipalities a community task goes to when it is published:
//! every municipality taking part in its project (the default), or the ones
//! staff chose among them on the draft.

use samspil_domain::{OrgId, ValidationError};
use serde::Serialize;

/// A draft's municipalities.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskAudience {
    /// Every participant of the task's project on the day it is published
    /// (and those who join the project later).
    #[default]
    AllParticipants,
    /// Only these, each a participant of the project; nobody who joins the
    /// project later gets the task.
    Chosen(Vec<OrgId>),
}

/// A municipality as the audience rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudienceCandidate {
    pub id: OrgId,
    pub name: String,
    /// Takes part in the task's project.
    pub takes_part: bool,
}

/// The municipalities chosen, checked against the municipalities there are
/// (`known`): at least one, each a participant of the project. Returns them
/// without repeats, in id order; the refusal names the first that is not a
/// participant (or is no municipality at all).
pub fn check_task_audience(
    audience: &TaskAudience,
    known: &[AudienceCandidate],
) -> Result<TaskAudience, ValidationError> {
    let TaskAudience::Chosen(chosen) = audience else {
        return Ok(TaskAudience::AllParticipants);
    };
    let mut ids: Vec<OrgId> = chosen.clone();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Err(ValidationError::named(
            "municipalities",
            "task-municipalities-none",
            "choose at least one municipality, or all of the project's",
        ));
    }
    for id in &ids {
        match known.iter().find(|c| c.id == *id) {
            Some(candidate) if candidate.takes_part => {}
            Some(candidate) => {
                return Err(ValidationError::named_with(
                    "municipalities",
                    "task-municipality-not-in-project",
                    vec![("name", candidate.name.clone())],
                    format!("{} does not take part in the project", candidate.name),
                ));
            }
            None => {
                return Err(ValidationError::named(
                    "municipalities",
                    "org-unknown",
                    format!("there is no municipality {}", id.0),
                ));
            }
        }
    }
    Ok(TaskAudience::Chosen(ids))
}

impl TaskAudience {
    /// The chosen municipalities; none for all participants.
    pub fn chosen(&self) -> &[OrgId] {
        match self {
            TaskAudience::AllParticipants => &[],
            TaskAudience::Chosen(ids) => ids,
        }
    }

    /// The audience a task keeps as its chosen municipalities (none: all).
    pub fn from_kept(ids: Vec<OrgId>) -> Self {
        match ids.is_empty() {
            true => TaskAudience::AllParticipants,
            false => TaskAudience::Chosen(ids),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<AudienceCandidate> {
        [
            (1, "Aarhus", true),
            (2, "Odense", true),
            (3, "Tønder", false),
        ]
        .into_iter()
        .map(|(id, name, takes_part)| AudienceCandidate {
            id: OrgId(id),
            name: name.into(),
            takes_part,
        })
        .collect()
    }

    fn refusal_key(error: ValidationError) -> String {
        match error.rule {
            Some(samspil_domain::BrokenRule::Named { key, .. }) => key.to_owned(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn all_participants_needs_no_check_and_a_choice_is_kept_without_repeats() {
        assert_eq!(
            check_task_audience(&TaskAudience::AllParticipants, &[]),
            Ok(TaskAudience::AllParticipants)
        );
        let chosen = TaskAudience::Chosen(vec![OrgId(2), OrgId(1), OrgId(2)]);
        assert_eq!(
            check_task_audience(&chosen, &known()),
            Ok(TaskAudience::Chosen(vec![OrgId(1), OrgId(2)]))
        );
    }

    #[test]
    fn a_choice_of_none_or_outside_the_project_is_refused_naming_it() {
        let none = check_task_audience(&TaskAudience::Chosen(Vec::new()), &known());
        assert_eq!(
            refusal_key(none.expect_err("refused")),
            "task-municipalities-none"
        );
        let outside =
            check_task_audience(&TaskAudience::Chosen(vec![OrgId(1), OrgId(3)]), &known())
                .expect_err("refused");
        assert!(outside.to_string().contains("Tønder"), "{outside}");
        assert_eq!(refusal_key(outside), "task-municipality-not-in-project");
        let unknown = check_task_audience(&TaskAudience::Chosen(vec![OrgId(9)]), &known());
        assert_eq!(refusal_key(unknown.expect_err("refused")), "org-unknown");
    }

    #[test]
    fn a_kept_choice_of_none_is_all_participants() {
        assert_eq!(
            TaskAudience::from_kept(Vec::new()),
            TaskAudience::AllParticipants
        );
        assert_eq!(
            TaskAudience::from_kept(vec![OrgId(4)]).chosen(),
            &[OrgId(4)]
        );
    }
}
