//! The price pages: for staff the prices per citizen of each solution with
//! their validity, the form for a new one, the bills of all 98
//! municipalities with their totals (as CSV and XLSX too) and a what-if;
//! for a municipality its own bill, a line per solution.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samspil_tools::prices::parse_kroner;
use samspil_tools_storage::NewPrice;
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::i18n::Lang;
use samspil_web::pages::Page;
use samspil_web::routes::PageRoute;
use serde::Deserialize;
use time::Date;

use crate::api_nsis::{known_solution, own_scope};
use crate::api_prices::what_if;
use crate::nsis::solution_names;
use crate::prices::{bills, bills_table, export_response, price_view};
use crate::{MOUNT, ToolsState};

fn path(rest: &str) -> String {
    format!("{MOUNT}/priser{rest}")
}

#[derive(Debug, Default, Deserialize, Clone)]
pub struct PricesQuery {
    #[serde(default)]
    dato: String,
    #[serde(default)]
    loesning: String,
    #[serde(default)]
    pris: String,
    #[serde(default)]
    alle: String,
}

fn day_of(query: &PricesQuery) -> Result<Date, AppError> {
    match query.dato.trim() {
        "" => Ok(samspil_storage::now().date()),
        text => Ok(samspil_domain::input::parse_date("date", text)?),
    }
}

/// `/vaerktoejer/priser`.
pub async fn prices_page(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Query(query): Query<PricesQuery>,
) -> Result<Response, AppError> {
    render(&state, lang, &signed_in, query, None, None).await
}

async fn render(
    state: &ToolsState,
    lang: Lang,
    signed_in: &SignedIn,
    query: PricesQuery,
    form_error: Option<String>,
    form: Option<PriceForm>,
) -> Result<Response, AppError> {
    let names = solution_names(state).await?;
    let only = own_scope(&signed_in.principal)?;
    let mut refused = form_error;
    let day = match day_of(&query) {
        Ok(day) => day,
        Err(error) => {
            refused = Some(error.form_refusal(lang, "prices-error")?);
            samspil_storage::now().date()
        }
    };
    let loesning = query.loesning.trim().parse::<i64>().ok();
    let asked = if signed_in.principal.is_staff() {
        match what_if(loesning, Some(&query.pris), query.alle == "true", &names) {
            Ok(asked) => asked,
            Err(error) => {
                refused = Some(error.form_refusal(lang, "prices-error")?);
                None
            }
        }
    } else {
        None
    };
    let view = bills(state, day, only, asked).await?;
    let prices: Vec<_> = state
        .storage
        .prices()
        .await?
        .into_iter()
        .map(|p| price_view(p, &names))
        .collect();
    let solutions = state.solutions.it_solutions().await?;
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = Page::new(state, lang, &path(""), Some(signed_in)).await?;
    let html = page.render(
        "prices.html",
        minijinja::context! {
            nav_active => "prices", staff => signed_in.principal.is_staff(), view, prices,
            solutions, form_error => refused, query => minijinja::context! {
                dato => query.dato, loesning => query.loesning, pris => query.pris,
                alle => query.alle == "true",
            },
            what_if => asked.is_some(), form,
            day_text => samspil_web::format::format_date(lang, Some(day)),
        },
    )?;
    Ok((status, html).into_response())
}

#[derive(Debug, Default, Deserialize, Clone, serde::Serialize)]
pub struct PriceForm {
    #[serde(default)]
    solution_id: String,
    #[serde(default)]
    kroner: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_to: String,
    #[serde(default)]
    csrf_token: String,
}

/// `POST /vaerktoejer/priser`: a new price (staff).
pub async fn add_price(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Form(form): Form<PriceForm>,
) -> Result<Response, AppError> {
    let access = signed_in.principal.community_access()?;
    let names = solution_names(&state).await?;
    let outcome = async {
        let solution_id = form.solution_id.trim().parse::<i64>().map_err(|_| {
            AppError::Rule(samspil_domain::ValidationError::new(
                "solution_id",
                "choose an IT solution",
            ))
        })?;
        known_solution(&names, solution_id)?;
        let price = NewPrice {
            solution_id,
            ore_per_citizen: parse_kroner("price", &form.kroner)?,
            valid_from: samspil_domain::input::parse_date("valid_from", &form.valid_from)?,
            valid_to: match form.valid_to.trim() {
                "" => None,
                text => Some(samspil_domain::input::parse_date("valid_to", text)?),
            },
        };
        Ok::<_, AppError>(state.storage.add_price(&access, &price).await?)
    }
    .await;
    match outcome {
        Ok(_) => Ok(Redirect::to(&path("")).into_response()),
        Err(error) => {
            let message = error.form_refusal(lang, "prices-error")?;
            let mut shown = form.clone();
            shown.csrf_token.clear();
            let mut response = render(
                &state,
                lang,
                &signed_in,
                PricesQuery::default(),
                Some(message),
                Some(shown),
            )
            .await?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}

/// `/vaerktoejer/priser/regninger.{csv,xlsx}`: the overview as a file
/// (staff), with the page's day.
pub async fn export(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(file): Path<String>,
    Query(query): Query<PricesQuery>,
) -> Result<Response, AppError> {
    signed_in.principal.community_access()?;
    let format = file.strip_prefix("regninger.").ok_or(AppError::NotFound)?;
    let day = day_of(&query)?;
    let view = bills(&state, day, None, None).await?;
    export_response(
        &bills_table(&view, lang)?,
        format,
        &format!("regninger-{day}"),
    )
}

/// The price pages (paths under the context's mount).
pub(crate) fn routes() -> Vec<PageRoute<ToolsState>> {
    vec![
        PageRoute::get("/priser", prices_page),
        PageRoute::post("/priser", add_price),
        PageRoute::get("/priser/{file}", export),
    ]
}
