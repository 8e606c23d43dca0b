//! The incident pages (`/vaerktoejer/haendelser`): a party's list of the
//! incidents it takes part in, with the intake form at a service desk; an
//! incident with its chain as the viewer may see it (their own links
//! only), the forms to forward, move a link, set one's own reference,
//! reply to the reporter, resolve, close and escalate; the reporter's view;
//! and the community's report of response and resolution per party.
//! Every refused form is shown again in place (`Refusal`), with the rule's
//! sentence at its field.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use samspil_domain::{OrgId, OrgKind};
use samspil_tools::incident::{self, IntakeDraft, Priority, SolutionCode};
use samspil_tools_storage::{IncidentChange, IncidentSummary};
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::form::{PageForm, Refusal, Typed};
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use samspil_web::routes::PageRoute;
use serde::{Deserialize, Serialize};

use crate::incidents::{
    Parties, acting, action, forwarder, incident_view, is_desk, party_view, receivers, shown,
    viewer, viewer_or_refuse, visible,
};
use crate::pages_incident_files::files_view;
use crate::pages_incident_messages::sent_view;
use crate::pages_incident_report::reporting;
use crate::{MOUNT, ToolsState};

pub(crate) const PREFIX: &str = "incidents-error";

pub(crate) fn path(rest: &str) -> String {
    format!("{MOUNT}/haendelser{rest}")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenForm {
    #[serde(default)]
    reporter_name: String,
    #[serde(default)]
    reporter_contact: String,
    #[serde(default)]
    municipality: String,
    #[serde(default)]
    solution: String,
    #[serde(default)]
    occurred_at: String,
    #[serde(default)]
    what_happened: String,
    #[serde(default)]
    examples: String,
    #[serde(default)]
    error_messages: String,
    user_priority: u8,
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `dd.mm.åååå tt:mm` or the browser's `ÅÅÅÅ-MM-DDTtt:mm`, in Danish time.
fn occurred(text: &str) -> Result<time::OffsetDateTime, AppError> {
    let text = text.trim();
    let invalid = || {
        AppError::Rule(samspil_domain::ValidationError::new(
            "occurred_at",
            "not a time written dd.mm.åååå tt:mm",
        ))
    };
    let (date, clock) = text
        .split_once('T')
        .or_else(|| text.split_once(' '))
        .ok_or_else(invalid)?;
    let date = samspil_domain::input::parse_date("occurred_at", date).map_err(|_| invalid())?;
    let (h, m) = clock.trim().split_once(':').ok_or_else(invalid)?;
    let time = time::Time::from_hms(
        h.parse().map_err(|_| invalid())?,
        m.parse().map_err(|_| invalid())?,
        0,
    )
    .map_err(|_| invalid())?;
    let noon = time::PrimitiveDateTime::new(date, time::macros::time!(12:00)).assume_utc();
    Ok(time::PrimitiveDateTime::new(date, time).assume_offset(incident::danish_offset(noon)))
}

/// The intake as typed into the form (at a desk, or by a municipal user
/// reporting to one), before the rules.
pub(crate) fn intake_draft(input: OpenForm) -> Result<IntakeDraft, AppError> {
    let municipality = match input.municipality.trim() {
        "" => None,
        text => Some(OrgId(text.parse().map_err(|_| {
            AppError::Rule(samspil_domain::ValidationError::new(
                "municipality",
                "choose a municipality",
            ))
        })?)),
    };
    Ok(IntakeDraft {
        reporter_name: input.reporter_name,
        reporter_contact: input.reporter_contact,
        municipality,
        solution: SolutionCode::new(&input.solution),
        occurred_at: occurred(&input.occurred_at)?,
        what_happened: input.what_happened,
        examples: lines(&input.examples),
        error_messages: lines(&input.error_messages),
        user_priority: Priority(input.user_priority),
    })
}

#[derive(Serialize)]
pub(crate) struct Row {
    id: i64,
    owner: String,
    solution: String,
    state: String,
    opened: String,
    what_happened: String,
}

/// The lists' rows.
pub(crate) fn rows(parties: &Parties, summaries: Vec<IncidentSummary>) -> Vec<Row> {
    summaries
        .into_iter()
        .map(|s| Row {
            id: s.id.0,
            owner: parties.name(s.owner),
            solution: s.solution,
            state: s.state,
            opened: shown(s.opened_at),
            what_happened: s.what_happened.chars().take(120).collect(),
        })
        .collect()
}

/// `/vaerktoejer/haendelser`.
pub async fn list(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Response, AppError> {
    Ok(render_list(&state, lang, &signed_in, None)
        .await?
        .into_response())
}

async fn render_list(
    state: &ToolsState,
    lang: Lang,
    signed_in: &SignedIn,
    refused: Option<&Refusal>,
) -> Result<Html<String>, AppError> {
    let parties = Parties::load(state).await?;
    // A person whose organisation takes no part in the chain is told where
    // to go (the desk of the solution they use) rather than refused: the
    // chain's promise is that no one is sent away without an answer.
    let Some(viewer) = viewer(&parties, &signed_in.principal) else {
        return render_outside(state, lang, signed_in, &parties).await;
    };
    let rows = rows(
        &parties,
        state.storage.incidents_for(viewer.party.id).await?,
    );
    let desk = is_desk(&viewer.party);
    let solutions: Vec<String> = viewer.party.solutions().map(|c| c.0.clone()).collect();
    let municipalities: Vec<(i64, String)> = match desk {
        true => state
            .shell
            .storage
            .organisations()
            .await?
            .into_iter()
            .filter(|o| o.kind == OrgKind::Municipality)
            .map(|o| (o.id.0, o.name))
            .collect(),
        false => Vec::new(),
    };
    let reporting = reporting(state, &parties, signed_in).await?;
    let interval = match desk {
        true => state.storage.reporter_interval(viewer.party.id).await?,
        false => None,
    };
    let page = Page::new(state, lang, &path(""), Some(signed_in)).await?;
    page.render(
        "incidents.html",
        minijinja::context! {
            nav_active => "incidents", rows, desk, solutions, municipalities, reporting,
            form => "open",
            interval_days => interval.map(|i| i.days().to_string()).unwrap_or_default(),
            interval_business => interval.is_some_and(|i| i.business()),
            defaults => minijinja::context! { reporter_name => "", reporter_contact => "" },
            party => party_view(&viewer), scale => party_view(&viewer).scale,
            community => viewer.party.is_community(),
            refused => refused.map(Refusal::view),
        },
    )
}

/// The list's page for a person outside the chain: the service desks and
/// the solutions they serve, so they know whom to contact (and, for a
/// person of a municipality, where to report to each), and what they
/// reported themselves.
async fn render_outside(
    state: &ToolsState,
    lang: Lang,
    signed_in: &SignedIn,
    parties: &Parties,
) -> Result<Html<String>, AppError> {
    let reporting = reporting(state, parties, signed_in).await?;
    let page = Page::new(state, lang, &path(""), Some(signed_in)).await?;
    page.render(
        "incidents_outside.html",
        minijinja::context! { nav_active => "incidents", reporting },
    )
}

/// `POST /vaerktoejer/haendelser`: a new incident at the viewer's desk.
pub async fn open(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    form: PageForm<OpenForm>,
) -> Result<Response, AppError> {
    let parties = Parties::load(&state).await?;
    let viewer = viewer_or_refuse(&parties, &signed_in.principal)?;
    let access = acting(&signed_in.principal, &viewer.party)?;
    let PageForm { input, typed } = form;
    let outcome = match input {
        Err(unreadable) => Err(Refusal::unreadable(lang, "open", unreadable, typed.clone())),
        Ok(input) => {
            let written = async {
                let draft = intake_draft(input)?;
                Ok::<_, AppError>(
                    state
                        .storage
                        .open_incident(&access, &draft, samspil_storage::now())
                        .await?,
                )
            }
            .await;
            match written {
                Ok(id) => Ok(id),
                Err(error) => Err(Refusal::of(error, lang, PREFIX, "open", typed.clone())?),
            }
        }
    };
    match outcome {
        Ok(id) => Ok(Redirect::to(&path(&format!("/{}", id.0))).into_response()),
        Err(refusal) => Ok(Refusal::respond(
            render_list(&state, lang, &signed_in, Some(&refusal)).await?,
        )),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntervalForm {
    #[serde(default)]
    days: String,
    #[serde(default)]
    business: Option<String>,
}

/// `POST /vaerktoejer/haendelser/interval`: how often the viewer's desk
/// tells its reporters of progress (empty: no fixed updates).
pub async fn interval(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    form: PageForm<IntervalForm>,
) -> Result<Response, AppError> {
    let parties = Parties::load(&state).await?;
    let viewer = viewer_or_refuse(&parties, &signed_in.principal)?;
    let access = acting(&signed_in.principal, &viewer.party)?;
    let PageForm { input, typed } = form;
    let written = match input {
        Err(unreadable) => Err(Refusal::unreadable(lang, "interval", unreadable, typed)),
        Ok(input) => {
            let written = async {
                let interval = match input.days.trim() {
                    "" => None,
                    text => {
                        let days = text.parse::<u8>().map_err(|_| {
                            AppError::Rule(samspil_domain::ValidationError::new(
                                "days",
                                "a whole number of days",
                            ))
                        })?;
                        Some(
                            incident::ReporterInterval::new(days, input.business.is_some())
                                .map_err(|e| AppError::Rule(samspil_tools_storage::refusal(e)))?,
                        )
                    }
                };
                Ok::<_, AppError>(
                    state
                        .storage
                        .set_reporter_interval(&access, interval)
                        .await?,
                )
            }
            .await;
            match written {
                Ok(()) => Ok(()),
                Err(error) => Err(Refusal::of(error, lang, PREFIX, "interval", typed)?),
            }
        }
    };
    match written {
        Ok(()) => Ok(Redirect::to(&path("#interval")).into_response()),
        Err(refusal) => Ok(Refusal::respond(
            render_list(&state, lang, &signed_in, Some(&refusal)).await?,
        )),
    }
}

/// `/vaerktoejer/haendelser/{id}`: the incident and its chain as the
/// viewer may see it.
pub async fn show(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    Ok(render_incident(&state, lang, &signed_in, id, None)
        .await?
        .into_response())
}

pub(crate) async fn render_incident(
    state: &ToolsState,
    lang: Lang,
    signed_in: &SignedIn,
    id: i64,
    refused: Option<&Refusal>,
) -> Result<Html<String>, AppError> {
    let parties = Parties::load(state).await?;
    let viewer = viewer_or_refuse(&parties, &signed_in.principal)?;
    let found = visible(state, &viewer.party, id).await?;
    let view = incident_view(&parties, &viewer.party, &found, samspil_storage::now())
        .ok_or(AppError::NotFound)?;
    let receivers = receivers(state, &parties, viewer.party.id).await?;
    let invitable: Vec<_> = match viewer.party.is_community() {
        true => parties
            .0
            .values()
            .filter(|p| !p.party.is_community())
            .map(party_view)
            .collect(),
        false => Vec::new(),
    };
    let files = files_view(state, found.id()).await?;
    let operational: Vec<_> = state
        .storage
        .operational_messages(found.id())
        .await?
        .into_iter()
        .map(sent_view)
        .collect();
    let page = Page::new(state, lang, &path(&format!("/{id}")), Some(signed_in)).await?;
    page.render(
        "incident.html",
        minijinja::context! {
            nav_active => "incidents", incident => view, receivers, invitable, files,
            incident_id => id, operational, accepted_files => samspil_domain::files::accepted_extensions(),
            refused => refused.map(Refusal::view),
        },
    )
}

/// Applies a change a form asked for, then back to the incident; a
/// refusal shows the incident again with the form's message.
pub(crate) async fn apply_change(
    state: &ToolsState,
    lang: Lang,
    signed_in: &SignedIn,
    id: i64,
    form: &str,
    typed: Typed,
    change: Result<IncidentChange, AppError>,
) -> Result<Response, AppError> {
    let parties = Parties::load(state).await?;
    let viewer = viewer_or_refuse(&parties, &signed_in.principal)?;
    visible(state, &viewer.party, id).await?;
    let access = acting(&signed_in.principal, &viewer.party)?;
    let outcome = match change {
        Ok(change) => state
            .storage
            .change_incident(
                &access,
                incident::IncidentId(id),
                &change,
                samspil_storage::now(),
            )
            .await
            .map(|_| ())
            .map_err(AppError::from),
        Err(error) => Err(error),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&path(&format!("/{id}"))).into_response()),
        Err(error) => {
            let refusal = Refusal::of(error, lang, PREFIX, form, typed)?;
            Ok(Refusal::respond(
                render_incident(state, lang, signed_in, id, Some(&refusal)).await?,
            ))
        }
    }
}

pub(crate) fn unread<T>(
    lang: Lang,
    form: &str,
    PageForm { input, typed }: PageForm<T>,
) -> (Result<T, AppError>, Typed, Option<Refusal>) {
    match input {
        Ok(value) => (Ok(value), typed, None),
        Err(unreadable) => {
            let refusal = Refusal::unreadable(lang, form, unreadable, typed.clone());
            (
                Err(AppError::BadRequest("unreadable".into())),
                typed,
                Some(refusal),
            )
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForwardForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    receiver: String,
}

/// `POST /vaerktoejer/haendelser/{id}/videresend`.
pub async fn forward(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    form: PageForm<ForwardForm>,
) -> Result<Response, AppError> {
    let from_typed = form.typed.get("from").unwrap_or_default().trim().to_owned();
    let name = format!("forward{from_typed}");
    let (input, typed, refused) = unread(lang, &name, form);
    if let Some(refusal) = refused {
        return refuse(&state, lang, &signed_in, id, refusal).await;
    }
    let change = input.and_then(|input| {
        let receiver = input.receiver.trim().parse::<i64>().map_err(|_| {
            AppError::Rule(samspil_domain::ValidationError::new(
                "receiver",
                "choose the party to forward to",
            ))
        })?;
        let from = match input.from.trim() {
            "" => None,
            text => Some(text.parse::<u32>().map_err(|_| {
                AppError::Rule(samspil_domain::ValidationError::new("from", "not a link"))
            })?),
        };
        Ok(IncidentChange::Forward {
            from: forwarder(from),
            receiver: OrgId(receiver),
        })
    });
    apply_change(&state, lang, &signed_in, id, &name, typed, change).await
}

pub(crate) async fn refuse(
    state: &ToolsState,
    lang: Lang,
    signed_in: &SignedIn,
    id: i64,
    refusal: Refusal,
) -> Result<Response, AppError> {
    Ok(Refusal::respond(
        render_incident(state, lang, signed_in, id, Some(&refusal)).await?,
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
}

/// `POST /vaerktoejer/haendelser/{id}/led/{link}`: a move of a link.
pub async fn act(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, link)): Path<(i64, u32)>,
    form: PageForm<ActForm>,
) -> Result<Response, AppError> {
    let name = format!("link-{link}");
    let (input, typed, refused) = unread(lang, &name, form);
    if let Some(refusal) = refused {
        return refuse(&state, lang, &signed_in, id, refusal).await;
    }
    let change = input.and_then(|input| {
        Ok(IncidentChange::Act {
            link: incident::LinkId(link),
            action: action(&input.action)?,
            reason: Some(input.reason).filter(|r| !r.trim().is_empty()),
        })
    });
    apply_change(&state, lang, &signed_in, id, &name, typed, change).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceForm {
    #[serde(default)]
    reference: String,
}

/// `POST /vaerktoejer/haendelser/{id}/led/{link}/reference`.
pub async fn reference(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, link)): Path<(i64, u32)>,
    form: PageForm<ReferenceForm>,
) -> Result<Response, AppError> {
    let name = format!("reference-{link}");
    let (input, typed, refused) = unread(lang, &name, form);
    if let Some(refusal) = refused {
        return refuse(&state, lang, &signed_in, id, refusal).await;
    }
    let change = input.map(|input| IncidentChange::SetReference {
        link: incident::LinkId(link),
        reference: input.reference,
    });
    apply_change(&state, lang, &signed_in, id, &name, typed, change).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextForm {
    #[serde(default)]
    text: String,
}

/// `POST /vaerktoejer/haendelser/{id}/led/{link}/eskaler`: by hand.
pub async fn escalate(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, link)): Path<(i64, u32)>,
    form: PageForm<TextForm>,
) -> Result<Response, AppError> {
    let name = format!("escalate-{link}");
    let (input, typed, refused) = unread(lang, &name, form);
    if let Some(refusal) = refused {
        return refuse(&state, lang, &signed_in, id, refusal).await;
    }
    let change = input.map(|input| IncidentChange::Escalate {
        link: incident::LinkId(link),
        reason: input.text,
    });
    apply_change(&state, lang, &signed_in, id, &name, typed, change).await
}

/// `POST /vaerktoejer/haendelser/{id}/{what}`: the owner's reply, its
/// resolution and closing; the task force's log and summary (calling
/// one is `pages_incident_messages`').
pub async fn incident_text(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, what)): Path<(i64, String)>,
    form: PageForm<TextForm>,
) -> Result<Response, AppError> {
    let name = match what.as_str() {
        "svar" => "reply",
        "loes" => "resolve",
        "luk" => "close",
        "log" => "log",
        "taskforce-luk" => "taskforce-close",
        _ => return Err(AppError::NotFound),
    };
    let (input, typed, refused) = unread(lang, name, form);
    if let Some(refusal) = refused {
        return refuse(&state, lang, &signed_in, id, refusal).await;
    }
    let change = input.map(|input| match name {
        "reply" => IncidentChange::Reply { text: input.text },
        "resolve" => IncidentChange::Resolve {
            summary: input.text,
        },
        "close" => IncidentChange::Close,
        "log" => IncidentChange::Log { text: input.text },
        _ => IncidentChange::CloseTaskForce {
            summary: input.text,
        },
    });
    apply_change(&state, lang, &signed_in, id, name, typed, change).await
}

/// `/vaerktoejer/haendelser/{id}/anmelder`: what the reporter sees — the
/// state, the replies meant for them and the files, nothing of the chain.
pub async fn reporter(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    Ok(render_reporter(&state, lang, &signed_in, id, None)
        .await?
        .into_response())
}

pub(crate) async fn render_reporter(
    state: &ToolsState,
    lang: Lang,
    signed_in: &SignedIn,
    id: i64,
    refused: Option<&Refusal>,
) -> Result<Html<String>, AppError> {
    let parties = Parties::load(state).await?;
    let found = state
        .storage
        .incident(incident::IncidentId(id))
        .await
        .map_err(|e| match e {
            samspil_storage::StorageError::NotFound(_) => AppError::NotFound,
            other => other.into(),
        })?;
    // The reporter's municipality, the owner and the community.
    let own = signed_in.principal.org_id();
    let allowed = signed_in.principal.is_staff()
        || own == Some(found.owner())
        || (own.is_some() && own == found.report().reporter().municipality);
    if !allowed {
        return Err(AppError::NotFound);
    }
    let seen = incident::reporter_view(&found);
    let replies: Vec<_> = seen
        .replies
        .iter()
        .map(|r| minijinja::context! { at => shown(r.at), text => r.text })
        .collect();
    // The files are the reporter's and the parties' only (staff see them
    // on the incident's own page as the community).
    let files = match incident::may_handle_files(None, own, &found) {
        true => Some(files_view(state, found.id()).await?),
        false => None,
    };
    let page = Page::new(
        state,
        lang,
        &path(&format!("/{id}/anmelder")),
        Some(signed_in),
    )
    .await?;
    page.render(
        "incident_reporter.html",
        minijinja::context! {
            nav_active => "incidents", id, state => seen.state.code(),
            solution => seen.solution.0, opened => shown(seen.opened_at), replies,
            owner => parties.name(found.owner()), files, incident_id => id,
            accepted_files => samspil_domain::files::accepted_extensions(),
            refused => refused.map(Refusal::view),
        },
    )
}

#[derive(Serialize)]
struct FiguresRow {
    party: String,
    links: usize,
    responded: usize,
    resolved: usize,
    rejected: usize,
    response_breaches: usize,
    resolution_breaches: usize,
    mean_response: String,
    mean_resolution: String,
}

fn hours(d: Option<time::Duration>) -> String {
    match d {
        None => "–".into(),
        Some(d) => {
            let minutes = d.whole_minutes();
            format!("{}:{:02}", minutes / 60, minutes % 60)
        }
    }
}

/// `/vaerktoejer/haendelser/rapport` (community staff): per receiving
/// party the links, response and resolution times, breaches and
/// rejections, and the incidents bounced between parties.
pub async fn report(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Response, AppError> {
    signed_in.principal.community_access()?;
    let parties = Parties::load(&state).await?;
    let mut all = Vec::new();
    let community = parties.0.values().find(|p| p.party.is_community());
    if let Some(community) = community {
        for summary in state.storage.incidents_for(community.party.id).await? {
            all.push(state.storage.incident(summary.id).await?);
        }
    }
    let now = samspil_storage::now();
    let figures = incident::party_figures(&incident::link_figures(&all, now));
    let rows: Vec<FiguresRow> = figures
        .into_iter()
        .map(|f| FiguresRow {
            party: parties.name(f.party),
            links: f.links,
            responded: f.responded,
            resolved: f.resolved,
            rejected: f.rejected,
            response_breaches: f.response_breaches,
            resolution_breaches: f.resolution_breaches,
            mean_response: hours(f.mean_response),
            mean_resolution: hours(f.mean_resolution),
        })
        .collect();
    let bounced: Vec<_> = incident::bounced(&all)
        .into_iter()
        .map(|b| {
            minijinja::context! {
                id => b.incident.0, rejections => b.rejections,
                chain => b.receivers.iter().map(|r| parties.name(*r)).collect::<Vec<_>>().join(" → "),
            }
        })
        .collect();
    let page = Page::new(&state, lang, &path("/rapport"), Some(&signed_in)).await?;
    Ok(page
        .render(
            "incidents_report.html",
            minijinja::context! { nav_active => "incidents", rows, bounced },
        )?
        .into_response())
}

/// The incident pages (paths under the context's mount).
pub(crate) fn routes() -> Vec<PageRoute<ToolsState>> {
    vec![
        PageRoute::get("/haendelser", list),
        PageRoute::post("/haendelser", open),
        PageRoute::post("/haendelser/interval", interval),
        PageRoute::get("/haendelser/rapport", report),
        PageRoute::get("/haendelser/{id}", show),
        PageRoute::get("/haendelser/{id}/anmelder", reporter),
        PageRoute::post("/haendelser/{id}/videresend", forward),
        PageRoute::post("/haendelser/{id}/led/{link}", act),
        PageRoute::post("/haendelser/{id}/led/{link}/reference", reference),
        PageRoute::post("/haendelser/{id}/led/{link}/eskaler", escalate),
        PageRoute::post("/haendelser/{id}/{what}", incident_text),
    ]
}
