-- Readings above their station's limit of the same day: needs both files of a day.
create or replace table {{gold}}.readings_over_limit as
select r._file_key as day, r.station, r.reading, l.max_reading
from {{silver}}.station_readings as r
join {{silver}}.station_limits as l on l._file_key = r._file_key and l.station = r.station
where r.reading > l.max_reading
