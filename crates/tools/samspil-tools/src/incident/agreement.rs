//! The agreement between a link's two parties that sets its clocks: the
//! provider's response and resolution targets per priority of its scale.

use time::Duration;

use super::{IncidentError, PartyId, Priority, PriorityScale, ServiceHours};

/// What the agreement is, in ITIL's words: with a customer outside
/// (service level), between two parts of one provider (operational level),
/// or with a provider's own supplier (underpinning contract). The clocks
/// work the same for all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgreementKind {
    Sla,
    Ola,
    UnderpinningContract,
}

impl AgreementKind {
    pub fn code(self) -> &'static str {
        match self {
            AgreementKind::Sla => "sla",
            AgreementKind::Ola => "ola",
            AgreementKind::UnderpinningContract => "underpinning_contract",
        }
    }
}

/// The longest target an agreement may set: a year. Longer is a typo, and
/// instants that far on stay well inside what the clocks can represent.
pub const MAX_TARGET: Duration = Duration::days(366);

/// The provider's promise for one priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    /// Until the receiver first acts on a link (accepts, asks, rejects, resolves).
    pub response: Duration,
    /// Until it resolves it.
    pub resolution: Duration,
}

/// An agreement between a customer (the link's sender) and a provider
/// (its receiver): targets for every level of the provider's scale, the
/// more urgent never slower.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub kind: AgreementKind,
    pub customer: PartyId,
    pub provider: PartyId,
    pub hours: ServiceHours,
    targets: Vec<Targets>,
}

impl Agreement {
    /// `targets[i]` holds for the provider's level `i`.
    pub fn new(
        kind: AgreementKind,
        customer: PartyId,
        provider_scale: &PriorityScale,
        targets: Vec<Targets>,
        hours: ServiceHours,
    ) -> Result<Agreement, IncidentError> {
        if targets.len() != provider_scale.len() {
            return Err(IncidentError::AgreementNotTotal);
        }
        if targets.iter().any(|t| {
            !t.response.is_positive() || t.resolution < t.response || t.resolution > MAX_TARGET
        }) {
            return Err(IncidentError::AgreementTargetInvalid);
        }
        if targets.windows(2).any(|pair| {
            pair[0].response > pair[1].response || pair[0].resolution > pair[1].resolution
        }) {
            return Err(IncidentError::AgreementNotMonotone);
        }
        Ok(Agreement {
            kind,
            customer,
            provider: provider_scale.owner,
            hours,
            targets,
        })
    }

    /// The targets for the provider's `priority`.
    pub fn targets(&self, priority: Priority) -> Result<Targets, IncidentError> {
        self.targets
            .get(priority.0 as usize)
            .copied()
            .ok_or(IncidentError::PriorityOutOfScale)
    }
}

#[cfg(test)]
mod tests {
    use samspil_domain::OrgId;

    use super::*;

    fn t(response_h: i64, resolution_h: i64) -> Targets {
        Targets {
            response: Duration::hours(response_h),
            resolution: Duration::hours(resolution_h),
        }
    }

    fn scale() -> PriorityScale {
        PriorityScale::new(OrgId(2), &["A", "B"]).expect("a scale")
    }

    fn agreement(targets: Vec<Targets>) -> Result<Agreement, IncidentError> {
        Agreement::new(
            AgreementKind::UnderpinningContract,
            OrgId(1),
            &scale(),
            targets,
            ServiceHours::Calendar,
        )
    }

    #[test]
    fn an_agreement_gives_each_level_its_targets() {
        let a = agreement(vec![t(1, 4), t(4, 40)]).expect("valid");
        assert_eq!(a.provider, OrgId(2));
        assert_eq!(a.targets(Priority(1)), Ok(t(4, 40)));
        assert_eq!(
            a.targets(Priority(2)),
            Err(IncidentError::PriorityOutOfScale)
        );
    }

    #[test]
    fn targets_are_total_positive_and_monotone() {
        assert_eq!(
            agreement(vec![t(1, 4)]),
            Err(IncidentError::AgreementNotTotal)
        );
        assert_eq!(
            agreement(vec![t(0, 4), t(4, 40)]),
            Err(IncidentError::AgreementTargetInvalid)
        );
        assert_eq!(
            agreement(vec![t(5, 4), t(5, 40)]),
            Err(IncidentError::AgreementTargetInvalid)
        );
        assert_eq!(
            agreement(vec![t(8, 40), t(4, 40)]),
            Err(IncidentError::AgreementNotMonotone)
        );
    }
}
