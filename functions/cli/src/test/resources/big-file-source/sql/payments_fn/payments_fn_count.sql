create or replace table {{gold}}.payments_fn_count as
select count(*) as payments from {{silver}}.payments_fn
