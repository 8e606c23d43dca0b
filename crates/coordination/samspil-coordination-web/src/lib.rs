//! The coordination context's web: the pages and JSON API of projects,
//! tasks and their statuses, answers and attachments, roles and the role
//! gallery, contact lists, messages and notifications, with their templates
//! (`templates/`) and texts (`locales/`).
//!
//! The shell (`samspil-web`) mounts it at the site's root: [`context`]
//! declares its page routes (the inventory the isolation suite reads), and
//! builds its routers with the shell's state and the coordination store.
//! Its handlers get [`CoordinationState`]: `state.storage` is coordination's
//! store, `state.shell` the shell's (the platform's store, templates). May
//! depend on the shell, the platform's crates and coordination's own, never
//! on another context's.

mod api_exports;
mod api_meetings;
mod api_messages;
mod api_pipelines;
mod api_roles;
mod api_task_edit;
mod api_tasks;
mod pages_calendar;
mod pages_home;
mod pages_meeting_evaluation;
mod pages_meeting_files;
mod pages_meetings;
mod pages_messages;
mod pages_pipelines;
mod pages_projects;
mod pages_roles;
mod pages_task_edit;
mod pages_task_pdf;
mod pages_tasks;
mod pages_user_admin;
mod pages_workshops;
mod refusal_texts;

use std::ops::Deref;
use std::sync::Arc;

use axum::extract::FromRef;
use fluent_templates::static_loader;
use rust_embed::RustEmbed;
use samspil_coordination_storage::{CoordinationStorage, IncidentDigest, Populations};
use samspil_web::routes::{self, PageRoute};
use samspil_web::{AppState, Context, ContextRoutes, Mount};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What coordination's handlers get: coordination's store, and the
/// shell's state (through `Deref`, so that `Page::new(&state, …)` and the
/// shell's access checks take it as they are).
#[derive(Clone)]
pub struct CoordinationState {
    /// The shell's state, with the platform's store.
    pub shell: AppState,
    /// Coordination's store, and no other context's.
    pub storage: Arc<dyn CoordinationStorage>,
    /// The tools' incidents of a period, for a meeting's
    /// Servicemeddelelser item, read through the binary's adapter.
    pub incidents: Arc<dyn IncidentDigest>,
    /// The municipalities' populations (the tools' FOLK1A figures), for a
    /// workshop's applicants, read through the binary's adapter.
    pub populations: Arc<dyn Populations>,
}

impl Deref for CoordinationState {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.shell
    }
}

impl FromRef<CoordinationState> for AppState {
    fn from_ref(state: &CoordinationState) -> AppState {
        state.shell.clone()
    }
}

static_loader! {
    static TEXTS = {
        locales: "./locales",
        fallback_language: "da",
        // As the shell's texts: no isolation marks around arguments.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

#[derive(RustEmbed)]
#[folder = "templates/"]
struct TemplateFiles;

/// The source of one of coordination's templates.
pub fn template_source(name: &str) -> Option<String> {
    TemplateFiles::get(name).map(|file| String::from_utf8_lossy(&file.data).into_owned())
}

/// Every template name of coordination's.
pub fn template_names() -> Vec<String> {
    TemplateFiles::iter()
        .map(|name| name.into_owned())
        .collect()
}

// The shell reads an upload's body up to its limit before the CSRF check;
// an attachment and its form must fit.
const _: () = assert!(
    samspil_coordination::attachment::MAX_ATTACHMENT_BYTES + 64 * 1024
        <= samspil_web::auth::MAX_UPLOAD_BYTES
);

/// Coordination's page routes, each feature's list.
fn page_routes() -> Vec<PageRoute<CoordinationState>> {
    [
        pages_tasks::routes(),
        pages_roles::routes(),
        pages_user_admin::routes(),
        pages_messages::routes(),
        pages_task_pdf::routes(),
        pages_task_edit::routes(),
        pages_calendar::routes(),
        pages_pipelines::routes(),
        pages_meetings::routes(),
        pages_meeting_evaluation::routes(),
        pages_workshops::routes(),
        pages_meeting_files::routes(),
        pages_projects::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Coordination's API routes, documented by the same `routes!` calls that
/// build them.
fn api_routes() -> OpenApiRouter<CoordinationState> {
    OpenApiRouter::new()
        .routes(routes!(api_tasks::list_projects, api_tasks::create_project))
        .routes(routes!(api_tasks::list_tasks, api_tasks::create_task))
        .routes(routes!(api_tasks::get_task, api_tasks::change_task))
        .routes(routes!(api_task_edit::edit_task))
        .routes(routes!(api_task_edit::edit_question))
        .routes(routes!(api_tasks::publish_task))
        .routes(routes!(api_tasks::task_status))
        .routes(routes!(api_tasks::set_status))
        .routes(routes!(api_tasks::list_questions, api_tasks::add_question))
        .routes(routes!(api_tasks::create_local_task))
        .routes(routes!(api_exports::status_file))
        .routes(routes!(api_exports::task_file))
        .routes(routes!(api_exports::progress_file))
        .routes(routes!(api_tasks::list_attachments))
        .routes(routes!(api_tasks::download_attachment))
        .routes(routes!(api_tasks::get_answers, api_tasks::put_answers))
        .routes(routes!(api_tasks::get_answer_summary))
        .routes(routes!(api_tasks::close_task))
        .routes(routes!(api_tasks::get_comments, api_tasks::post_comment))
        .routes(routes!(api_roles::assign_task))
        .routes(routes!(api_roles::list_roles, api_roles::create_role))
        .routes(routes!(api_roles::update_role))
        .routes(routes!(api_roles::role_holders))
        .routes(routes!(
            api_roles::list_assignments,
            api_roles::create_assignment
        ))
        .routes(routes!(api_roles::end_assignment))
        .routes(routes!(api_roles::mark_primary))
        .routes(routes!(api_roles::list_solutions))
        .routes(routes!(api_roles::set_solution_use))
        .routes(routes!(api_roles::list_solution_access))
        .routes(routes!(
            api_roles::grant_solution_access,
            api_roles::revoke_solution_access
        ))
        .routes(routes!(api_roles::list_gaps))
        .routes(routes!(api_roles::municipality_gaps))
        .routes(routes!(
            api_roles::list_contact_lists,
            api_roles::create_contact_list
        ))
        .routes(routes!(
            api_roles::list_contact_entries,
            api_roles::add_contact_entry
        ))
        .routes(routes!(
            api_roles::update_contact_entry,
            api_roles::delete_contact_entry
        ))
        .routes(routes!(
            api_messages::list_messages,
            api_messages::send_message
        ))
        .routes(routes!(api_messages::count_recipients))
        .routes(routes!(api_messages::inbox))
        .routes(routes!(
            api_messages::get_preferences,
            api_messages::put_preferences
        ))
        .routes(routes!(api_messages::delivery_log))
        .routes(routes!(
            api_pipelines::list_pipelines,
            api_pipelines::create_pipeline
        ))
        .routes(routes!(api_meetings::list_meetings))
        .routes(routes!(api_meetings::get_meeting))
        .routes(routes!(
            api_meetings::register,
            api_meetings::cancel_registration
        ))
        .routes(routes!(api_meetings::attendance))
        .routes(routes!(api_meetings::get_survey, api_meetings::put_survey))
        .routes(routes!(api_meetings::answer_survey))
        .routes(routes!(api_meetings::survey_results))
        .routes(routes!(api_meetings::send_input, api_meetings::inputs))
        .routes(routes!(api_meetings::cancel_meeting))
        .routes(routes!(api_meetings::apply, api_meetings::applications))
        .routes(routes!(api_meetings::select))
        .routes(routes!(api_pipelines::pipeline_states))
        .routes(routes!(api_pipelines::municipality_pipelines))
        .routes(routes!(api_pipelines::claim_types_file))
        .routes(routes!(
            api_pipelines::get_timeline,
            api_pipelines::put_timeline
        ))
}

/// Coordination's page routes (method and path; it is mounted at the
/// root), for the isolation suite: the lists its router is built from.
pub fn inventory() -> Vec<(axum::http::Method, &'static str)> {
    routes::inventory_of(&page_routes())
}

/// Coordination as the shell mounts it, with its store.
pub fn context(
    storage: Arc<dyn CoordinationStorage>,
    incidents: Arc<dyn IncidentDigest>,
    populations: Arc<dyn Populations>,
) -> Context {
    let personal = Arc::new(pages_home::CoordinationPersonal {
        storage: storage.clone(),
    });
    Context {
        mount: Mount::Root,
        routes: Box::new(move |shell| {
            let state = CoordinationState {
                shell,
                storage,
                incidents,
                populations,
            };
            let (api, document) = api_routes().split_for_parts();
            ContextRoutes {
                pages: routes::router(page_routes()).with_state(state.clone()),
                api: Some((api.with_state(state), document)),
                machine_api: None,
            }
        }),
        templates: Some(template_source),
        texts: Some(&TEXTS),
        health: None,
        personal: Some(personal),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use samspil_web::context_checks::{missing_texts, uncompilable_templates, unmatched_texts};

    use super::*;

    fn here() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn every_text_the_coordination_templates_use_exists_in_danish_and_english() {
        let missing = missing_texts(here(), &template_names(), template_source);
        assert!(missing.is_empty(), "texts missing: {missing:#?}");
    }

    #[test]
    fn the_coordination_texts_come_in_danish_and_english_alike() {
        let (some, unmatched) = unmatched_texts(here());
        assert!(some, "the context has texts of its own");
        assert!(unmatched.is_empty(), "in one language only: {unmatched:#?}");
    }

    #[test]
    fn every_coordination_template_compiles_beside_the_shells() {
        let names = template_names();
        assert!(names.iter().any(|n| n == "task.html"), "{names:?}");
        let broken = uncompilable_templates(&names, template_source);
        assert!(broken.is_empty(), "{broken:#?}");
    }
}
