//! The project pages: every project with its progress (`/projekter`), and
//! one project (`/projekter/{id}`) with its tasks (for a municipality with
//! its own status, for staff with the national counts), its participating
//! municipalities, its progress and the IT solution's entries in the role
//! gallery.

use axum::extract::{Path, State};
use axum::response::Html;
use samspil_coordination::task::{ProjectId, TaskState};
use samspil_coordination_storage::TaskFilter;
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::format::format_date;
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use serde::Serialize;

use crate::CoordinationState;

#[derive(Serialize)]
struct ProjectRow {
    id: i64,
    name: String,
    description: String,
    participants: i64,
    published_tasks: i64,
    municipalities_not_done: i64,
    /// Participants with every published task completed, in percent.
    done_percent: u32,
}

fn done_percent(participants: i64, not_done: i64) -> u32 {
    if participants <= 0 {
        return 0;
    }
    let done = (participants - not_done).max(0);
    ((done as f64 / participants as f64) * 100.0).round() as u32
}

async fn project_rows(state: &CoordinationState) -> Result<Vec<ProjectRow>, AppError> {
    let progress = state.storage.project_progress().await?;
    let mut rows: Vec<ProjectRow> = state
        .storage
        .projects()
        .await?
        .into_iter()
        .map(|project| {
            let row = progress.iter().find(|p| p.project_id == project.id);
            let published_tasks = row.map_or(0, |p| p.published_tasks);
            let not_done = row.map_or(0, |p| p.municipalities_not_done);
            ProjectRow {
                id: project.id.0,
                name: project.name,
                description: project.description,
                participants: project.participant_count,
                published_tasks,
                municipalities_not_done: not_done,
                done_percent: done_percent(project.participant_count, not_done),
            }
        })
        .collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(rows)
}

/// `/projekter`: every project with its progress.
pub async fn projects_page(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Html<String>, AppError> {
    let projects = project_rows(&state).await?;
    let page = Page::new(&state, lang, "/projekter", Some(&signed_in)).await?;
    page.render(
        "projects.html",
        minijinja::context! { nav_active => "projects", projects },
    )
}

#[derive(Serialize)]
struct ProjectTask {
    id: i64,
    code: Option<String>,
    title: String,
    task_type: &'static str,
    state: &'static str,
    end: Option<String>,
    period_text: Option<String>,
    business_area: Option<String>,
    completed: u32,
    started: u32,
    not_started: u32,
    completed_percent: u32,
    /// The viewing municipality's own status.
    status: Option<&'static str>,
}

#[derive(Serialize)]
struct ProjectRole {
    id: i64,
    name: String,
    description: String,
    mandatory: bool,
}

/// `/projekter/{id}`: one project.
pub async fn project_page(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    let project_id = ProjectId(id);
    let project = project_rows(&state)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(AppError::NotFound)?;
    let is_staff = signed_in.principal.is_staff();
    let filter = TaskFilter {
        project_id: Some(project_id),
        include_drafts: is_staff,
        limit: 1000,
        ..TaskFilter::default()
    };
    let task_row =
        |task: &samspil_coordination_storage::Task, status: Option<&'static str>| ProjectTask {
            id: task.id.0,
            code: task.code.clone(),
            title: task.title.clone(),
            task_type: task.task_type.as_str(),
            state: task.state.as_str(),
            end: format_date(lang, task.schedule.end),
            period_text: task.schedule.period_text.clone(),
            business_area: task.business_area.clone(),
            completed: task.counts.completed,
            started: task.counts.started,
            not_started: task.counts.not_started,
            completed_percent: (task.counts.completed_share() * 100.0).round() as u32,
            status,
        };
    let tasks: Vec<ProjectTask> = if is_staff {
        state
            .storage
            .tasks(&filter)
            .await?
            .iter()
            .filter(|t| t.owner.is_none())
            .map(|t| task_row(t, None))
            .collect()
    } else {
        let access = signed_in.principal.read_access(signed_in.user.org_id)?;
        state
            .storage
            .municipality_tasks(&access, &filter)
            .await?
            .iter()
            .filter(|mt| mt.task.owner.is_none() && mt.task.state != TaskState::Draft)
            .map(|mt| task_row(&mt.task, Some(mt.status.as_str())))
            .collect()
    };
    let participants = state.storage.project_participants(project_id).await?;
    let takes_part = participants
        .iter()
        .any(|p| p.org_id == signed_in.user.org_id);
    let roles: Vec<ProjectRole> = state
        .storage
        .roles()
        .await?
        .into_iter()
        .filter(|r| r.solution_id == Some(project_id))
        .map(|r| ProjectRole {
            id: r.id.0,
            name: r.name,
            description: r.description,
            mandatory: r.mandatory,
        })
        .collect();
    let areas = state
        .storage
        .area_progress()
        .await?
        .into_iter()
        .filter(|a| a.project_id == project_id)
        .map(|a| {
            minijinja::context! {
                area => a.area,
                published_tasks => a.published_tasks,
                municipalities_not_done => a.municipalities_not_done,
            }
        })
        .collect::<Vec<_>>();
    let path = format!("/projekter/{id}");
    let page = Page::new(&state, lang, &path, Some(&signed_in)).await?;
    page.render(
        "project.html",
        minijinja::context! {
            nav_active => "projects",
            is_staff,
            project,
            tasks,
            participants,
            takes_part,
            roles,
            areas,
        },
    )
}

/// Coordination: the project pages.
pub(crate) fn routes() -> Vec<samspil_web::routes::PageRoute<CoordinationState>> {
    use samspil_web::routes::PageRoute;
    vec![
        PageRoute::get("/projekter", projects_page),
        PageRoute::get("/projekter/{id}", project_page),
    ]
}

#[cfg(test)]
mod tests {
    use super::done_percent;

    #[test]
    fn a_projects_done_share_counts_the_participants_with_nothing_left() {
        assert_eq!(done_percent(0, 0), 0);
        assert_eq!(done_percent(98, 98), 0);
        assert_eq!(done_percent(98, 49), 50);
        assert_eq!(done_percent(4, 0), 100);
    }
}
