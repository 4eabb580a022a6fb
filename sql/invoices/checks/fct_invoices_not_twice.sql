-- No invoice twice: an issuer numbers its NF-e once per series, so one issuer, series and number
-- is one invoice, under one access key.
select
    issuer_cnpj,
    series,
    number,
    count(*) as row_count
from {{gold}}.fct_invoices
group by issuer_cnpj, series, number
having count(*) > 1
