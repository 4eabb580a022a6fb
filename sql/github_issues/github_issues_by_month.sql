-- Per month (UTC): issues opened and closed in it, still open of those opened, and the median
-- days to close of those opened in it.
create or replace table {{gold}}.github_issues_by_month as

with issues as (

    select * from {{gold}}.dim_github_issues

),

opened as (

    select
        format_date('%Y-%m', date(created_at)) as month,
        count(*) as opened_count,
        countif(not is_closed) as still_open_count
    from issues
    group by 1

),

closed as (

    select
        format_date('%Y-%m', date(closed_at)) as month,
        count(*) as closed_count
    from issues
    where closed_at is not null
    group by 1

),

closed_ranked as (

    select
        format_date('%Y-%m', date(created_at)) as month,
        days_to_close,
        row_number() over (partition by format_date('%Y-%m', date(created_at)) order by days_to_close, issue_id) as position,
        count(*) over (partition by format_date('%Y-%m', date(created_at))) as closed
    from issues
    where days_to_close is not null

),

medians as (

    select
        month,
        avg(days_to_close) as median_days_to_close
    from closed_ranked
    where position in (cast(floor((closed + 1) / 2) as int64), cast(floor((closed + 2) / 2) as int64))
    group by month

),

months as (

    select month from opened
    union distinct
    select month from closed

),

final as (

    select
        months.month,
        coalesce(opened.opened_count, 0) as opened_count,
        coalesce(closed.closed_count, 0) as closed_count,
        coalesce(opened.still_open_count, 0) as still_open_count,
        medians.median_days_to_close
    from months
    left join opened on months.month = opened.month
    left join closed on months.month = closed.month
    left join medians on months.month = medians.month

)

select * from final
