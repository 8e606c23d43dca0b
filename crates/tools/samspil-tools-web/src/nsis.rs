//! What the NSIS pages and API share: the views of the records (one shape
//! for both), the readiness report (which municipalities' identity
//! providers are below what a solution requires), and the matrix drawn as
//! the slide draws it.

use std::collections::{BTreeMap, HashMap, HashSet};

use samspil_domain::{OrgId, OrgKind};
use samspil_tools::AssuranceLevel;
use samspil_tools::nsis::{self, Matrix, MatrixRowInput};
use samspil_tools_storage::{
    Assessment, AssessmentDetail, AssessmentVersion, MatrixVersion, NsisElement, ScoreInput,
    VersionInput,
};
use samspil_web::error::AppError;
use samspil_web::i18n::Lang;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ToolsState;

/// An element of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ElementView {
    pub id: i64,
    /// `risk` or `control`.
    pub kind: String,
    pub name: String,
    pub description: String,
    /// Whether new versions score it.
    pub active: bool,
}

impl From<NsisElement> for ElementView {
    fn from(e: NsisElement) -> Self {
        ElementView {
            id: e.id,
            kind: e.kind.code().to_owned(),
            name: e.name,
            description: e.description,
            active: e.active,
        }
    }
}

/// A row of the matrix: from a control score up, a level per risk score.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatrixRowView {
    /// The control score the row starts at (0.0 … 3.0, one decimal).
    pub control_from: f64,
    /// The level (`Lav`, `Betydelig`, `Høj`) for risk 0, 1, 2 and 3; a
    /// missing one (`null`) is a gap and refused.
    pub levels: Vec<Option<String>>,
}

/// A version of the matrix.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixView {
    pub version: i64,
    pub note: String,
    pub created_by: String,
    /// RFC 3339.
    pub created_at: String,
    /// Ascending by control score.
    pub rows: Vec<MatrixRowView>,
}

/// A moment as the API gives it.
pub(crate) fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl From<MatrixVersion> for MatrixView {
    fn from(m: MatrixVersion) -> Self {
        MatrixView {
            version: m.version,
            note: m.note,
            created_by: m.created_by,
            created_at: rfc3339(m.created_at),
            rows: m
                .matrix
                .rows()
                .iter()
                .map(|row| MatrixRowView {
                    control_from: f64::from(row.control_from_tenths) / 10.0,
                    levels: row
                        .levels
                        .iter()
                        .map(|l| Some(l.as_str().to_owned()))
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A level as typed: `Lav`, `Betydelig` or `Høj` (any case).
pub fn typed_level(field: &'static str, text: &str) -> Result<AssuranceLevel, AppError> {
    AssuranceLevel::parse(text).ok_or_else(|| {
        AppError::Rule(samspil_domain::ValidationError::new(
            field,
            format!("'{text}' is not an assurance level: Lav, Betydelig or Høj"),
        ))
    })
}

/// A matrix as typed (the API's rows or the page's grid), checked by the
/// rules.
pub fn typed_matrix(rows: &[MatrixRowView]) -> Result<Matrix, AppError> {
    let refuse =
        |problem: String| AppError::Rule(samspil_domain::ValidationError::new("matrix", problem));
    let mut typed = Vec::with_capacity(rows.len());
    for row in rows {
        let tenths = row.control_from * 10.0;
        if !tenths.is_finite()
            || (tenths - tenths.round()).abs() > 1e-6
            || !(0.0..=30.0).contains(&tenths)
        {
            return Err(refuse(format!(
                "{} is not a control score from 0.0 to 3.0 with one decimal",
                row.control_from
            )));
        }
        let levels = row
            .levels
            .iter()
            .map(|level| match level.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(text) => typed_level("matrix", text).map(Some),
            })
            .collect::<Result<Vec<_>, _>>()?;
        typed.push(MatrixRowInput {
            // Checked above: a whole number from 0 to 30.
            control_from_tenths: tenths.round() as u8,
            levels,
        });
    }
    Ok(Matrix::new(typed)?)
}

/// One element's score in a version.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreView {
    pub element_id: i64,
    pub element: String,
    /// `risk` or `control`.
    pub kind: String,
    pub score: u8,
    pub rationale: String,
}

/// A version of an assessment.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionView {
    pub version: i64,
    pub project_leader: String,
    pub phase: String,
    pub assessors: Vec<String>,
    /// `YYYY-MM-DD`.
    pub assessed_on: String,
    /// As a page in Danish shows it (`01.06.2019`).
    pub assessed_on_text: String,
    pub matrix_version: i64,
    /// The highest risk element's score.
    pub risk_score: u8,
    /// The average of the control elements' scores, rounded to one decimal
    /// (half away from zero) for display; the level was decided on the
    /// exact average.
    pub control_score: f64,
    /// The same as the slides write it: `2,1`.
    pub control_score_text: String,
    /// `Lav`, `Betydelig` or `Høj`.
    pub level: String,
    pub author: String,
    /// RFC 3339.
    pub created_at: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    /// As a page in Danish shows it.
    pub created_at_text: String,
    pub approved_at_text: Option<String>,
    pub scores: Vec<ScoreView>,
}

impl VersionView {
    /// The view, with the dates a page shows in `lang`.
    pub fn new(v: AssessmentVersion, lang: Lang) -> Self {
        VersionView {
            version: v.version,
            project_leader: v.project_leader,
            phase: v.phase,
            assessors: v.assessors,
            assessed_on: v.assessed_on.to_string(),
            assessed_on_text: samspil_web::format::format_date(lang, Some(v.assessed_on))
                .unwrap_or_default(),
            matrix_version: v.matrix_version,
            risk_score: v.risk_score,
            control_score: v.control.rounded(),
            control_score_text: v.control.danish(),
            level: v.level.as_str().to_owned(),
            author: v.author,
            created_at: rfc3339(v.created_at),
            approved_by: v.approved_by,
            approved_at: v.approved_at.map(rfc3339),
            created_at_text: samspil_web::format::format_instant(lang, v.created_at),
            approved_at_text: v
                .approved_at
                .map(|at| samspil_web::format::format_instant(lang, at)),
            scores: v
                .scores
                .into_iter()
                .map(|s| ScoreView {
                    element_id: s.element_id,
                    element: s.element_name,
                    kind: s.kind.code().to_owned(),
                    score: s.score,
                    rationale: s.rationale,
                })
                .collect(),
        }
    }
}

/// An assessment with its newest version and the level that counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentView {
    pub id: i64,
    pub solution_id: i64,
    pub solution: String,
    pub user_type: String,
    pub latest: VersionView,
    /// The newest approved version, the one that counts.
    pub approved_version: Option<i64>,
    /// Its level: what the solution requires of this user type.
    pub approved_level: Option<String>,
}

/// An assessment with every version, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentDetailView {
    pub assessment: AssessmentView,
    pub versions: Vec<VersionView>,
}

/// The IT solutions by id, for names.
pub async fn solution_names(state: &ToolsState) -> Result<HashMap<i64, String>, AppError> {
    Ok(state
        .solutions
        .it_solutions()
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

pub fn assessment_view(a: Assessment, names: &HashMap<i64, String>, lang: Lang) -> AssessmentView {
    AssessmentView {
        id: a.id,
        solution_id: a.solution_id,
        solution: names
            .get(&a.solution_id)
            .cloned()
            .unwrap_or_else(|| format!("#{}", a.solution_id)),
        user_type: a.user_type,
        latest: VersionView::new(a.latest, lang),
        approved_version: a.approved_version,
        approved_level: a.approved_level.map(|l| l.as_str().to_owned()),
    }
}

pub fn detail_view(
    d: AssessmentDetail,
    names: &HashMap<i64, String>,
    lang: Lang,
) -> AssessmentDetailView {
    AssessmentDetailView {
        assessment: assessment_view(d.assessment, names, lang),
        versions: d
            .versions
            .into_iter()
            .map(|v| VersionView::new(v, lang))
            .collect(),
    }
}

/// A version as the API takes it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionInputView {
    pub project_leader: String,
    #[serde(default)]
    pub phase: String,
    /// Initials separated by commas: `TRI, LVR, TG, RHI`.
    pub assessors: String,
    /// `YYYY-MM-DD`.
    pub assessed_on: String,
    /// A score for every element in use.
    pub scores: Vec<ScoreInputView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreInputView {
    pub element_id: i64,
    /// 0 to 3.
    pub score: i64,
    pub rationale: String,
}

impl VersionInputView {
    pub fn into_input(self) -> Result<VersionInput, AppError> {
        Ok(VersionInput {
            project_leader: self.project_leader,
            phase: self.phase,
            assessors: self.assessors,
            assessed_on: samspil_domain::input::parse_date("assessed_on", &self.assessed_on)?,
            scores: self
                .scores
                .into_iter()
                .map(|s| ScoreInput {
                    element_id: s.element_id,
                    score: s.score,
                    rationale: s.rationale,
                })
                .collect(),
        })
    }
}

/// A municipality in the readiness report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MunicipalityLevel {
    pub org_id: i64,
    pub name: String,
    /// The identity provider's notified level; absent when not registered.
    pub idp_level: Option<String>,
}

/// What a solution requires of a user type, and who is not ready for it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadinessView {
    pub assessment_id: i64,
    pub solution_id: i64,
    pub solution: String,
    pub user_type: String,
    /// The approved version's level.
    pub required_level: String,
    pub version: i64,
    /// How many of the municipalities using the solution (of those shown)
    /// are ready.
    pub ready: usize,
    /// The municipalities using the solution whose identity provider is
    /// below the required level or not registered.
    pub not_ready: Vec<MunicipalityLevel>,
}

/// Whether logins of a user type come through the municipality's own
/// identity provider: citizens log in with MitID, so the municipality's
/// level says nothing about them.
fn through_municipal_idp(user_type: &str) -> bool {
    user_type != "Borger"
}

/// The readiness report: per approved requirement (solution × user type,
/// citizens left out), the municipalities using the solution whose
/// identity provider is not at the level; `only` keeps one municipality.
pub async fn readiness(
    state: &ToolsState,
    only: Option<OrgId>,
) -> Result<Vec<ReadinessView>, AppError> {
    let requirements = state.storage.nsis_requirements().await?;
    let levels: HashMap<OrgId, AssuranceLevel> = state
        .storage
        .idp_levels()
        .await?
        .into_iter()
        .map(|l| (l.org_id, l.level))
        .collect();
    let municipalities: BTreeMap<String, (OrgId, String)> = state
        .shell
        .storage
        .organisations()
        .await?
        .into_iter()
        .filter(|o| o.kind == OrgKind::Municipality && only.is_none_or(|own| own == o.id))
        .map(|o| (o.name.clone(), (o.id, o.name)))
        .collect();
    let uses: HashMap<OrgId, HashSet<i64>> = state
        .solutions
        .solution_users()
        .await?
        .into_iter()
        .map(|u| (u.org_id, u.solutions.into_iter().collect()))
        .collect();
    let names = solution_names(state).await?;
    Ok(requirements
        .into_iter()
        .filter(|r| through_municipal_idp(&r.user_type))
        .map(|r| {
            let users: Vec<_> = municipalities
                .values()
                .filter(|(id, _)| uses.get(id).is_some_and(|s| s.contains(&r.solution_id)))
                .collect();
            let not_ready: Vec<MunicipalityLevel> = users
                .iter()
                .filter(|(id, _)| !nsis::idp_ready(levels.get(id).copied(), r.level))
                .map(|(id, name)| MunicipalityLevel {
                    org_id: id.0,
                    name: name.clone(),
                    idp_level: levels.get(id).map(|l| l.as_str().to_owned()),
                })
                .collect();
            ReadinessView {
                assessment_id: r.assessment_id,
                solution_id: r.solution_id,
                solution: names
                    .get(&r.solution_id)
                    .cloned()
                    .unwrap_or_else(|| format!("#{}", r.solution_id)),
                user_type: r.user_type,
                required_level: r.level.as_str().to_owned(),
                version: r.version,
                ready: users.len() - not_ready.len(),
                not_ready,
            }
        })
        .collect())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The fill of a level's cells: light, so that the level's name in dark
/// text on it has a contrast above 7:1; the name, not the colour, carries
/// the level.
fn fill(level: AssuranceLevel) -> &'static str {
    match level {
        AssuranceLevel::Lav => "#cfe8d0",
        AssuranceLevel::Betydelig => "#fbe9a6",
        AssuranceLevel::Hoej => "#f6c3c0",
    }
}

/// The matrix as the slide draws it: control scores as rows (highest at
/// the top), risk scores as columns, each cell with its level's name; an
/// image with a title and a description saying how to read it, and the
/// cell of `mark` (risk, row index) outlined.
pub fn matrix_svg(matrix: &Matrix, lang: Lang, id: &str, mark: Option<(u8, usize)>) -> String {
    let rows = matrix.rows();
    let (left, top, cell_w, cell_h) = (70usize, 10usize, 92usize, 30usize);
    let width = left + cell_w * nsis::RISK_SCORES + 10;
    let height = top + cell_h * rows.len() + 50;
    let title = lang.text("nsis-matrix-svg-title", &[]);
    let desc = lang.text("nsis-matrix-svg-desc", &[]);
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="nsis-matrix" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"##,
        escape(&title),
        escape(&desc)
    );
    for (index, row) in rows.iter().enumerate() {
        // The highest row at the top, as on the slide.
        let y = top + cell_h * (rows.len() - 1 - index);
        let from = row.control_from_tenths;
        svg.push_str(&format!(
            r##"<text x="{}" y="{}" text-anchor="end" font-size="13" fill="#1a1a1a">{},{}</text>"##,
            left - 8,
            y + cell_h / 2 + 5,
            from / 10,
            from % 10
        ));
        for (risk, level) in row.levels.iter().enumerate() {
            let x = left + cell_w * risk;
            let marked = mark == Some((risk as u8, index));
            svg.push_str(&format!(
                r##"<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="{}" stroke="{}" stroke-width="{}"/><text x="{}" y="{}" text-anchor="middle" font-size="13" fill="#1a1a1a"{}>{}</text>"##,
                fill(*level),
                if marked { "#1a1a1a" } else { "#ffffff" },
                if marked { 3 } else { 1 },
                x + cell_w / 2,
                y + cell_h / 2 + 5,
                if marked { r##" font-weight="bold""## } else { "" },
                escape(level.as_str()),
            ));
        }
    }
    let base = top + cell_h * rows.len();
    for risk in 0..nsis::RISK_SCORES {
        svg.push_str(&format!(
            r##"<text x="{}" y="{}" text-anchor="middle" font-size="13" fill="#1a1a1a">{risk}</text>"##,
            left + cell_w * risk + cell_w / 2,
            base + 18
        ));
    }
    svg.push_str(&format!(
        r##"<text x="{}" y="{}" text-anchor="middle" font-size="13" fill="#1a1a1a">{}</text></svg>"##,
        left + cell_w * nsis::RISK_SCORES / 2,
        base + 40,
        escape(&lang.text("nsis-risk-axis", &[]))
    ));
    svg
}

/// The row of the matrix a control score falls in (for marking a cell).
pub fn row_of(matrix: &Matrix, control: nsis::ControlScore) -> usize {
    matrix
        .rows()
        .iter()
        .rposition(|row| control.at_least(row.control_from_tenths))
        .unwrap_or(0)
}
