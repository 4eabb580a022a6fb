-- One row per brewery: its latest silver version, with derived flags.
-- Latest = most recently ingested bronze object; ties broken by object and position so the
-- result never depends on scan order.
-- Incremental on brewery_id (schemas/sources/breweries.json): each build reads only the silver
-- rows ingested in [@since, @until), the loads this model has not consumed yet, and the pipeline
-- merges their latest versions into the table; a version older than the table's loses. A first
-- build or a full refresh reads all of silver, which gives the same table.
with silver_breweries as (

    select * from {{silver}}.breweries
    where _ingested_at >= @since and _ingested_at < @until

),

latest as (

    select *
    from silver_breweries
    where true
    qualify row_number() over (
        partition by brewery_id
        order by _ingested_at desc, _source_uri desc, _source_record desc
    ) = 1

),

final as (

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
        website_url is not null as has_website,
        latitude is not null and longitude is not null as has_coordinates,
        coalesce(brewery_type = 'closed', false) as is_closed,
        coalesce(
            brewery_type in (
                'micro', 'nano', 'regional', 'brewpub', 'large', 'planning', 'bar',
                'contract', 'proprietor', 'closed', 'taproom', 'location', 'beergarden'
            ),
            false
        ) as is_known_type,
        _run_id,
        _source_uri,
        _ingested_at
    from latest

)

select * from final
