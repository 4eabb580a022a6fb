-- Each signal's advertising time for sale per day, from the partner's disponibilidade file of that
-- day; a day with 0 seconds left has none for sale and is left out. A corrected file of a date
-- replaces that date's rows in silver (file.key), so each signal and day has one row.
create or replace table {{gold}}.available_time as

with availability as (

    select * from {{silver}}.availability

),

final as (

    select
        signal,
        broadcast_date,
        available_seconds
    from availability
    where available_seconds > 0

)

select * from final
