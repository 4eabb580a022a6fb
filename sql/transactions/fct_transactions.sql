-- One row per transaction. Pub/Sub delivers at least once and a sender may retry a post, so the
-- streamed silver table can hold an id twice: keep its latest message (ties: the higher id).
create or replace table {{gold}}.fct_transactions as

with streamed as (

    select * from {{silver}}.transactions

),

numbered as (

    select
        transaction_id,
        account_id,
        merchant,
        amount,
        currency,
        transacted_at,
        status,
        publish_time as published_at,
        row_number() over (
            partition by transaction_id
            order by publish_time desc, message_id desc
        ) as copy_number
    from streamed

),

final as (

    select
        transaction_id,
        account_id,
        merchant,
        amount,
        currency,
        transacted_at,
        status,
        published_at
    from numbered
    where copy_number = 1

)

select * from final
