//! The role gallery pages: a municipality's roles and their holders, the
//! community's role catalogue, the gap report, access to IT solutions
//! ("Brugerhåndtering") and the contact lists kept by hand.
//!
//! Every write goes through the same storage calls as the JSON API, so the
//! rules (a reader never holds a role, access before role, one
//! municipality's administrator only at home) hold in both.

use samspil_web::municipality_picker::{
    Chosen, MunicipalityPicker, chosen_municipality, picker_for,
};
use std::future::Future;

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use samspil_coordination::role::{AssignmentId, RoleId};
use samspil_coordination::task::ProjectId;
use samspil_coordination_storage::RoleAssignment;
use samspil_domain::{CommunityAccess, OrgAccess, OrgId, OrgKind};
use samspil_report::{Cell, Column, Table};
use samspil_storage::StorageError;
use serde::{Deserialize, Serialize};

use crate::CoordinationState;
use crate::api_roles::{
    AssignmentInput, ContactEntryInput, ContactListView, RoleGapView, RoleInput, RoleView,
    new_assignment, visible_assignment_warnings, visible_gaps,
};
use crate::pages_tasks::export_response;
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::form::{PageForm, Refusal, Typed};
use samspil_web::format::format_date;
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use samspil_web::pages::empty_as_none;

use crate::pages_tasks::{SavedQuery, saved_kind};

/// Runs a write a form asked for: done, or the form refused (a broken rule
/// at its field, in the person's language: `rule-…` texts, else
/// `{prefix}-{field}`); anything else is an error page.
pub(crate) async fn attempt<T>(
    lang: Lang,
    prefix: &str,
    form: &str,
    typed: &Typed,
    write: impl Future<Output = Result<T, StorageError>>,
) -> Result<Result<T, Refusal>, AppError> {
    match write.await {
        Ok(value) => Ok(Ok(value)),
        Err(error) => Refusal::of(error.into(), lang, prefix, form, typed.clone()).map(Err),
    }
}

/// A form read and checked before it is written: its refusal, if any.
fn refused_input<T>(
    lang: Lang,
    form: &str,
    typed: &Typed,
    input: Result<T, AppError>,
) -> Result<Result<T, Refusal>, AppError> {
    match input {
        Ok(value) => Ok(Ok(value)),
        Err(error) => Refusal::of(error, lang, "role-error", form, typed.clone()).map(Err),
    }
}

/// A page form that could not be read into its fields.
pub(crate) fn unread<T>(
    lang: Lang,
    form: &str,
    PageForm { input, typed }: PageForm<T>,
) -> (Result<T, Refusal>, Typed) {
    match input {
        Ok(value) => (Ok(value), typed),
        Err(unreadable) => (
            Err(Refusal::unreadable(lang, form, unreadable, typed.clone())),
            typed,
        ),
    }
}

/// What the gallery, the access page and the contact lists confirm after a
/// redirect.
pub(crate) const ROLE_SAVED: &[&str] = &[
    "holder",
    "ended",
    "primary",
    "solution",
    "granted",
    "revoked",
    "role",
    "list",
    "entry",
    "entry-changed",
    "deleted",
];

#[derive(Debug, Deserialize)]
pub struct OrgQuery {
    /// The municipality: a name, a part of one, a code or an id
    /// (`samspil_web::municipality_picker`).
    kommune: Option<String>,
}

/// The municipality a page is about (`chosen_municipality`), or the page
/// without one: the picker, with what was typed said at its field.
pub(crate) async fn chosen_org(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    query: &OrgQuery,
) -> Result<Chosen, AppError> {
    let organisations = state.shell.storage.organisations().await?;
    chosen_municipality(lang, &organisations, signed_in, query.kommune.as_deref())
}

/// The picker showing the chosen municipality, for staff.
pub(crate) async fn staff_picker(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    org: OrgId,
) -> Result<Option<MunicipalityPicker>, AppError> {
    if !signed_in.principal.is_staff() {
        return Ok(None);
    }
    let organisations = state.shell.storage.organisations().await?;
    Ok(picker_for(lang, &organisations, signed_in, org))
}

/// The municipality, and the caller's read access to it.
pub(crate) async fn municipality_access(
    state: &CoordinationState,
    signed_in: &SignedIn,
    org_id: OrgId,
) -> Result<(samspil_storage::Organisation, OrgAccess), AppError> {
    let org = state
        .shell
        .storage
        .organisation(org_id)
        .await?
        .filter(|o| o.kind == OrgKind::Municipality)
        .ok_or(AppError::NotFound)?;
    let access = signed_in
        .principal
        .read_access(org.id)
        .map_err(|_| AppError::ForbiddenOrg {
            org: org.name.clone(),
        })?;
    Ok((org, access))
}

pub(crate) fn admin_access(
    signed_in: &SignedIn,
    org: &samspil_storage::Organisation,
) -> Result<OrgAccess, AppError> {
    signed_in
        .principal
        .admin_access(org.id)
        .map_err(|refused| samspil_web::api::change_refusal(refused, org))
}

#[derive(Serialize)]
pub(crate) struct PersonOption {
    id: i64,
    name: String,
    /// `ordinary`, `light` or `reader`: the form says what each may do.
    pub(crate) user_type: &'static str,
}

pub(crate) async fn person_options(
    state: &CoordinationState,
    access: &OrgAccess,
) -> Result<Vec<PersonOption>, AppError> {
    Ok(state
        .shell
        .storage
        .users(access)
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| PersonOption {
            id: u.id.0,
            name: u.display_name,
            user_type: u.user_type.as_str(),
        })
        .collect())
}

#[derive(Serialize)]
struct HolderRow {
    id: i64,
    name: String,
    starts_on: String,
    ends_on: Option<String>,
    primary: bool,
    note: String,
    /// Starts later than today.
    upcoming: bool,
}

fn holder_row(lang: Lang, today: time::Date, a: RoleAssignment) -> HolderRow {
    HolderRow {
        id: a.id.0,
        name: a.user_name,
        starts_on: format_date(lang, Some(a.period.starts_on)).unwrap_or_default(),
        ends_on: format_date(lang, a.period.ends_on),
        primary: a.primary,
        note: a.note,
        upcoming: a.period.starts_on > today,
    }
}

#[derive(Serialize)]
struct RoleCard {
    role: RoleView,
    holders: Vec<HolderRow>,
    gaps: Vec<&'static str>,
}

#[derive(Serialize)]
struct SolutionRow {
    id: i64,
    name: String,
    used: bool,
}

/// A staff page before a municipality is chosen (or with a name the
/// picker did not know): the picker alone, and why not where it applies.
pub(crate) fn picking_page(
    page: &Page,
    template: &str,
    nav_active: &str,
    picker: MunicipalityPicker,
    refused: Option<&Refusal>,
) -> Result<Html<String>, AppError> {
    page.render(
        template,
        minijinja::context! {
            nav_active,
            is_staff => true,
            picker,
            refused => refused.map(Refusal::view),
        },
    )
}

/// `/rollegalleri`: who holds which role in one municipality.
pub async fn gallery(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(query): Query<OrgQuery>,
    Query(saved): Query<SavedQuery>,
) -> Result<Html<String>, AppError> {
    match chosen_org(&state, lang, &signed_in, &query).await? {
        Chosen::One(org) => {
            render_gallery(
                &state,
                lang,
                &signed_in,
                org,
                None,
                saved_kind(&saved, ROLE_SAVED),
            )
            .await
        }
        Chosen::Picking(picker, refused) => {
            let page = Page::new(&state, lang, "/rollegalleri", Some(&signed_in)).await?;
            picking_page(
                &page,
                "role_gallery.html",
                "roles",
                picker,
                refused.as_ref(),
            )
        }
    }
}

async fn render_gallery(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    org_id: OrgId,
    refused: Option<&Refusal>,
    saved: Option<&str>,
) -> Result<Html<String>, AppError> {
    let is_staff = signed_in.principal.is_staff();
    let page = Page::new(state, lang, "/rollegalleri", Some(signed_in)).await?;
    let (org, access) = municipality_access(state, signed_in, org_id).await?;
    let today = samspil_storage::now().date();
    let assignments = state.storage.role_assignments(&access).await?;
    let gaps = state.storage.role_gaps(&access, today).await?;
    let mut holders_by_role: Vec<(RoleId, HolderRow)> = assignments
        .into_iter()
        .filter(|a| !a.period.has_ended_by(today))
        .map(|a| (a.role_id, holder_row(lang, today, a)))
        .collect();
    let roles: Vec<RoleCard> = state
        .storage
        .municipality_roles(&access)
        .await?
        .into_iter()
        .map(|role| {
            let id = role.id;
            let (own, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut holders_by_role)
                .into_iter()
                .partition(|(r, _)| *r == id);
            holders_by_role = rest;
            RoleCard {
                holders: own.into_iter().map(|(_, h)| h).collect(),
                gaps: gaps
                    .iter()
                    .filter(|g| g.role_id == id)
                    .map(|g| g.kind.as_str())
                    .collect(),
                role: role.into(),
            }
        })
        .collect();
    // A mandatory role held by light users alone is warned about at the
    // top: they get no notifications, so the role's tasks reach nobody.
    let light_only: Vec<&str> = gaps
        .iter()
        .filter(|g| g.kind == samspil_coordination::role::GapKind::LightHoldersOnly)
        .map(|g| g.role_name.as_str())
        .collect();
    let can_edit = signed_in.principal.admin_access(org.id).is_ok();
    let solutions = match is_staff {
        true => {
            let used = state.storage.solutions_used(&access).await?;
            state
                .storage
                .projects()
                .await?
                .into_iter()
                .map(|p| SolutionRow {
                    used: used.contains(&p.id),
                    id: p.id.0,
                    name: p.name,
                })
                .collect()
        }
        false => Vec::new(),
    };
    let people = match can_edit {
        true => person_options(state, &access).await?,
        false => Vec::new(),
    };
    page.render(
        "role_gallery.html",
        minijinja::context! {
            nav_active => "roles",
            is_staff,
            org => minijinja::context! { id => org.id.0, name => org.name },
            picker => staff_picker(state, lang, signed_in, org.id).await?,
            roles,
            gap_count => gaps.len(),
            light_only,
            can_edit,
            people,
            solutions,
            refused => refused.map(Refusal::view),
            saved,
            today => samspil_web::format::input_date(Some(today)),
        },
    )
}

/// Re-renders the gallery after a refused form, or goes back to it.
async fn gallery_after(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    org: OrgId,
    outcome: Result<&str, Refusal>,
) -> Result<Response, AppError> {
    match outcome {
        Ok(saved) => Ok(
            Redirect::to(&format!("/rollegalleri?kommune={}&gemt={saved}", org.0)).into_response(),
        ),
        Err(refusal) => {
            let html = render_gallery(state, lang, signed_in, org, Some(&refusal), None).await?;
            Ok(Refusal::respond(html))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct AssignForm {
    #[serde(default, deserialize_with = "empty_as_none")]
    role_id: Option<i64>,
    #[serde(default, deserialize_with = "empty_as_none")]
    user_id: Option<i64>,
    starts_on: Option<String>,
    ends_on: Option<String>,
    #[serde(default)]
    primary: bool,
    #[serde(default)]
    note: String,
}

impl AssignForm {
    fn input(self) -> Result<AssignmentInput, AppError> {
        let required = |field| {
            AppError::Rule(samspil_domain::ValidationError::broke(
                field,
                "choose both a role and a person",
                samspil_domain::BrokenRule::Required,
            ))
        };
        let role_id = self.role_id.ok_or_else(|| required("role_id"))?;
        let user_id = self.user_id.ok_or_else(|| required("user_id"))?;
        Ok(AssignmentInput {
            role_id,
            user_id,
            starts_on: self.starts_on.filter(|d| !d.trim().is_empty()),
            ends_on: self.ends_on.filter(|d| !d.trim().is_empty()),
            primary: self.primary,
            note: self.note,
        })
    }
}

/// An administrator gives a role to a person of their municipality.
pub async fn assign(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(org_id): Path<i64>,
    form: PageForm<AssignForm>,
) -> Result<Response, AppError> {
    let (org, _) = municipality_access(&state, &signed_in, OrgId(org_id)).await?;
    let access = admin_access(&signed_in, &org)?;
    let (form, typed) = unread(lang, "assign", form);
    let outcome = match form {
        Ok(form) => match refused_input(
            lang,
            "assign",
            &typed,
            form.input().and_then(new_assignment),
        )? {
            Ok(assignment) => attempt(
                lang,
                "role-error",
                "assign",
                &typed,
                state.storage.assign_role(&access, &assignment),
            )
            .await?
            .map(|_| "holder"),
            Err(refusal) => Err(refusal),
        },
        Err(refusal) => Err(refusal),
    };
    gallery_after(&state, lang, &signed_in, org.id, outcome).await
}

#[derive(Debug, Deserialize)]
pub struct EndForm {
    last_day: Option<String>,
}

/// Ends an assignment; the holder keeps the role through the last day.
pub async fn end_assignment(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((org_id, id)): Path<(i64, i64)>,
    form: PageForm<EndForm>,
) -> Result<Response, AppError> {
    let (org, _) = municipality_access(&state, &signed_in, OrgId(org_id)).await?;
    let access = admin_access(&signed_in, &org)?;
    let name = format!("end-{id}");
    let (form, typed) = unread(lang, &name, form);
    let outcome = match form {
        Ok(form) => {
            let last_day = crate::api_tasks::parse_date("last_day", form.last_day.as_deref())
                .map(|d| d.unwrap_or_else(|| samspil_storage::now().date()));
            match refused_input(lang, &name, &typed, last_day)? {
                Ok(last_day) => attempt(
                    lang,
                    "role-error",
                    &name,
                    &typed,
                    state
                        .storage
                        .end_role_assignment(&access, AssignmentId(id), last_day),
                )
                .await?
                .map(|_| "ended"),
                Err(refusal) => Err(refusal),
            }
        }
        Err(refusal) => Err(refusal),
    };
    gallery_after(&state, lang, &signed_in, org.id, outcome).await
}

/// Marks the holder who receives what goes to one person only.
pub async fn mark_primary(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((org_id, id)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (org, _) = municipality_access(&state, &signed_in, OrgId(org_id)).await?;
    let access = admin_access(&signed_in, &org)?;
    let outcome = attempt(
        lang,
        "role-error",
        &format!("end-{id}"),
        &Typed::default(),
        state.storage.mark_primary_holder(&access, AssignmentId(id)),
    )
    .await?
    .map(|_| "primary");
    gallery_after(&state, lang, &signed_in, org.id, outcome).await
}

#[derive(Debug, Deserialize)]
pub struct SolutionUseForm {
    uses: bool,
}

/// Community staff record whether the municipality uses an IT solution.
pub async fn set_solution_use(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((org_id, project)): Path<(i64, i64)>,
    form: PageForm<SolutionUseForm>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let name = format!("solution-{project}");
    let (form, typed) = unread(lang, &name, form);
    let outcome = match form {
        Ok(form) => attempt(
            lang,
            "role-error",
            &name,
            &typed,
            state
                .storage
                .set_solution_use(&access, OrgId(org_id), ProjectId(project), form.uses),
        )
        .await?
        .map(|_| "solution"),
        Err(refusal) => Err(refusal),
    };
    gallery_after(&state, lang, &signed_in, OrgId(org_id), outcome).await
}

/// `/rollegalleri/katalog`: the role catalogue (community staff).
pub async fn catalogue(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(query): Query<CatalogueQuery>,
    Query(saved): Query<SavedQuery>,
) -> Result<Html<String>, AppError> {
    let saved = saved_kind(&saved, ROLE_SAVED);
    render_catalogue(&state, lang, &signed_in, query.ny, None, saved).await
}

#[derive(Debug, Deserialize)]
pub struct CatalogueQuery {
    /// The task that announced a role just created.
    #[serde(default, deserialize_with = "empty_as_none")]
    ny: Option<i64>,
}

async fn render_catalogue(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    announced_task: Option<i64>,
    refused: Option<&Refusal>,
    saved: Option<&str>,
) -> Result<Html<String>, AppError> {
    signed_in.principal.community_access()?;
    let roles: Vec<RoleView> = state
        .storage
        .roles()
        .await?
        .into_iter()
        .map(RoleView::from)
        .collect();
    let page = Page::new(state, lang, "/rollegalleri/katalog", Some(signed_in)).await?;
    page.render(
        "role_catalogue.html",
        minijinja::context! {
            nav_active => "roles",
            roles,
            solutions => crate::pages_tasks::project_options(state).await?,
            announced_task,
            refused => refused.map(Refusal::view),
            saved,
        },
    )
}

/// The role form as HTML sends it: empty fields, ticked boxes as `true`.
#[derive(Debug, Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    assignment_guidance: String,
    #[serde(default, deserialize_with = "empty_as_none")]
    solution_id: Option<i64>,
    #[serde(default)]
    mandatory: bool,
    #[serde(default, deserialize_with = "empty_as_none")]
    max_holders: Option<u32>,
    #[serde(default)]
    requires_primary: bool,
}

impl RoleForm {
    fn input(&self) -> RoleInput {
        RoleInput {
            name: self.name.clone(),
            description: self.description.clone(),
            assignment_guidance: self.assignment_guidance.clone(),
            solution_id: self.solution_id,
            mandatory: self.mandatory,
            max_holders: self.max_holders,
            requires_primary: self.requires_primary,
        }
    }
}

/// A new role: published to the municipalities it applies to as a task in
/// "KLIK".
pub async fn create_role(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    form: PageForm<RoleForm>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let (form, typed) = unread(lang, "role", form);
    let outcome = match form {
        Ok(form) => {
            attempt(
                lang,
                "role-error",
                "role",
                &typed,
                state
                    .storage
                    .create_role(&access, form.input().into(), true),
            )
            .await?
        }
        Err(refusal) => Err(refusal),
    };
    match outcome {
        Ok((_, task)) => {
            let target = match task {
                Some(task) => format!("/rollegalleri/katalog?ny={}", task.0),
                None => "/rollegalleri/katalog?gemt=role".to_owned(),
            };
            Ok(Redirect::to(&target).into_response())
        }
        Err(refusal) => {
            let html =
                render_catalogue(&state, lang, &signed_in, None, Some(&refusal), None).await?;
            Ok(Refusal::respond(html))
        }
    }
}

/// `/rollegalleri/katalog/{id}`: change a role.
pub async fn role_edit_form(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    render_role_edit(&state, lang, &signed_in, RoleId(id), None).await
}

async fn render_role_edit(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    id: RoleId,
    refused: Option<&Refusal>,
) -> Result<Html<String>, AppError> {
    signed_in.principal.community_access()?;
    let role = state
        .storage
        .roles()
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(AppError::NotFound)?;
    let role = RoleView::from(role);
    let echo = minijinja::context! {
        name => role.name,
        description => role.description,
        assignment_guidance => role.assignment_guidance,
        solution_id => role.solution_id,
        mandatory => role.mandatory,
        max_holders => role.max_holders,
        requires_primary => role.requires_primary,
    };
    let path = format!("/rollegalleri/katalog/{}", id.0);
    let page = Page::new(state, lang, &path, Some(signed_in)).await?;
    page.render(
        "role_edit.html",
        minijinja::context! {
            nav_active => "roles",
            role,
            form => echo,
            refused => refused.map(Refusal::view),
            solutions => crate::pages_tasks::project_options(state).await?,
        },
    )
}

pub async fn update_role(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    form: PageForm<RoleForm>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let (form, typed) = unread(lang, "role", form);
    let outcome = match form {
        Ok(form) => {
            attempt(
                lang,
                "role-error",
                "role",
                &typed,
                state
                    .storage
                    .update_role(&access, RoleId(id), form.input().into()),
            )
            .await?
        }
        Err(refusal) => Err(refusal),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to("/rollegalleri/katalog?gemt=role").into_response()),
        Err(refusal) => {
            let html =
                render_role_edit(&state, lang, &signed_in, RoleId(id), Some(&refusal)).await?;
            Ok(Refusal::respond(html))
        }
    }
}

/// `/rollegalleri/katalog/{id}/indehavere.csv`: every current holder of a
/// role with municipality, mail and phone (community staff).
pub async fn holders_export(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, file)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let format = file.strip_prefix("indehavere.").ok_or(AppError::NotFound)?;
    let holders = state
        .storage
        .role_holders(&access, RoleId(id), samspil_storage::now().date())
        .await?;
    let t = |key: &str| lang.text(key, &[]);
    let rows = holders
        .into_iter()
        .map(|h| {
            vec![
                h.org_code
                    .map(|c| Cell::Text(c.to_string()))
                    .unwrap_or(Cell::Empty),
                Cell::Text(h.org_name),
                Cell::Text(h.role_name),
                Cell::Text(h.name),
                h.email.map(Cell::Text).unwrap_or(Cell::Empty),
                h.phone.map(Cell::Text).unwrap_or(Cell::Empty),
                Cell::Text(if h.primary {
                    t("answers-yes")
                } else {
                    String::new()
                }),
            ]
        })
        .collect();
    let columns = vec![
        Column::text(t("orgs-code")),
        Column::text(t("orgs-name")),
        Column::text(t("role-name")),
        Column::text(t("role-holder")),
        Column::text(t("contact-email")),
        Column::text(t("contact-phone")),
        Column::text(t("role-primary")),
    ];
    let table = Table::new(t("role-holders-title"), columns, rows)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    export_response(&table, format, "rolleindehavere")
}

/// `/rollegalleri/huller`: empty mandatory roles, missing primary holders,
/// disabled or bouncing holders — everywhere for staff, at home otherwise.
pub async fn gaps(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Html<String>, AppError> {
    let gaps: Vec<RoleGapView> = visible_gaps(&state, &signed_in.principal, signed_in.user.org_id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    // Tasks given to someone who cannot act on them are listed beside the
    // roles: the same kind of hole, seen from the task.
    let task_warnings: Vec<minijinja::Value> =
        visible_assignment_warnings(&state, &signed_in.principal, signed_in.user.org_id)
            .await?
            .into_iter()
            .map(|w| {
                minijinja::context! {
                    task_id => w.task_id.0,
                    task => match w.task_code {
                        Some(code) => format!("{code} {}", w.task_title),
                        None => w.task_title,
                    },
                    org_id => w.org_id.0,
                    municipality => w.org_name,
                    code => w.org_code.map(|c| c.to_string()),
                    assignee => w.assignee_name,
                    kind => w.warning.as_str(),
                }
            })
            .collect();
    let page = Page::new(&state, lang, "/rollegalleri/huller", Some(&signed_in)).await?;
    page.render(
        "role_gaps.html",
        minijinja::context! {
            nav_active => "roles",
            is_staff => signed_in.principal.is_staff(),
            gaps,
            task_warnings,
        },
    )
}

/// `/rollegalleri/huller/eksport.{csv,xlsx}`: what the page shows, in one
/// table: the roles' gaps (an empty mandatory role, no primary holder, a
/// mandatory role of light users alone, a reader, closed or bouncing
/// holder), then the open tasks given to a reader or to an empty role.
pub async fn gaps_export(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let format = file.strip_prefix("eksport.").ok_or(AppError::NotFound)?;
    let gaps = visible_gaps(&state, &signed_in.principal, signed_in.user.org_id).await?;
    let warnings =
        visible_assignment_warnings(&state, &signed_in.principal, signed_in.user.org_id).await?;
    let t = |key: &str| lang.text(key, &[]);
    let code = |c: Option<samspil_domain::MunicipalityCode>| {
        c.map(|c| Cell::Text(c.to_string())).unwrap_or(Cell::Empty)
    };
    let role_rows = gaps.into_iter().map(|g| {
        vec![
            code(g.org_code),
            Cell::Text(g.org_name),
            Cell::Text(g.role_name),
            Cell::Empty,
            Cell::Text(t(&format!("gap-kind-{}", g.kind.as_str()))),
            Cell::Text(g.holders.join(", ")),
            Cell::Empty,
        ]
    });
    let task_rows = warnings.into_iter().map(|w| {
        vec![
            code(w.org_code),
            Cell::Text(w.org_name),
            Cell::Empty,
            Cell::Text(match w.task_code {
                Some(code) => format!("{code} {}", w.task_title),
                None => w.task_title,
            }),
            Cell::Text(t(&format!(
                "assignment-warning-kind-{}",
                w.warning.as_str()
            ))),
            Cell::Empty,
            Cell::Text(w.assignee_name),
        ]
    });
    let columns = vec![
        Column::text(t("orgs-code")),
        Column::text(t("orgs-name")),
        Column::text(t("role-name")),
        Column::text(t("gaps-task")),
        Column::text(t("gaps-kind")),
        Column::text(t("gaps-holders")),
        Column::text(t("gaps-given-to")),
    ];
    let table = Table::new(
        t("gaps-title"),
        columns,
        role_rows.chain(task_rows).collect(),
    )
    .map_err(|e| AppError::Internal(e.to_string()))?;
    export_response(&table, format, "rollehuller")
}

/// `/kontaktlister`: the lists the community keeps by hand (staff).
pub async fn contact_lists(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
) -> Result<Html<String>, AppError> {
    render_contact_lists(&state, lang, &signed_in, None).await
}

async fn render_contact_lists(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    refused: Option<&Refusal>,
) -> Result<Html<String>, AppError> {
    let access = signed_in.principal.community_access()?;
    let lists: Vec<ContactListView> = state
        .storage
        .contact_lists(&access)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    let roles: Vec<RoleView> = state
        .storage
        .roles()
        .await?
        .into_iter()
        .map(RoleView::from)
        .collect();
    let page = Page::new(state, lang, "/kontaktlister", Some(signed_in)).await?;
    page.render(
        "contact_lists.html",
        minijinja::context! {
            nav_active => "contacts",
            lists,
            roles,
            refused => refused.map(Refusal::view),
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct ContactListForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
}

pub async fn create_contact_list(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    form: PageForm<ContactListForm>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let (form, typed) = unread(lang, "list", form);
    let outcome = match form {
        Ok(form) => {
            attempt(
                lang,
                "contact-error",
                "list",
                &typed,
                state
                    .storage
                    .create_contact_list(&access, &form.name, &form.description),
            )
            .await?
        }
        Err(refusal) => Err(refusal),
    };
    match outcome {
        Ok(list) => {
            // The list's own address, which the creator goes on from.
            Ok(Redirect::to(&format!("/kontaktlister/{}", list.id)).into_response())
        }
        Err(refusal) => {
            let html = render_contact_lists(&state, lang, &signed_in, Some(&refusal)).await?;
            Ok(Refusal::respond(html))
        }
    }
}

async fn find_contact_list(
    state: &CoordinationState,
    access: &CommunityAccess,
    id: i64,
) -> Result<ContactListView, AppError> {
    state
        .storage
        .contact_lists(access)
        .await?
        .into_iter()
        .find(|l| l.id == id)
        .map(Into::into)
        .ok_or(AppError::NotFound)
}

/// `/kontaktlister/{id}`: one list's entries.
pub async fn contact_list(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Query(saved): Query<SavedQuery>,
) -> Result<Html<String>, AppError> {
    let saved = saved_kind(&saved, ROLE_SAVED);
    render_contact_list(&state, lang, &signed_in, id, None, saved).await
}

async fn render_contact_list(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    id: i64,
    refused: Option<&Refusal>,
    saved: Option<&str>,
) -> Result<Html<String>, AppError> {
    let access = signed_in.principal.community_access()?;
    let list = find_contact_list(state, &access, id).await?;
    let entries: Vec<crate::api_roles::ContactEntryView> = state
        .storage
        .contact_entries(&access, id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    let path = format!("/kontaktlister/{id}");
    let page = Page::new(state, lang, &path, Some(signed_in)).await?;
    page.render(
        "contact_list.html",
        minijinja::context! {
            nav_active => "contacts",
            list,
            entries,
            municipalities => crate::pages_messages::municipality_choices(state).await?,
            refused => refused.map(Refusal::view),
            saved,
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct ContactEntryForm {
    #[serde(default, deserialize_with = "empty_as_none")]
    org_id: Option<i64>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    function: String,
    #[serde(default)]
    note: String,
}

impl From<ContactEntryForm> for ContactEntryInput {
    fn from(form: ContactEntryForm) -> Self {
        let given = |text: String| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        ContactEntryInput {
            org_id: form.org_id,
            name: form.name,
            email: given(form.email),
            phone: given(form.phone),
            function: form.function,
            note: form.note,
        }
    }
}

pub async fn add_contact_entry(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    form: PageForm<ContactEntryForm>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let (form, typed) = unread(lang, "entry", form);
    let outcome = match form {
        Ok(form) => {
            let entry = ContactEntryInput::from(form).into();
            attempt(
                lang,
                "contact-error",
                "entry",
                &typed,
                state.storage.add_contact_entry(&access, id, &entry),
            )
            .await?
        }
        Err(refusal) => Err(refusal),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/kontaktlister/{id}?gemt=entry")).into_response()),
        Err(refusal) => {
            let html =
                render_contact_list(&state, lang, &signed_in, id, Some(&refusal), None).await?;
            Ok(Refusal::respond(html))
        }
    }
}

/// One entry of a list, as its pages show it.
async fn find_contact_entry(
    state: &CoordinationState,
    access: &CommunityAccess,
    list: i64,
    entry: i64,
) -> Result<crate::api_roles::ContactEntryView, AppError> {
    state
        .storage
        .contact_entries(access, list)
        .await?
        .into_iter()
        .find(|e| e.id == entry)
        .map(Into::into)
        .ok_or(AppError::NotFound)
}

/// `GET /kontaktlister/{id}/poster/{entry}/slet`: asks before an entry is
/// deleted; the page posts the deletion.
pub async fn confirm_delete_contact_entry(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, entry)): Path<(i64, i64)>,
) -> Result<Html<String>, AppError> {
    let access = signed_in.principal.community_access()?;
    let list = find_contact_list(&state, &access, id).await?;
    let entry = find_contact_entry(&state, &access, id, entry).await?;
    let path = format!("/kontaktlister/{id}/poster/{}/slet", entry.id);
    let page = Page::new(&state, lang, &path, Some(&signed_in)).await?;
    page.render(
        "contact_delete.html",
        minijinja::context! { nav_active => "contacts", list, entry },
    )
}

/// `GET /kontaktlister/{id}/poster/{entry}/rediger`: the entry's fields to
/// change, the same as when it was added.
pub async fn edit_contact_entry(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, entry)): Path<(i64, i64)>,
) -> Result<Html<String>, AppError> {
    render_contact_edit(&state, lang, &signed_in, id, entry, None).await
}

async fn render_contact_edit(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    id: i64,
    entry: i64,
    refused: Option<&Refusal>,
) -> Result<Html<String>, AppError> {
    let access = signed_in.principal.community_access()?;
    let list = find_contact_list(state, &access, id).await?;
    let current = find_contact_entry(state, &access, id, entry).await?;
    let path = format!("/kontaktlister/{id}/poster/{entry}/rediger");
    let page = Page::new(state, lang, &path, Some(signed_in)).await?;
    page.render(
        "contact_edit.html",
        minijinja::context! {
            nav_active => "contacts",
            list,
            current,
            municipalities => crate::pages_messages::municipality_choices(state).await?,
            refused => refused.map(Refusal::view),
        },
    )
}

/// `POST /kontaktlister/{id}/poster/{entry}/rediger`: saves the changed
/// entry, or shows the form again with what was typed and why not.
pub async fn update_contact_entry(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, entry)): Path<(i64, i64)>,
    form: PageForm<ContactEntryForm>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let (form, typed) = unread(lang, "entry", form);
    let outcome = match form {
        Ok(form) => {
            let changed = ContactEntryInput::from(form).into();
            attempt(
                lang,
                "contact-error",
                "entry",
                &typed,
                state
                    .storage
                    .update_contact_entry(&access, id, entry, &changed),
            )
            .await?
        }
        Err(refusal) => Err(refusal),
    };
    match outcome {
        Ok(_) => {
            Ok(Redirect::to(&format!("/kontaktlister/{id}?gemt=entry-changed")).into_response())
        }
        Err(refusal) => {
            let html =
                render_contact_edit(&state, lang, &signed_in, id, entry, Some(&refusal)).await?;
            Ok(Refusal::respond(html))
        }
    }
}

pub async fn delete_contact_entry(
    State(state): State<CoordinationState>,
    signed_in: SignedIn,
    Path((id, entry)): Path<(i64, i64)>,
) -> Result<Redirect, AppError> {
    let access = signed_in.principal.community_access()?;
    state
        .storage
        .delete_contact_entry(&access, id, entry)
        .await?;
    Ok(Redirect::to(&format!("/kontaktlister/{id}?gemt=deleted")))
}

/// `/kontaktlister/{id}/eksport.{csv,xlsx}`.
pub async fn contact_list_export(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path((id, file)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let format = file.strip_prefix("eksport.").ok_or(AppError::NotFound)?;
    let list = find_contact_list(&state, &access, id).await?;
    let t = |key: &str| lang.text(key, &[]);
    let rows = state
        .storage
        .contact_entries(&access, id)
        .await?
        .into_iter()
        .map(|e| {
            vec![
                e.org_name.map(Cell::Text).unwrap_or(Cell::Empty),
                Cell::Text(e.function),
                Cell::Text(e.name),
                e.email.map(Cell::Text).unwrap_or(Cell::Empty),
                e.phone.map(Cell::Text).unwrap_or(Cell::Empty),
                Cell::Text(e.note),
            ]
        })
        .collect();
    let columns = vec![
        Column::text(t("picker-municipality")),
        Column::text(t("contact-function")),
        Column::text(t("contact-person")),
        Column::text(t("contact-email")),
        Column::text(t("contact-phone")),
        Column::text(t("contact-note")),
    ];
    let table =
        Table::new(list.name, columns, rows).map_err(|e| AppError::Internal(e.to_string()))?;
    export_response(&table, format, "kontaktliste")
}

/// Coordination: the role gallery, the role catalogue, access to IT solutions and the contact lists.
pub(crate) fn routes() -> Vec<samspil_web::routes::PageRoute<CoordinationState>> {
    use samspil_web::routes::PageRoute;
    vec![
        PageRoute::get("/rollegalleri", gallery),
        PageRoute::post("/rollegalleri/{org}/tildelinger", assign),
        PageRoute::post(
            "/rollegalleri/{org}/tildelinger/{id}/afslut",
            end_assignment,
        ),
        PageRoute::post("/rollegalleri/{org}/tildelinger/{id}/primaer", mark_primary),
        PageRoute::post(
            "/rollegalleri/{org}/it-loesninger/{project}",
            set_solution_use,
        ),
        PageRoute::get("/rollegalleri/katalog", catalogue),
        PageRoute::post("/rollegalleri/katalog", create_role),
        PageRoute::get("/rollegalleri/katalog/{id}", role_edit_form),
        PageRoute::post("/rollegalleri/katalog/{id}", update_role),
        PageRoute::get("/rollegalleri/katalog/{id}/{file}", holders_export),
        PageRoute::get("/rollegalleri/huller", gaps),
        PageRoute::get("/rollegalleri/huller/{file}", gaps_export),
        PageRoute::get("/kontaktlister", contact_lists),
        PageRoute::post("/kontaktlister", create_contact_list),
        PageRoute::get("/kontaktlister/{id}", contact_list),
        PageRoute::post("/kontaktlister/{id}/poster", add_contact_entry),
        PageRoute::get(
            "/kontaktlister/{id}/poster/{entry}/slet",
            confirm_delete_contact_entry,
        ),
        PageRoute::post(
            "/kontaktlister/{id}/poster/{entry}/slet",
            delete_contact_entry,
        ),
        PageRoute::get(
            "/kontaktlister/{id}/poster/{entry}/rediger",
            edit_contact_entry,
        ),
        PageRoute::post(
            "/kontaktlister/{id}/poster/{entry}/rediger",
            update_contact_entry,
        ),
        PageRoute::get("/kontaktlister/{id}/{file}", contact_list_export),
    ]
}
