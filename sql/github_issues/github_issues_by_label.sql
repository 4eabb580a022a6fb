-- Per label (issues without one count under '(no label)'): how many are open and closed, and
-- the median days a closed one took. The median is taken portably: the middle row, or the mean
-- of the two middle rows, of the closed issues ordered by days to close.
create or replace table {{gold}}.github_issues_by_label as

with issues as (

    select * from {{gold}}.dim_github_issues

),

issue_labels as (

    select issues.issue_id, issues.is_closed, issues.days_to_close, label
    from issues, unnest(issues.label_names) as label

    union all

    select issue_id, is_closed, days_to_close, '(no label)' as label
    from issues
    where array_length(label_names) = 0 or label_names is null

),

counts as (

    select
        label,
        count(*) as issue_count,
        countif(not is_closed) as open_count,
        countif(is_closed) as closed_count
    from issue_labels
    group by label

),

closed_ranked as (

    select
        label,
        days_to_close,
        row_number() over (partition by label order by days_to_close, issue_id) as position,
        count(*) over (partition by label) as closed
    from issue_labels
    where days_to_close is not null

),

medians as (

    select
        label,
        avg(days_to_close) as median_days_to_close
    from closed_ranked
    where position in (cast(floor((closed + 1) / 2) as int64), cast(floor((closed + 2) / 2) as int64))
    group by label

),

final as (

    select
        counts.label,
        counts.issue_count,
        counts.open_count,
        counts.closed_count,
        medians.median_days_to_close
    from counts
    left join medians
        on counts.label = medians.label

)

select * from final
