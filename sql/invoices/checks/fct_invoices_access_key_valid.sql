-- The access key (chave de acesso) is 44 digits: cUF (2), AAMM (4), the issuer's CNPJ (14), the
-- model 55 (2), the series (3), the number (9), the emission type (1), a code (8) and cDV, the
-- mod-11 check digit of the other 43 (weights 2 to 9 from the right, cycling; 0 when the
-- remainder is 0 or 1, else 11 minus it). It must carry the invoice's own issuer, series, number
-- and month. A digit is read as strpos('0123456789', c) - 1, which is -1 for anything else where a
-- cast would fail the query.
with keys as (

    select
        inv.access_key,
        inv.issuer_cnpj,
        inv.series,
        inv.number,
        inv.issued_on,
        (
            select countif(strpos('0123456789', substr(inv.access_key, position, 1)) = 0)
            from unnest(generate_array(1, 44)) as position
        ) as non_digits,
        (
            select sum((strpos('0123456789', substr(inv.access_key, 44 - position, 1)) - 1) * (2 + mod(position - 1, 8)))
            from unnest(generate_array(1, 43)) as position
        ) as weighted_sum
    from {{gold}}.fct_invoices as inv

)

select
    access_key,
    issuer_cnpj,
    series,
    number
from keys
where length(access_key) <> 44
    or non_digits > 0
    or strpos('0123456789', substr(access_key, 44, 1)) - 1
        <> case when mod(weighted_sum, 11) < 2 then 0 else 11 - mod(weighted_sum, 11) end
    or substr(access_key, 3, 4) <> format_date('%y%m', issued_on)
    or substr(access_key, 7, 14) <> issuer_cnpj
    or substr(access_key, 21, 2) <> '55'
    or substr(access_key, 23, 3) <> lpad(cast(series as string), 3, '0')
    or substr(access_key, 26, 9) <> lpad(cast(number as string), 9, '0')
