-- Every distinct ticket of silver is counted once in gold: returns a row when they differ.
select
    silver_tickets,
    gold_tickets
from (
    select
        (select count(distinct ticket_id) from {{silver}}.tickets) as silver_tickets,
        (select sum(ticket_count) from {{gold}}.tickets_by_status) as gold_tickets
) as counts
where silver_tickets != gold_tickets
