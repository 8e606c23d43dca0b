# Editing a task (pages_task_edit.rs, task_edit.html).
task-edit = Edit the task
task-edit-title = Edit “{ $title }”
task-edit-intro-draft = The task is a draft: everything can be edited, and the municipalities see it only once it is published.
task-edit-intro-published = The task is published. Its texts and roles can be edited with a reason; it is kept in the task's history, and those concerned in the municipalities are told. The code cannot change, and the deadline and type are changed on the task's page.
task-edit-save = Save the edits
task-edit-cancel = Back to the task
task-edit-reason = Reason for the edit
task-edit-reason-hint = Required, because the task is published. The municipalities see the reason.
task-edit-code-fixed = The code cannot change once the task is published.
task-edit-roles-legend = Involved roles
task-edit-roles-hint = Choose the roles from the role catalogue. Their holders are told of changes to the task.
task-edit-roles-search = Search the roles
task-edit-roles-chosen = { $count } chosen
task-edit-questions = Questions
task-edit-question-answered = Answered by at least one municipality: only the text and “Must be answered” can change.
task-edit-question-save = Save the question
task-edit-none-changed = Nothing changed.
task-field-code = Code
task-field-title = Title
task-field-description = Description
task-field-business_area = Business area
task-field-executor_role = Recommended executing role
task-field-involved_roles = Involved roles
task-field-responsibility = Responsibility
task-field-competences = Competences
task-field-characteristics = Characteristics
task-field-question = Question
saved-edit = The edits are saved.
task-municipalities = Municipalities
task-municipalities-all = All the project's municipalities
task-municipalities-chosen = Only the municipalities ticked
task-municipalities-list = Choose the municipalities
task-municipalities-search = Search for a municipality
task-municipalities-ticked = { $count } chosen
task-municipalities-chosen-count = { $count ->
    [one] { $count } chosen municipality
   *[other] { $count } chosen municipalities
}
task-municipalities-hint-new = The task is published to the chosen municipalities, and only they count in the status and the exports. Choose only municipalities that take part in the project.
task-municipalities-hint-edit = The list shows the project's municipalities. The task is published only to those chosen, and only they count in the status and the exports.
task-municipalities-fixed = The municipalities cannot change once the task is published.
