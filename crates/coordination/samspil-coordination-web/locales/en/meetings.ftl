# Programme-manager meetings and workshops (issue 20).
rule-meeting-required = Fill in the field.
rule-meeting-too-long = The text can be at most { $name } characters.
rule-meeting-control-character = The text contains a character that cannot be used.
rule-meeting-bad-time = The meeting must end after it starts and last at most { $name } hours.
rule-meeting-bad-link = The link must be an https address.
rule-meeting-item-reversed = Agenda item { $name } must end after it starts.
rule-meeting-item-outside = Agenda item { $name } lies outside the meeting's time.
rule-meeting-items-overlap = Agenda item { $name } starts before the previous item ends.
rule-meeting-service-messages-twice = Service messages can be on the agenda only once.
rule-meeting-registration-closed = Registration closed when the meeting started.
rule-meeting-already-registered = You are registered already.
rule-meeting-not-registered = You are not registered.
rule-meeting-full = All { $name } seats are taken.
rule-meeting-no-questions = An evaluation needs at least one question.
rule-meeting-duplicate-question = The question { $name } appears more than once.
rule-meeting-bad-question = The question { $name } is badly formed.
rule-meeting-unknown-question = { $name } is no question of the evaluation.
rule-meeting-missing-answer = Answer the question: { $name }
rule-meeting-bad-answer = The answer does not fit the question: { $name }
rule-meeting-bad-seats = The number of seats must be from 1 to { $name }.
rule-meeting-unknown-applicant = Application { $name } is not one of the workshop's.
rule-meeting-chosen-twice = Application { $name } is chosen twice.
rule-meeting-too-many-chosen = More are chosen than the { $name } seats.
rule-meeting-bad-calendar-value = { $name } cannot be used in a calendar invitation.
rule-meeting-not-a-person = Only a person with their own user can register.
rule-meeting-not-started = Attendance can be recorded once the meeting has started.
rule-meeting-not-ended = The recording and slides are sent when the meeting is over.
rule-meeting-no-follow-up = The meeting has neither a recording nor slides to send.
rule-meeting-bad-attendance-line = Line { $name } must begin with the municipality's three digits and a semicolon, e.g. 751;name@aarhus.dk, or only a semicolon for someone from no municipality.
rule-meeting-bad-clock = { $name } is not a time of day. Write e.g. 10.00.
rule-meeting-bad-agenda-line = Agenda line { $name } must begin with its time, e.g. 10.05-10.25 Chain of responsibility | Finn Graversen.
meeting-error-date = Write the meeting's date as dd.mm.yyyy.
meeting-error-title = The meeting needs a title of at most 200 characters.
meeting-error-link = Write the meeting's link as an https address.
meeting-error-seats = Write the number of seats as a number.
meeting-error-starts = Write when the meeting starts, e.g. 10.00.
meeting-error-ends = Write when the meeting ends, e.g. 12.00.
meeting-title = Meetings
meeting-intro = The programme-manager meetings and workshops for the municipalities' KOMBIT programme managers: agenda, registration, materials and attendance.
meeting-new = New meeting
meeting-edit = Edit the meeting
meeting-coming = Coming meetings
meeting-past = Past meetings
meeting-none-coming = There are no coming meetings.
meeting-none-past = There are no past meetings.
meeting-col-title = Meeting
meeting-col-when = When
meeting-col-registered = Registered
meeting-kind-meeting = Meeting
meeting-kind-workshop = Workshop
meeting-registered-of = { $count } of { $seats } seats
meeting-link = Link to the meeting
meeting-seats = Seats
meeting-registration = Registration
meeting-you-are-registered = You are registered.
meeting-cancel = Cancel my registration
meeting-register = Register me
meeting-full-now = All seats are taken.
meeting-registration-over = Registration is closed.
meeting-agenda = Agenda
meeting-col-slot = Time
meeting-col-item = Item
meeting-col-presenter = Presenter
meeting-service-messages-hint = the month's operational messages and incidents
meeting-no-agenda = The agenda is not out yet.
meeting-materials = Materials
meeting-no-materials = There are no materials yet.
meeting-material-recording = Recording
meeting-material-slides = Slides
meeting-attendance = Attendance
meeting-attendance-summary = { $municipalities } municipalities ({ $participants } participants)
meeting-absent = { $count ->
    [one] One municipality did not take part
   *[other] { $count } municipalities did not take part
}
meeting-attendance-none = The attendance is not recorded.
meeting-staff = The community's tools
meeting-registrations = { $count ->
    [one] One registered
   *[other] { $count } registered
}
meeting-invite-roles = Also invite these roles
meeting-invite-hint = Every KOMBIT programme manager is always invited. The invitation is sent as a calendar invitation.
meeting-invite = Send the invitation
meeting-invite-again = Send an updated invitation
meeting-invitations-queued = { $count } invitations are in the outbox.
meeting-attendance-list = Participants
meeting-attendance-hint = One participant a line: municipality code, semicolon and name or e-mail, e.g. 751;name@aarhus.dk. From no municipality: ;name.
meeting-attendance-save = Save the attendance
meeting-follow-up = Send the recording and slides
meeting-follow-up-hint = The recording and slides go to every KOMBIT programme manager in samspil, also those who did not take part.
meeting-follow-up-queued = { $count } e-mails with the materials are in the outbox.
meeting-field-title = Title
meeting-field-kind = Kind
meeting-field-date = Date
meeting-field-date-hint = dd.mm.yyyy
meeting-field-starts = Starts at
meeting-field-ends = Ends at
meeting-field-clock-hint = hh.mm, Danish time
meeting-field-link = Link to the meeting
meeting-field-link-hint = An https address
meeting-field-seats = Seats
meeting-field-seats-hint = Empty: no limit. A workshop must have a number of seats.
meeting-field-description = Description
meeting-field-agenda-hint = One item a line: its time, title and optionally | presenter, e.g. 10.05-10.25 Chain of responsibility | Finn Graversen. An item titled Servicemeddelelser gathers the month's operational messages.
meeting-save = Save the meeting
meeting-mail-invitation-subject = Invitation: { $title }
meeting-mail-invitation-body = You are invited to { $title }, { $when }.

    Link to the meeting: { $link }

    The calendar invitation is attached. Register in samspil under Meetings.
meeting-mail-follow-up-subject = Recording and slides: { $title }
meeting-mail-follow-up-body = Thank you for taking part in { $title }. Here are the recording and the slides:

# The Servicemeddelelser item's contents (issues 19 and 20).
meeting-service-news = Service messages from { $from } to { $to }
meeting-service-news-messages = Operational messages
meeting-service-news-no-messages = No operational message was sent in the period.
meeting-service-news-incidents = Incidents in the chain of responsibility
meeting-service-news-no-incidents = No incident was opened in the period.
meeting-service-news-resolved = resolved
meeting-service-news-open = being handled

# The evaluation and the input to the next meeting (issue 20).
rule-meeting-no-survey = The meeting has no evaluation.
rule-meeting-survey-not-open = The evaluation opens when the meeting starts.
rule-meeting-already-answered = You have answered the evaluation already.
rule-meeting-survey-answered = The questions cannot change once the evaluation has answers.
rule-meeting-input-closed = Input is sent before the meeting starts.
rule-meeting-bad-survey-line = Line { $name } needs the question, a vertical bar and the kind, e.g. How satisfied are you with the meeting?* | scale 1-5.
meeting-error-text = Write your input in at most 5000 characters.
meeting-evaluation = Evaluation
meeting-evaluation-link = Answer the meeting's evaluation
meeting-evaluation-staff-link = The evaluation's questions and results
meeting-evaluation-none = The meeting has no evaluation yet.
meeting-evaluation-thanks = Thank you for answering the evaluation.
meeting-evaluation-not-open = The evaluation opens when the meeting starts.
meeting-evaluation-optional = optional
meeting-evaluation-send = Send answers
meeting-evaluation-results = { $count ->
    [one] Results (one answer)
   *[other] Results ({ $count } answers)
}
meeting-evaluation-answered = { $count ->
    [one] One answer
   *[other] { $count } answers
}
meeting-evaluation-mean = mean { $mean }
meeting-evaluation-col-value = Value
meeting-evaluation-col-option = Option
meeting-evaluation-col-count = Count
meeting-evaluation-no-results = The evaluation has no questions yet.
meeting-evaluation-questions = Questions
meeting-evaluation-questions-hint = One question a line: the text, a vertical bar and the kind: scale 1-5, choice: A; B (one answer), multiple: A; B (several answers) or text. A * after the text makes the question required, e.g. How satisfied are you with the meeting?* | scale 1-5.
meeting-evaluation-fixed = The questions cannot change, because the evaluation has answers.
meeting-evaluation-save = Save the questions
meeting-input = Send us input to the meeting
meeting-input-label = Your input
meeting-input-hint = Topics, questions or wishes for the agenda. The community reads it before the meeting.
meeting-input-send = Send input
meeting-input-sent = Thank you. Your input has been sent.
meeting-input-next = Send us input to the next meeting
meeting-inputs = { $count ->
    [one] One input to the meeting
   *[other] { $count } inputs to the meeting
}
meeting-inputs-none = No input has been sent to the meeting.

# A meeting cancelled (issue 20).
rule-meeting-cancelled = The meeting is cancelled.
rule-meeting-started = A meeting is cancelled before it starts.
meeting-cancelled = The meeting is cancelled.
meeting-cancelled-short = cancelled
meeting-cancel-meeting = Cancel the meeting
meeting-cancel-hint = Everyone who got the invitation or is registered gets a cancellation that removes the meeting from their calendar.
meeting-cancel-queued = The meeting is cancelled. { $count } cancellations are queued in the outbox.
meeting-mail-cancel-subject = Cancelled: { $title }
meeting-mail-cancel-body = { $title }, { $when }, is cancelled.

    The cancellation is attached as a calendar invitation, so the meeting disappears from your calendar.

# Workshops with limited seats (issue 20).
rule-meeting-not-a-workshop = Only a workshop takes applications.
rule-meeting-already-applied = You have applied already.
rule-meeting-workshop-decided = The workshop's seats have been given.
meeting-error-motivation = The motivation may have at most 2000 characters.
meeting-workshop-hint = Seats are limited. Apply for a seat, and the community chooses the participants so that together they reflect the municipalities' size, geography and role filling.
meeting-application-motivation = Why would you like to take part?
meeting-apply = Apply for a seat
meeting-application-sent = Thank you. Your application has been received.
meeting-application-pending = You have applied for a seat. You will be told when the participants are chosen.
meeting-application-chosen = You have a seat at the workshop.
meeting-application-not_chosen = Unfortunately you did not get a seat at the workshop.
meeting-applications = Applications
meeting-applications-link = Applications and the choice of participants
meeting-applications-none = There are no applications yet.
meeting-applicants = { $count ->
    [one] One applicant
   *[other] { $count } applicants
}
meeting-col-choose = Seat
meeting-col-applicant = Applicant
meeting-col-population = Population
meeting-col-region = Region
meeting-col-roles = Role gallery
meeting-col-motivation = Motivation
meeting-choose-applicant = Give { $name } a seat
meeting-roles-filled = { $filled } of { $total } mandatory roles
meeting-band-small = under 30,000
meeting-band-medium = 30,000–59,999
meeting-band-large = 60,000–99,999
meeting-band-very-large = 100,000 and more
meeting-choice-hint = The suggestion is ticked: a representative mix by population, region and role filling. Change it, and give the seats. The choice cannot be changed afterwards.
meeting-choice-made = The seats have been given, and the applicants have been told.
meeting-choice-save = Give the seats and tell the applicants
meeting-choice-done = { $chosen } got a seat. { $count } e-mails are queued in the outbox.
meeting-decision-chosen = Got a seat
meeting-decision-not_chosen = No seat
meeting-decision-pending = Waiting
meeting-mail-chosen-subject = You have a seat: { $title }
meeting-mail-chosen-body = You have a seat at { $title }. You are registered and will get the invitation.

    Link to the workshop: { $link }
meeting-mail-not-chosen-subject = No seat this time: { $title }
meeting-mail-not-chosen-body = Thank you for applying to { $title }. There were more applicants than seats, and unfortunately you did not get a seat this time.

# A meeting's material files (issue 20).
meeting-material-title = Title
meeting-material-kind = Kind
meeting-material-other = Other material
meeting-material-file = File
meeting-material-file-hint = E.g. PDF, PowerPoint or a text file. At most 10 MB.
meeting-material-upload = Add the file
meeting-file-error-file = Choose a file that is not empty.
meeting-file-error-file_name = The file name is too long (at most 200 characters).
meeting-file-error-size = The file is too large. A file may be at most 10 MB.
meeting-file-error-kind = That kind of file is not accepted. Use e.g. PDF, PNG, JPG or a text file.
