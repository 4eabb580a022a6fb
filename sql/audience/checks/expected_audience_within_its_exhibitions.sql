-- A median lies between the least and the greatest of its values: recomputed here from silver
-- (the program's exhibitions on the signal and weekday before the day, the latest four), the
-- expected audience is within their range, of as many values as there are (1 to 4), and the
-- latest of them is the one the row names.
with exhibitions as (

    select
        e.signal,
        e.broadcast_date,
        e.program_code,
        a.average_audience,
        a.exhibition_date,
        row_number() over (
            partition by e.signal, e.broadcast_date, e.program_code
            order by a.exhibition_date desc, a.start_time desc
        ) as recency
    from {{gold}}.expected_audience as e
    inner join {{silver}}.audience as a
        on a.signal = e.signal
        and a.program_code = e.program_code
        and a.exhibition_date < e.broadcast_date
        and extract(dayofweek from a.exhibition_date) = extract(dayofweek from e.broadcast_date)

),

inputs as (

    select
        signal,
        broadcast_date,
        program_code,
        min(average_audience) as least_audience,
        max(average_audience) as greatest_audience,
        count(*) as exhibitions,
        max(exhibition_date) as last_exhibition_date
    from exhibitions
    where recency <= 4
    group by signal, broadcast_date, program_code

)

select
    e.signal,
    e.broadcast_date,
    e.program_code,
    e.expected_audience,
    i.least_audience,
    i.greatest_audience
from {{gold}}.expected_audience as e
left join inputs as i
    on i.signal = e.signal
    and i.broadcast_date = e.broadcast_date
    and i.program_code = e.program_code
where i.signal is null
    or e.expected_audience < i.least_audience - 1e-9
    or e.expected_audience > i.greatest_audience + 1e-9
    or e.exhibitions <> i.exhibitions
    or e.exhibitions not between 1 and 4
    or e.last_exhibition_date <> i.last_exhibition_date
