# Aftaler og frister (aktivitetsindekset) ved fjernelse ved systemskift.
removal-appointments = Og { $appointments } aftaler og frister.
removal-appointments-what = { $appointments } aftaler og frister slettes med hele deres historik.
