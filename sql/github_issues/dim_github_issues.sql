-- One row per issue (pull requests left out): its latest version across all loads. Incremental
-- runs load only what changed, so silver holds several versions of an issue: the latest
-- updated_at wins, then the latest ingestion.
create or replace table {{gold}}.dim_github_issues as

with silver_issues as (

    select * from {{silver}}.github_issues

),

latest as (

    select *
    from silver_issues
    where true
    qualify row_number() over (
        partition by issue_id
        order by updated_at desc, _ingested_at desc, _source_uri desc, _source_record desc
    ) = 1

),

final as (

    select
        issue_id,
        number,
        title,
        state,
        state_reason,
        user_login,
        label_names,
        comments,
        created_at,
        updated_at,
        closed_at,
        state = 'closed' as is_closed,
        case
            when closed_at is not null then (unix_seconds(closed_at) - unix_seconds(created_at)) / 86400
        end as days_to_close,
        html_url,
        _run_id,
        _ingested_at
    from latest
    where pull_request_url is null

)

select * from final
