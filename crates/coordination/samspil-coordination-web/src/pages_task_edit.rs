//! Staff correct what they wrote (`/opgaver/{id}/rediger`): on a draft
//! everything, on a published task its texts and roles with a reason (kept
//! in the task's history; those concerned are told through the event the
//! store raises), and its questions' texts (their kind and options only
//! while nobody has answered them). The rules are
//! `samspil_coordination::task::{check_task_edit, check_question_edit}`.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use samspil_coordination::question::{QuestionId, QuestionKind, QuestionSpec};
use samspil_coordination::task::{Guidance, TaskId, TaskState, involved_role_names};
use samspil_coordination_storage::TaskEdit;
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::form::{PageForm, Refusal};
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use samspil_web::routes::PageRoute;
use serde::{Deserialize, Serialize};

use crate::CoordinationState;

/// The edit form as posted. The involved roles come one value per ticked
/// box (`involved_role`), read from what was typed.
#[derive(Debug, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    business_area: Option<String>,
    #[serde(default)]
    executor_role: Option<String>,
    #[serde(default)]
    responsibility: Option<String>,
    #[serde(default)]
    competences: Option<String>,
    #[serde(default)]
    characteristics: Option<String>,
    #[serde(default)]
    reason: String,
}

#[derive(Debug, Deserialize)]
pub struct QuestionEditForm {
    #[serde(default)]
    prompt: String,
    #[serde(default)]
    kind: String,
    /// One option per line.
    #[serde(default)]
    options: String,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    reason: String,
}

#[derive(Serialize)]
struct QuestionView {
    id: i64,
    prompt: String,
    kind: &'static str,
    options: String,
    required: bool,
    answered: bool,
}

#[derive(Serialize)]
struct EditView {
    id: i64,
    chosen_municipalities: u32,
    state: &'static str,
    code: Option<String>,
    title: String,
    description: String,
    business_area: Option<String>,
    executor_role: Option<String>,
    guidance: Guidance,
}

/// `GET /opgaver/{id}/rediger`.
pub async fn task_edit_form(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    signed_in.principal.community_access()?;
    render(&state, lang, &signed_in, TaskId(id), None).await
}

/// `POST /opgaver/{id}/rediger`.
pub async fn task_edit(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    PageForm { input, typed }: PageForm<EditForm>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let task = TaskId(id);
    let form = match input {
        Ok(form) => form,
        Err(unreadable) => {
            let refusal = Refusal::unreadable(lang, "edit", unreadable, typed);
            return refused(&state, lang, &signed_in, task, refusal).await;
        }
    };
    let edit = TaskEdit {
        code: form.code,
        title: form.title,
        description: form.description,
        business_area: form.business_area,
        executor_role: form.executor_role,
        involved_roles: typed.all("involved_role").to_vec(),
        guidance: Guidance {
            responsibility: form.responsibility,
            competences: form.competences,
            characteristics: form.characteristics,
        },
        municipalities: crate::pages_tasks::task_audience_typed(&mut typed.clone()),
        reason: form.reason,
    };
    match state.storage.edit_task(&access, task, &edit).await {
        Ok(_) => Ok(Redirect::to(&format!("/opgaver/{id}?gemt=edit")).into_response()),
        Err(error) => {
            let refusal = Refusal::of(error.into(), lang, "task-error", "edit", typed)?;
            refused(&state, lang, &signed_in, task, refusal).await
        }
    }
}

/// `POST /opgaver/{id}/spoergsmaal/{question}`: one question edited.
pub async fn question_edit(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, question)): Path<(i64, i64)>,
    PageForm { input, typed }: PageForm<QuestionEditForm>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let task = TaskId(id);
    let form_id = format!("question-{question}");
    let form = match input {
        Ok(form) => form,
        Err(unreadable) => {
            let refusal = Refusal::unreadable(lang, &form_id, unreadable, typed);
            return refused(&state, lang, &signed_in, task, refusal).await;
        }
    };
    let invalid = match QuestionKind::parse(&form.kind) {
        Err(invalid) => invalid,
        Ok(kind) => {
            let spec = QuestionSpec {
                prompt: form.prompt,
                kind,
                options: form
                    .options
                    .lines()
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(str::to_owned)
                    .collect(),
                required: form.required,
            };
            match state
                .storage
                .edit_question(&access, task, QuestionId(question), &spec, &form.reason)
                .await
            {
                Ok(_) => {
                    return Ok(Redirect::to(&format!("/opgaver/{id}?gemt=edit")).into_response());
                }
                Err(samspil_storage::StorageError::Invalid(invalid)) => invalid,
                Err(other) => return Err(other.into()),
            }
        }
    };
    let refusal = Refusal::rule(lang, "question-error", &form_id, &invalid, typed);
    refused(&state, lang, &signed_in, task, refusal).await
}

async fn refused(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    task: TaskId,
    refusal: Refusal,
) -> Result<Response, AppError> {
    let html = render(state, lang, signed_in, task, Some(&refusal)).await?;
    Ok(Refusal::respond(html))
}

async fn render(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    id: TaskId,
    refused: Option<&Refusal>,
) -> Result<Html<String>, AppError> {
    let access = signed_in.principal.community_access()?;
    let task = state.storage.task(id).await?.ok_or(AppError::NotFound)?;
    if task.state == TaskState::Closed {
        // A closed task is kept as it was; its page says so.
        return Err(AppError::NotFound);
    }
    let answers = state.storage.all_answers(&access, id).await?;
    let questions: Vec<QuestionView> = state
        .storage
        .questions(id)
        .await?
        .into_iter()
        .map(|q| QuestionView {
            id: q.id.0,
            answered: answers.iter().any(|a| a.question_id == q.id),
            prompt: q.spec.prompt,
            kind: q.spec.kind.as_str(),
            options: q.spec.options.join("\n"),
            required: q.spec.required,
        })
        .collect();
    let roles: Vec<String> = state
        .storage
        .roles()
        .await?
        .into_iter()
        .map(|r| r.name)
        .collect();
    // The boxes ticked: as posted when the form was refused, else the task's.
    let chosen_roles: Vec<String> = match refused {
        Some(refusal) if refusal.form() == "edit" => refusal.typed().all("involved_role").to_vec(),
        _ => involved_role_names(task.involved_roles.as_deref()),
    };
    // A draft's municipalities, chosen among the project's participants;
    // a published task's are fixed (the page says how many).
    let audience = match task.state {
        TaskState::Draft => {
            let participants = crate::pages_messages::in_danish_order(
                state
                    .storage
                    .project_participants(task.project_id)
                    .await?
                    .into_iter()
                    .map(|p| crate::pages_messages::Choice {
                        id: p.org_id.0,
                        name: p.name,
                    })
                    .collect(),
            );
            let kept = state.storage.task_municipalities(id).await?;
            Some(crate::pages_tasks::audience_form(
                refused,
                "edit",
                &kept,
                participants,
            ))
        }
        _ => None,
    };
    let view = EditView {
        id: task.id.0,
        chosen_municipalities: task.chosen_municipalities,
        state: task.state.as_str(),
        code: task.code,
        title: task.title,
        description: task.description,
        business_area: task.business_area,
        executor_role: task.executor_role,
        guidance: task.guidance,
    };
    let path = format!("/opgaver/{}/rediger", id.0);
    let page = Page::new(state, lang, &path, Some(signed_in)).await?;
    page.render(
        "task_edit.html",
        minijinja::context! {
            nav_active => "tasks",
            task => view,
            roles,
            chosen_roles,
            audience,
            questions,
            question_kinds => QuestionKind::ALL.map(|k| k.as_str()),
            refused => refused.map(Refusal::view),
        },
    )
}

pub(crate) fn routes() -> Vec<PageRoute<CoordinationState>> {
    vec![
        PageRoute::get("/opgaver/{id}/rediger", task_edit_form),
        PageRoute::post("/opgaver/{id}/rediger", task_edit),
        PageRoute::post("/opgaver/{id}/spoergsmaal/{question}", question_edit),
    ]
}
