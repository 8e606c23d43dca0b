//! The citizen context's routes: the staff and municipality pages of the
//! vendor systems that deliver into the citizen indexes (`/borger/…`), and
//! the systems' own JSON door under `/api/v1/borger/…`, where a system
//! authenticates with its own credential (not a person's API token).
//! The SOAP door (SF1470's `SagDokumentIndeksService`, `api_soap.rs`)
//! maps the codec's typed requests to the same ingest as the JSON door.
//!
//! Its state holds the citizen store and the shell's state (for the
//! platform's organisations: which municipality a code is, who
//! administers it); nothing of coordination's. The shell holds only a
//! [`HealthCheck`] of the store, for `/healthz`. May depend on the shell
//! (`samspil-web`) and the citizen context's own crates, never on another
//! context's.

mod api_appointments;
mod api_benefits;
mod api_cases;
mod api_debts;
mod api_documents;
mod api_soap;
mod api_soap_ydelse;
mod api_systems;
pub mod compliance;
mod pages_debts;
mod pages_deliveries;
mod pages_removal;
mod pages_systems;
pub mod soap_dokument;
pub mod soap_sag;
pub mod soap_ydelse;
mod system_auth;

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::sync::Arc;

use axum::Router;
use axum::extract::FromRef;
use axum::http::Method;
use fluent_templates::static_loader;
use rust_embed::RustEmbed;
use samspil_citizen_storage::CitizenStore;
use samspil_web::AppState;
use samspil_web::error::AppError;
use samspil_web::ops::HealthCheck;
use samspil_web::routes::{self, PageRoute};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use system_auth::DeliveringSystem;

/// Where the shell mounts the citizen context's pages.
pub const MOUNT: &str = "/borger";

/// What the citizen context's handlers get: the citizen store, and the
/// shell's state (through `Deref`, so that `Page::new(&state, …)` takes it).
#[derive(Clone)]
pub struct CitizenState {
    /// The shell's state, with the platform's store (organisations).
    pub shell: AppState,
    /// The citizen store.
    pub store: Arc<dyn CitizenStore>,
}

impl Deref for CitizenState {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.shell
    }
}

impl FromRef<CitizenState> for AppState {
    fn from_ref(state: &CitizenState) -> AppState {
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

/// The source of one of the citizen context's templates.
pub fn template_source(name: &str) -> Option<String> {
    TemplateFiles::get(name).map(|file| String::from_utf8_lossy(&file.data).into_owned())
}

/// Every template name of the citizen context's.
pub fn template_names() -> Vec<String> {
    TemplateFiles::iter()
        .map(|name| name.into_owned())
        .collect()
}

/// The context's page routes (paths under [`MOUNT`]), each feature's list.
fn page_routes() -> Vec<PageRoute<CitizenState>> {
    [
        pages_systems::routes(),
        pages_deliveries::routes(),
        compliance::routes(),
        pages_removal::routes(),
        pages_debts::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The vendor systems' door: authenticated by a system's credential.
fn machine_api_routes() -> OpenApiRouter<CitizenState> {
    OpenApiRouter::new()
        .routes(routes!(api_systems::this_system))
        .routes(routes!(api_cases::import_cases))
        .routes(routes!(api_cases::update_cases))
        .routes(routes!(api_cases::read_case))
        .routes(routes!(api_cases::search_cases))
        .routes(routes!(api_cases::remove_cases))
        .routes(routes!(api_cases::delivery_log))
        .routes(routes!(api_documents::import_documents))
        .routes(routes!(api_documents::update_documents))
        .routes(routes!(api_documents::read_document))
        .routes(routes!(api_documents::search_documents))
        .routes(routes!(api_documents::remove_documents))
        .routes(routes!(api_debts::import_claims))
        .routes(routes!(api_debts::update_claims))
        .routes(routes!(api_debts::read_claim))
        .routes(routes!(api_debts::search_claims))
        .routes(routes!(api_debts::remove_claims))
        .routes(routes!(api_appointments::import_appointments))
        .routes(routes!(api_appointments::update_appointments))
        .routes(routes!(api_appointments::read_appointment))
        .routes(routes!(api_appointments::search_appointments))
        .routes(routes!(api_appointments::remove_appointments))
        .routes(routes!(api_soap::sag_dokument_indeks))
        .routes(routes!(api_benefits::import_benefits))
        .routes(routes!(api_benefits::update_benefits))
        .routes(routes!(api_benefits::read_benefit))
        .routes(routes!(api_benefits::search_benefits))
        .routes(routes!(api_benefits::remove_benefits))
        .routes(routes!(api_soap_ydelse::ydelse_indeks))
        .routes(routes!(api_soap_ydelse::bevilling_indeks))
        .routes(routes!(api_soap_ydelse::effektuering_indeks))
}

/// The citizen context as the shell mounts it.
pub fn context(store: Arc<dyn CitizenStore>) -> samspil_web::Context {
    let health = Arc::new(CitizenHealth(store.clone()));
    samspil_web::Context {
        mount: samspil_web::Mount::Nested(MOUNT),
        routes: Box::new(move |shell| {
            let state = CitizenState { shell, store };
            let (machine_api, document) = machine_api_routes().split_for_parts();
            // An initial load sends thousands of cases in one batch.
            let machine_api = machine_api.layer(axum::extract::DefaultBodyLimit::max(
                api_cases::MAX_BATCH_BYTES,
            ));
            samspil_web::ContextRoutes {
                pages: router(state.clone()),
                api: None,
                machine_api: Some((machine_api.with_state(state), document)),
            }
        }),
        templates: Some(template_source),
        texts: Some(&TEXTS),
        health: Some(health),
        personal: None,
    }
}

/// The context's page router; a path under [`MOUNT`] that none matches is
/// its 404 (a page, rendered by the shell's `render_errors`).
pub fn router(state: CitizenState) -> Router {
    routes::router(page_routes())
        .fallback(|| async { AppError::NotFound })
        .with_state(state)
}

/// The context's page routes (method and path under [`MOUNT`]), for the
/// isolation suite: the lists its router is built from.
pub fn inventory() -> Vec<(Method, &'static str)> {
    routes::inventory_of(&page_routes())
}

/// The citizen store as `/healthz` sees it (`citizen_database`).
struct CitizenHealth(Arc<dyn CitizenStore>);

impl HealthCheck for CitizenHealth {
    fn field(&self) -> &'static str {
        "citizen_database"
    }

    fn backend(&self) -> &'static str {
        self.0.backend()
    }

    fn check(&self) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + '_>> {
        Box::pin(async move { self.0.ping().await.map_err(|error| error.to_string()) })
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
    fn every_text_the_citizen_templates_use_exists_in_danish_and_english() {
        let missing = missing_texts(here(), &template_names(), template_source);
        assert!(missing.is_empty(), "texts missing: {missing:#?}");
    }

    #[test]
    fn the_citizen_texts_come_in_danish_and_english_alike() {
        let (some, unmatched) = unmatched_texts(here());
        assert!(some, "the context has texts of its own");
        assert!(unmatched.is_empty(), "in one language only: {unmatched:#?}");
    }

    #[test]
    fn every_citizen_template_compiles_beside_the_shells() {
        let names = template_names();
        assert!(names.iter().any(|n| n == "systems.html"), "{names:?}");
        let broken = uncompilable_templates(&names, template_source);
        assert!(broken.is_empty(), "{broken:#?}");
    }
}
