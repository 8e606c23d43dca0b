dirsync-title = Directory synchronisation
dirsync-failing = { $count ->
    [one] The latest synchronisation from OS2mo failed.
   *[other] The latest { $count } synchronisations from OS2mo failed.
}
dirsync-nothing-changed = No users were changed or deactivated. samspil tries again automatically.
dirsync-last-success = Last successful synchronisation
dirsync-never = Never
dirsync-last-error = Last error
dirsync-next-attempt = Next attempt
dirsync-next-run = Next synchronisation
dirsync-runs = Latest runs
dirsync-finished = Finished
dirsync-outcome = Outcome
dirsync-ok = Completed
dirsync-failed = Failed
dirsync-created = Created
dirsync-updated = Updated
dirsync-deactivated = Deactivated
dirsync-message = Error message
