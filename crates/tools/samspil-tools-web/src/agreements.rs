//! What the agreement pages and API share: the views, and the answers of
//! all 98 municipalities as of a day (one without an answer by then has
//! not been asked) with their totals.

use std::collections::HashMap;

use samspil_domain::{OrgId, OrgKind};
use samspil_tools::agreements::{AgreementState, Totals};
use samspil_tools_storage::{Addressee, AgreementRecord, AnswerRecord};
use samspil_web::error::AppError;
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;

use crate::ToolsState;
use crate::nsis::rfc3339;

/// How many municipalities are in each state.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TotalsView {
    pub signed: usize,
    pub declined: usize,
    pub signed_with_reservation: usize,
    pub considering: usize,
    pub not_asked: usize,
}

impl From<Totals> for TotalsView {
    fn from(t: Totals) -> Self {
        TotalsView {
            signed: t.signed,
            declined: t.declined,
            signed_with_reservation: t.with_reservation,
            considering: t.considering,
            not_asked: t.not_asked,
        }
    }
}

/// An agreement with its totals as of a day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgreementView {
    pub id: i64,
    pub solution_id: i64,
    pub solution: String,
    /// tilslutningsaftale, databehandleraftale, star_tilslutningsaftale or
    /// certifikatblanket.
    pub kind: String,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub deadline: Option<String>,
    pub totals: TotalsView,
}

/// A municipality's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementAnswerView {
    pub org_id: i64,
    pub municipality: String,
    /// signed, declined, signed_with_reservation, considering or not_asked.
    pub state: String,
    pub reservation: Option<String>,
    pub signed_by: Option<String>,
    pub signed_on: Option<String>,
    pub answered_on: Option<String>,
    pub answered_by: Option<String>,
    /// RFC 3339: the moment it was given.
    pub answered_at: Option<String>,
}

fn answer_view(
    m_id: OrgId,
    municipality: String,
    answer: Option<&AnswerRecord>,
) -> AgreementAnswerView {
    AgreementAnswerView {
        org_id: m_id.0,
        municipality,
        state: answer
            .map(|a| a.state)
            .unwrap_or(AgreementState::NotAsked)
            .code()
            .to_owned(),
        reservation: answer.and_then(|a| a.reservation.clone()),
        signed_by: answer.and_then(|a| a.signed_by.clone()),
        signed_on: answer.and_then(|a| a.signed_on.map(|d| d.to_string())),
        answered_on: answer.map(|a| a.answered_on.to_string()),
        answered_by: answer.map(|a| a.answered_by.clone()),
        answered_at: answer.map(|a| rfc3339(a.answered_at)),
    }
}

/// Every answer given to an agreement (of one municipality with `only`),
/// by municipality and in the order given: the last of each is its
/// current answer.
pub async fn history(
    state: &ToolsState,
    agreement: i64,
    only: Option<OrgId>,
) -> Result<Vec<AgreementAnswerView>, AppError> {
    let names: HashMap<OrgId, String> = state
        .shell
        .storage
        .organisations()
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(state
        .storage
        .answer_history(agreement, only)
        .await?
        .iter()
        .map(|a| {
            let name = names.get(&a.org_id).cloned().unwrap_or_default();
            answer_view(a.org_id, name, Some(a))
        })
        .collect())
}

/// Every municipality's answer to an agreement as of `day` (of one with
/// `only`), by name, and the totals of all 98.
pub async fn answers(
    state: &ToolsState,
    agreement: i64,
    day: Date,
    only: Option<OrgId>,
) -> Result<(Vec<AgreementAnswerView>, Totals), AppError> {
    let given: HashMap<OrgId, _> = state
        .storage
        .agreement_answers(agreement, day)
        .await?
        .into_iter()
        .map(|a| (a.org_id, a))
        .collect();
    let mut municipalities: Vec<_> = state
        .shell
        .storage
        .organisations()
        .await?
        .into_iter()
        .filter(|o| o.kind == OrgKind::Municipality)
        .collect();
    municipalities.sort_by(|a, b| a.name.cmp(&b.name));
    let totals = Totals::of(municipalities.iter().map(|m| {
        given
            .get(&m.id)
            .map(|a| a.state)
            .unwrap_or(AgreementState::NotAsked)
    }));
    let views = municipalities
        .into_iter()
        .filter(|m| only.is_none_or(|own| own == m.id))
        .map(|m| answer_view(m.id, m.name, given.get(&m.id)))
        .collect();
    Ok((views, totals))
}

/// Every agreement with its totals as of `day`.
pub async fn agreements(state: &ToolsState, day: Date) -> Result<Vec<AgreementView>, AppError> {
    let names = crate::nsis::solution_names(state).await?;
    let mut views = Vec::new();
    for a in state.storage.agreements().await? {
        let (_, totals) = answers(state, a.id, day, None).await?;
        views.push(view(a, &names, totals));
    }
    Ok(views)
}

pub fn view(a: AgreementRecord, names: &HashMap<i64, String>, totals: Totals) -> AgreementView {
    AgreementView {
        id: a.id,
        solution_id: a.solution_id,
        solution: names
            .get(&a.solution_id)
            .cloned()
            .unwrap_or_else(|| format!("#{}", a.solution_id)),
        kind: a.kind,
        name: a.name,
        deadline: a.deadline.map(|d| d.to_string()),
        totals: totals.into(),
    }
}

/// An annex version sent to the signatories, and who has acknowledged it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnnexView {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub published_by: String,
    /// RFC 3339.
    pub published_at: String,
    /// How many municipalities it was sent to, and how many acknowledged.
    pub recipients: usize,
    pub acknowledged: usize,
    /// The municipalities that have not acknowledged (for staff; one's own
    /// for a municipality).
    pub not_acknowledged: Vec<String>,
    /// Whether it was sent to the municipality asking, and whether it has
    /// acknowledged (absent for staff).
    pub sent_to_me: Option<bool>,
    pub acknowledged_by_me: Option<bool>,
}

/// An agreement's annexes, as staff (`only` = `None`) or a municipality
/// sees them.
pub async fn annexes(
    state: &ToolsState,
    agreement: i64,
    only: Option<OrgId>,
) -> Result<Vec<AnnexView>, AppError> {
    let names: HashMap<OrgId, String> = state
        .shell
        .storage
        .organisations()
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(state
        .storage
        .annexes(agreement)
        .await?
        .into_iter()
        .filter(|a| only.is_none_or(|own| a.recipients.contains(&own)))
        .map(|a| {
            let mut not_acknowledged: Vec<String> = a
                .recipients
                .iter()
                .filter(|o| !a.acknowledged.contains(o))
                .filter(|o| only.is_none_or(|own| own == **o))
                .map(|o| names.get(o).cloned().unwrap_or_default())
                .collect();
            not_acknowledged.sort();
            AnnexView {
                id: a.id,
                title: a.title,
                body: a.body,
                published_by: a.published_by,
                published_at: rfc3339(a.published_at),
                recipients: a.recipients.len(),
                acknowledged: a.acknowledged.len(),
                not_acknowledged,
                sent_to_me: only.map(|own| a.recipients.contains(&own)),
                acknowledged_by_me: only.map(|own| a.acknowledged.contains(&own)),
            }
        })
        .collect())
}

/// Whom an agreement's mail goes to in each municipality
/// (`samspil_tools_storage::addressees`).
pub async fn addressees(state: &ToolsState) -> Result<Vec<Addressee>, AppError> {
    let municipalities: Vec<OrgId> = state
        .shell
        .storage
        .organisations()
        .await?
        .into_iter()
        .filter(|o| o.kind == OrgKind::Municipality)
        .map(|o| o.id)
        .collect();
    Ok(samspil_tools_storage::addressees(
        state.roles.as_ref(),
        &municipalities,
        samspil_storage::now().date(),
    )
    .await?)
}

/// A reminder sent to the municipalities that had not answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementReminderView {
    /// `YYYY-MM-DD`.
    pub sent_on: String,
    pub sent_by: String,
    /// RFC 3339.
    pub sent_at: String,
    pub municipalities: i64,
    pub emails: i64,
}

impl From<samspil_tools_storage::ReminderRecord> for AgreementReminderView {
    fn from(r: samspil_tools_storage::ReminderRecord) -> Self {
        AgreementReminderView {
            sent_on: r.sent_on.to_string(),
            sent_by: r.sent_by,
            sent_at: rfc3339(r.sent_at),
            municipalities: r.municipalities,
            emails: r.emails,
        }
    }
}

/// Reminds the municipalities that have not answered (staff), to the
/// people the role gallery names; once a day.
pub async fn remind_unanswered(
    state: &ToolsState,
    access: &samspil_domain::CommunityAccess,
    agreement: i64,
) -> Result<AgreementReminderView, AppError> {
    let addressees = addressees(state).await?;
    Ok(state
        .storage
        .remind_unanswered(
            access,
            agreement,
            samspil_storage::now().date(),
            &addressees,
        )
        .await?
        .into())
}
