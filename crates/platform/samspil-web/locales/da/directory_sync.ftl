dirsync-title = Synkronisering af organisationsdata
dirsync-failing = { $count ->
    [one] Den seneste synkronisering fra OS2mo mislykkedes.
   *[other] De seneste { $count } synkroniseringer fra OS2mo mislykkedes.
}
dirsync-nothing-changed = Ingen brugere er ændret eller deaktiveret. samspil prøver igen automatisk.
dirsync-last-success = Seneste vellykkede synkronisering
dirsync-never = Aldrig
dirsync-last-error = Seneste fejl
dirsync-next-attempt = Næste forsøg
dirsync-next-run = Næste synkronisering
dirsync-runs = Seneste kørsler
dirsync-finished = Afsluttet
dirsync-outcome = Resultat
dirsync-ok = Gennemført
dirsync-failed = Mislykkedes
dirsync-created = Oprettet
dirsync-updated = Opdateret
dirsync-deactivated = Deaktiveret
dirsync-message = Fejlbesked
