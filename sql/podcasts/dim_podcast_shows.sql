-- One row per show: its latest silver version across all loads, with how many of its episodes
-- silver holds and when the newest came out.
create or replace table {{gold}}.dim_podcast_shows as

with silver_shows as (

    select * from {{silver}}.podcast_shows

),

silver_episodes as (

    select * from {{silver}}.podcast_episodes

),

latest_shows as (

    select *
    from silver_shows
    where true
    qualify row_number() over (
        partition by show_id
        order by _ingested_at desc, _source_uri desc, _source_record desc
    ) = 1

),

episode_counts as (

    select
        _parent_id as show_id,
        count(distinct episode_id) as episode_count,
        max(release_date) as latest_release_date
    from silver_episodes
    group by _parent_id

),

final as (

    select
        latest_shows.show_id,
        latest_shows.name as show_name,
        latest_shows.publisher,
        latest_shows.media_type,
        latest_shows.explicit as is_explicit,
        latest_shows.total_episodes,
        coalesce(episode_counts.episode_count, 0) as episode_count,
        episode_counts.latest_release_date,
        latest_shows.spotify_url,
        latest_shows._run_id,
        latest_shows._ingested_at
    from latest_shows
    left join episode_counts
        on latest_shows.show_id = episode_counts.show_id

)

select * from final
