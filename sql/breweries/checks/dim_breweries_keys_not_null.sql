-- Not-null of keys and lineage: every brewery has an id and a name, and can be traced to its run
-- and bronze object.
select
    brewery_id,
    name,
    _run_id,
    _source_uri
from {{gold}}.dim_breweries
where brewery_id is null
    or name is null
    or _run_id is null
    or _source_uri is null
