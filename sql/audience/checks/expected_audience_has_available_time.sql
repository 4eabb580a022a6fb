-- Every expected audience is for a signal and day with time for sale, and carries that time.
select
    e.signal,
    e.broadcast_date,
    e.program_code,
    e.available_seconds,
    a.available_seconds as available_time_seconds
from {{gold}}.expected_audience as e
left join {{gold}}.available_time as a
    on a.signal = e.signal
    and a.broadcast_date = e.broadcast_date
where a.signal is null
    or a.available_seconds <> e.available_seconds
