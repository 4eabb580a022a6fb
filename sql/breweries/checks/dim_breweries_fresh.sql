-- Freshness: the newest brewery in gold was ingested at most 48 hours before the check (an empty
-- dimension fails too).
with newest as (

    select max(_ingested_at) as newest_ingested_at
    from {{gold}}.dim_breweries

)

select newest_ingested_at
from newest
where newest_ingested_at is null
    or unix_seconds(@checked_at) - unix_seconds(newest_ingested_at) > 48 * 3600
