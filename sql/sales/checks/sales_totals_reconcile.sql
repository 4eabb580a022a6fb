-- The year this run loaded adds up, in each table by year, to silver's units sold that year (the
-- latest file of the year: an earlier file's rows are gone by the time gold runs). One failing
-- row per table and year that differs. Scoped to the run's own year, so that another year's file
-- loading while this build runs cannot make it fail; a year is replaced by one file at a time.
with run_years as (

    select distinct extract(year from data_venda) as year
    from {{silver}}.sales
    where _run_id = @run_id

),

silver_totals as (

    select extract(year from s.data_venda) as year, sum(s.qtd_venda) as qtd_venda
    from {{silver}}.sales as s
    where extract(year from s.data_venda) in (select year from run_years)
    group by 1

),

gold_totals as (

    select 'sales_by_year_month' as table_name, year, sum(qtd_venda) as qtd_venda
    from {{gold}}.sales_by_year_month
    group by year
    union all
    select 'sales_by_brand_year_month', year, sum(qtd_venda) from {{gold}}.sales_by_brand_year_month group by year
    union all
    select 'sales_by_line_year_month', year, sum(qtd_venda) from {{gold}}.sales_by_line_year_month group by year

),

expected as (

    select t.table_name, s.year, s.qtd_venda
    from silver_totals as s
    cross join (
        select 'sales_by_year_month' as table_name
        union all select 'sales_by_brand_year_month'
        union all select 'sales_by_line_year_month'
    ) as t

)

select
    e.table_name,
    e.year,
    coalesce(g.qtd_venda, 0) as gold_qtd_venda,
    e.qtd_venda as silver_qtd_venda
from expected as e
left join gold_totals as g on g.table_name = e.table_name and g.year = e.year
where coalesce(g.qtd_venda, 0) <> e.qtd_venda
