//! The municipalities' status on tasks, as the chart and the status table
//! take it.

use crate::{Cell, Column, Table};

/// One task's totals: how many municipalities have completed it, started
/// it, and not started it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatusBar {
    pub label: String,
    pub completed: u32,
    pub started: u32,
    pub not_started: u32,
}

impl StatusBar {
    pub fn new(label: impl Into<String>, completed: u32, started: u32, not_started: u32) -> Self {
        Self {
            label: label.into(),
            completed,
            started,
            not_started,
        }
    }

    /// The three counts added up; a `u64`, so it cannot overflow.
    pub fn total(&self) -> u64 {
        u64::from(self.completed) + u64::from(self.started) + u64::from(self.not_started)
    }
}

/// The words of a status chart and table, so the caller can localise them.
/// [`ChartLabels::danish`] is the default.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChartLabels {
    /// The chart's heading and accessible name.
    pub title: String,
    pub completed: String,
    pub started: String,
    pub not_started: String,
    /// The word before the sum of the three counts.
    pub total: String,
    /// Shown instead of bars when there are none.
    pub no_data: String,
}

impl ChartLabels {
    pub fn danish() -> Self {
        Self {
            title: "Kommunernes status pr. opgave".to_owned(),
            completed: "Fuldført".to_owned(),
            started: "Påbegyndt".to_owned(),
            not_started: "Ikke påbegyndt".to_owned(),
            total: "I alt".to_owned(),
            no_data: "Ingen opgaver at vise".to_owned(),
        }
    }

    pub fn english() -> Self {
        Self {
            title: "Municipalities' status per task".to_owned(),
            completed: "Completed".to_owned(),
            started: "Started".to_owned(),
            not_started: "Not started".to_owned(),
            total: "Total".to_owned(),
            no_data: "No tasks to show".to_owned(),
        }
    }
}

impl Default for ChartLabels {
    fn default() -> Self {
        Self::danish()
    }
}

/// The same totals as a table for [`to_csv`](crate::to_csv) and
/// [`to_xlsx`](crate::to_xlsx): a text column headed `item_header` (say
/// "Opgave") with the labels, then integer columns for the three counts and
/// their total, headed by `labels`.
pub fn status_table(
    title: impl Into<String>,
    item_header: impl Into<String>,
    bars: &[StatusBar],
    labels: &ChartLabels,
) -> Table {
    let columns = vec![
        Column::text(item_header),
        Column::integer(labels.completed.as_str()),
        Column::integer(labels.started.as_str()),
        Column::integer(labels.not_started.as_str()),
        Column::integer(labels.total.as_str()),
    ];
    let rows = bars
        .iter()
        .map(|bar| {
            vec![
                Cell::Text(bar.label.clone()),
                bar.completed.into(),
                bar.started.into(),
                bar.not_started.into(),
                // At most 3 × u32::MAX, well within i64.
                Cell::Integer(i64::try_from(bar.total()).unwrap_or(i64::MAX)),
            ]
        })
        .collect();
    Table::from_checked_parts(title.into(), columns, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::to_csv;

    #[test]
    fn totals_do_not_overflow() {
        let bar = StatusBar::new("x", u32::MAX, u32::MAX, u32::MAX);
        assert_eq!(bar.total(), 3 * u64::from(u32::MAX));
    }

    #[test]
    fn the_status_table_has_one_row_per_bar() {
        let bars = [
            StatusBar::new(
                "Udskift kommunens organisationscertifikat med OCES3-certifikat",
                27,
                31,
                40,
            ),
            StatusBar::new("Etabler brugeradministration på KLIK", 35, 8, 55),
        ];
        let table = status_table("Status", "Opgave", &bars, &ChartLabels::danish());
        let csv = String::from_utf8(to_csv(&table)).expect("UTF-8");
        assert_eq!(
            csv,
            "\u{FEFF}Opgave;Fuldført;Påbegyndt;Ikke påbegyndt;I alt\r\n\
             Udskift kommunens organisationscertifikat med OCES3-certifikat;27;31;40;98\r\n\
             Etabler brugeradministration på KLIK;35;8;55;98\r\n"
        );
        assert_eq!(ChartLabels::default(), ChartLabels::danish());
        assert_eq!(ChartLabels::english().not_started, "Not started");
    }
}
