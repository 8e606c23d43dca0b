//! The page routes as a declared inventory: each feature module lists its
//! routes (`routes()`), in the shell and in each context's web crate; the
//! routers are built from those lists and nothing else, and the same lists
//! are the inventory the isolation suite reads ([`page_inventory`] for the
//! shell's, each [`Context`](crate::Context)'s `inventory` for its own). A
//! route cannot be served without being declared, so moving or adding one
//! never silently escapes the isolation probes.
//!
//! The JSON API has its inventory already: the OpenAPI document, built by
//! the same `routes!` calls that build its router (`api::routes`).

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodRouter, get, post};

use crate::AppState;

/// One method on one path, with the handler that answers it; `S` is the
/// state of the router it belongs to (the shell's, or a context's).
pub struct PageRoute<S = AppState> {
    pub method: Method,
    /// The path as the router matches it (`/opgaver/{id}`).
    pub path: &'static str,
    handler: MethodRouter<S>,
}

impl<S: Clone + Send + Sync + 'static> PageRoute<S> {
    pub fn get<H, T>(path: &'static str, handler: H) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        Self {
            method: Method::GET,
            path,
            handler: get(handler),
        }
    }

    pub fn post<H, T>(path: &'static str, handler: H) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        Self {
            method: Method::POST,
            path,
            handler: post(handler),
        }
    }

    /// The same route with a layer of its own (a larger body limit).
    pub fn with_handler(self, handler: MethodRouter<S>) -> Self {
        Self { handler, ..self }
    }
}

/// Where a group of routes sits in the shell.
pub enum Placement {
    /// Behind session resolution and the CSRF check: every page people use.
    Session,
    /// Outside them: health, metrics, assets, the OpenAPI document, and the
    /// SAML ACS (the identity provider posts it from its own site; the signed
    /// answer bound to this browser's request stands in for the CSRF token).
    Public,
}

/// Every page route, grouped by where the shell places it.
pub(crate) fn declared() -> Vec<(Placement, Vec<PageRoute>)> {
    vec![
        (
            Placement::Session,
            [
                crate::auth::routes(),
                crate::second_factor::routes(),
                crate::pages_api_tokens::routes(),
                crate::login_oidc::routes(),
                crate::login_saml::routes(),
                crate::pages::routes(),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        (
            Placement::Public,
            [
                crate::ops::routes(),
                crate::login_saml::public_routes(),
                vec![PageRoute::get(
                    "/api/v1/openapi.json",
                    crate::openapi_document,
                )],
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
    ]
}

/// A router of these routes; several methods on one path share its entry.
pub fn router<S: Clone + Send + Sync + 'static>(routes: Vec<PageRoute<S>>) -> Router<S> {
    routes.into_iter().fold(Router::new(), |router, route| {
        router.route(route.path, route.handler)
    })
}

/// The shell's page routes: method and path, as declared.
pub fn page_inventory() -> Vec<(Method, &'static str)> {
    declared()
        .into_iter()
        .flat_map(|(_, routes)| routes)
        .map(|route| (route.method, route.path))
        .collect()
}

/// The method and path of each of these routes, as an inventory.
pub fn inventory_of<S>(routes: &[PageRoute<S>]) -> Vec<(Method, &'static str)> {
    routes
        .iter()
        .map(|route| (route.method.clone(), route.path))
        .collect()
}
