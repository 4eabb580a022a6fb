-- Units sold per brand and product line over every year loaded.
create or replace table {{gold}}.sales_by_brand_line as

with sales as (

    select * from {{silver}}.sales

),

final as (

    select
        id_marca,
        marca,
        id_linha,
        linha,
        cast(sum(qtd_venda) as int64) as qtd_venda
    from sales
    group by id_marca, marca, id_linha, linha

)

select * from final
