-- Per merchant, currency and hour (UTC): how many transactions, how many authorized or declined,
-- and the authorized amount, exact. The hour's start is whole seconds since the
-- epoch less their remainder by 3600, which both BigQuery and DuckDB compute alike.
create or replace table {{gold}}.volume_by_merchant_hour as

with transactions as (

    select * from {{gold}}.fct_transactions

),

hourly as (

    select
        timestamp_seconds(unix_seconds(transacted_at) - mod(unix_seconds(transacted_at), 3600)) as hour_started_at,
        merchant,
        currency,
        status,
        amount
    from transactions

),

final as (

    select
        hour_started_at,
        merchant,
        currency,
        count(*) as transaction_count,
        countif(status = 'authorized') as authorized_count,
        countif(status = 'declined') as declined_count,
        coalesce(sum(case when status = 'authorized' then amount end), 0) as authorized_amount
    from hourly
    group by hour_started_at, merchant, currency

)

select * from final
