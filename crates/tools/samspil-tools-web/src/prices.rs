//! What the price pages and API share: the bills of the municipalities on
//! a day (population × the prices of the solutions each uses), with a
//! what-if (a new price for a solution, or a price for a solution not
//! priced yet) and its effect on each bill, and the overview as a table
//! for CSV and XLSX.

use std::collections::{HashMap, HashSet};

use samspil_domain::{OrgId, OrgKind};
use samspil_report::{Cell, Column, Table};
use samspil_tools::prices::{self, Ore, Price, format_kroner};
use samspil_tools_storage::PriceRecord;
use samspil_web::error::AppError;
use samspil_web::i18n::Lang;
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;

use crate::ToolsState;
use crate::nsis::solution_names;

/// A price of a solution.
#[derive(Debug, Serialize, ToSchema)]
pub struct PriceView {
    pub id: i64,
    pub solution_id: i64,
    pub solution: String,
    /// Per citizen per year, in øre (integer; nothing is rounded).
    pub ore_per_citizen: i64,
    /// The same in kroner as the pages show it: `15,58`.
    pub kroner: String,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub created_by: String,
}

pub fn price_view(p: PriceRecord, names: &HashMap<i64, String>) -> PriceView {
    PriceView {
        id: p.id,
        solution_id: p.solution_id,
        solution: names
            .get(&p.solution_id)
            .cloned()
            .unwrap_or_else(|| format!("#{}", p.solution_id)),
        ore_per_citizen: p.ore_per_citizen,
        kroner: format_kroner(p.ore_per_citizen),
        valid_from: p.valid_from.to_string(),
        valid_to: p.valid_to.map(|d| d.to_string()),
        created_by: p.created_by,
    }
}

/// A line of a bill.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BillLineView {
    pub solution_id: i64,
    pub solution: String,
    pub ore_per_citizen: i64,
    /// Population × price, in øre.
    pub amount_ore: i64,
    /// The same in kroner: `10.184.085,12`.
    pub amount: String,
}

/// One municipality's yearly bill.
#[derive(Debug, Serialize, ToSchema)]
pub struct BillView {
    pub org_id: i64,
    pub municipality: String,
    /// The population last counted on or before the day; absent when
    /// never imported (and then no line).
    pub population: Option<i64>,
    /// The same as a page writes it: `653.664`.
    pub population_text: Option<String>,
    pub population_as_of: Option<String>,
    pub lines: Vec<BillLineView>,
    pub total_ore: i64,
    pub total: String,
    /// With the what-if, when one was asked.
    pub what_if_total_ore: Option<i64>,
    pub what_if_total: Option<String>,
    /// What-if total minus total, in øre, and in kroner.
    pub difference_ore: Option<i64>,
    pub difference: Option<String>,
}

/// The bills of the day.
#[derive(Debug, Serialize, ToSchema)]
pub struct BillsView {
    /// `YYYY-MM-DD`: the prices in force and the populations counted then.
    pub day: String,
    pub bills: Vec<BillView>,
    pub total_ore: i64,
    pub total: String,
    pub what_if_total_ore: Option<i64>,
    pub what_if_total: Option<String>,
    /// Per solution, what all the bills shown come to.
    pub per_solution: Vec<BillLineView>,
}

/// A hypothetical price: for a solution priced already (a new price), or
/// for one not priced yet (a new solution); `everyone` bills it to every
/// municipality, not only those using it (a solution nobody uses yet).
#[derive(Debug, Clone, Copy)]
pub struct WhatIf {
    pub solution_id: i64,
    pub ore_per_citizen: Ore,
    pub everyone: bool,
}

/// The bills on `day` (of one municipality with `only`), with the what-if's
/// effect.
pub async fn bills(
    state: &ToolsState,
    day: Date,
    only: Option<OrgId>,
    what_if: Option<WhatIf>,
) -> Result<BillsView, AppError> {
    let names = solution_names(state).await?;
    let prices: Vec<Price> = state
        .storage
        .prices()
        .await?
        .into_iter()
        .map(|p| Price {
            solution_id: p.solution_id,
            ore_per_citizen: p.ore_per_citizen,
            valid_from: p.valid_from,
            valid_to: p.valid_to,
        })
        .collect();
    let populations: HashMap<OrgId, (i64, Date)> = state
        .storage
        .populations(day)
        .await?
        .into_iter()
        .map(|p| (p.org_id, (p.population, p.as_of)))
        .collect();
    let uses: HashMap<OrgId, Vec<i64>> = state
        .solutions
        .solution_users()
        .await?
        .into_iter()
        .map(|u| (u.org_id, u.solutions))
        .collect();
    let mut altered = prices.clone();
    if let Some(w) = what_if {
        // The hypothetical price replaces whatever is in force on the day.
        altered.retain(|p| p.solution_id != w.solution_id);
        altered.push(Price {
            solution_id: w.solution_id,
            ore_per_citizen: w.ore_per_citizen,
            valid_from: day,
            valid_to: None,
        });
    }
    let line_view = |line: &prices::BillLine| BillLineView {
        solution_id: line.solution_id,
        solution: names
            .get(&line.solution_id)
            .cloned()
            .unwrap_or_else(|| format!("#{}", line.solution_id)),
        ore_per_citizen: line.ore_per_citizen,
        amount_ore: line.amount,
        amount: format_kroner(line.amount),
    };
    let mut municipalities: Vec<_> = state
        .shell
        .storage
        .organisations()
        .await?
        .into_iter()
        .filter(|o| o.kind == OrgKind::Municipality && only.is_none_or(|own| own == o.id))
        .collect();
    municipalities.sort_by(|a, b| a.name.cmp(&b.name));
    let mut views = Vec::new();
    let mut per_solution: HashMap<i64, i64> = HashMap::new();
    let (mut total, mut what_if_total) = (0i64, 0i64);
    for org in municipalities {
        let used = uses.get(&org.id).cloned().unwrap_or_default();
        let population = populations.get(&org.id).copied();
        let count = population.map(|(n, _)| n).unwrap_or(0);
        let lines = prices::bill(count, &used, &prices, day);
        let bill_total: i64 = lines.iter().map(|l| l.amount).sum();
        for line in &lines {
            *per_solution.entry(line.solution_id).or_default() += line.amount;
        }
        total += bill_total;
        let altered_total = what_if.map(|w| {
            let mut used: HashSet<i64> = used.iter().copied().collect();
            if w.everyone {
                used.insert(w.solution_id);
            }
            let used: Vec<i64> = used.into_iter().collect();
            prices::bill(count, &used, &altered, day)
                .iter()
                .map(|l| l.amount)
                .sum::<i64>()
        });
        what_if_total += altered_total.unwrap_or(0);
        views.push(BillView {
            org_id: org.id.0,
            municipality: org.name,
            population: population.map(|(n, _)| n),
            population_text: population.map(|(n, _)| prices::group_thousands(n.unsigned_abs())),
            population_as_of: population.map(|(_, d)| d.to_string()),
            lines: lines.iter().map(line_view).collect(),
            total_ore: bill_total,
            total: format_kroner(bill_total),
            what_if_total_ore: altered_total,
            what_if_total: altered_total.map(format_kroner),
            difference_ore: altered_total.map(|t| t - bill_total),
            difference: altered_total.map(|t| format_kroner(t - bill_total)),
        });
    }
    let mut per_solution: Vec<BillLineView> = per_solution
        .into_iter()
        .map(|(solution_id, amount)| {
            line_view(&prices::BillLine {
                solution_id,
                ore_per_citizen: 0,
                amount,
            })
        })
        .collect();
    per_solution.sort_by(|a, b| a.solution.cmp(&b.solution));
    Ok(BillsView {
        day: day.to_string(),
        bills: views,
        total_ore: total,
        total: format_kroner(total),
        what_if_total_ore: what_if.map(|_| what_if_total),
        what_if_total: what_if.map(|_| format_kroner(what_if_total)),
        per_solution,
    })
}

/// The overview as a table: a row per municipality, a column per
/// solution, amounts in øre (integers, exact, summable in a spreadsheet).
pub fn bills_table(view: &BillsView, lang: Lang) -> Result<Table, AppError> {
    let t = |key: &str| lang.text(key, &[]);
    let solutions: Vec<(i64, String)> = view
        .per_solution
        .iter()
        .map(|s| (s.solution_id, s.solution.clone()))
        .collect();
    let mut columns = vec![
        Column::text(t("prices-municipality")),
        Column::integer(t("prices-population")),
    ];
    for (_, name) in &solutions {
        columns.push(Column::integer(format!("{name} ({})", t("prices-in-ore"))));
    }
    columns.push(Column::integer(format!(
        "{} ({})",
        t("prices-total"),
        t("prices-in-ore")
    )));
    let rows = view
        .bills
        .iter()
        .map(|bill| {
            let mut row = vec![
                Cell::Text(bill.municipality.clone()),
                bill.population.map(Cell::Integer).unwrap_or(Cell::Empty),
            ];
            for (id, _) in &solutions {
                row.push(
                    bill.lines
                        .iter()
                        .find(|l| l.solution_id == *id)
                        .map(|l| Cell::Integer(l.amount_ore))
                        .unwrap_or(Cell::Empty),
                );
            }
            row.push(Cell::Integer(bill.total_ore));
            row
        })
        .collect();
    Table::new(t("prices-bills-title"), columns, rows)
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// A table as a CSV or XLSX download.
pub fn export_response(
    table: &Table,
    format: &str,
    name: &str,
) -> Result<axum::response::Response, AppError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let (bytes, content_type) = match format {
        "csv" => (
            samspil_report::to_csv(table),
            samspil_report::CSV_CONTENT_TYPE,
        ),
        "xlsx" => (
            samspil_report::to_xlsx(table).map_err(|e| AppError::Internal(e.to_string()))?,
            samspil_report::XLSX_CONTENT_TYPE,
        ),
        other => {
            return Err(AppError::BadRequest(format!(
                "unknown file format '{other}': use csv or xlsx"
            )));
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"samspil-{name}.{format}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
