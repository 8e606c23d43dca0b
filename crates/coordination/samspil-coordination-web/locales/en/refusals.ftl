# Coordination's own refusals (samspil_coordination::task::REFUSALS), shown
# at the field they concern. A test holds every key to a text here and in
# Danish.
rule-status-one-step = A status moves forward one step at a time: Not started → Started → Completed. Set the task to Started first.
rule-status-back-needs-reason = Write a reason when you move the status back. The community sees the reason.
rule-status-answers-first = Answer the task's { $count } required question(s) before the task can be completed.
rule-task-change-needs-reason = Write why the task is changed. The task is published, and the municipalities get the reason with the change.
rule-role-max-holders-zero = A role must allow at least one holder. Leave the field empty for no limit.
rule-role-max-holders-reached = The role has at most { $max } holder(s), and it has them already. End an assignment first.
rule-assignment-ended = The assignment has ended already.
rule-role-solution-not-used = The role belongs to an IT solution the municipality does not use.
rule-role-reader = A reader can never hold a role. Choose a person who is an ordinary or light user, or change the person's user type under User administration (the municipality's administrator).
rule-user-inactive = The person's account is disabled.
rule-role-no-access = First give the person access to the role's IT solution under User administration. A role without access does not show.
rule-role-held-already = The person holds the role already.
rule-audience-none = Choose at least one recipient.
rule-message-subject-line = The subject must be one line of at most 200 characters.
rule-question-too-many-options = A choice question has at most { $max } options.
rule-question-options-differ = The options must differ from each other.
rule-question-two-options = A choice question needs at least two options, one per line.
rule-question-no-options = This kind of question has no options. Leave the field empty or choose a choice question.
rule-answer-one-only = “{ $prompt }” takes one answer.
rule-answer-not-an-option = “{ $typed }” is not one of the options of “{ $prompt }”.
rule-answer-yes-or-no = Answer yes or no to “{ $prompt }”.
rule-answer-not-a-number = The answer to “{ $prompt }” must be a number, e.g. 12 or 3.5. “{ $typed }” is not a number.
rule-answer-file-not-yours = Choose one of your own files on the task.
rule-answer-unknown-question = One of the answers belongs to no question of the task. Reload the page and try again.
rule-attachment-task-state = Files cannot be added to the task as it stands.
rule-not-an-email = The e-mail address does not look right. Write it as e.g. name@kommune.dk.
rule-org-unknown = The organisation does not exist. Choose one from the list.
rule-solution-unknown = The IT solution does not exist. Choose one from the list.
rule-user-not-in-municipality = The person does not belong to the municipality. Choose one from the list.
rule-text-length = The text must have between { $min } and { $max } characters.
rule-role-not-in-municipality = The role does not apply to the municipality. Choose one from the list.
rule-role-solution-fixed = The IT solution cannot change once the role has been given to someone.
rule-role-unknown = The role does not exist. Choose one from the list.
rule-role-name-taken = A role named “{ $name }” exists already. Choose another name.
rule-contact-list-name-taken = A contact list named “{ $name }” exists already. Choose another name.
rule-project-name-taken = A project named “{ $name }” exists already. Choose another name.
rule-org-not-municipality = The organisation is not a municipality.
rule-solution-use-in-progress = The municipality is working on the IT solution's tasks or holds its roles. Close the tasks or end the roles first.
rule-solution-not-used = The municipality does not use this IT solution.
rule-solution-role-held = The person holds a role of the IT solution. End the role before the access is removed.
rule-search-too-many-words = Search with at most { $max } words.
rule-task-wrong-state = This can only be done while the task is { $expected ->
        [draft] a draft
        [published] published
       *[closed] closed
    }. It is { $state ->
        [draft] a draft
        [published] published
       *[closed] closed
    }.
rule-role-not-in-catalogue = “{ $name }” is not a role of the role catalogue. Choose a role from the catalogue.
rule-project-unknown = The project does not exist. Choose one from the list.
rule-org-not-participant = The municipality does not take part in the task.
rule-assignee-unknown = Choose a role or a person from the list.
rule-audience-unknown = Choose whom the message is for, and at least one recipient.
rule-task-edit-closed = The task is closed and can no longer be edited.
rule-task-edit-draft-only = Can only be changed while the task is a draft. The task is published to the municipalities.
rule-question-edit-answered = A municipality has answered the question already. Only its text and whether it must be answered can change, not its kind or its options.
rule-question-unknown = The task has no such question.
rule-task-municipalities-none = Choose at least one municipality, or choose that the task goes to all of the project's municipalities.
rule-task-municipality-not-in-project = { $name } does not take part in the task's project. Choose among the project's municipalities.
