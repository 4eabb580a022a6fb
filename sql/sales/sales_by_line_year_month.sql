-- Units sold per product line and calendar month (a line's id is unique across brands; two brands
-- may have lines of the same name, which stay apart).
create or replace table {{gold}}.sales_by_line_year_month as

with sales as (

    select * from {{silver}}.sales

),

final as (

    select
        id_linha,
        linha,
        extract(year from data_venda) as year,
        extract(month from data_venda) as month,
        cast(sum(qtd_venda) as int64) as qtd_venda
    from sales
    group by id_linha, linha, year, month

)

select * from final
