-- No day of a line sold fewer than 0 units (returns come in another base), nor any sum.
select 'silver.sales' as table_name, id_linha, data_venda, qtd_venda
from {{silver}}.sales
where qtd_venda < 0
union all
select 'sales_by_brand_line', id_linha, cast(null as date), qtd_venda
from {{gold}}.sales_by_brand_line
where qtd_venda < 0
