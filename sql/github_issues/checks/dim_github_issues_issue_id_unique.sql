-- One row per issue in the dimension.
select
    issue_id,
    count(*) as row_count
from {{gold}}.dim_github_issues
group by issue_id
having count(*) > 1
