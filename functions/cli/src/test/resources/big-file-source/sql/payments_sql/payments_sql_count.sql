create or replace table {{gold}}.payments_sql_count as
select count(*) as payments from {{silver}}.payments_sql
