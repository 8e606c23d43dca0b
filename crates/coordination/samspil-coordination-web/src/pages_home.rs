//! The person's front page (`/`, served through the shell's
//! [`Personal`] hook): for a municipality's people their open tasks
//! (critical first), the next deadlines, the overdue ones, the tasks given
//! to them or their roles and their unread messages; for the community's
//! staff the tasks near their deadline with low completion, the latest
//! status changes and the mandatory roles without a holder. The menu's
//! unread count on »Indbakke« comes from here too.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::response::Html;
use samspil_coordination::role::GapKind;
use samspil_coordination::task::{TaskState, TaskStatus, TaskType};
use samspil_coordination_storage::{
    CoordinationStorage, InboxQuery, MunicipalityTask, Task, TaskFilter,
};
use samspil_domain::UserId;
use samspil_web::AppState;
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::format::{format_date, format_instant};
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use samspil_web::personal::{Personal, PersonalFuture};
use serde::Serialize;

/// How many rows each of the front page's lists shows.
const SHOWN: usize = 5;
/// How many tasks the front page reads to choose from.
const READ: u32 = 1000;
/// Staff: a task is near its deadline within this many days…
const NEAR_DAYS: i64 = 30;
/// …and its completion is low below this share.
const LOW_SHARE: f64 = 0.5;

/// Coordination's side of the shell's [`Personal`].
pub(crate) struct CoordinationPersonal {
    pub(crate) storage: Arc<dyn CoordinationStorage>,
}

impl Personal for CoordinationPersonal {
    fn unread(&self, user: UserId) -> PersonalFuture<'_, u64> {
        Box::pin(async move { Ok(self.storage.unread_count(user).await?) })
    }

    fn home<'a>(
        &'a self,
        state: &'a AppState,
        lang: Lang,
        signed_in: &'a SignedIn,
    ) -> PersonalFuture<'a, Html<String>> {
        Box::pin(async move {
            if signed_in.principal.is_staff() {
                staff_home(&*self.storage, state, lang, signed_in).await
            } else {
                municipality_home(&*self.storage, state, lang, signed_in).await
            }
        })
    }
}

#[derive(Serialize)]
struct HomeTask {
    id: i64,
    title: String,
    code: Option<String>,
    task_type: &'static str,
    end: Option<String>,
    period_text: Option<String>,
    status: Option<&'static str>,
    overdue: bool,
    local: bool,
    assignee_name: Option<String>,
    completed_percent: u32,
}

fn home_task(lang: Lang, task: &Task, status: Option<TaskStatus>) -> HomeTask {
    let today = samspil_storage::now().date();
    HomeTask {
        id: task.id.0,
        title: task.title.clone(),
        code: task.code.clone(),
        task_type: task.task_type.as_str(),
        end: format_date(lang, task.schedule.end),
        period_text: task.schedule.period_text.clone(),
        status: status.map(TaskStatus::as_str),
        overdue: status.is_some_and(|s| task.schedule.is_overdue(today, s)),
        local: task.owner.is_some(),
        assignee_name: None,
        completed_percent: (task.counts.completed_share() * 100.0).round() as u32,
    }
}

fn municipality_home_task(lang: Lang, mt: &MunicipalityTask) -> HomeTask {
    HomeTask {
        assignee_name: mt.assignee_name.clone(),
        ..home_task(lang, &mt.task, Some(mt.status))
    }
}

fn is_open(mt: &MunicipalityTask) -> bool {
    mt.status != TaskStatus::Completed && mt.task.state == TaskState::Published
}

/// Critical first, then by end date (none last), then by title.
fn by_urgency(a: &MunicipalityTask, b: &MunicipalityTask) -> std::cmp::Ordering {
    let critical = |mt: &MunicipalityTask| mt.task.task_type != TaskType::Critical;
    let end = |mt: &MunicipalityTask| (mt.task.schedule.end.is_none(), mt.task.schedule.end);
    critical(a)
        .cmp(&critical(b))
        .then(end(a).cmp(&end(b)))
        .then(a.task.title.cmp(&b.task.title))
}

#[derive(Serialize)]
struct HomeMessage {
    subject: String,
    link: Option<String>,
    kind: &'static str,
    created_at: String,
}

async fn municipality_home(
    storage: &dyn CoordinationStorage,
    state: &AppState,
    lang: Lang,
    signed_in: &SignedIn,
) -> Result<Html<String>, AppError> {
    let access = signed_in.principal.read_access(signed_in.user.org_id)?;
    let today = samspil_storage::now().date();
    let everything = TaskFilter {
        limit: READ,
        ..TaskFilter::default()
    };
    let mut open: Vec<MunicipalityTask> = storage
        .municipality_tasks(&access, &everything)
        .await?
        .into_iter()
        .filter(is_open)
        .collect();
    open.sort_by(by_urgency);
    let open_count = open.len();
    let critical_count = open
        .iter()
        .filter(|mt| mt.task.task_type == TaskType::Critical)
        .count();
    let overdue: Vec<HomeTask> = open
        .iter()
        .filter(|mt| mt.task.schedule.is_overdue(today, mt.status))
        .map(|mt| municipality_home_task(lang, mt))
        .collect();
    let mut upcoming: Vec<&MunicipalityTask> = open
        .iter()
        .filter(|mt| mt.task.schedule.end.is_some_and(|end| end >= today))
        .collect();
    upcoming.sort_by_key(|mt| mt.task.schedule.end);
    let upcoming: Vec<HomeTask> = upcoming
        .into_iter()
        .take(SHOWN)
        .map(|mt| municipality_home_task(lang, mt))
        .collect();
    let mut mine: Vec<MunicipalityTask> = storage
        .municipality_tasks(
            &access,
            &TaskFilter {
                assigned_to: Some(signed_in.user.id),
                ..everything
            },
        )
        .await?
        .into_iter()
        .filter(is_open)
        .collect();
    mine.sort_by(by_urgency);
    let mine_count = mine.len();
    let mine: Vec<HomeTask> = mine
        .iter()
        .take(SHOWN)
        .map(|mt| municipality_home_task(lang, mt))
        .collect();
    let open_shown: Vec<HomeTask> = open
        .iter()
        .take(SHOWN)
        .map(|mt| municipality_home_task(lang, mt))
        .collect();
    let messages = unread_messages(storage, lang, signed_in.user.id).await?;
    let page = Page::new(state, lang, "/", Some(signed_in)).await?;
    page.render(
        "home_person.html",
        minijinja::context! {
            nav_active => "home",
            is_staff => false,
            open => open_shown,
            open_count,
            critical_count,
            overdue_count => overdue.len(),
            overdue => overdue.into_iter().take(SHOWN).collect::<Vec<_>>(),
            upcoming,
            mine,
            mine_count,
            messages,
        },
    )
}

async fn unread_messages(
    storage: &dyn CoordinationStorage,
    lang: Lang,
    user: UserId,
) -> Result<Vec<HomeMessage>, AppError> {
    let query = InboxQuery {
        unread_only: true,
        limit: SHOWN as u32,
        ..InboxQuery::default()
    };
    Ok(storage
        .inbox_page(user, &query)
        .await?
        .into_iter()
        .map(|item| HomeMessage {
            subject: item.subject,
            link: item.link,
            kind: item.kind.as_str(),
            created_at: format_instant(lang, item.created_at),
        })
        .collect())
}

#[derive(Serialize)]
struct HomeChange {
    task_id: i64,
    task_title: String,
    org_name: String,
    at: String,
    by: String,
    from: Option<&'static str>,
    to: &'static str,
}

#[derive(Serialize)]
struct HomeGap {
    role_name: String,
    municipalities: usize,
}

async fn staff_home(
    storage: &dyn CoordinationStorage,
    state: &AppState,
    lang: Lang,
    signed_in: &SignedIn,
) -> Result<Html<String>, AppError> {
    let access = signed_in.principal.community_access()?;
    let today = samspil_storage::now().date();
    let tasks = storage
        .tasks(&TaskFilter {
            include_drafts: true,
            limit: READ,
            ..TaskFilter::default()
        })
        .await?;
    let drafts = tasks.iter().filter(|t| t.state == TaskState::Draft).count();
    let published = tasks
        .iter()
        .filter(|t| t.state == TaskState::Published)
        .count();
    let horizon = today + time::Duration::days(NEAR_DAYS);
    let mut near: Vec<&Task> = tasks
        .iter()
        .filter(|t| t.state == TaskState::Published && t.owner.is_none())
        .filter(|t| {
            t.schedule
                .end
                .is_some_and(|end| end >= today && end <= horizon)
        })
        .filter(|t| t.counts.completed_share() < LOW_SHARE)
        .collect();
    near.sort_by_key(|t| t.schedule.end);
    let near: Vec<HomeTask> = near
        .into_iter()
        .take(SHOWN * 2)
        .map(|t| home_task(lang, t, None))
        .collect();
    let changes: Vec<HomeChange> = storage
        .recent_status_changes(&access, SHOWN as u32 * 2)
        .await?
        .into_iter()
        .map(|c| HomeChange {
            task_id: c.task_id.0,
            task_title: c.task_title,
            org_name: c.org_name,
            at: format_instant(lang, c.at),
            by: c.by,
            from: c.from.map(TaskStatus::as_str),
            to: c.to.as_str(),
        })
        .collect();
    let mut empty: BTreeMap<String, usize> = BTreeMap::new();
    for gap in storage.all_role_gaps(&access, today).await? {
        if gap.kind == GapKind::Empty {
            *empty.entry(gap.role_name).or_default() += 1;
        }
    }
    let mut gaps: Vec<HomeGap> = empty
        .into_iter()
        .map(|(role_name, municipalities)| HomeGap {
            role_name,
            municipalities,
        })
        .collect();
    gaps.sort_by_key(|g| std::cmp::Reverse(g.municipalities));
    let messages = unread_messages(storage, lang, signed_in.user.id).await?;
    let page = Page::new(state, lang, "/", Some(signed_in)).await?;
    page.render(
        "home_person.html",
        minijinja::context! {
            nav_active => "home",
            is_staff => true,
            drafts,
            published,
            near,
            near_days => NEAR_DAYS,
            changes,
            gaps_count => gaps.len(),
            gaps => gaps.into_iter().take(SHOWN * 2).collect::<Vec<_>>(),
            messages,
        },
    )
}
