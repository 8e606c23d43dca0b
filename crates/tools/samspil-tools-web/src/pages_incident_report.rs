//! A person of a municipality reports an incident to a service desk
//! themselves (`/vaerktoejer/haendelser/meld/{desk}`), with the same
//! intake as the desk's own staff use; the desk owns it from then on. They
//! find it again in their own list ("Mine henvendelser") on the incidents
//! page, whether or not their municipality is a party of the chain, and
//! follow it on the reporter's page (its state and the replies meant for
//! them). A refused report is shown again in place, everything typed kept.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use samspil_domain::{OrgId, OrgKind, Principal};
use samspil_tools_storage::PartyRecord;
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::form::{PageForm, Refusal};
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use samspil_web::routes::PageRoute;
use serde::Serialize;

use crate::incidents::{Parties, is_desk, party_view};
use crate::pages_incidents::{OpenForm, Row, intake_draft, rows};
use crate::{MOUNT, ToolsState};

const FORM: &str = "report";

fn path(rest: &str) -> String {
    format!("{MOUNT}/haendelser{rest}")
}

#[derive(Serialize)]
pub(crate) struct DeskRow {
    id: i64,
    name: String,
    solutions: Vec<String>,
}

/// What the incidents page shows a person about reporting themselves:
/// the desks and their solutions (with a link to report to each, for a
/// person of a municipality) and the incidents they reported.
#[derive(Serialize)]
pub(crate) struct Reporting {
    municipal: bool,
    desks: Vec<DeskRow>,
    mine: Vec<Row>,
}

pub(crate) async fn reporting(
    state: &ToolsState,
    parties: &Parties,
    signed_in: &SignedIn,
) -> Result<Reporting, AppError> {
    let mut desks: Vec<DeskRow> = parties
        .0
        .values()
        .filter(|p| is_desk(&p.party))
        .map(|p| DeskRow {
            id: p.party.id.0,
            name: p.party.name.clone(),
            solutions: p.party.solutions().map(|c| c.0.clone()).collect(),
        })
        .collect();
    desks.sort_by(|a, b| a.name.cmp(&b.name));
    let mine = match signed_in.principal.user_id() {
        Some(user) => rows(parties, state.storage.reported_by(user).await?),
        None => Vec::new(),
    };
    Ok(Reporting {
        municipal: municipal(state, &signed_in.principal).await?,
        desks,
        mine,
    })
}

/// Whether the person works for a municipality (only they report to a
/// desk themselves; a vendor or desk has its own desk system).
async fn municipal(state: &ToolsState, principal: &Principal) -> Result<bool, AppError> {
    let Some(org) = principal.org_id() else {
        return Ok(false);
    };
    Ok(state
        .shell
        .storage
        .organisation(org)
        .await?
        .is_some_and(|o| o.kind == OrgKind::Municipality))
}

/// The desk a report goes to, else 404; and a 403 for a person who is not
/// of a municipality.
async fn desk_for<'p>(
    state: &ToolsState,
    parties: &'p Parties,
    principal: &Principal,
    desk: i64,
) -> Result<&'p PartyRecord, AppError> {
    let found = parties
        .0
        .get(&OrgId(desk))
        .filter(|p| is_desk(&p.party))
        .ok_or(AppError::NotFound)?;
    if !municipal(state, principal).await? {
        return Err(AppError::Forbidden(
            "only a person of a municipality reports to a desk".into(),
        ));
    }
    Ok(found)
}

/// `/vaerktoejer/haendelser/meld/{desk}`: the intake, for the desk's
/// solutions and on its priority scale.
pub async fn form(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(desk): Path<i64>,
) -> Result<Response, AppError> {
    Ok(render_form(&state, lang, &signed_in, desk, None)
        .await?
        .into_response())
}

async fn render_form(
    state: &ToolsState,
    lang: Lang,
    signed_in: &SignedIn,
    desk: i64,
    refused: Option<&Refusal>,
) -> Result<Html<String>, AppError> {
    let parties = Parties::load(state).await?;
    let desk = desk_for(state, &parties, &signed_in.principal, desk).await?;
    let solutions: Vec<String> = desk.party.solutions().map(|c| c.0.clone()).collect();
    let view = party_view(desk);
    let user = &signed_in.user;
    let contact = user.email.clone().or_else(|| user.phone.clone());
    let page = Page::new(
        state,
        lang,
        &path(&format!("/meld/{}", desk.party.id.0)),
        Some(signed_in),
    )
    .await?;
    page.render(
        "incident_report_form.html",
        minijinja::context! {
            nav_active => "incidents", form => FORM, solutions, scale => view.scale.clone(),
            desk => view,
            defaults => minijinja::context! {
                reporter_name => user.display_name, reporter_contact => contact.unwrap_or_default(),
            },
            refused => refused.map(Refusal::view),
        },
    )
}

/// `POST /vaerktoejer/haendelser/meld/{desk}`: the report, then the
/// reporter's page of the new incident.
pub async fn report(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(desk): Path<i64>,
    form: PageForm<OpenForm>,
) -> Result<Response, AppError> {
    let parties = Parties::load(&state).await?;
    let desk_id = desk_for(&state, &parties, &signed_in.principal, desk)
        .await?
        .party
        .id;
    let org = signed_in
        .principal
        .org_id()
        .ok_or_else(|| AppError::Forbidden("no organisation".into()))?;
    let access = signed_in
        .principal
        .work_access(org)
        .map_err(|denied| AppError::Forbidden(denied.to_string()))?;
    let PageForm { input, typed } = form;
    let written = match input {
        Err(unreadable) => Err(Refusal::unreadable(lang, FORM, unreadable, typed)),
        Ok(input) => {
            let written = async {
                let draft = intake_draft(input)?;
                Ok::<_, AppError>(
                    state
                        .storage
                        .report_incident(&access, desk_id, &draft, samspil_storage::now())
                        .await?,
                )
            }
            .await;
            match written {
                Ok(id) => Ok(id),
                Err(error) => Err(Refusal::of(
                    error,
                    lang,
                    crate::pages_incidents::PREFIX,
                    FORM,
                    typed,
                )?),
            }
        }
    };
    match written {
        Ok(id) => Ok(Redirect::to(&path(&format!("/{}/anmelder", id.0))).into_response()),
        Err(refusal) => Ok(Refusal::respond(
            render_form(&state, lang, &signed_in, desk, Some(&refusal)).await?,
        )),
    }
}

/// The report's pages (paths under the context's mount).
pub(crate) fn routes() -> Vec<PageRoute<ToolsState>> {
    vec![
        PageRoute::get("/haendelser/meld/{desk}", form),
        PageRoute::post("/haendelser/meld/{desk}", report),
    ]
}
