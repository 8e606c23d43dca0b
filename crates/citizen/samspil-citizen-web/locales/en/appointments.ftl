# Appointments and deadlines (the activity index) in the removal on system change.
removal-appointments = And { $appointments } appointments and deadlines.
removal-appointments-what = { $appointments } appointments and deadlines are deleted with their whole history.
