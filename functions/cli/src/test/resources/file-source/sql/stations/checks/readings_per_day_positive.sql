select * from {{gold}}.readings_per_day where readings <= 0
