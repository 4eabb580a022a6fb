-- One row per show in the dimension.
select
    show_id,
    count(*) as row_count
from {{gold}}.dim_podcast_shows
group by show_id
having count(*) > 1
