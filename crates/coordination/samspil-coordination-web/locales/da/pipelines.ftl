# Onboarding pipelines (issue 20).
pipeline-title = Onboardingforløb
pipeline-breadcrumbs = Onboardingforløb
pipeline-intro-staff = Kommunerne tages i brug område for område gennem en række opgaver. Her ses, hvor mange kommuner der endnu ikke har fuldført alle opgaver på hvert fagområde.
pipeline-intro-municipality = Kommunens fagområder i onboardingforløbene, og hvilke opgaver der kan arbejdes på nu.
pipeline-none = Der er endnu ingen onboardingforløb.
pipeline-none-municipality = Kommunen deltager endnu ikke i et onboardingforløb.
pipeline-gap = { $count ->
    [one] 1 kommune mangler fortsat at fuldføre alle opgaver på fagområdet { $area }
   *[other] { $count } kommuner mangler fortsat at fuldføre alle opgaver på fagområdet { $area }
}
pipeline-gap-none = Alle kommuner har fuldført alle opgaver på fagområdet { $area }.
pipeline-col-area = Fagområde
pipeline-col-project = Projekt
pipeline-col-steps = Opgaver
pipeline-col-done = Fuldført
pipeline-col-not-done = Mangler
pipeline-col-step = Kode
pipeline-col-title = Opgave
pipeline-col-actor = Udføres af
pipeline-col-after = Efter
pipeline-col-state = Tilstand
pipeline-col-open = Næste
pipeline-col-stop = Stop for nye fordringer fra
pipeline-col-close = Lukkedato
pipeline-col-system = Fagsystem
pipeline-col-from = Fra
pipeline-col-to = Til
pipeline-col-municipality = Kommune
pipeline-col-claim-code = Fordringstype
pipeline-col-claim-name = Navn
pipeline-claims-title = Valgte fordringstyper
pipeline-steps-heading = Opgaverne
pipeline-not-done-heading = Kommuner der ikke er færdige ({ $count })
pipeline-done-heading = Kommuner der er færdige ({ $count })
pipeline-your-state = Kommunens tilstand
pipeline-open = kan påbegyndes nu
pipeline-stop = stop for nye fordringer fra { $from }, lukkedato { $close }
pipeline-supplementary = { $count ->
    [0] Ingen supplerende indberetningsperiode.
    [one] Supplerende indberetningsperiode: 1 måned.
   *[other] Supplerende indberetningsperiode: { $count } måneder.
}
pipeline-areas-title = Fagområder for { $name }
pipeline-state-not_started = Ikke påbegyndt
pipeline-state-started = Påbegyndt
pipeline-state-done = Fuldført
pipeline-state-closed = Lukket
pipeline-actor-municipality = Kommunen
pipeline-actor-vendor = Debitorleverandøren
pipeline-actor-agency = Gældsstyrelsen
pipeline-actor-community = Fællesskabet
pipeline-timeline-title = Tidslinje for fagområderne
pipeline-timeline-intro = Mulighedsrummet: hvornår hvert fagområde kan tages i brug på hvert fagsystem.
pipeline-timeline-none = Der er endnu ingen tidslinje.
rule-pipeline-gate-closed = Opgaven kan først påbegyndes, når { $name } er fuldført.
rule-pipeline-dependents-started = Opgaven kan ikke sættes tilbage, fordi { $name } bygger på den og allerede er påbegyndt.
rule-pipeline-missing-area = Vælg forløbets fagområde.
rule-pipeline-no-steps = Et forløb skal have mindst én opgave.
rule-pipeline-bad-step-key = Koden { $name } kan ikke bruges: brug højst 40 bogstaver a–z, tal, punktum, bindestreg eller understreg.
rule-pipeline-missing-title = Opgaven { $name } skal have en titel.
rule-pipeline-duplicate-step = Koden { $name } står flere gange i forløbet.
rule-pipeline-unknown-dependency = Forløbet har ingen opgave med koden { $name }.
rule-pipeline-self-dependency = Opgaven { $name } kan ikke vente på sig selv.
rule-pipeline-cycle = Opgaverne { $name } venter på hinanden i ring.
rule-pipeline-unknown-step = Forløbet har ingen opgave med koden { $name }.
rule-pipeline-claim-type = Fordringstypen { $name } findes ikke i fagområdets katalog eller står der flere gange.
rule-pipeline-window-reversed = En periode for { $name } slutter, før den begynder.
rule-pipeline-windows-overlap = To perioder for { $name } overlapper hinanden.
rule-pipeline-supplementary-period = Den supplerende indberetningsperiode er 0 til { $max } måneder.
rule-pipeline-task-not-in-project = Opgaven til { $name } skal være en publiceret opgave i projektet og ikke allerede høre til et forløb.
rule-pipeline-area-taken = Projektet har allerede et forløb for fagområdet { $name }.
