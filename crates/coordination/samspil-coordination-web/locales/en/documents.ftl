# The task as a PDF file, status history and the calendar feed (issue 14).
pdf-download = Save task as a PDF file
pdf-municipality = Municipality
pdf-unanswered = Not answered
pdf-made = Made { $at } in samspil.
status-history-title = Status history
status-history-none = The status has not been changed yet.
status-history-from = From
status-history-to = To
status-history-caption = Status history of { $municipality }
status-history-staff = The municipalities' status history
status-history-staff-hint = Each municipality's status changes with their reasons, newest last.
