-- For each signal and day with advertising time for sale (available_time), the audience each
-- program can be expected to have: the median average audience of its last four exhibitions on
-- that signal on the same weekday before that day. A program shown fewer than four times on that
-- weekday before the day gets the median of those it has (one: that value; two: their mean; three:
-- the middle one); a program never shown on that weekday before it has no row. exhibitions says how
-- many values the median is of. Runs once both files of a day are in (gold.needs).
create or replace table {{gold}}.expected_audience as

with audience as (

    select * from {{silver}}.audience

),

available as (

    select * from {{gold}}.available_time

),

-- Every earlier exhibition on the same signal and weekday, newest first per program.
history as (

    select
        a.signal,
        a.broadcast_date,
        a.available_seconds,
        e.program_code,
        e.program_name,
        e.exhibition_date,
        e.average_audience,
        row_number() over (
            partition by a.signal, a.broadcast_date, e.program_code
            order by e.exhibition_date desc, e.start_time desc
        ) as recency
    from available as a
    inner join audience as e
        on e.signal = a.signal
        and e.exhibition_date < a.broadcast_date
        and extract(dayofweek from e.exhibition_date) = extract(dayofweek from a.broadcast_date)

),

last_four as (

    select
        *,
        row_number() over (
            partition by signal, broadcast_date, program_code
            order by average_audience
        ) as position,
        count(*) over (partition by signal, broadcast_date, program_code) as exhibitions
    from history
    where recency <= 4

),

-- The median of n sorted values is the mean of those at positions k with n <= 2k <= n + 2: the
-- middle one when n is odd, the middle two when it is even.
final as (

    select
        signal,
        broadcast_date,
        program_code,
        max(case when recency = 1 then program_name end) as program_name,
        avg(case when 2 * position between exhibitions and exhibitions + 2 then average_audience end) as expected_audience,
        max(exhibitions) as exhibitions,
        max(exhibition_date) as last_exhibition_date,
        max(available_seconds) as available_seconds
    from last_four
    group by signal, broadcast_date, program_code

)

select * from final
