nav-messages = Messages
nav-inbox = Inbox
messages-intro = Write news, important information and operational notices (incidents and fixes) to everyone, a project's participants, the holders of chosen roles or chosen municipalities. The message lands in the recipients' inbox in samspil and is sent by e-mail.
messages-compose = New message
messages-category = Kind
messages-category-news = News
messages-category-important = Important information
messages-category-operational = Operational notice
messages-subject = Subject
messages-body = Text
messages-audience = Recipients
messages-audience-everyone = Everyone
messages-audience-project = A project's participants
messages-audience-roles = The holders of chosen roles
messages-audience-municipalities = Chosen municipalities
messages-audience-project-label = Project (for "A project's participants")
messages-audience-roles-label = Roles (for "The holders of chosen roles")
messages-audience-municipalities-label = Municipalities (for "Chosen municipalities")
messages-multiple-hint = Hold Ctrl (or Cmd) to choose several.
messages-preview = Show the number of recipients
messages-send = Send message
messages-preview-heading = Number of recipients
messages-preview-count = { $people ->
    [one] one person gets the message in their inbox
   *[other] { $people } people get the message in their inbox
}, { $email } of them by e-mail at once.
messages-sent = The message is sent. It is in the recipients' inbox, and its e-mails are queued.
messages-sent-heading = Sent messages
messages-sent-at = Sent
messages-recipients = Recipients
messages-emails-sent = E-mails delivered
messages-emails-queued = Queued
messages-emails-failed = Failed
messages-read = Read
messages-none = No messages have been sent yet.
messages-error-audience = Choose the recipients: a project, at least one role or at least one municipality.
messages-error-subject = Write a subject on one line (at most 200 characters).
messages-error-body = Write a text (at most 20,000 characters).
messages-error-category = Choose the kind of message.
inbox-unread = { $count ->
    [0] You have no unread messages.
    [one] You have one unread message.
   *[other] You have { $count } unread messages.
}
inbox-settings = Choose which notifications you get, and how often
inbox-mark-read = Mark all as read
inbox-new = New
inbox-empty = Your inbox is empty.
inbox-kind-message = Message from the community
inbox-kind-task_published = New task
inbox-kind-task_changed = Changed task
inbox-kind-task_assigned = Task given to you
inbox-kind-role_created = New role in the role gallery
inbox-kind-task_reminder = Deadline reminder
settings-title = Notifications
settings-intro = For each kind, choose an e-mail at once, a daily or weekly digest, or none at all. Messages from the community are always in your inbox.
settings-saved = Your choices are saved.
settings-save = Save choices
settings-back = Back to the inbox
settings-no-notifications = As a light user or reader you get no notifications and no e-mail; messages from the community are in your inbox.
settings-no-email = The organisation directory has no e-mail address for you, so you get notifications in the inbox only.
frequency-immediately = At once
frequency-daily = Daily digest
frequency-weekly = Weekly digest
frequency-off = Off
delivery-log-title = Delivery log
delivery-log-intro = The e-mails samspil sent to the municipality's people: when, how many attempts, and which failed. An address that is refused permanently shows as a gap in the role gallery.
delivery-log-empty = There are no e-mails to the municipality yet.
delivery-recipient = Recipient
delivery-state = State
delivery-attempts = Attempts
delivery-queued-at = Queued
delivery-sent-at = Delivered
delivery-state-queued = Queued
delivery-state-sending = Sending
delivery-state-sent = Delivered
delivery-state-failed = Failed
