-- One row per invoice line (NF-e det), from the same latest load of each invoice as fct_invoices:
-- the REPEATED RECORD items unnested, its nested taxes read by dotted paths.
-- Incremental on (access_key, item_number), like fct_invoices: the lines of the invoices loaded in
-- [@since, @until), merged in; a line keeps its invoice's _ingested_at, so an older load loses.

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
        item.number as item_number,
        inv.issuer.cnpj as issuer_cnpj,
        date(timestamp_sub(inv.issued_at, interval 3 hour)) as issued_on,
        item.product_code,
        item.description,
        item.ncm,
        item.cfop,
        item.unit,
        item.quantity,
        item.unit_price,
        item.total as total_amount,
        item.taxes.icms.rate as icms_rate,
        item.taxes.icms.amount as icms_amount,
        item.taxes.pis.amount as pis_amount,
        item.taxes.cofins.amount as cofins_amount,
        inv._run_id,
        inv._ingested_at
    from latest as inv, unnest(inv.items) as item

)

select * from final
