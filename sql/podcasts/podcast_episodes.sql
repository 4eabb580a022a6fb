-- One row per episode, its latest silver version, with the show it belongs to.
create or replace table {{gold}}.podcast_episodes as

with silver_episodes as (

    select * from {{silver}}.podcast_episodes

),

shows as (

    select * from {{gold}}.dim_podcast_shows

),

latest_episodes as (

    select *
    from silver_episodes
    where true
    qualify row_number() over (
        partition by episode_id
        order by _ingested_at desc, _source_uri desc, _source_record desc
    ) = 1

),

final as (

    select
        latest_episodes.episode_id,
        latest_episodes.name as episode_name,
        latest_episodes._parent_id as show_id,
        shows.show_name,
        latest_episodes.description,
        latest_episodes.duration_ms,
        latest_episodes.explicit as is_explicit,
        latest_episodes.language,
        latest_episodes.release_date,
        latest_episodes.release_date_precision,
        latest_episodes.spotify_url,
        latest_episodes._run_id,
        latest_episodes._ingested_at
    from latest_episodes
    left join shows
        on latest_episodes._parent_id = shows.show_id

)

select * from final
