-- One row per country: how many breweries, how many are open, how complete their data is, and
-- the country's rank by number of breweries.
create or replace table {{gold}}.country_summary as

with breweries as (

    select * from {{gold}}.dim_breweries

),

per_country as (

    select
        country,
        count(*) as brewery_count,
        countif(not is_closed) as open_count,
        countif(is_closed) as closed_count,
        countif(has_website) as with_website_count,
        countif(has_coordinates) as with_coordinates_count
    from breweries
    group by country

),

final as (

    select
        country,
        brewery_count,
        open_count,
        closed_count,
        with_website_count,
        with_coordinates_count,
        round(safe_divide(with_website_count, brewery_count), 4) as website_share,
        round(safe_divide(with_coordinates_count, brewery_count), 4) as coordinates_share,
        rank() over (order by brewery_count desc) as country_rank,
        -- the build that last changed the table, and when: every row, as the table is rebuilt whole
        cast(@run_id as string) as _run_id,
        cast(@as_of as timestamp) as _as_of
    from per_country

)

select * from final
