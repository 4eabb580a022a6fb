-- Every episode belongs to a show of the dimension: the shows were read before their episodes.
select
    episode_id,
    show_id
from {{gold}}.podcast_episodes
where show_name is null
