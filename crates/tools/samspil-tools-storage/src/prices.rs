//! Prices per citizen per solution with their validity, and the
//! municipalities' populations (Statistics Denmark's FOLK1A): what the
//! yearly bills are made of.

use async_trait::async_trait;
use samspil_domain::{CommunityAccess, OrgId};
use samspil_storage::Result;
use samspil_tools::prices::{Ore, PopulationRow};
use serde::Serialize;
use time::Date;

#[async_trait]
pub trait PriceStore: Send + Sync {
    /// Every price, by solution and the day it begins.
    async fn prices(&self) -> Result<Vec<PriceRecord>>;

    /// A price of a solution (its id in the catalogue, checked by the
    /// caller) from a day (staff); one price per solution and first day.
    async fn add_price(&self, access: &CommunityAccess, price: &NewPrice) -> Result<PriceRecord>;

    /// Each municipality's population as last counted on or before `day`.
    async fn populations(&self, day: Date) -> Result<Vec<Population>>;

    /// Imports populations (staff or the operator): all rows or none; a
    /// code that is no municipality's refuses the import. A municipality
    /// and day counted before is counted again.
    async fn import_population(
        &self,
        access: &CommunityAccess,
        rows: &[PopulationRow],
    ) -> Result<usize>;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceRecord {
    pub id: i64,
    pub solution_id: i64,
    pub ore_per_citizen: Ore,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub created_by: String,
}

#[derive(Debug, Clone)]
pub struct NewPrice {
    pub solution_id: i64,
    /// As typed; a negative price is refused.
    pub ore_per_citizen: Ore,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Population {
    pub org_id: OrgId,
    pub population: i64,
    pub as_of: Date,
}
