-- Accepted values: brewery_type is lowercased and trimmed, and is_known_type is true exactly for
-- the documented types (undocumented types are kept, but must be flagged as unknown).
with breweries as (

    select * from {{gold}}.dim_breweries

),

final as (

    select
        brewery_id,
        brewery_type,
        is_known_type
    from breweries
    where brewery_type != lower(trim(brewery_type))
        or is_known_type != coalesce(
            brewery_type in (
                'micro', 'nano', 'regional', 'brewpub', 'large', 'planning', 'bar',
                'contract', 'proprietor', 'closed', 'taproom', 'location', 'beergarden'
            ),
            false
        )

)

select * from final
