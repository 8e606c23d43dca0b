// `MeetingStore`: programme-manager meetings on both backends; included into
// the `meetings` module of `shared.rs`. Every change that decides on the
// meeting's state (a registration against the seats, a cancellation, the
// attendance, an invitation's SEQUENCE) first locks the meeting's row with
// `for_update!()`, so on PostgreSQL a second request for the same meeting
// waits for the first one's commit and then counts what it wrote; on
// SQLite `begin_write` makes every writer exclusive anyway.

use samspil_coordination::meeting::{
    AgendaItem, AttendanceRow, CalendarMethod, CalendarPerson, IcsEvent, ItemKind, Material,
    MaterialKind, MaterialSource, Meeting, MeetingError, RoleHolding, SkipReason,
    absent_municipalities, check_cancellation, check_registration, invitees, meeting_uid,
    summarise,
};
use samspil_coordination::notification::PROGRAM_MANAGER_ROLE;
use samspil_coordination::role::{AssignmentPeriod, RoleId};
use samspil_coordination_storage::{
    AbsentMunicipality, AttendanceReport, MailingReport, MaterialFile, MeetingId, MeetingKind,
    MeetingMail, MeetingRecord, MeetingStore, NewMeeting, Registration,
};
use samspil_domain::{MunicipalityCode, Principal, ValidationError};

/// The longest name or address of a person on an attendance list.
const MAX_PERSON: usize = 200;

#[derive(sqlx::FromRow)]
struct MeetingRow {
    id: i64,
    kind: String,
    title: String,
    starts_at: OffsetDateTime,
    ends_at: OffsetDateTime,
    link: String,
    description: String,
    seats: Option<i32>,
    invitation_sequence: Option<i32>,
    invited_at: Option<OffsetDateTime>,
    follow_up_sent_at: Option<OffsetDateTime>,
    cancelled_at: Option<OffsetDateTime>,
    registered: i64,
}

#[derive(sqlx::FromRow)]
struct AgendaRow {
    meeting_id: i64,
    title: String,
    presenter: Option<String>,
    starts_at: OffsetDateTime,
    ends_at: OffsetDateTime,
    kind: String,
}

#[derive(sqlx::FromRow)]
struct MaterialRow {
    meeting_id: i64,
    title: String,
    kind: String,
    link: Option<String>,
    file_id: Option<i64>,
}

fn meeting_refusal(error: &MeetingError, field: &'static str) -> StorageError {
    error.refusal(field).into()
}

fn corrupt(what: &str, value: &str) -> StorageError {
    StorageError::Corrupt(format!("meeting {what} {value}"))
}

fn item_kind(value: &str) -> Result<ItemKind> {
    match value {
        "regular" => Ok(ItemKind::Regular),
        "service_messages" => Ok(ItemKind::ServiceMessages),
        other => Err(corrupt("agenda item kind", other)),
    }
}

fn item_kind_str(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Regular => "regular",
        ItemKind::ServiceMessages => "service_messages",
    }
}

fn material_kind(value: &str) -> Result<MaterialKind> {
    match value {
        "slides" => Ok(MaterialKind::Slides),
        "recording" => Ok(MaterialKind::Recording),
        "other" => Ok(MaterialKind::Other),
        other => Err(corrupt("material kind", other)),
    }
}

fn material_kind_str(kind: MaterialKind) -> &'static str {
    match kind {
        MaterialKind::Slides => "slides",
        MaterialKind::Recording => "recording",
        MaterialKind::Other => "other",
    }
}

fn count(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The meetings (one, or all), by start, with agenda, materials and the
/// number registered.
async fn fetch_meetings(conn: &mut Connection, only: Option<i64>) -> Result<Vec<MeetingRecord>> {
    let rows: Vec<MeetingRow> = sqlx::query_as(
        "SELECT m.id, m.kind, m.title, m.starts_at, m.ends_at, m.link, m.description, m.seats, \
         m.invitation_sequence, m.invited_at, m.follow_up_sent_at, m.cancelled_at, \
         (SELECT COUNT(*) FROM meeting_registrations r WHERE r.meeting_id = m.id) AS registered \
         FROM meetings m WHERE ($1 IS NULL OR m.id = $1) ORDER BY m.starts_at, m.id",
    )
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let items: Vec<AgendaRow> = sqlx::query_as(
        "SELECT meeting_id, title, presenter, starts_at, ends_at, kind FROM meeting_agenda_items \
         WHERE ($1 IS NULL OR meeting_id = $1) ORDER BY meeting_id, position",
    )
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let materials: Vec<MaterialRow> = sqlx::query_as(
        "SELECT meeting_id, title, kind, link, file_id FROM meeting_materials \
         WHERE ($1 IS NULL OR meeting_id = $1) ORDER BY meeting_id, position",
    )
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            let agenda = items
                .iter()
                .filter(|i| i.meeting_id == row.id)
                .map(|i| {
                    Ok(AgendaItem {
                        title: i.title.clone(),
                        presenter: i.presenter.clone(),
                        starts_at: i.starts_at,
                        ends_at: i.ends_at,
                        kind: item_kind(&i.kind)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let kept = materials
                .iter()
                .filter(|m| m.meeting_id == row.id)
                .map(|m| {
                    let source = match (&m.link, m.file_id) {
                        (Some(link), _) => MaterialSource::Link(link.clone()),
                        (None, Some(file)) => MaterialSource::File(file),
                        (None, None) => return Err(corrupt("material without source", &m.title)),
                    };
                    Ok(Material {
                        title: m.title.clone(),
                        kind: material_kind(&m.kind)?,
                        source,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let meeting = Meeting::new(
                &row.title,
                row.starts_at,
                row.ends_at,
                &row.link,
                &row.description,
                agenda,
                kept,
            )
            .map_err(|e| StorageError::Corrupt(format!("meeting {}: {e}", row.id)))?;
            Ok(MeetingRecord {
                id: MeetingId(row.id),
                kind: MeetingKind::parse(&row.kind).ok_or_else(|| corrupt("kind", &row.kind))?,
                seats: row.seats.map(|s| u32::try_from(s).unwrap_or(0)),
                registered: count(row.registered),
                meeting,
                invitation_sequence: row
                    .invitation_sequence
                    .map_or(0, |s| u32::try_from(s).unwrap_or(0)),
                invited_at: row.invited_at,
                follow_up_sent_at: row.follow_up_sent_at,
                cancelled_at: row.cancelled_at,
            })
        })
        .collect()
}

/// Locks the meeting's row and reads the meeting.
async fn lock_meeting(conn: &mut Connection, id: MeetingId) -> Result<MeetingRecord> {
    sqlx::query(concat!(
        "SELECT id FROM meetings WHERE id = $1",
        for_update!()
    ))
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StorageError::NotFound("meeting"))?;
    fetch_meetings(conn, Some(id.0))
        .await?
        .into_iter()
        .next()
        .ok_or(StorageError::NotFound("meeting"))
}

/// Writes the agenda and materials of a meeting whose old ones are gone.
async fn insert_contents(conn: &mut Connection, id: i64, meeting: &Meeting) -> Result<()> {
    for (position, item) in meeting.agenda().iter().enumerate() {
        sqlx::query(
            "INSERT INTO meeting_agenda_items (meeting_id, position, title, presenter, starts_at, \
             ends_at, kind) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(i32::try_from(position).unwrap_or(i32::MAX))
        .bind(&item.title)
        .bind(&item.presenter)
        .bind(item.starts_at)
        .bind(item.ends_at)
        .bind(item_kind_str(item.kind))
        .execute(&mut *conn)
        .await?;
    }
    for (position, material) in meeting.materials().iter().enumerate() {
        let (link, file) = match &material.source {
            MaterialSource::Link(link) => (Some(link.as_str()), None),
            MaterialSource::File(file) => (None, Some(*file)),
        };
        sqlx::query(
            "INSERT INTO meeting_materials (meeting_id, position, title, kind, link, file_id) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(i32::try_from(position).unwrap_or(i32::MAX))
        .bind(&material.title)
        .bind(material_kind_str(material.kind))
        .bind(link)
        .bind(file)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

fn seats_value(seats: Option<u32>) -> Option<i32> {
    seats.map(|s| i32::try_from(s).unwrap_or(i32::MAX))
}

/// The attendance of a meeting as recorded, summarised against every
/// municipality.
async fn fetch_attendance(conn: &mut Connection, id: MeetingId) -> Result<AttendanceReport> {
    let rows: Vec<(Option<i32>, String)> = sqlx::query_as(
        "SELECT municipality_code, person FROM meeting_attendance WHERE meeting_id = $1 \
         ORDER BY position",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?;
    let rows = rows
        .into_iter()
        .map(|(code, person)| {
            Ok(AttendanceRow {
                municipality: municipality_code(code)?,
                person,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let summary = summarise(&rows);
    let absent = if rows.is_empty() {
        Vec::new()
    } else {
        let all = municipalities(conn).await?;
        let codes: Vec<MunicipalityCode> = all.iter().map(|(c, _)| *c).collect();
        absent_municipalities(&codes, &summary)
            .into_iter()
            .map(|code| AbsentMunicipality {
                code,
                name: all
                    .iter()
                    .find(|(c, _)| *c == code)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
            })
            .collect()
    };
    Ok(AttendanceReport {
        rows,
        summary,
        absent,
    })
}

/// Every municipality with its code and name, by code.
async fn municipalities(conn: &mut Connection) -> Result<Vec<(MunicipalityCode, String)>> {
    let rows: Vec<(Option<i32>, String)> = sqlx::query_as(
        "SELECT code, name FROM organisations WHERE kind = 'municipality' AND code IS NOT NULL \
         ORDER BY code",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .filter_map(|(code, name)| match municipality_code(code) {
            Ok(Some(code)) => Some(Ok((code, name))),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct HoldingRow {
    user_id: i64,
    code: Option<i32>,
    role_id: i64,
    starts_on: time::Date,
    ends_on: Option<time::Date>,
    user_type: String,
    active: bool,
    email: Option<String>,
    display_name: String,
    org_id: i64,
}

/// The role holdings that may reach `day`, of the KOMBIT-programleder role
/// and `roles`, with what each person's mail needs; and the role ids asked
/// for (the programme managers' first).
async fn holdings(
    conn: &mut Connection,
    roles: &[RoleId],
    day: time::Date,
) -> Result<(Vec<RoleId>, Vec<(RoleHolding, HoldingRow)>)> {
    let manager: Option<i64> = sqlx::query_scalar("SELECT id FROM roles WHERE name = $1")
        .bind(PROGRAM_MANAGER_ROLE)
        .fetch_optional(&mut *conn)
        .await?;
    let mut wanted: Vec<RoleId> = manager.map(RoleId).into_iter().collect();
    for role in roles {
        if !wanted.contains(role) {
            wanted.push(*role);
        }
    }
    let rows: Vec<HoldingRow> = sqlx::query_as(
        "SELECT ra.user_id, o.code, ra.role_id, ra.starts_on, ra.ends_on, u.user_type, u.active, \
         u.email, u.display_name, u.org_id FROM role_assignments ra \
         JOIN users u ON u.id = ra.user_id JOIN organisations o ON o.id = ra.org_id \
         WHERE ra.starts_on <= $1 AND (ra.ends_on IS NULL OR ra.ends_on >= $1) \
         ORDER BY ra.user_id, ra.id",
    )
    .bind(day)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for row in rows {
        if !wanted.contains(&RoleId(row.role_id)) {
            continue;
        }
        let holding = RoleHolding {
            user: UserId(row.user_id),
            municipality: municipality_code(row.code)?,
            role: RoleId(row.role_id),
            period: AssignmentPeriod::new(row.starts_on, row.ends_on)
                .map_err(|e| StorageError::Corrupt(format!("role assignment period: {e}")))?,
            user_type: UserType::parse(&row.user_type)
                .ok_or_else(|| corrupt("user type", &row.user_type))?,
            active: row.active,
            has_email: row.email.as_deref().is_some_and(|e| !e.trim().is_empty()),
        };
        out.push((holding, row));
    }
    Ok((wanted, out))
}

/// Queues one e-mail in the platform's outbox, once per `key`; returns
/// whether it was queued now.
#[allow(clippy::too_many_arguments)]
async fn queue_mail(
    conn: &mut Connection,
    key: &str,
    org: i64,
    user: i64,
    email: &str,
    subject: &str,
    body: &str,
    calendar: Option<&str>,
) -> Result<bool> {
    let at = now();
    Ok(sqlx::query(
        "INSERT INTO deliveries (delivery_key, org_id, user_id, email, subject, body, state, \
         attempts, next_attempt_at, created_at, calendar) \
         VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, $7, $7, $8) \
         ON CONFLICT (delivery_key) DO NOTHING",
    )
    .bind(key)
    .bind(org)
    .bind(user)
    .bind(email)
    .bind(subject)
    .bind(body)
    .bind(at)
    .bind(calendar)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        > 0)
}

/// The person a principal is, or the refusal for one who is none (the
/// operator, a machine).
fn person_of(principal: &Principal) -> Result<UserId> {
    principal.user_id().ok_or_else(|| {
        ValidationError::named(
            "meeting",
            "meeting-not-a-person",
            "only a person with a user of their own can register",
        )
        .into()
    })
}

#[async_trait]
impl MeetingStore for Store {
    async fn create_meeting(
        &self,
        access: &CommunityAccess,
        new: &NewMeeting,
    ) -> Result<MeetingRecord> {
        let meeting = new.rules().map_err(|e| meeting_refusal(&e, e.field()))?;
        let mut tx = begin_write(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO meetings (kind, title, starts_at, ends_at, link, description, seats, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(new.kind.as_str())
        .bind(meeting.title())
        .bind(meeting.starts_at())
        .bind(meeting.ends_at())
        .bind(meeting.link())
        .bind(meeting.description())
        .bind(seats_value(new.seats))
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        insert_contents(&mut tx, id, &meeting).await?;
        let created = lock_meeting(&mut tx, MeetingId(id)).await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(access.actor(), None, "meeting.create", "meeting", id)
                .after(serde_json::to_value(&created).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn update_meeting(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
        new: &NewMeeting,
    ) -> Result<MeetingRecord> {
        let mut tx = begin_write(&self.pool).await?;
        let before = lock_meeting(&mut tx, id).await?;
        // The form edits the links; the uploaded files stay.
        let mut new = new.clone();
        for kept in before.meeting.materials() {
            if matches!(kept.source, MaterialSource::File(_)) && !new.materials.contains(kept) {
                new.materials.push(kept.clone());
            }
        }
        let new = &new;
        let meeting = new.rules().map_err(|e| meeting_refusal(&e, e.field()))?;
        if let Some(seats) = new.seats
            && before.registered > seats
        {
            return Err(meeting_refusal(&MeetingError::Full { seats }, "seats"));
        }
        sqlx::query(
            "UPDATE meetings SET kind = $2, title = $3, starts_at = $4, ends_at = $5, link = $6, \
             description = $7, seats = $8 WHERE id = $1",
        )
        .bind(id.0)
        .bind(new.kind.as_str())
        .bind(meeting.title())
        .bind(meeting.starts_at())
        .bind(meeting.ends_at())
        .bind(meeting.link())
        .bind(meeting.description())
        .bind(seats_value(new.seats))
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM meeting_agenda_items WHERE meeting_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM meeting_materials WHERE meeting_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        insert_contents(&mut tx, id.0, &meeting).await?;
        let after = lock_meeting(&mut tx, id).await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(access.actor(), None, "meeting.update", "meeting", id.0)
                .before(serde_json::to_value(&before).unwrap_or_default())
                .after(serde_json::to_value(&after).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn meetings(&self) -> Result<Vec<MeetingRecord>> {
        let mut conn = self.pool.acquire().await?;
        fetch_meetings(&mut conn, None).await
    }

    async fn meeting(&self, id: MeetingId) -> Result<Option<MeetingRecord>> {
        let mut conn = self.pool.acquire().await?;
        Ok(fetch_meetings(&mut conn, Some(id.0))
            .await?
            .into_iter()
            .next())
    }

    async fn register(&self, principal: &Principal, id: MeetingId) -> Result<()> {
        let user = person_of(principal)?;
        let mut tx = begin_write(&self.pool).await?;
        // The lock first: the count and the seats below are read only after
        // every earlier registration for this meeting has committed.
        let meeting = lock_meeting(&mut tx, id).await?;
        if meeting.cancelled_at.is_some() {
            return Err(meeting_refusal(&MeetingError::Cancelled, "meeting"));
        }
        let already: Option<i64> = sqlx::query_scalar(
            "SELECT user_id FROM meeting_registrations WHERE meeting_id = $1 AND user_id = $2",
        )
        .bind(id.0)
        .bind(user.0)
        .fetch_optional(&mut *tx)
        .await?;
        check_registration(
            meeting.meeting.starts_at(),
            now(),
            meeting.seats,
            meeting.registered,
            already.is_some(),
        )
        .map_err(|e| meeting_refusal(&e, "meeting"))?;
        sqlx::query(
            "INSERT INTO meeting_registrations (meeting_id, user_id, registered_at) \
             VALUES ($1, $2, $3)",
        )
        .bind(id.0)
        .bind(user.0)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                &principal.actor(),
                principal.org_id(),
                "meeting.register",
                "meeting",
                id.0,
            )
            .after(serde_json::json!({ "user_id": user.0 })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn cancel_registration(&self, principal: &Principal, id: MeetingId) -> Result<()> {
        let user = person_of(principal)?;
        let mut tx = begin_write(&self.pool).await?;
        let meeting = lock_meeting(&mut tx, id).await?;
        let deleted =
            sqlx::query("DELETE FROM meeting_registrations WHERE meeting_id = $1 AND user_id = $2")
                .bind(id.0)
                .bind(user.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        check_cancellation(meeting.meeting.starts_at(), now(), deleted > 0)
            .map_err(|e| meeting_refusal(&e, "meeting"))?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                &principal.actor(),
                principal.org_id(),
                "meeting.cancel_registration",
                "meeting",
                id.0,
            )
            .before(serde_json::json!({ "user_id": user.0 })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn is_registered(&self, user: UserId, id: MeetingId) -> Result<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT user_id FROM meeting_registrations WHERE meeting_id = $1 AND user_id = $2",
        )
        .bind(id.0)
        .bind(user.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    async fn registrations(
        &self,
        _access: &CommunityAccess,
        id: MeetingId,
    ) -> Result<Vec<Registration>> {
        let rows: Vec<(i64, String, i64, String, OffsetDateTime)> = sqlx::query_as(
            "SELECT u.id, u.display_name, o.id, o.name, r.registered_at \
             FROM meeting_registrations r JOIN users u ON u.id = r.user_id \
             JOIN organisations o ON o.id = u.org_id WHERE r.meeting_id = $1 \
             ORDER BY o.name, u.display_name, u.id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(user, name, org, organisation, at)| Registration {
                user_id: UserId(user),
                name,
                org_id: OrgId(org),
                organisation,
                registered_at: at,
            })
            .collect())
    }

    async fn record_attendance(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
        rows: &[AttendanceRow],
    ) -> Result<AttendanceReport> {
        let mut kept = Vec::with_capacity(rows.len());
        for row in rows {
            let person = row.person.trim();
            if person.chars().count() > MAX_PERSON {
                return Err(meeting_refusal(
                    &MeetingError::TooLong {
                        field: "person",
                        max: MAX_PERSON,
                    },
                    "attendance",
                ));
            }
            if person.chars().any(char::is_control) {
                return Err(meeting_refusal(
                    &MeetingError::ControlCharacter { field: "person" },
                    "attendance",
                ));
            }
            if !person.is_empty() {
                kept.push(AttendanceRow {
                    municipality: row.municipality,
                    person: person.to_owned(),
                });
            }
        }
        let mut tx = begin_write(&self.pool).await?;
        let meeting = lock_meeting(&mut tx, id).await?;
        if !meeting.meeting.has_started(now()) {
            return Err(ValidationError::named(
                "attendance",
                "meeting-not-started",
                "attendance is recorded after the meeting has started",
            )
            .into());
        }
        let known = municipalities(&mut tx).await?;
        if let Some(unknown) = kept
            .iter()
            .filter_map(|r| r.municipality)
            .find(|code| !known.iter().any(|(c, _)| c == code))
        {
            return Err(ValidationError::named(
                "attendance",
                "org-unknown",
                format!("there is no municipality {}", unknown.get()),
            )
            .into());
        }
        let before = fetch_attendance(&mut tx, id).await?;
        sqlx::query("DELETE FROM meeting_attendance WHERE meeting_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        for (position, row) in kept.iter().enumerate() {
            sqlx::query(
                "INSERT INTO meeting_attendance (meeting_id, position, municipality_code, person) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id.0)
            .bind(i32::try_from(position).unwrap_or(i32::MAX))
            .bind(row.municipality.map(|c| i32::from(c.get())))
            .bind(&row.person)
            .execute(&mut *tx)
            .await?;
        }
        let after = fetch_attendance(&mut tx, id).await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(access.actor(), None, "meeting.attendance", "meeting", id.0)
                .before(serde_json::to_value(&before.summary).unwrap_or_default())
                .after(serde_json::to_value(&after.summary).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn attendance(&self, id: MeetingId) -> Result<AttendanceReport> {
        let mut conn = self.pool.acquire().await?;
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM meetings WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?;
        found.ok_or(StorageError::NotFound("meeting"))?;
        fetch_attendance(&mut conn, id).await
    }

    async fn send_invitations(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
        roles: &[RoleId],
        mail: &MeetingMail,
    ) -> Result<MailingReport> {
        let mut tx = begin_write(&self.pool).await?;
        let record = lock_meeting(&mut tx, id).await?;
        let meeting = &record.meeting;
        if record.cancelled_at.is_some() {
            return Err(meeting_refusal(&MeetingError::Cancelled, "meeting"));
        }
        if meeting.has_started(now()) {
            return Err(meeting_refusal(
                &MeetingError::RegistrationClosed,
                "meeting",
            ));
        }
        let day = meeting.starts_at().to_offset(mail.offset).date();
        let (wanted, found) = holdings(&mut tx, roles, day).await?;
        let list: Vec<RoleHolding> = found.iter().map(|(h, _)| h.clone()).collect();
        let invitation = invitees(&list, &wanted, day);
        // A first invitation is SEQUENCE 0; each later one is an update.
        let sequence: Option<i32> =
            sqlx::query_scalar("SELECT invitation_sequence FROM meetings WHERE id = $1")
                .bind(id.0)
                .fetch_one(&mut *tx)
                .await?;
        let sequence = sequence.map_or(0, |s| s.saturating_add(1));
        let uid = meeting_uid(id.0, &mail.host).map_err(|e| meeting_refusal(&e, "meeting"))?;
        let organizer = CalendarPerson {
            name: mail.organizer_name.clone(),
            email: mail.organizer_email.clone(),
        };
        let stamp = now();
        let mut queued = 0;
        for invitee in &invitation.invited {
            let Some((_, row)) = found.iter().find(|(h, _)| h.user == invitee.user) else {
                continue;
            };
            let email = row.email.as_deref().unwrap_or_default().trim();
            let ics = IcsEvent::for_meeting(
                meeting,
                uid.clone(),
                u32::try_from(sequence).unwrap_or(0),
                stamp,
                mail.offset,
                organizer.clone(),
                vec![CalendarPerson {
                    name: row.display_name.clone(),
                    email: email.to_owned(),
                }],
                CalendarMethod::Request,
            )
            .to_ics();
            // An address the calendar text cannot hold is the person's
            // problem, not the mailing's: they get the mail without it.
            let ics = ics.ok();
            let key = format!("meeting:{}:invitation:{}:{}", id.0, sequence, row.user_id);
            if queue_mail(
                &mut tx,
                &key,
                row.org_id,
                row.user_id,
                email,
                &mail.subject,
                &mail.body,
                ics.as_deref(),
            )
            .await?
            {
                queued += 1;
            }
        }
        sqlx::query("UPDATE meetings SET invitation_sequence = $2, invited_at = $3 WHERE id = $1")
            .bind(id.0)
            .bind(sequence)
            .bind(stamp)
            .execute(&mut *tx)
            .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(access.actor(), None, "meeting.invite", "meeting", id.0).after(
                serde_json::json!({
                    "sequence": sequence,
                    "roles": wanted.iter().map(|r| r.0).collect::<Vec<_>>(),
                    "queued": queued,
                    "not_invited": invitation.not_invited.len(),
                }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(MailingReport {
            queued,
            not_sent: invitation
                .not_invited
                .iter()
                .map(|n| (n.user, n.reason.code()))
                .collect(),
        })
    }

    async fn add_material_file(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
        title: &str,
        kind: MaterialKind,
        file: &MaterialFile,
    ) -> Result<MeetingRecord> {
        let checked = samspil_domain::files::check_file(&file.file_name, file.content.len())?;
        let mut tx = begin_write(&self.pool).await?;
        let before = lock_meeting(&mut tx, id).await?;
        let file_id: i64 = sqlx::query_scalar(
            "INSERT INTO meeting_files (meeting_id, file_name, content_type, size_bytes, sha256, \
             content, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(id.0)
        .bind(&checked.file_name)
        .bind(checked.content_type)
        .bind(i64::try_from(file.content.len()).unwrap_or(i64::MAX))
        .bind(&file.sha256)
        .bind(&file.content)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let title = match title.trim() {
            "" => checked.file_name.clone(),
            typed => typed.to_owned(),
        };
        let mut materials = before.meeting.materials().to_vec();
        materials.push(Material {
            title,
            kind,
            source: MaterialSource::File(file_id),
        });
        // The rules check the material's title as they check a link's.
        let meeting = Meeting::new(
            before.meeting.title(),
            before.meeting.starts_at(),
            before.meeting.ends_at(),
            before.meeting.link(),
            before.meeting.description(),
            before.meeting.agenda().to_vec(),
            materials,
        )
        .map_err(|e| meeting_refusal(&e, "title"))?;
        let last = meeting
            .materials()
            .last()
            .cloned()
            .ok_or(StorageError::NotFound("material"))?;
        sqlx::query(
            "INSERT INTO meeting_materials (meeting_id, position, title, kind, link, file_id) \
             VALUES ($1, $2, $3, $4, NULL, $5)",
        )
        .bind(id.0)
        .bind(i32::try_from(meeting.materials().len() - 1).unwrap_or(i32::MAX))
        .bind(&last.title)
        .bind(material_kind_str(last.kind))
        .bind(file_id)
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(
                access.actor(),
                None,
                "meeting.material_file",
                "meeting",
                id.0,
            )
            .after(
                serde_json::json!({ "file_id": file_id, "file_name": checked.file_name,
                                    "size_bytes": file.content.len(), "sha256": file.sha256 }),
            ),
        )
        .await?;
        let after = lock_meeting(&mut tx, id).await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn material_file(
        &self,
        id: MeetingId,
        file: i64,
    ) -> Result<Option<(String, String, Vec<u8>)>> {
        Ok(sqlx::query_as(
            "SELECT file_name, content_type, content FROM meeting_files \
             WHERE meeting_id = $1 AND id = $2",
        )
        .bind(id.0)
        .bind(file)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn cancel_meeting(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
        mail: &MeetingMail,
    ) -> Result<MailingReport> {
        let mut tx = begin_write(&self.pool).await?;
        // Under the lock: a registration or an invitation waits, then finds
        // the meeting cancelled.
        let record = lock_meeting(&mut tx, id).await?;
        let meeting = &record.meeting;
        if record.cancelled_at.is_some() {
            return Err(meeting_refusal(&MeetingError::Cancelled, "cancel"));
        }
        if meeting.has_started(now()) {
            return Err(ValidationError::named(
                "cancel",
                "meeting-started",
                "a meeting is cancelled before it starts",
            )
            .into());
        }
        // Everyone an invitation went to, and everyone registered, once.
        let recipients: Vec<(i64, i64, Option<String>, String, String)> = sqlx::query_as(
            "SELECT u.id, u.org_id, u.email, u.display_name, u.user_type FROM users u \
             WHERE u.active AND (u.id IN (SELECT d.user_id FROM deliveries d \
             WHERE d.delivery_key LIKE $2 AND d.user_id IS NOT NULL) \
             OR u.id IN (SELECT r.user_id FROM meeting_registrations r WHERE r.meeting_id = $1)) \
             ORDER BY u.id",
        )
        .bind(id.0)
        .bind(format!("meeting:{}:invitation:%", id.0))
        .fetch_all(&mut *tx)
        .await?;
        // The CANCEL follows the last invitation: the same UID, the next
        // SEQUENCE (RFC 5546).
        let sequence = record
            .invited_at
            .map_or(0, |_| record.invitation_sequence + 1);
        let uid = meeting_uid(id.0, &mail.host).map_err(|e| meeting_refusal(&e, "cancel"))?;
        let organizer = CalendarPerson {
            name: mail.organizer_name.clone(),
            email: mail.organizer_email.clone(),
        };
        let stamp = now();
        let mut queued = 0;
        let mut not_sent = Vec::new();
        for (user, org, email, name, user_type) in &recipients {
            let email = email.as_deref().unwrap_or_default().trim();
            let mailed = UserType::parse(user_type)
                .is_some_and(samspil_coordination::role::receives_notifications);
            if !mailed {
                not_sent.push((UserId(*user), SkipReason::NoMail.code()));
                continue;
            }
            if email.is_empty() {
                not_sent.push((UserId(*user), SkipReason::NoAddress.code()));
                continue;
            }
            let ics = IcsEvent::for_meeting(
                meeting,
                uid.clone(),
                sequence,
                stamp,
                mail.offset,
                organizer.clone(),
                vec![CalendarPerson {
                    name: name.clone(),
                    email: email.to_owned(),
                }],
                CalendarMethod::Cancel,
            )
            .to_ics()
            .ok();
            let key = format!("meeting:{}:cancel:{user}", id.0);
            if queue_mail(
                &mut tx,
                &key,
                *org,
                *user,
                email,
                &mail.subject,
                &mail.body,
                ics.as_deref(),
            )
            .await?
            {
                queued += 1;
            }
        }
        sqlx::query(
            "UPDATE meetings SET cancelled_at = $2, invitation_sequence = $3 WHERE id = $1",
        )
        .bind(id.0)
        .bind(stamp)
        .bind(i32::try_from(sequence).unwrap_or(i32::MAX))
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(access.actor(), None, "meeting.cancel", "meeting", id.0)
                .after(serde_json::json!({ "sequence": sequence, "queued": queued,
                                    "not_sent": not_sent.len() })),
        )
        .await?;
        tx.commit().await?;
        Ok(MailingReport { queued, not_sent })
    }

    async fn send_follow_up(
        &self,
        access: &CommunityAccess,
        id: MeetingId,
        mail: &MeetingMail,
    ) -> Result<MailingReport> {
        let mut tx = begin_write(&self.pool).await?;
        let record = lock_meeting(&mut tx, id).await?;
        let meeting = &record.meeting;
        if now() < meeting.ends_at() {
            return Err(ValidationError::named(
                "meeting",
                "meeting-not-ended",
                "the recording and slides are sent after the meeting",
            )
            .into());
        }
        let links: Vec<String> = meeting
            .follow_up_materials()
            .filter_map(|m| match &m.source {
                MaterialSource::Link(link) => Some(format!("{}: {link}", m.title)),
                MaterialSource::File(_) => None,
            })
            .collect();
        if links.is_empty() {
            return Err(ValidationError::named(
                "materials",
                "meeting-no-follow-up",
                "the meeting has no recording or slides to send",
            )
            .into());
        }
        let body = format!("{}\n\n{}", mail.body.trim_end(), links.join("\n"));
        let today = now().to_offset(mail.offset).date();
        // Every programme manager registered in samspil, not only those
        // who came (the slide says so).
        let (manager, found) = holdings(&mut tx, &[], today).await?;
        let list: Vec<RoleHolding> = found.iter().map(|(h, _)| h.clone()).collect();
        let recipients = invitees(&list, &manager, today);
        let mut queued = 0;
        for person in &recipients.invited {
            let Some((_, row)) = found.iter().find(|(h, _)| h.user == person.user) else {
                continue;
            };
            let key = format!("meeting:{}:follow-up:{}", id.0, row.user_id);
            if queue_mail(
                &mut tx,
                &key,
                row.org_id,
                row.user_id,
                row.email.as_deref().unwrap_or_default().trim(),
                &mail.subject,
                &body,
                None,
            )
            .await?
            {
                queued += 1;
            }
        }
        sqlx::query("UPDATE meetings SET follow_up_sent_at = $2 WHERE id = $1")
            .bind(id.0)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        append_audit(
            &mut tx,
            &AuditEntry::new(access.actor(), None, "meeting.follow_up", "meeting", id.0).after(
                serde_json::json!({ "queued": queued, "not_sent": recipients.not_invited.len() }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(MailingReport {
            queued,
            not_sent: recipients
                .not_invited
                .iter()
                .map(|n| (n.user, n.reason.code()))
                .collect(),
        })
    }
}
