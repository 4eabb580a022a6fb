-- The states GitHub documents, lowercased.
select
    issue_id,
    state
from {{gold}}.dim_github_issues
where state is null or state not in ('open', 'closed')
