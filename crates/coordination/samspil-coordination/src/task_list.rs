//! How a task list is ordered: the column a person sorts by and the
//! direction, as the list's address names them (`?sort=deadline&dir=desc`).
//! Only these names are accepted; the storage layer turns each into a fixed
//! `ORDER BY` of its own, so nothing typed in an address reaches SQL.

use samspil_domain::ValidationError;

/// The column a task list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TaskSort {
    /// The list's own order when nobody chose one: critical first, then
    /// by deadline (a period in words by the date it names; undated last).
    #[default]
    Priority,
    Code,
    Title,
    Project,
    /// Critical, mandatory, voluntary.
    Type,
    /// By the date a task ends, or for a period in words (»Uge 25«) the
    /// date the period sorts by; undated last in both directions.
    Deadline,
    /// A municipality's own status (ikke påbegyndt, påbegyndt, fuldført),
    /// or for the community's list the task's state (kladde, publiceret,
    /// lukket).
    Status,
}

impl TaskSort {
    /// The columns a person can sort by, in the table's order.
    pub const COLUMNS: [TaskSort; 6] = [
        TaskSort::Code,
        TaskSort::Title,
        TaskSort::Project,
        TaskSort::Type,
        TaskSort::Deadline,
        TaskSort::Status,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskSort::Priority => "priority",
            TaskSort::Code => "code",
            TaskSort::Title => "title",
            TaskSort::Project => "project",
            TaskSort::Type => "type",
            TaskSort::Deadline => "deadline",
            TaskSort::Status => "status",
        }
    }

    /// The column an address names; none (or an empty text) is the
    /// list's own order.
    pub fn parse(value: Option<&str>) -> Result<Self, ValidationError> {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return Ok(TaskSort::Priority);
        };
        std::iter::once(TaskSort::Priority)
            .chain(TaskSort::COLUMNS)
            .find(|s| s.as_str() == value)
            .ok_or_else(|| {
                unknown(
                    "sort",
                    value,
                    "code, title, project, type, deadline, status",
                )
            })
    }
}

/// Which way a sorted column runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SortDirection {
    #[default]
    Ascending,
    Descending,
}

impl SortDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            SortDirection::Ascending => "asc",
            SortDirection::Descending => "desc",
        }
    }

    /// The value of a header's `aria-sort`.
    pub fn aria(self) -> &'static str {
        match self {
            SortDirection::Ascending => "ascending",
            SortDirection::Descending => "descending",
        }
    }

    pub fn reversed(self) -> Self {
        match self {
            SortDirection::Ascending => SortDirection::Descending,
            SortDirection::Descending => SortDirection::Ascending,
        }
    }

    pub fn parse(value: Option<&str>) -> Result<Self, ValidationError> {
        match value.map(str::trim).unwrap_or_default() {
            "" | "asc" => Ok(SortDirection::Ascending),
            "desc" => Ok(SortDirection::Descending),
            other => Err(unknown("dir", other, "asc, desc")),
        }
    }
}

fn unknown(field: &'static str, typed: &str, known: &str) -> ValidationError {
    ValidationError::unknown_choice(field, typed, known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_reads_back_from_its_name() {
        for sort in TaskSort::COLUMNS {
            assert_eq!(TaskSort::parse(Some(sort.as_str())), Ok(sort));
        }
        assert_eq!(TaskSort::parse(None), Ok(TaskSort::Priority));
        assert_eq!(TaskSort::parse(Some(" ")), Ok(TaskSort::Priority));
        assert_eq!(TaskSort::parse(Some("priority")), Ok(TaskSort::Priority));
    }

    #[test]
    fn an_unknown_column_or_direction_is_refused_by_its_field() {
        let refused = TaskSort::parse(Some("t.id; DROP TABLE tasks")).expect_err("not a column");
        assert_eq!(refused.field, "sort");
        let refused = SortDirection::parse(Some("up")).expect_err("not a direction");
        assert_eq!(refused.field, "dir");
    }

    #[test]
    fn directions_read_back_and_reverse() {
        assert_eq!(SortDirection::parse(None), Ok(SortDirection::Ascending));
        assert_eq!(
            SortDirection::parse(Some("desc")),
            Ok(SortDirection::Descending)
        );
        assert_eq!(
            SortDirection::Ascending.reversed(),
            SortDirection::Descending
        );
        assert_eq!(SortDirection::Descending.aria(), "descending");
    }
}
