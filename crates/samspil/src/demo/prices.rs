//! Demo prices per citizen (seed `003_…`, September 2019: SAPA 15,58 kr.,
//! KSD 17,31 kr., KY 19,83 kr., the shared infrastructure 25 kr., from 1
//! January 2020) and the municipalities' populations of 1 January 2023
//! (`population.csv`, from ../shared/data/), so that every municipality
//! has a bill.

use samspil_coordination_storage::NewProject;
use samspil_domain::Principal;
use samspil_tools_storage::NewPrice;
use time::macros::date;

/// The slide's prices, in øre, by solution (project) name.
const PRICES: [(&str, i64); 4] = [
    ("SAPA", 1558),
    ("KSD", 1731),
    ("KY", 1983),
    ("Fælleskommunal Infrastruktur", 2500),
];

/// The populations the demo imports.
pub const POPULATION_CSV: &str = include_str!("population.csv");

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PricesReport {
    pub prices_created: usize,
    pub populations_imported: usize,
}

/// Loads what is missing; a second run changes nothing.
pub async fn load(stores: &crate::Stores) -> anyhow::Result<PricesReport> {
    let community = Principal::operator().community_access()?;
    let mut report = PricesReport::default();
    let mut projects = stores.coordination.projects().await?;
    let prices = stores.tools.prices().await?;
    for (name, ore) in PRICES {
        let project = match projects.iter().find(|p| p.name == name) {
            Some(project) => project.clone(),
            None => {
                let created = stores
                    .coordination
                    .create_project(
                        &community,
                        &NewProject {
                            name: name.to_owned(),
                            description: String::new(),
                            participants: None,
                        },
                    )
                    .await?;
                projects.push(created.clone());
                created
            }
        };
        if !prices.iter().any(|p| p.solution_id == project.id.0) {
            stores
                .tools
                .add_price(
                    &community,
                    &NewPrice {
                        solution_id: project.id.0,
                        ore_per_citizen: ore,
                        valid_from: date!(2020 - 01 - 01),
                        valid_to: None,
                    },
                )
                .await?;
            report.prices_created += 1;
        }
    }
    if stores
        .tools
        .populations(samspil_storage::now().date())
        .await?
        .is_empty()
    {
        report.populations_imported =
            crate::population_import::import_population_text(stores, POPULATION_CSV).await?;
    }
    Ok(report)
}
