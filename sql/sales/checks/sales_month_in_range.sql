-- Every month of the three monthly tables is 1 to 12 and has a year.
select 'sales_by_year_month' as table_name, year, month
from {{gold}}.sales_by_year_month
where year is null or month is null or month not between 1 and 12
union all
select 'sales_by_brand_year_month', year, month
from {{gold}}.sales_by_brand_year_month
where year is null or month is null or month not between 1 and 12
union all
select 'sales_by_line_year_month', year, month
from {{gold}}.sales_by_line_year_month
where year is null or month is null or month not between 1 and 12
