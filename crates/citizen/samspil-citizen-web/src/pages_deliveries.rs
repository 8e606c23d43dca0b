//! A vendor system's delivery log as a page
//! (`/borger/systemer/{id}/leverancer`): each batch with its status
//! (accepted, refused with its reasons, accepted with report-mode
//! warnings) and every violation (where, which rule, the anvisning's
//! section). Staff see every batch; a municipality's administrator the
//! batches with a record for their municipality, and only those records'
//! violations. No CPR number is in a violation, so none is on the page.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use samspil_citizen_storage::DeliveryLogEntry;
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::format::format_instant;
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use samspil_web::routes::PageRoute;
use serde::{Deserialize, Serialize};

use crate::CitizenState;
use crate::pages_systems::{Viewer, viewer, visible_system};

#[derive(Serialize)]
struct ViolationView {
    uuid: String,
    pointer: String,
    rule: String,
    section: String,
    message: String,
}

#[derive(Serialize)]
struct DeliveryView {
    id: i64,
    received_at: String,
    operation: String,
    status: String,
    record_count: i64,
    violations: Vec<ViolationView>,
}

#[derive(Deserialize)]
struct StoredOutcome {
    records: Vec<StoredRecord>,
}

#[derive(Deserialize)]
struct StoredRecord {
    uuid: String,
    kommune: u16,
    violations: Vec<samspil_citizen::case::Violation>,
}

fn delivery_view(lang: Lang, entry: &DeliveryLogEntry, only: Option<u16>) -> DeliveryView {
    let outcome: Option<StoredOutcome> = serde_json::from_str(&entry.outcome_json).ok();
    let violations = outcome
        .map(|o| o.records)
        .unwrap_or_default()
        .into_iter()
        .filter(|r| only.is_none_or(|code| r.kommune == code))
        .flat_map(|r| {
            let uuid = r.uuid;
            r.violations.into_iter().map(move |v| ViolationView {
                uuid: uuid.clone(),
                pointer: v.pointer,
                rule: v.rule,
                section: v.section,
                message: v.message,
            })
        })
        .collect();
    DeliveryView {
        id: entry.id,
        received_at: format_instant(lang, entry.received_at),
        operation: entry.operation.clone(),
        status: entry.status.clone(),
        record_count: entry.record_count,
        violations,
    }
}

pub async fn deliveries_page(
    State(state): State<CitizenState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let viewer = viewer(&state, &signed_in).await?;
    let system = visible_system(&state, &viewer, id).await?;
    let only = match viewer {
        Viewer::Staff => None,
        Viewer::Municipality { code, .. } => Some(code),
    };
    let deliveries: Vec<DeliveryView> = state
        .store
        .deliveries(system.id, only, 200)
        .await?
        .iter()
        .map(|entry| delivery_view(lang, entry, only))
        .collect();
    let page = Page::new(&state, lang, "/borger/systemer", Some(&signed_in)).await?;
    let html: Html<String> = page.render(
        "deliveries.html",
        minijinja::context! {
            system_id => system.id.0,
            system_name => system.name,
            deliveries,
        },
    )?;
    Ok(html.into_response())
}

pub(crate) fn routes() -> Vec<PageRoute<CitizenState>> {
    vec![PageRoute::get("/systemer/{id}/leverancer", deliveries_page)]
}
