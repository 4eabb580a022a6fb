-- Every version of every brewery, type-2 (schemas/sources/breweries.json: a snapshot on
-- brewery_id, by _ingested_at): a row per version with valid_from, valid_to (NULL: still valid) and
-- is_current, so a question like "what did this brewery look like on 1 March" is
--   where brewery_id = @id and valid_from <= @t and (valid_to is null or valid_to > @t)
-- A new version starts when a kept column changes; a brewery loaded again unchanged adds nothing.
-- This SELECT gives the versions silver ingested in [@since, @until); the pipeline writes the
-- history (Materializations.java). Removed breweries stay current: a delta cannot tell that a
-- brewery is gone.
select
    brewery_id,
    name,
    brewery_type,
    city,
    state_province,
    country,
    website_url,
    longitude,
    latitude,
    _run_id,
    _source_uri,
    _ingested_at
from {{silver}}.breweries
where _ingested_at >= @since and _ingested_at < @until
