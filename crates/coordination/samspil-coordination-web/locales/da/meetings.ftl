# Programledermøder og workshops (issue 20).
rule-meeting-required = Udfyld feltet.
rule-meeting-too-long = Teksten må højst være { $name } tegn.
rule-meeting-control-character = Teksten indeholder et tegn, der ikke kan bruges.
rule-meeting-bad-time = Mødet skal slutte efter, at det begynder, og højst vare { $name } timer.
rule-meeting-bad-link = Linket skal være en https-adresse.
rule-meeting-item-reversed = Punkt { $name } på dagsordenen skal slutte efter, at det begynder.
rule-meeting-item-outside = Punkt { $name } på dagsordenen ligger uden for mødets tidsrum.
rule-meeting-items-overlap = Punkt { $name } på dagsordenen begynder, før det forrige punkt slutter.
rule-meeting-service-messages-twice = Servicemeddelelser kan kun stå én gang på dagsordenen.
rule-meeting-registration-closed = Tilmeldingen lukkede, da mødet begyndte.
rule-meeting-already-registered = Du er allerede tilmeldt.
rule-meeting-not-registered = Du er ikke tilmeldt.
rule-meeting-full = Alle { $name } pladser er optaget.
rule-meeting-no-questions = En evaluering skal have mindst ét spørgsmål.
rule-meeting-duplicate-question = Spørgsmålet { $name } står flere gange.
rule-meeting-bad-question = Spørgsmålet { $name } er ikke udformet rigtigt.
rule-meeting-unknown-question = { $name } hører ikke til evalueringen.
rule-meeting-missing-answer = Besvar spørgsmålet: { $name }
rule-meeting-bad-answer = Svaret passer ikke til spørgsmålet: { $name }
rule-meeting-bad-seats = Antallet af pladser skal være fra 1 til { $name }.
rule-meeting-unknown-applicant = Ansøgning { $name } hører ikke til workshoppen.
rule-meeting-chosen-twice = Ansøgning { $name } er valgt to gange.
rule-meeting-too-many-chosen = Der er valgt flere end de { $name } pladser.
rule-meeting-bad-calendar-value = { $name } kan ikke bruges i en kalenderinvitation.
rule-meeting-not-a-person = Kun en person med egen bruger kan tilmelde sig.
rule-meeting-not-started = Fremmødet kan først registreres, når mødet er begyndt.
rule-meeting-not-ended = Optagelse og præsentation sendes, når mødet er slut.
rule-meeting-no-follow-up = Mødet har hverken en optagelse eller en præsentation at sende.
rule-meeting-bad-attendance-line = Linje { $name } skal begynde med kommunens tre cifre og et semikolon, fx 751;navn@aarhus.dk, eller kun et semikolon for en deltager uden kommune.
rule-meeting-bad-clock = { $name } er ikke et klokkeslæt. Skriv fx 10.00.
rule-meeting-bad-agenda-line = Linje { $name } på dagsordenen skal begynde med tidsrummet, fx 10.05-10.25 Kædeansvaret | Finn Graversen.
meeting-error-date = Skriv mødets dato som dd.mm.åååå.
meeting-error-title = Mødet skal have en titel på højst 200 tegn.
meeting-error-link = Skriv mødets link som en https-adresse.
meeting-error-seats = Skriv antallet af pladser som et tal.
meeting-error-starts = Skriv, hvornår mødet begynder, fx 10.00.
meeting-error-ends = Skriv, hvornår mødet slutter, fx 12.00.
meeting-title = Møder
meeting-intro = Programledermøderne og workshops for kommunernes KOMBIT-programledere: dagsorden, tilmelding, materialer og fremmøde.
meeting-new = Opret møde
meeting-edit = Redigér mødet
meeting-coming = Kommende møder
meeting-past = Afholdte møder
meeting-none-coming = Der er ingen kommende møder.
meeting-none-past = Der er ingen afholdte møder.
meeting-col-title = Møde
meeting-col-when = Tidspunkt
meeting-col-registered = Tilmeldte
meeting-kind-meeting = Møde
meeting-kind-workshop = Workshop
meeting-registered-of = { $count } af { $seats } pladser
meeting-link = Link til mødet
meeting-seats = Pladser
meeting-registration = Tilmelding
meeting-you-are-registered = Du er tilmeldt.
meeting-cancel = Afmeld mig
meeting-register = Tilmeld mig
meeting-full-now = Alle pladser er optaget.
meeting-registration-over = Tilmeldingen er lukket.
meeting-agenda = Dagsorden
meeting-col-slot = Tid
meeting-col-item = Punkt
meeting-col-presenter = Oplægsholder
meeting-service-messages-hint = månedens driftsmeddelelser og hændelser
meeting-no-agenda = Dagsordenen er ikke lagt endnu.
meeting-materials = Materialer
meeting-no-materials = Der er ingen materialer endnu.
meeting-material-recording = Optagelse
meeting-material-slides = Præsentation
meeting-attendance = Fremmøde
meeting-attendance-summary = { $municipalities } kommuner ({ $participants } deltagere)
meeting-absent = { $count ->
    [one] Én kommune deltog ikke
   *[other] { $count } kommuner deltog ikke
}
meeting-attendance-none = Fremmødet er ikke registreret.
meeting-staff = Fællesskabets værktøjer
meeting-registrations = { $count ->
    [one] Én tilmeldt
   *[other] { $count } tilmeldte
}
meeting-invite-roles = Invitér også disse roller
meeting-invite-hint = Alle KOMBIT-programledere inviteres altid. Invitationen sendes som kalenderinvitation.
meeting-invite = Send invitation
meeting-invite-again = Send opdateret invitation
meeting-invitations-queued = { $count } invitationer er lagt i udbakken.
meeting-attendance-list = Deltagerliste
meeting-attendance-hint = Én deltager pr. linje: kommunekode, semikolon og navn eller e-mail, fx 751;navn@aarhus.dk. Uden kommune: ;navn.
meeting-attendance-save = Gem fremmødet
meeting-follow-up = Send optagelse og præsentation
meeting-follow-up-hint = Optagelsen og præsentationen sendes til alle KOMBIT-programledere i samspil, også dem, der ikke deltog.
meeting-follow-up-queued = { $count } e-mails med materialerne er lagt i udbakken.
meeting-field-title = Titel
meeting-field-kind = Type
meeting-field-date = Dato
meeting-field-date-hint = dd.mm.åååå
meeting-field-starts = Begynder kl.
meeting-field-ends = Slutter kl.
meeting-field-clock-hint = tt.mm, dansk tid
meeting-field-link = Link til mødet
meeting-field-link-hint = En https-adresse
meeting-field-seats = Pladser
meeting-field-seats-hint = Tomt: ingen grænse. En workshop skal have et antal pladser.
meeting-field-description = Beskrivelse
meeting-field-agenda-hint = Ét punkt pr. linje: tidsrum, titel og eventuelt | oplægsholder, fx 10.05-10.25 Kædeansvaret | Finn Graversen. Et punkt med titlen Servicemeddelelser samler månedens driftsmeddelelser.
meeting-save = Gem mødet
meeting-mail-invitation-subject = Invitation: { $title }
meeting-mail-invitation-body = Du inviteres til { $title }, { $when }.

    Link til mødet: { $link }

    Kalenderinvitationen er vedhæftet. Tilmeld dig i samspil under Møder.
meeting-mail-follow-up-subject = Optagelse og præsentation: { $title }
meeting-mail-follow-up-body = Tak for deltagelsen i { $title }. Her er optagelsen og præsentationen:

# The Servicemeddelelser item's contents (issues 19 and 20).
meeting-service-news = Servicemeddelelser fra { $from } til { $to }
meeting-service-news-messages = Driftsmeddelelser
meeting-service-news-no-messages = Der er ikke sendt driftsmeddelelser i perioden.
meeting-service-news-incidents = Hændelser i kædeansvaret
meeting-service-news-no-incidents = Der er ikke oprettet hændelser i perioden.
meeting-service-news-resolved = løst
meeting-service-news-open = under behandling

# The evaluation and the input to the next meeting (issue 20).
rule-meeting-no-survey = Mødet har ingen evaluering.
rule-meeting-survey-not-open = Evalueringen åbner, når mødet begynder.
rule-meeting-already-answered = Du har allerede besvaret evalueringen.
rule-meeting-survey-answered = Spørgsmålene kan ikke ændres, når evalueringen har fået svar.
rule-meeting-input-closed = Input sendes, før mødet begynder.
rule-meeting-bad-survey-line = Linje { $name } skal have spørgsmålet, en lodret streg og typen, fx Hvor tilfreds er du med mødet?* | skala 1-5.
meeting-error-text = Skriv dit input med højst 5000 tegn.
meeting-evaluation = Evaluering
meeting-evaluation-link = Besvar evalueringen af mødet
meeting-evaluation-staff-link = Evalueringens spørgsmål og resultater
meeting-evaluation-none = Mødet har ingen evaluering endnu.
meeting-evaluation-thanks = Tak for dit svar på evalueringen.
meeting-evaluation-not-open = Evalueringen åbner, når mødet begynder.
meeting-evaluation-optional = valgfrit
meeting-evaluation-send = Send svar
meeting-evaluation-results = { $count ->
    [one] Resultater (ét svar)
   *[other] Resultater ({ $count } svar)
}
meeting-evaluation-answered = { $count ->
    [one] Ét svar
   *[other] { $count } svar
}
meeting-evaluation-mean = gennemsnit { $mean }
meeting-evaluation-col-value = Værdi
meeting-evaluation-col-option = Svarmulighed
meeting-evaluation-col-count = Antal
meeting-evaluation-no-results = Evalueringen har ingen spørgsmål endnu.
meeting-evaluation-questions = Spørgsmål
meeting-evaluation-questions-hint = Ét spørgsmål pr. linje: teksten, en lodret streg og typen: skala 1-5, valg: A; B (ét svar), flere: A; B (flere svar) eller tekst. En * efter teksten gør spørgsmålet obligatorisk, fx Hvor tilfreds er du med mødet?* | skala 1-5.
meeting-evaluation-fixed = Spørgsmålene kan ikke ændres, fordi evalueringen har fået svar.
meeting-evaluation-save = Gem spørgsmålene
meeting-input = Send os input til mødet
meeting-input-label = Dit input
meeting-input-hint = Emner, spørgsmål eller ønsker til dagsordenen. Fællesskabet læser det, før mødet holdes.
meeting-input-send = Send input
meeting-input-sent = Tak. Dit input er sendt.
meeting-input-next = Send os input til næste møde
meeting-inputs = { $count ->
    [one] Ét input til mødet
   *[other] { $count } input til mødet
}
meeting-inputs-none = Der er ikke sendt input til mødet.

# A meeting cancelled (issue 20).
rule-meeting-cancelled = Mødet er aflyst.
rule-meeting-started = Et møde aflyses, før det begynder.
meeting-cancelled = Mødet er aflyst.
meeting-cancelled-short = aflyst
meeting-cancel-meeting = Aflys mødet
meeting-cancel-hint = Alle, der har fået invitationen eller er tilmeldt, får en aflysning, der fjerner mødet fra deres kalender.
meeting-cancel-queued = Mødet er aflyst. { $count } aflysninger er lagt i udbakken.
meeting-mail-cancel-subject = Aflyst: { $title }
meeting-mail-cancel-body = { $title }, { $when }, er aflyst.

    Aflysningen er vedhæftet som kalenderinvitation, så mødet forsvinder fra din kalender.

# Workshops with limited seats (issue 20).
rule-meeting-not-a-workshop = Kun en workshop tager imod ansøgninger.
rule-meeting-already-applied = Du har allerede søgt en plads.
rule-meeting-workshop-decided = Pladserne på workshoppen er givet.
meeting-error-motivation = Begrundelsen må højst være 2000 tegn.
meeting-workshop-hint = Pladserne er begrænsede. Søg en plads, så vælger fællesskabet deltagerne, så de samlet afspejler kommunernes størrelse, geografi og rolleudfyldelse.
meeting-application-motivation = Hvorfor vil du gerne deltage?
meeting-apply = Søg en plads
meeting-application-sent = Tak. Din ansøgning er modtaget.
meeting-application-pending = Du har søgt en plads. Du får besked, når deltagerne er valgt.
meeting-application-chosen = Du har fået en plads på workshoppen.
meeting-application-not_chosen = Du fik desværre ikke en plads på workshoppen.
meeting-applications = Ansøgninger
meeting-applications-link = Ansøgninger og valg af deltagere
meeting-applications-none = Der er ingen ansøgninger endnu.
meeting-applicants = { $count ->
    [one] Én ansøger
   *[other] { $count } ansøgere
}
meeting-col-choose = Plads
meeting-col-applicant = Ansøger
meeting-col-population = Indbyggere
meeting-col-region = Region
meeting-col-roles = Rollegalleri
meeting-col-motivation = Begrundelse
meeting-choose-applicant = Giv { $name } en plads
meeting-roles-filled = { $filled } af { $total } obligatoriske roller
meeting-band-small = under 30.000
meeting-band-medium = 30.000–59.999
meeting-band-large = 60.000–99.999
meeting-band-very-large = 100.000 og flere
meeting-choice-hint = Forslaget er sat kryds ved: en repræsentativ sammensætning efter indbyggertal, region og rolleudfyldelse. Ret det, og giv pladserne. Valget kan ikke ændres bagefter.
meeting-choice-made = Pladserne er givet, og ansøgerne har fået besked.
meeting-choice-save = Giv pladserne og send besked
meeting-choice-done = { $chosen } har fået en plads. { $count } e-mails er lagt i udbakken.
meeting-decision-chosen = Fik plads
meeting-decision-not_chosen = Fik ikke plads
meeting-decision-pending = Afventer
meeting-mail-chosen-subject = Du har fået en plads: { $title }
meeting-mail-chosen-body = Du har fået en plads på { $title }. Du er tilmeldt og får invitationen.

    Link til workshoppen: { $link }
meeting-mail-not-chosen-subject = Ingen plads denne gang: { $title }
meeting-mail-not-chosen-body = Tak for din ansøgning til { $title }. Der var flere ansøgere end pladser, og du fik desværre ikke en plads denne gang.

# A meeting's material files (issue 20).
meeting-material-title = Titel
meeting-material-kind = Slags
meeting-material-other = Andet materiale
meeting-material-file = Fil
meeting-material-file-hint = Fx PDF, PowerPoint eller en tekstfil. Højst 10 MB.
meeting-material-upload = Tilføj filen
meeting-file-error-file = Vælg en fil, der ikke er tom.
meeting-file-error-file_name = Filnavnet er for langt (højst 200 tegn).
meeting-file-error-size = Filen er for stor. En fil må højst fylde 10 MB.
meeting-file-error-kind = Den filtype modtages ikke. Brug fx PDF, PNG, JPG eller en tekstfil.
