nav-projects = Projects
task-local-mark = Local
home-assignee = Given to
home-all-tasks = All tasks
home-lead = { $open ->
    [0] You have no open tasks.
    [one] You have 1 open task
   *[other] You have { $open } open tasks
}{ $open ->
    [0] {""}
   *[other] : { $critical } on the critical path, { $overdue } past their deadline.
}
home-overdue-title = Past their deadline
home-mine-title = Given to you or your roles
home-mine-none = No open tasks are given to you or your roles.
home-mine-all = See all { $count } tasks given to you
home-upcoming-title = The next deadlines
home-upcoming-none = No open task has a coming deadline.
home-open-title = Your open tasks
home-open-none = All your tasks are completed.
home-open-all = See all { $count } open tasks
home-messages-title = Unread messages
home-messages-none = You have no unread messages.
home-messages-all = To the inbox ({ $count } unread)
home-staff-lead = { $published } tasks are published to the municipalities, and { $drafts } are drafts.
home-near-title = Near the deadline with low completion
home-near-hint = Published tasks due within { $days } days that fewer than half of the municipalities have completed.
home-near-none = No task is near its deadline with low completion.
home-changes-title = Latest status changes
home-changes-none = No municipality has changed a status yet.
home-gaps-title = Mandatory roles without a holder
home-gaps-lead = { $count ->
    [one] 1 mandatory role lacks a holder in at least one municipality.
   *[other] { $count } mandatory roles lack a holder in at least one municipality.
}
home-gaps-municipalities = { $count ->
    [one] 1 municipality
   *[other] { $count } municipalities
}
home-gaps-link = See every gap in the role gallery
home-gaps-none = Every mandatory role has a holder in every municipality.
inbox-filter-kind = Show
inbox-filter-all = Every kind
inbox-filter-show = Show
inbox-mark-one-read = Mark as read
inbox-pages = Pages of the inbox
inbox-empty-kind = There is none of that kind in your inbox.
projects-intro = The community's IT projects with their tasks, participating municipalities, progress and roles in the role gallery.
projects-name = Project
projects-participants = Participating municipalities
projects-published-tasks = Published tasks
projects-not-done = Municipalities with tasks left
projects-done-share = Municipalities done
projects-none = There are no projects yet.
projects-back = All projects
project-progress = { $participants } municipalities take part. { $tasks } tasks are published, and { $not_done } municipalities still have at least one of them left.
project-you-take-part = Your municipality takes part in the project.
project-you-do-not-take-part = Your municipality does not take part in the project.
project-tasks = Tasks
project-tasks-caption = The tasks of { $name }
project-tasks-none = The project has no tasks you can see.
project-areas = Business areas
project-area-line = { $tasks } tasks, { $not_done } municipalities have tasks left
project-roles = Roles in the role gallery
project-role-mandatory = Mandatory
project-roles-link = To the role gallery
project-roles-none = The IT solution has no roles in the role gallery.
project-participants = Participating municipalities ({ $count })
project-participants-show = Show the municipalities
project-participants-none = No municipality takes part yet.
task-closed-no-status = The task is closed, so its status can no longer be changed.
