-- A test source's gold model: only its file has to exist.
select 1 as n
