-- Per issuer and day (Brasilia time): invoices, lines, revenue and the taxes on it, exact.
create or replace table {{gold}}.revenue_by_issuer_day as

with invoices as (

    select * from {{gold}}.fct_invoices

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
        sum(cofins_amount) as cofins_amount
    from invoices
    group by issued_on, issuer_cnpj

)

select * from final
