# Aftaler og frister (aktivitetsindekset) ved fjernelse ved systemskift.
removal-appointments = Desuden { $appointments } aftaler og frister.
removal-appointments-what = Desuden slettes { $appointments } aftaler og frister med hele deres historik.
