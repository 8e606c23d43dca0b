# Editing a task (pages_task_edit.rs, task_edit.html).
task-edit = Ret opgaven
task-edit-title = Ret »{ $title }«
task-edit-intro-draft = Opgaven er en kladde: alt kan rettes, og kommunerne ser den først, når den publiceres.
task-edit-intro-published = Opgaven er publiceret. Tekster og roller kan rettes med en begrundelse; den gemmes i opgavens historik, og de berørte i kommunerne får besked. Koden kan ikke ændres, og frist og type ændres på opgavens side.
task-edit-save = Gem rettelser
task-edit-cancel = Tilbage til opgaven
task-edit-reason = Begrundelse for rettelsen
task-edit-reason-hint = Skal udfyldes, fordi opgaven er publiceret. Kommunerne ser begrundelsen.
task-edit-code-fixed = Koden kan ikke ændres, efter opgaven er publiceret.
task-edit-roles-legend = Involverede roller
task-edit-roles-hint = Vælg rollerne fra rollekataloget. Deres indehavere får besked om ændringer i opgaven.
task-edit-roles-search = Søg i rollerne
task-edit-roles-chosen = { $count } valgt
task-edit-questions = Spørgsmål
task-edit-question-answered = Besvaret af mindst én kommune: kun teksten og »Skal besvares« kan ændres.
task-edit-question-save = Gem spørgsmålet
task-edit-none-changed = Intet er ændret.
task-field-code = Kode
task-field-title = Titel
task-field-description = Beskrivelse
task-field-business_area = Forretningsområde
task-field-executor_role = Anbefalet udførende rolle
task-field-involved_roles = Involverede roller
task-field-responsibility = Ansvar
task-field-competences = Kompetencer
task-field-characteristics = Karakteristika
task-field-question = Spørgsmål
saved-edit = Rettelserne er gemt.
task-municipalities = Kommuner
task-municipalities-all = Alle projektets kommuner
task-municipalities-chosen = Kun de kommuner, der er sat kryds ved
task-municipalities-list = Vælg kommunerne
task-municipalities-search = Søg efter en kommune
task-municipalities-ticked = { $count } valgt
task-municipalities-chosen-count = { $count ->
    [one] { $count } valgt kommune
   *[other] { $count } valgte kommuner
}
task-municipalities-hint-new = Opgaven publiceres til de valgte kommuner og tæller kun dem med i status og eksport. Vælg kun kommuner, der deltager i projektet.
task-municipalities-hint-edit = Listen viser projektets kommuner. Opgaven publiceres kun til de valgte og tæller kun dem med i status og eksport.
task-municipalities-fixed = Kommunerne kan ikke ændres, efter at opgaven er publiceret.
