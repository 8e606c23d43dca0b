nav-messages = Beskeder
nav-inbox = Indbakke
messages-intro = Skriv nyheder, vigtig information og driftsmeddelelser (nedbrud og rettelser) til alle, et projekts deltagere, indehaverne af udvalgte roller eller udvalgte kommuner. Beskeden lander i modtagernes indbakke i samspil og sendes som e-mail.
messages-compose = Ny besked
messages-category = Slags
messages-category-news = Nyhed
messages-category-important = Vigtig information
messages-category-operational = Driftsmeddelelse
messages-subject = Emne
messages-body = Tekst
messages-audience = Modtagere
messages-audience-everyone = Alle
messages-audience-project = Deltagerne i et projekt
messages-audience-roles = Indehaverne af udvalgte roller
messages-audience-municipalities = Udvalgte kommuner
messages-audience-project-label = Projekt (ved "Deltagerne i et projekt")
messages-audience-roles-label = Roller (ved "Indehaverne af udvalgte roller")
messages-audience-municipalities-label = Kommuner (ved "Udvalgte kommuner")
messages-multiple-hint = Hold Ctrl (eller Cmd) nede for at vælge flere.
messages-preview = Vis antal modtagere
messages-send = Send besked
messages-preview-heading = Antal modtagere
messages-preview-count = { $people ->
    [one] én person får beskeden i sin indbakke
   *[other] { $people } personer får beskeden i deres indbakke
}, { $email } af dem straks som e-mail.
messages-sent = Beskeden er sendt. Den ligger i modtagernes indbakke, og e-mails er sat i kø.
messages-sent-heading = Sendte beskeder
messages-sent-at = Sendt
messages-recipients = Modtagere
messages-emails-sent = E-mails leveret
messages-emails-queued = I kø
messages-emails-failed = Fejlet
messages-read = Læst
messages-none = Der er ikke sendt nogen beskeder endnu.
messages-error-audience = Vælg modtagerne: et projekt, mindst én rolle eller mindst én kommune.
messages-error-subject = Skriv et emne på én linje (højst 200 tegn).
messages-error-body = Skriv en tekst (højst 20.000 tegn).
messages-error-category = Vælg beskedens slags.
inbox-unread = { $count ->
    [0] Du har ingen ulæste beskeder.
    [one] Du har én ulæst besked.
   *[other] Du har { $count } ulæste beskeder.
}
inbox-settings = Vælg hvilke notifikationer du får, og hvor ofte
inbox-mark-read = Markér alle som læst
inbox-new = Ny
inbox-empty = Din indbakke er tom.
inbox-kind-message = Besked fra fællesskabet
inbox-kind-task_published = Ny opgave
inbox-kind-task_changed = Ændret opgave
inbox-kind-task_assigned = Opgave givet til dig
inbox-kind-role_created = Ny rolle i rollegalleriet
inbox-kind-task_reminder = Påmindelse om frist
settings-title = Notifikationer
settings-intro = Vælg for hver slags, om du vil have en e-mail med det samme, et dagligt eller ugentligt overblik, eller slet ingen. Beskeder fra fællesskabet ligger altid i din indbakke.
settings-saved = Dine valg er gemt.
settings-save = Gem valg
settings-back = Tilbage til indbakken
settings-no-notifications = Som letbruger eller læser får du ingen notifikationer og ingen e-mails; beskeder fra fællesskabet ligger i din indbakke.
settings-no-email = Der er ingen e-mailadresse på dig i organisationssystemet, så du får kun notifikationer i indbakken.
frequency-immediately = Med det samme
frequency-daily = Dagligt overblik
frequency-weekly = Ugentligt overblik
frequency-off = Fra
delivery-log-title = Leveringslog
delivery-log-intro = De e-mails samspil har sendt til kommunens personer: hvornår, hvor mange forsøg, og hvilke der fejlede. En adresse, der afvises permanent, vises som hul i rollegalleriet.
delivery-log-empty = Der er ingen e-mails til kommunen endnu.
delivery-recipient = Modtager
delivery-state = Status
delivery-attempts = Forsøg
delivery-queued-at = Sat i kø
delivery-sent-at = Leveret
delivery-state-queued = I kø
delivery-state-sending = Sendes
delivery-state-sent = Leveret
delivery-state-failed = Fejlet
