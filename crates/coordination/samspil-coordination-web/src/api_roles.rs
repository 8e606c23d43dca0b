//! The role gallery in the JSON API: the catalogue, each municipality's
//! holders and access to IT solutions, gaps, contact lists, and giving a
//! task to a role or a person.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use samspil_coordination::role::{AssignmentId, AssignmentPeriod, RoleId, RoleSpec};
use samspil_coordination::task::{ProjectId, TaskId};
use samspil_coordination_storage::{
    ContactEntry, ContactList, NewAssignment, NewContactEntry, Role, RoleAssignment, RoleGap,
    RoleHolder, SolutionAccess, TaskAssignee,
};
use samspil_domain::{OrgId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::CoordinationState;
use crate::api_tasks::parse_date;
use samspil_web::api::{admin_access_to, read_access_to};
use samspil_web::auth::ApiCaller;
use samspil_web::error::{ApiErrorBody, AppError};

/// A role of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleView {
    pub id: i64,
    pub name: String,
    /// What the role is and does (KLIK's "mere").
    pub description: String,
    /// Whom a municipality should give the role to (KLIK's "tildeling").
    pub assignment_guidance: String,
    /// The IT solution (project) the role belongs to; absent for a
    /// cross-cutting role.
    pub solution_id: Option<i64>,
    pub solution: Option<String>,
    pub mandatory: bool,
    pub max_holders: Option<u32>,
    /// One holder must be marked primary.
    pub requires_primary: bool,
}

impl From<Role> for RoleView {
    fn from(role: Role) -> Self {
        RoleView {
            id: role.id.0,
            name: role.name,
            description: role.description,
            assignment_guidance: role.assignment_guidance,
            solution_id: role.solution_id.map(|p| p.0),
            solution: role.solution_name,
            mandatory: role.mandatory,
            max_holders: role.max_holders,
            requires_primary: role.requires_primary,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleInput {
    pub name: String,
    /// What the role is and does (KLIK's "mere").
    #[serde(default)]
    pub description: String,
    /// Whom a municipality should give the role to (KLIK's "tildeling").
    #[serde(default)]
    pub assignment_guidance: String,
    /// The IT solution (project id); absent for a cross-cutting role.
    pub solution_id: Option<i64>,
    #[serde(default)]
    pub mandatory: bool,
    pub max_holders: Option<u32>,
    #[serde(default)]
    pub requires_primary: bool,
}

impl From<RoleInput> for RoleSpec {
    fn from(input: RoleInput) -> Self {
        RoleSpec {
            name: input.name,
            description: input.description,
            assignment_guidance: input.assignment_guidance,
            solution: input.solution_id.map(ProjectId),
            mandatory: input.mandatory,
            max_holders: input.max_holders,
            requires_primary: input.requires_primary,
        }
    }
}

/// A new role and the task in "KLIK" that asks the municipalities to fill it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedRole {
    pub role: RoleView,
    pub task_id: i64,
}

/// The roles the caller sees: the whole catalogue for staff, the roles that
/// apply to their municipality for everyone else.
#[utoipa::path(get, path = "/api/v1/roles", tag = "roles",
    responses((status = 200, body = [RoleView]), (status = 401, body = ApiErrorBody)))]
pub(crate) async fn list_roles(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
) -> Result<Json<Vec<RoleView>>, AppError> {
    let roles = match caller.principal.community_access() {
        Ok(_) => state.storage.roles().await?,
        Err(_) => {
            let access = caller.principal.read_access(caller.user.org_id)?;
            state.storage.municipality_roles(&access).await?
        }
    };
    Ok(Json(roles.into_iter().map(RoleView::from).collect()))
}

/// Add a role to the catalogue (community staff). Publishes a task in the
/// project "KLIK" to every municipality the role applies to, with the
/// KLIK-administrator as recommended executor, and raises an event.
#[utoipa::path(post, path = "/api/v1/roles", tag = "roles", request_body = RoleInput,
    responses((status = 201, body = CreatedRole), (status = 403, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn create_role(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Json(input): Json<RoleInput>,
) -> Result<(StatusCode, Json<CreatedRole>), AppError> {
    let access = caller.principal.community_access()?;
    let (role, task) = state
        .storage
        .create_role(&access, input.into(), true)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedRole {
            role: role.into(),
            task_id: task.map(|t| t.0).ok_or_else(|| {
                AppError::Internal("an announced role comes with its task".into())
            })?,
        }),
    ))
}

/// Change a role of the catalogue (community staff).
#[utoipa::path(put, path = "/api/v1/roles/{id}", tag = "roles", request_body = RoleInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = RoleView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn update_role(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<RoleInput>,
) -> Result<Json<RoleView>, AppError> {
    let access = caller.principal.community_access()?;
    let role = state
        .storage
        .update_role(&access, RoleId(id), input.into())
        .await?;
    Ok(Json(role.into()))
}

/// A current holder of a role: a line of the contact list.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleHolderView {
    pub org_id: i64,
    pub municipality: String,
    pub code: Option<String>,
    pub role: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub primary: bool,
}

impl From<RoleHolder> for RoleHolderView {
    fn from(h: RoleHolder) -> Self {
        RoleHolderView {
            org_id: h.org_id.0,
            municipality: h.org_name,
            code: h.org_code.map(|c| c.to_string()),
            role: h.role_name,
            name: h.name,
            email: h.email,
            phone: h.phone,
            primary: h.primary,
        }
    }
}

/// The current holders of a role in every municipality (community staff).
#[utoipa::path(get, path = "/api/v1/roles/{id}/holders", tag = "roles",
    params(("id" = i64, Path)),
    responses((status = 200, body = [RoleHolderView]), (status = 403, body = ApiErrorBody)))]
pub(crate) async fn role_holders(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<RoleHolderView>>, AppError> {
    let access = caller.principal.community_access()?;
    let today = samspil_storage::now().date();
    let holders = state
        .storage
        .role_holders(&access, RoleId(id), today)
        .await?;
    Ok(Json(holders.into_iter().map(Into::into).collect()))
}

/// Who holds, held or will hold a role in a municipality.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentView {
    pub id: i64,
    pub role_id: i64,
    pub role: String,
    pub user_id: i64,
    pub login: String,
    pub name: String,
    /// First day, YYYY-MM-DD.
    pub starts_on: String,
    /// Last day, YYYY-MM-DD; absent while open-ended.
    pub ends_on: Option<String>,
    pub primary: bool,
    pub note: String,
    /// The assignment holds today.
    pub current: bool,
}

impl From<RoleAssignment> for AssignmentView {
    fn from(a: RoleAssignment) -> Self {
        AssignmentView {
            id: a.id.0,
            role_id: a.role_id.0,
            role: a.role_name,
            user_id: a.user_id.0,
            login: a.user_login,
            name: a.user_name,
            starts_on: a.period.starts_on.to_string(),
            ends_on: a.period.ends_on.map(|d| d.to_string()),
            primary: a.primary,
            note: a.note,
            current: a.period.holds_on(samspil_storage::now().date()),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentInput {
    pub role_id: i64,
    pub user_id: i64,
    /// First day (YYYY-MM-DD); today when absent.
    pub starts_on: Option<String>,
    /// Last day (YYYY-MM-DD); open-ended when absent.
    pub ends_on: Option<String>,
    #[serde(default)]
    pub primary: bool,
    /// A note or case number.
    #[serde(default)]
    pub note: String,
}

pub(crate) fn new_assignment(input: AssignmentInput) -> Result<NewAssignment, AppError> {
    let starts_on = parse_date("starts_on", input.starts_on.as_deref())?
        .unwrap_or_else(|| samspil_storage::now().date());
    let ends_on = parse_date("ends_on", input.ends_on.as_deref())?;
    Ok(NewAssignment {
        role_id: RoleId(input.role_id),
        user_id: UserId(input.user_id),
        period: AssignmentPeriod::new(starts_on, ends_on)?,
        primary: input.primary,
        note: input.note,
    })
}

/// A municipality's role assignments: its own people and staff only.
#[utoipa::path(get, path = "/api/v1/municipalities/{org_id}/role-assignments", tag = "roles",
    params(("org_id" = i64, Path)),
    responses((status = 200, body = [AssignmentView]), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_assignments(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(org_id): Path<i64>,
) -> Result<Json<Vec<AssignmentView>>, AppError> {
    let access = read_access_to(&state, &caller, OrgId(org_id)).await?;
    let assignments = state.storage.role_assignments(&access).await?;
    Ok(Json(assignments.into_iter().map(Into::into).collect()))
}

/// Give a role to a person of the municipality (its administrators and
/// staff). Refused for a reader, a disabled account, a person without
/// access to the role's IT solution, a role of a solution the municipality
/// does not use, or a role that is full.
#[utoipa::path(post, path = "/api/v1/municipalities/{org_id}/role-assignments", tag = "roles",
    params(("org_id" = i64, Path)), request_body = AssignmentInput,
    responses((status = 201, body = AssignmentView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn create_assignment(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(org_id): Path<i64>,
    Json(input): Json<AssignmentInput>,
) -> Result<(StatusCode, Json<AssignmentView>), AppError> {
    let access = admin_access_to(&state, &caller, OrgId(org_id)).await?;
    let created = state
        .storage
        .assign_role(&access, &new_assignment(input)?)
        .await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndAssignmentInput {
    /// The holder's last day (YYYY-MM-DD); today when absent.
    pub last_day: Option<String>,
}

/// End an assignment: the holder keeps the role through `last_day`.
#[utoipa::path(post, path = "/api/v1/municipalities/{org_id}/role-assignments/{id}/end",
    tag = "roles", params(("org_id" = i64, Path), ("id" = i64, Path)),
    request_body = EndAssignmentInput,
    responses((status = 200, body = AssignmentView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn end_assignment(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path((org_id, id)): Path<(i64, i64)>,
    Json(input): Json<EndAssignmentInput>,
) -> Result<Json<AssignmentView>, AppError> {
    let access = admin_access_to(&state, &caller, OrgId(org_id)).await?;
    let last_day = parse_date("last_day", input.last_day.as_deref())?
        .unwrap_or_else(|| samspil_storage::now().date());
    let ended = state
        .storage
        .end_role_assignment(&access, AssignmentId(id), last_day)
        .await?;
    Ok(Json(ended.into()))
}

/// Mark a holder as the role's primary holder (the others are unmarked).
#[utoipa::path(post, path = "/api/v1/municipalities/{org_id}/role-assignments/{id}/primary",
    tag = "roles", params(("org_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = AssignmentView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn mark_primary(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path((org_id, id)): Path<(i64, i64)>,
) -> Result<Json<AssignmentView>, AppError> {
    let access = admin_access_to(&state, &caller, OrgId(org_id)).await?;
    let marked = state
        .storage
        .mark_primary_holder(&access, AssignmentId(id))
        .await?;
    Ok(Json(marked.into()))
}

/// The IT solutions (project ids) a municipality uses.
#[utoipa::path(get, path = "/api/v1/municipalities/{org_id}/solutions", tag = "roles",
    params(("org_id" = i64, Path)),
    responses((status = 200, body = [i64]), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_solutions(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(org_id): Path<i64>,
) -> Result<Json<Vec<i64>>, AppError> {
    let access = read_access_to(&state, &caller, OrgId(org_id)).await?;
    let used = state.storage.solutions_used(&access).await?;
    Ok(Json(used.into_iter().map(|p| p.0).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SolutionUseInput {
    pub uses: bool,
}

/// Record whether a municipality uses an IT solution (community staff).
#[utoipa::path(put, path = "/api/v1/municipalities/{org_id}/solutions/{project_id}",
    tag = "roles", params(("org_id" = i64, Path), ("project_id" = i64, Path)),
    request_body = SolutionUseInput,
    responses((status = 204), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn set_solution_use(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path((org_id, project_id)): Path<(i64, i64)>,
    Json(input): Json<SolutionUseInput>,
) -> Result<StatusCode, AppError> {
    let access = caller.principal.community_access()?;
    state
        .storage
        .set_solution_use(&access, OrgId(org_id), ProjectId(project_id), input.uses)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A person's access to an IT solution.
#[derive(Debug, Serialize, ToSchema)]
pub struct SolutionAccessView {
    pub user_id: i64,
    pub name: String,
    pub solution_id: i64,
    pub solution: String,
    pub granted_at: String,
    pub granted_by: String,
}

impl From<SolutionAccess> for SolutionAccessView {
    fn from(a: SolutionAccess) -> Self {
        SolutionAccessView {
            user_id: a.user_id.0,
            name: a.user_name,
            solution_id: a.solution_id.0,
            solution: a.solution_name,
            granted_at: a
                .granted_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            granted_by: a.granted_by,
        }
    }
}

/// Who in a municipality has access to which IT solution (Brugerhåndtering).
#[utoipa::path(get, path = "/api/v1/municipalities/{org_id}/solution-access", tag = "roles",
    params(("org_id" = i64, Path)),
    responses((status = 200, body = [SolutionAccessView]), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_solution_access(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(org_id): Path<i64>,
) -> Result<Json<Vec<SolutionAccessView>>, AppError> {
    let access = read_access_to(&state, &caller, OrgId(org_id)).await?;
    let granted = state.storage.solution_access(&access).await?;
    Ok(Json(granted.into_iter().map(Into::into).collect()))
}

/// Give a person access to an IT solution (administrators and staff).
#[utoipa::path(put, path = "/api/v1/municipalities/{org_id}/solution-access/{user_id}/{project_id}",
    tag = "roles", params(("org_id" = i64, Path), ("user_id" = i64, Path), ("project_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn grant_solution_access(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path((org_id, user_id, project_id)): Path<(i64, i64, i64)>,
) -> Result<StatusCode, AppError> {
    let access = admin_access_to(&state, &caller, OrgId(org_id)).await?;
    state
        .storage
        .grant_solution_access(&access, UserId(user_id), ProjectId(project_id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Take a person's access to an IT solution away; refused while they hold
/// one of its roles.
#[utoipa::path(delete, path = "/api/v1/municipalities/{org_id}/solution-access/{user_id}/{project_id}",
    tag = "roles", params(("org_id" = i64, Path), ("user_id" = i64, Path), ("project_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn revoke_solution_access(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path((org_id, user_id, project_id)): Path<(i64, i64, i64)>,
) -> Result<StatusCode, AppError> {
    let access = admin_access_to(&state, &caller, OrgId(org_id)).await?;
    state
        .storage
        .revoke_solution_access(&access, UserId(user_id), ProjectId(project_id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Something wrong with a role in a municipality.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleGapView {
    pub org_id: i64,
    pub municipality: String,
    pub code: Option<String>,
    pub role_id: i64,
    pub role: String,
    /// `empty`, `no_primary`, `disabled_holder`, `bouncing_holder`,
    /// `light_holders_only` (a mandatory role whose holders all are light
    /// users, who get no notifications) or `reader_holder`.
    pub kind: String,
    /// The holders concerned (disabled, bouncing, light or readers).
    pub holders: Vec<String>,
}

impl From<RoleGap> for RoleGapView {
    fn from(g: RoleGap) -> Self {
        RoleGapView {
            org_id: g.org_id.0,
            municipality: g.org_name,
            code: g.org_code.map(|c| c.to_string()),
            role_id: g.role_id.0,
            role: g.role_name,
            kind: g.kind.as_str().to_owned(),
            holders: g.holders,
        }
    }
}

/// The gaps the caller may see: every municipality's for staff, their own
/// municipality's for everyone else.
pub(crate) async fn visible_gaps(
    state: &CoordinationState,
    principal: &samspil_domain::Principal,
    own_org: OrgId,
) -> Result<Vec<RoleGap>, AppError> {
    let today = samspil_storage::now().date();
    Ok(match principal.community_access() {
        Ok(access) => state.storage.all_role_gaps(&access, today).await?,
        Err(_) => {
            let access = principal.read_access(own_org)?;
            state.storage.role_gaps(&access, today).await?
        }
    })
}

/// The tasks given to a reader or to an empty role that the caller may
/// see: every municipality's for staff, their own municipality's for
/// everyone else.
pub(crate) async fn visible_assignment_warnings(
    state: &CoordinationState,
    principal: &samspil_domain::Principal,
    own_org: OrgId,
) -> Result<Vec<samspil_coordination_storage::TaskAssignmentWarning>, AppError> {
    let today = samspil_storage::now().date();
    Ok(match principal.community_access() {
        Ok(access) => {
            state
                .storage
                .all_assignment_warnings(&access, today)
                .await?
        }
        Err(_) => {
            let access = principal.read_access(own_org)?;
            state.storage.assignment_warnings(&access, today).await?
        }
    })
}

/// Role gaps: mandatory roles without a holder, roles without their
/// primary holder, holders whose account is disabled or whose mail bounces.
#[utoipa::path(get, path = "/api/v1/role-gaps", tag = "roles",
    responses((status = 200, body = [RoleGapView]), (status = 401, body = ApiErrorBody)))]
pub(crate) async fn list_gaps(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
) -> Result<Json<Vec<RoleGapView>>, AppError> {
    let gaps = visible_gaps(&state, &caller.principal, caller.user.org_id).await?;
    Ok(Json(gaps.into_iter().map(Into::into).collect()))
}

/// One municipality's role gaps: its own people and staff only.
#[utoipa::path(get, path = "/api/v1/municipalities/{org_id}/role-gaps", tag = "roles",
    params(("org_id" = i64, Path)),
    responses((status = 200, body = [RoleGapView]), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn municipality_gaps(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(org_id): Path<i64>,
) -> Result<Json<Vec<RoleGapView>>, AppError> {
    let access = read_access_to(&state, &caller, OrgId(org_id)).await?;
    let gaps = state
        .storage
        .role_gaps(&access, samspil_storage::now().date())
        .await?;
    Ok(Json(gaps.into_iter().map(Into::into).collect()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactListView {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub entries: i64,
}

impl From<ContactList> for ContactListView {
    fn from(l: ContactList) -> Self {
        ContactListView {
            id: l.id,
            name: l.name,
            description: l.description,
            entries: l.entry_count,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactListInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// The contact lists the community keeps by hand (community staff).
#[utoipa::path(get, path = "/api/v1/contact-lists", tag = "contacts",
    responses((status = 200, body = [ContactListView]), (status = 403, body = ApiErrorBody)))]
pub(crate) async fn list_contact_lists(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
) -> Result<Json<Vec<ContactListView>>, AppError> {
    let access = caller.principal.community_access()?;
    let lists = state.storage.contact_lists(&access).await?;
    Ok(Json(lists.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/contact-lists", tag = "contacts",
    request_body = ContactListInput,
    responses((status = 201, body = ContactListView), (status = 403, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn create_contact_list(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Json(input): Json<ContactListInput>,
) -> Result<(StatusCode, Json<ContactListView>), AppError> {
    let access = caller.principal.community_access()?;
    let list = state
        .storage
        .create_contact_list(&access, &input.name, &input.description)
        .await?;
    Ok((StatusCode::CREATED, Json(list.into())))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactEntryView {
    pub id: i64,
    pub org_id: Option<i64>,
    pub organisation: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Function or title, e.g. "Borgmester" or "DPO-funktionspostkasse".
    pub function: String,
    pub note: String,
}

impl From<ContactEntry> for ContactEntryView {
    fn from(e: ContactEntry) -> Self {
        ContactEntryView {
            id: e.id,
            org_id: e.org_id.map(|o| o.0),
            organisation: e.org_name,
            name: e.name,
            email: e.email,
            phone: e.phone,
            function: e.function,
            note: e.note,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactEntryInput {
    pub org_id: Option<i64>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[serde(default)]
    pub function: String,
    #[serde(default)]
    pub note: String,
}

impl From<ContactEntryInput> for NewContactEntry {
    fn from(input: ContactEntryInput) -> Self {
        NewContactEntry {
            org_id: input.org_id.map(OrgId),
            name: input.name,
            email: input.email,
            phone: input.phone,
            function: input.function,
            note: input.note,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/contact-lists/{id}/entries", tag = "contacts",
    params(("id" = i64, Path)),
    responses((status = 200, body = [ContactEntryView]), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn list_contact_entries(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<ContactEntryView>>, AppError> {
    let access = caller.principal.community_access()?;
    let entries = state.storage.contact_entries(&access, id).await?;
    Ok(Json(entries.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/contact-lists/{id}/entries", tag = "contacts",
    params(("id" = i64, Path)), request_body = ContactEntryInput,
    responses((status = 201, body = ContactEntryView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn add_contact_entry(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<ContactEntryInput>,
) -> Result<(StatusCode, Json<ContactEntryView>), AppError> {
    let access = caller.principal.community_access()?;
    let entry = state
        .storage
        .add_contact_entry(&access, id, &input.into())
        .await?;
    Ok((StatusCode::CREATED, Json(entry.into())))
}

#[utoipa::path(put, path = "/api/v1/contact-lists/{id}/entries/{entry_id}", tag = "contacts",
    params(("id" = i64, Path), ("entry_id" = i64, Path)), request_body = ContactEntryInput,
    responses((status = 200, body = ContactEntryView), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn update_contact_entry(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path((id, entry_id)): Path<(i64, i64)>,
    Json(input): Json<ContactEntryInput>,
) -> Result<Json<ContactEntryView>, AppError> {
    let access = caller.principal.community_access()?;
    let entry = state
        .storage
        .update_contact_entry(&access, id, entry_id, &input.into())
        .await?;
    Ok(Json(entry.into()))
}

#[utoipa::path(delete, path = "/api/v1/contact-lists/{id}/entries/{entry_id}", tag = "contacts",
    params(("id" = i64, Path), ("entry_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub(crate) async fn delete_contact_entry(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path((id, entry_id)): Path<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    let access = caller.principal.community_access()?;
    state
        .storage
        .delete_contact_entry(&access, id, entry_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whom a municipality gives a task to: a role (and so its current
/// holders) or a person; both absent to take the task back.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskAssigneeInput {
    pub role_id: Option<i64>,
    pub user_id: Option<i64>,
}

impl TaskAssigneeInput {
    pub(crate) fn assignee(&self) -> Result<Option<TaskAssignee>, AppError> {
        match (self.role_id, self.user_id) {
            (Some(_), Some(_)) => Err(AppError::Invalid(
                "assignee: give the task to a role or to a person, not both".into(),
            )),
            (Some(role), None) => Ok(Some(TaskAssignee::Role(RoleId(role)))),
            (None, Some(user)) => Ok(Some(TaskAssignee::User(UserId(user)))),
            (None, None) => Ok(None),
        }
    }
}

/// Give one of the caller's municipality's tasks to a role of its own or a
/// person (its own users and administrators).
#[utoipa::path(put, path = "/api/v1/tasks/{id}/assignee", tag = "tasks",
    params(("id" = i64, Path)), request_body = TaskAssigneeInput,
    responses((status = 204), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn assign_task(
    State(state): State<CoordinationState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<TaskAssigneeInput>,
) -> Result<StatusCode, AppError> {
    if caller.principal.is_staff() {
        return Err(AppError::Forbidden(
            "a municipality gives its own tasks to its roles and people".into(),
        ));
    }
    let access = caller.principal.work_access(caller.user.org_id)?;
    state
        .storage
        .assign_task(&access, TaskId(id), input.assignee()?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
