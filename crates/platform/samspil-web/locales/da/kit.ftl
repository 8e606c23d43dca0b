# Texts of the shell's shared page parts (the pager, the municipality
# picker, a refused form's summary) and of links from the shell's pages
# into the contexts.

form-refused = Det er ikke gemt
picker-municipality = Kommune
picker-choose = Vælg …
picker-hint = Skriv navnet, en del af det eller kommunekoden, eller vælg på listen.
picker-unknown = Ingen kommune hedder »{ $typed }«. Skriv navnet, en del af det eller kommunekoden.
picker-several = »{ $typed }« passer på flere kommuner: { $names }. Skriv mere af navnet.
picker-show = Vis
tasks-previous-page = Forrige side
tasks-page = Side { $page }
tasks-next-page = Næste side
pager-label = Sider
nav-tasks = Opgaver
nav-status = Status
tasks-filter = Filtrér
form-error-label = Fejl
form-errors-title = Der er problemer med det, du har udfyldt
form-not-created = Det er ikke oprettet
nav-pipelines = Forløb
nav-meetings = Møder
