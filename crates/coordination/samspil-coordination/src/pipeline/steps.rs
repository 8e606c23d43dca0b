//! A pipeline's steps and their dependencies, checked as a DAG.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::PipelineError;
use crate::task::TaskStatus;

/// The longest step key ("BiBo1", "GB3.0", "dos-4").
pub const MAX_STEP_KEY: usize = 40;

/// A step's key within its pipeline, the code the slides give it
/// (BiBo1, GB3.0).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StepKey(String);

impl StepKey {
    pub fn new(key: &str) -> Result<Self, PipelineError> {
        let fits = !key.is_empty()
            && key.chars().count() <= MAX_STEP_KEY
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if fits {
            Ok(Self(key.to_owned()))
        } else {
            Err(PipelineError::BadStepKey {
                key: key.to_owned(),
                max: MAX_STEP_KEY,
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for StepKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who does a step. The municipality's own steps decide whether it is done
/// with the area; the others are done for it (by its debtor-system vendor,
/// the tax agency, or the community's staff) and gate its steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepActor {
    Municipality,
    /// The municipality's debtor-system vendor (KMD Opus, EG, Fujitsu Prisme).
    Vendor,
    /// Gældsstyrelsen / UFST.
    Agency,
    /// The community's staff (KOMBIT, KL).
    Community,
}

impl StepActor {
    pub fn as_str(self) -> &'static str {
        match self {
            StepActor::Municipality => "municipality",
            StepActor::Vendor => "vendor",
            StepActor::Agency => "agency",
            StepActor::Community => "community",
        }
    }
}

/// A step as it is written, before the pipeline is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepSpec {
    pub key: String,
    pub title: String,
    pub actor: StepActor,
    pub depends_on: Vec<String>,
}

impl StepSpec {
    pub fn new(key: &str, title: &str, actor: StepActor, depends_on: &[&str]) -> Self {
        Self {
            key: key.to_owned(),
            title: title.to_owned(),
            actor,
            depends_on: depends_on.iter().map(|d| (*d).to_owned()).collect(),
        }
    }
}

/// A checked step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub key: StepKey,
    pub title: String,
    pub actor: StepActor,
    pub depends_on: Vec<StepKey>,
}

/// The statuses of one municipality's step tasks, by step key. A step
/// missing from the map has not started.
pub type Statuses = BTreeMap<StepKey, TaskStatus>;

/// A checked pipeline: its steps in a dependency order (every step after
/// the steps it depends on; among independent steps, the order written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pipeline {
    area: String,
    steps: Vec<Step>,
}

impl Pipeline {
    /// The common case: each step depends on the one before it.
    pub fn ordered(
        area: &str,
        steps: &[(&str, &str, StepActor)],
    ) -> Result<Pipeline, PipelineError> {
        let specs: Vec<StepSpec> = steps
            .iter()
            .enumerate()
            .map(|(i, (key, title, actor))| {
                let before: Vec<&str> = if i == 0 { vec![] } else { vec![steps[i - 1].0] };
                StepSpec::new(key, title, *actor, &before)
            })
            .collect();
        Pipeline::new(area, specs)
    }

    /// Checks the steps: keys, titles, duplicates, dependencies on unknown
    /// steps or on themselves, and cycles.
    pub fn new(area: &str, specs: Vec<StepSpec>) -> Result<Pipeline, PipelineError> {
        if area.trim().is_empty() {
            return Err(PipelineError::MissingArea);
        }
        if specs.is_empty() {
            return Err(PipelineError::NoSteps);
        }
        let mut steps = Vec::with_capacity(specs.len());
        let mut seen = BTreeSet::new();
        for spec in &specs {
            let key = StepKey::new(&spec.key)?;
            if !seen.insert(key.clone()) {
                return Err(PipelineError::DuplicateStep {
                    step: spec.key.clone(),
                });
            }
            let title = spec.title.trim();
            if title.is_empty() {
                return Err(PipelineError::MissingTitle {
                    step: spec.key.clone(),
                });
            }
            steps.push((key, title.to_owned(), spec.actor));
        }
        let mut checked = Vec::with_capacity(specs.len());
        for ((key, title, actor), spec) in steps.into_iter().zip(&specs) {
            let mut depends_on: Vec<StepKey> = Vec::new();
            for dependency in &spec.depends_on {
                let dep =
                    StepKey::new(dependency).map_err(|_| PipelineError::UnknownDependency {
                        step: spec.key.clone(),
                        missing: dependency.clone(),
                    })?;
                if dep == key {
                    return Err(PipelineError::SelfDependency {
                        step: spec.key.clone(),
                    });
                }
                if !seen.contains(&dep) {
                    return Err(PipelineError::UnknownDependency {
                        step: spec.key.clone(),
                        missing: dependency.clone(),
                    });
                }
                if !depends_on.contains(&dep) {
                    depends_on.push(dep);
                }
            }
            checked.push(Step {
                key,
                title,
                actor,
                depends_on,
            });
        }
        let steps = dependency_order(checked)?;
        Ok(Pipeline {
            area: area.trim().to_owned(),
            steps,
        })
    }

    pub fn area(&self) -> &str {
        &self.area
    }

    /// The steps, every one after the steps it depends on.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    pub fn step(&self, key: &str) -> Result<&Step, PipelineError> {
        self.steps
            .iter()
            .find(|s| s.key.as_str() == key)
            .ok_or_else(|| PipelineError::UnknownStep {
                step: key.to_owned(),
            })
    }

    /// The steps that depend directly on `key`.
    pub fn dependents<'a>(&'a self, key: &'a StepKey) -> impl Iterator<Item = &'a Step> + 'a {
        self.steps
            .iter()
            .filter(move |s| s.depends_on.contains(key))
    }

    /// The steps the municipality itself answers for.
    pub fn municipality_steps(&self) -> impl Iterator<Item = &Step> {
        self.steps
            .iter()
            .filter(|s| s.actor == StepActor::Municipality)
    }
}

/// Kahn's algorithm, taking the first ready step in the written order each
/// time, so the order is stable and a plain list keeps its own order. The
/// steps never taken are on (or behind) a cycle.
fn dependency_order(steps: Vec<Step>) -> Result<Vec<Step>, PipelineError> {
    let mut remaining = steps;
    let mut done: BTreeSet<StepKey> = BTreeSet::new();
    let mut ordered = Vec::with_capacity(remaining.len());
    while !remaining.is_empty() {
        let ready = remaining
            .iter()
            .position(|s| s.depends_on.iter().all(|d| done.contains(d)));
        match ready {
            Some(i) => {
                let step = remaining.remove(i);
                done.insert(step.key.clone());
                ordered.push(step);
            }
            None => {
                return Err(PipelineError::Cycle {
                    steps: remaining.iter().map(|s| s.key.to_string()).collect(),
                });
            }
        }
    }
    Ok(ordered)
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: StepActor = StepActor::Municipality;

    #[test]
    fn an_ordered_list_chains_each_step_to_the_one_before() {
        let p = Pipeline::ordered(
            "Bibliotek",
            &[
                ("BiBo1", "Lokalisér", M),
                ("BiBo2", "Fagløsning", M),
                ("BiBo3", "Nulsum", M),
            ],
        )
        .expect("valid");
        let keys: Vec<&str> = p.steps().iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["BiBo1", "BiBo2", "BiBo3"]);
        assert!(p.step("BiBo1").expect("valid").depends_on.is_empty());
        assert_eq!(
            p.step("BiBo3").expect("valid").depends_on[0].as_str(),
            "BiBo2"
        );
        assert_eq!(p.area(), "Bibliotek");
    }

    #[test]
    fn steps_come_after_their_dependencies_whatever_the_written_order() {
        let p = Pipeline::new(
            "x",
            vec![
                StepSpec::new("c", "C", M, &["a", "b"]),
                StepSpec::new("a", "A", M, &[]),
                StepSpec::new("b", "B", M, &["a"]),
            ],
        )
        .expect("valid");
        let keys: Vec<&str> = p.steps().iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["a", "b", "c"]);
    }

    #[test]
    fn a_cycle_is_refused_naming_its_steps() {
        let err = Pipeline::new(
            "x",
            vec![
                StepSpec::new("a", "A", M, &[]),
                StepSpec::new("b", "B", M, &["a", "c"]),
                StepSpec::new("c", "C", M, &["b"]),
            ],
        )
        .expect_err("refused");
        assert_eq!(err.code(), "cycle");
        assert_eq!(
            err,
            PipelineError::Cycle {
                steps: vec!["b".into(), "c".into()]
            }
        );
    }

    #[test]
    fn unknown_self_and_duplicate_steps_are_refused() {
        let unknown =
            Pipeline::new("x", vec![StepSpec::new("a", "A", M, &["z"])]).expect_err("refused");
        assert_eq!(unknown.code(), "unknown_dependency");
        let own =
            Pipeline::new("x", vec![StepSpec::new("a", "A", M, &["a"])]).expect_err("refused");
        assert_eq!(own.code(), "self_dependency");
        let twice = Pipeline::new(
            "x",
            vec![
                StepSpec::new("a", "A", M, &[]),
                StepSpec::new("a", "B", M, &[]),
            ],
        )
        .expect_err("refused");
        assert_eq!(twice.code(), "duplicate_step");
        assert_eq!(
            Pipeline::new("x", vec![]).expect_err("refused").code(),
            "no_steps"
        );
        let bad = Pipeline::new("x", vec![StepSpec::new("a b", "A", M, &[])]).expect_err("refused");
        assert_eq!(bad.code(), "bad_step_key");
        let danish = Pipeline::new("x", vec![StepSpec::new("BiBoÅ", "A", M, &[])]);
        assert_eq!(danish.expect_err("refused").code(), "bad_step_key");
        let no_area = Pipeline::new(" ", vec![StepSpec::new("a", "A", M, &[])]);
        assert_eq!(no_area.expect_err("refused").code(), "missing_area");
        let untitled =
            Pipeline::new("x", vec![StepSpec::new("a", "  ", M, &[])]).expect_err("refused");
        assert_eq!(untitled.code(), "missing_title");
        assert_eq!(
            Pipeline::ordered("x", &[("a", "A", M)])
                .expect("valid")
                .step("q")
                .expect_err("refused")
                .code(),
            "unknown_step"
        );
    }

    proptest::proptest! {
        /// Any DAG (each step depending on some written before it), given
        /// in any order, is accepted and ordered after its dependencies.
        #[test]
        fn any_dag_is_accepted_and_ordered(
            edges in proptest::collection::vec(proptest::collection::vec(proptest::bool::ANY, 12), 1..12),
            rotate in 0usize..12,
        ) {
            let n = edges.len();
            let mut specs: Vec<StepSpec> = (0..n)
                .map(|i| {
                    let deps: Vec<String> = (0..i).filter(|j| edges[i][*j]).map(|j| format!("s{j}")).collect();
                    StepSpec {
                        key: format!("s{i}"),
                        title: format!("Trin {i}"),
                        actor: M,
                        depends_on: deps,
                    }
                })
                .collect();
            specs.rotate_left(rotate % n);
            let p = Pipeline::new("x", specs).expect("a DAG");
            proptest::prop_assert_eq!(p.steps().len(), n);
            for (position, step) in p.steps().iter().enumerate() {
                for d in &step.depends_on {
                    let before = p.steps()[..position].iter().any(|s| &s.key == d);
                    proptest::prop_assert!(before, "{} before {}", d, step.key);
                }
            }
        }

        /// A list with one step made to depend on a later one is a cycle.
        #[test]
        fn a_back_edge_in_a_list_is_a_cycle(n in 2usize..15, from in 0usize..15, to in 0usize..15) {
            let (early, late) = (from.min(to) % n, from.max(to) % n);
            proptest::prop_assume!(early < late);
            let mut specs: Vec<StepSpec> = (0..n)
                .map(|i| {
                    let before: Vec<String> = if i == 0 { vec![] } else { vec![format!("s{}", i - 1)] };
                    StepSpec { key: format!("s{i}"), title: "Trin".into(), actor: M, depends_on: before }
                })
                .collect();
            specs[early].depends_on.push(format!("s{late}"));
            let err = Pipeline::new("x", specs).expect_err("a cycle");
            proptest::prop_assert_eq!(err.code(), "cycle");
        }
    }
}
