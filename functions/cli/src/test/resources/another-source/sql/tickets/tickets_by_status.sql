-- Tickets per status, counting each ticket once (its latest version across loads), with how many
-- are urgent (priority 1).
create or replace table {{gold}}.tickets_by_status as

with latest as (

    select
        *,
        row_number() over (partition by ticket_id order by _ingested_at desc, _source_record desc) as version
    from {{silver}}.tickets

)

select
    status,
    count(*) as ticket_count,
    countif(priority = 1) as urgent_count
from latest
where version = 1
group by status
