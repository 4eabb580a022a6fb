-- One row per episode.
select
    episode_id,
    count(*) as row_count
from {{gold}}.podcast_episodes
group by episode_id
having count(*) > 1
