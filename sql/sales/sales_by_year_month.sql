-- Units sold per calendar month, rebuilt whole from silver on every load. Silver holds each year's
-- latest spreadsheet only (a corrected base_<year>.xlsx replaces that year's rows: file.key) and
-- each repeated row once (silver.distinct), so every row counts once here.
create or replace table {{gold}}.sales_by_year_month as

with sales as (

    select * from {{silver}}.sales

),

final as (

    select
        extract(year from data_venda) as year,
        extract(month from data_venda) as month,
        cast(sum(qtd_venda) as int64) as qtd_venda
    from sales
    group by year, month

)

select * from final
