//! Prices per citizen and the bills in the JSON API: the same storage
//! calls and bill computation as the pages.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use samspil_tools::prices::parse_kroner;
use samspil_tools_storage::NewPrice;
use samspil_web::auth::ApiCaller;
use samspil_web::error::{ApiErrorBody, AppError};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::ToolsState;
use crate::api_nsis::{known_solution, own_scope};
use crate::nsis::solution_names;
use crate::prices::{BillsView, PriceView, WhatIf, bills as bills_of, price_view};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceInput {
    /// The IT solution (a project's id).
    pub solution_id: i64,
    /// Per citizen per year in kroner, at most two decimals: `15,58` or
    /// `15.58`. Never negative, never rounded.
    pub kroner: String,
    /// `YYYY-MM-DD`: the first day it applies.
    pub valid_from: String,
    /// `YYYY-MM-DD`: the last day, when it ends before the next price.
    #[serde(default)]
    pub valid_to: Option<String>,
}

/// Every price per citizen per year, by solution and first day (anyone
/// signed in: the community's terms).
#[utoipa::path(get, path = "/api/v1/prices", tag = "prices",
    responses((status = 200, body = [PriceView])))]
pub(crate) async fn list_prices(
    State(state): State<ToolsState>,
    _caller: ApiCaller,
) -> Result<Json<Vec<PriceView>>, AppError> {
    let names = solution_names(&state).await?;
    let prices = state.storage.prices().await?;
    Ok(Json(
        prices.into_iter().map(|p| price_view(p, &names)).collect(),
    ))
}

/// A price of a solution from a day (community staff).
#[utoipa::path(post, path = "/api/v1/prices", tag = "prices",
    request_body = PriceInput,
    responses((status = 201, body = PriceView), (status = 403, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub(crate) async fn add_price(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Json(input): Json<PriceInput>,
) -> Result<(StatusCode, Json<PriceView>), AppError> {
    let access = caller.principal.community_access()?;
    let names = solution_names(&state).await?;
    known_solution(&names, input.solution_id)?;
    let price = NewPrice {
        solution_id: input.solution_id,
        ore_per_citizen: parse_kroner("price", &input.kroner)?,
        valid_from: samspil_domain::input::parse_date("valid_from", &input.valid_from)?,
        valid_to: match input.valid_to.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(samspil_domain::input::parse_date("valid_to", text)?),
        },
    };
    let added = state.storage.add_price(&access, &price).await?;
    Ok((StatusCode::CREATED, Json(price_view(added, &names))))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct BillsQuery {
    /// `YYYY-MM-DD`; today by default.
    pub date: Option<String>,
    /// A what-if: the solution to price differently (or price at all).
    pub what_if_solution: Option<i64>,
    /// Its hypothetical price per citizen in kroner.
    pub what_if_kroner: Option<String>,
    /// Bill it to every municipality, not only those using it.
    #[serde(default)]
    pub what_if_everyone: bool,
}

/// The what-if a query asks for, checked.
pub(crate) fn what_if(
    solution: Option<i64>,
    kroner: Option<&str>,
    everyone: bool,
    names: &std::collections::HashMap<i64, String>,
) -> Result<Option<WhatIf>, AppError> {
    match (solution, kroner.map(str::trim).filter(|k| !k.is_empty())) {
        (None, None) => Ok(None),
        (Some(solution), Some(kroner)) => {
            known_solution(names, solution)?;
            Ok(Some(WhatIf {
                solution_id: solution,
                ore_per_citizen: parse_kroner("what_if_price", kroner)?,
                everyone,
            }))
        }
        _ => Err(AppError::Rule(samspil_domain::ValidationError::new(
            "what_if_price",
            "a what-if needs both a solution and a price",
        ))),
    }
}

/// The yearly bill of every municipality on a day (community staff), or
/// of one's own (anyone else): population × the price of each solution it
/// uses, a line per solution, with a what-if's effect when asked.
#[utoipa::path(get, path = "/api/v1/bills", tag = "prices", params(BillsQuery),
    responses((status = 200, body = BillsView), (status = 403, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub(crate) async fn bills(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Query(query): Query<BillsQuery>,
) -> Result<Json<BillsView>, AppError> {
    let only = own_scope(&caller.principal)?;
    let day = match query.date.as_deref().map(str::trim) {
        None | Some("") => samspil_storage::now().date(),
        Some(text) => samspil_domain::input::parse_date("date", text)?,
    };
    let names = solution_names(&state).await?;
    let what_if = what_if(
        query.what_if_solution,
        query.what_if_kroner.as_deref(),
        query.what_if_everyone,
        &names,
    )?;
    Ok(Json(bills_of(&state, day, only, what_if).await?))
}
