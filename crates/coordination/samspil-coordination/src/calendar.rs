//! iCalendar (RFC 5545) for coordination: a person's task deadlines as a
//! feed, so that they show in Outlook and every other calendar (one all-day
//! event per task on its deadline), and the pieces every calendar text here
//! is written with — the meeting invitations of [`crate::meeting`] too.
//! Written here, without I/O, with the RFC's text escaping
//! (§3.3.11) and line folding at 75 octets (§3.1), never inside a UTF-8
//! character.

use time::{Date, Duration, OffsetDateTime};

/// One deadline in the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineEvent {
    /// Unique and stable across fetches, so a calendar updates the event
    /// rather than adding another (`task-17@samspil`).
    pub uid: String,
    pub date: Date,
    pub summary: String,
    pub description: String,
    /// The task's page, when the site's address is known.
    pub url: Option<String>,
}

/// The feed as text: a `VCALENDAR` named `name` with one `VEVENT` each,
/// stamped `now`, with CRLF line ends.
pub fn deadline_calendar(name: &str, now: OffsetDateTime, events: &[DeadlineEvent]) -> String {
    let stamp = utc_stamp(now);
    let mut out = String::new();
    let mut line = |text: String| out.push_str(&fold(&text));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//samspil//Opgavefrister//DA".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape_text(name)));
    // Outlook and Apple Calendar ask again after this long.
    line("REFRESH-INTERVAL;VALUE=DURATION:PT4H".into());
    line("X-PUBLISHED-TTL:PT4H".into());
    for event in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape_text(&event.uid)));
        line(format!("DTSTAMP:{stamp}"));
        line(format!("DTSTART;VALUE=DATE:{}", ical_date(event.date)));
        line(format!(
            "DTEND;VALUE=DATE:{}",
            ical_date(event.date + Duration::days(1))
        ));
        line(format!("SUMMARY:{}", escape_text(&event.summary)));
        if !event.description.is_empty() {
            line(format!("DESCRIPTION:{}", escape_text(&event.description)));
        }
        if let Some(url) = &event.url {
            line(format!("URL:{url}"));
        }
        line("TRANSP:TRANSPARENT".into());
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

fn ical_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

/// A UTC date-time value (`20261201T140509Z`), which needs no VTIMEZONE.
pub fn utc_stamp(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{}T{:02}{:02}{:02}Z",
        ical_date(at.date()),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// A TEXT value (§3.3.11): backslash, semicolon and comma escaped, a line
/// break as `\n`, other control characters left out.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded (§3.1): at most 75 octets a line, each
/// continuation begun by a space, every line ended by CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        // The first line holds 75 octets; a continuation 74 after its space.
        if used + len > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape_text("Frist; plan, budget\\noter\r\nny linje\u{7}"),
            "Frist\\; plan\\, budget\\\\noter\\nny linje"
        );
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let long = format!("SUMMARY:{}", "Æblegrød på Ærø ".repeat(20));
        let folded = fold(&long);
        for physical in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(
                physical.len() <= 75,
                "{} octets: {physical}",
                physical.len()
            );
        }
        assert!(folded.ends_with("\r\n"));
        // Unfolding gives the line back.
        assert_eq!(folded.trim_end_matches("\r\n").replace("\r\n ", ""), long);
        assert_eq!(fold("KORT"), "KORT\r\n");
    }

    #[test]
    fn a_deadline_is_an_all_day_event_on_its_date() {
        let text = deadline_calendar(
            "Opgavefrister, Aarhus",
            datetime!(2026-12-01 14:05:09 UTC),
            &[DeadlineEvent {
                uid: "task-7@samspil".into(),
                date: date!(2026 - 12 - 31),
                summary: "KLIK: Udpeg Digital Post-ansvarlig".into(),
                description: "Jeres status: Påbegyndt".into(),
                url: Some("https://samspil.example.dk/opgaver/7".into()),
            }],
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20261231\r\n"));
        assert!(text.contains("DTEND;VALUE=DATE:20270101\r\n"), "{text}");
        assert!(text.contains("DTSTAMP:20261201T140509Z\r\n"));
        assert!(text.contains("X-WR-CALNAME:Opgavefrister\\, Aarhus\r\n"));
        assert!(text.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "CRLF only");
    }
}
