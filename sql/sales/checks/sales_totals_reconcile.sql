-- Each of the four tables adds up to silver's units sold: one row per table whose total differs
-- (a table with no rows while silver has some counts as a total of 0).
with silver_total as (

    select coalesce(sum(qtd_venda), 0) as qtd_venda from {{silver}}.sales

),

gold_totals as (

    select 'sales_by_year_month' as table_name, coalesce(sum(qtd_venda), 0) as qtd_venda
    from {{gold}}.sales_by_year_month
    union all
    select 'sales_by_brand_line', coalesce(sum(qtd_venda), 0) from {{gold}}.sales_by_brand_line
    union all
    select 'sales_by_brand_year_month', coalesce(sum(qtd_venda), 0) from {{gold}}.sales_by_brand_year_month
    union all
    select 'sales_by_line_year_month', coalesce(sum(qtd_venda), 0) from {{gold}}.sales_by_line_year_month

)

select
    g.table_name,
    g.qtd_venda as gold_qtd_venda,
    s.qtd_venda as silver_qtd_venda
from gold_totals as g
cross join silver_total as s
where g.qtd_venda <> s.qtd_venda
