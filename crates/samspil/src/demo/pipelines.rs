//! Demo onboarding pipelines (issue 20), on the demo's tasks: DOS
//! Bibliotek over BiBo1–BiBo3 (the slides' 29 municipalities not done),
//! DOS Socialret from the template with SoCo1 and its claim-type question
//! as step 1 (the claim types ticked are its answers), and Borgerblikket
//! debt on KMD Opus Debitor over GB1.0–GB5.0, whose statuses are brought
//! into the gates' order; and a timeline of areas. Loaded after
//! `tasks::load`, once.

use anyhow::Context;
use samspil_coordination::pipeline::{
    AreaWindow, BusinessArea, DebtorSystem, StepSpec, borgerblikket_debt_pipeline, dos_pipeline,
    socialret_catalogue,
};
use samspil_coordination::task::{TaskId, TaskStatus};
use samspil_coordination_storage::{NewPipeline, NewPipelineStep, Task, TaskFilter};
use samspil_domain::{OrgId, OrgKind, Principal};
use time::macros::date;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PipelinesReport {
    pub pipelines_created: usize,
}

fn find<'a>(tasks: &'a [Task], code: &str, title_part: Option<&str>) -> anyhow::Result<&'a Task> {
    tasks
        .iter()
        .find(|t| t.code.as_deref() == Some(code) && title_part.is_none_or(|p| t.title.contains(p)))
        .with_context(|| format!("the demo task {code}"))
}

fn specs(pipeline: &samspil_coordination::pipeline::Pipeline) -> Vec<StepSpec> {
    pipeline
        .steps()
        .iter()
        .map(|s| StepSpec {
            key: s.key.to_string(),
            title: s.title.clone(),
            actor: s.actor,
            depends_on: s.depends_on.iter().map(|d| d.to_string()).collect(),
        })
        .collect()
}

pub async fn load(stores: &crate::Stores) -> anyhow::Result<PipelinesReport> {
    let coordination = stores.coordination.as_ref();
    let mut report = PipelinesReport::default();
    if !coordination.pipelines().await?.is_empty() {
        return Ok(report);
    }
    let community = Principal::operator().community_access()?;
    let tasks = coordination
        .tasks(&TaskFilter {
            limit: 5_000,
            ..TaskFilter::default()
        })
        .await?;
    let Ok(bibo1) = find(&tasks, "BiBo1", None) else {
        // No demo tasks (a database without them): nothing to build on.
        return Ok(report);
    };
    let dos = bibo1.project_id;

    // DOS Bibliotek: the slides' three tasks, in order.
    let bibliotek = samspil_coordination::pipeline::Pipeline::ordered(
        BusinessArea::Bibliotek.name(),
        &["BiBo1", "BiBo2", "BiBo3"].map(|code| {
            let title = tasks
                .iter()
                .find(|t| t.code.as_deref() == Some(code))
                .map(|t| t.title.as_str())
                .unwrap_or(code);
            (
                code,
                title,
                samspil_coordination::pipeline::StepActor::Municipality,
            )
        }),
    )?;
    let mut steps = Vec::new();
    for spec in specs(&bibliotek) {
        let task = find(&tasks, &spec.key, None)?.id;
        steps.push(NewPipelineStep {
            spec,
            task_id: Some(task),
        });
    }
    coordination
        .create_pipeline(
            &community,
            &NewPipeline {
                project_id: dos,
                area: BusinessArea::Bibliotek.name().into(),
                steps,
                supplementary_months: 3,
                catalogue: Vec::new(),
                claim_step: None,
            },
        )
        .await?;
    report.pipelines_created += 1;

    // DOS Socialret: the whole template, SoCo1 as its first task.
    let soco1 = find(&tasks, "SoCo1", None)?.id;
    let socialret = dos_pipeline(BusinessArea::Socialret);
    coordination
        .create_pipeline(
            &community,
            &NewPipeline {
                project_id: dos,
                area: BusinessArea::Socialret.name().into(),
                steps: specs(&socialret)
                    .into_iter()
                    .map(|spec| NewPipelineStep {
                        task_id: (spec.key == "SoCo1").then_some(soco1),
                        spec,
                    })
                    .collect(),
                supplementary_months: 3,
                catalogue: socialret_catalogue().types().to_vec(),
                claim_step: Some("SoCo1".into()),
            },
        )
        .await?;
    report.pipelines_created += 1;

    // Borgerblikket debt on KMD Opus Debitor: GB1.0–GB5.0, the statuses
    // brought into the gates' order (a municipality has started a step
    // only once the one before it is done).
    let system = DebtorSystem::KmdOpusDebitor;
    let gb = borgerblikket_debt_pipeline(system);
    let mut gb_tasks: Vec<TaskId> = Vec::new();
    let mut steps = Vec::new();
    for spec in specs(&gb) {
        let part = (spec.key == "GB1.0").then_some(system.name());
        let task = find(&tasks, &spec.key, part)?.id;
        gb_tasks.push(task);
        steps.push(NewPipelineStep {
            spec,
            task_id: Some(task),
        });
    }
    let municipalities: Vec<OrgId> = stores
        .platform
        .organisations()
        .await?
        .into_iter()
        .filter(|o| o.kind == OrgKind::Municipality)
        .map(|o| o.id)
        .collect();
    for (step, task) in gb_tasks.iter().enumerate() {
        let statuses: Vec<(OrgId, TaskStatus)> = municipalities
            .iter()
            .enumerate()
            .map(|(i, org)| {
                // How many of the five steps municipality i has done: a
                // spread from all five to none.
                let done = match i % 10 {
                    0..=2 => 5,
                    3 => 4,
                    4 => 3,
                    5 | 6 => 2,
                    7 => 1,
                    _ => 0,
                };
                let status = if step < done {
                    TaskStatus::Completed
                } else if step == done && i % 2 == 0 {
                    TaskStatus::Started
                } else {
                    TaskStatus::NotStarted
                };
                (*org, status)
            })
            .collect();
        coordination
            .import_task_statuses(&community, *task, &statuses)
            .await?;
    }
    let borgerblikket = find(&tasks, "GB2.0", None)?.project_id;
    coordination
        .create_pipeline(
            &community,
            &NewPipeline {
                project_id: borgerblikket,
                area: format!("{} ({})", gb.area(), system.name()),
                steps,
                supplementary_months: 0,
                catalogue: Vec::new(),
                claim_step: None,
            },
        )
        .await?;
    report.pipelines_created += 1;

    // The timeline of areas: the newsletter's table is a picture, so these
    // windows are the demo's, in its shape (area, business system, from, to).
    let window = |area: &str, system: &str, from, to| AreaWindow {
        area: area.into(),
        system: system.into(),
        from,
        to,
    };
    coordination
        .set_timeline(
            &community,
            &[
                window(
                    "Socialret",
                    "KMD Aktiv",
                    date!(2020 - 03 - 01),
                    date!(2020 - 06 - 30),
                ),
                window(
                    "Socialret",
                    "KY",
                    date!(2020 - 09 - 01),
                    date!(2020 - 12 - 31),
                ),
                window(
                    "Bibliotek",
                    "FBS",
                    date!(2020 - 04 - 01),
                    date!(2020 - 09 - 30),
                ),
                window(
                    "P-afgifter",
                    "",
                    date!(2020 - 06 - 01),
                    date!(2020 - 11 - 30),
                ),
                window(
                    "Daginstitution",
                    "KMD Institution",
                    date!(2020 - 08 - 01),
                    date!(2021 - 01 - 31),
                ),
                window(
                    "Sygedagpenge",
                    "KSD",
                    date!(2020 - 10 - 01),
                    date!(2021 - 03 - 31),
                ),
            ],
        )
        .await?;
    Ok(report)
}
