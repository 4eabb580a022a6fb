-- One row per invoice (NF-e), issuer and recipient flattened, totals exact (NUMERIC). An
-- authorized NF-e never changes, so a second read of the same access key (a later run, a dropped
-- file) is the same document: the latest load wins. issued_on is the day in Brasilia time: a fixed
-- -03:00, which is exact since Brazil dropped daylight saving time in 2019 (DATE with the zone
-- America/Sao_Paulo says the same on BigQuery, but DuckDB has no such form).
-- Incremental on access_key (schemas/sources/invoices.json): each build reads the silver rows
-- ingested in [@since, @until), the loads not yet merged, and their latest versions are merged in.

with silver_invoices as (

    select * from {{silver}}.invoices
    where _ingested_at >= @since and _ingested_at < @until

),

latest as (

    select *
    from silver_invoices
    where true
    qualify row_number() over (
        partition by access_key
        order by _ingested_at desc, _source_uri desc, _source_record desc
    ) = 1

),

final as (

    select
        inv.access_key,
        inv.number,
        inv.series,
        inv.issued_at,
        date(timestamp_sub(inv.issued_at, interval 3 hour)) as issued_on,
        inv.issuer.cnpj as issuer_cnpj,
        inv.issuer.name as issuer_name,
        inv.issuer.state as issuer_state,
        coalesce(inv.recipient.cnpj, inv.recipient.cpf) as recipient_document,
        inv.recipient.cnpj is not null as is_recipient_company,
        inv.recipient.state as recipient_state,
        inv.recipient.state <> inv.issuer.state as is_interstate,
        array_length(inv.items) as item_count,
        inv.totals.products as products_amount,
        inv.totals.icms as icms_amount,
        inv.totals.pis as pis_amount,
        inv.totals.cofins as cofins_amount,
        inv.totals.total as total_amount,
        inv._run_id,
        inv._ingested_at
    from latest as inv

)

select * from final
