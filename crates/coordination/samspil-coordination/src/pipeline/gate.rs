//! Gates: a step starts only when the steps it depends on are done, and a
//! done step goes back only while nothing that depends on it has started.
//! The storage layer calls these with the statuses it read under a lock,
//! before it writes a step task's new status (beside `check_status_change`
//! of `task.rs`, which says how a single status may move).

use super::PipelineError;
use super::steps::{Pipeline, Statuses, StepKey};
use crate::task::TaskStatus;

fn status_of(statuses: &Statuses, key: &StepKey) -> TaskStatus {
    statuses.get(key).copied().unwrap_or(TaskStatus::NotStarted)
}

/// May `step` move to `to`? Leaving *Ikke påbegyndt* (to *Påbegyndt* or
/// *Fuldført*) needs every step it depends on *Fuldført*; the refusal
/// names those still waited on, in the pipeline's order.
pub fn check_can_start(
    pipeline: &Pipeline,
    step: &str,
    to: TaskStatus,
    statuses: &Statuses,
) -> Result<(), PipelineError> {
    let step = pipeline.step(step)?;
    if to == TaskStatus::NotStarted {
        return Ok(());
    }
    let waiting_on: Vec<String> = pipeline
        .steps()
        .iter()
        .filter(|s| step.depends_on.contains(&s.key))
        .filter(|s| status_of(statuses, &s.key) != TaskStatus::Completed)
        .map(|s| s.key.to_string())
        .collect();
    if waiting_on.is_empty() {
        Ok(())
    } else {
        Err(PipelineError::GateClosed {
            step: step.key.to_string(),
            waiting_on,
        })
    }
}

/// May `step`, now *Fuldført*, move back to `to`? Only while no step that
/// depends on it has left *Ikke påbegyndt*: otherwise that step would be
/// under way on a step no longer done.
pub fn check_can_move_back(
    pipeline: &Pipeline,
    step: &str,
    to: TaskStatus,
    statuses: &Statuses,
) -> Result<(), PipelineError> {
    let step = pipeline.step(step)?;
    if to == TaskStatus::Completed || status_of(statuses, &step.key) != TaskStatus::Completed {
        return Ok(());
    }
    let started: Vec<String> = pipeline
        .dependents(&step.key)
        .filter(|d| status_of(statuses, &d.key) != TaskStatus::NotStarted)
        .map(|d| d.key.to_string())
        .collect();
    if started.is_empty() {
        Ok(())
    } else {
        Err(PipelineError::DependentsStarted {
            step: step.key.to_string(),
            started,
        })
    }
}

/// The steps a municipality can work on now: not completed, every
/// dependency completed. A municipality's page shows these as "næste".
pub fn open_steps<'a>(pipeline: &'a Pipeline, statuses: &Statuses) -> Vec<&'a StepKey> {
    pipeline
        .steps()
        .iter()
        .filter(|s| status_of(statuses, &s.key) != TaskStatus::Completed)
        .filter(|s| {
            s.depends_on
                .iter()
                .all(|d| status_of(statuses, d) == TaskStatus::Completed)
        })
        .map(|s| &s.key)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::steps::{StepActor, StepSpec};

    const M: StepActor = StepActor::Municipality;

    fn dos_like() -> Pipeline {
        Pipeline::ordered(
            "Socialret",
            &[
                ("1", "Fordringstyper", M),
                ("2", "Fagløsning", M),
                ("3", "Klarmeld", M),
            ],
        )
        .expect("valid")
    }

    fn statuses(list: &[(&str, TaskStatus)]) -> Statuses {
        list.iter()
            .map(|(k, s)| (StepKey::new(k).expect("valid"), *s))
            .collect()
    }

    #[test]
    fn step_three_cannot_start_before_two_is_done() {
        let p = dos_like();
        let s = statuses(&[("1", TaskStatus::Completed), ("2", TaskStatus::Started)]);
        let err = check_can_start(&p, "3", TaskStatus::Started, &s).expect_err("refused");
        assert_eq!(err.code(), "gate_closed");
        assert_eq!(
            err,
            PipelineError::GateClosed {
                step: "3".into(),
                waiting_on: vec!["2".into()]
            }
        );
        assert!(check_can_start(&p, "3", TaskStatus::Completed, &s).is_err());
        assert!(check_can_start(&p, "3", TaskStatus::NotStarted, &s).is_ok());
        let s = statuses(&[("1", TaskStatus::Completed), ("2", TaskStatus::Completed)]);
        assert!(check_can_start(&p, "3", TaskStatus::Started, &s).is_ok());
        assert!(check_can_start(&p, "1", TaskStatus::Started, &Statuses::new()).is_ok());
    }

    #[test]
    fn a_gate_with_two_dependencies_names_both_missing() {
        let p = Pipeline::new(
            "x",
            vec![
                StepSpec::new("vendor", "Leverandør klar", StepActor::Vendor, &[]),
                StepSpec::new("2", "Fagløsning", M, &[]),
                StepSpec::new("3", "Klarmeld", M, &["2", "vendor"]),
            ],
        )
        .expect("valid");
        let err =
            check_can_start(&p, "3", TaskStatus::Started, &Statuses::new()).expect_err("refused");
        assert_eq!(
            err,
            PipelineError::GateClosed {
                step: "3".into(),
                waiting_on: vec!["vendor".into(), "2".into()]
            }
        );
    }

    #[test]
    fn a_done_step_goes_back_only_while_its_dependents_have_not_started() {
        let p = dos_like();
        let s = statuses(&[("1", TaskStatus::Completed), ("2", TaskStatus::Started)]);
        let err = check_can_move_back(&p, "1", TaskStatus::Started, &s).expect_err("refused");
        assert_eq!(err.code(), "dependents_started");
        let s = statuses(&[("1", TaskStatus::Completed)]);
        assert!(check_can_move_back(&p, "1", TaskStatus::Started, &s).is_ok());
        assert!(check_can_move_back(&p, "unknown", TaskStatus::Started, &s).is_err());
    }

    #[test]
    fn open_steps_are_those_whose_gates_are_open() {
        let p = dos_like();
        let keys = |s: &Statuses| -> Vec<String> {
            open_steps(&p, s).iter().map(|k| k.to_string()).collect()
        };
        assert_eq!(keys(&Statuses::new()), ["1"]);
        assert_eq!(keys(&statuses(&[("1", TaskStatus::Completed)])), ["2"]);
        let all = statuses(&[
            ("1", TaskStatus::Completed),
            ("2", TaskStatus::Completed),
            ("3", TaskStatus::Completed),
        ]);
        assert!(keys(&all).is_empty());
    }

    proptest::proptest! {
        /// Whatever a municipality and staff do, through the task rule and
        /// the gates, no step is ever under way before its dependencies
        /// are done.
        #[test]
        fn no_walk_through_the_gates_starts_a_step_early(
            moves in proptest::collection::vec((0usize..10, 0usize..3), 0..80),
        ) {
            let p = crate::pipeline::dos_pipeline(crate::pipeline::BusinessArea::Bibliotek);
            let mut s = Statuses::new();
            for (index, target) in moves {
                let step = p.steps()[index].key.clone();
                let to = TaskStatus::ALL[target];
                let from = status_of(&s, &step);
                let allowed = crate::task::check_status_change(from, to, Some("rettet"), 0).is_ok()
                    && check_can_start(&p, step.as_str(), to, &s).is_ok()
                    && check_can_move_back(&p, step.as_str(), to, &s).is_ok();
                if allowed {
                    s.insert(step, to);
                }
                for st in p.steps() {
                    if status_of(&s, &st.key) != TaskStatus::NotStarted {
                        for d in &st.depends_on {
                            proptest::prop_assert_eq!(status_of(&s, d), TaskStatus::Completed);
                        }
                    }
                }
            }
        }
    }
}
