//! The pages people use: front page, organisations, language switch.

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use minijinja::Value;
use samspil_domain::return_path::safe_return_path;
use samspil_domain::{OrgId, OrgKind};
use samspil_storage::Organisation;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::i18n::{LANG_COOKIE, Lang};

/// What every page's template gets: language, the signed-in person, the
/// CSRF token for the logout form.
/// A page form whose fields are those of an API body (a new task, a
/// changed deadline). The API's bodies refuse fields they do not know, and
/// every page form carries the CSRF token, which the CSRF layer has
/// checked before the handler runs: it is left out, and the rest is read
/// into `T` as strictly as the API reads it.
pub struct ApiForm<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for ApiForm<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Response> {
        let axum::extract::RawForm(bytes) = axum::extract::RawForm::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let fields =
            url::form_urlencoded::parse(&bytes).filter(|(name, _)| name != crate::auth::CSRF_FIELD);
        let without_token = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        serde_urlencoded::from_str(&without_token)
            .map(ApiForm)
            .map_err(|e| {
                AppError::Invalid(format!("Failed to deserialize form body: {e}")).into_response()
            })
    }
}

pub struct Page<'a> {
    state: &'a AppState,
    base: Value,
}

#[derive(Serialize)]
struct UserView {
    display_name: String,
    login: String,
    org_name: String,
    org_id: i64,
    access_role: &'static str,
    /// Readers are told so in the header: they see but change nothing.
    is_reader: bool,
}

impl<'a> Page<'a> {
    pub async fn new(
        state: &'a AppState,
        lang: Lang,
        current_path: &str,
        signed_in: Option<&SignedIn>,
    ) -> Result<Page<'a>, AppError> {
        let user = match signed_in {
            Some(signed_in) => {
                let org_name = state
                    .storage
                    .organisation(signed_in.user.org_id)
                    .await?
                    .map(|org| org.name)
                    .unwrap_or_default();
                Some(UserView {
                    display_name: signed_in.user.display_name.clone(),
                    login: signed_in.user.login.to_string(),
                    org_name,
                    org_id: signed_in.user.org_id.0,
                    access_role: signed_in.user.role.as_str(),
                    is_reader: signed_in.principal.is_reader(),
                })
            }
            None => None,
        };
        // The menu's count on »Indbakke«; a page still renders without it.
        let unread = match (signed_in, &state.personal) {
            (Some(signed_in), Some(personal)) => match personal.unread(signed_in.user.id).await {
                Ok(count) => Some(count),
                Err(error) => {
                    tracing::warn!(%error, "the unread count could not be read");
                    None
                }
            },
            _ => None,
        };
        let base = minijinja::context! {
            unread,
            lang => lang.code(),
            other_lang => lang.other().code(),
            current_path,
            user,
            csrf_token => signed_in.map(|s| s.csrf_token.clone()),
        };
        Ok(Page { state, base })
    }

    pub fn render(&self, template: &str, page: Value) -> Result<Html<String>, AppError> {
        let context = minijinja::context! { ..page, ..self.base.clone() };
        self.state
            .templates
            .get_template(template)
            .and_then(|t| t.render(context))
            .map(Html)
            .map_err(|e| AppError::Internal(format!("template {template}: {e:#}")))
    }
}

pub async fn home(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Html<String>, AppError> {
    if let Some(personal) = state.personal.clone() {
        return personal.home(&state, lang, &signed_in).await;
    }
    let page = Page::new(&state, lang, "/", Some(&signed_in)).await?;
    page.render("home.html", minijinja::context! { nav_active => "home" })
}

#[derive(Serialize)]
struct OrgView {
    id: i64,
    name: String,
    official_name: String,
    kind: &'static str,
    code: Option<String>,
    region: Option<String>,
}

impl From<&Organisation> for OrgView {
    fn from(org: &Organisation) -> Self {
        OrgView {
            id: org.id.0,
            name: org.name.clone(),
            official_name: org.official_name.clone(),
            kind: org.kind.as_str(),
            code: org.code.map(|c| c.to_string()),
            region: org.region.clone(),
        }
    }
}

/// The regions the organisations lie in, and the one a filter asks for,
/// which must be one of them.
pub fn region_choice(
    organisations: &[Organisation],
    requested: Option<String>,
) -> Result<(Vec<String>, Option<String>), AppError> {
    let mut regions: Vec<String> = organisations
        .iter()
        .filter_map(|o| o.region.clone())
        .collect();
    regions.sort();
    regions.dedup();
    let selected = requested.filter(|r| !r.trim().is_empty());
    if let Some(region) = &selected
        && !regions.contains(region)
    {
        return Err(AppError::UnknownRegion(region.clone()));
    }
    Ok((regions, selected))
}

#[derive(Debug, Deserialize)]
pub struct OrganisationsQuery {
    region: Option<String>,
}

pub async fn organisations(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(query): Query<OrganisationsQuery>,
) -> Result<Html<String>, AppError> {
    let all = state.storage.organisations().await?;
    let (regions, selected_region) = region_choice(&all, query.region)?;
    let shown: Vec<OrgView> = all
        .iter()
        .filter(|o| selected_region.is_none() || o.region == selected_region)
        .map(OrgView::from)
        .collect();
    let page = Page::new(&state, lang, "/organisationer", Some(&signed_in)).await?;
    page.render(
        "organisations.html",
        minijinja::context! {
            nav_active => "organisations",
            organisations => shown,
            regions,
            selected_region,
        },
    )
}

#[derive(Serialize)]
struct PersonView {
    display_name: String,
    login: String,
    email: Option<String>,
    phone: Option<String>,
    job_title: Option<String>,
    unit_name: Option<String>,
    access_role: &'static str,
    user_type: &'static str,
    active: bool,
}

pub async fn organisation(
    State(state): State<AppState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    let org = state
        .storage
        .organisation(OrgId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let path = format!("/organisationer/{id}");
    // People are the organisation's own data: shown only through a scope.
    let (units, users) = match signed_in.principal.read_access(org.id) {
        Ok(access) => (
            state.storage.org_units(&access).await?,
            state.storage.users(&access).await?,
        ),
        Err(_) => (Vec::new(), Vec::new()),
    };
    let can_see_people = signed_in.principal.read_access(org.id).is_ok();
    let people: Vec<PersonView> = users
        .into_iter()
        .map(|u| PersonView {
            display_name: u.display_name,
            login: u.login.to_string(),
            email: u.email,
            phone: u.phone,
            job_title: u.job_title,
            unit_name: u.org_unit_name,
            access_role: u.role.as_str(),
            user_type: u.user_type.as_str(),
            active: u.active,
        })
        .collect();
    let directory_sync = directory_sync_view(&state, lang, &signed_in, org.id).await?;
    let page = Page::new(&state, lang, &path, Some(&signed_in)).await?;
    page.render(
        "organisation.html",
        minijinja::context! {
            nav_active => "organisations",
            org => OrgView::from(&org),
            is_municipality => org.kind == OrgKind::Municipality,
            can_see_people,
            units,
            users => people,
            directory_sync,
        },
    )
}

#[derive(Serialize)]
struct DirectorySyncView {
    failing: bool,
    failures: u32,
    next_run_at: String,
    last_success_at: Option<String>,
    last_error: Option<String>,
    last_error_at: Option<String>,
    runs: Vec<DirectorySyncRunView>,
}

#[derive(Serialize)]
struct DirectorySyncRunView {
    finished_at: String,
    ok: bool,
    users_created: u32,
    users_updated: u32,
    users_deactivated: u32,
    message: Option<String>,
}

/// The directory sync's state, for community staff and the municipality's
/// administrators: they are the ones who act on a failure.
async fn directory_sync_view(
    state: &AppState,
    lang: Lang,
    signed_in: &SignedIn,
    org: OrgId,
) -> Result<Option<DirectorySyncView>, AppError> {
    let Ok(access) = signed_in.principal.admin_access(org) else {
        return Ok(None);
    };
    let Some(status) = state.storage.directory_sync_status(&access, 5).await? else {
        return Ok(None);
    };
    let when = |at| crate::format::format_instant(lang, at);
    Ok(Some(DirectorySyncView {
        failing: status.failures > 0,
        failures: status.failures,
        next_run_at: when(status.next_run_at),
        last_success_at: status.last_success_at.map(when),
        last_error: status.last_error,
        last_error_at: status.last_error_at.map(when),
        runs: status
            .runs
            .into_iter()
            .map(|run| DirectorySyncRunView {
                finished_at: when(run.finished_at),
                ok: run.ok,
                users_created: run.users_created,
                users_updated: run.users_updated,
                users_deactivated: run.users_deactivated,
                message: run.message,
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize)]
pub struct LanguageQuery {
    next: Option<String>,
}

/// Remembers the chosen language for a year and goes back to the page.
pub async fn switch_language(
    State(state): State<AppState>,
    jar: CookieJar,
    signed_in: Option<SignedIn>,
    Path(code): Path<String>,
    Query(query): Query<LanguageQuery>,
) -> Result<Response, AppError> {
    let lang = Lang::parse(&code)
        .ok_or_else(|| AppError::BadRequest(format!("unknown language '{code}'")))?;
    // What samspil sends a person follows the language they last chose
    // while signed in; the pages follow the cookie.
    if let Some(signed_in) = &signed_in {
        state
            .storage
            .set_language(signed_in.user.id, lang.into())
            .await?;
    }
    let cookie = Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .http_only(true)
        .secure(state.cookies.secure)
        .same_site(SameSite::Lax)
        .max_age(time::Duration::days(365))
        .build();
    Ok((
        jar.add(cookie),
        Redirect::to(safe_return_path(query.next.as_deref())),
    )
        .into_response())
}

/// The front page, the organisations and the language switch.
pub(crate) fn routes() -> Vec<crate::routes::PageRoute> {
    use crate::routes::PageRoute;
    vec![
        PageRoute::get("/", home),
        PageRoute::get("/organisationer", organisations),
        PageRoute::get("/organisationer/{id}", organisation),
        PageRoute::get("/sprog/{lang}", switch_language),
    ]
}

/// A list's address with these parameters, the empty ones left out, so
/// that a link keeps what a list shows (its filters, its order).
pub fn list_href(path: &str, params: &[(&str, String)]) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter().filter(|(_, value)| !value.is_empty()))
        .finish();
    match query.is_empty() {
        true => path.to_owned(),
        false => format!("{path}?{query}"),
    }
}

/// The previous and next links of a paged list (`_pager.html`), each
/// keeping the list's other parameters.
#[derive(Debug, Serialize)]
pub struct Pager {
    pub page: u32,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `params` are the list's parameters other than the page.
    pub fn new(path: &str, params: &[(&str, String)], page: u32, has_next: bool) -> Self {
        let page = page.max(1);
        let link = |to: u32| {
            let mut with_page = params.to_vec();
            with_page.push(("page", to.to_string()));
            list_href(path, &with_page)
        };
        Pager {
            page,
            previous: (page > 1).then(|| link(page - 1)),
            next: has_next.then(|| link(page + 1)),
        }
    }
}

/// HTML forms send empty fields as empty strings.
pub fn empty_as_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text: Option<String> = Option::deserialize(deserializer)?;
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => value.parse().map(Some).map_err(serde::de::Error::custom),
    }
}
