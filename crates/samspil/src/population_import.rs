//! `samspil import population FILE`: the municipalities' populations from
//! Statistics Denmark's FOLK1A export (`;`-separated, as downloaded from
//! statistikbanken.dk) or the shared data file (`code,name,population,
//! as_of`), read by `samspil_tools::prices::parse_population` and written
//! all or nothing by the tools' store.

use anyhow::Context;
use samspil_domain::{OrgKind, Principal};

/// Reads and imports a population file's text; the number of rows.
pub async fn import_population_text(stores: &crate::Stores, text: &str) -> anyhow::Result<usize> {
    let municipalities: Vec<(String, u16)> = stores
        .platform
        .organisations()
        .await?
        .into_iter()
        .filter(|o| o.kind == OrgKind::Municipality)
        .filter_map(|o| Some((o.name, o.code?.get())))
        .collect();
    let code_of = |name: &str| {
        municipalities
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(_, c)| *c)
    };
    let known = |code: u16| municipalities.iter().any(|(_, c)| *c == code);
    let rows = samspil_tools::prices::parse_population(
        text,
        code_of,
        known,
        samspil_storage::now().date(),
    )
    .map_err(|refused| anyhow::anyhow!("{}: {}", refused.field, refused.problem))?;
    let access = Principal::operator().community_access()?;
    Ok(stores.tools.import_population(&access, &rows).await?)
}

/// Reads a file and imports it.
pub async fn import_population_file(
    stores: &crate::Stores,
    file: &std::path::Path,
) -> anyhow::Result<usize> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    import_population_text(stores, &text).await
}
