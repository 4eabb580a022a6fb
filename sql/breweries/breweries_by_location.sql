-- Breweries per country, state/province and type, with each group's share of its country and
-- of the whole dataset.
create or replace table {{gold}}.breweries_by_location as

with breweries as (

    select * from {{gold}}.dim_breweries

),

counts as (

    select
        country,
        state_province,
        brewery_type,
        count(*) as brewery_count
    from breweries
    group by country, state_province, brewery_type

),

final as (

    select
        country,
        state_province,
        brewery_type,
        brewery_count,
        round(
            safe_divide(brewery_count, sum(brewery_count) over (partition by country)), 4
        ) as share_of_country,
        round(safe_divide(brewery_count, sum(brewery_count) over ()), 4) as share_of_total,
        -- the build that last changed the table, and when: every row, as the table is rebuilt whole
        cast(@run_id as string) as _run_id,
        cast(@as_of as timestamp) as _as_of
    from counts

)

select * from final
