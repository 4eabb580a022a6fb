-- No transaction id twice in gold: fct_transactions keeps one row per id whatever Pub/Sub
-- redelivered, so an id seen twice here means the dedupe broke.
select
    transaction_id,
    count(*) as row_count
from {{gold}}.fct_transactions
group by transaction_id
having count(*) > 1
