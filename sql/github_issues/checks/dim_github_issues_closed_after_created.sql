-- A closed issue closed after it was opened, and only a closed issue has a closing time.
select
    issue_id,
    state,
    created_at,
    closed_at
from {{gold}}.dim_github_issues
where (closed_at is not null and closed_at < created_at)
    or (state = 'open' and closed_at is not null)
    or (state = 'closed' and closed_at is null)
