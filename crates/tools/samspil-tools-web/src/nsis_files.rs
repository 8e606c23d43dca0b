//! An NSIS assessment as a file: a tagged PDF (`samspil_report::to_pdf`,
//! as coordination's task PDF) and an XLSX workbook, both of the newest
//! version (its facts, level, approval and every score with its
//! rationale) and the history of versions. The page
//! `/vaerktoejer/nsis/vurderinger/{id}/vurdering.{pdf,xlsx}` and the API's
//! `GET /api/v1/nsis/assessments/{id}/file?format=pdf|xlsx` make the same
//! bytes, for the community's staff only.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use samspil_report::{Cell, Column, PdfBlock, PdfDocument, Table};
use samspil_web::auth::{ApiCaller, SignedIn};
use samspil_web::error::{ApiErrorBody, AppError};
use samspil_web::i18n::Lang;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::ToolsState;
use crate::nsis::{AssessmentDetailView, VersionView, detail_view, solution_names};

/// The two kinds of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileFormat {
    Pdf,
    Xlsx,
}

impl FileFormat {
    fn parse(text: &str) -> Result<Self, AppError> {
        match text {
            "pdf" => Ok(FileFormat::Pdf),
            "xlsx" => Ok(FileFormat::Xlsx),
            other => Err(AppError::BadRequest(format!(
                "unknown file format '{other}': use pdf or xlsx"
            ))),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            FileFormat::Pdf => "pdf",
            FileFormat::Xlsx => "xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            FileFormat::Pdf => samspil_report::PDF_CONTENT_TYPE,
            FileFormat::Xlsx => samspil_report::XLSX_CONTENT_TYPE,
        }
    }
}

/// The assessment as the pages show it, in `lang`.
async fn detail(state: &ToolsState, id: i64, lang: Lang) -> Result<AssessmentDetailView, AppError> {
    let detail = state
        .storage
        .nsis_assessment(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let names = solution_names(state).await?;
    Ok(detail_view(detail, &names, lang))
}

fn title(lang: Lang, d: &AssessmentDetailView) -> String {
    lang.text(
        "nsis-file-title",
        &[
            ("solution", d.assessment.solution.clone()),
            ("user_type", d.assessment.user_type.clone()),
        ],
    )
}

/// The newest version's facts, label and value, as both files show them.
fn facts(lang: Lang, d: &AssessmentDetailView, v: &VersionView) -> Vec<(String, String)> {
    let t = |key: &str| lang.text(key, &[]);
    let a = &d.assessment;
    vec![
        (t("nsis-solution"), a.solution.clone()),
        (t("nsis-user-type"), a.user_type.clone()),
        (t("nsis-version"), v.version.to_string()),
        (t("nsis-project-leader"), v.project_leader.clone()),
        (
            t("nsis-phase"),
            match v.phase.trim() {
                "" => "–".to_owned(),
                phase => phase.to_owned(),
            },
        ),
        (t("nsis-assessors"), v.assessors.join(", ")),
        (t("nsis-assessed-on"), v.assessed_on_text.clone()),
        (t("nsis-risk-score"), format!("{},0", v.risk_score)),
        (t("nsis-control-score"), v.control_score_text.clone()),
        (
            t("nsis-level"),
            format!(
                "{} ({})",
                v.level,
                lang.text(
                    "nsis-by-matrix",
                    &[("version", v.matrix_version.to_string())]
                )
            ),
        ),
        (t("nsis-approval"), approval(lang, v)),
        (
            t("nsis-level-counts"),
            match (&a.approved_level, a.approved_version) {
                (Some(level), Some(version)) => format!(
                    "{level} ({})",
                    lang.text("nsis-version-n", &[("version", version.to_string())])
                ),
                _ => t("nsis-none-approved"),
            },
        ),
    ]
}

fn approval(lang: Lang, v: &VersionView) -> String {
    match (&v.approved_by, &v.approved_at_text) {
        (Some(who), Some(when)) => lang.text(
            "nsis-approved-by-at",
            &[("who", who.clone()), ("when", when.clone())],
        ),
        _ => lang.text("nsis-not-approved", &[]),
    }
}

fn kind_name(lang: Lang, kind: &str) -> String {
    lang.text(&format!("nsis-kind-{kind}"), &[])
}

/// The assessment as a tagged PDF.
fn pdf(lang: Lang, d: &AssessmentDetailView) -> Result<Vec<u8>, AppError> {
    let t = |key: &str| lang.text(key, &[]);
    let mut blocks = Vec::new();
    if let Some(v) = d.versions.first() {
        blocks.push(PdfBlock::Facts(facts(lang, d, v)));
        blocks.push(PdfBlock::Heading {
            level: 2,
            text: lang.text("nsis-scores-caption", &[("version", v.version.to_string())]),
        });
        blocks.push(PdfBlock::Table {
            header: vec![
                t("nsis-element"),
                t("nsis-element-kind"),
                t("nsis-score"),
                t("nsis-rationale"),
            ],
            rows: v
                .scores
                .iter()
                .map(|s| {
                    vec![
                        s.element.clone(),
                        kind_name(lang, &s.kind),
                        s.score.to_string(),
                        s.rationale.clone(),
                    ]
                })
                .collect(),
        });
    }
    blocks.push(PdfBlock::Heading {
        level: 2,
        text: t("nsis-history"),
    });
    blocks.push(PdfBlock::Table {
        header: vec![
            t("nsis-version"),
            t("nsis-changed-by"),
            t("nsis-assessed-on"),
            t("nsis-risk-score"),
            t("nsis-control-score"),
            t("nsis-level"),
            t("nsis-approval"),
        ],
        rows: d
            .versions
            .iter()
            .map(|h| {
                vec![
                    h.version.to_string(),
                    format!("{}, {}", h.author, h.created_at_text),
                    h.assessed_on_text.clone(),
                    format!("{},0", h.risk_score),
                    h.control_score_text.clone(),
                    h.level.clone(),
                    approval(lang, h),
                ]
            })
            .collect(),
    });
    blocks.push(PdfBlock::Paragraph(lang.text(
        "nsis-file-made",
        &[(
            "at",
            samspil_web::format::format_instant(lang, samspil_storage::now()),
        )],
    )));
    samspil_report::to_pdf(&PdfDocument {
        title: title(lang, d),
        language: lang.code().to_owned(),
        blocks,
    })
    .map_err(|e| AppError::Internal(e.to_string()))
}

/// The assessment as one worksheet: the newest version's facts first (a
/// label and its value), then each score with its element, kind and
/// rationale. Scores are numbers; the facts' values text.
fn table(lang: Lang, d: &AssessmentDetailView) -> Result<Table, AppError> {
    let t = |key: &str| lang.text(key, &[]);
    let columns = vec![
        Column::text(t("nsis-file-what")),
        Column::text(t("nsis-file-value")),
        Column::text(t("nsis-element-kind")),
        Column::integer(t("nsis-score")),
        Column::text(t("nsis-rationale")),
    ];
    let mut rows = Vec::new();
    if let Some(v) = d.versions.first() {
        for (label, value) in facts(lang, d, v) {
            rows.push(vec![
                Cell::Text(label),
                Cell::Text(value),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ]);
        }
        for s in &v.scores {
            rows.push(vec![
                Cell::Text(s.element.clone()),
                Cell::Empty,
                Cell::Text(kind_name(lang, &s.kind)),
                Cell::Integer(i64::from(s.score)),
                Cell::Text(s.rationale.clone()),
            ]);
        }
    }
    Table::new(title(lang, d), columns, rows).map_err(|e| AppError::Internal(e.to_string()))
}

/// The file's response: its type, a name and no caching.
async fn file(
    state: &ToolsState,
    lang: Lang,
    id: i64,
    format: FileFormat,
) -> Result<Response, AppError> {
    let d = detail(state, id, lang).await?;
    let bytes = match format {
        FileFormat::Pdf => pdf(lang, &d)?,
        FileFormat::Xlsx => samspil_report::to_xlsx(&table(lang, &d)?)
            .map_err(|e| AppError::Internal(e.to_string()))?,
    };
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"nsis-vurdering-{id}.{}\"",
                    format.extension()
                ),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// `/vaerktoejer/nsis/vurderinger/{id}/vurdering.pdf` (staff).
pub async fn assessment_pdf(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    signed_in.principal.community_access()?;
    file(&state, lang, id, FileFormat::Pdf).await
}

/// `/vaerktoejer/nsis/vurderinger/{id}/vurdering.xlsx` (staff).
pub async fn assessment_xlsx(
    State(state): State<ToolsState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    signed_in.principal.community_access()?;
    file(&state, lang, id, FileFormat::Xlsx).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssessmentFileQuery {
    /// `pdf` (tagged PDF/UA) or `xlsx`.
    pub format: String,
    /// Texts in `da` (default) or `en`.
    pub lang: Option<String>,
}

/// An assessment as a PDF or XLSX file: the newest version with its scores
/// and the history of versions.
#[utoipa::path(get, path = "/api/v1/nsis/assessments/{id}/file", tag = "nsis",
    params(("id" = i64, Path), AssessmentFileQuery),
    responses((status = 200, description = "The assessment as a file", content_type = "application/pdf"),
              (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub(crate) async fn assessment_file_api(
    State(state): State<ToolsState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Query(query): Query<AssessmentFileQuery>,
) -> Result<Response, AppError> {
    caller.principal.community_access()?;
    let lang = match query.lang.as_deref() {
        None | Some("") => Lang::Da,
        Some(code) => Lang::parse(code).ok_or_else(|| {
            AppError::BadRequest(format!("unknown language '{code}': use da or en"))
        })?,
    };
    let format = FileFormat::parse(&query.format)?;
    file(&state, lang, id, format).await
}

/// The file pages' routes (under the context's mount).
pub(crate) fn routes() -> Vec<samspil_web::routes::PageRoute<ToolsState>> {
    use samspil_web::routes::PageRoute;
    vec![
        PageRoute::get("/nsis/vurderinger/{id}/vurdering.pdf", assessment_pdf),
        PageRoute::get("/nsis/vurderinger/{id}/vurdering.xlsx", assessment_xlsx),
    ]
}
