-- Per issuer and day (Brasilia time): invoices, lines, revenue and the taxes on it, exact.
-- Incremental on (issued_on, issuer_cnpj) without an order (schemas/sources/invoices.json): a
-- build recomputes whole the days and issuers of the invoices fct_invoices took in this build
-- (ingested in [@since, @until)), from all their invoices, and those rows replace the table's.
-- Each row says which build last recomputed it, and when.
with touched as (

    select distinct issued_on, issuer_cnpj
    from {{gold}}.fct_invoices
    where _ingested_at >= @since and _ingested_at < @until

),

invoices as (

    select inv.*
    from {{gold}}.fct_invoices as inv
    join touched as t on inv.issued_on = t.issued_on and inv.issuer_cnpj = t.issuer_cnpj

),

final as (

    select
        issued_on,
        issuer_cnpj,
        max(issuer_name) as issuer_name,
        count(*) as invoice_count,
        sum(item_count) as item_count,
        sum(total_amount) as revenue_amount,
        sum(icms_amount) as icms_amount,
        sum(pis_amount) as pis_amount,
        sum(cofins_amount) as cofins_amount,
        cast(@run_id as string) as _run_id,
        cast(@as_of as timestamp) as _as_of
    from invoices
    group by issued_on, issuer_cnpj

)

select * from final
