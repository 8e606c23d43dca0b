//! The tools context's routes: the pages and API of the community's
//! registers (NSIS risk assessments, agreements, prices; issue 18).
//! Nothing is served yet: the router the shell mounts at [`MOUNT`] answers
//! every path under it with the context's own 404, and its inventory is
//! empty.
//!
//! The tools keep their tables in the main database and will reach them
//! through their own storage traits (`samspil-tools-storage`, when the
//! first tool has a table). May depend on the shell (`samspil-web`) and
//! the tools context's own crates, never on another context's.

use axum::Router;
use axum::http::Method;
use samspil_web::error::AppError;

/// Where the shell mounts the tools context.
pub const MOUNT: &str = "/vaerktoejer";

/// The tools context as the shell mounts it.
pub fn context() -> samspil_web::Context {
    samspil_web::Context {
        mount: samspil_web::Mount::Nested(MOUNT),
        routes: Box::new(|_shell| samspil_web::ContextRoutes {
            pages: router(),
            api: None,
            machine_api: None,
        }),
        templates: None,
        texts: None,
        health: None,
    }
}

/// The context's router: no routes yet; a path under [`MOUNT`] that none
/// matches is its 404 (a page, rendered by the shell's `render_errors`).
pub fn router() -> Router {
    Router::new().fallback(|| async { AppError::NotFound })
}

/// The context's routes (method and path under [`MOUNT`]), for the
/// isolation suite: none yet.
pub fn inventory() -> Vec<(Method, &'static str)> {
    Vec::new()
}
