-- Readings per day (the file's date), whatever else has landed.
create or replace table {{gold}}.readings_per_day as
select _file_key as day, count(*) as readings
from {{silver}}.station_readings
group by _file_key
