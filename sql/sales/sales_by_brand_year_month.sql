-- Units sold per brand and calendar month.
create or replace table {{gold}}.sales_by_brand_year_month as

with sales as (

    select * from {{silver}}.sales

),

final as (

    select
        id_marca,
        marca,
        extract(year from data_venda) as year,
        extract(month from data_venda) as month,
        cast(sum(qtd_venda) as int64) as qtd_venda
    from sales
    group by id_marca, marca, year, month

)

select * from final
