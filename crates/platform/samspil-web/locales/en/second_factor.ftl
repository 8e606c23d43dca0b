# The second factor (TOTP) of local accounts: the code step of the login,
# enrolment, and the account page.

totp-code-title = Authenticator app code
totp-code-heading = Enter the code from your authenticator app
totp-code-intro = Your password is correct. Open the authenticator app on your phone and enter the 6-digit code it shows for samspil.
totp-code-label = Code
totp-code-hint = 6 digits, e.g. 123456
totp-continue = Continue
totp-start-over = Start the login again
totp-enrol-title = Set up an authenticator app
totp-enrol-heading = Set up login with an authenticator app
totp-enrol-intro = As community staff you log in with both your password and a code from an authenticator app. Set the app up now; it takes a minute.
totp-enrol-submit = Save and log in
totp-setup-step-app = Install an authenticator app on your phone, e.g. Microsoft Authenticator, Google Authenticator or FreeOTP.
totp-setup-step-scan = Add an account in the app and scan the QR code.
totp-setup-qr-label = QR code for the authenticator app
totp-setup-secret-intro = Cannot scan? Enter this key in the app:
totp-setup-step-code = Enter the 6-digit code the app now shows.
totp-error-wrong = The code is wrong. Check that you use the code for samspil and that your phone's clock is right.
totp-error-used = That code has been used already. Wait for the next code in the app.
totp-error-malformed = Enter the code as 6 digits.
totp-error-expired = The time to enter the code has run out. Please log in again.
totp-error-enrolled-already = You have an authenticator app already.

nav-account-security = Security
account-security-title = Security
account-security-intro = Here you choose whether your password login also asks for a code from an authenticator app.
account-security-totp-heading = Authenticator app code
account-security-not-local = You log in through your municipality's login, which takes care of security. There is nothing to set here.
account-security-enrolled = Your login asks for a code from your authenticator app.
account-security-required = As community staff you always log in with a code from your authenticator app, so it cannot be removed. If you have lost your phone, contact operations.
account-security-not-enrolled = Your login asks only for your password. Add an authenticator app to make it safer.
account-security-enrol = Add authenticator app
account-security-remove-heading = Remove authenticator app
account-security-remove-intro = Enter a code from the app to confirm. After that your login asks only for your password.
account-security-remove = Remove authenticator app
account-security-done-enrolled = The authenticator app has been added. Next time you log in, samspil asks for a code.
account-security-done-removed = The authenticator app has been removed.
