//! The versioned JSON API (`/api/v1`) and its OpenAPI document.
//!
//! Every route here sits behind a bearer token (see `auth::require_bearer`);
//! routes that return an organisation's own data go through the caller's
//! scope like the pages do.

use axum::Json;
use axum::extract::{Path, Query, State};
use samspil_domain::{AccessRole, OrgId, OrgKind, Principal, UserId, UserType};
use samspil_storage::{OrgUnitId, Organisation, PeopleFilter, User};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiErrorBody, AppError};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "samspil API",
        version = "1",
        description = "Coordination between the municipalities' shared IT community and the 98 Danish \
                       municipalities. Authenticate with `Authorization: Bearer <token>`; an operator \
                       issues tokens with `samspil token create --user LOGIN`."
    ),
    modifiers(&BearerSecurity),
    security(("bearer" = [])),
    components(schemas(ApiErrorBody))
)]
struct ApiDoc;

struct BearerSecurity;

impl Modify for BearerSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
    }
}

/// Where the JSON API is mounted: its paths, and the paths whose unmatched
/// requests are answered in its error format.
pub const MOUNT: &str = "/api/";

/// The platform's API routes (organisations, people, the caller) and the
/// OpenAPI document that describes them; the contexts' routes are merged
/// into both by the shell ([`document`] completes the merged document).
pub fn routes() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(list_municipalities))
        .routes(routes!(list_organisations))
        .routes(routes!(organisation_users))
        .routes(routes!(set_user_type))
        .routes(routes!(me))
        .split_for_parts()
}

/// The merged document of every router's operations, with the answers any
/// operation can give added to each.
pub fn document(mut openapi: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    document_common_errors(&mut openapi);
    openapi
}

/// Documents the errors any operation can answer whatever its handler
/// does, so that the document covers every answer the server gives (the
/// API fuzzing with schemathesis holds it to that): 400 for a request that
/// cannot be read (a path id that is not a number, a malformed query or
/// body, a wrong content type), 401 without a valid token, 404 for an
/// unknown id in the path, and 422 for a body that reads but lacks a field
/// or breaks a rule.
fn document_common_errors(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let error = |description: &str| -> RefOr<utoipa::openapi::Response> {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ApiErrorBody")))
                    .build(),
            )
            .build()
            .into()
    };
    for (path, item) in openapi.paths.paths.iter_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            let has_body = operation.request_body.is_some();
            let responses = &mut operation.responses.responses;
            let mut add = |status: &str, description: &str| {
                responses
                    .entry(status.to_owned())
                    .or_insert_with(|| error(description));
            };
            add(
                "400",
                "The request could not be read: a malformed path, query or body",
            );
            add("401", "No valid bearer token");
            if path.contains('{') {
                add("404", "Nothing with that id");
            }
            if has_body {
                add("422", "A field is missing or breaks a rule");
            }
        }
    }
}

/// One of the 98 municipalities.
#[derive(Debug, Serialize, ToSchema)]
pub struct Municipality {
    pub id: i64,
    /// Three-digit municipality code, e.g. `751` for Aarhus.
    #[schema(example = "751")]
    pub code: String,
    #[schema(example = "Aarhus")]
    pub name: String,
    #[schema(example = "Aarhus Kommune")]
    pub official_name: String,
    #[schema(example = "Region Midtjylland")]
    pub region: String,
}

/// The community, KL or a municipality.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationView {
    pub id: i64,
    /// `community`, `association` (KL) or `municipality`.
    pub kind: String,
    pub name: String,
    pub official_name: String,
    pub code: Option<String>,
    pub region: Option<String>,
}

impl From<Organisation> for OrganisationView {
    fn from(org: Organisation) -> Self {
        OrganisationView {
            id: org.id.0,
            kind: org.kind.as_str().to_owned(),
            name: org.name,
            official_name: org.official_name,
            code: org.code.map(|c| c.to_string()),
            region: org.region,
        }
    }
}

/// A person in an organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub job_title: Option<String>,
    pub org_unit: Option<String>,
    /// `staff`, `admin` (KLIK-administrator) or `user` (KLIK-bruger).
    pub access_role: String,
    /// `ordinary`, `light` or `reader`.
    pub user_type: String,
    pub active: bool,
}

impl From<User> for UserView {
    fn from(user: User) -> Self {
        UserView {
            id: user.id.0,
            login: user.login.to_string(),
            display_name: user.display_name,
            email: user.email,
            phone: user.phone,
            job_title: user.job_title,
            org_unit: user.org_unit_name,
            access_role: user.role.as_str().to_owned(),
            user_type: user.user_type.as_str().to_owned(),
            active: user.active,
        }
    }
}

/// The caller and their organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user: UserView,
    pub organisation: OrganisationView,
}

/// The 98 municipalities, ordered by code.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities",
    tag = "organisations",
    responses(
        (status = 200, description = "The municipalities", body = [Municipality]),
        (status = 401, description = "No valid bearer token", body = ApiErrorBody),
    )
)]
async fn list_municipalities(
    State(state): State<AppState>,
    _caller: ApiCaller,
) -> Result<Json<Vec<Municipality>>, AppError> {
    let municipalities = state
        .storage
        .organisations()
        .await?
        .into_iter()
        .filter(|org| org.kind == OrgKind::Municipality)
        .map(|org| Municipality {
            id: org.id.0,
            code: org.code.map(|c| c.to_string()).unwrap_or_default(),
            name: org.name,
            official_name: org.official_name,
            region: org.region.unwrap_or_default(),
        })
        .collect();
    Ok(Json(municipalities))
}

/// Every organisation: the community, KL and the municipalities.
#[utoipa::path(
    get,
    path = "/api/v1/organisations",
    tag = "organisations",
    responses(
        (status = 200, description = "The organisations", body = [OrganisationView]),
        (status = 401, description = "No valid bearer token", body = ApiErrorBody),
    )
)]
async fn list_organisations(
    State(state): State<AppState>,
    _caller: ApiCaller,
) -> Result<Json<Vec<OrganisationView>>, AppError> {
    let orgs = state.storage.organisations().await?;
    Ok(Json(orgs.into_iter().map(OrganisationView::from).collect()))
}

/// A search among an organisation's people, as Brugerhåndtering has it.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// Words that must all occur in the person's name or login.
    pub q: Option<String>,
    /// Only the people of this org unit (its id).
    pub org_unit: Option<i64>,
    /// `ordinary`, `light` or `reader`.
    pub user_type: Option<String>,
    /// `staff`, `admin` (KLIK-administrator) or `user` (KLIK-bruger).
    pub access_role: Option<String>,
}

impl PeopleQuery {
    /// The filter asked for; a value it does not know is refused by its
    /// field, not ignored.
    fn filter(&self) -> Result<PeopleFilter, AppError> {
        let chosen = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let unknown = |field: &'static str, typed: String, known: &str| {
            AppError::Rule(samspil_domain::ValidationError::unknown_choice(
                field, &typed, known,
            ))
        };
        let user_type = match chosen(&self.user_type) {
            None => None,
            Some(typed) => Some(
                UserType::parse(&typed)
                    .ok_or_else(|| unknown("user_type", typed, "ordinary, light, reader"))?,
            ),
        };
        let access_role = match chosen(&self.access_role) {
            None => None,
            Some(typed) => Some(
                AccessRole::parse(&typed)
                    .ok_or_else(|| unknown("access_role", typed, "staff, admin, user"))?,
            ),
        };
        Ok(PeopleFilter {
            org_unit: self.org_unit.map(OrgUnitId),
            user_type,
            access_role,
            ..PeopleFilter::searching(self.q.as_deref())
        })
    }
}

/// The people of one organisation, in Danish alphabetical order of their
/// names, found as Brugerhåndtering finds them: its own users and
/// community staff only.
#[utoipa::path(
    get,
    path = "/api/v1/organisations/{id}/users",
    tag = "organisations",
    params(("id" = i64, Path, description = "Organisation id"), PeopleQuery),
    responses(
        (status = 200, description = "The organisation's users", body = [UserView]),
        (status = 401, description = "No valid bearer token", body = ApiErrorBody),
        (status = 403, description = "The organisation is outside the caller's scope", body = ApiErrorBody),
        (status = 404, description = "No such organisation", body = ApiErrorBody),
        (status = 422, description = "A filter's value is unknown", body = ApiErrorBody),
    )
)]
async fn organisation_users(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Query(query): Query<PeopleQuery>,
) -> Result<Json<Vec<UserView>>, AppError> {
    let filter = query.filter()?;
    let access = crate::api::read_access_to(&state, &caller, OrgId(id)).await?;
    let users = filter.apply(state.storage.users(&access).await?);
    Ok(Json(users.into_iter().map(UserView::from).collect()))
}

/// A person's new user type, as their organisation's administrator
/// decides it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserTypeInput {
    /// `ordinary` (almindelig: works on tasks, is notified), `light` (works
    /// on tasks, no notifications) or `reader` (læser: reads only).
    pub user_type: String,
    /// The user type the caller last saw the person with (from the list):
    /// a change someone else made since is refused (422), not overwritten.
    /// When absent, the person's type as it is now.
    pub seen: Option<String>,
}

/// Set one of the organisation's people's user type (its administrators
/// and community staff). The access role stays the directory's and the
/// identity provider's; nobody changes their own type. One conditional,
/// audited write.
#[utoipa::path(
    put,
    path = "/api/v1/organisations/{id}/users/{user_id}/user-type",
    tag = "organisations",
    params(("id" = i64, Path, description = "Organisation id"),
           ("user_id" = i64, Path, description = "The person's id")),
    request_body = UserTypeInput,
    responses(
        (status = 200, description = "The person with their user type", body = UserView),
        (status = 401, description = "No valid bearer token", body = ApiErrorBody),
        (status = 403, description = "Not an administrator of the organisation", body = ApiErrorBody),
        (status = 404, description = "No such organisation, or no such person in it", body = ApiErrorBody),
        (status = 422, description = "An unknown type, one's own type, or changed meanwhile", body = ApiErrorBody),
    )
)]
async fn set_user_type(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, user_id)): Path<(i64, i64)>,
    Json(input): Json<UserTypeInput>,
) -> Result<Json<UserView>, AppError> {
    let access = crate::api::admin_access_to(&state, &caller, OrgId(id)).await?;
    let type_named = |field: &'static str, typed: &str| {
        UserType::parse(typed.trim()).ok_or_else(|| {
            AppError::Rule(samspil_domain::ValidationError::unknown_choice(
                field,
                typed,
                "ordinary, light, reader",
            ))
        })
    };
    let wanted = type_named("user_type", &input.user_type)?;
    let person = UserId(user_id);
    let seen = match input.seen.as_deref() {
        Some(seen) => type_named("seen", seen)?,
        None => {
            state
                .storage
                .user(person)
                .await?
                .filter(|u| u.org_id == access.org_id())
                .ok_or(AppError::NotFound)?
                .user_type
        }
    };
    let user = state
        .storage
        .set_user_type(&access, person, seen, wanted)
        .await?;
    Ok(Json(user.into()))
}

/// The caller's scope over an organisation's data: 404 for an unknown
/// organisation, 403 naming it for one outside the caller's scope.
pub async fn read_access_to(
    state: &AppState,
    caller: &ApiCaller,
    org_id: OrgId,
) -> Result<samspil_domain::OrgAccess, AppError> {
    access_to(state, caller, org_id, |principal, org| {
        Ok(principal.read_access(org)?)
    })
    .await
}

/// [`read_access_to`] for working on the organisation's tasks: a reader is
/// refused as a reader, wherever they aim.
pub async fn work_access_to(
    state: &AppState,
    caller: &ApiCaller,
    org_id: OrgId,
) -> Result<samspil_domain::OrgAccess, AppError> {
    access_to(state, caller, org_id, Principal::work_access).await
}

/// [`read_access_to`] for changing the organisation's people, roles and IT
/// solutions: its administrators and staff.
pub async fn admin_access_to(
    state: &AppState,
    caller: &ApiCaller,
    org_id: OrgId,
) -> Result<samspil_domain::OrgAccess, AppError> {
    access_to(state, caller, org_id, Principal::admin_access).await
}

/// The access `grant` gives the caller to a known organisation.
async fn access_to(
    state: &AppState,
    caller: &ApiCaller,
    org_id: OrgId,
    grant: impl FnOnce(
        &Principal,
        OrgId,
    ) -> Result<samspil_domain::OrgAccess, samspil_domain::access::ChangeDenied>,
) -> Result<samspil_domain::OrgAccess, AppError> {
    let org = state
        .storage
        .organisation(org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    grant(&caller.principal, org.id).map_err(|refused| change_refusal(refused, &org))
}

/// A reader is told they are a reader; anyone else, whose data it is.
pub fn change_refusal(
    refused: samspil_domain::access::ChangeDenied,
    org: &samspil_storage::Organisation,
) -> AppError {
    match refused {
        samspil_domain::access::ChangeDenied::ReadOnly(_) => AppError::ReadOnly,
        _ => AppError::ForbiddenOrg {
            org: org.name.clone(),
        },
    }
}

/// Who the token belongs to.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "session",
    responses(
        (status = 200, description = "The caller", body = Me),
        (status = 401, description = "No valid bearer token", body = ApiErrorBody),
    )
)]
async fn me(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Me>, AppError> {
    let org = state
        .storage
        .organisation(caller.user.org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(Me {
        user: UserView::from(caller.user),
        organisation: OrganisationView::from(org),
    }))
}
