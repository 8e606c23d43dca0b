# Texts of the shell's shared page parts (the pager, the municipality
# picker, a refused form's summary) and of links from the shell's pages
# into the contexts.

form-refused = Nothing was saved
picker-municipality = Municipality
picker-choose = Choose …
picker-hint = Type the name, part of it or the municipality code, or choose from the list.
picker-unknown = No municipality is called »{ $typed }«. Type the name, part of it or the municipality code.
picker-several = »{ $typed }« matches several municipalities: { $names }. Type more of the name.
picker-show = Show
tasks-previous-page = Previous page
tasks-page = Page { $page }
tasks-next-page = Next page
pager-label = Pages
nav-tasks = Tasks
nav-status = Status
tasks-filter = Filter
form-error-label = Error
form-errors-title = There is a problem with what you filled in
form-not-created = Nothing was created
nav-pipelines = Pipelines
nav-meetings = Meetings
