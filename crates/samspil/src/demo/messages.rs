//! A demo message from the community, so that the inboxes and the
//! delivery totals have something to show.

use samspil_coordination::notification::{Audience, MessageCategory, MessageSpec};
use samspil_coordination_storage::CoordinationStorage;
use samspil_domain::Principal;

/// The role the demo message goes to.
const ROLE: &str = "KOMBIT-programleder";

/// Sends the demo message to every programme manager, once (not when any
/// message exists). Returns whether it was sent.
pub async fn load(coordination: &dyn CoordinationStorage) -> anyhow::Result<bool> {
    let community = Principal::operator().community_access()?;
    if !coordination.messages(&community, 1).await?.is_empty() {
        return Ok(false);
    }
    let Some(role) = coordination
        .roles()
        .await?
        .into_iter()
        .find(|r| r.name == ROLE)
    else {
        return Ok(false);
    };
    let spec = MessageSpec::new(
        MessageCategory::Operational,
        "Driftsforstyrrelse i Serviceplatformen er rettet",
        "Serviceplatformen svarede langsomt torsdag mellem kl. 9.10 og 10.45, så opslag i \
         CPR og opgaver i KLIK kunne fejle. Fejlen er rettet, og der er ikke tabt data. \
         Kontakt jeres servicedesk, hvis I stadig oplever problemer.",
        Audience::Roles(vec![role.id]),
    )?;
    coordination
        .send_message(&community, &spec, &format!("Indehavere af rollerne {ROLE}"))
        .await?;
    Ok(true)
}
