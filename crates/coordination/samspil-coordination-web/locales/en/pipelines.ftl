# Onboarding pipelines (issue 20).
pipeline-title = Onboarding pipelines
pipeline-breadcrumbs = Onboarding pipelines
pipeline-intro-staff = Municipalities are onboarded area by area through a series of tasks. This shows how many municipalities have not yet completed every task of each business area.
pipeline-intro-municipality = The municipality's business areas in the onboarding pipelines, and the tasks it can work on now.
pipeline-none = There are no onboarding pipelines yet.
pipeline-none-municipality = The municipality takes part in no onboarding pipeline yet.
pipeline-gap = { $count ->
    [one] 1 municipality has yet to complete every task of the business area { $area }
   *[other] { $count } municipalities have yet to complete every task of the business area { $area }
}
pipeline-gap-none = Every municipality has completed every task of the business area { $area }.
pipeline-col-area = Business area
pipeline-col-project = Project
pipeline-col-steps = Tasks
pipeline-col-done = Completed
pipeline-col-not-done = Missing
pipeline-col-step = Code
pipeline-col-title = Task
pipeline-col-actor = Done by
pipeline-col-after = After
pipeline-col-state = State
pipeline-col-open = Next
pipeline-col-stop = No new claims from
pipeline-col-close = Close date
pipeline-col-system = Business system
pipeline-col-from = From
pipeline-col-to = To
pipeline-col-municipality = Municipality
pipeline-col-claim-code = Claim type
pipeline-col-claim-name = Name
pipeline-claims-title = Claim types chosen
pipeline-steps-heading = The tasks
pipeline-not-done-heading = Municipalities not done ({ $count })
pipeline-done-heading = Municipalities done ({ $count })
pipeline-your-state = The municipality's state
pipeline-open = can start now
pipeline-stop = no new claims from { $from }, close date { $close }
pipeline-supplementary = { $count ->
    [0] No supplementary reporting period.
    [one] Supplementary reporting period: 1 month.
   *[other] Supplementary reporting period: { $count } months.
}
pipeline-areas-title = Business areas of { $name }
pipeline-state-not_started = Not started
pipeline-state-started = Started
pipeline-state-done = Completed
pipeline-state-closed = Closed
pipeline-actor-municipality = The municipality
pipeline-actor-vendor = The debtor-system vendor
pipeline-actor-agency = The Danish Debt Collection Agency
pipeline-actor-community = The community
pipeline-timeline-title = Timeline of the business areas
pipeline-timeline-intro = The window of opportunity: when each business area can be onboarded on each business system.
pipeline-timeline-none = There is no timeline yet.
rule-pipeline-gate-closed = This task can start only once { $name } is completed.
rule-pipeline-dependents-started = This task cannot be moved back: { $name } builds on it and has started.
rule-pipeline-missing-area = Choose the pipeline's business area.
rule-pipeline-no-steps = A pipeline needs at least one task.
rule-pipeline-bad-step-key = The code { $name } cannot be used: use at most 40 letters a–z, digits, full stops, hyphens or underscores.
rule-pipeline-missing-title = The task { $name } needs a title.
rule-pipeline-duplicate-step = The code { $name } appears more than once in the pipeline.
rule-pipeline-unknown-dependency = The pipeline has no task with the code { $name }.
rule-pipeline-self-dependency = The task { $name } cannot wait for itself.
rule-pipeline-cycle = The tasks { $name } wait for one another in a circle.
rule-pipeline-unknown-step = The pipeline has no task with the code { $name }.
rule-pipeline-claim-type = The claim type { $name } is not in the business area's catalogue, or is there twice.
rule-pipeline-window-reversed = A window of { $name } ends before it begins.
rule-pipeline-windows-overlap = Two windows of { $name } overlap.
rule-pipeline-supplementary-period = The supplementary reporting period is 0 to { $max } months.
rule-pipeline-task-not-in-project = The task for { $name } must be a published task of the project and not already part of a pipeline.
rule-pipeline-area-taken = The project already has a pipeline for the business area { $name }.
