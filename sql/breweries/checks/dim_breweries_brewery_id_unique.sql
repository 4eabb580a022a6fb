-- Uniqueness of the key: one row per brewery in the dimension.
-- A data-quality check returns the failing rows; none means it passes.
select
    brewery_id,
    count(*) as row_count
from {{gold}}.dim_breweries
group by brewery_id
having count(*) > 1
