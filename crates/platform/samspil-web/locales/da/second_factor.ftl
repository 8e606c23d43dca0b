# The second factor (TOTP) of local accounts: the code step of the login,
# enrolment, and the account page.

totp-code-title = Kode fra godkendelses-app
totp-code-heading = Indtast koden fra din godkendelses-app
totp-code-intro = Din adgangskode er godkendt. Åbn godkendelses-appen på din telefon, og indtast den 6-cifrede kode, den viser for samspil.
totp-code-label = Kode
totp-code-hint = 6 cifre, fx 123456
totp-continue = Fortsæt
totp-start-over = Log ind forfra
totp-enrol-title = Opsæt godkendelses-app
totp-enrol-heading = Opsæt login med godkendelses-app
totp-enrol-intro = Som medarbejder i fællesskabet logger du ind med både adgangskode og en kode fra en godkendelses-app. Opsæt appen nu; det tager et minut.
totp-enrol-submit = Gem og log ind
totp-setup-step-app = Installér en godkendelses-app på din telefon, fx Microsoft Authenticator, Google Authenticator eller FreeOTP.
totp-setup-step-scan = Tilføj en konto i appen, og scan QR-koden.
totp-setup-qr-label = QR-kode til godkendelses-appen
totp-setup-secret-intro = Kan du ikke scanne? Indtast denne nøgle i appen:
totp-setup-step-code = Indtast den 6-cifrede kode, som appen nu viser.
totp-error-wrong = Koden er forkert. Tjek, at du bruger koden for samspil, og at telefonens ur går rigtigt.
totp-error-used = Koden er allerede brugt. Vent på den næste kode i appen.
totp-error-malformed = Skriv koden som 6 cifre.
totp-error-expired = Tiden til at indtaste koden er udløbet. Log ind igen.
totp-error-enrolled-already = Du har allerede en godkendelses-app tilknyttet.

nav-account-security = Sikkerhed
account-security-title = Sikkerhed
account-security-intro = Her vælger du, om dit login med adgangskode også skal kræve en kode fra en godkendelses-app.
account-security-totp-heading = Kode fra godkendelses-app
account-security-not-local = Du logger ind via din kommunes login, som står for sikkerheden. Her er intet at indstille.
account-security-enrolled = Dit login kræver en kode fra din godkendelses-app.
account-security-required = Som medarbejder i fællesskabet skal du altid logge ind med en kode fra din godkendelses-app, så den kan ikke fjernes. Har du mistet telefonen, så kontakt driften.
account-security-not-enrolled = Dit login kræver kun adgangskode. Tilføj en godkendelses-app for at gøre det sikrere.
account-security-enrol = Tilføj godkendelses-app
account-security-remove-heading = Fjern godkendelses-app
account-security-remove-intro = Indtast en kode fra appen for at bekræfte. Derefter kræver dit login kun adgangskode.
account-security-remove = Fjern godkendelses-app
account-security-done-enrolled = Godkendelses-appen er tilføjet. Næste gang du logger ind, beder samspil om en kode.
account-security-done-removed = Godkendelses-appen er fjernet.
