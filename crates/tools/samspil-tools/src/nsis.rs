//! The NSIS risk assessment (seed `003_…`, September 2019): per IT
//! solution and user type, assessors score risk elements and control
//! elements from 0 to 3; the risk score is the **maximum** of the risk
//! elements, the control score the **average** of the control elements,
//! and a matrix the community keeps maps the pair to the assurance level
//! that logins of that user type must have.
//!
//! The matrix is data ([`Matrix`]): rows for control scores (from a
//! threshold up), a level per risk score (0–3) in each row. A control score
//! falls in the highest row whose threshold is not above it. Every matrix
//! accepted has no gap (a level in every cell, a first row from 0.0) and
//! never asks less for more risk or more for more control, so the mapping
//! is monotone in risk and antitone in control whatever staff make of it.
//!
//! The control score is kept exact (sum and count of the scores): the level
//! is decided on the exact average; only the text shown rounds it, to one
//! decimal, halves away from zero (2.15 reads "2,2").

use std::fmt;

use samspil_domain::ValidationError;
use samspil_domain::input::free_text;
use serde::{Deserialize, Serialize};

use crate::AssuranceLevel;

/// The highest score an element can get.
pub const MAX_SCORE: u8 = 3;

/// The risk scores, one column of the matrix each: 0, 1, 2, 3.
pub const RISK_SCORES: usize = MAX_SCORE as usize + 1;

/// The user types an assessment is made for (the slides' Sagsbehandler,
/// and the others NSIS distinguishes in the municipalities).
pub const USER_TYPES: [&str; 4] = ["Sagsbehandler", "Leder", "Borger", "Systembruger"];

/// The longest rationale of a score, project leader or phase.
pub const MAX_RATIONALE_CHARS: usize = 2_000;

/// The two kinds of element in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ElementKind {
    /// Data, sensitivity, exposure, volume …: the score that counts is the
    /// highest.
    Risk,
    /// Role management, logging, segregation of duties, data scoping …:
    /// the score that counts is the average.
    Control,
}

impl ElementKind {
    pub fn code(self) -> &'static str {
        match self {
            ElementKind::Risk => "risk",
            ElementKind::Control => "control",
        }
    }

    pub fn parse(text: &str) -> Result<ElementKind, ValidationError> {
        match text.trim() {
            "risk" => Ok(ElementKind::Risk),
            "control" => Ok(ElementKind::Control),
            other => Err(ValidationError::new(
                "kind",
                format!("'{other}' is neither 'risk' nor 'control'"),
            )),
        }
    }
}

/// A score from 0 to 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Score(u8);

impl Score {
    /// The score typed, refused unless a whole number from 0 to 3.
    pub fn new(value: i64) -> Result<Score, ValidationError> {
        u8::try_from(value)
            .ok()
            .filter(|v| *v <= MAX_SCORE)
            .map(Score)
            .ok_or_else(|| {
                ValidationError::new(
                    "score",
                    format!("a score is a whole number from 0 to {MAX_SCORE}, not {value}"),
                )
            })
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// A name of the catalogue (an element's): 1–200 characters.
pub fn element_name(text: &str) -> Result<String, ValidationError> {
    free_text("name", text, 200)?
        .map(str::to_owned)
        .ok_or_else(|| ValidationError::new("name", "an element needs a name"))
}

/// A score's rationale: required, at most [`MAX_RATIONALE_CHARS`].
pub fn rationale(text: &str) -> Result<String, ValidationError> {
    free_text("rationale", text, MAX_RATIONALE_CHARS)?
        .map(str::to_owned)
        .ok_or_else(|| ValidationError::new("rationale", "every score needs a rationale"))
}

/// A user type of [`USER_TYPES`], as typed in any case.
pub fn user_type(text: &str) -> Result<&'static str, ValidationError> {
    let typed = text.trim();
    USER_TYPES
        .into_iter()
        .find(|known| known.eq_ignore_ascii_case(typed))
        .ok_or_else(|| {
            ValidationError::new(
                "user_type",
                format!(
                    "'{typed}' is not a user type; choose one of {}",
                    USER_TYPES.join(", ")
                ),
            )
        })
}

/// The assessors' initials, separated by commas or spaces ("TRI, LVR, TG,
/// RHI"): each 2–6 letters, upper-cased, at least one, none twice.
pub fn assessors(text: &str) -> Result<Vec<String>, ValidationError> {
    let refuse = |problem: String| ValidationError::new("assessors", problem);
    let mut initials: Vec<String> = Vec::new();
    for typed in text.split([',', ' ', ';']).filter(|part| !part.is_empty()) {
        let upper = typed.to_uppercase();
        let letters = upper.chars().count();
        if !(2..=6).contains(&letters) || !upper.chars().all(char::is_alphabetic) {
            return Err(refuse(format!(
                "'{typed}' are not initials (2 to 6 letters)"
            )));
        }
        if initials.contains(&upper) {
            return Err(refuse(format!("{upper} is named twice")));
        }
        initials.push(upper);
    }
    if initials.is_empty() {
        return Err(refuse(
            "name at least one assessor by their initials".into(),
        ));
    }
    if initials.len() > 20 {
        return Err(refuse("at most 20 assessors".into()));
    }
    Ok(initials)
}

/// The control score, exact: the sum and the number of the control
/// elements' scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControlScore {
    pub sum: u32,
    pub count: u32,
}

impl ControlScore {
    /// Whether the average is at least `tenths` / 10, decided without
    /// rounding.
    pub fn at_least(self, tenths: u8) -> bool {
        10 * self.sum >= u32::from(tenths) * self.count
    }

    /// The average in tenths, rounded half away from zero (for display).
    pub fn tenths(self) -> u32 {
        (20 * self.sum + self.count) / (2 * self.count)
    }

    /// The average as the slides write it: one decimal, a decimal comma.
    pub fn danish(self) -> String {
        let tenths = self.tenths();
        format!("{},{}", tenths / 10, tenths % 10)
    }

    /// The average as a number, rounded to one decimal (the API's).
    pub fn rounded(self) -> f64 {
        f64::from(self.tenths()) / 10.0
    }
}

/// One row of the matrix: the level per risk score (0–3) for control
/// scores from `control_from_tenths` / 10 up to the next row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub control_from_tenths: u8,
    pub levels: [AssuranceLevel; RISK_SCORES],
}

/// A row as typed: a threshold and a level per risk score, any of them
/// possibly missing (a gap, refused by [`Matrix::new`]).
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixRowInput {
    pub control_from_tenths: u8,
    pub levels: Vec<Option<AssuranceLevel>>,
}

/// The matrix from (risk score, control score) to assurance level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matrix {
    /// Ascending by threshold, the first from 0.0.
    rows: Vec<MatrixRow>,
}

fn matrix_refusal(problem: String) -> ValidationError {
    ValidationError::new("matrix", problem)
}

impl Matrix {
    /// The matrix of the September 2019 slide, read as DOMAIN.md says
    /// (a blank cell has the colour of the cell below it): risk 0 ⇒ Lav;
    /// 1 ⇒ Betydelig; 2 ⇒ Høj below control 1.5, else Betydelig; 3 ⇒ Høj
    /// below control 2.0, else Betydelig. Rows 0.0, 0.5 … 3.0.
    pub fn slide() -> Matrix {
        use AssuranceLevel::{Betydelig as B, Hoej as H, Lav as L};
        let rows = (0..=6u8)
            .map(|step| {
                let from = step * 5;
                let levels = match from {
                    0..=14 => [L, B, H, H],
                    15..=19 => [L, B, B, H],
                    _ => [L, B, B, B],
                };
                MatrixRow {
                    control_from_tenths: from,
                    levels,
                }
            })
            .collect();
        Matrix { rows }
    }

    /// A matrix as typed, refused with what is wrong: no rows, a first row
    /// not from 0.0, thresholds not rising or above 3.0, a cell without a
    /// level (a gap), more or fewer than four risk columns, or a level that
    /// falls as risk rises or rises as control rises.
    pub fn new(rows: Vec<MatrixRowInput>) -> Result<Matrix, ValidationError> {
        let Some(first) = rows.first() else {
            return Err(matrix_refusal("the matrix has no rows".into()));
        };
        if first.control_from_tenths != 0 {
            return Err(matrix_refusal(
                "the first row must start at control score 0.0, or low control scores fall in no row"
                    .into(),
            ));
        }
        let mut checked: Vec<MatrixRow> = Vec::with_capacity(rows.len());
        for row in &rows {
            let from = row.control_from_tenths;
            let shown = format!("{}.{}", from / 10, from % 10);
            if from > 30 {
                return Err(matrix_refusal(format!(
                    "row {shown}: a control score is at most 3.0"
                )));
            }
            if let Some(previous) = checked.last()
                && previous.control_from_tenths >= from
            {
                return Err(matrix_refusal(format!(
                    "row {shown}: the rows' control scores must rise"
                )));
            }
            if row.levels.len() != RISK_SCORES {
                return Err(matrix_refusal(format!(
                    "row {shown}: a row has a level for each risk score 0 to 3"
                )));
            }
            let mut levels = [AssuranceLevel::Lav; RISK_SCORES];
            for (risk, level) in row.levels.iter().enumerate() {
                levels[risk] = level.ok_or_else(|| {
                    matrix_refusal(format!(
                        "row {shown}, risk {risk}: the cell has no level (a gap)"
                    ))
                })?;
                if risk > 0 && levels[risk] < levels[risk - 1] {
                    return Err(matrix_refusal(format!(
                        "row {shown}, risk {risk}: more risk cannot lower the level"
                    )));
                }
            }
            if let Some(previous) = checked.last()
                && let Some(risk) = (0..RISK_SCORES).find(|r| levels[*r] > previous.levels[*r])
            {
                return Err(matrix_refusal(format!(
                    "row {shown}, risk {risk}: more control cannot raise the level"
                )));
            }
            checked.push(MatrixRow {
                control_from_tenths: from,
                levels,
            });
        }
        Ok(Matrix { rows: checked })
    }

    pub fn rows(&self) -> &[MatrixRow] {
        &self.rows
    }

    /// The level for a risk score (0–3) and a control score: the row is the
    /// highest whose threshold the exact average reaches.
    pub fn level(&self, risk: u8, control: ControlScore) -> AssuranceLevel {
        let risk = usize::from(risk.min(MAX_SCORE));
        let row = self
            .rows
            .iter()
            .rev()
            .find(|row| control.at_least(row.control_from_tenths))
            .unwrap_or(&self.rows[0]);
        row.levels[risk]
    }
}

/// What an assessment's scores give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evaluation {
    /// The highest risk element's score.
    pub risk: u8,
    pub control: ControlScore,
    pub level: AssuranceLevel,
}

/// Evaluates scores (each with its element's kind) against a matrix: at
/// least one risk element and one control element must be scored.
pub fn evaluate(
    matrix: &Matrix,
    scores: &[(ElementKind, Score)],
) -> Result<Evaluation, ValidationError> {
    let risk = scores
        .iter()
        .filter(|(kind, _)| *kind == ElementKind::Risk)
        .map(|(_, score)| score.get())
        .max()
        .ok_or_else(|| ValidationError::new("scores", "score at least one risk element"))?;
    let controls: Vec<u32> = scores
        .iter()
        .filter(|(kind, _)| *kind == ElementKind::Control)
        .map(|(_, score)| u32::from(score.get()))
        .collect();
    if controls.is_empty() {
        return Err(ValidationError::new(
            "scores",
            "score at least one control element",
        ));
    }
    let control = ControlScore {
        sum: controls.iter().sum(),
        count: u32::try_from(controls.len()).unwrap_or(u32::MAX),
    };
    Ok(Evaluation {
        risk,
        control,
        level: matrix.level(risk, control),
    })
}

/// Whether a municipality whose identity provider is notified at `idp`
/// (`None`: not registered) is ready for a solution that requires
/// `required`.
pub fn idp_ready(idp: Option<AssuranceLevel>, required: AssuranceLevel) -> bool {
    idp.is_some_and(|level| level.satisfies(required))
}

impl fmt::Display for ElementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssuranceLevel::{Betydelig, Hoej, Lav};
    use proptest::prelude::*;

    fn control(scores: &[u32]) -> ControlScore {
        ControlScore {
            sum: scores.iter().sum(),
            count: scores.len() as u32,
        }
    }

    #[test]
    fn the_slides_worked_example_is_betydelig() {
        // SAPA, Sagsbehandler, 1 June 2019: risk 2.0 (the highest risk
        // element), control 2.1 (the average of the control elements).
        let scores = [
            (ElementKind::Risk, Score::new(2).expect("valid")),
            (ElementKind::Risk, Score::new(1).expect("valid")),
            (ElementKind::Risk, Score::new(2).expect("valid")),
        ]
        .into_iter()
        .chain(
            [3, 2, 2, 2, 2, 2, 2, 2, 2, 2]
                .into_iter()
                .map(|s| (ElementKind::Control, Score::new(s).expect("valid"))),
        )
        .collect::<Vec<_>>();
        let evaluation = evaluate(&Matrix::slide(), &scores).expect("valid");
        assert_eq!(evaluation.risk, 2);
        assert_eq!(evaluation.control.danish(), "2,1");
        assert_eq!(evaluation.level, Betydelig);
    }

    #[test]
    fn the_slide_matrix_reads_as_domain_md_says() {
        let m = Matrix::slide();
        for c in [&[0][..], &[1], &[1, 2], &[2], &[3], &[0, 1]] {
            assert_eq!(m.level(0, control(c)), Lav);
            assert_eq!(m.level(1, control(c)), Betydelig);
        }
        // Risk 2: Høj below 1.5, else Betydelig.
        assert_eq!(m.level(2, control(&[1, 2, 1, 1])), Hoej); // 1.25
        assert_eq!(m.level(2, control(&[1, 2])), Betydelig); // 1.5
        // Risk 3: Høj below 2.0, else Betydelig; 1.9 falls in row 1.5.
        assert_eq!(
            m.level(
                3,
                control(&[2; 9].iter().copied().chain([1]).collect::<Vec<_>>())
            ),
            Hoej
        );
        assert_eq!(m.level(3, control(&[2])), Betydelig);
        assert_eq!(m.level(3, control(&[0])), Hoej);
    }

    #[test]
    fn the_control_score_is_exact_and_shown_rounded() {
        // 2/3 = 0.666… reads 0,7 but does not reach a row from 0.7.
        let c = control(&[1, 1, 0]);
        assert_eq!(c.danish(), "0,7");
        assert!(!c.at_least(7));
        assert!(c.at_least(6));
        assert_eq!(control(&[2, 2, 2, 3, 2, 2, 2, 2, 2, 2]).danish(), "2,1");
        assert_eq!(control(&[3, 0]).danish(), "1,5");
    }

    #[test]
    fn a_score_of_4_is_refused() {
        assert_eq!(Score::new(4).expect_err("refused").field, "score");
        assert!(Score::new(-1).is_err());
        assert_eq!(Score::new(3).expect("valid").get(), 3);
    }

    #[test]
    fn scores_need_a_risk_and_a_control_element() {
        let m = Matrix::slide();
        let risk_only = [(ElementKind::Risk, Score::new(1).expect("valid"))];
        assert_eq!(
            evaluate(&m, &risk_only).expect_err("refused").field,
            "scores"
        );
        let control_only = [(ElementKind::Control, Score::new(1).expect("valid"))];
        assert_eq!(
            evaluate(&m, &control_only).expect_err("refused").field,
            "scores"
        );
    }

    fn typed(matrix: &Matrix) -> Vec<MatrixRowInput> {
        matrix
            .rows()
            .iter()
            .map(|r| MatrixRowInput {
                control_from_tenths: r.control_from_tenths,
                levels: r.levels.iter().copied().map(Some).collect(),
            })
            .collect()
    }

    #[test]
    fn the_slide_matrix_is_a_valid_matrix() {
        assert_eq!(
            Matrix::new(typed(&Matrix::slide())).expect("valid"),
            Matrix::slide()
        );
    }

    #[test]
    fn a_matrix_with_a_gap_is_refused() {
        let mut rows = typed(&Matrix::slide());
        rows[3].levels[2] = None;
        let refused = Matrix::new(rows).expect_err("refused");
        assert_eq!(refused.field, "matrix");
        assert!(refused.problem.contains("gap"), "{}", refused.problem);
        let mut rows = typed(&Matrix::slide());
        rows.remove(0);
        assert!(
            Matrix::new(rows)
                .expect_err("refused")
                .problem
                .contains("0.0")
        );
        assert!(Matrix::new(Vec::new()).is_err());
    }

    #[test]
    fn a_matrix_that_asks_less_for_more_risk_or_more_for_more_control_is_refused() {
        let mut rows = typed(&Matrix::slide());
        rows[0].levels = vec![Some(Hoej), Some(Lav), Some(Hoej), Some(Hoej)];
        assert!(
            Matrix::new(rows)
                .expect_err("refused")
                .problem
                .contains("more risk")
        );
        let mut rows = typed(&Matrix::slide());
        rows[6].levels = vec![Some(Lav), Some(Hoej), Some(Hoej), Some(Hoej)];
        assert!(
            Matrix::new(rows)
                .expect_err("refused")
                .problem
                .contains("more control")
        );
        let mut rows = typed(&Matrix::slide());
        rows[2].control_from_tenths = 5;
        assert!(
            Matrix::new(rows)
                .expect_err("refused")
                .problem
                .contains("rise")
        );
    }

    #[test]
    fn assessors_are_initials() {
        assert_eq!(
            assessors("TRI, LVR, TG, RHI").expect("valid"),
            ["TRI", "LVR", "TG", "RHI"]
        );
        assert_eq!(assessors("tri lvr").expect("valid"), ["TRI", "LVR"]);
        assert!(assessors("").is_err());
        assert!(assessors("T").is_err());
        assert!(assessors("TRI, TRI").is_err());
        assert!(assessors("T1").is_err());
    }

    #[test]
    fn user_types_are_the_known_ones() {
        assert_eq!(user_type("sagsbehandler").expect("valid"), "Sagsbehandler");
        assert_eq!(user_type("Robot").expect_err("refused").field, "user_type");
    }

    #[test]
    fn readiness_needs_a_registered_level_at_least_the_required() {
        assert!(idp_ready(Some(Hoej), Betydelig));
        assert!(idp_ready(Some(Betydelig), Betydelig));
        assert!(!idp_ready(Some(Lav), Betydelig));
        assert!(!idp_ready(None, Lav));
    }

    fn a_level() -> impl Strategy<Value = AssuranceLevel> {
        prop_oneof![Just(Lav), Just(Betydelig), Just(Hoej)]
    }

    fn a_control_score() -> impl Strategy<Value = ControlScore> {
        prop::collection::vec(0u32..=3, 1..12).prop_map(|scores| control(&scores))
    }

    /// Any matrix `Matrix::new` accepts: random rows, kept when accepted.
    fn a_matrix() -> impl Strategy<Value = Matrix> {
        (
            prop::collection::btree_set(1u8..=30, 0..6),
            prop::collection::vec(prop::collection::vec(a_level(), RISK_SCORES), 7),
        )
            .prop_map(|(thresholds, mut levels)| {
                // Sorted into the rules' shape, so that most are accepted:
                // each row rising with risk, the rows falling with control.
                for row in levels.iter_mut() {
                    row.sort();
                }
                let mut rows: Vec<MatrixRowInput> = Vec::new();
                let froms: Vec<u8> = std::iter::once(0).chain(thresholds).collect();
                for (i, from) in froms.iter().enumerate() {
                    let mut row = levels[i].clone();
                    if let Some(previous) = rows.last() {
                        for (r, level) in row.iter_mut().enumerate() {
                            let above = previous.levels[r].expect("filled");
                            *level = (*level).min(above);
                        }
                        row.sort();
                    }
                    rows.push(MatrixRowInput {
                        control_from_tenths: *from,
                        levels: row.into_iter().map(Some).collect(),
                    });
                }
                Matrix::new(rows).expect("a sorted matrix is accepted")
            })
    }

    proptest! {
        #[test]
        fn the_level_never_falls_as_risk_rises(
            matrix in prop_oneof![Just(Matrix::slide()), a_matrix()],
            risk in 0u8..3,
            control in a_control_score(),
        ) {
            prop_assert!(matrix.level(risk, control) <= matrix.level(risk + 1, control));
        }

        #[test]
        fn the_level_never_rises_as_control_rises(
            matrix in prop_oneof![Just(Matrix::slide()), a_matrix()],
            risk in 0u8..=3,
            low in a_control_score(),
            high in a_control_score(),
        ) {
            // Compare exactly: low ≤ high when low.sum/low.count ≤ high.sum/high.count.
            let (low, high) = if low.sum * high.count <= high.sum * low.count {
                (low, high)
            } else {
                (high, low)
            };
            prop_assert!(matrix.level(risk, high) <= matrix.level(risk, low));
        }

        #[test]
        fn a_matrix_with_any_cell_missing_is_refused(
            matrix in a_matrix(),
            row in 0usize..7,
            risk in 0usize..RISK_SCORES,
        ) {
            let mut rows = typed(&matrix);
            let row = row % rows.len();
            rows[row].levels[risk] = None;
            prop_assert!(Matrix::new(rows).is_err());
        }

        #[test]
        fn scores_outside_0_to_3_are_refused(value in any::<i64>()) {
            prop_assert_eq!(Score::new(value).is_ok(), (0..=3).contains(&value));
        }
    }
}
