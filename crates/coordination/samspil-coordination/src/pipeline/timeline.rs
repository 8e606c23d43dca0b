//! The timeline of areas: the newsletter's "mulighedsrum" table, per area
//! and business system the window in which the area may be onboarded. The
//! newsletter gives the table as a picture, so the windows are data staff
//! type in; the rules check and order them.

use serde::{Deserialize, Serialize};
use time::Date;

use super::PipelineError;

/// One window of the table: `area` may be onboarded on `system` from
/// `from` to `to`, both days included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaWindow {
    pub area: String,
    /// The business system (KMD Aktiv, KY, FBS, KSD); empty for the whole area.
    pub system: String,
    pub from: Date,
    pub to: Date,
}

/// Checked windows, ordered by opening day, then area, then system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeline {
    windows: Vec<AreaWindow>,
}

impl Timeline {
    /// Refuses a window that ends before it opens and two windows of the
    /// same area and system that overlap (the table would say two things).
    pub fn new(mut windows: Vec<AreaWindow>) -> Result<Self, PipelineError> {
        for w in &mut windows {
            w.area = w.area.trim().to_owned();
            w.system = w.system.trim().to_owned();
            if w.to < w.from {
                return Err(PipelineError::WindowReversed {
                    area: w.area.clone(),
                    from: w.from,
                    to: w.to,
                });
            }
        }
        windows.sort_by(|a, b| (&a.area, &a.system, a.from).cmp(&(&b.area, &b.system, b.from)));
        for pair in windows.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if a.area == b.area && a.system == b.system && b.from <= a.to {
                return Err(PipelineError::WindowsOverlap {
                    area: a.area.clone(),
                    system: a.system.clone(),
                });
            }
        }
        windows.sort_by(|a, b| (a.from, &a.area, &a.system).cmp(&(b.from, &b.area, &b.system)));
        Ok(Self { windows })
    }

    pub fn windows(&self) -> &[AreaWindow] {
        &self.windows
    }

    /// The areas in the order they first open: the table's rows.
    pub fn areas(&self) -> Vec<&str> {
        let mut areas: Vec<&str> = Vec::new();
        for w in &self.windows {
            if !areas.contains(&w.area.as_str()) {
                areas.push(&w.area);
            }
        }
        areas
    }

    pub fn windows_of<'a>(&'a self, area: &'a str) -> impl Iterator<Item = &'a AreaWindow> + 'a {
        self.windows.iter().filter(move |w| w.area == area)
    }

    /// The windows open on `day`.
    pub fn open_on(&self, day: Date) -> impl Iterator<Item = &AreaWindow> {
        self.windows
            .iter()
            .filter(move |w| w.from <= day && day <= w.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn window(area: &str, system: &str, from: Date, to: Date) -> AreaWindow {
        AreaWindow {
            area: area.into(),
            system: system.into(),
            from,
            to,
        }
    }

    #[test]
    fn the_table_is_ordered_by_opening() {
        let t = Timeline::new(vec![
            window(
                "Sygedagpenge",
                "KSD",
                date!(2020 - 08 - 01),
                date!(2020 - 12 - 31),
            ),
            window(
                "Socialret",
                "KMD Aktiv",
                date!(2020 - 03 - 01),
                date!(2020 - 06 - 30),
            ),
            window(
                "Bibliotek",
                "FBS",
                date!(2020 - 03 - 01),
                date!(2020 - 05 - 31),
            ),
            window(
                "Socialret",
                "KY",
                date!(2020 - 09 - 01),
                date!(2020 - 12 - 31),
            ),
        ])
        .expect("valid");
        assert_eq!(t.areas(), ["Bibliotek", "Socialret", "Sygedagpenge"]);
        assert_eq!(t.windows_of("Socialret").count(), 2);
        let open: Vec<&str> = t
            .open_on(date!(2020 - 09 - 15))
            .map(|w| w.system.as_str())
            .collect();
        assert_eq!(open, ["KSD", "KY"]);
    }

    #[test]
    fn reversed_and_overlapping_windows_are_refused() {
        let reversed = Timeline::new(vec![window(
            "Bibliotek",
            "FBS",
            date!(2020 - 05 - 01),
            date!(2020 - 04 - 01),
        )])
        .expect_err("refused");
        assert_eq!(reversed.code(), "window_reversed");
        let overlap = Timeline::new(vec![
            window(
                "Socialret",
                "KY",
                date!(2020 - 03 - 01),
                date!(2020 - 06 - 30),
            ),
            window(
                "Socialret",
                " KY ",
                date!(2020 - 06 - 30),
                date!(2020 - 09 - 30),
            ),
        ])
        .expect_err("refused");
        assert_eq!(overlap.code(), "windows_overlap");
        // Another system of the same area may share the months.
        assert!(
            Timeline::new(vec![
                window(
                    "Socialret",
                    "KY",
                    date!(2020 - 03 - 01),
                    date!(2020 - 06 - 30)
                ),
                window(
                    "Socialret",
                    "KMD Aktiv",
                    date!(2020 - 03 - 01),
                    date!(2020 - 06 - 30)
                ),
            ])
            .is_ok()
        );
    }
}
