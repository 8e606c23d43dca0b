//! Workshops with limited seats (issue 20): `POST /moeder/{id}/ansoegning`
//! a person applies on the workshop's page; `/moeder/{id}/ansoegninger`
//! staff see the applicants with their municipality's population, size
//! band, region and role-gallery completeness, a suggested selection
//! ticked (`suggest_selection` over the applicants' own municipalities),
//! and give the seats; the chosen and the not chosen are told by e-mail
//! through the outbox.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use samspil_coordination::meeting::{Applicant, Profile, SizeBand, size_band, suggest_selection};
use samspil_coordination_storage::{
    Decision, MeetingId, MeetingKind, MeetingMail, MeetingRecord, WorkshopApplication,
};
use samspil_domain::OrgId;
use samspil_storage::now;
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::form::{PageForm, Refusal};
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use samspil_web::routes::PageRoute;
use serde::{Deserialize, Serialize};

use crate::CoordinationState;
use crate::pages_meetings::{mail_of, refused_detail_page};

async fn meeting_of(state: &CoordinationState, id: i64) -> Result<MeetingRecord, AppError> {
    state
        .storage
        .meeting(MeetingId(id))
        .await?
        .ok_or(AppError::NotFound)
}

/// A whole number with the language's thousands separator: `340.421`.
fn thousands(lang: Lang, n: i64) -> String {
    let sep = match lang {
        Lang::Da => '.',
        Lang::En => ',',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn band_key(band: SizeBand) -> &'static str {
    match band {
        SizeBand::Small => "meeting-band-small",
        SizeBand::Medium => "meeting-band-medium",
        SizeBand::Large => "meeting-band-large",
        SizeBand::VeryLarge => "meeting-band-very-large",
    }
}

#[derive(Serialize)]
struct ApplicantView {
    id: i64,
    name: String,
    organisation: String,
    population: Option<String>,
    band: Option<String>,
    region: String,
    roles: String,
    motivation: String,
    decision: &'static str,
    suggested: bool,
}

/// The suggestion over the applicants with a municipality.
fn suggested(
    applications: &[WorkshopApplication],
    population_of: &dyn Fn(OrgId) -> Option<i64>,
    seats: u32,
) -> Vec<i64> {
    let applicants: Vec<Applicant> = applications
        .iter()
        .filter_map(|a| {
            Some(Applicant {
                id: u64::try_from(a.id).ok()?,
                municipality: a.municipality?,
                profile: Profile {
                    population: population_of(a.org_id)
                        .and_then(|p| u32::try_from(p).ok())
                        .unwrap_or(0),
                    region: a.region.clone().unwrap_or_default(),
                    roles_filled: a.roles_filled,
                    roles_total: a.roles_total,
                },
            })
        })
        .collect();
    suggest_selection(&applicants, &[], seats.max(1))
        .map(|s| {
            s.chosen
                .into_iter()
                .filter_map(|id| i64::try_from(id).ok())
                .collect()
        })
        .unwrap_or_default()
}

async fn render(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    id: i64,
    refused: Option<&Refusal>,
    done: Option<String>,
) -> Result<Html<String>, AppError> {
    let access = signed_in.principal.community_access()?;
    let record = meeting_of(state, id).await?;
    if record.kind != MeetingKind::Workshop {
        return Err(AppError::NotFound);
    }
    let today = now().date();
    let applications = state
        .storage
        .workshop_applications(&access, record.id, today)
        .await?;
    let populations = state.populations.populations(today).await?;
    let population_of = |org: OrgId| populations.iter().find(|(o, _)| *o == org).map(|(_, p)| *p);
    let seats = record.seats.unwrap_or(0);
    let decided = applications.iter().any(|a| a.decision != Decision::Pending);
    let suggestion = if decided {
        Vec::new()
    } else {
        suggested(&applications, &population_of, seats)
    };
    let views: Vec<ApplicantView> = applications
        .iter()
        .map(|a| {
            let population = population_of(a.org_id);
            ApplicantView {
                id: a.id,
                name: a.name.clone(),
                organisation: a.organisation.clone(),
                population: population.map(|p| thousands(lang, p)),
                band: population
                    .and_then(|p| u32::try_from(p).ok())
                    .map(|p| lang.text(band_key(size_band(p)), &[])),
                region: a.region.clone().unwrap_or_default(),
                roles: lang.text(
                    "meeting-roles-filled",
                    &[
                        ("filled", a.roles_filled.to_string()),
                        ("total", a.roles_total.to_string()),
                    ],
                ),
                motivation: a.motivation.clone(),
                decision: a.decision.as_str(),
                suggested: suggestion.contains(&a.id),
            }
        })
        .collect();
    let path = format!("/moeder/{id}/ansoegninger");
    let page = Page::new(state, lang, &path, Some(signed_in)).await?;
    page.render(
        "workshop_applications.html",
        minijinja::context! {
            nav_active => "meetings",
            meeting => minijinja::context! {
                id => record.id.0, title => record.meeting.title(), seats,
                registered => record.registered,
            },
            applicants => views,
            decided,
            done,
            refused => refused.map(Refusal::view),
        },
    )
}

/// `GET /moeder/{id}/ansoegninger` (staff).
pub async fn applications(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    render(&state, lang, &signed_in, id, None, None).await
}

/// The two mails of the choice, in Danish: they go to the municipalities'
/// people.
pub(crate) fn choice_mails(
    headers: &axum::http::HeaderMap,
    user: &samspil_storage::User,
    record: &MeetingRecord,
) -> (MeetingMail, MeetingMail) {
    let da = Lang::Da;
    let title = record.meeting.title().to_owned();
    let link = record.meeting.link().to_owned();
    let chosen = mail_of(
        headers,
        user,
        record,
        da.text("meeting-mail-chosen-subject", &[("title", title.clone())]),
        da.text(
            "meeting-mail-chosen-body",
            &[("title", title.clone()), ("link", link)],
        ),
    );
    let not_chosen = mail_of(
        headers,
        user,
        record,
        da.text(
            "meeting-mail-not-chosen-subject",
            &[("title", title.clone())],
        ),
        da.text("meeting-mail-not-chosen-body", &[("title", title)]),
    );
    (chosen, not_chosen)
}

/// `POST /moeder/{id}/ansoegninger` (staff): the seats given to the
/// ticked applicants, once; everyone told.
pub async fn choose(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    headers: axum::http::HeaderMap,
    Path(id): Path<i64>,
    PageForm { input: _, typed }: PageForm<serde::de::IgnoredAny>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let record = meeting_of(&state, id).await?;
    let chosen: Vec<i64> = typed
        .all("chosen")
        .iter()
        .filter_map(|c| c.parse().ok())
        .collect();
    let (chosen_mail, not_chosen_mail) = choice_mails(&headers, &signed_in.user, &record);
    match state
        .storage
        .choose_applicants(&access, record.id, &chosen, &chosen_mail, &not_chosen_mail)
        .await
    {
        Ok(report) => {
            let done = lang.text(
                "meeting-choice-done",
                &[
                    ("chosen", report.chosen.to_string()),
                    ("count", report.queued.to_string()),
                ],
            );
            let html = render(&state, lang, &signed_in, id, None, Some(done)).await?;
            Ok(html.into_response())
        }
        Err(error) => {
            let refusal = Refusal::of(error.into(), lang, "meeting-error", "choice", typed)?;
            let html = render(&state, lang, &signed_in, id, Some(&refusal), None).await?;
            Ok(Refusal::respond(html))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ApplicationForm {
    #[serde(default)]
    motivation: String,
}

/// `POST /moeder/{id}/ansoegning`: the signed-in person applies.
pub async fn apply(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    PageForm { input, typed }: PageForm<ApplicationForm>,
) -> Result<Response, AppError> {
    let form = match input {
        Ok(form) => form,
        Err(unreadable) => {
            let refusal = Refusal::unreadable(lang, "application", unreadable, typed);
            return refused_detail_page(&state, lang, &signed_in, id, refusal).await;
        }
    };
    match state
        .storage
        .apply_for_workshop(&signed_in.principal, MeetingId(id), &form.motivation)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/moeder/{id}?gemt=ansoegning")).into_response()),
        Err(error) => {
            let refusal = Refusal::of(error.into(), lang, "meeting-error", "application", typed)?;
            refused_detail_page(&state, lang, &signed_in, id, refusal).await
        }
    }
}

pub(crate) fn routes() -> Vec<PageRoute<CoordinationState>> {
    vec![
        PageRoute::get("/moeder/{id}/ansoegninger", applications),
        PageRoute::post("/moeder/{id}/ansoegninger", choose),
        PageRoute::post("/moeder/{id}/ansoegning", apply),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn populations_are_written_with_the_languages_separator() {
        assert_eq!(thousands(Lang::Da, 340_421), "340.421");
        assert_eq!(thousands(Lang::En, 1_789), "1,789");
        assert_eq!(thousands(Lang::Da, 999), "999");
    }
}
