-- The lines of an invoice add up to its totals to the cent: the sum of the lines' totals is the
-- products total, and (no freight, insurance, discount or IPI in this source) the invoice total.
with items as (

    select
        access_key,
        sum(total_amount) as items_amount
    from {{gold}}.fct_invoice_items
    group by access_key

)

select
    inv.access_key,
    inv.products_amount,
    inv.total_amount,
    items.items_amount
from {{gold}}.fct_invoices as inv
left join items
    on inv.access_key = items.access_key
where items.items_amount is null
    or items.items_amount <> inv.products_amount
    or items.items_amount <> inv.total_amount
