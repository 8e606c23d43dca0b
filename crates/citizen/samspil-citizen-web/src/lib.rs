//! The citizen context's routes: the citizen overview's pages and, later,
//! the vendor systems' doors (SF1470 JSON and SOAP). Nothing is served
//! yet: the router the shell mounts at [`MOUNT`] answers every path under
//! it with the context's own 404, and its inventory is empty.
//!
//! Its state holds the citizen store and nothing of coordination's; the
//! shell holds only a [`HealthCheck`] of it, for `/healthz`. May depend on
//! the shell (`samspil-web`) and the citizen context's own crates, never
//! on another context's.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::Router;
use axum::http::Method;
use samspil_citizen_storage::CitizenStore;
use samspil_web::error::AppError;
use samspil_web::ops::HealthCheck;

/// Where the shell mounts the citizen context.
pub const MOUNT: &str = "/borger";

/// What the citizen context's handlers get: the citizen store, nothing else.
#[derive(Clone)]
pub struct CitizenState {
    pub store: Arc<dyn CitizenStore>,
}

/// The citizen context as the shell mounts it.
pub fn context(store: Arc<dyn CitizenStore>) -> samspil_web::Context {
    let state = CitizenState {
        store: store.clone(),
    };
    samspil_web::Context {
        mount: samspil_web::Mount::Nested(MOUNT),
        routes: Box::new(move |_shell| samspil_web::ContextRoutes {
            pages: router(state),
            api: None,
        }),
        templates: None,
        texts: None,
        health: Some(Arc::new(CitizenHealth(store))),
    }
}

/// The context's router: no routes yet; a path under [`MOUNT`] that none
/// matches is its 404 (a page, rendered by the shell's `render_errors`).
pub fn router(state: CitizenState) -> Router {
    Router::new()
        .fallback(|| async { AppError::NotFound })
        .with_state(state)
}

/// The context's routes (method and path under [`MOUNT`]), for the
/// isolation suite: none yet.
pub fn inventory() -> Vec<(Method, &'static str)> {
    Vec::new()
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
