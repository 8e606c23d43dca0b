//! Demo tasks: the tasks of June 2023 from the seed documents, published to
//! the 98 municipalities with statuses that reproduce the totals the
//! seeds report (OCES3 certificate 27 / 31 / 40, "Etabler
//! brugeradministration på KLIK" 35 / 8 / 55, 29 municipalities not done
//! with the library area of DOS …).

use anyhow::Context;
use samspil_coordination::question::{QuestionKind, QuestionSpec};
use samspil_coordination::task::{Schedule, TaskStatus, TaskType};
use samspil_coordination_storage::{
    CoordinationStorage, NewProject, NewTask, Question, TaskChange, TaskFilter,
};
use samspil_domain::{OrgId, OrgKind, Principal};
use samspil_storage::Organisation;
use serde::Deserialize;
use time::Date;
use time::macros::{date, format_description};

const SEED_FACTS: &str = include_str!("seed-facts.json");
/// The day of the June 2023 meeting whose tables the demo reproduces.
const AS_OF: Date = date!(2023 - 06 - 21);

#[derive(Deserialize)]
struct SeedFacts {
    projects: Vec<String>,
    tasks_june_2023: Vec<SeedTask>,
    status_totals: Vec<SeedTotal>,
    area_gaps: Vec<AreaGap>,
    dos_socialret_claim_types: Vec<ClaimType>,
    dos_business_areas: Vec<String>,
}

#[derive(Deserialize)]
struct ClaimType {
    code: String,
    name: String,
}

#[derive(Deserialize)]
struct SeedTask {
    project: String,
    code: Option<String>,
    title: String,
    #[serde(rename = "type")]
    task_type: Option<String>,
    start: Option<String>,
    end: Option<String>,
    when: Option<String>,
    executor_role: Option<String>,
    #[serde(default)]
    involved_roles: Vec<String>,
}

#[derive(Deserialize)]
struct SeedTotal {
    task: String,
    end: Option<String>,
    completed: usize,
    started: usize,
    not_started: usize,
    note: Option<String>,
}

#[derive(Deserialize)]
struct AreaGap {
    project: String,
    area: String,
    municipalities_not_done: usize,
    tasks: Vec<String>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TasksReport {
    pub projects_created: usize,
    pub tasks_created: usize,
}

fn parse_date(text: Option<&str>) -> anyhow::Result<Option<Date>> {
    text.map(|t| {
        Date::parse(t, format_description!("[year]-[month]-[day]"))
            .with_context(|| format!("seed date '{t}'"))
    })
    .transpose()
}

/// Seed words that mean the task is still a draft.
fn is_unpublished(when: Option<&str>) -> bool {
    matches!(when, Some("Ikke publiceret" | "Publiceres senere"))
}

/// A stable pseudo-random order of the municipalities for one task (FNV-1a),
/// so that the demo looks the same at every load.
fn shuffled(municipalities: &[Organisation], salt: &str) -> Vec<OrgId> {
    let mut keyed: Vec<(u64, OrgId)> = municipalities
        .iter()
        .map(|m| {
            let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
            for byte in salt.bytes().chain(m.id.0.to_le_bytes()) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
            (hash, m.id)
        })
        .collect();
    keyed.sort();
    keyed.into_iter().map(|(_, id)| id).collect()
}

/// Exactly `completed` completed and `started` started, the rest not started.
fn distribute(order: &[OrgId], completed: usize, started: usize) -> Vec<(OrgId, TaskStatus)> {
    order
        .iter()
        .enumerate()
        .map(|(i, org)| {
            let status = if i < completed {
                TaskStatus::Completed
            } else if i < completed + started {
                TaskStatus::Started
            } else {
                TaskStatus::NotStarted
            };
            (*org, status)
        })
        .collect()
}

/// Plausible counts for a task the seeds give no totals for: the further
/// its period had run by the meeting, the more municipalities are done.
fn plausible_counts(schedule: &Schedule, participants: usize) -> (usize, usize) {
    let progress = match (schedule.start, schedule.end) {
        (_, Some(end)) if end < AS_OF => 0.85,
        (Some(start), Some(end)) if start <= AS_OF => {
            let run = (AS_OF - start).whole_days() as f64;
            let length = ((end - start).whole_days() as f64).max(1.0);
            (run / length).clamp(0.05, 0.8)
        }
        (Some(start), _) if start > AS_OF => 0.0,
        _ => 0.2,
    };
    let total = participants as f64;
    let completed = (total * progress * 0.8).round() as usize;
    let started = ((total - completed as f64) * (0.25 + progress * 0.5)).round() as usize;
    (
        completed.min(participants),
        started.min(participants - completed.min(participants)),
    )
}

pub async fn load(stores: &crate::Stores) -> anyhow::Result<TasksReport> {
    let (storage, coordination) = (stores.platform.as_ref(), stores.coordination.as_ref());
    let facts: SeedFacts = serde_json::from_str(SEED_FACTS).context("the bundled seed facts")?;
    let community = Principal::operator().community_access()?;
    let mut report = TasksReport::default();

    let existing = coordination
        .tasks(&TaskFilter {
            include_drafts: true,
            limit: 1,
            ..TaskFilter::default()
        })
        .await?;
    if !existing.is_empty() {
        return Ok(report);
    }

    let mut projects = coordination.projects().await?;
    for name in &facts.projects {
        if !projects.iter().any(|p| &p.name == name) {
            let project = coordination
                .create_project(
                    &community,
                    &NewProject {
                        name: name.clone(),
                        description: String::new(),
                        participants: None,
                    },
                )
                .await?;
            projects.push(project);
            report.projects_created += 1;
        }
    }
    let project_id = |name: &str| {
        projects
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.id)
            .with_context(|| format!("seed project '{name}'"))
    };
    let municipalities: Vec<Organisation> = storage
        .organisations()
        .await?
        .into_iter()
        .filter(|o| o.kind == OrgKind::Municipality)
        .collect();

    // The tasks of June 2023.
    let gap = facts.area_gaps.first();
    let gap_order = gap.map(|g| shuffled(&municipalities, &format!("{} {}", g.project, g.area)));
    for seed in &facts.tasks_june_2023 {
        let schedule = Schedule::new(
            parse_date(seed.start.as_deref())?,
            parse_date(seed.end.as_deref())?,
            seed.when.clone().filter(|w| !is_unpublished(Some(w))),
        )?;
        let task_type = TaskType::parse(seed.task_type.as_deref().unwrap_or("mandatory"))?;
        let task = coordination
            .create_task(
                &community,
                &NewTask {
                    project_id: project_id(&seed.project)?,
                    code: seed.code.clone(),
                    title: seed.title.clone(),
                    description: String::new(),
                    task_type,
                    schedule: schedule.clone(),
                    executor_role: seed.executor_role.clone(),
                    involved_roles: (!seed.involved_roles.is_empty())
                        .then(|| seed.involved_roles.join(", ")),
                    business_area: business_area(&seed.title, &facts.dos_business_areas),
                    guidance: Default::default(),
                },
            )
            .await?;
        report.tasks_created += 1;
        let claim_question = if seed.code.as_deref() == Some("SoCo1") {
            Some(
                add_claim_type_question(
                    coordination,
                    &community,
                    task.id,
                    &facts.dos_socialret_claim_types,
                )
                .await?,
            )
        } else {
            None
        };
        if is_unpublished(seed.when.as_deref()) {
            continue;
        }
        coordination.publish_task(&community, task.id).await?;
        let statuses = match (gap, &gap_order, &seed.code) {
            (Some(gap), Some(order), Some(code)) if gap.tasks.contains(code) => area_gap_statuses(
                order,
                gap.municipalities_not_done,
                gap.tasks.iter().position(|t| t == code),
            ),
            _ => {
                let (completed, started) = plausible_counts(&schedule, municipalities.len());
                distribute(&shuffled(&municipalities, &seed.title), completed, started)
            }
        };
        coordination
            .import_task_statuses(&community, task.id, &statuses)
            .await?;
        if let Some(question) = &claim_question {
            answer_claim_types(coordination, task.id, question, &statuses).await?;
        }
    }

    // The tasks whose totals the slides quote.
    for total in &facts.status_totals {
        let project = if total.task.contains("KLIK") || total.task.contains("brugertyper") {
            "KLIK"
        } else {
            "Fælleskommunal Infrastruktur"
        };
        let type_lowered = total
            .note
            .as_deref()
            .is_some_and(|n| n.contains("type changed from critical"));
        let end = match total.note.as_deref() {
            Some(note) if note.contains("end moved to 2023-08-31") => Some(date!(2023 - 08 - 31)),
            _ => parse_date(total.end.as_deref())?,
        };
        let task = coordination
            .create_task(
                &community,
                &NewTask {
                    project_id: project_id(project)?,
                    code: None,
                    title: total.task.clone(),
                    description: String::new(),
                    task_type: if type_lowered {
                        TaskType::Critical
                    } else {
                        TaskType::Mandatory
                    },
                    schedule: Schedule::new(None, end, None)?,
                    executor_role: None,
                    involved_roles: None,
                    business_area: None,
                    guidance: Default::default(),
                },
            )
            .await?;
        report.tasks_created += 1;
        coordination.publish_task(&community, task.id).await?;
        if type_lowered {
            coordination
                .change_task(
                    &community,
                    task.id,
                    &TaskChange {
                        task_type: Some(TaskType::Mandatory),
                        schedule: samspil_coordination::task::SchedulePatch::replace_all(
                            Schedule::new(None, end, None)?,
                        ),
                        reason: "Fristen er rykket til 31. august 2023, og opgaven er ændret fra \
                                 obligatorisk på kritisk vej til obligatorisk."
                            .into(),
                    },
                )
                .await?;
        }
        let order = shuffled(&municipalities, &total.task);
        anyhow::ensure!(
            total.completed + total.started + total.not_started == order.len(),
            "the seed totals of '{}' do not add up to {}",
            total.task,
            order.len()
        );
        coordination
            .import_task_statuses(
                &community,
                task.id,
                &distribute(&order, total.completed, total.started),
            )
            .await?;
    }
    Ok(report)
}

/// The seed's structured answer: tick the relevant Socialret claim types.
async fn add_claim_type_question(
    coordination: &dyn CoordinationStorage,
    community: &samspil_domain::CommunityAccess,
    task: samspil_coordination::task::TaskId,
    claim_types: &[ClaimType],
) -> anyhow::Result<Question> {
    let spec = QuestionSpec {
        prompt: "Hvilke fordringstyper er relevante for kommunen?".into(),
        kind: QuestionKind::MultipleChoice,
        options: claim_types
            .iter()
            .map(|c| format!("{} – {}", c.code, c.name))
            .collect(),
        required: true,
    };
    Ok(coordination.add_question(community, task, &spec).await?)
}

/// Municipalities that have started or completed the task have ticked a
/// stable, varied selection of claim types.
async fn answer_claim_types(
    coordination: &dyn CoordinationStorage,
    task: samspil_coordination::task::TaskId,
    question: &Question,
    statuses: &[(OrgId, TaskStatus)],
) -> anyhow::Result<()> {
    let operator = Principal::operator();
    for (index, (org, status)) in statuses.iter().enumerate() {
        if *status == TaskStatus::NotStarted {
            continue;
        }
        let chosen: Vec<String> = question
            .spec
            .options
            .iter()
            .enumerate()
            .filter(|(option, _)| (option * 7 + index * 3) % 5 < 2 || *option == 0)
            .map(|(_, value)| value.clone())
            .collect();
        coordination
            .save_answers(&operator.work_access(*org)?, task, &[(question.id, chosen)])
            .await?;
    }
    Ok(())
}

/// Statuses on one of an area's tasks such that exactly `not_done`
/// municipalities (the first in `order`) have at least one of the area's
/// tasks left, in three patterns; everyone else has completed them all.
fn area_gap_statuses(
    order: &[OrgId],
    not_done: usize,
    task_index: Option<usize>,
) -> Vec<(OrgId, TaskStatus)> {
    use TaskStatus::{Completed, NotStarted, Started};
    const PATTERNS: [[TaskStatus; 3]; 3] = [
        [Completed, Started, NotStarted],
        [Completed, Completed, Started],
        [Started, NotStarted, NotStarted],
    ];
    let index = task_index.unwrap_or(0).min(2);
    order
        .iter()
        .enumerate()
        .map(|(i, org)| {
            let status = if i < not_done {
                PATTERNS[i % 3][index]
            } else {
                Completed
            };
            (*org, status)
        })
        .collect()
}

/// The DOS tasks name their business area first ("Bibliotek - Opgave 1",
/// "Socialret/KY - Opgave 1"); the area is that name when the seeds list it.
fn business_area(title: &str, areas: &[String]) -> Option<String> {
    let (prefix, _) = title.split_once(" - ")?;
    let name = prefix.split('/').next()?.trim();
    areas.iter().find(|a| a.as_str() == name).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_facts_parse_and_their_totals_add_up_to_98() {
        let facts: SeedFacts = serde_json::from_str(SEED_FACTS).expect("valid seed facts");
        assert!(facts.tasks_june_2023.len() >= 20);
        for total in &facts.status_totals {
            assert_eq!(
                total.completed + total.started + total.not_started,
                98,
                "{}",
                total.task
            );
        }
    }

    #[test]
    fn every_area_gap_pattern_leaves_something_undone() {
        let orgs: Vec<OrgId> = (1..=98).map(OrgId).collect();
        let per_task: Vec<_> = (0..3)
            .map(|i| area_gap_statuses(&orgs, 29, Some(i)))
            .collect();
        let not_done = (0..98)
            .filter(|&m| {
                per_task
                    .iter()
                    .any(|statuses| statuses[m].1 != TaskStatus::Completed)
            })
            .count();
        assert_eq!(not_done, 29);
    }

    #[test]
    fn plausible_counts_never_exceed_the_participants() {
        for (start, end) in [
            (None, None),
            (Some(date!(2023 - 01 - 01)), Some(date!(2023 - 12 - 31))),
        ] {
            let schedule = Schedule::new(start, end, None).expect("valid");
            let (completed, started) = plausible_counts(&schedule, 98);
            assert!(completed + started <= 98);
        }
    }

    #[test]
    fn dos_task_titles_name_their_business_area() {
        let areas = vec!["Socialret".to_owned(), "Bibliotek".to_owned()];
        let area = |title: &str| business_area(title, &areas);
        assert_eq!(
            area("Bibliotek - Opgave 1: Lokalisér").as_deref(),
            Some("Bibliotek")
        );
        assert_eq!(
            area("Socialret/KY - Opgave 1: Lokalisér").as_deref(),
            Some("Socialret")
        );
        assert_eq!(area("Kontrollér - parametre"), None, "not a listed area");
        assert_eq!(area("Udpeg Digital Post-ansvarlig"), None);
    }
}
