//! The tools context's web: the pages and JSON API of the community's
//! registers (issue 18): the NSIS risk assessment (`pages_nsis.rs`,
//! `api_nsis.rs`, the shared views and the readiness report in `nsis.rs`)
//! and the prices per citizen and bills (`pages_prices.rs`,
//! `api_prices.rs`, `prices.rs`),
//! with their templates (`templates/`) and texts (`locales/`).
//!
//! The shell (`samspil-web`) mounts its pages at [`MOUNT`] and its API
//! beside the others under `/api/v1`. Its handlers get [`ToolsState`]:
//! `state.storage` is the tools' store, `state.solutions` what they read of
//! coordination (the IT solutions and who uses each), handed over by the
//! binary; `state.shell` the shell's. May depend on the shell, the
//! platform's crates and the tools context's own, never on another
//! context's.

mod agreement_documents;
mod agreements;
mod api_agreements;
mod api_incidents;
mod api_nsis;
mod api_prices;
mod incidents;
mod nsis;
mod nsis_files;
mod nsis_login;
mod pages_agreements;
mod pages_incident_files;
mod pages_incident_messages;
mod pages_incident_report;
mod pages_incidents;
mod pages_nsis;
mod pages_prices;
mod pages_task_force;
mod prices;

use std::ops::Deref;
use std::sync::Arc;

use axum::extract::FromRef;
use axum::http::Method;
use fluent_templates::static_loader;
use rust_embed::RustEmbed;
use samspil_tools_storage::{OperationalMessages, RoleHolders, SolutionCatalogue, ToolsStorage};
use samspil_web::error::AppError;
use samspil_web::routes::{self, PageRoute};
use samspil_web::{AppState, Context, ContextRoutes, Mount};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Where the shell mounts the tools context's pages.
pub const MOUNT: &str = "/vaerktoejer";

/// What the tools' handlers get.
#[derive(Clone)]
pub struct ToolsState {
    /// The shell's state, with the platform's store.
    pub shell: AppState,
    /// The tools' store.
    pub storage: Arc<dyn ToolsStorage>,
    /// The IT solutions and their users, read through coordination's store
    /// by the binary's adapter.
    pub solutions: Arc<dyn SolutionCatalogue>,
    /// Who holds a role in a municipality (the signatory, the
    /// KOMBIT-programleder), by the same adapter.
    pub roles: Arc<dyn RoleHolders>,
    /// The sending of an incident's operational messages through
    /// coordination's messages.
    pub messages: Arc<dyn OperationalMessages>,
}

/// What the tools use of coordination, each implemented by the binary over
/// that context's store.
pub struct FromCoordination {
    pub solutions: Arc<dyn SolutionCatalogue>,
    pub roles: Arc<dyn RoleHolders>,
    pub messages: Arc<dyn OperationalMessages>,
}

impl Deref for ToolsState {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.shell
    }
}

impl FromRef<ToolsState> for AppState {
    fn from_ref(state: &ToolsState) -> AppState {
        state.shell.clone()
    }
}

static_loader! {
    static TEXTS = {
        locales: "./locales",
        fallback_language: "da",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

#[derive(RustEmbed)]
#[folder = "templates/"]
struct TemplateFiles;

/// The source of one of the tools' templates.
pub fn template_source(name: &str) -> Option<String> {
    TemplateFiles::get(name).map(|file| String::from_utf8_lossy(&file.data).into_owned())
}

/// Every template name of the tools'.
pub fn template_names() -> Vec<String> {
    TemplateFiles::iter()
        .map(|name| name.into_owned())
        .collect()
}

/// The tools' page routes, each feature's list (paths under [`MOUNT`]).
fn page_routes() -> Vec<PageRoute<ToolsState>> {
    [
        pages_nsis::routes(),
        nsis_files::routes(),
        pages_prices::routes(),
        pages_agreements::routes(),
        agreement_documents::routes(),
        pages_incidents::routes(),
        pages_incident_messages::routes(),
        pages_incident_report::routes(),
        pages_incident_files::routes(),
        pages_task_force::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The tools' API routes, documented by the same `routes!` calls that
/// build them.
fn api_routes() -> OpenApiRouter<ToolsState> {
    OpenApiRouter::new()
        .routes(routes!(api_nsis::list_elements, api_nsis::add_element))
        .routes(routes!(api_nsis::change_element))
        .routes(routes!(api_nsis::matrix_versions, api_nsis::publish_matrix))
        .routes(routes!(
            api_nsis::list_assessments,
            api_nsis::create_assessment
        ))
        .routes(routes!(api_nsis::get_assessment))
        .routes(routes!(nsis_files::assessment_file_api))
        .routes(routes!(api_nsis::add_version))
        .routes(routes!(api_nsis::approve_version))
        .routes(routes!(api_nsis::readiness))
        .routes(routes!(api_nsis::set_idp_level))
        .routes(routes!(api_prices::list_prices, api_prices::add_price))
        .routes(routes!(api_prices::bills))
        .routes(routes!(
            api_agreements::list_agreements,
            api_agreements::create_agreement
        ))
        .routes(routes!(api_agreements::list_answers))
        .routes(routes!(api_agreements::answer_history))
        .routes(routes!(api_agreements::list_documents))
        .routes(routes!(api_agreements::remind_unanswered))
        .routes(routes!(api_agreements::answer_agreement))
        .routes(routes!(
            api_agreements::list_annexes,
            api_agreements::publish_annex
        ))
        .routes(routes!(api_agreements::acknowledge_annex))
        .routes(routes!(api_agreements::remind_annex))
        .merge(api_incidents::routes())
}

/// The context's page routes (method and path under [`MOUNT`]), for the
/// isolation suite: the list its router is built from.
pub fn inventory() -> Vec<(Method, &'static str)> {
    routes::inventory_of(&page_routes())
}

/// The tools context as the shell mounts it, with its store and what it
/// reads of coordination (the solution catalogue, the role holders).
pub fn context(
    storage: Arc<dyn ToolsStorage>,
    FromCoordination {
        solutions,
        roles,
        messages,
    }: FromCoordination,
) -> Context {
    Context {
        mount: Mount::Nested(MOUNT),
        routes: Box::new(move |shell| {
            let state = ToolsState {
                shell,
                storage,
                solutions,
                roles,
                messages,
            };
            let (api, document) = api_routes().split_for_parts();
            ContextRoutes {
                // A path under the mount that none matches is the context's
                // own 404 page, rendered by the shell's `render_errors`.
                pages: routes::router(page_routes())
                    .fallback(|| async { AppError::NotFound })
                    .with_state(state.clone()),
                api: Some((api.with_state(state), document)),
                machine_api: None,
            }
        }),
        templates: Some(template_source),
        texts: Some(&TEXTS),
        health: None,
        personal: None,
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
    fn every_text_the_tools_templates_use_exists_in_danish_and_english() {
        let missing = missing_texts(here(), &template_names(), template_source);
        assert!(missing.is_empty(), "texts missing: {missing:#?}");
    }

    #[test]
    fn the_tools_texts_come_in_danish_and_english_alike() {
        let (some, unmatched) = unmatched_texts(here());
        assert!(some, "the context has texts of its own");
        assert!(unmatched.is_empty(), "in one language only: {unmatched:#?}");
    }

    #[test]
    fn every_tools_template_compiles_beside_the_shells() {
        let names = template_names();
        assert!(names.iter().any(|n| n == "nsis.html"), "{names:?}");
        let broken = uncompilable_templates(&names, template_source);
        assert!(broken.is_empty(), "{broken:#?}");
    }
}
