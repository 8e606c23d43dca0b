# The task as a PDF file, status history and the calendar feed (issue 14).
pdf-download = Gem opgave som PDF-fil
pdf-municipality = Kommune
pdf-unanswered = Ikke besvaret
pdf-made = Dannet { $at } i samspil.
status-history-title = Statushistorik
status-history-none = Status er ikke ændret endnu.
status-history-from = Fra
status-history-to = Til
status-history-caption = Statushistorik for { $municipality }
status-history-staff = Kommunernes statushistorik
status-history-staff-hint = Hver kommunes ændringer af status med begrundelse, nyeste nederst.
