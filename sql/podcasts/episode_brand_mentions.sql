-- The episodes whose name or description mention a brand term, one row per episode and term.
-- The terms are the model's own definition: edit the list below (matching is case-insensitive,
-- on the plain text of the name and description).
create or replace table {{gold}}.episode_brand_mentions as

with episodes as (

    select * from {{gold}}.podcast_episodes

),

brand_terms as (

    select 'dbt' as term
    union all select 'duckdb'
    union all select 'bigquery'
    union all select 'snowflake'

),

mentions as (

    select
        brand_terms.term,
        episodes.episode_id,
        episodes.episode_name,
        episodes.show_id,
        episodes.show_name,
        episodes.release_date,
        strpos(lower(coalesce(episodes.episode_name, '')), brand_terms.term) > 0 as is_in_name,
        strpos(lower(coalesce(episodes.description, '')), brand_terms.term) > 0 as is_in_description
    from episodes
    cross join brand_terms

),

final as (

    select *
    from mentions
    where is_in_name or is_in_description

)

select * from final
