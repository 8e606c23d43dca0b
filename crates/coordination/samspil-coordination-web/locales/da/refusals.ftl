# Coordination's own refusals (samspil_coordination::task::REFUSALS), shown
# at the field they concern. A test holds every key to a text here and in
# English.
rule-status-one-step = Status kan kun flyttes ét trin frem ad gangen: Ikke påbegyndt → Påbegyndt → Fuldført. Sæt opgaven til Påbegyndt først.
rule-status-back-needs-reason = Skriv en begrundelse, når status sættes tilbage. Fællesskabet ser begrundelsen.
rule-status-answers-first = Besvar opgavens { $count } obligatoriske spørgsmål, før opgaven kan sættes til Fuldført.
rule-task-change-needs-reason = Skriv, hvorfor opgaven ændres. Opgaven er publiceret, og kommunerne får begrundelsen med ændringen.
rule-role-max-holders-zero = En rolle skal kunne have mindst én indehaver. Lad feltet stå tomt, hvis der ikke er nogen grænse.
rule-role-max-holders-reached = Rollen kan højst have { $max } indehaver(e), og den har det allerede. Afslut en tildeling først.
rule-assignment-ended = Tildelingen er allerede afsluttet.
rule-role-solution-not-used = Rollen hører til en IT-løsning, som kommunen ikke bruger.
rule-role-reader = En læser kan aldrig have en rolle. Vælg en person, der er almindelig bruger eller light-bruger, eller skift personens brugertype under Brugerhåndtering (kommunens administrator).
rule-user-inactive = Personens konto er deaktiveret.
rule-role-no-access = Giv først personen adgang til rollens IT-løsning under Brugerhåndtering. En rolle uden adgang vises ikke.
rule-role-held-already = Personen har allerede rollen.
rule-audience-none = Vælg mindst én modtager.
rule-message-subject-line = Emnet skal være én linje på højst 200 tegn.
rule-question-too-many-options = Et valgspørgsmål kan højst have { $max } svarmuligheder.
rule-question-options-differ = Svarmulighederne skal være forskellige.
rule-question-two-options = Et valgspørgsmål skal have mindst to forskellige svarmuligheder, én pr. linje.
rule-question-no-options = Denne svarform har ingen svarmuligheder. Lad feltet stå tomt, eller vælg en valgmulighed som svarform.
rule-answer-one-only = »{ $prompt }« skal have ét svar.
rule-answer-not-an-option = »{ $typed }« er ikke en af svarmulighederne til »{ $prompt }«.
rule-answer-yes-or-no = Svar ja eller nej til »{ $prompt }«.
rule-answer-not-a-number = Svaret til »{ $prompt }« skal være et tal, fx 12 eller 3,5. »{ $typed }« er ikke et tal.
rule-answer-file-not-yours = Vælg en af jeres egne filer på opgaven.
rule-answer-unknown-question = Et af svarene hører ikke til et spørgsmål i opgaven. Indlæs siden igen, og prøv igen.
rule-attachment-task-state = Der kan ikke tilføjes filer til opgaven, som den står nu.
rule-not-an-email = E-mailadressen ser ikke rigtig ud. Skriv den som fx navn@kommune.dk.
rule-org-unknown = Organisationen findes ikke. Vælg en fra listen.
rule-solution-unknown = It-løsningen findes ikke. Vælg en fra listen.
rule-user-not-in-municipality = Personen hører ikke til kommunen. Vælg en fra listen.
rule-text-length = Teksten skal have mellem { $min } og { $max } tegn.
rule-role-not-in-municipality = Rollen gælder ikke for kommunen. Vælg en fra listen.
rule-role-solution-fixed = It-løsningen kan ikke ændres, når rollen er givet til nogen.
rule-role-unknown = Rollen findes ikke. Vælg en fra listen.
rule-role-name-taken = Der findes allerede en rolle med navnet »{ $name }«. Vælg et andet navn.
rule-contact-list-name-taken = Der findes allerede en kontaktliste med navnet »{ $name }«. Vælg et andet navn.
rule-project-name-taken = Der findes allerede et projekt med navnet »{ $name }«. Vælg et andet navn.
rule-org-not-municipality = Organisationen er ikke en kommune.
rule-solution-use-in-progress = Kommunen er i gang med IT-løsningens opgaver eller har indehavere af dens roller. Luk opgaverne eller afslut rollerne først.
rule-solution-not-used = Kommunen bruger ikke denne IT-løsning.
rule-solution-role-held = Personen har en rolle i IT-løsningen. Afslut rollen, før adgangen fjernes.
rule-search-too-many-words = Søg med højst { $max } ord.
rule-task-wrong-state = Det kan kun gøres, når opgaven er { $expected ->
        [draft] en kladde
        [published] publiceret
       *[closed] lukket
    }. Den er { $state ->
        [draft] en kladde
        [published] publiceret
       *[closed] lukket
    }.
rule-role-not-in-catalogue = »{ $name }« er ikke en rolle i rollekataloget. Vælg en rolle fra kataloget.
rule-project-unknown = Projektet findes ikke. Vælg et fra listen.
rule-org-not-participant = Kommunen deltager ikke i opgaven.
rule-assignee-unknown = Vælg en rolle eller en person fra listen.
rule-audience-unknown = Vælg hvem beskeden skal til, og vælg mindst én modtager.
rule-task-edit-closed = Opgaven er lukket og kan ikke længere rettes.
rule-task-edit-draft-only = Kan kun ændres, mens opgaven er en kladde. Opgaven er publiceret til kommunerne.
rule-question-edit-answered = Spørgsmålet er allerede besvaret af en kommune. Kun teksten og om det skal besvares kan ændres, ikke svarformen eller svarmulighederne.
rule-question-unknown = Opgaven har ikke det spørgsmål.
rule-task-municipalities-none = Vælg mindst én kommune, eller vælg, at opgaven går til alle projektets kommuner.
rule-task-municipality-not-in-project = { $name } deltager ikke i opgavens projekt. Vælg blandt projektets kommuner.
