nav-projects = Projekter
task-local-mark = Lokal
home-assignee = Givet til
home-all-tasks = Alle opgaver
home-lead = { $open ->
    [0] I har ingen åbne opgaver.
    [one] I har 1 åben opgave
   *[other] I har { $open } åbne opgaver
}{ $open ->
    [0] {""}
   *[other] : { $critical } på kritisk vej, { $overdue } med overskredet frist.
}
home-overdue-title = Overskredne frister
home-mine-title = Givet til dig eller dine roller
home-mine-none = Ingen åbne opgaver er givet til dig eller dine roller.
home-mine-all = Se alle { $count } opgaver givet til dig
home-upcoming-title = De næste frister
home-upcoming-none = Ingen åbne opgaver har en kommende frist.
home-open-title = Jeres åbne opgaver
home-open-none = Alle jeres opgaver er fuldført.
home-open-all = Se alle { $count } åbne opgaver
home-messages-title = Ulæste beskeder
home-messages-none = Du har ingen ulæste beskeder.
home-messages-all = Til indbakken ({ $count } ulæste)
home-staff-lead = { $published } opgaver er publiceret til kommunerne, og { $drafts } er kladder.
home-near-title = Tæt på fristen med lav fuldførelse
home-near-hint = Publicerede opgaver med frist inden for { $days } dage, som under halvdelen af kommunerne har fuldført.
home-near-none = Ingen opgaver er tæt på fristen med lav fuldførelse.
home-changes-title = Seneste statusændringer
home-changes-none = Ingen kommuner har ændret status endnu.
home-gaps-title = Obligatoriske roller uden indehaver
home-gaps-lead = { $count ->
    [one] 1 obligatorisk rolle mangler en indehaver i mindst én kommune.
   *[other] { $count } obligatoriske roller mangler en indehaver i mindst én kommune.
}
home-gaps-municipalities = { $count ->
    [one] 1 kommune
   *[other] { $count } kommuner
}
home-gaps-link = Se alle huller i rollegalleriet
home-gaps-none = Alle obligatoriske roller har en indehaver i alle kommuner.
inbox-filter-kind = Vis
inbox-filter-all = Alle slags
inbox-filter-show = Vis
inbox-mark-one-read = Markér som læst
inbox-pages = Sider i indbakken
inbox-empty-kind = Der er ingen af den slags i din indbakke.
projects-intro = Fællesskabets it-projekter med deres opgaver, deltagende kommuner, fremdrift og roller i rollegalleriet.
projects-name = Projekt
projects-participants = Deltagende kommuner
projects-published-tasks = Publicerede opgaver
projects-not-done = Kommuner med opgaver tilbage
projects-done-share = Kommuner i mål
projects-none = Der er ingen projekter endnu.
projects-back = Alle projekter
project-progress = { $participants } kommuner deltager. { $tasks } opgaver er publiceret, og { $not_done } kommuner har stadig mindst én af dem tilbage.
project-you-take-part = Jeres kommune deltager i projektet.
project-you-do-not-take-part = Jeres kommune deltager ikke i projektet.
project-tasks = Opgaver
project-tasks-caption = Opgaverne i { $name }
project-tasks-none = Projektet har ingen opgaver, I kan se.
project-areas = Fagområder
project-area-line = { $tasks } opgaver, { $not_done } kommuner har opgaver tilbage
project-roles = Roller i rollegalleriet
project-role-mandatory = Obligatorisk
project-roles-link = Til rollegalleriet
project-roles-none = It-løsningen har ingen roller i rollegalleriet.
project-participants = Deltagende kommuner ({ $count })
project-participants-show = Vis kommunerne
project-participants-none = Ingen kommuner deltager endnu.
task-closed-no-status = Opgaven er lukket, så status kan ikke ændres mere.
