-- Row-count reconciliation between layers and the ledger, for this run and for gold as a whole.
-- Each comparison that does not hold is one failing row naming what was compared.
-- (The ledger's `rows` column is not read: ROWS is a reserved word in BigQuery; silver records
-- minus rejects is the same number.)
with ledger_bronze as (

    select
        count(*) as events,
        max(records) as records
    from {{ops}}.run_ledger
    where run_id = @run_id
        and stage = 'ingest'
        and status = 'succeeded'

),

-- Only silver work whose load job succeeded counts: a run whose first load failed and was loaded
-- again from a new manifest generation has two silver events but one load's rows.
loaded_jobs as (

    select job_id
    from {{ops}}.run_ledger
    where run_id = @run_id
        and stage = 'silver_load'
        and status = 'succeeded'

),

ledger_silver as (

    select
        coalesce(sum(records), 0) as records,
        coalesce(sum(rejects), 0) as rejects
    from {{ops}}.run_ledger
    where run_id = @run_id
        and stage = 'silver'
        and status = 'succeeded'
        and job_id in (select job_id from loaded_jobs)

),

silver_run as (

    select count(*) as silver_rows
    from {{silver}}.breweries
    where _run_id = @run_id

),

silver_keys as (

    select count(distinct brewery_id) as breweries
    from {{silver}}.breweries

),

gold_dim as (

    select count(*) as breweries
    from {{gold}}.dim_breweries

),

gold_countries as (

    select coalesce(sum(brewery_count), 0) as breweries
    from {{gold}}.country_summary

),

comparisons as (

    select
        'ledger bronze records = ledger silver records' as comparison,
        ledger_bronze.records as expected,
        ledger_silver.records as actual
    from ledger_bronze cross join ledger_silver
    -- a dropped file has no ingest: silver read it directly
    where ledger_bronze.events > 0
    union all
    select
        'ledger silver records - rejects = silver table rows of the run' as comparison,
        ledger_silver.records - ledger_silver.rejects as expected,
        silver_run.silver_rows as actual
    from ledger_silver cross join silver_run
    union all
    select
        'distinct silver breweries = gold.dim_breweries rows' as comparison,
        silver_keys.breweries as expected,
        gold_dim.breweries as actual
    from silver_keys cross join gold_dim
    union all
    select
        'gold.dim_breweries rows = sum of gold.country_summary' as comparison,
        gold_dim.breweries as expected,
        gold_countries.breweries as actual
    from gold_dim cross join gold_countries

)

select * from comparisons
where expected != actual
