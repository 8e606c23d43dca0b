//! Priorities, each on its own party's scale, and the mapping between two
//! parties' scales (the slides: "Prioriteten af et incident i et fagsystem
//! kan godt være anderledes i et kildesystem").

use super::{IncidentError, PartyId};

/// The most levels a scale has.
pub const MAX_LEVELS: usize = 10;

/// A level of a party's scale by its position: 0 is the most urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Priority(pub u8);

/// A party's priority levels, most urgent first (`P1 Kritisk`, `P2 Høj`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorityScale {
    pub owner: PartyId,
    levels: Vec<String>,
}

impl PriorityScale {
    pub fn new(owner: PartyId, levels: &[&str]) -> Result<PriorityScale, IncidentError> {
        if levels.is_empty()
            || levels.len() > MAX_LEVELS
            || levels.iter().any(|l| l.trim().is_empty())
        {
            return Err(IncidentError::ScaleSize);
        }
        Ok(PriorityScale {
            owner,
            levels: levels.iter().map(|l| l.trim().to_owned()).collect(),
        })
    }

    pub fn len(&self) -> usize {
        self.levels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }

    /// The level's name, if it is on the scale.
    pub fn name(&self, priority: Priority) -> Option<&str> {
        self.levels.get(priority.0 as usize).map(String::as_str)
    }

    /// Every level, most urgent first.
    pub fn levels(&self) -> impl Iterator<Item = Priority> + use<> {
        (0..self.levels.len() as u8).map(Priority)
    }

    pub(super) fn check(&self, priority: Priority) -> Result<(), IncidentError> {
        match (priority.0 as usize) < self.levels.len() {
            true => Ok(()),
            false => Err(IncidentError::PriorityOutOfScale),
        }
    }
}

/// How the sender's levels translate into the receiver's: total (every
/// sender level has one) and monotone (a more urgent sender level never
/// maps to a less urgent receiver level than a less urgent one does).
/// Several sender levels may share a receiver level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorityMapping {
    pub from: PartyId,
    pub to: PartyId,
    targets: Vec<Priority>,
}

impl PriorityMapping {
    /// `targets[i]` is the receiver's level for the sender's level `i`.
    pub fn new(
        from: &PriorityScale,
        to: &PriorityScale,
        targets: Vec<Priority>,
    ) -> Result<PriorityMapping, IncidentError> {
        if targets.len() != from.len() {
            return Err(IncidentError::MappingNotTotal);
        }
        if targets.iter().any(|t| to.check(*t).is_err()) {
            return Err(IncidentError::MappingOutOfScale);
        }
        if targets.windows(2).any(|pair| pair[0] > pair[1]) {
            return Err(IncidentError::MappingNotMonotone);
        }
        Ok(PriorityMapping {
            from: from.owner,
            to: to.owner,
            targets,
        })
    }

    /// The receiver's level for the sender's `priority`.
    pub fn map(&self, priority: Priority) -> Result<Priority, IncidentError> {
        self.targets
            .get(priority.0 as usize)
            .copied()
            .ok_or(IncidentError::PriorityOutOfScale)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use samspil_domain::OrgId;

    use super::*;

    fn scale(owner: i64, n: usize) -> PriorityScale {
        let names: Vec<String> = (1..=n).map(|i| format!("P{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        PriorityScale::new(OrgId(owner), &names).expect("a scale")
    }

    #[test]
    fn a_scale_has_named_levels() {
        assert_eq!(
            PriorityScale::new(OrgId(1), &[]),
            Err(IncidentError::ScaleSize)
        );
        assert_eq!(
            PriorityScale::new(OrgId(1), &["A", " "]),
            Err(IncidentError::ScaleSize)
        );
        let s = scale(1, 4);
        assert_eq!(s.name(Priority(0)), Some("P1"));
        assert_eq!(s.name(Priority(4)), None);
    }

    #[test]
    fn a_four_level_desk_maps_onto_a_three_level_vendor() {
        let (desk, vendor) = (scale(1, 4), scale(2, 3));
        let m = PriorityMapping::new(
            &desk,
            &vendor,
            vec![Priority(0), Priority(1), Priority(2), Priority(2)],
        )
        .expect("valid");
        assert_eq!(m.map(Priority(0)), Ok(Priority(0)));
        assert_eq!(m.map(Priority(3)), Ok(Priority(2)));
        assert_eq!(m.map(Priority(4)), Err(IncidentError::PriorityOutOfScale));
    }

    #[test]
    fn a_mapping_is_total_within_scale_and_monotone() {
        let (desk, vendor) = (scale(1, 3), scale(2, 3));
        assert_eq!(
            PriorityMapping::new(&desk, &vendor, vec![Priority(0), Priority(1)]),
            Err(IncidentError::MappingNotTotal)
        );
        assert_eq!(
            PriorityMapping::new(&desk, &vendor, vec![Priority(0), Priority(1), Priority(3)]),
            Err(IncidentError::MappingOutOfScale)
        );
        assert_eq!(
            PriorityMapping::new(&desk, &vendor, vec![Priority(1), Priority(0), Priority(2)]),
            Err(IncidentError::MappingNotMonotone)
        );
    }

    proptest! {
        #[test]
        fn every_accepted_mapping_is_total_and_monotone(
            from_len in 1usize..=MAX_LEVELS,
            to_len in 1usize..=MAX_LEVELS,
            raw in proptest::collection::vec(0u8..12, 0..=MAX_LEVELS + 1),
        ) {
            let (from, to) = (scale(1, from_len), scale(2, to_len));
            if let Ok(m) = PriorityMapping::new(&from, &to, raw.into_iter().map(Priority).collect()) {
                let mapped: Vec<Priority> = from.levels().map(|p| m.map(p).expect("total")).collect();
                prop_assert!(mapped.iter().all(|p| (p.0 as usize) < to_len));
                prop_assert!(mapped.windows(2).all(|w| w[0] <= w[1]));
            }
        }
    }
}
