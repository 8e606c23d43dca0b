//! `/opgaver/{id}/opgave.pdf`: a task as a PDF file ("Gem opgave som
//! PDF-fil" in KLIK), made on the server. For a municipality: the task
//! sheet with its own status, status history, answers, comments and files;
//! for staff: the sheet with the national status, the task's changes and
//! the community's files. Laid out and tagged by `samspil_report::to_pdf`.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use samspil_coordination::question::QuestionKind;
use samspil_coordination::task::TaskId;
use samspil_coordination_storage::{Attachment, StatusChange, Task, TaskParty};
use samspil_report::{PdfBlock, PdfDocument};
use samspil_web::auth::SignedIn;
use samspil_web::error::AppError;
use samspil_web::format::{format_date, format_instant};
use samspil_web::i18n::Lang;

use crate::CoordinationState;

/// `/opgaver/{id}/opgave.pdf`, for everyone who may read the task.
pub async fn task_pdf(
    State(state): State<CoordinationState>,
    lang: Lang,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let id = TaskId(id);
    let t = |key: &str| lang.text(key, &[]);
    let mut blocks = Vec::new();
    let task = match signed_in.principal.community_access() {
        Ok(access) => {
            let task = state.storage.task(id).await?.ok_or(AppError::NotFound)?;
            blocks.push(PdfBlock::Facts(task_facts(lang, &task)));
            blocks.extend(task_texts(lang, &task));
            if task.state.as_str() != "draft" {
                blocks.push(heading(2, t("status-title")));
                let c = task.counts;
                blocks.push(PdfBlock::Facts(vec![
                    (t("task-status-completed"), c.completed.to_string()),
                    (t("task-status-started"), c.started.to_string()),
                    (t("task-status-not_started"), c.not_started.to_string()),
                    (t("status-total"), c.total().to_string()),
                ]));
            }
            let questions = state.storage.questions(id).await?;
            if !questions.is_empty() {
                blocks.push(heading(2, t("answers-title")));
                blocks.push(PdfBlock::List(
                    questions
                        .iter()
                        .map(|q| {
                            let kind = t(&format!("question-kind-{}", q.spec.kind.as_str()));
                            match q.spec.options.is_empty() {
                                true => format!("{} ({kind})", q.spec.prompt),
                                false => format!(
                                    "{} ({kind}: {})",
                                    q.spec.prompt,
                                    q.spec.options.join(", ")
                                ),
                            }
                        })
                        .collect(),
                ));
            }
            let history = state.storage.task_history(id).await?;
            if !history.is_empty() {
                blocks.push(heading(2, t("task-history")));
                blocks.push(PdfBlock::Table {
                    header: vec![
                        t("task-history-when"),
                        t("task-history-who"),
                        t("task-history-what"),
                        t("task-history-before"),
                        t("task-history-after"),
                        t("task-history-why"),
                    ],
                    rows: history
                        .into_iter()
                        .map(|c| {
                            let shown = |v: Option<String>| match (c.field.as_str(), v) {
                                ("type", Some(v)) => t(&format!("task-type-{v}")),
                                (_, v) => v.unwrap_or_default(),
                            };
                            vec![
                                format_instant(lang, c.at),
                                c.actor_name.clone(),
                                t(&format!("task-field-{}", c.field)),
                                shown(c.before.clone()),
                                shown(c.after.clone()),
                                c.reason.clone(),
                            ]
                        })
                        .collect(),
                });
            }
            let files = state
                .storage
                .attachments(TaskParty::Community(&access), id)
                .await?;
            blocks.extend(file_blocks(lang, &files));
            task
        }
        Err(_) => {
            let access = signed_in.principal.read_access(signed_in.user.org_id)?;
            let own = state
                .storage
                .municipality_task(&access, id)
                .await?
                .ok_or(AppError::NotFound)?;
            let mut facts = task_facts(lang, &own.task);
            facts.push((t("pdf-municipality"), org_name(&state, &signed_in).await?));
            facts.push((
                t("task-your-status"),
                t(&format!("task-status-{}", own.status.as_str())),
            ));
            facts.push((
                t("task-assigned-to"),
                own.assignee_name
                    .clone()
                    .unwrap_or_else(|| t("task-assigned-nobody")),
            ));
            blocks.push(PdfBlock::Facts(facts));
            blocks.extend(task_texts(lang, &own.task));

            let history = state.storage.status_history(&access, id).await?;
            blocks.push(heading(2, t("status-history-title")));
            blocks.push(status_history_block(lang, &history, false));

            let files = state
                .storage
                .attachments(TaskParty::Municipality(&access), id)
                .await?;
            let questions = state.storage.questions(id).await?;
            if !questions.is_empty() {
                let answers = state.storage.answers(&access, id).await?;
                blocks.push(heading(2, t("answers-title")));
                blocks.push(PdfBlock::Facts(
                    questions
                        .iter()
                        .map(|q| {
                            let values = answers
                                .iter()
                                .find(|a| a.question_id == q.id)
                                .map(|a| {
                                    a.values
                                        .iter()
                                        .map(|v| match q.spec.kind {
                                            QuestionKind::YesNo => t(&format!("answers-{v}")),
                                            QuestionKind::File => files
                                                .iter()
                                                .find(|f| f.id.to_string() == *v)
                                                .map(|f| f.file_name.clone())
                                                .unwrap_or_else(|| v.clone()),
                                            _ => v.clone(),
                                        })
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                })
                                .filter(|v| !v.is_empty())
                                .unwrap_or_else(|| t("pdf-unanswered"));
                            (q.spec.prompt.clone(), values)
                        })
                        .collect(),
                ));
            }

            let comments = state.storage.comments(&access, id).await?;
            blocks.push(heading(2, t("comments-title")));
            match comments.is_empty() {
                true => blocks.push(PdfBlock::Paragraph(t("comments-none"))),
                false => {
                    for c in comments {
                        blocks.push(PdfBlock::Paragraph(format!(
                            "{} · {}\n{}",
                            c.author,
                            format_instant(lang, c.created_at),
                            c.body
                        )));
                    }
                }
            }
            blocks.extend(file_blocks(lang, &files));
            own.task
        }
    };
    blocks.push(PdfBlock::Paragraph(lang.text(
        "pdf-made",
        &[("at", format_instant(lang, samspil_storage::now()))],
    )));
    let title = match &task.code {
        Some(code) => format!("{code} {}", task.title),
        None => task.title.clone(),
    };
    let pdf = samspil_report::to_pdf(&PdfDocument {
        title,
        language: lang.code().to_owned(),
        blocks,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                samspil_report::PDF_CONTENT_TYPE.to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"opgave-{}.pdf\"", id.0),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        pdf,
    )
        .into_response())
}

async fn org_name(state: &CoordinationState, signed_in: &SignedIn) -> Result<String, AppError> {
    Ok(state
        .shell
        .storage
        .organisation(signed_in.user.org_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default())
}

fn heading(level: u8, text: String) -> PdfBlock {
    PdfBlock::Heading { level, text }
}

fn task_facts(lang: Lang, task: &Task) -> Vec<(String, String)> {
    let t = |key: &str| lang.text(key, &[]);
    let mut facts = vec![(t("task-project"), task.project_name.clone())];
    if let Some(area) = &task.business_area {
        facts.push((t("task-business-area"), area.clone()));
    }
    facts.push((
        t("task-type"),
        t(&format!("task-type-{}", task.task_type.as_str())),
    ));
    facts.push((
        t("task-start"),
        format_date(lang, task.schedule.start).unwrap_or_else(|| "–".into()),
    ));
    facts.push((
        t("task-end"),
        format_date(lang, task.schedule.end).unwrap_or_else(|| "–".into()),
    ));
    if let Some(period) = &task.schedule.period_text {
        facts.push((t("task-period"), period.clone()));
    }
    if let Some(role) = &task.executor_role {
        facts.push((t("task-executor-role"), role.clone()));
    }
    if let Some(roles) = &task.involved_roles {
        facts.push((t("task-involved-roles"), roles.clone()));
    }
    facts.push((
        t("task-state"),
        t(&format!("task-state-{}", task.state.as_str())),
    ));
    facts
}

/// The description and the task sheet's texts, as plain paragraphs.
fn task_texts(lang: Lang, task: &Task) -> Vec<PdfBlock> {
    let t = |key: &str| lang.text(key, &[]);
    let mut blocks = Vec::new();
    let parts = [
        ("task-description", Some(&task.description)),
        ("task-responsibility", task.guidance.responsibility.as_ref()),
        ("task-competences", task.guidance.competences.as_ref()),
        (
            "task-characteristics",
            task.guidance.characteristics.as_ref(),
        ),
    ];
    for (key, text) in parts {
        let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
            continue;
        };
        blocks.push(heading(2, t(key)));
        blocks.extend(markdown_blocks(text));
    }
    blocks
}

/// Markdown as paragraphs and lists of plain text; a link keeps its
/// address after its text, since a printed page cannot be clicked.
pub(crate) fn markdown_blocks(markdown: &str) -> Vec<PdfBlock> {
    let mut blocks = Vec::new();
    let mut text = String::new();
    let mut items: Vec<String> = Vec::new();
    let mut in_item = 0usize;
    let mut link: Option<String> = None;
    let flush = |text: &mut String, blocks: &mut Vec<PdfBlock>| {
        let t = text.trim();
        if !t.is_empty() {
            blocks.push(PdfBlock::Paragraph(t.to_owned()));
        }
        text.clear();
    };
    for event in Parser::new(markdown) {
        match event {
            Event::Text(s) | Event::Code(s) => text.push_str(&s),
            Event::SoftBreak => text.push(' '),
            Event::HardBreak => text.push('\n'),
            Event::Start(Tag::Link { dest_url, .. }) => link = Some(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.take() {
                    text.push_str(&format!(" ({url})"));
                }
            }
            Event::Start(Tag::Item) => {
                in_item += 1;
                text.clear();
            }
            Event::End(TagEnd::Item) => {
                in_item = in_item.saturating_sub(1);
                items.push(text.trim().to_owned());
                text.clear();
            }
            Event::End(TagEnd::List(_)) if in_item == 0 => {
                blocks.push(PdfBlock::List(std::mem::take(&mut items)));
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock)
                if in_item == 0 =>
            {
                flush(&mut text, &mut blocks)
            }
            Event::End(TagEnd::Paragraph) => text.push(' '),
            _ => {}
        }
    }
    flush(&mut text, &mut blocks);
    blocks
}

fn file_blocks(lang: Lang, files: &[Attachment]) -> Vec<PdfBlock> {
    let t = |key: &str| lang.text(key, &[]);
    let list = match files.is_empty() {
        true => PdfBlock::Paragraph(t("attachments-none")),
        false => PdfBlock::List(
            files
                .iter()
                .map(|a| {
                    let kib = (a.size_bytes + 1023) / 1024;
                    format!(
                        "{} ({kib} KB) – {}, {}, {}",
                        a.file_name,
                        a.org_name
                            .clone()
                            .unwrap_or_else(|| t("attachments-community")),
                        a.uploaded_by,
                        format_date(lang, Some(a.uploaded_at.date())).unwrap_or_default()
                    )
                })
                .collect(),
        ),
    };
    vec![heading(2, t("attachments-title")), list]
}

/// A status history as a table: when, who, from, to, why (and which
/// municipality, for staff).
pub(crate) fn status_history_block(
    lang: Lang,
    history: &[StatusChange],
    with_municipality: bool,
) -> PdfBlock {
    let t = |key: &str| lang.text(key, &[]);
    if history.is_empty() {
        return PdfBlock::Paragraph(t("status-history-none"));
    }
    let mut header = vec![
        t("task-history-when"),
        t("task-history-who"),
        t("status-history-from"),
        t("status-history-to"),
        t("task-history-why"),
    ];
    if with_municipality {
        header.insert(0, t("pdf-municipality"));
    }
    let rows = history
        .iter()
        .map(|c| {
            let mut row = vec![
                format_instant(lang, c.at),
                status_change_by(c),
                c.from
                    .map(|s| t(&format!("task-status-{}", s.as_str())))
                    .unwrap_or_else(|| "–".into()),
                t(&format!("task-status-{}", c.to.as_str())),
                c.reason.clone().unwrap_or_default(),
            ];
            if with_municipality {
                row.insert(0, c.org_name.clone());
            }
            row
        })
        .collect();
    PdfBlock::Table { header, rows }
}

/// Who made a change: the name, with the organisation when it is another
/// than the municipality's own (staff, for example).
pub(crate) fn status_change_by(c: &StatusChange) -> String {
    match &c.by_org {
        Some(org) if *org != c.org_name => format!("{} ({org})", c.by),
        _ => c.by.clone(),
    }
}

/// A municipality's status history in one cell of the per-task export:
/// one change a line, `when who: from → to (reason)`.
pub(crate) fn history_text<'a>(
    lang: Lang,
    changes: impl Iterator<Item = &'a StatusChange>,
) -> String {
    let status = |s: samspil_coordination::task::TaskStatus| {
        lang.text(&format!("task-status-{}", s.as_str()), &[])
    };
    changes
        .map(|c| {
            let from = c.from.map(status).unwrap_or_else(|| "–".into());
            let reason = match &c.reason {
                Some(r) => format!(" ({r})"),
                None => String::new(),
            };
            format!(
                "{} {}: {from} → {}{reason}",
                format_instant(lang, c.at),
                status_change_by(c),
                status(c.to)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A status change as the task page shows it.
#[derive(serde::Serialize)]
pub(crate) struct StatusChangeView {
    at: String,
    by: String,
    from: Option<&'static str>,
    to: &'static str,
    reason: Option<String>,
}

/// One municipality's status history, for the staff's drill-down.
#[derive(serde::Serialize)]
pub(crate) struct MunicipalityHistoryView {
    municipality: String,
    changes: Vec<StatusChangeView>,
}

pub(crate) fn status_change_views(lang: Lang, history: &[StatusChange]) -> Vec<StatusChangeView> {
    history
        .iter()
        .map(|c| StatusChangeView {
            at: format_instant(lang, c.at),
            by: status_change_by(c),
            from: c.from.map(|s| s.as_str()),
            to: c.to.as_str(),
            reason: c.reason.clone(),
        })
        .collect()
}

/// Every municipality's history, one group per municipality (the rows come
/// ordered by municipality).
pub(crate) fn municipality_history_views(
    lang: Lang,
    history: &[StatusChange],
) -> Vec<MunicipalityHistoryView> {
    let mut groups: Vec<MunicipalityHistoryView> = Vec::new();
    let mut start = 0;
    for i in 1..=history.len() {
        if i == history.len() || history[i].org_id != history[start].org_id {
            groups.push(MunicipalityHistoryView {
                municipality: history[start].org_name.clone(),
                changes: status_change_views(lang, &history[start..i]),
            });
            start = i;
        }
    }
    groups
}

/// The history of the task page: the municipality's own, or (for staff)
/// every municipality's.
pub(crate) async fn page_status_history(
    state: &CoordinationState,
    lang: Lang,
    signed_in: &SignedIn,
    id: TaskId,
) -> Result<minijinja::Value, AppError> {
    Ok(match signed_in.principal.community_access() {
        Ok(access) => {
            let all = state.storage.all_status_history(&access, id).await?;
            minijinja::context! { all => municipality_history_views(lang, &all) }
        }
        Err(_) => {
            let access = signed_in.principal.read_access(signed_in.user.org_id)?;
            let own = state.storage.status_history(&access, id).await?;
            minijinja::context! { own => status_change_views(lang, &own) }
        }
    })
}

pub(crate) fn routes() -> Vec<samspil_web::routes::PageRoute<CoordinationState>> {
    use samspil_web::routes::PageRoute;
    vec![PageRoute::get("/opgaver/{id}/opgave.pdf", task_pdf)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_paragraphs_and_lists_with_link_addresses() {
        let blocks = markdown_blocks(
            "## Formål\n\nSe [vejledningen](https://kombit.dk/v) nu.\n\n- første\n- anden\n\nSlut.",
        );
        assert_eq!(
            blocks,
            vec![
                PdfBlock::Paragraph("Formål".into()),
                PdfBlock::Paragraph("Se vejledningen (https://kombit.dk/v) nu.".into()),
                PdfBlock::List(vec!["første".into(), "anden".into()]),
                PdfBlock::Paragraph("Slut.".into()),
            ]
        );
    }
}
