-- A mention really mentions its term, and an episode that mentions a term is not left out.
with mentions as (

    select * from {{gold}}.episode_brand_mentions

),

recounted as (

    select
        'missing' as problem,
        episodes.episode_id,
        terms.term
    from {{gold}}.podcast_episodes as episodes
    cross join (select distinct term from mentions) as terms
    where strpos(lower(coalesce(episodes.episode_name, '') || ' ' || coalesce(episodes.description, '')), terms.term) > 0
        and not exists (
            select 1 from mentions
            where mentions.episode_id = episodes.episode_id and mentions.term = terms.term
        )

    union all

    select
        'not a mention' as problem,
        episode_id,
        term
    from mentions
    where not is_in_name and not is_in_description

)

select * from recounted
