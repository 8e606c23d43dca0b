//! Brugerhåndtering (`/brugerhaandtering`), as KLIK has it: a
//! municipality's administrators find their people (by name, org unit,
//! user type and access role), set each one's user type (almindelig, light,
//! læser) with what it means explained on the page, and give them access
//! to the IT solutions the municipality uses. The access role (KLIK-bruger,
//! KLIK-administrator) stays the directory's and the identity provider's:
//! the page says so and offers no way to change it.

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use samspil_coordination::task::ProjectId;
use samspil_domain::{AccessRole, OrgId, UserId, UserType};
use samspil_storage::{OrgUnitId, PeopleFilter};
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::form::{PageForm, Refusal, Typed};
use samspil_web::format::format_date;
use samspil_web::i18n::Lang;
use samspil_web::pages::{Page, Pager, empty_as_none, list_href};
use serde::{Deserialize, Serialize};

use crate::CoordinationState;
use samspil_web::municipality_picker::Chosen;

use crate::pages_roles::{
    OrgQuery, ROLE_SAVED, admin_access, attempt, chosen_org, municipality_access, person_options,
    picking_page, staff_picker, unread,
};
use crate::pages_tasks::{ProjectOption, SavedQuery, saved_kind};

/// People shown per page of the list.
const PEOPLE_PAGE: usize = 50;

/// The path of the page.
const PATH: &str = "/brugerhaandtering";

/// What the page confirms after a redirect: the access changes and a user
/// type saved.
fn saved_here(saved: &SavedQuery) -> Option<&'static str> {
    saved_kind(saved, ROLE_SAVED).or_else(|| saved_kind(saved, &["user-type"]))
}

/// The people list's search and filters, as the address carries them. A
/// value the page does not know filters nothing (a stale bookmark still
/// shows the people).
#[derive(Debug, Default, Deserialize)]
pub struct PeopleQuery {
    /// Words of the name (or login) the person must have.
    #[serde(default)]
    q: Option<String>,
    /// An org unit's id.
    #[serde(default)]
    enhed: Option<String>,
    /// `ordinary`, `light` or `reader`.
    #[serde(default)]
    brugertype: Option<String>,
    /// `admin` or `user` (the access role).
    #[serde(default)]
    adgang: Option<String>,
    #[serde(default)]
    page: Option<String>,
}

impl PeopleQuery {
    fn unit(&self) -> Option<i64> {
        self.enhed.as_deref()?.trim().parse().ok()
    }

    fn user_type(&self) -> Option<UserType> {
        UserType::parse(self.brugertype.as_deref()?.trim())
    }

    fn access_role(&self) -> Option<AccessRole> {
        AccessRole::parse(self.adgang.as_deref()?.trim())
    }

    fn page(&self) -> usize {
        self.page
            .as_deref()
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(1)
            .max(1)
    }

    /// Whom the list shows: the same filter as the API's search.
    fn filter(&self) -> PeopleFilter {
        PeopleFilter {
            org_unit: self.unit().map(OrgUnitId),
            user_type: self.user_type(),
            access_role: self.access_role(),
            ..PeopleFilter::searching(self.q.as_deref())
        }
    }

    /// The address's parameters, in use only, for the pager's links and
    /// for coming back after a form.
    fn params(&self, org: OrgId) -> Vec<(&'static str, String)> {
        let mut params = vec![("kommune", org.0.to_string())];
        if let Some(q) = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            params.push(("q", q.to_owned()));
        }
        if let Some(unit) = self.unit() {
            params.push(("enhed", unit.to_string()));
        }
        if let Some(user_type) = self.user_type() {
            params.push(("brugertype", user_type.as_str().to_owned()));
        }
        if let Some(role) = self.access_role() {
            params.push(("adgang", role.as_str().to_owned()));
        }
        params
    }

    /// The same list read back from a form's hidden fields.
    fn from_typed(typed: &Typed) -> Self {
        let field = |name: &str| typed.get(name).map(str::to_owned);
        PeopleQuery {
            q: field("q"),
            enhed: field("enhed"),
            brugertype: field("brugertype"),
            adgang: field("adgang"),
            page: field("page"),
        }
    }
}

#[derive(Serialize)]
struct PersonRow {
    id: i64,
    name: String,
    login: String,
    unit: Option<String>,
    job_title: Option<String>,
    access_role: &'static str,
    user_type: &'static str,
    active: bool,
    /// The signed-in administrator themselves: their own type is not theirs
    /// to change.
    is_self: bool,
}

#[derive(Serialize)]
struct GrantRow {
    user_id: i64,
    name: String,
    solution_id: i64,
    solution: String,
    granted_at: String,
    granted_by: String,
}

#[derive(Serialize)]
struct UnitOption {
    id: i64,
    name: String,
}

/// `/brugerhaandtering`: a municipality's people with their user type and
/// access role, and who has access to which IT solution.
pub async fn user_admin(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(query): Query<OrgQuery>,
    Query(people): Query<PeopleQuery>,
    Query(saved): Query<SavedQuery>,
) -> Result<Html<String>, AppError> {
    match chosen_org(&state, lang, &signed_in, &query).await? {
        Chosen::One(org) => {
            let view = PageView {
                people: &people,
                refused: None,
                saved: saved_here(&saved),
            };
            render_user_admin(&state, lang, &signed_in, org, view).await
        }
        Chosen::Picking(picker, refused) => {
            let page = Page::new(&state, lang, PATH, Some(&signed_in)).await?;
            picking_page(
                &page,
                "user_admin.html",
                "user_admin",
                picker,
                refused.as_ref(),
            )
        }
    }
}

/// What the page shows besides the municipality's data.
pub(crate) struct PageView<'a> {
    people: &'a PeopleQuery,
    refused: Option<&'a Refusal>,
    saved: Option<&'a str>,
}

async fn render_user_admin(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    org_id: OrgId,
    view: PageView<'_>,
) -> Result<Html<String>, AppError> {
    let is_staff = signed_in.principal.is_staff();
    let page = Page::new(state, lang, PATH, Some(signed_in)).await?;
    let (org, access) = municipality_access(state, signed_in, org_id).await?;
    let can_edit = signed_in.principal.admin_access(org.id).is_ok();

    let everyone = state.shell.storage.users(&access).await?;
    let total = everyone.len();
    let filter = view.people.filter();
    let shown = filter.apply(everyone);
    let matching = shown.len();
    let page_number = view.people.page();
    let people: Vec<PersonRow> = shown
        .into_iter()
        .skip((page_number - 1) * PEOPLE_PAGE)
        .take(PEOPLE_PAGE)
        .map(|u| PersonRow {
            id: u.id.0,
            is_self: u.id == signed_in.user.id,
            name: u.display_name,
            login: u.login.as_str().to_owned(),
            unit: u.org_unit_name,
            job_title: u.job_title,
            access_role: u.role.as_str(),
            user_type: u.user_type.as_str(),
            active: u.active,
        })
        .collect();
    let params = view.people.params(org.id);
    let pager = Pager::new(
        PATH,
        &params,
        u32::try_from(page_number).unwrap_or(u32::MAX),
        matching > page_number * PEOPLE_PAGE,
    );
    let units: Vec<UnitOption> = state
        .shell
        .storage
        .org_units(&access)
        .await?
        .into_iter()
        .map(|u| UnitOption {
            id: u.id.0,
            name: u.name,
        })
        .collect();

    let grants: Vec<GrantRow> = state
        .storage
        .solution_access(&access)
        .await?
        .into_iter()
        .map(|g| GrantRow {
            user_id: g.user_id.0,
            name: g.user_name,
            solution_id: g.solution_id.0,
            solution: g.solution_name,
            granted_at: format_date(lang, Some(g.granted_at.date())).unwrap_or_default(),
            granted_by: g.granted_by,
        })
        .collect();
    let used = state.storage.solutions_used(&access).await?;
    let solutions: Vec<ProjectOption> = crate::pages_tasks::project_options(state)
        .await?
        .into_iter()
        .filter(|p| used.contains(&ProjectId(p.id)))
        .collect();
    let grantable = match can_edit {
        true => person_options(state, &access)
            .await?
            .into_iter()
            .filter(|p| p.user_type != UserType::Reader.as_str())
            .collect(),
        false => Vec::new(),
    };
    page.render(
        "user_admin.html",
        minijinja::context! {
            nav_active => "user_admin",
            is_staff,
            org => minijinja::context! { id => org.id.0, name => org.name },
            picker => staff_picker(state, lang, signed_in, org.id).await?,
            people,
            people_total => total,
            people_matching => matching,
            pager,
            filters => minijinja::context! {
                in_use => filter.in_use(),
                q => view.people.q.as_deref().unwrap_or_default(),
                unit => view.people.unit(),
                user_type => view.people.user_type().map(UserType::as_str),
                access_role => view.people.access_role().map(AccessRole::as_str),
                page => page_number,
            },
            units,
            user_types => UserType::ALL.map(UserType::as_str),
            access_roles => [AccessRole::Admin, AccessRole::User].map(AccessRole::as_str),
            grants,
            solutions,
            people_to_grant => grantable,
            can_edit,
            refused => view.refused.map(Refusal::view),
            saved => view.saved,
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct UserTypeForm {
    #[serde(default, deserialize_with = "empty_as_none")]
    user_id: Option<i64>,
    /// The type the page showed when the administrator chose.
    #[serde(default)]
    seen: String,
    #[serde(default)]
    user_type: String,
}

/// `POST /brugerhaandtering/{org}/brugertype`: an administrator sets one
/// person's user type; back to the same list, the change confirmed.
pub async fn set_user_type(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(org_id): Path<i64>,
    form: PageForm<UserTypeForm>,
) -> Result<Response, AppError> {
    let (org, _) = municipality_access(&state, &signed_in, OrgId(org_id)).await?;
    let access = admin_access(&signed_in, &org)?;
    let user_id = form.input.as_ref().ok().and_then(|f| f.user_id);
    let form_id = format!("type-{}", user_id.unwrap_or_default());
    let (form, typed) = unread(lang, &form_id, form);
    let people = PeopleQuery::from_typed(&typed);
    let outcome = match form {
        Ok(UserTypeForm {
            user_id: Some(user),
            seen,
            user_type,
        }) => match (UserType::parse(&seen), UserType::parse(&user_type)) {
            (Some(seen), Some(wanted)) => attempt(
                lang,
                "access-error",
                &form_id,
                &typed,
                state
                    .shell
                    .storage
                    .set_user_type(&access, UserId(user), seen, wanted),
            )
            .await?
            .map(|_| ()),
            _ => Err(Refusal::new(&form_id, typed.clone())
                .field("user_type", lang.text("user-admin-error-type", &[]))),
        },
        Ok(_) => return Err(AppError::NotFound),
        Err(refusal) => Err(refusal),
    };
    match outcome {
        Ok(()) => {
            let mut params = people.params(org.id);
            params.push(("page", people.page().to_string()));
            params.push(("gemt", "user-type".to_owned()));
            Ok(Redirect::to(&list_href(PATH, &params)).into_response())
        }
        Err(refusal) => {
            let view = PageView {
                people: &people,
                refused: Some(&refusal),
                saved: None,
            };
            let html = render_user_admin(&state, lang, &signed_in, org.id, view).await?;
            Ok(Refusal::respond(html))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct GrantForm {
    #[serde(default, deserialize_with = "empty_as_none")]
    user_id: Option<i64>,
    #[serde(default, deserialize_with = "empty_as_none")]
    solution_id: Option<i64>,
}

/// Grants (`/tildel`) or revokes (`/fjern`) a person's access to an IT
/// solution.
pub async fn change_access(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((org_id, action)): Path<(i64, String)>,
    form: PageForm<GrantForm>,
) -> Result<Response, AppError> {
    let (org, _) = municipality_access(&state, &signed_in, OrgId(org_id)).await?;
    let access = admin_access(&signed_in, &org)?;
    if !["tildel", "fjern"].contains(&action.as_str()) {
        return Err(AppError::NotFound);
    }
    let (form, typed) = unread(lang, "grant", form);
    let outcome = match form {
        // "Giv adgang" with a choice left out says which.
        Ok(GrantForm {
            user_id: Some(user),
            solution_id: Some(solution),
        }) => {
            let (user, solution) = (UserId(user), ProjectId(solution));
            let name = match action.as_str() {
                "tildel" => "grant".to_owned(),
                _ => format!("revoke-{}-{}", user.0, solution.0),
            };
            match action.as_str() {
                "tildel" => attempt(
                    lang,
                    "access-error",
                    &name,
                    &typed,
                    state.storage.grant_solution_access(&access, user, solution),
                )
                .await?
                .map(|_| "granted"),
                _ => attempt(
                    lang,
                    "access-error",
                    &name,
                    &typed,
                    state
                        .storage
                        .revoke_solution_access(&access, user, solution),
                )
                .await?
                .map(|_| "revoked"),
            }
        }
        Ok(GrantForm {
            user_id,
            solution_id,
        }) => {
            let mut refusal = Refusal::new("grant", typed.clone());
            if user_id.is_none() {
                refusal = refusal.field("user_id", lang.text("access-error-choose-person", &[]));
            }
            if solution_id.is_none() {
                refusal = refusal.field(
                    "solution_id",
                    lang.text("access-error-choose-solution", &[]),
                );
            }
            Err(refusal)
        }
        Err(refusal) => Err(refusal),
    };
    match outcome {
        Ok(saved) => {
            Ok(Redirect::to(&format!("{PATH}?kommune={}&gemt={saved}", org.id.0)).into_response())
        }
        Err(refusal) => {
            let people = PeopleQuery::default();
            let view = PageView {
                people: &people,
                refused: Some(&refusal),
                saved: None,
            };
            let html = render_user_admin(&state, lang, &signed_in, org.id, view).await?;
            Ok(Refusal::respond(html))
        }
    }
}

pub(crate) fn routes() -> Vec<samspil_web::routes::PageRoute<CoordinationState>> {
    use samspil_web::routes::PageRoute;
    vec![
        PageRoute::get(PATH, user_admin),
        PageRoute::post("/brugerhaandtering/{org}/brugertype", set_user_type),
        PageRoute::post("/brugerhaandtering/{org}/{action}", change_access),
    ]
}
